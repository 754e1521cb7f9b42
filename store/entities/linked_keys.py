"""Keys joined by counted links, and the connected components those links make.

`store.entities.people` joins name keys that a participant's `aliases` declare to be one person. A join is
a fact of the event that declared it, so it must come and go with that event: each link is counted (one
per declaration), and the groups are the connected components of the links present now. A component is
therefore a function of the set of links alone, never of the order they came in or of links that have gone.

Joining two components costs the smaller one (its members are moved into the larger); removing the last
link between two keys walks only their component to see whether it fell in two. Keys with no link are not
held at all: each is its own component.

This module knows nothing of persons; it must stay a plain graph so that the people's rules sit in one place.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Set
from typing import Generic, TypeVar

Key = TypeVar("Key", bound=Hashable)


class LinkedKeys(Generic[Key]):
    """Counted undirected links between keys; each key's component (its members, itself included)."""

    def __init__(self) -> None:
        self._links: dict[Key, Counter[Key]] = {}
        """Each linked key → the keys it is linked to, with how many times (both directions held)."""
        self._component: dict[Key, set[Key]] = {}
        """Each linked key → the members of its component: one set shared by all of them."""

    def __contains__(self, key: object) -> bool:
        return key in self._component

    def component(self, key: Key) -> Set[Key]:
        """The keys linked to `key`, directly or not, and `key` itself (read-only)."""
        members = self._component.get(key)
        return members if members is not None else frozenset((key,))

    def link(self, first: Key, second: Key) -> Set[Key] | None:
        """Count one more link between two different keys; the joined component when it joined two."""
        if first == second:
            raise ValueError("a key is not linked to itself")
        self._links.setdefault(first, Counter())[second] += 1
        self._links.setdefault(second, Counter())[first] += 1
        one, other = self._component_held(first), self._component_held(second)
        if one is other:
            return None
        if len(one) < len(other):
            one, other = other, one
        one.update(other)
        for member in other:
            self._component[member] = one
        return one

    def unlink(self, first: Key, second: Key) -> tuple[Set[Key], Set[Key]] | None:
        """Count one link fewer between two keys; the two components when it was the last link that held
        them together (a key left on its own is a component of one)."""
        counts = self._links.get(first)
        if counts is None or second not in counts:
            raise KeyError((first, second))
        counts[second] -= 1
        self._links[second][first] -= 1
        if counts[second] > 0:
            return None
        for one, other in ((first, second), (second, first)):
            del self._links[one][other]
            if not self._links[one]:
                del self._links[one]
        reached = self._reachable(first)
        if second in reached:
            return None
        rest = self._component[first] - reached
        for piece in (reached, rest):
            for member in piece:
                if len(piece) == 1:
                    del self._component[member]
                else:
                    self._component[member] = piece
        return frozenset(reached), frozenset(rest)

    def _component_held(self, key: Key) -> set[Key]:
        members = self._component.get(key)
        if members is None:
            members = self._component[key] = {key}
        return members

    def _reachable(self, start: Key) -> set[Key]:
        """The keys the links still join to `start` (a walk of its component only)."""
        reached = {start}
        waiting = [start]
        while waiting:
            for neighbour in self._links.get(waiting.pop(), ()):
                if neighbour not in reached:
                    reached.add(neighbour)
                    waiting.append(neighbour)
        return reached
