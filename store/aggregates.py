"""Counts over a set of events: people, topics, organisations — what the side panes show.

Over all events the counts come straight from the index's tables; over a filter's result they are counted
from the matching events only, with `Counter` doing the tallying in C.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from itertools import chain

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


def participant_counts(index: SearchIndex, docnos: set[int] | None = None) -> list[PersonCount]:
    """People with their event counts (most first, then by name) over docnos (None: all events)."""
    persons = index.people.persons
    if docnos is None:
        counts: dict[tuple[str, str], int] = {key: len(person.docnos) for key, person in persons.items()}
    else:
        live = index.live
        counts = Counter(chain.from_iterable(live[docno].persons for docno in docnos if docno in live))
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


def topic_counts(index: SearchIndex, docnos: set[int] | None = None) -> list[tuple[str, int]]:
    if docnos is None:
        return _ranked({topic: len(found) for topic, found in index.topics.items()})
    live = index.live
    return _ranked(
        Counter(chain.from_iterable(live[docno].event.topics for docno in docnos if docno in live))
    )


def organization_counts(index: SearchIndex, docnos: set[int] | None = None) -> list[tuple[str, int]]:
    if docnos is None:
        return _ranked({name: len(found) for name, found in index.organizations.items()})
    live = index.live
    return _ranked(
        Counter(chain.from_iterable(live[docno].event.organizations for docno in docnos if docno in live))
    )
