"""The dashboard's panes, one line each: what the screen composes, where, and under which number key.

Adding a pane is its module plus one line here. The screen (`tui.dashboard.screen`) places each pane in its
slot of the layout (in `row` order), gives it its id, the `pane` class (the border, the focus colours and the
background of `app.tcss`) and its slot's class (`in-bottom`, …), binds into it every piece of shared state the
pane declares a reactive for (by name: `answer`, `counts`, `event_detail`, `related`, `problems`, …; see
`tui.dashboard.state`), and puts it on its number key (its place in `PANES`, from 1) and in the Tab order. A
pane never reaches for another: it receives state through its bound reactives and asks for things with its own
messages.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from textual.widget import Widget

from store.event_store import EventStore
from tui.alerts_pane import AlertsPane
from tui.detail_pane import DetailPane
from tui.meetings_view import MeetingsView
from tui.participants_pane import ParticipantsPane
from tui.problems_pane import ProblemsPane
from tui.timeline_view import TimelineView
from tui.topics_pane import TopicsPane
from tui.xrefs_pane import XrefsPane

Slot = Literal["left", "lists", "right", "bottom"]
"""Where a pane sits: the left column (over the lists), the row of small lists under the meetings, the right
column, or the full width under the body (the panes shown on demand)."""


@dataclass(frozen=True, slots=True)
class Pane:
    id: str
    """The widget id (`#meetings`), also the name `focus_pane(…)` and the command palette use."""
    make: Callable[[EventStore], Widget]
    """Builds the pane (the store for the panes that paint from it)."""
    slot: Slot
    row: int
    """Its place within the slot, top to bottom (left to right in the lists)."""
    classes: str = ""
    """Style classes besides `pane` (see app.tcss: `one-line`, `scrolls`)."""
    hidden: bool = False
    """Shown only when asked for (its key, or its number)."""


PANES: tuple[Pane, ...] = (
    Pane("meetings", MeetingsView, "left", 2, "scrolls"),
    Pane("detail", lambda store: DetailPane(), "right", 1, "scrolls"),
    Pane("participants", lambda store: ParticipantsPane(), "lists", 1, "scrolls one-line"),
    Pane("topics", lambda store: TopicsPane(), "lists", 2, "scrolls one-line"),
    Pane("xrefs", lambda store: XrefsPane(), "right", 2, "scrolls"),
    Pane("errors", lambda store: ProblemsPane(), "bottom", 1, "scrolls one-line", hidden=True),
    Pane("alerts", lambda store: AlertsPane(), "bottom", 2, "scrolls one-line", hidden=True),
    Pane("timeline", lambda store: TimelineView(), "left", 1),
)
"""In the order of the number keys 1…8 (and of Tab)."""


def in_slot(slot: Slot) -> list[Pane]:
    """The panes of one slot of the layout, top to bottom."""
    return sorted((pane for pane in PANES if pane.slot == slot), key=lambda pane: pane.row)
