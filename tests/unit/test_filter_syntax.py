"""The filter language (`store.query.filter_syntax`) and the folding and slugs it shares with the index."""

from __future__ import annotations

import calendar
import datetime
import re

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from store.model.countries import COUNTRY_CODES
from store.model.event import KINDS
from store.model.slug import slugify
from store.model.textfold import fold, word_tokens
from store.query.filter_syntax import (
    FIELDS,
    FilterError,
    Query,
    Term,
    format_filter,
    parse_filter,
    toggle_term,
    words_to_highlight,
)


def word(value: str, negated: bool = False) -> Term:
    return Term("word", value, None, negated, value)


def field(name: str, value: str, raw: str, negated: bool = False) -> Term:
    return Term("field", value, name, negated, raw)


# Folding and slugs


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Galuzin", "galuzin"),
        ("Tokáyev", "tokayev"),
        ("Erdoğan", "erdogan"),
        ("Straße", "strasse"),
        ("İstanbul", "istanbul"),
        ("Işık", "isik"),
        ("Łódź", "lodz"),
        ("Ørsted", "orsted"),
        ("Đorđević", "dordevic"),
        ("Æsir Œuvre", "aesir oeuvre"),
        ("Əliyev", "aliyev"),
        ("ﬁnal ²", "final 2"),
        ("Токаев Ёлка", "токаев елка"),
    ],
)
def test_fold_ignores_case_and_diacritics(text: str, folded: str) -> None:
    assert fold(text) == folded


def test_word_tokens_are_runs_of_letters_and_digits() -> None:
    assert word_tokens(fold("Central Asia + Russia, 2023: C5_summit")) == [
        "central",
        "asia",
        "russia",
        "2023",
        "c5",
        "summit",
    ]


@given(st.text())
def test_fold_is_idempotent_and_its_words_survive_folding_again(text: str) -> None:
    folded = fold(text)
    assert fold(folded) == folded
    words = word_tokens(folded)
    assert word_tokens(fold(" ".join(words))) == words


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Regional Security", "regional-security"),
        ("regional-security", "regional-security"),
        ("  regional__security!! ", "regional-security"),
        ("Información  Security", "informacion-security"),
        ("---", ""),
    ],
)
def test_slugify(text: str, slug: str) -> None:
    assert slugify(text) == slug


@given(st.text())
def test_slugify_is_idempotent(text: str) -> None:
    assert slugify(slugify(text)) == slugify(text)


# Parsing


@pytest.mark.parametrize("text", ["", "   ", "\t\n "])
def test_a_blank_filter_matches_everything(text: str) -> None:
    assert parse_filter(text) == Query(())


