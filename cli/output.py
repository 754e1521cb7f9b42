"""What the command line writes to a terminal: every line passes through the store's sanitiser here.

A file's name or content may carry an OSC sequence (retitle the terminal, write the clipboard with OSC 52),
other controls or bidi overrides; a name that is not valid UTF-8 arrives as lone surrogates
(`surrogateescape`) that a strict stdout encoding refuses. So the commands never `print` data themselves:
`say` and `warn` show its undecodable bytes as `\\xNN`, replace controls with visible placeholders
(`store.model.sanitize`), and `guard_streams` makes stdout and stderr replace what their encoding cannot write
instead of raising. JSON goes through `print_json`, which escapes what JSON must and never refuses a name.
This module never decides what to say, only how it safely reaches the terminal.
"""

from __future__ import annotations

import re
import sys
from typing import Any, TextIO

import orjson

from store.model.sanitize import sanitize_line

_UNDECODABLE = re.compile("[\udc80-\udcff]")
"""The surrogates `surrogateescape` uses for bytes that are not UTF-8 (0x80–0xFF)."""


def shown_bytes(text: str) -> str:
    """`text` with each undecodable byte of a file name written as `\\xNN` (valid UTF-8, still telling)."""
    return _UNDECODABLE.sub(lambda match: f"\\x{ord(match.group()) - 0xDC00:02x}", text)


def terminal_text(text: str) -> str:
    """One line that is safe to write to any terminal: bytes shown, controls and bidi overrides inert."""
    return sanitize_line(shown_bytes(text))


def say(text: object, file: TextIO | None = None) -> None:
    """Print one line (on stdout unless `file`), made inert first."""
    print(terminal_text(str(text)), file=file or sys.stdout)


def warn(text: object) -> None:
    """Print one line on stderr, made inert first."""
    say(text, sys.stderr)


def fail(message: str, status: int = 2) -> int:
    """Say `communique: message` on stderr and return the exit status (2: a usage error)."""
    warn(f"communique: {message}")
    return status


def plural(count: int, word: str) -> str:
    """`1 file`, `2 files`, `1,000 files`."""
    return f"{count:,} {word}{'' if count == 1 else 's'}"


def guard_streams() -> None:
    """Let stdout and stderr replace what their encoding cannot write (`PYTHONIOENCODING=ascii:strict`,
    LANG=C) with backslash escapes instead of raising in the middle of an answer."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")


def _without_undecodable(value: Any) -> Any:
    if isinstance(value, str):
        return shown_bytes(value).encode("utf-8", "replace").decode("utf-8")
    if isinstance(value, dict):
        return {_without_undecodable(key): _without_undecodable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_without_undecodable(item) for item in value]
    return value


def print_json(value: object) -> None:
    """Write `value` as indented JSON (UTF-8 bytes) on stdout; a file name that is not UTF-8 shows its bytes
    as `\\xNN` rather than making the whole answer fail."""
    try:
        data = orjson.dumps(value, option=orjson.OPT_INDENT_2)
    except TypeError:  # lone surrogates: a name that is not UTF-8, or a \\ud800 escape in a file
        data = orjson.dumps(_without_undecodable(value), option=orjson.OPT_INDENT_2)
    sys.stdout.flush()
    sys.stdout.buffer.write(data + b"\n")
    sys.stdout.flush()
