"""The filter language, shared by the dashboard's filter bar and the command line: text ↔ `Query`.

    galu hadj                   words: all must match, as word prefixes, ignoring case and diacritics
    "separate meeting"          a phrase: words in sequence
    -word  -"a phrase"  -kind:call  -#trade  -(a OR b)      exclusions
    galuzin OR hadj  (c:kz OR c:uz) topic:water             alternatives and groups
    participant:"Vepa Hadjiev"  p:hajiyev  country:TM  c:kz  c:turkmenistan  topic:security  t:trade  #trade
    kind:consultation  org:"central asia"  place:ashgabat  source:nca  from:2022  to:2023-02

This module owns the syntax only: what the text says, in a canonical form. The fields, their names and
their canonical values come from `store.query.filter_fields`; it never looks at events (that is
`store.query.filter_eval`) and never raises anything but `FilterError`, whatever the input.

Decisions worth knowing:
- A term is a field when it starts with ASCII letters and a colon (`name:`); an unknown name is an error
  that lists the known fields, so `http://x` is an error too (quote it to search for it). A colon elsewhere
  is part of a word: `12:30`, `:x`.
- A double quote opens a phrase or a field value and the next one closes it; there are no escapes, so no
  value ever contains a double quote. A quote in the middle of a bare word is an error, not a guess.
- Terms side by side must all match; `OR` in capitals between two terms or groups means either (lower-case
  `or` is a word); side by side binds tighter than `OR`: `a b OR c` is `(a b) OR (c)`. Parentheses group,
  outside quotes: a bare word ends at a parenthesis. `-` before a group excludes the whole group.
- Whatever cannot be read is an error with its position: an unclosed `(`, a `)` without its `(`, an `OR`
  without a term on each side, empty parentheses, a `-` with nothing after it.
- `#` is `topic:` when a non-space follows it. Alone it is a word without letters, which the evaluator
  ignores (as it ignores `+` in `central asia + russia`).
- Canonical values: country upper-case (a country name works too: `c:turkmenistan` → TM); kind lower-case
  and one of the event kinds; topic slugged like tags (`store.model.slug`); `from:`/`to:` the ISO day they bound
  (`to:2023-02` → 2023-02-28); words, phrases and the free-text fields (participant, org, place, source)
  keep their text with runs of spaces made one. A free-text or topic value needs a letter or a digit.
- Parentheses that change nothing are not kept: `(a b) c` is the query `a b c`, and `-(x)` is `-x`.
- Limits (a pasted page must not freeze the dashboard): at most `MAX_FILTER_LENGTH` characters and
  `MAX_TERMS` different terms; a term repeated counts once (the evaluator merges repeats).
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

from store.model.textfold import fold, word_tokens
from store.query.filter_fields import FIELD_ALIASES, FIELD_BY_NAME, BadValue, known_fields
from store.query.filter_fields import FIELDS as FIELDS  # the field names, also read from here

MAX_FILTER_LENGTH = 2_000
"""Characters in one filter: more is an error. A filter is typed or saved, not a pasted document (20,000
pasted words took over 10 s to answer at 100,000 events)."""

MAX_TERMS = 100
"""Different terms in one filter: more is an error (each costs up to a millisecond at 100,000 events)."""

_FREE_TEXT_FIELDS = frozenset(field.name for field in FIELD_BY_NAME.values() if field.free_text)
"""Fields whose values match by folded word prefixes, like words do."""

_FIELD_PREFIX = re.compile(r"([A-Za-z]+):")
_SPACES = re.compile(r"\s+")
_BARE = re.compile(r'[^\s"()]+')
"""A bare word or value runs to the next space or parenthesis; a quote inside it is an error."""


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
class Group:
    """Terms and groups that must all match (`all`) or of which one must (`any`), or, negated, not."""

    kind: Literal["all", "any"]
    items: tuple[Node, ...]
    negated: bool = False


Node = Term | Group


@dataclass(frozen=True, slots=True)
class Query:
    terms: tuple[Term, ...] = ()
    """Every term, in the order typed; without a `tree`, all must match (no terms matches everything)."""
    tree: Group | None = None
    """The filter's structure when it uses `OR` or parentheses that matter (an `all` group), else None."""

    @property
    def root(self) -> Group:
        """The whole filter as one `all` group."""
        return self.tree if self.tree is not None else Group("all", self.terms)


def merge_key(node: Node) -> object:
    """What two nodes that mean the same share (`Galu` and `galu`; `p:"vepa  hadjiev"` and `p:Vepa
    Hadjiev`): a term repeated is answered once."""
    if isinstance(node, Group):
        return (node.kind, node.negated, frozenset(merge_key(item) for item in node.items))
    if node.kind != "field" or node.field in _FREE_TEXT_FIELDS:
        return (node.kind, node.field, node.negated, tuple(word_tokens(fold(node.value))))
    return (node.kind, node.field, node.negated, node.value)


