"""The filter language, shared by the dashboard's filter bar and the command line: text ↔ `Query`.

    galu hadj                   words: all must match, as word prefixes, ignoring case and diacritics
    "separate meeting"          a phrase: words in sequence
    -word  -"a phrase"  -kind:call  -#trade     exclusions
    participant:"Vepa Hadjiev"  p:hajiyev  country:TM  c:kz  c:turkmenistan  topic:security  t:trade  #trade
    kind:consultation  org:"central asia"  place:ashgabat  source:nca  from:2022  to:2023-02

This module owns the syntax only: what the text says, in a canonical form. It never looks at events (that
is `store.filter_eval`) and never raises anything but `FilterError`, whatever the input.

Decisions worth knowing:
- A term is a field when it starts with ASCII letters and a colon (`name:`); an unknown name is an error
  that lists the known fields, so `http://x` is an error too (quote it to search for it). A colon elsewhere
  is part of a word: `12:30`, `:x`.
- A double quote opens a phrase or a field value and the next one closes it; there are no escapes, so no
  value ever contains a double quote. A quote in the middle of a bare word is an error, not a guess.
- `-` negates when a non-space follows it; `#` is `topic:` when a non-space follows it. Alone, each is a
  word without letters, which the evaluator ignores (as it ignores `+` in `central asia + russia`).
- Canonical values: country upper-case (a country name works too: `c:turkmenistan` → TM); kind lower-case
  and one of the event kinds; topic slugged like tags (`store.slug`); `from:`/`to:` the ISO day they bound
  (`to:2023-02` → 2023-02-28); words, phrases and the free-text fields (participant, org, place, source)
  keep their text with runs of spaces made one. A free-text or topic value needs a letter or a digit.
- `raw` keeps each value as typed: `format_filter` writes it back, so a formatted filter reads like the
  user's own, with field names spelled in full and quotes only where needed.
- `FilterError.position` is the 0-based offset the dashboard underlines; `str(error)` adds it 1-based for
  the command line ("unterminated quote at 12").
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from store.countries import COUNTRY_CODES, code_for
from store.dates import BadDate, first_day, last_day
from store.event import KINDS
from store.slug import slugify
from store.textfold import fold, word_tokens

FIELD_ALIASES = {
    "participant": "participant",
    "p": "participant",
    "country": "country",
    "c": "country",
    "topic": "topic",
    "t": "topic",
    "kind": "kind",
    "org": "org",
    "place": "place",
    "source": "source",
    "from": "from",
    "to": "to",
}
"""What may stand before a colon (lower-case; field names ignore case) → the canonical field name."""

FIELDS = tuple(dict.fromkeys(FIELD_ALIASES.values()))
"""The canonical field names, in the order error messages list them."""

_FREE_TEXT_FIELDS = frozenset({"participant", "org", "place", "source"})
"""Fields whose values match by folded word prefixes, like words do."""

_KNOWN_FIELDS = "participant (p), country (c), topic (t, #), kind, org, place, source, from, to"
_FIELD_PREFIX = re.compile(r"([A-Za-z]+):")
_SPACES = re.compile(r"\s+")
_BARE = re.compile(r'[^\s"]+')
"""A bare word or value runs to the next space; a quote inside it is an error, checked by the reader."""


class FilterError(ValueError):
    """A malformed filter: `message` is one short line, `position` the 0-based offset it points at."""

    def __init__(self, message: str, position: int) -> None:
        super().__init__(f"{message} at {position + 1}")
        self.message = message
        self.position = position


@dataclass(frozen=True, slots=True)
class Term:
    kind: Literal["word", "phrase", "field"]
    value: str
    """Canonical (see the module docstring): what the evaluator matches and what toggling compares."""
    field: str | None = None
    """The canonical field name for a field term, else None."""
    negated: bool = False
    raw: str = ""
    """The value as typed, without its quotes; `format_filter` writes it back (the value when empty)."""


@dataclass(frozen=True, slots=True)
class Query:
    terms: tuple[Term, ...] = ()
    """All must match; no terms matches everything."""


def _one_spaced(raw: str) -> str:
    return " ".join(raw.split())


def _field_name(name: str, position: int) -> str:
    canonical = FIELD_ALIASES.get(name.lower()) if name.isascii() else None
    if canonical is None:
        raise FilterError(f"unknown field {name!r} (known: {_KNOWN_FIELDS})", position)
    return canonical


def _canonical_value(field: str, raw: str, position: int) -> str:
    """The canonical value of `field:raw`; FilterError at `position` when there is none."""
    value = _one_spaced(raw)
    if not value:
        raise FilterError(f"empty value for {field}:", position)
    if field == "country":
        code = value.upper() if value.upper() in COUNTRY_CODES else code_for(value)
        if code is None:
            raise FilterError(f"unknown country {value!r}", position)
        return code
    if field == "kind":
        kind = fold(value)
        if kind not in KINDS:
            raise FilterError(f"unknown kind {value!r} (known: {', '.join(KINDS)})", position)
        return kind
    if field in ("from", "to"):
        try:
            return first_day(value) if field == "from" else last_day(value)
        except BadDate:
            raise FilterError(f"bad date in {field}:{value}", position) from None
    if field == "topic":
        value = slugify(value)
    if not word_tokens(fold(value)):
        raise FilterError(f"no letters or digits in {field}:{_one_spaced(raw)}", position)
    return value


def _read_quoted(text: str, start: int) -> tuple[str, int]:
    """`text[start]` is a quote: the quoted text and the offset after the closing quote."""
    end = text.find('"', start + 1)
    if end < 0:
        raise FilterError("unterminated quote", start)
    return text[start + 1 : end], end + 1


def _end_of_run(pattern: re.Pattern[str], text: str, start: int) -> int:
    match = pattern.match(text, start)
    return match.end() if match else start


def _read_bare(text: str, start: int) -> tuple[str, int]:
    end = _end_of_run(_BARE, text, start)
    if end < len(text) and text[end] == '"':
        raise FilterError("quote inside a word", end)
    return text[start:end], end


def _read_value(text: str, start: int) -> tuple[str, int]:
    if start < len(text) and text[start] == '"':
        return _read_quoted(text, start)
    return _read_bare(text, start)


def _starts_term(text: str, position: int) -> bool:
    """Whether a non-space follows `position`, so that a `-` or `#` there is an operator, not a word."""
    return position + 1 < len(text) and not text[position + 1].isspace()


def _scan(text: str) -> Iterator[tuple[Term, int, int]]:
    """Each term with the span of text it came from (so toggling can cut it out and keep the rest)."""
    position = 0
    while True:
        position = _end_of_run(_SPACES, text, position)
        if position >= len(text):
            return
        start = position
        negated = text[position] == "-" and _starts_term(text, position)
        if negated:
            position += 1
        if text[position] == '"':
            raw, position = _read_quoted(text, position)
            yield Term("phrase", _one_spaced(raw), None, negated, raw), start, position
        elif text[position] == "#" and _starts_term(text, position):
            raw, position = _read_value(text, position + 1)
            yield Term("field", _canonical_value("topic", raw, start), "topic", negated, raw), start, position
        elif prefix := _FIELD_PREFIX.match(text, position):
            field = _field_name(prefix.group(1), position)
            raw, position = _read_value(text, prefix.end())
            value = _canonical_value(field, raw, prefix.end())
            yield Term("field", value, field, negated, raw), start, position
        else:
            raw, position = _read_bare(text, position)
            yield Term("word", raw, None, negated, raw), start, position


def parse_filter(text: str) -> Query:
    """Parse a filter; raises FilterError (only) when it is malformed. Blank text matches everything."""
    return Query(tuple(term for term, _, _ in _scan(text)))


def _quoted_if_needed(value: str) -> str:
    if not value or ":" in value or any(char.isspace() for char in value):
        return f'"{value}"'
    return value


def format_term(term: Term) -> str:
    """One term as canonical text: full field names, the value as typed, quotes only where needed."""
    sign = "-" if term.negated else ""
    shown = term.raw or term.value
    if term.kind == "phrase":
        return f'{sign}"{shown}"'
    if term.kind == "word":
        return f"{sign}{shown}"
    return f"{sign}{term.field}:{_quoted_if_needed(shown)}"


def format_filter(query: Query) -> str:
    """The canonical text of a query: parsing it gives the same query back."""
    return " ".join(format_term(term) for term in query.terms)


def _same_field_term(term: Term, wanted: Term) -> bool:
    if term.kind != "field" or term.field != wanted.field or term.negated:
        return False
    if term.field in _FREE_TEXT_FIELDS:
        return word_tokens(fold(term.value)) == word_tokens(fold(wanted.value))
    return term.value == wanted.value


def _cut(text: str, start: int, end: int) -> str:
    """`text` without `text[start:end]`, the spaces around the cut made one (none at either end)."""
    before, after = text[:start].rstrip(), text[end:].lstrip()
    return f"{before} {after}" if before and after else before + after


def toggle_term(text: str, field: str, value: str) -> str:
    """Remove the term `field:value` from a filter if it is there, else append it; the rest stays as typed.

    What the dashboard does when the user presses Enter on a participant or a topic. Terms are compared
    canonically (`p:"vepa  hadjiev"` is `participant:Vepa Hadjiev`, `#Trade` is `topic:trade`), every
    occurrence is removed, and an excluded `-field:value` is left alone. Double quotes in the value become
    spaces (a value cannot hold them; they separate words anyway). When the text does not parse, the term
    is appended. Raises FilterError when `field:value` is not a valid term itself (an unknown field, a bad
    date, a kind or country that does not exist, a value without letters or digits).
    """
    canonical_field = _field_name(field, 0)
    raw = _one_spaced(value.replace('"', " "))
    wanted = Term("field", _canonical_value(canonical_field, raw, 0), canonical_field, False, raw)
    try:
        spans = [(start, end) for term, start, end in _scan(text) if _same_field_term(term, wanted)]
    except FilterError:
        spans = []
    if not spans:
        base = text.rstrip()
        return f"{base} {format_term(wanted)}" if base else format_term(wanted)
    for start, end in reversed(spans):
        text = _cut(text, start, end)
    return text


def words_to_highlight(query: Query) -> list[str]:
    """Folded words of the positive word and phrase terms, each once: what the meetings pane highlights."""
    words: list[str] = []
    for term in query.terms:
        if not term.negated and term.kind in ("word", "phrase"):
            words.extend(word_tokens(fold(term.value)))
    return list(dict.fromkeys(words))


def with_date_range(text: str, first: str = "", last: str = "") -> str:
    """The filter with its `from:`/`to:` terms replaced by `from:first to:last` (either may be '': no bound).

    What the dashboard's timeline does when the user picks a period: every date term goes (excluded ones
    too, so that the period alone decides), the bounds are appended, and the rest stays as typed. Empty
    `first` and `last` just remove the date terms. When the text does not parse, the bounds are appended to
    it as they are. Raises FilterError when a bound is not a date (`YYYY`, `YYYY-MM` or `YYYY-MM-DD`).
    """
    bounds = [
        Term("field", _canonical_value(name, value, 0), name, False, value)
        for name, value in (("from", first.strip()), ("to", last.strip()))
        if value
    ]
    try:
        spans = [(start, end) for term, start, end in _scan(text) if term.field in ("from", "to")]
    except FilterError:
        spans = []
    for start, end in reversed(spans):
        text = _cut(text, start, end)
    text = text.strip() if spans else text.rstrip()
    return " ".join([text, *map(format_term, bounds)] if text else map(format_term, bounds))
