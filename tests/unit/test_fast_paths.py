"""The fast paths of the related events and the participants pane answer what their plain definitions do,
on random corpora that change between questions (issue #14 point 5)."""

from __future__ import annotations

import dataclasses
from array import array
from collections import Counter
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
def test_record_keepers_from_the_records_table_are_the_plain_definition(
    first: list[tuple[list[str], str, int]],
    then: list[tuple[bool, tuple[list[str], str, int]]],
    keeper_events: int,
) -> None:
    """The records' table follows every change of the index: asked again after events come, change and go,
    the keepers it tells are still the plain answer."""
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


_KINDS_OF_NAMES = [
    ("Hosni Mubarak", "EG"),
    ("H. Mubarak", "EG"),  # joins Hosni Mubarak in the block of Mubarak, and follows him where he goes
    ("Mubarak Hosni", "EG"),  # the same two words the other way: one cluster in each of two blocks
    ("Mubarak Ali Hosni", "EG"),  # a fuller name in the block of Hosni alone: Hosni Mubarak merges into it
    ("Mubarak", "EG"),
    ("Gamal Mubarak", "EG"),
    ("George W. Bush", "US"),
    ("George H. W. Bush", "US"),
    ("Bush", "US"),
    ("Shinzo Abe", "JP"),
    ("Abe Shinzo", "JP"),
    ("Abe", "JP"),
    ("Vepa Hadjiev", "TM"),
    ("Vepa Hajiyev", "TM"),
    ("Hadjiev", "TM"),
]
"""Full names, surname-only mentions (each fits a full name at some dates), names in two blocks (a cluster's
head may be merged in the other block, so the members' persons follow it) and spellings an alias joins."""

_ALIASES = [None, None, "Vepa Gadzhiev", "Hosni Mubarak", "Hadjiev", "Abe Shinzo", "Mubarak Hosni"]
"""No alias mostly; a spelling no event uses (its key is only ever a root that merges lead to), or another
name of the pool (a join that merges two groups that events already filed)."""

_PARTICIPANT = st.tuples(st.sampled_from(_KINDS_OF_NAMES), st.sampled_from(_ALIASES))

_STEP = st.tuples(
    st.sampled_from(["add", "add", "revise", "change", "remove"]),
    st.lists(_PARTICIPANT, min_size=1, max_size=3, unique_by=lambda p: p[0]),
    st.sampled_from([1962, 1971, 1985, 1990, 1999, 2006, 2008]),  # near and far for spans and gaps
    st.booleans(),
)


def _people_event(number: int, event_id: str, people: list[Any], year: int) -> dict[str, Any]:
    participants = []
    for (name, country), alias in people:
        participant: dict[str, Any] = {"name": name, "country": country}
        if alias is not None and alias != name:
            participant["aliases"] = [alias]
        participants.append(participant)
    return {
        "id": event_id,
        "title": f"event {number}",
        "date": f"{year}-0{number % 9 + 1}-01",
        "participants": participants,
    }


def _plain_persons(resolution: Any) -> dict[Any, list[tuple[Any, Any]]]:
    """The definition of `PersonResolution.persons`, read from scratch: every group, event by event, to the
    end of its merges (the loop the incremental table replaced)."""
    found: dict[Any, list[tuple[Any, Any]]] = {}
    for key, person in resolution._people.persons.items():
        split = resolution._by_event.get(key)
        if split is None:
            found.setdefault(resolution._final(key), []).append((person, None))
            continue
        docnos = np.frombuffer(person.docnos, dtype=np.uint32)
        targets = [resolution._final(split.get(docno, key)) for docno in docnos.tolist()]
        for target in dict.fromkeys(targets):
            found.setdefault(target, []).append((person, docnos[[t == target for t in targets]]))
    return {target: sorted(parts, key=lambda part: part[0].key) for target, parts in found.items()}


def _shape(persons: dict[Any, list[tuple[Any, Any]]]) -> dict[Any, list[tuple[Any, list[int] | None]]]:
    return {
        target: [(person.key, None if chosen is None else chosen.tolist()) for person, chosen in parts]
        for target, parts in persons.items()
    }


def _events_by_person(index: SearchIndex) -> dict[Any, list[int]]:
    """Each person's events by the public answer, mention by mention (`person_of`)."""
    found: dict[Any, set[int]] = {}
    for docno, indexed in index.live.items():
        for key in indexed.persons:
            found.setdefault(index.resolution.person_of(key, docno), set()).add(docno)
    return {target: sorted(docnos) for target, docnos in found.items()}


def _plain_cards(index: SearchIndex, mask: Any = None) -> list[str]:
    """Every person's card described from scratch (over `mask`: with its events there), as text, in a total
    order (names and counts can tie)."""
    cards = []
    counts: Counter[Any] = Counter()
    if mask is not None:
        for docno in np.flatnonzero(mask).tolist():
            if docno in index.live:
                counts.update(index.resolution.persons_of(index.live[docno].persons, docno))
    for target, parts in _plain_persons(index.resolution).items():
        docnos = np.unique(
            np.concatenate([np.frombuffer(p.docnos, dtype=np.uint32) if d is None else d for p, d in parts])
        )
        card = aggregates._describe(index, target, parts, array("I", docnos.astype(np.uint32).tobytes()))
        if mask is None:
            cards.append(card)
        elif counts[target]:
            cards.append(aggregates._with_events(card, counts[target]))
    return sorted(map(repr, cards))


@settings(max_examples=50, deadline=None)
@given(st.lists(_STEP, min_size=1, max_size=25), st.randoms(use_true_random=False))
def test_persons_their_events_and_cards_kept_across_changes_are_the_plain_definition(
    steps: list[tuple[str, list[Any], int, bool]], random: Any
) -> None:
    """The persons, each person's events (`resolved_persons`) and the cards of the participants pane are
    kept from one generation of the index to the next, only the persons a change reached rebuilt: after
    events come, are revised (the same people under a new docno), change their people or go, with aliases,
    surname-only mentions and merges, they are what a reading from scratch gives (several changes between
    questions at times)."""
    index = SearchIndex()
    present: list[str] = []
    for number, (step, people, year, ask) in enumerate(steps):
        if step == "remove" and present:
            index.remove(present.pop(year % len(present)))
        elif step in ("revise", "change") and present:
            event_id = present[year % len(present)]
            before = index.event(index.docno_of[event_id])
            index.remove(event_id)
            if step == "revise":
                raw = _people_event(number, event_id, [], year)
                raw["participants"] = [
                    {
                        "name": p.name,
                        "country": p.country,
                        **({"aliases": list(p.aliases)} if p.aliases else {}),
                    }
                    for p in before.participants
                ]
                raw["date"] = before.date
            else:
                raw = _people_event(number, event_id, people, year)
            index.add(validate_event(raw, fallback_id=event_id))
        else:
            event_id = f"e{number}"
            index.add(validate_event(_people_event(number, event_id, people, year), fallback_id=event_id))
            present.append(event_id)
        if not ask and number < len(steps) - 1:
            continue
        resolution = index.resolution
        assert _shape(resolution.persons()) == _shape(_plain_persons(resolution))
        table = resolved_persons(index)
        assert {target: list(docnos) for target, docnos in table.items()} == _events_by_person(index)
        assert sorted(map(repr, aggregates.participant_counts(index))) == _plain_cards(index)
        mask = index.live_mask() & np.array([random.random() < 0.5 for _ in index.live_mask()], dtype=bool)
        assert sorted(map(repr, aggregates.participant_counts(index, mask))) == _plain_cards(index, mask)