def _one_spaced(raw: str) -> str:
    return " ".join(raw.split())


def _field_name(name: str, position: int) -> str:
    canonical = FIELD_ALIASES.get(name.lower()) if name.isascii() else None
    if canonical is None:
        raise FilterError(f"unknown field {name!r} (known: {known_fields()})", position)
    return canonical


def _canonical_value(field: str, raw: str, position: int) -> str:
    """The canonical value of `field:raw`; FilterError at `position` when there is none."""
    value = _one_spaced(raw)
    if not value:
        raise FilterError(f"empty value for {field}:", position)
    try:
        return FIELD_BY_NAME[field].normalise(value)
    except BadValue as error:
        raise FilterError(str(error), position) from None


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


Token = tuple[Literal["term", "open", "close", "or"], Term | None, int, int]
"""What the scanner finds: a term, `(` (negated when `-(`), `)` or `OR`, with its span of text."""


def _tokens(text: str) -> Iterator[Token]:
    position = 0
    while True:
        position = _end_of_run(_SPACES, text, position)
        if position >= len(text):
            return
        start = position
        char = text[position]
        if char == ")":
            yield "close", None, start, position + 1
            position += 1
            continue
        if char == "(":
            yield "open", None, start, position + 1
            position += 1
            continue
        negated = char == "-"
        if negated:
            if not _starts_term(text, position):
                raise FilterError("nothing to exclude after -", start)
            position += 1
            if text[position] == "(":
                yield "open", Term("word", "", None, True), start, position + 1
                position += 1
                continue
            if text[position] == ")":
                raise FilterError("nothing to exclude after -", start)
        if text[position] == '"':
            raw, position = _read_quoted(text, position)
            yield "term", Term("phrase", _one_spaced(raw), None, negated, raw), start, position
        elif text[position] == "#" and _starts_term(text, position) and text[position + 1] not in "()":
            raw, position = _read_value(text, position + 1)
            term = Term("field", _canonical_value("topic", raw, start), "topic", negated, raw)
            yield "term", term, start, position
        elif prefix := _FIELD_PREFIX.match(text, position):
            field = _field_name(prefix.group(1), position)
            raw, position = _read_value(text, prefix.end())
            value = _canonical_value(field, raw, prefix.end())
            yield "term", Term("field", value, field, negated, raw), start, position
        else:
            raw, position = _read_bare(text, position)
            if raw == "OR" and not negated:
                yield "or", None, start, position
            else:
                yield "term", Term("word", raw, None, negated, raw), start, position


def _scan(text: str) -> Iterator[tuple[Term, int, int]]:
    """Each term that stands on its own (not inside parentheses, not beside an `OR`) with the span of text
    it came from, so that toggling can cut it out and keep the rest. Raises FilterError as parsing does."""
    depth = 0
    standing: list[tuple[Term, int, int]] = []
    for kind, term, start, end in _tokens(text):
        depth += (kind == "open") - (kind == "close")
        if kind == "or" and depth == 0:
            return  # every term is one side of an alternative
        if kind == "term" and term is not None and depth == 0:
            standing.append((term, start, end))
    yield from standing


class _Parser:
    """Recursive descent over the tokens: alternatives of sequences of terms and groups."""

    def __init__(self, text: str) -> None:
        if len(text) > MAX_FILTER_LENGTH:
            raise FilterError(f"filter longer than {MAX_FILTER_LENGTH:,} characters", MAX_FILTER_LENGTH)
        self.text = text
        self.tokens = list(_tokens(text))
        self.next = 0
        self.terms: list[Term] = []
        self.distinct: set[object] = set()

    def _peek(self) -> Token | None:
        return self.tokens[self.next] if self.next < len(self.tokens) else None

    def parse(self) -> Query:
        node = self._alternatives()
        token = self._peek()
        if token is not None:  # only a `)` stops the alternatives early
            raise FilterError("')' without its '('", token[2])
        if isinstance(node, Group) and node.kind == "all" and not node.negated:
            items = node.items
        else:
            items = (node,)
        if all(isinstance(item, Term) for item in items):
            return Query(tuple(item for item in items if isinstance(item, Term)))
        tree = Group("all", items)
        return Query(tuple(_leaves(tree, False)), tree)

    def _alternatives(self) -> Node:
        alternatives = [self._sequence()]
        while (token := self._peek()) is not None and token[0] == "or":
            self.next += 1
            following = self._peek()
            if following is None or following[0] in ("or", "close"):
                raise FilterError("OR needs a term after it", token[2])
            alternatives.append(self._sequence())
        return _simplified(Group("any", tuple(alternatives)))

    def _sequence(self) -> Node:
        items: list[Node] = []
        while (token := self._peek()) is not None and token[0] not in ("or", "close"):
            self.next += 1
            kind, term, start, _ = token
            if kind == "term" and term is not None:
                self._count(term, start)
                items.append(term)
                continue
            inner = self._alternatives()
            closing = self._peek()
            if closing is None or closing[0] != "close":
                raise FilterError("'(' never closed", start)
            self.next += 1
            if inner == _EMPTY:
                raise FilterError("nothing between ( and )", start)
            negated = term is not None and term.negated
            items.append(_negated(inner) if negated else inner)
        if not items and (token := self._peek()) is not None and token[0] == "or":
            raise FilterError("OR needs a term before it", token[2])
        return _simplified(Group("all", tuple(items)))

    def _count(self, term: Term, start: int) -> None:
        self.terms.append(term)
        self.distinct.add(merge_key(term))
        if len(self.distinct) > MAX_TERMS:
            raise FilterError(f"more than {MAX_TERMS} different terms", start)


