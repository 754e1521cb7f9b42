"""Open a folder the fast way: the dashboard's store over the folder's persistent index when this process
can write it or follow its writer, else the in-memory store, loaded from the files (every one, every time:
it keeps nothing on disk), with the collector paused (`store.memory`)."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path

from store.event_store import EventStore, Progress
from store.files.event_files import DEFAULT_MAX_BYTES
from store.index.persistent import IndexDamaged, PersistentWriter, WriterBusy
from store.memory import collector_paused, release_free_memory
from store.model.changes import Changes
from store.persistence.folder_index import RECONCILED, index_location
from store.persistence.indexed_store import IndexedStore
from store.persistence.trusted_folder import FolderRefused


def cache_enabled(no_cache_flag: bool = False) -> bool:
    """Off with `--no-cache` or `COMMUNIQUE_NO_CACHE=1`: the folder is then loaded in memory, file by file,
    instead of through its persistent index (the name is the option's, from when the in-memory store had a
    cache of its own)."""
    return not no_cache_flag and os.environ.get("COMMUNIQUE_NO_CACHE", "") in ("", "0")


def warn_on_stderr(message: str) -> None:
    print(f"communique: warning: {message}", file=sys.stderr)


def index_enabled() -> bool:
    """On unless `COMMUNIQUE_INDEX=0`: the dashboard then loads the folder in memory, as with `--no-cache`."""
    return os.environ.get("COMMUNIQUE_INDEX", "") in ("", "1")


def dashboard_store(
    root: str | os.PathLike[str],
    *,
    use_cache: bool = True,
    follow_symlinks: bool = False,
    max_bytes: int = DEFAULT_MAX_BYTES,
    warn: Callable[[str], None] = warn_on_stderr,
) -> EventStore:
    """The store a dashboard watches the folder with: over the folder's persistent index when this process
    can hold its writer's lock (opened at once: its last commit is shown before the folder is walked); when
    another dashboard writes it, a store that follows that one's commits (and takes the writing over when
    it quits); else the in-memory one (`--no-cache`, `COMMUNIQUE_INDEX=0`, an index folder that cannot be
    trusted, an index still being built by another process). A damaged or foreign index is rebuilt, said
    in one `warn` line."""

    def in_memory() -> EventStore:
        return EventStore(root, follow_symlinks=follow_symlinks, max_bytes=max_bytes)

    if not (use_cache and index_enabled()):
        return in_memory()
    try:
        location = index_location(root)
    except FolderRefused as refusal:
        warn(str(refusal))
        return in_memory()
    rebuild = False
    while True:
        writer = None
        try:
            writer = PersistentWriter(location, rebuild=rebuild)
            return IndexedStore(root, writer, follow_symlinks=follow_symlinks, max_bytes=max_bytes)
        except WriterBusy:
            following = _following(root, location, follow_symlinks, max_bytes)
            return following or in_memory()
        except IndexDamaged as damage:
            if writer is not None:
                writer.close()
            if rebuild:
                raise
            warn(f"the index of {root} is unusable ({damage}); rebuilding it")
            rebuild = True


def load_folder(store: EventStore, *, progress: Progress | None = None, prepare: bool = True) -> Changes:
    """Fill an empty store from its folder; returns what was loaded.

    `prepare` builds the dashboard's first answers now (`EventStore.prepare`: seconds at 100,000 events); a
    command asks one question, which builds only what it reads. A store over the persistent index shows
    its last commit already: its load is the reconcile walk. The in-memory store reads every file."""
    with collector_paused(freeze=True):
        changes = store.load(progress)
        if prepare:
            store.prepare()
        release_free_memory()
    return changes


def _following(
    root: str | os.PathLike[str], location: Path, follow_symlinks: bool, max_bytes: int
) -> IndexedStore | None:
    """A store on another dashboard's commits; None while that dashboard's first reconcile is under way
    (an index of part of the folder would look whole) or when its index cannot be read."""
    try:
        store = IndexedStore(
            root, None, location=location, follow_symlinks=follow_symlinks, max_bytes=max_bytes
        )
    except IndexDamaged:
        return None
    if store.indexed.noted(RECONCILED) is None:
        store.close()
        return None
    return store
