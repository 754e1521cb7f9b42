"""What a record's free text says beyond its fixed fields: where a visit took place, which countries took
part, who was only honoured (a funeral, a grave), which named people are US officials, and full names.

The Office of the Historian's records have a fixed country (and, for trips, a locale) and one sentence or two
of remarks. Those sentences often say more than the fixed fields: "Attended the U.N. General Assembly" (so New
York, not Washington), "met with the Foreign Ministers of Romania, Finland and France" (three countries the
`countries` field leaves out), "Attended the funeral of King Hussein" (not a participant). This module reads
only what the text states; it never guesses a place or a country the text does not name.
"""

from __future__ import annotations

import difflib
import re

from store.model.countries import COUNTRY_CODES, code_for, fold_name, name_for

HISTORIC_COUNTRY_NAMES: dict[str, str | None] = {
    "saint christopher and nevis": "KN",
    "saint christopher nevis anguilla": "KN",
    "dahomey": "BJ",
    "upper volta": "BF",
    "hawaii": None,
    "kingdom of hawaii": None,
    "ottoman empire": "TR",
    "siam": "TH",
    "persia": "IR",
    "kampuchea": "KH",
    "khmer republic": "KH",
    "east pakistan": "BD",
    "british honduras": "BZ",
    "gold coast": "GH",
    "tanganyika": "TZ",
    "zanzibar": "TZ",
    "basutoland": "LS",
    "bechuanaland": "BW",
    "nyasaland": "MW",
    "northern rhodesia": "ZM",
    "dutch guiana": "SR",
    "british guiana": "GY",
    "new hebrides": "VU",
    "ellice islands": "TV",
    "western samoa": "WS",
}
"""Former and older names the shared country table does not hold, folded. None: a state that has no
successor with a code of its own (the Kingdom of Hawaii is now part of a US state, which is not the country
that visited): the importer leaves the country unset and says so."""

_CLOSE_SPELLING = 0.88
"""How alike a misspelt name and a known one must be (difflib's ratio) to be taken as that country."""


_KNOWN_NAMES = {fold_name(name_for(code)): code for code in COUNTRY_CODES}


def country_code_leniently(written: str) -> tuple[str | None, bool]:
    """(code, known) for a country name the shared table does not hold: a historic name or a close spelling.

    `known` is False when neither fits; (None, True) is a known defunct state with no code.
    """
    folded = fold_name(written)
    if folded in HISTORIC_COUNTRY_NAMES:
        return HISTORIC_COUNTRY_NAMES[folded], True
    close = difflib.get_close_matches(folded, _KNOWN_NAMES, n=1, cutoff=_CLOSE_SPELLING)
    if close:
        return _KNOWN_NAMES[close[0]], True
    return None, False


_UN_GENERAL_ASSEMBLY = re.compile(
    r"\b(?:U\.?N\.?|United Nations)(?: General Assembly| Security Council| headquarters)?\b"
)
_SIDE_TRIP = re.compile(
    r"\b(?:also|afterwards?|later|then|visited|visiting|visit to|en route|after|following|return from|"
    r"treatment|developments)\b[^.;]*$",
    re.IGNORECASE,
)
_REGIONS = {
    "Africa",
    "America",
    "Americas",
    "Asia",
    "Europe",
    "East",
    "Zone",
    "Pacific",
    "Caribbean",
    "Korea",
}
_PLACE_AFTER = re.compile(
    r"\b(?:at|in)\s+(?P<place>(?:(?:[A-Z][\w’'.-]*|de|la|del)\s?){1,4})"
    r"(?:\s*\((?P<state>[A-Z][A-Za-z ]+)\)|,\s*(?:Md|Calif|Tex|Fla|Ga|Me|Maine|Ariz)\.?)?"
)
_NOT_PLACES = {"U.S", "U.S.", "the", "The", "White House", "Washington"}


