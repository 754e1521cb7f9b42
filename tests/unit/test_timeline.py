"""The timeline's numbers (`store.index.timeline`) and the filter edit that picks a period (`with_date_range`)."""

from __future__ import annotations

import contextlib
import random
from collections.abc import Iterator
from pathlib import Path

import pytest

from store.event_store import EventStore
from store.index.timeline import MAX_PERIODS, Period, event_counts_by_period, timeline_for_filter
from store.model.event import Event
from store.query.filter_syntax import FilterError, parse_filter, with_date_range
from tests.conftest import WriteEvent, event

# -- with_date_range -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "first", "last", "expected"),
    [
        ("", "2023-05", "2023-05", "from:2023-05 to:2023-05"),
        ("galuzin", "2023-05-01", "2023-05-07", "galuzin from:2023-05-01 to:2023-05-07"),
        ("galuzin from:2022 c:TM to:2022-06", "2023-05", "2023-05", "galuzin c:TM from:2023-05 to:2023-05"),
        ("-from:2020  p:galuzin   -to:2021 ", "2023", "", "p:galuzin from:2023"),
        ("x from:2020 y", "", "2021", "x y to:2021"),
        ("x from:2020 y to:2021", "", "", "x y"),
        ("from:2020 to:2021", "", "", ""),
        ('"from:2020" org:x', "2022", "2022", '"from:2020" org:x from:2022 to:2022'),
        ("foo:bar from:2020", "2023", "2023", "foo:bar from:2020 from:2023 to:2023"),  # does not parse
    ],
)
def test_with_date_range_replaces_the_date_terms(text: str, first: str, last: str, expected: str) -> None:
    assert with_date_range(text, first, last) == expected


def test_with_date_range_gives_a_filter_bounded_by_the_period() -> None:
    terms = parse_filter(with_date_range("p:galuzin from:2019", "2024-02", "2024-02")).terms
    assert [(term.field, term.value) for term in terms] == [
        ("participant", "galuzin"),
        ("from", "2024-02-01"),
        ("to", "2024-02-29"),
    ]


@pytest.mark.parametrize(("first", "last"), [("2023-02-30", ""), ("", "May"), ("2023-13", "2023-13")])
def test_with_date_range_refuses_a_bound_that_is_not_a_date(first: str, last: str) -> None:
    with pytest.raises(FilterError):
        with_date_range("x", first, last)


# -- counting ------------------------------------------------------------------------------------------------


@pytest.fixture
def store(tmp_path: Path, write_event: WriteEvent) -> EventStore:
    dated = {
        "a": ("2020-12-31", "call"),  # ISO week 2020-W53
        "b": ("2021-01-04", "call"),  # 2021-W01
        "c": ("2021-01-10", "visit"),  # still 2021-W01 (a Sunday)
        "d": ("2021-03", "visit"),  # a month: counted on its first day
        "e": ("2021-03-31", "call"),
    }
    for name, (date, kind) in dated.items():
        write_event(f"{name}.json", event(id=name, date=date, kind=kind))
    loaded = EventStore(tmp_path / "events")
    loaded.load()
    return loaded


def test_months_run_without_gaps_from_the_first_event_to_the_last(store: EventStore) -> None:
    assert event_counts_by_period(store, store.query(""), "month") == [
        ("2020-12", "2020-12-01", "2020-12-31", 1),
        ("2021-01", "2021-01-01", "2021-01-31", 2),
        ("2021-02", "2021-02-01", "2021-02-28", 0),
        ("2021-03", "2021-03-01", "2021-03-31", 2),
    ]


def test_weeks_are_iso_weeks_across_the_new_year(store: EventStore) -> None:
    weeks = event_counts_by_period(store, store.query("kind:call"), "week")
    assert weeks[:3] == [
        ("2020-W53", "2020-12-28", "2021-01-03", 1),
        ("2021-W01", "2021-01-04", "2021-01-10", 1),
        ("2021-W02", "2021-01-11", "2021-01-17", 0),
    ]
    assert weeks[-1] == ("2021-W13", "2021-03-29", "2021-04-04", 1)
    assert sum(period.events for period in weeks) == 3
    assert isinstance(weeks[0], Period) and weeks[0].label == "2020-W53"


def test_an_empty_answer_has_no_periods(store: EventStore) -> None:
    assert event_counts_by_period(store, store.query("kind:summit"), "month") == []


def test_an_answer_counts_what_it_matched_when_it_was_made(
    store: EventStore, write_event: WriteEvent
) -> None:
    calls = store.query("kind:call")
    store.upsert(write_event("late.json", event(id="late", date="2021-02-14", kind="call")))
    store.upsert(write_event("e.json", event(id="e", date="2021-03-31", kind="visit")))  # no longer a call
    assert [period.events for period in event_counts_by_period(store, calls, "month")] == [1, 1]
    assert [period.events for period in event_counts_by_period(store, store.query("kind:call"))] == [1, 1, 1]


def test_an_event_in_antiquity_does_not_make_the_timeline_endless(
    store: EventStore, write_event: WriteEvent
) -> None:
    store.upsert(write_event("old.json", event(id="old", date="0001-01-01")))
    for zoom in ("month", "week"):
        periods = event_counts_by_period(store, store.query(""), zoom)
        assert len(periods) == MAX_PERIODS
        assert periods[-1].last_day >= "2021-03-31"  # the newest are kept
        assert sum(period.events for period in periods) == 5


def test_the_timeline_of_a_filter_leaves_its_dates_out_and_says_its_range(store: EventStore) -> None:
    timeline = timeline_for_filter(store, "kind:call from:2021 to:2021-01", "month")
    assert [period.events for period in timeline.periods] == [1, 1, 0, 1]
    assert (timeline.first, timeline.last) == ("2021-01-01", "2021-01-31")
    assert [timeline.in_range(period) for period in timeline.periods] == [False, True, False, False]
    everything = timeline_for_filter(store, "", "week")
    assert everything.zoom == "week" and (everything.first, everything.last) == ("", "")
    assert all(everything.in_range(period) for period in everything.periods)
    with pytest.raises(FilterError):
        timeline_for_filter(store, 'kind:"call', "month")


@contextlib.contextmanager
def _no_event_read(store: EventStore) -> Iterator[None]:
    def refuse(docno: int) -> Event:
        raise AssertionError("an event was read to count the timeline")

    original = store.index.event
    store.index.event = refuse  # type: ignore[method-assign]
    live, store.index.live = store.index.live, {}
    try:
        yield
    finally:
        store.index.event = original  # type: ignore[method-assign]
        store.index.live = live


def test_a_hundred_thousand_events_are_counted_from_the_date_order() -> None:
    """Counts come from the index's date order, never from reading events (no event is read below); how
    fast is measured by the benchmark, not here, where a busy machine would make a timing flake."""
    store = EventStore("unused")
    rng = random.Random(6)
    for number in range(100_000):
        date = f"{rng.randint(1990, 2024)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        store.index.add(Event(f"e{number}", "talks" if number % 3 else "visit", date, date, f"{number}.json"))
    store.query("")  # the first question sorts the date order once, as the dashboard's first query does
    for text in ("", "visit"):
        result = store.query(text)
        for zoom in ("month", "week"):
            with _no_event_read(store):
                periods = event_counts_by_period(store, result, zoom)
            assert sum(period.events for period in periods) == len(result.ids)
