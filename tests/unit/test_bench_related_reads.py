"""`bench.related_reads` runs on a folder's persistent index and counts what a related list reads."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bench.related_reads import measure
from store.config import load_config
from store.persistence.folder_index import Reading, open_index

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "events"


def test_the_benchmark_counts_the_events_a_related_list_reads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    folder = tmp_path / "events"
    shutil.copytree(FIXTURES, folder)
    index = open_index(str(folder), Reading(max_bytes=load_config()[0].max_bytes), warn=lambda line: None)
    assert index is not None
    index.close()
    figures = measure(str(folder), sample=5, seed=1)
    assert figures["events"] >= 5
    assert figures["reads_max"] >= figures["reads_median"] >= 1  # each shown relation is read
    assert figures["related_p95_ms"] >= figures["related_p50_ms"] > 0
