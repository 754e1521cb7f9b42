"""Drafts from press releases: the seed release must give the seed event's facts; other shapes their own."""

from __future__ import annotations

import argparse
from pathlib import Path

import orjson
import pytest

from cli.importing import add_commands
from store.drafts.dates import dates_in
from store.drafts.draft import draft_event
from store.drafts.layout import cut_release
from store.model.validate import validate_event

REPO = Path(__file__).resolve().parents[2]
SEED_TEXT = REPO / "tests" / "corpora" / "seeds" / "000_1cd7d1af4bda551f.txt"
SEED_EVENT = REPO / "fixtures" / "events" / "2023" / "2023-05-04-tm-ru-consultations-ashgabat.json"
PRESS = REPO / "tests" / "data" / "press"


def _draft(name: str) -> tuple[dict, list[str]]:
    draft = draft_event((PRESS / name).read_text(encoding="utf-8"))
    return draft.event, draft.unsure


def _people(event: dict) -> list[tuple]:
    return [
        (p["name"], p.get("role"), p.get("country"), p.get("delegation_head", False))
        for p in event["participants"]
    ]


def test_the_seed_release_reproduces_the_seed_event() -> None:
    seed = orjson.loads(SEED_EVENT.read_bytes())
    draft = draft_event(SEED_TEXT.read_text(encoding="utf-8"))
    event = draft.event
    assert draft.unsure == []
    for key in (
        "id",
        "date",
        "kind",
        "location",
        "countries",
        "organizations",
        "agenda",
        "summary",
        "source",
    ):
        assert event[key] == seed[key], key
    fields = ("name", "role", "country", "organization", "delegation_head")
    assert [{key: p[key] for key in fields} for p in event["participants"]] == [
        {key: p[key] for key in fields} for p in seed["participants"]
    ]
    declaration = {key: seed["documents"][0][key] for key in ("title", "date")}
    assert event["documents"] == [declaration]
    assert event["photo_credit"] == seed["photo_credit"]
    assert "Turkmen-Russian interdepartmental consultations on regional security issues" in event["title"]
    validate_event(event, fallback_id="unused")


def test_phone_call_has_no_place_and_is_not_unsure_of_one() -> None:
    event, unsure = _draft("kz-uz-phone-call.txt")
    assert event["kind"] == "call"
    assert event["date"] == "2024-03-14"  # not December 2023 (an earlier visit) nor 15 March (publication)
    assert "location" not in event
    assert event["countries"] == ["KZ", "UZ"]
    assert _people(event) == [
        ("Kassym-Jomart Tokayev", "President", "KZ", False),
        ("Shavkat Mirziyoyev", "President", "UZ", False),
    ]
    assert event["source"] == {
        "name": "Kazinform",
        "url": "https://www.inform.kz/",
        "published": "2024-03-15",
    }
    assert event["organizations"] == ["Organization of Turkic States"]
    assert unsure == []


def test_multilateral_meeting() -> None:
    event, unsure = _draft("c5-plus-1-new-york.txt")
    assert event["title"] == "C5+1 Foreign Ministers Meet in New York"
    assert (event["kind"], event["date"], event["location"]) == (
        "meeting",
        "2023-09-19",
        {"city": "New York", "country": "US"},
    )
    assert event["countries"] == ["US", "KZ", "KG", "TJ", "TM", "UZ"]
    assert ("Antony Blinken", "Secretary of State", "US", False) in _people(event)
    assert ("Jeenbek Kulubaev", "Minister of Foreign Affairs", "KG", False) in _people(event)
    assert len(event["participants"]) == 6
    assert event["organizations"] == ["C5+1", "UN General Assembly"]
    assert event["documents"] == [{"title": "Joint Declaration of the C5+1", "date": "2015-11-03"}]
    assert event["source"] == {"name": "Ministry of Foreign Affairs of Uzbekistan", "published": "2023-09-20"}
    assert unsure == []


