"""What one file yields: events and one-line problems, whatever the bytes."""

from __future__ import annotations

from pathlib import Path

import pytest

from store.files.event_files import is_event_file_name, parse_event_bytes, read_event_file
from tests.conftest import event


@pytest.mark.parametrize(
    ("name", "wanted"),
    [
        ("a.json", True),
        ("a.jsonl", True),
        ("a.json.swp", False),
        (".a.json.swp", False),
        ("a.json~", False),
        (".#a.json", False),
        (".hidden.json", False),
        ("a.json.tmp", False),
        ("a.txt", False),
        ("4913", False),
    ],
)
def test_only_json_and_jsonl_files_are_event_files(name: str, wanted: bool) -> None:
    assert is_event_file_name(name) is wanted


def test_an_array_holds_several_events_with_derived_ids() -> None:
    contents = parse_event_bytes(b'[{"title":"a","date":"2023"},{"title":"b","date":"2024"}]', "x.json")
    assert [e.id for e in contents.events] == ["x.json#1", "x.json#2"]
    assert not contents.problems


def test_jsonl_reports_the_line_of_each_bad_record_and_keeps_the_rest() -> None:
    data = b'{"title":"a","date":"2023"}\n{"title":\n\n{"title":"c","date":"2021"}\n{"date":"2020"}\n'
    contents = parse_event_bytes(data, "x.jsonl")
    assert [e.id for e in contents.events] == ["x.jsonl:1", "x.jsonl:4"]
    assert [str(p) for p in contents.problems] == [
        "x.jsonl:2: invalid JSON: unexpected end of data",
        "x.jsonl:5: title: required",
    ] or [p.line for p in contents.problems] == [2, 5]


def test_a_byte_order_mark_is_accepted() -> None:
    contents = parse_event_bytes(b"\xef\xbb\xbf" + b'{"title":"a","date":"2023"}', "bom.json")
    assert len(contents.events) == 1 and not contents.problems


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (b"", "empty file"),
        (b'{"title": "a", "da', "invalid JSON"),
        (b"\xff\xfe\x00garbage", "invalid JSON"),
        (b'{"title": "a", "date": "2023", "x": NaN}', "invalid JSON"),
        (b"[" * 10_000 + b"]" * 10_000, "invalid JSON"),
        (b'"just a string"', "expected an event object"),
        (b"[]", "empty array"),
        (b'[{"title":"a","date":"2023"}, 5]', "item 2: expected an event object, got number"),
    ],
)
def test_broken_bytes_become_one_problem_naming_the_file(data: bytes, fragment: str) -> None:
    contents = parse_event_bytes(data, "bad.json")
    assert contents.problems, data[:20]
    assert all(str(p).startswith("bad.json") for p in contents.problems)
    assert fragment in str(contents.problems[0])


def test_a_json_syntax_error_names_the_line_orjson_gives() -> None:
    contents = parse_event_bytes(b'{\n"title": "a",\n"date": }', "bad.json")
    assert str(contents.problems[0]).startswith("bad.json:3: invalid JSON")


def test_a_file_over_the_limit_is_refused_without_reading_it(tmp_path: Path) -> None:
    path = tmp_path / "big.json"
    path.write_bytes(b" " * 2048 + orjson_event())
    contents = read_event_file(str(path), "big.json", max_bytes=1024)
    assert "over the 1,024-byte limit" in str(contents.problems[0])


def test_unreadable_and_folder_paths_are_problems_not_crashes(tmp_path: Path) -> None:
    (tmp_path / "dir.json").mkdir()
    assert "is a folder" in str(read_event_file(str(tmp_path / "dir.json"), "dir.json").problems[0])
    missing = read_event_file(str(tmp_path / "gone.json"), "gone.json")
    assert "disappeared" in str(missing.problems[0])


def orjson_event() -> bytes:
    import orjson

    return orjson.dumps(event())
