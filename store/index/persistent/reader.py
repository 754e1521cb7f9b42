"""A reader of a persistent index: opened at once, answering from mapped segments and SQLite.

Opening reads the list of live segments, the removed document numbers and the counters in one SQLite read
transaction (a consistent snapshot of the last commit), maps the segment files, and builds two small
arrays by document number: alive or not, and the day (YYYYMMDD) — 5 bytes an event. Everything else stays
on disk until asked: postings are slices of mapped files, facts are read one event at a time.

`refresh()` follows the writer: SQLite's `data_version` says cheaply whether anything was committed since,
and only new segments are mapped. A segment named by the snapshot but merged away and deleted before this
reader mapped it makes the reader take a new snapshot.

Masks are boolean numpy arrays by document number, as the in-memory engine's (`store.index.search_index`), so
the filter evaluation and the aggregates combine them the same way.

A command's reader (`without_stale`) leaves out the documents of stale files, and shows in the place of each
the claim a load of the folder would show, if any (`store.index.persistent.stand_ins`): their numbers are
then left out of the stored postings (`_stored_alive`) and answered from the stand-ins'.
"""

from __future__ import annotations

import bisect
import os
import sqlite3
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import orjson

from store.files.event_files import FileStamp
from store.index.persistent.segments import SegmentDamaged, TermTable, map_segment
from store.index.persistent.stand_ins import StandIns, find_stand_ins
from store.index.persistent.storage import (
    SEGMENTS,
    IndexDamaged,
    connect,
    decode_facts,
    decode_sorting,
    encode_sorting,
    rows_in,
)
from store.index.persistent.terms import SEPARATOR, key_term
from store.model.dates import day_number
from store.model.event import Event

_SNAPSHOT_TRIES = 5
MERGED_AT_MOST = 1_000
"""Documents added by one commit up to which `refresh()` puts them into the kept date order one by one;
beyond, the order is sorted again when next asked."""


@dataclass
class _Segment:
    docnos: np.ndarray
    days: np.ndarray
    idkeys: np.ndarray
    words: TermTable
    keys: TermTable
    owners: np.ndarray
    """Per key posting, the number of its key (see `writer._owners`)."""
    tables: dict[str, tuple[list[str], np.ndarray, np.ndarray]] = field(default_factory=dict)
    """Per field table, once asked: its keys, their documents end to end, and which key each document
    entry belongs to. A segment never changes, so this is kept for the segment's life."""

    @classmethod
    def of(cls, arrays: dict[str, np.ndarray]) -> _Segment:
        return cls(
            arrays["docnos"],
            arrays["days"],
            arrays["idkeys"],
            TermTable.of(arrays, "words"),
            TermTable.of(arrays, "keys"),
            arrays["keys.owners"],
        )

    def mark(self, table: str, term: bytes, prefix: bool, mask: np.ndarray) -> None:
        """Set in `mask` the documents holding the term (or, with prefix, a term starting with it)."""
        terms: TermTable = getattr(self, table)
        if prefix:
            first, end = terms.prefix_range(term)
            if end > first:
                mask[terms.documents(first, end)] = True
        else:
            number = terms.find(term)
            if number >= 0:
                mask[terms.documents(number)] = True

    def table(self, name: str) -> tuple[list[str], np.ndarray, np.ndarray]:
        found = self.tables.get(name)
        if found is None:
            first, end = self.keys.prefix_range(key_term(name, ""))
            keys = [
                term.decode("utf-8", "surrogatepass").partition(SEPARATOR)[2]
                for term in self.keys.terms(first, end)
            ]
            documents = self.keys.documents(first, end)
            owners = self.owners[int(self.keys.offsets[first]) : int(self.keys.offsets[end])] - first
            found = self.tables[name] = (keys, documents, owners)
        return found