def test_words_phrases_and_negations() -> None:
    assert parse_filter('galu  -hadj "separate   meeting" -"in Ashgabat"').terms == (
        word("galu"),
        word("hadj", negated=True),
        Term("phrase", "separate meeting", None, False, "separate   meeting"),
        Term("phrase", "in Ashgabat", None, True, "in Ashgabat"),
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('participant:"Vepa Hadjiev"', field("participant", "Vepa Hadjiev", "Vepa Hadjiev")),
        ("p:hajiyev", field("participant", "hajiyev", "hajiyev")),
        ("P:hajiyev", field("participant", "hajiyev", "hajiyev")),
        ("country:tm", field("country", "TM", "tm")),
        ("C:Kz", field("country", "KZ", "Kz")),
        ("c:turkmenistan", field("country", "TM", "turkmenistan")),
        ('topic:"Regional Security"', field("topic", "regional-security", "Regional Security")),
        ("t:Afghan", field("topic", "afghan", "Afghan")),
        ("#security", field("topic", "security", "security")),
        ('#"Regional Security"', field("topic", "regional-security", "Regional Security")),
        ("KIND:Consultation", field("kind", "consultation", "Consultation")),
        ('org:"Central Asia + Russia"', field("org", "Central Asia + Russia", "Central Asia + Russia")),
        ("org:a:b", field("org", "a:b", "a:b")),
        ("place:ashgabat", field("place", "ashgabat", "ashgabat")),
        ("source:nCa", field("source", "nCa", "nCa")),
        ("from:2023", field("from", "2023-01-01", "2023")),
        ("from:2023-06", field("from", "2023-06-01", "2023-06")),
        ("from:2023-06-15", field("from", "2023-06-15", "2023-06-15")),
        ("to:2023", field("to", "2023-12-31", "2023")),
        ("to:2023-02", field("to", "2023-02-28", "2023-02")),
        ("to:2024-02", field("to", "2024-02-29", "2024-02")),
        ("to:1900-02", field("to", "1900-02-28", "1900-02")),
        ("to:2000-02", field("to", "2000-02-29", "2000-02")),
        ("to:2023-04-30", field("to", "2023-04-30", "2023-04-30")),
        ("-kind:call", field("kind", "call", "call", negated=True)),
        ("-#trade", field("topic", "trade", "trade", negated=True)),
        ('-p:"Galuzin"', field("participant", "Galuzin", "Galuzin", negated=True)),
    ],
)
def test_field_terms_have_canonical_values(text: str, expected: Term) -> None:
    assert parse_filter(text).terms == (expected,)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12:30", (word("12:30"),)),
        (":x", (word(":x"),)),
        ("Kassym-Jomart", (word("Kassym-Jomart"),)),
        ("central asia + russia", (word("central"), word("asia"), word("+"), word("russia"))),
        ("# b", (word("#"), word("b"))),
        ("--x", (word("-x", negated=True),)),
        ('"x"y', (Term("phrase", "x", None, False, "x"), word("y"))),
    ],
)
def test_colons_dashes_and_hashes_that_are_not_operators_are_words(
    text: str, expected: tuple[Term, ...]
) -> None:
    assert parse_filter(text).terms == expected


@pytest.mark.parametrize(
    ("text", "message", "position"),
    [
        ('galu "separate meeting', "unterminated quote", 5),
        ('participant:"Vepa', "unterminated quote", 12),
        ('-"x', "unterminated quote", 1),
        ('ab"c"', "quote inside a word", 2),
        ("participant:", "empty value for participant:", 12),
        ("p: hadjiev", "empty value for participant:", 2),
        ('org:""', "empty value for org:", 4),
        ("from:2023-02-30", "bad date in from:2023-02-30", 5),
        ("to:2023-13", "bad date in to:2023-13", 3),
        ("from:0000", "bad date in from:0000", 5),
        ("from:last-week", "bad date in from:last-week", 5),
        ("kind:party", "unknown kind 'party' (known: " + ", ".join(KINDS) + ")", 5),
        ("c:xx", "unknown country 'xx'", 2),
        ("t:---", "no letters or digits in topic:---", 2),
        ("org:+", "no letters or digits in org:+", 4),
        ("a - b", "nothing to exclude after -", 2),
        ("galu -", "nothing to exclude after -", 5),
        ("(c:kz OR c:uz topic:water", "'(' never closed", 0),
        ("c:kz OR c:uz) topic:water", "')' without its '('", 12),
        ("galuzin OR", "OR needs a term after it", 8),
        ("OR galuzin", "OR needs a term before it", 0),
        ("a (OR b)", "OR needs a term before it", 3),
        ("a OR OR b", "OR needs a term after it", 2),
        ("a () b", "nothing between ( and )", 2),
        ("-(x", "'(' never closed", 0),
        ("-)", "nothing to exclude after -", 0),
    ],
)
def test_a_malformed_filter_raises_a_filter_error_saying_what_and_where(
    text: str, message: str, position: int
) -> None:
    with pytest.raises(FilterError) as raised:
        parse_filter(text)
    assert (raised.value.message, raised.value.position) == (message, position)
    assert str(raised.value) == f"{message} at {position + 1}"


@pytest.mark.parametrize("text", ["foo:bar", "galu -Foo:bar", "http://example.org"])
def test_an_unknown_field_is_an_error_listing_the_known_fields(text: str) -> None:
    with pytest.raises(FilterError) as raised:
        parse_filter(text)
    name = re.search(r"(\w+):", text)
    assert name is not None
    assert raised.value.message.startswith(f"unknown field {name.group(1)!r} (known: ")
    assert all(known in raised.value.message for known in FIELDS)
    assert raised.value.position == name.start()