_EMPTY = Group("all", ())


def _negated_term(term: Term) -> Term:
    return Term(term.kind, term.value, term.field, not term.negated, term.raw)


def _negated(node: Node) -> Node:
    if isinstance(node, Term):
        return _negated_term(node)
    return Group(node.kind, node.items, not node.negated)


def _simplified(group: Group) -> Node:
    """The group without what changes nothing: a group of one item is the item, and a group inside a
    group of the same kind (neither negated) is spliced into it."""
    items: list[Node] = []
    for item in group.items:
        if isinstance(item, Group) and item.kind == group.kind and not item.negated:
            items.extend(item.items)
        else:
            items.append(item)
    if len(items) == 1:
        return _negated(items[0]) if group.negated else items[0]
    return Group(group.kind, tuple(items), group.negated)


def _leaves(node: Node, negated: bool) -> Iterator[Term]:
    """The terms of a tree, each negated when an odd number of exclusions (its own, its groups') apply."""
    if isinstance(node, Term):
        yield _negated_term(node) if negated else node
    else:
        for item in node.items:
            yield from _leaves(item, negated != node.negated)


def parse_filter(text: str) -> Query:
    """Parse a filter; raises FilterError (only) when it is malformed. Blank text matches everything."""
    return _Parser(text).parse()


def _quoted_if_needed(value: str) -> str:
    if not value or any(char in ":()" or char.isspace() for char in value):
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


def _format_node(node: Node, within: Literal["all", "any"]) -> str:
    if isinstance(node, Term):
        return format_term(node)
    joiner = " OR " if node.kind == "any" else " "
    inside = joiner.join(_format_node(item, node.kind) for item in node.items)
    if node.kind == "all" and within == "any" and not node.negated:
        return inside  # side by side binds tighter than OR
    return f"{'-' if node.negated else ''}({inside})"


def format_filter(query: Query) -> str:
    """The canonical text of a query: parsing it gives the same query back."""
    if query.tree is None:
        return " ".join(format_term(term) for term in query.terms)
    items = query.tree.items
    if len(items) == 1 and isinstance(items[0], Group) and items[0].kind == "any" and not items[0].negated:
        return " OR ".join(_format_node(item, "any") for item in items[0].items)
    return " ".join(_format_node(item, "all") for item in items)


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


def _has_alternatives(text: str) -> bool:
    """Whether the filter is alternatives at its top (`a OR b`): a term added must then bracket them."""
    try:
        depth = 0
        for kind, _, _, _ in _tokens(text):
            depth += (kind == "open") - (kind == "close")
            if kind == "or" and depth == 0:
                return True
    except FilterError:
        pass
    return False


def _appended(text: str, terms: list[str]) -> str:
    """`text` with terms added that must match too: `a OR b` + `c:tm` is `(a OR b) country:TM`."""
    if not terms:
        return text
    if not text:
        return " ".join(terms)
    base = f"({text})" if _has_alternatives(text) else text
    return " ".join([base, *terms])


def toggle_term(text: str, field: str, value: str) -> str:
    """Remove the term `field:value` from a filter if it is there, else append it; the rest stays as typed.

    What the dashboard does when the user presses Enter on a participant or a topic. Terms are compared
    canonically (`p:"vepa  hadjiev"` is `participant:Vepa Hadjiev`, `#Trade` is `topic:trade`), every
    occurrence is removed, and an excluded `-field:value` is left alone, as is one inside parentheses or
    one side of an `OR` (only terms that stand alone are removed; added to alternatives, the term brackets
    them: `a OR b` → `(a OR b) topic:trade`). Double quotes in the value become
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
        return _appended(text.rstrip(), [format_term(wanted)])
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
    return _appended(text, [format_term(bound) for bound in bounds])
