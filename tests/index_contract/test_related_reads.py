"""A related list costs what the event is tied to, not what the corpus holds: the keeper of a travel log
(in every one of its records) is told from the record's own table, without reading the keeper's events."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from store.entities import cross_references
from store.index.protocol import IndexReader
from tests.index_contract.conftest import EngineFactory, events_of, indexed

TRIPS = 300


def _trip(number: int) -> dict[str, Any]:
    return {
        "id": f"trip-{number}",
        "title": f"Trip {number}",
        "date": (datetime.date(1990, 1, 1) + datetime.timedelta(days=10 * number)).isoformat(),
        "location": {"city": f"City{number}", "country": "FR"},
        "participants": [{"name": "Condoleezza Rice", "country": "US"}],
        "source": {"name": "Travels of the Secretary", "url": "https://example.org/travels/rice"},
    }


def _counting_reads(reader: IndexReader, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    read: list[int] = []
    original = reader.event

    def event(docno: int) -> Any:
        read.append(docno)
        return original(docno)

    monkeypatch.setattr(reader, "event", event)
    return read


def test_the_keeper_of_a_log_is_told_without_reading_their_events(
    engine_factory: EngineFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    with indexed(engine_factory, events_of(_trip(number) for number in range(TRIPS))) as reader:
        read = _counting_reads(reader, monkeypatch)
        ranked = cross_references.related_events(reader, "trip-7")
        assert ranked == []  # the traveller alone ties nothing
        assert len(read) < 10, f"{len(read)} events read for one related list"
        keepers = reader.derive("record keepers", dict)
        assert any(keepers.values()), "the traveller was not found to be the log's keeper"


ROUNDS = 200


def _round(number: int) -> dict[str, Any]:
    """One of many meetings of a series on the same later day: equal ties, which only the ids order."""
    return {
        "id": f"round-{number:03d}",
        "title": f"Round {number}",
        "date": "2020-03-20",
        "location": {"city": f"City{number}", "country": "FR"},
        "series": "Paris format",
    }


def test_ties_at_the_cut_are_ordered_by_id_without_reading_their_events(
    engine_factory: EngineFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    hub = {**_round(0), "id": "hub", "date": "2020-03-01", "location": {"city": "Paris", "country": "FR"}}
    with indexed(engine_factory, events_of([hub, *(_round(number) for number in range(ROUNDS))])) as reader:
        read = _counting_reads(reader, monkeypatch)
        ranked = cross_references.related_events(reader, "hub")
        assert [relation.id for relation in ranked] == [
            f"round-{n:03d}" for n in range(cross_references.MOST_RELATED)
        ]
        shown = cross_references.MOST_RELATED
        assert len(read) <= shown + 5, f"{len(read)} events read for {shown} relations shown"


def _consultation(number: int, year: int, countries: list[str]) -> dict[str, Any]:
    return {
        "id": f"consultation-{number:04d}",
        "title": f"Consultations {number}",
        "kind": "consultation",
        "date": f"{year}-05-04",
        "location": {"city": "Ashgabat", "country": "TM"},
        "countries": countries,
    }


def test_rounds_of_a_busy_pair_of_countries_are_found_without_reading_them(
    engine_factory: EngineFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Hundreds of consultations hold both countries: the rounds are the ones between exactly those two,
    in other years, told from the index's `rounds` table."""
    years = range(1900, 2100)
    events = [_consultation(number, year, ["TM", "RU"]) for number, year in enumerate(years)]
    events += [
        _consultation(1000 + n, year, ["TM", "RU", "KZ"]) for n, year in enumerate(years)
    ]  # not rounds
    events += [{**_consultation(2000, 2023, ["RU", "TM"]), "date": "2023-09-01"}]  # the same year: no round
    with indexed(engine_factory, events_of(events)) as reader:
        read = _counting_reads(reader, monkeypatch)
        ranked = cross_references.related_events(reader, "consultation-0123")  # 2023
        rounds = [relation for relation in ranked if "another round of" in " ".join(relation.reasons)]
        assert len(rounds) == cross_references.MOST_RELATED
        assert {relation.id for relation in rounds} <= {f"consultation-{n:04d}" for n in range(len(years))}
        assert all(not relation.date.startswith("2023") for relation in rounds)
        shown = cross_references.MOST_RELATED  # each read for its row and its reason's date
        assert len(set(read)) <= shown + 5, f"{len(set(read))} events read for {shown} relations shown"


BUSY_DAY = 300


def test_a_busy_week_is_read_only_where_it_can_tie(
    engine_factory: EngineFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Hundreds of events within three days, elsewhere and with other people: none of them can be the same
    meeting, a leg of the journey or beside it, so none is read; the one in the same place is found."""
    visit = {
        "id": "visit",
        "title": "Visit to Ashgabat",
        "date": "2023-05-04",
        "location": {"city": "Ashgabat", "country": "TM"},
        "participants": [{"name": "Vepa Hadjiev", "country": "TM"}],
        "source": {"name": "Ministry", "url": "https://example.org/a"},
    }
    beside = {**visit, "id": "beside", "title": "Another meeting", "participants": []}
    others = [
        {
            "id": f"other-{number:03d}",
            "title": f"Elsewhere {number}",
            "date": f"2023-05-0{2 + number % 5}",  # 2 to 6 May: the week around the visit
            "location": {"city": f"Town{number}", "country": "FR"},
            "participants": [{"name": f"Person{number} Surname{number}", "country": "FR"}],
            "source": {"name": "Ministry", "url": "https://example.org/a"},
        }
        for number in range(BUSY_DAY)
    ]
    with indexed(engine_factory, events_of([visit, beside, *others])) as reader:
        read = _counting_reads(reader, monkeypatch)
        ranked = cross_references.related_events(reader, "visit")
        assert [relation.id for relation in ranked] == ["beside"]
        assert len(read) < 10, f"{len(read)} events read for one related list"
