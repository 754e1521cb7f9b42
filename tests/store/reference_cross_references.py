"""The cross-references as they were first written, event by event in Python: the reference the
vectorised `store.cross_references` must agree with exactly (scores, order, reasons)."""

from __future__ import annotations

from array import array
from collections import Counter

from store.cross_references import (
    _NONE,
    EXPLICIT_LINK,
    MOST_FORMAT_EVENTS,
    MOST_RELATED,
    SAME_DAY_AND_PLACE,
    SAME_SERIES,
    SHARED_DOCUMENT,
    SHARED_ORGANIZATION_AND_TOPIC,
    SHARED_PERSON,
    Relation,
    _as,
    _both,
    _names,
    _round_key,
)
from store.search_index import SearchIndex
from store.textfold import fold


def reference_related_events(index: SearchIndex, event_id: str) -> list[Relation]:
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


def _distance(first: str, second: str) -> int:
    """Days apart, roughly (year*366 + month*31 + day): enough to put nearer rounds first."""

    def ordinal(day: str) -> int:
        return int(day[:4]) * 366 + int(day[5:7]) * 31 + int(day[8:10])

    return abs(ordinal(first) - ordinal(second))