def test_visit_over_two_days() -> None:
    event, unsure = _draft("jp-uz-visit-tashkent.txt")
    assert (event["kind"], event["date"], event["end_date"]) == ("visit", "2024-05-06", "2024-05-07")
    assert event["location"] == {"city": "Tashkent", "country": "UZ"}
    assert event["countries"] == ["JP", "UZ"]
    assert _people(event)[0] == ("Yoko Kamikawa", "Minister of Foreign Affairs", "JP", False)
    assert event["participants"][0]["organization"] == "Ministry of Foreign Affairs of Japan"
    assert event["organizations"] == ["Central Asia + Japan", "UN"]
    assert event["documents"] == [{"title": "Memorandum of Cooperation"}]
    assert event["source"]["published"] == "2024-05-08"
    assert unsure == []


def test_several_delegation_members() -> None:
    event, unsure = _draft("az-ge-consultations-baku.txt")
    assert (event["kind"], event["date"], event["location"]["city"]) == ("consultation", "2023-11-21", "Baku")
    assert _people(event) == [
        ("Elnur Mammadov", "Deputy Minister of Foreign Affairs", "AZ", True),
        ("Ilkin Ahmadov", "Director of the Department of Europe", "AZ", False),
        ("Faig Guliyev", "Ambassador to Georgia", "AZ", False),
        ("Lasha Darsalia", "First Deputy Minister of Foreign Affairs", "GE", True),
        ("Zurab Pataradze", "Ambassador to Azerbaijan", "GE", False),
    ]
    assert event["agenda"] == [
        "bilateral political dialogue",
        "transport and energy projects in the South Caucasus",
        "cooperation within the OSCE, the GUAM and the UN",
    ]
    assert event["organizations"] == ["OSCE", "GUAM", "UN"]
    assert event["documents"] == [
        {"title": "Declaration on Strategic Partnership between Azerbaijan and Georgia", "date": "2022-02-22"}
    ]
    assert unsure == []


def test_signing_of_several_documents() -> None:
    event, unsure = _draft("kz-az-signing-astana.txt")
    assert (event["kind"], event["date"], event["location"]) == (
        "signing",
        "2024-06-12",
        {"city": "Astana", "country": "KZ"},
    )
    assert event["documents"] == [
        {"title": "Agreement on Cooperation in the Field of Renewable Energy"},
        {"title": "Memorandum of Understanding on Transit Transport"},
        {"title": "Treaty on Strategic Partnership and Alliance Relations", "date": "2022-08-24"},
    ]
    assert _people(event) == [
        ("Olzhas Bektenov", "Prime Minister", "KZ", False),
        ("Ali Asadov", "Prime Minister", "AZ", False),
    ]
    assert event["organizations"] == ["CIS", "Organization of Turkic States"]
    assert unsure == []


def test_a_release_without_date_or_place_leaves_them_out_and_says_so() -> None:
    event, unsure = _draft("tm-kr-credentials-undated.txt")
    assert "date" not in event and "location" not in event and "source" not in event
    assert event["kind"] == "meeting"
    assert _people(event) == [
        ("Rashid Meredov", "Minister of Foreign Affairs", "TM", False),
        ("Kim Sang-jin", "Ambassador to Turkmenistan", "KR", False),
    ]
    assert event["countries"] == ["TM", "KR"]
    assert [note.split(":")[0] for note in unsure] == ["date", "location", "source.name", "source.published"]


def test_dateline_and_today() -> None:
    event, unsure = _draft("us-ua-washington-dateline.txt")
    assert event["date"] == "2023-05-04"
    assert event["location"] == {"city": "Washington", "country": "US"}
    assert event["summary"].startswith("WASHINGTON, May 4, 2023 — Secretary of State Antony J. Blinken met")
    assert event["title"].startswith("Secretary of State Antony J. Blinken met today")
    # a title only the US gives: the Secretary is of the US though the release does not say so
    assert event["participants"][0] == {
        "name": "Antony J. Blinken",
        "role": "Secretary of State",
        "country": "US",
    }
    assert unsure == []
    assert event["source"]["name"] == "Office of the Spokesperson, U.S. Department of State"


