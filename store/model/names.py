"""Spelling variants of one person's name collapse to one key; the most used spelling is the one shown.

Records from Ashgabat, Moscow and Washington spell one man Hadjiev, Hajiyev, Gadzhiev, Hadzhiev or
Khadzhiev: one Turkmen name through English, Russian and French habits of transliteration. `name_key` undoes
those habits word by word and keeps every word in order, so first names must agree too ("Vepa Hadjiev" and
"Vepa Hajiyev" share a key, "Rashid Hadjiev" does not) and a surname alone keys on the surname alone. The
store groups people by (key, country), so equal keys in different countries stay apart.

The name is made NFC, case-folded, its Russian, Ukrainian and Central Asian Cyrillic transliterated
(Токаев → tokaev, so a Cyrillic spelling lands with the Latin ones), its apostrophes dropped (Sa'ad → saad),
then folded (`store.model.textfold`: Erdoğan → erdogan) and cut into words. Each word then goes through
these rules once, in order (a key is not a name: keying it again may change it, and nothing does; an initial
and a regnal number are kept as written):

1. A word-initial j or y before e goes: Russian initial Е is written both ways (Yevgeny / Evgeny).
2. A j or y between a vowel and e, or between i and a vowel, goes: a glide Russian spells in its vowel letter
   and English writes out (Tokayev / Tokaev, Hajiyev / Hadjiev, Mirziyoyev / Mirzijojev → mirzioev).
3. Any other j or y is j before a vowel (a consonant: Yuri / Juri) and i elsewhere (a vowel:
   Berdymukhamedov / Berdimuhamedov, Zelenskyy / Zelenskiy / Zelensky, Dmitriy / Dmitry).
4. Digraphs become one letter: dzh, dj, zh → j; kh → h; sch, sh → s; tch, ch → c; ts, tz → c; ph → f.
   They come after rule 3, so that the j of Hadjiev is never read as a glide or a vowel.
5. A word-initial g before aj becomes h: Russian has no h and writes the Turkic one as г (Gadzhiev).
6. A final w becomes v (German and Polish habit: Berdimuhamedow); doubled letters become one (Kassym /
   Kasym); ks becomes x (Aleksandr / Alexandr).

The rules are coarse on glides and vowels written as consonants, and strict on everything else, which is
where different people's names differ: Ali ≠ Aliyev, Lavrov ≠ Lavrentiev, Galuzin ≠ Golusin, Rice ≠ Rise
(c and s, z and s, o and a never merge). A key is never shown: `display_name` picks the spelling.
This module never looks at countries or at aliases; the store (`store.entities.people`) does.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

from store.model.textfold import fold, word_tokens

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
        "ў": "u",
        "қ": "k",
        "ғ": "g",
        "ң": "n",
        "һ": "h",
        "ҳ": "h",
        "ҷ": "j",
    }
)
"""Lower-case Cyrillic → the Latin letters the rules expect (Russian: х → kh, ж → zh; Kazakh, Uzbek and Tajik
letters to their nearest Latin ones). Applied before folding, while й and ё are still single letters."""

_DIGRAPHS = {"dzh": "j", "dj": "j", "zh": "j", "kh": "h", "sch": "s", "sh": "s", "tch": "c", "ch": "c"}
_DIGRAPHS |= {"ts": "c", "tz": "c", "ph": "f"}
_DIGRAPH = re.compile("|".join(sorted(_DIGRAPHS, key=len, reverse=True)))

_INITIAL_GLIDE = re.compile(r"^[jy](?=e)")
_GLIDE = re.compile(r"(?<=[aeiou])[jy](?=e)|(?<=i)[jy](?=[aeiou])")
_CONSONANT_Y = re.compile(r"[jy](?=[aeiou])")
_VOWEL_Y = re.compile(r"y|j(?![aeiou])")
_TURKIC_H = re.compile(r"^g(?=aj)")
_FINAL_W = re.compile(r"w+$")
_DOUBLED = re.compile(r"(.)\1+")


_ROMAN_NUMERAL = re.compile(r"^(?=[ivxl]{2,}$)(x{0,3}|xl|l)(ix|iv|v?i{0,3})$")
"""A regnal number (II, XII, XXIII): identity, kept as written (the doubled-letter rule would make Pius XII
Pius XI)."""


_APOSTROPHES = re.compile("['\u2018\u2019\u02bc\u02bb`\u00b4]")
"""An apostrophe inside a name marks a glottal stop or an elision, not a word break: Sa'ad is Saad, O'Neill
is ONeill (else "sa ad" would be a name of two words)."""


def _word_key(word: str) -> str:
    if _ROMAN_NUMERAL.match(word) or len(word) == 1:  # an initial is a letter as written (W., not V.)
        return word
    word = _INITIAL_GLIDE.sub("", word)
    word = _GLIDE.sub("", word)
    word = _CONSONANT_Y.sub("j", word)
    word = _VOWEL_Y.sub("i", word)
    word = _DIGRAPH.sub(lambda match: _DIGRAPHS[match.group()], word)
    word = _TURKIC_H.sub("h", word)
    word = _FINAL_W.sub("v", word)
    word = _DOUBLED.sub(r"\1", word)
    return word.replace("ks", "x")


def name_key(name: str) -> str:
    """A transliteration-insensitive key: 'Vepa Hajiyev' and 'Vepa Gadzhiev' share it, 'Rashid Hajiyev' not."""
    plain = fold(_APOSTROPHES.sub("", unicodedata.normalize("NFC", name).casefold().translate(_CYRILLIC)))
    return " ".join(_word_key(word) for word in word_tokens(plain))


def display_name(spellings: Counter[str]) -> str:
    """The spelling used most; ties go to the alphabetically first, so the choice never flickers."""
    if not spellings:
        return ""
    return min(spellings.items(), key=lambda item: (-item[1], item[0]))[0]
