"""The one writer of a persistent index: files put and removed, then committed at once.

A commit numbers the new events (document numbers only grow: a changed event gets a new one, as in the
in-memory engine, so postings stay sorted and a reader's answer never changes under a number), writes
their postings as one new segment file, then in one SQLite transaction removes the changed files' old
events (their numbers go to `removed`), stores the new facts, stamps and positions, and names the segment.
Until that transaction commits no reader sees any of it; if the process dies first, the segment file is an
orphan that the next writer deletes on opening.

Segments pile up one per commit; when there are more than `MOST_SEGMENTS`, the newest ones are merged
into one (the removed numbers dropped), in a commit of its own, and the merged-away files are deleted once
it is in. A reader that still maps one keeps its pages (POSIX unlink semantics); a reader that opens it too
late re-reads the list (`store.index.persistent.reader`).
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

import numpy as np
import orjson

from store.files.event_files import FileStamp
from store.index.persistent import term_tables
from store.index.persistent.prepared import PreparedEvent, prepare_event
from store.index.persistent.segments import TermTable, map_segment, sync_folder, write_segment
from store.index.persistent.storage import (
    CONTENTLESS_DELETE,
    SEGMENTS,
    WriterLock,
    clear_index,
    connect,
    decode_facts,
    encode_facts,
    meta,
    rows_in,
)
from store.index.persistent.terms import phrase_words
from store.index.word_postings import WordPostings
from store.model.dates import day_number
from store.model.event import Event

MOST_SEGMENTS = 8
"""Segments beyond which a commit merges the newest ones: a query visits every segment."""
SMALL = 8
"""A segment with fewer than 1/SMALL of the largest one's events is merged with the other small ones."""


@dataclass(slots=True)
class _Put:
    stamp: FileStamp
    problems: list[Any] = field(default_factory=list)
    stale: bool = False


