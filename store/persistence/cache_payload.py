"""The store as the cache holds it: a series of pickles, each small enough that its pickler stays small.

A pickler keeps every object it has written, and every temporary it made, alive until it ends. Pickling the
store in one go therefore held a second copy of its bookkeeping: at 100,000 events a launch that wrote the
cache peaked ~240 MB above the store itself. So the files (which hold every event) go in chunks of
`FILES_PER_PICKLE`, each with a fresh pickler, then the index's live events as (docno, persons) pairs in
chunks too, and last the rest of the index without a single event in it: on reading, the claims and the
live events are rebuilt from the files' events (the index may have held an equal copy of one; the file's is
as good).

A value shared by events of two chunks (a participant, a country code) is written once per chunk and read
back as equal copies; `share_values` makes them one object again (~0.3 s at 100,000 events, ~15 MB saved).
"""

from __future__ import annotations

import pickle
from collections.abc import Iterator
from typing import IO, Any

from store.event_store import EventStore, FileEntry, claim_order
from store.index.search_index import Indexed, SearchIndex
from store.memory import release_free_memory
from store.model.event import Event
from store.model.validate import share_values

FILES_PER_PICKLE = 5_000
"""Files (or live events) per pickle: ~10 MB of pickler bookkeeping at a time, handed back to the system
after each, and few values repeated across pickles."""

_PROTOCOL = pickle.HIGHEST_PROTOCOL


def write_store(store: EventStore, out: IO[bytes]) -> None:
    """Write the store (the caller holds its lock)."""
    _write_chunks(list(store.files.items()), out)
    index = store.index
    _write_chunks([(docno, indexed.persons) for docno, indexed in index.live.items()], out)
    state = index.__getstate__()
    del state["live"]  # its events are in the files; who is shown, and as whom, was written above
    pickle.dump((state, store.folders, store.flagged, store.contested), out, protocol=_PROTOCOL)


def _write_chunks(items: list[Any], out: IO[bytes]) -> None:
    chunks = [items[start : start + FILES_PER_PICKLE] for start in range(0, len(items), FILES_PER_PICKLE)]
    pickle.dump(len(chunks), out, protocol=_PROTOCOL)
    for chunk in chunks:
        pickle.dump(chunk, out, protocol=_PROTOCOL)
        release_free_memory()  # what the chunk's pickler held, before the next one grows


def _read_chunks(source: IO[bytes]) -> Iterator[list[Any]]:
    for _ in range(pickle.load(source)):
        yield pickle.load(source)


def read_store(source: IO[bytes]) -> dict[str, Any]:
    """The store's attributes as `write_store` wrote them; raises where the parts disagree (then the cache
    is rebuilt from the folder rather than trusted)."""
    files: dict[str, FileEntry] = {}
    for chunk in _read_chunks(source):
        for _, entry in chunk:
            for event in entry.events:
                share_values(event)  # values repeated across chunks are one object again, chunk by chunk
        files.update(chunk)
    persons = [pair for chunk in _read_chunks(source) for pair in chunk]
    state, folders, flagged, contested = pickle.load(source)
    claims = _claims_of(files)
    if contested != {event_id for event_id, claimants in claims.items() if len(claimants) > 1}:
        raise ValueError("the claims rebuilt from the files disagree with the saved ones")
    index = SearchIndex.__new__(SearchIndex)
    index.__setstate__(state)
    live = {}
    for docno, keys in persons:
        event = claims[index.id_of[docno]][0]  # the index always shows an id's first claimant
        event.pack()  # a no-op unless it was an equal copy of the indexed one
        live[docno] = Indexed(event, keys)
    index.live = live
    release_free_memory()  # what the unpicklers held, before the folder is walked for changes
    return {
        "files": files,
        "claims": claims,
        "index": index,
        "folders": folders,
        "flagged": flagged,
        "contested": contested,
    }


def _claims_of(files: dict[str, FileEntry]) -> dict[str, tuple[Event, ...]]:
    """Event id → every event with that id, ordered by path, as `EventStore` keeps them."""
    grouped: dict[str, list[Event]] = {}
    for entry in files.values():
        # A file naming one id twice claims it once, with its last event (as `EventStore` reads it).
        for event in {event.id: event for event in entry.events}.values():
            grouped.setdefault(event.id, []).append(event)
    return {event_id: claim_order(events) for event_id, events in grouped.items()}
