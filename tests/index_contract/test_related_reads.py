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
