"""The fast paths of the related events and the participants pane answer what their plain definitions do,
on random corpora that change between questions (issue #14 point 5)."""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from store.entities import cross_references
from store.index import aggregates
from store.index.aggregates import resolved_persons
from store.index.protocol import PersonCount
from store.index.search_index import SearchIndex
from store.model.validate import validate_event

_NAMES = ["Hosni Mubarak", "Mubarak", "Condoleezza Rice", "Rice", "Vepa Hadjiev", "Vepa Hajiyev"]
_URLS = ["", "https://example.org/rice", "https://example.org/baker", "https://example.org/other"]

_EVENT = st.tuples(
    st.lists(st.sampled_from(_NAMES), min_size=1, max_size=3, unique=True),
    st.sampled_from(_URLS),
    st.integers(1990, 2010),
)


def _raw(number: int, names: list[str], url: str, year: int) -> dict[str, Any]:
    raw: dict[str, Any] = {
        "id": f"e{number}",
        "title": f"event {number}",
        "date": f"{year}-03-01",
        "location": {"city": "Cairo", "country": "EG"},
        "participants": [{"name": name, "country": "EG"} for name in names],
    }
    if url:
        raw["source"] = {"name": "log", "url": url}
    return raw


def _plain_keeps(index: SearchIndex, docnos: Any, source_url: str) -> bool:
    """The definition: most of the person's events, and many of them, come from that one record."""
    if not source_url or len(docnos) < cross_references.KEEPER_EVENTS:
        return False
    same = sum(index.event(docno).source_url == source_url for docno in docnos)
    return same >= cross_references.KEEPER_SHARE_OF_EVENTS * len(docnos)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(_EVENT, min_size=1, max_size=60),
    st.lists(st.tuples(st.booleans(), _EVENT), max_size=20),
    st.integers(1, 30),
)
def test_record_keepers_from_the_kept_codes_are_the_plain_definition(
    first: list[tuple[list[str], str, int]],
    then: list[tuple[bool, tuple[list[str], str, int]]],
    keeper_events: int,
) -> None:
    """The codes of each docno's record are kept across changes of the index (a docno is one immutable
    version): asked again after events come, change and go, they still give the plain answer."""
    index = SearchIndex()
    number = 0
    for names, url, year in first:
        index.add(validate_event(_raw(number, names, url, year), fallback_id=""))
        number += 1
    original = cross_references.KEEPER_EVENTS
    cross_references.KEEPER_EVENTS = keeper_events  # small corpora: keepers with few events too
    try:
        for step in [None, *then]:
            if step is not None:
                remove, (names, url, year) = step
                if remove and len(index) > 1:
                    index.remove(index.event(min(index.live)).id)
                else:  # a new event, or a new version of an old one
                    event_id = f"e{number % (len(first) + 5)}"
                    index.remove(event_id)
                    raw = _raw(number, names, url, year)
                    index.add(validate_event({**raw, "id": event_id}, fallback_id=""))
                    number += 1
            for docnos in resolved_persons(index).values():
                for url in _URLS:
                    assert cross_references._keeps(index, docnos, url) == _plain_keeps(index, docnos, url)
    finally:
        cross_references.KEEPER_EVENTS = original


@given(
    st.lists(st.integers(0, 200), max_size=40, unique=True),
    st.lists(st.integers(0, 220), min_size=1, max_size=40),
)
def test_which_ties_hold_an_event_is_membership(docnos: list[int], others: list[int]) -> None:
    held = cross_references._held(np.array(sorted(docnos), dtype=np.int64), np.array(others, dtype=np.int64))
    assert held.tolist() == [other in docnos for other in others]


def test_a_card_with_other_events_is_the_card_replaced() -> None:
    """Every field set to a value of its own, so a field added to `PersonCount` and not copied fails here."""
    values: dict[str, Any] = {}
    for number, field in enumerate(dataclasses.fields(PersonCount)):
        values[field.name] = {
            "events": 7,
            "ambiguous": True,
            "spellings": (("Mubarak", 3),),
        }.get(field.name, f"value {number}" if field.type == "str" else (f"value {number}",))
    card = PersonCount(**values)
    assert aggregates._with_events(card, 3) == dataclasses.replace(card, events=3)
