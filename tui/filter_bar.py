"""The filter bar: the filter input [#filter] across the top and its one-line error under it [#filter-error].

It owns the text and its editing keys; it never parses the filter. Every keystroke is reported as
`FilterEdited`; Enter and Escape as `FilterDone` (Escape clears the text first). The app answers a malformed
filter with `show_error`, and the last good result stays on screen meanwhile.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Input, Static

from tui.display_text import one_line
from tui.messages import FilterDone, FilterEdited

PLACEHOLDER = 'filter (/): words, "a phrase", -not, participant:"…", topic:…, country:TM, kind:…, from:2022'


class FilterInput(Input):
    BINDINGS = [
        Binding("escape", "clear_filter", "Clear filter", show=False, id="filter.clear"),
    ]

    def action_clear_filter(self) -> None:
        self.value = ""
        self.post_message(FilterDone())


class FilterBar(Vertical):
    def compose(self) -> ComposeResult:
        yield FilterInput(placeholder=PLACEHOLDER, id="filter", select_on_focus=False)
        yield Static(Content(""), id="filter-error", markup=False)

    @property
    def input(self) -> FilterInput:
        return self.query_one("#filter", FilterInput)

    def on_input_changed(self, message: Input.Changed) -> None:
        message.stop()
        self.post_message(FilterEdited(message.value))

    def on_input_submitted(self, message: Input.Submitted) -> None:
        message.stop()
        self.post_message(FilterDone())

    def show_error(self, message: str, position: int | None = None) -> None:
        where = f" (at {position + 1})" if position is not None else ""
        error = self.query_one("#filter-error", Static)
        error.update(Content.assemble(("✗ ", "bold"), one_line(message), where))
        error.add_class("-visible")

    def clear_error(self) -> None:
        error = self.query_one("#filter-error", Static)
        error.update(Content(""))
        error.remove_class("-visible")

    @property
    def error_text(self) -> str:
        return str(self.query_one("#filter-error", Static).visual)
