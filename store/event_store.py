"""The store: a watched folder's events, kept equal to the folder file by file.

It owns which file contributed which events, settles duplicate ids (every claimant is reported, the claim
from the path that sorts first wins, so the winner does not depend on load order), keeps a file's last good
events when it turns unreadable (flagged stale, its problem listed), and reports each update as `Changes`.
Reads and writes take one lock: the watcher applies batches from its own thread while the interface queries
from its own, and no reader ever sees half an update.
"""

from __future__ import annotations

import os
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import cast, overload

import numpy as np

from store.entities.cross_references import Relation, related_events
from store.files.event_files import (
    DEFAULT_MAX_BYTES,
    FileContents,
    file_of,
    is_event_file_name,
    read_event_file,
    shown_path,
)
from store.files.folder_scan import FileStamp, scan_folder, stamp_of, walk_folder
from store.files.parallel_load import ChunkReader
from store.index.aggregates import resolved_persons
from store.index.engines import memory_index
from store.index.protocol import SORT_KEYS, Index, IndexReader, PersonCount
from store.memory import release_free_memory
from store.model.changes import Changes
from store.model.event import Event
from store.model.problems import Problem
from store.model.validate import share_values
from store.query.filter_eval import FilterPlan, matching_mask, plan_filter, unchecked_phrases
from store.query.filter_fields import person_vocabulary
from store.query.filter_syntax import FilterError

__all__ = [
    "SORT_KEYS",
    "EventIds",
    "EventStore",
    "FileEntry",
    "PersonCount",
    "QueryResult",
    "open_store",
]

FIRST_CHUNK = 250
Progress = Callable[[int, int], None]
"""Called as (files done, files in all) during a bulk load."""


Walk = tuple[str, list[str], set[int]]
"""What `EventStore.walk` found: the folder walked (as a path prefix), files new or changed, and ids of the
entries seen unchanged."""


@dataclass(slots=True)
class FileEntry:
    """What one file contributes. Tuples, not lists: a load keeps 100,000 of these, and an empty tuple is
    shared while an empty list costs 56 bytes."""

    stamp: FileStamp | None
    events: tuple[Event, ...] = ()
    problems: tuple[Problem, ...] = ()
    stale: bool = False
    """The file is unreadable now; `events` are its last good version, still shown."""


