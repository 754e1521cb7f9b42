"""Related events of one event, ranked, each with its reasons in words.

An analyst reading about the 4 May 2023 Ashgabat consultations wants the bilateral meeting held beside them,
the earlier rounds of the same consultations, the signing of the Declaration they cite, and other meetings of
the same people. Each kind of relation adds to a score; explicit links weigh most, so they always rank
first. Candidates come from the index's tables (links, series, dates, people, documents, organisations), so
the cost depends on how connected the event is, not on the size of the corpus.
"""

from __future__ import annotations

from array import array
from collections import Counter
from dataclasses import dataclass

import numpy as np

from store.event import Event
from store.search_index import SearchIndex
from store.textfold import fold

EXPLICIT_LINK = 1000
"""Above every sum of the other weights: an explicit link is the author's word and always ranks first."""
SAME_SERIES = 60
SAME_DAY_AND_PLACE = 50
SHARED_DOCUMENT = 40
SHARED_PERSON = 15
SHARED_ORGANIZATION_AND_TOPIC = 5
MOST_FORMAT_EVENTS = 500
"""Meetings of the same format (C5+1, NATO) are related even without a shared topic, unless the format is
so common (the UN) that sharing it says nothing: then a shared topic is needed too."""
MOST_RELATED = 50
"""An event tied to thousands (a popular minister) shows the best fifty: nobody reads further."""


@dataclass(frozen=True, slots=True)
class Relation:
    id: str
    title: str
    date: str
    score: int
    reasons: tuple[str, ...]

    def as_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "title": self.title,
            "date": self.date,
            "score": self.score,
            "reasons": list(self.reasons),
        }


def _round_key(event: Event) -> frozenset[str] | None:
    """Consultations between the same countries are rounds of one series, even when no file says so."""
    if event.kind != "consultation" or len(event.countries) < 2:
        return None
    return frozenset(event.countries)


def _names(index: SearchIndex, keys: list[tuple[str, str]]) -> str:
    persons = index.people.persons
    return ", ".join(persons[key].name for key in keys if key in persons)


def related_events(index: SearchIndex, event_id: str) -> list[Relation]:
    docno = index.docno_of.get(event_id)
    if docno is None:
        raise KeyError(event_id)
    me = index.live[docno]
    event = me.event
    scores: Counter[int] = Counter()
    reasons: dict[int, list[str]] = {}

    def note(other: int, points: int, reason: str) -> None:
        if other == docno or other not in index.live:
            return
        scores[other] += points
        reasons.setdefault(other, []).append(reason)

    for link in event.related:
        other = index.docno_of.get(link.id)
        if other is not None:
            note(other, EXPLICIT_LINK, f"explicit link{_as(link.relation)}")
    for source_id in index.linked_from.get(event.id, ()):
        other = index.docno_of.get(source_id)
        if other is not None:
            relation = next((link.relation for link in index.event(other).related if link.id == event.id), "")
            note(other, EXPLICIT_LINK, f"explicit link from it{_as(relation)}")

    if event.series:
        for other in index.series.get(event.series, ()):
            note(other, SAME_SERIES, f"same series: {event.series}")
    round_key = _round_key(event)
    if round_key is not None:
        candidates: array[int] | list[int] = index.kinds.get("consultation", _NONE)
        for code in round_key:
            candidates = _both(candidates, index.countries.get(code, _NONE))
        for other in candidates:
            other_event = index.event(other)
            if other_event.series and other_event.series == event.series:
                continue
            if _round_key(other_event) == round_key and other_event.sort_date[:4] != event.sort_date[:4]:
                codes = "–".join(sorted(round_key))
                note(other, SAME_SERIES, f"another round of {codes} consultations ({other_event.date})")

    my_people = set(me.persons)
    shared_people: dict[int, list[tuple[str, str]]] = {}
    for key in me.persons:
        person = index.people.persons.get(key)
        if person is None:
            continue
        for other in person.docnos:
            if other != docno:
                shared_people.setdefault(other, []).append(key)

    if len(event.date) == 10 and event.city:
        for other in index.docnos_on(event.sort_date):
            other_event = index.event(other)
            if other != docno and fold(other_event.city) == fold(event.city):
                overlap = len(my_people & set(index.live[other].persons))
                with_people = f", {overlap} shared participant{'s' * (overlap != 1)}" if overlap else ""
                points = SAME_DAY_AND_PLACE if overlap else SAME_DAY_AND_PLACE // 2
                note(other, points, f"same day and place ({event.city}, {event.date}){with_people}")

    for other, keys in shared_people.items():
        note(
            other,
            SHARED_PERSON * len(keys),
            f"shared participant{'s' * (len(keys) > 1)}: {_names(index, keys)}",
        )

    for document in event.documents:
        for other in index.documents.get(fold(document.title), ()):
            note(other, SHARED_DOCUMENT, f"both refer to {document.title}")

    my_topics = set(event.topics)
    by_other: dict[int, tuple[set[str], set[str]]] = {}
    for organization in event.organizations:
        members = index.organizations.get(organization, _NONE)
        if len(members) <= MOST_FORMAT_EVENTS:
            for other in members:
                by_other.setdefault(other, (set(), set()))[0].add(organization)
        for topic in my_topics:
            for other in _both(members, index.topics.get(topic, _NONE)):
                orgs, topics = by_other.setdefault(other, (set(), set()))
                orgs.add(organization)
                topics.add(topic)
    for other, (orgs, topics) in by_other.items():
        names = ", ".join(sorted(orgs))
        if topics:
            reason = f"shared organizations ({names}) on {', '.join(sorted(topics))}"
        else:
            reason = f"same format: {names}"
        note(other, SHARED_ORGANIZATION_AND_TOPIC * (len(orgs) + len(topics)), reason)

    ranked = sorted(
        scores.items(),
        key=lambda item: (
            -item[1],
            _distance(index.event(item[0]).sort_date, event.sort_date),
            index.event(item[0]).id,
        ),
    )
    return [
        Relation(
            id=index.event(other).id,
            title=index.event(other).title,
            date=index.event(other).date,
            score=score,
            reasons=tuple(reasons[other]),
        )
        for other, score in ranked[:MOST_RELATED]
    ]


_NONE: array[int] = array("I")
"""The documents of a value no event has (never appended to)."""


def _both(first: array[int] | list[int], second: array[int]) -> list[int]:
    """The documents in both of two sorted arrays of document numbers (the index's table entries); the
    numpy views last only for the call."""
    if not first or not second:
        return []
    small = np.asarray(first, dtype=np.uint32)
    large = np.asarray(second, dtype=np.uint32)
    if len(small) > len(large):
        small, large = large, small
    positions = np.minimum(np.searchsorted(large, small), len(large) - 1)
    return small[large[positions] == small].tolist()


def _as(relation: str) -> str:
    return f" ({relation})" if relation else ""


def _distance(first: str, second: str) -> int:
    """Days apart, roughly (year*366 + month*31 + day): enough to put nearer rounds first."""

    def ordinal(day: str) -> int:
        return int(day[:4]) * 366 + int(day[5:7]) * 31 + int(day[8:10])

    return abs(ordinal(first) - ordinal(second))
