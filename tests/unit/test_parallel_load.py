"""Loading on several cores gives exactly the store that loading on one gives, and survives its workers."""

from __future__ import annotations

import shutil
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from store import event_store
from store.event_store import EventStore
from store.files import parallel_load
from store.files.parallel_load import read_locally
from tests.conftest import FIXTURES


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """The fixture corpus, the broken fixtures and some more files: enough for many small chunks."""
    root = tmp_path / "events"
    shutil.copytree(FIXTURES / "events", root)
    shutil.copytree(FIXTURES / "broken", root / "broken", ignore=shutil.ignore_patterns("README.md"))
    return root


def load(root: Path, workers: int, monkeypatch: pytest.MonkeyPatch) -> EventStore:
    monkeypatch.setenv("COMMUNIQUE_WORKERS", str(workers))
    monkeypatch.setattr(event_store, "FIRST_CHUNK", 2)
    store = EventStore(root)
    store.load(chunk=3)
    return store


def snapshot(store: EventStore) -> tuple[object, ...]:
    events = sorted((store.index.event(docno) for docno in store.index.live), key=lambda e: e.id)
    return (
        [event.as_json() for event in events],
        [str(problem) for problem in store.problems()],
        sorted(rel for rel, entry in store.files.items() if entry.stale),
        {word: store.query(word).ids for word in ("galu", "hadjiev", "afghanistan", "consultations", "ж")},
    )


def test_workers_load_exactly_what_one_process_loads(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    alone = snapshot(load(folder, 0, monkeypatch))
    assert alone[0] and alone[1]  # events and problems both present: the comparison means something
    read_here = []

    def slowly(*args: Any) -> Any:  # so that the workers, not this process, read most chunks
        read_here.append(args)
        time.sleep(0.3)
        return read_locally(*args)

    monkeypatch.setattr(parallel_load, "read_locally", slowly)
    assert snapshot(load(folder, 2, monkeypatch)) == alone
    assert len(read_here) < (len(list(folder.rglob("*.json*"))) + 2) // 3  # some chunks came from workers


def test_a_dead_worker_only_sends_its_chunks_back_to_be_read_here(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    alone = snapshot(load(folder, 0, monkeypatch))
    monkeypatch.setattr(parallel_load, "WORKER_COMMAND", [sys.executable, "-c", "import sys; sys.exit(3)"])
    assert snapshot(load(folder, 1, monkeypatch)) == alone


def test_a_stalled_worker_is_killed_and_its_chunks_read_here(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    alone = snapshot(load(folder, 0, monkeypatch))
    monkeypatch.setattr(
        parallel_load, "WORKER_COMMAND", [sys.executable, "-c", "import time; time.sleep(60)"]
    )
    monkeypatch.setattr(parallel_load, "STALLED_AFTER", 0.5)
    started = time.monotonic()
    assert snapshot(load(folder, 1, monkeypatch)) == alone
    assert time.monotonic() - started < 30  # the worker was killed, not waited for


def test_a_broken_pipe_sends_back_every_chunk_the_worker_had(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A worker that died with a chunk in hand is found out by the next send: both chunks are read here."""
    alone = snapshot(load(folder, 0, monkeypatch))
    monkeypatch.setattr(
        parallel_load, "WORKER_COMMAND", [sys.executable, "-c", "import sys; sys.stdin.read()"]
    )
    sends: list[list[str]] = []

    def send(worker: Any, root: str, rels: list[str], max_bytes: int, prepare: str) -> None:  # never sent
        worker.sent.append(rels)
        sends.append(rels)
        if len(sends) == 2:
            raise BrokenPipeError(32, "Broken pipe")

    monkeypatch.setattr(parallel_load._Worker, "send", send)
    loaded: list[EventStore] = []
    loading = threading.Thread(target=lambda: loaded.append(load(folder, 1, monkeypatch)), daemon=True)
    loading.start()
    loading.join(timeout=60)
    assert loaded, "the load waited for a chunk that a dead worker held"
    assert snapshot(loaded[0]) == alone


def test_a_worker_that_cannot_start_leaves_the_load_to_this_process(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    alone = snapshot(load(folder, 0, monkeypatch))
    monkeypatch.setattr(parallel_load, "WORKER_COMMAND", [str(folder / "no-such-program")])
    assert snapshot(load(folder, 1, monkeypatch)) == alone


def test_small_loads_start_no_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("COMMUNIQUE_WORKERS", raising=False)
    assert parallel_load.worker_count(parallel_load.PARALLEL_FROM - 1) == 0


def test_a_workers_answer_comes_back_equal_record_for_record(folder: Path) -> None:
    """Its frozen records are pickled by their constructor (`ANSWER_PICKLING`): every field comes back."""
    import io
    import pickle

    from store.files.folder_scan import scan_folder
    from store.files.parallel_load import dump_answer, read_for_index
    from store.index.persistent.prepared import prepare_event

    rels = sorted(scan_folder(str(folder), follow_symlinks=False, stat=False))
    files = read_for_index(str(folder), rels, 10_000_000, prepare_event)
    out = io.BytesIO()
    dump_answer(files, out)
    back = pickle.loads(out.getvalue())
    assert back == files
    assert any(contents.problems for _, contents, _ in back)  # problems and participants both went through
    assert any(event.participants for _, contents, _ in back for event in contents.events)
