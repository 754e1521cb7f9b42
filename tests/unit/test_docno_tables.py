"""The index's field tables and per-person documents (sorted `array('I')`s) stay exact through any mix of
adds, changes, removals and re-adds: each equals a recount over the live events, in order, each once."""

from __future__ import annotations

import os
import tempfile
from array import array
from pathlib import Path
from typing import Any

import numpy as np
import orjson
from hypothesis import given, settings
from hypothesis import strategies as st

from store.entities.people import add_docno, merged_docnos, new_docnos, remove_docno
from store.event_store import EventStore
from store.index.search_index import SearchIndex
from store.model.event import Event
from store.model.textfold import fold

TABLES = (
    "countries",
    "topics",
    "kinds",
    "organizations",
    "places",
    "sources",
    "records",
    "rounds",
    "series",
    "documents",
)


def expected_keys(event: Event) -> dict[str, set[str]]:
    """What each table should hold for one event, recounted from its fields."""
    keys = {
        "countries": {event.country, *event.countries, *(p.country for p in event.participants)},
        "topics": set(event.topics),
        "kinds": {event.kind},
        "organizations": set(event.organizations),
        "places": {event.city, event.country},
        "sources": {event.source_name},
        "records": {event.source_url},
        "rounds": {"\x1f".join(sorted(set(event.countries)))}
        if event.kind == "consultation" and len(event.countries) >= 2
        else set(),
        "series": {event.series},
        "documents": {fold(document.title) for document in event.documents},
    }
    return {name: values - {""} for name, values in keys.items()}


def as_lists(table: dict[Any, array[int]]) -> dict[Any, list[int]]:
    for docnos in table.values():
        assert isinstance(docnos, array) and docnos.typecode == "I"
    return {key: docnos.tolist() for key, docnos in table.items()}


def assert_exact(index: SearchIndex) -> None:
    """Every table and every person equals a brute-force recount over the live events."""
    recount: dict[str, dict[str, list[int]]] = {name: {} for name in TABLES}
    people: dict[Any, list[int]] = {}
    for docno in sorted(index.live):
        event = index.event(docno)
        for name, keys in expected_keys(event).items():
            for key in keys:
                recount[name].setdefault(key, []).append(docno)
        for person in index.people.keys_of(event):
            people.setdefault(person, []).append(docno)
    for name in TABLES:
        assert as_lists(getattr(index, name)) == recount[name], name
    assert as_lists({key: person.docnos for key, person in index.people.persons.items()}) == people
    for name in TABLES:
        table = getattr(index, name)
        for key, docnos in recount[name].items():
            assert np.flatnonzero(index.table_mask(table, [key])).tolist() == docnos
            assert index.key_array(table, key).tolist() == docnos


def ids_by_key(index: SearchIndex) -> dict[str, dict[str, set[str]]]:
    return {
        name: {key: {index.id_of[docno] for docno in docnos} for key, docnos in getattr(index, name).items()}
        for name in TABLES
    }


_NAMES = ["Vepa Hadjiev", "Vepa Hajiyev", "Rashid Meredov", "Mikhail Galuzin"]
_PARTICIPANT = st.fixed_dictionaries(
    {"name": st.sampled_from(_NAMES), "country": st.sampled_from(["TM", "RU", ""])},
    optional={"aliases": st.lists(st.sampled_from(_NAMES), max_size=1)},
)
_EVENT = st.fixed_dictionaries(
    {
        "id": st.sampled_from(["a", "b", "c", "d", "e"]),
        "title": st.just("An event"),
        "date": st.sampled_from(["2021", "2022-06", "2023-05-04"]),
        "kind": st.sampled_from(["meeting", "consultation", "call"]),
        # the city may equal the country: "TM" is then one place, listed twice
        "location": st.fixed_dictionaries(
            {"city": st.sampled_from(["Ashgabat", "TM", ""]), "country": st.sampled_from(["TM", "RU"])}
        ),
        "countries": st.lists(st.sampled_from(["TM", "RU", "KZ"]), max_size=3),
        "participants": st.lists(_PARTICIPANT, max_size=3),
        "topics": st.lists(st.sampled_from(["trade", "security", "Trade"]), max_size=3),
        "organizations": st.lists(st.sampled_from(["UN", "CIS"]), max_size=3),
        # two titles that fold alike are one document key
        "documents": st.lists(
            st.sampled_from(["Declaration", "DECLARATION", "Déclaration", "Treaty"]), max_size=3
        ),
        "source": st.fixed_dictionaries({"name": st.sampled_from(["nCa", "MFA"])}),
        "series": st.sampled_from(["", "TM-RU consultations"]),
    }
)
_STEPS = st.lists(
    st.one_of(
        st.tuples(st.just("write"), st.integers(0, 3), st.lists(_EVENT, min_size=1, max_size=2)),
        st.tuples(st.just("delete"), st.integers(0, 3), st.just([])),
    ),
    min_size=1,
    max_size=12,
)


