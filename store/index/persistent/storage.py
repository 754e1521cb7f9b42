"""The persistent index's SQLite file: its schema, its facts' encoding, the writer's lock, and what makes
an index unusable.

SQLite (Python's own `sqlite3`) is the transaction log: a commit is one transaction, WAL mode lets any
number of readers read the last commit while the writer writes the next, and a kill at any moment leaves
the database at its last commit. The events' facts are JSON (`Event.as_json`, read back through
`store.model.validate`, so a stored event is rebuilt exactly as a file's would be); nothing is pickled.

Word positions live in an FTS5 table used only for phrases (the word and key postings are numpy segments:
FTS5 hands rows to Python one by one, ~0.4 µs each, too slow to build a mask of 70,000 documents). It is
contentless, so removing a row needs its words again on SQLite < 3.43 (`contentless_delete` came with 3.43;
Python 3.11's bundled SQLite is often older): the writer computes them from the stored facts.
"""

from __future__ import annotations

import errno
import fcntl
import os
import sqlite3
import zlib
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import orjson

from store.index.protocol import SORT_KEYS
from store.model.event import Event
from store.model.validate import InvalidEvent, validate_event

FORMAT = "communique-persistent-index-7"
"""Written into `meta` at creation; an index with another value is foreign and rebuilt, never read."""

DATABASE = "facts.sqlite"
SEGMENTS = "segments"
LOCK = "writer.lock"
BESIDE = ("people.seg", "stamps.seg")
"""Files kept beside the index, each labelled with the generation it was made at (the people's tables of
`people_tables`, the walk's stamps of `store.persistence.folder_index`): deleted with the index."""

KEYED_SORTS = tuple(sort for sort in SORT_KEYS if sort not in ("date", "arrival"))
"""The orders whose keys each event keeps in `events.sorting`: date and arrival come from the segments."""

CONTENTLESS_DELETE = sqlite3.sqlite_version_info >= (3, 43, 0)
"""Whether FTS5 can delete a contentless row by its rowid alone."""

_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS files(
    path TEXT PRIMARY KEY, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL, ctime_ns INTEGER NOT NULL,
    inode INTEGER NOT NULL, problems BLOB NOT NULL, stale INTEGER NOT NULL DEFAULT 0);
CREATE INDEX IF NOT EXISTS files_stale ON files(path) WHERE stale;
CREATE TABLE IF NOT EXISTS events(
    docno INTEGER PRIMARY KEY, id TEXT NOT NULL, file TEXT NOT NULL, path TEXT NOT NULL, facts BLOB NOT NULL,
    mentions BLOB NOT NULL, sorting BLOB NOT NULL);
