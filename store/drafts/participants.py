"""Who took part in the event a press release reports, and which states did.

People come from `store.importers.people` (a title and a name, in either order) and from enumerations of
office-holders country by country ("the foreign ministers of Kazakhstan Murat Nurtleu, Kyrgyzstan …", "the
Ministers of Foreign Affairs of Kazakhstan – Murat Nurtleu, …", "the Foreign Ministers of Armenia and
Azerbaijan, Ararat Mirzoyan and Jeyhun Bayramov"). A person only spoken of is left out: greetings conveyed to
or from them, a visit, message or reform of theirs, a policy "initiated by" them. Delegation heads are those
the text says headed, led or chaired a side, or co-chaired the talks.

A person the text gives no country gets, in order: the side the sentence speaks of ("the Iranian one by …"),
the United States for a title only it gives, the publisher's country ("Source: MFA of Russia"), or the host's:
the country of the place the talks were held in, when no one else represents it and no one else lacks a
country. A person holding a post of
an international body (a High Representative, a Special Representative) gets none.

States taking part are the participants' and those the lead names as sides ("Kyrgyz-Chinese consultations",
"consultations between the Ministries of Foreign Affairs of Kazakhstan and Korea", "the Presidents of
Kazakhstan, …"), and for a visit, the state visited. The host of a meeting of others (New York for the UN,
Brussels for the EU) is not one of them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from store.importers.people import NamedPerson, people_named_in
from store.importers.record_text import is_us_official
from store.model.countries import UNITED_STATES, code_for, may_begin_a_name

_PLURAL_OFFICE = re.compile(
    r"\b(?P<title>(?i:(?:(?:first|deputy|vice)\s+)?(?:foreign|defen[cs]e|finance|economy|trade|energy|interior|"
    r"prime)\s+ministers|(?:deputy\s+)?ministers\s+(?:of|for)\s+(?:foreign\s+affairs|defen[cs]e|finance|economy|"
    r"trade|energy)|heads\s+of\s+(?:state|government|delegations?)|presidents|ambassadors|leaders))\s+of\s+"
)
"""The plural office before a country-by-country list: "foreign ministers of", "heads of government of"."""
_SINGULAR_WORDS = {
    "ministers": "Minister",
    "heads": "Head",
    "presidents": "President",
    "ambassadors": "Ambassador",
}
_SINGULAR_WORDS["leaders"] = "Leader"
_LOWER_IN_TITLES = {"of", "for", "and"}
_RUN = re.compile(
    r"(?:the )?(?:(?:[A-Z]\.)+|[A-Z][\w’'-]*)(?: (?:of|and|the|(?:[A-Z]\.)+|[A-Z][\w’'-]*)){0,5}"
)
"""Up to six words that may name a country: "the Kyrgyz Republic", "Bosnia and Herzegovina", "the U.S."."""
_ITEM_SEPARATOR = re.compile(r"\s*(?:,\s*(?:and\s+)?|\s+and\s+)")
_DASH = re.compile(r"\s*[–—-]\s*|\s+")
_NAME = re.compile(
    r"[A-Z](?:\.|[\w’'-]*)(?:\s+(?:(?:bin|ibn|al|el|de|van|von)\s+)?[A-Z](?:\.|[\w’'-]*)){1,3}"
)
_LONGEST_COUNTRY = 6

_MENTION_CUE = re.compile(
    r"\b(?:greetings|regards|wishes|message|letter|condolences|congratulations|invitation|instructions?|"
    r"behalf|initiated|proposed|put forward|launched|reforms?|initiatives?|visit|inauguration|election)\b",
    re.IGNORECASE,
)
_MENTION_TAIL = re.compile(r"(?P<gap>[^.;:]*?)\b(?:from|to|of|by)\s+(?:the\s+)?$")
"""Words before a person only spoken of: "conveyed greetings from Head of State … to Prime Minister …"."""
_LONGEST_GAP_WORDS = 10
_TAKING_PART = re.compile(r"\b(?:met|held|received|hosted|signed|discussed|attended|took part)\b")
_POSSESSED = re.compile(
    r"['’]s\s+(?:(?:state|official|working|recent|upcoming|forthcoming)\s+)?"
    r"(?:visit|message|letter|greetings|initiative|proposal|reforms?|policy|administration|behalf)\b"
)
"""After a name: "President Xi Jinping's state visit" speaks of him; "Lavrov's meeting with …" does not."""

_HEAD_CUE = re.compile(
    r"(?:headed|led|chaired|presided over)\s+by\s*$|(?:side|delegation|one)\s*(?:[–—-]\s*)?(?:was\s+)?by\s*$",
    re.IGNORECASE,
)
_CO_CHAIRED = re.compile(r"\bco-?(?:chaired|chair|chairs|presided)\b", re.IGNORECASE)
_COUNTERPART = re.compile(
    r"\b(?:his|her|their)\s+(?P<demonym>[A-Z][\w-]+)\s+counterpart,?\s+(?:(?:H\.E\.|Mr\.|Ms\.|Mrs\.)\s+)*"
    r"(?P<name>[A-Z](?:\.|[\w’'-]*)(?:\s+(?:(?:bin|ibn|al|el|de|van|von)\s+)?[A-Z](?:\.|[\w’'-]*)){1,3})"
)
"""A person named by the office of another: "held talks with his Azerbaijani counterpart Jeyhun Bayramov"."""
_SIDE = re.compile(r"\b(?P<demonym>[A-Z][\w-]+)\s+(?:side|delegation|one)\b")

_EVENT_NOUN = (
    r"(?i:consultations?|talks|meeting|negotiations|dialogue|council|commission|summit|committee|ministerial|"
    r"round|session)"
)
_COMPOUND_SIDES = re.compile(
    rf"\b(?P<names>[A-Z][\w’']+(?:[-–][A-Z][\w’']+)+)\s+(?:[\w-]+\s+){{0,3}}?{_EVENT_NOUN}\b"
)
_BETWEEN_SIDES = re.compile(
    rf"\b{_EVENT_NOUN}\b[^.;]{{0,40}}?\bbetween\b(?P<span>[^.;]*?)"
    r"(?=\s+(?:were|was|took|are|is|will|in|on)\b|[.;,]|$)"
)
_VISITED = re.compile(r"\bvisit\s+to\s+(?P<span>(?:the\s+)?[A-Z][^.;,]{0,60})")


@dataclass(frozen=True)
class Enumeration:
    """Office-holders listed country by country: the people named, and every country listed."""

    people: list[dict[str, object]]
    countries: list[str]


def _singular(title: str) -> str:
    words = title.split()
    first_plural = next(index for index, word in enumerate(words) if word.lower() in _SINGULAR_WORDS)
    words[first_plural] = _SINGULAR_WORDS[words[first_plural].lower()]
    return " ".join(word if word in _LOWER_IN_TITLES else word[:1].upper() + word[1:] for word in words)


def _country_at(text: str, position: int) -> tuple[str, int] | None:
    """(code, end) of the longest country name starting at `position` ("the Kyrgyz Republic"), else None.

    `text` has single spaces (as `tidy_text` leaves it)."""
    run = _RUN.match(text, position)
    if run is None:
        return None
    words = run.group().split(" ")
    first = 1 if words[0] == "the" else 0
    if first == len(words) or not may_begin_a_name(words[first]):
        return None
    for end in range(len(words), first, -1):
        if words[end - 1] in {"of", "and", "the"}:
            continue
        code = code_for(" ".join(words[first:end]))
        if code:
            return code, position + len(" ".join(words[:end]))
    return None


def countries_in(text: str) -> list[str]:
    """Every country `text` names, by its longest name, in order."""
    found = []
    position = 0
    for word in re.finditer(r"\b[A-Z][\w’'-]*", text):
        if word.start() < position:
            continue
        country = _country_at(text, word.start())
        if country:
            found.append(country[0])
            position = country[1]
    return list(dict.fromkeys(found))


def _listed(text: str, start: int, role: str) -> tuple[list[dict[str, object]], list[str]]:
    """The people and countries of the list starting at `start`, until an item is neither."""
    people: list[dict[str, object]] = []
    bare: list[str] = []
    position = start
    while True:
        country = _country_at(text, position)
        if country is None:
            break
        code, position = country
        gap = _DASH.match(text, position)
        name = _NAME.match(text, gap.end()) if gap else None
        if name and _country_at(name.group(), 0) is None:
            people.append({"name": name.group(), "role": role, "country": code})
            position = name.end()
        else:
            bare.append(code)
        separator = _ITEM_SEPARATOR.match(text, position)
        if separator is None:
            break
        position = separator.end()
        if text.startswith("the ", position) is False and not text[position : position + 1].isupper():
            break
    if bare and not people:  # "of Armenia and Azerbaijan, Ararat Mirzoyan and Jeyhun Bayramov"
        names: list[str] = []
        while len(names) < len(bare):
            name = _NAME.match(text, position)
            if name is None or _country_at(name.group(), 0) is not None:
                break
            names.append(name.group())
            separator = _ITEM_SEPARATOR.match(text, name.end())
            position = separator.end() if separator else name.end()
        if len(names) == len(bare):
            people = [{"name": n, "role": role, "country": c} for n, c in zip(names, bare, strict=True)]
    return people, [str(person["country"]) for person in people] + bare


def enumerated(text: str) -> Enumeration:
    """Every list of office-holders by country in `text`."""
    people: list[dict[str, object]] = []
    countries: list[str] = []
    for office in _PLURAL_OFFICE.finditer(text):
        listed_people, listed_countries = _listed(text, office.end(), _singular(office["title"]))
        if len(listed_countries) < 2 and not listed_people:
            continue  # "the foreign ministers of Central Asia", "the presidents of the two countries"
        if office["title"].lower().startswith("heads of delegation"):
            for person in listed_people:
                person["delegation_head"] = True
        people.extend(listed_people)
        countries.extend(listed_countries)
    return Enumeration(people, list(dict.fromkeys(countries)))


def _only_mentioned(body: str, person: NamedPerson, in_lead: bool) -> bool:
    window_start = max(0, person.start - 160)
    for cue in reversed(list(_MENTION_CUE.finditer(body, window_start, person.start))):
        tail = _MENTION_TAIL.match(body[cue.end() : person.start])
        if tail is None:
            continue
        gap = tail["gap"]
        if len(gap.split()) > _LONGEST_GAP_WORDS or _TAKING_PART.search(gap):
            break
        if not (in_lead and cue.group().lower() == "visit"):  # "the visit of X began": X takes part
            return True
    name_at = body.find(person.name, person.start)
    return name_at >= 0 and bool(_POSSESSED.match(body, name_at + len(person.name)))


def _side_country(body: str, person: NamedPerson) -> str | None:
    """The country of the side or delegation the sentence around `person` speaks of ("the Iranian one by")."""
    sentence_start = max(body.rfind(". ", 0, person.start), 0)
    sides = list(_SIDE.finditer(body, sentence_start, person.start))
    return code_for(sides[-1]["demonym"]) if sides else None


def _co_chairs(body: str, people: list[NamedPerson]) -> set[str]:
    """Names of the people a sentence makes co-chairs ("A and B co-chaired the consultations")."""
    chairs = set()
    for verb in _CO_CHAIRED.finditer(body):
        sentence_start = max(body.rfind(". ", 0, verb.start()), 0)
        chairs |= {person.name for person in people if sentence_start <= person.start < verb.start()}
    return chairs


def participants_in(
    body: str, lead_length: int, publisher_country: str | None, host_country: str | None
) -> Iterator[dict[str, object]]:
    """The participants `body` names (its first `lead_length` characters are the lead), in order."""
    listing = enumerated(body)
    yield from listing.people
    listed = {str(person["name"]) for person in listing.people}
    people = [
        person
        for person in people_named_in(body)
        if person.name not in listed
        and not any(name.endswith(person.name) for name in listed)
        and not _only_mentioned(body, person, person.start < lead_length)
    ]
    chairs = _co_chairs(body, people)
    drafted = []
    for person in people:
        side = None if person.international else _side_country(body, person)
        if side is None and is_us_official(person.name, person.role, 0):
            side = UNITED_STATES  # "Secretary of State Antony J. Blinken": a title only the US gives
        participant = person.as_participant(side or publisher_country)
        if _HEAD_CUE.search(person.context_before) or person.name in chairs:
            participant["delegation_head"] = True
        drafted.append(participant)
    represented = {p.get("country") for p in [*listing.people, *drafted]}
    unplaced = [
        participant
        for participant, person in zip(drafted, people, strict=True)
        if "country" not in participant and "organization" not in participant and not person.international
    ]
    if len(unplaced) == 1 and host_country and host_country not in represented:
        unplaced[0]["country"] = host_country  # the host's own minister, named without a country
    yield from drafted
    yield from _counterparts(body, people, listed | {person.name for person in people})


def _counterparts(body: str, people: list[NamedPerson], named: set[str]) -> Iterator[dict[str, object]]:
    """People named as someone's counterpart, with that someone's role and the demonym's country."""
    for counterpart in _COUNTERPART.finditer(body):
        name = counterpart["name"]
        if name in named:
            continue
        named.add(name)
        participant: dict[str, object] = {"name": name}
        before = [person for person in people if person.start < counterpart.start() and person.role]
        if before:
            participant["role"] = before[-1].role
        country = code_for(counterpart["demonym"])
        if country:
            participant["country"] = country
        yield participant


def sides_named(lead_sentence: str, headline: str) -> list[str]:
    """The countries the lead or headline names as the sides of the event, and a state visited."""
    codes: list[str] = []
    for text in (headline, lead_sentence):
        for compound in _COMPOUND_SIDES.finditer(text):
            codes += [code for part in re.split(r"\s*[-–]\s*", compound["names"]) if (code := code_for(part))]
        for between in _BETWEEN_SIDES.finditer(text):
            codes += countries_in(between["span"])
    for visited in _VISITED.finditer(lead_sentence):
        country = _country_at(visited["span"], 0)
        codes += [country[0]] if country else []
    return list(dict.fromkeys(codes))


def publisher_country(source_name: str) -> str | None:
    """The country of a publisher that names one: "MFA of Russia", "Press Service of the MFA of Uzbekistan"."""
    named = re.search(r"\bof\s+(?P<country>(?:the\s+)?[A-Z][\w’' -]+)$", source_name)
    return code_for(named["country"]) if named else None
