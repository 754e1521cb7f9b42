"""A folder's persistent index (`store.index.persistent`): where it is kept, how it is opened, and the
reconcile walk that brings it up to date with the folder.

One index per watched folder, under the cache folder (`$XDG_CACHE_HOME/communique/`, made 0700 and refused
when another user owns it or may write it, as `store.persistence.cache` checks), named by a hash of the
folder's absolute path: `<hash>.index/`. Opening it never waits: when this process can take the writer's
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
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import orjson

from store.files.event_files import FileStamp
from store.files.folder_scan import walk_folder
from store.files.parallel_load import ChunkReader
from store.index.persistent import IndexDamaged, PersistentWriter, WriterBusy
from store.index.persistent.engine import PersistentIndex
from store.index.persistent.folder import FolderWriter
from store.memory import release_free_memory
from store.persistence.cache import trusted_folder

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
    """The index folder of a watched folder (raises `CacheRefused` when the cache folder is not the user's
    alone)."""
    digest = hashlib.sha256(os.path.abspath(root).encode("utf-8", "surrogateescape")).hexdigest()[:24]
    return trusted_folder() / f"{digest}.index"


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
            return PersistentIndex(location)
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
        reader = PersistentIndex(location)
    except IndexDamaged as damage:
        warn(f"the index being written by another process is unusable ({damage}); reading the files")
        return None
    if reader.noted(RECONCILED) is None:
        reader.close()
        warn("the index is being built by another process; reading the files")
        return None
    return reader


def reconcile(
    writer: FolderWriter, root: str, reading: Reading, progress: Progress | None = None
) -> Reconciled:
    """Bring the index up to date with the folder: the walk, then the files that differ, chunk by chunk."""
    known = writer.writer.known_files()
    if writer.writer.noted(READING) != reading.noted():
        writer.writer.note(READING, reading.noted())
        stamps_to_trust: dict[str, FileStamp] = {}  # read with other options: read everything again
    else:
        stamps_to_trust = known
    stamps: dict[str, FileStamp | None] = {}
    for rel, stamp in walk_folder(root, follow_symlinks=reading.follow_symlinks):
        if stamps_to_trust.get(rel) != stamp:
            stamps[rel] = stamp
        known.pop(rel, None)
    for rel in sorted(known):  # what is left was not walked: gone
        writer.remove_file(rel)
    paths = sorted(stamps, reverse=True)  # as the store loads: folders by date put the newest first
    chunks = [paths[start : start + CHUNK] for start in range(0, len(paths), CHUNK)]
    done = 0
    for files in ChunkReader(root, chunks, reading.max_bytes):
        for rel, contents, words in files:
            stamp = stamps[rel] or contents.stamp or FileStamp(0, 0)
            writer.put_file(rel, stamp, contents.events, contents.problems, words)
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
    return Reconciled(len(paths), len(known))
