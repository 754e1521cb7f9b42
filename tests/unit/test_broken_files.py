"""Every kind of broken file is one problem naming the file; nothing else is lost and nothing crashes."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from cli.main import main
from store.event_store import EventStore
from tests.conftest import CORPORA, WriteEvent, event

SUITE = CORPORA / "JSONTestSuite" / "test_parsing"

BROKEN: dict[str, bytes] = {
    "empty.json": b"",
    "truncated.json": b'{"title": "Talks", "date": "2023-0',
    "invalid-utf8.json": b'{"title": "\xff\xfe bad", "date": "2023"}',
    "binary.json": bytes(range(256)) * 4,
    "trailing-comma.json": b'{"title": "x", "date": "2023",}',
    "nan.json": b'{"title": "x", "date": "2023", "score": NaN}',
    "infinity.json": b'{"title": "x", "date": "2023", "score": 1e400}',
    "deep.json": b"[" * 100_000 + b"]" * 100_000,
    "top-level-string.json": b'"an event"',
    "top-level-number.json": b"42",
    "array-with-non-object.json": b'[{"title": "ok", "date": "2023", "id": "in-array"}, 7]',
    "missing-title.json": b'{"date": "2023"}',
    "wrong-types.json": b'{"title": 12, "date": "2023", "participants": "Galuzin"}',
    "impossible-date.json": b'{"title": "x", "date": "2023-02-30"}',
    "bad-kind.json": b'{"title": "x", "date": "2023", "kind": "party"}',
    "bad-country.json": b'{"title": "x", "date": "2023", "countries": ["XX"]}',
}


@pytest.fixture
def folder(write_event: WriteEvent) -> Path:
    for name, data in BROKEN.items():
        write_event(name, data)
    write_event(
        "mixed.jsonl",
        b'{"id":"l1","title":"a","date":"2023"}\n{broken\n{"id":"l3","title":"c","date":"2021"}\n',
    )
    write_event("bom.json", b"\xef\xbb\xbf" + b'{"id": "bom", "title": "With a BOM", "date": "2023"}')
    write_event("folder.json/inside.json", event(id="inside-folder"))
    return write_event("good.json", event(id="good")).parent


def test_each_broken_file_is_one_problem_and_the_good_ones_load(folder: Path) -> None:
    os.symlink(folder, folder / "loop")
    store = EventStore(folder)
    store.load()
    assert sorted(store.index.docno_of) == ["bom", "good", "in-array", "inside-folder", "l1", "l3"]
    files_with_problems = {str(problem).split(":")[0] for problem in store.problems()}
    assert files_with_problems == set(BROKEN) - {"array-with-non-object.json"} | {
        "mixed.jsonl",
        "array-with-non-object.json",
        "folder.json",  # its files are read, and it is reported: a folder named like an event file
    }
    for problem in store.problems():
        assert "\n" not in str(problem)


def test_an_unreadable_file_is_a_problem(write_event: WriteEvent, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write_event("secret.json", event(id="secret"))
    write_event("fine.json", event(id="fine"))
    real_open = os.open

    def deny(file, *args, **kwargs):  # type: ignore[no-untyped-def]
        if str(file).endswith("secret.json"):
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(os, "open", deny)
    store = EventStore(path.parent)
    store.load()
    assert list(store.index.docno_of) == ["fine"]
    assert [str(p) for p in store.problems()] == ["secret.json: permission denied"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are a POSIX thing")
def test_a_named_pipe_called_like_an_event_file_is_a_problem_not_a_hang(write_event: WriteEvent) -> None:
    path = write_event("fine.json", event(id="fine"))
    os.mkfifo(path.parent / "pipe.json")  # no writer will ever open it: reading it must not wait
    store = EventStore(path.parent)
    store.load()
    reading = threading.Thread(target=store.upsert, args=("pipe.json",), daemon=True)
    reading.start()  # as the watcher does when one appears (the scan skips it)
    reading.join(timeout=10)
    assert not reading.is_alive(), "reading a named pipe waited for a writer"
    assert list(store.index.docno_of) == ["fine"]
    assert [str(p) for p in store.problems()] == [
        "pipe.json: is not a regular file (a pipe, socket or device)"
    ]


def test_one_id_twice_in_a_file_is_reported_and_the_last_shown(write_event: WriteEvent) -> None:
    lines = [
        '{"id": "x", "title": "First", "date": "2021"}',
        '{"id": "x", "title": "Second", "date": "2021"}',
    ]
    path = write_event("twice.jsonl", "\n".join(lines))
    store = EventStore(path.parent)
    store.load()
    assert store.get("x").title == "Second"  # type: ignore[union-attr]
    assert [str(p) for p in store.problems()] == [
        "twice.jsonl: duplicate id 'x' within the file (twice.jsonl:1, twice.jsonl:2): the last is shown"
    ]


def test_a_file_over_the_size_limit_is_refused(write_event: WriteEvent) -> None:
    path = write_event("huge.json", event(id="huge", text="x" * 5000))
    store = EventStore(path.parent, max_bytes=1000)
    store.load()
    assert len(store) == 0
    assert "over the 1,000-byte limit" in str(store.problems()[0])


def test_check_prints_one_line_per_broken_file_and_exits_1(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", str(folder)]) == 1
    lines = capsys.readouterr().out.splitlines()
    named = {line.split(":")[0].removeprefix(str(folder) + "/") for line in lines}
    assert named == set(BROKEN) | {"mixed.jsonl", "folder.json"}
    assert len(lines) == len(BROKEN) + 2


def test_json_test_suite_every_n_file_is_a_problem_and_nothing_crashes(tmp_path: Path) -> None:
    """A peer's test suite: n_ files must be rejected, y_ files parse (and are then judged as events)."""
    folder = tmp_path / "suite"
    folder.mkdir()
    names = sorted(os.listdir(SUITE))
    for name in names:
        (folder / name).write_bytes((SUITE / name).read_bytes())
    store = EventStore(folder)
    store.load()
    with_problems = {str(problem).split(":")[0] for problem in store.problems()}
    rejected = [name for name in names if name.startswith("n_") and name.endswith(".json")]
    assert rejected and set(rejected) <= with_problems
    assert len(store) == 0  # no file of the suite is an event
