"""Which place each city string is: the resolution layer above the place strings the index keeps as written.

The index keeps the facts: every event's city as its file writes it, with the event's country
(`SearchIndex.locations`, keyed by `location_key`). This module decides which real place each such string
is, through the gazetteer (`store.entities.gazetteer`: Alma-Ata and Almaty, Kiev and Kyiv, Bombay and Mumbai
are one place each), and never changes the facts, so that a persistent index can store facts only.

A city string becomes a place by its whole name, then by the name before a parenthesis or a comma
("Halifax (Nova Scotia)", "Geneva, Switzerland"), in the event's country when it has one: the most populous
city of that name there. A name the gazetteer does not know in that country stays a place of its own, keyed
by its folded words and country, so that "Camp David" is still one place with itself. Answers are kept per
(string, country): strings are few (a few thousand at 100,000 events) and an arrival costs one look-up, a
binary search of the compact gazetteer (`CompactGazetteer`), so a load pays only for the places its folder names.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from store.entities.gazetteer import Place, PlaceLookup, shared_gazetteer

_SEPARATOR = "\x1f"
"""Between city and country in a location key: a control character, which sanitised text never holds."""

_QUALIFIED = re.compile(r"\s*[(,].*$")
"""What follows a city's name: '(Nova Scotia)', ', Switzerland'."""


def location_key(city: str, country: str) -> str:
    """The index's key of a city as written with its event's country."""
    return f"{city}{_SEPARATOR}{country}"


def split_location(key: str) -> tuple[str, str]:
    city, _, country = key.partition(_SEPARATOR)
    return city, country


class PlaceResolution:
    """City strings (with their event's country) → places, each looked up once."""

    def __init__(self, gazetteer: Callable[[], PlaceLookup] = shared_gazetteer) -> None:
        self._gazetteer = gazetteer
        self._places: dict[tuple[str, str], Place] = {}

    def warm(self) -> None:
        """Read the gazetteer's compact file now (a few milliseconds, once per process), off the interface's
        path; each city string is then looked up when first asked for, as events arrive."""
        self._gazetteer()

    def place_of(self, city: str, country: str = "") -> Place:
        """The place a city string of an event in `country` is."""
        found = self._places.get((city, country))
        if found is None:
            found = self._places[(city, country)] = self._look_up(city, country)
        return found

    def place_of_location(self, key: str) -> Place:
        return self.place_of(*split_location(key))

    def places_named(self, name: str) -> set[str]:
        """The keys of every place a typed name may be (Kiev → Kyiv's), in any country."""
        gazetteer = self._gazetteer()
        return {place.key for place in gazetteer.candidates(name) or gazetteer.candidates(_bare(name))}

    def _look_up(self, city: str, country: str) -> Place:
        gazetteer = self._gazetteer()
        for name in dict.fromkeys((city, _bare(city))):
            place = gazetteer.place(name, country)
            if place is not None:
                return place
        return Place(0, city, country)


def _bare(city: str) -> str:
    return _QUALIFIED.sub("", city) or city
