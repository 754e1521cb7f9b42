"""One file must never crash, freeze or exhaust the store, and its answers must not depend on the index
(issue 13): each test here failed before the change it covers."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cli.main import main
from store.event_store import EventStore
from store.exports import TOO_DEEP, export_events
from store.files import event_files
from store.files.event_files import MAX_PROBLEMS_PER_FILE, parse_event_bytes
from store.model.validate import MAX_NESTING, validate_event
from tests.conftest import WriteEvent, event


def _loaded(root: Path) -> EventStore:
    store = EventStore(root)
    store.load()
    return store


def test_a_rewrite_keeping_size_and_mtime_is_seen_by_the_reconcile(write_event: WriteEvent) -> None:
    path = write_event("a.json", event(id="a", title="Before"))
    store = _loaded(path.parent)
    kept = os.stat(path)
    path.write_bytes(path.read_bytes().replace(b"Before", b"Latest"))  # same size
    os.utime(path, ns=(kept.st_atime_ns, kept.st_mtime_ns))  # as cp -p, rsync -t and touch -r leave it
    assert os.stat(path).st_size == kept.st_size and os.stat(path).st_mtime_ns == kept.st_mtime_ns
    assert store.reconcile().changed == {"a"}
    assert store.get("a").title == "Latest"  # type: ignore[union-attr]


def test_a_file_replaced_by_another_of_same_size_and_mtime_is_seen(write_event: WriteEvent) -> None:
    path = write_event("a.json", event(id="a", title="Before"))
    store = _loaded(path.parent)
    kept = os.stat(path)
    other = write_event("other.tmp", event(id="a", title="Latest"))
    os.utime(other, ns=(kept.st_atime_ns, kept.st_mtime_ns))
    os.replace(other, path)  # rsync's way: a new inode under the old name
    store.reconcile()
    assert store.get("a").title == "Latest"  # type: ignore[union-attr]


def test_a_file_of_millions_of_broken_lines_keeps_a_hundred_problems_and_counts_the_rest() -> None:
    good = b'{"id": "g%d", "title": "Talks", "date": "2023"}\n'
    data = good % 1 + b"x\n" * 2_000_000 + b"\n" + good % 2 + b"{broken\n42\n"
    contents = parse_event_bytes(data, "many.jsonl")
    assert [(event.id, event.path) for event in contents.events] == [
        ("g1", "many.jsonl:1"),
        ("g2", "many.jsonl:2000003"),
    ]
    assert len(contents.problems) == MAX_PROBLEMS_PER_FILE + 1
    assert str(contents.problems[0]).startswith("many.jsonl:2: invalid JSON")
    assert (
        str(contents.problems[-1]) == f"many.jsonl: and {2_000_002 - MAX_PROBLEMS_PER_FILE:,} more problems"
    )


def test_an_array_of_a_million_non_events_keeps_a_hundred_problems() -> None:
    contents = parse_event_bytes(b"[" + b"1," * 1_000_000 + b'{"title": "t", "date": "2023"}]', "a.json")
    assert len(contents.events) == 1 and len(contents.problems) == MAX_PROBLEMS_PER_FILE + 1
    assert str(contents.problems[-1]) == f"a.json: and {1_000_000 - MAX_PROBLEMS_PER_FILE:,} more problems"


_LINES = st.sampled_from(
    [
        b'{"id": "a", "title": "t", "date": "2023"}',
        b' {"title": "t", "date": "2021-02"}\r',
        b'{"title": "", "date": "2023"}',
        b"{broken",
        b"x",
        b"42",
        b"",
        b" \t",
    ]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(_LINES, max_size=30), st.booleans())
def test_capped_lines_keep_every_event_and_count_every_problem(lines: list[bytes], newline: bool) -> None:
    data = b"\n".join(lines) + (b"\n" if newline else b"")
    full = parse_event_bytes(data, "f.jsonl")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(event_files, "MAX_PROBLEMS_PER_FILE", 3)
        capped = parse_event_bytes(data, "f.jsonl")
    assert capped.events == full.events
    if len(full.problems) <= 3:
        assert capped.problems == full.problems
    else:
        assert capped.problems[:3] == full.problems[:3]
        assert str(capped.problems[3]) == f"f.jsonl: and {len(full.problems) - 3:,} more problems"


def _nested(levels: int) -> object:
    """An array `levels` deep: [[[…]]]."""
    value: list[object] = []
    for _ in range(levels - 1):
        value = [value]
    return value


def test_an_event_nested_deeper_than_a_json_export_writes_is_refused_and_exports_still_work(
    write_event: WriteEvent,
) -> None:
    write_event("deep.json", event(id="deep", shape=_nested(250)))  # 251 levels with the event itself
    write_event("deepest.json", event(id="deepest", shape=_nested(MAX_NESTING - 1)))  # just within
    store = _loaded(write_event("fine.json", event(id="fine")).parent)
    assert sorted(store.index.docno_of) == ["deepest", "fine"]
    assert [str(problem) for problem in store.problems()] == [
        f"deep.json: shape: nested deeper than {MAX_NESTING} levels (the most an export writes)"
    ]
    events = [store.get(event_id) for event_id in store.query().ids]
    exported = orjson.loads(export_events(events, "json"))  # type: ignore[arg-type]
    assert sorted(item["id"] for item in exported) == ["deepest", "fine"]
    assert [orjson.loads(line)["id"] for line in export_events(events, "jsonl").splitlines()]  # type: ignore[arg-type]


def test_a_json_export_of_an_event_built_too_deep_elsewhere_does_not_crash() -> None:
    too_deep = validate_event(event(title="t"), fallback_id="x")
    too_deep.extra = {"shape": _nested(300)}  # built by other code: never validated
    for fmt in ("json", "jsonl"):
        written = export_events([too_deep], fmt)
        assert TOO_DEEP in written and orjson.loads(written.splitlines()[0] if fmt == "jsonl" else written)


def test_names_that_are_not_utf8_get_distinct_valid_ids_and_every_command_copes(
    write_event: WriteEvent, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    root = write_event("fine.json", event(id="fine")).parent
    for name in (b"caf\xe9.json", b"caf\xe8.json", b"bad\xff.json"):
        with open(os.path.join(os.fsencode(root), name), "wb") as out:
            out.write(orjson.dumps(event()) if b"caf" in name else b"{nope")
    store = _loaded(root)
    assert sorted(store.index.docno_of) == ["caf\\xe8.json", "caf\\xe9.json", "fine"]
    assert [str(problem) for problem in store.problems()][0].startswith("bad\\xff.json:1: invalid JSON")
    os.remove(os.path.join(os.fsencode(root), b"caf\xe9.json"))
    store.reconcile()  # the event goes with its file, named by its real bytes
    assert sorted(store.index.docno_of) == ["caf\\xe8.json", "fine"]
    assert main(["query", "--json", "--no-cache", str(root)]) == 0
    assert sorted(item["id"] for item in orjson.loads(capsysbinary.readouterr().out)) == [
        "caf\\xe8.json",
        "fine",
    ]
    assert main(["check", str(root)]) == 1
    assert capsysbinary.readouterr().out.decode().startswith(f"{root}/bad\\xff.json:1: invalid JSON")


def test_pipes_sockets_symlink_loops_and_folders_named_like_event_files_are_reported(
    write_event: WriteEvent, capsys: pytest.CaptureFixture[str]
) -> None:
    root = write_event("fine.json", event(id="fine")).parent
    write_event("folder.json/inside.json", event(id="inside"))
    os.mkfifo(root / "pipe.json")
    os.symlink("loop.json", root / "loop.json")
    with socket.socket(socket.AF_UNIX) as listening:
        listening.bind(str(root / "socket.json"))
        store = _loaded(root)
        expected = {
            "folder.json: is a folder, not a file",
            "loop.json: cannot read: Too many levels of symbolic links",
            "pipe.json: is not a regular file (a pipe, socket or device)",
            "socket.json: cannot read: No such device or address",
        }
        assert {str(problem) for problem in store.problems()} == expected
        assert sorted(store.index.docno_of) == ["fine", "inside"]
        assert store.reconcile().problems_changed is False  # reported once, not again at every walk
        store.apply_paths(["folder.json", "loop.json", "pipe.json"])  # as the watcher passes them on
        assert {str(problem) for problem in store.problems()} == expected
        assert main(["check", str(root)]) == 1
        printed = {line.removeprefix(f"{root}/") for line in capsys.readouterr().out.splitlines()}
        assert printed == expected


def test_the_command_line_answers_alike_with_and_without_the_index_when_a_file_turned_invalid(
    write_event: WriteEvent, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    root = write_event("turns-bad.json", event(id="bad-later")).parent
    write_event("fine.json", event(id="fine"))
    assert main(["query", "--json", str(root)]) == 0  # builds the index
    assert len(orjson.loads(capsysbinary.readouterr().out)) == 2
    write_event("turns-bad.json", b"{broken")
    answers = []
    for options in ([], ["--no-cache"]):
        assert main(["query", "--json", *options, str(root)]) == 0
        answers.append(orjson.loads(capsysbinary.readouterr().out))
    assert answers[0] == answers[1] and [item["id"] for item in answers[0]] == ["fine"]


def test_a_lone_surrogate_escape_makes_the_file_invalid_json_and_a_pair_is_one_character() -> None:
    lone = parse_event_bytes(b'{"title": "a\\ud800b", "date": "2023"}', "lone.json")
    assert lone.events == [] and [str(problem) for problem in lone.problems] == [
        "lone.json:1: invalid JSON: no low surrogate in string (column 13)"
    ]
    paired = parse_event_bytes(b'{"title": "a\\ud83d\\ude00", "date": "2023"}', "pair.json")
    assert paired.events[0].title == "a\U0001f600"
