"""The dashboard: composes the panes, runs the loader and the watcher, and routes every message.

It owns the shared state that no single pane may own: the filter text and the last good query result, the
sort, the event shown in detail and the way back from jumps, the batch of changes the watcher left, the
alert rules in force, the saved filters and the timeline's zoom. It asks the store every question (queries,
counts, timelines, related events, problems, alert hits, exports, the config) and never parses, folds or
indexes anything. Work that can take long runs in thread workers — the initial load, the watcher, the
side-pane counts, the timeline, exports — which talk back only through `post_message` (thread-safe), never by
touching a widget.

Live updates never move the user: the meetings keep their scroll offset and the selected event, the small panes
keep their highlighted row and scroll, the filter text and the focus are left alone.
"""

from __future__ import annotations

import functools
import itertools
import os
import threading
import time
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

from textual import work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Footer, ProgressBar
from textual.worker import Worker, WorkerState, get_current_worker

from store import config as user_config
from store.alerts import AlertBook, AlertHit, AlertRule
from store.event_store import EventStore, QueryResult
from store.exports import export_events
from store.exports.markdown import events_to_markdown
from store.files.event_files import DEFAULT_MAX_BYTES
from store.folder_watcher import FolderWatcher
from store.importers.atomic_write import write_atomically
from store.index.timeline import ZOOMS, Period, Zoom, timeline_for_filter
from store.model.changes import Changes
from store.persistence.loading import load_folder
from store.query import filter_syntax
from tui.alerts_pane import AlertsPane
from tui.capped_list import CAP
from tui.commands import DashboardCommands
from tui.detail_pane import DetailPane
from tui.display_text import one_line
from tui.export_screen import ExportScreen
from tui.filter_bar import FilterBar, FilterInput
from tui.help_screen import HelpScreen
from tui.meetings_view import Follow, MeetingsView
from tui.messages import (
    AggregatesReady,
    ChangesArrived,
    EventHighlighted,
    ExportFinished,
    FilterAnswered,
    FilterEdited,
    JumpToEvent,
    LoadFinished,
    LoadProgress,
    PeriodChosen,
    SortChanged,
    TimelineReady,
    ToggleFilterTerm,
    WatchStatusChanged,
)
from tui.participants_pane import ParticipantsPane
from tui.problems_pane import ProblemsPane
from tui.save_filter_screen import SaveFilterScreen
from tui.status_bar import StatusBar
from tui.timeline_view import TimelineView
from tui.topics_pane import TopicsPane
from tui.xrefs_pane import XrefsPane

PANES = ("meetings", "detail", "participants", "topics", "xrefs", "errors", "alerts", "timeline")
"""Pane ids in the order of the number keys 1…8."""
HIDDEN_PANES = ("errors", "alerts")
"""Panes shown only when asked for (`e`, `a`, or their number key)."""
REQUERY_DURING_LOAD = 0.5
"""Seconds between re-queries while the initial load runs: the first chunk shows at once, then twice a
second, so a 100,000-event folder is browsable while it loads without spending the load on redraws."""
BACKGROUND_PHRASE_TEXTS = 2_000
"""A filter whose phrases need more texts read than this (~40 ms) is answered off the interface thread."""
NOTIFY_SECONDS = 4
"""How long the 'N new events' toast stays: long enough to read, short enough for a monitor left open."""
COUNT_DELAY = 0.12
"""Seconds of quiet before the side panes are recounted: while the user types, only the meetings follow each
keystroke, and the counts (which hold the store's lock for a while over a large result) wait for a pause."""
MAX_HISTORY = 100
"""Jumps remembered for backspace."""
TIMELINE_DELAY = 0.2
"""Seconds between a change (a keystroke, a live batch) and the timeline's recount, at most one recount per
such interval: the bars follow a burst of changes without recounting for each."""
ALERT_SECONDS = 10
"""Alerts stay longer than other toasts: they are what the user left the dashboard open for."""
ALERTS_LISTED = 3
"""Hits named one by one in an alert notification; the rest are counted (the alerts pane has them all)."""


