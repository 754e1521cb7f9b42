"""The index cache: reopening a folder re-reads only the files whose size or mtime changed.

The whole store (files, claims, index) is pickled under `$XDG_CACHE_HOME/communique/` (default
`~/.cache/communique/`), one file per watched folder, named by a hash of its absolute path. A header names
the format version, the Python version and the folder, and carries a SHA-256 of the payload: a cache that is
truncated, corrupt, written by another version or for another folder is discarded and rebuilt, never
unpickled. The cache lives in the user's own cache folder, as trusted as their home.

Writes are atomic (temporary file, then rename), so a crash mid-write leaves the old cache or none.
"""

from __future__ import annotations

import gc
import hashlib
import os
import pickle
import sys
import tempfile
from pathlib import Path

import orjson

from store.event_store import EventStore

FORMAT_VERSION = 9
"""Bump whenever the pickled classes change shape: old caches are then rebuilt, not misread."""
MAGIC = b"communique-cache\n"


def cache_folder() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "communique"


def cache_file(root: str) -> Path:
    digest = hashlib.sha256(os.path.abspath(root).encode("utf-8", "surrogateescape")).hexdigest()[:24]
    return cache_folder() / f"{digest}.cache"


def _header(root: str) -> dict[str, object]:
    return {"format": FORMAT_VERSION, "python": sys.version_info[:2], "root": os.path.abspath(root)}


def save_cache(store: EventStore, path: Path | None = None) -> Path:
    path = path or cache_file(store.root)
    with store.lock:
        payload = pickle.dumps(
            (store.files, store.claims, store.index, store.folders), protocol=pickle.HIGHEST_PROTOCOL
        )
    header = orjson.dumps({**_header(store.root), "sha256": hashlib.sha256(payload).hexdigest()})
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(MAGIC + header + b"\n")
            out.write(payload)
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise
    return path


def restore_cache(store: EventStore, path: Path | None = None) -> bool:
    """Fill an empty store from its cache; False (and the cache deleted) when it cannot be trusted."""
    path = path or cache_file(store.root)
    try:
        data = path.read_bytes()
    except OSError:
        return False
    try:
        if not data.startswith(MAGIC):
            raise ValueError("not a cache file")
        end = data.index(b"\n", len(MAGIC))
        header = orjson.loads(data[len(MAGIC) : end])
        payload = memoryview(data)[end + 1 :]
        expected = {**_header(store.root), "python": list(sys.version_info[:2])}
        if {key: header.get(key) for key in expected} != expected:
            raise ValueError("written by another version or for another folder")
        if hashlib.sha256(payload).hexdigest() != header.get("sha256"):
            raise ValueError("checksum mismatch")
        frozen = gc.isenabled()
        gc.disable()
        try:
            files, claims, index, folders = pickle.loads(payload)
        finally:
            if frozen:
                gc.enable()
    except Exception:
        path.unlink(missing_ok=True)
        return False
    with store.lock:
        store.files, store.claims, store.index, store.folders = files, claims, index, folders
    return True
