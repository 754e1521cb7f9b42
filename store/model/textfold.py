"""Folding text for matching: one definition of "the same word", shared by the index, the filter and the UI.

A word typed in a filter must find the same word in an event however either is written: `Tokáyev` and
`tokayev`, `Łódź` and `lodz`, `STRASSE` and `Straße`. `fold` is that equivalence and `word_tokens` cuts folded
text into words; the index, the filter parser, the people table and the dashboard's highlighting all call
these two functions and nothing else, so a query word and an event word can never be folded differently.

Folding is: compatibility decomposition (NFKD: `ﬁ` → `fi`, `²` → `2`, `é` → `e` + accent), `casefold`
(`ß` → `ss`), then dropping every combining mark and mapping the letters that carry their diacritic inside
the letter and so survive decomposition (`ı ø ł đ æ œ ð þ ħ ə`). `ə` becomes `a` because that is how
Azerbaijani names are romanised (Əliyev → Aliyev). Text that is pure ASCII, most of every event, takes a
fast path (`str.lower`), and so does text whose only non-ASCII characters are accents; nothing here loops
over characters in Python, because it runs over every event at load.
This module never transliterates between scripts (Cyrillic stays Cyrillic) and never caches.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_LAST_COMBINING_CODE_POINT = 0x1FFFF
"""Every combining mark Unicode defines lies below this (in the first two planes); scanning only them keeps
the import cheap (about 10 ms instead of 100 ms for the whole code space)."""

_LETTERS_WITH_BUILT_IN_MARKS = {
    "ı": "i",
    "ø": "o",
    "ł": "l",
    "đ": "d",
    "ð": "d",
    "ħ": "h",
    "æ": "ae",
    "œ": "oe",
    "þ": "th",
    "ə": "a",
}
"""Letters NFKD does not decompose, mapped to their plain forms (`ß` needs no entry: casefold gives `ss`)."""


def _fold_table() -> dict[int, str | None]:
    table: dict[int, str | None] = {
        code: None for code in range(_LAST_COMBINING_CODE_POINT + 1) if unicodedata.combining(chr(code))
    }
    table.update((ord(letter), plain) for letter, plain in _LETTERS_WITH_BUILT_IN_MARKS.items())
    return table


_FOLD_TABLE = _fold_table()
"""One `str.translate` table: combining marks deleted, letters with built-in marks made plain."""

_LATIN_MARKS = re.compile("[\u0300-\u036f]+")
"""The combining diacritics of Latin, Greek and Cyrillic: removed by a regex first, so that text whose only
non-ASCII characters were accents (`Tokáyev`, `Erdoğan`) is ASCII again and skips the slower translate."""

_WORD = re.compile(r"[^\W_]+")
"""A word: a run of letters and digits (`\\w` without the underscore)."""


def fold(text: str) -> str:
    """Text made case- and diacritics-insensitive: 'Tokáyev' → 'tokayev', 'Straße' → 'strasse'."""
    if text.isascii():
        return text.lower()
    folded = _LATIN_MARKS.sub("", unicodedata.normalize("NFKD", text).casefold())
    return folded if folded.isascii() else folded.translate(_FOLD_TABLE)


def word_tokens(text: str) -> list[str]:
    """The words (runs of letters and digits) of text that is already folded, in order."""
    return _WORD.findall(text)


@lru_cache(maxsize=65_536)
def folded_words(text: str) -> tuple[str, ...]:
    """The folded words of a text (a name, a key), as the filter cuts them: memoised, since the same few
    thousand names are asked at every keystroke and again for every spelling a people table stores."""
    return tuple(word_tokens(fold(text)))
