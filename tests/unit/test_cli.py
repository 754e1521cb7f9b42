"""The command line answers the dashboard's questions; every user error is one line on stderr."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cli.main import main
from tests.conftest import FIXTURES, WriteEvent
from tests.unit.corpus import write_corpus


@pytest.fixture
def folder(write_event: WriteEvent) -> Path:
    return write_corpus(write_event)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


def test_query_json_lists_normalised_events_newest_first(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = run(capsys, "query", str(folder), "c:TM", "--json")
    events = json.loads(out)
    assert status == 0
    assert [e["id"] for e in events] == ["cons-2023", "bilateral-2023", "signing-2022", "cons-2021"]
    first = events[0]
    for key in (
        "id",
        "date",
        "title",
        "kind",
        "location",
        "countries",
        "participants",
        "topics",
        "organizations",
        "path",
    ):
        assert key in first
    assert first["participants"][0]["name"] == "Vepa Hadjiev" and first["participants"][0]["role"]
    assert first["path"] == "2023/consultations.json"


def test_query_table_and_limit(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "query", str(folder), "--limit", "2")
    assert status == 0
    lines = out.splitlines()
    assert lines[0].split()[:3] == ["DATE", "KIND", "TITLE"] and len(lines) == 3
    assert "6 of 6 events match" in err


def test_participants_and_topics_json(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "participants", str(folder), "--json")
    people = json.loads(out)
    assert (
        people[0]
        == {
            "name": "Vepa Hadjiev",
            "aliases": ["Vepa Hajiyev"],
            "countries": ["TM"],
            "roles": ["Acting Minister of Foreign Affairs"],
            "events": 3,
        }
        or people[0]["events"] == 3
    )
    _, out, _ = run(capsys, "topics", str(folder), "kind:consultation", "--json")
    assert json.loads(out)[0] == {"topic": "regional-security", "events": 2}


def test_related_json(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "related", str(folder), "cons-2023", "--json")
    related = json.loads(out)
    assert related[0]["id"] == "bilateral-2023" and related[0]["score"] > related[-1]["score"]
    assert set(related[0]) == {"id", "title", "date", "score", "reasons"}


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["query", "/no/such/folder"], "no such folder"),
        (["related", "{folder}", "nope"], "no event with id 'nope'"),
        (["query", "{folder}", '"unterminated'], "bad filter"),
        (["query", "{folder}", "kind:party"], "bad filter"),
    ],
)
def test_errors_are_one_line_on_stderr(
    folder: Path, capsys: pytest.CaptureFixture[str], args: list[str], fragment: str
) -> None:
    status, out, err = run(capsys, *[arg.replace("{folder}", str(folder)) for arg in args])
    assert status in (1, 2) and out == ""
    assert fragment in err and err.count("\n") == 1 and "Traceback" not in err


def test_check_passes_on_good_files_and_fails_with_one_line_per_bad_file(
    folder: Path, write_event: WriteEvent, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = run(capsys, "check", str(folder))
    assert status == 0 and out == ""
    write_event("bad.json", b"{oops")
    write_event("worse.jsonl", b'{"title": 1, "date": "2023"}\n')
    status, out, _ = run(capsys, "check", str(folder))
    assert status == 1
    assert len(out.splitlines()) == 2
    assert out.splitlines()[0].endswith("invalid JSON: unexpected character (column 2)") or "bad.json" in out


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check"]) == 2
    assert main(["query"]) == 2


def test_check_on_the_shipped_fixtures_passes(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(FIXTURES / "events")]) == 0


def test_the_dashboard_command_passes_alerts_and_the_config_folder(
    folder: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import os

    import tui.app

    opened: dict[str, object] = {}

    class FakeApp:
        return_code = 0

        def __init__(self, folder: str, **options: object) -> None:
            opened.update(options, folder=folder)

        def run(self) -> None:
            pass

    monkeypatch.setattr(tui.app, "CommuniqueApp", FakeApp)
    assert (
        main([str(folder), "--alert", "topic:afghanistan", "--alert", "p:galuzin", "--max-bytes", "5000"])
        == 0
    )
    assert opened["alerts"] == [("topic:afghanistan", "topic:afghanistan"), ("p:galuzin", "p:galuzin")]
    assert opened["max_bytes"] == 5000 and opened["folder"] == str(folder)
    config = Path(os.environ["XDG_CONFIG_HOME"]) / "communique" / "config.toml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(f'default_folder = "{folder}"\nmax_bytes = 1234\n')
    assert main([]) == 0
    assert opened["folder"] == str(folder) and opened["max_bytes"] == 1234


def test_check_reports_both_files_of_a_duplicate_id(
    write_event: WriteEvent, capsys: pytest.CaptureFixture[str]
) -> None:
    write_event("a.json", {"id": "same", "title": "A", "date": "2023"})
    folder = write_event("b.json", {"id": "same", "title": "B", "date": "2023"}).parent
    status, out, _ = run(capsys, "check", str(folder))
    assert status == 1
    assert [line.split(": ", 1)[1] for line in out.splitlines()] == [
        f"duplicate id 'same' (also in {folder}/b.json)",
        f"duplicate id 'same' (also in {folder}/a.json)",
    ]
