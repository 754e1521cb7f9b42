"""What the commands keep beside a folder's persistent index so that an unchanged folder costs a walk and a
few look-ups: the people's tables (`store.index.persistent.people_tables`: whom a word names, the
participants' cards) and the walk's stamps (`store.persistence.folder_index`). Each is used only for the
generation it was made at, and the answers are the in-memory store's whichever is used."""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from store.event_store import EventStore
from store.index.persistent import PersistentWriter, engine
from store.index.persistent.mention_facts import MentionFacts
from store.index.persistent.people_tables import PEOPLE, StoredPeople
from store.index.persistent.storage import BESIDE
from store.persistence import folder_index, indexed_store
from store.persistence.folder_index import STAMPS, Reading, index_location, open_index
from store.persistence.indexed_store import IndexedStore
from store.persistence.loading import dashboard_store, load_folder
from tests.conftest import WriteEvent, event
from tests.unit.reads import count_reads
from tests.unit.test_folder_index import memory_store, people

FILTERS = ["hadj", "vepa", "p:hajiyev", "galu", "p:mubarak", "hosni", "talks -hadj", "p:nobody", "abe", ""]


def _people_built(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts every time a reader builds the people from the stored mentions."""
    built: list[int] = []
    original = MentionFacts.__init__

    def spy(self: Any, *args: Any) -> None:
        built.append(1)
        original(self, *args)

    monkeypatch.setattr(MentionFacts, "__init__", spy)
    return built


def _opened(root: Path) -> EventStore:
    reader = open_index(root, Reading(max_bytes=10_000_000), warn=pytest.fail)
    assert reader is not None
    return EventStore(root, reader=reader)


def _answers(store: EventStore) -> dict[str, Any]:
    found: dict[str, Any] = {
        "all": people(store.participants()),
        "related": {i: [r.as_json() for r in store.related(i)] for i in sorted(store.event_ids())},
    }
    for text in FILTERS:
        result = store.query(text)
        found[text] = (list(result.ids), people(store.participants(result)), store.topics(result))
    return found


HADJIEV = {"name": "Vepa Hadjiev", "country": "TM", "role": "Deputy Foreign Minister"}


@pytest.fixture
def root(write_event: WriteEvent) -> Path:
    write_event("a.json", event(id="a", title="Talks", participants=[HADJIEV]))
    write_event(
        "b.json",
        event(
            id="b",
            title="Talks",
            date="2023-06-01",
            participants=[{"name": "Vepa Hajiyev", "country": "TM", "aliases": ["В. Хаджиев"]}],
        ),
    )
    write_event(
        "sub/c.json",
        event(
            id="c",
            title="Visit",
            date="2009-02-01",
            participants=[{"name": "Hosni Mubarak", "country": "EG"}, {"name": "Galuzin", "country": "RU"}],
        ),
    )
    write_event(
        "d.json",
        event(
            id="d",
            title="Visit",
            date="2009-03-01",
            participants=[{"name": "Mubarak"}],
            related=[{"id": "c", "relation": "follow-up"}],
        ),
    )
    return write_event("e.json", event(id="e", title="Call", participants=[{"name": "Shinzo Abe"}])).parent


def test_an_unchanged_folder_answers_words_participants_and_related_without_building_the_people(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = _answers(memory_store(root))
    assert _answers(_opened(root)) == expected  # the first command builds the index and the tables
    built = _people_built(monkeypatch)
    assert _answers(_opened(root)) == expected
    assert built == []


def test_after_a_change_the_tables_are_made_again_and_answer_the_new_folder(
    root: Path, write_event: WriteEvent, monkeypatch: pytest.MonkeyPatch
) -> None:
    _opened(root)
    write_event("f.json", event(id="f", title="Talks", participants=[{"name": "Hadjiev", "country": "TM"}]))
    (root / "e.json").unlink()
    expected = _answers(memory_store(root))
    assert _answers(_opened(root)) == expected
    built = _people_built(monkeypatch)
    assert _answers(_opened(root)) == expected and built == []


def test_tables_of_another_generation_are_never_read(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = _opened(root)
    expected = _answers(store)
    with PersistentWriter(index_location(root)) as writer:  # another writer commits: a new generation
        writer.note("someone", "else")
        writer.commit()
        built = _people_built(monkeypatch)
        reader = open_index(root, Reading(max_bytes=10_000_000), warn=pytest.fail)  # busy: last commit
        assert reader is not None and reader.stored_people is None
        assert _answers(EventStore(root, reader=reader)) == expected and built


@pytest.mark.parametrize("name", BESIDE)
def test_a_damaged_file_beside_the_index_is_ignored(root: Path, name: str) -> None:
    expected = _answers(memory_store(root))
    _opened(root)
    (index_location(root) / name).write_bytes(b"CQSEGMENT1\n" + b"\xff" * 40)
    assert _answers(_opened(root)) == expected
    assert _answers(_opened(root)) == expected  # and made again


def test_an_unchanged_folder_is_compared_without_reading_the_files_table(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _opened(root)
    assert (index_location(root) / STAMPS).exists() and (index_location(root) / PEOPLE).exists()
    monkeypatch.setattr(folder_index, "stored_walk", lambda connection: pytest.fail("read the files table"))
    reads = count_reads(monkeypatch)
    assert sorted(_opened(root).event_ids()) == ["a", "b", "c", "d", "e"] and reads == []


def test_a_file_rewritten_in_place_with_its_size_and_mtime_is_read_again(
    root: Path, write_event: WriteEvent, monkeypatch: pytest.MonkeyPatch
) -> None:
    _opened(root)
    before = os.stat(root / "a.json")
    write_event("a.json", event(id="a", title="Tolks", participants=[HADJIEV]))  # same size
    os.utime(root / "a.json", ns=(before.st_atime_ns, before.st_mtime_ns))  # same mtime: the ctime moved
    assert os.stat(root / "a.json").st_size == before.st_size
    reads = count_reads(monkeypatch)
    assert list(_opened(root).query("tolks").ids) == ["a"] and reads == ["a.json"]


def test_a_rebuilt_index_deletes_what_was_kept_beside_it(root: Path) -> None:
    _opened(root)
    kept = {name: (index_location(root) / name).stat().st_ino for name in BESIDE}
    with PersistentWriter(index_location(root), rebuild=True):
        assert not any((index_location(root) / name).exists() for name in kept)


def _dashboard(root: Path) -> IndexedStore:
    store = dashboard_store(root, max_bytes=10_000_000, warn=pytest.fail)
    assert isinstance(store, IndexedStore) and not store.following
    return store


def _held_build(monkeypatch: pytest.MonkeyPatch) -> tuple[threading.Event, threading.Event]:
    """Every build of the people from the stored mentions held until released: (building, release)."""
    building, release = threading.Event(), threading.Event()
    original = MentionFacts.__init__

    def held(self: Any, *args: Any) -> None:
        building.set()
        release.wait(10)
        original(self, *args)

    monkeypatch.setattr(MentionFacts, "__init__", held)
    return building, release


def test_a_reopened_dashboard_answers_from_the_tables_while_it_builds_the_people_behind(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = _answers(memory_store(root))
    first = _dashboard(root)
    load_folder(first)  # builds the index, the people and their tables
    first.close()
    building, release = _held_build(monkeypatch)
    store = _dashboard(root)
    try:
        load_folder(store)  # returns with the people not built: the panes do not wait for them
        assert building.wait(10) and not store.indexed.people_built
        assert _answers(store) == expected
        assert not store.indexed.people_built  # answered without waiting for them
        release.set()
        for _ in range(600):
            if store.indexed.people_built:
                break
            time.sleep(0.05)
        assert store.indexed.people_built
        assert _answers(store) == expected
    finally:
        release.set()
        store.close()


def test_the_dashboard_keeps_the_tables_of_its_last_commit_once_the_feed_is_quiet(
    root: Path, write_event: WriteEvent, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(indexed_store, "PEOPLE_QUIET", 0.05)
    store = _dashboard(root)
    try:
        load_folder(store)
        write_event(
            "f.json", event(id="f", title="Talks", participants=[{"name": "Hadjiev", "country": "TM"}])
        )
        (root / "e.json").unlink()
        store.apply_paths(["f.json", "e.json"])
        generation = store.indexed.generation
        for _ in range(600):
            if StoredPeople.open(index_location(root), generation) is not None:
                break
            time.sleep(0.05)
        assert StoredPeople.open(index_location(root), generation) is not None
        built = _people_built(monkeypatch)
        command = open_index(root, Reading(max_bytes=10_000_000), warn=pytest.fail)  # the dashboard writes
        assert command is not None
        assert _answers(EventStore(root, reader=command)) == _answers(memory_store(root))
        assert built == []
    finally:
        store.close()


def test_a_reopened_dashboard_compares_an_unchanged_folder_without_reading_the_files_table(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = _dashboard(root)
    load_folder(first)  # builds the index; its walk is kept beside it
    first.close()
    monkeypatch.setattr(folder_index, "stored_walk", lambda connection: pytest.fail("read the files table"))
    reads = count_reads(monkeypatch)
    store = _dashboard(root)
    try:
        load_folder(store, prepare=False)
        assert sorted(store.event_ids()) == ["a", "b", "c", "d", "e"] and reads == []
    finally:
        store.close()


def test_the_keeper_of_the_tables_builds_nothing_once_the_dashboard_is_closed(
    root: Path, write_event: WriteEvent, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Review of 7a9a90d: `close` wakes the keeper's thread so that it ends; it must end without building
    the people from the reader `close` has just closed."""
    first = _dashboard(root)
    load_folder(first)  # the index and the tables of its commit
    first.close()
    monkeypatch.setattr(indexed_store, "PEOPLE_AFTER_OPEN", 60.0)  # the build behind the panes not begun
    monkeypatch.setattr(indexed_store, "PEOPLE_QUIET", 60.0)
    store = _dashboard(root)
    load_folder(store)
    assert not store.indexed.people_built
    write_event("f.json", event(id="f", title="Talks", participants=[{"name": "Hadjiev", "country": "TM"}]))
    store.apply_paths(["f.json"])
    keeper = store._keeper
    assert keeper is not None
    for _ in range(200):  # the keeper waits for the feed to be quiet
        if not store._committed.is_set():
            break
        time.sleep(0.01)
    after_close: list[bool] = []
    original = MentionFacts.__init__

    def spy(self: Any, *args: Any) -> None:
        after_close.append(store.closed)
        original(self, *args)

    monkeypatch.setattr(MentionFacts, "__init__", spy)
    store.close()
    keeper.join(10)
    assert not keeper.is_alive()
    assert True not in after_close


def _closes_only_once_released(store: IndexedStore, release: threading.Event, why: str) -> None:
    """`store.close()` in a thread still waits a moment later, and ends once `release` is set."""
    closer = threading.Thread(target=store.close)
    closer.start()
    closer.join(0.2)
    try:
        assert closer.is_alive(), why
    finally:
        release.set()
        closer.join(10)


def test_closing_during_a_build_of_the_people_leaves_the_reader_to_the_build(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Review of 7a9a90d: the people are built behind the panes, off the store's lock, through the reader's
    connection; a quit meanwhile closed that connection under the build (a segmentation fault in sqlite3,
    seen in one run of four). `close` now returns at once (a quit never waits for seconds of Python) and
    the build closes the reader when it ends."""
    first = _dashboard(root)
    load_folder(first)
    first.close()
    building, release = _held_build(monkeypatch)
    store = _dashboard(root)
    failures: list[BaseException] = []

    def build() -> None:
        try:
            store.indexed.people  # noqa: B018 - as `IndexedStore._build_people` asks it
        except BaseException as failure:  # noqa: BLE001 - reported below
            failures.append(failure)

    builder = threading.Thread(target=build)
    builder.start()
    assert building.wait(10)
    closer = threading.Thread(target=store.close)
    closer.start()
    closer.join(5)
    assert not closer.is_alive()  # did not wait for the build
    release.set()
    builder.join(10)
    assert failures == [] and store.indexed.people_built
    with pytest.raises(sqlite3.ProgrammingError):
        store.indexed.connection.execute("SELECT 1")  # closed by the build, once it ended


def test_closing_waits_for_the_tables_being_written(
    root: Path, write_event: WriteEvent, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Review of 7a9a90d: the keeper writes the tables under `_building` alone; a quit meanwhile gave the
    writer's lock back while they were still to be written, so that another process writing (or rebuilding)
    the index could find beside it tables that this one wrote after it had let go. `close` now waits."""
    monkeypatch.setattr(indexed_store, "PEOPLE_QUIET", 0.05)
    store = _dashboard(root)
    load_folder(store)
    writing, release = threading.Event(), threading.Event()
    original = engine.write_people

    def held(*args: Any) -> None:
        writing.set()
        release.wait(10)
        original(*args)

    monkeypatch.setattr(engine, "write_people", held)
    write_event("f.json", event(id="f", title="Talks", participants=[{"name": "Hadjiev", "country": "TM"}]))
    store.apply_paths(["f.json"])
    assert writing.wait(10)
    _closes_only_once_released(store, release, "the writer's lock given back before the tables were written")
    assert StoredPeople.open(index_location(root), store.indexed.generation) is not None


def test_tables_that_cannot_be_written_cost_the_dashboard_nothing(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(*args: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(engine, "write_people", full)
    store = _dashboard(root)
    try:
        load_folder(store)  # builds the people and fails to keep their tables: no error for it
        assert _answers(store) == _answers(memory_store(root))
    finally:
        store.close()


def _until(done: Callable[[], object], failure: str) -> None:
    for _ in range(600):
        if done():
            return
        time.sleep(0.02)
    pytest.fail(failure)


def _wait_for_tables(store: IndexedStore) -> None:
    """Until the writer `store` has its last commit's people's tables beside the index."""
    location = store.location
    _until(
        lambda: StoredPeople.open(location, store.indexed.generation), "the writer wrote no people's tables"
    )


def _follower_catches_up(follower: IndexedStore) -> None:
    _until(lambda: follower.follow().people_changed, "the follower never took the newer tables")


def _participants(store: EventStore) -> dict[str, int]:
    return {person.name: person.events for person in store.participants()}


def test_a_following_dashboard_answers_the_people_from_the_writers_tables_and_never_builds_them(
    root: Path, write_event: WriteEvent, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(indexed_store, "PEOPLE_QUIET", 0.05)
    writer = _dashboard(root)
    follower: IndexedStore | None = None
    try:
        load_folder(writer)
        _wait_for_tables(writer)
        built = _people_built(monkeypatch)
        follower = dashboard_store(root, max_bytes=10_000_000, warn=pytest.fail)  # type: ignore[assignment]
        assert isinstance(follower, IndexedStore) and follower.following
        load_folder(follower)
        assert _answers(follower) == _answers(memory_store(root))
        before = _participants(follower)
        assert before["Vepa Hadjiev"] == 2 and before["Shinzo Abe"] == 1

        write_event(
            "f.json", event(id="f", title="Talks", participants=[{"name": "Hadjiev", "country": "TM"}])
        )
        (root / "e.json").unlink()
        writer.apply_paths(["f.json", "e.json"])
        changes = follower.follow()
        assert changes.added == {"f"} and changes.removed == {"e"}
        # Until the writer's tables of this commit come: the new event has no persons yet, the removed
        # one counts for nobody, and nothing is built.
        lagging = _participants(follower)
        assert follower.indexed.people_lag
        assert lagging["Vepa Hadjiev"] == 2 and "Shinzo Abe" not in lagging

        _wait_for_tables(writer)
        _follower_catches_up(follower)
        assert not follower.indexed.people_lag
        assert _participants(follower) == {"Hadjiev": 3, "Hosni Mubarak": 2, "Galuzin": 1}
        assert _answers(follower) == _answers(memory_store(root))
        assert built == [] and not follower.indexed.people_built
    finally:
        writer.close()
        if follower is not None:
            follower.close()


def _writer_and_follower(root: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[IndexedStore, IndexedStore]:
    """A writer with the tables of its first commit, which holds back those of its next ones (the feed never
    quiet), and a follower loaded on it."""
    monkeypatch.setattr(indexed_store, "PEOPLE_QUIET", 60.0)
    writer = _dashboard(root)
    load_folder(writer)
    _wait_for_tables(writer)
    follower = dashboard_store(root, max_bytes=10_000_000, warn=pytest.fail)
    assert isinstance(follower, IndexedStore) and follower.following
    load_folder(follower)
    return writer, follower


def test_a_follower_that_takes_the_writing_over_answers_from_its_own_people(
    root: Path, write_event: WriteEvent, monkeypatch: pytest.MonkeyPatch
) -> None:
    writer, follower = _writer_and_follower(root, monkeypatch)
    try:
        write_event(
            "f.json", event(id="f", title="Talks", participants=[{"name": "Hadjiev", "country": "TM"}])
        )
        writer.apply_paths(["f.json"])
        follower.follow()
        assert _participants(follower)["Vepa Hadjiev"] == 2 and follower.indexed.people_lag
        writer.close()
        assert follower.take_over()
        follower.reconcile()  # the people built behind the older tables' answers
        _settles(follower)
        assert follower.indexed.people_built and not follower.indexed.people_lag
        assert _answers(follower) == _answers(memory_store(root))
        assert StoredPeople.open(follower.location, follower.indexed.generation) is not None  # for the others
    finally:
        follower.close()


def _settles(store: IndexedStore) -> None:
    """Until the store reports that its people's answers moved on (as its watcher does, once a second)."""
    _until(lambda: store.background_changes().people_changed, "the build behind the panes never ended")


def test_a_dashboard_reopened_on_a_changed_folder_answers_from_older_tables_until_its_people_are_built(
    root: Path, write_event: WriteEvent, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = _dashboard(root)
    load_folder(first)  # the index, the people and the tables of its commit
    first.close()
    write_event("f.json", event(id="f", title="Talks", participants=[{"name": "Hadjiev", "country": "TM"}]))
    (root / "e.json").unlink()
    building, release = _held_build(monkeypatch)
    store = _dashboard(root)
    try:
        load_folder(store)  # the walk commits the changes: the tables kept are of an older commit
        assert building.wait(10) and not store.indexed.people_built
        lagging = _participants(store)  # answered at once, without waiting for the build
        assert store.people_behind and lagging["Vepa Hadjiev"] == 2 and "Shinzo Abe" not in lagging
        assert sorted(store.event_ids()) == ["a", "b", "c", "d", "f"]
        assert not store.background_changes()  # nothing to report while it builds
        release.set()
        _settles(store)
        assert not store.people_behind and store.indexed.people_built
        assert _answers(store) == _answers(memory_store(root))
        _wait_for_tables(store)  # and written for the next reopen, the commands and the followers
    finally:
        release.set()
        store.close()


def test_a_lagging_follower_never_shows_a_link_its_source_no_longer_makes(
    root: Path, write_event: WriteEvent, monkeypatch: pytest.MonkeyPatch
) -> None:
    writer, follower = _writer_and_follower(root, monkeypatch)
    try:
        assert "explicit link from it" in str([r.as_json() for r in follower.related("c")])
        write_event(
            "d.json", event(id="d", title="Visit", date="2009-03-01", participants=[{"name": "Mubarak"}])
        )
        writer.apply_paths(["d.json"])
        assert follower.follow().changed == {"d"}
        # d names c no more (its people, who tie it to c, come with the writer's next tables)
        assert "explicit link" not in str([r.as_json() for r in follower.related("c")])
        assert follower.indexed.people_lag
    finally:
        writer.close()
        follower.close()
