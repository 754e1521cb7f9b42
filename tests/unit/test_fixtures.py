"""The sample corpus (`fixtures/events/`) and the broken files (`fixtures/broken/`) are what they claim to be.

The sample corpus is what `make run` opens and what the store's tests lean on, so these tests pin the
properties other tests assume: every event is well-formed, ids are unique, every field of the format is used,
and the cross-references the corpus is meant to produce (series, variants of a name, sub-events, a dangling
link) are really in it. They read the files with the standard library only, independently of `store/`.
"""

from __future__ import annotations

import importlib.util
import json
import re
from collections import Counter
from pathlib import Path

import pytest

from store.model.countries import COUNTRY_CODES
from store.model.dates import first_day

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
EVENTS = FIXTURES / "events"
BROKEN = FIXTURES / "broken"
SEED_ID = "tm-ru-2023-05-04-consultations"
SERIES = "Turkmen-Russian consultations on regional security"
KINDS = {"consultation", "meeting", "visit", "summit", "call", "signing", "conference", "other"}
FORMAT_FIELDS = {
    "title", "date", "id", "kind", "end_date", "location", "countries", "participants", "topics", "agenda",
    "organizations", "documents", "related", "series", "source", "summary", "text",
}  # fmt: skip
PARTICIPANT_FIELDS = {"name", "role", "country", "organization", "delegation_head", "aliases"}
CONSTRUCTED_MARK = "constructed for fixtures"


def _load(path: Path) -> list[dict]:
    text = path.read_bytes().decode("utf-8")
    if path.suffix == ".jsonl":
        return [json.loads(line) for line in text.splitlines() if line.strip()]
    data = json.loads(text)
    return data if isinstance(data, list) else [data]


def _event_files() -> list[Path]:
    return sorted(p for p in EVENTS.rglob("*") if p.is_file())


def _events() -> list[dict]:
    return [event for path in _event_files() for event in _load(path)]


def _slug(tag: str) -> str:
    return re.sub(r"[^\w]+", "-", tag.strip().lower()).strip("-")


def test_every_file_is_json_of_event_objects_in_a_year_folder() -> None:
    files = _event_files()
    assert files
    for path in files:
        assert path.suffix in {".json", ".jsonl"}, path
        assert path.parent.parent == EVENTS and re.fullmatch(r"\d{4}", path.parent.name), path
        events = _load(path)
        assert events and all(isinstance(event, dict) for event in events), path


def test_corpus_mixes_single_events_an_array_and_a_jsonl_file() -> None:
    shapes: Counter[str] = Counter()
    for path in _event_files():
        if path.suffix == ".jsonl":
            shapes[f"jsonl of {len(_load(path))}"] += 1
        elif isinstance(json.loads(path.read_text(encoding="utf-8")), list):
            shapes[f"array of {len(_load(path))}"] += 1
        else:
            shapes["object"] += 1
    assert shapes["jsonl of 3"] == 1
    assert shapes["array of 2"] == 1
    assert shapes["object"] >= 20
    assert len(_events()) >= 25


def test_every_event_has_a_title_and_a_real_date() -> None:
    for event in _events():
        assert isinstance(event["title"], str) and event["title"].strip(), event
        first_day(event["date"])  # raises on a malformed or impossible date
        if "end_date" in event:
            assert first_day(event["end_date"]) >= first_day(event["date"]), event


def test_ids_are_unique() -> None:
    ids = [event["id"] for event in _events() if "id" in event]
    assert [i for i, n in Counter(ids).items() if n > 1] == []


def test_values_follow_the_format() -> None:
    for event in _events():
        assert event.get("kind", "other") in KINDS, event["title"]
        codes = list(event.get("countries", []))
        codes += [p["country"] for p in event.get("participants", []) if "country" in p]
        if "location" in event:
            codes.append(event["location"]["country"])
        assert all(code.strip().upper() in COUNTRY_CODES for code in codes), event["title"]
        for participant in event.get("participants", []):
            assert set(participant) <= PARTICIPANT_FIELDS and participant["name"].strip(), participant
        for document in event.get("documents", []):
            assert set(document) <= {"title", "date", "id"} and document["title"], document
        for link in event.get("related", []):
            assert isinstance(link, str) or set(link) <= {"id", "relation"}, link


def test_every_field_of_the_format_is_exercised() -> None:
    events = _events()
    assert FORMAT_FIELDS <= {field for event in events for field in event}
    assert PARTICIPANT_FIELDS <= {
        field for event in events for p in event.get("participants", []) for field in p
    }
    documents = [document for event in events for document in event.get("documents", [])]
    assert {"title", "date", "id"} <= {field for document in documents for field in document}
    assert any(set(document) == {"title"} or "id" not in document for document in documents)
    assert {"name", "url", "published"} <= {field for event in events for field in event.get("source", {})}
    assert KINDS <= {event.get("kind") for event in events}
    assert any("kind" not in event for event in events)
    assert any("id" not in event for event in events)
    assert set(FORMAT_FIELDS) < {field for event in events for field in event}, "an unknown extra field"


