"""One file must never crash, freeze or exhaust the store, and its answers must not depend on the cache
(issue 13): each test here failed before the change it covers."""

from __future__ import annotations

import os
from pathlib import Path

from store.event_store import EventStore
from tests.conftest import WriteEvent, event


def _loaded(root: Path) -> EventStore:
    store = EventStore(root)
    store.load()
    return store


def test_a_rewrite_keeping_size_and_mtime_is_seen_by_the_reconcile(write_event: WriteEvent) -> None:
    path = write_event("a.json", event(id="a", title="Before"))
    store = _loaded(path.parent)
    kept = os.stat(path)
    path.write_bytes(path.read_bytes().replace(b"Before", b"Latest"))  # same size
    os.utime(path, ns=(kept.st_atime_ns, kept.st_mtime_ns))  # as cp -p, rsync -t and touch -r leave it
    assert os.stat(path).st_size == kept.st_size and os.stat(path).st_mtime_ns == kept.st_mtime_ns
    assert store.reconcile().changed == {"a"}
    assert store.get("a").title == "Latest"  # type: ignore[union-attr]


def test_a_file_replaced_by_another_of_same_size_and_mtime_is_seen(write_event: WriteEvent) -> None:
    path = write_event("a.json", event(id="a", title="Before"))
    store = _loaded(path.parent)
    kept = os.stat(path)
    other = write_event("other.tmp", event(id="a", title="Latest"))
    os.utime(other, ns=(kept.st_atime_ns, kept.st_mtime_ns))
    os.replace(other, path)  # rsync's way: a new inode under the old name
    store.reconcile()
    assert store.get("a").title == "Latest"  # type: ignore[union-attr]
