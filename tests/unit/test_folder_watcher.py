"""The watcher keeps the store equal to a real folder through edits, renames, bursts and a lost root."""

from __future__ import annotations

import os
import shutil
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import orjson
import pytest

from store import folder_watcher
from store.event_store import EventStore
from store.folder_watcher import FolderWatcher
from store.model.changes import Changes
from tests.conftest import event


class Watched:
    def __init__(self, root: Path, **options: object) -> None:
        self.root = root
        self.store = EventStore(root)
        self.store.load()
        self.batches: list[Changes] = []
        self.statuses: list[tuple[str, str]] = []
        self.watcher = FolderWatcher(
            self.store,
            self.batches.append,
            lambda s, d: self.statuses.append((s, d)),
            **options,  # type: ignore[arg-type]
        )
        self.thread = threading.Thread(target=self.watcher.run, daemon=True)

    def ids(self) -> set[str]:
        with self.store.lock:
            return set(self.store.index.docno_of)

    def wait(self, predicate: Callable[[], bool], what: str, timeout: float = 15.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if predicate():
                return
            time.sleep(0.02)
        raise AssertionError(
            f"timed out waiting for {what}; ids={sorted(self.ids())[:20]} statuses={self.statuses[-5:]}"
        )


@pytest.fixture
def watched(tmp_path: Path) -> Iterator[Watched]:
    root = tmp_path / "events"
    root.mkdir()
    (root / "first.json").write_bytes(orjson.dumps(event(id="first")))
    result = Watched(root)
    result.thread.start()
    result.wait(lambda: ("live", "") in result.statuses, "the watcher to start")
    time.sleep(0.1)
    yield result
    result.watcher.stop()
    result.thread.join(timeout=5)
    assert not result.thread.is_alive(), "stopping is prompt"


def write(path: Path, raw: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(raw if isinstance(raw, bytes) else orjson.dumps(raw))


def test_create_change_rename_delete_reach_the_store(watched: Watched) -> None:
    root = watched.root
    write(root / "sub" / "a.json", event(id="a", title="Alpha"))
    watched.wait(lambda: "a" in watched.ids(), "a created file")
    write(root / "sub" / "a.json", event(id="a", title="Alpha revised"))
    watched.wait(lambda: watched.store.get("a").title == "Alpha revised", "a changed file")
    os.rename(root / "sub", root / "moved")
    watched.wait(
        lambda: watched.store.get("a") and watched.store.get("a").path == "moved/a.json", "a renamed folder"
    )
    os.unlink(root / "moved" / "a.json")
    watched.wait(lambda: "a" not in watched.ids(), "a deleted file")
    assert watched.ids() == {"first"}
    assert any(batch.added == {"a"} for batch in watched.batches)


def test_atomic_replace_and_partial_writes_never_show_half_an_event(watched: Watched) -> None:
    root = watched.root
    target = root / "atomic.json"
    for number in range(20):
        temporary = root / f".atomic.json.tmp{number}"
        write(temporary, event(id="atomic", title=f"Version {number}"))
        os.replace(temporary, target)
    watched.wait(
        lambda: watched.store.get("atomic") and watched.store.get("atomic").title == "Version 19",
        "the last version",
    )
    data = orjson.dumps(event(id="slow", title="Written in pieces"))
    with open(root / "slow.json", "wb") as handle:
        for start in range(0, len(data), 7):
            handle.write(data[start : start + 7])
            handle.flush()
            time.sleep(0.005)
    watched.wait(
        lambda: watched.store.get("slow") and watched.store.get("slow").title == "Written in pieces",
        "the whole file",
    )
    watched.wait(lambda: not watched.store.problems(), "no leftover problem from the partial reads")


def test_a_burst_of_files_is_indexed_completely(watched: Watched) -> None:
    root = watched.root
    for number in range(10_000):
        write(root / f"burst/{number // 1000}/{number}.json", event(id=f"b{number}"))
    watched.wait(lambda: len(watched.ids()) == 10_001, "every file of the burst", timeout=60)
    assert len(watched.store.files) == 10_001


def test_the_root_deleted_and_recreated(watched: Watched) -> None:
    root = watched.root
    shutil.rmtree(root)
    watched.wait(lambda: any(status == "missing" for status, _ in watched.statuses), "the missing status")
    watched.wait(lambda: not watched.ids(), "the events of the deleted folder to go")
    root.mkdir()
    write(root / "back.json", event(id="back"))
    watched.wait(lambda: watched.ids() == {"back"}, "the folder's return")
    watched.wait(lambda: watched.statuses[-1][0] == "live", "live again")
    write(root / "later.json", event(id="later"))
    watched.wait(lambda: "later" in watched.ids(), "watching to resume")


def test_out_of_inotify_watches_falls_back_to_polling(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_watch = folder_watcher.watchfiles.watch

    def limited(*args, **kwargs):  # type: ignore[no-untyped-def]
        if not kwargs.get("force_polling"):
            raise OSError(28, "OS file watch limit reached (inotify)")
        return real_watch(*args, **kwargs)

    monkeypatch.setattr(folder_watcher.watchfiles, "watch", limited)
    root = tmp_path / "events"
    root.mkdir()
    watched = Watched(root)
    watched.thread.start()
    try:
        watched.wait(
            lambda: any(status == "polling" and "inotify" in detail for status, detail in watched.statuses),
            "the fallback",
        )
        write(root / "polled.json", event(id="polled"))
        watched.wait(lambda: "polled" in watched.ids(), "a polled change")
    finally:
        watched.watcher.stop()
        watched.thread.join(timeout=5)


def test_missed_events_are_caught_by_the_reconcile_timer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A dropped rescan (queue overflow) is simulated by a watcher that reports nothing at all."""

    def deaf(*args, stop_event, **kwargs):  # type: ignore[no-untyped-def]
        while not stop_event.is_set():
            stop_event.wait(0.05)
            yield set()

    monkeypatch.setattr(folder_watcher.watchfiles, "watch", deaf)
    root = tmp_path / "events"
    root.mkdir()
    watched = Watched(root, reconcile_every=0.2)
    watched.thread.start()
    try:
        write(root / "unseen.json", event(id="unseen"))
        watched.wait(lambda: "unseen" in watched.ids(), "the reconcile to find the file")
    finally:
        watched.watcher.stop()
        watched.thread.join(timeout=5)


def test_arrivals_never_wait_for_a_reconciling_walk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """At 1,000,000 files a walk takes seconds: it runs beside the watching, which goes on."""
    root = tmp_path / "events"
    root.mkdir()
    watched = Watched(root, reconcile_every=0.1)
    walking, finish = threading.Event(), threading.Event()
    walk = watched.store.walk

    def slow_walk():  # type: ignore[no-untyped-def]
        walking.set()
        finish.wait(30)
        return walk()

    monkeypatch.setattr(watched.store, "walk", slow_walk)
    watched.thread.start()
    try:
        assert walking.wait(15), "the timer started a walk"
        write(root / "arrival.json", event(id="arrival"))
        watched.wait(lambda: "arrival" in watched.ids(), "the arrival, while the walk goes on")
        assert not finish.is_set()
    finally:
        finish.set()
        watched.watcher.stop()
        watched.thread.join(timeout=5)
