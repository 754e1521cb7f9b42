"""The live feed: the initial load and the folder watcher, and how their changes reach the screen.

Both run in thread workers and talk back only through `post_message`. The watcher's batches are merged here
(`collect_changes`, in the watcher's thread), so that however fast changes come at most one `ChangesArrived`
waits in the queue (back-pressure); `apply_changes` then shows a batch without moving the cursor, the scroll,
the filter or the focus: it sets the shared state the batch changes (`last_changes`, from which the meetings
mark new and changed rows themselves, and `stale`), asks the question in force again, follows the selected
event, and tells the user what arrived and what the alert rules fired on.
"""

from __future__ import annotations

import itertools
import time

from textual import work
from textual.widgets import ProgressBar
from textual.worker import Worker, WorkerState, get_current_worker

from store.alerts import AlertHit
from store.folder_watcher import FolderWatcher
from store.model.changes import Changes
from store.persistence.commit_follower import follow_commits
from store.persistence.indexed_store import IndexedStore
from store.persistence.loading import load_folder
from tui.answers import ChangeBatch
from tui.dashboard.answering import Answering
from tui.dashboard.state import while_running
from tui.display_text import one_line
from tui.messages import (
    ChangesArrived,
    LoadFinished,
    LoadProgress,
    WatchStatusChanged,
)

REQUERY_DURING_LOAD = 0.5
"""Seconds between re-queries while the initial load runs: the first chunk shows at once, then twice a
second, so a 100,000-event folder is browsable while it loads without spending the load on redraws."""

NOTIFY_SECONDS = 4
"""How long the 'N new events' toast stays: long enough to read, short enough for a monitor left open."""

ALERT_SECONDS = 10
"""Alerts stay longer than other toasts: they are what the user left the dashboard open for."""

ALERTS_LISTED = 3
"""Hits named one by one in an alert notification; the rest are counted (the alerts pane has them all)."""


class LoadCancelled(Exception):
    """Raised inside the loader thread when the app quits mid-load, so that quitting never waits for it."""


