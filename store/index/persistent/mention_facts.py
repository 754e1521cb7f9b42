"""The people as written, their resolution and the explicit links of a persistent index's live events, built
once from the stored mentions (each event's participants and related ids, `storage.encode_mentions`) and
then kept up to date commit by commit (`follow`), as the in-memory engine keeps them event by event.

A reader that follows a writer (a second dashboard, the store after its own commit) would otherwise build
all of it again after every commit: seconds at 100,000 events for a one-file change. Following gives
what a reader opened fresh on the same commit gives: `People` undoes an event exactly (its alias links are
counted per declaring event), and the resolution is told every group that was joined, split or refiled.

Never reads an event's facts (100,000 small rows, not 100,000 events through the validator), never imports
Textual.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from store.entities.people import People, PersonKey
from store.entities.person_resolution import PersonResolution
from store.index.persistent.reader import PersistentReader
from store.index.persistent.storage import decode_mentions
from store.model.event import Event, Participant

Mentions = tuple[str, tuple[Participant, ...], tuple[str, ...]]
"""One live event as the people and links know it: its id, its participants, the ids it names as related."""


class MentionFacts:
    """`people`, `persons` (docno → the person keys its mentions were filed under), `resolution`,
    `linked_from` (target id → source id → how many times the live sources name it)."""

    def __init__(self, reader: PersistentReader, day_of: Callable[[np.ndarray], np.ndarray]) -> None:
        self.people = People()
        self.persons: dict[int, tuple[PersonKey, ...]] = {}
        self.linked_from: dict[str, dict[str, int]] = {}
        self._mentions: dict[int, Mentions] = {}
        """What each live event was added with, so that its removal undoes exactly that (~80 bytes an
        event: the participants are shared objects)."""
        self._shared: dict[tuple[Any, ...], Participant] = {}
        """One object per participant, as validation shares them."""
        self._next = 0
        """One past the highest docno added: a commit's documents are numbered from there on, which the
        people's and the resolution's lists of docnos, kept sorted by appending, rely on."""
        for docno, event_id, mentions in reader.mentions():
            self._add(docno, event_id, mentions, touching=False)
        self.resolution = PersonResolution(self.people, day_of)
        self.resolution.touch(list(self.people.persons))
        self.resolution.refresh()  # whole before anyone reads it (a question would, under the store's lock)

    def follow(self, reader: PersistentReader, added: np.ndarray, removed: np.ndarray) -> bool:
        """Apply a commit (`PersistentReader.changes_since`: a changed event is a removal and an addition
        under a new, higher docno). False, changing nothing, when a document came under an older number
        (a command's reader shows a stale file's documents' stand-ins under their numbers, `stand_ins`):
        then the caller builds everything again."""
        if len(added) and int(added.min()) < self._next:
            return False
        gone = [docno for docno in removed.tolist() if docno in self._mentions]
        touched: list[PersonKey] = []
        for docno in gone:
            touched += self._remove(docno)
        for docno, event_id, mentions in reader.mentions(added.tolist()):
            touched += self._add(docno, event_id, mentions)
        self.resolution.touch(touched)
        return True

    def _add(self, docno: int, event_id: str, mentions: bytes, *, touching: bool = True) -> list[PersonKey]:
        """Add one live event; the person keys the resolution must look at again (none when not
        `touching`: the first build touches every person at the end, and finding each event's groups
        costs a second at 100,000 events)."""
        written, related = decode_mentions(mentions)
        shared = self._shared
        participants = tuple(
            shared.get(key) or shared.setdefault(key, Participant(*key))
            for fields in written
            for key in ((*fields[:5], tuple(fields[5])),)
        )
        self._mentions[docno] = (event_id, participants, tuple(related))
        self._next = max(self._next, docno + 1)
        mentioned = _mentioned(event_id, participants)
        keys = self.persons[docno] = self.people.add(docno, mentioned)
        regrouped = self.people.take_regrouped()  # groups its aliases joined or refiled
        for link in related:
            sources = self.linked_from.setdefault(link, {})
            sources[event_id] = sources.get(event_id, 0) + 1
        return [*keys, *self.people.keys_of(mentioned), *regrouped] if touching else []

    def _remove(self, docno: int) -> list[PersonKey]:
        event_id, participants, related = self._mentions.pop(docno)
        keys = self.persons.pop(docno)
        filed_under = self.people.remove(docno, _mentioned(event_id, participants))
        regrouped = self.people.take_regrouped()  # groups split or refiled as its alias links went
        for link in related:
            sources = self.linked_from[link]
            sources[event_id] -= 1
            if not sources[event_id]:
                del sources[event_id]
                if not sources:
                    del self.linked_from[link]
        return [*keys, *filed_under, *regrouped]


def _mentioned(event_id: str, participants: tuple[Participant, ...]) -> Event:
    """The event as `People` reads it: its id and participants."""
    return Event(event_id, "", "", "", "", participants=participants)
