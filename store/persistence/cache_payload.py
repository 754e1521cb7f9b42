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

The index is written and read by its own `snapshot` and `restored` (this module never touches its
attributes), and `layout_fingerprint` names the shape of everything pickled: the classes a sample store's
payload holds, each with its fields, and the attributes of the index's snapshot. The cache's header carries
it, so a cache written by code whose classes had another shape is rebuilt, never misread, with no version
number to remember to bump.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import io
import pickle
from collections import Counter
from collections.abc import Callable, Iterator
from typing import IO, Any

from store.event_store import FileEntry, StoreState, claim_order
from store.files.event_files import FileStamp
from store.index.engines import memory_index
from store.index.search_index import SearchIndex
from store.memory import release_free_memory
from store.model.event import Event
from store.model.problems import Problem
from store.model.validate import share_values, validate_event

FILES_PER_PICKLE = 5_000
"""Files (or live events) per pickle: ~10 MB of pickler bookkeeping at a time, handed back to the system
after each, and few values repeated across pickles."""

_PROTOCOL = pickle.HIGHEST_PROTOCOL


Dump = Callable[[Any, IO[bytes]], None]


def _dump(value: Any, out: IO[bytes]) -> None:
    pickle.dump(value, out, protocol=_PROTOCOL)


def _memory_index(state: StoreState) -> SearchIndex:
    index = state.index
    if not isinstance(index, SearchIndex):
        raise TypeError(f"only the in-memory index is cached, not {type(index).__qualname__}")
    return index


def write_store(state: StoreState, out: IO[bytes], dump: Dump = _dump) -> None:
    """Write one state of a store (held still by `EventStore.held_state`)."""
    _write_chunks(list(state.files.items()), out, dump)
    persons, index_state = _memory_index(state).snapshot()
    _write_chunks(persons, out, dump)  # who is shown, and as whom; the events are in the files
    dump((index_state, state.folders, state.flagged, state.contested), out)


def _write_chunks(items: list[Any], out: IO[bytes], dump: Dump) -> None:
    chunks = [items[start : start + FILES_PER_PICKLE] for start in range(0, len(items), FILES_PER_PICKLE)]
    dump(len(chunks), out)
    for chunk in chunks:
        dump(chunk, out)
        release_free_memory()  # what the chunk's pickler held, before the next one grows


def _read_chunks(source: IO[bytes]) -> Iterator[list[Any]]:
    for _ in range(pickle.load(source)):
        yield pickle.load(source)


def read_store(source: IO[bytes]) -> StoreState:
    """The state `write_store` wrote, for `EventStore.restore`; raises where the parts disagree (then the cache
    is rebuilt from the folder rather than trusted)."""
    files: dict[str, FileEntry] = {}
    for chunk in _read_chunks(source):
        for _, entry in chunk:
            for event in entry.events:
                share_values(event)  # values repeated across chunks are one object again, chunk by chunk
        files.update(chunk)
    persons = [pair for chunk in _read_chunks(source) for pair in chunk]
    index_state, folders, flagged, contested = pickle.load(source)
    claims = _claims_of(files)
    if contested != {event_id for event_id, claimants in claims.items() if len(claimants) > 1}:
        raise ValueError("the claims rebuilt from the files disagree with the saved ones")
    # The index always shows an id's first claimant.
    index = SearchIndex.restored(persons, index_state, lambda event_id: claims[event_id][0])
    release_free_memory()  # what the unpicklers held, before the folder is walked for changes
    return StoreState(files, claims, index, folders, flagged, contested)


def _claims_of(files: dict[str, FileEntry]) -> dict[str, tuple[Event, ...]]:
    """Event id → every event with that id, ordered by path, as `EventStore` keeps them."""
    grouped: dict[str, list[Event]] = {}
    for entry in files.values():
        # A file naming one id twice claims it once, with its last event (as `EventStore` reads it).
        for event in {event.id: event for event in entry.events}.values():
            grouped.setdefault(event.id, []).append(event)
    return {event_id: claim_order(events) for event_id, events in grouped.items()}


class _ShapeRecorder(pickle.Pickler):
    """A pickler that notes the class of everything it writes, with that class's fields."""

    def __init__(self, out: IO[bytes], shapes: dict[str, tuple[str, ...]]) -> None:
        super().__init__(out, protocol=_PROTOCOL)
        self.shapes = shapes

    def persistent_id(self, obj: Any) -> None:
        kind = type(obj)
        name = f"{kind.__module__}.{kind.__qualname__}"
        if name not in self.shapes:
            if dataclasses.is_dataclass(kind):
                shape = tuple(f"{item.name}: {item.type}" for item in dataclasses.fields(kind))
            elif hasattr(obj, "__dict__") and not isinstance(obj, type):
                shape = tuple(sorted(vars(obj)))
            else:
                shape = tuple(getattr(kind, "__slots__", ()))
            self.shapes[name] = shape
        return None


def _sample_state() -> StoreState:
    """A store's state of one file holding every kind of record the cache pickles (never read from disk)."""
    raw = {
        "id": "sample",
        "title": "Sample",
        "date": "2024-01-02",
        "kind": "meeting",
        "location": {"city": "Astana", "country": "KZ"},
        "countries": ["KZ"],
        "series": "sample series",
        "participants": [{"name": "Ann Bee", "role": "envoy", "country": "KZ", "aliases": ["Anna Bee"]}],
        "topics": ["water"],
        "organizations": ["UN"],
        "documents": [{"title": "Sample declaration", "date": "2024-01"}],
        "related": [{"id": "other", "relation": "follow-up"}],
        "source": {"name": "sample", "published": "2024-01-03"},
        "summary": "A sample.",
        "text": "A sample text. " * 40,
    }
    event = validate_event(raw, fallback_id="sample", path="sample.json")
    entry = FileEntry(FileStamp(1, 1, 1, 1), (event,), (Problem("sample.json", "a sample problem", 1),))
    index = memory_index()
    index.add(event)
    index.commit()
    return StoreState({"sample.json": entry}, {event.id: (event,)}, index, Counter(), set(), set())


@functools.cache
def layout_fingerprint() -> str:
    """A digest of the payload's shape: every class a sample store's payload pickles, with its fields,
    and the index snapshot's attributes. It changes whenever one of them does."""
    shapes: dict[str, tuple[str, ...]] = {}
    state = _sample_state()
    write_store(state, io.BytesIO(), lambda value, out: _ShapeRecorder(out, shapes).dump(value))
    lines = [f"{name}({', '.join(shape)})" for name, shape in sorted(shapes.items())]
    lines.append(f"index snapshot({', '.join(sorted(_memory_index(state).snapshot()[1]))})")
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()[:32]
