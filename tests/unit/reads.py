"""Counting the event files a test makes the store read: how the tests tell a reopen that re-read nothing
from one that read the folder again."""

from __future__ import annotations

import pytest

from store import event_store
from store.files import event_files, parallel_load


def count_reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files read from now on, by an update or by a load (in this process: few files use no workers)."""
    reads: list[str] = []
    original = event_files.read_event_file

    def spy(full_path: str, rel: str, *args: object) -> object:
        reads.append(rel)
        return original(full_path, rel, *args)  # type: ignore[arg-type]

    for module in (event_store, parallel_load):
        monkeypatch.setattr(module, "read_event_file", spy)
    return reads
