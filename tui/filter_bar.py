"""The filter bar: the filter input [#filter] across the top and its one-line error under it [#filter-error].

It owns the text and its editing keys; it never parses the filter. Every keystroke is reported as
`FilterEdited`. The app answers a malformed filter with `show_error`, and the last good result stays on
screen meanwhile. Enter and Escape (back to the meetings) are the app's priority bindings, not this widget's:
keys typed ahead (`/galuzin⏎q` in one burst) are forwarded to whichever widget has the focus when they are
read, so leaving the filter must move the focus before the next key is read.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.suggester import Suggester
from textual.widgets import Input, Static

from store.query.filter_fields import field_completion
from tui.display_text import one_line
from tui.messages import FilterEdited

PLACEHOLDER = 'filter (/): words, "a phrase", -not, participant:"…", topic:…, country:TM, kind:…, from:2022'


class FieldSuggester(Suggester):
    """Suggests the field name that the last word starts (→ accepts it), from the filter's field table."""

    def __init__(self) -> None:
        super().__init__(use_cache=True, case_sensitive=True)

    async def get_suggestion(self, value: str) -> str | None:
        return field_completion(value)


class FilterInput(Input):
    """The filter's text field (a class of its own, so that the app can tell it from other inputs)."""


class FilterBar(Vertical):
    def compose(self) -> ComposeResult:
        yield FilterInput(
            placeholder=PLACEHOLDER, id="filter", select_on_focus=False, suggester=FieldSuggester()
        )
        yield Static(Content(""), id="filter-error", markup=False)

    @property
    def input(self) -> FilterInput:
        return self.query_one("#filter", FilterInput)

    def on_input_changed(self, message: Input.Changed) -> None:
        message.stop()
        self.post_message(FilterEdited(message.value))

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
