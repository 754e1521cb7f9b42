"""Write events into a folder as `<year>/<id>.json`, in place on every run.

Re-running an import must update the files it wrote before, never add copies: the file name is the event id,
and a file for the same id found elsewhere under the folder (its date moved to another year) is replaced
and the old one removed. Files are pretty-printed UTF-8 JSON, written atomically and only when changed.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import orjson

from store.importers.atomic_write import WriteOutcome, write_atomically

_SAFE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,150}")


def encode_event(event: dict[str, object]) -> bytes:
    """The bytes of an event file: UTF-8 JSON indented by two spaces, ending with a newline."""
    return orjson.dumps(event, option=orjson.OPT_INDENT_2) + b"\n"


class EventFolder:
    """A folder of event files that `write` keeps to one file per id."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.outcomes: Counter[WriteOutcome] = Counter()
        self._existing = {path.stem: path for path in root.rglob("*.json")} if root.is_dir() else {}

    def path_for(self, event: dict[str, object]) -> Path:
        """Where `event` belongs: `<root>/<year of its date>/<id>.json`; raises ValueError for unsafe ids."""
        identifier, date = str(event.get("id", "")), str(event.get("date", ""))
        if not _SAFE_ID.fullmatch(identifier) or ".." in identifier:
            raise ValueError(f"event id {identifier!r} cannot be a file name")
        year = date[:4] if re.fullmatch(r"\d{4}", date[:4]) else "undated"
        return self.root / year / f"{identifier}.json"

    def write(self, event: dict[str, object]) -> WriteOutcome:
        """Create or update the file of `event`; removes a stale copy of the same id elsewhere."""
        path = self.path_for(event)
        outcome = write_atomically(path, encode_event(event))
        previous = self._existing.get(path.stem)
        if previous is not None and previous != path:
            previous.unlink(missing_ok=True)
            outcome = WriteOutcome.UPDATED
        self._existing[path.stem] = path
        self.outcomes[outcome] += 1
        return outcome
