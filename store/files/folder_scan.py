"""Walk a watched folder: every event file in it, with the stamp that tells whether it changed.

Whatever is named like an event file is listed, even when it cannot be one (a folder named `x.json`, a
named pipe, a socket, a symlink loop): reading it then says why, so that it is reported, not skipped.

The walk is what the index's reconcile and the store's compare against, so it must be cheap (one `scandir` per folder,
no extra `stat` for plain files) and safe on hostile trees: symlinks that lead outside the folder are not
followed unless asked, and a symlink loop is walked once.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

from store.files.event_files import FileStamp, is_event_file_name

__all__ = ["FileStamp", "scan_folder", "stamp_of", "walk_folder", "walk_stats"]


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def scan_folder(
    root: str, *, follow_symlinks: bool = False, stat: bool = True
) -> dict[str, FileStamp | None]:
    """Relative path → stamp of every event file under root. Unreadable folders are skipped.

    With `stat=False` the stamps are None and no file is stat'ed (a cold load takes them from the `fstat`
    of the open file instead, which saves one system call per file: a second at 100,000 files).
    """
    return dict(walk_folder(root, follow_symlinks=follow_symlinks, stat=stat))


def walk_folder(
    root: str, *, follow_symlinks: bool = False, stat: bool = True
) -> Iterator[tuple[str, FileStamp | None]]:
    """`scan_folder` one file at a time, for a caller that compares as it goes rather than holding the
    whole listing (~25 MB at 100,000 files)."""
    for rel, info in walk_stats(root, follow_symlinks, stat):
        yield rel, (FileStamp.of(info) if info else None)


def walk_stats(
    root: str, follow_symlinks: bool = False, stat: bool = True
) -> Iterator[tuple[str, os.stat_result | None]]:
    """`walk_folder` with each file's `stat` result as it is (None without `stat`): for a caller that keeps
    stamps as numbers rather than as one `FileStamp` per file (`store.persistence.folder_index`)."""
    root = os.path.abspath(root)
    real_root = os.path.realpath(root)
    seen_dirs: set[tuple[int, int]] = set()
    pending = [(root, "")]  # (folder, its path relative to root with a separator after it)
    while pending:
        folder, prefix = pending.pop()
        try:
            # The folder is opened and scanned by descriptor: each file's stat is then relative to it
            # (`fstatat`), which spares the kernel a lookup of the whole path per file (~15 % of a walk).
            descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        except OSError:
            continue
        try:
            info = os.fstat(descriptor)
            if (info.st_dev, info.st_ino) in seen_dirs:
                continue
            seen_dirs.add((info.st_dev, info.st_ino))
            entries = list(os.scandir(descriptor))
            inside = os.path.join(folder, "")
            for entry in entries:
                name = entry.name
                try:
                    if entry.is_symlink():
                        if not follow_symlinks and not _inside(os.path.realpath(inside + name), real_root):
                            continue
                    if entry.is_dir():
                        pending.append((inside + name, prefix + name + os.sep))
                        if not is_event_file_name(name):
                            continue  # a folder named `x.json` is walked and also listed, to be reported
                    elif not is_event_file_name(name):
                        continue
                    file_info = entry.stat() if stat else None  # pipes and sockets too: reading reports them
                except OSError:
                    # A symlink loop (or a link to nothing) named like an event file is listed, to be reported.
                    if not is_event_file_name(name):
                        continue
                    try:
                        file_info = os.lstat(name, dir_fd=descriptor) if stat else None
                    except OSError:
                        continue  # gone meanwhile
                yield prefix + name, file_info
        except OSError:
            continue
        finally:
            os.close(descriptor)


def stamp_of(full_path: str) -> FileStamp | None:
    """The file's stamp; a broken symlink's own (it is there, to be reported); None when nothing is there."""
    try:
        return FileStamp.of(os.stat(full_path))
    except OSError:
        try:
            return FileStamp.of(os.lstat(full_path))
        except OSError:
            return None
