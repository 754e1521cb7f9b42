"""What every engine prototype shares: the corpus, the floor, the events prepared for indexing, timing,
memory and the table of figures with the issue's targets beside them."""

from __future__ import annotations

import argparse
import gc
import os
import resource
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from bench.generate import generate
from store.index.event_words import searchable_text, word_sequence
from store.model.event import Event
from store.model.textfold import fold
from store.model.validate import validate_event

TARGETS = {
    "cold_ratio": "≤ 1.5 × floor (1M: ≤ 2 ×)",
    "open_ms": "reopen ≤ 300 ms (1M: ≤ 1 s)",
    "word_ms": "filter p95 ≤ 20 ms",
    "prefix_ms": "filter p95 ≤ 20 ms",
    "phrase_ms": "≤ 50 ms",
    "field_ms": "filter p95 ≤ 20 ms",
    "range_ms": "filter p95 ≤ 20 ms",
    "facets_100k_ms": "aggregates p95 ≤ 50 ms",
    "facets_1k_ms": "aggregates p95 ≤ 50 ms",
    "commit_ms": "file written → row p95 ≤ 300 ms",
    "size_mb": "",
    "reader_rss_mb": "CLI ≤ 100 MB; dashboard ≤ 150 MB",
    "read_during_commit_ms": "commands never wait",
    "crash": "last commit valid",
}


def parse_args(description: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--corpus", type=Path, help="default bench/corpus-N (generated when missing)")
    parser.add_argument("--out", type=Path, help="where the index goes (default: a temporary folder)")
    args = parser.parse_args()
    args.corpus = args.corpus or Path(__file__).parent.parent / f"corpus-{args.events}"
    generate(args.corpus, args.events, args.seed)
    return args


def event_paths(corpus: Path) -> list[str]:
    found: list[str] = []
    for folder, _, names in os.walk(corpus):
        found.extend(os.path.join(folder, name) for name in names if name.endswith(".json"))
    found.sort()
    return found


def floor_s(paths: list[str]) -> float:
    """Read and parse every file, as bench.phases' floor does (the page cache warmed first)."""
    for path in paths:
        with open(path, "rb") as handle:
            handle.read()
    gc.disable()
    start = time.perf_counter()
    for path in paths:
        with open(path, "rb") as handle:
            orjson.loads(handle.read())
    elapsed = time.perf_counter() - start
    gc.enable()
    return elapsed


@dataclass(slots=True)
class Prepared:
    """One event as an engine indexes it: facts and the words our filter language means."""

    path: str
    stamp: tuple[int, int, int, int]
    event: Event
    sequence: str
    """Folded words in order, one space between: positions for phrases (`store.index.event_words`)."""
    keys: dict[str, list[str]]


def field_keys(event: Event) -> dict[str, list[str]]:
    countries = {event.country, *event.countries, *(p.country for p in event.participants)}
    countries.discard("")
    return {
        "country": sorted(countries),
        "topic": list(event.topics),
        "kind": [event.kind],
        "org": list(event.organizations),
        "person": sorted({fold(p.name) for p in event.participants}),
    }


def prepare(path: str, root: str) -> Prepared:
    with open(path, "rb") as handle:
        data = handle.read()
        info = os.fstat(handle.fileno())
    rel = os.path.relpath(path, root)
    event = validate_event(orjson.loads(data), fallback_id=rel, path=rel)
    sequence = b" ".join(word_sequence(searchable_text(event)).split()).decode()
    stamp = (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino)
    return Prepared(rel, stamp, event, sequence, field_keys(event))


def prepared(paths: list[str], root: str) -> Iterator[Prepared]:
    for path in paths:
        yield prepare(path, root)


def timed_ms(action: Callable[[], Any], repeat: int = 5) -> float:
    """The median of `repeat` runs, in ms (after one warm-up run)."""
    action()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return samples[len(samples) // 2]


def peak_rss_mb() -> float:
    """This process's peak resident size since it started (VmHWM). Not `ru_maxrss`: that survives
    `exec`, so a child started by a large parent reports the parent's size (a trap this bench fell in)."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def folder_mb(folder: Path) -> float:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file()) / 1e6


def run_child(module: str, *args: str) -> dict[str, Any]:
    """Run `python -m module args…` and return the JSON of its last line (a fresh process: its RSS is its own)."""
    done = subprocess.run(
        [sys.executable, "-m", module, *args], capture_output=True, text=True, check=False, timeout=600
    )
    if done.returncode != 0:
        return {"error": done.stderr[-2000:]}
    return orjson.loads(done.stdout.strip().splitlines()[-1])


def print_table(title: str, figures: dict[str, Any]) -> None:
    print(title)
    for name, value in figures.items():
        shown = f"{value:,.3f}" if isinstance(value, float) else str(value)
        print(f"  {name:<34} {shown:>14}   {TARGETS.get(name.split(':')[0], '')}")


def run_role(roles: Mapping[str, Callable[..., Any]]) -> bool:
    """`python -m MODULE --role NAME FOLDER ARGS…`: run one role (a reader, a writer to kill) in this fresh
    process and print its figures as one JSON line; whether argv asked for a role."""
    if len(sys.argv) < 4 or sys.argv[1] != "--role":
        return False
    result = roles[sys.argv[2]](Path(sys.argv[3]), *sys.argv[4:])
    if result is not None:
        print(orjson.dumps(result).decode())
    return True


def start_role(module: str, role: str, folder: Path, *args: str) -> subprocess.Popen[str]:
    command = [sys.executable, "-m", module, "--role", role, str(folder), *args]
    return subprocess.Popen(command, stdout=subprocess.PIPE, text=True)


def kill_while_committing(module: str, folder: Path, args: list[str], delay: float | None) -> None:
    """Start the module's `crash_writer` role and SIGKILL it `delay` seconds after it says "committing"
    (with None: right after it says "committed")."""
    child = start_role(module, "crash_writer", folder, *args)
    assert child.stdout is not None
    child.stdout.readline()
    if delay is None:
        child.stdout.readline()
    else:
        time.sleep(delay)
    child.send_signal(signal.SIGKILL)
    child.wait()


def while_reading(module: str, folder: Path, write: Callable[[], None]) -> dict[str, Any]:
    """The module's `read_loop` role's figures, measured while `write()` commits in this process."""
    child = start_role(module, "read_loop", folder)
    time.sleep(1.0)
    write()
    out, _ = child.communicate(timeout=60)
    return orjson.loads(out.strip().splitlines()[-1])
