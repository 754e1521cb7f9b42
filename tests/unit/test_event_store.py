"""The store follows its folder file by file, reports what changed, settles duplicates, keeps stale files."""

from __future__ import annotations

import os
import tempfile
import threading
from pathlib import Path

import orjson
from hypothesis import given, settings
from hypothesis import strategies as st

from store.event_store import EventStore
from tests.conftest import WriteEvent, event


def loaded(root: Path) -> EventStore:
    store = EventStore(root)
    store.load()
    return store


def test_load_reads_a_folder_recursively_and_reports_bad_files_without_stopping(
    write_event: WriteEvent,
) -> None:
    write_event("a.json", event(id="a"))
    write_event("2023/b.json", event(id="b"))
    write_event("2023/deep/c.jsonl", b'{"id":"c","title":"c","date":"2021"}\n')
    write_event("bad.json", b"{nope")
    write_event("notes.txt", b"not an event")
    write_event("a.json.swp", b"{garbage")
    store = loaded(write_event("x.json", event(id="x")).parent)
    assert sorted(store.index.docno_of) == ["a", "b", "c", "x"]
    assert [str(p).split(":")[0] for p in store.problems()] == ["bad.json"]


def test_upsert_reports_added_changed_removed_for_that_file_only(write_event: WriteEvent) -> None:
    path = write_event("multi.json", [event(id="a"), event(id="b")])
    write_event("other.json", event(id="o"))
    store = loaded(path.parent)
    write_event("multi.json", [event(id="a", title="Changed"), event(id="c")])
    changes = store.upsert(path)
    assert (changes.added, changes.changed, changes.removed) == ({"c"}, {"a"}, {"b"})
    assert store.get("a").title == "Changed"
    assert store.get("o") is not None


def test_an_unchanged_rewrite_reports_nothing(write_event: WriteEvent) -> None:
    path = write_event("a.json", event(id="a"))
    store = loaded(path.parent)
    write_event("a.json", event(id="a"))
    assert not store.upsert(path)


def test_remove_forgets_exactly_what_the_file_contributed(write_event: WriteEvent) -> None:
    path = write_event("a.json", [event(id="a1"), event(id="a2")])
    write_event("b.json", event(id="b"))
    store = loaded(path.parent)
    path.unlink()
    changes = store.remove(path)
    assert changes.removed == {"a1", "a2"}
    assert list(store.index.docno_of) == ["b"]
    assert store.query("").ids == ["b"]


def test_duplicate_ids_are_both_reported_and_the_first_path_wins(write_event: WriteEvent) -> None:
    write_event("b.json", event(id="dup", title="from b"))
    write_event("a.json", event(id="dup", title="from a"))
    store = loaded(write_event("c.json", event(id="c")).parent)
    assert store.get("dup").title == "from a"
    messages = [str(p) for p in store.problems()]
    assert any(m.startswith("a.json: duplicate id 'dup'") and "shown" in m for m in messages)
    assert any(m.startswith("b.json: duplicate id 'dup'") and "hidden; showing a.json" in m for m in messages)
    os.unlink(store.root + "/a.json")
    changes = store.remove("a.json")
    assert changes.changed == {"dup"} and changes.problems_changed
    assert store.get("dup").title == "from b"
    assert not store.problems()


def test_a_file_that_turns_invalid_keeps_its_last_good_version_flagged_stale(write_event: WriteEvent) -> None:
    path = write_event("a.json", event(id="a", title="Good"))
    store = loaded(path.parent)
    write_event("a.json", b'{"id": "a", "title": "Half writ')
    changes = store.upsert(path)
    assert not changes.removed and changes.problems_changed
    assert store.get("a").title == "Good"
    assert store.stale_ids() == {"a"}
    assert any("last good version" in str(p) for p in store.problems())
    write_event("a.json", event(id="a", title="Fixed"))
    store.upsert(path)
    assert store.get("a").title == "Fixed" and not store.stale_ids() and not store.problems()
    write_event("a.json", b"garbage")
    store.upsert(path)
    path.unlink()
    assert store.remove(path).removed == {"a"}
    assert not store.problems()


def test_apply_paths_handles_renames_folders_and_vanished_folders(write_event: WriteEvent) -> None:
    path = write_event("2023/a.json", event(id="a"))
    root = path.parent.parent
    store = loaded(root)
    os.rename(root / "2023", root / "archive")
    changes = store.apply_paths([root / "2023", root / "archive"])
    assert (
        changes.changed == {"a"}
        or (changes.added, changes.removed) == ({"a"}, set())
        or store.get("a") is not None
    )
    assert store.get("a").path == os.path.join("archive", "a.json")
    import shutil

    shutil.rmtree(root / "archive")
    assert store.apply_paths([root / "archive"]).removed == {"a"}
    assert len(store) == 0


