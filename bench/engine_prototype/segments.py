"""`python -m bench.engine_prototype.segments --events N`: the chosen design, `store.index.persistent`
(SQLite for facts, stamps and phrase positions; numpy segment files, mapped, for postings and days),
measured with the same questions as the tantivy and FTS5 prototypes.

`--no-positions` leaves the FTS5 positions out of the cold build, to show what phrases cost at indexing.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from pathlib import Path
from typing import Any

import orjson

from bench.engine_prototype.common import (
    event_paths,
    floor_s,
    folder_mb,
    kill_while_committing,
    parse_args,
    peak_rss_mb,
    print_table,
    run_child,
    run_role,
    timed_ms,
    while_reading,
)
from store.files.event_files import FileStamp
from store.index.event_words import indexed_words
from store.index.persistent import PersistentReader, PersistentWriter
from store.index.persistent.terms import event_keys, phrase_words
from store.model.validate import validate_event

MODULE = "bench.engine_prototype.segments"
CHUNK = 20_000
"""Events per commit of the cold build (each a segment; rows are visible after the first)."""


def read_events(paths: list[str], root: str) -> Any:
    for path in paths:
        with open(path, "rb") as handle:
            data = handle.read()
            info = os.fstat(handle.fileno())
        rel = os.path.relpath(path, root)
        yield rel, FileStamp.of(info), validate_event(orjson.loads(data), fallback_id=rel, path=rel)


def preparation_us(paths: list[str], root: str) -> dict[str, float]:
    """Where an event's indexing time goes before any engine sees it, µs per event."""
    events = []
    start = time.perf_counter()
    for item in read_events(paths, root):
        events.append(item[2])
    figures = {"prep_us:read+parse+validate": (time.perf_counter() - start) / len(paths) * 1e6}
    for name, work in (("words", indexed_words), ("keys", event_keys), ("phrase sequence", phrase_words)):
        start = time.perf_counter()
        for event in events:
            work(event)
        figures[f"prep_us:{name}"] = (time.perf_counter() - start) / len(events) * 1e6
    return figures


def build(folder: Path, paths: list[str], root: str) -> tuple[float, float, float]:
    """The cold build's time, when its first commit was visible, and its final merge's time (in the first)."""
    start = time.perf_counter()
    first_commit = 0.0
    with PersistentWriter(folder) as writer:
        for number, (rel, stamp, event) in enumerate(read_events(paths, root), 1):
            writer.put_file(rel, stamp, [event])
            if number % CHUNK == 0:
                writer.commit()
                first_commit = first_commit or time.perf_counter() - start
        writer.commit()
        merging = time.perf_counter()
        writer.merge()  # one segment to start from: commits then merge only their own small segments
        merged = time.perf_counter() - merging
    return time.perf_counter() - start, first_commit, merged


def reader(folder: Path) -> dict[str, Any]:
    start = time.perf_counter()
    index = PersistentReader(folder)
    figures: dict[str, Any] = {"open_ms": (time.perf_counter() - start) * 1000, "docs": len(index)}
    figures["word_ms:mask galuzin"] = timed_ms(lambda: index.word_mask("galuzin"))
    figures["word_ms:mask security"] = timed_ms(lambda: index.word_mask("security"))
    figures["hits:security"] = int(index.word_mask("security").sum())
    figures["prefix_ms:consul (one slice)"] = timed_ms(lambda: index.word_mask("consul", prefix=True))
    figures["prefix_ms:s"] = timed_ms(lambda: index.word_mask("s", prefix=True))
    words = ("regional", "security")
    figures["phrase_ms:regional security (FTS5)"] = timed_ms(lambda: index.phrase_mask(words))
    figures["hits:phrase"] = int(index.phrase_mask(words).sum())
    for table, key in (("countries", "TM"), ("kinds", "consultation"), ("topics", "water")):
        figures[f"field_ms:{table}:{key} mask"] = timed_ms(lambda t=table, k=key: index.key_mask(t, k))
    figures["range_ms:2010..2015-06 mask"] = timed_ms(lambda: index.date_mask("2010-01-01", "2015-06-30"))
    everything = index.live_mask()

    def facets(mask: Any) -> list[dict[str, int]]:
        return [index.key_counts(table, mask) for table in ("topics", "countries", "organizations")]

    figures["facets_100k_ms:topics+countries+orgs"] = timed_ms(lambda: facets(everything))
    few = index.key_mask("kinds", "summit") & index.key_mask("countries", "RU")
    figures["hits:1k set"] = int(few.sum())
    figures["facets_1k_ms:topics+countries+orgs"] = timed_ms(lambda: facets(few))
    figures["event_ms:one event's facts"] = timed_ms(lambda: index.event(12345 % index.docno_limit))
    figures["stamps_ms:every file's stamp"] = timed_ms(index.file_stamps, repeat=1)
    figures["reader_rss_mb"] = peak_rss_mb()
    return figures


