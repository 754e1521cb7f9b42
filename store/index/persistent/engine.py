"""The persistent index behind the index protocol (`store.index.protocol`): `PersistentEngine` opens one
`PersistentIndexWriter` (the writer's lock) and any number of `PersistentIndex` readers.

The reader answers words, prefixes, phrases, field keys, dates, the date order and the field counts from
`PersistentReader` (mapped segments and SQLite), without reading any event. The people as written, their
resolution and the explicit links are built once by `MentionFacts` from the stored mentions (each event's
participants and related ids, a small JSON row: not the event's facts), with the in-memory engine's own
classes (People, PersonResolution) fed the same mentions with the same document numbers, so their answers
are the same, and kept up to date as `refresh()` follows the writer. They are built only when a question
needs them: while the people's tables of the reader's commit are beside the index (`people_tables`), the
people's questions (a word, `p:`, the participants, a related list) are answered from those; a follower's
reader answers from the latest older ones until newer come (`people_may_lag`). Orders by
other columns than date and arrival, and events dated one day, read the events they need from the facts.
See docs/ENGINE.md for what is still to be stored.
"""

from __future__ import annotations

import bisect
import contextlib
import os
import sqlite3
import threading
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import numpy as np

from store.entities.people import People, PersonKey
from store.entities.person_resolution import PersonResolution
from store.entities.place_resolution import PlaceResolution
from store.files.event_files import FileStamp, file_of
from store.files.folder_scan import stamp_of
from store.index import aggregates
from store.index.persistent.mention_facts import MentionFacts
from store.index.persistent.people_tables import PEOPLE, StoredPeople, write_people
from store.index.persistent.reader import MERGED_AT_MOST, PersistentReader
from store.index.persistent.storage import KEYED_SORTS
from store.index.persistent.writer import PersistentWriter
from store.index.protocol import Docnos, Field, Mask, PersonCount, day_number, ranked
from store.index.search_index import Indexed
from store.memo import Memo
from store.model.changes import Changes
from store.model.event import Event

EVENTS_KEPT = 4_096
"""Events kept decoded (`PersistentIndex.event`): a related answer reads its few dozen events two or three
times, and the next question on the same rows reads them again (~0.2 ms each through the validator)."""


class PersistentEngine:
    """An `IndexEngine` over one folder: the writer is opened once (and holds the lock until closed)."""

    def __init__(self, folder: str | os.PathLike[str]) -> None:
        self.folder = Path(folder)
        self._writer: PersistentIndexWriter | None = None

    def open_writer(self) -> PersistentIndexWriter:
        if self._writer is None:
            self._writer = PersistentIndexWriter(self.folder)
        return self._writer

    def open_reader(self) -> PersistentIndex:
        if not (self.folder / "facts.sqlite").exists():
            PersistentWriter(self.folder).close()  # an empty index, so that a reader can open it
        return PersistentIndex(self.folder)

    def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
            self._writer = None


class PersistentIndexWriter:
    """`IndexWriter`: events added and removed by id, committed at once (see `PersistentWriter`)."""

    def __init__(self, folder: Path) -> None:
        self._writer = PersistentWriter(folder)
        self._before: dict[str, int | None] = {}
        """Each id touched in this batch → its live docno before the batch (None: not live)."""
        self._pending: dict[str, int] = {}

    def close(self) -> None:
        self._writer.close()

    def _touch(self, event_id: str) -> None:
        if event_id not in self._before:
            live = self._writer.live_docnos(event_id=event_id)
            self._before[event_id] = live[-1] if live else None

    def add(self, event: Event, words: bytes | None = None) -> int:
        self._touch(event.id)
        docno = self._writer.add_event(event, file_of(event.path))
        self._pending[event.id] = docno
        return docno

    def remove(self, event_id: str) -> None:
        self._touch(event_id)
        for docno in self._writer.live_docnos(event_id=event_id):
            self._writer.drop(docno)
        self._pending.pop(event_id, None)

    def bulk_loading(self) -> contextlib.AbstractContextManager[None]:
        return contextlib.nullcontext()

    def commit(self) -> Changes:
        self._writer.commit()
        changes = Changes()
        for event_id, before in self._before.items():
            after = self._pending.get(event_id)
            if after is None and before is not None:
                if not self._writer.live_docnos(event_id=event_id):
                    changes.removed.add(event_id)
            elif after is not None and before is None:
                changes.added.add(event_id)
            elif after is not None and before is not None and after != before:
                changes.changed.add(event_id)
        self._before, self._pending = {}, {}
        return changes

    def prepare(self) -> None:
        self._writer.merge()