def test_normalisation_cases_are_present() -> None:
    events = _events()
    assert {len(event["date"]) for event in events} == {4, 7, 10}, "partial dates YYYY and YYYY-MM"
    countries = [code for event in events for code in event.get("countries", [])]
    assert any(code.islower() for code in countries), "a lower-case country code"
    names = [p["name"] for event in events for p in event.get("participants", [])]
    assert any(name != name.strip() for name in names), "a name with surrounding whitespace"
    assert any(event["title"] != event["title"].strip() for event in events)
    assert {"Kassym-Jomart Tokayev", "Recep Tayyip Erdoğan", "Shavkat Mirziyoyev"} <= set(names)
    assert any(re.search("[а-яА-Я]", event.get("summary", "")) for event in events), "Cyrillic in a summary"
    spellings = [t for event in events for t in event.get("topics", []) if _slug(t) == "regional-security"]
    assert {"Regional Security", "regional-security", "regional security"} <= set(spellings)


def test_every_event_says_where_it_comes_from() -> None:
    for event in _events():
        name = event["source"]["name"]
        assert name.startswith("nCa") or name.startswith(CONSTRUCTED_MARK), event["title"]
        if "url" in event["source"]:
            assert event["source"]["url"] == "https://www.newscentralasia.net/", (
                "no made-up URLs of real outlets"
            )


def test_the_seed_press_release_is_encoded_with_its_bilateral_meeting_and_declaration() -> None:
    by_id = {event["id"]: event for event in _events() if "id" in event}
    seed, bilateral = by_id[SEED_ID], by_id["tm-ru-2023-05-04-bilateral"]
    assert {"id": "tm-ru-2023-05-04-bilateral", "relation": "sub-event"} in seed["related"]
    assert bilateral["related"] == [{"id": SEED_ID, "relation": "parent"}]
    assert (bilateral["date"], bilateral["location"], bilateral["kind"]) == (
        seed["date"],
        seed["location"],
        "meeting",
    )
    assert {p["name"] for p in bilateral["participants"]} == {"Vepa Hadjiev", "Mikhail Galuzin"}
    assert bilateral["source"]["name"] == "nCa" and bilateral["source"]["published"] == "2023-05-05"
    signings = [e for e in by_id.values() if e.get("kind") == "signing" and e["date"] == "2022-06"]
    assert len(signings) == 1
    assert seed["documents"][0] in signings[0]["documents"]


def test_cross_references_the_corpus_is_meant_to_produce() -> None:
    events = _events()
    ids = {event["id"] for event in events if "id" in event}
    links = [
        link if isinstance(link, str) else link["id"] for event in events for link in event.get("related", [])
    ]
    assert any(isinstance(link, str) for event in events for link in event.get("related", []))
    assert [link for link in links if link not in ids] == ["tm-ru-2019-consultations"], "one dangling link"

    rounds = [
        e
        for e in events
        if e.get("kind") == "consultation" and {c.upper() for c in e["countries"]} == {"TM", "RU"}
    ]
    assert sum(e.get("series") == SERIES for e in rounds) >= 3
    assert any("series" not in e for e in rounds), "a round whose series the store must infer"
    turkmen = {p["name"] for e in rounds for p in e["participants"] if p.get("country") == "TM"}
    assert {"Vepa Hadjiev", "Vepa Hajiyev", "Vepa Gadzhiev"} <= turkmen
    aliases = [p["aliases"] for e in rounds for p in e["participants"] if "aliases" in p]
    assert aliases and "Vepa Hadjiev" in aliases[0]

    same_day_and_place = Counter(
        (e["date"], json.dumps(e.get("location"))) for e in events if "location" in e
    )
    assert sum(n >= 2 for n in same_day_and_place.values()) >= 2, "sub-events found by day and place"
    format_events = [e for e in events if "Central Asia + Russia" in e.get("organizations", [])]
    assert len(format_events) >= 3


def _broken_readme_files() -> list[str]:
    rows = (BROKEN / "README.md").read_text(encoding="utf-8").splitlines()
    return [match[1] for row in rows if (match := re.match(r"\| `([^`]+)` \|", row))]


def test_broken_readme_lists_every_broken_file_and_each_exists() -> None:
    listed = _broken_readme_files()
    assert len(listed) >= 23
    for name in listed:
        assert (BROKEN / name).is_file(), name
    present = {str(p.relative_to(BROKEN)) for p in BROKEN.rglob("*") if p.is_file()} - {"README.md"}
    assert present == set(listed)


def test_broken_files_are_what_make_broken_writes() -> None:
    spec = importlib.util.spec_from_file_location("make_broken", FIXTURES / "make_broken.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    expected = module.broken_files()
    assert set(expected) == set(_broken_readme_files())
    for name, data in expected.items():
        assert (BROKEN / name).read_bytes() == data, name


@pytest.mark.parametrize(
    "name", ["bom.json", "duplicate-id-a.json", "duplicate-id-b.json", "folder.json/event.json"]
)
def test_the_valid_files_among_the_broken_are_valid(name: str) -> None:
    event = json.loads((BROKEN / name).read_bytes().decode("utf-8-sig"))
    assert event["title"] and first_day(event["date"])