def visit_place(description: str) -> str | None:
    """The place a visit's description puts its main business in, or None when it names none (Washington).

    "Attended APEC meeting in Seattle" → Seattle; "Informal visit at Camp David (Maryland)" → Camp David; "at
    the U.N. General Assembly" → New York. A place the visitor "also visited", went "to" or "afterwards" saw
    is a side trip and does not move the event; neither do countries ("in Canada") or months.
    """
    for match in _PLACE_AFTER.finditer(description):
        if _SIDE_TRIP.search(description[: match.start()]):
            continue
        words = re.split(r"(?<=[a-z])\.\s", match["place"])[0].split()
        while words and (words[-1].rstrip(".,") in _NOT_PLACES or words[-1].rstrip(".,") in _MONTHS):
            words.pop()
        place = " ".join(words).rstrip(".,")
        if not place or place in _NOT_PLACES or place.startswith("U.S") or _names_a_country_or_region(place):
            continue
        return "New York" if place.startswith("New York") or _UN_GENERAL_ASSEMBLY.search(place) else place
    if _UN_GENERAL_ASSEMBLY.search(description) and not re.search(
        r"\b(?:also|afterwards|later)\b[^.]*\bU\.?N\.?", description
    ):
        return "New York"
    return None


def _names_a_country_or_region(place: str) -> bool:
    parts = re.split(r"[\s-]+", place)
    return bool(
        code_for(place) or _REGIONS & set(parts) or any(code_for(part) for part in parts if len(part) > 3)
    )


_MONTHS = set("January February March April May June July August September October November December".split())

_HONOURED = re.compile(
    r"\b(?:funeral|burial|grave|graves|tomb|memorial(?: service| services| ceremony)?|mausoleum|"
    r"wreath|interment|lying in state|obsequies|requiem|commemorat\w+)"
    r"(?:\s+(?:services?|ceremon(?:y|ies)|mass))?\s+(?:of|for|at|to|on)\s+(?:the\s+)?(?:late\s+|former\s+)*$",
    re.IGNORECASE,
)


def only_honoured(context_before: str) -> bool:
    """True when the words before a named person say they are mourned or honoured, not met."""
    return bool(
        _HONOURED.search(context_before + " " if not context_before.endswith(" ") else context_before)
    )


US_PRESIDENTS: dict[str, tuple[int, int]] = {
    "Roosevelt": (1901, 1945), "Taft": (1909, 1913), "Wilson": (1913, 1921), "Harding": (1921, 1923),
    "Coolidge": (1923, 1929), "Hoover": (1929, 1933), "Truman": (1945, 1953), "Eisenhower": (1953, 1961),
    "Kennedy": (1961, 1963), "Johnson": (1963, 1969), "Nixon": (1969, 1974), "Ford": (1974, 1977),
    "Carter": (1977, 1981), "Reagan": (1981, 1989), "Bush": (1989, 2009), "Clinton": (1993, 2001),
    "Obama": (2009, 2017), "Trump": (2017, 2021), "Biden": (2021, 2025),
}  # fmt: skip
"""Surnames of US Presidents and the years they held office ("President Bush" met abroad in 1990 is the US
President, not the host's); a public, closed list. Trump's second term is covered by the year check below."""

_US_ONLY_ROLES = re.compile(
    r"^(?:Secretary of (?:State|Defense|the Treasury|Commerce|Energy|Homeland Security|Agriculture)|"
    r"(?:U\.S\.|US|American) .+|Chairman of the Joint Chiefs.*|National Security Advis[eo]r)$"
)


def is_us_official(name: str, role: str | None, year: int) -> bool:
    """True when a named person is a US official by their title ("Secretary of Defense Gates") or is the US
    President of that year ("President Clinton" in 1998)."""
    if role and _US_ONLY_ROLES.match(role):
        return True
    surname = name.split()[-1]
    if role in {"President", "Vice President"} and surname in US_PRESIDENTS:
        first, last = US_PRESIDENTS[surname]
        return first <= year <= last or (surname == "Trump" and year >= 2025)
    return False


