"""The store's records pickle by their constructor (no state object each) and come back equal."""

from __future__ import annotations

import pickle
import pickletools

import pytest

from store.event_store import FileEntry
from store.files.event_files import FileStamp
from store.index.search_index import Indexed
from store.model.event import Document, Event, EventFields, Link, Participant
from store.model.problems import Problem

_PARTICIPANT = Participant("Vepa Hadjiev", "Minister", "TM", "MFA", True, ("Hajiyev",))
_EVENT = Event(
    "e1",
    "Consultations",
    "2023-05-04",
    "2023-05-04",
    "a.json",
    participants=(_PARTICIPANT,),
    documents=(Document("Declaration", "2022"),),
    related=(Link("e0", "earlier round"),),
    summary="Regional security " * 40,
    extra={"notes": [1, "x"]},
)
_EVENT.pack()

RECORDS = [
    _PARTICIPANT,
    Document("Declaration", "2022", "d1"),
    Link("e0", "earlier round"),
    FileStamp(120, 1_700_000_000_000_000_000),
    Problem("b.json", "invalid JSON", 3),
    _EVENT,
    FileEntry(FileStamp(1, 2), (_EVENT,), (Problem("a.json", "duplicate id"),), True),
    Indexed(_EVENT, (("hadjiev", "TM"),)),
]


@pytest.mark.parametrize("record", RECORDS, ids=lambda record: type(record).__name__)
def test_records_round_trip_without_a_state_object(record: object) -> None:
    data = pickle.dumps(record, protocol=pickle.HIGHEST_PROTOCOL)
    assert pickle.loads(data) == record
    opcodes = {opcode.name for opcode, _, _ in pickletools.genops(data)}
    assert "BUILD" not in opcodes and "NEWOBJ" not in opcodes  # rebuilt by one constructor call each


def test_packed_texts_stay_packed_through_a_pickle() -> None:
    copy = pickle.loads(pickle.dumps(_EVENT))
    assert type(EventFields.summary.__get__(copy)) is bytes  # type: ignore[attr-defined]
    assert copy.summary == "Regional security " * 40
