"""A second dashboard on a folder: it shows the first one's commits instead of indexing the folder again.

The process that holds the index's writer lock watches the folder; any other dashboard (or `serve`
session) on the same folder opens a following store (`IndexedStore` without a writer) and polls the index
for new commits here, in the thread that would otherwise watch. When the writer quits, its lock is free:
the follower takes the writing over and goes on as the watcher.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from store.model.changes import Changes
from store.persistence.indexed_store import IndexedStore

FOLLOW_EVERY = 0.05
"""Seconds between looks at the index (one `PRAGMA data_version`: microseconds): a commit reaches this
dashboard's panes about as soon as the writer's own."""
TAKE_OVER_EVERY = 2.0
"""Seconds between tries for the writer's lock: a folder goes unwatched at most this long after its writer
quits (and the reconcile walk then finds what changed meanwhile)."""


def follow_commits(store: IndexedStore, on_changes: Callable[[Changes], None], stop: threading.Event) -> bool:
    """Report the writer's commits until `stop` is set (False) or this store took the writing over (True)."""
    next_try = time.monotonic() + TAKE_OVER_EVERY
    while not stop.wait(FOLLOW_EVERY):
        changes = store.follow()
        if changes:
            on_changes(changes)
        if time.monotonic() >= next_try:
            if store.take_over():
                return True
            next_try = time.monotonic() + TAKE_OVER_EVERY
    return False
