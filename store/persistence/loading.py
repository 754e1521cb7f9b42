"""Open a folder the fast way: the dashboard's store over the folder's persistent index when this process
can write it, else the in-memory store from the cache when it can be trusted, with the collector paused
(`store.memory`)."""

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
from store.persistence.cache import CacheRefused, restore_cache, save_cache
from store.persistence.folder_index import RECONCILED, index_location
from store.persistence.indexed_store import IndexedStore


def cache_enabled(no_cache_flag: bool = False) -> bool:
    """Off with `--no-cache` or `COMMUNIQUE_NO_CACHE=1`."""
    return not no_cache_flag and os.environ.get("COMMUNIQUE_NO_CACHE", "") in ("", "0")


def warn_on_stderr(message: str) -> None:
    print(f"communique: warning: {message}", file=sys.stderr)


def index_enabled() -> bool:
    """On unless `COMMUNIQUE_INDEX=0`: the in-memory store and its cache stay for that and `--no-cache`."""
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
    it quits); else the in-memory one (`--no-cache`, `COMMUNIQUE_INDEX=0`, a cache folder that cannot be
    trusted, an index still being built by another process). A damaged or foreign index is rebuilt, said
    in one `warn` line."""

    def in_memory() -> EventStore:
        return EventStore(root, follow_symlinks=follow_symlinks, max_bytes=max_bytes)

    if not (use_cache and index_enabled()):
        return in_memory()
    try:
        location = index_location(root)
    except CacheRefused as refusal:
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


def load_folder(
    store: EventStore,
    *,
    use_cache: bool = True,
    progress: Progress | None = None,
    warn: Callable[[str], None] = warn_on_stderr,
    prepare: bool = True,
) -> Changes:
    """Fill an empty store from its folder, through the cache when allowed; returns what was loaded.

    A cache that cannot be trusted (`CacheRefused`) costs one `warn` line, and this load goes without it.
    `prepare` builds the dashboard's first answers now (`EventStore.prepare`: seconds at 100,000 events); a
    command asks one question, which builds only what it reads. A store over the persistent index shows
    its last commit already: its load is the reconcile walk, and no cache is read or written."""
    if isinstance(store, IndexedStore):
        with collector_paused(freeze=True):
            changes = store.load(progress)
            if prepare:
                store.prepare()
            release_free_memory()
        return changes
    with collector_paused(freeze=True):
        try:
            restored = use_cache and restore_cache(store)
        except CacheRefused as refusal:
            warn(str(refusal))
            use_cache = restored = False
        except OSError:
            restored = False  # an unreadable cache costs speed, never this run
        if restored:
            changed_since = store.reconcile()
            changes = Changes(added=set(store.event_ids()), problems_changed=True)
            if progress:
                progress(1, 1)
        else:
            changes = store.load(progress)
        if prepare:
            store.prepare()
        release_free_memory()
    # Writing 100,000 events costs seconds: only when the cache was missing or the folder changed.
    if use_cache and (not restored or changed_since):
        try:
            save_cache(store)
        except CacheRefused as refusal:
            warn(str(refusal))
        except OSError:
            pass  # a read-only or full cache folder costs speed next time, never this run
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
