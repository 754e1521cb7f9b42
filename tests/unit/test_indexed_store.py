"""The dashboard's store over the persistent index (`store.persistence.indexed_store`) against the in-memory
store, both kept up to date file by file as the watcher keeps them: the same answers, problems, stale
events and changes after every step, and a reopen that shows the last commit at once."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from store.event_store import EventStore
from store.index.persistent import PersistentWriter
from store.index.persistent.engine import PersistentIndex
from store.model.changes import Changes
from store.persistence.indexed_store import IndexedStore
from tests.conftest import event
from tests.unit.test_filter_plan import FILTERS
from tests.unit.test_folder_index import CLAIMS, FILES, SETTINGS, STEPS, _write, answers, memory_store


def _seen(store: EventStore, filters: list[str]) -> dict[str, Any]:
    found = answers(store, filters)
    found["problems"] = [str(problem) for problem in store.problems()]
    found["stale"] = sorted(store.stale_ids())
    return found


def _what(changes: Changes) -> tuple[set[str], set[str], set[str]]:
    return changes.added, changes.changed, changes.removed


@SETTINGS
@given(steps=STEPS, filters=FILTERS.map(lambda text: [text]))
def test_kept_file_by_file_it_answers_as_the_in_memory_store(
    steps: list[dict[str, Any]], filters: list[str]
) -> None:
    """And a command reading its commits (one opened afresh, one opened first and refreshed since) answers
    as a load of the folder, whatever stale files the dashboard keeps and whoever else claims their ids."""
    stamp = 1_700_000_000
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "events"
        root.mkdir()
        memory = EventStore(root, max_bytes=10_000_000)
        memory.load()
        indexed = IndexedStore(root, PersistentWriter(Path(folder) / "index"), max_bytes=10_000_000)
        indexed.load()
        following = PersistentIndex(Path(folder) / "index", without_stale=True)
        try:
            for step in steps:
                for rel, content in step.items():
                    stamp += 1
                    _write(root, rel, content, stamp)
                paths = sorted(step)
                assert _what(indexed.apply_paths(paths)) == _what(memory.apply_paths(paths))
                assert _seen(indexed, filters) == _seen(memory, filters)
                _commands_answer_as_a_load(root, following, filters)
            # A folder gone, then files found only by a walk (as after a missed notification).
            shutil.rmtree(root / "sub", ignore_errors=True)
            assert _what(indexed.apply_paths(["sub"])) == _what(memory.apply_paths(["sub"]))
            for rel, content in steps[0].items():
                stamp += 1
                _write(root, f"new/{rel}", content, stamp)
            assert _what(indexed.reconcile()) == _what(memory.reconcile())
            assert _seen(indexed, filters) == _seen(memory, filters)
            # A command's answer: the last good versions of stale files dropped, every claim settled.
            assert _what(indexed.forget_stale()) == _what(memory.forget_stale())
            assert _seen(indexed, filters) == _seen(memory, filters)
        finally:
            following.close()
            indexed.close()


@SETTINGS
@given(
    first=st.dictionaries(st.sampled_from(FILES), CLAIMS, min_size=2, max_size=5),
    broken=st.sets(st.sampled_from(FILES), min_size=1, max_size=3),
    later=STEPS,
    filters=FILTERS.map(lambda text: [text]),
)
def test_a_command_shows_what_a_load_shows_of_the_ids_of_stale_files(
    first: dict[str, Any], broken: set[str], later: list[dict[str, Any]], filters: list[str]
) -> None:
    """Issue #17: files claiming the same ids, some of them turned unreadable under a dashboard that keeps
    their last good claims (often outranking another file's), then changed again: a command shows, for
    each id, the claim a load of the folder shows, with its own facts."""
    stamp = 1_700_000_000
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "events"
        root.mkdir()
        for rel, content in first.items():
            _write(root, rel, content, stamp)
        indexed = IndexedStore(root, PersistentWriter(Path(folder) / "index"), max_bytes=10_000_000)
        indexed.load()
        following = PersistentIndex(Path(folder) / "index", without_stale=True)
        try:
            for step in [dict.fromkeys(broken, b"{ not json"), *later]:
                for rel, content in step.items():
                    stamp += 1
                    _write(root, rel, content, stamp)
                indexed.apply_paths(sorted(step))
                _commands_answer_as_a_load(root, following, filters)
        finally:
            following.close()
            indexed.close()


def _commands_answer_as_a_load(root: Path, following: PersistentIndex, filters: list[str]) -> None:
    """A command's reader of the dashboard's last commit (the index beside `root`), opened now and opened
    earlier (`following`, refreshed here), answers as a store loaded from the folder."""
    loaded = answers(memory_store(root), filters)
    following.refresh()
    fresh = PersistentIndex(root.parent / "index", without_stale=True)
    try:
        for command in (fresh, following):
            assert answers(EventStore(root, reader=command), filters) == loaded
    finally:
        fresh.close()


def test_an_unreadable_file_keeps_its_last_good_events_flagged_stale(tmp_path: Path) -> None:
    root = tmp_path / "events"
    root.mkdir()
    _write(root, "x.json", [{**_one("a"), "title": "Alpha"}], 1_700_000_000)
    store = IndexedStore(root, PersistentWriter(tmp_path / "index"))
    store.load()
    _write(root, "x.json", b"{ not json", 1_700_000_001)
    changes = store.apply_paths(["x.json"])
    assert changes.problems_changed and not changes.removed
    assert store.stale_ids() == {"a"}
    assert store.get("a").title == "Alpha"  # type: ignore[union-attr]
    assert [problem.message for problem in store.problems()][-1].startswith("showing its last good version")
    _write(root, "x.json", None, 1_700_000_002)
    assert store.apply_paths(["x.json"]).removed == {"a"}
    assert store.stale_ids() == set() and store.problems() == []
    store.close()


def test_forgetting_a_stale_file_shows_the_other_claim_of_its_ids(tmp_path: Path) -> None:
    root = tmp_path / "events"
    root.mkdir()
    _write(root, "a.json", [{**_one("dup"), "title": "From a"}], 1_700_000_000)
    _write(root, "b.json", [{**_one("dup"), "title": "From b"}], 1_700_000_000)
    memory = EventStore(root)
    memory.load()
    store = IndexedStore(root, PersistentWriter(tmp_path / "index"))
    store.load()
    _write(root, "a.json", b"{ not json", 1_700_000_001)
    for one in (memory, store):
        one.apply_paths(["a.json"])
        one.forget_stale()
    assert store.get("dup").title == memory.get("dup").title == "From b"  # type: ignore[union-attr]
    assert [str(p) for p in store.problems()] == [str(p) for p in memory.problems()]
    store.close()


def test_a_reopen_shows_the_last_commit_and_reads_only_what_changed(tmp_path: Path) -> None:
    root = tmp_path / "events"
    root.mkdir()
    for number, rel in enumerate(FILES[:3]):
        _write(root, rel, [_one(f"e{number}")], 1_700_000_000)
    store = IndexedStore(root, PersistentWriter(tmp_path / "index"))
    assert store.load().added == {"e0", "e1", "e2"}
    store.close()
    _write(root, FILES[0], [_one("e9")], 1_700_000_100)
    (root / FILES[1]).unlink()
    store = IndexedStore(root, PersistentWriter(tmp_path / "index"))
    assert sorted(store.event_ids()) == ["e0", "e1", "e2"]  # the last commit, before any walk
    changes = store.load()
    assert sorted(store.event_ids()) == ["e2", "e9"]
    assert {"e0", "e1"} <= changes.removed or {"e0", "e1"}.isdisjoint(store.event_ids())
    store.close()


def _one(event_id: str) -> dict[str, Any]:
    return event(id=event_id, title=f"Consultations {event_id}", participants=[{"name": "Vepa Hadjiev"}])


def test_a_second_store_follows_the_writers_commits_and_takes_over_when_it_quits(tmp_path: Path) -> None:
    root = tmp_path / "events"
    root.mkdir()
    _write(root, "x.json", [_one("a")], 1_700_000_000)
    writer = IndexedStore(root, PersistentWriter(tmp_path / "index"))
    writer.load()
    follower = IndexedStore(root, None, location=tmp_path / "index")
    assert follower.following and follower.event_ids() == ["a"]
    assert follower.load().added == {"a"}
    _write(root, "y.json", [_one("b")], 1_700_000_001)
    _write(root, "x.json", b"{ not json", 1_700_000_001)
    assert _what(writer.apply_paths(["x.json", "y.json"])) == ({"b"}, set(), set())
    changes = follower.follow()
    assert _what(changes) == ({"b"}, set(), set()) and changes.problems_changed
    assert [str(p) for p in follower.problems()] == [str(p) for p in writer.problems()]
    assert follower.stale_ids() == {"a"}
    assert not follower.follow()  # nothing new
    assert not follower.take_over()  # the writer still runs
    writer.close()
    assert follower.take_over() and not follower.following
    (root / "y.json").unlink()
    assert follower.apply_paths(["y.json"]).removed == {"b"}
    follower.close()


def test_a_second_dashboard_store_follows_the_first(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from store.persistence.loading import dashboard_store

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    root = tmp_path / "events"
    root.mkdir()
    _write(root, "x.json", [_one("a")], 1_700_000_000)
    first = dashboard_store(root)
    assert isinstance(first, IndexedStore) and not first.following
    second = dashboard_store(root)
    assert isinstance(second, EventStore) and not isinstance(second, IndexedStore)  # still being built
    first.load()
    second = dashboard_store(root)
    assert isinstance(second, IndexedStore) and second.following and second.event_ids() == ["a"]
    first.close()
    second.close()


def test_a_command_leaves_out_what_a_dashboard_keeps_of_a_stale_file(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A dashboard shows a stale file's last good events; a command answers as a load of the folder would,
    while the dashboard runs (reading its commit) and after it quit (reconciling the index itself)."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    root = tmp_path / "events"
    root.mkdir()
    _write(root, "x.json", [_one("a")], 1_700_000_000)
    _write(root, "y.json", [{**_one("b"), "participants": [{"name": "Mikhail Galuzin"}]}], 1_700_000_000)
    _command_answers_as_a_load_while_a_dashboard_keeps(root, "y.json")


def test_a_command_shows_the_other_claim_of_a_stale_files_id(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Issue #17: the stale file's claim to an id outranks another file's (its path sorts first), which the
    dashboard keeps hidden; a command shows that other claim, with its own facts, as a load would."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    root = tmp_path / "events"
    root.mkdir()
    _write(root, "a.json", [{**_one("dup"), "title": "Talks in Tokyo", "topics": ["trade"]}], 1_700_000_000)
    galuzin = [{"name": "Mikhail Galuzin"}]
    from_b = {**_one("dup"), "title": "Galuzin in Seoul", "participants": galuzin, "date": "2024-05-06"}
    _write(root, "b.json", [from_b, _one("other")], 1_700_000_000)
    _write(root, "c.json", [{**_one("dup"), "title": "From c"}], 1_700_000_000)
    seen = _command_answers_as_a_load_while_a_dashboard_keeps(root, "a.json")
    assert seen["events"] and seen["galuzin"][0] == ["dup"]


def _command_answers_as_a_load_while_a_dashboard_keeps(root: Path, stale: str) -> dict[str, Any]:
    """Make `stale` unreadable under a dashboard that keeps its last good events, then check that a command
    answers as a load of the folder while the dashboard runs and after it quit; the command's answers."""
    from store.files.event_files import DEFAULT_MAX_BYTES
    from store.persistence.folder_index import Reading, open_index
    from store.persistence.loading import dashboard_store

    dashboard = dashboard_store(root)
    dashboard.load()
    dashboard.prepare()
    kept = set(dashboard.event_ids())
    _write(root, stale, b"{ not json", 1_700_000_001)
    dashboard.apply_paths([stale])
    assert dashboard.stale_ids() and set(dashboard.event_ids()) == kept
    loaded = EventStore(root)
    loaded.load()
    expected = _seen(loaded, ["galuzin"])
    del expected["problems"], expected["stale"]  # a command lists problems from the files themselves
    for moment in ("while the dashboard runs", "after it quit"):
        reader = open_index(root, Reading(max_bytes=DEFAULT_MAX_BYTES), warn=print)
        assert reader is not None, moment
        command = EventStore(root, reader=reader)
        seen = answers(command, ["galuzin"])
        assert seen == expected, moment
        reader.close()
        dashboard.close()
    return seen


def test_a_command_after_the_dashboard_reads_no_file_again(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The dashboard notes how it read the files, as a command does: the next command on the unchanged
    folder reads none of them again."""
    from store.files.event_files import DEFAULT_MAX_BYTES
    from store.persistence.folder_index import Reading, open_index
    from store.persistence.loading import dashboard_store
    from tests.unit.reads import count_reads

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    root = tmp_path / "events"
    root.mkdir()
    for number in range(3):
        _write(root, f"{number}.json", [_one(f"e{number}")], 1_700_000_000)
    dashboard = dashboard_store(root)
    dashboard.load()
    dashboard.close()
    reads = count_reads(monkeypatch)
    reader = open_index(root, Reading(max_bytes=DEFAULT_MAX_BYTES), warn=print)
    assert reader is not None and len(reader) == 3
    assert reads == []
    reader.close()


def test_a_commands_keyed_order_followed_across_a_stand_in_equals_a_fresh_one(tmp_path: Path) -> None:
    """Review of 69f6a7d: a stand-in takes a stale document's number, so that number's sort key changes
    while it stays live; a command's reader that had sorted by title before must place it once, by its
    new key, as a reader opened afresh does (SORT_KEYS then docno)."""
    root = tmp_path / "events"
    root.mkdir()
    _write(root, "x.json", [{**_one("a"), "title": "Zulu"}, {**_one("b"), "title": "Mike"}], 1_700_000_000)
    _write(root, "y.json", [{**_one("a"), "title": "Alpha"}], 1_700_000_000)  # hidden: x.json sorts first
    store = IndexedStore(root, PersistentWriter(tmp_path / "index"))
    store.load()
    command = PersistentIndex(tmp_path / "index", without_stale=True)
    try:
        assert len(command.ordered("title", False)) == 2
        _write(root, "x.json", b"{ not json", 1_700_000_001)  # stale: y.json's "Alpha" stands in for a
        store.apply_paths(["x.json"])
        command.refresh()
        fresh = PersistentIndex(tmp_path / "index", without_stale=True)
        try:
            for sort in ("title", "kind", "place", "countries", "participants"):
                assert command.ordered(sort, False).tolist() == fresh.ordered(sort, False).tolist(), sort
        finally:
            fresh.close()
    finally:
        command.close()
        store.close()


def test_a_commands_keyed_order_followed_across_a_file_stale_then_fixed_equals_a_fresh_one(
    tmp_path: Path,
) -> None:
    """A stale file fixed with the same events keeps its documents' numbers: out of a command's live set
    while stale, back after; an order kept from before they left places each of them once."""
    root = tmp_path / "events"
    root.mkdir()
    good = [{**_one("a"), "title": "Zulu"}, {**_one("b"), "title": "Mike"}]
    _write(root, "x.json", good, 1_700_000_000)
    store = IndexedStore(root, PersistentWriter(tmp_path / "index"))
    store.load()
    command = PersistentIndex(tmp_path / "index", without_stale=True)
    try:
        assert len(command.ordered("title", False)) == 2
        for stamp, content in ((1_700_000_001, b"{ not json"), (1_700_000_002, good)):
            _write(root, "x.json", content, stamp)
            store.apply_paths(["x.json"])
            command.refresh()  # no order asked while the file is stale
        assert command.ordered("title", False).tolist() == store.indexed.ordered("title", False).tolist()
    finally:
        command.close()
        store.close()