class PersistentWriter:
    """Holds the writer's lock from opening to `close()`; raises `WriterBusy` if another process has it.

    Changes are kept until `commit`: events added (each numbered at once, as the index protocol's `add`
    must answer), committed documents dropped, and files' stamps and problems set or forgotten."""

    def __init__(self, folder: str | os.PathLike[str], *, rebuild: bool = False) -> None:
        """With `rebuild`, whatever the folder holds is deleted first (under the lock): for an index found
        damaged or foreign (`IndexDamaged`), which is rebuilt, never read."""
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self._lock = WriterLock(self.folder)
        try:
            if rebuild:
                clear_index(self.folder)
            (self.folder / SEGMENTS).mkdir(exist_ok=True)
            self._db = connect(self.folder, create=True)
            self._delete_orphans()
        except BaseException:
            self._lock.release()
            raise
        self._notes: dict[str, str] = {}
        self._reset()

    def _reset(self) -> None:
        self._next_docno = int(meta(self._db)["next_docno"])
        self._added: dict[int, tuple[str, Event]] = {}
        self._prepared: dict[int, PreparedEvent] = {}
        """Pending docno → what a load worker found of its event (`add_event`'s `prepared`)."""
        self._pending_of: dict[tuple[str, str], set[int]] = {}
        """("file", path) and ("id", event id) → pending docnos: `live_docnos` without a scan of the batch."""
        self._dropped: set[int] = set()
        self._files: dict[str, _Put | None] = {}
        self._hidden: dict[tuple[str, str], Event | None] = {}
        """(event id, file) → a claimant kept out of the live documents (None: no longer kept), pending."""
        self._ahead = _LookedAhead()

    def __enter__(self) -> PersistentWriter:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        self._db.close()
        self._lock.release()

    @property
    def generation(self) -> int:
        return int(meta(self._db)["generation"])

    def note(self, key: str, value: str) -> None:
        """Set a value of `meta` with the next commit (what the caller must know to trust the index)."""
        self._notes[key] = value

    def noted(self, key: str) -> str | None:
        return self._notes.get(key, meta(self._db).get(key))

    # -- changes, kept until commit -----------------------------------------------------------------------

    def add_event(self, event: Event, file: str, prepared: PreparedEvent | None = None) -> int:
        """Add one event read from `file`; its document number, given now. `prepared`: what a load worker
        found of it, or None to find it at the commit."""
        docno = self._next_docno
        self._next_docno += 1
        self._added[docno] = (file, event)
        if prepared is not None:
            self._prepared[docno] = prepared
        self._pending_of.setdefault(("file", file), set()).add(docno)
        self._pending_of.setdefault(("id", event.id), set()).add(docno)
        return docno

    def drop(self, docno: int) -> None:
        """Take a document out: a pending one at once, a committed one at the commit."""
        added = self._added.pop(docno, None)
        if added is None:
            self._dropped.add(docno)
            return
        self._prepared.pop(docno, None)
        self._pending_of[("file", added[0])].discard(docno)
        self._pending_of[("id", added[1].id)].discard(docno)

    def look_ahead(self, files: Iterable[str], event_ids: Iterable[str]) -> None:
        """Fetch at once what `live_docnos`, `hidden` and `file_record` will be asked of these files and
        ids before the commit: a bulk load's chunk of 2,000 files otherwise costs ~5 queries a file. What
        is fetched holds until the commit, since only this writer changes the committed rows."""
        ahead = self._ahead
        files = [path for path in dict.fromkeys(files) if ("file", path) not in ahead.docnos]
        event_ids = [key for key in dict.fromkeys(event_ids) if ("id", key) not in ahead.docnos]
        for column, values in (("file", files), ("id", event_ids)):
            for value in values:
                ahead.docnos[(column, value)] = []
                ahead.hidden[(column, value)] = []
            for docno, value in rows_in(self._db, f"SELECT docno, {column} FROM events", column, values):
                ahead.docnos[(column, value)].append(docno)
            for row in rows_in(self._db, "SELECT id, file, path, facts FROM hidden", column, values):
                ahead.hidden[(column, row[0] if column == "id" else row[1])].append(row)
        ahead.records.update(dict.fromkeys(files))
        for path, problems, stale in rows_in(
            self._db, "SELECT path, problems, stale FROM files", "path", files
        ):
            ahead.records[path] = (orjson.loads(problems), bool(stale))

    def live_docnos(self, *, file: str | None = None, event_id: str | None = None) -> list[int]:
        """The documents of a file (or of an event id) as they will be after the commit, ascending."""
        column, value = ("file", file) if file is not None else ("id", event_id)
        assert value is not None
        found = self._ahead.docnos.get((column, value))
        if found is None:
            rows = self._db.execute(f"SELECT docno FROM events WHERE {column} = ?", (value,))
            found = [row[0] for row in rows]
        committed = [docno for docno in found if docno not in self._dropped]
        return sorted(committed + list(self._pending_of.get((column, value), ())))

    def event_of(self, docno: int) -> Event:
        """The event of a document, pending or committed (KeyError for one never given or forgotten)."""
        added = self._added.get(docno)
        if added is not None:
            return added[1]
        row = self._db.execute("SELECT id, path, facts FROM events WHERE docno = ?", (docno,)).fetchone()
        if row is None:
            raise KeyError(docno)
        return decode_facts(*row)

    def file_of_docno(self, docno: int) -> str:
        added = self._added.get(docno)
        if added is not None:
            return added[0]
        row = self._db.execute("SELECT file FROM events WHERE docno = ?", (docno,)).fetchone()
        if row is None:
            raise KeyError(docno)
        return str(row[0])

    # -- claimants kept out of the live documents ------------------------------------------------------------

    def hide(self, event: Event, file: str) -> None:
        """Keep `file`'s claim to `event.id` without making it a document (another file's claim is shown):
        stored with the commit, so that it is shown again when that claim goes, without reading `file`."""
        self._hidden[(event.id, file)] = event

    def unhide(self, event_id: str, file: str) -> None:
        self._hidden[(event_id, file)] = None

    def hidden(self, *, file: str | None = None, event_id: str | None = None) -> list[tuple[str, Event]]:
        """The claims kept out of a file (or of an id), as they will be after the commit: (file, event)."""
        column, value = ("file", file) if file is not None else ("id", event_id)
        assert value is not None
        rows: Iterable[tuple[Any, ...]] | None = self._ahead.hidden.get((column, value))
        if rows is None:
            rows = self._db.execute(f"SELECT id, file, path, facts FROM hidden WHERE {column} = ?", (value,))
        found: dict[tuple[str, str], Event] = {
            (row[0], row[1]): decode_facts(row[0], row[2], row[3]) for row in rows
        }
        for (hidden_id, hidden_file), event in self._hidden.items():
            if (hidden_file if file is not None else hidden_id) != value:
                continue
            if event is None:
                found.pop((hidden_id, hidden_file), None)
            else:
                found[(hidden_id, hidden_file)] = event
        return [(hidden_file, event) for (_, hidden_file), event in sorted(found.items())]

    @property
    def empty(self) -> bool:
        """No file committed yet (a new or rebuilt index)."""
        return self._db.execute("SELECT 1 FROM files LIMIT 1").fetchone() is None

    def put_file(
        self, path: str, stamp: FileStamp, events: Sequence[Event], problems: Iterable[Any] = ()
    ) -> None:
        """What the file at `path` (relative to the folder) says now: its events and its problems (JSON
        values, e.g. `{"line": 3, "reason": "…"}`), replacing whatever it said before."""
        for docno in self.live_docnos(file=path):
            self.drop(docno)
        for event in events:
            self.add_event(event, path)
        self._files[path] = _Put(stamp, list(problems))

    def remove_file(self, path: str) -> None:
        for docno in self.live_docnos(file=path):
            self.drop(docno)
        self._files[path] = None

    def record_file(
        self, path: str, stamp: FileStamp | None, problems: Iterable[Any] = (), *, stale: bool = False
    ) -> None:
        """Set a file's stamp and problems (None: forget the file) without touching its documents: for a
        layer that adds and drops them itself (`store.index.persistent.folder`). `stale`: the file's
        claims are its last good version (it is unreadable now)."""
        self._files[path] = None if stamp is None else _Put(stamp, list(problems), stale)

    @property
    def connection(self) -> sqlite3.Connection:
        """The writer's own connection, for the store that reads its files' table (`store.persistence.
        indexed_store`); only under that store's lock, as every use of the writer."""
        return self._db

    def problems_pending(self) -> bool:
        """Whether the files pending for the commit change any file's problems or staleness."""
        for path, put in self._files.items():
            before = self._committed_record(path) or ([], False)
            if before != ((put.problems, put.stale) if put else ([], False)):
                return True
        return False

    def file_record(self, path: str) -> tuple[list[Any], bool] | None:
        """A file's problems and whether it is stale, as they will be after the commit (None: unknown)."""
        if path in self._files:
            put = self._files[path]
            return None if put is None else (put.problems, put.stale)
        return self._committed_record(path)

    def _committed_record(self, path: str) -> tuple[list[Any], bool] | None:
        if path in self._ahead.records:
            return self._ahead.records[path]
        row = self._db.execute("SELECT problems, stale FROM files WHERE path = ?", (path,)).fetchone()
        return None if row is None else (orjson.loads(row[0]), bool(row[1]))

    # -- commit ---------------------------------------------------------------------------------------------

    def commit(self) -> int:
        """Make every pending change visible to readers at once; the new generation (unchanged if nothing
        was pending)."""
        if not (self._added or self._dropped or self._files or self._hidden or self._notes):
            return self.generation
        generation = self.generation + 1
        added = [(docno, file, event) for docno, (file, event) in sorted(self._added.items())]
        prepared = [self._prepared.get(docno) or prepare_event(event) for docno, _, event in added]
        name = f"{generation:012d}.seg"
        segment = self.folder / SEGMENTS / name
        if added:
            write_segment(segment, segment_arrays([(docno, event) for docno, _, event in added], prepared))
        try:
            self._db.execute("BEGIN IMMEDIATE")
            self._forget(sorted(self._dropped))
            self._db.executemany(
                "DELETE FROM files WHERE path = ?",
                [(path,) for path, put in self._files.items() if put is None],
            )
            self._db.executemany(
                "INSERT OR REPLACE INTO files VALUES (?,?,?,?,?,?,?)",
                [
                    (
                        path,
                        put.stamp.size,
                        put.stamp.mtime_ns,
                        put.stamp.ctime_ns,
                        put.stamp.inode,
                        orjson.dumps(put.problems),
                        int(put.stale),
                    )
                    for path, put in self._files.items()
                    if put is not None
                ],
            )
            self._db.executemany(
                "INSERT INTO events VALUES (?,?,?,?,?,?,?)",
                [
                    (docno, event.id, path, event.path, found.facts, found.mentions, found.sorting)
                    for (docno, path, event), found in zip(added, prepared, strict=True)
                ],
            )
            self._db.executemany(
                "INSERT INTO names VALUES (?,?)", [(docno, event.id) for docno, _, event in added]
            )
            self._db.executemany(
                "INSERT INTO positions(rowid, words) VALUES (?,?)",
                [(docno, found.phrase) for (docno, _, _), found in zip(added, prepared, strict=True)],
            )
            for (event_id, file), event in self._hidden.items():
                self._db.execute("DELETE FROM hidden WHERE id = ? AND file = ?", (event_id, file))
                if event is not None:
                    self._db.execute(
                        "INSERT INTO hidden VALUES (?,?,?,?)",
                        (event_id, file, event.path, encode_facts(event)),
                    )
            if added:
                self._db.execute("INSERT INTO segments VALUES (?,?)", (name, len(added)))
            self._set_meta(generation, self._next_docno)
            self._db.executemany("INSERT OR REPLACE INTO meta VALUES (?,?)", self._notes.items())
            self._db.execute("COMMIT")
        except BaseException:
            if self._db.in_transaction:
                self._db.execute("ROLLBACK")
            segment.unlink(missing_ok=True)
            self._notes = {}
            self._reset()
            raise
        self._notes = {}
        self._reset()
        self._merge_if_many()
        return self.generation

    def _set_meta(self, generation: int, next_docno: int) -> None:
        self._db.executemany(
            "UPDATE meta SET value = ? WHERE key = ?",
            [(str(generation), "generation"), (str(next_docno), "next_docno")],
        )

    def _forget(self, docnos: list[int]) -> None:
        """Committed documents out: their numbers to `removed`, their facts and positions deleted."""
        old = [
            row
            for docno in docnos
            for row in self._db.execute("SELECT docno, id, path, facts FROM events WHERE docno = ?", (docno,))
        ]
        if not old:
            return
        self._db.executemany("INSERT OR IGNORE INTO removed VALUES (?)", [(row[0],) for row in old])
        self._db.executemany("DELETE FROM events WHERE docno = ?", [(row[0],) for row in old])
        if CONTENTLESS_DELETE:
            self._db.executemany("DELETE FROM positions WHERE rowid = ?", [(row[0],) for row in old])
        else:  # a contentless FTS5 row is removed by giving its words again
            self._db.executemany(
                "INSERT INTO positions(positions, rowid, words) VALUES ('delete', ?, ?)",
                [
                    (docno, phrase_words(decode_facts(event_id, event_path, facts)))
                    for docno, event_id, event_path, facts in old
                ],
            )

    # -- segments -----------------------------------------------------------------------------------------

    def _delete_orphans(self) -> None:
        """Segment files that no commit names: left by a writer killed between writing and committing."""
        named = {row[0] for row in self._db.execute("SELECT name FROM segments")}
        folder = self.folder / SEGMENTS
        for entry in os.listdir(folder):
            if entry not in named:
                (folder / entry).unlink(missing_ok=True)

    def _merge_if_many(self) -> None:
        rows = self._db.execute("SELECT name, events FROM segments ORDER BY name").fetchall()
        if len(rows) <= MOST_SEGMENTS:
            return
        # The run of newest segments that are small beside the largest is merged into one: cheap, since
        # they are small, and it keeps a commit from rewriting a bulk load's segment. Only when every
        # segment is comparable in size is everything merged.
        largest = max(events for _, events in rows)
        first = len(rows)
        while first > 0 and rows[first - 1][1] * SMALL < largest:
            first -= 1
        self.merge(len(rows) - first if len(rows) - first >= 2 else None)

    def merge(self, newest: int | None = None) -> None:
        """Merge the newest segments (all when newest is None) into one, dropping removed documents.

        Only a run of the newest is ever merged: segments in name order then hold ascending, disjoint
        ranges of document numbers, which is what keeps every term's postings sorted when they are
        concatenated segment after segment. Merging all also merges the positions table's own b-trees
        (FTS5 `optimize`), which a bulk load leaves in many pieces that every phrase query visits."""
        every = [row[0] for row in self._db.execute("SELECT name FROM segments ORDER BY name")]
        names = every if newest is None else every[len(every) - newest :]
        if newest is None:
            self._db.execute("INSERT INTO positions(positions) VALUES ('optimize')")
        if len(names) < 2:
            return
        state = meta(self._db)
        removed = np.fromiter(
            (row[0] for row in self._db.execute("SELECT docno FROM removed")), dtype=np.int64
        )
        size = int(state["next_docno"])
        alive = np.zeros(size, dtype=bool)
        parts = [map_segment(self.folder / SEGMENTS / name) for name in names]
        for arrays in parts:
            alive[arrays["docnos"]] = True
        dead_here = removed[alive[removed]] if len(removed) else removed
        alive[removed] = False
        docnos = np.concatenate([arrays["docnos"] for arrays in parts])
        keep = alive[docnos]
        merged: dict[str, np.ndarray] = {
            name: np.concatenate([arrays[name] for arrays in parts])[keep]
            for name in ("docnos", "days", "idkeys")
        }
        for table in ("words", "keys"):
            merged.update(
                TermTable.arrays(
                    table, *term_tables.merged([TermTable.of(arrays, table) for arrays in parts], alive)
                )
            )
        merged["keys.owners"] = _owners(merged["keys.offsets"])
        generation = int(state["generation"]) + 1
        name = f"{generation:012d}.seg"
        write_segment(self.folder / SEGMENTS / name, merged)
        try:
            self._db.execute("BEGIN IMMEDIATE")
            self._db.executemany("DELETE FROM segments WHERE name = ?", [(old,) for old in names])
            self._db.execute("INSERT INTO segments VALUES (?,?)", (name, int(keep.sum())))
            self._db.executemany("DELETE FROM removed WHERE docno = ?", [(int(d),) for d in dead_here])
            self._set_meta(generation, int(state["next_docno"]))
            self._db.execute("COMMIT")
        except BaseException:
            if self._db.in_transaction:
                self._db.execute("ROLLBACK")
            (self.folder / SEGMENTS / name).unlink(missing_ok=True)
            raise
        del parts
        for old in names:
            (self.folder / SEGMENTS / old).unlink(missing_ok=True)
        sync_folder(self.folder / SEGMENTS)


