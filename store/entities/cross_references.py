"""Related events of one event, ranked, each with its reasons in words.

An analyst reading about the 4 May 2023 Ashgabat consultations wants the bilateral meeting held beside them,
the earlier rounds of the same consultations, the signing of the Declaration they cite, and other meetings of
the same people. Each kind of relation adds to a score; explicit links weigh most, so they always rank
first. Candidates come from the index's tables (links, series, dates, people, documents, organisations), so
the cost depends on how connected the event is, not on the size of the corpus.
"""

from __future__ import annotations

import datetime
import math
from array import array
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

import numpy as np

from store.entities.gazetteer import Place
from store.index.aggregates import person_name, resolved_persons, resolved_persons_of
from store.index.protocol import IndexReader, PersonKey, day_number, round_key
from store.model.countries import name_for
from store.model.event import Event
from store.model.textfold import fold

EXPLICIT_LINK = 1000
"""Above every sum of the other weights: an explicit link is the author's word and always ranks first."""
SAME_SERIES = 60
SAME_MEETING = 90
"""The same meeting in another source (within two days, same place, people or countries in common): what an
analyst wants first after the author's own links."""
SAME_DAY_AND_PLACE = 50
SAME_JOURNEY = 30
"""A leg of the same journey (the same record keeper, within three days)."""
MOST_LEGS_ON_TOP = 2
"""One journey's legs take at most this many of the top five rows."""
SHARED_DOCUMENT = 40
SHARED_PERSON = 45
"""The most a shared person counts: one in a handful of events. Each counts `SHARED_PERSON × rarity²`, the
rarity being log(N / events with them) / log N, so someone in most of a source's records (the traveller of
a travel log) counts almost nothing."""
KEEPER_EVENTS = 20
KEEPER_SHARE_OF_EVENTS = 0.5
KEEPER_SHARE = 0.05
"""A record's keeper (in at least `KEEPER_EVENTS` events, at least half of them from this record: the
traveller of a travel log) says almost nothing about how two of its records are related: their weight is
multiplied by this."""
LEAST_SCORE = 2
"""Relations scoring less (ties only by a record's keeper or a common country) are not shown."""
SHARED_FORMAT = 40
"""The most a shared organisation counts, weighed by rarity like a person (NATO: some; the UN: little)."""
SHARED_COUNTRY = 15
"""The most a shared country counts, weighed by rarity (the United States of a US record: nothing)."""
COMMON_COUNTRY = 0.2
"""A country in more than this share of the events ties nothing (and costs nothing to look at)."""
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


@dataclass(slots=True)
class _Ties:
    """One kind of tie from the event to others: who (sorted, unique), how many points each, and the reason
    in words for one of them. Scores are summed over every kind at once with numpy; reasons are written only
    for the few that rank, since an event of a popular minister at 1,000,000 events has tens of thousands
    of candidates (writing them all took up to 2 s, on the interface thread, at every cursor move)."""

    docnos: np.ndarray
    points: np.ndarray | float
    reason: Callable[[int], str]
    alone: bool = True
    """Whether this tie alone makes a relation worth showing; a common country, or a record's keeper
    (`KEEPER_SHARE`), only adds to others: "both with Canada" is true of every trip to Canada."""


def _ties(
    docnos: Iterable[int] | np.ndarray,
    points: np.ndarray | float,
    reason: Callable[[int], str],
    alone: bool = True,
) -> _Ties:
    found = np.asarray(docnos if isinstance(docnos, np.ndarray) else list(docnos), dtype=np.int64)
    order = np.argsort(found, kind="stable")
    found = found[order]
    points = points if isinstance(points, int | float) else np.asarray(points)[order]
    return _Ties(found, points, reason, alone)


def related_events(index: IndexReader, event_id: str) -> list[Relation]:
    docno = index.docno(event_id)
    if docno is None:
        raise KeyError(event_id)
    event = index.event(docno)
    ties = [*_explicit_links(index, event), *_same_series(index, event), *_same_meeting(index, docno, event)]
    ties += [
        *_shared_people(index, docno, event),
        *_shared_documents(index, event),
        *_shared_formats(index, event),
    ]
    ties += [*_shared_countries(index, event)]
    ties = [tie for tie in ties if len(tie.docnos)]
    if not ties:
        return []
    everyone = np.concatenate([tie.docnos for tie in ties])
    points = np.concatenate([np.broadcast_to(tie.points, len(tie.docnos)) for tie in ties])
    # Summed per docno by `bincount` over the docno range (docnos are dense): the same additions in the same
    # order as through `np.unique(..., return_inverse=True)`, without sorting tens of thousands of entries.
    others = np.flatnonzero(np.bincount(everyone))
    scores = np.rint(np.bincount(everyone, weights=points)[others]).astype(np.int64)
    live = index.live_mask()
    keep = (others != docno) & (others < len(live))
    keep[keep] = live[others[keep]]
    alone = np.zeros(len(others) and int(others[-1]) + 1, dtype=bool)
    alone[np.concatenate([tie.docnos for tie in ties if tie.alone] or [_NO_DOCNOS])] = True
    keep &= alone[others]
    others, scores = others[keep], scores[keep]
    strong = scores >= LEAST_SCORE
    others, scores = others[strong], scores[strong]
    ranked = _fewer_legs(index, event, _best(index, others, scores, event.sort_date))
    if not ranked:
        return []
    shown = np.fromiter((other for other, _ in ranked), dtype=np.int64, count=len(ranked))
    held = np.stack([_held(tie.docnos, shown) for tie in ties], axis=1).tolist()
    return [
        _relation(
            index.event(other),
            score,
            tuple(tie.reason(other) for tie, holds in zip(ties, row, strict=True) if holds),
        )
        for (other, score), row in zip(ranked, held, strict=True)
    ]