def _while_running(handler: Callable[[CommuniqueApp, Any], None]) -> Callable[[CommuniqueApp, Any], None]:
    """Drop a message that arrives while the app shuts down: the panes it would update may be gone already
    (a worker's last message can land after the screen was taken down)."""

    @functools.wraps(handler)
    def guarded(app: CommuniqueApp, message: Any) -> None:
        if app.is_running:
            handler(app, message)

    return guarded


class LoadCancelled(Exception):
    """Raised inside the loader thread when the app quits mid-load, so that quitting never waits for it."""


def shown_folder(folder: str) -> str:
    """The folder as the status bar shows it: as given, with the home directory shortened to ~."""
    home = os.path.expanduser("~")
    full = os.path.abspath(folder)
    if os.path.isabs(folder) and (full == home or full.startswith(home + os.sep)):
        return "~" + full[len(home) :]
    return folder


class CommuniqueApp(App[None]):
    TITLE = "Communiqué"
    CSS_PATH = "app.tcss"
    COMMANDS = App.COMMANDS | {DashboardCommands}
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (130, "-wide")]

    # Bindings that move the focus are priority bindings (run as the key is read, before the next key is
    # forwarded), so that keys typed ahead land in the pane they were meant for; `check_action` lets them
    # through to a text field where they are text.
    BINDINGS = [
        Binding("q", "quit", "Quit", id="quit"),
        Binding("slash", "focus_filter", "Filter", key_display="/", priority=True, id="focus_filter"),
        Binding("enter", "leave_filter", "Done", show=False, priority=True, id="filter_done"),
        Binding("escape", "leave_filter(True)", "Clear", show=False, priority=True, id="filter_clear"),
        Binding("question_mark", "help", "Help", key_display="?", id="help"),
        Binding("e", "toggle_problems", "Problems", id="toggle_problems"),
        Binding("m", "mark_all_seen", "Mark seen", show=False, id="mark_all_seen"),
        Binding("n", "next_unseen(1)", "Next new", id="next_unseen"),
        Binding("N", "next_unseen(-1)", "Previous new", show=False, id="previous_unseen"),
        Binding("a", "toggle_alerts", "Alerts", id="toggle_alerts"),
        Binding("s", "save_filter", "Save filter", id="save_filter"),
        Binding("x", "export", "Export", id="export"),
        Binding(
            "left_square_bracket",
            "move_period(-1)",
            "Earlier",
            key_display="[",
            show=False,
            id="period_earlier",
        ),
        Binding(
            "right_square_bracket", "move_period(1)", "Later", key_display="]", show=False, id="period_later"
        ),
        Binding("t", "choose_period", "Period", show=False, id="choose_period"),
        Binding("T", "clear_period", "All dates", show=False, id="clear_period"),
        Binding("z", "zoom", "Zoom", show=False, id="zoom"),
        Binding("plus", "zoom('week')", "Zoom in", key_display="+", show=False, id="zoom_in"),
        Binding("minus", "zoom('month')", "Zoom out", key_display="-", show=False, id="zoom_out"),
        Binding("backspace", "jump_back", "Back", id="jump_back"),
        Binding("escape", "focus_pane('meetings')", "Meetings", show=False, id="escape_to_meetings"),
        *(
            Binding(str(number), f"focus_pane('{pane}')", pane, show=False, priority=True, id=f"focus_{pane}")
            for number, pane in enumerate(PANES, 1)
        ),
    ]

    def __init__(
        self,
        folder: str | os.PathLike[str],
        *,
        use_cache: bool = True,
        follow_symlinks: bool = False,
        max_bytes: int = DEFAULT_MAX_BYTES,
        live: bool = True,
        alerts: Iterable[tuple[str, str]] = (),
        config: user_config.Config | None = None,
    ) -> None:
        """`alerts`: (name, filter) rules from the command line, after the config file's; `config`: the
        settings as the command line read them (None: read them here, and show what was wrong with them)."""
        super().__init__()
        self.folder = os.fspath(folder)
        self.store = EventStore(self.folder, follow_symlinks=follow_symlinks, max_bytes=max_bytes)
        self.use_cache = use_cache
        self.live = live
        """False: load once and never watch the folder (a frozen view, and screenshots that must not change)."""
        self.sort_column, self.descending = "date", True
        self.good_filter = ""
        self._searching_for = ""
        """The filter last sent to be answered in a thread (see `on_filter_edited`)."""
        """The last filter text that parsed: live updates re-run it while the input holds a malformed one."""
        self.result: QueryResult | None = None
        self.loaded = False
        self.shown_id: str | None = None
        """The event in the detail pane (usually the meetings' selection; a jump may show a filtered-out one)."""
        self.history: list[str] = []
        self.generation = 0
        """Counts queries, so that side-pane counts finishing out of order are dropped."""
        self.counted_generation = 0
        """The query whose counts the side panes show (equal to `generation` once they caught up)."""
        self.stop_watching = threading.Event()
        self._pending = Changes()
        self._pending_lock = threading.Lock()
        self._pending_posted = False
        self._last_load_query = 0.0
        self._count_timer: Timer | None = None
        self.startup_warnings: list[str] = []
        """One line per thing wrong with the config or the alert rules, shown once the screen is up."""
        if config is None:
            config, self.startup_warnings = user_config.load_config()
        self.config = config
        self.alert_book = AlertBook([*config.alerts, *(AlertRule(name, text) for name, text in alerts)])
        self.startup_warnings += self.alert_book.problems
        self.saved_filters: dict[str, str] = dict(config.saved_filters)
        """Name → filter, as the command palette offers them."""
        self.timeline_zoom: Zoom = "month"
        self._timeline_timer: Timer | None = None
        self._timeline_request = 0
        self._timeline_shown = 0

    # -- layout --------------------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield FilterBar(id="filter-bar")
        yield ProgressBar(id="progress", show_eta=False)
        with Horizontal(id="body"):
            with Vertical(id="left"):
                yield TimelineView(id="timeline")
                yield MeetingsView(self.store, id="meetings")
                with Horizontal(id="lists"):
                    yield ParticipantsPane(id="participants")
                    yield TopicsPane(id="topics")
            with Vertical(id="right"):
                yield DetailPane(id="detail")
                yield XrefsPane(id="xrefs")
        yield ProblemsPane(id="errors")
        yield AlertsPane(id="alerts")
        yield StatusBar(shown_folder(self.folder), id="status")
        yield Footer()

    def on_mount(self) -> None:
        self.meetings.border_title = "Meetings"
        self.detail.border_title = "Detail"
        for pane in HIDDEN_PANES:
            self.query_one(f"#{pane}").display = False
        self.alerts_pane.set_rules(len(self.alert_book.rules))
        self.alerts_pane.show([])
        if self.config.theme:
            if self.config.theme in self.available_themes:
                self.theme = self.config.theme
            else:
                self.startup_warnings.append(
                    f"unknown theme {self.config.theme!r} in the config; using the default"
                )
        for warning in self.startup_warnings:
            self.notify(one_line(warning), severity="warning", markup=False, timeout=10)
        self.meetings.focus()
        self.load_events()

    def on_unmount(self) -> None:
        self.stop_watching.set()

    async def action_quit(self) -> None:
        self.stop_watching.set()  # the watcher thread ends within one watch step, so exiting never waits
        self.exit()

    @property
    def meetings(self) -> MeetingsView:
        return self.query_one("#meetings", MeetingsView)

    @property
    def detail(self) -> DetailPane:
        return self.query_one("#detail", DetailPane)

    @property
    def status(self) -> StatusBar:
        return self.query_one("#status", StatusBar)

    @property
    def filter_bar(self) -> FilterBar:
        return self.query_one("#filter-bar", FilterBar)

    @property
    def timeline(self) -> TimelineView:
        return self.query_one("#timeline", TimelineView)

    @property
    def alerts_pane(self) -> AlertsPane:
        return self.query_one("#alerts", AlertsPane)

    # -- loading -------------------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, exit_on_error=False, group="load", description="Loading the folder")
    def load_events(self) -> None:
        worker = get_current_worker()

        def progress(done: int, total: int) -> None:
            if worker.is_cancelled or self.stop_watching.is_set():
                raise LoadCancelled
            self.post_message(LoadProgress(done, total))

        try:
            load_folder(self.store, use_cache=self.use_cache, progress=progress, warn=self.warn_from_thread)
        except LoadCancelled:
            return
        self.post_message(LoadFinished())

    def warn_from_thread(self, message: str) -> None:
        """A warning of the load (a cache that cannot be trusted), shown as the config's are."""
        self.call_from_thread(self.notify, one_line(message), severity="warning", markup=False, timeout=10)

    @_while_running
    def on_load_progress(self, message: LoadProgress) -> None:
        bar = self.query_one("#progress", ProgressBar)
        bar.update(total=max(message.total, 1), progress=message.done)
        percent = 100 * message.done // max(message.total, 1)
        self.status.set(loaded=len(self.store), loading=f"{percent}%")
        now = time.monotonic()
        if now - self._last_load_query >= REQUERY_DURING_LOAD:
            self._last_load_query = now
            self.refresh_result(follow="top" if self._untouched() else "scroll")

    @_while_running
    def on_load_finished(self, message: LoadFinished) -> None:
        if message.error:
            self.notify(one_line(message.error), title="Loading failed", severity="error", markup=False)
        self.loaded = True
        self.query_one("#progress").display = False
        self.meetings.empty_message = "No event matches the filter"
        self.timeline.empty_message = "No event matches the filter"
        self.meetings.forget()  # a duplicate id settled during the load may have replaced a shown event
        self.meetings.set_stale(self.store.stale_ids())
        self.refresh_result(follow="top" if self._untouched() else "scroll")
        self.show_problems()
        self.status.set(loading="")
        if self.live:
            self.watch_folder()
        else:
            self.status.set(watch="stopped")

    def _untouched(self) -> bool:
        """Nothing chosen yet (no cursor move, no filter): the load may keep the newest event on top.

        Files load in path order, so later chunks often hold newer events; until the user picks something,
        following the first chunk's top row down the list would hide the newest events above the view."""
        return (
            not self.meetings.user_moved
            and not self.filter_bar.input.value
            and self.shown_id
            in (
                None,
                self.meetings.selected_id,
            )
        )

    # -- watching ------------------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, exit_on_error=False, group="watch", description="Watching the folder")
    def watch_folder(self) -> None:
        # Files that changed while the load ran were not seen by any watch: one walk catches them.
        if not self.stop_watching.is_set():
            self.collect_changes(self.store.reconcile())
        watcher = FolderWatcher(
            self.store,
            on_changes=self.collect_changes,
            on_status=lambda status, detail: self.post_message(WatchStatusChanged(status, detail)),
            stop_event=self.stop_watching,
        )
        watcher.run()

    def collect_changes(self, changes: Changes) -> None:
        """Called in the watcher's thread: merge the batch and wake the app once per burst (back-pressure:
        however fast changes come, at most one message waits in the queue)."""
        if not changes:
            return
        with self._pending_lock:
            self._pending.merge(changes)
            if self._pending_posted:
                return
            self._pending_posted = True
        self.post_message(ChangesArrived())

    @_while_running
    def on_changes_arrived(self, message: ChangesArrived) -> None:
        with self._pending_lock:
            changes, self._pending = self._pending, Changes()
            self._pending_posted = False
        if changes:
            self.apply_changes(changes)

    def apply_changes(self, changes: Changes) -> None:
        """Show one batch of store changes without moving the cursor, the scroll, the filter or the focus."""
        meetings = self.meetings
        touched = changes.added | changes.changed | changes.removed
        following = self.shown_id == meetings.selected_id
        with self.batch_update():
            meetings.forget(touched)
            meetings.mark(changes.added | changes.changed)
            meetings.unmark(changes.removed)
            meetings.set_stale(self.store.stale_ids())
            self.refresh_result(follow="scroll", text=self.good_filter)
            if following:
                # The detail follows the cursor (to a neighbour, if the event left); related events may
                # have changed with any batch.
                self.show_event(meetings.selected_id)
            elif self.shown_id in touched:
                self.show_event(self.shown_id)
            if changes.problems_changed:
                self.show_problems()
            self.status.set(unseen=len(meetings.marks))
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
        history = self.alert_book.history()
        self.meetings.set_alerted(self.alert_book.alerted_ids())
        self.alerts_pane.show(history)
        self.status.set(alerts=len(history))
        if len(hits) == 1:
            title = f"Alert: {one_line(hits[0].rule.name)}"
        else:
            title = f"{len(hits):,} alerts"
        lines = [_hit_line(hit, named=len(hits) > 1) for hit in hits[:ALERTS_LISTED]]
        if len(hits) > ALERTS_LISTED:
            lines.append(f"… and {len(hits) - ALERTS_LISTED:,} more: a shows them all")
        self.notify("\n".join(lines), title=title, severity="warning", timeout=ALERT_SECONDS, markup=False)
        if self.config.bell:
            self.bell()

    @_while_running
    def on_watch_status_changed(self, message: WatchStatusChanged) -> None:
        self.status.set(watch=message.status)
        if message.detail and message.status in ("missing", "polling"):
            self.notify(one_line(message.detail), severity="warning", markup=False)

    @_while_running
    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if event.state != WorkerState.ERROR:
            return
        error = one_line(worker.error) if worker.error is not None else "unknown error"
        self.notify(f"{worker.description} failed: {error}", severity="error", markup=False, timeout=10)
        if worker.group == "load":
            self.post_message(LoadFinished(error=error))
        elif worker.group == "watch":
            self.status.set(watch="stopped")

    # -- the query and the panes ---------------------------------------------------------------------------

    def refresh_result(self, *, follow: Follow, text: str | None = None) -> bool:
        """Run the filter and show the answer in every pane; False (and a message) for a malformed filter."""
        text = self.filter_bar.input.value if text is None else text
        try:
            result = self.store.query(text, sort=self.sort_column, descending=self.descending)
        except filter_syntax.FilterError as error:
            self.filter_bar.show_error(_filter_message(error), getattr(error, "position", None))
            return False
        self.show_answer(text, result, follow=follow)
        return True

    def show_answer(self, text: str, result: QueryResult, *, follow: Follow) -> None:
        """Show a filter's answer in every pane (from `refresh_result`, or from a thread that answered it)."""
        if text == self.filter_bar.input.value:
            self.filter_bar.clear_error()
            self.status.set(searching=False)
        self.good_filter = text
        self.result = result
        self.meetings.show_result(result.ids, result.highlight, follow=follow)
        self.status.set(loaded=len(self.store), matching=len(result.ids), unseen=len(self.meetings.marks))
        self.generation += 1
        if self._count_timer is not None:
            self._count_timer.stop()
        self._count_timer = self.set_timer(
            COUNT_DELAY, functools.partial(self.count_aggregates, self.generation, result)
        )
        self.schedule_timeline()

    def schedule_timeline(self) -> None:
        """Recount the timeline soon, for whatever the filter and zoom are then (one recount per interval)."""
        if self._timeline_timer is None:
            self._timeline_timer = self.set_timer(TIMELINE_DELAY, self._start_timeline)

    def _start_timeline(self) -> None:
        self._timeline_timer = None
        self._timeline_request += 1
        self.count_timeline(self._timeline_request, self.good_filter, self.timeline_zoom)

    @work(
        thread=True,
        exclusive=True,
        exit_on_error=False,
        group="timeline",
        description="Counting the timeline",
    )
    def count_timeline(self, request: int, text: str, zoom: Zoom) -> None:
        try:
            timeline = timeline_for_filter(self.store, text, zoom)
        except filter_syntax.FilterError:
            return  # only good filters are asked for; one that fails now was replaced already
        if not get_current_worker().is_cancelled:
            self.post_message(TimelineReady(request, timeline))

    @_while_running
    def on_timeline_ready(self, message: TimelineReady) -> None:
        if message.request == self._timeline_request:
            self.timeline.show(message.timeline)
            self._timeline_shown = message.request

    @property
    def timeline_settled(self) -> bool:
        """The timeline shows the counts of the filter and zoom in force (no recount pending)."""
        return self._timeline_timer is None and self._timeline_shown == self._timeline_request

    @work(thread=True, exclusive=True, exit_on_error=False, group="aggregates", description="Counting")
    def count_aggregates(self, generation: int, result: QueryResult) -> None:
        people = self.store.participants(result)
        topics = self.store.topics(result)
        if not get_current_worker().is_cancelled:
            self.post_message(
                AggregatesReady(generation, people[:CAP], len(people), topics[:CAP], len(topics))
            )

    @_while_running
    def on_aggregates_ready(self, message: AggregatesReady) -> None:
        if message.generation != self.generation:
            return  # a newer query's counts are on their way
        self.query_one("#participants", ParticipantsPane).show(
            message.participants, message.participant_total
        )
        self.query_one("#topics", TopicsPane).show(message.topics, message.topic_total)
        self.counted_generation = message.generation

    def show_event(self, event_id: str | None) -> None:
        """Fill the detail and cross-reference panes for one event (None: nothing selected)."""
        self.shown_id = event_id
        event = self.store.get(event_id) if event_id is not None else None
        highlight = self.result.highlight if self.result else []
        self.detail.show(
            event, highlight=highlight, stale=event is not None and event.id in self.meetings.stale
        )
        try:
            relations = self.store.related(event_id) if event is not None and event_id is not None else []
        except KeyError:
            relations = []
        self.query_one("#xrefs", XrefsPane).show(relations)

    def show_problems(self) -> None:
        files = len(self.store.problem_files())
        self.query_one("#errors", ProblemsPane).show(self.store.problems(), files)
        self.status.set(problem_files=files)

    @_while_running
    def on_event_highlighted(self, message: EventHighlighted) -> None:
        self.show_event(message.event_id)
        self.status.set(unseen=len(self.meetings.marks))  # the cursor on a ● event counts it as seen

    @_while_running
    def on_filter_edited(self, message: FilterEdited) -> None:
        # A new phrase of common words is read in thousands of texts (a second at 100,000 events, ten at
        # 1,000,000): that filter is answered in a thread, and the interface stays with the user meanwhile.
        if self.store.unchecked_phrase_texts(message.text) > BACKGROUND_PHRASE_TEXTS:
            self.status.set(searching=True)
            self._searching_for = message.text
            self.answer_filter(message.text, self.sort_column, self.descending)
        else:
            self.refresh_result(follow="selection", text=message.text)

    @work(thread=True, exclusive=True, exit_on_error=False, group="filter", description="Searching")
    def answer_filter(self, text: str, sort: str, descending: bool) -> None:
        result = self.store.query(text, sort=sort, descending=descending)
        if not get_current_worker().is_cancelled:
            self.post_message(FilterAnswered(text, result))

    @_while_running
    def on_filter_answered(self, message: FilterAnswered) -> None:
        if message.text == self._searching_for:  # the last search asked for: none is running now
            self.status.set(searching=False)
        if message.text == self.filter_bar.input.value:  # else a later keystroke has its own answer coming
            self.show_answer(message.text, message.result, follow="selection")

    @_while_running
    def on_sort_changed(self, message: SortChanged) -> None:
        self.action_sort(message.column, message.descending)

    @_while_running
    def on_toggle_filter_term(self, message: ToggleFilterTerm) -> None:
        self.set_filter(filter_syntax.toggle_term(self.filter_bar.input.value, message.field, message.value))

    def set_filter(self, text: str) -> None:
        """Put new text in the filter bar (the answer follows, as when typed); the focus stays where it is."""
        field_input = self.filter_bar.input
        field_input.value = text
        field_input.cursor_position = len(text)

    @_while_running
    def on_period_chosen(self, message: PeriodChosen) -> None:
        self.choose_period(message.period)

    def choose_period(self, period: Period) -> None:
        """Narrow the filter to a period of the timeline; the period it is narrowed to already widens it."""
        timeline = self.timeline.timeline
        if (timeline.first, timeline.last) == (period.first_day, period.last_day):
            first = last = ""
        elif timeline.zoom == "month":
            first = last = period.label  # from:2023-05 to:2023-05 reads better than the days
        else:
            first, last = period.first_day, period.last_day
        self.set_filter(filter_syntax.with_date_range(self.filter_bar.input.value, first, last))

    @_while_running
    def on_jump_to_event(self, message: JumpToEvent) -> None:
        if self.shown_id is not None and self.shown_id != message.event_id:
            self.history = [*self.history, self.shown_id][-MAX_HISTORY:]
        self.select_event(message.event_id)

    def select_event(self, event_id: str) -> None:
        if self.meetings.select_id(event_id):
            if (
                self.shown_id != event_id
            ):  # already under the cursor (back from a hidden event): no announcement
                self.show_event(event_id)
            return
        if self.store.get(event_id) is None:
            self.notify("That event is no longer in the folder.", severity="warning", markup=False)
            return
        self.show_event(event_id)
        self.notify("That event is hidden by the filter: shown in the detail pane only.", markup=False)

    # -- actions -------------------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        in_filter = isinstance(self.focused, FilterInput)
        on_main_screen = len(self.screen_stack) == 1
        if action == "leave_filter":
            return in_filter
        if action in ("focus_filter", "focus_pane"):
            return on_main_screen and not in_filter
        if action in MAIN_SCREEN_ACTIONS:
            return on_main_screen  # no dialog over a dialog
        return True

    def focus_now(self, widget: Widget) -> None:
        """Move the focus before the next key is read (`Widget.focus` waits for the queue to drain)."""
        self.screen.set_focus(widget)

    def action_focus_filter(self) -> None:
        self.focus_now(self.filter_bar.input)

    def action_leave_filter(self, clear: bool = False) -> None:
        if clear:
            self.filter_bar.input.value = ""
        self.focus_now(self.meetings)

    def action_clear_filter(self) -> None:
        self.filter_bar.input.value = ""

    def action_focus_next(self) -> None:
        self._focus_neighbour(1)

    def action_focus_previous(self) -> None:
        self._focus_neighbour(-1)

    def _focus_neighbour(self, step: int) -> None:
        """Tab walks the panes in the order of their numbers (1–8), skipping hidden ones, then the filter,
        instead of the layout's order; dialogs above the dashboard keep Textual's own chain."""
        if self.screen is not self.screen_stack[0]:
            if step > 0:
                super().action_focus_next()
            else:
                super().action_focus_previous()
            return
        shown = [pane for pane in PANES if self.query_one(f"#{pane}").display] + ["filter"]
        focused = self.focused
        current = next((pane for pane in shown if focused is not None and focused.id == pane), None)
        index = shown.index(current) + step if current else (0 if step > 0 else -1)
        self.focus_now(self.query_one(f"#{shown[index % len(shown)]}"))

    def action_focus_pane(self, pane: str) -> None:
        widget: Widget = self.query_one(f"#{pane}")
        if pane in HIDDEN_PANES:
            widget.display = True
        self.focus_now(widget)

    def action_toggle_problems(self) -> None:
        problems = self.query_one("#errors", ProblemsPane)
        problems.display = not problems.display
        if not problems.display and self.focused is problems:
            self.focus_now(self.meetings)

    def action_toggle_alerts(self) -> None:
        """Show the alerts pane and go there, or hide it (back to the meetings if it had the focus)."""
        alerts = self.alerts_pane
        alerts.display = not alerts.display
        if alerts.display:
            self.focus_now(alerts)
        elif self.focused is alerts:
            self.focus_now(self.meetings)

    def action_clear_alerts(self) -> None:
        self.alert_book.clear_history()
        self.meetings.set_alerted(())
        self.alerts_pane.show([])
        self.status.set(alerts=0)

    def action_move_period(self, step: int) -> None:
        self.timeline.move(step)

    def action_choose_period(self) -> None:
        period = self.timeline.cursor_period
        if period is None:
            self.bell()
            return
        self.choose_period(period)

    def action_clear_period(self) -> None:
        self.set_filter(filter_syntax.with_date_range(self.filter_bar.input.value))

    def action_zoom(self, zoom: str = "") -> None:
        """Count the timeline by another period (no argument: the other one)."""
        chosen = next((z for z in ZOOMS if z == zoom), None) or ZOOMS[1 - ZOOMS.index(self.timeline_zoom)]
        if chosen != self.timeline_zoom:
            self.timeline_zoom = chosen
            self.schedule_timeline()

    def action_save_filter(self) -> None:
        text = self.filter_bar.input.value.strip()
        if not text:
            self.notify(
                "The filter is empty: type one (/), then s to save it.", severity="warning", markup=False
            )
            return
        if self.filter_bar.error_text:
            self.notify("The filter is malformed: fix it before saving it.", severity="warning", markup=False)
            return
        self.push_screen(
            SaveFilterScreen(text, self.saved_filters, functools.partial(self.save_filter, text))
        )

    def save_filter(self, text: str, name: str) -> str | None:
        """Save a named filter through the config; None when saved, else why not (one line)."""
        try:
            self.saved_filters = user_config.save_filter(name, text)
        except user_config.ConfigError as error:
            return one_line(error)
        self.notify(f"Filter saved as {name!r}: ctrl+p recalls it.", markup=False)
        return None

    def recall_filter(self, name: str) -> None:
        text = self.saved_filters.get(name)
        if text is not None:
            self.set_filter(text)

    def forget_filter(self, name: str) -> None:
        try:
            self.saved_filters = user_config.forget_filter(name)
        except user_config.ConfigError as error:
            self.notify(one_line(error), severity="error", markup=False)
            return
        still = " (config.toml keeps its own)" if name in self.saved_filters else ""
        self.notify(f"Forgot the saved filter {name!r}{still}.", markup=False)

    def action_export(self) -> None:
        if self.result is None:
            self.notify("Nothing to export yet.", severity="warning", markup=False)
            return
        self.push_screen(
            ExportScreen(
                len(self.result.ids), self.store.root, functools.partial(self.start_export, self.result)
            )
        )

    def start_export(self, result: QueryResult, fmt: str, target: str) -> str | None:
        self.export_matching(result, fmt, target)
        return None

    @work(thread=True, exit_on_error=False, group="export", description="Exporting")
    def export_matching(self, result: QueryResult, fmt: str, target: str) -> None:
        events = [event for event in map(self.store.get, result.ids) if event is not None]
        if fmt == "md":  # the brief records what it answers and when
            made = datetime.now().astimezone()
            text = events_to_markdown(events, self.store.related, filter_text=self.good_filter, made=made)
        else:
            text = export_events(events, fmt, related=self.store.related, stale=self.store.stale_ids())
        write_atomically(Path(target), text.encode("utf-8"))
        self.post_message(ExportFinished(target, len(events), fmt))

    @_while_running
    def on_export_finished(self, message: ExportFinished) -> None:
        noun = "event" if message.events == 1 else "events"
        self.notify(f"{message.events:,} {noun} written to {one_line(message.path)}", markup=False)

    def action_mark_all_seen(self) -> None:
        self.meetings.mark_all_seen()
        self.status.set(unseen=0)

    def action_next_unseen(self, step: int) -> None:
        """Put the cursor on the next / previous new or changed event (●) of the meetings."""
        if not self.meetings.next_unseen(step):
            self.notify("No new or changed event among the matching ones.", markup=False)
            return
        self.focus_now(self.meetings)

    def action_jump_back(self) -> None:
        if not self.history:
            self.bell()
            return
        *self.history, event_id = self.history
        self.select_event(event_id)

    def action_sort(self, column: str, descending: bool | None = None) -> None:
        if descending is None:
            descending = (
                not self.descending if column == self.sort_column else column in ("date", "participants")
            )
        self.sort_column, self.descending = column, descending
        self.meetings.set_sort(column, descending)
        self.refresh_result(follow="selection", text=self.good_filter)

    def action_reverse_sort(self) -> None:
        self.action_sort(self.sort_column, not self.descending)

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())


MAIN_SCREEN_ACTIONS = frozenset(
    {"toggle_alerts", "save_filter", "export", "choose_period", "clear_period", "move_period", "zoom"}
)
"""Actions that open a dialog or change the dashboard under it: not while a dialog or the help is open."""


def _hit_line(hit: AlertHit, *, named: bool) -> str:
    """One line of an alert notification: the event (and the rule, when several fired)."""
    event = _titled(hit.title, hit.date)
    return f"{one_line(hit.rule.name)}: {event}" if named else event


def _titled(title: str, date: str) -> str:
    """An event in one line of a notification: its title (and date)."""
    return f"{one_line(title)} ({one_line(date)})" if date else one_line(title)


def _filter_message(error: Exception) -> str:
    message = getattr(error, "message", None)
    return str(message if message else error)


def _changes_summary(changes: Changes) -> str:
    parts = []
    if changes.added:
        parts.append(f"{len(changes.added):,} new event{'s' * (len(changes.added) != 1)}")
    if changes.changed:
        parts.append(f"{len(changes.changed):,} changed")
    if changes.removed:
        parts.append(f"{len(changes.removed):,} removed")
    return ", ".join(parts)
