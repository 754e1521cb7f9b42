"""The participants pane [#participants]: people across the matching events, most events first.

Each row: events, name, countries, the years of their first and last event, the other spellings merged into
this person (the store resolves them: `store.entities.person_resolution`) and the most frequent role. Enter or
a click asks for `participant:"NAME"` to be toggled in the filter, NAME the person's fullest spelling (the
filter finds the resolved person, with every alias, by it); the pane never edits the filter text itself.
"""

from __future__ import annotations

from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from store.index.aggregates import PersonCount
from tui.answers import Counts
from tui.capped_list import CAP, CountedList, unique_ids
from tui.display_text import one_line
from tui.messages import ToggleFilterTerm


def person_row(person: PersonCount, count_width: int) -> Content:
    parts: list[str | tuple[str, str]] = [(f"{person.events:>{count_width}} ", "bold"), one_line(person.name)]
    if person.countries:
        parts.append((" " + one_line(" ".join(person.countries)), "italic"))
    if person.span:
        parts.append((" " + person.span, "dim"))
    if person.aliases:
        parts.append(("  aka " + one_line(", ".join(person.aliases)), "dim italic"))
    if person.roles:
        parts.append(("  " + one_line(person.roles[0]), "dim"))
    return Content.assemble(*parts)


class ParticipantsPane(CountedList):
    title = "Participants"

    behind = False
    """The people shown are of an earlier commit (`Counts.people_behind`): the title says so."""

    def show_counts(self, counts: Counts) -> None:
        self.show(counts.participants, counts.participant_total, behind=counts.people_behind)

    def show(self, people: list[PersonCount], total: int, *, behind: bool = False) -> None:
        if self.unchanged((tuple(people[:CAP]), total, behind)):
            return
        self.behind = behind
        self.people = people[:CAP]
        keys = unique_ids([f"{person.name}|{' '.join(person.countries)}" for person in self.people])
        width = len(str(self.people[0].events)) if self.people else 1
        options = [
            Option(person_row(person, width), id=key) for person, key in zip(self.people, keys, strict=True)
        ]
        self.replace_options(options, total)

    def set_title(self, shown: int, total: int) -> None:
        super().set_title(shown, total)
        if self.behind:
            self.border_title = f"{self.border_title} · catching up"

    def on_option_list_option_selected(self, message: OptionList.OptionSelected) -> None:
        message.stop()
        index = message.option_index
        if 0 <= index < len(self.people):
            self.post_message(ToggleFilterTerm("participant", toggle_name(self.people[index])))


def toggle_name(person: PersonCount) -> str:
    """The spelling the toggle filters by: the fullest (most words, then most used), so that a person shown
    as "Bush" is filtered as "George W. Bush" and not as every Bush."""
    spellings = [spelling for spelling, _ in person.spellings] or [person.name]
    return max(spellings, key=lambda spelling: len(spelling.split()))
