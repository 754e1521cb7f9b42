"""The export dialog (`x`): a format and a file for the matching events.

The formats are a list (↑↓ choose, Enter exports); the file name below follows the chosen format's suffix
until the user edits it, and Enter there exports too. The default name is stamped to the second and lies in
`export_folder()` (~/communique-exports, created when first written to), never the current folder, which is
often the source checkout; the dialog shows the destination folder before anything is written. A file that exists asks for Enter once more. Where the file goes is checked here
(`export_problem`) so that the dialog stays open on a mistake; writing it is the app's (`export` answers
None, or why not in one line).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from datetime import datetime

from textual.content import Content
from textual.widget import Widget
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from store.exports import EXPORT_FORMATS, FILE_SUFFIXES
from store.exports.folder import export_target, served_export_problem
from store.files.event_files import is_event_file_name
from tui.dialog import Dialog
from tui.display_text import one_line

FORMAT_NAMES = {
    "json": "json   an array of normalised events",
    "jsonl": "jsonl  one event per line",
    "csv": "csv    a spreadsheet, one row per event",
    "md": "md     a Markdown brief",
    "ics": "ics    an iCalendar file of all-day events",
}


EXPORT_FOLDER = "~/communique-exports"
"""Where the dashboard's exports go unless the user types another path ($COMMUNIQUE_EXPORTS overrides it)."""


def export_folder(environ: dict[str, str] | None = None) -> str:
    """The default destination folder, absolute (`~` expanded)."""
    environ = dict(os.environ) if environ is None else environ
    return os.path.abspath(os.path.expanduser(environ.get("COMMUNIQUE_EXPORTS") or EXPORT_FOLDER))


def default_export_name(fmt: str, now: datetime | None = None) -> str:
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    return os.path.join(export_folder(), f"communique-export-{stamp}{FILE_SUFFIXES[fmt]}")


def shown_path(path: str) -> str:
    """A path with the home directory as ~."""
    home = os.path.expanduser("~")
    return "~" + path[len(home) :] if path == home or path.startswith(home + os.sep) else path


def export_problem(path: str, watched_folder: str) -> str | None:
    """Why an export cannot go to `path` (one line), or None."""
    if not path.strip():
        return "a file name is needed"
    target = export_target(path)
    if served := served_export_problem(target):  # under `communique serve`: its export folder only
        return served
    if os.path.isdir(target):
        return f"{target} is a folder: add a file name"
    if not os.path.isdir(os.path.dirname(target)) and os.path.dirname(target) != export_folder():
        return f"no such folder: {os.path.dirname(target)}"
    root = os.path.realpath(watched_folder)
    inside = os.path.realpath(os.path.dirname(target)) + os.sep
    if inside.startswith(root.rstrip(os.sep) + os.sep) and is_event_file_name(os.path.basename(target)):
        return "the dashboard would read that file as events: write it outside the watched folder"
    return None


class ExportScreen(Dialog):
    title_text = "Export the matching events"
    hint = "↑↓: format · enter: export · tab: edit the file name · escape: cancel"

    def __init__(self, events: int, watched_folder: str, export: Callable[[str, str], str | None]) -> None:
        super().__init__()
        self.events = events
        self.watched_folder = watched_folder
        self.export = export
        self.format = EXPORT_FORMATS[0]
        self._replacing: str | None = None
        """A file the user was warned exists: Enter again replaces it."""

    def compose_fields(self) -> Iterable[Widget]:
        noun = "event" if self.events == 1 else "events"
        yield Static(Content(f"{self.events:,} matching {noun}, in the order shown"), markup=False)
        formats = OptionList(
            *(Option(Content(FORMAT_NAMES[fmt]), id=fmt) for fmt in EXPORT_FORMATS),
            id="export-format",
            markup=False,
        )
        yield formats
        yield Input(shown_path(default_export_name(self.format)), id="export-path", select_on_focus=False)
        yield Static(self._destination(), id="export-destination", markup=False)

    def _destination(self) -> Content:
        path = self.path_input.value if self.is_mounted else default_export_name(self.format)
        folder = os.path.dirname(export_target(path)) if path.strip() else ""
        return Content.assemble(("Into the folder: ", "dim"), (one_line(shown_path(folder)), "bold"))

    def on_input_changed(self, message: Input.Changed) -> None:
        message.stop()
        self.query_one("#export-destination", Static).update(self._destination())

    @property
    def path_input(self) -> Input:
        return self.query_one("#export-path", Input)

    def on_option_list_option_highlighted(self, message: OptionList.OptionHighlighted) -> None:
        message.stop()
        chosen = message.option.id or self.format
        path = self.path_input.value
        old_suffix = FILE_SUFFIXES[self.format]
        if path.endswith(old_suffix):  # the name still follows the format: keep it doing so
            self.path_input.value = path[: -len(old_suffix)] + FILE_SUFFIXES[chosen]
        self.format = chosen

    def on_option_list_option_selected(self, message: OptionList.OptionSelected) -> None:
        message.stop()
        self.submit()

    def on_input_submitted(self, message: Input.Submitted) -> None:
        message.stop()
        self.submit()

    def submit(self) -> None:
        path = self.path_input.value
        problem = export_problem(path, self.watched_folder)
        if problem:
            self.show_error(problem)
            return
        target = export_target(path)
        if os.path.exists(target) and target != self._replacing:
            self._replacing = target
            self.show_error(f"{target} exists: enter again to replace it")
            return
        if os.path.dirname(target) == export_folder():
            try:
                os.makedirs(export_folder(), mode=0o700, exist_ok=True)
            except OSError as error:
                self.show_error(one_line(f"cannot create {export_folder()}: {error.strerror or error}"))
                return
        problem = self.export(self.format, target)
        if problem:
            self.show_error(problem)
        else:
            self.dismiss()
