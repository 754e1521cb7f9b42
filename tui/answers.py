"""What the dashboard asked the store and what came back: the one test of whether an answer is current.

The dashboard asks one `Question` at a time: the filter text (the last one that parsed), the sort, the
timeline's zoom, the selected event, and the store generation (how many store changes — a chunk of the initial
load, a batch of the watcher — the dashboard had taken in when it asked). Every answer it shows carries the
question it was computed for: the meetings' result (`Matches`), the side panes' counts (`Counts`), the timeline
(`TimelineCounts`), the selected event in full (`Detail`), its related events (`Related`), the problem lines
(`Problems`) and the alert history (`AlertHistory`). Each is held by the screen's reactive named by its
`shown_in`, bound into the pane that shows it. An answer is current when it answers the question in force in the parts it depends on
(`Answer.depends_on`); a worker that finishes late, a search overtaken by a keystroke, a zoom changed while the
timeline was counted are all the same comparison, `answer.answers(question)`, instead of counters kept by hand.

Nothing here touches a widget or the store: answers are made in thread workers and handed to the screen in
messages, so everything in them is frozen.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Literal

from store.alerts import AlertHit
from store.entities.cross_references import Relation
from store.event_store import QueryResult
from store.index.aggregates import PersonCount
from store.index.timeline import Timeline, Zoom
from store.model.changes import Changes
from store.model.event import Event
from store.model.problems import Problem

Facet = Literal["text", "sort", "zoom", "generation", "selection"]

Follow = Literal["scroll", "selection", "top", "load"]
"""What a new meetings answer keeps in place (see `MeetingsView.show_result`); "load", a chunk of the initial
load, is "top" until the user has chosen something (moved the cursor, typed a filter, jumped), then "scroll"."""

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
    selection: str | None = None
    """The event the detail and related panes are about (None: nothing selected)."""


@dataclass(frozen=True, slots=True, eq=False)
class Answer:
    """A value computed for a question; `depends_on` names the parts of the question it varies with.

    Answers compare by identity (`eq=False`): two answers are never "the same" because their numbers agree,
    and a reactive holding one hears of every new one."""

    question: Question
    depends_on: ClassVar[tuple[Facet, ...]] = ("text", "sort", "zoom", "generation", "selection")
    shown_in: ClassVar[str] = ""
    """The screen's reactive that holds this kind of answer (bound into the pane that shows it)."""

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
    shown_in: ClassVar[str] = "answer"


@dataclass(frozen=True, slots=True, eq=False)
class Counts(Answer):
    """The side panes' counts over one answer's events: people and topics, capped, with their totals."""

    participants: list[PersonCount]
    participant_total: int
    topics: list[tuple[str, int]]
    topic_total: int
    people_behind: bool = False
    """The people are of an earlier commit than the events (a dashboard following another's, until that
    one writes the people's tables of its last commit: `EventStore.people_behind`)."""
    depends_on: ClassVar[tuple[Facet, ...]] = ("text", "generation")
    shown_in: ClassVar[str] = "counts"


@dataclass(frozen=True, slots=True, eq=False)
class TimelineCounts(Answer):
    """The timeline of a filter (its date terms left out), by the zoom it was asked for."""

    timeline: Timeline
    depends_on: ClassVar[tuple[Facet, ...]] = ("text", "zoom", "generation")
    shown_in: ClassVar[str] = "timeline_counts"


@dataclass(frozen=True, slots=True, eq=False)
class Detail(Answer):
    """The selected event in full (None: nothing selected, or it left the folder) and the words the filter
    highlights in it (whether its file is unreadable now comes bound on its own: the screen's `stale`)."""

    event: Event | None
    highlight: tuple[str, ...] = ()
    depends_on: ClassVar[tuple[Facet, ...]] = ("selection", "text", "generation")
    shown_in: ClassVar[str] = "event_detail"


@dataclass(frozen=True, slots=True, eq=False)
class Related(Answer):
    """The events related to the selected one, best first, with the store's reasons."""

    relations: list[Relation]
    depends_on: ClassVar[tuple[Facet, ...]] = ("selection",)
    """Not the generation: a batch that may change them asks again (the exclusive worker drops the older
    answer), and a batch that cannot (a load's progress, say) leaves them standing."""
    shown_in: ClassVar[str] = "related"


@dataclass(frozen=True, slots=True, eq=False)
class Problems(Answer):
    """The problem lines of the folder and how many files they are about."""

    problems: list[Problem]
    files: int
    depends_on: ClassVar[tuple[Facet, ...]] = ("generation",)
    shown_in: ClassVar[str] = "problems"


@dataclass(frozen=True, slots=True, eq=False)
class AlertHistory(Answer):
    """What the alert rules fired on, newest first, and how many rules are in force."""

    hits: list[AlertHit]
    rules: int
    depends_on: ClassVar[tuple[Facet, ...]] = ("generation",)
    shown_in: ClassVar[str] = "alert_history"


@dataclass(frozen=True, slots=True)
class ChangeBatch:
    """One batch of store changes the screen took in (the watcher's, merged), as data for the panes that keep
    copies of events: the meetings forget and mark their rows from it. `generation` is the screen's count of
    store changes once this one is in, so two batches that name the same ids are still two."""

    generation: int
    changes: Changes
