"""What changes the question: filter edits, toggles from the side panes, periods of the timeline, the sort, the zoom.

Each of these only edits the screen's state (the filter text, the sort, the zoom) and asks again through
`Answering`; none of them sets a pane's state (the filter bar and the meetings' header follow their bindings).
The timeline's keys that work anywhere (`[`, `]`, `t`) are commands to it: calls of its `move` and `choose`.
"""

from __future__ import annotations

from dataclasses import replace

from textual import on

from store.index.timeline import ZOOMS, Period
from store.query import filter_syntax
from tui.answers import (
    Sort,
)
from tui.dashboard.answering import Answering
from tui.dashboard.state import DashboardState, while_running
from tui.filter_bar import FilterBar
from tui.meetings_view import MeetingsView
from tui.messages import (
    ToggleFilterTerm,
)
from tui.timeline_view import TimelineView


class Asking(Answering):
    """What the user changes in the question: the filter (typed, toggled from a pane, narrowed to a period),
    the sort and the timeline's zoom."""

    @on(FilterBar.Edited)
    @while_running
    def on_filter_edited(self, message: FilterBar.Edited) -> None:
        # What the bar already shows: no echo back into it (it may be a keystroke ahead of this message).
        self.set_reactive(DashboardState.filter_text, message.text)
        self.ask(message.text, follow="selection")

    @while_running
    def on_toggle_filter_term(self, message: ToggleFilterTerm) -> None:
        self.set_filter(filter_syntax.toggle_term(self.filter_text, message.field, message.value))

    def action_clear_filter(self) -> None:
        self.set_filter("")

    @on(TimelineView.PeriodChosen)
    @while_running
    def on_period_chosen(self, message: TimelineView.PeriodChosen) -> None:
        self.choose_period(message.period)

    def choose_period(self, period: Period) -> None:
        """Narrow the filter to a period of the timeline; the period it is narrowed to already widens it."""
        if self.timeline_counts is None:
            return
        timeline = self.timeline_counts.timeline  # what the timeline shows (bound)
        if (timeline.first, timeline.last) == (period.first_day, period.last_day):
            first = last = ""
        elif timeline.zoom == "month":
            first = last = period.label  # from:2023-05 to:2023-05 reads better than the days
        else:
            first, last = period.first_day, period.last_day
        self.set_filter(filter_syntax.with_date_range(self.filter_text, first, last))

    def action_move_period(self, step: int) -> None:
        self.timeline.move(step)  # a command to the timeline: its cursor is its own

    def action_choose_period(self) -> None:
        """`t` anywhere: the timeline's cursor period, as Enter there (it posts its `PeriodChosen`)."""
        if not self.timeline.choose():
            self.app.bell()

    def action_clear_period(self) -> None:
        self.set_filter(filter_syntax.with_date_range(self.filter_text))

    def action_zoom(self, zoom: str = "") -> None:
        """Count the timeline by another period (no argument: the other one)."""
        chosen = next((z for z in ZOOMS if z == zoom), None) or ZOOMS[1 - ZOOMS.index(self.zoom)]
        if chosen != self.zoom:
            self.zoom = chosen
            self.question = replace(self.question, zoom=chosen)
            self.schedule_timeline()

    @on(MeetingsView.SortAsked)
    @while_running
    def on_sort_asked(self, message: MeetingsView.SortAsked) -> None:
        self.set_sort(message.sort)

    def set_sort(self, sort: Sort) -> None:
        """Order the meetings anew (the header follows through its binding); the selection stays."""
        self.sort = sort
        self.ask(self.question.text, follow="selection")

    def action_sort(self, column: str) -> None:
        self.set_sort(self.sort.by(column))

    def action_reverse_sort(self) -> None:
        self.set_sort(self.sort.reversed())
