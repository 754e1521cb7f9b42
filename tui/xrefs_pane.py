"""The cross-references pane [#xrefs]: the events related to the selected one, best first.

Each row: date and title, then the store's reasons in words, one to a line, wrapped to the pane's width so
that an analyst reads all of what ties the two (an ellipsis would hide the part that says how much it counted). Enter or a click asks the app
to jump there (`JumpToEvent`); the screen keeps the way back (backspace). The relations come bound from the
screen (`related`, a `tui.answers.Related`); the pane never asks the store.
"""

from __future__ import annotations

from textual.content import Content
from textual.reactive import var
from textual.widgets.option_list import Option

from store.entities.cross_references import Relation
from tui.answers import Related
from tui.capped_list import EventList, unique_ids
from tui.display_text import one_line


def relation_row(relation: Relation) -> Content:
    return Content.assemble(
        (one_line(relation.date) + "  ", "bold"),
        one_line(relation.title),
        *(("\n   " + one_line(reason), "dim italic") for reason in relation.reasons),
    )


class XrefsPane(EventList):
    title = "Related"
    empty_text = "No related event: none shares a series, a link or enough people, places and dates."
    related: var[Related | None] = var(None, init=False)
    selection: var[str | None] = var(None, init=False)
    """The selected event: until its related events come (they are weighed in a thread), the rows shown are
    another event's, and the pane says so (dimmed, "relating…") rather than pass them off as this one's."""

    def watch_related(self, related: Related | None) -> None:
        if related is not None:
            self.show(related.relations)
        self._mark_asking()

    def watch_selection(self) -> None:
        self._mark_asking()

    def _mark_asking(self) -> None:
        related = self.related
        asking = self.selection is not None and (
            related is None or related.question.selection != self.selection
        )
        self.set_class(asking, "asking")
        self.border_subtitle = "relating…" if asking else None

    def show(self, relations: list[Relation]) -> None:
        if self.unchanged(tuple(relations)):
            return
        self.targets = [relation.id for relation in relations]
        keys = unique_ids(self.targets)
        options = [
            Option(relation_row(relation), id=key) for relation, key in zip(relations, keys, strict=True)
        ]
        self.replace_options(options)