@dataclass(slots=True)
class _LookedAhead:
    """Committed rows fetched by `look_ahead`, by ("file", path) or ("id", event id)."""

    docnos: dict[tuple[str, str], list[int]] = field(default_factory=dict)
    hidden: dict[tuple[str, str], list[tuple[str, str, str, bytes]]] = field(default_factory=dict)
    records: dict[str, tuple[list[Any], bool] | None] = field(default_factory=dict)
    """A file's problems and staleness (None: no such file)."""


def segment_arrays(added: list[tuple[int, Event]], prepared: list[PreparedEvent]) -> dict[str, np.ndarray]:
    """A segment's arrays for (docno, event) ascending by docno, with what `prepare_event` found of each.
    Also what a command's reader indexes its stand-ins with, in memory (`stand_ins`)."""
    words, keys = WordPostings(), WordPostings()
    for (docno, _), found in zip(added, prepared, strict=True):
        words.add(docno, found.words.split())
        keys.add(docno, found.keys)
    words.freeze()
    keys.freeze()
    arrays: dict[str, np.ndarray] = {
        "docnos": np.fromiter((docno for docno, _ in added), dtype=np.uint32, count=len(added)),
        "days": np.fromiter(
            (day_number(event.sort_date) for _, event in added), dtype=np.int32, count=len(added)
        ),
        "idkeys": np.fromiter((id_key(event.id) for _, event in added), dtype=np.uint64, count=len(added)),
    }
    arrays.update(TermTable.arrays("words", words.vocabulary, words.offsets, words.block))
    arrays.update(TermTable.arrays("keys", keys.vocabulary, keys.offsets, keys.block))
    arrays["keys.owners"] = _owners(arrays["keys.offsets"])
    return arrays


def id_key(event_id: str) -> int:
    """The first 8 bytes of the id's UTF-8 as a number: ordered as the ids are, except among ids that share
    those bytes (UTF-8 orders as code points, as `str` comparison does; a shorter id is padded with zeros,
    below any character, since control characters never survive normalisation)."""
    return int.from_bytes(event_id.encode("utf-8", "surrogatepass")[:8].ljust(8, b"\0"), "big")


def _owners(offsets: np.ndarray) -> np.ndarray:
    """Which key each key posting belongs to (int32): what `numpy.bincount` counts a facet by, stored so
    that a reader's first count costs no more than its next."""
    return np.repeat(np.arange(len(offsets) - 1, dtype=np.int32), np.diff(offsets))
