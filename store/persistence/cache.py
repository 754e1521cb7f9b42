"""The index cache: reopening a folder re-reads only the files whose size or mtime changed.

The whole store (`store.persistence.cache_payload`) is pickled under `$XDG_CACHE_HOME/communique/` (default
`~/.cache/communique/`; a relative `XDG_CACHE_HOME` is ignored, as the XDG specification asks), one file per
watched folder, named by a hash of its absolute path. A header names the format version, the shape of the
pickled classes (`cache_payload.layout_fingerprint`), the Python version and the folder, and carries an
HMAC-SHA256 of the payload under a key of the user's (`mac.key`, 32 random bytes made on first use): a cache that is truncated, corrupt, forged, written by another version or for
another folder is discarded and rebuilt, never unpickled.

Unpickling runs code, so this module never reads from a place another user can write: the folder is made
0700 and every file 0600, and a folder, cache file or key that belongs to another user or that group or
others may write is refused (`CacheRefused`: the caller says so in one line and works without the cache).
A cache path that is a FIFO, a device or a link is refused too, after an `lstat` and a non-blocking open, so
that no command ever waits on it.

Writes are atomic (temporary file, then rename), so a crash mid-write leaves the old cache or none; the
temporary file of a write that was killed is removed at the next start (a writer holds a lock on its own, so
a write under way in another process is left alone).
"""

from __future__ import annotations

import fcntl
import hashlib
import hmac
import os
import secrets
import stat
import sys
import tempfile
from pathlib import Path
from typing import IO

import orjson

from store.config import xdg_folder
from store.event_store import EventStore
from store.memory import collector_paused
from store.persistence.cache_payload import layout_fingerprint, read_store, write_store

FORMAT_VERSION = 18
"""Bump when what the payload means changes while its shape does not (a change of shape, a class's fields
or the index's attributes, is caught by `layout_fingerprint` without a bump): old caches are then rebuilt,
not misread."""
MAGIC = b"communique-cache\n"
KEY_NAME = "mac.key"
"""The MAC key's file in the cache folder: without it, a forged cache cannot carry a valid header."""
KEY_BYTES = 32
TEMPORARY_PREFIX = ".tmp-"
"""The names of cache files being written: anything so named and not locked is a leftover."""
_NOT_OTHERS = stat.S_IWGRP | stat.S_IWOTH
_NOT_BLOCKING = os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW | os.O_CLOEXEC


class CacheRefused(Exception):
    """The cache folder, file or key cannot be trusted; the message is one line for the user."""


def cache_folder() -> Path:
    return xdg_folder("XDG_CACHE_HOME", ".cache")


def cache_file(root: str) -> Path:
    digest = hashlib.sha256(os.path.abspath(root).encode("utf-8", "surrogateescape")).hexdigest()[:24]
    return cache_folder() / f"{digest}.cache"


def _check_owner(path: Path, status: os.stat_result, forbidden: int = _NOT_OTHERS) -> None:
    """Refuse what another user owns or may write (`forbidden`: the mode bits that must be clear)."""
    if status.st_uid != os.getuid():
        raise CacheRefused(f"{path}: belongs to another user; working without the cache")
    if status.st_mode & forbidden:
        raise CacheRefused(f"{path}: other users may write it; working without the cache")


def trusted_folder(folder: Path | None = None) -> Path:
    """The cache folder, made 0700 when missing, with the leftovers of interrupted writes removed; raises
    CacheRefused when it is not a folder of the user's that only they may write."""
    folder = folder or cache_folder()
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        folder.mkdir(mode=0o700)
        os.chmod(folder, 0o700)  # mkdir's mode goes through the umask
    except FileExistsError:
        pass
    except OSError as error:
        raise CacheRefused(
            f"{folder}: cannot be made ({error.strerror}); working without the cache"
        ) from None
    status = os.stat(folder)
    if not stat.S_ISDIR(status.st_mode):
        raise CacheRefused(f"{folder}: not a folder; working without the cache")
    _check_owner(folder, status)
    _remove_leftovers(folder)
    return folder


def _remove_leftovers(folder: Path) -> None:
    """Delete the temporary files of writes that were interrupted: those no writer holds locked."""
    with os.scandir(folder) as entries:
        leftovers = [entry for entry in entries if entry.name.startswith(TEMPORARY_PREFIX)]
    for entry in leftovers:
        try:
            if not entry.is_file(follow_symlinks=False):
                os.unlink(entry.path)
                continue
            handle = os.open(entry.path, _NOT_BLOCKING)
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                continue  # another process is writing it right now
            else:
                os.unlink(entry.path)
            finally:
                os.close(handle)
        except OSError:
            continue


def _open_checked(path: Path, forbidden: int = _NOT_OTHERS) -> int | None:
    """A descriptor on `path`, a regular file of the user's that others may not write; None when it is
    missing. Never blocks: a FIFO or a device is refused before it is opened for good."""
    try:
        before = os.lstat(path)
    except FileNotFoundError:
        return None
    if not stat.S_ISREG(before.st_mode):
        raise CacheRefused(f"{path}: not a regular file; working without the cache")
    try:
        handle = os.open(path, _NOT_BLOCKING)
    except FileNotFoundError:
        return None
    except OSError as error:
        raise CacheRefused(
            f"{path}: cannot be opened ({error.strerror}); working without the cache"
        ) from None
    try:
        status = os.fstat(handle)
        if not stat.S_ISREG(status.st_mode) or (status.st_dev, status.st_ino) != (
            before.st_dev,
            before.st_ino,
        ):
            raise CacheRefused(f"{path}: not a regular file; working without the cache")
        _check_owner(path, status, forbidden)
    except BaseException:
        os.close(handle)
        raise
    return handle


