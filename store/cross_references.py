"""Related events of one event, ranked, each with its reasons in words.

An analyst reading about the 4 May 2023 Ashgabat consultations wants the bilateral meeting held beside them,
the earlier rounds of the same consultations, the signing of the Declaration they cite, and other meetings of
the same people. Each kind of relation adds to a score; explicit links weigh most, so they always rank
first. Candidates come from the index's tables (links, series, dates, people, documents, organisations), so
the cost depends on how connected the event is, not on the size of the corpus.
"""

from __future__ import annotations

import bisect
from array import array
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

import numpy as np

from store.event import Event
from store.search_index import Indexed, SearchIndex, day_number
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


@dataclass(slots=True)
class _Ties:
    """One kind of tie from the event to others: who (sorted, unique), how many points each, and the reason
    in words for one of them. Scores are summed over every kind at once with numpy; reasons are written only
    for the few that rank, since an event of a popular minister at 1,000,000 events has tens of thousands
    of candidates (writing them all took up to 2 s, on the interface thread, at every cursor move)."""

    docnos: np.ndarray
    points: np.ndarray | int
    reason: Callable[[int], str]

    def holds(self, other: int) -> bool:
        position = int(np.searchsorted(self.docnos, other))
        return position < len(self.docnos) and int(self.docnos[position]) == other


def _ties(
    docnos: Iterable[int] | np.ndarray, points: np.ndarray | int, reason: Callable[[int], str]
) -> _Ties:
    found = np.asarray(docnos if isinstance(docnos, np.ndarray) else list(docnos), dtype=np.int64)
    order = np.argsort(found, kind="stable")
    found = found[order]
    return _Ties(found, points if isinstance(points, int) else np.asarray(points)[order], reason)


def related_events(index: SearchIndex, event_id: str) -> list[Relation]:
    docno = index.docno_of.get(event_id)
    if docno is None:
        raise KeyError(event_id)
    me = index.live[docno]
    event = me.event
    ties = [*_explicit_links(index, event), *_same_series(index, event), *_same_place(index, me)]
    ties += [*_shared_people(index, me), *_shared_documents(index, event), *_shared_formats(index, event)]
    ties = [tie for tie in ties if len(tie.docnos)]
    if not ties:
        return []
    everyone = np.concatenate([tie.docnos for tie in ties])
    points = np.concatenate([np.broadcast_to(tie.points, len(tie.docnos)) for tie in ties])
    others, slots = np.unique(everyone, return_inverse=True)
    scores = np.bincount(slots, weights=points).astype(np.int64)
    live = index.live_mask()
    keep = (others != docno) & (others < len(live))
    keep[keep] = live[others[keep]]
    others, scores = others[keep], scores[keep]
    ranked = _best(index, others, scores, event.sort_date)
    return [
        Relation(
            id=index.event(other).id,
            title=index.event(other).title,
            date=index.event(other).date,
            score=score,
            reasons=tuple(tie.reason(other) for tie in ties if tie.holds(other)),
        )
        for other, score in ranked
    ]


def _best(index: SearchIndex, others: np.ndarray, scores: np.ndarray, day: str) -> list[tuple[int, int]]:
    """The `MOST_RELATED` best (docno, score): highest score, then nearest date, then id."""
    days = index.day_of(others)
    distance = np.abs(_ordinal(days) - _ordinal(np.asarray([day_number(day)])))
    order = np.lexsort((distance, -scores))
    if len(order) > MOST_RELATED:  # the cut may fall inside a tie that only the ids decide
        last = order[MOST_RELATED - 1]
        tied = order[(scores[order] == scores[last]) & (distance[order] == distance[last])]
        order = np.union1d(order[:MOST_RELATED], tied)
    chosen = [(int(others[at]), int(scores[at]), int(distance[at])) for at in order.tolist()]
    chosen.sort(key=lambda item: (-item[1], item[2], index.event(item[0]).id))
    return [(other, score) for other, score, _ in chosen[:MOST_RELATED]]


def _ordinal(days: np.ndarray) -> np.ndarray:
    """Days apart, roughly (year*366 + month*31 + day): enough to put nearer rounds first."""
    days = days.astype(np.int64)
    return days // 10000 * 366 + days // 100 % 100 * 31 + days % 100


def _always(reason: str) -> Callable[[int], str]:
    return lambda _: reason


def _explicit_links(index: SearchIndex, event: Event) -> Iterator[_Ties]:
    for link in event.related:
        other = index.docno_of.get(link.id)
        if other is not None:
            yield _ties([other], EXPLICIT_LINK, _always(f"explicit link{_as(link.relation)}"))
    for source_id in index.linked_from.get(event.id, ()):
        other = index.docno_of.get(source_id)
        if other is not None:
            relation = next((link.relation for link in index.event(other).related if link.id == event.id), "")
            yield _ties([other], EXPLICIT_LINK, _always(f"explicit link from it{_as(relation)}"))


