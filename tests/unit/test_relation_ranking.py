"""Relations ranked by what they say: rare ties count, ubiquitous ones hardly; the same meeting in another
source comes first; one journey's legs never fill the top five."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from store.entities.cross_references import MOST_LEGS_ON_TOP, related_events
from store.event_store import EventStore
from tests.conftest import loaded_store


def _write(folder: Path, events: list[dict[str, Any]]) -> EventStore:
    store: EventStore = loaded_store(folder, events)
    return store


def _trip(number: int, date: str, city: str, *people: tuple[str, str], log: str = "rice") -> dict[str, Any]:
    return {
        "id": f"{log}-{number}",
        "title": f"trip {number}",
        "date": date,
        "location": {"city": city, "country": "FR"},
        "countries": ["US"],
        "participants": [{"name": name, "country": country} for name, country in people],
        "source": {"name": f"log of {log}", "url": f"https://example.org/{log}"},
    }


TRAVELLER = ("Condoleezza Rice", "US")


def test_a_rare_counterpart_outranks_the_traveller_of_every_record(tmp_path: Path) -> None:
    events = [_trip(n, f"20{n + 10:02d}-03-01", f"City{n}", TRAVELLER) for n in range(40)]
    events.append(_trip(100, "2001-05-01", "Paris", TRAVELLER, ("Hubert Vedrine", "FR")))
    events.append(_trip(101, "2009-05-01", "Lyon", TRAVELLER, ("Hubert Vedrine", "FR")))
    store = _write(tmp_path, events)
    ranked = related_events(store.index, "rice-100")
    assert ranked[0].id == "rice-101"
    assert "Hubert Vedrine" in " ".join(ranked[0].reasons)
    by_id = {relation.id: relation.score for relation in ranked}
    assert all(by_id["rice-101"] > 3 * score for other, score in by_id.items() if other != "rice-101")


def test_the_same_meeting_in_another_source_comes_first_with_its_source(tmp_path: Path) -> None:
    events = [
        _trip(n, f"1998-0{n % 9 + 1}-1{n % 9}", "Paris", TRAVELLER, ("Jacques Chirac", "FR"))
        for n in range(9)
    ]
    other = _trip(1, "1998-04-15", "Paris", ("William J. Clinton", "US"), log="clinton")
    other["countries"] = ["US", "FR"]
    events[0]["date"] = "1998-04-16"
    events[0]["countries"] = ["US", "FR"]
    store = _write(tmp_path, [*events, other])
    ranked = related_events(store.index, "rice-0")
    assert ranked[0].id == "clinton-1"
    assert any(reason.startswith("also reported by log of clinton") for reason in ranked[0].reasons)


def test_one_journeys_legs_do_not_fill_the_top_five(tmp_path: Path) -> None:
    legs = [_trip(n, f"2005-06-{n + 1:02d}", f"Leg{n}", TRAVELLER) for n in range(8)]
    legs[0]["organizations"] = ["OSCE"]
    others = [
        _trip(20 + n, f"19{90 + n}-01-01", "Vienna", ("Someone Else", "AT"), log="visits") for n in range(4)
    ]
    for event in others:
        event["organizations"] = ["OSCE"]
    store = _write(tmp_path, [*legs, *others])
    top = related_events(store.index, "rice-0")[:5]
    assert sum(relation.id.startswith("rice-") for relation in top) == MOST_LEGS_ON_TOP
    assert any("the same journey" in reason for relation in top for reason in relation.reasons)
    assert any("same format: OSCE" in reason for relation in top for reason in relation.reasons)


def test_reasons_say_how_much_each_tie_counted(tmp_path: Path) -> None:
    events = [_trip(n, f"20{n + 10:02d}-03-01", f"City{n}", TRAVELLER) for n in range(10)]
    store = _write(tmp_path, events)
    for relation in related_events(store.index, "rice-3"):
        assert all("(+" in reason or "in " in reason for reason in relation.reasons)


def test_the_keeper_and_a_common_country_alone_relate_nothing(tmp_path: Path) -> None:
    """Forty trips of one traveller, all to France: sharing only the traveller and France is true of every
    one, so none is shown; a counterpart met on two of them is, and its reason names the keeper as such."""
    events = [_trip(n, f"19{n + 50:02d}-03-01", f"City{n}", TRAVELLER) for n in range(40)]
    events.append(_trip(100, "2001-05-01", "Paris", TRAVELLER, ("Hubert Vedrine", "FR")))
    events.append(_trip(101, "2009-05-01", "Lyon", TRAVELLER, ("Hubert Vedrine", "FR")))
    for event in events:
        event["countries"] = ["US", "FR"]
    others = [
        _trip(n, f"19{n % 50 + 50:02d}-06-01", "Bonn", (f"Minister {n}", "DE"), log="bonn")
        for n in range(200)
    ]
    for event in others:
        event["location"] = {"city": "Bonn", "country": "DE"}
        event["countries"] = ["DE"]
    store = _write(tmp_path, [*events, *others])  # France in a sixth of the events: a country worth a little
    assert related_events(store.index, "rice-3") == []
    (relation,) = related_events(store.index, "rice-100")
    assert relation.id == "rice-101"
    assert any("the keeper of this record" in reason for reason in relation.reasons)