def _relation(other: Event, score: int, reasons: tuple[str, ...]) -> Relation:
    return Relation(id=other.id, title=other.title, date=other.date, score=score, reasons=reasons)


def _held(docnos: np.ndarray, others: np.ndarray) -> np.ndarray:
    """Per one of `others`, whether the sorted `docnos` hold it (one `searchsorted` for all of them)."""
    if not len(docnos):
        return np.zeros(len(others), dtype=bool)
    positions = np.minimum(np.searchsorted(docnos, others), len(docnos) - 1)
    return np.asarray(docnos[positions] == others)


def _best(index: IndexReader, others: np.ndarray, scores: np.ndarray, day: str) -> list[tuple[int, int]]:
    """The `MOST_RELATED` best (docno, score): highest score, then nearest date, then id."""
    days = index.day_of(others)
    distance = np.abs(_ordinal(days) - _ordinal(np.asarray([day_number(day)])))
    order = np.lexsort((distance, -scores))
    if len(order) > MOST_RELATED:  # the cut may fall inside a tie that only the ids decide
        last = order[MOST_RELATED - 1]
        tied = order[(scores[order] == scores[last]) & (distance[order] == distance[last])]
        order = np.union1d(order[:MOST_RELATED], tied)
    # The ids that break the last ties in one look-up, not one event read through the validator per
    # candidate: a tie at the cut can hold hundreds (the same score and day: a day's travel log).
    ids = index.ids_of(others[order])
    chosen = [
        (int(others[at]), int(scores[at]), int(distance[at]), ids[n]) for n, at in enumerate(order.tolist())
    ]
    chosen.sort(key=lambda item: (-item[1], item[2], item[3]))
    return [(other, score) for other, score, _, _ in chosen[:MOST_RELATED]]


def _ordinal(days: np.ndarray) -> np.ndarray:
    """Days apart, roughly (year*366 + month*31 + day): enough to put nearer rounds first."""
    days = days.astype(np.int64)
    return days // 10000 * 366 + days // 100 % 100 * 31 + days % 100


def _always(reason: str) -> Callable[[int], str]:
    return lambda _: reason


def _explicit_links(index: IndexReader, event: Event) -> Iterator[_Ties]:
    for link in event.related:
        other = index.docno(link.id)
        if other is not None:
            yield _ties([other], EXPLICIT_LINK, _always(f"explicit link{_as(link.relation)}"))
    for source_id in index.links_to(event.id):
        other = index.docno(source_id)
        if other is None:
            continue
        # People's tables of an older commit (a follower's) may name a source that names this event no more.
        relations = [link.relation for link in index.event(other).related if link.id == event.id]
        if relations:
            yield _ties([other], EXPLICIT_LINK, _always(f"explicit link from it{_as(relations[0])}"))


