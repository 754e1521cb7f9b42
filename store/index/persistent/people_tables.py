"""The people's answers at one commit, kept beside the index: whom a word names, and the participants' cards.

The people (`store.entities.people`) and their resolution (`store.entities.person_resolution`) are a layer
beside the facts, built from every live event's mentions: seconds at 100,000 events, which a command paid
for every plain word (a word that begins a spelling of a person also finds that person's events, so any
word needs them) and every participants answer. This module keeps what those two questions read as
tables, built once by the process that reconciled the index, with the in-memory engine's own classes and
functions, and labelled with the generation they were built at:

- every folded word of every spelling of every person as written (a mention group, after alias joins),
  sorted, with the groups that spell it: a word's persons are one prefix range, as the word postings are;
- each group's spellings as folded words (the whole words must match one spelling) and the resolved
  persons it is (`PersonResolution.persons_of_group`);
- each resolved person's live events (`aggregates.resolved_persons`) and card (`aggregates.person_card`);
- each event's resolved persons in the order the in-memory counting meets them, so that persons tied on
  events and name come in the same order as there.

A reader of that generation answers from the tables (a bisection, a few slices, a `bincount`); any other
generation (a writer committed since) ignores them and builds the people itself, except a follower's,
which reads the latest older tables as of its generation (`StoredPeople.as_of`) until the writer writes
newer ones. The file is a segment
(`store.index.persistent.segments`: a JSON header and plain arrays, the cards and spellings as JSON),
written atomically; nothing in it can run code, and a damaged one is ignored.

It never writes the index itself, and is never read for an answer of a later generation.
"""

from __future__ import annotations

import copy
from collections import Counter
from collections.abc import Collection, Mapping
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import orjson

from store.entities.people import PersonKey
from store.index.aggregates import (
    SMALL_ANSWER,
    built_resolved_persons,
    person_card,
    ranked_people,
    with_events,
)
from store.index.persistent.segments import SegmentDamaged, TermTable, map_segment, write_segment
from store.index.persistent.storage import BESIDE
from store.index.protocol import IndexReader, Mask, PersonCount
from store.model.textfold import folded_words

PEOPLE = BESIDE[0]
"""The file in the index's folder (deleted with the index: `storage.clear_index`)."""


def _json(value: Any) -> np.ndarray:
    return np.frombuffer(orjson.dumps(value), dtype=np.uint8)


def _unjson(array: np.ndarray) -> Any:
    return orjson.loads(array.tobytes())


def _csr(lists: list[list[int]], dtype: type) -> tuple[np.ndarray, np.ndarray]:
    """Lists end to end, with where each starts (int64, one more than the lists)."""
    sizes = np.fromiter(map(len, lists), dtype=np.int64, count=len(lists))
    offsets = np.zeros(len(lists) + 1, dtype=np.int64)
    np.cumsum(sizes, out=offsets[1:])
    values: np.ndarray = np.fromiter(
        (value for one in lists for value in one), dtype=dtype, count=int(offsets[-1])
    )
    return offsets, values


def people_arrays(
    index: IndexReader, generation: int, linked_from: Mapping[str, Collection[str]]
) -> dict[str, np.ndarray]:
    """The tables of `index` as it is now (its people and resolution built, if they were not), with its
    explicit links (target id → the live events naming it, `PeopleReader.links_to`)."""
    table = built_resolved_persons(index)
    keys: list[PersonKey] = list(table)
    number = {key: position for position, key in enumerate(keys)}
    resolution = index.resolution
    groups = list(index.people.persons.values())
    spellings = [[list(folded_words(spelling)) for spelling in group.spellings] for group in groups]
    resolved = [
        sorted(number[key] for key in resolution.persons_of_group(group.key) if key in number and table[key])
        for group in groups
    ]
    words: dict[bytes, set[int]] = {}
    for position, group_spellings in enumerate(spellings):
        for spelling in group_spellings:
            for word in spelling:
                words.setdefault(word.encode("utf-8", "surrogatepass"), set()).add(position)
    vocabulary = sorted(words)
    word_offsets, word_groups = _csr([sorted(words[word]) for word in vocabulary], np.uint32)
    group_offsets, group_persons = _csr(resolved, np.int32)
    person_offsets, person_docnos = _csr([list(table[key]) for key in keys], np.uint32)
    live = np.flatnonzero(index.live_mask()).tolist()
    limit = len(index.live_mask())
    per_event: list[list[int]] = [[] for _ in range(limit)]
    for docno in live:
        per_event[docno] = [
            number[key] for key in resolution.persons_of(index.persons_of(docno), docno) if key in number
        ]
    event_offsets, event_persons = _csr(per_event, np.int32)
    cards = [_card_json(person_card(index, key)) for key in keys]
    persons = index.people.persons
    names = [persons[key].name if key in persons else key[0] for key in keys]  # `aggregates.person_name`
    links = {target: list(sources) for target, sources in linked_from.items()}
    arrays = {
        "generation": np.array([generation], dtype=np.int64),
        **TermTable.arrays("words", vocabulary, word_offsets, word_groups),
        "groups.spellings": _json(spellings),
        "groups.offsets": group_offsets,
        "groups.persons": group_persons,
        "persons.offsets": person_offsets,
        "persons.docnos": person_docnos,
        "persons.owners": np.repeat(np.arange(len(keys), dtype=np.int32), np.diff(person_offsets)),
        "persons.cards": _json(cards),
        "persons.keys": _json(keys),
        "persons.names": _json(names),
        "links": _json(links),
        "events.offsets": event_offsets,
        "events.persons": event_persons,
    }
    return arrays


