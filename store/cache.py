"""The index cache: reopening a folder re-reads only the files whose size or mtime changed.

The whole store (`store.cache_payload`) is pickled under `$XDG_CACHE_HOME/communique/` (default
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
import sys
import tempfile
from pathlib import Path
from typing import IO

import orjson

from store.cache_payload import read_store, write_store
from store.event_store import EventStore

FORMAT_VERSION = 15
"""Bump whenever the pickled classes change shape: old caches are then rebuilt, not misread."""
MAGIC = b"communique-cache\n"


def cache_folder() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "communique"


def cache_file(root: str) -> Path:
    digest = hashlib.sha256(os.path.abspath(root).encode("utf-8", "surrogateescape")).hexdigest()[:24]
    return cache_folder() / f"{digest}.cache"


def _header_line(root: str, sha256: str) -> bytes:
    """The header's line; always the same length for a folder, since a SHA-256 is 64 hex digits."""
    folder = os.fsencode(os.path.abspath(root)).decode("utf-8", "backslashreplace")  # JSON-safe, any bytes
    header = {"format": FORMAT_VERSION, "python": sys.version_info[:2], "root": folder}
    return orjson.dumps({**header, "sha256": sha256}) + b"\n"


class _HashingWriter:
    """A file that hashes what goes through it, so the payload is streamed to disk rather than held whole
    in memory (as large as the store itself: the first launch on 100,000 events peaked ~200 MB higher)."""

    def __init__(self, out: IO[bytes]) -> None:
        self.out = out
        self.digest = hashlib.sha256()

    def write(self, data: bytes) -> int:
        self.digest.update(data)
        return self.out.write(data)


def save_cache(store: EventStore, path: Path | None = None) -> Path:
    path = path or cache_file(store.root)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(MAGIC + _header_line(store.root, "0" * 64))  # the real digest is known at the end
            payload = _HashingWriter(out)
            # The lock is held while the payload is written, so that it is one state of the store: readers
            # that need the whole store wait, while `EventStore.get`, which paints rows, does not take it.
            with store.lock:
                write_store(store, payload)  # type: ignore[arg-type]
            out.seek(len(MAGIC))
            out.write(_header_line(store.root, payload.digest.hexdigest()))
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise
    return path


def _sha256_from(handle: IO[bytes]) -> str:
    """The digest of the rest of the file, read from where the handle stands."""
    digest = hashlib.sha256()
    while block := handle.read(1 << 20):
        digest.update(block)
    return digest.hexdigest()


def restore_cache(store: EventStore, path: Path | None = None) -> bool:
    """Fill an empty store from its cache; False (and the cache deleted) when it cannot be trusted.

    The payload is hashed as it is read, then unpickled from the file: never held whole in memory."""
    path = path or cache_file(store.root)
    try:
        handle = open(path, "rb")
    except OSError:
        return False
    try:
        with handle:
            if handle.read(len(MAGIC)) != MAGIC:
                raise ValueError("not a cache file")
            expected_line = _header_line(store.root, "0" * 64)
            header = orjson.loads(handle.readline(len(expected_line)))
            expected = orjson.loads(expected_line)
            del expected["sha256"]
            if {key: header.get(key) for key in expected} != expected:
                raise ValueError("written by another version or for another folder")
            payload_at = handle.tell()
            if _sha256_from(handle) != header.get("sha256"):
                raise ValueError("checksum mismatch")
            handle.seek(payload_at)
            frozen = gc.isenabled()
            gc.disable()
            try:
                attributes = read_store(handle)
            finally:
                if frozen:
                    gc.enable()
    except Exception:
        path.unlink(missing_ok=True)
        return False
    with store.lock:
        for name, value in attributes.items():
            setattr(store, name, value)
    return True
