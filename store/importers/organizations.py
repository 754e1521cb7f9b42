"""Multilateral formats and bodies named in running text: "Attended NATO Ministerial", "the UN, the CIS".

Records and press releases name the same body many ways ("G-8", "G8"; "United Nations", "UN"); events list
each once, in one canonical spelling, so the organisation pane and filters group them. This module owns that
vocabulary. It spots names only from its list (plus the open "Central Asia + X" and "C5+1" shapes): it never
turns an arbitrary capitalised phrase into an organisation.
"""

from __future__ import annotations

import bisect
import re
import string
from collections.abc import Iterator
from dataclasses import dataclass

_CANONICAL_PATTERNS: tuple[tuple[str, str], ...] = (
    # Most specific first: a span taken by one entry is not read again by a later, shorter one.
    ("UN General Assembly", r"(?:UN|U\.N\.|United Nations) General Assembly|UNGA"),
    ("UN Security Council", r"(?:UN|U\.N\.|United Nations) Security Council|UNSC"),
    ("UN Human Rights Council", r"(?:UN|U\.N\.|United Nations) Human Rights Council"),
    ("UN Human Rights Commission", r"(?:UN|U\.N\.|United Nations) Human Rights Commission"),
    ("UNHCR", r"UNHCR|(?:UN|United Nations) High Commissioner for Refugees"),
    ("NATO-Russia Permanent Joint Council", r"NATO-Russia Permanent Joint Council"),
    ("NATO-Russia Council", r"NATO-Russia Council"),
    ("NATO-Ukraine Commission", r"NATO-Ukraine Commission"),
    ("Euro-Atlantic Partnership Council", r"Euro-Atlantic Partnership Council"),
    ("North Atlantic Council", r"North Atlantic Council"),
    ("NATO", r"(?<!Non-)NATO|North Atlantic Treaty Organi[sz]ation"),
    ("UN", r"United Nations|U\.N\.|UN"),
    ("G7", r"G-?7|Group of Seven"),
    ("G8", r"G-?8|Group of Eight"),
    ("G20", r"G-?20|Group of Twenty"),
    ("P5+1", r"P-?5\s?\+\s?1"),
    ("C5+1", r"C-?5\s?\+\s?1"),
    ("OSCE", r"OSCE|Organi[sz]ation for Security and Co-?operation in Europe"),
    ("CSCE", r"CSCE|Conference on Security and Co-?operation in Europe"),
    ("ASEAN Regional Forum", r"ASEAN Regional Forum"),
    ("East Asia Summit", r"East Asia Summit"),
    ("ASEAN", r"ASEAN|Association of Southeast Asian Nations"),
    ("APEC", r"APEC|Asia[- ]Pacific Economic Cooperation"),
    ("European Commission", r"European Commission"),
    ("European Community", r"European Communit(?:y|ies)|EC"),
    ("EU", r"European Union|EU"),
    ("OAS", r"OAS|Organi[sz]ation of American States"),
    ("Summit of the Americas", r"Summit of the Americas"),
    ("African Union Commission", r"African Union Commission|AU Commission"),
    ("African Union", r"African Union|AU"),
    ("OAU", r"OAU|Organi[sz]ation of African Unity"),
    ("GCC", r"GCC|Gulf Co-?operation Council"),
    ("Arab League", r"Arab League|League of Arab States"),
    ("CARICOM", r"CARICOM|Caricom|Caribbean Community"),
    ("ECOWAS", r"ECOWAS|Economic Community of West African States"),
    ("IGAD", r"IGAD"),
    ("SADC", r"SADC|Southern African Development Community"),
    ("CENTO", r"CENTO"),
    ("ANZUS", r"ANZUS"),
    ("SEATO", r"SEATO"),
    ("OECD", r"OECD"),
    ("OPEC", r"OPEC"),
    ("IAEA", r"IAEA|International Atomic Energy Agency"),
    ("WTO", r"WTO|World Trade Organi[sz]ation"),
    ("IMF", r"IMF|International Monetary Fund"),
    ("World Bank", r"World Bank"),
    ("ICRC", r"ICRC|International Committee of the Red Cross"),
    ("Warsaw Pact", r"Warsaw Pact"),
    ("PLO", r"PLO|Palestine Liberation Organi[sz]ation"),
    ("Mercosur", r"Mercosur|MERCOSUR"),
    ("BRICS", r"BRICS"),
    ("SCO", r"SCO|Shanghai Co-?operation Organi[sz]ation"),
    ("CIS", r"CIS|Commonwealth of Independent States"),
    ("GUAM", r"GUAM|Organi[sz]ation for Democracy and Economic Development"),
    ("CSTO", r"CSTO|Collective Security Treaty Organi[sz]ation"),
    ("EAEU", r"EAEU|Eurasian Economic Union"),
    ("Organization of Turkic States", r"Organi[sz]ation of Turkic States|Turkic Council"),
    ("ECO", r"Economic Co-?operation Organi[sz]ation"),
    ("OIC", r"OIC|Organi[sz]ation of (?:the )?Islamic Co(?:nference|operation)"),
    ("World Economic Forum", r"World Economic Forum"),
    ("Pacific Islands Forum", r"Pacific Islands? Forum"),
    ("Community of Democracies", r"Communit(?:y|ies) of Democracies"),
    ("Six-Party Talks", r"Six-Party(?: Talks)?"),
    ("Two-plus-Four", r"Two-Plus-Four|Two-plus-Four|2\+4"),
    ("Middle East Quartet", r"(?:Middle East )?(?<!Arab )Quartet"),
    ("Contact Group", r"Contact Group"),
)


