"""The benchmark itself keeps working: a small run reports every figure the performance issue asks for."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from bench.run import TARGETS, print_table

STEPS = ("read", "parse", "validate", "words", "pack", "index", "whole")


def test_a_small_run_reports_every_figure(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    command = [sys.executable, "-m", "bench.run", "--events", "300", "--skip-app", "--json"]
    output = subprocess.run(
        [*command, "--corpus", str(tmp_path / "corpus")],
        check=True,
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
        timeout=300,
    ).stdout
    figures = json.loads(output)
    for name in [*TARGETS, "floor_s", "cold_s", "first_rows_s", "phrase_ms"]:
        assert isinstance(figures[name], float) and figures[name] > 0, name
    assert figures["stage_events"] == 300
    for step in STEPS:
        assert figures[f"stage_{step}_us"] > 0, step
    print_table(figures)
    table = capsys.readouterr().out
    assert "where a cold load's time goes" in table and "bookkeeping" in table
