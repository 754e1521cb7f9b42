"""Counts over a set of events: people, topics, organisations — what the side panes show.

The in-memory engine's answers to `CountReader` (`store.index.protocol`): over all events the counts come
straight from the index's tables; over a filter's result they are counted from the matching events only,
with `Counter` doing the tallying in C. `resolved_persons` reads only the protocol, so any engine's people
resolve the same way.
"""

from __future__ import annotations

from array import array
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import chain
from typing import TYPE_CHECKING, Any

import numpy as np

from store.entities.gazetteer import Place
from store.entities.people import Person, PersonKey
from store.entities.place_resolution import split_location
from store.index.protocol import Field, IndexReader, PersonCount, field_keys_of, ranked
from store.model.names import display_name

if TYPE_CHECKING:
    from store.index.search_index import SearchIndex

__all__ = [
    "PersonCount",
    "PlaceCount",
    "key_counts",
    "organization_counts",
    "participant_counts",
    "place_counts",
    "topic_counts",
]


_ranked = ranked


DESCRIBED = "people described"
"""The memo of `ResolvedPersons` that keeps each person's card (`person_card`)."""

SMALL_ANSWER = 5_000
"""Below this many matching events, counting through each event is cheapest; above it, each person's or
tag's documents are counted against the answer's mask in one numpy call."""


def _counts_over(
    index: SearchIndex,
    mask: np.ndarray,
    table: dict[Any, array[int]],
    name: str,
    per_event: Callable[[int], Iterable[Any]],
) -> dict[Any, int]:
    matching = np.flatnonzero(mask)
    if len(matching) < SMALL_ANSWER:
        live = index.live
        return Counter(chain.from_iterable(per_event(docno) for docno in matching.tolist() if docno in live))
    keys, docnos, key_numbers = index.derive(("pairs", name), lambda: _pairs(table))
    counts = np.bincount(key_numbers[mask[docnos]], minlength=len(keys))
    counted = np.flatnonzero(counts)
    return dict(zip([keys[number] for number in counted.tolist()], counts[counted].tolist(), strict=True))


def warm(index: SearchIndex) -> None:
    """Build what the side panes' first counts over a large answer would (each resolved person's events and
    card, the (document, key) pairs of people, topics and organisations) for this generation of the index,
    off the interface's path (after a load): 0.3–0.7 s at 100,000 events that the first keystroke paid."""
    everything = index.live_mask().copy()
    if np.count_nonzero(everything) >= SMALL_ANSWER:
        participant_counts(index, everything)
        for field in ("topics", "organizations"):
            index.key_counts(field, everything)


def _pairs(table: dict[Any, array[int]]) -> tuple[list[Any], np.ndarray, np.ndarray]:
    """Every (document, key) pair of a table as two arrays, so that counting keys over an answer is one
    `bincount` (built once per index generation)."""
    keys = list(table)
    sizes = [len(table[key]) for key in keys]
    # 32-bit: document numbers stay far below 2**31, and the pairs are kept for the whole generation (at
    # 100,000 events a million of them: 8 MB less than in 64 bits).
    docnos = np.empty(sum(sizes), dtype=np.int32)
    if keys:  # copied out of the arrays (a view kept for the generation would stop them growing)
        np.concatenate(
            [np.frombuffer(table[key], dtype=np.uint32) for key in keys], out=docnos, casting="same_kind"
        )
    key_numbers = np.repeat(np.arange(len(keys), dtype=np.int32), sizes)
    return keys, docnos, key_numbers


def resolved_persons(index: IndexReader) -> dict[Any, array[int]]:
    """Each resolved person (`store.entities.person_resolution`) → its live events, sorted: the resolution's
    table kept up to date person by person (`ResolvedPersons`), copied once per generation (a dict of a few
    thousand entries: well under a millisecond) so that what a caller holds never changes under it."""
    tables = index.people_tables
    if tables is not None:
        return tables.resolved()  # type: ignore[return-value]  # uint32 buffers, read as the arrays are
    return built_resolved_persons(index)


def built_resolved_persons(index: IndexReader) -> dict[Any, array[int]]:
    """`resolved_persons` from the people and their resolution (what their tables are made of)."""
    result: dict[Any, array[int]] = index.derive(
        "resolved persons", lambda: dict(index.resolution.resolved().events)
    )
    return result


def resolved_persons_of(index: IndexReader, docno: int) -> tuple[PersonKey, ...]:
    """The resolved persons of a live event's mentions (`PersonResolution.persons_of`)."""
    tables = index.people_tables
    if tables is not None:
        return tables.resolved_of(docno)
    return tuple(index.resolution.persons_of(index.persons_of(docno), docno))


def person_name(index: IndexReader, key: PersonKey) -> str:
    """The name a resolved person's ties are written with: its group's, or the key's name part."""
    tables = index.people_tables
    if tables is not None:
        return tables.name_of(key)
    persons = index.people.persons
    return persons[key].name if key in persons else key[0]


def participant_counts(index: SearchIndex, mask: np.ndarray | None = None) -> list[PersonCount]:
    """People with their event counts (most first, then by name) over a mask (None: all events)."""
    table = built_resolved_persons(index)
    resolution = index.resolution
    if mask is None:
        counts: dict[Any, int] = {key: len(docnos) for key, docnos in table.items()}
    else:
        counts = _counts_over(
            index,
            mask,
            table,
            "resolved persons",
            lambda docno: resolution.persons_of(index.live[docno].persons, docno),
        )
    result = []
    described: dict[Any, PersonCount] = resolution.resolved().memo(
        DESCRIBED
    )  # looked up once, not per person
    for key, count in counts.items():
        if not count or key not in table:
            continue
        card = described.get(key) or person_card(index, key)
        result.append(with_events(card, count))
    return ranked_people(result)


