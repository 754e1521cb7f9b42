"""A problem with a file, as the user is told about it: `PATH[:LINE]: message`, one line."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Problem:
    path: str
    """Relative to the watched folder (or as given on the command line)."""
    message: str
    line: int | None = None
    """The line of a `.jsonl` file, or where orjson found a syntax error."""

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.message}"
