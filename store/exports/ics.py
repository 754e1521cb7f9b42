"""Events as an iCalendar file (RFC 5545): one all-day VEVENT per event, for calendar programs.

Events carry days, not times, so every VEVENT is all-day: `DTSTART;VALUE=DATE` on the first day and an
exclusive `DTEND` the day after the last one. A partial date (`2022`, `2022-06`) is placed on its first day
and the DESCRIPTION says so, since a calendar cannot show "sometime in June". The output is deterministic, so
exporting twice gives the same bytes and a calendar that re-imports it updates instead of duplicating:
UID is the event id, DTSTAMP the source's publication day or, without one, the event's own first day: a real
date that the event alone decides (the output stays deterministic; never 1970).

Syntax the data must never reach: text values escape backslash, semicolon, comma and newline (RFC 5545
3.3.11), so a title cannot end its property or add one; lines end in CRLF and are folded at 75 octets
without splitting a UTF-8 character (3.1). Data goes only into TEXT values, never into parameters or URIs:
the source's link is part of the DESCRIPTION.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from store.model.dates import first_day, is_date
from store.model.event import Event
from store.model.sanitize import sanitize_text

PRODUCT_ID = "-//Communique//Communique event export//EN"
LINE_OCTETS = 75
"""RFC 5545's limit for a content line, CRLF excluded."""


def escape_text(text: str) -> str:
    """A TEXT value: backslash, semicolon, comma and newlines escaped (carriage returns are never kept)."""
    text = sanitize_text(text).replace("\r", "")
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def fold_line(line: str) -> str:
    """One content line, folded into CRLF-ended pieces of at most 75 octets (continuations start with a space)."""
    pieces: list[str] = []
    piece: list[str] = []
    room = LINE_OCTETS
    size = 0
    for char in line:
        octets = len(char.encode("utf-8"))
        if size + octets > room:
            pieces.append("".join(piece))
            piece, size, room = [], 0, LINE_OCTETS - 1
        piece.append(char)
        size += octets
    pieces.append("".join(piece))
    return "\r\n ".join(pieces) + "\r\n"


def _day(iso: str) -> datetime.date:
    return datetime.date.fromisoformat(iso)


def _compact(day: datetime.date) -> str:
    return f"{day.year:04d}{day.month:02d}{day.day:02d}"


def _description(event: Event) -> str:
    lines = []
    partial = [text for text in (event.date, event.end_date) if text and len(text) < 10]
    if partial:
        lines.append("Date given as " + " to ".join(partial) + " (not to the day): shown from its first day.")
    if event.place:
        lines.append(f"Place: {event.place}")
    if event.participants:
        lines.append(
            "Participants: "
            + "; ".join(f"{p.name} ({p.role})" if p.role else p.name for p in event.participants)
        )
    if event.topics:
        lines.append("Topics: " + ", ".join(event.topics))
    if event.summary:
        lines.append("")
        lines.append(event.summary)
    source = " ".join(part for part in (event.source_name, event.source_url) if part)
    if source:
        lines.append("")
        lines.append(f"Source: {source}")
    lines.append(f"Id: {event.id}")
    return "\n".join(lines)


def _vevent(event: Event) -> list[str]:
    start = _day(event.sort_date)
    last = max(start, _day(first_day(event.end_date))) if event.end_date else start
    stamp = first_day(event.source_published) if is_date(event.source_published) else _compact(start)
    lines = [
        "BEGIN:VEVENT",
        f"UID:{escape_text(event.id)}",
        f"DTSTAMP:{stamp.replace('-', '')}T000000Z",
        f"DTSTART;VALUE=DATE:{_compact(start)}",
    ]
    try:
        lines.append(f"DTEND;VALUE=DATE:{_compact(last + datetime.timedelta(days=1))}")
    except OverflowError:
        pass  # an event on 9999-12-31: without DTEND an all-day event lasts its one day (RFC 5545 3.6.1)
    lines.append(f"SUMMARY:{escape_text(event.title)}")
    if event.place:
        lines.append(f"LOCATION:{escape_text(event.place)}")
    if event.topics:
        lines.append("CATEGORIES:" + ",".join(escape_text(topic) for topic in event.topics))
    lines.append(f"DESCRIPTION:{escape_text(_description(event))}")
    lines.append("END:VEVENT")
    return lines


def events_to_ics(events: Iterable[Event]) -> str:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODUCT_ID}", "CALSCALE:GREGORIAN"]
    for event in events:
        lines.extend(_vevent(event))
    lines.append("END:VCALENDAR")
    return "".join(map(fold_line, lines))
