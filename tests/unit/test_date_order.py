"""The index's date order stays exact through adds in any order, removals and a bulk load."""

from __future__ import annotations

import contextlib

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from store.index.search_index import SearchIndex, day_number
from store.model.event import Event

_DAYS = ["2021-03-01", "2022-01-01", "2022-01-01", "2023-05-04", "2019-12-31"]


@settings(max_examples=200)
@given(
    st.lists(st.tuples(st.booleans(), st.integers(0, 9), st.sampled_from(_DAYS)), max_size=30),
    st.booleans(),
)
def test_date_order_matches_a_sort_of_the_live_events(steps: list[tuple[bool, int, str]], bulk: bool) -> None:
    index = SearchIndex()
    live: dict[str, str] = {}
    with index.bulk_loading() if bulk else contextlib.nullcontext():
        for add, number, day in steps:
            event_id = f"e{number}"
            if event_id in live:
                index.remove(event_id)
                del live[event_id]
            if add:
                index.add(Event(event_id, "Talks", day, day, f"{number}.json"))
                live[event_id] = day
    expected = sorted(((day, event_id) for event_id, day in live.items()), reverse=True)
    newest_first = index.ordered("date", descending=True).tolist()
    assert [index.id_of[docno] for docno in newest_first] == [event_id for _, event_id in expected]
    between = {
        index.id_of[int(docno)] for docno in np.flatnonzero(index.date_mask("2021-01-01", "2022-01-01"))
    }
    assert between == {event_id for event_id, day in live.items() if "2021-01-01" <= day <= "2022-01-01"}
    docnos, days = index.date_order()
    assert days.tolist() == [day_number(day) for day in sorted(live.values())]
    assert [index.id_of[docno] for docno in docnos.tolist()] == [event_id for _, event_id in expected[::-1]]
    in_2021 = np.flatnonzero(index.date_mask("2021-01-01", "2021-12-31"))
    assert {index.id_of[docno] for docno in in_2021.tolist()} == {
        event_id for event_id, day in live.items() if day.startswith("2021")
    }
    assert np.flatnonzero(index.live_mask()).tolist() == sorted(index.live)
