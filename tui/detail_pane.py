"""The detail pane [#detail]: the selected event in full, as plain text.

It owns the layout of one event on screen — title, dates, place, kind, countries, participants (delegation
heads marked ★), agenda, topics, organisations, documents, links, source with its address, summary, text and
the fields the format does not know — and nothing else. Every value is placed into a `Content` as a plain
string (see `tui.display_text`), so nothing in a file can style, link or act. The event comes bound from the
screen (`event_detail`, a `tui.answers.Detail`), and so do the events whose file is unreadable now (`stale`:
the shown one gets a note); the pane never asks the store for it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content, Span
from textual.reactive import var
from textual.style import Style
from textual.widgets import Static

from store.model.event import Event
from tui.answers import Detail
from tui.display_text import highlighted_content, one_line, paragraph

HEAD_MARK = "★"
"""In front of a delegation head's name."""
SAFE_LINK_SCHEMES = ("http://", "https://")
"""Only these addresses become terminal hyperlinks; anything else is shown, not linked."""
LONG_TEXT = 1_500
"""Characters of a long field (summary, text, another field's value) shown until the user asks for all (`f`):
more than a screenful, and rendering a 10 MB text whole took seconds on every cursor move."""
MATCH_STYLE = "bold $text-warning on $warning-muted"
"""Matched words in the detail, like the highlighted words of the meetings (theme variables, so themes apply)."""


class _Builder:
    """Collects (text, style) pieces into one Content: data never meets a markup parser."""

    def __init__(self) -> None:
        self.parts: list[Content | tuple[str, str | Style] | str] = []

    def line(self, *parts: Content | tuple[str, str | Style] | str) -> None:
        self.parts.extend(parts)
        self.parts.append("\n")

    def heading(self, title: str) -> None:
        self.parts.append("\n")
        self.line((title, "bold underline"))

    def build(self) -> Content:
        while self.parts and self.parts[-1] == "\n":
            self.parts.pop()
        return Content.assemble(*self.parts)


def event_content(
    event: Event, *, highlight: Sequence[str] = (), stale: bool = False, limit: int | None = LONG_TEXT
) -> Content:
    """The event as one Content (wrapped by the pane); long fields cut after `limit` characters (None: whole)."""
    out = _Builder()

    def long_text(value: str, length: int | None = None) -> list[Content | tuple[str, str]]:
        """`value` is the field whole, or its head when `length` (the whole field's) is given."""
        length = len(value) if length is None else length
        if limit is None or length <= limit:
            return [highlighted_content(paragraph(value), highlight, MATCH_STYLE)]
        rest = length - limit
        return [
            highlighted_content(paragraph(value[:limit]), highlight, MATCH_STYLE),
            (f"… {rest:,} more characters: f shows the whole event", "bold reverse"),
        ]

    def packed_text(name: str) -> list[Content | tuple[str, str]]:
        if limit is None:
            return long_text(getattr(event, name))
        return long_text(*event.text_head(name, limit))

    out.line(highlighted_content(one_line(event.title), highlight, MATCH_STYLE).stylize("bold"))
    dates = one_line(event.date) + (f" – {one_line(event.end_date)}" if event.end_date else "")
    facts = [dates, one_line(event.kind)]
    if event.place:
        facts.append(one_line(event.place))
    out.line(("  ·  ".join(facts), "italic"))
    if event.countries:
        out.line(("Countries: ", "dim"), one_line(", ".join(event.countries)))
    if event.series:
        out.line(("Series: ", "dim"), one_line(event.series))
    if stale:
        out.line(("⚠ its file is unreadable now: this is the last good version", "bold"))

    if event.participants:
        out.heading(f"Participants ({len(event.participants)})")
        for person in event.participants:
            details = [one_line(part) for part in (person.role, person.country, person.organization) if part]
            mark = f"{HEAD_MARK} " if person.delegation_head else "  "
            name = highlighted_content(one_line(person.name), highlight, MATCH_STYLE)
            out.line(
                mark,
                name.stylize("bold") if person.delegation_head else name,
                (" — " + ", ".join(details)) if details else "",
                (" (head of delegation)", "italic") if person.delegation_head else "",
            )
            if person.aliases:
                out.line(("    also written: ", "dim"), one_line(", ".join(person.aliases)))
    if event.agenda:
        out.heading("Agenda")
        for item in event.agenda:
            out.line("  • ", highlighted_content(one_line(item), highlight, MATCH_STYLE))
    if event.topics:
        out.heading("Topics")
        out.line("  ", one_line("  ·  ".join(event.topics)))
    if event.organizations:
        out.heading("Organizations")
        out.line("  ", one_line("  ·  ".join(event.organizations)))
    if event.documents:
        out.heading("Documents")
        for document in event.documents:
            extra = ", ".join(one_line(part) for part in (document.date, document.id) if part)
            out.line("  • ", one_line(document.title), (f"  ({extra})", "dim") if extra else "")
    if event.related:
        out.heading("Linked events")
        for link in event.related:
            relation = f"  ({one_line(link.relation)})" if link.relation else ""
            out.line("  • ", one_line(link.id), (relation, "dim"))
    if event.source_name or event.source_url or event.source_published:
        out.heading("Source")
        published = f"published {one_line(event.source_published)}" if event.source_published else ""
        out.line("  ", "  ·  ".join(part for part in (one_line(event.source_name), published) if part))
        if event.source_url:
            out.line("  ", _link(one_line(event.source_url)))
    for name, heading in (("summary", "Summary"), ("text", "Text")):
        if event.text_head(name, 1)[1]:
            out.heading(heading)
            out.line(*packed_text(name))
    if event.extra:
        out.heading("Other fields")
        for key in sorted(event.extra):
            out.line(("  " + one_line(key[:200]) + ": ", "dim"), *long_text(_unknown_value(event.extra[key])))
    out.heading("File")
    out.line("  ", one_line(event.path), ("  ·  id ", "dim"), one_line(event.id))
    return out.build()