def mac_key(folder: Path) -> bytes:
    """The user's MAC key, made on first use: a 0600 file of theirs that nobody else may read or write."""
    path = folder / KEY_NAME
    handle = _open_checked(path, forbidden=stat.S_IRWXG | stat.S_IRWXO)
    if handle is None:
        made, temporary = tempfile.mkstemp(dir=folder, prefix=TEMPORARY_PREFIX)  # 0600
        try:
            with os.fdopen(made, "wb") as out:
                fcntl.flock(out.fileno(), fcntl.LOCK_EX)  # not a leftover for another process's sweep
                out.write(secrets.token_bytes(KEY_BYTES))
                out.flush()
                os.link(temporary, path)  # fails when another process made its key first: that one is used
        except FileExistsError:
            pass
        except OSError as error:
            raise CacheRefused(
                f"{path}: cannot be made ({error.strerror}); working without the cache"
            ) from None
        finally:
            Path(temporary).unlink(missing_ok=True)
        handle = _open_checked(path, forbidden=stat.S_IRWXG | stat.S_IRWXO)
        if handle is None:
            raise CacheRefused(f"{path}: vanished while it was made; working without the cache")
    with os.fdopen(handle, "rb") as key_file:
        key = key_file.read(KEY_BYTES + 1)
    if len(key) != KEY_BYTES:
        raise CacheRefused(f"{path}: not a key of {KEY_BYTES} bytes; delete it to start afresh")
    return key


def _header_line(root: str, mac: str) -> bytes:
    """The header's line; always the same length for a folder, since an HMAC-SHA256 is 64 hex digits."""
    folder = os.fsencode(os.path.abspath(root)).decode("utf-8", "backslashreplace")  # JSON-safe, any bytes
    header = {
        "format": FORMAT_VERSION,
        "layout": layout_fingerprint(),
        "python": sys.version_info[:2],
        "root": folder,
    }
    return orjson.dumps({**header, "mac": mac}) + b"\n"


class _MacWriter:
    """A file that authenticates what goes through it, so the payload is streamed to disk rather than held
    whole in memory (as large as the store itself: the first launch on 100,000 events peaked ~200 MB higher)."""

    def __init__(self, out: IO[bytes], key: bytes) -> None:
        self.out = out
        self.mac = hmac.new(key, digestmod=hashlib.sha256)

    def write(self, data: bytes) -> int:
        self.mac.update(data)
        return self.out.write(data)


def save_cache(store: EventStore, path: Path | None = None) -> Path:
    """Write the store's cache (0600, atomically); raises CacheRefused when its folder cannot be trusted or
    its path is taken by something other than a regular file."""
    path = path or cache_file(store.root)
    key = mac_key(trusted_folder(path.parent))
    existing = _open_checked(path)  # refuses a FIFO, a device, a link or another user's file in its place
    if existing is not None:
        os.close(existing)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=TEMPORARY_PREFIX)  # made 0600
    try:
        with os.fdopen(handle, "wb") as out:
            fcntl.flock(out.fileno(), fcntl.LOCK_EX)  # tells `_remove_leftovers` this write is alive
            out.write(MAGIC + _header_line(store.root, "0" * 64))  # the real MAC is known at the end
            payload = _MacWriter(out, key)
            with store.held_state() as state:  # one state of the store, never a mix
                write_store(state, payload)  # type: ignore[arg-type]
            out.seek(len(MAGIC))
            out.write(_header_line(store.root, payload.mac.hexdigest()))
            out.flush()
            os.replace(temporary, path)  # still locked: a leftover sweep cannot take it first
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path


def _mac_of_rest(handle: IO[bytes], key: bytes) -> str:
    """The MAC of the rest of the file, read from where the handle stands."""
    mac = hmac.new(key, digestmod=hashlib.sha256)
    while block := handle.read(1 << 20):
        mac.update(block)
    return mac.hexdigest()


def restore_cache(store: EventStore, path: Path | None = None) -> bool:
    """Fill an empty store from its cache; False (and the cache deleted) when it is missing or cannot be
    trusted; raises CacheRefused when its folder, its file or the key is not the user's alone.

    The payload is authenticated as it is read, then unpickled from the file: never held whole in memory."""
    path = path or cache_file(store.root)
    key = mac_key(trusted_folder(path.parent))
    descriptor = _open_checked(path)
    if descriptor is None:
        return False
    try:
        with os.fdopen(descriptor, "rb") as handle:
            if handle.read(len(MAGIC)) != MAGIC:
                raise ValueError("not a cache file")
            expected_line = _header_line(store.root, "0" * 64)
            header = orjson.loads(handle.readline(len(expected_line)))
            expected = orjson.loads(expected_line)
            del expected["mac"]
            if {name: header.get(name) for name in expected} != expected:
                raise ValueError("written by another version or for another folder")
            payload_at = handle.tell()
            if not hmac.compare_digest(_mac_of_rest(handle, key), str(header.get("mac"))):
                raise ValueError("not authenticated by the user's key")
            handle.seek(payload_at)
            with collector_paused():
                state = read_store(handle)
    except Exception:
        path.unlink(missing_ok=True)
        return False
    store.restore(state)
    return True
