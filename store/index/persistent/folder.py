"""A watched folder's files written into the persistent index, each event id settled as the store settles it.

`PersistentWriter` keeps what every file says; a folder's files may claim one event id more than once
(a copy, a file moved without the old one gone). The store (`store.event_store`) shows the claim whose
event path sorts first and reports every claimant; this layer applies the same rule inside the index, so
that a reader opened on it answers as the in-memory store does: the winning claim is a live document, the
others are kept in the `hidden` table (with their facts, so that one is shown at once when the winner goes,
without reading its file again). Invariant: at most one live document per id, always the first by path of
every claim held.

It never reads a file: the caller (`store.persistence.folder_index`) hands it what files say.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from store.files.event_files import FileStamp
from store.index.persistent.prepared import PreparedEvent
from store.index.persistent.writer import PersistentWriter
from store.model.event import Event
from store.model.problems import Problem


@dataclass(slots=True)
class _Withdrawn:
    withdrawn: set[str]
    """Ids whose claim by the file was taken out."""
    unchanged: set[str]
    """Ids whose claim by the file is the same event as the file says now: left as they are."""


class FolderWriter:
    """Files put and removed through one `PersistentWriter`, claims settled; `commit` as the writer's."""

    def __init__(self, writer: PersistentWriter) -> None:
        self.writer = writer
        self.hidden_moved = False
        """A claim was hidden or shown since the caller last cleared this: the duplicates it reports changed."""

    def put_file(
        self,
        path: str,
        stamp: FileStamp,
        events: Sequence[Event],
        problems: Iterable[Problem] = (),
        prepared: Sequence[PreparedEvent] | None = None,
        *,
        unreadable: bool = False,
    ) -> None:
        """What the file at `path` says now, replacing what it said before. `prepared`: what a load worker
        found of each event (`prepare_event`), when one read the file. `unreadable` (the file cannot be
        read or parsed now): a file that had good events keeps them, flagged stale, as the store keeps a
        last good version on screen until the file is fixed or deleted."""
        if unreadable and (self.writer.live_docnos(file=path) or self.writer.hidden(file=path)):
            self.writer.record_file(path, stamp, [[p.path, p.message, p.line] for p in problems], stale=True)
            return
        latest = {  # a file claiming one id twice shows its last (`store.files.event_files` says so)
            event.id: (event, prepared[number] if prepared is not None else None)
            for number, event in enumerate(events)
        }
        kept = self._withdraw(path, {event_id: event for event_id, (event, _) in latest.items()})
        touched = kept.withdrawn
        for event_id, (event, found) in latest.items():
            if event_id in kept.unchanged:
                continue  # the same claim as before: no new document, nothing reported
            touched.discard(event_id)
            self._settle(event_id, path, event, found)
        for event_id in sorted(touched):
            self._settle(event_id, path, None, None)
        self.writer.record_file(path, stamp, [[p.path, p.message, p.line] for p in problems])

    def look_ahead(self, files: Sequence[tuple[str, Sequence[Event]]]) -> None:
        """Say which files (with the events they hold now) are put or removed next, so that what they
        claimed is fetched at once, not a query at a time (`PersistentWriter.look_ahead`)."""
        self.writer.look_ahead(
            (path for path, _ in files), (event.id for _, events in files for event in events)
        )

    def remove_file(self, path: str) -> None:
        for event_id in sorted(self._withdraw(path).withdrawn):
            self._settle(event_id, path, None, None)
        self.writer.record_file(path, None)

    def commit(self) -> int:
        return self.writer.commit()

    def _withdraw(self, path: str, keep: Mapping[str, Event] | None = None) -> _Withdrawn:
        """Take the file's claims out (live or hidden), but those equal to the event `keep` has for their
        id: a file written again with the same events changes nothing, as in the in-memory store."""
        writer = self.writer
        keep = keep or {}
        found = _Withdrawn(set(), set())
        for docno in writer.live_docnos(file=path):
            event = writer.event_of(docno)
            if keep.get(event.id) == event:
                found.unchanged.add(event.id)
                continue
            found.withdrawn.add(event.id)
            writer.drop(docno)
        for _, event in writer.hidden(file=path):
            if keep.get(event.id) == event:
                found.unchanged.add(event.id)
                continue
            found.withdrawn.add(event.id)
            writer.unhide(event.id, path)
            self.hidden_moved = True
        return found

    def _settle(self, event_id: str, path: str, event: Event | None, prepared: PreparedEvent | None) -> None:
        """Show the first claim by event path of `event_id` among those held and the new one (`event`,
        from `path`; None: the file no longer claims it), keeping the others hidden."""
        writer = self.writer
        claims: list[tuple[str, int, Event, str, int | None]] = [
            (shown.path, 0, shown, writer.file_of_docno(docno), docno)
            for docno in writer.live_docnos(event_id=event_id)
            for shown in (writer.event_of(docno),)
        ]
        claims += [(held.path, 1, held, file, None) for file, held in writer.hidden(event_id=event_id)]
        if event is not None:
            claims.append((event.path, 2, event, path, None))
        if not claims:
            return
        claims.sort(key=lambda claim: (claim[0], claim[1]))
        self.hidden_moved |= len(claims) > 1
        _, kind, winner, winner_file, _ = claims[0]
        for _, other_kind, other, file, docno in claims[1:]:
            if other_kind == 0:  # the shown claim is outranked now: hidden
                assert docno is not None
                writer.drop(docno)
                writer.hide(other, file)
            elif other_kind == 2:
                writer.hide(other, file)
        if kind == 1:
            writer.unhide(event_id, winner_file)
            writer.add_event(winner, winner_file)
        elif kind == 2:
            writer.add_event(winner, winner_file, prepared)