def _link(url: str) -> Content:
    if not url.lower().startswith(SAFE_LINK_SCHEMES):
        return Content(url)
    return Content(url, [Span(0, len(url), Style(underline=True, link=url))])


def _unknown_value(value: object) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


class DetailPane(VerticalScroll):
    BINDINGS = [
        Binding("up,k", "scroll_up", "Scroll up", show=False, id="detail.scroll_up"),
        Binding("down,j", "scroll_down", "Scroll down", show=False, id="detail.scroll_down"),
        Binding("f", "show_whole", "Whole event", show=False, id="detail.show_whole"),
    ]

    event_detail: var[Detail | None] = var(None, init=False)
    """The selected event, bound from the screen: a new one is shown, the same one keeps its scroll."""
    stale: var[frozenset[str]] = var(frozenset(), init=False)
    """Events whose file is unreadable now (bound from the screen): the shown one says so."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.event_id: str | None = None
        self.whole = False
        """The selected event is shown with its long fields whole (`f`); a new selection is cut again."""
        self._shown: tuple[Event, tuple[str, ...]] | None = None
        self._body = Static(Content("No event selected"), id="detail-body", markup=False)
        self.border_title = "Detail"

    def compose(self):  # type: ignore[no-untyped-def]
        yield self._body

    def watch_event_detail(self, detail: Detail | None) -> None:
        if detail is not None:
            self.show(detail.event, highlight=detail.highlight)

    def watch_stale(self, old: frozenset[str], new: frozenset[str]) -> None:
        if self._shown is not None and (self.event_id in old) != (self.event_id in new):
            self._paint()  # the note comes or goes; the scroll stays

    def show(self, event: Event | None, *, highlight: Sequence[str] = ()) -> None:
        """Show an event (None: nothing selected), keeping the scroll position when it is the same event."""
        same = event is not None and event.id == self.event_id
        self.event_id = event.id if event else None
        if not same:
            self.whole = False
        if event is None:
            self._shown = None
            self._body.update(Content("No event selected"))
        else:
            self._shown = (event, tuple(highlight))
            self._paint()
        if not same:
            self.scroll_home(animate=False, immediate=True)

    def action_show_whole(self) -> None:
        """Show the selected event's long fields whole (slow for a text of megabytes, so only when asked)."""
        if self._shown is None or self.whole:
            return
        self.whole = True
        self._paint()

    def _paint(self) -> None:
        """Lay out the event shown, cut or whole (`whole`)."""
        if self._shown is None:
            return
        event, highlight = self._shown
        limit = None if self.whole else LONG_TEXT
        self._body.update(
            event_content(event, highlight=highlight, stale=event.id in self.stale, limit=limit)
        )

    @property
    def text(self) -> str:
        """What the pane shows, as plain text (for tests and copy)."""
        visual = self._body.visual
        return str(visual) if isinstance(visual, Content) else ""
