"""`python -m bench.engine_prototype.decode --events N`: decoding and validating one event, µs each.

Compares `orjson.loads` + `store.model.validate.validate_event` (today's path) with `msgspec` decoding into typed
structs, which checks the JSON types in the same pass as parsing. The structs accept what the format accepts
(a participant or a document may be a plain string, a related item a bare id, `published` a timestamp), so
the type checks are the format's; what msgspec cannot do (dates that exist, ISO country codes, sanitising
control characters, slugging tags) is timed apart as the Python work left after it.
"""

from __future__ import annotations

import gc
import time
from typing import Any

import msgspec
import orjson

from bench.engine_prototype.common import event_paths, parse_args, print_table
from store.model.validate import validate_event


class Location(msgspec.Struct):
    city: str | None = None
    country: str | None = None


class Person(msgspec.Struct):
    name: str
    role: str | None = None
    country: str | None = None
    organization: str | None = None
    delegation_head: bool = False
    aliases: list[str] = []


class Paper(msgspec.Struct):
    title: str
    date: str | None = None
    id: str | None = None


class Link(msgspec.Struct):
    id: str
    relation: str | None = None


class Source(msgspec.Struct):
    name: str | None = None
    url: str | None = None
    published: str | int | float | None = None


class RawEvent(msgspec.Struct):
    title: str
    date: str
    id: str | None = None
    kind: str | None = None
    end_date: str | None = None
    location: Location | None = None
    countries: list[str] = []
    participants: list[Person | str] = []
    topics: list[str] = []
    agenda: list[str] = []
    organizations: list[str] = []
    documents: list[Paper | str] = []
    related: list[Link | str] = []
    series: str | None = None
    source: Source | None = None
    summary: str | None = None
    text: str | None = None


def per_event_us(action: Any, blobs: list[Any]) -> float:
    """The better of two passes, the collector paused (as the benchmark's floor is)."""
    best = float("inf")
    gc.disable()
    for _ in range(2):
        start = time.perf_counter()
        for blob in blobs:
            action(blob)
        best = min(best, time.perf_counter() - start)
        gc.collect()
    gc.enable()
    return best / len(blobs) * 1e6


def main() -> None:
    args = parse_args(__doc__.splitlines()[0])
    paths = event_paths(args.corpus)
    blobs = []
    for path in paths:
        with open(path, "rb") as handle:
            blobs.append(handle.read())
    decoder = msgspec.json.Decoder(RawEvent)
    figures: dict[str, Any] = {"events": len(blobs)}
    figures["orjson.loads (µs)"] = per_event_us(orjson.loads, blobs)
    figures["orjson + validate_event (µs)"] = per_event_us(
        lambda blob: validate_event(orjson.loads(blob), fallback_id="x"), blobs
    )
    figures["msgspec.json.decode, untyped (µs)"] = per_event_us(msgspec.json.decode, blobs)
    figures["msgspec typed decode + type checks (µs)"] = per_event_us(decoder.decode, blobs)
    raws = [orjson.loads(blob) for blob in blobs]
    figures["validate_event alone (µs)"] = per_event_us(
        lambda raw: validate_event(raw, fallback_id="x"), raws
    )
    print_table(f"decode + validate, {len(blobs):,} events (lower is better)", figures)


if __name__ == "__main__":
    main()