def test_reconcile_finds_what_a_watcher_missed(write_event: WriteEvent) -> None:
    path = write_event("a.json", event(id="a"))
    store = loaded(path.parent)
    write_event("b.json", event(id="b"))
    write_event("a.json", event(id="a", title="Edited behind our back"))
    changes = store.reconcile()
    assert changes.added == {"b"} and changes.changed == {"a"}
    assert not store.reconcile()


def test_symlinks_leading_outside_the_folder_are_not_followed(
    tmp_path: Path, write_event: WriteEvent
) -> None:
    path = write_event("a.json", event(id="a"))
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.json").write_text('{"id": "secret", "title": "s", "date": "2020"}')
    os.symlink(outside, path.parent / "link")
    os.symlink(path.parent, path.parent / "loop")
    store = loaded(path.parent)
    assert list(store.index.docno_of) == ["a"]
    followed = EventStore(path.parent, follow_symlinks=True)
    followed.load()
    assert sorted(followed.index.docno_of) == ["a", "secret"]


def test_reading_one_event_never_waits_for_the_lock(write_event: WriteEvent) -> None:
    """The dashboard paints rows with `get` while a load or a cache save may hold the lock for seconds."""
    path = write_event("a.json", event(id="a", title="Talks"))
    store = loaded(path.parent)
    holding, release = threading.Event(), threading.Event()

    def hold() -> None:
        with store.lock:
            holding.set()
            release.wait(10)

    threading.Thread(target=hold, daemon=True).start()
    holding.wait(5)
    answers: list[object] = []
    reader = threading.Thread(target=lambda: answers.extend([store.get("a"), store.get("missing")]))
    reader.start()
    reader.join(timeout=5)
    release.set()
    assert answers and answers[0].title == "Talks" and answers[1] is None  # type: ignore[attr-defined]


def test_a_reconcile_with_an_older_scan_never_undoes_newer_changes(write_event: WriteEvent) -> None:
    """The watcher walks the folder in another thread while it goes on applying changes."""
    gone = write_event("gone.json", event(id="gone"))
    write_event("kept.json", event(id="kept"))
    store = loaded(gone.parent)
    found = store.walk()  # the walk ...
    write_event("new.json", event(id="new"))  # ... then changes it did not see, applied as they came
    store.upsert("new.json")
    gone.unlink()
    store.upsert("gone.json")
    store.reconcile_with(found)
    assert sorted(store.index.docno_of) == ["kept", "new"]


_CONTENTS = {
    "good-a": orjson.dumps(event(id="a")),
    "good-b": orjson.dumps(event(id="b")),
    "half-bad": orjson.dumps([event(id="c"), {"title": 5}]),
    "broken": b"{not json",
    "empty": b"",
}


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(["x.json", "y.json", "d/z.json"]), st.sampled_from([*_CONTENTS, None]))
    )
)
def test_problem_bookkeeping_equals_a_walk_of_every_file(steps: list[tuple[str, str | None]]) -> None:
    """`problems` lists flagged files and contested ids kept as files change, never by walking them all."""
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        store = EventStore(root)
        store.load()
        for rel, content in steps:
            path = root / rel
            if content is None:
                path.unlink(missing_ok=True)
            else:
                path.parent.mkdir(exist_ok=True)
                path.write_bytes(_CONTENTS[content])
            store.upsert(rel)
            assert store.flagged == {r for r, entry in store.files.items() if entry.problems or entry.stale}
            assert store.contested == {i for i, claimants in store.claims.items() if len(claimants) > 1}
            stale = {e.id for entry in store.files.values() if entry.stale for e in entry.events}
            assert store.stale_ids() == stale


def test_arrival_order_puts_what_reached_the_store_last_on_top(write_event: WriteEvent) -> None:
    """Sorting by arrival lists new and changed events first, whatever their dates."""
    write_event("old.json", event(id="old", date="2024-01-01"))
    write_event("other.json", event(id="other", date="2023-01-01"))
    store = loaded(write_event("mid.json", event(id="mid", date="2022-01-01")).parent)
    store.upsert(write_event("new.json", event(id="new", date="1901-01-01")))
    store.upsert(write_event("old.json", event(id="old", date="2024-01-01", title="Changed")))
    newest_first = list(store.query(sort="arrival").ids)
    assert newest_first[:2] == ["old", "new"]
    assert sorted(newest_first[2:]) == ["mid", "other"]
    assert list(store.query(sort="arrival", descending=False).ids)[-2:] == ["new", "old"]
