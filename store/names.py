"""Spelling variants of one person's name collapse to one key.

Records from Ashgabat, Moscow and Washington spell one man Hadjiev, Hajiyev, Gadzhiev or Khadzhiev: the same
Turkmen name through English, Russian and French habits of transliteration. `name_key` maps each word of a
folded name through rules that undo those habits, and keeps every word, so first names must agree too
("Vepa Hadjiev" ≠ "Rashid Hadjiev"). The rules, in order, on each word:

1. Cyrillic is transliterated (Токаев → tokaev), then case and diacritics are folded (Erdoğan → erdogan);
2. digraphs become one letter: dzh, dj, zh → j; kh → h; sch, sh → s; tch, ch → c; ts, tz → c; ph → f;
3. a word-initial g before a-j (Gadzh-, Gaj-) is the Russian rendering of a Turkic h: → h;
4. j and y → i (Hajiyev, Mirzijojev, Zelenskyy); a final w → v (Berdimuhamedow);
5. doubled letters → one; an i between a vowel and e is dropped (Tokayev / Tokaev); ks → x.

The rules are deliberately coarse on vowels and glides and strict on consonants, which is where real
different names differ (Ali ≠ Aliyev, Lavrov ≠ Lavrentiev). A key is never shown: the display name is the
spelling used most (`display_name`).
"""

from __future__ import annotations

import re
from collections import Counter

from store.textfold import fold, word_tokens

_CYRILLIC = str.maketrans(
    {
        **dict(zip("абвгдезийклмнопрстуфыэ", "abvgdezijklmnoprstufye", strict=True)),
        "ё": "yo",
        "ж": "zh",
        "х": "kh",
        "ц": "ts",
        "ч": "ch",
        "ш": "sh",
        "щ": "shch",
        "ъ": "",
        "ь": "",
        "ю": "yu",
        "я": "ya",
        "і": "i",
        "ї": "yi",
        "є": "ye",
        "ґ": "g",
        "ә": "a",
        "ө": "o",
        "ү": "u",
        "ұ": "u",
        "қ": "k",
        "ғ": "g",
        "ң": "n",
        "һ": "h",
    }
)

_RULES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(pattern), replacement)
    for pattern, replacement in [
        (r"dzh|dj|zh", "j"),
        (r"kh", "h"),
        (r"sch|sh", "s"),
        (r"tch|ch", "c"),
        (r"ts|tz", "c"),
        (r"ph", "f"),
        (r"^g(?=a[ji])", "h"),
        (r"[jy]", "i"),
        (r"w$", "v"),
        (r"(.)\1+", r"\1"),
        (r"(?<=[aeou])i(?=e)", ""),
        (r"ks", "x"),
    ]
]


def _word_key(word: str) -> str:
    for pattern, replacement in _RULES:
        word = pattern.sub(replacement, word)
    return word


def name_key(name: str) -> str:
    """A transliteration-insensitive key: 'Vepa Hajiyev' and 'Vepa Gadzhiev' share one, 'Rashid Hadjiev' does not."""
    return " ".join(_word_key(word) for word in word_tokens(fold(name.casefold().translate(_CYRILLIC))))


def display_name(spellings: Counter[str]) -> str:
    """The spelling used most; ties go to the alphabetically first, so the choice never flickers."""
    if not spellings:
        return ""
    return min(spellings.items(), key=lambda item: (-item[1], item[0]))[0]
