"""People the same whatever order the events came in, and whatever came and went before (issue #17).

Every comparison is with a fresh `People` (or a fresh `SearchIndex`) of the events present at the end:
a store that read a folder in another order, or saw a file for a moment, must answer as one loaded fresh.
Document numbers differ between the two, so events are compared by id.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from store.entities.linked_keys import LinkedKeys
from store.entities.people import People
from store.entities.surname_blocks import FUZZY_SURNAME_LENGTH, SurnameBlocks, one_letter_forms
from store.index.aggregates import participant_counts
from store.index.search_index import SearchIndex
from store.model.event import Event
from store.model.validate import validate_event

Key = TypeVar("Key", int, str)

NAMES = [
    "Fredrik Reinfeldt",
    "Fredrik Reinfeld",
    "Fredrik Reingeldt",
    "Reinfeldt",
    "Carl Bildt",
    "Carl Bilt",
    "Bildt",
    "Hosni Mubarak",
    "Husni Mubarak",
    "Mubarak",
    "Vepa Hadjiev",
    "Vepa Hajiyev",
]
"""A small pool: spellings a letter apart, spellings of one key (Hadjiev, Hajiyev), surnames alone, and
unrelated people."""

_PARTICIPANT = st.fixed_dictionaries(
    {
        "name": st.sampled_from(NAMES),
        "country": st.sampled_from(["SE", "SE", "EG", ""]),
        "role": st.sampled_from(["", "Prime Minister", "King", "Crown Prince"]),  # a role can give a rank
        "aliases": st.lists(st.sampled_from(NAMES), max_size=2),
    }
)
_EVENT = st.tuples(st.integers(1990, 2012), st.lists(_PARTICIPANT, min_size=1, max_size=3))
HISTORIES = st.tuples(
    st.lists(_EVENT, min_size=1, max_size=8),
    st.lists(st.integers(0, 7), max_size=24),
    st.randoms(use_true_random=False),
)
"""Events, then a history of toggles (an event that is present goes, one that is absent comes back) over
them after all were added in a random order, and the order a fresh store reads the survivors in."""


def _events(drawn: list[tuple[int, list[dict[str, Any]]]]) -> list[Event]:
    return [
        validate_event(
            {
                "id": f"e{number}",
                "title": f"meeting {number}",
                "date": f"{year}-03-0{number % 9 + 1}",
                "location": {"city": "Stockholm", "country": "SE"},
                "participants": participants,
            },
            fallback_id=f"e{number}",
        )
        for number, (year, participants) in enumerate(drawn)
    ]


def _history(events: list[Event], toggles: list[int], order: Any) -> list[tuple[bool, Event]]:
    """Every event added in a random order, then the toggles: (True, event) adds, (False, event) removes."""
    steps = [(True, event) for event in order.sample(events, len(events))]
    present = {event.id for event in events}
    for toggle in toggles:
        event = events[toggle % len(events)]
        steps.append((event.id not in present, event))
        present ^= {event.id}
    return steps


def _survivors(steps: list[tuple[bool, Event]]) -> list[Event]:
    present: dict[str, Event] = {}
    for adding, event in steps:
        if adding:
            present[event.id] = event
        else:
            del present[event.id]
    return list(present.values())


def _people_facts(people: People, id_of: dict[int, str]) -> dict[Any, Any]:
    return {
        key: (
            dict(person.spellings),
            dict(person.roles),
            dict(person.countries),
            sorted(id_of[docno] for docno in person.docnos),
        )
        for key, person in people.persons.items()
    }


@settings(max_examples=1000, deadline=None)
@given(HISTORIES)
def test_people_equal_fresh_people_of_the_events_left(history: Any) -> None:
    drawn, toggles, order = history
    events = _events(drawn)
    steps = _history(events, toggles, order)
    people, docno_of, id_of = People(), {}, {}
    for docno, (adding, event) in enumerate(steps):
        if adding:
            docno_of[event.id] = docno
            id_of[docno] = event.id
            people.add(docno, event)
        else:
            people.remove(docno_of.pop(event.id), event)
    survivors = _survivors(steps)
    fresh, fresh_id_of = People(), {}
    for docno, event in enumerate(order.sample(survivors, len(survivors))):
        fresh_id_of[docno] = event.id
        fresh.add(docno, event)
    assert _people_facts(people, id_of) == _people_facts(fresh, fresh_id_of)
    for event in survivors:
        assert people.keys_of(event) == fresh.keys_of(event)
        for participant in event.participants:
            assert people.root(people.own_key(participant)) == fresh.key_of(participant)


def _index(events: Iterable[tuple[bool, Event]], resolved_first: bool) -> SearchIndex:
    index = SearchIndex()
    if resolved_first:
        index.resolution  # noqa: B018 — built first, then kept up to date event by event
    for adding, event in events:
        if adding:
            index.add(event)
        else:
            index.remove(event.id)
        index.commit()
    return index


def _answers(index: SearchIndex) -> dict[str, Any]:
    """What the participants pane and the resolution say, by event id (document numbers differ)."""
    resolution = index.resolution
    some = index.empty_mask()
    for event_id, docno in index.docno_of.items():
        some[docno] = int(event_id[1:]) % 2 == 0
    per_event = {}
    for event_id, docno in index.docno_of.items():
        keys = index.persons_of(docno)
        per_event[event_id] = (
            resolution.persons_of(keys, docno),
            sorted(sorted(resolution.persons_of_group(key)) for key in keys),
            sorted((resolution.reason(key), resolution.is_ambiguous(key)) for key in keys),
        )
    return {
        "all": sorted(map(repr, participant_counts(index))),
        "some": sorted(map(repr, participant_counts(index, some))),
        "events": per_event,
        "persons": {
            person: sorted(index.id_of[docno] for docno in np.frombuffer(docnos, dtype=np.uint32).tolist())
            for person, docnos in resolution.resolved().events.items()
        },
    }


@settings(max_examples=300, deadline=None)
@given(HISTORIES, st.booleans())
def test_the_index_answers_as_a_fresh_index_of_the_events_left(history: Any, resolved_first: bool) -> None:
    drawn, toggles, order = history
    events = _events(drawn)
    steps = _history(events, toggles, order)
    survivors = _survivors(steps)
    index = _index(steps, resolved_first)
    fresh = _index([(True, event) for event in order.sample(survivors, len(survivors))], resolved_first)
    assert _answers(index) == _answers(fresh)


def _participant(name: str, *aliases: str) -> dict[str, Any]:
    return {"name": name, "country": "SE", "role": "Prime Minister", "aliases": list(aliases)}


REINFELDT = _events(
    [
        (2006, [_participant("Fredrik Reinfeld")]),
        (2007, [_participant("Fredrik Reinfeldt")]),
        (2008, [_participant("Fredrik Reinfeldt", "Fredrik Reinfeld")]),
        (2009, [_participant("Fredrik Reingeldt")]),
        (2010, [_participant("Fredrik Reinfeld")]),
    ]
)
"""Two spellings, an event that declares one an alias of the other, then a third spelling a letter off."""


def test_an_alias_join_is_filed_under_the_name_shown_in_any_order() -> None:
    forwards, backwards = People(), People()
    for docno, event in enumerate(REINFELDT):
        forwards.add(docno, event)
    for docno, event in enumerate(reversed(REINFELDT)):
        backwards.add(docno, event)
    assert forwards.persons.keys() == backwards.persons.keys()
    joined = forwards.keys_of(REINFELDT[0])
    assert joined == forwards.keys_of(REINFELDT[1]) == backwards.keys_of(REINFELDT[1])
    assert forwards.persons[joined[0]].name == "Fredrik Reinfeld"  # two uses each: the alphabetically first
    assert joined == (("fredrik reinfeld", "SE"),)  # filed under the name shown, not the declaring one's
    assert forwards.keys_of(REINFELDT[3]) != joined  # the resolution's to join, not the aliases'


def test_a_join_goes_with_the_last_event_that_declared_it() -> None:
    people = People()
    for docno, event in enumerate(REINFELDT):
        people.add(docno, event)
    people.remove(2, REINFELDT[2])
    assert people.keys_of(REINFELDT[0]) != people.keys_of(REINFELDT[1])
    assert people.persons[people.keys_of(REINFELDT[1])[0]].spellings == {"Fredrik Reinfeldt": 1}
    people.add(5, REINFELDT[2])
    assert people.keys_of(REINFELDT[0]) == people.keys_of(REINFELDT[1])
    assert people.persons[people.keys_of(REINFELDT[1])[0]].docnos.tolist() == [0, 1, 4, 5]


def test_surnames_a_letter_apart_share_a_block_only_while_the_name_between_them_is_there() -> None:
    """Reinfeld and Reingeldt are two letters apart: one block only through Reinfeldt, a letter from each,
    and only while a full name with that surname is filed (its event gone, or its group filed under
    Reinfeld by an alias, the block splits as a fresh index would have it)."""
    reinfeld, reinfeldt, reingeldt, alias = REINFELDT[0], REINFELDT[1], REINFELDT[3], REINFELDT[2]
    for steps in (
        [(True, reinfeld), (True, reinfeldt), (True, reingeldt), (False, reinfeldt)],
        [(True, reingeldt), (True, reinfeldt), (True, reinfeld), (True, alias), (True, REINFELDT[4])],
    ):
        for resolved_first in (True, False):
            kept_up = _index(steps, resolved_first)
            fresh = _index([(True, event) for event in _survivors(steps)], resolved_first)
            assert _answers(kept_up) == _answers(fresh)
            assert len(kept_up.resolution.resolved().events) == 2


def test_a_group_is_read_with_its_main_role_now() -> None:
    """A crown prince's group whose later events call him King is a sovereign now, one person with the
    King of the same name a letter off: as a fresh index reads it, not as his first event did."""

    def one(name: str, role: str) -> dict[str, Any]:
        return {"name": name, "country": "SE", "role": role}

    events = _events(
        [
            (2006, [one("Fredrik Reinfeld", "King")]),
            (2008, [one("Fredrik Reinfeldt", "Crown Prince")]),
            (2009, [one("Fredrik Reinfeldt", "King")]),
            (2010, [one("Fredrik Reinfeldt", "King")]),
        ]
    )
    kept_up = _index([(True, event) for event in events], resolved_first=True)
    assert _answers(kept_up) == _answers(_index([(True, event) for event in events], resolved_first=False))
    assert len(kept_up.resolution.resolved().events) == 1


def _components(links: list[tuple[Key, Key]], key: Key) -> frozenset[Key]:
    """The plain definition: the keys a walk over the links present reaches from `key`."""
    reached, waiting = {key}, [key]
    while waiting:
        at = waiting.pop()
        for first, second in links:
            for one, other in ((first, second), (second, first)):
                if one == at and other not in reached:
                    reached.add(other)
                    waiting.append(other)
    return frozenset(reached)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 6), st.integers(0, 6)).filter(lambda pair: pair[0] != pair[1]), max_size=30
    ),
    st.randoms(use_true_random=False),
)
def test_linked_keys_are_the_components_of_the_links_present(
    pairs: list[tuple[int, int]], order: Any
) -> None:
    linked: LinkedKeys[int] = LinkedKeys()
    present: list[tuple[int, int]] = []
    for first, second in pairs:
        if (first, second) in present and order.random() < 0.5:
            present.remove((first, second))
            pieces = linked.unlink(second, first) if order.random() < 0.5 else linked.unlink(first, second)
            if pieces is not None:
                assert set(pieces) == {_components(present, first), _components(present, second)}
        else:
            present.append((first, second))
            linked.link(first, second)
        for key in range(7):
            assert linked.component(key) == _components(present, key)
            assert (key in linked) == any(key in pair for pair in present)


SURNAMES = ["reinfeld", "reinfeldt", "reingeldt", "reingeld", "bildt", "bilt", "mubarak", "mubarek"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.booleans(), st.sampled_from(SURNAMES)), max_size=30))
def test_surname_blocks_are_the_components_of_the_surnames_present(steps: list[tuple[bool, str]]) -> None:
    blocks = SurnameBlocks()
    present: list[str] = []
    for adding, surname in steps:
        if adding or surname not in present:
            blocks.add(surname)
            present.append(surname)
        else:
            blocks.remove(surname)
            present.remove(surname)
        fuzzy = {name for name in present if len(name) >= FUZZY_SURNAME_LENGTH}
        links = [
            (one, other)
            for one in sorted(fuzzy)
            for other in sorted(fuzzy)
            if one < other and not one_letter_forms(one).isdisjoint(one_letter_forms(other))
        ]
        for word in SURNAMES:
            expected = min(_components(links, word)) if word in fuzzy else word
            assert blocks.block(word) == expected
