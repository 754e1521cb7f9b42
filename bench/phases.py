"""One benchmark phase per process: `python -m bench.phases PHASE CORPUS` prints one JSON line of figures."""

from __future__ import annotations

import gc
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import orjson

from store.event_store import EventStore
from store.persistence.folder_index import index_location
from store.persistence.loading import dashboard_store, load_folder
from store.persistence.trusted_folder import cache_folder

QUERIES = [
    "galuzin",  # a rare word
    "security",  # a common word
    "consul",  # a prefix
    "country:TM",  # a field filter
    "from:2010 to:2015-06",  # a date range
    "-kind:visit",  # a negation
    'participant:"hadjiev" topic:afghanistan',
]
"""A fixed list: rare and common words, a prefix, fields, a date range, a negation, a combination."""
PHRASE = '"regional security"'
"""Measured apart: a phrase of two common words is checked in every event holding both (see filter_eval)."""


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def worker_peak_rss_mb() -> float:
    """The largest of the load's worker processes (`store.files.parallel_load`), which have exited by now."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def event_files(corpus: Path) -> list[str]:
    found = []
    for folder, _, names in os.walk(corpus):
        found.extend(os.path.join(folder, name) for name in names if name.endswith(".json"))
    return found


def phase_warmup(corpus: Path) -> dict[str, float]:
    """Bring every file into the page cache, so that all phases read from memory alike."""
    total = 0
    for path in event_files(corpus):
        with open(path, "rb") as handle:
            total += len(handle.read())
    return {"corpus_mb": total / 1e6}


def phase_floor(corpus: Path) -> dict[str, float]:
    """What no indexer can beat: read every file and parse it, in one plain loop."""
    paths = event_files(corpus)
    gc.disable()
    start = time.perf_counter()
    for path in paths:
        with open(path, "rb") as handle:
            orjson.loads(handle.read())
    elapsed = time.perf_counter() - start
    return {"floor_s": elapsed, "files": len(paths)}


def _read_and_parse(paths: list[str]) -> int:
    gc.disable()
    for path in paths:
        with open(path, "rb") as handle:
            orjson.loads(handle.read())
    return len(paths)


def phase_floor_all_cores(corpus: Path) -> dict[str, float]:
    """The same floor with the files shared among one process per core: what a load that uses every core
    (as `store.files.parallel_load` does) should be compared with as well."""
    from concurrent.futures import ProcessPoolExecutor

    paths = event_files(corpus)
    cores = os.cpu_count() or 1
    with ProcessPoolExecutor(cores) as pool:
        list(pool.map(_read_and_parse, [[] for _ in range(cores)]))  # processes started before timing
        start = time.perf_counter()
        list(pool.map(_read_and_parse, [paths[core::cores] for core in range(cores)]))
        elapsed = time.perf_counter() - start
    return {"floor_all_cores_s": elapsed}


def phase_cold(corpus: Path) -> dict[str, float]:
    store = EventStore(corpus)
    first: list[float] = []
    start = time.perf_counter()

    def progress(done: int, total: int) -> None:
        if not first:
            first.append(time.perf_counter() - start)

    load_folder(store, progress=progress)
    elapsed = time.perf_counter() - start
    return {
        "cold_s": elapsed,
        "first_rows_s": first[0] if first else elapsed,
        "peak_rss_mb": peak_rss_mb(),
        "worker_peak_rss_mb": worker_peak_rss_mb(),
        "loaded": len(store),
    }


LAUNCH_CACHE = "first-launch"
"""The cache folder (under the run's) of `first_launch` and `warm`, so that the index they build from nothing
is theirs alone: the app, reopen and cli phases build and reopen their own."""


def _launch_cache() -> Path:
    folder = cache_folder() / LAUNCH_CACHE
    os.environ["XDG_CACHE_HOME"] = str(folder)
    return folder


def _dashboard_load(corpus: Path) -> float:
    """What a dashboard's start does to the store: its index opened (`dashboard_store`), brought up to date
    with the folder and its first answers prepared (`load_folder`); the seconds it took."""
    start = time.perf_counter()
    store = dashboard_store(corpus)
    load_folder(store)
    elapsed = time.perf_counter() - start
    store.close()
    return elapsed


def phase_first_launch(corpus: Path) -> dict[str, float]:
    """What a user's first start does: the folder's persistent index built from nothing."""
    shutil.rmtree(_launch_cache(), ignore_errors=True)
    return {"first_launch_s": _dashboard_load(corpus), "first_launch_peak_rss_mb": peak_rss_mb()}


def phase_warm(corpus: Path) -> dict[str, float]:
    """A later start on an unchanged folder: the index reopened, the walk finding nothing to read."""
    cache = _launch_cache()
    if not (cache.exists() and any(index_location(corpus).iterdir())):
        # built in another process, so that its memory is not ours
        subprocess.run([sys.executable, "-m", "bench.phases", "first_launch", str(corpus)], check=True)
    return {"warm_s": _dashboard_load(corpus), "warm_peak_rss_mb": peak_rss_mb()}


def _timed(action: Callable[[], object], repeat: int = 1) -> list[float]:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def _resolve(store: EventStore) -> None:
    """Bring the people's resolution up to date (what the first participants answer would do)."""
    with store.reading() as reader:
        reader.resolution.refresh()


def phase_queries(corpus: Path) -> dict[str, float]:
    store = EventStore(corpus)
    (load_ms,) = _timed(lambda: load_folder(store))
    # the resolution of people and places is built by the load (SearchIndex.prepare, in the loading thread):
    # what the interface's first questions still pay is measured apart
    (resolution_ms,) = _timed(lambda: _resolve(store))
    first_id = min(store.event_ids())
    (first_ms,) = _timed(lambda: (store.related(first_id), store.participants(store.query("p:hadj"))))
    ids: list[float] = []
    aggregates: list[float] = []
    for _ in range(5):
        for text in QUERIES:
            ids += _timed(lambda text=text: store.query(text))
            result = store.query(text)
            aggregates += _timed(lambda result=result: (store.participants(result), store.topics(result)))
    start = time.perf_counter()
    store.query(PHRASE)
    phrase_ms = (time.perf_counter() - start) * 1000
    ids_of = sorted(store.event_ids())
    related = [
        sample
        for event_id in ids_of[:: max(1, len(ids_of) // 200)]
        for sample in _timed(lambda event_id=event_id: store.related(event_id))
    ]
    return {
        "queries_load_ms": load_ms,
        "resolution_build_ms": resolution_ms,
        "first_questions_ms": first_ms,
        "related_p50_ms": percentile(related, 0.5),
        "related_p95_ms": percentile(related, 0.95),
        "phrase_ms": phrase_ms,
        "filter_p50_ms": percentile(ids, 0.5),
        "filter_p95_ms": percentile(ids, 0.95),
        "aggregates_p50_ms": percentile(aggregates, 0.5),
        "aggregates_p95_ms": percentile(aggregates, 0.95),
    }


def phase_updates(corpus: Path) -> dict[str, float]:
    store = EventStore(corpus)
    load_folder(store)
    paths = sorted(store.files)[:50]
    _resolve(store)
    samples = []
    resolution: list[float] = []
    for number, rel in enumerate(paths):
        full = os.path.join(store.root, rel)
        raw = orjson.loads(Path(full).read_bytes())
        raw["title"] = f"{raw['title']} (revised {number})"
        Path(full).write_bytes(orjson.dumps(raw))
        start = time.perf_counter()
        changes = store.upsert(rel)
        samples.append((time.perf_counter() - start) * 1000)
        resolution += _timed(lambda: _resolve(store))
        assert changes.changed, rel
        raw["title"] = raw["title"].rsplit(" (revised", 1)[0]
        Path(full).write_bytes(orjson.dumps(raw))
        store.upsert(rel)
    return {
        "update_p50_ms": percentile(samples, 0.5),
        "update_p95_ms": percentile(samples, 0.95),
        "resolution_update_p95_ms": percentile(resolution, 0.95),
        **_questions_after_changes(store, paths[:30]),
        **_arrivals(store, paths),
    }


def _questions_after_changes(store: EventStore, paths: list[str]) -> dict[str, float]:
    """One file changed (its title revised: the same people on the same day under a new docno), then one of
    the questions the dashboard asks after each batch, the first since the change, so that it pays what the
    change left to rebuild of the tables it reads (resolved persons, their cards): the related events of
    one event (the changed one, whose people the change touched), or, after the file is put back, the
    participants of all events (the empty filter)."""
    participants: list[float] = []
    related: list[float] = []
    for number, rel in enumerate(paths):
        full = os.path.join(store.root, rel)
        original = Path(full).read_bytes()
        raw = orjson.loads(original)
        raw["title"] = f"{raw['title']} (asked again {number})"
        Path(full).write_bytes(orjson.dumps(raw))
        store.upsert(rel)
        related += _timed(lambda raw=raw: store.related(raw["id"]))
        Path(full).write_bytes(original)
        store.upsert(rel)
        participants += _timed(lambda: store.participants())
    return {
        "changed_participants_p50_ms": percentile(participants, 0.5),
        "changed_participants_p95_ms": percentile(participants, 0.95),
        "changed_related_p50_ms": percentile(related, 0.5),
        "changed_related_p95_ms": percentile(related, 0.95),
    }


def _arrivals(store: EventStore, paths: list[str]) -> dict[str, float]:
    """New files arriving, each naming an existing participant by surname alone and one new person: the
    time from the store's update to the resolution answering again (then the files go)."""
    arrival: list[float] = []
    resolution: list[float] = []
    for number, rel in enumerate(paths[:30]):
        raw = orjson.loads(Path(store.root, rel).read_bytes())
        raw["id"] = f"bench-arrival-{number}"
        people = raw.get("participants") or [{"name": "Vepa Hadjiev", "country": "TM"}]
        surname = str(people[0]["name"]).split()[-1]
        raw["participants"] = [
            {"name": surname, "country": people[0].get("country", "")},
            {"name": f"Arrival Person{number}", "country": "TM"},
        ]
        new = f"bench-arrival-{number}.json"
        Path(store.root, new).write_bytes(orjson.dumps(raw))
        start = time.perf_counter()
        store.upsert(new)
        store.index.resolution.refresh()
        arrival.append((time.perf_counter() - start) * 1000)
        resolution += _timed(lambda: store.index.resolution.refresh())  # nothing left: ~0
    for number in range(len(arrival)):
        new = f"bench-arrival-{number}.json"
        Path(store.root, new).unlink()
        store.remove(new)
    return {
        "arrival_resolved_p50_ms": percentile(arrival, 0.5),
        "arrival_resolved_p95_ms": percentile(arrival, 0.95),
    }


def phase_stages(corpus: Path) -> dict[str, float]:
    from bench.stages import measure_stages

    return measure_stages(corpus)


def phase_app(corpus: Path) -> dict[str, float]:
    from bench.app_phase import measure_app

    return measure_app(corpus)


def phase_reopen(corpus: Path) -> dict[str, float]:
    from bench.app_phase import measure_reopen

    return {**measure_reopen(corpus), "reopen_peak_rss_mb": peak_rss_mb()}


def phase_reopen_changed(corpus: Path) -> dict[str, float]:
    from bench.app_phase import measure_reopen_changed

    return {**measure_reopen_changed(corpus), "reopen_changed_peak_rss_mb": peak_rss_mb()}


def phase_cli(corpus: Path) -> dict[str, float]:
    from bench.cli_phase import measure_cli

    return measure_cli(corpus)


PHASES = {
    "warmup": phase_warmup,
    "floor": phase_floor,
    "floor_all_cores": phase_floor_all_cores,
    "cold": phase_cold,
    "first_launch": phase_first_launch,
    "warm": phase_warm,
    "queries": phase_queries,
    "updates": phase_updates,
    "stages": phase_stages,
    "app": phase_app,
    "reopen": phase_reopen,
    "reopen_changed": phase_reopen_changed,
    "cli": phase_cli,
}


if __name__ == "__main__":
    name, corpus = sys.argv[1], Path(sys.argv[2])
    print(json.dumps(PHASES[name](corpus)))