def _card_json(card: PersonCount) -> list[Any]:
    return [
        card.name,
        card.aliases,
        card.countries,
        card.roles,
        card.events,
        card.spellings,
        card.first,
        card.last,
        card.merges,
        card.ambiguous,
    ]


def _card(fields: list[Any]) -> PersonCount:
    name, aliases, countries, roles, events, spellings, first, last, merges, ambiguous = fields
    return PersonCount(
        name,
        tuple(aliases),
        tuple(countries),
        tuple(roles),
        events,
        tuple((spelling, count) for spelling, count in spellings),
        first,
        last,
        tuple(merges),
        ambiguous,
    )


def write_people(
    folder: Path, index: IndexReader, generation: int, linked_from: Mapping[str, Collection[str]]
) -> None:
    """Build the tables of `index` (at `generation`) and write them beside the index, atomically."""
    write_segment(folder / PEOPLE, people_arrays(index, generation, linked_from))


class StoredPeople:
    """The tables of one generation, mapped: `open` gives None when the folder holds none for it."""

    def __init__(self, arrays: dict[str, np.ndarray]) -> None:
        self._arrays = arrays
        self.generation = int(arrays["generation"][0])
        self._live: Mask | None = None
        """Set on a view of these tables answering for a later generation (`as_of`)."""
        self._words = TermTable.of(arrays, "words")
        self._cards: dict[int, PersonCount] = {}
        for name in ("groups.offsets", "persons.offsets", "events.offsets"):
            if not len(arrays[name]):
                raise SegmentDamaged(f"{name} is empty")
        try:  # decoded at once: tables of an older layout, or damaged, are built again, never misread
            self._keys: list[PersonKey] = [tuple(key) for key in _unjson(arrays["persons.keys"])]
            self._names: list[str] = _unjson(arrays["persons.names"])
            self._links: dict[str, list[str]] = _unjson(arrays["links"])
        except (KeyError, ValueError, TypeError) as damage:
            raise SegmentDamaged(f"people's tables unreadable: {damage}") from None
        if len(self._keys) != len(self._names) or len(self._keys) != len(arrays["persons.offsets"]) - 1:
            raise SegmentDamaged("people's tables disagree on the number of persons")

    @classmethod
    def open(cls, folder: Path, generation: int, *, older: bool = False) -> StoredPeople | None:
        """The tables of `generation`, or (`older`) of the latest one up to it: a follower's stand-in while
        the writer makes those of its last commit (`PersistentIndex.people_may_lag`). Never of a later
        generation, whose events a reader of this one may not hold."""
        try:
            arrays = map_segment(folder / PEOPLE)
            if len(arrays["generation"]) != 1:
                return None
            made_at = int(arrays["generation"][0])
            if made_at > generation or (made_at < generation and not older):
                return None
            return cls(arrays)
        except (OSError, SegmentDamaged, KeyError):
            return None  # none, stale or damaged: the people are built instead

    def as_of(self, live: Mask) -> StoredPeople:
        """These tables answering for a later generation whose live events are `live` (a follower's
        stand-in until the writer writes that generation's): an event removed since counts no more for
        anyone, an event added since has no persons yet (it is counted once the newer tables come). The
        arrays and what is decoded of them are shared with these tables."""
        view = copy.copy(self)
        view._live = live
        view.__dict__.pop("_resolved", None)
        return view

    @cached_property
    def _spellings(self) -> list[list[list[str]]]:
        spellings: list[list[list[str]]] = orjson.loads(self._arrays["groups.spellings"].tobytes())
        return spellings

    @cached_property
    def _card_fields(self) -> list[list[Any]]:
        fields: list[list[Any]] = orjson.loads(self._arrays["persons.cards"].tobytes())
        return fields

    @cached_property
    def _numbers(self) -> dict[PersonKey, int]:
        return {key: person for person, key in enumerate(self._keys)}

    @cached_property
    def _resolved(self) -> dict[PersonKey, np.ndarray]:
        live = self._live
        found = {}
        for person, key in enumerate(self._keys):
            docnos = self._docnos(person)
            if live is not None:
                docnos = docnos[live[docnos]]  # (tables of an older generation: `as_of`)
                if not len(docnos):
                    continue
            found[key] = docnos
        return found

    def resolved(self) -> Mapping[PersonKey, np.ndarray]:
        return self._resolved

    def resolved_of(self, docno: int) -> tuple[PersonKey, ...]:
        offsets = self._arrays["events.offsets"]
        if docno >= len(offsets) - 1:
            return ()
        keys = self._keys
        persons = self._arrays["events.persons"][int(offsets[docno]) : int(offsets[docno + 1])]
        return tuple(keys[person] for person in persons.tolist())

    def name_of(self, key: PersonKey) -> str:
        person = self._numbers.get(key)
        return key[0] if person is None else self._names[person]

    def links_to(self, event_id: str) -> Collection[str]:
        return self._links.get(event_id, ())

    def _card(self, person: int) -> PersonCount:
        """One person's card, made when first asked (an answer names a few of the tens of thousands)."""
        card = self._cards.get(person)
        if card is None:
            card = self._cards[person] = _card(self._card_fields[person])
        return card

    def _docnos(self, person: int) -> np.ndarray:
        offsets = self._arrays["persons.offsets"]
        return self._arrays["persons.docnos"][int(offsets[person]) : int(offsets[person + 1])]

    def persons_mask(self, words: tuple[str, ...], live: Mask) -> Mask:
        """`store.query.filter_fields.persons_mask`: the live events of the resolved persons any group of
        whom has a spelling whose words start with each of the folded words."""
        mask = np.zeros(len(live), dtype=bool)
        if not words:
            return mask
        first, end = self._words.prefix_range(words[0].encode("utf-8", "surrogatepass"))
        if end <= first:
            return mask
        groups = self._words.documents(first, end)
        offsets, persons = self._arrays["groups.offsets"], self._arrays["groups.persons"]
        found: set[int] = set()
        for group in np.unique(groups).tolist():
            if any(
                all(any(part.startswith(word) for part in spelling) for word in words)
                for spelling in self._spellings[group]
            ):
                found.update(persons[int(offsets[group]) : int(offsets[group + 1])].tolist())
        for person in found:
            docnos = self._docnos(person)
            mask[docnos[docnos < len(mask)]] = True
        return mask & live

    def participant_counts(self, mask: Mask | None, live: Mask) -> list[PersonCount]:
        """`store.index.aggregates.participant_counts`, counted as it counts (event by event below
        `SMALL_ANSWER` matching events, one `bincount` above), so that ties come in its order."""
        offsets = self._arrays["persons.offsets"]
        counts: dict[int, int]
        if mask is None and self._live is not None:
            mask = live  # events removed since these tables were made are not counted
        if mask is None:
            counts = dict(enumerate(np.diff(offsets).tolist()))
        else:
            matching = np.flatnonzero(mask)
            if len(matching) < SMALL_ANSWER:
                matching = matching[matching < len(live)]
                matching = matching[live[matching]]
                event_offsets, event_persons = self._arrays["events.offsets"], self._arrays["events.persons"]
                inside = matching[matching < len(event_offsets) - 1]
                counts = Counter(
                    person
                    for docno in inside.tolist()
                    for person in event_persons[
                        int(event_offsets[docno]) : int(event_offsets[docno + 1])
                    ].tolist()
                )
            else:
                docnos = self._arrays["persons.docnos"]
                found = np.bincount(self._arrays["persons.owners"][mask[docnos]], minlength=len(offsets) - 1)
                counted = np.flatnonzero(found)
                counts = dict(zip(counted.tolist(), found[counted].tolist(), strict=True))
        return ranked_people(
            [with_events(self._card(person), count) for person, count in counts.items() if count]
        )