def _same_series(index: IndexReader, event: Event) -> Iterator[_Ties]:
    if event.series:
        members = index.key_docnos("series", event.series)
        yield _ties(members, SAME_SERIES, _always(f"same series: {event.series}"))
    # Consultations between the same countries are rounds of one series, even when no file says so: the
    # index's `rounds` table holds them, so that none is read to tell (thousands for a busy pair at
    # 1,000,000 events).
    key = round_key(event)
    if key:
        rounds = index.key_docnos("rounds", key)
        if event.series:
            rounds = np.setdiff1d(rounds, index.key_docnos("series", event.series), assume_unique=True)
        rounds = rounds[index.day_of(rounds) // 10000 != day_number(event.sort_date) // 10000]
        codes = "–".join(sorted(set(event.countries)))  # the key's countries, as `round_key` sorts them
        yield _ties(
            rounds,
            SAME_SERIES,
            lambda other: f"another round of {codes} consultations ({index.event(other).date})",
        )


def _rarity(index: IndexReader, events: int) -> float:
    """log(N / events) / log N: 1 for a value of one event, 0 for one in every event."""
    total = max(len(index), 2)
    return max(0.0, math.log(total / max(events, 1)) / math.log(total))


def _day_shift(day: str, days: int) -> str:
    return (datetime.date.fromisoformat(day) + datetime.timedelta(days=days)).isoformat()


def _same_meeting(index: IndexReader, docno: int, event: Event) -> Iterator[_Ties]:
    """Within two days and in the same place: the same meeting in another source (sharing people or
    countries); within three days, elsewhere, with a person in common, in the same source: a leg of the
    same journey; in the same source, the same day and place: another event beside it."""
    if len(event.sort_date) != 10 or len(event.date) != 10:
        return
    place = _place(index, event)  # one place however spelt: Kiev / Kyiv, Bombay / Mumbai
    my_people = set(resolved_persons_of(index, docno))
    my_countries = set(event.countries) | ({event.country} if event.country else set())
    last = event.end_date if len(event.end_date) == 10 else event.sort_date
    meetings, legs, same_day = [], [], []
    reasons: dict[int, str] = {}
    could_tie = _in_place_or_with(index, place, my_people)
    for shift in range(
        -3, 4 + (datetime.date.fromisoformat(last) - datetime.date.fromisoformat(event.sort_date)).days
    ):
        day = _day_shift(event.sort_date, shift)
        for other in index.docnos_on(day):
            if other == docno or not could_tie(other):
                continue
            them = index.event(other)
            their_place = _place(index, them)
            same_place = place is not None and their_place is not None and their_place.key == place.key
            if them.source_url != event.source_url or them.source_name != event.source_name:
                if not (-2 <= shift <= 2 and same_place):
                    continue  # the people in common are resolved only where they decide something
                countries = my_countries & (set(them.countries) | ({them.country} if them.country else set()))
                if countries or _any_person_in(index, other, my_people):
                    meetings.append(other)
                    source = them.source_name or "another source"
                    reasons[other] = f"also reported by {source} ({them.city}, {them.date})"
            elif not same_place and _any_person_in(index, other, my_people):
                legs.append(other)
                reasons[other] = f"the same journey: {them.city or them.country}, {them.date}"
            elif shift == 0 and same_place:
                same_day.append(other)
                reasons[other] = f"same day and place ({event.city}, {event.date})"
    yield _ties(meetings, SAME_MEETING, lambda other: f"{reasons[other]} (+{SAME_MEETING})")
    yield _ties(legs, SAME_JOURNEY, lambda other: f"{reasons[other]} (+{SAME_JOURNEY})")
    yield _ties(same_day, SAME_DAY_AND_PLACE, lambda other: f"{reasons[other]} (+{SAME_DAY_AND_PLACE})")


def _in_place_or_with(
    index: IndexReader, place: Place | None, persons: set[PersonKey]
) -> Callable[[int], bool]:
    """Whether an event may be tied by `_same_meeting` to one in `place` with `persons`: only an event in
    the same place or with one of the persons can be. Told from the index's tables, so that the events of
    a week (hundreds at 1,000,000 events, each read through the validator) are read only when they can
    tie; an event the tables cannot vouch for is read."""
    table = resolved_persons(index)
    if any(key not in table for key in persons):
        return lambda other: True
    parts = [np.frombuffer(table[key], dtype=np.uint32).astype(np.int64) for key in persons]
    if place is not None:
        parts += [index.key_docnos("locations", key) for key in _locations_of(index, place.key)]
    possible = np.unique(np.concatenate(parts)) if parts else _NO_DOCNOS
    return lambda other: bool(_held(possible, np.asarray([other]))[0])


def _locations_of(index: IndexReader, place_key: object) -> list[str]:
    """The location keys (a city as written, with its country) that are the place, grouped once per
    generation: Kiev and Kyiv are one place."""

    def grouped() -> dict[object, list[str]]:
        places: dict[object, list[str]] = {}
        resolution = index.place_resolution
        for key in index.field_keys("locations"):
            places.setdefault(resolution.place_of_location(key).key, []).append(key)
        return places

    found: list[str] = index.derive("locations by place", grouped).get(place_key, [])
    return found


def _any_person_in(index: IndexReader, docno: int, persons: set[PersonKey]) -> bool:
    """Whether an event's participants, resolved, include one of `persons`."""
    return not persons.isdisjoint(resolved_persons_of(index, docno))


def _place(index: IndexReader, event: Event) -> Place | None:
    """The place an event took place in (`store.entities.place_resolution`); None when no city is named."""
    return index.place_resolution.place_of(event.city, event.country) if event.city else None


def _fewer_legs(index: IndexReader, event: Event, ranked: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """At most `MOST_LEGS_ON_TOP` legs of the same journey in the top five; the others move just below."""
    if not event.source_url:
        return ranked
    top: list[tuple[int, int]] = []
    later: list[tuple[int, int]] = []
    legs = 0
    start = _ordinal(np.asarray([day_number(event.sort_date)]))[0]
    for other, score in ranked:
        them = index.event(other)
        leg = (
            them.source_url == event.source_url
            and abs(int(_ordinal(np.asarray([day_number(them.sort_date)]))[0]) - int(start)) <= 4
        )
        if len(top) < 5 and leg and legs >= MOST_LEGS_ON_TOP:
            later.append((other, score))
            continue
        legs += leg
        top.append((other, score))
        if len(top) == 5:
            top.extend(later)
            later = []
    return top + later


def _shared_countries(index: IndexReader, event: Event) -> Iterator[_Ties]:
    codes = set(event.countries) | ({event.country} if event.country else set())
    weights = {}
    for code in sorted(codes):
        members = index.key_count("countries", code)
        if 1 < members <= COMMON_COUNTRY * len(index):
            weights[code] = SHARED_COUNTRY * _rarity(index, members) ** 2
    if not weights:
        return
    for code, weight in weights.items():
        name = name_for(code)
        yield _ties(
            index.key_docnos("countries", code),
            float(weight),
            _always(f"both with {name} (+{weight:.0f})"),
            alone=False,
        )


def _shared_people(index: IndexReader, docno: int, event: Event) -> Iterator[_Ties]:
    """The persons (resolved: `store.entities.person_resolution`) of the event in others, each weighed by rarity."""
    table = resolved_persons(index)
    mine = [key for key in resolved_persons_of(index, docno) if key in table]
    if not mine:
        return
    keepers: dict[tuple[object, str], bool] = index.derive("record keepers", dict)
    for key in mine:
        docnos = table[key]
        weight = SHARED_PERSON * _rarity(index, len(docnos)) ** 2
        keeper = keepers.get((key, event.source_url))
        if keeper is None:
            keeper = keepers[(key, event.source_url)] = _keeps(index, docnos, event.source_url)
        if keeper:
            weight *= KEEPER_SHARE
        name = person_name(index, key)
        said = f"the keeper of this record, in {len(docnos)} events" if keeper else f"in {len(docnos)} events"
        yield _ties(
            np.frombuffer(docnos, dtype=np.uint32),
            float(weight),
            _always(f"shared participant: {name} ({said}, +{weight:.0f})"),
            alone=not keeper,
        )


def _keeps(index: IndexReader, docnos: array[int], source_url: str) -> bool:
    """Whether a person is the keeper of a record (the traveller of a travel log): most of their events come
    from that one record, and there are many. Both sides are the index's tables (the person's events, the
    record's events), so the answer costs one intersection, whatever the size of the corpus."""
    if not source_url or len(docnos) < KEEPER_EVENTS:
        return False
    record = index.key_docnos("records", source_url)
    mine = np.frombuffer(docnos, dtype=np.uint32).astype(np.int64)
    same = len(np.intersect1d(mine, record))
    return same >= KEEPER_SHARE_OF_EVENTS * len(docnos)


def _shared_documents(index: IndexReader, event: Event) -> Iterator[_Ties]:
    for document in event.documents:
        members = index.key_docnos("documents", fold(document.title))
        yield _ties(members, SHARED_DOCUMENT, _always(f"both refer to {document.title}"))


def _shared_formats(index: IndexReader, event: Event) -> Iterator[_Ties]:
    """Organisations: each shared one counts by its rarity (a format such as C5+1 much, the UN little); a
    large one with a shared topic counts a little more."""
    for organization in sorted(set(event.organizations)):
        members = index.key_count("organizations", organization)
        if members < 2:
            continue
        weight = SHARED_FORMAT * _rarity(index, members) ** 2
        if members <= MOST_FORMAT_EVENTS or weight >= 1:
            year = event.date[:4]
            yield _ties(
                index.key_docnos("organizations", organization),
                float(weight),
                _format_reason(index, f"same format: {organization}, {year} and ", f" (+{weight:.0f})"),
            )
        for topic in sorted(set(event.topics)):
            both = index.docnos_with_all([("organizations", organization), ("topics", topic)])
            yield _ties(
                both,
                SHARED_ORGANIZATION_AND_TOPIC,
                _always(
                    f"shared organizations ({organization}) on {topic} (+{SHARED_ORGANIZATION_AND_TOPIC})"
                ),
            )


def _format_reason(index: IndexReader, before: str, after: str) -> Callable[[int], str]:
    return lambda other: f"{before}{index.event(other).date[:4]}{after}"


_NO_DOCNOS = np.zeros(0, dtype=np.int64)


def _as(relation: str) -> str:
    return f" ({relation})" if relation else ""
