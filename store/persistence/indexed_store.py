"""The dashboard's store over the folder's persistent index: opened, not loaded.

`EventStore` keeps every file's events in memory and settles duplicate ids itself; this store keeps
nothing per file: the files' stamps, problems and claims are in the index (`store.index.persistent`), which
`FolderWriter` keeps settled as the store would settle them, and every question is answered by a
`PersistentIndex` reader refreshed after each commit. The process holds the writer's lock for as long as
the store is open, so a command on the same folder reads its last commit without walking the folder; a
second dashboard opens the same class without a writer and follows those commits (`follow`), taking the
writing over when the first one quits (`take_over`, driven by `store.persistence.commit_follower`).

Every update is one commit: the watcher's batch of paths, a reconcile's chunk of files. What a commit did
(`Changes`) is what the reader's live documents show before and after it: a document added is an event
added (or changed, when its id also lost a document), a document removed is an event removed. The ids of
documents removed are still in the index (`names`), so the batch is named without keeping anything.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import sys
import threading
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

import numpy as np
import orjson

from store.event_store import FIRST_CHUNK, EventStore, Progress, Walk, duplicate_problems, stale_problem
from store.files.event_files import (
    DEFAULT_MAX_BYTES,
    FileContents,
    is_event_file_name,
    read_event_file,
)
from store.files.folder_scan import FileStamp, stamp_of
from store.files.parallel_load import ChunkReader
from store.index.aggregates import resolved_persons
from store.index.persistent import IndexDamaged, PersistentWriter, WriterBusy
from store.index.persistent.engine import PersistentIndex
from store.index.persistent.folder import FolderWriter
from store.index.persistent.prepared import PreparedEvent, prepare_event
from store.index.persistent.storage import connect
from store.memory import release_free_memory
from store.model.changes import Changes
from store.model.event import Event
from store.model.problems import Problem
from store.persistence import folder_index
from store.persistence.folder_index import CHUNK, READING, RECONCILED, Reading
from store.query.filter_fields import person_vocabulary

PEOPLE_QUIET = 3.0
"""Seconds without a commit before the writer writes the people's tables of its last commit: a burst of
files costs one write (about a second at 100,000 events), not one a file.

The dashboards and serve sessions that follow this one answer the people from these tables, so they show
a commit's people this much later than its rows, plus the build."""

PEOPLE_LAG_MOST = 15.0
"""Seconds of a feed that never goes quiet after which the tables are written anyway, so that a follower's
people never fall further behind than this (and a build)."""


PEOPLE_AFTER_OPEN = 1.0
"""Seconds between a reopen's load and the people's build behind the panes (`IndexedStore.prepare`)."""


BUILD_SWITCH_INTERVAL = 0.0005
"""Seconds a thread holds the interpreter before another that waits for it is let in, while the people are
built in a thread (`sys.setswitchinterval`; Python's default is 0.005). The build is seconds of pure
Python; a related list beside it gives the interpreter up at each SQLite read and numpy call, and waited
up to the whole interval to get it back each time: 0.6-1.3 s a list at 100,000 events during the build,
0.2-0.4 s at this interval (20-50 ms with no build)."""

_sharing = threading.Lock()
_sharers = [0, 0.005]
"""How many builds share the interpreter now, and the interval to restore when the last one ends."""


@contextlib.contextmanager
def sharing_the_interpreter() -> Iterator[None]:
    """`BUILD_SWITCH_INTERVAL` while the block runs (in any number of threads at once)."""
    with _sharing:
        if not _sharers[0]:
            _sharers[1] = sys.getswitchinterval()
            sys.setswitchinterval(min(BUILD_SWITCH_INTERVAL, _sharers[1]))
        _sharers[0] += 1
    try:
        yield
    finally:
        with _sharing:
            _sharers[0] -= 1
            if not _sharers[0]:
                sys.setswitchinterval(_sharers[1])


