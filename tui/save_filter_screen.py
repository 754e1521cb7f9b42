"""The dialog that names the current filter (`s`), so that the command palette can recall it.

It shows the filter being saved and asks for a name; a name already saved asks for Enter once more before
it is replaced. Saving is the app's (`save` answers None, or why not in one line: `store.config` writes
the file); this screen only asks.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable

from textual.content import Content
from textual.widget import Widget
from textual.widgets import Input, Static

from tui.dialog import Dialog
from tui.display_text import one_line


class SaveFilterScreen(Dialog):
    title_text = "Save the filter"
    hint = "enter: save · escape: cancel · recall it from the command palette (ctrl+p): Filter: <name>"

    def __init__(
        self, filter_text: str, saved_names: Collection[str], save: Callable[[str], str | None]
    ) -> None:
        super().__init__()
        self.filter_text = filter_text
        self.saved_names = saved_names
        self.save = save
        self._replacing: str | None = None
        """A saved name the user was warned about: Enter again replaces it."""

    def compose_fields(self) -> Iterable[Widget]:
        yield Static(Content.assemble(("Filter  ", "bold"), one_line(self.filter_text)), markup=False)
        yield Input(placeholder="a name, e.g. tm-ru", id="save-name")

    def on_input_submitted(self, message: Input.Submitted) -> None:
        message.stop()
        name = one_line(message.value)
        if not name:
            self.show_error("a saved filter needs a name")
            return
        if name in self.saved_names and name != self._replacing:
            self._replacing = name
            self.show_error(f"{name!r} is saved already: enter again to replace it")
            return
        problem = self.save(name)
        if problem:
            self.show_error(problem)
        else:
            self.dismiss()