CREATE INDEX IF NOT EXISTS events_id ON events(id);
CREATE INDEX IF NOT EXISTS events_file ON events(file);
CREATE TABLE IF NOT EXISTS segments(name TEXT PRIMARY KEY, events INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS removed(docno INTEGER PRIMARY KEY);
CREATE TABLE IF NOT EXISTS names(docno INTEGER PRIMARY KEY, id TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS hidden(
    id TEXT NOT NULL, file TEXT NOT NULL, path TEXT NOT NULL, facts BLOB NOT NULL, PRIMARY KEY(id, file));
CREATE INDEX IF NOT EXISTS hidden_file ON hidden(file);
CREATE VIRTUAL TABLE IF NOT EXISTS positions USING fts5(
    words, content='', tokenize='ascii', detail=full{", contentless_delete=1" if CONTENTLESS_DELETE else ""});
"""
# `sorting` holds the event's keys of the orders the segments do not keep (`KEYED_SORTS`), so that sorting by
# title reads 100,000 small rows, not 100,000 events through the validator (seconds).
# `mentions` repeats what people and links are made of (participants, related ids), so that a reader builds
# the people without decoding and validating every event's facts (`encode_mentions`).
# `files_stale` (partial: few files are ever stale) lets every reader's refresh find the stale files'
# documents without scanning the files table (12 ms at 100,000 files, on each commit's path).
# `files.stale`: the file is unreadable now and its claims are its last good version, kept on screen (a
# dashboard's store keeps them; a command reading the index leaves them out, as a load of the folder would).
# `hidden` holds the claims to an id that another file's claim outranks (`store.index.persistent.folder`).
# `names` keeps the id of every docno ever given, also once removed: an answer made before a change may
# still name it (the index protocol's `event_id`).
# The FTS5 table is not named after its column: FTS5 gives every table a hidden column of its own name,
# and a column of that name makes the constructor fail ("vtable constructor failed").


class IndexDamaged(Exception):
    """The folder holds no usable index of ours (missing, foreign, damaged): rebuild it."""


class WriterBusy(Exception):
    """Another process holds the writer's lock: follow its commits as a reader instead."""


def connect(folder: Path, *, create: bool) -> sqlite3.Connection:
    """A connection to the folder's database; with create, the schema is made when missing."""
    path = folder / DATABASE
    if not create and not path.exists():
        raise IndexDamaged(f"no index in {folder}")
    try:
        connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        connection.execute("PRAGMA busy_timeout = 5000")
        if create:
            connection.execute("PRAGMA journal_mode = WAL")
            connection.executescript(_SCHEMA)
            connection.execute("INSERT OR IGNORE INTO meta VALUES ('format', ?)", (FORMAT,))
            connection.execute("INSERT OR IGNORE INTO meta VALUES ('next_docno', '0')")
            connection.execute("INSERT OR IGNORE INTO meta VALUES ('generation', '0')")
        found = connection.execute("SELECT value FROM meta WHERE key = 'format'").fetchone()
    except sqlite3.DatabaseError as error:
        raise IndexDamaged(f"{path}: {error}") from None
    if found is None or found[0] != FORMAT:
        connection.close()
        raise IndexDamaged(f"{path}: not an index of format {FORMAT}")
    # NORMAL in WAL mode: a commit survives a crash of the process; only a power cut may lose the last
    # commits (never corrupt the file), which the reconcile walk brings back from the files themselves.
    connection.execute("PRAGMA synchronous = NORMAL")
    return connection


def clear_index(folder: Path) -> None:
    """Delete the index a folder holds (the database, its WAL, the segments), leaving the writer's lock."""
    for name in (DATABASE, f"{DATABASE}-wal", f"{DATABASE}-shm", *BESIDE):
        (folder / name).unlink(missing_ok=True)
    segments = folder / SEGMENTS
    if segments.is_dir():
        for entry in os.listdir(segments):
            (segments / entry).unlink(missing_ok=True)


PARAMETERS_AT_ONCE = 900
"""Values per `IN (…)`: SQLite allows 999 parameters a statement in older builds."""


def rows_in(
    connection: sqlite3.Connection, select: str, column: str, values: Sequence[Any]
) -> Iterator[tuple[Any, ...]]:
    """The rows of `select` whose `column` is one of `values`: a few queries for any number of values."""
    for start in range(0, len(values), PARAMETERS_AT_ONCE):
        part = values[start : start + PARAMETERS_AT_ONCE]
        yield from connection.execute(f"{select} WHERE {column} IN ({','.join('?' * len(part))})", part)


def meta(connection: sqlite3.Connection) -> dict[str, str]:
    return dict(connection.execute("SELECT key, value FROM meta").fetchall())


class WriterLock:
    """`writer.lock`, held with `flock` for the writer's life; the kernel drops it when the process dies,
    so a killed writer never leaves the index locked."""

    def __init__(self, folder: Path) -> None:
        self._handle = open(folder / LOCK, "a+b")
        try:
            fcntl.flock(self._handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as error:
            self._handle.close()
            if error.errno in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                raise WriterBusy(f"another process is writing the index in {folder}") from None
            raise
        self._handle.truncate(0)
        self._handle.write(str(os.getpid()).encode())
        self._handle.flush()

    def release(self) -> None:
        if not self._handle.closed:
            fcntl.flock(self._handle.fileno(), fcntl.LOCK_UN)
            self._handle.close()


def encode_facts(event: Event) -> bytes:
    """An event's facts as stored: its JSON form without `path` (a column of its own), zlib-compressed
    (level 1: ~40 % of the JSON, which at 2.6 KB an event was most of the database)."""
    facts = event.as_json()
    facts.pop("path", None)
    return zlib.compress(orjson.dumps(facts), 1)


def encode_sorting(event: Event) -> bytes:
    """The event's keys of `KEYED_SORTS`, in that order: `SORT_KEYS`' own definitions, as JSON keeps them
    (tuples come back as lists, which compare as the tuples did)."""
    return orjson.dumps([SORT_KEYS[sort](event) for sort in KEYED_SORTS])


def decode_sorting(sorting: bytes, sort: str) -> Any:
    try:
        return orjson.loads(sorting)[KEYED_SORTS.index(sort)]
    except (orjson.JSONDecodeError, TypeError, ValueError, IndexError) as error:
        raise IndexDamaged(f"stored sort keys are unreadable: {error}") from None


def encode_mentions(event: Event) -> bytes:
    """The event's participants (every field) and the ids it names as related, as JSON: what the people
    (`store.entities.people`) and the links are built from, ~10 × cheaper to read back than the facts."""
    participants = [
        [p.name, p.role, p.country, p.organization, p.delegation_head, p.aliases] for p in event.participants
    ]
    return orjson.dumps([participants, [link.id for link in event.related]])


def decode_mentions(mentions: bytes) -> tuple[list[list[Any]], list[str]]:
    """(participants as field lists, related ids): see `encode_mentions`."""
    try:
        participants, related = orjson.loads(mentions)
    except (orjson.JSONDecodeError, TypeError, ValueError) as error:
        raise IndexDamaged(f"stored mentions are unreadable: {error}") from None
    return participants, related


def decode_facts(event_id: str, path: str, facts: bytes) -> Event:
    """The stored event, rebuilt through the validator: exactly the `Event` the file gave."""
    try:
        raw: Any = orjson.loads(zlib.decompress(facts))
    except (zlib.error, orjson.JSONDecodeError) as error:
        raise IndexDamaged(f"stored event {event_id!r} is unreadable: {error}") from None
    try:
        return validate_event(raw, fallback_id=event_id, path=path)
    except InvalidEvent as error:  # only a damaged or foreign database gets here
        raise IndexDamaged(f"stored event {event_id!r} is not valid: {error}") from None
