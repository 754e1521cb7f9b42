"""The frame of the dashboard's small dialogs (save the filter, export): a bordered panel over the dashboard
with the dialog's own fields, a one-line error under them and a one-line hint; escape closes it.

A dialog acts through a function the app hands it, which answers None when done or one line saying what
is wrong: the dialog then stays open with that line shown, so the user fixes it in place. Errors and data
reach the screen as plain `Content`, never as markup.
"""

from __future__ import annotations

from collections.abc import Iterable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Static

from tui.display_text import one_line


class Dialog(ModalScreen[None]):
    BINDINGS = [Binding("escape", "dismiss", "Close", id="dialog.close")]

    title_text = "Dialog"
    """The panel's border title (the program's own words)."""
    hint = "enter: done · escape: cancel"

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-panel") as panel:
            panel.border_title = Content(self.title_text)
            yield from self.compose_fields()
            yield Static(Content(""), classes="dialog-error", markup=False)
            yield Static(Content(self.hint), classes="dialog-hint", markup=False)

    def compose_fields(self) -> Iterable[Widget]:
        return ()

    def show_error(self, message: str) -> None:
        error = self.query_one(".dialog-error", Static)
        error.update(Content.assemble(("✗ ", "bold"), one_line(message)))
        error.add_class("-visible")

    @property
    def error_text(self) -> str:
        return str(self.query_one(".dialog-error", Static).visual)
