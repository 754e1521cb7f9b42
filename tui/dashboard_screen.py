"""The dashboard screen: the panes, the shared state they show, and the workers that fill it.

It owns the state that no single pane may own, as reactives bound into the panes (`data_bind`, as toolong's
`LogView` does): the filter text, the answer shown (`answer`), the sort, the selected event (`selection`),
the timeline's zoom, the side panes' counts, the timeline's counts, the selected event in full and its related
events, the problem lines, the alert history and the status bar's numbers. A pane that declares a reactive of one
of these names receives it (see `tui.panes`); the screen never pushes the shared state into panes by hand.
Every answer carries the `Question` it answers (`tui.answers`), and `answer.answers(self.question)` is the one
test of whether an answer that comes back from a worker is still current.

It also keeps the way back from jumps, the batch of changes the watcher left, and asks the store every
question (queries, counts, timelines, related events, problems, alert hits, exports); it never parses, folds
or indexes anything. Work that can take long runs in thread workers — the initial load, the watcher, the side
panes' counts, the timeline, searches of long phrases, exports — which talk back only through
`post_message`, never by touching a widget or a reactive.

Live updates never move the user: the meetings keep their scroll offset and the selected event, the small panes
keep their highlighted row and scroll, the filter text and the focus are left alone.
"""

from __future__ import annotations

import functools
import itertools
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.reactive import var
from textual.screen import Screen
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Footer, ProgressBar
from textual.worker import Worker, WorkerState, get_current_worker

from store.alerts import AlertBook, AlertHit
from store.event_store import EventStore
from store.exports import export_events
from store.exports.markdown import events_to_markdown
from store.folder_watcher import FolderWatcher
from store.importers.atomic_write import write_atomically
from store.index.timeline import ZOOMS, Period, Zoom, timeline_for_filter
from store.model.changes import Changes
from store.persistence.loading import load_folder
from store.query import filter_syntax
from tui.alerts_pane import AlertsPane
from tui.answers import (
    AlertHistory,
    Counts,
    Detail,
    Follow,
    Matches,
    Problems,
    Question,
    Related,
    Sort,
    TimelineCounts,
)
from tui.capped_list import CAP
from tui.detail_pane import DetailPane
from tui.display_text import one_line
from tui.export_screen import ExportScreen
from tui.filter_bar import FilterBar, FilterInput
from tui.meetings_view import MeetingsView
from tui.messages import (
    Answered,
    ChangesArrived,
    ExportFinished,
    JumpToEvent,
    LoadFinished,
    LoadProgress,
    ToggleFilterTerm,
    WatchStatusChanged,
)
from tui.panes import PANES, in_slot
from tui.problems_pane import ProblemsPane
from tui.save_filter_screen import SaveFilterScreen
from tui.status_bar import Status, StatusBar
from tui.timeline_view import TimelineView

if TYPE_CHECKING:
    from tui.app import CommuniqueApp

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


def _while_running(handler: Callable[[DashboardScreen, Any], None]) -> Callable[[DashboardScreen, Any], None]:
    """Drop a message that arrives while the app shuts down: the panes it would update may be gone already
    (a worker's last message can land after the screen was taken down)."""

    @functools.wraps(handler)
    def guarded(screen: DashboardScreen, message: Any) -> None:
        if screen.app.is_running:
            handler(screen, message)

    return guarded


class LoadCancelled(Exception):
    """Raised inside the loader thread when the app quits mid-load, so that quitting never waits for it."""


