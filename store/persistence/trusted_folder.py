"""The cache folder the persistent indexes live in, and the checks that keep it the user's alone.

`$XDG_CACHE_HOME/communique/` (default `~/.cache/communique/`; a relative `XDG_CACHE_HOME` is ignored, as
the XDG specification asks) is made 0700; a folder that another user owns, or that group or others may
write, is refused (`FolderRefused`: the caller says so in one line and reads the files instead), since
whoever can write it decides what every answer says. So is an index's own folder in it that is anything but
a real folder of the user's (a link, a FIFO, a device, a file, another user's folder), after an `lstat`:
nothing is followed or opened, so no command waits on it. An index folder of the user's that group or
others may write (made under a umask of 002 before this check) is made 0700: no one else can reach it
inside the 0700 cache folder, so there is nothing in it to distrust.

This module only checks and makes folders: it never reads or writes an index.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from store.config import xdg_folder

_NOT_OTHERS = stat.S_IWGRP | stat.S_IWOTH
_WITHOUT = "working without the index"
"""How every refusal ends: the caller goes on without the index, never fails."""


class FolderRefused(Exception):
    """The cache folder, or an index's folder in it, cannot be trusted; the message is one line for the
    user."""


def cache_folder() -> Path:
    return xdg_folder("XDG_CACHE_HOME", ".cache")


def _check_owner(path: Path, status: os.stat_result, forbidden: int = _NOT_OTHERS) -> None:
    """Refuse what another user owns or what group or others may write (`forbidden`: the mode bits that
    must be clear)."""
    if status.st_uid != os.getuid():
        raise FolderRefused(f"{path}: belongs to another user; {_WITHOUT}")
    if status.st_mode & forbidden:
        raise FolderRefused(f"{path}: other users may write it; {_WITHOUT}")


def _made_private(folder: Path) -> None:
    """`folder` made 0700 when missing (its parents as the umask says); an existing one is left as it is."""
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        folder.mkdir(mode=0o700)
        os.chmod(folder, 0o700)  # mkdir's mode goes through the umask
    except FileExistsError:
        pass
    except OSError as error:
        raise FolderRefused(f"{folder}: cannot be made ({error.strerror}); {_WITHOUT}") from None


def trusted_folder(folder: Path | None = None) -> Path:
    """The cache folder, made 0700 when missing; raises FolderRefused when it is not a folder of the
    user's that only they may write."""
    folder = folder or cache_folder()
    _made_private(folder)
    status = os.stat(folder)
    if not stat.S_ISDIR(status.st_mode):
        raise FolderRefused(f"{folder}: not a folder; {_WITHOUT}")
    _check_owner(folder, status)
    return folder


def trusted_entry(path: Path) -> Path:
    """A folder of its own inside the trusted cache folder (an index's), made 0700 when missing or when
    others may write it; raises FolderRefused when something else stands there: a link (never followed), a
    FIFO, a device, a file, or a folder another user owns."""
    _made_private(path)
    status = os.lstat(path)
    if not stat.S_ISDIR(status.st_mode):
        raise FolderRefused(f"{path}: not a folder (a link, file, pipe or device); {_WITHOUT}")
    _check_owner(path, status, forbidden=0)
    if status.st_mode & _NOT_OTHERS:
        os.chmod(path, 0o700)  # a folder of the user's, in a folder only they can reach
    return path
