"""The Office of the Historian importers, on the real sample files (copied into tests/corpora)."""

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
from store.model.validate import validate_event
from tests.conftest import CORPORA

CORPUS = CORPORA / "history-state"
TRAVELS = CORPUS / "secretary-travels"
VISITS = CORPUS / "visits"
RICE = TRAVELS / "rice-condoleezza.xml"


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
    # "… peace negotiations with Syrian Foreign Minister Farouk Sharaa at Shepherdstown, W.Va."
    assert event["location"] == {"city": "Shepherdstown", "country": "US"}
    assert event["countries"] == ["IL", "US"]
    assert event["date"] == "2000-01-03" and event["end_date"] == "2000-01-10"
    assert event["title"] == "Prime Minister Ehud Barak of Israel visits Shepherdstown"
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
    assert [event["id"] for event in imported.events] == ["state-travels-1", "state-travels-3"]
    assert len(imported.problems) == 2
    assert all(problem.count("\n") == 0 and str(path) in problem for problem in imported.problems)
    # an unknown country keeps the record, with the country unset and one warning line
    assert "country" not in imported.events[1]["location"] and imported.events[1]["countries"] == ["US"]
    assert (
        len(imported.warnings) == 1
        and "Atlantis" in imported.warnings[0]
        and "\n" not in imported.warnings[0]
    )


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
    assert first.out.startswith("68 events from 1 file into") and "68 created" in first.out
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


