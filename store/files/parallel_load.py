"""Reading a large folder on every core: worker processes read, parse, validate and tokenise while this
process indexes.

A cold load into memory spends ~90 µs a file on work that needs nothing but the file (reading and
`orjson` ~15, validation ~22, finding the words ~30, packing the long texts ~24) and ~30 µs on work that
needs the index (measured by `python -m bench.run`'s stages). Python runs one thread at a time, so the
first kind goes to worker processes, a chunk of files at a time, and comes back pickled (packed texts,
words as one space-joined bytes string), which costs this process ~20 µs a file to take in. While
nothing has come back, this process reads a chunk itself, taken from the far end of the queue, so every
core stays busy whatever their relative speed.

What a worker finds of each event beyond reading it is the reading index's choice (`ChunkReader`'s
`prepare`): the in-memory index takes the words; the persistent one takes everything it stores of an event
(`store.index.persistent.prepared`), since its writing process spends several times a worker's time on a
file and so bounds the build, with the workers waiting on it.

Workers are fresh interpreters (`python -m store.files.parallel_load`) taking commands on their standard input
and answering with pickles in a temporary folder: unlike `multiprocessing`, that neither re-imports the
caller's main script nor forks a process that has other threads running (the dashboard has several). They
cost ~0.2 s to start, so only loads of thousands of files use them. A worker that fails, dies or stalls (no
answer for `STALLED_AFTER`) only sends its chunks back to be read here: a load never fails or hangs because
of one. `COMMUNIQUE_WORKERS` sets their number (0: none).
"""

from __future__ import annotations

import contextlib
import copyreg
import importlib
import os
import pickle
import queue
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import fields
from operator import attrgetter
from typing import IO, Any

from store.files.event_files import FileContents, FileStamp, read_event_file
from store.index.event_words import joined_words
from store.memory import collector_off
from store.model.event import Event, Participant
from store.model.problems import Problem

PARALLEL_FROM = 5_000
"""Fewer files than this are all read in this process."""

IN_FLIGHT = 2
"""Chunks sent ahead to each worker, so that it never waits for the next one."""

STALLED_AFTER = 120.0
"""Seconds without an answer after which a worker with chunks in hand is taken for stuck: it is killed and
its chunks are read here. A chunk takes a worker a fraction of a second on a local disk; on a very slow one,
a worker wrongly taken for stuck only costs time (its chunks are read here, its late answer ignored)."""

WORKER_COMMAND = [sys.executable, "-m", "store.files.parallel_load"]

Prepare = Callable[[Event], Any]

ReadFile = tuple[str, FileContents, list[Any] | None]
"""A file's relative path, what it holds, and (when a worker read it) what the reader's `prepare` found of
each event."""


def _by_fields(cls: type) -> Callable[[Any], tuple[type, tuple[Any, ...]]]:
    """Pickle a dataclass instance as its constructor and its fields' values, in order."""
    values = attrgetter(*[item.name for item in fields(cls)])
    return lambda record: (cls, values(record))


ANSWER_PICKLING: dict[type, Callable[[Any], Any]] = dict(copyreg.dispatch_table)
ANSWER_PICKLING.update((cls, _by_fields(cls)) for cls in (Participant, FileStamp, Problem))
"""How an answer's frozen records are pickled: by their constructor. By default a frozen dataclass comes back
one `object.__setattr__` per field, which cost the loading process ~5 µs a file more to take in (2,000
files' answer: 31 ms instead of 21). `Event` pickles its slots itself (`Event.__reduce__`)."""