class PersistentReader:
    """Raises `IndexDamaged` when the folder holds no usable index (the caller rebuilds it)."""

    def __init__(self, folder: str | os.PathLike[str], *, without_stale: bool = False) -> None:
        """`without_stale`: the documents of files flagged stale (unreadable now, their last good version
        kept by a dashboard) are not live for this reader, as a load of the folder would not have them:
        a command's answer; each shows instead the claim a load shows for its id, if any (`stand_ins`)."""
        self.folder = Path(folder)
        self.without_stale = without_stale
        self.any_stale = False
        """Some file of this commit is stale (whether or not its documents are left out)."""
        self._db = connect(self.folder, create=False)
        self._segments: dict[str, _Segment] = {}
        self.generation = -1
        self._data_version = -1
        self._alive = np.zeros(0, dtype=bool)
        self._stored_alive = self._alive
        """The live documents whose stored postings and positions are theirs: `_alive` but the stand-ins'
        numbers (the same array when there are none)."""
        self._stand_ins: StandIns | None = None
        self._stand_in_segment: _Segment | None = None
        self._moved = np.empty(0, dtype=np.int64)
        """Numbers, live before the last `_load` and after it, whose stand-in came, went or changed: what
        they hold changed although the live mask did not (`changes_since` counts them)."""
        self._date_order: np.ndarray | None = None
        self._load()

    def close(self) -> None:
        self._db.close()
        self._segments = {}

    def __enter__(self) -> PersistentReader:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    @property
    def connection(self) -> sqlite3.Connection:
        """The reader's own connection, for the facts layer (`store.index.persistent.engine`)."""
        return self._db

    # -- following the writer -----------------------------------------------------------------------------

    def refresh(self) -> bool:
        """Take in the writer's commits since the last look; whether anything changed."""
        version = self._db.execute("PRAGMA data_version").fetchone()[0]
        if version == self._data_version:
            return False
        before = self.generation
        self._load()
        return self.generation != before

    def changes_since(self, before: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The documents added and removed since a live mask taken earlier (`live_mask()` before a
        `refresh()`): what a dashboard applies when another process committed."""
        now = self._alive
        grown = np.zeros(len(now), dtype=bool)  # numbers only grow: the earlier mask is never longer
        grown[: len(before)] = before
        added, removed = np.flatnonzero(now & ~grown), np.flatnonzero(grown & ~now)
        if len(self._moved):  # another claim under the same number: the old one removed, the new added
            moved = self._moved[grown[self._moved] & now[self._moved]]
            added, removed = np.union1d(added, moved), np.union1d(removed, moved)
        return added, removed

    def _load(self) -> None:
        for _ in range(_SNAPSHOT_TRIES):
            try:
                self._db.execute("BEGIN")
                try:
                    self._data_version = self._db.execute("PRAGMA data_version").fetchone()[0]
                    state = dict(self._db.execute("SELECT key, value FROM meta").fetchall())
                    names = [row[0] for row in self._db.execute("SELECT name FROM segments ORDER BY name")]
                    removed = self._db.execute("SELECT docno FROM removed").fetchall()
                    stale = self._db.execute(
                        "SELECT docno FROM events WHERE file IN (SELECT path FROM files WHERE stale)"
                    ).fetchall()
                    stand_ins = find_stand_ins(self._db) if stale and self.without_stale else None
                finally:
                    self._db.execute("COMMIT")
                segments = {name: self._segments.get(name) or self._map(name) for name in names}
            except FileNotFoundError:
                continue  # merged away after the snapshot: take a new one
            except sqlite3.DatabaseError as error:
                raise IndexDamaged(f"{self.folder}: {error}") from None
            break
        else:
            raise IndexDamaged(f"{self.folder}: segments keep vanishing under the reader")
        size = int(state["next_docno"])
        alive = np.zeros(size, dtype=bool)
        days = np.zeros(size, dtype=np.int32)
        idkeys = np.zeros(size, dtype=np.uint64)
        for segment in segments.values():
            alive[segment.docnos] = True
            days[segment.docnos] = segment.days
            idkeys[segment.docnos] = segment.idkeys
        if removed:
            alive[np.fromiter((row[0] for row in removed), dtype=np.int64, count=len(removed))] = False
        self.any_stale = bool(stale)
        if stale and self.without_stale:
            alive[np.fromiter((row[0] for row in stale), dtype=np.int64, count=len(stale))] = False
        stored_alive = alive
        if stand_ins is not None:
            stored_alive = alive.copy()
            alive[stand_ins.docnos] = True
            days[stand_ins.docnos] = stand_ins.arrays["days"]
            stored_alive.flags.writeable = False
        alive.flags.writeable = False
        days.flags.writeable = False
        before, order = self._alive, self._date_order
        self._moved = _moved(self._stand_ins, stand_ins, before, alive)
        self._segments, self._alive, self._days, self._idkeys = segments, alive, days, idkeys
        self._stored_alive, self._stand_ins = stored_alive, stand_ins
        self._stand_in_segment = None if stand_ins is None else _Segment.of(stand_ins.arrays)
        self._date_order = None if order is None else self._followed_order(order, before)
        self.generation = int(state["generation"])

    def _map(self, name: str) -> _Segment:
        try:
            return _Segment.of(map_segment(self.folder / SEGMENTS / name))
        except (SegmentDamaged, KeyError) as error:
            raise IndexDamaged(f"{name}: {error}") from None

    # -- masks ----------------------------------------------------------------------------------------------

    def __len__(self) -> int:
        return int(self._alive.sum())

    @property
    def docno_limit(self) -> int:
        """One past the highest document number: the length of every mask."""
        return len(self._alive)

    def live_mask(self) -> np.ndarray:
        """Read-only."""
        return self._alive

    def empty_mask(self) -> np.ndarray:
        return np.zeros(len(self._alive), dtype=bool)

    def _mark(self, table: str, term: bytes, *, prefix: bool) -> np.ndarray:
        mask = self.empty_mask()
        for segment in self._segments.values():
            segment.mark(table, term, prefix, mask)
        mask &= self._stored_alive
        if self._stand_in_segment is not None:
            self._stand_in_segment.mark(table, term, prefix, mask)
        return mask

    def word_mask(self, word: str, *, prefix: bool = False) -> np.ndarray:
        """Live documents holding the folded word (or, with prefix, a word starting with it)."""
        return self._mark("words", word.encode("utf-8", "surrogatepass"), prefix=prefix)

    def key_mask(self, table: str, key: str, *, prefix: bool = False) -> np.ndarray:
        """Live documents whose field table holds the key (or, with prefix, a key starting with it)."""
        return self._mark("keys", key_term(table, key), prefix=prefix)

    def keys(self, table: str) -> list[str]:
        """Every key of a field table held by some live document, sorted."""
        return sorted(self.key_counts(table))

    def key_counts(self, table: str, mask: np.ndarray | None = None) -> dict[str, int]:
        """Per key of the table, how many documents of the mask (default: the live ones) hold it; keys
        with no such document left out."""
        mask = self._alive if mask is None else mask & self._alive
        stored = mask if self._stand_ins is None else mask & self._stored_alive
        counts: Counter[str] = Counter()
        parts = [(segment, stored) for segment in self._segments.values()]
        if self._stand_in_segment is not None:
            parts.append((self._stand_in_segment, mask))
        for segment, within in parts:
            keys, documents, owners = segment.table(table)
            if len(documents):
                found = np.bincount(owners[within[documents]], minlength=len(keys))
                for number in np.flatnonzero(found).tolist():
                    counts[keys[number]] += int(found[number])
        return dict(counts)

    def date_mask(self, first: str, last: str) -> np.ndarray:
        """Live documents whose sort date lies in [first, last] (ISO days; either may be '')."""
        mask = self._alive.copy()
        if first:
            mask &= self._days >= day_number(first)
        if last:
            mask &= self._days <= day_number(last)
        return mask

    def day_of(self, docnos: np.ndarray) -> np.ndarray:
        """The sort days (numbers YYYYMMDD) of the given docnos."""
        return self._days[docnos]

    def date_order(self) -> np.ndarray:
        """Live docnos ascending by (sort date, id, docno), the in-memory engine's order (newest first is
        this reversed): sorted by day and each id's first 8 bytes (`writer.id_key`), and the rare runs
        that tie on both ordered by their full ids, read from the facts. Kept until the next refresh."""
        if self._date_order is None:
            live = np.flatnonzero(self._alive)
            order = live[np.lexsort((live, self._idkeys[live], self._days[live]))]
            days, keys = self._days[order], self._idkeys[order]
            ties = np.flatnonzero((days[1:] == days[:-1]) & (keys[1:] == keys[:-1]))
            if len(ties):
                order = order.copy()
                tied = np.union1d(order[ties], order[ties + 1]).tolist()
                ids = self.ids_of(tied)  # one look-up for every run (ids sharing 8 bytes are common)
                starts = ties[np.r_[True, np.diff(ties) > 1]]
                for start in starts.tolist():
                    end = start + 1
                    while (
                        end < len(order) - 1 and days[end + 1] == days[start] and keys[end + 1] == keys[start]
                    ):
                        end += 1
                    run = order[start : end + 1].tolist()
                    order[start : end + 1] = sorted(run, key=lambda docno: (ids[docno], docno))
            order.flags.writeable = False
            self._date_order = order
        return self._date_order

    def _followed_order(self, order: np.ndarray, before: np.ndarray) -> np.ndarray | None:
        """The date order of the state before (`before` its live mask) brought up to this one: the
        removed taken out, the few added put in their places by bisection (each place a few key
        comparisons, where sorting again costs a `lexsort` of every live document). None when so many
        were added that sorting again is the cheaper way (done when next asked)."""
        grown = np.zeros(len(self._alive), dtype=bool)
        grown[: len(before)] = before
        new = np.flatnonzero(self._alive & ~grown)
        kept = order[self._alive[order]]
        if len(self._moved):  # a stand-in came, went or changed: its number placed again, by its new day
            kept = kept[~np.isin(kept, self._moved)]
            new = np.union1d(new, self._moved)
        if len(new) > MERGED_AT_MOST:
            return None
        added: list[int] = new.tolist()
        if added:
            ids = self.ids_of(added)

            def key(docno: int) -> tuple[int, int, str, int]:
                docno = int(docno)
                if docno not in ids:
                    ids.update(self.ids_of([docno]))
                return (int(self._days[docno]), int(self._idkeys[docno]), ids[docno], docno)

            added.sort(key=key)
            places = [bisect.bisect_left(kept, key(docno), key=key) for docno in added]
            kept = np.insert(kept, places, added)
        kept.flags.writeable = False
        return kept

    def phrase_mask(self, words: tuple[str, ...] | list[str]) -> np.ndarray:
        """Live documents holding the folded words in sequence: a postings query on the stored positions."""
        mask = self.empty_mask()
        if not words:
            return mask
        quoted = '"' + " ".join(word.replace('"', '""') for word in words) + '"'
        rows = self._db.execute("SELECT rowid FROM positions WHERE positions MATCH ?", (quoted,)).fetchall()
        if rows:
            docnos = np.fromiter((row[0] for row in rows), dtype=np.int64, count=len(rows))
            mask[docnos[docnos < len(mask)]] = True
        mask &= self._stored_alive
        if self._stand_ins is not None:
            mask[self._stand_ins.phrase_docnos(words)] = True
        return mask

    # -- facts ----------------------------------------------------------------------------------------------

    def event(self, docno: int) -> Event:
        if self._stand_ins is not None and docno in self._stand_ins.events:
            return self._stand_ins.events[docno]
        row = self._db.execute("SELECT id, path, facts FROM events WHERE docno = ?", (docno,)).fetchone()
        if row is None:
            raise KeyError(docno)
        return decode_facts(*row)

    def ids_of(self, docnos: list[int]) -> dict[int, str]:
        """The event id of each given docno (live or not, as long as it was ever given), in few queries."""
        return dict(self._rows_of("SELECT docno, id FROM names", docnos))

    def _rows_of(self, select: str, docnos: list[int]) -> list[Any]:
        """The rows of `select` (docno its first column) for the given docnos, in few queries."""
        return list(rows_in(self._db, select, "docno", docnos))

    def mentions(self, docnos: list[int] | None = None) -> list[tuple[int, str, bytes]]:
        """(docno, id, stored mentions: `storage.encode_mentions`) of the live documents, every one or the
        given ones, by docno: what the people and links are built from (`mention_facts`)."""
        if docnos is None:
            rows = self._db.execute("SELECT docno, id, mentions FROM events ORDER BY docno").fetchall()
        else:
            rows = sorted(self._rows_of("SELECT docno, id, mentions FROM events", docnos))
        alive, stand_ins = self._alive, self._stand_ins
        found = [row for row in rows if row[0] < len(alive) and alive[row[0]]]
        if stand_ins is None:
            return found
        return [
            (docno, event_id, stand_ins.mentions(docno) if docno in stand_ins.events else mentions)
            for docno, event_id, mentions in found
        ]

    def sort_keys(self, sort: str, docnos: list[int] | None = None) -> dict[int, Any]:
        """Each live document's key of a keyed order (`storage.KEYED_SORTS`), every one or the given
        ones: `SORT_KEYS[sort]` of its event, as `storage.encode_sorting` keeps it."""
        if docnos is None:
            rows = self._db.execute("SELECT docno, sorting FROM events").fetchall()
        else:
            rows = self._rows_of("SELECT docno, sorting FROM events", docnos)
        alive, stand_ins = self._alive, self._stand_ins
        keys = {
            docno: decode_sorting(sorting, sort)
            for docno, sorting in rows
            if docno < len(alive) and alive[docno]
        }
        if stand_ins is not None:
            for docno, event in stand_ins.events.items():
                if docno in keys:
                    keys[docno] = decode_sorting(encode_sorting(event), sort)
        return keys

    def docnos_of(self, event_id: str) -> list[int]:
        """The live documents with this id (one per file claiming it), ascending."""
        rows = self._db.execute(
            "SELECT docno FROM events WHERE id = ? ORDER BY docno", (event_id,)
        ).fetchall()
        return [row[0] for row in rows if row[0] < len(self._alive) and self._alive[row[0]]]

    def file_stamps(self) -> dict[str, FileStamp]:
        """Every file the index knows, with the stamp it had when indexed: what the reconcile walk compares."""
        rows = self._db.execute("SELECT path, size, mtime_ns, ctime_ns, inode FROM files").fetchall()
        return {path: FileStamp(size, mtime, ctime, inode) for path, size, mtime, ctime, inode in rows}

    def file_docnos(self, path: str) -> list[int]:
        rows = self._db.execute("SELECT docno FROM events WHERE file = ? ORDER BY docno", (path,)).fetchall()
        return [row[0] for row in rows]

    def file_problems(self, path: str) -> list[object]:
        row = self._db.execute("SELECT problems FROM files WHERE path = ?", (path,)).fetchone()
        return [] if row is None else orjson.loads(row[0])


def _moved(old: StandIns | None, new: StandIns | None, before: np.ndarray, alive: np.ndarray) -> np.ndarray:
    """The numbers live in both masks whose stand-in came, went or changed between two snapshots."""
    if old is None and new is None:
        return np.empty(0, dtype=np.int64)
    was = {} if old is None else old.events
    now = {} if new is None else new.events
    moved = [
        docno
        for docno in sorted(set(was) | set(now))
        if was.get(docno) != now.get(docno) and docno < len(before) and before[docno] and alive[docno]
    ]
    return np.array(moved, dtype=np.int64)