class Feed(Answering):
    """The initial load and the folder watcher, both in thread workers, and what their changes do here."""

    @work(thread=True, exclusive=True, exit_on_error=False, group="load", description="Loading the folder")
    def load_events(self) -> None:
        worker = get_current_worker()

        def progress(done: int, total: int) -> None:
            if worker.is_cancelled or self.stop_watching.is_set():
                raise LoadCancelled
            self.post_message(LoadProgress(done, total))

        try:
            load_folder(self.store, progress=progress)
        except LoadCancelled:
            return
        self.post_message(LoadFinished())

    @while_running
    def on_load_progress(self, message: LoadProgress) -> None:
        bar = self.query_one("#progress", ProgressBar)
        bar.update(total=max(message.total, 1), progress=message.done)
        percent = 100 * message.done // max(message.total, 1)
        self.set_status(loaded=len(self.store), loading=f"{percent}%")
        now = time.monotonic()
        if now - self._last_load_query >= REQUERY_DURING_LOAD:
            self._last_load_query = now
            self.generation += 1
            self.refresh_result(follow="load", text=self.filter_text)

    @while_running
    def on_load_finished(self, message: LoadFinished) -> None:
        if message.error:
            self.notify(one_line(message.error), title="Loading failed", severity="error", markup=False)
        self.loaded = True  # bound: the meetings forget every kept event (duplicates were settled) and say so
        self.query_one("#progress").display = False
        self.stale = frozenset(self.store.stale_ids())
        self.generation += 1
        self.refresh_result(follow="load", text=self.filter_text)
        self.show_problems()
        self.set_status(loading="")
        if self.live:
            self.watch_folder()
        else:
            self.set_status(watch="stopped")

    @work(thread=True, exclusive=True, exit_on_error=False, group="watch", description="Watching the folder")
    def watch_folder(self) -> None:
        if self.store.following:  # another dashboard writes the index: show its commits until it quits
            assert isinstance(self.store, IndexedStore)
            self._post(WatchStatusChanged("live", ""))
            if not follow_commits(self.store, self.collect_changes, self.stop_watching):
                return
        # Files that changed while the load ran were not seen by any watch: one walk catches them.
        if not self.stop_watching.is_set():
            self.collect_changes(self.store.reconcile())
        watcher = FolderWatcher(
            self.store,
            on_changes=self.collect_changes,
            on_status=lambda status, detail: self._post(WatchStatusChanged(status, detail)),
            stop_event=self.stop_watching,
        )
        watcher.run()

    def _post(self, message: WatchStatusChanged) -> None:
        self.post_message(message)

    def collect_changes(self, changes: Changes) -> None:
        """Called in the watcher's thread: merge the batch and wake the screen once per burst (back-pressure:
        however fast changes come, at most one message waits in the queue)."""
        if not changes:
            return
        with self._pending_lock:
            self._pending.merge(changes)
            if self._pending_posted:
                return
            self._pending_posted = True
        self.post_message(ChangesArrived())

    @while_running
    def on_changes_arrived(self, message: ChangesArrived) -> None:
        with self._pending_lock:
            changes, self._pending = self._pending, Changes()
            self._pending_posted = False
        if changes:
            self.apply_changes(changes)

    def apply_changes(self, changes: Changes) -> None:
        """Show one batch of store changes without moving the cursor, the scroll, the filter or the focus."""
        touched = changes.added | changes.changed | changes.removed
        following = self.selection == self.highlighted
        self.generation += 1
        with self.app.batch_update():
            self.last_changes = ChangeBatch(self.generation, changes)  # bound: the meetings forget and mark
            self.stale = frozenset(self.store.stale_ids())
            self.ask(self.question.text, follow="scroll")
            if following:
                # The detail follows the cursor: when its event left, the meetings announce the neighbour
                # (`Highlighted`); else it is asked about again, since related events may change with any batch.
                if self.selection is not None and self.selection not in changes.removed:
                    self.show_event(self.selection)
            elif self.selection in touched:
                self.show_event(self.selection)
            if changes.problems_changed:
                self.show_problems()
            hits = self.alert_book.check(self.store, changes)
            if hits:
                self.show_alerts(hits)
        summary = _changes_summary(changes)
        if summary:
            arrived = itertools.islice(changes.added | changes.changed, ALERTS_LISTED * 2)
            named = [line for line in map(self._event_line, arrived) if line][:ALERTS_LISTED]
            if changes.added or changes.changed:
                named.append("n jumps to the next new or changed event (●)")
            self.notify("\n".join([summary, *named]), timeout=NOTIFY_SECONDS, markup=False)

    def _event_line(self, event_id: str) -> str:
        """An event as a notification names it: title (date), as alerts do; '' when it is gone."""
        event = self.store.get(event_id)
        if event is None:
            return ""
        return _titled(event.title, event.date)

    def show_alerts(self, hits: list[AlertHit]) -> None:
        """Tell the user what the alert rules fired on: a toast, the bell, marks and the alerts pane."""
        self.show_alert_history()
        if len(hits) == 1:
            title = f"Alert: {one_line(hits[0].rule.name)}"
        else:
            title = f"{len(hits):,} alerts"
        lines = [_hit_line(hit, named=len(hits) > 1) for hit in hits[:ALERTS_LISTED]]
        if len(hits) > ALERTS_LISTED:
            lines.append(f"… and {len(hits) - ALERTS_LISTED:,} more: a shows them all")
        self.notify("\n".join(lines), title=title, severity="warning", timeout=ALERT_SECONDS, markup=False)
        if self.main_app.config.bell:
            self.app.bell()

    @while_running
    def on_watch_status_changed(self, message: WatchStatusChanged) -> None:
        self.set_status(watch=message.status)
        if message.detail and message.status in ("missing", "polling"):
            self.notify(one_line(message.detail), severity="warning", markup=False)

    @while_running
    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """What a failed load or watch leaves behind here (the app tells the user; the message goes on to it)."""
        if event.state != WorkerState.ERROR:
            return
        if event.worker.group == "load":
            error = one_line(event.worker.error) if event.worker.error is not None else "unknown error"
            self.post_message(LoadFinished(error=error))
        elif event.worker.group == "watch":
            self.set_status(watch="stopped")


def _hit_line(hit: AlertHit, *, named: bool) -> str:
    """One line of an alert notification: the event (and the rule, when several fired)."""
    event = _titled(hit.title, hit.date)
    return f"{one_line(hit.rule.name)}: {event}" if named else event


def _titled(title: str, date: str) -> str:
    """An event in one line of a notification: its title (and date)."""
    return f"{one_line(title)} ({one_line(date)})" if date else one_line(title)


def _changes_summary(changes: Changes) -> str:
    parts = []
    if changes.added:
        parts.append(f"{len(changes.added):,} new event{'s' * (len(changes.added) != 1)}")
    if changes.changed:
        parts.append(f"{len(changes.changed):,} changed")
    if changes.removed:
        parts.append(f"{len(changes.removed):,} removed")
    return ", ".join(parts)
