"""Events as a Markdown brief: a heading per event, then its date, place, people, topics and related events.

Event text is data, never Markdown: every character that CommonMark or GitHub gives a meaning inside a line
(emphasis, links, images, code, HTML tags and entities, tables, strikethrough, math) is backslash-escaped,
and so is whatever would start a block at the beginning of a line (a heading, a list, a quote, a setext
underline), so a title can neither open a heading of its own nor a `<script>` tag. Headings and list items
hold one line each; only the summary keeps its paragraphs. This module never emits raw HTML or links built
from data: the source's URL is printed as escaped text.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterable

from store.entities.cross_references import Relation
from store.model.event import Event
from store.model.sanitize import sanitize_line, sanitize_text

RelatedLookup = Callable[[str], list[Relation]]
"""Event id → its related events, best first (`EventStore.related`); may raise KeyError."""

MOST_RELATED = 10
"""Related events listed per event: a brief is read by people, and the dashboard shows the rest."""

_INLINE_ACTIVE = re.compile(r"([\\`*_\[\]<>&|~#$!])")
"""Characters with an inline meaning somewhere in CommonMark or GitHub Markdown; `#` for a heading's
closing sequence."""
_BLOCK_START = re.compile(r"^([-+=>]|\d+(?=[.)]))")
"""What would open a list, quote, setext heading or ordered list at the start of a line."""


def escape_inline(text: str) -> str:
    """One line of data as inert Markdown text (newlines and tabs become spaces)."""
    return _INLINE_ACTIVE.sub(r"\\\1", " ".join(sanitize_line(text).split()))


def escape_line_start(line: str) -> str:
    """An escaped line that begins a Markdown line: block markers at its start are escaped too."""
    match = _BLOCK_START.match(line)
    if not match:
        return line
    if match.group(1)[0].isdigit():
        end = match.end()
        return line[:end] + "\\" + line[end:]
    return "\\" + line


def paragraphs(text: str) -> list[str]:
    """Multi-line data as escaped paragraphs: lines within a paragraph are joined, blank lines separate."""
    found = []
    for block in re.split(r"\n\s*\n", sanitize_text(text)):
        joined = escape_inline(" ".join(block.split()))
        if joined:
            found.append(escape_line_start(joined))
    return found


def _participant(name: str, role: str) -> str:
    return f"{escape_inline(name)} ({escape_inline(role)})" if role else escape_inline(name)


def _related_lines(event: Event, related: RelatedLookup | None) -> list[str]:
    if related is None:
        return [
            f"{escape_inline(link.id)}" + (f" ({escape_inline(link.relation)})" if link.relation else "")
            for link in event.related
        ]
    try:
        relations = related(event.id)
    except KeyError:
        return []
    lines = [
        f"{escape_inline(r.title)} ({escape_inline(r.date)}, id {escape_inline(r.id)})"
        for r in relations[:MOST_RELATED]
    ]
    if len(relations) > MOST_RELATED:
        lines.append(f"and {len(relations) - MOST_RELATED} more")
    return lines


def _event_section(event: Event, related: RelatedLookup | None) -> list[str]:
    when = event.date + (f" to {event.end_date}" if event.end_date else "")
    lines = [f"## {escape_inline(event.date)} — {escape_inline(event.title)}", ""]
    facts = [("Date", escape_inline(when)), ("Kind", escape_inline(event.kind))]
    if event.place:
        facts.append(("Place", escape_inline(event.place)))
    if event.participants:
        facts.append(("Participants", "; ".join(_participant(p.name, p.role) for p in event.participants)))
    if event.topics:
        facts.append(("Topics", ", ".join(map(escape_inline, event.topics))))
    if event.organizations:
        facts.append(("Organisations", ", ".join(map(escape_inline, event.organizations))))
    source = " ".join(part for part in (event.source_name, event.source_url) if part)
    if source:
        facts.append(("Source", escape_inline(source)))
    facts.append(("Id", escape_inline(event.id)))
    lines.extend(f"- **{label}:** {value}" for label, value in facts)
    related_lines = _related_lines(event, related)
    if related_lines:
        lines.append("- **Related:**")
        lines.extend(f"  - {escape_line_start(line)}" for line in related_lines)
    for paragraph in paragraphs(event.summary):
        lines.extend(["", paragraph])
    lines.append("")
    return lines


def events_to_markdown(
    events: Iterable[Event],
    related: RelatedLookup | None = None,
    *,
    filter_text: str | None = None,
    made: datetime.datetime | None = None,
) -> str:
    """The brief; with `filter_text` (the filter that chose the events, '' for all) and `made` (when), its
    header records both, so a brief read later says what it answers and as of when."""
    sections = [line for event in events for line in _event_section(event, related)]
    count = sum(1 for line in sections if line.startswith("## "))
    header = ["# Events", "", f"{count} event{'s' if count != 1 else ''}.", ""]
    if filter_text is not None:
        shown = escape_inline(filter_text) if filter_text.strip() else "none (every event)"
        header += [f"- **Filter:** {shown}"]
    if made is not None:
        header += [f"- **Made:** {made.isoformat(sep=' ', timespec='seconds')}"]
    if filter_text is not None or made is not None:
        header.append("")
    return "\n".join(header + sections)