def _branches(pattern: str) -> list[str]:
    """The top-level alternatives of a regular expression ("A|(?:B|C)D" → "A", "(?:B|C)D")."""
    parts, depth, start, index, in_class = [], 0, 0, 0, False
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            index += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char in "()":
            depth += 1 if char == "(" else -1
        elif char == "|" and depth == 0:
            parts.append(pattern[start:index])
            start = index + 1
        index += 1
    return [*parts, pattern[start:]]


def _group_end(pattern: str) -> int:
    """Where the group opening `pattern` closes."""
    depth, index = 0, 0
    while True:
        char = pattern[index]
        if char == "\\":
            index += 2
            continue
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth == 0:
            return index
        index += 1


def _first_letters(pattern: str) -> set[str] | None:
    """The capital letters a match of `pattern` can start with; None when it cannot be told from the text."""
    letters: set[str] = set()
    for branch in _branches(pattern):
        while branch.startswith(("(?<!", "(?<=")):
            branch = branch[_group_end(branch) + 1 :]
        if branch.startswith("(?:"):
            close = _group_end(branch)
            inner = (
                None if branch[close + 1 : close + 2] in {"?", "*", "{"} else _first_letters(branch[3:close])
            )
            if inner is None:
                return None
            letters |= inner
        elif branch[:1].isupper() and branch[1:2] not in {"?", "*", "{"}:
            letters.add(branch[0])
        else:
            return None
    return letters


def _spotter(indices: list[int]) -> re.Pattern[str]:
    return re.compile(
        "|".join(f"(?P<o{index}>(?:{_CANONICAL_PATTERNS[index][1]})(?![\\w]))" for index in indices)
    )


_STARTS = [_first_letters(pattern) for _, pattern in _CANONICAL_PATTERNS]
_SPOTTERS = {
    letter: _spotter([index for index, letters in enumerate(_STARTS) if letters is None or letter in letters])
    for letter in string.ascii_uppercase
}
"""One pattern per first letter, holding only the names that can start with it, in the table's order: tried
at each word that starts with a capital, it costs a few names where one pattern of them all cost 70 (a 1 MB
release took 1.3 s)."""
_WORD_START = re.compile(r"(?<![\w-])[A-Z]")
_CENTRAL_ASIA_PLUS = re.compile(r"Central Asia\s*\+\s*(?P<partner>[A-Z][\w-]*)")


@dataclass(frozen=True)
class SpottedOrganization:
    """One mention: its canonical name and where it stands in the text."""

    name: str
    start: int
    end: int


def spot_organizations(text: str) -> Iterator[SpottedOrganization]:
    """Every mention of a known body or format, in order of appearance."""
    mentions = [
        SpottedOrganization(f"Central Asia + {match['partner']}", match.start(), match.end())
        for match in _CENTRAL_ASIA_PLUS.finditer(text)
    ]
    format_starts = [mention.start for mention in mentions]  # in order: finditer never overlaps
    taken = 0
    for capital in _WORD_START.finditer(text):
        if capital.start() < taken:
            continue
        match = _SPOTTERS[capital.group()].match(text, capital.start())
        if match is None:
            continue
        taken = match.end()
        before = bisect.bisect_right(format_starts, match.start()) - 1
        if before >= 0 and match.start() < mentions[before].end:
            continue  # inside a "Central Asia + X" mention (one bisect, not a scan: linear in the text)
        index = int(match.lastgroup[1:])  # type: ignore[index]
        mentions.append(SpottedOrganization(_CANONICAL_PATTERNS[index][0], match.start(), match.end()))
    yield from sorted(mentions, key=lambda mention: mention.start)


def organizations_named_in(text: str) -> list[str]:
    """The canonical names of the bodies and formats `text` mentions, each once, in order of first mention."""
    return list(dict.fromkeys(mention.name for mention in spot_organizations(text)))


def organization_ending(text: str) -> str | None:
    """The body named at the very end of `text`, as before a title: "Met with UN " → "UN"; else None."""
    stripped = text.rstrip()
    for mention in spot_organizations(stripped):
        if mention.end == len(stripped):
            return mention.name
    return None
