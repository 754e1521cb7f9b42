"""The folder's persistent index (`store.persistence.folder_index`), as the commands open it: it answers
exactly as a store loaded from the folder, re-reads only changed files, never waits for a writer, and
rebuilds a damaged or foreign index with one line said."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from store.event_store import EventStore, PersonCount
from store.index.persistent import PersistentWriter
from store.index.persistent.storage import DATABASE
from store.persistence.folder_index import Reading, index_location, open_index
from tests.conftest import WriteEvent, event
from tests.unit.reads import count_reads
from tests.unit.test_filter_plan import _EVENT, FILTERS

IDS = ["a", "b", "c", "d"]
"""A small pool: files often claim the same id, which the index must settle as the store does."""
FILES = ["x.json", "y.json", "sub/z.json", "sub/w.jsonl", "v.json"]


CLAIMS = st.lists(st.tuples(st.sampled_from(IDS), _EVENT), min_size=1, max_size=3).map(
    lambda pairs: [{**raw, "id": event_id} for event_id, raw in pairs]
)
"""A readable file's events."""
_FILE = st.one_of(
    CLAIMS,
    st.just(None),  # deleted
    st.just(b"{ not json"),  # unreadable
)
STEPS = st.lists(
    st.dictionaries(st.sampled_from(FILES), _FILE, min_size=1, max_size=4), min_size=1, max_size=3
)


def _write(root: Path, rel: str, content: list[dict[str, Any]] | bytes | None, stamp: int) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if content is None:
        path.unlink(missing_ok=True)
        return
    if isinstance(content, bytes):
        data = content
    elif rel.endswith(".jsonl"):
        data = b"\n".join(orjson.dumps(raw) for raw in content)
    else:
        data = orjson.dumps(content if len(content) > 1 else content[0])
    path.write_bytes(data)
    os.utime(path, (stamp, stamp))


def people(found: list[PersonCount]) -> tuple[list[tuple[int, str]], list[bytes]]:
    """The participants pane's order (most events first, then by name) and every person's figures: persons
    tied on both are in the order their events reached the index, which a folder changed step by step
    and a folder loaded at once need not share."""
    return [(person.events, person.name) for person in found], sorted(
        orjson.dumps(person.as_json()) for person in found
    )


def answers(store: EventStore, filters: list[str]) -> dict[str, Any]:
    """Everything the commands print, as values."""
    found: dict[str, Any] = {
        "count": len(store),
        "events": sorted(orjson.dumps(store.get(i).as_json()) for i in store.event_ids()),  # type: ignore[union-attr]
        "participants": people(store.participants()),
        "topics": store.topics(),
        "related": {i: [r.as_json() for r in store.related(i)] for i in sorted(store.event_ids())},
    }
    for text in ["", *filters]:
        result = store.query(text)
        found[text] = (
            list(result.ids),
            people(store.participants(result)),
            store.topics(result),
        )
        for sort in ("title", "kind", "arrival"):
            found[f"{text} by {sort}"] = sorted(store.query(text, sort=sort, descending=False).ids)
    return found


def persistent_store(root: Path) -> EventStore:
    reader = open_index(root, Reading(max_bytes=10_000_000), warn=pytest.fail)
    assert reader is not None
    return EventStore(root, reader=reader)


def memory_store(root: Path) -> EventStore:
    store = EventStore(root, max_bytes=10_000_000)
    store.load()
    return store


SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(steps=STEPS, filters=st.lists(FILTERS, min_size=1, max_size=3))
def test_the_index_answers_as_a_store_loaded_from_the_folder_after_every_change(
    steps: list[dict[str, Any]], filters: list[str]
) -> None:
    compare_step_by_step(steps, filters)


def compare_step_by_step(steps: list[dict[str, Any]], filters: list[str]) -> None:
    stamp = 1_700_000_000
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "events"
        root.mkdir()
        for step in steps:
            for rel, content in step.items():
                stamp += 1
                _write(root, rel, content, stamp)
            expected = answers(memory_store(root), filters)
            assert answers(persistent_store(root), filters) == expected