@settings(max_examples=120, deadline=None)
@given(_STEPS)
def test_tables_and_people_match_a_recount_after_any_updates(steps: list[tuple[str, int, list[Any]]]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        store = EventStore(root)
        store.load()
        stamp = 1_700_000_000 * 10**9
        for action, number, events in steps:
            path = root / f"f{number}.json"
            if action == "write":
                path.write_bytes(orjson.dumps(events))
                stamp += 1  # distinct mtimes even on coarse clocks: the store compares size and mtime
                os.utime(path, ns=(stamp, stamp))
                store.upsert(path)
            elif path.exists():
                path.unlink()
                store.remove(path)
            assert_exact(store.index)
        fresh = EventStore(root)
        fresh.load()
        assert ids_by_key(fresh.index) == ids_by_key(store.index)


def test_a_key_named_twice_by_one_event_is_added_and_removed_once(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    twice = {
        "id": "a",
        "title": "Twice",
        "date": "2023",
        "location": {"city": "TM", "country": "TM"},
        "countries": ["TM"],
        "participants": [
            {"name": "Vepa Hadjiev", "country": "TM"},
            {"name": "Vepa Hajiyev", "country": "TM"},
        ],
        "documents": [{"title": "Declaration"}, {"title": "DECLARATION"}],
    }
    path.write_bytes(orjson.dumps([twice, {"id": "b", "title": "Other", "date": "2022"}]))
    store = EventStore(tmp_path)
    store.load()
    index = store.index
    docno = index.docno_of["a"]
    assert index.places["TM"].tolist() == [docno]
    assert index.documents["declaration"].tolist() == [docno]
    (person,) = index.people.persons.values()
    assert person.docnos.tolist() == [docno]
    path.write_bytes(orjson.dumps([{"id": "b", "title": "Other", "date": "2022"}]))
    store.upsert(path)
    assert "TM" not in index.places and "declaration" not in index.documents and not index.people.persons
    assert_exact(index)


def test_alias_joins_merge_documents_once_and_removal_stays_exact(tmp_path: Path) -> None:
    both = {
        "id": "both",
        "title": "Two names, one man",
        "date": "2023",
        "participants": [
            {"name": "Vepa Hadjiev", "country": "TM"},
            {"name": "Rashid Meredov", "country": "TM"},
        ],
    }
    join = {
        "id": "join",
        "title": "The alias",
        "date": "2024",
        "participants": [{"name": "Rashid Meredov", "country": "TM", "aliases": ["Vepa Hadjiev"]}],
    }
    (tmp_path / "both.json").write_bytes(orjson.dumps(both))
    store = EventStore(tmp_path)
    store.load()
    (tmp_path / "join.json").write_bytes(orjson.dumps(join))
    store.upsert(tmp_path / "join.json")
    index = store.index
    (person,) = index.people.persons.values()
    assert person.docnos.tolist() == sorted([index.docno_of["both"], index.docno_of["join"]])
    assert_exact(index)
    (tmp_path / "both.json").unlink()
    store.remove(tmp_path / "both.json")
    assert_exact(index)
    (tmp_path / "join.json").unlink()
    store.remove(tmp_path / "join.json")
    assert not index.people.persons
    assert_exact(index)


@settings(max_examples=300)
@given(st.lists(st.tuples(st.booleans(), st.integers(0, 40)), max_size=60))
def test_sorted_docno_arrays_behave_like_sets(steps: list[tuple[bool, int]]) -> None:
    docnos = new_docnos()
    model: set[int] = set()
    next_docno = 0
    for adding, value in steps:
        if adding:
            for _ in range(1 + value % 2):  # the same docno added twice in one event counts once
                add_docno(docnos, next_docno)
            model.add(next_docno)
            next_docno += 1
        else:
            assert remove_docno(docnos, value) == (value in model)
            model.discard(value)
        assert docnos.tolist() == sorted(model)
    other = new_docnos(*range(0, next_docno + 5, 3))
    assert merged_docnos(docnos, other).tolist() == sorted(model | set(other))
