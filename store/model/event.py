"""The normalised event: what the rest of the program may rely on.

A file's raw JSON is untrusted and loosely typed; `store.model.validate` turns it into these objects once, so that
panes, filters, cross-references and exports never re-check a type or re-clean a string. Every text field
here is already sanitised (see `store.model.sanitize`), tags are slugged, country codes are upper-case ISO 3166-1
alpha-2. The objects are treated as immutable: a changed file produces new objects.
"""

from __future__ import annotations

import codecs
import zlib
from dataclasses import dataclass, field, fields
from typing import Any

KINDS = ("consultation", "meeting", "visit", "summit", "call", "signing", "conference", "other")
"""Every kind an event may have; `other` is the default so that a collector need not guess."""


@dataclass(slots=True, frozen=True)
class Participant:
    """Frozen, so that one object can stand for the same person in the same role in every event
    (`store.model.validate` shares them: a minister appears in hundreds of events)."""

    name: str
    role: str = ""
    country: str = ""
    organization: str = ""
    delegation_head: bool = False
    aliases: tuple[str, ...] = ()


@dataclass(slots=True)
class Document:
    title: str
    date: str = ""
    id: str = ""


@dataclass(slots=True)
class Link:
    id: str
    relation: str = ""


@dataclass(slots=True)
class EventFields:
    """The fields of an event, as stored; use `Event`, which keeps the long texts packed."""

    id: str
    title: str
    date: str
    """As written: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`."""
    sort_date: str
    """The first day `date` stands for, `YYYY-MM-DD`: what events are ordered and filtered by."""
    path: str
    """The file it came from, relative to the watched folder, with `:LINE` for `.jsonl` and `#N` in arrays."""
    kind: str = "other"
    end_date: str = ""
    city: str = ""
    country: str = ""
    countries: tuple[str, ...] = ()
    participants: tuple[Participant, ...] = ()
    topics: tuple[str, ...] = ()
    agenda: tuple[str, ...] = ()
    organizations: tuple[str, ...] = ()
    documents: tuple[Document, ...] = ()
    related: tuple[Link, ...] = ()
    series: str = ""
    source_name: str = ""
    source_url: str = ""
    source_published: str = ""
    summary: str = ""
    text: str = ""
    extra: dict[str, Any] = field(default_factory=dict)
    """Fields the format does not know, kept as they were (strings sanitised) and shown as they are."""


PACK_FROM = 256
"""Texts at least this long are kept compressed once indexed (see `Event.pack`)."""
_COUNT_BYTES = 5
"""A packed text starts with its length in characters (little-endian), so a head can say how much is left."""


class PackedText:
    """A text field of `EventFields` whose slot holds either the `str` or, once packed, its compressed
    UTF-8; reading it always gives the `str`."""

    def __init__(self, slot: Any) -> None:
        self.slot = slot

    def __get__(self, event: Any, owner: Any = None) -> Any:
        if event is None:
            return self
        value = self.slot.__get__(event)
        if type(value) is str:
            return value
        return zlib.decompress(value[_COUNT_BYTES:]).decode("utf-8", "surrogatepass")

    def __set__(self, event: Any, value: str) -> None:
        self.slot.__set__(event, value)

    def head(self, event: Any, limit: int) -> tuple[str, int]:
        """The first `limit` characters and the length of the whole, decompressing only what the head needs:
        the detail pane shows a screenful of a 10 MB summary on every cursor move."""
        value = self.slot.__get__(event)
        if type(value) is str:
            return value[:limit], len(value)
        length = int.from_bytes(value[:_COUNT_BYTES], "little")
        decoder = codecs.getincrementaldecoder("utf-8")("surrogatepass")
        # A character is at most 4 bytes of UTF-8, so this many bytes always hold `limit` characters.
        head = decoder.decode(zlib.decompressobj().decompress(value[_COUNT_BYTES:], 4 * limit + 4))
        return head[:limit], length

    def pack(self, event: Any) -> None:
        value = self.slot.__get__(event)
        if type(value) is str and len(value) >= PACK_FROM:
            packed = zlib.compress(value.encode("utf-8", "surrogatepass"), 1)
            self.slot.__set__(event, len(value).to_bytes(_COUNT_BYTES, "little") + packed)


_SLOTS = [EventFields.__dict__[item.name] for item in fields(EventFields)]


class Event(EventFields):
    """One event: built, compared, copied and printed like the dataclass it extends."""

    __slots__ = ()
    summary = PackedText(EventFields.summary)  # type: ignore[misc]
    text = PackedText(EventFields.text)  # type: ignore[misc]

    def pack(self) -> None:
        """Keep the long texts compressed from now on: the index calls this once it has read them.

        A summary and a text are most of an event's memory (~1.4 KB at one byte a character, two as soon as
        one dash or curly quote makes a string "wide"); compressed they take about 40 %: over 80 MB at
        100,000 events. Packing costs ~15 µs and reading ~5 µs a field, and only the detail pane, exports,
        phrase checks and alerts read them after indexing. Reading never changes: values stay `str`.
        """
        Event.summary.pack(self)
        Event.text.pack(self)

    def text_head(self, name: str, limit: int) -> tuple[str, int]:
        """The first `limit` characters of `summary` or `text` and the whole field's length in characters."""
        packed: PackedText = getattr(Event, name)
        return packed.head(self, limit)

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        # A load worker's events reach the loading process pickled (`store.files.parallel_load`): the slots
        # as stored, so the texts the worker packed stay packed (default pickling reads them through
        # `PackedText`, unpacked, for the index to pack again), given to `__init__` by position.
        return Event, tuple([slot.__get__(self) for slot in _SLOTS])

    @property
    def place(self) -> str:
        """'City, CC' or whichever half is known."""
        return ", ".join(part for part in (self.city, self.country) if part)

    def as_json(self) -> dict[str, Any]:
        """The normalised event in the file format's shape, for `query --json` and exports."""
        out: dict[str, Any] = {"id": self.id, "title": self.title, "date": self.date, "kind": self.kind}
        if self.end_date:
            out["end_date"] = self.end_date
        out["location"] = {"city": self.city, "country": self.country}
        out["countries"] = list(self.countries)
        out["participants"] = [
            {
                "name": p.name,
                "role": p.role,
                "country": p.country,
                "organization": p.organization,
                "delegation_head": p.delegation_head,
                "aliases": list(p.aliases),
            }
            for p in self.participants
        ]
        out["topics"] = list(self.topics)
        out["agenda"] = list(self.agenda)
        out["organizations"] = list(self.organizations)
        out["documents"] = [{"title": d.title, "date": d.date, "id": d.id} for d in self.documents]
        out["related"] = [{"id": link.id, "relation": link.relation} for link in self.related]
        out["series"] = self.series
        out["source"] = {"name": self.source_name, "url": self.source_url, "published": self.source_published}
        out["summary"] = self.summary
        out["text"] = self.text
        out.update({key: value for key, value in self.extra.items() if key not in out})
        out["path"] = self.path
        return out
