"""The dashboard screen: its keys and its layout, built of one module per job.

It composes the panes of `tui.panes` into their slots and binds each to the shared state it declares
reactives for (`tui.dashboard.state`); the rest of what it does is in the job modules it inherits from:
`answering` (questions → answers), `asking` (what changes the question), `feed` (the load and the watcher),
`navigation` (the selection, jumps, focus) and `saving` (saved filters, exports).

Live updates never move the user: the meetings keep their scroll offset and the selected event, the small panes
keep their highlighted row and scroll, the filter text and the focus are left alone.
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Footer, ProgressBar

from tui.dashboard.asking import Asking
from tui.dashboard.feed import Feed
from tui.dashboard.navigation import Navigation
from tui.dashboard.saving import Saving
from tui.dashboard.state import SHARED, DashboardState
from tui.filter_bar import FilterBar
from tui.panes import PANES, in_slot
from tui.status_bar import StatusBar


class DashboardScreen(Asking, Navigation, Feed, Saving):
    """The one screen of the dashboard: its keys, its layout, and the jobs it is built of."""

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

    def compose(self) -> ComposeResult:
        yield FilterBar(id="filter-bar").data_bind(DashboardState.filter_text)
        yield ProgressBar(id="progress", show_eta=False)
        with Horizontal(id="body"):
            with Vertical(id="left"):
                yield from self._panes("left")
                with Horizontal(id="lists"):
                    yield from self._panes("lists")
            with Vertical(id="right"):
                yield from self._panes("right")
        yield from self._panes("bottom")
        yield StatusBar(self.folder, id="status").data_bind(status=DashboardState.status_line)
        yield Footer()

    def _panes(self, slot: Any) -> ComposeResult:
        """The panes of one slot, each bound to the shared state it declares reactives for."""
        for pane in in_slot(slot):
            widget = pane.make(self.store)
            widget.id = pane.id
            widget.add_class("pane", f"in-{pane.slot}", *pane.classes.split())
            widget.display = not pane.hidden
            shared = [SHARED[name] for name in widget._reactives if name in SHARED]
            yield widget.data_bind(*shared) if shared else widget

    def on_mount(self) -> None:
        self.show_alert_history()
        self.meetings.focus()
        self.load_events()

    def on_unmount(self) -> None:
        self.stop_watching.set()
