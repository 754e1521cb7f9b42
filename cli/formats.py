"""`communique query … --format json|jsonl|csv|md|ics`: the matching events as an export, on stdout.

This module owns the `--format` option and writing an export to stdout as UTF-8 bytes (iCalendar's CRLF line
endings must reach a file unchanged, whatever the platform's text mode would do). The formats themselves are
`store.exports`; the query is `cli.queries`.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable

from store.event_store import EventStore
from store.exports import EXPORT_FORMATS, export_events


def add_format_option(parser: argparse._ActionsContainer) -> None:
    parser.add_argument(
        "--format",
        choices=EXPORT_FORMATS,
        default=None,
        help="print the matching events as JSON, JSON lines, CSV, a Markdown brief or iCalendar",
    )


def write_query_format(store: EventStore, ids: Iterable[str], fmt: str) -> None:
    """Export the events with these ids (in this order; unknown ids are skipped) to stdout."""
    events = [event for event in map(store.get, ids) if event is not None]
    text = export_events(events, fmt, related=store.related)
    sys.stdout.flush()  # anything printed before goes first
    sys.stdout.buffer.write(text.encode("utf-8"))
    sys.stdout.flush()
