"""People resolved as entities: every kind of error seen on real records, and the layer kept incrementally."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from store.entities.person_resolution import PersonResolution, parse_name
from store.event_store import EventStore
from store.index.aggregates import participant_counts
from store.index.search_index import SearchIndex
from store.model.names import name_key
from store.model.validate import validate_event
from tests.conftest import loaded_store


def _event(number: int, date: str, *people: tuple[str, str, str], city: str = "Washington") -> dict[str, Any]:
    return {
        "id": f"e{number}",
        "title": f"event {number}",
        "date": date,
        "location": {"city": city, "country": "US"},
        "participants": [{"name": n, "country": c, "role": r} for n, c, r in people],
    }


def _store(folder: Path, events: list[dict[str, Any]]) -> EventStore:
    store: EventStore = loaded_store(folder, events)
    return store


def _person(store: EventStore, event_id: str, name: str) -> Any:
    index = store.index
    docno = index.docno_of[event_id]
    participant = next(p for p in index.event(docno).participants if p.name == name)
    return index.resolution.person_of(index.people.key_of(participant), docno)


def test_names_are_read_with_titles_ranks_markers_and_particles() -> None:
    assert parse_name(name_key("President Charles de Gaulle")).surname == "gaule"
    assert parse_name(name_key("President de Gaulle")).surname_only
    assert parse_name(name_key("Sheikh Hamad bin Isa al-Khalifa")).given == "hamad"
    assert parse_name(name_key("Crown Prince Abdullah")).rank == "crown prince"
    assert (
        parse_name(name_key("Abdullah"), "King").rank
        == parse_name(name_key("Emir Abdullah")).rank
        == "sovereign"
    )
    assert parse_name(name_key("Baudouin I")).marker == "i"
    assert parse_name(name_key("El Hadj Omar Bongo")).given == "omar"
    assert parse_name(name_key("Pius XII")).marker == "xii"
    assert name_key("Pius XII") != name_key("Pius XI")
    assert parse_name(name_key("Antony John Blinken")).middles == ("john",)


def test_surname_only_joins_the_one_full_name_that_fits(tmp_path: Path) -> None:
    store = _store(
        tmp_path,
        [
            _event(1, "1990-01-01", ("Hosni Mubarak", "EG", "President")),
            _event(2, "1992-01-01", ("Mubarak", "EG", "President")),
            _event(3, "1993-01-01", ("Mubarak", "EG", "President")),
            _event(4, "1993-01-01", ("Mubarak", "KW", "Minister")),
        ],
    )
    assert _person(store, "e2", "Mubarak") == _person(store, "e1", "Hosni Mubarak")
    assert _person(store, "e4", "Mubarak") != _person(store, "e1", "Hosni Mubarak")
    card = next(
        card for card in participant_counts(store.index) if card.name == "Mubarak" and "EG" in card.countries
    )
    assert card.events == 3
    assert dict(card.spellings) == {"Mubarak": 2, "Hosni Mubarak": 1}
    assert (card.first, card.last, card.span) == ("1990-01-01", "1993-01-01", "1990–1993")
    assert card.merges and "surname only" in card.merges[0]


def test_father_and_son_and_namesakes_decades_apart_stay_apart(tmp_path: Path) -> None:
    store = _store(
        tmp_path,
        [
            _event(1, "1989-06-01", ("George H.W. Bush", "US", "President")),
            _event(2, "1990-06-01", ("Bush", "US", "President")),
            _event(3, "2003-06-01", ("George W. Bush", "US", "President")),
            _event(4, "2006-06-01", ("Bush", "US", "President")),
            _event(5, "1994-01-01", ("Heydar Aliyev", "AZ", "President")),
            _event(6, "2010-01-01", ("Ilham Aliyev", "AZ", "President")),
            _event(7, "1950-01-01", ("Hatoyama", "JP", "Premier")),
            _event(8, "2009-01-01", ("Yukio Hatoyama", "JP", "Prime Minister")),
        ],
    )
    assert _person(store, "e2", "Bush") == _person(store, "e1", "George H.W. Bush")
    assert _person(store, "e4", "Bush") == _person(store, "e3", "George W. Bush")
    assert _person(store, "e1", "George H.W. Bush") != _person(store, "e3", "George W. Bush")
    assert _person(store, "e5", "Heydar Aliyev") != _person(store, "e6", "Ilham Aliyev")
    assert _person(store, "e7", "Hatoyama") != _person(store, "e8", "Yukio Hatoyama")


def test_a_surname_that_fits_two_people_at_once_stays_apart_marked_ambiguous(tmp_path: Path) -> None:
    store = _store(
        tmp_path,
        [
            _event(1, "2000-01-01", ("Lars Rasmussen", "DK", "Prime Minister")),
            _event(2, "2000-02-01", ("Anders Rasmussen", "DK", "Prime Minister")),
            _event(3, "2000-03-01", ("Rasmussen", "DK", "Prime Minister")),
        ],
    )
    alone = _person(store, "e3", "Rasmussen")
    assert alone not in (_person(store, "e1", "Lars Rasmussen"), _person(store, "e2", "Anders Rasmussen"))
    assert store.index.resolution.is_ambiguous(alone)


def test_spelling_order_middle_names_and_honorifics_join(tmp_path: Path) -> None:
    pairs = [
        ("Shinzo Abe", "Abe Shinzo", "JP"),
        ("Heydar Aliyev", "Geidar Aliyev", "AZ"),
        ("Mohammed Morsi", "Mohammad Morsi", "EG"),
        ("Antony Blinken", "Antony John Blinken", "US"),
        ("Sheikh Tamim bin Hamad al-Thani", "Tamim bin Hamad al-Thani", "QA"),
        ("President de Gaulle", "Charles de Gaulle", "FR"),
        ("Wim Kok", "Willem Kok", "NL"),
    ]
    events = []
    for number, (first, second, country) in enumerate(pairs):
        events.append(_event(2 * number, "2001-01-01", (first, country, "")))
        events.append(_event(2 * number + 1, "2002-01-01", (second, country, "")))
    store = _store(tmp_path, events)
    for number, (first, second, _) in enumerate(pairs):
        assert _person(store, f"e{2 * number}", first) == _person(store, f"e{2 * number + 1}", second), first


def test_ranks_regnal_numbers_and_middle_initials_are_identity(tmp_path: Path) -> None:
    store = _store(
        tmp_path,
        [
            _event(1, "1950-01-01", ("Pius XII", "VA", "Pope")),
            _event(2, "1930-01-01", ("Pius XI", "VA", "Pope")),
            _event(3, "1999-01-01", ("Abdullah", "SA", "Crown Prince")),
            _event(4, "1999-02-01", ("Abdullah", "SA", "King")),
            _event(5, "1999-03-01", ("Fahd", "SA", "King")),
            _event(6, "1999-03-01", ("Crown Prince Fahd", "SA", "")),
        ],
    )
    assert _person(store, "e1", "Pius XII") != _person(store, "e2", "Pius XI")
    assert _person(store, "e5", "Fahd") != _person(store, "e6", "Crown Prince Fahd")


def test_monarchs_surname_first_names_and_decades_long_gaps(tmp_path: Path) -> None:
    store = _store(
        tmp_path,
        [
            _event(1, "1964-01-01", ("Hussein I", "JO", "King")),
            _event(2, "1966-01-01", ("Hussein", "JO", "King")),
            _event(3, "1985-01-01", ("Deng Xiaoping", "CN", "Chairman")),
            _event(4, "1986-01-01", ("Deng", "CN", "Chairman")),
            _event(5, "1934-01-01", ("Alessandri", "CL", "President")),
            _event(6, "1962-01-01", ("Alessandri", "CL", "President")),
            _event(7, "1969-01-01", ("Seretse Khama", "BW", "President")),
            _event(8, "2009-01-01", ("Seretse Khama Ian Khama", "BW", "President")),
        ],
    )
    assert _person(store, "e2", "Hussein") == _person(store, "e1", "Hussein I")
    assert _person(store, "e4", "Deng") == _person(store, "e3", "Deng Xiaoping")
    assert _person(store, "e5", "Alessandri") != _person(store, "e6", "Alessandri")
    assert _person(store, "e7", "Seretse Khama") != _person(store, "e8", "Seretse Khama Ian Khama")
    assert len([card for card in participant_counts(store.index) if card.name == "Alessandri"]) == 2


def test_a_name_with_no_letters_is_its_own_person(tmp_path: Path) -> None:
    assert parse_name(name_key("👾 🙇"), "👾").surname_only
    store = _store(tmp_path, [_event(1, "2000-01-01", ("👾 🙇", "", "👾"), ("Bush", "US", ""))])
    assert len(participant_counts(store.index)) == 2


def test_a_participants_country_is_only_what_the_record_says(tmp_path: Path) -> None:
    store = _store(tmp_path, [_event(1, "2000-01-01", ("Ehud Barak", "", "Prime Minister"), city="Paris")])
    (card,) = participant_counts(store.index)
    assert card.countries == ()


NAMES = [
    "Hosni Mubarak",
    "Mubarak",
    "Gamal Mubarak",
    "Shinzo Abe",
    "Abe Shinzo",
    "Abe",
    "Bush",
    "George W. Bush",
]


def _persons_table(resolution: PersonResolution) -> dict[Any, list[tuple[Any, list[int]]]]:
    return {
        target: sorted(
            (person.key, sorted(person.docnos) if docnos is None else sorted(docnos.tolist()))
            for person, docnos in parts
        )
        for target, parts in resolution.persons().items()
    }


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.booleans(), st.sampled_from(NAMES), st.integers(1990, 2010), st.none() | st.sampled_from(NAMES)
        ),
        max_size=30,
    )
)
def test_incremental_resolution_equals_one_from_scratch(
    steps: list[tuple[bool, str, int, str | None]],
) -> None:
    """Also with aliases: a join merges groups that events already filed under the old keys."""
    index = SearchIndex()
    index.resolution  # built first, then kept up to date event by event  # noqa: B018
    present: list[str] = []
    for number, (add, name, year, alias) in enumerate(steps):
        if add or not present:
            event_id = f"e{number}"
            raw = _event(number, f"{year}-01-01", (name, "EG" if "Mubarak" in name else "JP", ""))
            if alias is not None:
                raw["participants"][0]["aliases"] = [alias]
            index.add(validate_event(raw, fallback_id=event_id))
            present.append(event_id)
        else:
            index.remove(present.pop(0))
        fresh = PersonResolution(index.people, index.day_of)
        fresh.touch(list(index.people.persons))
        for docno, indexed in index.live.items():
            for key in indexed.persons:
                assert index.resolution.person_of(key, docno) == fresh.person_of(key, docno)
        assert _persons_table(index.resolution) == _persons_table(fresh)


def test_the_persons_follow_a_head_merged_in_another_block() -> None:
    """H. Mubarak joins Hosni Mubarak in the block of Mubarak; a fuller name that only the block of Hosni
    reads (Mubarak Ali Hosni) then takes Hosni Mubarak, and H. Mubarak with him, though the block of
    Mubarak was not resolved again; when it goes, both come back (the kept persons read each merge they
    follow)."""
    index = SearchIndex()
    for number, names in enumerate((["H. Mubarak"], ["Hosni Mubarak"], ["Hosni Mubarak"])):
        index.add(
            validate_event(_event(number, "1990-01-01", *((n, "EG", "") for n in names)), fallback_id="")
        )
    resolution = index.resolution

    def groups() -> list[list[str]]:
        return sorted(sorted(person.key[0] for person, _ in parts) for parts in resolution.persons().values())

    assert groups() == [["h mubarak", "hosni mubarak"]]
    index.add(validate_event(_event(9, "1990-01-01", ("Mubarak Ali Hosni", "EG", "")), fallback_id=""))
    assert groups() == [["h mubarak", "hosni mubarak", "mubarak ali hosni"]]
    index.remove("e9")
    assert groups() == [["h mubarak", "hosni mubarak"]]


def _pairs_store(folder: Path, pairs: list[tuple[str, str, str, str, str, str]]) -> EventStore:
    """Two events a pair: (first name, its date, second name, its date, country, role)."""
    events = []
    for number, (first, first_date, second, second_date, country, role) in enumerate(pairs):
        events.append(_event(2 * number, first_date, (first, country, role)))
        events.append(_event(2 * number + 1, second_date, (second, country, role)))
    return _store(folder, events)


def _same(store: EventStore, number: int, first: str, second: str) -> bool:
    return bool(_person(store, f"e{2 * number}", first) == _person(store, f"e{2 * number + 1}", second))


def test_kinds_of_spelling_and_naming_that_are_one_person(tmp_path: Path) -> None:
    pairs = [
        (
            "Magnus Lindqvist",
            "2001-01-01",
            "Magnus Lindkvist",
            "2003-01-01",
            "SE",
            "Prime Minister",
        ),  # a letter
        (
            "Ottokar Brauweiler",
            "2001-01-01",
            "Ottokar Bruaweiler",
            "2002-01-01",
            "AT",
            "President",
        ),  # swapped
        ("Bernardino Okonkwo", "2001-01-01", "Bernardina Okonkwo", "2002-01-01", "NG", "President"),
        ("Batbayar Dorj", "2001-01-01", "Batbayaryn Dorj", "2002-01-01", "MN", "President"),  # genitive
        (
            "Joseph Kofi Mensah",
            "2001-01-01",
            "Kofi Mensah",
            "2004-01-01",
            "GH",
            "President",
        ),  # first left out
        ("Samuel Kipchoge Arap Toroitich", "1999-01-01", "Samuel Arap Toroitich", "1985-01-01", "KE", ""),
        ("P. W. van Rensburg", "2012-01-01", "Pieter Willem van Rensburg", "1990-01-01", "ZA", "President"),
        ("Ja'far Nouri", "2001-01-01", "Jafar Nouri", "2002-01-01", "IQ", "Prime Minister"),
        (
            "Hamid bin Abd al Karim al-Nuri",
            "2001-01-01",
            "Hamid bin Abdulkarim al-Nuri",
            "2002-01-01",
            "OM",
            "",
        ),
        ("Lieutenant General Amadou Diallo", "1977-01-01", "Amadou Diallo", "2001-01-01", "GN", ""),
        ("Joao Pedro Ferreira Lima", "2001-01-01", "Ferreira Lima", "2002-01-01", "AO", "President"),
        ("Anibal Jose Mendes", "1990-01-01", "Mendes Carvalho", "1992-01-01", "PT", "Prime Minister"),
        ("Marco Antonio Ruiz", "2003-01-01", "Marco Ruiz III", "2004-01-01", "PH", "President"),
    ]
    store = _pairs_store(tmp_path, pairs)
    for number, (first, _, second, _, _, _) in enumerate(pairs):
        assert _same(store, number, first, second), (first, second)


def test_kinds_that_stay_two_people(tmp_path: Path) -> None:
    pairs = [
        ("Imata Kabua", "1997-01-01", "Amata Kabua", "1995-01-01", "MH", "President"),  # short given names
        ("George W. Bush", "2003-01-01", "George H.W. Bush", "1991-01-01", "US", "President"),  # initials
        (
            "Hamad bin Khalifa al-Thani",
            "2005-01-01",
            "Khalifa al-Thani",
            "2004-01-01",
            "QA",
            "Amir",
        ),  # lineage
        ("Seretse Khama Ian Khama", "2009-01-01", "Seretse Khama", "1969-01-01", "BW", "President"),
        ("Faisal II", "1952-01-01", "Faisal", "1925-01-01", "IQ", "King"),  # before the numbered monarch
        ("Mohamed V", "1957-01-01", "Mohamed VI", "2005-01-01", "MA", "King"),
    ]
    store = _pairs_store(tmp_path, pairs)
    for number, (first, _, second, _, _, _) in enumerate(pairs):
        assert not _same(store, number, first, second), (first, second)


def test_surname_only_mentions_over_a_career_but_not_a_successor(tmp_path: Path) -> None:
    store = _store(
        tmp_path,
        [
            _event(1, "1970-01-01", ("Per Halvorsen", "NO", "Prime Minister")),
            _event(2, "1964-01-01", ("Halvorsen", "NO", "Prime Minister")),  # six years before: a spell
            _event(3, "1999-01-01", ("Omondi", "KE", "President")),
            _event(4, "2000-06-01", ("Omondi", "KE", "President")),
            _event(5, "1972-01-01", ("Omondi", "KE", "President")),  # the father, long before the son
            _event(6, "1985-01-01", ("Omondi", "KE", "President")),
            _event(7, "1992-01-01", ("Omondi", "KE", "President")),
            _event(8, "2000-01-01", ("Jomo Omondi", "KE", "President")),
            _event(9, "1998-12-01", ("Abdullah", "JO", "Crown Prince")),
            _event(10, "2005-01-01", ("Abdullah II", "JO", "King")),  # the crown prince who reigns
            _event(11, "1956-01-01", ("Prince Rainier III", "MC", "")),
            _event(12, "1984-01-01", ("Prince Rainier", "MC", "")),  # the numbered prince, years later
        ],
    )
    assert _person(store, "e2", "Halvorsen") == _person(store, "e1", "Per Halvorsen")
    assert _person(store, "e4", "Omondi") == _person(store, "e8", "Jomo Omondi")
    assert _person(store, "e5", "Omondi") != _person(store, "e8", "Jomo Omondi")
    assert _person(store, "e9", "Abdullah") == _person(store, "e10", "Abdullah II")
    assert _person(store, "e12", "Prince Rainier") == _person(store, "e11", "Prince Rainier III")


def test_one_letter_apart_surnames_share_a_block_only_when_long(tmp_path: Path) -> None:
    store = _store(
        tmp_path,
        [_event(1, "2001-01-01", ("Ali Salem", "EG", "")), _event(2, "2001-01-01", ("Ali Sale", "EG", ""))],
    )
    assert _person(store, "e1", "Ali Salem") != _person(
        store, "e2", "Ali Sale"
    )  # 'sale' is too short to fuzz
    assert name_key("Sa'ad Hariri") == name_key("Saad Hariri")
    assert name_key("F. W. Botha").split()[:2] == ["f", "w"]


KINDS_OF_NAMES = [
    ("Hosni Mubarak", "EG"),
    ("Mubarak", "EG"),
    ("Gamal Mubarak", "EG"),
    ("George W. Bush", "US"),
    ("George H. W. Bush", "US"),
    ("Bush", "US"),
    ("Luiz Inacio Lula da Silva", "BR"),
    ("Lula da Silva", "BR"),
    ("Anibal Antonio Cavaco Silva", "PT"),
    ("Cavaco Silva", "PT"),
    ("Deng Xiaoping", "CN"),
    ("Deng", "CN"),
    ("Rainier III", "MC"),
    ("Prince Rainier", "MC"),
]
"""Full names, surname-only mentions, compound and two surnames alone, surname first, a numbered monarch."""


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["add", "revise", "remove"]),
            st.lists(st.sampled_from(KINDS_OF_NAMES), min_size=1, max_size=2, unique=True),
            st.sampled_from([1962, 1971, 1985, 1990, 1999, 2008]),  # near and far for spans and gaps
            st.booleans(),
        ),
        max_size=30,
    )
)
def test_kept_stages_answer_as_a_resolution_from_scratch(
    steps: list[tuple[str, list[tuple[str, str]], int, bool]],
) -> None:
    """The block stages kept between refreshes (`_Stage`): files revised (the same people on the same day
    under a new docno), added and removed, with every kind of name, several steps between questions at
    times (an event gone and another come: a group's number of events the same, its span not); persons,
    reasons and ambiguity as a resolution made from scratch gives them."""
    index = SearchIndex()
    resolution = index.resolution
    present: list[dict[str, Any]] = []
    for number, (step, people, year, ask) in enumerate(steps):
        if step == "remove" and present:
            index.remove(present.pop(year % len(present))["id"])
        elif step == "revise" and present:
            raw = present.pop(year % len(present))
            index.remove(raw["id"])
            raw = {**raw, "title": f"{raw['title']} revised"}
            index.add(validate_event(raw, fallback_id=raw["id"]))
            present.append(raw)
        else:
            raw = _event(number, f"{year}-06-01", *((name, country, "") for name, country in people))
            index.add(validate_event(raw, fallback_id=raw["id"]))
            present.append(raw)
        if not ask and number < len(steps) - 1:
            continue
        resolution.refresh()
        fresh = PersonResolution(index.people, index.day_of)
        fresh.touch(list(index.people.persons))
        for docno, indexed in index.live.items():
            for key in indexed.persons:
                assert resolution.person_of(key, docno) == fresh.person_of(key, docno)
        for key in index.people.persons:
            assert resolution.reason(key) == fresh.reason(key)
            assert resolution.is_ambiguous(key) == fresh.is_ambiguous(key)
        assert _persons_table(resolution) == _persons_table(fresh)


def test_a_kept_stage_is_redone_when_a_persons_events_move_in_time() -> None:
    """One event of Hosni Mubarak gone and another come before the next question: the same number of events,
    but now beside the surname-only mention, which joins him (the kept stage read his span, not only his
    number of events)."""
    index = SearchIndex()
    resolution = index.resolution
    for raw in (
        _event(1, "1985-06-01", ("Hosni Mubarak", "EG", "")),
        _event(2, "1999-06-01", ("Mubarak", "EG", "")),
    ):
        index.add(validate_event(raw, fallback_id=raw["id"]))
    alone = _person_key(index, "e2", "Mubarak")
    assert resolution.person_of(alone, index.docno_of["e2"]) == alone
    index.remove("e1")
    raw = _event(3, "1999-05-01", ("Hosni Mubarak", "EG", ""))
    index.add(validate_event(raw, fallback_id=raw["id"]))
    assert resolution.person_of(alone, index.docno_of["e2"]) == _person_key(index, "e3", "Hosni Mubarak")


def _person_key(index: SearchIndex, event_id: str, name: str) -> Any:
    participant = next(p for p in index.event(index.docno_of[event_id]).participants if p.name == name)
    return index.people.key_of(participant)
