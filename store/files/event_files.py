"""Which files hold events, and what one file holds.

Reading is separate from indexing so that `communique check`, the store and the benchmark's floor share one
definition of "an event file" and one set of error messages. A file yields its valid events and a problem
for everything else; nothing here raises, whatever the bytes (a bad file must never stop the rest).
"""

from __future__ import annotations

import io
import os
import re
import stat
from dataclasses import dataclass, field

import orjson

from store.model.event import Event
from store.model.problems import Problem
from store.model.sanitize import sanitize_line
from store.model.validate import InvalidEvent, validate_event

EVENT_SUFFIXES = (".json", ".jsonl")
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
"""Larger files are refused without being read whole: no real event is 10 MB, a runaway log may be."""

_BOM = b"\xef\xbb\xbf"

MAX_PROBLEMS_PER_FILE = 100
"""Problems kept for one file; the rest are counted in one last line ("and N more problems"). A 10 MB
`.jsonl` of five million broken lines otherwise costs five million problems: 11 s and 1.1 GB for one query."""

_BLANK_LINE = re.compile(rb"(?m)^[ \t\r\x0b\x0c]*$")
_OBJECT_LINE = re.compile(rb"(?m)^[ \t\r\x0b\x0c]*\{.*$")
"""A line that may hold an event: once a file has used up its problems, only these are parsed."""


def is_event_file_name(name: str) -> bool:
    """True for `*.json`/`*.jsonl`; false for hidden, temporary and editor files (`.#x.json`, `x.json~`)."""
    if name.startswith((".", "~", "#")) or not name.endswith(EVENT_SUFFIXES):
        return False
    return True


def file_of(event_path: str) -> str:
    """The file an event's path names: 'a/b.jsonl:3' or 'a/b.json#2' → 'a/b.jsonl' / 'a/b.json'."""
    for marker in ("#", ":"):
        head, sep, tail = event_path.rpartition(marker)
        if sep and tail.isdigit() and head.endswith((".json", ".jsonl")):
            return head
    return event_path


def shown_path(path: str) -> str:
    """The path as ids and messages name it: valid UTF-8 whatever the name's bytes.

    A name that is not UTF-8 reaches Python with each bad byte as a lone surrogate (`surrogateescape`):
    the sanitiser would make every such byte one placeholder, so two names differing only there got one
    derived id (one event hidden as a duplicate), and JSON output failed on them. Each byte is shown as
    `\\xNN` instead; the store still opens the file by its real name."""
    if path.isascii():
        return path
    try:
        return path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:  # a surrogate no file system name makes: given by other code
        return path.encode("utf-8", "backslashreplace").decode()


@dataclass(frozen=True, slots=True)
class FileStamp:
    """Size, modification time, change time and inode: what tells a changed file from an unchanged one.

    Size and mtime alone miss a rewrite that keeps both (`cp -p`, `rsync -t`, `touch -r`): the kernel
    still moves the change time, and a replacing rename brings another inode."""

    size: int
    mtime_ns: int
    ctime_ns: int = 0
    inode: int = 0

    @classmethod
    def of(cls, info: os.stat_result) -> FileStamp:
        return cls(info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino)


@dataclass(slots=True)
class FileContents:
    events: list[Event] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    unreadable: bool = False
    """Nothing could be read or parsed: keep the file's last good events rather than losing them."""
    stamp: FileStamp | None = None
    """As `fstat` gave it when the file was opened (a bulk load needs no `stat` of its own)."""
    untold: int = 0
    """Problems past `MAX_PROBLEMS_PER_FILE`, counted but not kept."""

    def report(self, problem: Problem) -> None:
        if len(self.problems) < MAX_PROBLEMS_PER_FILE:
            self.problems.append(problem)
        else:
            self.untold += 1

    def full(self) -> bool:
        """True once no more problems are kept: the rest need only be counted."""
        return len(self.problems) >= MAX_PROBLEMS_PER_FILE

    def close(self, path: str) -> None:
        """Add the line that counts the problems not kept."""
        if self.untold:
            self.problems.append(Problem(path, f"and {self.untold:,} more problems"))
            self.untold = 0


def _json_error(path: str, error: orjson.JSONDecodeError) -> Problem:
    message = sanitize_line(error.msg) if error.msg else "invalid JSON"
    return Problem(path, f"invalid JSON: {message} (column {error.colno})", line=error.lineno)


_NON_BLOCKING = getattr(os, "O_NONBLOCK", 0)
_READ_FLAGS = os.O_RDONLY | _NON_BLOCKING | getattr(os, "O_BINARY", 0)


