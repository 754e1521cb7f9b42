"""`python -m bench.follow --corpus DIR`: a reader of a folder's persistent index following a writer's
commits one file at a time, as a second dashboard follows the first (issue #17).

The index of the corpus is built once (`store.persistence.folder_index.reconcile`, minutes at 100,000
events) under /work/tmp/follow/ and reused; each run then changes it through the writer (the corpus itself
is only read). The reader asks for the participants once (the people built), then for each of N files:
the file read, parsed and validated, put through the writer and committed (alternately an existing file
changed and a new one), `refresh()`, the date order (where its row goes), `participant_counts()`, and the
related events of the file's event. Printed beside the dashboard's targets and the floor of the same run
(one file read and parsed), with what the reader would pay if it built the people and sorted the date
order again instead of following.
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import time
from pathlib import Path

import orjson

from bench.phases import event_files, percentile
from store.entities.cross_references import related_events
from store.files.event_files import DEFAULT_MAX_BYTES, FileStamp
from store.index.persistent import PersistentWriter
from store.index.persistent.engine import PersistentIndex
from store.index.persistent.folder import FolderWriter
from store.model.validate import validate_event
from store.persistence.folder_index import Reading, reconcile

WORK = Path("/work/tmp/follow")
FILE_TO_ROW_MS = 300.0
AGGREGATES_MS = 50.0
RELATED_MS = 20.0


def built_index(corpus: Path, location: Path) -> Path:
    """The corpus's index at `location`, built unless a finished one is there."""
    if (location / "facts.sqlite").exists():
        return location
    started = time.perf_counter()
    with PersistentWriter(location) as writer:
        reconcile(FolderWriter(writer), os.fspath(corpus), Reading(max_bytes=DEFAULT_MAX_BYTES))
    print(f"index built in {time.perf_counter() - started:.0f} s at {location}")
    return location


def floor_ms(paths: list[str]) -> float:
    """One file read and parsed (median over the files), the page cache warm, the collector paused."""
    times = []
    gc.disable()
    for path in paths:
        started = time.perf_counter()
        with open(path, "rb") as handle:
            orjson.loads(handle.read())
        times.append((time.perf_counter() - started) * 1000)
    gc.enable()
    return percentile(times, 0.5)


def _ms(started: float) -> float:
    return (time.perf_counter() - started) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.follow", description=__doc__)
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument(
        "--index", type=Path, help="where the index is kept (default: under /work/tmp/follow)"
    )
    parser.add_argument("--changes", type=int, default=50)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    corpus = args.corpus.resolve()
    location = built_index(corpus, args.index or WORK / f"index-{corpus.name}")
    paths = sorted(event_files(corpus))
    rng = random.Random(args.seed)
    chosen = rng.sample(paths, args.changes)
    floor = floor_ms(chosen)

    reader = PersistentIndex(location)
    started = time.perf_counter()
    reader.participant_counts()
    built_ms = _ms(started)
    started = time.perf_counter()
    reader.ordered("date", True)
    ordered_ms = _ms(started)
    print(
        f"reader opened on {len(reader):,} events: people built {built_ms:.0f} ms, date order {ordered_ms:.0f} ms"
    )

    figures: dict[str, list[float]] = {
        name: [] for name in ("write", "refresh", "order", "participants", "related", "file_row")
    }
    rebuilt = 0
    run = time.time_ns()
    with PersistentWriter(location) as writer:
        folder = FolderWriter(writer)
        for number, path in enumerate(chosen):
            facts = reader._facts
            started = time.perf_counter()
            with open(path, "rb") as handle:
                raw = orjson.loads(handle.read())
            if number % 2:  # a new file, its event new
                rel = f"bench-follow/{run}-{number}.json"
                raw["id"] = f"follow-{run}-{number}"
            else:  # an existing file changed: its event removed and added again under a new docno
                rel = os.path.relpath(path, corpus)
            raw["title"] = f"{raw.get('title', '')} (revised {run}-{number})"
            event = validate_event(raw, fallback_id=rel, path=rel)
            folder.put_file(rel, FileStamp(len(raw["title"]), run + number), [event])
            folder.commit()
            figures["write"].append(_ms(started))
            refreshing = time.perf_counter()
            reader.refresh()
            figures["refresh"].append(_ms(refreshing))
            ordering = time.perf_counter()
            reader.ordered("date", True)
            figures["order"].append(_ms(ordering))
            figures["file_row"].append(_ms(started))
            counting = time.perf_counter()
            reader.participant_counts()
            figures["participants"].append(_ms(counting) + figures["refresh"][-1])
            relating = time.perf_counter()
            related_events(reader, event.id)
            figures["related"].append(_ms(relating))
            rebuilt += reader._facts is not facts

    again = []
    for _ in range(3):  # what refresh() cost before it followed: the people and the order built again
        reader._facts, reader._reader._date_order = None, None
        reader._derived.clear()
        started = time.perf_counter()
        reader.participant_counts()
        reader.ordered("date", True)
        again.append(_ms(started))
    reader.close()

    def line(label: str, samples: list[float], target: float | None = None) -> None:
        aimed = f"  target ≤ {target:.0f} ms" if target is not None else ""
        p50, p95 = percentile(samples, 0.5), percentile(samples, 0.95)
        print(f"  {label:<38} p50 {p50:8.2f} ms  p95 {p95:8.2f} ms{aimed}")

    print(f"{args.changes} files, one commit each (load average {os.getloadavg()[0]:.1f}):")
    line("write: read, parse, validate, commit", figures["write"])
    line("refresh()", figures["refresh"])
    line("date order after refresh", figures["order"])
    line("file → row: write + refresh + order", figures["file_row"], FILE_TO_ROW_MS)
    line("refresh + participant_counts()", figures["participants"], AGGREGATES_MS)
    line("related events of the file's event", figures["related"], RELATED_MS)
    print(f"  floor: one file read + orjson parse, p50 {floor:.3f} ms")
    print(f"  refreshes that built the people again (an alias join undone): {rebuilt} of {args.changes}")
    print(f"  instead of following, people + date order built again: median {percentile(again, 0.5):.0f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