class EventStore:
    def __init__(
        self,
        root: str | os.PathLike[str],
        *,
        follow_symlinks: bool = False,
        max_bytes: int = DEFAULT_MAX_BYTES,
        reader: IndexReader | None = None,
    ) -> None:
        """With `reader` (an index opened elsewhere, kept up to date by whoever writes it: the folder's
        persistent index), the store answers questions from it and must not be loaded or updated."""
        self.root = os.path.abspath(root)
        self.follow_symlinks = follow_symlinks
        self.max_bytes = max_bytes
        self.lock = threading.RLock()
        self.files: dict[str, FileEntry] = {}
        self.claims: dict[str, tuple[Event, ...]] = {}
        """Event id → every event with that id, ordered by path: the first is the one shown."""
        self.index: Index = memory_index() if reader is None else cast(Index, reader)
        """The index engine (`store.index.protocol`): written only here, under the lock; read by others
        through `reading()` and the questions below, never through an engine's own tables."""
        self.folders: Counter[str] = Counter()
        """Folder (relative) → files known below it: tells a vanished folder from a vanished stray file."""
        self.flagged: set[str] = set()
        """Files with problems or stale: what `problems` lists with `contested`, both kept as files come and
        go so that listing problems never walks every file (a second at 1,000,000 files)."""
        self.contested: set[str] = set()
        """Ids claimed by several files."""

    @property
    def following(self) -> bool:
        """Whether another process writes what this store shows (a second dashboard on an indexed folder):
        then it is told of changes by following that one's commits, not by watching the folder."""
        return False

    @property
    def people_behind(self) -> bool:
        """Whether the people's answers are of an earlier commit than the events' (a following store, until
        the writer has written its last commit's people's tables): never here."""
        return False

    def background_changes(self) -> Changes:
        """What changed outside any update since the last call (a build of the people behind older
        answers ended: `IndexedStore.prepare`), for the watcher to report with its batches: nothing here."""
        return Changes()

    def close(self) -> None:
        """Give back what the store holds open: nothing here (the store over the persistent index has
        connections and the writer's lock)."""

    # -- reading the folder --------------------------------------------------------------------------------

    def relative(self, path: str | os.PathLike[str]) -> str:
        full = os.path.abspath(os.path.join(self.root, path))
        return os.path.relpath(full, self.root)

    def _read(self, rel: str, stamp: FileStamp | None) -> FileEntry:
        return _entry(read_event_file(os.path.join(self.root, rel), rel, self.max_bytes), stamp)

    def load(self, progress: Progress | None = None, *, chunk: int = 2_000) -> Changes:
        """Read every event file under the folder (a bulk version of `upsert`). Call once, on an empty store."""
        stamps = scan_folder(self.root, follow_symlinks=self.follow_symlinks, stat=False)
        return self.load_stamped(stamps, progress, chunk=chunk)

    def load_stamped(
        self,
        stamps: dict[str, FileStamp | None],
        progress: Progress | None = None,
        *,
        chunk: int = 2_000,
    ) -> Changes:
        """Read the given files in chunks, taking the lock per chunk so that readers get a turn."""
        changes = Changes(problems_changed=True)
        # Reverse path order: folders named by year or date put the newest events on screen first.
        paths = sorted(stamps, reverse=True)
        total = len(paths)
        # A small first chunk, so that an interface has rows to show within a fraction of a second.
        bounds = [0, *range(min(FIRST_CHUNK, total), total, chunk), total]
        chunks = [paths[start:end] for start, end in zip(bounds, bounds[1:], strict=False)]
        done = 0
        for files in ChunkReader(self.root, chunks, self.max_bytes):
            with self.lock, self.index.bulk_loading():
                for rel, contents, words in files:
                    entry = _entry(contents, stamps[rel])
                    if words is not None:
                        for event in entry.events:
                            share_values(event)
                    if self._add_new_file(rel, entry, words, changes):
                        continue
                    found = dict(zip(map(id, entry.events), words, strict=True)) if words is not None else {}
                    changes.merge(self._replace_file(rel, entry, found))
                self.index.commit()
            done += len(files)
            release_free_memory()
            if progress:
                progress(done, total)
        return changes

    def _add_new_file(self, rel: str, entry: FileEntry, words: list[bytes] | None, changes: Changes) -> bool:
        """`_replace_file` for the common case of a load, without its bookkeeping (~15 µs a file): a file
        not seen before whose events claim ids no one else has. False, doing nothing, in any other case."""
        events = entry.events
        ids = {event.id for event in events}
        if rel in self.files or len(ids) != len(events) or changes.removed:
            return False
        if any(event_id in self.claims for event_id in ids):  # (set.isdisjoint(dict) would walk the dict)
            return False
        entry.stale = False  # an unreadable new file has no last good version to keep
        self.files[rel] = entry
        if entry.problems:
            self.flagged.add(rel)
        self._count_folders(rel, +1)
        for number, event in enumerate(events):
            self.claims[event.id] = (event,)
            self.index.add(event, words[number] if words is not None else None)
        changes.added |= ids
        return True

    # -- file-by-file updates ------------------------------------------------------------------------------

    def upsert(self, path: str | os.PathLike[str]) -> Changes:
        """Re-read one file and change only what it contributed."""
        rel = self.relative(path)
        stamp = stamp_of(os.path.join(self.root, rel))
        if stamp is None:
            return self.remove(rel)
        entry = self._read(rel, stamp)
        with self.lock:
            changes = self._replace_file(rel, entry)
            self.index.commit()
            return changes

    def remove(self, path: str | os.PathLike[str]) -> Changes:
        """Forget everything one file contributed."""
        rel = self.relative(path)
        with self.lock:
            if rel not in self.files:
                return Changes()
            changes = self._replace_file(rel, None)
            self.index.commit()
            return changes

    def apply_paths(self, paths: Iterable[str | os.PathLike[str]]) -> Changes:
        """Bring the given paths (files or folders, present or gone) up to date: what the watcher calls."""
        changes = Changes()
        for path in dict.fromkeys(self.relative(p) for p in paths):
            full = os.path.join(self.root, path)
            if os.path.isdir(full):
                changes.merge(self._reconcile_under(path))
                if is_event_file_name(os.path.basename(path)):
                    changes.merge(self.upsert(path))  # a folder named `x.json`: reported as such
            elif is_event_file_name(os.path.basename(path)) and os.path.lexists(full):
                if self._inside_root(full):
                    changes.merge(self.upsert(path))
            else:
                changes.merge(self.remove(path))
                if self.folders.get(path):
                    changes.merge(self._forget_under(path))
        return changes

    def _inside_root(self, full: str) -> bool:
        if self.follow_symlinks:
            return True
        real = os.path.realpath(full)
        root = os.path.realpath(self.root)
        return real == root or real.startswith(root.rstrip(os.sep) + os.sep)

    def _forget_under(self, folder: str) -> Changes:
        """A folder vanished (deleted or moved away): its files went with it."""
        prefix = folder.rstrip(os.sep) + os.sep
        changes = Changes()
        for rel in [rel for rel in self.files if rel.startswith(prefix)]:
            changes.merge(self.remove(rel))
        return changes

    def _reconcile_under(self, folder: str) -> Changes:
        return self.reconcile_with(self.walk(folder))

    def reconcile(self) -> Changes:
        """Compare the whole folder with the store (size and mtime) and fix every difference.

        The watcher can miss events (kernel queue overflow, a re-created root, unwatched new folders), so the
        monitor calls this after bursts and on a slow timer; it costs one walk of the folder when nothing changed.
        """
        return self.reconcile_with(self.walk())

    def walk(self, folder: str = "") -> Walk:
        """Compare the folder (or one folder below it) with the store file by file (no lock: safe in any
        thread, each lookup atomic under the GIL): the files new or changed, and which entries were seen
        unchanged. Nothing is held per file but a number in a set (listing every file first took ~25 MB at
        100,000 files)."""
        prefix = "" if folder in ("", ".") else folder.rstrip(os.sep) + os.sep
        files = self.files
        changed: list[str] = []
        seen: set[int] = set()
        for rel, stamp in walk_folder(os.path.join(self.root, folder), follow_symlinks=self.follow_symlinks):
            entry = files.get(prefix + rel)
            if entry is None or entry.stamp != stamp:
                changed.append(prefix + rel)
            else:
                seen.add(id(entry))
        return prefix, changed, seen

    def reconcile_with(self, walk: Walk) -> Changes:
        """`reconcile` from a walk taken earlier, perhaps in another thread while changes were applied.

        Each difference is looked at again on disk rather than taken from the walk: the walk may be older
        than changes applied since and must not undo them (a file created after it is not "gone"; an entry
        replaced meanwhile is simply looked at again)."""
        return self.apply_paths(self.differences(walk))

    def differences(self, walk: Walk) -> list[str]:
        """The files a walk says may differ from the store: to be looked at again (see `reconcile_with`)."""
        prefix, changed, seen = walk
        with self.lock:
            unseen = [
                rel for rel, entry in self.files.items() if rel.startswith(prefix) and id(entry) not in seen
            ]
        return [*unseen, *changed]  # a changed file is in both: looked at once

    def _replace_file(
        self, rel: str, entry: FileEntry | None, words_found: dict[int, bytes] | None = None
    ) -> Changes:
        """Swap one file's contribution for a new one (None: the file is gone). Caller holds the lock.

        `words_found`: id(event) → its words, space-joined, for the entry's events whose words a load
        worker already found (`store.files.parallel_load`), so that the index need not find them again."""
        old = self.files.get(rel)
        changes = Changes()
        if entry is not None and entry.stale and old is not None and old.events:
            entry.events = old.events  # keep the last good version on screen until it is fixed or deleted
        elif entry is not None and entry.stale:
            entry.stale = False  # nothing good to keep: it is just a bad file
        old_problems = old.problems if old else ()
        if entry is None:
            self.files.pop(rel, None)
            self._count_folders(rel, -1)
        else:
            if old is None:
                self._count_folders(rel, +1)
            self.files[rel] = entry
        if entry is not None and (entry.problems or entry.stale):
            self.flagged.add(rel)
        else:
            self.flagged.discard(rel)
        new_problems = entry.problems if entry else ()
        changes.problems_changed = old_problems != new_problems or bool(
            old and entry and old.stale != entry.stale
        )
        old_events = {event.id: event for event in old.events} if old else {}
        new_events = {event.id: event for event in entry.events} if entry else {}
        touched = {event_id for event_id, event in old_events.items() if new_events.get(event_id) != event}
        touched.update(
            event_id for event_id, event in new_events.items() if old_events.get(event_id) != event
        )
        contested_before = {event_id for event_id in touched if len(self.claims.get(event_id, ())) > 1}
        for event_id in touched & old_events.keys():
            self._unclaim(event_id, rel)
        for event_id in touched & new_events.keys():
            self._claim(new_events[event_id])
        for event_id in touched:
            if event_id in contested_before or len(self.claims.get(event_id, ())) > 1:
                changes.problems_changed = True
            self._settle(event_id, changes, words_found or {})
        return changes

    def _count_folders(self, rel: str, step: int) -> None:
        folder = os.path.dirname(rel)
        while folder:
            self.folders[folder] += step
            if self.folders[folder] <= 0:
                del self.folders[folder]
            folder = os.path.dirname(folder)

    def _claim(self, event: Event) -> None:
        claimants = self.claims.get(event.id)
        if claimants is None:
            self.claims[event.id] = (event,)
        else:
            self.claims[event.id] = claim_order((*claimants, event))
            self.contested.add(event.id)

    def _unclaim(self, event_id: str, rel: str) -> None:
        shown = shown_path(rel)  # as the file's events name it
        claimants = tuple(event for event in self.claims.get(event_id, ()) if file_of(event.path) != shown)
        if claimants:
            self.claims[event_id] = claimants
        else:
            self.claims.pop(event_id, None)
        if len(claimants) < 2:
            self.contested.discard(event_id)

    def _settle(self, event_id: str, changes: Changes, words_found: dict[int, bytes]) -> None:
        """Make the index show the winning claimant of event_id, and record what that changed."""
        claimants = self.claims.get(event_id)
        winner = claimants[0] if claimants else None
        shown = self.index.event_by_id(event_id)
        if shown == winner:
            return
        if shown is not None:
            self.index.remove(event_id)
        if winner is None:
            changes.removed.add(event_id)
            return
        self.index.add(winner, words_found.get(id(winner)))
        (changes.changed if shown is not None else changes.added).add(event_id)

    # -- questions -----------------------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self.index)

    def get(self, event_id: str) -> Event | None:
        """Without the lock, so that painting a row never waits for a load chunk or a batch of updates that
        holds it. Two dictionary lookups, each atomic under
        the GIL: a change racing with them gives the old event, the new one or None, never a broken one."""
        return self.index.event_by_id(event_id)

    def event_ids(self) -> list[str]:
        """Every event id shown, in the order the events reached the store."""
        with self.lock:
            return self.index.event_ids()

    @contextmanager
    def reading(self) -> Iterator[IndexReader]:
        """The index's reader, for questions the store does not ask itself (the timeline, the alerts): one
        state of the index for as long as the block lasts (the lock is held; keep it short)."""
        with self.lock:
            yield self.index

    def prepare(self) -> None:
        """Build what the first query would otherwise build (after a load, off the interface's path)."""
        with self.lock:
            self.index.prepare()
            # What the first related list (each resolved person's events) and the first participant filter
            # (`p:hadj`: every word of every spelling) derive: a third of a second at 100,000 events, on
            # the interface's thread when the cursor first moves, unless built here.
            resolved_persons(self.index)
            person_vocabulary(self.index)

    def problems(self) -> list[Problem]:
        """Every problem, file by file, including both sides of every duplicate id."""
        with self.lock:
            flagged = sorted(self.flagged)
            found = [problem for rel in flagged for problem in self.files[rel].problems]
            found += [stale_problem(rel) for rel in flagged if self.files[rel].stale]
            for event_id in sorted(self.contested):
                found += duplicate_problems(event_id, [claimant.path for claimant in self.claims[event_id]])
        return found

    def query(
        self, text: str | FilterPlan = "", *, sort: str = "date", descending: bool = True
    ) -> QueryResult:
        """Events matching a filter (its text, or its plan), in display order. Raises FilterError for a
        malformed filter."""
        plan = plan_filter(text) if isinstance(text, str) else text
        self._check_phrases(plan)
        with self.lock:
            mask = matching_mask(self.index, plan)
            ordered = self.index.ordered(sort, descending)
            if mask is not None:
                ordered = ordered[mask[ordered]]
            ids = EventIds(ordered, self.index)
        return QueryResult(ids, mask, plan.highlight)

    def unchecked_phrase_texts(self, text: str) -> int:
        """How many event texts a filter's phrases still need to be looked for in (0 for a malformed
        filter): what tells the dashboard to answer it off the interface thread."""
        try:
            plan = plan_filter(text)
        except FilterError:
            return 0
        if not plan.phrases:
            return 0  # most filters: asked at every keystroke, on the interface thread, without the lock
        with self.lock:
            return sum(len(todo) for _, todo in unchecked_phrases(self.index, plan))

    def _check_phrases(self, plan: FilterPlan) -> None:
        """Look for the query's phrases in the texts that need it, holding the lock only to list them: a
        phrase of common words reads tens of thousands of texts, and the watcher and the panes need the lock
        meanwhile. Events never change under a docno, so a verdict found without the lock stays true."""
        if not plan.phrases:
            return
        with self.lock:
            unchecked = unchecked_phrases(self.index, plan)
        for words, todo in unchecked:
            self.index.check_phrase(words, todo)

    def participants(self, result: QueryResult | None = None) -> list[PersonCount]:
        with self.lock:
            return self.index.participant_counts(result.mask if result else None)

    def topics(self, result: QueryResult | None = None) -> list[tuple[str, int]]:
        with self.lock:
            return self.index.key_counts("topics", result.mask if result else None)

    def organizations(self, result: QueryResult | None = None) -> list[tuple[str, int]]:
        with self.lock:
            return self.index.key_counts("organizations", result.mask if result else None)

    def related(self, event_id: str) -> list[Relation]:
        """Related events, best first. Raises KeyError for an unknown id."""
        with self.lock:
            return related_events(self.index, event_id)

    def forget_stale(self) -> Changes:
        """Drop the last good versions kept for files that turned unreadable, as a load of the folder would
        never have had them (a store that watched the folder has them; a fresh load never does)."""
        with self.lock:
            changes = Changes()
            for rel in [rel for rel in self.flagged if self.files[rel].stale]:
                entry = self.files[rel]
                changes.merge(self._replace_file(rel, FileEntry(entry.stamp, (), entry.problems)))
            self.index.commit()
            return changes

    def problem_files(self) -> set[str]:
        return {file_of(problem.path) for problem in self.problems()}

    def stale_ids(self) -> set[str]:
        with self.lock:
            files = self.files
            return {event.id for rel in self.flagged if files[rel].stale for event in files[rel].events}