@pytest.fixture
def root(write_event: WriteEvent) -> Path:
    write_event("a.json", event(id="a", title="Alpha"))
    write_event("sub/b.json", event(id="b", title="Beta"))
    return write_event("c.json", event(id="c", title="Gamma")).parent


def test_a_reopen_reads_only_the_files_changed_added_or_gone(
    root: Path, write_event: WriteEvent, monkeypatch: pytest.MonkeyPatch
) -> None:
    persistent_store(root)
    reads = count_reads(monkeypatch)
    assert sorted(persistent_store(root).event_ids()) == ["a", "b", "c"] and reads == []
    write_event("a.json", event(id="a", title="Alpha changed"))
    write_event("d.json", event(id="d", title="Delta"))
    (root / "sub" / "b.json").unlink()
    store = persistent_store(root)
    assert sorted(reads) == ["a.json", "d.json"]
    assert sorted(store.event_ids()) == ["a", "c", "d"] and list(store.query("changed").ids) == ["a"]


def test_a_command_reads_the_last_commit_without_waiting_while_a_dashboard_writes(
    root: Path, write_event: WriteEvent, monkeypatch: pytest.MonkeyPatch
) -> None:
    persistent_store(root)
    write_event("d.json", event(id="d", title="Delta"))
    reads = count_reads(monkeypatch)
    with PersistentWriter(index_location(root)):  # the dashboard's lock
        store = persistent_store(root)
    assert reads == [] and sorted(store.event_ids()) == ["a", "b", "c"]  # no walk: the writer's last commit
    assert sorted(persistent_store(root).event_ids()) == ["a", "b", "c", "d"]  # lock free: brought up to date


@pytest.mark.parametrize("damage", ["garbage", "foreign"])
def test_a_damaged_or_foreign_index_is_rebuilt_with_one_line(root: Path, damage: str) -> None:
    persistent_store(root)
    database = index_location(root) / DATABASE
    if damage == "garbage":
        for name in (DATABASE, f"{DATABASE}-wal", f"{DATABASE}-shm"):
            (index_location(root) / name).unlink(missing_ok=True)
        database.write_bytes(b"not a database at all" * 100)
    else:
        import sqlite3

        with sqlite3.connect(database) as connection:
            connection.execute("UPDATE meta SET value = 'someone-else-1' WHERE key = 'format'")
    said: list[str] = []
    reader = open_index(root, Reading(max_bytes=10_000_000), warn=said.append)
    assert reader is not None and sorted(EventStore(root, reader=reader).event_ids()) == ["a", "b", "c"]
    assert len(said) == 1 and "rebuilding" in said[0] and "\n" not in said[0]
    assert persistent_store(root).event_ids()  # and the rebuilt one is trusted next time


def test_files_are_read_again_when_the_reading_options_change(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    persistent_store(root)
    reads = count_reads(monkeypatch)
    reader = open_index(root, Reading(max_bytes=20), warn=pytest.fail)  # every file is now too large
    assert reader is not None and len(reader) == 0 and len(reads) == 3


def test_the_query_command_answers_from_the_persistent_index(
    root: Path, write_event: WriteEvent, capsys: pytest.CaptureFixture[str]
) -> None:
    from cli.main import main

    write_event("dup.json", event(id="a", title="Alpha copy"))  # a duplicate id, settled by path
    outputs = []
    for options in ([], ["--no-cache"], []):
        assert main(["query", str(root), "--json", *options]) == 0
        outputs.append(capsys.readouterr())
        if not options:
            assert (index_location(root) / DATABASE).exists()
    assert outputs[0] == outputs[1] == outputs[2]
    assert [item["title"] for item in orjson.loads(outputs[0].out)].count("Alpha") == 1


def test_a_command_reads_the_files_while_another_process_builds_the_first_index(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from cli.main import main

    with PersistentWriter(index_location(root)) as writer:  # a first build under way: nothing reconciled
        writer.commit()
        assert main(["query", str(root), "--json"]) == 0
    out, err = capsys.readouterr()
    assert sorted(item["id"] for item in orjson.loads(out)) == ["a", "b", "c"]
    assert err.count("\n") == 1 and "being built by another process" in err
