"""The filter language, shared by the dashboard's filter bar and the command line: text → `Query`.

    galu hadj                 words: all must match, as word prefixes, ignoring case and diacritics
    "separate meeting"        a phrase: words in sequence
    -word  -"a phrase"  -kind:call     exclusion
    participant:"Vepa Hadjiev"  p:hajiyev     country:TM  c:kz  (or a country name: country:turkmenistan)
    topic:regional-security  t:security  #security        kind:consultation
    org:"central asia"  place:ashgabat  source:nca  from:2022  to:2023-02

Parsing never raises anything but `FilterError`, whose message is short enough for the line under the
filter bar and names the position. Values cannot contain a double quote (there is no escape): a quote
inside a bare word is an error rather than a guess. `from:` and `to:` are stored as the days they bound,
so `to:2023-02` reaches 2023-02-28.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from dataclasses import field as dataclass_field
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
"""What may stand before a colon; the value is the canonical field name."""
FIELDS = tuple(dict.fromkeys(FIELD_ALIASES.values()))
_FIELD_PREFIX = re.compile(r"([A-Za-z]+):")


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
    """Canonical: country upper-case, topic slugged, kind lower-case, from/to the ISO day they bound."""
    field: str | None = None
    negated: bool = False
    raw: str = ""
    """The value as typed, for display and for writing the filter back."""
    span: tuple[int, int] = dataclass_field(default=(0, 0), compare=False)
    """Where the term stood in the text, so that `toggle_term` can remove it and keep the rest as typed."""


@dataclass(frozen=True, slots=True)
class Query:
    terms: tuple[Term, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.terms)


def _canonical(name: str, raw: str, position: int) -> str:
    value = raw.strip()
    if not value:
        raise FilterError(f"empty value for {name}:", position)
    if name == "country":
        code = value.upper()
        if code in COUNTRY_CODES:
            return code
        named = code_for(value)
        if named is None:
            raise FilterError(f"unknown country {value!r}", position)
        return named
    if name == "kind":
        kind = value.lower()
        if kind not in KINDS:
            raise FilterError(f"kind must be one of {', '.join(KINDS)}", position)
        return kind
    if name == "topic":
        slug = slugify(value)
        if not slug:
            raise FilterError("topic: needs letters or digits", position)
        return slug
    if name in ("from", "to"):
        try:
            return first_day(value) if name == "from" else last_day(value)
        except BadDate:
            raise FilterError(f"bad date in {name}:{value}", position) from None
    return value


def _read_quoted(text: str, start: int) -> tuple[str, int]:
    """text[start] is a quote: the quoted text and the offset after the closing quote."""
    end = text.find('"', start + 1)
    if end < 0:
        raise FilterError("unterminated quote", start)
    return text[start + 1 : end], end + 1


def _read_bare(text: str, start: int) -> tuple[str, int]:
    end = start
    while end < len(text) and not text[end].isspace():
        if text[end] == '"':
            raise FilterError("unexpected quote", end)
        end += 1
    return text[start:end], end


def parse_filter(text: str) -> Query:
    """Parse a filter; raises FilterError (only) when it is malformed. Blank text matches everything."""
    terms: list[Term] = []
    position = 0
    length = len(text)
    while True:
        while position < length and text[position].isspace():
            position += 1
        if position >= length:
            return Query(tuple(terms))
        start = position
        negated = text[position] == "-" and position + 1 < length and not text[position + 1].isspace()
        if negated:
            position += 1
        if text[position] == '"':
            value, position = _read_quoted(text, position)
            terms.append(Term("phrase", value, None, negated, value, (start, position)))
            continue
        if text[position] == "#" and position + 1 < length and not text[position + 1].isspace():
            raw, position = _read_bare(text, position + 1)
            terms.append(
                Term("field", _canonical("topic", raw, start), "topic", negated, raw, (start, position))
            )
            continue
        prefix = _FIELD_PREFIX.match(text, position)
        if prefix:
            name = FIELD_ALIASES.get(prefix.group(1).lower())
            if name is None:
                raise FilterError(f"unknown field {prefix.group(1)!r} (known: {', '.join(FIELDS)})", position)
            value_start = prefix.end()
            if value_start < length and text[value_start] == '"':
                raw, position = _read_quoted(text, value_start)
            else:
                raw, position = _read_bare(text, value_start)
            terms.append(
                Term("field", _canonical(name, raw, value_start), name, negated, raw, (start, position))
            )
            continue
        raw, position = _read_bare(text, position)
        terms.append(Term("word", raw, None, negated, raw, (start, position)))


def _quoted_if_needed(value: str) -> str:
    if not value or any(ch.isspace() for ch in value) or value.startswith(("-", "#")) or ":" in value:
        return f'"{value}"'
    return value


def format_term(term: Term) -> str:
    sign = "-" if term.negated else ""
    if term.kind == "phrase":
        return f'{sign}"{term.raw}"'
    if term.kind == "word":
        return f"{sign}{term.raw}"
    return f"{sign}{term.field}:{_quoted_if_needed(term.raw)}"


def format_filter(query: Query) -> str:
    """The canonical text of a query: parsing it gives the same query back."""
    return " ".join(format_term(term) for term in query.terms)


def toggle_term(text: str, field_name: str, value: str) -> str:
    """Remove `field:value` from the filter if it is there (compared canonically), else append it.

    The rest of the text stays as the user typed it. Used when the user presses Enter on a participant
    or a topic.
    """
    field_name = FIELD_ALIASES.get(field_name, field_name)
    wanted = Term("field", _canonical(field_name, value, 0), field_name, False, value.strip())
    try:
        query = parse_filter(text)
    except FilterError:
        query = Query()
    for term in query.terms:
        if (
            term.kind == "field"
            and term.field == field_name
            and not term.negated
            and fold(term.value) == fold(wanted.value)
        ):
            start, end = term.span
            return (text[:start].rstrip() + " " + text[end:].lstrip()).strip()
    return f"{text.rstrip()} {format_term(wanted)}".strip()


def words_to_highlight(query: Query) -> list[str]:
    """Folded words of the positive word and phrase terms: what the meetings pane highlights."""
    words: list[str] = []
    for term in query.terms:
        if not term.negated and term.kind in ("word", "phrase"):
            words.extend(word_tokens(fold(term.value)))
    return list(dict.fromkeys(words))