def test_import_command_refuses_an_unknown_source(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(["import", "trips", str(RICE), "--out", str(tmp_path)]) == 2
    assert "invalid choice: 'trips' (choose from travels, visits)" in capsys.readouterr().err
    assert not list(tmp_path.rglob("*.json"))


def test_import_command_needs_a_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    not_a_folder = _write(tmp_path, "file", "")
    assert _run(["import", "travels", str(RICE), "--out", str(not_a_folder)]) == 2
    assert "not a folder" in capsys.readouterr().err


def _trip(
    tmp_path: Path,
    remarks: str,
    *,
    country: str = "France",
    slug: str = "france",
    locale: str = "Paris",
    date: str = "1999-12-15",
) -> dict[str, object]:
    record = (
        f"<trips><trip role='secretary' who='x'><id>7</id><role>secretary</role><name>Madeleine Korbel Albright</name>"
        f"<start-date>{date}</start-date><end-date>{date}</end-date><country id='{slug}'>{country}</country>"
        f"<locale>{locale}</locale><remarks>{remarks}</remarks></trip></trips>"
    )
    (event,) = import_file("travels", _write(tmp_path, "trip.xml", record)).events
    return event


def _visit(tmp_path: Path, description: str, *, country: str = "Spain") -> dict[str, object]:
    record = (
        f"<visits><visit><id>9</id><start-date>1990-01-02</start-date><end-date>1990-01-03</end-date>"
        f"<visitor>Prime Minister Felipe Gonzalez</visitor><from id='x'>{country}</from>"
        f"<description>{description}</description></visit></visits>"
    )
    imported = import_file("visits", _write(tmp_path, "visits.xml", record))
    (event,) = imported.events
    return event


def test_every_record_of_both_collections_is_imported() -> None:
    """Misspelt, older and defunct country names ("St. Christopher and Nevis", "Hawaii") lose no record."""
    records = events = 0
    for folder, source in (
        ("president-travels", "travels"),
        ("secretary-travels", "travels"),
        ("visits", "visits"),
    ):
        for path in sorted((CORPUS / folder).glob("*.xml")):
            imported = import_file(source, path)
            records += len(imported.events) + len(imported.problems)
            events += len(imported.events)
            assert imported.problems == []
    assert records == events > 6000


def test_historic_names_and_close_spellings_map_defunct_states_stay_unset(tmp_path: Path) -> None:
    assert _visit(tmp_path, "Official visit.", country="St. Christopher and Nevis")["countries"] == [
        "KN",
        "US",
    ]
    assert _visit(tmp_path, "Official visit.", country="Phillipines")["countries"] == ["PH", "US"]
    hawaii = _visit(tmp_path, "Official visit.", country="Hawaii")
    assert hawaii["countries"] == ["US"] and "country" not in hawaii["participants"][0]


def test_a_visit_is_placed_where_its_description_says(tmp_path: Path) -> None:
    def city(description: str) -> object:
        return _visit(tmp_path, description)["location"]["city"]  # type: ignore[index]

    assert city("Met with President Bush at the U.N. General Assembly in New York City.") == "New York"
    assert city("Addressed the U.N. General Assembly.") == "New York"
    assert city("Attended APEC meeting in Seattle.") == "Seattle"
    assert city("Informal visit at Camp David (Maryland).") == "Camp David"
    assert city("Official visit. Also visited New York City and Chicago.") == "Washington"
    assert city("Met with President Truman after a NATO meeting in Ottawa, Canada.") == "Washington"
    assert city("Discussed bilateral trade relations.") == "Washington"


def test_every_country_named_as_taking_part_is_added(tmp_path: Path) -> None:
    event = _trip(
        tmp_path,
        "Discussed the Persian Gulf crisis with the Foreign Ministers of Romania, Finland, France, "
        "the United Kingdom, and the Soviet Union.",
    )
    assert event["countries"] == ["FR", "US", "RO", "FI", "GB", "RU"]
    en_route = _trip(tmp_path, "Stopped while traveling to Poland to join President Bush.")
    assert en_route["countries"] == ["FR", "US"]


def test_people_only_mourned_are_not_participants(tmp_path: Path) -> None:
    event = _trip(tmp_path, "Attended the funeral of King Hussein and met with Prime Minister Jospin.")
    assert [p["name"] for p in event["participants"]] == ["Madeleine Korbel Albright", "Jospin"]
    event = _trip(tmp_path, "Attended memorial services for former President De Gaulle.")
    assert len(event["participants"]) == 1


def test_us_officials_met_abroad_keep_country_us(tmp_path: Path) -> None:
    event = _trip(
        tmp_path,
        "Met with Secretary of Defense Cohen and joined President Clinton for a meeting with President Chirac.",
    )
    countries = {p["name"]: p.get("country") for p in event["participants"]}
    assert countries == {"Madeleine Korbel Albright": "US", "Cohen": "US", "Clinton": "US", "Chirac": "FR"}


def test_the_host_city_never_gives_a_guest_a_country(tmp_path: Path) -> None:
    event = _trip(
        tmp_path, "Discussed the Israeli-Palestinian conflict with Prime Minister Barak and Chairman Arafat."
    )
    assert all("country" not in p for p in event["participants"][1:])
    assert {"IL", "PS"} <= set(event["countries"])  # type: ignore[arg-type]


def test_a_surname_only_mention_takes_the_full_name_the_record_writes(tmp_path: Path) -> None:
    event = _trip(tmp_path, "Met with President Jacques Chirac; later President Chirac hosted a dinner.")
    assert [p["name"] for p in event["participants"]] == ["Madeleine Korbel Albright", "Jacques Chirac"]
    event = _trip(tmp_path, "Met with Foreign Minister Vedrine, whom Hubert Vedrine later thanked.")
    assert event["participants"][1] == {
        "name": "Hubert Vedrine",
        "role": "Foreign Minister",
        "country": "FR",
        "aliases": ["Vedrine"],
    }


def test_a_locale_of_several_cities_gives_several_places(tmp_path: Path) -> None:
    event = _trip(tmp_path, "Met with officials.", country="Poland", slug="poland", locale="Rzeszow, Warsaw")
    assert event["location"] == {"city": "Rzeszow", "country": "PL"}
    assert event["places"] == [{"city": "Rzeszow", "country": "PL"}, {"city": "Warsaw", "country": "PL"}]


def test_entity_declarations_in_utf16_are_refused_too(tmp_path: Path) -> None:
    text = (
        '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE trips [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]><trips><trip>&b;</trip></trips>'
    )
    path = tmp_path / "trips.xml"
    path.write_bytes(text.encode("utf-16"))  # no byte pattern for "<!DOCTYPE" in it
    with pytest.raises(UnreadableXml, match="DOCTYPE"):
        read_xml_root(path)
