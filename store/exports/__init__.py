"""Events as a file: the one way in for `communique query --format` and the dashboard's export key (`x`).

    export_events(events, "csv")                       # json, jsonl, csv, md or ics
    export_events(events, "md", related=store.related)  # the brief lists each event's related events

This module owns the choice of format and the JSON writers (the normalised events of `Event.as_json`, as
`query --json` prints them); CSV, Markdown and iCalendar each have their own module. Exports return text and
never write files or print: the caller decides where it goes. They never let data act as syntax of the format
(a title that ends a CSV cell, starts a Markdown heading or adds an iCalendar property) nor as terminal
control: the store sanitised every string already, and each writer still passes what it writes through the
same sanitiser, so events built by other code cannot smuggle an ESC or C0 control into a file either.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Any

import orjson

from store.exports.csv_format import events_to_csv
from store.exports.ics import events_to_ics
from store.exports.markdown import RelatedLookup, events_to_markdown
from store.model.event import Event
from store.model.sanitize import sanitize_text
from store.model.validate import MAX_NESTING

EXPORT_FORMATS = ("json", "jsonl", "csv", "md", "ics")
"""In the order the command line lists them."""

FILE_SUFFIXES = {"json": ".json", "jsonl": ".jsonl", "csv": ".csv", "md": ".md", "ics": ".ics"}
"""What an exported file's name should end with, so that other programs open it right."""


__all__ = ["EXPORT_FORMATS", "FILE_SUFFIXES", "RelatedLookup", "UnknownFormat", "export_events"]


class UnknownFormat(ValueError):
    """A format name that is not one of `EXPORT_FORMATS`."""


TOO_DEEP = "…(nested too deeply to export)"
"""What stands for a value nested deeper than the store accepts (`MAX_NESTING`, and one level more for the
array of a JSON export) in an event the store did not validate: the store refuses such events at load, and
an export must never fail (orjson stops at 254 levels)."""


def _inert(value: Any, depth: int) -> Any:
    """A JSON value with every string passed through the sanitiser (orjson would keep DEL and C1 as they are).

    `depth` is the value's level in the file written, the export's array being the first."""
    if isinstance(value, str):
        return sanitize_text(value)
    if isinstance(value, dict | list | tuple) and depth > MAX_NESTING + 1:
        return TOO_DEEP
    if isinstance(value, dict):
        return {sanitize_text(str(key)): _inert(item, depth + 1) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_inert(item, depth + 1) for item in value]
    return value


def _as_json(event: Event, depth: int, stale: Collection[str]) -> Any:
    """The event's normalised JSON, with `"stale": true` when its file no longer holds it (the dashboard
    keeps a file's last good version on screen while the file is invalid; a reader of the export must be
    able to tell such an event from a current one)."""
    value = _inert(event.as_json(), depth)
    if event.id in stale:
        value["stale"] = True
    return value


def events_to_json(events: Iterable[Event], stale: Collection[str] = ()) -> str:
    """A JSON array of normalised events, indented: exactly what `communique query --json` prints."""
    return (
        orjson.dumps([_as_json(event, 2, stale) for event in events], option=orjson.OPT_INDENT_2).decode()
        + "\n"
    )


def events_to_jsonl(events: Iterable[Event], stale: Collection[str] = ()) -> str:
    """One normalised event per line."""
    return "".join(orjson.dumps(_as_json(event, 1, stale)).decode() + "\n" for event in events)


def export_events(
    events: Iterable[Event], fmt: str, related: RelatedLookup | None = None, stale: Collection[str] = ()
) -> str:
    """The events (in the order given) as text in a format of `EXPORT_FORMATS`; raises UnknownFormat.

    `related` is used by the Markdown brief only; without it the brief lists the event's explicit links.
    `stale` names the events shown from a file that has since turned invalid (JSON and JSONL mark them).
    """
    if fmt == "json":
        return events_to_json(events, stale)
    if fmt == "jsonl":
        return events_to_jsonl(events, stale)
    if fmt == "csv":
        return events_to_csv(events)
    if fmt == "md":
        return events_to_markdown(events, related)
    if fmt == "ics":
        return events_to_ics(events)
    raise UnknownFormat(f"unknown export format {fmt!r} (known: {', '.join(EXPORT_FORMATS)})")
