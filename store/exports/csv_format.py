"""Events as CSV for spreadsheets: one row per event, fixed columns, nothing a spreadsheet would execute.

A cell that starts with `=`, `+`, `-` or `@` (or a tab or carriage return, which some spreadsheets skip
before looking) is read by Excel, LibreOffice and Google Sheets as a formula: a title such as
`=HYPERLINK("http://evil", "click")` would run in the analyst's spreadsheet. Such cells get a leading `'`,
the prefix the OWASP guidance recommends (spreadsheets hide it and show the text). Quoting and line endings
(CRLF, RFC 4180) are the `csv` module's. This module never changes the columns' order or names: scripts
read them by position too.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from store.model.event import Event
from store.model.sanitize import sanitize_text

CSV_COLUMNS = (
    "id",
    "date",
    "end_date",
    "kind",
    "title",
    "city",
    "country",
    "countries",
    "participants",
    "topics",
    "organizations",
    "source",
    "url",
    "summary",
)
"""The header row, in order; lists within a cell are joined by `LIST_SEPARATOR`."""

LIST_SEPARATOR = "; "
"""Between the items of a list cell: names and organisations contain commas, rarely semicolons."""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make a spreadsheet evaluate a cell."""


def inert_cell(text: str) -> str:
    """The cell as written: sanitised, and with a `'` before a formula start."""
    text = sanitize_text(text)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _row(event: Event) -> list[str]:
    return [
        event.id,
        event.date,
        event.end_date,
        event.kind,
        event.title,
        event.city,
        event.country,
        LIST_SEPARATOR.join(event.countries),
        LIST_SEPARATOR.join(participant.name for participant in event.participants),
        LIST_SEPARATOR.join(event.topics),
        LIST_SEPARATOR.join(event.organizations),
        event.source_name,
        event.source_url,
        event.summary,
    ]


def events_to_csv(events: Iterable[Event]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    writer.writerows([inert_cell(cell) for cell in _row(event)] for event in events)
    return out.getvalue()
