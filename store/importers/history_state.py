"""Import a file of the Office of the Historian (history.state.gov): which collection, which records.

`import_file("travels", path)` reads a `<trips>` file, `import_file("visits", path)` a `<visits>` file, and
turns every record into an event through `travels` or `visits`. A record that cannot be converted becomes
one problem line ("rice.xml: trip 1445: no <start-date>") and is skipped (a country no table knows is
not such a record: it is kept with the country unset and a warning line); a file that is not the collection
asked for, is not XML, or declares a DTD is one problem for the whole file.
"""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from store.importers.records import RecordProblem
from store.importers.safe_xml import UnreadableXml, read_xml_root
from store.importers.travels import trip_to_event
from store.importers.visits import visit_to_event


@dataclass(frozen=True)
class Collection:
    """One collection: the root and record tags of its files and how a record becomes an event."""

    root_tag: str
    record_tag: str
    to_event: Callable[[ElementTree.Element, list[str]], dict[str, object]]


COLLECTIONS: dict[str, Collection] = {
    "travels": Collection("trips", "trip", trip_to_event),
    "visits": Collection("visits", "visit", visit_to_event),
}
"""The SOURCE names `communique import` accepts."""


@dataclass
class ImportedFile:
    """The events of one file, the one-line problems of what was skipped, and warnings about records kept
    with a field left unset (a country no table knows)."""

    events: list[dict[str, object]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def import_file(source: str, path: Path) -> ImportedFile:
    """Every convertible record of `path` as an event; problems name the file and the record."""
    collection = COLLECTIONS[source]
    imported = ImportedFile()
    try:
        root = read_xml_root(path)
    except UnreadableXml as error:
        imported.problems.append(f"{path}: {error}")
        return imported
    if root.tag != collection.root_tag:
        expected = f"<{collection.root_tag}>"
        imported.problems.append(f"{path}: not a {source} file (root <{root.tag}>, expected {expected})")
        return imported
    for position, record in enumerate(root.iter(collection.record_tag), start=1):
        label = (record.findtext("id") or "").strip() or f"#{position}"
        warnings: list[str] = []
        try:
            imported.events.append(collection.to_event(record, warnings))
        except RecordProblem as problem:
            imported.problems.append(f"{path}: {collection.record_tag} {label}: {problem}")
        imported.warnings += [f"{path}: {collection.record_tag} {label}: {warning}" for warning in warnings]
    return imported
