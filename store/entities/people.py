"""One entry per person across events, whatever the spelling.

Records spell the same man Hadjiev, Hajiyev or Gadzhiev. A person is identified by the transliteration key
of the name (`store.model.names.name_key`) together with the country, so that two real people who share a surname
in different countries stay apart. Explicit `aliases` on a participant join keys that transliteration alone
cannot (a Cyrillic spelling, a nickname): each alias is a link counted for the event that declares it, and
the groups are the connected components of the links present now (`store.entities.linked_keys`). A join
therefore lasts exactly as long as an event declaring it, and the people of a set of events are the same
whatever order the events came and went in: two processes reading one folder in different orders, or a
store that saw a file for a moment and one loaded fresh, agree.

A group of several keys is filed under the key of the name it is shown by: its most used spelling, ties to
the alphabetically first (`display_name`), with its country. So the group is found, and resolved
(`store.entities.person_resolution` reads the name of the key), as the name the analyst sees; a nickname
or a surname given as an alias never becomes the name a group is parsed by unless the records use it most.
With no mention left (only links), the smallest key.

Each key keeps its own mentions (`_own`), so that when a link goes and a group falls in two, only that
group's members are added up again; a key on its own is filed under itself and its own record is the person.

The display name is the spelling used most; the others are shown as aliases.

A person's events are an `array('I')` of document numbers kept sorted (4 bytes an event, where a set cost
~35 bytes an entry and ~216 a set): numbers only grow, so adding appends, and removing finds the number by
bisection. The index's field tables (`store.index.search_index`) keep their documents the same way.
"""

from __future__ import annotations

import bisect
from array import array
from collections import Counter
from collections.abc import Iterable, Set
from dataclasses import dataclass, field

from store.entities.linked_keys import LinkedKeys
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
    """Each spelling → its uses as a participant's name; a spelling only declared as an alias is held at 0
    (known, not used) while an event declares it."""
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


_NONE: frozenset[PersonKey] = frozenset()

NAME_KEYS_KEPT = 1 << 18
"""Spellings whose name keys `People` remembers before it starts over: more than the names of a large
corpus, and a bound on what a stream of unique names can make it hold."""