def _same_series(index: SearchIndex, event: Event) -> Iterator[_Ties]:
    if event.series:
        members = np.frombuffer(index.series.get(event.series, _NONE), dtype=np.uint32)
        yield _ties(members, SAME_SERIES, _always(f"same series: {event.series}"))
    round_key = _round_key(event)
    if round_key is not None:
        candidates: array[int] | list[int] = index.kinds.get("consultation", _NONE)
        for code in round_key:
            candidates = _both(candidates, index.countries.get(code, _NONE))
        rounds = []
        for other in candidates:
            other_event = index.event(other)
            if other_event.series and other_event.series == event.series:
                continue
            if _round_key(other_event) == round_key and other_event.sort_date[:4] != event.sort_date[:4]:
                rounds.append(other)
        codes = "–".join(sorted(round_key))
        yield _ties(
            rounds,
            SAME_SERIES,
            lambda other: f"another round of {codes} consultations ({index.event(other).date})",
        )


def _same_place(index: SearchIndex, me: Indexed) -> Iterator[_Ties]:
    event = me.event
    if len(event.date) != 10 or not event.city:
        return
    my_people = set(me.persons)
    city = fold(event.city)
    found, points, overlaps = [], [], {}
    for other in index.docnos_on(event.sort_date):
        if fold(index.event(other).city) == city:
            overlap = overlaps[other] = len(my_people & set(index.live[other].persons))
            found.append(other)
            points.append(SAME_DAY_AND_PLACE if overlap else SAME_DAY_AND_PLACE // 2)

    def reason(other: int) -> str:
        overlap = overlaps[other]
        with_people = f", {overlap} shared participant{'s' * (overlap != 1)}" if overlap else ""
        return f"same day and place ({event.city}, {event.date}){with_people}"

    yield _ties(found, np.asarray(points, dtype=np.int64), reason)


def _shared_people(index: SearchIndex, me: Indexed) -> Iterator[_Ties]:
    persons = [index.people.persons.get(key) for key in me.persons]
    known = [person for person in persons if person is not None]
    if not known:
        return
    everyone = np.concatenate([np.frombuffer(person.docnos, dtype=np.uint32) for person in known])
    others, counts = np.unique(everyone, return_counts=True)

    def reason(other: int) -> str:
        keys = [person.key for person in known if _holds(person.docnos, other)]
        return f"shared participant{'s' * (len(keys) > 1)}: {_names(index, keys)}"

    yield _ties(others, SHARED_PERSON * counts.astype(np.int64), reason)


def _shared_documents(index: SearchIndex, event: Event) -> Iterator[_Ties]:
    for document in event.documents:
        members = np.frombuffer(index.documents.get(fold(document.title), _NONE), dtype=np.uint32)
        yield _ties(members, SHARED_DOCUMENT, _always(f"both refer to {document.title}"))


def _shared_formats(index: SearchIndex, event: Event) -> Iterator[_Ties]:
    """Organisations: a small one (a format) ties its meetings; a large one only with a shared topic."""
    applies: dict[str, list[np.ndarray]] = {}  # organisation or topic → the events it ties
    for organization in event.organizations:
        members = index.organizations.get(organization, _NONE)
        tied = applies.setdefault(organization, [])
        if len(members) <= MOST_FORMAT_EVENTS:
            tied.append(np.frombuffer(members, dtype=np.uint32))
        for topic in set(event.topics):
            both = np.asarray(_both(members, index.topics.get(topic, _NONE)), dtype=np.uint32)
            tied.append(both)
            applies.setdefault("\0" + topic, []).append(both)
    sets = {name: np.unique(np.concatenate(arrays)) for name, arrays in applies.items() if arrays}
    if not sets:
        return
    others, counts = np.unique(np.concatenate(list(sets.values())), return_counts=True)

    def reason(other: int) -> str:
        names = [name for name, members in sets.items() if _holds(members, other)]
        orgs = ", ".join(sorted(name for name in names if not name.startswith("\0")))
        topics = sorted(name[1:] for name in names if name.startswith("\0"))
        return f"shared organizations ({orgs}) on {', '.join(topics)}" if topics else f"same format: {orgs}"

    yield _ties(others, SHARED_ORGANIZATION_AND_TOPIC * counts.astype(np.int64), reason)


def _holds(docnos: array[int] | np.ndarray, other: int) -> bool:
    position = bisect.bisect_left(docnos, other)
    return position < len(docnos) and docnos[position] == other


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
