"""Where a cold load's time goes: each step of indexing one event, timed alone, in one process.

The cold-index figure says how far the load is from the floor; this says why, so that whoever tries to close
the gap starts from measured steps rather than guesses. Every step runs over the same sample of files in a
plain loop with the collector paused, as the floor does, and is given in microseconds per event; `whole`
is the store's own load of the sample in this process alone (`COMMUNIQUE_WORKERS=0`), so `whole` minus the
steps is the store's bookkeeping (file entries, claims, folder counts) and the loops' own overhead.
"""

from __future__ import annotations

import gc
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson

from store.event_store import EventStore
from store.index.event_words import indexed_words
from store.index.search_index import SearchIndex
from store.model.validate import validate_event

SAMPLE = 20_000
"""Files timed: enough for steady per-event figures, few enough to add seconds, not minutes, to a run."""


def _per_event(step: Callable[[], Any], events: int) -> float:
    start = time.perf_counter()
    step()
    return (time.perf_counter() - start) / events * 1e6


def measure_stages(corpus: Path, sample: int = SAMPLE) -> dict[str, float]:
    paths = []
    for folder, _, names in os.walk(corpus):
        paths.extend(os.path.join(folder, name) for name in names if name.endswith(".json"))
    paths = sorted(paths)[:sample]
    rels = [os.path.relpath(path, corpus) for path in paths]
    gc.disable()
    try:
        count = len(paths)
        blobs: list[bytes] = []
        raws: list[Any] = []
        events = []
        words = []
        index = SearchIndex()

        def read() -> None:
            for path in paths:
                with open(path, "rb") as handle:
                    blobs.append(handle.read())

        def parse() -> None:
            raws.extend(map(orjson.loads, blobs))

        def validate() -> None:
            events.extend(
                validate_event(raw, fallback_id=rel, path=rel) for raw, rel in zip(raws, rels, strict=True)
            )

        def find_words() -> None:
            words.extend(b" ".join(indexed_words(event)) for event in events)

        def pack() -> None:
            for event in events:
                event.pack()

        def add_to_index() -> None:
            with index.bulk_loading():
                for event, found in zip(events, words, strict=True):
                    index.add(event, found)

        figures = {
            f"stage_{name}_us": _per_event(step, count)
            for name, step in (
                ("read", read),
                ("parse", parse),
                ("validate", validate),
                ("words", find_words),
                ("pack", pack),
                ("index", add_to_index),
            )
        }
        del blobs[:], raws[:], events[:], words[:]
        os.environ["COMMUNIQUE_WORKERS"] = "0"
        store = EventStore(corpus)
        stamps = dict.fromkeys(rels)
        figures["stage_whole_us"] = _per_event(lambda: store.load_stamped(stamps), count)
        figures["stage_events"] = count
        return figures
    finally:
        gc.enable()
