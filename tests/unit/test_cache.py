"""Reopening re-reads only changed files; a corrupt, foreign or stale cache is rebuilt, never trusted."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import orjson
import pytest

from store import event_store
from store.event_store import EventStore
from store.files import event_files, parallel_load
from store.persistence import cache as cache_module
from store.persistence.cache import cache_file, restore_cache, save_cache
from store.persistence.loading import cache_enabled, load_folder
from tests.conftest import WriteEvent, event


def reopen(root: Path, **options: bool) -> EventStore:
    store = EventStore(root)
    load_folder(store, **options)
    return store


@pytest.fixture
def root(write_event: WriteEvent) -> Path:
    write_event("a.json", event(id="a", title="Alpha"))
    write_event("sub/b.json", event(id="b", title="Beta"))
    return write_event("c.json", event(id="c", title="Gamma")).parent


def count_reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files read from now on, by an update or by a load (in this process: few files use no workers)."""
    reads: list[str] = []
    original = event_files.read_event_file

    def spy(full_path: str, rel: str, *args: object) -> object:
        reads.append(rel)
        return original(full_path, rel, *args)  # type: ignore[arg-type]

    for module in (event_store, parallel_load):
        monkeypatch.setattr(module, "read_event_file", spy)
    return reads


def test_a_warm_open_reads_no_unchanged_file(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    reopen(root)
    assert cache_file(str(root)).exists()
    reads = count_reads(monkeypatch)
    store = reopen(root)
    assert reads == []
    assert sorted(store.index.docno_of) == ["a", "b", "c"]
    assert store.query("beta").ids == ["b"]


def test_changed_added_and_deleted_files_are_noticed_on_reopen(
    root: Path, write_event: WriteEvent, monkeypatch: pytest.MonkeyPatch
) -> None:
    reopen(root)
    write_event("a.json", event(id="a", title="Alpha edited"))
    write_event("d.json", event(id="d"))
    os.unlink(root / "sub" / "b.json")
    reads = count_reads(monkeypatch)
    store = reopen(root)
    assert sorted(reads) == ["a.json", "d.json"]
    assert sorted(store.index.docno_of) == ["a", "c", "d"]
    assert store.get("a").title == "Alpha edited"
    assert store.query("beta").ids == []


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[: len(data) // 2],
        lambda data: data[:-10] + b"0123456789",
        lambda data: b"not a cache at all",
        lambda data: data.replace(b'"format":%d' % cache_module.FORMAT_VERSION, b'"format":999'),
        lambda data: b"",
    ],
    ids=["truncated", "corrupt-payload", "foreign", "other-version", "empty"],
)
def test_a_damaged_cache_is_discarded_and_rebuilt(
    root: Path, damage, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    reopen(root)
    path = cache_file(str(root))
    path.write_bytes(damage(path.read_bytes()))
    assert not restore_cache(EventStore(root))
    assert not path.exists()
    reads = count_reads(monkeypatch)
    store = reopen(root)
    assert sorted(reads) == ["a.json", "c.json", "sub/b.json"]
    assert sorted(store.index.docno_of) == ["a", "b", "c"]
    assert path.exists()


def test_a_cache_for_another_folder_is_not_used(root: Path, tmp_path: Path) -> None:
    store = reopen(root)
    other = tmp_path / "other"
    other.mkdir()
    save_cache(store, cache_file(str(other)))
    assert not restore_cache(EventStore(other))


def test_the_cache_can_be_turned_off(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    reopen(root, use_cache=False)
    assert not cache_file(str(root)).exists()
    monkeypatch.setenv("COMMUNIQUE_NO_CACHE", "1")
    assert not cache_enabled()
    monkeypatch.delenv("COMMUNIQUE_NO_CACHE")
    assert cache_enabled() and not cache_enabled(no_cache_flag=True)


def test_the_cache_lives_under_xdg_cache_home(root: Path) -> None:
    assert cache_file(str(root)).parent == Path(os.environ["XDG_CACHE_HOME"]) / "communique"
    assert cache_module.FORMAT_VERSION >= 1


def _state(store: EventStore) -> dict[str, object]:
    index = store.index
    return {
        "files": {
            rel: (entry.stamp, entry.events, entry.problems, entry.stale)
            for rel, entry in store.files.items()
        },
        "claims": store.claims,
        "live": {docno: (indexed.event, indexed.persons) for docno, indexed in index.live.items()},
        "docnos": (index.docno_of, index.id_of),
        "problems": [str(problem) for problem in store.problems()],
        "stale": store.stale_ids(),
        "folders": store.folders,
        "answers": [
            store.query(text).ids for text in ("", "alpha", "galuzin", '"regional security"', "-kind:visit")
        ],
        "people": [(person.name, person.events) for person in store.participants()],
        "related": [store.related(event_id) for event_id in sorted(index.docno_of)],
    }


def test_a_cache_in_many_pickles_restores_every_part_of_the_store(
    write_event: WriteEvent, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Duplicates, a stale file, arrays, lines, a link and shared people all survive the chunked payload."""
    from store.persistence import cache_payload

    monkeypatch.setattr(cache_payload, "FILES_PER_PICKLE", 2)  # many chunks from a few files
    people = [{"name": "Mikhail Galuzin", "country": "RU"}, {"name": "Vepa Hadjiev", "country": "TM"}]
    write_event("a.json", event(id="a", title="Alpha on regional security", participants=people))
    write_event("b.json", event(id="dup", title="First copy", related=["a"]))
    write_event("c/d.json", event(id="dup", title="Second copy"))
    write_event(
        "e.json", [event(id="e1", participants=people[:1]), event(id="e2", kind="visit"), {"title": 5}]
    )
    write_event("f.jsonl", "\n".join(['{"id": "l1", "title": "Line", "date": "2022"}', "{broken"]))
    lines = [orjson.dumps(event(id=f"line{number}")).decode() for number in range(8)]
    lines += [
        '{"id": "twice", "title": "Line nine", "date": "2021"}',
        '{"id": "twice", "title": "Ten", "date": "2020"}',
    ]
    write_event("h.jsonl", "\n".join(lines))  # one id twice in a file: its last event counts, as read live
    stale = write_event("g.json", event(id="g", title="Will go stale"))
    store = EventStore(stale.parent)
    load_folder(store, use_cache=False)
    write_event("g.json", b"{ half written")
    store.upsert("g.json")
    assert store.stale_ids() == {"g"} and store.contested == {"dup"} and store.get("twice").title == "Ten"
    save_cache(store)
    restored = EventStore(stale.parent)
    assert restore_cache(restored)
    assert _state(restored) == _state(store)
    live = restored.index.live
    assert all(restored.claims[indexed.event.id][0] is indexed.event for indexed in live.values())


def test_the_state_the_cache_keeps_is_everything_a_store_holds_of_its_folder(root: Path) -> None:
    """The cache writes `EventStore.held_state` and puts back `restore`'s: an attribute a store gained
    without a place in `StoreState` would be lost by every warm start, silently."""
    store = EventStore(root)
    settings = {"root", "follow_symlinks", "max_bytes", "lock"}  # given at construction, never cached
    with store.held_state() as state:
        held = {field.name for field in dataclasses.fields(state)}
    assert held == set(vars(store)) - settings


# -- a cache another user could write is never read (issue 13) ------------------------------------------------


def query_ids(root: Path, capsys: pytest.CaptureFixture[str]) -> tuple[list[str], str]:
    """A dashboard's load of the folder through the cache, in this process: its ids and its stderr."""
    capsys.readouterr()
    store = reopen(root)
    _, err = capsys.readouterr()
    return sorted(store.event_ids()), err


def test_the_cache_folder_and_files_are_the_users_alone(root: Path) -> None:
    reopen(root)
    folder = cache_module.cache_folder()
    assert stat_mode(folder) == 0o700
    assert stat_mode(cache_file(str(root))) == 0o600
    assert stat_mode(folder / cache_module.KEY_NAME) == 0o600
    assert len((folder / cache_module.KEY_NAME).read_bytes()) == cache_module.KEY_BYTES


def stat_mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


@pytest.mark.parametrize("what", ["folder", "file", "key"])
def test_a_cache_others_may_write_is_refused_with_one_warning(
    root: Path, what: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    reopen(root)
    folder = cache_module.cache_folder()
    target = {"folder": folder, "file": cache_file(str(root)), "key": folder / cache_module.KEY_NAME}[what]
    target.chmod(0o777 if what == "folder" else 0o666)
    before = cache_file(str(root)).read_bytes()
    restores: list[bool] = []
    monkeypatch.setattr(cache_module, "read_store", lambda handle: restores.append(True))
    ids, err = query_ids(root, capsys)
    assert ids == ["a", "b", "c"] and restores == []  # answered from the files, nothing unpickled
    assert (
        err.count("\n") == 1
        and err.startswith("communique: warning: ")
        and "working without the cache" in err
    )
    assert str(target) in err
    assert cache_file(str(root)).read_bytes() == before  # neither used nor rewritten


def test_a_cache_of_another_user_is_refused(
    root: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    reopen(root)
    uid = os.getuid()
    monkeypatch.setattr(
        os, "getuid", lambda: uid + 1
    )  # every file of the cache now belongs to "another" user
    ids, err = query_ids(root, capsys)
    assert ids == ["a", "b", "c"]
    assert "belongs to another user" in err and err.count("\n") == 1


def test_a_forged_cache_is_never_unpickled(root: Path, tmp_path: Path) -> None:
    """A cache whose header carries a plain SHA-256 of its payload (all main checked) runs no code."""
    import hashlib
    import pickle

    reopen(root)
    path = cache_file(str(root))
    marker = tmp_path / "pwned"

    class Exploit:
        def __reduce__(self) -> tuple[object, tuple[str, str]]:
            return (Path.write_text, (marker, "code ran"))  # type: ignore[return-value]

    payload = pickle.dumps(Exploit())
    data = path.read_bytes()
    magic_and_header = data.split(b"\n", 2)
    header = orjson.loads(magic_and_header[1])
    for field in {"mac", "sha256"} & set(header):  # the header keeps its length: only the digest changes
        header[field] = hashlib.sha256(payload).hexdigest()
    path.write_bytes(magic_and_header[0] + b"\n" + orjson.dumps(header) + b"\n" + payload)
    assert not restore_cache(EventStore(root))
    assert not marker.exists() and not path.exists()


def test_a_relative_xdg_cache_home_is_ignored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/cache")
    assert cache_module.cache_folder() == tmp_path / ".cache" / "communique"


LOAD_AND_PRINT_IDS = """
import sys, orjson
from store.event_store import EventStore
from store.persistence.loading import load_folder
store = EventStore(sys.argv[1])
load_folder(store)
print(orjson.dumps(store.event_ids()).decode())
"""
"""A dashboard's load through the cache, in a process of its own (the commands use the persistent index)."""


def test_a_fifo_at_the_cache_path_never_blocks(root: Path, tmp_path: Path) -> None:
    """Main opened it for reading and waited forever for a writer: every command and the dashboard hung."""
    import subprocess
    import sys

    from tests.conftest import REPO

    reopen(root)
    path = cache_file(str(root))
    path.unlink()
    os.mkfifo(path)
    try:
        done = subprocess.run(
            [sys.executable, "-P", "-c", LOAD_AND_PRINT_IDS, str(root)],
            cwd=REPO,
            capture_output=True,
            timeout=60,
            env={**os.environ, "PYTHONPATH": str(REPO)},
        )
    except subprocess.TimeoutExpired:  # run() killed the command
        pytest.fail("the FIFO at the cache path blocked the command")
    assert done.returncode == 0
    assert sorted(orjson.loads(done.stdout)) == ["a", "b", "c"]
    assert b"not a regular file" in done.stderr and done.stderr.count(b"\n") == 1
    assert path.is_fifo()


def test_leftovers_of_an_interrupted_write_are_removed_at_the_next_start(root: Path) -> None:
    import fcntl

    reopen(root)
    folder = cache_module.cache_folder()
    leftover = folder / ".tmp-killed"
    leftover.write_bytes(b"half a cache")
    in_progress = folder / ".tmp-writing"
    with open(in_progress, "wb") as writer:
        fcntl.flock(writer.fileno(), fcntl.LOCK_EX)  # what a live writer in another process holds
        reopen(root)
        assert not leftover.exists()
        assert in_progress.exists()
    assert sorted(path.name for path in folder.iterdir()) == sorted(
        [cache_module.KEY_NAME, cache_file(str(root)).name, ".tmp-writing"]
    )


def test_a_cache_written_with_another_layout_is_rebuilt(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    reopen(root)
    monkeypatch.setattr(cache_module, "layout_fingerprint", lambda: "another layout")
    assert not restore_cache(EventStore(root))
    assert not cache_file(str(root)).exists()  # discarded, as any cache it cannot trust


def test_the_layout_fingerprint_follows_the_pickled_shapes(monkeypatch: pytest.MonkeyPatch) -> None:
    from store.index.search_index import SearchIndex
    from store.persistence import cache_payload

    first = cache_payload.layout_fingerprint.__wrapped__()
    assert first == cache_payload.layout_fingerprint() == cache_payload.layout_fingerprint.__wrapped__()
    original = SearchIndex.__getstate__
    monkeypatch.setattr(SearchIndex, "__getstate__", lambda self: {**original(self), "_new_table": {}})
    assert cache_payload.layout_fingerprint.__wrapped__() != first  # an attribute the index gained
    monkeypatch.undo()

    import dataclasses
    import io

    def shapes(record: object) -> dict[str, tuple[str, ...]]:
        found: dict[str, tuple[str, ...]] = {}
        cache_payload._ShapeRecorder(io.BytesIO(), found).persistent_id(record)
        return found

    @dataclasses.dataclass
    class Record:
        name: str

    before = shapes(Record("x"))

    @dataclasses.dataclass  # type: ignore[no-redef]
    class Record:
        name: str
        country: str = ""

    assert shapes(Record("x")) != before  # a field a pickled record gained
