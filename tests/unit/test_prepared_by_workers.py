"""A persistent index built from what load workers prepared (`store.index.persistent.prepared`) is the index
the writing process builds alone: the same stored rows, positions and postings, the same answers."""

from __future__ import annotations

import sqlite3
import time
import zlib
from pathlib import Path
from typing import Any

import orjson
import pytest

from store.files import parallel_load
from store.files.parallel_load import read_locally
from store.index.persistent import writer
from store.index.persistent.folder import FolderWriter
from store.index.persistent.prepared import PreparedEvent, prepare_event
from store.index.persistent.storage import DATABASE
from store.model.event import Event
from store.persistence import folder_index
from store.persistence.folder_index import index_location
from tests.unit.test_folder_index import answers, persistent_store
from tests.unit.test_parallel_load import folder  # noqa: F401  (the fixture: fixtures and broken files)

FILTERS = ['"regional security"', "galu", "hadjiev", "kind:consultation", "t:security", "c:tm", "p:hadj", "ж"]


def stored_rows(root: Path) -> list[tuple[Any, ...]]:
    """Every stored event by id and file, its facts decoded: document numbers follow the order chunks come
    back in, which workers change."""
    with sqlite3.connect(index_location(root) / DATABASE) as connection:
        rows = connection.execute("SELECT id, file, path, facts, mentions, sorting FROM events").fetchall()
    return sorted(
        (event_id, file, path, orjson.loads(zlib.decompress(facts)), mentions, sorting)
        for event_id, file, path, facts, mentions, sorting in rows
    )


def build(root: Path, cache: Path, workers: int, monkeypatch: pytest.MonkeyPatch) -> tuple[Any, ...]:
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    monkeypatch.setenv("COMMUNIQUE_WORKERS", str(workers))
    store = persistent_store(root)
    return stored_rows(root), answers(store, FILTERS)


def test_workers_prepare_exactly_what_the_writer_would(
    folder: Path,  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(folder_index, "CHUNK", 3)
    alone = build(folder, tmp_path / "alone", 0, monkeypatch)
    assert alone[0] and alone[1]["count"]

    def slowly(*args: Any) -> Any:  # so that the workers, not this process, read most chunks
        time.sleep(0.3)
        return read_locally(*args)

    prepared: list[bool] = []
    put_file = FolderWriter.put_file

    def noting(self: FolderWriter, *args: Any, **kwargs: Any) -> None:
        prepared.append(len(args) > 3 and args[3] is not None)
        put_file(self, *args, **kwargs)

    here: list[Event] = []

    def prepare_here(event: Event) -> PreparedEvent:
        here.append(event)
        return prepare_event(event)

    monkeypatch.setattr(parallel_load, "read_locally", slowly)
    monkeypatch.setattr(FolderWriter, "put_file", noting)
    monkeypatch.setattr(writer, "prepare_event", prepare_here)
    assert build(folder, tmp_path / "workers", 2, monkeypatch) == alone
    assert sum(prepared) > len(prepared) // 2  # most files came prepared: the comparison means something
    assert len(here) < len(alone[0]) // 2  # and the writing process did not prepare their events again
