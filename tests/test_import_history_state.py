"""The Office of the Historian importers, on the real sample files (read in place, never copied)."""

from __future__ import annotations

import argparse
import os
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import orjson
import pytest

from cli.importing import add_commands
from store.importers.atomic_write import WriteOutcome, write_atomically
from store.importers.event_files import EventFolder
from store.importers.history_state import import_file
from store.importers.organizations import organizations_named_in
from store.importers.people import people_named_in
from store.importers.safe_xml import UnreadableXml, read_xml_root
from store.validate import validate_event

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "history-state"
TRAVELS = CORPUS / "secretary-travels"
VISITS = CORPUS / "visits"
RICE = TRAVELS / "rice-condoleezza.xml"

pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason="the shared history-state corpus is not here")


def _sample_files() -> list[tuple[str, Path]]:
    return [("travels", path) for path in sorted(TRAVELS.glob("*.xml"))] + [
        ("visits", path) for path in sorted(VISITS.glob("*.xml"))
    ]


def _by_id(source: str, path: Path) -> dict[str, dict]:
    return {str(event["id"]): event for event in import_file(source, path).events}


@pytest.mark.parametrize(("source", "path"), _sample_files(), ids=lambda value: getattr(value, "name", value))
def test_every_record_of_every_sample_gives_one_valid_event(source: str, path: Path) -> None:
    records = len(ElementTree.parse(path).getroot())
    imported = import_file(source, path)
    assert imported.problems == []
    assert len(imported.events) == records
    assert len({event["id"] for event in imported.events}) == records
    for event in imported.events:
        validated = validate_event(event, fallback_id="unused")
        assert validated.id == event["id"]
        assert validated.kind == "visit"
        assert validated.country in validated.countries
        assert "US" in validated.countries
        assert all(participant.name for participant in validated.participants)


def test_rice_in_london() -> None:
    event = _by_id("travels", RICE)["state-travels-1445"]
    assert event["title"] == "Secretary of State Condoleezza Rice visits London, United Kingdom"
    assert event["date"] == "2005-02-04"
    assert "end_date" not in event
    assert event["location"] == {"city": "London", "country": "GB"}
    assert event["countries"] == ["GB", "US"]
    assert event["participants"] == [
        {"name": "Condoleezza Rice", "role": "Secretary of State", "country": "US"},
        {"name": "Blair", "role": "Prime Minister", "country": "GB"},
        {"name": "Straw", "role": "Foreign Secretary", "country": "GB"},
    ]
    assert event["summary"] == "Met with Prime Minister Blair and Foreign Secretary Straw."
    assert event["source"]["name"].startswith("Office of the Historian")
    assert event["source"]["url"].endswith("/travels/secretary/rice-condoleezza")


def test_a_guest_of_another_country_keeps_it() -> None:
    event = _by_id("travels", RICE)["state-travels-1448"]  # Ankara: "… and Russian Foreign Minister Lavrov."
    assert event["end_date"] == "2005-02-06"
    assert {"name": "Gul", "role": "Foreign Minister", "country": "TR"} in event["participants"]
    assert {"name": "Lavrov", "role": "Foreign Minister", "country": "RU"} in event["participants"]
    assert event["countries"] == ["TR", "US", "RU"]


def test_the_president_accompanied_is_american() -> None:
    accompanying = [
        event
        for event in import_file("travels", RICE).events
        if str(event.get("summary", "")).startswith("Accompanied President Bush")
    ]
    assert accompanying
    for event in accompanying:
        assert {"name": "Bush", "role": "President", "country": "US"} in event["participants"]


def test_tillerson_names_in_full_and_formats() -> None:
    events = import_file("travels", TRAVELS / "tillerson-rex-w.xml").events
    participants = [p for event in events for p in event["participants"]]
    assert {"name": "Salman bin Abdulaziz al-Saud", "role": "King", "country": "SA"} in participants
    assert {"name": "Mohammed bin Salman", "role": "Crown Prince", "country": "SA"} in participants
    organizations = {name for event in events for name in event.get("organizations", [])}
    assert {"NATO", "G20", "G7", "OSCE", "ASEAN"} <= organizations


def test_former_states_get_current_codes() -> None:
    vance = import_file("travels", TRAVELS / "vance-cyrus-roberts.xml").events
    moscow = [event for event in vance if event["location"].get("city") == "Moscow"]
    assert moscow and all(event["location"]["country"] == "RU" for event in moscow)
    assert any("U.S.S.R." in event["title"] for event in moscow)  # the record's own name stays in the title


