"""Open a folder the fast way: from the cache when it can be trusted, with the collector paused
(`store.memory`)."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable

from store.event_store import EventStore, Progress
from store.memory import collector_paused, release_free_memory
from store.model.changes import Changes
from store.persistence.cache import CacheRefused, restore_cache, save_cache


def cache_enabled(no_cache_flag: bool = False) -> bool:
    """Off with `--no-cache` or `COMMUNIQUE_NO_CACHE=1`."""
    return not no_cache_flag and os.environ.get("COMMUNIQUE_NO_CACHE", "") in ("", "0")


def warn_on_stderr(message: str) -> None:
    print(f"communique: warning: {message}", file=sys.stderr)


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
    command asks one question, which builds only what it reads."""
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