class _Live(Mapping[int, Indexed]):
    """Docno → event and persons of every live event, as `store.index.aggregates` reads them; each event is
    read from the facts when asked (an aggregate over a small answer asks for a few)."""

    def __init__(self, index: PersistentIndex, persons: dict[int, tuple[PersonKey, ...]]) -> None:
        self._index = index
        self._persons = persons

    def __getitem__(self, docno: int) -> Indexed:
        return Indexed(self._index._reader.event(docno), self._persons[docno])

    def __contains__(self, docno: object) -> bool:
        return docno in self._persons

    def __iter__(self) -> Iterator[int]:
        return iter(self._persons)

    def __len__(self) -> int:
        return len(self._persons)


class PersistentIndex:
    """`IndexReader` of the last commit when opened; `refresh()` follows the writer."""

    def __init__(self, folder: str | os.PathLike[str], *, without_stale: bool = False) -> None:
        """`without_stale`: a command's reader (`PersistentReader`)."""
        self._reader = PersistentReader(folder, without_stale=without_stale)
        self._facts: MentionFacts | None = None
        self._facts_lock = threading.Lock()
        self._close_when_built = False
        """Set by a `close` that came during a build: the build closes the reader when it ends."""
        """Held while the people are built (`_all`), while `refresh` moves the reader and while `close`
        closes it: what is built is of the reader's commit, two threads asking at once build once, and the
        connection is never closed under a build that reads it (sqlite3 then crashes the process)."""
        self._places: PlaceResolution | None = None
        self._keyed: dict[str, tuple[dict[int, Any], np.ndarray]] = {}
        """Per keyed order asked (`KEYED_SORTS`): every live document's key, and the order last made."""
        self._stored: StoredPeople | None = None
        """The people's tables kept beside the index for this generation (`people_tables`), once looked
        for (`_stored_looked`)."""
        self._stored_looked = False
        self.people_may_lag = False
        """Set by a store that follows another process's commits: with no people's tables of this
        generation, the latest older ones answer (`StoredPeople.as_of`) until the writer writes newer ones
        (`catch_up_people`), so that a follower never builds the people itself (~100 MB a process at
        100,000 events: ten serve sessions held ten copies). The people's answers then lag the events by
        the writer's wait for a quiet feed and its build of the tables (seconds)."""
        self._older: tuple[FileStamp, StoredPeople | None] | None = None
        """The people's file's stamp when last mapped as older tables, and those tables."""
        self._ids: dict[int, str] | None = None
        self._derived: Memo[Any, Any] = Memo()
        self._events: Memo[int, Event] = Memo(EVENTS_KEPT)
        """Events read lately, by docno: a docno names one version of an event for good, so they stay
        right across refreshes."""

    def close(self) -> None:
        """Now, or when a build of the people under way in another thread (`_all`, which reads the
        connection) ends: a dashboard quitting does not wait for seconds of Python."""
        if self._facts_lock.acquire(blocking=False):
            try:
                self._reader.close()
            finally:
                self._facts_lock.release()
        else:
            self._close_when_built = True

    @property
    def connection(self) -> sqlite3.Connection:
        """The reader's connection, for a store that reads the files' table of the commit it follows."""
        return self._reader.connection

    def noted(self, key: str) -> str | None:
        """A value of the index's `meta` (what its writer noted), or None."""
        row = self._reader.connection.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def refresh(self) -> bool:
        """Follow the writer's commits: the people, links and ids already built are brought up to date
        with what the commit added and removed (`MentionFacts.follow`), not built again; what is derived
        per generation is dropped, and the people's tables of the old generation are no longer read."""
        with self._facts_lock:
            return self._refresh()

    def _refresh(self) -> bool:
        before = self._reader.live_mask()
        changed = self._reader.refresh()
        if changed:
            added, removed = self._reader.changes_since(before)
            if self._facts is not None and not self._facts.follow(self._reader, added, removed):
                self._facts = None  # a stand-in under an older number: built again when next asked
            for docno in removed.tolist():
                self._events.pop(docno, None)
                for keys, _ in self._keyed.values():
                    keys.pop(docno, None)
                if self._ids is not None:
                    self._ids.pop(docno, None)
            self._stored, self._stored_looked = None, False
            self._derived.clear()
        return changed

    def changes_since(self, before: Mask) -> tuple[Docnos, Docnos]:
        """The documents added and removed since a live mask taken before a `refresh()`."""
        return self._reader.changes_since(before)

    @property
    def people_tables(self) -> StoredPeople | None:
        """The people's answers from their tables of this generation, when kept, or of an older one as of
        this one where the reader may lag (`stored_people`)."""
        return self.stored_people

    @property
    def people_built(self) -> bool:
        """Whether this reader holds the people (`MentionFacts`), or asks their tables."""
        return self._facts is not None

    @property
    def stored_people(self) -> StoredPeople | None:
        """The people's tables of this generation, when the process that reconciled the index kept them; a
        reader that may lag (`people_may_lag`) and has not built the people takes the latest older ones."""
        if not self._stored_looked:
            # Tables made with a stale file's last good version in, or without it, fit only readers that
            # see it so: with a stale file in the commit they are neither kept nor read.
            stored = None
            if not self._reader.any_stale:
                lagging = self.people_may_lag and self._facts is None  # (built people answer exactly)
                stored = (
                    self._latest_tables()
                    if lagging
                    else StoredPeople.open(self._reader.folder, self.generation)
                )
            self._stored, self._stored_looked = stored, True
        return self._stored

    @property
    def people_lag(self) -> bool:
        """Whether the people's answers are of an older generation than the events' (`people_may_lag`)."""
        stored = self._stored
        return stored is not None and stored.generation < self.generation

    def catch_up_people(self) -> bool:
        """Whether the people's answers moved on (the caller recounts what shows them): a follower on
        older tables takes newer ones once the writer has written them. Otherwise one `stat` of their
        file, cheap enough for every poll of the follower."""
        before = self._stored
        if before is None or not self.people_lag or self._older is None:
            return False
        if self._people_stamp() == self._older[0]:
            return False
        self._stored_looked = False
        stored = self.stored_people
        if stored is None or stored.generation <= before.generation:
            self._stored, self._stored_looked = before, True  # nothing newer that fits: as they were
            return False
        self._derived.clear()
        return True

    def stop_lagging(self) -> bool:
        """From now on this reader answers the people from its own (`_all`, built) or exact tables (it
        writes, and the writer's tables are made from them); whether its answers were lagging."""
        self.people_may_lag = False
        if not self.people_lag:
            return False
        self._stored, self._stored_looked = None, False
        self._derived.clear()
        return True

    def _people_stamp(self) -> FileStamp | None:
        return stamp_of(os.fspath(self._reader.folder / PEOPLE))

    def _latest_tables(self) -> StoredPeople | None:
        """The people's tables beside the index if of this generation or an older one (then `as_of`
        this one), mapped again only when their file changed."""
        stamp = self._people_stamp()
        if stamp is None:
            return None
        if self._older is None or self._older[0] != stamp:
            self._older = (stamp, StoredPeople.open(self._reader.folder, self.generation, older=True))
        tables = self._older[1]
        if tables is None or tables.generation > self.generation:
            return None
        if tables.generation == self.generation:
            return tables
        return tables.as_of(self._reader.live_mask())

    def keep_people(self) -> None:
        """Write the people's tables of this generation beside the index unless they are there (the
        writer's process, after a reconcile: building them costs what every later command saves)."""
        if self.people_may_lag:
            return  # a follower's tables would be made from older ones: the writer keeps them
        if self.stored_people is None and not self._reader.any_stale:
            # Not looked for again in this generation: an answer under way (which the interface's threads
            # ask without this thread's lock) reads the people or their tables, never both.
            write_people(self._reader.folder, self, self.generation, self._all.linked_from)

    @property
    def _all(self) -> MentionFacts:
        facts = self._facts
        if facts is None:
            with self._facts_lock:
                facts = self._facts
                if facts is None:
                    facts = self._facts = MentionFacts(self._reader, self.day_of)
                if self._close_when_built:
                    self._reader.close()
        return facts

    @property
    def live(self) -> Mapping[int, Indexed]:
        """Docno → event and persons, as `store.index.aggregates` reads them."""
        return _Live(self, self._all.persons)

    # -- DocumentReader -------------------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._reader)

    def empty_mask(self) -> Mask:
        return self._reader.empty_mask()

    def live_mask(self) -> Mask:
        return self._reader.live_mask()

    def docno(self, event_id: str) -> int | None:
        found = self._reader.docnos_of(event_id)
        return found[-1] if found else None

    def event_id(self, docno: int) -> str:
        ids = self._ids  # once: a refresh in another thread may drop the table meanwhile
        if ids is None:
            ids = self._ids = {}
        found = ids.get(docno)
        if found is None:
            found = ids[docno] = self._reader.ids_of([docno])[docno]
        return found

    def ids_of(self, docnos: Docnos) -> list[str]:
        """A page of rows' ids in one look-up (a command prints thousands: every id of the index is never
        read at once)."""
        wanted = docnos.tolist()
        known = self._ids if self._ids is not None else {}
        found = self._reader.ids_of([docno for docno in wanted if docno not in known])
        return [known[docno] if docno in known else found[docno] for docno in wanted]

    def event(self, docno: int) -> Event:
        if not (0 <= docno < self._reader.docno_limit and self._reader.live_mask()[docno]):
            raise KeyError(docno)
        found = self._events.get(docno)
        if found is None:
            found = self._events.remember(docno, self._reader.event(docno))
        return found

    def event_by_id(self, event_id: str) -> Event | None:
        docno = self.docno(event_id)
        return None if docno is None else self.event(docno)

    def event_ids(self) -> list[str]:
        return self.ids_of(np.flatnonzero(self._reader.live_mask()))

    # -- words, phrases, fields, dates ------------------------------------------------------------------------

    def word_mask(self, word: str, *, prefix: bool) -> Mask:
        return self._reader.word_mask(word, prefix=prefix)

    def phrase_mask(self, words: tuple[str, ...], within: Mask | None = None) -> Mask:
        """Exact everywhere: the positions answer it, no text is read."""
        return self._reader.phrase_mask(words)

    def unchecked_phrase(self, words: tuple[str, ...], within: Mask | None = None) -> list[int]:
        return []

    def check_phrase(self, words: tuple[str, ...], docnos: Iterable[int]) -> None:
        return None

    def field_keys(self, field: Field) -> Collection[Any]:
        if field == "people":
            return self.people.persons.keys()
        return self._reader.keys(field)

    def key_docnos(self, field: Field, key: Any) -> Docnos:
        if field == "people":
            person = self.people.persons.get(key)
            if person is None or not person.docnos:
                return np.empty(0, dtype=np.int64)
            return np.frombuffer(person.docnos, dtype=np.uint32).astype(np.int64)
        return np.flatnonzero(self._reader.key_mask(field, key)).astype(np.int64)

    def key_count(self, field: Field, key: Any) -> int:
        return len(self.key_docnos(field, key))

    def docnos_with_all(self, keys: Iterable[tuple[Field, Any]]) -> Docnos:
        found: Docnos | None = None
        for field, key in keys:
            docnos = self.key_docnos(field, key)
            found = docnos if found is None else np.intersect1d(found, docnos, assume_unique=True)
            if not len(found):
                break
        return np.empty(0, dtype=np.int64) if found is None else found.astype(np.int64)

    def keys_mask(self, field: Field, keys: Iterable[Any]) -> Mask:
        mask = self.empty_mask()
        for key in keys:
            if field == "people":
                mask[self.key_docnos(field, key)] = True
            else:
                mask |= self._reader.key_mask(field, key)
        return mask

    def date_mask(self, first: str, last: str) -> Mask:
        return self._reader.date_mask(first, last)

    def docnos_on(self, day: str) -> list[int]:
        """Bisected in the date order's days, made once per generation: a related list asks for a week of
        days, and comparing the whole order's days for each was a million comparisons per day.

        A month or a year sorts as its first day (`store.model.dates.first_day`), so only the events of a
        month's first day can be dated less than to the day: only those are read to tell."""
        order, days = self.derive("date order and its days", self._date_order_days)
        wanted = day_number(day)
        that_day = order[
            np.searchsorted(days, wanted, "left") : np.searchsorted(days, wanted, "right")
        ].tolist()
        if wanted % 100 != 1:
            return that_day
        return [docno for docno in that_day if len(self.event(docno).date) == 10]

    def _date_order_days(self) -> tuple[np.ndarray, np.ndarray]:
        order = self._reader.date_order()
        return order, self._reader.day_of(order)

    def day_of(self, docnos: np.ndarray) -> np.ndarray:
        return self._reader.day_of(docnos)

    # -- order and counts ---------------------------------------------------------------------------------------

    def ordered(self, sort: str, descending: bool) -> Docnos:
        if sort == "date":
            ascending = np.asarray(self._reader.date_order(), dtype=np.int64)
        elif sort == "arrival":
            ascending = np.flatnonzero(self._reader.live_mask()).astype(np.int64)
        else:
            ascending = self.derive(("order", sort), lambda: self._keyed_order(sort))
        return ascending[::-1] if descending else ascending

    def _keyed_order(self, sort: str) -> np.ndarray:
        """Live docnos by (`SORT_KEYS[sort]`, docno), from the stored keys (`PersistentReader.sort_keys`).
        The keys and the last order are kept across commits (a docno's key never changes), so after a
        commit only the documents it added are read and put in place, as the date order's are."""
        if sort not in KEYED_SORTS:
            raise KeyError(sort)
        live = self._reader.live_mask()
        kept = self._keyed.get(sort)
        if kept is not None:
            keys, before = kept
            added = [docno for docno in np.flatnonzero(live).tolist() if docno not in keys]
            if len(added) <= MERGED_AT_MOST:
                # Only the numbers whose key is still kept: a stand-in that came, went or changed keeps its
                # number live under a new key (its old key dropped by `_refresh`), so it is placed again.
                merged = [docno for docno in before[live[before]].tolist() if docno in keys]
                keys.update(self._reader.sort_keys(sort, added))
                for docno in added:
                    bisect.insort(merged, docno, key=lambda other: (keys[other], other))
                order = np.array(merged, dtype=np.int64)
                self._keyed[sort] = (keys, order)
                return order
        keys = self._reader.sort_keys(sort)
        order = np.array(sorted(keys, key=lambda docno: (keys[docno], docno)), dtype=np.int64)
        self._keyed[sort] = (keys, order)
        return order

    def key_counts(self, field: Field, mask: Mask | None = None) -> list[tuple[str, int]]:
        if field == "people":
            live = self.live_mask() if mask is None else self.live_mask() & _fit(mask, len(self.live_mask()))
            counts = {}
            for key, person in self.people.persons.items():
                docnos = np.frombuffer(person.docnos, dtype=np.uint32)
                count = int(live[docnos].sum()) if len(docnos) else 0
                if count:
                    counts[key] = count
            return ranked(counts)
        if mask is not None:
            mask = _fit(mask, self._reader.docno_limit)
        return ranked(self._reader.key_counts(field, mask))

    def participant_counts(self, mask: Mask | None = None) -> list[PersonCount]:
        if mask is not None:
            mask = _fit(mask, self._reader.docno_limit)
        stored = self.stored_people
        if stored is not None:
            return stored.participant_counts(mask, self._reader.live_mask())
        return aggregates.participant_counts(self, mask)  # type: ignore[arg-type]

    def sorted_days(self, mask: Mask | None = None) -> np.ndarray:
        order = np.asarray(self._reader.date_order(), dtype=np.int64)
        if mask is not None:
            order = order[_fit(mask, self._reader.docno_limit)[order]]
        return self._reader.day_of(order)

    # -- people and links ----------------------------------------------------------------------------------------

    @property
    def people(self) -> People:
        return self._all.people

    @property
    def resolution(self) -> PersonResolution:
        return self._all.resolution

    @property
    def place_resolution(self) -> PlaceResolution:
        places = self._places
        if places is None:
            places = self._places = PlaceResolution()  # of the strings alone: no people needed
        return places

    def persons_of(self, docno: int) -> tuple[PersonKey, ...]:
        return self._all.persons[docno]

    def links_to(self, event_id: str) -> Collection[str]:
        tables = self.stored_people
        if tables is not None:
            return tables.links_to(event_id)
        return self._all.linked_from.get(event_id, {}).keys()

    # -- Memo ------------------------------------------------------------------------------------------------------

    @property
    def generation(self) -> int:
        return self._reader.generation

    def derive(self, key: Any, build: Callable[[], Any]) -> Any:
        return self._derived.derive(self.generation, key, build)


def _fit(mask: Mask, length: int) -> Mask:
    """A mask made at another moment cut or padded to this reader's length."""
    if len(mask) == length:
        return mask
    fitted = np.zeros(length, dtype=bool)
    fitted[: min(length, len(mask))] = mask[:length]
    return fitted
