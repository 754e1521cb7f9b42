"""Counts over a set of events: people, topics, organisations — what the side panes show.

Over all events the counts come straight from the index's tables; over a filter's result they are counted
from the matching events only, with `Counter` doing the tallying in C.
"""

from __future__ import annotations

from array import array
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from itertools import chain
from typing import Any

import numpy as np

from store.people import Person
from store.search_index import SearchIndex


@dataclass(frozen=True, slots=True)
class PersonCount:
    name: str
    aliases: tuple[str, ...]
    countries: tuple[str, ...]
    roles: tuple[str, ...]
    events: int

    def as_json(self) -> dict[str, object]:
        return {
            "name": self.name,
            "aliases": list(self.aliases),
            "countries": list(self.countries),
            "roles": list(self.roles),
            "events": self.events,
        }


def _ranked(counts: Counter[str] | dict[str, int]) -> list[tuple[str, int]]:
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


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
    return {
        keys[number]: int(count) for number in np.flatnonzero(counts).tolist() for count in (counts[number],)
    }


def _pairs(table: dict[Any, array[int]]) -> tuple[list[Any], np.ndarray, np.ndarray]:
    """Every (document, key) pair of a table as two arrays, so that counting keys over an answer is one
    `bincount` (built once per index generation)."""
    keys = list(table)
    sizes = [len(table[key]) for key in keys]
    docnos = np.empty(sum(sizes), dtype=np.int64)
    if keys:  # copied out of the arrays (a view kept for the generation would stop them growing)
        np.concatenate(
            [np.frombuffer(table[key], dtype=np.uint32) for key in keys], out=docnos, casting="safe"
        )
    key_numbers = np.repeat(np.arange(len(keys), dtype=np.int64), sizes)
    return keys, docnos, key_numbers


def participant_counts(index: SearchIndex, mask: np.ndarray | None = None) -> list[PersonCount]:
    """People with their event counts (most first, then by name) over a mask (None: all events)."""
    persons = index.people.persons
    if mask is None:
        counts: dict[Any, int] = {key: len(person.docnos) for key, person in persons.items()}
    else:
        docnos_of = {key: person.docnos for key, person in persons.items()}
        counts = _counts_over(index, mask, docnos_of, "persons", lambda docno: index.live[docno].persons)
    # Names, aliases and ranked roles cost more than the counting; they change only with the index, so
    # they are described once per generation and shared by every answer in between.
    described: dict[Any, PersonCount] = index.derive("people described", dict)
    result = []
    for key, count in counts.items():
        if not count or key not in persons:
            continue
        card = described.get(key)
        if card is None:
            card = described[key] = _describe(persons[key])
        result.append(card if card.events == count else replace(card, events=count))
    result.sort(key=lambda person: (-person.events, person.name.casefold(), person.name))
    return result


def _describe(person: Person) -> PersonCount:
    return PersonCount(
        name=person.name,
        aliases=tuple(person.aliases),
        countries=tuple(code for code, _ in _ranked(person.countries)),
        roles=tuple(role for role, _ in _ranked(person.roles)),
        events=len(person.docnos),
    )


def _tag_counts(index: SearchIndex, mask: np.ndarray | None, field: str) -> list[tuple[str, int]]:
    """Counts of an event field's values (`topics`, `organizations`) from the index table of that name."""
    table: dict[str, array[int]] = getattr(index, field)
    if mask is None:
        return _ranked({value: len(found) for value, found in table.items()})
    return _ranked(
        _counts_over(index, mask, table, field, lambda docno: getattr(index.live[docno].event, field))
    )


def topic_counts(index: SearchIndex, mask: np.ndarray | None = None) -> list[tuple[str, int]]:
    return _tag_counts(index, mask, "topics")


def organization_counts(index: SearchIndex, mask: np.ndarray | None = None) -> list[tuple[str, int]]:
    return _tag_counts(index, mask, "organizations")
