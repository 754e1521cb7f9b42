"""The store as the cache holds it: a series of pickles, each small enough that its pickler stays small.

A pickler keeps every object it has written, and every temporary it made, alive until it ends. Pickling the
store in one go therefore held a second copy of its bookkeeping: at 100,000 events a launch that wrote the
cache peaked ~240 MB above the store itself. So the files (which hold every event) go in chunks of
`FILES_PER_PICKLE`, each with a fresh pickler, and the rest follows without a single event in it: the claims
and the index's live events are rebuilt on reading from the files' events (the index may have held an equal
copy of one; the file's is as good).

A value shared by events of two chunks (a participant, a country code) is written once per chunk and read
back as equal copies, a few MB at 100,000 events.
"""

from __future__ import annotations

import pickle
from typing import IO, Any

from store.event import Event
from store.event_store import EventStore, FileEntry
from store.search_index import Indexed, SearchIndex

FILES_PER_PICKLE = 10_000
"""Files per pickle: ~15 MB of pickler bookkeeping at a time, and few values repeated across pickles."""

_PROTOCOL = pickle.HIGHEST_PROTOCOL


def write_store(store: EventStore, out: IO[bytes]) -> None:
    """Write the store (the caller holds its lock)."""
    files = list(store.files.items())
    chunks = [files[start : start + FILES_PER_PICKLE] for start in range(0, len(files), FILES_PER_PICKLE)]
    pickle.dump(len(chunks), out, protocol=_PROTOCOL)
    for chunk in chunks:
        pickle.dump(chunk, out, protocol=_PROTOCOL)
    index = store.index
    state = index.__getstate__()
    del state["live"]  # its events are in the files; only who is shown, and as whom, is written
    persons = {docno: indexed.persons for docno, indexed in index.live.items()}
    rest = (state, persons, store.folders, store.flagged, store.contested)
    pickle.dump(rest, out, protocol=_PROTOCOL)


def read_store(source: IO[bytes]) -> dict[str, Any]:
    """The store's attributes as `write_store` wrote them; raises where the parts disagree (then the cache
    is rebuilt from the folder rather than trusted)."""
    files: dict[str, FileEntry] = {}
    for _ in range(pickle.load(source)):
        files.update(pickle.load(source))
    state, persons, folders, flagged, contested = pickle.load(source)
    claims = _claims_of(files)
    if contested != {event_id for event_id, claimants in claims.items() if len(claimants) > 1}:
        raise ValueError("the claims rebuilt from the files disagree with the saved ones")
    index = SearchIndex.__new__(SearchIndex)
    index.__setstate__(state)
    live = {}
    for docno, keys in persons.items():
        event = claims[index.id_of[docno]][0]  # the index always shows an id's first claimant
        event.pack()  # a no-op unless it was an equal copy of the indexed one
        live[docno] = Indexed(event, keys)
    index.live = live
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
    return {
        event_id: tuple(events) if len(events) == 1 else tuple(sorted(events, key=lambda event: event.path))
        for event_id, events in grouped.items()
    }
