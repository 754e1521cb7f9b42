"""Fold text for matching: case, diacritics and a few letters that do not decompose are ignored.

An analyst typing `erdogan` must find Erdoğan, and `tokayev` must find Tokáyev; the index and the filter
use these same two functions, so a word in a query and a word in an event always fold alike.
"""

from __future__ import annotations

import re
import unicodedata

_NON_DECOMPOSING = str.maketrans({"ı": "i", "ø": "o", "ł": "l", "đ": "d", "ß": "ss", "æ": "ae", "œ": "oe", "ð": "d", "þ": "th"})
_WORD = re.compile(r"[^\W_]+")


def fold(text: str) -> str:
    """Lower-case text without diacritics: 'Erdoğan' → 'erdogan'. Fast path for ASCII."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_NON_DECOMPOSING))
    if decomposed.isascii():
        return decomposed
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def word_tokens(text: str) -> list[str]:
    """The runs of letters and digits in (already folded) text."""
    return _WORD.findall(text)