@given(st.text())
def test_parsing_any_text_gives_a_query_or_a_filter_error(text: str) -> None:
    try:
        parse_filter(text)
    except FilterError as error:
        assert 0 <= error.position <= len(text)
        assert error.message and "\n" not in error.message


_FILTERISH = st.text(alphabet=' "-#:abcPpTt2019-0ÉéİıßЖ+\t', max_size=40)
"""Text dense in the language's own characters, so that the properties below meet real filters often."""


@given(st.one_of(st.text(), _FILTERISH))
def test_formatting_a_parsed_filter_gives_the_same_query(text: str) -> None:
    try:
        query = parse_filter(text)
    except FilterError:
        return
    assert parse_filter(format_filter(query)) == query


_NOT_SPACE_OR_QUOTE = st.characters(blacklist_characters='"()').filter(lambda char: not char.isspace())
_BARE_TEXT = st.text(_NOT_SPACE_OR_QUOTE, min_size=1)
_QUOTABLE_TEXT = st.text(st.characters(blacklist_characters='"'))
_WITH_A_WORD = _QUOTABLE_TEXT.filter(lambda text: bool(word_tokens(fold(text))))


def _random_case(text: str, data: st.DataObject) -> str:
    return "".join(data.draw(st.sampled_from([char.lower(), char.upper()])) for char in text)


def _last_day(day: datetime.date, precision: int) -> str:
    if precision == 1:
        return f"{day.year:04d}-12-31"
    if precision == 2:
        return f"{day.year:04d}-{day.month:02d}-{calendar.monthrange(day.year, day.month)[1]:02d}"
    return day.isoformat()


@st.composite
def terms(draw: st.DrawFn) -> Term:
    """A term built from its parts, its canonical value worked out here rather than by the parser."""
    negated = draw(st.booleans())
    kind = draw(st.sampled_from(["word", "phrase", "field"]))
    if kind == "word":
        raw = draw(
            _BARE_TEXT.filter(
                lambda text: text[0] not in "-#" and not re.match(r"[A-Za-z]+:", text) and text != "OR"
            )
        )
        return Term("word", raw, None, negated, raw)
    if kind == "phrase":
        raw = draw(_QUOTABLE_TEXT)
        return Term("phrase", " ".join(raw.split()), None, negated, raw)
    name = draw(st.sampled_from(FIELDS))
    data = draw(st.data())
    if name == "country":
        code = draw(st.sampled_from(sorted(COUNTRY_CODES)))
        return Term("field", code, name, negated, _random_case(code, data))
    if name == "kind":
        kind_name = draw(st.sampled_from(KINDS))
        return Term("field", kind_name, name, negated, _random_case(kind_name, data))
    if name in ("from", "to"):
        day = draw(st.dates(min_value=datetime.date(1, 1, 1)))
        precision = draw(st.integers(1, 3))
        raw = day.isoformat()[: (4, 7, 10)[precision - 1]]
        value = _last_day(day, precision) if name == "to" else raw + "-01" * (3 - precision)
        return Term("field", value, name, negated, raw)
    raw = draw(_WITH_A_WORD)
    value = slugify(raw) if name == "topic" else " ".join(raw.split())
    return Term("field", value, name, negated, raw)


@given(st.lists(terms(), max_size=6))
def test_any_query_survives_formatting_and_parsing(generated: list[Term]) -> None:
    query = Query(tuple(generated))
    assert parse_filter(format_filter(query)) == query


def test_format_filter_spells_fields_in_full_and_quotes_only_where_needed() -> None:
    query = parse_filter(
        'p:"Vepa Hadjiev"  galu  #trade t:"Regional Security" -c:tm org:a:b "x  y" to:2023-02'
    )
    assert format_filter(query) == (
        'participant:"Vepa Hadjiev" galu topic:trade topic:"Regional Security" -country:tm org:"a:b" "x  y" '
        "to:2023-02"
    )


