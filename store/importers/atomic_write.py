"""Write a file so that a watcher never sees it half-written, and not at all when nothing changed.

The dashboard watches the folder an import writes into: a file written in place could be read while half
full and shown as a broken event. So the bytes go to a temporary file in the same folder (a dot-name ending in
`.tmp`, which the loader ignores) and `os.replace` swaps it in, which is atomic on one file system. An
unchanged file is left alone, so re-running an import costs the watcher nothing.
"""

from __future__ import annotations

import enum
import os
import tempfile
from pathlib import Path


class WriteOutcome(enum.Enum):
    """What `write_atomically` did to the file."""

    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


def write_atomically(path: Path, content: bytes) -> WriteOutcome:
    """Put `content` at `path` through a temporary file and a rename; skip the write if it is already there."""
    try:
        existing = path.read_bytes()
    except FileNotFoundError:
        existing = None
    if existing == content:
        return WriteOutcome.UNCHANGED
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(content)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return WriteOutcome.CREATED if existing is None else WriteOutcome.UPDATED