def dump_answer(files: list[ReadFile], out: IO[bytes]) -> None:
    """Write a worker's answer, as `pickle.load` reads it back."""
    pickler = pickle.Pickler(out, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = ANSWER_PICKLING
    pickler.dump(files)


def worker_count(files: int) -> int:
    """How many worker processes a load of this many files gets."""
    setting = os.environ.get("COMMUNIQUE_WORKERS", "")
    if setting.isdigit():
        return int(setting)
    if files < PARALLEL_FROM:
        return 0
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return max(0, min(cores - 1, 3))


def read_locally(root: str, rels: list[str], max_bytes: int) -> list[ReadFile]:
    return [(rel, read_event_file(os.path.join(root, rel), rel, max_bytes), None) for rel in rels]


def read_for_index(root: str, rels: list[str], max_bytes: int, prepare: Prepare) -> list[ReadFile]:
    """What a worker does with a chunk: everything that does not need the index."""
    files: list[ReadFile] = []
    for rel in rels:
        contents = read_event_file(os.path.join(root, rel), rel, max_bytes)
        found = []
        for event in contents.events:
            found.append(prepare(event))
            event.pack()
        files.append((rel, contents, found))
    return files


def _named(prepare: Prepare) -> str:
    return f"{prepare.__module__}:{prepare.__qualname__}"


def _by_name(name: str) -> Prepare:
    module, _, function = name.partition(":")
    found: Prepare = getattr(importlib.import_module(module), function)
    return found


class _Worker:
    def __init__(self, results: queue.Queue[tuple[_Worker, Any]], spool: str) -> None:
        package_parent = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
        env = dict(
            os.environ,
            PYTHONPATH=os.pathsep.join(filter(None, [package_parent, os.environ.get("PYTHONPATH")])),
        )
        self.process = subprocess.Popen(
            WORKER_COMMAND,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
        )
        self.sent: deque[list[str]] = deque()
        self.spool = spool
        self.alive = True
        self.heard_at = time.monotonic()
        """When it last answered, or was given work with none in hand."""
        threading.Thread(target=self._receive, args=(results,), daemon=True).start()

    def send(self, root: str, rels: list[str], max_bytes: int, prepare: str) -> None:
        assert self.process.stdin is not None
        if not self.sent:
            self.heard_at = time.monotonic()
        self.sent.append(rels)
        answer = os.path.join(self.spool, f"{self.process.pid}-{id(rels)}.pickle")
        pickle.dump(
            (root, rels, max_bytes, prepare, answer), self.process.stdin, protocol=pickle.HIGHEST_PROTOCOL
        )
        self.process.stdin.flush()

    def _receive(self, results: queue.Queue[tuple[_Worker, Any]]) -> None:
        assert self.process.stdout is not None
        try:
            while True:  # only the names of answer files: a few bytes, never megabytes, cross the pipe
                results.put((self, pickle.load(self.process.stdout)))
        except Exception as error:  # EOF when it exits, anything else when it died
            results.put((self, error))

    def stalled(self) -> bool:
        return bool(self.sent) and time.monotonic() - self.heard_at > STALLED_AFTER

    def stop(self) -> None:
        self.alive = False
        if self.stalled():
            self.process.kill()
        try:
            if self.process.stdin:
                self.process.stdin.close()
            self.process.wait(timeout=5)
        except (OSError, subprocess.TimeoutExpired):
            self.process.kill()


class ChunkReader:
    """Yields every chunk's files, read here or by workers; the first chunk is read here, and first.

    `prepare` is what a worker finds of each event for the index that reads (a module-level function:
    workers import it by name); a file read here comes with None instead, and the index finds it itself."""

    def __init__(
        self, root: str, chunks: list[list[str]], max_bytes: int, prepare: Prepare = joined_words
    ) -> None:
        self.root = root
        self.chunks = chunks
        self.max_bytes = max_bytes
        self.prepare = _named(prepare)
        self.workers = worker_count(sum(map(len, chunks))) if len(chunks) > 2 else 0

    def __iter__(self) -> Iterator[list[ReadFile]]:
        if not self.chunks:
            return
        results: queue.Queue[tuple[_Worker, Any]] = queue.Queue()
        spool = tempfile.mkdtemp(prefix="communique-load-") if self.workers else ""
        workers = self._start(results, spool)
        yield read_locally(self.root, self.chunks[0], self.max_bytes)
        pending = deque(self.chunks[1:])
        try:
            while pending or any(worker.sent for worker in workers):
                for worker in workers:
                    while worker.alive and pending and len(worker.sent) < IN_FLIGHT:
                        self._send(worker, pending)
                if results.empty() and pending:
                    yield read_locally(self.root, pending.pop(), self.max_bytes)
                    continue
                try:
                    worker, answer = results.get(timeout=STALLED_AFTER / 4)
                except queue.Empty:
                    for worker in workers:
                        if worker.alive and worker.stalled():
                            self._give_up(worker, pending)
                    continue
                if not worker.alive:
                    continue  # a late word from a worker given up on: its chunks were sent back
                if isinstance(answer, str):
                    worker.heard_at = time.monotonic()
                    yield self._answer(answer, worker.sent.popleft())
                else:  # it died
                    self._give_up(worker, pending)
        finally:
            for worker in workers:
                worker.stop()
            if spool:
                shutil.rmtree(spool, ignore_errors=True)

    @staticmethod
    def _give_up(worker: _Worker, pending: deque[list[str]]) -> None:
        """Stop a worker that died or stalled; its chunks come back to be read here."""
        worker.stop()
        pending.extend(worker.sent)
        worker.sent.clear()

    def _answer(self, path: str, rels: list[str]) -> list[ReadFile]:
        try:
            with open(path, "rb") as handle:
                return pickle.load(handle)
        except Exception:  # cut short or unreadable: read the chunk here
            return read_locally(self.root, rels, self.max_bytes)
        finally:
            with contextlib.suppress(OSError):
                os.unlink(path)

    def _start(self, results: queue.Queue[tuple[_Worker, Any]], spool: str) -> list[_Worker]:
        workers = []
        for _ in range(self.workers):
            try:
                workers.append(_Worker(results, spool))
            except OSError:
                break
        return workers

    def _send(self, worker: _Worker, pending: deque[list[str]]) -> None:
        rels = pending.popleft()
        try:
            worker.send(self.root, rels, self.max_bytes, self.prepare)
        except OSError:  # its pipe broke: it died, and every chunk it had comes back to be read here
            self._give_up(worker, pending)


def serve(commands: IO[bytes], answers: IO[bytes]) -> None:
    """A worker's loop until EOF: (root, paths, max_bytes, prepare's name, answer file) in; the files read
    for the index pickled into the answer file, and its name out.

    The answer goes through a file because a pipe holds 64 KB: the receiving thread would need the GIL
    back for every 64 KB of a 4 MB answer, waiting up to the 5 ms switch interval each time, while the
    worker sat blocked on a full pipe (measured: workers twice as slow as alone)."""
    collector_off()
    while True:
        try:
            root, rels, max_bytes, prepare, answer = pickle.load(commands)
        except EOFError:
            return
        with open(answer, "wb") as handle:
            dump_answer(read_for_index(root, rels, max_bytes, _by_name(prepare)), handle)
        pickle.dump(answer, answers)
        answers.flush()


if __name__ == "__main__":
    answers = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    sys.stdout = sys.stderr  # nothing printed by accident can corrupt the answers
    serve(sys.stdin.buffer, answers)