class People:
    """Persons, their spellings, roles, countries and events; updated event by event."""

    def __init__(self) -> None:
        self.persons: dict[PersonKey, Person] = {}
        """Filed key → the person: a key's own record when it is on its own, else its group's sum."""
        self._own: dict[PersonKey, Person] = {}
        """Each key with mentions → its own mentions only (what a group is added up from)."""
        self._declared: dict[PersonKey, Counter[str]] = {}
        """Each key whose mentions declare aliases → each alias spelling, with how many mentions declare it."""
        self._links: LinkedKeys[PersonKey] = LinkedKeys()
        """Alias links, one per declaring mention: their components are the groups."""
        self._group_of: dict[PersonKey, Person] = {}
        """Each member of a group of several keys → the group's sum (one object shared by the members; its
        `key` is the key the group is filed under, whether it has mentions or not)."""
        self._key_cache: Memo[str, str] = Memo(NAME_KEYS_KEPT)
        self._regrouped: set[PersonKey] = set()
        """Keys whose group or filing changed since `take_regrouped` was last asked."""

    def _name_key(self, name: str) -> str:
        key = self._key_cache.get(name)
        if key is None:
            key = self._key_cache.remember(name, name_key(name))
        return key

    def root(self, key: PersonKey) -> PersonKey:
        """The key a group is filed under now: an event's keys were taken when it came, and its group may
        have been joined, split or filed under another member since."""
        group = self._group_of.get(key)
        return key if group is None else group.key

    def own_key(self, participant: Participant) -> PersonKey:
        """The participant's own key (its name's and country), before any alias join."""
        return (self._name_key(participant.name), participant.country)

    def key_of(self, participant: Participant) -> PersonKey:
        return self.root(self.own_key(participant))

    def keys_of(self, event: Event) -> tuple[PersonKey, ...]:
        return tuple(dict.fromkeys(self.key_of(p) for p in event.participants))

    def take_regrouped(self) -> Set[PersonKey]:
        """The keys whose group was joined, split or filed under another key since the last call (old and
        new filing keys and every member): the resolution must read their groups again."""
        if not self._regrouped:
            return _NONE  # the path of every load: no set made
        regrouped, self._regrouped = self._regrouped, set()
        return regrouped

    # -- events in and out -----------------------------------------------------------------------------

    def add(self, docno: int, event: Event) -> tuple[PersonKey, ...]:
        """Record one event's mentions; its participants' own keys (`own_key`: what `root` files them under
        now), each once."""
        groups: dict[int, Person] = {}
        for participant in event.participants:
            if participant.aliases:
                self._link_aliases(participant, adding=True)
        keys = []
        for participant in event.participants:
            key = self.own_key(participant)
            own = self._own.get(key)
            if own is None:
                own = self._own[key] = Person(key)
            group = self._group_of.get(key)
            for person in (own,) if group is None else (own, group):
                person.spellings[participant.name] += 1
                for alias in participant.aliases:
                    person.spellings[alias] += 0  # known spelling, not a use of it
                if participant.role:
                    person.roles[participant.role] += 1
                if participant.country:
                    person.countries[participant.country] += 1
                add_docno(person.docnos, docno)
            if participant.aliases:
                self._declared.setdefault(key, Counter()).update(participant.aliases)
            if group is None:
                self.persons[key] = own
            else:
                groups[id(group)] = group
            keys.append(own.key)  # the record's own key object: ~400,000 fewer tuples at 100,000 events
        for group in groups.values():
            self._file(group)
        return tuple(dict.fromkeys(keys))

    def remove(self, docno: int, event: Event) -> tuple[PersonKey, ...]:
        """Forget one event's mentions and the alias links it declared; the keys it was filed under before
        (`root`)."""
        filed = self.keys_of(event)
        groups: dict[int, Person] = {}
        for participant in event.participants:
            key = self.own_key(participant)
            own = self._own.get(key)
            if own is None:
                continue
            if participant.aliases:
                self._undeclare(key, participant.aliases)
            group = self._group_of.get(key)
            if group is not None:
                groups[id(group)] = group
            for person in (own,) if group is None else (own, group):
                members = (key,) if person is own else self._links.component(key)
                for spelling in dict.fromkeys((participant.name, *participant.aliases)):
                    uses = person.spellings.get(spelling)
                    if uses is None:
                        continue
                    uses -= spelling == participant.name
                    if uses > 0:
                        person.spellings[spelling] = uses
                    elif self._declares(members, spelling):
                        person.spellings[spelling] = 0  # no use left, still an alias an event declares
                    else:
                        del person.spellings[spelling]
                _decrement(person.roles, participant.role)
                _decrement(person.countries, participant.country)
                remove_docno(person.docnos, docno)
        for key in dict.fromkeys(map(self.own_key, event.participants)):
            own = self._own.get(key)
            if own is not None and not own.docnos:  # after all its mentions: an event may name it twice
                del self._own[key]
                if self.persons.get(key) is own:
                    del self.persons[key]
        for participant in event.participants:
            if participant.aliases:
                self._link_aliases(participant, adding=False)
        for group in groups.values():
            if self._group_of.get(group.key) is group:  # not replaced by a split
                self._file(group)
        return filed

    def _undeclare(self, key: PersonKey, aliases: Iterable[str]) -> None:
        declared = self._declared[key]
        for alias in aliases:
            declared[alias] -= 1
            if declared[alias] <= 0:
                del declared[alias]
        if not declared:
            del self._declared[key]

    def _declares(self, members: Iterable[PersonKey], spelling: str) -> bool:
        """Whether a mention of one of the keys still declares the spelling an alias."""
        return any(spelling in self._declared.get(key, ()) for key in members)

    # -- groups ----------------------------------------------------------------------------------------

    def _link_aliases(self, participant: Participant, *, adding: bool) -> None:
        main = self.own_key(participant)
        for alias in participant.aliases:
            other = (self._name_key(alias), participant.country)
            if other == main:
                continue
            if adding:
                joined = self._links.link(main, other)
                if joined is not None:
                    self._regroup(joined)
            else:
                pieces = self._links.unlink(main, other)
                if pieces is not None:
                    for piece in pieces:
                        self._regroup(piece)

    def _regroup(self, members: Set[PersonKey]) -> None:
        """Add a group up again from its members' own records, after a join or a split."""
        for key in members:
            previous = self._group_of.pop(key, None)
            self._regrouped.add(key)
            if previous is not None:
                self._regrouped.add(previous.key)
                if self.persons.get(previous.key) is previous:
                    del self.persons[previous.key]
            elif key in self.persons:
                del self.persons[key]
        if len(members) == 1:
            (key,) = members
            own = self._own.get(key)
            if own is not None:
                self.persons[key] = own
            return
        group = Person(min(members))
        for key in sorted(members):
            own = self._own.get(key)
            self._group_of[key] = group
            if own is not None:
                group.spellings.update(own.spellings)
                group.roles.update(own.roles)
                group.countries.update(own.countries)
                group.docnos = merged_docnos(group.docnos, own.docnos)
        self._file(group)

    def _file(self, group: Person) -> None:
        """File a group of several keys under the key of its shown name (see the module's docstring), or
        nowhere when it has no mention left."""
        members = self._links.component(group.key)
        wanted = min(members)
        if group.docnos:
            name_of_group = (self._name_key(display_name(group.spellings)), group.key[1])
            if name_of_group in members:
                wanted = name_of_group
        if self.persons.get(group.key) is group and (group.key != wanted or not group.docnos):
            del self.persons[group.key]
        if group.key != wanted:
            self._regrouped.update((group.key, wanted))
        own = self._own.get(wanted)
        group.key = own.key if own is not None else wanted
        if group.docnos:
            self.persons[group.key] = group


def _decrement(counter: Counter[str], value: str) -> None:
    if not value or value not in counter:
        return
    counter[value] -= 1
    if counter[value] <= 0:
        del counter[value]
