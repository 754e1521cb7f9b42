"""People named with their titles in running text, split into name, role and country.

"Met with Prime Minister Blair and Foreign Secretary Straw", "Prime Minister Kyriakos Mitsotakis", "headed by
Acting Minister of Foreign Affairs of Turkmenistan Vepa Hadjiev", "Russian Foreign Minister Lavrov", "King
Hussein of Jordan": a person is recognised only behind a known title (the list below), so a capitalised
phrase alone never becomes a participant. The country comes from what the text says (a demonym before the
title, "of <country>" after it); when it says nothing, `country` is None and the caller decides (the host of a
trip, the side of a talk). Names stay as written, surname-only ones included ("Prime Minister Blair").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple

from store.importers.organizations import organization_ending
from store.model.countries import COUNTRY_CODES, code_for

_TITLES: tuple[str, ...] = (
    "Prime Minister", "Foreign Minister", "Foreign Secretary", "Foreign Relations Secretary",
    "External Affairs Minister", "Defense Minister", "Defence Minister", "Finance Minister",
    "Interior Minister", "Trade Minister", "Economy Minister", "Energy Minister", "Minister", "President",
    "Chancellor", "King", "Queen", "Crown Prince", "Emir", "Amir", "Sultan", "Chairman", "Chairwoman",
    "Chairperson", "State Council Chairman", "General Secretary", "Secretary-General", "Secretary General",
    "Premier", "State Councilor", "State Counselor", "State Councillor", "Pope", "Cardinal", "Patriarch",
    "Head of State", "Head of Government", "Speaker", "Opposition Leader", "Commander-in-Chief",
    "National Security Advisor", "National Security Adviser", "Special Envoy", "Special Representative",
    "High Commissioner", "Grand Duke", "Taoiseach", "Governor-General", "Governor", "Mayor", "Ambassador",
    "Envoy", "Secretary of State", "Secretary", "Spokesman", "Spokesperson", "Senator", "Chief Executive",
    "Director-General", "Director General", "Director", "Head", "Commissioner", "Chief of Staff",
)  # fmt: skip
"""Titles that introduce a person; longer ones win ("Prime Minister" before "Minister")."""

_INTERNATIONAL_TITLES = {"Secretary-General", "Secretary General", "Special Envoy", "Special Representative"}
"""Titles usually held for an international body: without a stated country, the person gets none."""

_MODIFIERS = {
    "Interim",
    "Acting",
    "Transitional",
    "Federal",
    "First",
    "Deputy",
    "Vice",
    "Former",
    "Executive",
}
_TITLE_SUFFIXES = ("-elect", "-designate")
_TITLE_SUFFIX = re.compile("(?:" + "|".join(_TITLE_SUFFIXES) + ")$")
_CONNECTORS = {"of", "for", "to", "on", "with"}
_PORTFOLIO_WORDS = set(
    "Foreign Affairs Defense Defence Economy Economic Economics Development Trade Finance Finances Interior "
    "Internal Home Justice Health Education Energy Culture Agriculture Industry Industries Transport "
    "Transportation Communications Labour Labor Social Protection Emergency Emergencies Situations Investment "
    "Investments Tourism Environment Natural Resources Science Technology Technologies Digital Sport Sports "
    "Youth Water Oil Gas Construction Security National International Cooperation Co-operation European "
    "Integration Relations External Public Works Housing State States Planning Information Commerce Territorial "
    "Climate Infrastructure Mining Fisheries Maritime Veterans Family Women Human Rights Religious Migration "
    "Customs Presidency Parliament Assembly Council Senate Homeland Refugees Staff Administration Armed Forces "
    "General Army Navy Cabinet Ministers Government Revenue Treasury Office Department Affair Policy "
    "Diplomatic Service Europe Asia Africa America Americas Pacific Middle East Eastern Western Central South "
    "North Asian African Arab Countries CIS Consular Protocol Legal Political Multilateral Bilateral Bureau "
    "Directorate Division Section Unit Analysis Press Media".split()
) | {"and", "the", "with"}
"""Words of ministry and office names ("of Foreign Affairs", "for Relations with States"): part of a title."""

_PARTICLES = {"bin", "bint", "ibn", "al", "el", "de", "da", "do", "dos", "das", "del", "della", "di", "du"}
_PARTICLES |= {"van", "von", "der", "den", "la", "le", "y", "ter", "ben", "abu", "st", "arap"}
_HONORIFICS = {"Dr.", "Mr.", "Mrs.", "Ms.", "H.E.", "Prof."}
_NAME_SUFFIXES = {"Jr.", "Sr.", "Jr", "Sr", "II", "III", "IV", "3rd"}
_TITLE_WORDS = {word for title in _TITLES for word in title.split()} | _MODIFIERS
_LONGEST_NAME = 7
_TITLES_BY_FIRST_WORD: dict[str, list[str]] = {}
for _title in sorted(_TITLES, key=lambda title: -len(title.split())):
    _TITLES_BY_FIRST_WORD.setdefault(_title.split()[0], []).append(_title)

_TOKEN = re.compile(r"[^\s,;:()\[\]“”\"–—]+|[,;:()\[\]“”\"–—]")
_INITIAL_OR_ABBREVIATION = re.compile(r"(?:[A-Z]\.)+|(?:Jr|Sr|Dr|Mr|Mrs|Ms|Prof|St)\.")
_PREFIXED_NAME = re.compile(r"(?:al|el|bin|ibn|ben|abu|d|de|da|di|du|van|von)[-'’][A-Z]\w*", re.IGNORECASE)
_TYPOED_MINISTER = re.compile(r"\bM[iI]n(?:[iI]st(?:ere|er)|ster)(?![a-z])")
_NOT_NAMES = set(
    "January February March April May June July August September October November December "
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
)
"""Capitalised words that end a name: "Joined President Clinton July 4"."""
_POSSESSIVE = re.compile(r"(?P<stem>.+)['’]s$")


@dataclass(frozen=True)
class NamedPerson:
    """A person as a text names them; `country` is None when the text does not say."""

    name: str
    role: str | None
    country: str | None
    organization: str | None
    international: bool
    """True for titles usually held in an international body (a Secretary-General): no fallback country."""
    context_before: str
    """Up to 60 characters before the mention, for callers that read intent ("Accompanied", "headed by")."""
    start: int
    """Where the mention (its title) starts in `tidy_text(text)`."""

    def as_participant(self, fallback_country: str | None = None) -> dict[str, object]:
        """The participant dict of the event format; `fallback_country` when the text gave none."""
        participant: dict[str, object] = {"name": self.name}
        if self.role:
            participant["role"] = self.role
        country = self.country or (None if self.organization or self.international else fallback_country)
        if country:
            participant["country"] = country
        if self.organization:
            participant["organization"] = self.organization
        return participant


class _Token(NamedTuple):
    """A word or punctuation mark and where it stands (a tuple: a long release has 100,000s of them)."""

    text: str
    start: int
    end: int


def tidy_text(text: str) -> str:
    """One-space text with the common slips of these records repaired ("Prime Minster", "MinisterHaidar")."""
    text = " ".join(text.replace("\xa0", " ").split())
    text = _TYPOED_MINISTER.sub("Minister", text)
    text = re.sub(r"Minister(?=[A-Z])", "Minister ", text)
    return re.sub(r"\b(al|el|bin)- (?=[A-Z])", r"\1-", text)


def _tokens(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    for match in _TOKEN.finditer(text):
        word, start, end = match.group(), match.start(), match.end()
        if word.endswith(".") and len(word) > 1 and not _INITIAL_OR_ABBREVIATION.fullmatch(word):
            tokens.append(_Token(word[:-1], start, end - 1))
            tokens.append(_Token(".", end - 1, end))
        else:
            tokens.append(_Token(word, start, end))
    return tokens


def _capitalised(word: str) -> bool:
    return word[:1].isupper() and any(char.isalpha() for char in word)


def _match_title(tokens: list[_Token], start: int) -> tuple[int, str, str] | None:
    """(index after the title, the title as written, its core title) if a title starts at `start`."""
    index = start
    while index < len(tokens) and tokens[index].text in _MODIFIERS:
        index += 1
    if index == len(tokens) or not tokens[index].text[:1].isupper():
        return None  # every title starts with a capital: most words are rejected here
    first_word = _TITLE_SUFFIX.sub("", tokens[index].text)
    for title in _TITLES_BY_FIRST_WORD.get(first_word, ()):
        words = title.split()
        candidate = tokens[index : index + len(words)]
        if len(candidate) < len(words):
            continue
        last = candidate[-1].text
        suffix = next((s for s in _TITLE_SUFFIXES if last.endswith(s)), "")
        written = [token.text for token in candidate[:-1]] + [last.removesuffix(suffix) if suffix else last]
        if written == words:
            end = index + len(words)
            return end, " ".join(token.text for token in tokens[start:end]), title
    return None


def _country_prefix(tokens: list[_Token], start: int) -> tuple[int, str] | None:
    """(index after, code) for the longest run from `start` that names a country ("the Russian Federation")."""
    first = start + 1 if start < len(tokens) and tokens[start].text == "the" else start
    for end in range(min(len(tokens), first + 6), first, -1):
        words = [token.text for token in tokens[first:end]]
        if not all(_capitalised(word) or word in {"and", "of"} for word in words):
            continue
        code = code_for(" ".join(words))
        if code and words[-1] not in {"and", "of"}:
            return end, code
    return None


def _read_name(tokens: list[_Token], start: int) -> tuple[str, int]:
    """The name starting at `start` and the index after it; '' when no name stands there."""
    index = start
    while index < len(tokens) and tokens[index].text in _HONORIFICS:
        index += 1
    words: list[str] = []
    while index < len(tokens) and len(words) < _LONGEST_NAME:
        word = tokens[index].text
        if word in _TITLE_WORDS or word in _NOT_NAMES or word == "and":
            break
        if not (
            _capitalised(word) or _PREFIXED_NAME.fullmatch(word) or (words and word.lower() in _PARTICLES)
        ):
            break
        possessive = _POSSESSIVE.fullmatch(word)
        words.append(possessive["stem"] if possessive else word)
        index += 1
        if possessive:
            break
    while words and words[-1].lower() in _PARTICLES:
        words.pop()
        index -= 1
    if not words:
        return "", start
    if index + 1 < len(tokens) and tokens[index].text == "," and tokens[index + 1].text in _NAME_SUFFIXES:
        return f"{' '.join(words)}, {tokens[index + 1].text}", index + 2
    return " ".join(words), index


def _country_before(tokens: list[_Token], title_start: int) -> str | None:
    """The country of a demonym or name just before a title: "Russian Foreign Minister", "U.S. Ambassador"."""
    for width in (2, 1):
        if title_start - width < 0:
            continue
        words = [token.text for token in tokens[title_start - width : title_start]]
        if " ".join(words) in COUNTRY_CODES:
            continue  # a bare code before a title is an acronym ("EC Chairman"), not a country
        if all(_capitalised(word) for word in words):
            code = code_for(" ".join(words))
            if code:
                return code
    return None


def people_named_in(text: str) -> list[NamedPerson]:
    """Everyone `text` names behind a title, in order, each name once."""
    text = tidy_text(text)
    tokens = _tokens(text)
    people: dict[str, NamedPerson] = {}
    index = 0
    while index < len(tokens):
        title = _match_title(tokens, index)
        if title is None:
            index += 1
            continue
        after_title, role, core = title
        country, country_written, portfolio = None, "", ""
        while after_title + 1 < len(tokens) and tokens[after_title].text in _CONNECTORS:
            connector = tokens[after_title].text
            place = _country_prefix(tokens, after_title + 1)
            if place and connector == "of" and country is None:
                country = place[1]
                country_written = text[tokens[after_title + 1].start : tokens[place[0] - 1].end]
                after_title = place[0]
                continue
            run_end = place[0] if place else after_title + 1
            if not place:
                while run_end < len(tokens) and tokens[run_end].text in _PORTFOLIO_WORDS:
                    run_end += 1
                while run_end > after_title + 1 and tokens[run_end - 1].text in {"and", "the", "with"}:
                    run_end -= 1
            if run_end == after_title + 1:
                break
            phrase = " ".join(token.text for token in tokens[after_title:run_end])
            role += f" {phrase}"
            portfolio = portfolio or phrase
            after_title = run_end
        name, after_name = _read_name(tokens, after_title)
        if not name:
            index = after_title
            continue
        if after_name + 1 < len(tokens) and tokens[after_name].text == "of":
            place = _country_prefix(tokens, after_name + 1)
            if place:
                country = country or place[1]
                after_name = place[0]
        context = text[max(0, tokens[index].start - 60) : tokens[index].start]
        country = country or _country_before(tokens, index)
        organization = organization_ending(context)
        if core == "Minister" and portfolio.startswith("of ") and country_written:
            organization = f"Ministry {portfolio} of {country_written}"
        international = core in _INTERNATIONAL_TITLES
        people.setdefault(
            name, NamedPerson(name, role, country, organization, international, context, tokens[index].start)
        )
        index = after_name
    return list(people.values())
