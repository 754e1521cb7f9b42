"""The dashboard's shared state: what no single pane may own, as reactives bound into the panes.

The screen owns it as reactives bound into the panes (`data_bind`, as toolong's
`LogView` does): the filter text, the answer shown (`answer`), the sort, the selected event (`selection`),
the timeline's zoom, the side panes' counts, the timeline's counts, the selected event in full and its related
events, the problem lines, the alert history, the status bar's numbers, whether the initial load is over, the
stale and the alerted events and the last batch of store changes. A pane that declares a reactive of one
of these names receives it (see `tui.panes`); the screen never pushes the shared state into panes by hand, nor
reads a pane's own state back (the meetings' marks, the timeline's cursor: those come in the pane's messages).
A command to one pane (a key that works anywhere: `n`, `m`, `[`, `t`, a jump) is a call of the pane's method.
Every answer carries the `Question` it answers (`tui.answers`), and `answer.answers(self.question)` is the one
test of whether an answer that comes back from a worker is still current.

`DashboardState` also holds the screen's bookkeeping (the question in force, the store generation, the way
back from jumps, the watcher's batch of changes) and typed ways to the widgets it keeps. The jobs built on it
are one module each: `answering` (questions → answers), `asking` (what changes the question), `feed` (the
load and the watcher), `navigation` (the selection, jumps and focus), `saving` (saved filters and exports);
`screen` composes them. Nothing here asks the store anything.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any, TypeVar, cast

from textual.reactive import var
from textual.screen import Screen
from textual.timer import Timer
from textual.widget import Widget

from store.alerts import AlertBook
from store.event_store import EventStore
from store.index.timeline import Zoom
from store.model.changes import Changes
from tui.alerts_pane import AlertsPane
from tui.answers import (
    AlertHistory,
    ChangeBatch,
    Counts,
    Detail,
    Matches,
    Problems,
    Question,
    Related,
    Sort,
    TimelineCounts,
)
from tui.detail_pane import DetailPane
from tui.filter_bar import FilterBar
from tui.meetings_view import MeetingsView
from tui.status_bar import Status, StatusBar
from tui.timeline_view import TimelineView

if TYPE_CHECKING:
    from tui.app import CommuniqueApp


ScreenT = TypeVar("ScreenT", bound="DashboardState")
MessageT = TypeVar("MessageT")


def while_running(handler: Callable[[ScreenT, MessageT], None]) -> Callable[[ScreenT, MessageT], None]:
    """Drop a message that arrives while the app shuts down: the panes it would update may be gone already
    (a worker's last message can land after the screen was taken down)."""

    @functools.wraps(handler)
    def guarded(screen: ScreenT, message: MessageT) -> None:
        if screen.app.is_running:
            handler(screen, message)

    return guarded


class DashboardState(Screen[None]):
    """The shared state (reactives bound into the panes), the screen's own bookkeeping, and typed ways to the
    widgets it keeps as they are (the meetings, the filter bar, the timeline, the status bar)."""

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
    loaded: var[bool] = var(False, init=False)
    """The initial load is over (the meetings and the timeline say "no event matches" instead of loading)."""
    stale: var[frozenset[str]] = var(frozenset(), init=False)
    """Events whose file is unreadable now, the last good version shown (`!` in the meetings, a note in the
    detail)."""
    alerted: var[frozenset[str]] = var(frozenset(), init=False)
    """Events in the alert history (`◆`/`◇` in the meetings)."""
    last_changes: var[ChangeBatch | None] = var(None, init=False)
    """The last batch of store changes taken in: the meetings forget and mark its events themselves."""

    def __init__(self, store: EventStore, *, folder: str, alert_book: AlertBook, live: bool) -> None:
        """`folder`: as the status bar shows it; `live`: False loads once and never watches the folder (a frozen
        view, and screenshots that must not change)."""
        super().__init__()
        self.store = store
        self.folder = folder
        self.alert_book = alert_book
        self.live = live
        self.question = Question()
        """What the panes should be answering now: the last good filter, the sort, the zoom, the generation."""
        self.generation = 0
        """Store changes taken in (load chunks, watcher batches): a question asked after one is a new one."""
        self.highlighted: str | None = None
        """The event under the meetings' cursor, as their last `Highlighted` said (the selection follows it
        unless a jump showed another)."""
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
        self.set_reactive(DashboardState.status_line, Status(folder=folder))

    @property
    def main_app(self) -> CommuniqueApp:
        """The app, typed: the configuration (saved filters, the bell) is its."""
        return cast("CommuniqueApp", self.app)

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

    def set_status(self, **changes: Any) -> None:
        """Change some of the status bar's numbers (`Status` field names); the bar follows its binding."""
        self.status_line = replace(self.status_line, **changes)

    def set_filter(self, text: str) -> None:
        """Put new text in the filter bar (bound: the answer follows, as when typed); the focus stays."""
        self.filter_text = text

    def focus_now(self, widget: Widget) -> None:
        """Move the focus before the next key is read (`Widget.focus` waits for the queue to drain)."""
        self.set_focus(widget)


SHARED = {
    name: reactive
    for name, reactive in vars(DashboardState).items()
    if isinstance(reactive, var) and not name.startswith("_")
}
"""The screen's shared state by name: a pane declaring a reactive of one of these names is bound to it."""
