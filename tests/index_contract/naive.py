"""The plain definitions of `store.index.protocol`, evaluated event by event: what every engine must equal.

Each function takes the live events by docno (`live_events`) and answers one question of the protocol
without an index, in the most obvious way.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable
from typing import Any

import numpy as np

from store.index.event_words import Phrase, indexed_words
from store.index.protocol import SORT_KEYS, Field, IndexReader, day_number, field_keys_of
from store.model.event import Event

Live = dict[int, Event]


def live_events(reader: IndexReader, events: Iterable[Event], removed: Iterable[str] = ()) -> Live:
    """The events still live (the last one of each id, less the removed ids), by their docno in the reader."""
    gone = set(removed)
    last = {event.id: event for event in events if event.id not in gone}
    found = {}
    for event_id, event in last.items():
        docno = reader.docno(event_id)
        assert docno is not None, f"{event_id} is live but has no docno"
        found[docno] = event
    return found


def mask_of(reader: IndexReader, docnos: Collection[int]) -> np.ndarray:
    """The given documents as a mask of `reader`'s length (only tests build masks from docnos)."""
    mask = reader.empty_mask()
    if docnos:
        mask[np.fromiter(docnos, dtype=np.int64, count=len(docnos))] = True
    return mask


def docnos_of(mask: np.ndarray) -> set[int]:
    return set(np.flatnonzero(mask).tolist())


def word_docnos(live: Live, word: str, *, prefix: bool) -> set[int]:
    key = word.encode("utf-8", "surrogatepass")
    if prefix:
        return {
            docno for docno, event in live.items() if any(w.startswith(key) for w in indexed_words(event))
        }
    return {docno for docno, event in live.items() if key in indexed_words(event)}


def phrase_docnos(live: Live, words: tuple[str, ...]) -> set[int]:
    phrase = Phrase(list(words))
    keys = {word.encode("utf-8", "surrogatepass") for word in words}
    return {
        docno
        for docno, event in live.items()
        if keys <= indexed_words(event) and phrase.found_in_event(event)
    }


def keys_by_docno(reader: IndexReader, live: Live, field: Field) -> dict[int, set[Any]]:
    return {docno: field_keys_of(field, event, reader.people) for docno, event in live.items()}


def field_keys(reader: IndexReader, live: Live, field: Field) -> set[Any]:
    return set().union(*keys_by_docno(reader, live, field).values())


def key_docnos(reader: IndexReader, live: Live, field: Field, key: Any) -> list[int]:
    return sorted(docno for docno, keys in keys_by_docno(reader, live, field).items() if key in keys)


def key_counts(reader: IndexReader, live: Live, field: Field, counted: set[int]) -> list[tuple[Any, int]]:
    counts: Counter[Any] = Counter()
    for docno, keys in keys_by_docno(reader, live, field).items():
        if docno in counted:
            counts.update(keys)
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def date_docnos(live: Live, first: str, last: str) -> set[int]:
    return {
        docno
        for docno, event in live.items()
        if (not first or event.sort_date >= first) and (not last or event.sort_date <= last)
    }


def on_day(live: Live, day: str) -> set[int]:
    return {docno for docno, event in live.items() if event.sort_date == day and len(event.date) == 10}


def ordered(live: Live, sort: str, descending: bool) -> list[int]:
    if sort == "arrival":
        ascending = sorted(live)
    else:
        key = SORT_KEYS[sort]
        ascending = sorted(live, key=lambda docno: (key(live[docno]), docno))
    return ascending[::-1] if descending else ascending


def sorted_days(live: Live, counted: set[int]) -> list[int]:
    return sorted(day_number(event.sort_date) for docno, event in live.items() if docno in counted)


def links_to(live: Live, event_id: str) -> set[str]:
    return {event.id for event in live.values() if any(link.id == event_id for link in event.related)}