def stale_problem(rel: str) -> Problem:
    """The line a stale file adds to the problems (whichever store keeps its last good version)."""
    return Problem(shown_path(rel), "showing its last good version until it is fixed or deleted")


def duplicate_problems(event_id: str, claimant_paths: Sequence[str]) -> list[Problem]:
    """Both sides of a duplicate id, one line per claimant; `claimant_paths` in claim order (the shown
    one first)."""
    winner = claimant_paths[0]
    found = []
    for number, claimant in enumerate(claimant_paths):
        others = ", ".join(other for at, other in enumerate(claimant_paths) if at != number)
        verdict = "shown" if claimant == winner else f"hidden; showing {winner}"
        found.append(Problem(claimant, f"duplicate id {event_id!r} (also in {others}): {verdict}"))
    return found


def claim_order(claimants: Iterable[Event]) -> tuple[Event, ...]:
    """Events claiming one id, the shown one first: ordered by path."""
    return tuple(sorted(claimants, key=lambda claimant: claimant.path))


def _entry(contents: FileContents, stamp: FileStamp | None) -> FileEntry:
    return FileEntry(
        stamp or contents.stamp, tuple(contents.events), tuple(contents.problems), stale=contents.unreadable
    )


def open_store(root: str | os.PathLike[str], **options: object) -> EventStore:
    """A loaded store for a folder (no cache): the command line's one-shot way in."""
    if not Path(root).is_dir():
        raise FileNotFoundError(f"{root}: no such folder")
    store = EventStore(root, **options)  # type: ignore[arg-type]
    store.load()
    return store