_COUNTRY_LIST = re.compile(
    r"\b(?:ministers?|leaders?|heads?|presidents?|prime ministers?|representatives?|delegations?|"
    r"officials?|counterparts?|governments?|ambassadors?|chiefs?|secretaries)\s+(?:of|from)\s+"
    r"(?P<list>(?:(?:the\s+)?[A-Z][\w’'.-]*(?:\s+[A-Z][\w’'.-]*){0,3}(?:,\s*|\s*,?\s*and\s+)?)+)",
    re.IGNORECASE,
)
_CAPITALISED_RUN = re.compile(r"(?:the\s+)?[A-Z][\w’'.-]*(?:\s+(?:and\s+)?[A-Z][\w’'.-]*){0,3}")
_NOT_TAKING_PART = re.compile(
    r"\b(?:en route|traveling|travelling|on (?:his|her|the) way|returning|stopped|prior to|before going)"
    r"\b[^.;]*$",
    re.IGNORECASE,
)


def countries_taking_part(text: str) -> list[str]:
    """Countries the text names as taking part: "the Foreign Ministers of Romania, Finland and the Soviet
    Union", "talks with Egypt and Jordan", "a Japanese delegation"; not a country only travelled through."""
    codes: list[str] = []
    for listing in _COUNTRY_LIST.finditer(text):
        if _NOT_TAKING_PART.search(text[: listing.start()]):
            continue
        for part in re.split(r",\s*|\s+and\s+", listing["list"]):
            code = code_for(part.strip().removeprefix("the "))
            if code:
                codes.append(code)
    for mention in re.finditer(
        r"\b(?:with|and)\s+(?P<name>(?:the\s+)?[A-Z][\w’'.-]*(?:\s+[A-Z][\w’'.-]*){0,2})", text
    ):
        if _NOT_TAKING_PART.search(text[: mention.start()]):
            continue
        name = mention["name"].removeprefix("the ")
        code = code_for(name)
        if code and name not in {"US", "U.S."}:
            codes.append(code)  # a country named whole ("talks with Egypt"), not a demonym before a title
    return list(dict.fromkeys(codes))


def complete_surnames(participants: list[dict[str, object]], text: str) -> None:
    """Give a surname-only participant ("Prime Minister Barak") the full name the same record writes
    ("Ehud Barak"), when exactly one full form of that surname is there; the short form stays an alias."""
    for participant in participants:
        name = str(participant["name"])
        if " " in name:
            continue
        fuller = {
            str(other["name"])
            for other in participants
            if other is not participant and str(other["name"]).endswith(f" {name}")
        }
        fuller |= {
            match.group(0)
            for match in re.finditer(rf"\b(?:[A-Z][a-z]+\.? ){{1,2}}{re.escape(name)}\b", text)
            if not set(match.group(0).split()[:-1]) & _NOT_GIVEN_NAMES
        }
        if len(fuller) == 1:
            participant["aliases"] = [name]
            participant["name"] = fuller.pop()
    seen: dict[str, dict[str, object]] = {}
    for participant in list(participants):
        kept = seen.setdefault(str(participant["name"]), participant)
        if kept is not participant:  # the full name was a participant already: one entry, both spellings
            aliases = [*kept.get("aliases", []), *participant.get("aliases", [])]  # type: ignore[misc]
            kept.update({key: value for key, value in participant.items() if key not in kept})
            if aliases:
                kept["aliases"] = list(dict.fromkeys(aliases))
            participants.remove(participant)


_NOT_GIVEN_NAMES = set(
    "President Minister Prime Foreign Secretary King Queen Prince Chancellor Chairman Premier General Gen. "
    "Ambassador Mr. Mrs. Ms. Dr. Sheikh Emir Amir Sultan Pope Vice Deputy Met With And The Of Former Acting "
    "Israeli Soviet Russian British French German Egyptian Chinese Japanese Defense Senator Governor Mayor "
    "Accompanied Joined Discussed Attended Secretary-General".split()
)


def split_locale(locale: str) -> list[str]:
    """The cities of a trip's locale: "Rzeszow, Warsaw" → two; "Savelletri, Fasano, Apulia" → three."""
    return [part.strip() for part in re.split(r",|;|\s+and\s+|/", locale) if part.strip()]
