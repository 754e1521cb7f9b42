"""The normalised event: what the rest of the program may rely on.

A file's raw JSON is untrusted and loosely typed; `store.validate` turns it into these objects once, so that
panes, filters, cross-references and exports never re-check a type or re-clean a string. Every text field
here is already sanitised (see `store.sanitize`), tags are slugged, country codes are upper-case ISO 3166-1
alpha-2. The objects are treated as immutable: a changed file produces new objects.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

KINDS = ("consultation", "meeting", "visit", "summit", "call", "signing", "conference", "other")
"""Every kind an event may have; `other` is the default so that a collector need not guess."""


@dataclass(slots=True)
class Participant:
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
class Event:
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
