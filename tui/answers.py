"""What the dashboard asked the store and what came back: the one test of whether an answer is current.

The dashboard asks one `Question` at a time: the filter text (the last one that parsed), the sort, the
timeline's zoom, and the store generation (how many store changes — a chunk of the initial load, a batch of
the watcher — the dashboard had taken in when it asked). Every answer it shows carries the question it was
computed for: the meetings' result (`Matches`), the side panes' counts (`Counts`) and the timeline
(`TimelineCounts`). An answer is current when it answers the question in force in the parts it depends on
(`Answer.depends_on`); a worker that finishes late, a search overtaken by a keystroke, a zoom changed while the
timeline was counted are all the same comparison, `answer.answers(question)`, instead of counters kept by hand.

Nothing here touches a widget or the store: answers are made in thread workers and handed to the screen in
messages, so everything in them is frozen.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Literal

from store.event_store import QueryResult
from store.index.aggregates import PersonCount
from store.index.timeline import Timeline, Zoom

Facet = Literal["text", "sort", "zoom", "generation"]

Follow = Literal["scroll", "selection", "top"]
"""What a new meetings answer keeps in place (see `MeetingsView.show_result`)."""

DESCENDING_FIRST = frozenset({"date", "participants", "arrival"})
"""Orders first taken from the top down when chosen (newest, most people, last arrived); the others A to Z."""


@dataclass(frozen=True, slots=True)
class Sort:
    """The meetings' order: a store sort key (`EventStore.query(sort=…)`) and its direction."""

    column: str = "date"
    descending: bool = True

    def reversed(self) -> Sort:
        return Sort(self.column, not self.descending)

    def by(self, column: str) -> Sort:
        """The order a click or a command on `column` asks for: the same column reversed, another one in its
        first direction."""
        if column == self.column:
            return self.reversed()
        return Sort(column, column in DESCENDING_FIRST)


@dataclass(frozen=True, slots=True)
class Question:
    """What the dashboard asks the store (see the module docstring)."""

    text: str = ""
    sort: Sort = Sort()
    zoom: Zoom = "month"
    generation: int = 0


@dataclass(frozen=True, slots=True, eq=False)
class Answer:
    """A value computed for a question; `depends_on` names the parts of the question it varies with.

    Answers compare by identity (`eq=False`): two answers are never "the same" because their numbers agree,
    and a reactive holding one hears of every new one."""

    question: Question
    depends_on: ClassVar[tuple[Facet, ...]] = ("text", "sort", "zoom", "generation")

    def answers(self, question: Question) -> bool:
        """This answer is still the answer to `question`: nothing it depends on changed since it was asked."""
        return all(getattr(self.question, facet) == getattr(question, facet) for facet in self.depends_on)


@dataclass(frozen=True, slots=True, eq=False)
class Matches(Answer):
    """The matching events in display order. It stays current across store changes (a live batch asks again
    on its own): what a search in a thread answers is judged by the filter and the order it was asked for."""

    result: QueryResult
    follow: Follow = "scroll"
    """Why it was asked, so what the meetings keep in place when it replaces the last one."""
    depends_on: ClassVar[tuple[Facet, ...]] = ("text", "sort")


@dataclass(frozen=True, slots=True, eq=False)
class Counts(Answer):
    """The side panes' counts over one answer's events: people and topics, capped, with their totals."""

    participants: list[PersonCount]
    participant_total: int
    topics: list[tuple[str, int]]
    topic_total: int
    depends_on: ClassVar[tuple[Facet, ...]] = ("text", "generation")


@dataclass(frozen=True, slots=True, eq=False)
class TimelineCounts(Answer):
    """The timeline of a filter (its date terms left out), by the zoom it was asked for."""

    timeline: Timeline
    depends_on: ClassVar[tuple[Facet, ...]] = ("text", "zoom", "generation")