class EventIds(Sequence[str]):
    """The ids of an answer, in order, read lazily: the meetings pane asks only for the rows it shows,
    so an answer of 100,000 events costs one array, not 100,000 strings."""

    def __init__(self, docnos: np.ndarray, reader: IndexReader) -> None:
        self.docnos = docnos
        self._reader = reader

    def __len__(self) -> int:
        return len(self.docnos)

    @overload
    def __getitem__(self, position: int) -> str: ...

    @overload
    def __getitem__(self, position: slice) -> list[str]: ...

    def __getitem__(self, position: int | slice) -> str | list[str]:
        if isinstance(position, slice):
            return self._reader.ids_of(self.docnos[position])
        return self._reader.event_id(int(self.docnos[position]))

    def index(self, event_id: object, start: int = 0, stop: int | None = None) -> int:
        docno = self._reader.docno(event_id) if isinstance(event_id, str) else None
        if docno is not None:
            found = np.flatnonzero(self.docnos[start:stop] == docno)
            if len(found):
                return start + int(found[0])
        raise ValueError(f"{event_id!r} is not in the answer")

    def __eq__(self, other: object) -> bool:
        if isinstance(other, (EventIds, list, tuple)):
            return list(self) == list(other)
        return NotImplemented

    def __repr__(self) -> str:
        return f"EventIds({list(self[:5])}{'…' if len(self) > 5 else ''}, {len(self)} in all)"


@dataclass(slots=True)
class QueryResult:
    """A snapshot answer: ids in display order. Later updates do not change it; ask again for fresh ones."""

    ids: EventIds
    mask: np.ndarray | None
    """Which documents match (None: all), for aggregates over the same answer."""
    highlight: list[str]
    """Folded words to highlight in what is shown."""
