"""A folder's persistent index (`store.index.persistent`): where it is kept, how it is opened, and the
reconcile walk that brings it up to date with the folder.

One index per watched folder, under the cache folder (`$XDG_CACHE_HOME/communique/`, made 0700 and refused
when another user owns it or may write it, as `store.persistence.trusted_folder` checks), named by a hash
of the folder's absolute path: `<hash>.index/`, itself refused when it is not a folder of the user's. Opening it never waits: when this process can take the writer's
lock it walks the folder, compares every file's size, mtime, ctime and inode with the stamps the index
holds, re-reads only the files that differ (in chunks, each one commit, so that a kill keeps what was
done) and forgets the files gone; when another process holds the lock (a dashboard), it reads that
writer's last commit as it is. A damaged or foreign index is deleted and rebuilt, said in one line; nothing
is ever unpickled (the index holds JSON facts and raw arrays).

It reads files through `store.files` and writes them through `store.index.persistent.folder`, which settles
duplicate ids as the store does, so that a reader of the index answers as a store loaded from the folder.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from array import array
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import orjson

from store.files.event_files import FileStamp
from store.files.folder_scan import walk_stats
from store.files.parallel_load import ChunkReader
from store.index.persistent import IndexDamaged, PersistentWriter, WriterBusy
from store.index.persistent.engine import PersistentIndex
from store.index.persistent.folder import FolderWriter
from store.index.persistent.prepared import prepare_event
from store.index.persistent.segments import SegmentDamaged, map_segment, write_segment
from store.index.persistent.storage import BESIDE
from store.memory import release_free_memory
from store.persistence.trusted_folder import trusted_entry, trusted_folder

CHUNK = 2_000
"""Files read and committed at once: a commit costs a segment and a transaction; a kill loses one chunk."""
RECONCILED = "reconciled"
"""The `meta` key set by the first reconcile that finished: without it an index is still being built."""
READING = "reading"
"""The `meta` key of the reading options the index was built with: files read otherwise are read again."""

Progress = Callable[[int, int], None]
"""Called as (files done, files to read)."""
Warn = Callable[[str], None]


def index_location(root: str | os.PathLike[str]) -> Path:
    """The index folder of a watched folder, made 0700 when missing (raises `FolderRefused` when it or the
    cache folder is not the user's alone)."""
    digest = hashlib.sha256(os.path.abspath(root).encode("utf-8", "surrogateescape")).hexdigest()[:24]
    return trusted_entry(trusted_folder() / f"{digest}.index")


@dataclass(frozen=True, slots=True)
class Reading:
    """How the folder's files are read: what a reconcile must read them with, and what the index notes."""

    follow_symlinks: bool = False
    max_bytes: int = 0

    def noted(self) -> str:
        return orjson.dumps([self.follow_symlinks, self.max_bytes]).decode()


@dataclass(frozen=True, slots=True)
class Reconciled:
    """What a reconcile did: files read again and files forgotten."""

    read: int
    forgotten: int


def open_index(
    root: str | os.PathLike[str],
    reading: Reading,
    *,
    warn: Warn,
    progress: Progress | None = None,
) -> PersistentIndex | None:
    """The folder's index, brought up to date when no other process writes it, else as last committed.

    None when no index can be read (another writer holds the lock of one that is damaged): the caller
    then reads the folder without it."""
    location = index_location(root)
    rebuild = False
    for _ in range(2):
        try:
            with PersistentWriter(location, rebuild=rebuild) as writer:
                reconcile(FolderWriter(writer), os.fspath(root), reading, progress)
                index = PersistentIndex(location, without_stale=True)
                index.keep_people()  # under the lock: no other writer commits while they are built
            return index
        except WriterBusy:
            return _read_committed(location, warn)
        except IndexDamaged as damage:
            if rebuild:
                raise
            warn(f"the index of {root} is unusable ({damage}); rebuilding it")
            rebuild = True
    raise AssertionError("unreachable")


def _read_committed(location: Path, warn: Warn) -> PersistentIndex | None:
    """The writer's last commit; None (the caller reads the files) while its first reconcile is under way
    (an answer from part of the folder would look whole) or when it cannot be read."""
    try:
        reader = PersistentIndex(location, without_stale=True)
    except IndexDamaged as damage:
        warn(f"the index being written by another process is unusable ({damage}); reading the files")
        return None
    if reader.noted(RECONCILED) is None:
        reader.close()
        warn("the index is being built by another process; reading the files")
        return None
    return reader


STAMPS = BESIDE[1]
"""The walk's paths and stamps as last reconciled, beside the index (a segment file, labelled with the
generation it matches): the next walk is compared with it in one numpy call, with no SQLite row read."""
_STAMP_FIELDS = ("size", "mtime_ns", "ctime_ns", "inode")


_NAMES_CODEC = ("utf-8", "surrogateescape")


@dataclass(slots=True)
class Walked:
    """The folder's event files in the walk's order, with their stamps as an int64 matrix (one row of
    size, mtime, ctime and inode per path).

    The paths are kept packed, NUL-separated UTF-8 (a file name holds no NUL), not as one `str` each: at
    1,000,000 files a list of paths is ~70 MB, and a reopen holds two walks (the one kept beside the
    index and the one just made) that are usually equal, which one comparison of bytes tells."""

    names: bytes
    stamps: np.ndarray
    _paths: list[str] | None = None
    _starts: np.ndarray | None = None

    @classmethod
    def of_paths(cls, paths: list[str], stamps: np.ndarray) -> Walked:
        return cls("\0".join(paths).encode(*_NAMES_CODEC), stamps, list(paths))

    @property
    def paths(self) -> list[str]:
        """The paths as strings, made when first asked (a walk that differs from the kept one)."""
        if self._paths is None:
            self._paths = self.names.decode(*_NAMES_CODEC).split("\0") if len(self.stamps) else []
        return self._paths

    def __len__(self) -> int:
        return len(self.stamps)

    def path(self, row: int) -> str:
        """One path, without making them all (a reconcile that finds a few files changed)."""
        if self._paths is not None:
            return self._paths[row]
        if self._starts is None:
            separators = np.flatnonzero(np.frombuffer(self.names, dtype=np.uint8) == 0)
            self._starts = np.concatenate(([0], separators + 1, [len(self.names) + 1]))
        start, end = int(self._starts[row]), int(self._starts[row + 1]) - 1
        return self.names[start:end].decode(*_NAMES_CODEC)

    def stamp(self, row: int) -> FileStamp:
        return FileStamp(*self.stamps[row].tolist())

    def under(self, prefix: str) -> Walked:
        """The files below `prefix` (a folder's relative path with its separator)."""
        rows = [row for row, path in enumerate(self.paths) if path.startswith(prefix)]
        return Walked.of_paths([self.paths[row] for row in rows], self.stamps[rows])

    def within(self, prefix: str) -> Walked:
        """This walk of a folder, its paths made relative to the walked folder's parent by `prefix`."""
        return Walked.of_paths([prefix + path for path in self.paths], self.stamps)


def walk(root: str, reading: Reading) -> Walked:
    """`store.files.folder_scan.walk_folder`'s files and stamps, kept as numbers and packed names (no
    object per file)."""
    names = bytearray()
    values = array("q")  # made into the matrix without a copy (a list of 400,000 ints took 0.1 s)
    for rel, info in walk_stats(root, reading.follow_symlinks):
        assert info is not None  # walked with stat
        names += rel.encode(*_NAMES_CODEC)
        names += b"\0"
        values.extend((info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino))
    return Walked(bytes(names[:-1]), _matrix(values))


def _matrix(values: array[int]) -> np.ndarray:
    """Stamps gathered flat (size, mtime, ctime, inode per path), as a matrix (no copy)."""
    stamps = np.frombuffer(values, dtype=np.int64) if values else np.empty(0, dtype=np.int64)
    return stamps.reshape(-1, len(_STAMP_FIELDS))


def kept_walk(folder: Path, connection: sqlite3.Connection) -> tuple[Walked, bool]:
    """The stamps the index holds, and whether they came from the stamps file (it matches the index's
    generation), else from the `files` table (a first reconcile, or a writer committed since)."""
    row = connection.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()
    try:
        arrays = map_segment(folder / STAMPS)
        if row is not None and len(arrays["generation"]) == 1 and int(arrays["generation"][0]) == int(row[0]):
            stamps = np.array(arrays["stamps"]).reshape(-1, len(_STAMP_FIELDS))
            names = arrays["paths"].tobytes()
            if names.count(b"\0") + 1 == len(stamps) or (not names and not len(stamps)):
                return Walked(names, stamps), True
    except (OSError, SegmentDamaged, KeyError, ValueError):
        pass  # none, or damaged: the table says the same
    return stored_walk(connection), False


def stored_walk(connection: sqlite3.Connection) -> Walked:
    """The stamps of the `files` table, through any connection to the index (the dashboard's store reads
    them through one of its own, without holding its lock: WAL readers never wait for the writer)."""
    names = bytearray()
    values = array("q")  # row by row: a list of 100,000 rows held at once cost ~35 MB more of peak RSS
    for path, *stamp in connection.execute("SELECT path, size, mtime_ns, ctime_ns, inode FROM files"):
        names += path.encode(*_NAMES_CODEC)
        names += b"\0"
        values.extend(stamp)
    return Walked(bytes(names[:-1]), _matrix(values))


def keep_walk(writer: PersistentWriter, walked: Walked) -> None:
    """The stamps file for the index's generation now (after the last commit of a reconcile)."""
    write_segment(
        writer.folder / STAMPS,
        {
            "generation": np.array([writer.generation], dtype=np.int64),
            "paths": np.frombuffer(walked.names, dtype=np.uint8),
            "stamps": walked.stamps.reshape(-1),
        },
    )


def same_files(walked: Walked, known: Walked) -> bool:
    """Whether the two walks list the same files in the same order."""
    return len(walked) == len(known) and walked.names == known.names


def compare(walked: Walked, known: Walked) -> tuple[list[int], list[str]]:
    """The rows of the walk whose files differ from the index's (new or changed), and the files the index
    holds that the walk did not find (gone)."""
    if same_files(walked, known):  # the usual case: the same files in the same order
        differ = (walked.stamps != known.stamps).any(axis=1)
        return np.flatnonzero(differ).tolist(), []
    position = {path: row for row, path in enumerate(known.paths)}
    at = np.fromiter((position.get(path, -1) for path in walked.paths), dtype=np.int64, count=len(walked))
    found = at >= 0
    differ = np.ones(len(walked), dtype=bool)
    differ[found] = (walked.stamps[found] != known.stamps[at[found]]).any(axis=1)
    seen = np.zeros(len(known), dtype=bool)
    seen[at[found]] = True
    return np.flatnonzero(differ).tolist(), [known.paths[row] for row in np.flatnonzero(~seen).tolist()]


def reconcile(
    writer: FolderWriter, root: str, reading: Reading, progress: Progress | None = None
) -> Reconciled:
    """Bring the index up to date with the folder: the walk, then the files that differ, chunk by chunk."""
    known, _ = kept_walk(writer.writer.folder, writer.writer.connection)
    walked = walk(root, reading)
    rows, gone = compare(walked, known)
    if writer.writer.noted(READING) != reading.noted():
        writer.writer.note(READING, reading.noted())
        rows = list(range(len(walked)))  # read with other options: read everything again
    for rel in sorted(gone):
        writer.remove_file(rel)
    row_of = {walked.path(row): row for row in rows}
    paths = sorted(row_of, reverse=True)  # as the store loads: folders by date put the newest first
    chunks = [paths[start : start + CHUNK] for start in range(0, len(paths), CHUNK)]
    done = 0
    for files in ChunkReader(root, chunks, reading.max_bytes, prepare_event):
        writer.look_ahead([(rel, contents.events) for rel, contents, _ in files])
        for rel, contents, prepared in files:
            writer.put_file(rel, walked.stamp(row_of[rel]), contents.events, contents.problems, prepared)
        writer.commit()
        done += len(files)
        release_free_memory()
        if progress:
            progress(done, len(paths))
    if writer.writer.noted(RECONCILED) is None:
        writer.writer.note(RECONCILED, "yes")  # (set once: a note is a commit, which readers would follow)
    writer.commit()  # the forgotten files, and the notes, when nothing was read
    if len(paths) > CHUNK:
        writer.writer.merge()  # a bulk load leaves many segments and pieces of the positions' b-trees
    if paths or gone or not same_files(walked, known) or not np.array_equal(walked.stamps, known.stamps):
        keep_walk(writer.writer, walked)
    return Reconciled(len(paths), len(gone))