def test_words_to_highlight_are_the_folded_words_of_positive_words_and_phrases() -> None:
    query = parse_filter('Galu "Separate Meeting" -afghan p:hadjiev #trade galu Tokáyev U.S.')
    assert words_to_highlight(query) == ["galu", "separate", "meeting", "tokayev", "u", "s"]


# Toggling a term


@pytest.mark.parametrize(
    ("text", "field_name", "value", "expected"),
    [
        # not there: appended, quoted where needed
        ("", "participant", "Vepa Hadjiev", 'participant:"Vepa Hadjiev"'),
        ("galu  kind:call ", "participant", "Galuzin", "galu  kind:call participant:Galuzin"),
        ("galu", "topic", "regional-security", "galu topic:regional-security"),
        ("galu", "topic", "Regional Security", 'galu topic:"Regional Security"'),
        ("x", "participant", "Mohammed 'Abu' Ali", "x participant:\"Mohammed 'Abu' Ali\""),
        ("x", "participant", 'Ali "the Lion"', 'x participant:"Ali the Lion"'),
        ("x", "org", "a:b", 'x org:"a:b"'),
        ("x", "p", "Galuzin", "x participant:Galuzin"),
        # there (compared canonically): removed, the rest as typed
        ('participant:"Vepa Hadjiev"', "participant", "Vepa Hadjiev", ""),
        ('GALU   p:"vepa   HADJIEV"  -Kind:call', "participant", "Vepa Hadjiev", "GALU -Kind:call"),
        ("#Regional_Security  Galu", "topic", "regional-security", "Galu"),
        ('t:"regional security" x #regional-security', "topic", "regional-security", "x"),
        ('a p:"Vepa Hadjiev"b', "participant", "Vepa Hadjiev", "a b"),
    ],
)
def test_toggle_appends_a_missing_term_and_removes_a_present_one(
    text: str, field_name: str, value: str, expected: str
) -> None:
    assert toggle_term(text, field_name, value) == expected


def test_toggle_leaves_an_exclusion_alone() -> None:
    assert toggle_term("-p:Galuzin", "participant", "Galuzin") == "-p:Galuzin participant:Galuzin"


def test_toggle_appends_to_a_filter_that_does_not_parse() -> None:
    assert toggle_term("foo:bar", "topic", "trade") == "foo:bar topic:trade"


@pytest.mark.parametrize(
    ("field_name", "value"), [("foo", "x"), ("kind", "party"), ("participant", '"'), ("from", "2023-02-30")]
)
def test_toggle_refuses_a_term_that_is_not_valid(field_name: str, value: str) -> None:
    with pytest.raises(FilterError):
        toggle_term("", field_name, value)


@given(
    st.one_of(st.text(), _FILTERISH),
    st.sampled_from(["participant", "topic", "org", "place", "source"]),
    _WITH_A_WORD,
)
def test_toggling_twice_gives_the_filter_back(text: str, field_name: str, value: str) -> None:
    try:
        before = parse_filter(text)
    except FilterError:
        return
    once = toggle_term(text, field_name, value)
    added = parse_filter(once).terms[len(before.terms) :]
    assume(len(added) == 1)  # the term was not there already
    assert parse_filter(once).terms[: len(before.terms)] == before.terms
    assert toggle_term(once, field_name, value) == text.rstrip()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("galuzin OR hadj", "(galuzin OR hadj) participant:Galuzin"),
        ("(a OR b) c", "(a OR b) c participant:Galuzin"),
        ("a OR b participant:Galuzin", "(a OR b participant:Galuzin) participant:Galuzin"),
    ],
)
def test_a_toggled_term_narrows_alternatives_as_a_whole(text: str, expected: str) -> None:
    assert toggle_term(text, "participant", "Galuzin") == expected


def test_a_period_narrows_alternatives_as_a_whole() -> None:
    from store.query.filter_syntax import with_date_range

    assert with_date_range("galuzin OR hadj", "2023", "2023") == "(galuzin OR hadj) from:2023 to:2023"
    assert with_date_range("(a OR b) from:2020", "2023") == "(a OR b) from:2023"
