"""`python -m bench.related_reads --corpus DIR [--sample N]`: related lists on a folder's persistent index
(already built: a command on the folder builds it), each timed and with the events it read counted.

A related list's cost at 1,000,000 events is the events it reads through the validator; this prints, for
events drawn at random, the time of each list (p50 / p95, against the 100,000-event target of 20 ms) and
the events read (the 50 shown among them). No dashboard runs meanwhile: this is the list alone.
"""

from __future__ import annotations

import argparse
import random
import time
from typing import Any

import numpy as np

from store.entities.cross_references import MOST_RELATED, related_events
from store.index.persistent.engine import PersistentIndex
from store.persistence.folder_index import index_location

TARGET_P95_MS = 20.0


def measure(corpus: str, sample: int, seed: int) -> dict[str, float]:
    index = PersistentIndex(index_location(corpus), without_stale=True)
    reads = 0
    read_event = index._reader.event  # the validator's reads, under the engine's memo of recent events

    def counting(docno: int) -> Any:
        nonlocal reads
        reads += 1
        return read_event(docno)

    index._reader.event = counting  # type: ignore[method-assign]
    live = np.flatnonzero(index.live_mask()).tolist()
    times, counts = [], []
    for docno in random.Random(seed).sample(live, min(sample, len(live))):
        before, start = reads, time.perf_counter()
        related_events(index, index.event_id(docno))
        times.append((time.perf_counter() - start) * 1000)
        counts.append(reads - before)
    tables = index.people_tables is not None
    index.close()
    times.sort()
    counts.sort()
    return {
        "events": float(len(live)),
        "people_tables": float(tables),
        "related_p50_ms": times[len(times) // 2],
        "related_p95_ms": times[int(len(times) * 0.95)],
        "reads_median": float(counts[len(counts) // 2]),
        "reads_max": float(counts[-1]),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", required=True)
    parser.add_argument("--sample", type=int, default=40)
    parser.add_argument("--seed", type=int, default=3)
    args = parser.parse_args()
    figures = measure(args.corpus, args.sample, args.seed)
    print(
        f"{int(figures['events']):,} events, people's tables {'kept' if figures['people_tables'] else 'built'}"
    )
    print(
        f"related p50 {figures['related_p50_ms']:.1f} ms, p95 {figures['related_p95_ms']:.1f} ms"
        f" (target at 100,000 events: p95 <= {TARGET_P95_MS:.0f} ms)"
    )
    print(
        f"events read per list: median {figures['reads_median']:.0f}, most {figures['reads_max']:.0f}"
        f" ({MOST_RELATED} shown)"
    )


if __name__ == "__main__":
    main()