def test_visit_splits_role_and_name() -> None:
    event = _by_id("visits", VISITS / "2000.xml")["state-visits-1398"]
    assert event["participants"] == [{"name": "Ehud Barak", "role": "Prime Minister", "country": "IL"}]
    assert event["location"] == {"city": "Washington", "country": "US"}
    assert event["countries"] == ["IL", "US"]
    assert event["date"] == "2000-01-03" and event["end_date"] == "2000-01-10"
    assert event["title"] == "Prime Minister Ehud Barak of Israel visits Washington"
    assert event["summary"].startswith("Private visit and peace negotiations")
    assert event["source"]["url"].endswith("/visits/2000")


def test_visit_of_two_leaders_and_of_a_leader_without_title() -> None:
    events = import_file("visits", VISITS / "2000.xml").events
    pairs = [event for event in events if len(event["participants"]) == 2]
    assert any(
        [p["role"] for p in event["participants"]] == ["President", "Prime Minister"]
        and event["participants"][0]["name"] == "Stjepan Mesic"
        for event in pairs
    )
    untitled = [p for event in events for p in event["participants"] if "role" not in p]
    assert {"name": "Valdas Adamkus", "country": "LT"} in untitled


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Met with President Gurbanguly Berdimuhamedow.",
            [{"name": "Gurbanguly Berdimuhamedow", "role": "President", "country": "TM"}],
        ),
        (
            "Met with King Hussein of Jordan and Israeli Prime Minister Rabin.",
            [
                {"name": "Hussein", "role": "King", "country": "JO"},
                {"name": "Rabin", "role": "Prime Minister", "country": "IL"},
            ],
        ),
        (
            "Prime Minster Adrian Nastase",
            [{"name": "Adrian Nastase", "role": "Prime Minister", "country": "TM"}],
        ),
        (
            "President-elect Vicente Fox",
            [{"name": "Vicente Fox", "role": "President-elect", "country": "TM"}],
        ),
        (
            "Met with UN Secretary-General Annan.",
            [{"name": "Annan", "role": "Secretary-General", "organization": "UN"}],
        ),
        ("Stopped en route to Washington.", []),
    ],
)
def test_people_in_remarks(text: str, expected: list[dict]) -> None:
    assert [person.as_participant("TM") for person in people_named_in(text)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Attended the C5+1 Ministerial and the G-20 Foreign Ministers’ Meeting.", ["C5+1", "G20"]),
        ("Attended the UN General Assembly and NATO Summit.", ["UN General Assembly", "NATO"]),
        ("Designated a Major Non-NATO Ally.", []),
        ("the UN, the CIS, and “Central Asia + Russia”", ["UN", "CIS", "Central Asia + Russia"]),
        (
            "Attended OSCE and ASEAN Regional Forum meetings; G-7 Summit.",
            ["OSCE", "ASEAN Regional Forum", "G7"],
        ),
    ],
)
def test_organizations(text: str, expected: list[str]) -> None:
    assert organizations_named_in(text) == expected


def test_reimport_updates_in_place(tmp_path: Path) -> None:
    events = import_file("travels", TRAVELS / "tillerson-rex-w.xml").events
    folder = EventFolder(tmp_path)
    assert {folder.write(event) for event in events} == {WriteOutcome.CREATED}
    files = sorted(tmp_path.rglob("*.json"))
    assert len(files) == len(events)
    assert files[0].parent.name.isdigit()
    again = EventFolder(tmp_path)
    assert {again.write(event) for event in events} == {WriteOutcome.UNCHANGED}
    changed = dict(events[0], summary="Corrected.")
    assert EventFolder(tmp_path).write(changed) == WriteOutcome.UPDATED
    assert sorted(tmp_path.rglob("*.json")) == files
    written = orjson.loads(EventFolder(tmp_path).path_for(changed).read_bytes())
    assert written["summary"] == "Corrected."
    assert not [path for path in tmp_path.rglob("*") if path.name.startswith(".")]


def test_an_event_moved_to_another_year_leaves_no_copy(tmp_path: Path) -> None:
    event = {"id": "state-travels-1", "title": "T", "date": "2001-01-01"}
    EventFolder(tmp_path).write(event)
    EventFolder(tmp_path).write(dict(event, date="2002-01-01"))
    assert [path.relative_to(tmp_path).as_posix() for path in tmp_path.rglob("*.json")] == [
        "2002/state-travels-1.json"
    ]


def test_unsafe_ids_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        EventFolder(tmp_path).path_for({"id": "../escape", "date": "2001"})