class DashboardScreen(Screen[None]):
    # Bindings that move the focus are priority bindings (run as the key is read, before the next key is
    # forwarded), so that keys typed ahead land in the pane they were meant for; `check_action` lets them
    # through to a text field where they are text. A dialog over the screen takes these keys out of play.
    # The app's own keys (quit, help) come first here too, so that the footer lists them where it always did.
    BINDINGS = [
        Binding("q", "app.quit", "Quit", id="quit"),
        Binding("slash", "focus_filter", "Filter", key_display="/", priority=True, id="focus_filter"),
        Binding("enter", "leave_filter", "Done", show=False, priority=True, id="filter_done"),
        Binding("escape", "leave_filter(True)", "Clear", show=False, priority=True, id="filter_clear"),
        Binding("question_mark", "app.help", "Help", key_display="?", id="help"),
        Binding("tab", "focus_neighbour(1)", "Next pane", show=False, id="focus_next"),
        Binding("shift+tab", "focus_neighbour(-1)", "Previous pane", show=False, id="focus_previous"),
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
            Binding(
                str(number),
                f"focus_pane('{pane.id}')",
                pane.id,
                show=False,
                priority=True,
                id=f"focus_{pane.id}",
            )
            for number, pane in enumerate(PANES, 1)
        ),
    ]

    # The shared state, bound into the panes that declare a reactive of the same name (`var`: setting one
    # repaints nothing by itself; each pane refreshes what it must).
    filter_text: var[str] = var("", init=False, always_update=True)
    """The filter as typed (the filter bar shows it; `set_filter` changes it)."""
    sort: var[Sort] = var(Sort(), init=False)
    """The meetings' order: here only (the meetings pane draws its header from it)."""
    zoom: var[Zoom] = var("month", init=False)
    answer: var[Matches | None] = var(None, init=False)
    """The answer shown in the meetings (the last good filter's)."""
    counts: var[Counts | None] = var(None, init=False)
    timeline_counts: var[TimelineCounts | None] = var(None, init=False)
    selection: var[str | None] = var(None, init=False)
    """The event in the detail pane (usually the meetings' selection; a jump may show a filtered-out one)."""
    event_detail: var[Detail | None] = var(None, init=False)
    """The selected event in full (the detail pane)."""
    related: var[Related | None] = var(None, init=False)
    """The selected event's related events (the related pane)."""
    problems: var[Problems | None] = var(None, init=False)
    """The folder's problem lines (the problems pane)."""
    alert_history: var[AlertHistory | None] = var(None, init=False)
    """What the alert rules fired on (the alerts pane)."""
    status_line: var[Status] = var(Status(), init=False)
    """The status bar's numbers (`set_status` changes some of them)."""

    def __init__(
        self, store: EventStore, *, folder: str, alert_book: AlertBook, use_cache: bool, live: bool
    ) -> None:
        """`folder`: as the status bar shows it; `live`: False loads once and never watches the folder (a frozen
        view, and screenshots that must not change)."""
        super().__init__()
        self.store = store
        self.folder = folder
        self.alert_book = alert_book
        self.use_cache = use_cache
        self.live = live
        self.question = Question()
        """What the panes should be answering now: the last good filter, the sort, the zoom, the generation."""
        self.generation = 0
        """Store changes taken in (load chunks, watcher batches): a question asked after one is a new one."""
        self.loaded = False
        self.history: list[str] = []
        self.stop_watching = threading.Event()
        self._pending = Changes()
        self._pending_lock = threading.Lock()
        self._pending_posted = False
        self._last_load_query = 0.0
        self._count_timer: Timer | None = None
        self._timeline_timer: Timer | None = None
        self.timeline_requests = 0
        """Timeline recounts started (a burst of changes must cost a handful, not one each)."""
        self.set_reactive(DashboardScreen.status_line, Status(folder=folder))

    @property
    def main_app(self) -> CommuniqueApp:
        """The app, typed: the configuration (saved filters, the bell) is its."""
        return cast("CommuniqueApp", self.app)

    # -- layout --------------------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield FilterBar(id="filter-bar").data_bind(DashboardScreen.filter_text)
        yield ProgressBar(id="progress", show_eta=False)
        with Horizontal(id="body"):
            with Vertical(id="left"):
                yield from self._panes("left")
                with Horizontal(id="lists"):
                    yield from self._panes("lists")
            with Vertical(id="right"):
                yield from self._panes("right")
        yield from self._panes("bottom")
        yield StatusBar(self.folder, id="status").data_bind(status=DashboardScreen.status_line)
        yield Footer()

    def _panes(self, slot: Any) -> ComposeResult:
        """The panes of one slot, each bound to the shared state it declares reactives for."""
        for pane in in_slot(slot):
            widget = pane.make(self.store)
            widget.id = pane.id
            widget.add_class("pane", *pane.classes.split())
            widget.display = not pane.hidden
            shared = [SHARED[name] for name in widget._reactives if name in SHARED]
            yield widget.data_bind(*shared) if shared else widget

    def on_mount(self) -> None:
        self.show_alert_history()
        self.meetings.focus()
        self.load_events()

    def on_unmount(self) -> None:
        self.stop_watching.set()

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

    @property
    def counts_current(self) -> bool:
        """The side panes show the counts of the answer in force."""
        return self.counts is not None and self.counts.answers(self.question)

    @property
    def timeline_settled(self) -> bool:
        """The timeline shows the counts of the filter and zoom in force (no recount pending)."""
        shown = self.timeline_counts
        return self._timeline_timer is None and shown is not None and shown.answers(self.question)

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
        self.app.call_from_thread(
            self.notify, one_line(message), severity="warning", markup=False, timeout=10
        )

    @_while_running
    def on_load_progress(self, message: LoadProgress) -> None:
        bar = self.query_one("#progress", ProgressBar)
        bar.update(total=max(message.total, 1), progress=message.done)
        percent = 100 * message.done // max(message.total, 1)
        self.set_status(loaded=len(self.store), loading=f"{percent}%")
        now = time.monotonic()
        if now - self._last_load_query >= REQUERY_DURING_LOAD:
            self._last_load_query = now
            self.generation += 1
            self.refresh_result(follow="top" if self._untouched() else "scroll", text=self.filter_text)

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
        self.generation += 1
        self.refresh_result(follow="top" if self._untouched() else "scroll", text=self.filter_text)
        self.show_problems()
        self.set_status(loading="")
        if self.live:
            self.watch_folder()
        else:
            self.set_status(watch="stopped")

    def _untouched(self) -> bool:
        """Nothing chosen yet (no cursor move, no filter): the load may keep the newest event on top.

        Files load in path order, so later chunks often hold newer events; until the user picks something,
        following the first chunk's top row down the list would hide the newest events above the view."""
        return (
            not self.meetings.user_moved
            and not self.filter_text
            and self.selection in (None, self.meetings.selected_id)
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
        following = self.selection == meetings.selected_id
        self.generation += 1
        with self.app.batch_update():
            meetings.forget(touched)
            meetings.mark(changes.added | changes.changed)
            meetings.unmark(changes.removed)
            meetings.set_stale(self.store.stale_ids())
            self.ask(self.question.text, follow="scroll")
            if following:
                # The detail follows the cursor (to a neighbour, if the event left); related events may
                # have changed with any batch.
                self.show_event(meetings.selected_id)
            elif self.selection in touched:
                self.show_event(self.selection)
            if changes.problems_changed:
                self.show_problems()
            self.set_status(unseen=len(meetings.marks))
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
        self.meetings.set_alerted(self.alert_book.alerted_ids())
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

    @_while_running
    def on_watch_status_changed(self, message: WatchStatusChanged) -> None:
        self.set_status(watch=message.status)
        if message.detail and message.status in ("missing", "polling"):
            self.notify(one_line(message.detail), severity="warning", markup=False)

    @_while_running
    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """What a failed load or watch leaves behind here (the app tells the user; the message goes on to it)."""
        if event.state != WorkerState.ERROR:
            return
        if event.worker.group == "load":
            error = one_line(event.worker.error) if event.worker.error is not None else "unknown error"
            self.post_message(LoadFinished(error=error))
        elif event.worker.group == "watch":
            self.set_status(watch="stopped")

    # -- the question and its answers ----------------------------------------------------------------------

    def ask(self, text: str, *, follow: Follow) -> None:
        """Answer a filter now, or in a thread when its phrases need thousands of texts read (a second at
        100,000 events, ten at 1,000,000): the interface stays with the user meanwhile."""
        if self.store.unchecked_phrase_texts(text) > BACKGROUND_PHRASE_TEXTS:
            self.question = replace(self.question, text=text, sort=self.sort, generation=self.generation)
            self.set_status(searching=True)
            self.answer_filter(self.question, follow)
            self.schedule_timeline()
        else:
            self.refresh_result(follow=follow, text=text)

    def refresh_result(self, *, follow: Follow, text: str) -> bool:
        """Answer a filter on the interface thread and show it; False (and a message) for a malformed one."""
        question = replace(self.question, text=text, sort=self.sort, generation=self.generation)
        try:
            result = self.store.query(text, sort=question.sort.column, descending=question.sort.descending)
        except filter_syntax.FilterError as error:
            self.filter_bar.show_error(_filter_message(error), getattr(error, "position", None))
            return False
        self.question = question
        self.show_answer(Matches(question, result, follow))
        return True

    @work(thread=True, exclusive=True, exit_on_error=False, group="filter", description="Searching")
    def answer_filter(self, question: Question, follow: Follow) -> None:
        sort = question.sort
        result = self.store.query(question.text, sort=sort.column, descending=sort.descending)
        if not get_current_worker().is_cancelled:
            self.post_message(Answered(Matches(question, result, follow)))

    @_while_running
    def on_answered(self, message: Answered) -> None:
        """An answer from a worker: shown when it still answers the question in force, else dropped."""
        answer = message.answer
        if not answer.answers(self.question):
            return  # a later question has its own answer coming
        if isinstance(answer, Matches):
            self.show_answer(answer)
        else:
            setattr(self, answer.shown_in, answer)  # the reactive bound into the pane that shows it

    def show_answer(self, answer: Matches) -> None:
        """Show the meetings' answer (bound into the panes) and recount what follows from it."""
        if answer.question.text == self.filter_text:
            self.filter_bar.clear_error()
            self.set_status(searching=False)
        self.answer = answer
        self.set_status(
            loaded=len(self.store), matching=len(answer.result.ids), unseen=len(self.meetings.marks)
        )
        if self._count_timer is not None:
            self._count_timer.stop()
        if not self.counts_current:
            self._count_timer = self.set_timer(COUNT_DELAY, functools.partial(self.count_aggregates, answer))
        self.schedule_timeline()

    def schedule_timeline(self) -> None:
        """Recount the timeline soon, for whatever the question is then (one recount per interval)."""
        if self._timeline_timer is None:
            self._timeline_timer = self.set_timer(TIMELINE_DELAY, self._start_timeline)

    def _start_timeline(self) -> None:
        self._timeline_timer = None
        shown = self.timeline_counts
        if shown is not None and shown.answers(self.question):
            return  # nothing the timeline counts changed (the sort, say)
        self.timeline_requests += 1
        self.count_timeline(self.question)

    @work(
        thread=True,
        exclusive=True,
        exit_on_error=False,
        group="timeline",
        description="Counting the timeline",
    )
    def count_timeline(self, question: Question) -> None:
        try:
            timeline = timeline_for_filter(self.store, question.text, question.zoom)
        except filter_syntax.FilterError:
            return  # only good filters are asked for; one that fails now was replaced already
        if not get_current_worker().is_cancelled:
            self.post_message(Answered(TimelineCounts(question, timeline)))

    @work(thread=True, exclusive=True, exit_on_error=False, group="aggregates", description="Counting")
    def count_aggregates(self, answer: Matches) -> None:
        people = self.store.participants(answer.result)
        topics = self.store.topics(answer.result)
        if not get_current_worker().is_cancelled:
            counts = Counts(answer.question, people[:CAP], len(people), topics[:CAP], len(topics))
            self.post_message(Answered(counts))

    def show_event(self, event_id: str | None) -> None:
        """Ask about one event (None: nothing selected): the detail and related panes follow their bindings."""
        self.set_reactive(DashboardScreen.selection, event_id)
        self.question = question = replace(self.question, selection=event_id)
        event = self.store.get(event_id) if event_id is not None else None
        highlight = tuple(self.answer.result.highlight) if self.answer else ()
        stale = event is not None and event.id in self.meetings.stale
        self.event_detail = Detail(question, event, highlight, stale)
        try:
            relations = self.store.related(event_id) if event is not None and event_id is not None else []
        except KeyError:
            relations = []
        self.related = Related(question, relations)

    def show_problems(self) -> None:
        files = len(self.store.problem_files())
        self.problems = Problems(self.question, self.store.problems(), files)
        self.set_status(problem_files=files)

    def show_alert_history(self) -> None:
        self.alert_history = AlertHistory(
            self.question, self.alert_book.history(), len(self.alert_book.rules)
        )
        self.set_status(alerts=len(self.alert_history.hits))

    def set_status(self, **changes: Any) -> None:
        """Change some of the status bar's numbers (`Status` field names); the bar follows its binding."""
        self.status_line = replace(self.status_line, **changes)

    # -- what the panes ask for ----------------------------------------------------------------------------

    @on(MeetingsView.Highlighted)
    @_while_running
    def on_meetings_highlighted(self, message: MeetingsView.Highlighted) -> None:
        self.show_event(message.event_id)
        self.set_status(unseen=len(self.meetings.marks))  # the cursor on a ● event counts it as seen

    @on(FilterBar.Edited)
    @_while_running
    def on_filter_edited(self, message: FilterBar.Edited) -> None:
        # What the bar already shows: no echo back into it (it may be a keystroke ahead of this message).
        self.set_reactive(DashboardScreen.filter_text, message.text)
        self.ask(message.text, follow="selection")

    @on(MeetingsView.SortAsked)
    @_while_running
    def on_sort_asked(self, message: MeetingsView.SortAsked) -> None:
        self.set_sort(message.sort)

    @_while_running
    def on_toggle_filter_term(self, message: ToggleFilterTerm) -> None:
        self.set_filter(filter_syntax.toggle_term(self.filter_text, message.field, message.value))

    def set_filter(self, text: str) -> None:
        """Put new text in the filter bar (bound: the answer follows, as when typed); the focus stays."""
        self.filter_text = text

    @on(TimelineView.PeriodChosen)
    @_while_running
    def on_period_chosen(self, message: TimelineView.PeriodChosen) -> None:
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
        self.set_filter(filter_syntax.with_date_range(self.filter_text, first, last))

    @_while_running
    def on_jump_to_event(self, message: JumpToEvent) -> None:
        if self.selection is not None and self.selection != message.event_id:
            self.history = [*self.history, self.selection][-MAX_HISTORY:]
        self.select_event(message.event_id)

    def select_event(self, event_id: str) -> None:
        if self.meetings.select_id(event_id):
            if (
                self.selection != event_id
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
        if action == "leave_filter":
            return in_filter
        if action in ("focus_filter", "focus_pane"):
            return not in_filter
        return True

    def focus_now(self, widget: Widget) -> None:
        """Move the focus before the next key is read (`Widget.focus` waits for the queue to drain)."""
        self.set_focus(widget)

    def action_focus_filter(self) -> None:
        self.focus_now(self.filter_bar.input)

    def action_leave_filter(self, clear: bool = False) -> None:
        if clear:
            self.set_filter("")
        self.focus_now(self.meetings)

    def action_clear_filter(self) -> None:
        self.set_filter("")

    def action_focus_neighbour(self, step: int) -> None:
        """Tab walks the panes in the order of their numbers (1–8), skipping hidden ones, then the filter,
        instead of the layout's order; dialogs above the dashboard keep Textual's own chain."""
        shown = [pane.id for pane in PANES if self.query_one(f"#{pane.id}").display] + ["filter"]
        focused = self.focused
        current = next((pane for pane in shown if focused is not None and focused.id == pane), None)
        index = shown.index(current) + step if current else (0 if step > 0 else -1)
        self.focus_now(self.query_one(f"#{shown[index % len(shown)]}"))

    def action_focus_pane(self, pane: str) -> None:
        widget: Widget = self.query_one(f"#{pane}")
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
        self.show_alert_history()

    def action_move_period(self, step: int) -> None:
        self.timeline.move(step)

    def action_choose_period(self) -> None:
        period = self.timeline.cursor_period
        if period is None:
            self.app.bell()
            return
        self.choose_period(period)

    def action_clear_period(self) -> None:
        self.set_filter(filter_syntax.with_date_range(self.filter_text))

    def action_zoom(self, zoom: str = "") -> None:
        """Count the timeline by another period (no argument: the other one)."""
        chosen = next((z for z in ZOOMS if z == zoom), None) or ZOOMS[1 - ZOOMS.index(self.zoom)]
        if chosen != self.zoom:
            self.zoom = chosen
            self.question = replace(self.question, zoom=chosen)
            self.schedule_timeline()

    def action_save_filter(self) -> None:
        text = self.filter_text.strip()
        if not text:
            self.notify(
                "The filter is empty: type one (/), then s to save it.", severity="warning", markup=False
            )
            return
        if self.filter_bar.error_text:
            self.notify("The filter is malformed: fix it before saving it.", severity="warning", markup=False)
            return
        app = self.main_app
        self.app.push_screen(
            SaveFilterScreen(text, app.saved_filters, functools.partial(app.save_filter, text))
        )

    def action_export(self) -> None:
        if self.answer is None:
            self.notify("Nothing to export yet.", severity="warning", markup=False)
            return
        answer = self.answer
        self.app.push_screen(
            ExportScreen(
                len(answer.result.ids), self.store.root, functools.partial(self.start_export, answer)
            )
        )

    def start_export(self, answer: Matches, fmt: str, target: str) -> str | None:
        self.export_matching(answer, fmt, target)
        return None

    @work(thread=True, exit_on_error=False, group="export", description="Exporting")
    def export_matching(self, answer: Matches, fmt: str, target: str) -> None:
        events = [event for event in map(self.store.get, answer.result.ids) if event is not None]
        if fmt == "md":  # the brief records what it answers and when
            made = datetime.now().astimezone()
            text = events_to_markdown(events, self.store.related, filter_text=answer.question.text, made=made)
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
        self.set_status(unseen=0)

    def action_next_unseen(self, step: int) -> None:
        """Put the cursor on the next / previous new or changed event (●) of the meetings."""
        if not self.meetings.next_unseen(step):
            self.notify("No new or changed event among the matching ones.", markup=False)
            return
        self.focus_now(self.meetings)

    def action_jump_back(self) -> None:
        if not self.history:
            self.app.bell()
            return
        *self.history, event_id = self.history
        self.select_event(event_id)

    def set_sort(self, sort: Sort) -> None:
        """Order the meetings anew (the header follows through its binding); the selection stays."""
        self.sort = sort
        self.ask(self.question.text, follow="selection")

    def action_sort(self, column: str) -> None:
        self.set_sort(self.sort.by(column))

    def action_reverse_sort(self) -> None:
        self.set_sort(self.sort.reversed())


SHARED = {
    name: reactive
    for name, reactive in vars(DashboardScreen).items()
    if isinstance(reactive, var) and not name.startswith("_")
}
"""The screen's shared state by name: a pane declaring a reactive of one of these names is bound to it."""


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
