"""Moving around the dashboard: the selected event, jumps to related events and back, new events, the focus.

A jump remembers where it came from (backspace goes back); an event hidden by the filter is shown in the
detail pane only. A command to one pane (a jump, the next unseen event, mark all seen) is a call of that
pane's method; what it changes comes back in the pane's messages (`Highlighted`, `UnseenChanged`). Bindings
that move the focus are priority bindings (see `screen`); `check_action` lets them through to the filter
field, where they are text.
"""

from __future__ import annotations

from textual import on
from textual.widget import Widget

from tui.dashboard.answering import Answering
from tui.dashboard.state import while_running
from tui.filter_bar import FilterInput
from tui.meetings_view import MeetingsView
from tui.messages import (
    JumpToEvent,
)
from tui.panes import PANES
from tui.problems_pane import ProblemsPane

MAX_HISTORY = 100
"""Jumps remembered for backspace."""


class Navigation(Answering):
    """The selection, jumps and the way back, the focus between panes, and the panes shown on demand."""

    @on(MeetingsView.Highlighted)
    @while_running
    def on_meetings_highlighted(self, message: MeetingsView.Highlighted) -> None:
        self.highlighted = message.event_id
        self.show_event(message.event_id)

    @on(MeetingsView.UnseenChanged)
    @while_running
    def on_unseen_changed(self, message: MeetingsView.UnseenChanged) -> None:
        self.set_status(unseen=message.count)

    @while_running
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

    def action_jump_back(self) -> None:
        if not self.history:
            self.app.bell()
            return
        *self.history, event_id = self.history
        self.select_event(event_id)

    def action_mark_all_seen(self) -> None:
        self.meetings.mark_all_seen()  # the count comes back with the pane's `UnseenChanged`

    def action_next_unseen(self, step: int) -> None:
        """Put the cursor on the next / previous new or changed event (●) of the meetings."""
        if not self.meetings.next_unseen(step):
            self.notify("No new or changed event among the matching ones.", markup=False)
            return
        self.focus_now(self.meetings)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        in_filter = isinstance(self.focused, FilterInput)
        if action == "leave_filter":
            return in_filter
        if action in ("focus_filter", "focus_pane"):
            return not in_filter
        return True

    def action_focus_filter(self) -> None:
        self.focus_now(self.filter_bar.input)

    def action_leave_filter(self, clear: bool = False) -> None:
        if clear:
            self.set_filter("")
        self.focus_now(self.meetings)

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
        self.show_alert_history()
