"""Counts over a set of events: people, topics, organisations — what the side panes show.

Over all events the counts come straight from the index's tables; over a filter's result they are counted
from the matching events only, with `Counter` doing the tallying in C.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import chain
from typing import Any

import numpy as np

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
    table: dict[Any, set[int]],
    arrays: Callable[[Any], np.ndarray],
    per_event: Callable[[int], Iterable[Any]],
) -> dict[Any, int]:
    matching = np.flatnonzero(mask)
    if len(matching) < SMALL_ANSWER:
        live = index.live
        return Counter(chain.from_iterable(per_event(docno) for docno in matching.tolist() if docno in live))
    counts = {key: int(np.count_nonzero(mask[arrays(key)])) for key in table}
    return {key: count for key, count in counts.items() if count}


def participant_counts(index: SearchIndex, mask: np.ndarray | None = None) -> list[PersonCount]:
    """People with their event counts (most first, then by name) over a mask (None: all events)."""
    persons = index.people.persons
    if mask is None:
        counts: dict[Any, int] = {key: len(person.docnos) for key, person in persons.items()}
    else:
        docnos_of = {key: person.docnos for key, person in persons.items()}
        counts = _counts_over(
            index,
            mask,
            docnos_of,
            lambda key: index.key_array(docnos_of, key, ("person", key)),
            lambda docno: index.live[docno].persons,
        )
    result = []
    for key, count in counts.items():
        person = persons.get(key)
        if person is None or not count:
            continue
        result.append(
            PersonCount(
                name=person.name,
                aliases=tuple(person.aliases),
                countries=tuple(code for code, _ in _ranked(person.countries)),
                roles=tuple(role for role, _ in _ranked(person.roles)),
                events=count,
            )
        )
    result.sort(key=lambda person: (-person.events, person.name.casefold(), person.name))
    return result


def topic_counts(index: SearchIndex, mask: np.ndarray | None = None) -> list[tuple[str, int]]:
    if mask is None:
        return _ranked({topic: len(found) for topic, found in index.topics.items()})
    return _ranked(
        _counts_over(
            index,
            mask,
            index.topics,
            lambda key: index.key_array(index.topics, key),
            lambda docno: index.live[docno].event.topics,
        )
    )


def organization_counts(index: SearchIndex, mask: np.ndarray | None = None) -> list[tuple[str, int]]:
    if mask is None:
        return _ranked({name: len(found) for name, found in index.organizations.items()})
    return _ranked(
        _counts_over(
            index,
            mask,
            index.organizations,
            lambda key: index.key_array(index.organizations, key),
            lambda docno: index.live[docno].event.organizations,
        )
    )
