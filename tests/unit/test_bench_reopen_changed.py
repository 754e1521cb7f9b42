"""The benchmark's reopen of a folder changed while no dashboard was open keeps working on a small corpus,
and leaves the corpus and its index as it found them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from bench.generate import generate

REPO = Path(__file__).resolve().parents[2]


def test_the_reopen_of_a_changed_folder_reports_its_figures_and_cleans_up(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    generate(corpus, 200, 1)
    before = sorted(path.relative_to(corpus) for path in corpus.rglob("*"))
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    figures = {}
    for phase in ("reopen", "reopen_changed"):  # the first builds the index and its people's tables
        output = subprocess.run(
            [sys.executable, "-m", "bench.phases", phase, str(corpus)],
            check=True,
            capture_output=True,
            text=True,
            cwd=REPO,
            env=env,
            timeout=300,
        ).stdout
        figures.update(json.loads(output.strip().splitlines()[-1]))
    for name in ("first_rows_s", "full_panes_s", "reconcile_s", "people_built_s", "panes_peak_rss_mb"):
        assert figures[f"reopen_changed_{name}"] > 0, name
    assert sorted(path.relative_to(corpus) for path in corpus.rglob("*")) == before
