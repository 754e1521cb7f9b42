"""One entry per person across events, whatever the spelling.

Records spell the same man Hadjiev, Hajiyev or Gadzhiev. A person is identified by the transliteration key
of the name (`store.model.names.name_key`) together with the country, so that two real people who share a surname
in different countries stay apart. Explicit `aliases` on a participant join keys that transliteration alone
cannot (a Cyrillic spelling, a nickname): such joins are remembered for the life of the store and not undone
when the declaring file goes away, which keeps merges stable while files come and go.

The display name is the spelling used most; the others are shown as aliases.

A person's events are an `array('I')` of document numbers kept sorted (4 bytes an event, where a set cost
~35 bytes an entry and ~216 a set): numbers only grow, so adding appends, and removing finds the number by
bisection. The index's field tables (`store.index.search_index`) keep their documents the same way.
"""

from __future__ import annotations

import bisect
from array import array
from collections import Counter
from dataclasses import dataclass, field

from store.memo import Memo
from store.model.event import Event, Participant
from store.model.names import display_name, name_key

PersonKey = tuple[str, str]
"""(name key, country code or '')."""


def new_docnos(*docnos: int) -> array[int]:
    """A sorted array of document numbers (`array('I')`)."""
    return array("I", docnos)


def add_docno(docnos: array[int], docno: int) -> None:
    """Append docno, the highest yet, unless it is already the last (one event naming a key twice)."""
    if not docnos or docnos[-1] != docno:
        docnos.append(docno)


def remove_docno(docnos: array[int], docno: int) -> bool:
    """Remove docno from a sorted array if it is there; whether it was."""
    if docnos and docnos[-1] == docno:
        docnos.pop()
        return True
    position = bisect.bisect_left(docnos, docno)
    if position < len(docnos) and docnos[position] == docno:
        del docnos[position]
        return True
    return False


def merged_docnos(first: array[int], second: array[int]) -> array[int]:
    """The sorted union of two sorted arrays of document numbers."""
    if not first:
        return array("I", second)
    if not second:
        return array("I", first)
    return array("I", sorted(set(first).union(second)))


@dataclass(slots=True)
class Person:
    key: PersonKey
    spellings: Counter[str] = field(default_factory=Counter)
    roles: Counter[str] = field(default_factory=Counter)
    countries: Counter[str] = field(default_factory=Counter)
    docnos: array[int] = field(default_factory=new_docnos)

    @property
    def name(self) -> str:
        return display_name(self.spellings)

    @property
    def aliases(self) -> list[str]:
        name = self.name
        return sorted(spelling for spelling in self.spellings if spelling != name)

    def matches_words(self, words: list[str], fold_name: dict[str, str]) -> bool:
        """Every word is a prefix of a word of some spelling (folded)."""
        for spelling in self.spellings:
            folded_words = fold_name[spelling].split()
            if all(any(part.startswith(word) for part in folded_words) for word in words):
                return True
        return False


NAME_KEYS_KEPT = 1 << 18
"""Spellings whose name keys `People` remembers before it starts over: more than the names of a large
corpus, and a bound on what a stream of unique names can make it hold."""


class People:
    """Persons, their spellings, roles, countries and events; updated event by event."""

    def __init__(self) -> None:
        self.persons: dict[PersonKey, Person] = {}
        self._joined: dict[PersonKey, PersonKey] = {}
        """Alias joins: a key → the key it was merged into (a union-find forest, only ever growing)."""
        self._key_cache: Memo[str, str] = Memo(NAME_KEYS_KEPT)
        self._absorbed: list[PersonKey] = []
        """Keys merged away by alias joins since `take_absorbed` was last asked (the resolution forgets them)."""

    def _name_key(self, name: str) -> str:
        key = self._key_cache.get(name)
        if key is None:
            key = self._key_cache.remember(name, name_key(name))
        return key

    def root(self, key: PersonKey) -> PersonKey:
        """The key a group is filed under now: an event's keys were taken when it came, and an alias join
        since may have merged them into another."""
        while key in self._joined:
            key = self._joined[key]
        return key

    def key_of(self, participant: Participant) -> PersonKey:
        return self.root((self._name_key(participant.name), participant.country))

    def keys_of(self, event: Event) -> tuple[PersonKey, ...]:
        return tuple(dict.fromkeys(self.key_of(p) for p in event.participants))

    def _join_aliases(self, participant: Participant) -> None:
        main = self.key_of(participant)
        for alias in participant.aliases:
            other = self.root((self._name_key(alias), participant.country))
            if other != main:
                self._joined[other] = main
                self._absorbed.append(other)  # with no events now, it may still be where merges lead
                absorbed = self.persons.pop(other, None)
                if absorbed is not None:
                    self._absorb(main, absorbed)

    def _absorb(self, main: PersonKey, absorbed: Person) -> None:
        person = self.persons.setdefault(main, Person(main))
        person.spellings.update(absorbed.spellings)
        person.roles.update(absorbed.roles)
        person.countries.update(absorbed.countries)
        person.docnos = merged_docnos(person.docnos, absorbed.docnos)

    def add(self, docno: int, event: Event) -> tuple[PersonKey, ...]:
        for participant in event.participants:
            if participant.aliases:
                self._join_aliases(participant)
        keys = []
        for participant in event.participants:
            key = self.key_of(participant)
            person = self.persons.get(key)
            if person is None:
                person = self.persons[key] = Person(key)
            person.spellings[participant.name] += 1
            for alias in participant.aliases:
                person.spellings[alias] += 0  # known spelling, not a use of it
            if participant.role:
                person.roles[participant.role] += 1
            if participant.country:
                person.countries[participant.country] += 1
            add_docno(person.docnos, docno)
            keys.append(person.key)  # the person's own key object: ~400,000 fewer tuples at 100,000 events
        return tuple(dict.fromkeys(keys))

    def take_absorbed(self) -> list[PersonKey]:
        """The keys that alias joins merged away since the last call (each once)."""
        absorbed, self._absorbed = self._absorbed, []
        return absorbed

    def remove(self, docno: int, event: Event) -> tuple[PersonKey, ...]:
        """Forget one event's mentions; the keys it was filed under now (`root`), which may differ from the
        keys it got when it came."""
        keys = self.keys_of(event)
        for participant in event.participants:
            key = self.key_of(participant)
            person = self.persons.get(key)
            if person is None:
                continue
            _decrement(person.spellings, participant.name)
            for alias in participant.aliases:
                if person.spellings.get(alias) == 0:
                    del person.spellings[alias]
            _decrement(person.roles, participant.role)
            _decrement(person.countries, participant.country)
            remove_docno(person.docnos, docno)
            if not person.docnos:
                del self.persons[key]
        return keys


def _decrement(counter: Counter[str], value: str) -> None:
    if not value or value not in counter:
        return
    counter[value] -= 1
    if counter[value] <= 0:
        del counter[value]