def read_bytes(full_path: str, max_bytes: int) -> tuple[bytes, FileStamp]:
    """The file's bytes; raises OSError, or ValueError when it is larger than max_bytes.

    Reads at most one byte more than `fstat` says (never a `max_bytes` buffer per file): a file that
    grew meanwhile comes back cut short, fails to parse, and is read again on its next change event.
    Opens without blocking: a named pipe called `x.json` dropped into the folder would otherwise wait for
    a writer forever, and the watcher with it.
    """
    with open(os.open(full_path, _READ_FLAGS), "rb") as handle:
        info = os.fstat(handle.fileno())
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError(full_path)
        if not stat.S_ISREG(info.st_mode):
            raise ValueError("is not a regular file (a pipe, socket or device)")
        if _NON_BLOCKING:
            os.set_blocking(handle.fileno(), True)  # a few file systems honour O_NONBLOCK for files too
        size = info.st_size
        if size > max_bytes:
            raise ValueError(f"file is {size:,} bytes, over the {max_bytes:,}-byte limit")
        data = handle.read(size + 1)
    if len(data) > max_bytes:
        raise ValueError(f"file grew past the {max_bytes:,}-byte limit while being read")
    return data, FileStamp.of(info)


def parse_event_bytes(data: bytes, path: str) -> FileContents:
    """Events and problems in one file's bytes; `path` is the name used in ids and messages."""
    path = shown_path(path)
    contents = _parse(data, path)
    first_of: dict[str, str] = {}
    for event in contents.events:
        first = first_of.setdefault(event.id, event.path)
        if first != event.path:  # the store keeps the last: say so rather than drop one silently
            message = f"duplicate id {event.id!r} within the file ({first}, {event.path}): the last is shown"
            contents.report(Problem(path, message))
    contents.close(path)
    return contents


def _parse(data: bytes, path: str) -> FileContents:
    contents = FileContents()
    if data.startswith(_BOM):
        data = data[3:]
    if path.endswith(".jsonl"):
        _parse_lines(contents, data, path)
        contents.unreadable = not contents.events
        return contents
    if not data.strip():
        contents.problems.append(Problem(path, "empty file (no event)"))
        contents.unreadable = True
        return contents
    try:
        raw = orjson.loads(data)
    except orjson.JSONDecodeError as error:
        contents.problems.append(_json_error(path, error))
        contents.unreadable = True
        return contents
    if isinstance(raw, list):
        if not raw:
            contents.problems.append(Problem(path, "empty array (no event)"))
        for index, item in enumerate(raw):
            if type(item) is not dict and contents.full():
                contents.untold += 1  # (not even a message built: an array of a million numbers)
                continue
            _add_event(contents, item, path, f"{path}#{index + 1}", item_number=index + 1)
        contents.unreadable = not contents.events
    else:
        _add_event(contents, raw, path, path)
        contents.unreadable = not contents.events
    return contents


def _parse_lines(contents: FileContents, data: bytes, path: str) -> None:
    """The lines of a `.jsonl` file, one by one until the file has used up its problems; from there on only
    the lines that may hold an event are parsed (found by a regular expression, at C speed) and the others
    are only counted: five million broken lines cost about a second, not eleven."""
    at = 0
    number = 0
    for number, line in enumerate(io.BytesIO(data), start=1):
        at += len(line)
        if line.strip():
            _add_line(contents, line, path, number)
        if contents.full():
            break
    if at >= len(data):
        return
    # `at` starts line number + 1; every line from there is blank, may hold an event, or is a problem.
    lines = data.count(b"\n", at) + 1
    blank = sum(1 for _ in _BLANK_LINE.finditer(data, at))
    candidates = 0
    number += 1
    for match in _OBJECT_LINE.finditer(data, at):
        number += data.count(b"\n", at, match.start())
        at = match.start()
        candidates += 1
        _add_line(contents, match.group(), path, number)
    contents.untold += lines - blank - candidates


def _add_line(contents: FileContents, line: bytes, path: str, number: int) -> None:
    try:
        raw = orjson.loads(line)
    except orjson.JSONDecodeError as error:
        if contents.full():
            contents.untold += 1
        else:
            contents.report(Problem(path, f"invalid JSON: {sanitize_line(error.msg)}", line=number))
        return
    _add_event(contents, raw, path, f"{path}:{number}", line=number)


def _add_event(
    contents: FileContents,
    raw: object,
    path: str,
    fallback_id: str,
    line: int | None = None,
    item_number: int | None = None,
) -> None:
    try:
        contents.events.append(validate_event(raw, fallback_id=fallback_id, path=fallback_id))
    except InvalidEvent as error:
        where = f"item {item_number}: " if item_number else ""
        contents.report(Problem(path, where + str(error), line=line))
    except RecursionError:
        contents.report(Problem(path, "nested too deeply", line=line))


def read_event_file(full_path: str, path: str, max_bytes: int = DEFAULT_MAX_BYTES) -> FileContents:
    """Read and parse one file; an unreadable file gives one problem naming why."""
    path = shown_path(path)
    try:
        data, stamp = read_bytes(full_path, max_bytes)
    except IsADirectoryError:
        return FileContents(problems=[Problem(path, "is a folder, not a file")], unreadable=True)
    except PermissionError:
        return FileContents(problems=[Problem(path, "permission denied")], unreadable=True)
    except FileNotFoundError:
        return FileContents(problems=[Problem(path, "disappeared while being read")], unreadable=True)
    except OSError as error:
        return FileContents(
            problems=[Problem(path, f"cannot read: {error.strerror or error}")], unreadable=True
        )
    except ValueError as error:
        return FileContents(problems=[Problem(path, str(error))], unreadable=True)
    contents = parse_event_bytes(data, path)
    contents.stamp = stamp
    return contents