@pytest.mark.parametrize("name", sorted(path.name for path in PRESS.glob("*.txt")))
def test_every_dated_draft_is_a_valid_event(name: str) -> None:
    event, _ = _draft(name)
    if "date" in event:
        validate_event(event, fallback_id="unused")


def test_dates_in_prose() -> None:
    found = dates_in(
        "On 4 May 2023 … signed in June 2022 … on 6-7 May 2024 … May 4, 2023 … on 31 February 2023"
    )
    assert [(date.start, date.end) for date in found] == [
        ("2023-05-04", ""),
        ("2022-06", ""),
        ("2024-05-06", "2024-05-07"),
        ("2023-05-04", ""),
    ]
    assert [date.start for date in dates_in("on 12 March", reference="2024-03-15")] == ["2024-03-12"]
    assert dates_in("on 12 March") == []  # no year and nothing to take one from: not guessed
    assert dates_in("we may meet") == []


def test_layout_of_a_glued_signoff() -> None:
    layout = cut_release(" date 2023-05-05 First.\n\nLast paragraph. ///nCa, 5 May 2023 (photo source – MFA)")
    assert layout.header_date == "2023-05-05"
    assert layout.paragraphs == ["First.", "Last paragraph."]
    assert (layout.signoff, layout.photo_credit) == ("nCa, 5 May 2023", "MFA")


def _run(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="communique")
    add_commands(parser.add_subparsers(dest="command"))
    args = parser.parse_args(argv)
    return args.func(args)


def test_draft_command_prints_json_and_lists_unsure_fields(capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(["draft", str(PRESS / "kz-uz-phone-call.txt")]) == 0
    captured = capsys.readouterr()
    validate_event(orjson.loads(captured.out), fallback_id="unused")


def test_draft_command_prints_no_invalid_event(capsys: pytest.CaptureFixture[str]) -> None:
    """An undated release gives no event: exit 1 with the reason, its unsure fields, and nothing on stdout."""
    assert _run(["draft", str(PRESS / "tm-kr-credentials-undated.txt")]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.splitlines()[0] == "unsure: date: the release does not say when the event took place"
    assert "no event drafted: date: required" in captured.err.splitlines()[-1]


def test_draft_command_writes_an_event_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(["draft", str(PRESS / "kz-uz-phone-call.txt"), "--out", str(tmp_path)]) == 0
    written = tmp_path / "2024" / "kz-uz-2024-03-14-call.json"
    assert capsys.readouterr().out.strip() == str(written)
    validate_event(orjson.loads(written.read_bytes()), fallback_id="unused")


def test_draft_command_refuses_to_write_an_undated_draft(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _run(["draft", str(PRESS / "tm-kr-credentials-undated.txt"), "--out", str(tmp_path)]) == 1
    assert "date: required" in capsys.readouterr().err.splitlines()[-1]
    assert list(tmp_path.iterdir()) == []


def test_draft_command_on_a_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(["draft", str(tmp_path / "missing.txt")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "cannot read" in err


def test_people_only_mentioned_are_not_participants_and_lists_give_everyone() -> None:
    event = draft_event(
        "On 3 April 2024, the foreign ministers of Kazakhstan Murat Nurtleu, Kyrgyzstan Zheenbek Kulubaev and "
        "Uzbekistan Bakhtiyor Saidov met in Astana. Nurtleu conveyed greetings from President Kassym-Jomart "
        "Tokayev."
    ).event
    assert event["participants"] == [
        {"name": "Murat Nurtleu", "role": "Foreign Minister", "country": "KZ"},
        {"name": "Zheenbek Kulubaev", "role": "Foreign Minister", "country": "KG"},
        {"name": "Bakhtiyor Saidov", "role": "Foreign Minister", "country": "UZ"},
    ]
    assert event["kind"] == "meeting" and event["countries"] == ["KZ", "KG", "UZ"]