def ranked_people(cards: list[PersonCount]) -> list[PersonCount]:
    """Most events first, then by name (stable: persons tied on both keep the order they were given)."""
    cards.sort(key=lambda person: (-person.events, person.name.casefold(), person.name))
    return cards


def person_card(index: IndexReader, key: Any) -> PersonCount:
    """A resolved person (a key of `resolved_persons`) as the participants pane shows them, over all live
    events. Names, aliases and ranked roles cost more than the counting; they change only with the person, so
    each card is kept until a change reaches that person (`ResolvedPersons.memo`): after one file changed, a
    few persons are described again, not 13,000 (850 ms at 100,000 events, holding the store's lock)."""
    resolved = index.resolution.resolved()
    described: dict[Any, PersonCount] = resolved.memo(DESCRIBED)
    card = described.get(key)
    if card is None:
        card = described[key] = _describe(index, key, resolved.parts[key], resolved.events[key])
    return card


def with_events(card: PersonCount, events: int) -> PersonCount:
    """The card with another count of events (itself when the count is its own)."""
    return card if card.events == events else _with_events(card, events)


def _with_events(card: PersonCount, events: int) -> PersonCount:
    """`dataclasses.replace(card, events=events)` at a fifth of its cost: it is made for every person of an
    answer (3,000 at 100,000 events), where `replace` took most of a participants answer's time."""
    return PersonCount(
        card.name,
        card.aliases,
        card.countries,
        card.roles,
        events,
        card.spellings,
        card.first,
        card.last,
        card.merges,
        card.ambiguous,
    )


def _describe(
    index: IndexReader, key: Any, parts: list[tuple[Person, np.ndarray | None]], docnos: array[int]
) -> PersonCount:
    spellings: Counter[str] = Counter()
    roles: Counter[str] = Counter()
    countries: Counter[str] = Counter()
    for person, chosen in parts:
        if chosen is None:
            spellings.update(person.spellings)
            roles.update(person.roles)
            countries.update(person.countries)
        else:  # part of a surname-only group: its events here, under its most used spelling and role
            spellings[person.name] += len(chosen)
            if person.roles:
                roles[_ranked(person.roles)[0][0]] += len(chosen)
            if person.countries:
                countries[_ranked(person.countries)[0][0]] += len(chosen)
    name = display_name(spellings)
    days = index.day_of(np.frombuffer(docnos, dtype=np.uint32).astype(np.int64)) if docnos else np.zeros(1)
    resolution = index.resolution
    merges = tuple(dict.fromkeys(r for person, _ in parts if (r := resolution.reason(person.key))))
    return PersonCount(
        name=name,
        aliases=tuple(sorted(spelling for spelling in spellings if spelling != name)),
        countries=tuple(code for code, _ in _ranked(countries)),
        roles=tuple(role for role, _ in _ranked(roles)),
        events=len(docnos),
        spellings=tuple(_ranked(spellings)),
        first=_iso(int(days.min())),
        last=_iso(int(days.max())),
        merges=merges,
        ambiguous=any(resolution.is_ambiguous(person.key) for person, _ in parts),
    )


def _iso(day: int) -> str:
    return f"{day // 10000:04d}-{day // 100 % 100:02d}-{day % 100:02d}" if day else ""


def key_counts(
    index: SearchIndex, table: dict[Any, array[int]], field: Field, mask: np.ndarray | None
) -> list[tuple[str, int]]:
    """Counts of a field's keys from the index's table of that field (`SearchIndex.key_counts`)."""
    if mask is None:
        return _ranked({value: len(found) for value, found in table.items()})
    # topics and organizations: the keys are the event's own tuple, read as it is
    if field == "topics":
        keys_of: Callable[[int], Iterable[Any]] = lambda docno: index.live[docno].event.topics  # noqa: E731
    elif field == "organizations":
        keys_of = lambda docno: index.live[docno].event.organizations  # noqa: E731
    else:
        keys_of = lambda docno: field_keys_of(field, index.live[docno].event, index.people)  # noqa: E731
    return _ranked(_counts_over(index, mask, table, field, keys_of))


def topic_counts(index: SearchIndex, mask: np.ndarray | None = None) -> list[tuple[str, int]]:
    return index.key_counts("topics", mask)


def organization_counts(index: SearchIndex, mask: np.ndarray | None = None) -> list[tuple[str, int]]:
    return index.key_counts("organizations", mask)


@dataclass(frozen=True, slots=True)
class PlaceCount:
    """One place (`store.entities.place_resolution`) with the number of events in it and every spelling of
    it as the events write it (Alma-Ata and Almaty are one row)."""

    name: str
    country: str
    key: str
    events: int
    spellings: tuple[tuple[str, int], ...]
    """Each city string with its number of events, most used first."""

    def as_json(self) -> dict[str, object]:
        return {
            "name": self.name,
            "country": self.country,
            "events": self.events,
            "spellings": dict(self.spellings),
        }


def place_counts(index: IndexReader, mask: np.ndarray | None = None) -> list[PlaceCount]:
    """The places of the events (all, or those of `mask`), most events first: the city strings as written
    (the `locations` field) counted, then summed per resolved place."""
    per_location = dict(index.key_counts("locations", mask))
    resolve = index.place_resolution.place_of_location
    totals: Counter[str] = Counter()
    spellings: dict[str, Counter[str]] = {}
    by_key: dict[str, Place] = {}
    for key, count in per_location.items():
        place = by_key.setdefault(resolve(key).key, resolve(key))
        totals[place.key] += count
        spellings.setdefault(place.key, Counter())[split_location(key)[0]] += count
    return [
        PlaceCount(by_key[key].name, by_key[key].country, key, count, tuple(_ranked(spellings[key])))
        for key, count in _ranked(totals)
    ]
