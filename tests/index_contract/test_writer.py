"""`IndexWriter`: batches, commits and what each commit says it did; readers see only committed
states. Runs once per engine of `ENGINE_FACTORIES`."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from store.index.protocol import IndexWriter
from store.model.changes import Changes
from tests.index_contract import naive
from tests.index_contract.conftest import EngineFactory, events_of

RAWS = [
    {"id": "a", "title": "Alpha talks", "date": "2023-01-02"},
    {"id": "b", "title": "Beta talks", "date": "2023-01-03"},
    {"id": "c", "title": "Gamma talks", "date": "2023-01-04"},
]


def test_commits_say_what_they_did(engine_factory: EngineFactory, tmp_path: Path) -> None:
    engine = engine_factory(tmp_path)
    writer = engine.open_writer()
    assert isinstance(writer, IndexWriter)
    a, b, c = events_of(RAWS)
    with writer.bulk_loading():
        first = [writer.add(event) for event in (a, b)]
    assert len(set(first)) == 2
    assert writer.commit() == Changes(added={"a", "b"})
    assert writer.commit() == Changes()
    changed_a = dataclasses.replace(a, title="Alpha talks, revised")
    writer.remove("a")
    again = writer.add(changed_a)
    writer.add(c)
    writer.remove("b")
    writer.remove("nobody")
    assert again not in first  # a changed event is a new document
    assert writer.commit() == Changes(added={"c"}, changed={"a"}, removed={"b"})
    writer.add(dataclasses.replace(b, title="Beta is back"))
    writer.remove("b")
    assert writer.commit() == Changes()  # added then removed: never there for a reader
    reader = engine.open_reader()
    live = naive.live_events(reader, [changed_a, c])
    assert sorted(reader.event_ids()) == ["a", "c"]
    assert reader.event_by_id("a") == changed_a and reader.docno("a") == again
    assert naive.docnos_of(reader.word_mask("revised", prefix=False)) == {again}
    assert naive.docnos_of(reader.word_mask("beta", prefix=False)) == set()
    assert reader.event_id(first[1]) == "b"  # an answer made before may still name it
    assert set(live) == naive.docnos_of(reader.live_mask())


def test_a_write_starts_a_new_generation(engine_factory: EngineFactory, tmp_path: Path) -> None:
    engine = engine_factory(tmp_path)
    writer = engine.open_writer()
    a, b, _ = events_of(RAWS)
    writer.add(a)
    writer.commit()
    reader = engine.open_reader()
    before = reader.generation
    built = reader.derive(("contract", "len"), lambda: len(reader))
    writer.add(b)
    writer.commit()
    reader = engine.open_reader()
    assert reader.generation != before
    assert reader.derive(("contract", "len"), lambda: len(reader)) == built + 1


def test_prepare_changes_no_answer(engine_factory: EngineFactory, tmp_path: Path) -> None:
    engine = engine_factory(tmp_path)
    writer = engine.open_writer()
    with writer.bulk_loading():
        for event in reversed(events_of(RAWS)):  # out of date order, as a load goes
            writer.add(event)
    writer.commit()
    writer.prepare()
    reader = engine.open_reader()
    live = naive.live_events(reader, events_of(RAWS))
    assert reader.ordered("date", True).tolist() == naive.ordered(live, "date", True)
    assert naive.docnos_of(reader.word_mask("talks", prefix=False)) == set(live)
