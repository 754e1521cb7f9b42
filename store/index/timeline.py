"""Matching events per month or per week: the numbers behind the dashboard's timeline.

    event_counts_by_period(store, result, "month")   # [("2023-04", "2023-04-01", "2023-04-30", 2), …]
    timeline_for_filter(store, 'p:galuzin from:2023', "week")

This module owns cutting an answer into calendar periods and counting it, and what the timeline of a filter
is: the counts of the filter *without* its `from:`/`to:` terms, with the filter's own date range beside
them, so that a picked period narrows the other panes while the timeline keeps the context around it (and
the neighbouring period is one key away). Periods run without gaps from the first matching event's to the
last one's, empty ones counted 0. Weeks are ISO weeks (Monday to Sunday, labelled `2023-W18`).

It is one pass over the index's date order (events by sort date, which the store keeps for `from:`/`to:`
and the date sort anyway) and one binary search per period: 100,000 events cost a few milliseconds. It never
looks at event text and never draws anything.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal, NamedTuple

import numpy as np

from store.event_store import EventStore, QueryResult
from store.index.protocol import day_number
from store.query.filter_eval import plan_filter

Zoom = Literal["month", "week"]
ZOOMS: tuple[Zoom, ...] = ("month", "week")
"""Coarsest first: zooming in goes right."""

MAX_PERIODS = 5_000
"""Periods counted at most, the newest kept: four centuries of months, a century of weeks. One event dated
to the year 1 must not make the timeline 24,000 empty months long."""

_ONE_WEEK = timedelta(days=7)


class Period(NamedTuple):
    label: str
    """`2023-05` for a month, `2023-W18` for an ISO week."""
    first_day: str
    last_day: str
    events: int
    """How many matching events start in the period."""


@dataclass(frozen=True, slots=True)
class Timeline:
    zoom: Zoom
    periods: tuple[Period, ...]
    """Matching events per period (the filter's date terms left out), oldest first, without gaps."""
    first: str = ""
    """The filter's own `from:` day ('' when it has none)."""
    last: str = ""
    """The filter's own `to:` day ('' when it has none)."""

    def in_range(self, period: Period) -> bool:
        """Whether the period overlaps the filter's date range (every period does when it has none)."""
        return (not self.first or period.last_day >= self.first) and (
            not self.last or period.first_day <= self.last
        )


def event_counts_by_period(store: EventStore, result: QueryResult, zoom: Zoom = "month") -> list[Period]:
    """The answer's events counted per period of their sort date, oldest period first, empty ones included.

    Events that changed or left since the answer was made are not counted (they are not in its mask).
    """
    with store.reading() as reader:
        days = reader.sorted_days(result.mask)
    return _count_sorted(days, zoom)


def timeline_for_filter(store: EventStore, text: str, zoom: Zoom = "month") -> Timeline:
    """The timeline of a filter (see the module docstring). Raises FilterError for a malformed filter."""
    plan = plan_filter(text)
    first, last = plan.date_bounds()
    result = store.query(plan.undated())
    return Timeline(zoom, tuple(event_counts_by_period(store, result, zoom)), first, last)


def _count_sorted(days: np.ndarray, zoom: Zoom) -> list[Period]:
    """Count days (numbers YYYYMMDD, sorted ascending; see `day_number`) per period."""
    if not len(days):
        return []
    spans = _periods(_date_of(int(days[0])), _date_of(int(days[-1])), zoom)
    starts = np.searchsorted(days, [day_number(first) for _, first, _ in spans], side="left")
    end = np.searchsorted(days, day_number(spans[-1][2]), side="right")
    counts = [int(count) for count in np.diff(np.append(starts, end))]
    return [
        Period(label, first, last, count) for (label, first, last), count in zip(spans, counts, strict=True)
    ]


def _date_of(number: int) -> date:
    return date(number // 10000, number // 100 % 100, number % 100)


def _periods(first: date, last: date, zoom: Zoom) -> list[tuple[str, str, str]]:
    """(label, first day, last day) of every period from the one holding `first` to the one holding `last`,
    the newest `MAX_PERIODS` of them."""
    spans = []
    if zoom == "month":
        final_month = last.year * 12 + last.month - 1
        start = max(first.year * 12 + first.month - 1, final_month - MAX_PERIODS + 1)
        for month in range(start, final_month + 1):
            year, month = divmod(month, 12)
            prefix = f"{year:04d}-{month + 1:02d}"
            days = calendar.monthrange(year, month + 1)[1]
            spans.append((prefix, f"{prefix}-01", f"{prefix}-{days:02d}"))
        return spans
    final = last - timedelta(days=last.weekday())
    earliest = final.toordinal() - 7 * (MAX_PERIODS - 1)  # may lie before the calendar starts
    monday = date.fromordinal(max((first - timedelta(days=first.weekday())).toordinal(), earliest))
    while True:
        year, week, _ = monday.isocalendar()
        sunday = monday + timedelta(days=6) if monday <= date.max - timedelta(days=6) else date.max
        spans.append((f"{year:04d}-W{week:02d}", monday.isoformat(), sunday.isoformat()))
        if monday >= final:
            return spans
        monday += _ONE_WEEK