def commit_latency(folder: Path, paths: list[str], root: str) -> dict[str, float]:
    samples = []
    with PersistentWriter(folder) as writer:
        for rel, stamp, event in read_events(paths[:20], root):
            start = time.perf_counter()
            writer.put_file(rel, stamp, [event])
            writer.commit()
            samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return {"commit_ms:one event p50": samples[len(samples) // 2], "commit_ms:p95": samples[-1]}


def read_loop(folder: Path, seconds: float) -> dict[str, Any]:
    index = PersistentReader(folder)
    worst, seen = 0.0, set()
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        start = time.perf_counter()
        index.refresh()
        seen.add(index.generation)
        index.word_mask("galuzin")
        worst = max(worst, (time.perf_counter() - start) * 1000)
    return {"read_during_commit_ms:worst (refresh + query)": worst, "generations seen": len(seen)}


def concurrent_reads(folder: Path, paths: list[str], root: str) -> dict[str, Any]:
    def write() -> None:
        with PersistentWriter(folder) as writer:
            for rel, stamp, event in read_events(paths[20:40], root):
                writer.put_file(rel, stamp, [event])
                writer.commit()
                time.sleep(0.05)

    return while_reading(MODULE, folder, write)


def crash_writer(folder: Path, paths_file: str, marker: str) -> None:
    paths = json.loads(Path(paths_file).read_text())
    with PersistentWriter(folder) as writer:
        for rel, stamp, event in read_events(paths, os.path.dirname(os.path.dirname(paths[0]))):
            writer.put_file(rel, FileStamp(stamp.size, int(marker), stamp.ctime_ns, stamp.inode), [event])
        print("committing", flush=True)
        writer.commit()
        print("committed", flush=True)


def crash_safety(folder: Path, paths: list[str]) -> dict[str, Any]:
    """Kill a writer during a commit of 3,000 changed files; the reopened index must hold the old or the
    new stamps of all of them, never a mix, and answer queries."""
    root = os.path.dirname(os.path.dirname(paths[0]))
    chosen = paths[-3000:]
    rels = [os.path.relpath(path, root) for path in chosen]
    outcomes: list[Any] = []
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump(chosen, handle)
    for marker, delay in enumerate((0.0, 0.3, 1.0, 2.0, 4.0, None), 1):
        kill_while_committing(MODULE, folder, [handle.name, str(marker)], delay)
        try:
            with PersistentReader(folder) as index:
                stamps = index.file_stamps()
                marked = sum(stamps[rel].mtime_ns == marker for rel in rels)
                index.word_mask("security")
                outcomes.append(f"{marked}/{len(rels)}")
        except Exception as error:  # noqa: BLE001 - the figure is whether it opens at all
            outcomes.append(f"broken: {error}")
    os.unlink(handle.name)
    orphans_before = len(os.listdir(folder / "segments"))
    PersistentWriter(folder).close()
    orphans_after = len(os.listdir(folder / "segments"))
    return {
        "crash:files of the killed commit in the reopened index (0 or all = valid)": "; ".join(outcomes),
        "crash:segment files before/after writer reopen": f"{orphans_before}/{orphans_after}",
    }


ROLES = {"reader": reader, "read_loop": lambda folder: read_loop(folder, 4.0), "crash_writer": crash_writer}


def main() -> None:
    if run_role(ROLES):
        return
    args = parse_args(__doc__.splitlines()[0])
    paths = event_paths(args.corpus)
    root = str(args.corpus)
    figures: dict[str, Any] = {"events": len(paths)}
    with tempfile.TemporaryDirectory(prefix="engine-segments-") as scratch:
        folder = args.out or Path(scratch) / "index"
        floor = floor_s(paths)
        figures["floor_s"] = floor
        figures.update(preparation_us(paths, root))
        cold, first, merged = build(folder, paths, root)
        figures["cold_s:our words, validated, 1 process"] = cold
        figures["cold_ratio"] = cold / floor
        figures["cold_s:first commit visible"] = first
        figures["cold_s:of which the final merge"] = merged
        figures["size_mb"] = folder_mb(folder)
        figures["size_mb:segments"] = folder_mb(folder / "segments")
        figures.update(run_child(MODULE, "--role", "reader", str(folder)))
        figures.update(commit_latency(folder, paths, root))
        figures.update(concurrent_reads(folder, paths, root))
        figures.update(crash_safety(folder, paths))
    print_table(f"store.index.persistent (SQLite + numpy segments): {len(paths):,} events", figures)


if __name__ == "__main__":
    main()