def test_atomic_write_skips_unchanged_content(tmp_path: Path) -> None:
    target = tmp_path / "event.json"
    assert write_atomically(target, b"{}") == WriteOutcome.CREATED
    before = os.stat(target).st_mtime_ns
    assert write_atomically(target, b"{}") == WriteOutcome.UNCHANGED
    assert os.stat(target).st_mtime_ns == before
    assert write_atomically(target, b"[]") == WriteOutcome.UPDATED
    assert target.read_bytes() == b"[]"


def _write(tmp_path: Path, name: str, content: str) -> Path:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    return path


def test_entity_declarations_are_refused(tmp_path: Path) -> None:
    bomb = _write(
        tmp_path,
        "bomb.xml",
        '<?xml version="1.0"?><!DOCTYPE trips [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
        "<trips><trip><id>1</id><remarks>&b;</remarks></trip></trips>",
    )
    imported = import_file("travels", bomb)
    assert imported.events == []
    assert len(imported.problems) == 1 and "DOCTYPE" in imported.problems[0]


def test_a_bad_record_is_one_problem_and_the_rest_imports(tmp_path: Path) -> None:
    trip = (
        "<trip role='secretary' who='x'><id>{id}</id><role>secretary</role><name>A B</name>"
        "<start-date>{date}</start-date><end-date>{date}</end-date><country id='{slug}'>{country}</country>"
        "<locale>Somewhere</locale><remarks/></trip>"
    )
    records = [
        trip.format(id=1, date="2020-01-02", slug="france", country="France"),
        trip.format(id=2, date="2020-02-30", slug="france", country="France"),
        trip.format(id=3, date="2020-01-02", slug="atlantis", country="Atlantis"),
        trip.format(id="../4", date="2020-01-02", slug="france", country="France"),
    ]
    path = _write(tmp_path, "trips.xml", f"<trips>{''.join(records)}</trips>")
    imported = import_file("travels", path)
    assert [event["id"] for event in imported.events] == ["state-travels-1"]
    assert len(imported.problems) == 3
    assert all(problem.count("\n") == 0 and str(path) in problem for problem in imported.problems)
    assert "Atlantis" in imported.problems[1]


def test_the_wrong_collection_and_broken_xml_are_file_problems(tmp_path: Path) -> None:
    assert "not a visits file" in import_file("visits", RICE).problems[0]
    broken = _write(tmp_path, "broken.xml", "<trips><trip>")
    assert "not well-formed" in import_file("travels", broken).problems[0]
    assert "cannot read" in import_file("travels", tmp_path / "missing.xml").problems[0]


def _run(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="communique")
    add_commands(parser.add_subparsers(dest="command"))
    args = parser.parse_args(argv)
    return args.func(args)


def test_import_command_writes_then_leaves_files_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tillerson = str(TRAVELS / "tillerson-rex-w.xml")
    assert _run(["import", "travels", tillerson, "--out", str(tmp_path)]) == 0
    first = capsys.readouterr()
    assert first.err == ""
    assert first.out.startswith("68 events from 1 files") and "68 created" in first.out
    assert _run(["import", "travels", tillerson, "--out", str(tmp_path)]) == 0
    assert "68 unchanged" in capsys.readouterr().out
    assert len(list(tmp_path.rglob("*.json"))) == 68


def test_import_command_reports_skips_and_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken = _write(tmp_path, "broken.xml", "<visits><visit>")
    out = tmp_path / "out"
    assert _run(["import", "visits", str(broken), str(VISITS / "2010.xml"), "--out", str(out)]) == 1
    captured = capsys.readouterr()
    assert captured.err.count("\n") == 1 and "broken.xml" in captured.err and "Traceback" not in captured.err
    assert "; 1 skipped" in captured.out
    assert len(list(out.rglob("*.json"))) == len(ElementTree.parse(VISITS / "2010.xml").getroot())


def test_import_command_needs_a_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    not_a_folder = _write(tmp_path, "file", "")
    assert _run(["import", "travels", str(RICE), "--out", str(not_a_folder)]) == 2
    assert "not a folder" in capsys.readouterr().err


def test_entity_declarations_in_utf16_are_refused_too(tmp_path: Path) -> None:
    text = (
        '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE trips [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]><trips><trip>&b;</trip></trips>'
    )
    path = tmp_path / "trips.xml"
    path.write_bytes(text.encode("utf-16"))  # no byte pattern for "<!DOCTYPE" in it
    with pytest.raises(UnreadableXml, match="DOCTYPE"):
        read_xml_root(path)
