"""Turn file changes under the watched folder into batches of store updates.

Runs in a thread of its own: watchfiles reports changes (debounced to tens of milliseconds, not its default
1.6 s), the store applies them file by file, and `on_changes` receives one `Changes` per batch — the caller
posts it to the interface thread. Designed around the watcher's known gaps:

- a kernel queue overflow makes notify emit a rescan that watchfiles drops, and folders created later may go
  unwatched past the inotify limit: so after a burst, and every `reconcile_every` seconds, the store is
  reconciled with the folder (one walk comparing size and mtime). The walk runs in a thread of its own, so
  that arrivals never wait for it (it takes seconds at 1,000,000 files), and the timer stretches to keep
  walking under `SCAN_SHARE` of the time;
- deleting the watched root ends its watch for good: the loop notices, reports `missing`, polls until the
  folder is back, reconciles, and watches again;
- running out of inotify watches falls back to polling, with a message;
- one path can be both added and deleted in a batch: paths are re-examined on disk, never trusted from the
  event kind.

It never touches an interface: only the two callbacks, which must be thread-safe (Textual's post_message is).
"""

from __future__ import annotations

import os
import queue
import threading
import time
from collections.abc import Callable
from typing import Literal

import watchfiles

from store.event_store import EventStore, Walk
from store.model.changes import Changes

WatchStatus = Literal["live", "polling", "missing", "stopped"]

DEBOUNCE_MS = 40
"""Changes arriving within 40 ms form one batch: a burst costs one redraw, a single file ~50 ms end to end."""
STEP_MS = 20
BURST = 200
"""A batch this large may have overflowed the kernel's queue: reconcile after it."""
APPLY_CHUNK = 256
"""Paths applied per lock hold, so that the interface's queries get a turn during a burst."""
SCAN_SHARE = 0.05
"""At most this share of the time goes to reconciling walks: ~0.4 s every 30 s at 100,000 files, and at
1,000,000 files a walk every ~2 minutes rather than a walk that never stops."""


class FolderWatcher:
    def __init__(
        self,
        store: EventStore,
        on_changes: Callable[[Changes], None],
        on_status: Callable[[WatchStatus, str], None] = lambda status, detail: None,
        *,
        stop_event: threading.Event | None = None,
        reconcile_every: float = 30.0,
        force_polling: bool = False,
    ) -> None:
        self.store = store
        self.on_changes = on_changes
        self.on_status = on_status
        self.stop_event = stop_event or threading.Event()
        self.reconcile_every = reconcile_every
        self.force_polling = force_polling
        self._scanning: threading.Thread | None = None
        self._scanned: queue.SimpleQueue[Walk] = queue.SimpleQueue()
        """A reconciling walk's findings, from its thread to the watching one."""
        self._scan_again = False
        self._next_reconcile = 0.0

    def stop(self) -> None:
        self.stop_event.set()

    def _report(self, changes: Changes) -> None:
        if changes:
            self.on_changes(changes)

    def _apply(self, paths: list[str]) -> None:
        for start in range(0, len(paths), APPLY_CHUNK):
            if self.stop_event.is_set():  # quitting during a burst: the rest would only delay the exit
                return
            self._report(self.store.apply_paths(paths[start : start + APPLY_CHUNK]))

    def _wait_for_root(self) -> None:
        self.on_status("missing", f"{self.store.root} is gone; waiting for it to come back")
        reported = False
        while not self.stop_event.wait(0.25):
            if os.path.isdir(self.store.root):
                return
            if not reported:
                # The folder's events are gone with it: say so once rather than show a ghost corpus.
                self._report(self.store.reconcile())
                reported = True
                while not self._scanned.empty():  # a walk of the folder as it vanished: worthless now
                    self._scanned.get_nowait()

    def _start_scan(self) -> None:
        """Walk the folder in another thread; `_finish_scan` applies what it found."""
        if self._scanning is not None and self._scanning.is_alive():
            self._scan_again = True  # a burst during a walk: what it missed may lie behind the walk
            return
        self._next_reconcile = float("inf")  # set when this walk ends, from how long it took

        def scan() -> None:
            started = time.monotonic()
            try:
                found = self.store.walk()
            finally:
                took = time.monotonic() - started
                self._next_reconcile = started + max(self.reconcile_every, took / SCAN_SHARE)
            self._scanned.put(found)

        self._scanning = threading.Thread(target=scan, name="communique-reconcile", daemon=True)
        self._scanning.start()

    def _finish_scan(self) -> None:
        try:
            found = self._scanned.get_nowait()
        except queue.Empty:
            return
        self._apply(
            self.store.differences(found)
        )  # in chunks, like a burst: queries get turns, stop is prompt
        if self._scan_again:
            self._scan_again = False
            if self._scanning is not None:
                self._scanning.join(timeout=1.0)  # it has put its answer and is ending
            self._start_scan()

    def run(self) -> None:
        """Watch until stopped; never raises (a failure becomes a status line and a retry)."""
        self._next_reconcile = time.monotonic() + self.reconcile_every
        while not self.stop_event.is_set():
            if not os.path.isdir(self.store.root):
                self._wait_for_root()
                if self.stop_event.is_set():
                    break
                self._report(self.store.reconcile())
            self.on_status("polling" if self.force_polling else "live", "")
            try:
                for batch in watchfiles.watch(
                    self.store.root,
                    watch_filter=None,
                    debounce=DEBOUNCE_MS,
                    step=STEP_MS,
                    stop_event=self.stop_event,
                    rust_timeout=1000,
                    yield_on_timeout=True,
                    raise_interrupt=False,
                    force_polling=self.force_polling,
                    poll_delay_ms=200,
                    ignore_permission_denied=True,
                ):
                    if batch:
                        self._apply(sorted({path for _, path in batch}))
                    self._report(self.store.background_changes())  # (at least once a second)
                    if not os.path.isdir(self.store.root):
                        break
                    if len(batch) >= BURST or time.monotonic() > self._next_reconcile:
                        self._start_scan()
                    self._finish_scan()
            except OSError as error:
                if not self.force_polling and ("inotify" in str(error).lower() or error.errno in (28, 24)):
                    self.force_polling = True
                    self.on_status("polling", "out of inotify watches: polling the folder instead")
                    continue
                if os.path.isdir(self.store.root):
                    self.on_status("missing", f"watching failed: {error}; retrying")
                    self.stop_event.wait(1.0)
            except Exception as error:  # noqa: BLE001 - the monitor must outlive any watcher failure
                self.on_status("missing", f"watching failed: {error}; retrying")
                self.stop_event.wait(1.0)
        self.on_status("stopped", "")
