"""The engines the contract suite holds to `store.index.protocol`, and how a test indexes a corpus in one.

An engine is added by one entry in `ENGINE_FACTORIES`: a function that opens a new, empty engine whose
files (if it has any) live in the given folder. Every test of this folder then runs against it.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from store.index.engines import MemoryEngine
from store.index.protocol import IndexEngine, IndexReader
from store.model.event import Event
from store.model.validate import validate_event

EngineFactory = Callable[[Path], IndexEngine[Any]]

ENGINE_FACTORIES: dict[str, EngineFactory] = {
    "memory": lambda folder: MemoryEngine(),
}
"""Engine name → a factory of new, empty engines in a folder of their own."""


@pytest.fixture(params=sorted(ENGINE_FACTORIES))
def engine_factory(request: pytest.FixtureRequest) -> EngineFactory:
    return ENGINE_FACTORIES[request.param]


def events_of(raws: Iterable[dict[str, Any]]) -> list[Event]:
    """Events as the store reads them, id `e<number>` unless the raw event names its own."""
    return [validate_event(raw, fallback_id=f"e{number}") for number, raw in enumerate(raws)]


@contextmanager
def indexed(
    factory: EngineFactory, events: Iterable[Event], removed: Iterable[str] = ()
) -> Iterator[IndexReader]:
    """A reader of an engine holding the events (one commit), less the removed ids (a second commit). An
    id seen again is a changed event: its old version is removed first, as the store does."""
    with tempfile.TemporaryDirectory(prefix="index-contract-") as folder:
        engine = factory(Path(folder))
        writer = engine.open_writer()
        seen: set[str] = set()
        for event in events:
            if event.id in seen:
                writer.remove(event.id)
            seen.add(event.id)
            writer.add(event)
        writer.commit()
        for event_id in removed:
            writer.remove(event_id)
        writer.commit()
        yield engine.open_reader()
