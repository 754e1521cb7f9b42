"""What a command's reader shows in place of a stale file's documents: the claim a load of the folder shows.

A dashboard keeps the last good claims of a stale file (unreadable now) live (`store.index.persistent.
folder`), and another file's claim to one of those ids waits in the `hidden` table when the stale claim's
event path sorts first. A command answers as a load of the folder would, and a load has no stale file: each
of its ids shows the first claim by event path among the files that are not stale (a hidden one, with its
stored facts), or nothing (`PersistentReader(without_stale=True)`).

A stand-in takes the stale document's number: it has the same id, so the ids table, the date order's id keys
and the live mask stay as they are; only what the number holds changes. Stand-ins are few (ids that a stale
file and another file both claim), so they are indexed here, in memory, in the writer's own segment layout;
the reader leaves their numbers out of the stored postings and positions and asks these instead. Nothing
here runs while no file is stale.

It reads the snapshot it is handed (inside the reader's read transaction); it never writes.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

import numpy as np

from store.index.event_words import Phrase
from store.index.persistent.prepared import prepare_event
from store.index.persistent.storage import decode_facts, encode_mentions
from store.index.persistent.writer import segment_arrays
from store.model.event import Event

_CLAIMS = """
SELECT e.docno, h.id, h.path, h.facts FROM events AS e JOIN hidden AS h ON h.id = e.id
WHERE e.file IN (SELECT path FROM files WHERE stale) AND h.file NOT IN (SELECT path FROM files WHERE stale)
ORDER BY e.docno, h.path, h.file
"""
"""Every claim, outside stale files, to the id of a stale file's document: each document's first by event
path is the one a load shows (`store.event_store.claim_order`)."""


@dataclass(frozen=True, slots=True)
class StandIns:
    events: dict[int, Event]
    """A stale document's number → the claim shown in its place, ascending by number."""
    arrays: dict[str, np.ndarray]
    """Their words and field keys as a segment's arrays (`writer.segment_arrays`)."""

    @property
    def docnos(self) -> np.ndarray:
        return self.arrays["docnos"].astype(np.int64)

    def phrase_docnos(self, words: tuple[str, ...] | list[str]) -> list[int]:
        """The stand-ins holding the phrase: the in-memory engine's test, on a handful of events."""
        phrase = Phrase(list(words))
        return [docno for docno, event in self.events.items() if phrase.found_in_event(event)]

    def mentions(self, docno: int) -> bytes:
        """The stand-in's participants and related ids, as the `events` table stores a document's."""
        return encode_mentions(self.events[docno])


def find_stand_ins(connection: sqlite3.Connection) -> StandIns | None:
    """The stand-ins of the snapshot the connection reads (None: no stale document's id is claimed
    elsewhere)."""
    events: dict[int, Event] = {}
    for docno, event_id, path, facts in connection.execute(_CLAIMS):
        if docno not in events:
            events[docno] = decode_facts(event_id, path, facts)
    if not events:
        return None
    found = [prepare_event(event) for event in events.values()]
    return StandIns(events, segment_arrays(list(events.items()), found))
