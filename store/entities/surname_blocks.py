"""Which block a surname is compared in: the surnames present now, one letter apart, taken together.

The resolution (`store.entities.person_resolution`) compares mentions only within a block. Surnames a
letter apart (Reinfeldt / Reingeldt) share one, and so do chains of them (Reinfeld / Reinfeldt /
Reingeldt). A block must be a function of the full names present now, never of the order they came in
or of names that have gone: otherwise a store that saw a misspelling for a moment, or read the folder in
another order, compares (and merges) other people than one loaded fresh. So each surname is counted by the
full-name groups that have it, two surnames present a letter apart are linked
(`store.entities.linked_keys`), and a block is a component of those links, named by its smallest surname.

This module knows surnames only; which groups sit in a block is the resolution's.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Set

from store.entities.linked_keys import LinkedKeys

FUZZY_SURNAME_LENGTH = 5
"""Surnames at least this long that differ by one letter (dropped, added, changed or two swapped:
Reinfeldt / Reingeldt, Weizsaecker / Weiszaecker, Demirel / Demiral) are compared in one block; shorter
ones differ by one letter too often between real names (Sall / Sali / Salih)."""


def one_letter_forms(word: str) -> set[str]:
    """The word and every form of it with one letter left out: two words that share one differ by a letter."""
    return {word, *(word[:at] + word[at + 1 :] for at in range(len(word)))}


class SurnameBlocks:
    """The surnames of the full names present, and the block each word is compared in."""

    def __init__(self) -> None:
        self._uses: Counter[str] = Counter()
        """Each surname present → how many full-name groups have it."""
        self._by_form: dict[str, set[str]] = {}
        """A form (`one_letter_forms`) → the surnames present that have it."""
        self._links: LinkedKeys[str] = LinkedKeys()
        self._name: dict[str, str] = {}
        """Each surname linked to another → its block's name (the smallest surname of its component)."""

    def block(self, word: str) -> str:
        """The block a word is compared in: its own unless it is a surname linked to others."""
        return self._name.get(word, word)

    def add(self, surname: str) -> set[str]:
        """One more full-name group with this surname; the names the blocks it joined had before."""
        self._uses[surname] += 1
        if self._uses[surname] > 1 or len(surname) < FUZZY_SURNAME_LENGTH:
            return set()
        forms = one_letter_forms(surname)
        others = set().union(*(self._by_form.get(form, ()) for form in forms))
        for form in forms:
            self._by_form.setdefault(form, set()).add(surname)
        joined: set[str] = set()
        for other in sorted(others):
            before = {self.block(surname), self.block(other)}
            component = self._links.link(surname, other)
            if component is not None:
                joined.update(before)
                self._rename(component)
        return joined

    def remove(self, surname: str) -> set[str]:
        """One full-name group fewer with this surname; the name of the block it split, if it did."""
        self._uses[surname] -= 1
        if self._uses[surname] > 0:
            return set()
        del self._uses[surname]
        if len(surname) < FUZZY_SURNAME_LENGTH:
            return set()
        others: set[str] = set()
        for form in one_letter_forms(surname):
            having = self._by_form[form]
            having.discard(surname)
            others.update(having)
            if not having:
                del self._by_form[form]
        split: set[str] = set()
        for other in sorted(others):
            before = self.block(other)
            pieces = self._links.unlink(surname, other)
            if pieces is not None:
                split.add(before)
                for piece in pieces:
                    self._rename(piece)
        return split

    def _rename(self, component: Set[str]) -> None:
        if len(component) == 1:
            for word in component:
                self._name.pop(word, None)
            return
        name = min(component)
        for word in component:
            self._name[word] = name
