"""The shared shape of the small panes: a capped option list refilled in place.

Participants, topics, cross-references and problems show at most `CAP` rows (the most relevant first; the
pane's title says how many were left out), so the stock `OptionList` is fast enough there. Refilling it keeps
the highlighted row (by option id) and the scroll position, so a live update never moves the user.
"""

from __future__ import annotations

from textual.binding import Binding
from textual.content import Content
from textual.reactive import var
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from tui.answers import Counts
from tui.messages import JumpToEvent

CAP = 500
"""Rows shown at most in a small pane: nobody reads further, and the widget stays instant."""


def unique_ids(keys: list[str]) -> list[str]:
    """Option ids that follow their row's subject (so the highlight follows it too), made unique."""
    seen: dict[str, int] = {}
    ids = []
    for key in keys:
        count = seen.get(key, 0)
        seen[key] = count + 1
        ids.append(key if not count else f"{key}#{count}")
    return ids


class CappedList(OptionList):
    BINDINGS = [
        Binding("k", "cursor_up", "Up", show=False, id="list.cursor_up"),
        Binding("j", "cursor_down", "Down", show=False, id="list.cursor_down"),
    ]

    title = "List"
    empty_text = ""
    """What an empty pane says: why it is empty and what to do (one dim, unselectable row)."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, markup=False)
        self.border_title = self.title

    _rows_shown: object = None

    def unchanged(self, rows: object) -> bool:
        """Whether these rows (as values) are the ones on screen; if not, they are noted as shown. A live
        batch that changes nothing in a pane then costs it nothing: laying out 50 wrapped related rows again
        took ~35 ms of the interface thread at every batch."""
        if rows == self._rows_shown:
            return True
        self._rows_shown = rows
        return False

    def replace_options(self, options: list[Option], total: int | None = None) -> None:
        """Show new rows (already capped by the caller), keeping the highlighted row and the scroll."""
        highlighted = self.highlighted_option.id if self.highlighted_option is not None else None
        scroll_y = self.scroll_y
        with self.prevent(OptionList.OptionHighlighted):
            empty = [Option(Content.styled(self.empty_text, "dim italic"), disabled=True)]
            self.set_options(options or (empty if self.empty_text else []))
            if highlighted is not None and highlighted in self._id_to_option:
                self.highlighted = self.get_option_index(highlighted)
            elif highlighted is not None and options:
                self.highlighted = 0
        self.scroll_to(y=scroll_y, animate=False, immediate=True)
        self.set_title(len(options), len(options) if total is None else total)

    def set_title(self, shown: int, total: int) -> None:
        if total > shown:
            self.border_title = f"{self.title} · top {shown:,} of {total:,}"
        else:
            self.border_title = f"{self.title} · {total:,}"


class EventList(CappedList):
    """A capped list whose rows stand for events (`targets`, by row): Enter or a click jumps to one."""

    targets: list[str] = []

    def on_option_list_option_selected(self, message: OptionList.OptionSelected) -> None:
        message.stop()
        if 0 <= message.option_index < len(self.targets):
            self.post_message(JumpToEvent(self.targets[message.option_index]))


class CountedList(CappedList):
    """A capped list of counts over the matching events: they come bound from the screen (`counts`)."""

    counts: var[Counts | None] = var(None, init=False)

    def watch_counts(self, counts: Counts | None) -> None:
        if counts is not None:
            self.show_counts(counts)

    def show_counts(self, counts: Counts) -> None:
        """Show this pane's part of the counts."""
        raise NotImplementedError