class IndexedStore(EventStore):
    """A watched folder's events kept in its persistent index, file by file, by this process (its writer) or
    by another one that this store follows."""

    def __init__(
        self,
        root: str | os.PathLike[str],
        writer: PersistentWriter | None,
        *,
        location: Path | None = None,
        follow_symlinks: bool = False,
        max_bytes: int = DEFAULT_MAX_BYTES,
    ) -> None:
        """`writer`: this process writes the index; None: another process does, and this store follows its
        commits (`follow`, `take_over`) at `location`."""
        folder = writer.folder if writer is not None else location
        assert folder is not None
        self.location = folder
        self._writer = writer
        self._files = FolderWriter(writer) if writer is not None else None
        self._reading = Reading(follow_symlinks, max_bytes)
        super().__init__(
            root, follow_symlinks=follow_symlinks, max_bytes=max_bytes, reader=PersistentIndex(folder)
        )
        self.indexed: PersistentIndex = self.index  # type: ignore[assignment]
        # Until the people are built here (a follower never builds them), the people's tables beside the
        # index answer, of this commit or an older one: the load's commits never wait for a build.
        self.indexed.people_may_lag = True
        self._walks = connect(folder, create=False)
        """The walks' own connection to the index: a walk reads every file's stamp (0.1–0.2 s at 100,000
        files) without the store's lock, so the interface's questions do not wait for it."""
        self._walk_lock = threading.Lock()
        self._building = threading.Lock()
        """Held by `prepare` while it builds the people from the reader, and by every move of the reader."""
        self.closed = False
        """Set by `close`: an update still under way in a worker (the app quitting) then does nothing."""
        self._committed = threading.Event()
        """Set by every commit of this writer, for the thread that keeps the people's tables
        (`_keep_people_when_quiet`, started at the first commit after `prepare`)."""
        self._keeper: threading.Thread | None = None
        self._stopped = threading.Event()
        """Set by `close`, for the threads that wait to build or keep the people."""
        self._prepared = False
        """Set by `prepare`, after the load: the tables are kept from then on, not during the load's chunks."""
        self._build_under_way = False
        """Set from when a thread to build the people is started (`prepare`) until the build is in."""
        self._people_settled = False
        """Set when such a build ended, until `background_changes` reports it."""

    def close(self) -> None:
        """Let another process write the index (the lock goes with the process anyway); the connections
        and the lock's descriptor are given back, which a process opening many stores (the tests) needs."""
        with self.lock:
            if not self.closed:
                self.closed = True
                self._stopped.set()
                self._committed.set()  # the keeper's thread wakes and ends
                with self._walk_lock:
                    self._walks.close()
                with self._building:  # people's tables being written finish before the writer's lock goes
                    self.indexed.close()
                    if self._writer is not None:
                        self._writer.close()

    # -- following another process's commits ------------------------------------------------------------------

    @property
    def following(self) -> bool:
        """Another process writes the index: this store shows its commits (`follow`) and writes nothing."""
        return self._writer is None

    def follow(self) -> Changes:
        """The writer's commits since the last look, as one `Changes` (nothing when there were none)."""
        with self.lock:
            if self.closed:
                return Changes()
            before = self.indexed.live_mask().copy()
            if not self._refresh():
                return Changes(people_changed=self.indexed.catch_up_people())
            changes = self._changes_since(before, problems_moved=True)
            changes.people_changed = self.indexed.catch_up_people()
            return changes

    @property
    def people_behind(self) -> bool:
        return self.indexed.people_lag

    def take_over(self) -> bool:
        """Become the index's writer if its writer has gone (its lock is free): then the caller reconciles
        with the folder, which nobody watched meanwhile, and watches it."""
        with self.lock:
            if self.closed or self._writer is not None:
                return False
            try:
                writer = PersistentWriter(self.location)
            except (WriterBusy, IndexDamaged):
                return False
            self._writer, self._files = writer, FolderWriter(writer)
            self._refresh()
            return True

    @property
    def _writing(self) -> tuple[PersistentWriter, FolderWriter]:
        assert self._writer is not None and self._files is not None, "a following store writes nothing"
        return self._writer, self._files

    @property
    def _db(self) -> sqlite3.Connection:
        """The connection that reads the files' table: the writer's own, or a follower's reader's."""
        return self._writer.connection if self._writer is not None else self.indexed.connection

    # -- updates ---------------------------------------------------------------------------------------------

    def load(self, progress: Progress | None = None, *, chunk: int = CHUNK) -> Changes:
        """The index's last commit is shown already: bring it up to date with the folder, chunk by chunk
        (each chunk one commit), and report every event shown as added, as a load would."""
        if progress and len(self.index):
            progress(0, 1)  # the last commit, on screen before the walk (seconds at 1,000,000 files)
        if self.following:
            self.follow()
        else:
            with self.lock:
                writer, _ = self._writing
                everything = writer.noted(READING) != self._reading.noted()
                if everything:  # read with other --max-bytes / --follow-symlinks: every file read again
                    writer.note(READING, self._reading.noted())
            self._reconcile("", progress, chunk, everything=everything, first=True)
        # What a load reports: every event now shown, as added (the ids read after the walk, which then
        # has the interpreter to itself: 0.1 s alone at 100,000 events, several times that beside the
        # first paints).
        # Without the store's lock (no watcher commits yet): the interface's questions do not wait for it.
        try:
            shown = set() if self.closed else set(self.index.event_ids())
        except sqlite3.ProgrammingError:
            shown = set()  # closed meanwhile (the app quit during its load)
        return Changes(added=shown, problems_changed=True)

    def load_stamped(
        self, stamps: dict[str, FileStamp | None], progress: Progress | None = None, *, chunk: int = CHUNK
    ) -> Changes:
        paths = sorted(stamps, reverse=True)
        present = [rel for rel in paths if os.path.lexists(os.path.join(self.root, rel))]
        gone = sorted(set(paths).difference(present))
        return self._read_in_chunks(present, progress, chunk, gone=gone)

    def upsert(self, path: str | os.PathLike[str]) -> Changes:
        rel = self.relative(path)
        with self.lock:
            if self.closed or self.following:
                return self.follow()
            self._put(rel)
            return self._commit()

    def remove(self, path: str | os.PathLike[str]) -> Changes:
        rel = self.relative(path)
        with self.lock:
            if self.closed or self.following:
                return self.follow()
            writer, files = self._writing
            if writer.file_record(rel) is None:
                return Changes()
            files.remove_file(rel)
            return self._commit()

    def apply_paths(self, paths: Iterable[str | os.PathLike[str]]) -> Changes:
        """The watcher's batch in one commit: each path looked at on disk (a file, a folder, or gone)."""
        changes = Changes()
        with self.lock:
            if self.closed or self.following:
                return self.follow()
            for rel in dict.fromkeys(self.relative(path) for path in paths):
                full = os.path.join(self.root, rel)
                if os.path.isdir(full):
                    changes.merge(self._reconcile(rel))
                    if is_event_file_name(os.path.basename(rel)):
                        self._put(rel)  # a folder named `x.json`: reported as such
                elif is_event_file_name(os.path.basename(rel)) and os.path.lexists(full):
                    if self._inside_root(full):
                        self._put(rel)
                else:
                    for known in self._known_under(rel):
                        self._writing[1].remove_file(known)
            changes.merge(self._commit())
        return changes

    def reconcile(self) -> Changes:
        if self.following:
            return self.follow()
        if self.indexed.people_may_lag and not self._build_under_way:  # a follower that took the writing over
            self._build_people_behind()  # its own people from now on, while the older tables answer
        return self._reconcile("")

    def background_changes(self) -> Changes:
        with self.lock:
            settled, self._people_settled = self._people_settled, False
        return Changes(people_changed=settled)

    def walk(self, folder: str = "") -> Walk:
        """The files under `folder` that differ from the index (new, changed or gone), found by the
        reconcile walk's comparison of stamps; nothing is held per file."""
        prefix = "" if folder in ("", ".") else folder.rstrip(os.sep) + os.sep
        found, gone, _ = self._differing(prefix)
        return prefix, [*found, *gone], set()

    def _differing(
        self, prefix: str, *, everything: bool = False
    ) -> tuple[list[str], list[str], folder_index.Walked | None]:
        """The files below `prefix` that are new or changed (`everything`: every file there), the files the
        index knows there that are gone, and the walk of the whole folder when it should be kept beside the
        index (the stamps file did not answer): one walk, compared with the stamps the index holds."""
        walked = folder_index.walk(os.path.join(self.root, prefix), self._reading)
        if prefix:
            walked = walked.within(prefix)
        with self._walk_lock:
            if self.closed or self.following:
                return [], [], None
            known, from_file = folder_index.kept_walk(self.location, self._walks)
        if prefix:
            known = known.under(prefix)
        rows, gone = folder_index.compare(walked, known)
        found = walked.paths if everything else [walked.path(row) for row in rows]
        keep = not prefix and (found or gone or not from_file)
        return found, gone, walked if keep else None

    def differences(self, walk: Walk) -> list[str]:
        return walk[1]

    def reconcile_with(self, walk: Walk) -> Changes:
        return self.apply_paths(self.differences(walk))

    def forget_stale(self) -> Changes:
        with self.lock:
            if self.closed or self.following:
                return Changes()
            writer, files = self._writing
            for rel in self._stale_files():  # as read now: no events, its problems (every claim settled)
                record = writer.file_record(rel)
                problems = [Problem(*problem) for problem in record[0]] if record else []
                files.put_file(rel, self._stamp_of(rel), [], problems)
            return self._commit()

    def prepare(self) -> None:
        """The people, their resolution and what the first related list and `p:` filter read, built
        without the store's lock (seconds at 100,000 events: the interface keeps answering from the index
        meanwhile); commits wait for it (`_building`), so what is built is never of an older commit.

        With the people's tables of this commit beside the index (a reopen of a folder that did not
        change, or changed only where the walk found it), the first answers come from those, so the
        panes do not wait: the people are then built behind them, for the commits to come. With tables of
        an older commit only (the folder changed while no dashboard was open), those answer as of this
        commit until the people are built (`PersistentIndex.people_may_lag`; the panes say "catching up"),
        and the watcher reports the build's end (`background_changes`) so that the panes are counted
        again."""
        self._prepared = True
        if self.indexed.people_tables is None:  # none of any commit: the people are the first answer
            self.indexed.stop_lagging()
            self._build_people()
        elif self.following:
            return  # the writer's tables answer, of its last commit or, until it writes those, an older one
        elif self.indexed.people_lag:
            self._build_people_behind()
        else:
            self._build_under_way = True
            threading.Thread(target=self._build_people_soon, name="people", daemon=True).start()

    def _build_people_behind(self) -> None:
        """Build the people in a thread while older tables answer; `background_changes` tells the end."""
        self._build_under_way = True
        threading.Thread(target=self._build_people, name="people", daemon=True).start()

    def _build_people_soon(self) -> None:
        """Once the first panes are painted (`PEOPLE_AFTER_OPEN`), so that the build's Python does not
        share the interpreter with them; a commit meanwhile builds them at once, when a question needs them."""
        if not self._stopped.wait(PEOPLE_AFTER_OPEN):
            self._build_people()

    def _build_people(self) -> None:
        """In three steps, so that the interface's questions, which read the people under the store's lock,
        never meet the resolution changing under them: the people built from the stored mentions (seconds;
        an object no question sees until it is whole); the resolution brought up to date under the store's
        lock, as a question would; then, with no commit meanwhile (commits wait for `_building`), the tables
        written from a resolution that nothing changes until the next commit."""
        if self.closed:
            return
        try:
            with sharing_the_interpreter():
                self.indexed.people  # noqa: B018 - built, off every lock but the reader's own
            with self.lock, self._building:  # in the order a commit takes them
                if self.closed:
                    return
                self.indexed.resolution.refresh()
                if self.indexed.stop_lagging():
                    self._people_settled = True  # the panes showed older tables: `background_changes`
                self._build_under_way = False
                resolved_persons(self.indexed)
                person_vocabulary(self.indexed)
                generation = self.indexed.generation
            if self._writer is None:
                return
            with self._building:
                # A command run while this dashboard writes reads its last commit: with the people's tables
                # of that commit beside it, a word or `participants` builds no people (seconds).
                if not self.closed and self.indexed.generation == generation:
                    try:
                        self.indexed.keep_people()
                    except OSError:
                        pass  # a full or read-only cache folder: the tables save time, they answer nothing new
        except sqlite3.ProgrammingError:
            if not self.closed:
                raise  # else the app quit meanwhile: nothing to build for

    def _keep_people_when_quiet(self) -> None:
        """The keeper's thread: after each burst of commits, once no commit came for `PEOPLE_QUIET`
        seconds, the people's tables of the last commit written beside the index (about a second of
        Python at 100,000 events, off the interface's thread), so that a command, a follower and the next
        reopen answer people without building them; during a feed that never goes quiet, every
        `PEOPLE_LAG_MOST` seconds."""
        while not self.closed:
            self._committed.wait()
            deadline = time.monotonic() + PEOPLE_LAG_MOST
            while not self.closed:
                left = deadline - time.monotonic()
                if left <= 0 or not self._committed.wait(min(PEOPLE_QUIET, left)):
                    break  # quiet, or behind for long enough
                self._committed.clear()
            if self.closed:
                return  # woken by `close`: nothing to keep, and the reader is closed
            self._build_people()

    def _refresh(self) -> bool:
        """The reader moved to the last commit; never while `prepare` builds from the one before."""
        with self._building:
            return self.indexed.refresh()

    def _reconcile(
        self,
        folder: str,
        progress: Progress | None = None,
        chunk: int = CHUNK,
        *,
        everything: bool = False,
        first: bool = False,
    ) -> Changes:
        """The files that differ from the index read again (`everything`: every file there is), and the
        files gone forgotten."""
        prefix = "" if folder in ("", ".") else folder.rstrip(os.sep) + os.sep
        found, gone, walked = self._differing(prefix, everything=everything)
        changes = self._read_in_chunks(sorted(found, reverse=True), progress, chunk, gone=gone)
        # A bulk read leaves a segment per chunk: one merge (seconds) after it, not at every open.
        if len(found) > chunk:
            with self.lock:
                if not self.closed:
                    self._writing[0].merge()
                    self._refresh()
        with self.lock:
            if self.closed:
                return changes
            writer = self._writing[0]
            if first and writer.noted(RECONCILED) is None:  # the index is whole: a follower may show it
                writer.note(RECONCILED, "yes")
                changes.merge(self._commit())  # (a first reconcile found no stamps file: `walked` is set)
            if walked is not None:
                # The next reopen (or a command) compares its walk with these stamps in one numpy call,
                # without reading the files table (100,000 rows).
                folder_index.keep_walk(writer, walked)
        return changes

    def _read_in_chunks(
        self, present: list[str], progress: Progress | None, chunk: int, *, gone: Iterable[str] = ()
    ) -> Changes:
        """Files read on every core, a chunk at a time, each chunk one commit (a kill loses one chunk),
        after the files `gone` are forgotten in a commit of their own."""
        changes = Changes()
        gone = sorted(gone)
        if gone:
            with self.lock:
                if self.closed:
                    return changes
                for rel in gone:
                    self._writing[1].remove_file(rel)
                changes.merge(self._commit())
        # A small first chunk, as the in-memory load has: rows on screen within a fraction of a second.
        bounds = [0, *range(min(FIRST_CHUNK, len(present)), len(present), chunk), len(present)]
        chunks = [present[start:end] for start, end in zip(bounds, bounds[1:], strict=False) if end > start]
        done = 0
        for files in ChunkReader(self.root, chunks, self.max_bytes, prepare_event):
            with self.lock:
                if self.closed:
                    break
                self._writing[1].look_ahead([(rel, contents.events) for rel, contents, _ in files])
                for rel, contents, prepared in files:
                    self._put(rel, contents, prepared)
                changes.merge(self._commit())
            done += len(files)
            release_free_memory()
            if progress:
                progress(done, len(present))
        return changes

    def _put(
        self, rel: str, contents: FileContents | None = None, prepared: list[PreparedEvent] | None = None
    ) -> None:
        """What one file says now, through the claims' settling (caller holds the lock)."""
        full = os.path.join(self.root, rel)
        writer, files = self._writing
        stamp = (contents.stamp if contents else None) or stamp_of(full)
        if stamp is None:
            if writer.file_record(rel) is not None:
                files.remove_file(rel)
            return
        if contents is None:
            contents = read_event_file(full, rel, self.max_bytes)
        files.put_file(
            rel, stamp, contents.events, contents.problems, prepared, unreadable=contents.unreadable
        )

    def _commit(self) -> Changes:
        """Commit what is pending and say what it did (caller holds the lock)."""
        writer, files = self._writing
        before = self.indexed.live_mask().copy()
        problems_moved = writer.problems_pending() or files.hidden_moved
        files.hidden_moved = False
        files.commit()
        self._refresh()
        self._committed.set()
        if self._prepared and self._keeper is None:
            self._keeper = threading.Thread(target=self._keep_people_when_quiet, name="people", daemon=True)
            self._keeper.start()
        return self._changes_since(before, problems_moved)

    def _changes_since(self, before: np.ndarray, problems_moved: bool) -> Changes:
        """What the live documents show changed since the mask `before` (the reader refreshed since)."""
        added, removed = self.indexed.changes_since(before)
        added_ids = set(self.indexed.ids_of(added))
        removed_ids = set(self.indexed.ids_of(removed))
        return Changes(
            added=added_ids - removed_ids,
            changed=added_ids & removed_ids,
            removed=removed_ids - added_ids,
            problems_changed=problems_moved,
        )

    def _known_under(self, rel: str) -> list[str]:
        """The file `rel` if the index knows it, and every file it knows below `rel` (a folder gone)."""
        prefix = rel.rstrip(os.sep) + os.sep
        rows = self._db.execute(
            "SELECT path FROM files WHERE path = ? OR substr(path, 1, ?) = ?", (rel, len(prefix), prefix)
        ).fetchall()
        return [row[0] for row in rows]

    def _stamp_of(self, rel: str) -> FileStamp:
        row = self._db.execute(
            "SELECT size, mtime_ns, ctime_ns, inode FROM files WHERE path = ?", (rel,)
        ).fetchone()
        return FileStamp(*row)

    def _stale_files(self) -> list[str]:
        rows = self._db.execute("SELECT path FROM files WHERE stale ORDER BY path").fetchall()
        return [row[0] for row in rows]

    def get(self, event_id: str) -> Event | None:
        """Without the lock when it can: a commit deletes a changed event's old facts before the reader,
        refreshed under the lock, stops pointing at them, so a miss is asked again under the lock."""
        try:
            found = self.index.event_by_id(event_id)
        except KeyError:
            found = None
        if found is None:
            with self.lock:
                if self.closed:
                    return None
                return self.index.event_by_id(event_id)
        return found

    # -- what the files say --------------------------------------------------------------------------------

    def problems(self) -> list[Problem]:
        """As `EventStore.problems`: each file's problems by path, then the stale files, then both sides of
        every duplicate id."""
        with self.lock:
            if self.closed:
                return []
            connection = self._db
            flagged = connection.execute(
                "SELECT path, problems, stale FROM files WHERE problems != ? OR stale ORDER BY path",
                (orjson.dumps([]),),
            ).fetchall()
            found = [Problem(*problem) for _, problems, _ in flagged for problem in orjson.loads(problems)]
            found += [stale_problem(rel) for rel, _, stale in flagged if stale]
            contested = [row[0] for row in connection.execute("SELECT DISTINCT id FROM hidden ORDER BY id")]
            for event_id in contested:
                claimants = [
                    row[0]
                    for table in ("events", "hidden")
                    for row in connection.execute(f"SELECT path FROM {table} WHERE id = ?", (event_id,))
                ]
                found += duplicate_problems(event_id, sorted(claimants))  # claim order: by path
        return found

    def stale_ids(self) -> set[str]:
        with self.lock:
            if self.closed:
                return set()
            connection = self._db
            stale = "(SELECT path FROM files WHERE stale)"
            return {
                row[0]
                for query in (
                    f"SELECT id FROM events WHERE file IN {stale}",
                    f"SELECT id FROM hidden WHERE file IN {stale}",
                )
                for row in connection.execute(query)
            }
