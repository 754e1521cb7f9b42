from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from store.model.dates import BadDate, first_day, is_date, last_day
from store.model.sanitize import CONTROL_PLACEHOLDER, ESCAPE_PLACEHOLDER, sanitize_line, sanitize_text


def test_escape_sequences_become_visible_placeholders() -> None:
    assert sanitize_line("a\x1b[2Jb") == f"a{ESCAPE_PLACEHOLDER}[2Jb"
    assert (
        sanitize_line("clip\x1b]52;c;ZXZpbA==\x07")
        == f"clip{ESCAPE_PLACEHOLDER}]52;c;ZXZpbA=={CONTROL_PLACEHOLDER}"
    )


def test_bidi_overrides_and_c1_controls_are_replaced() -> None:
    assert (
        sanitize_line("abc\u202edcba\u2066x\x9by")
        == f"abc{CONTROL_PLACEHOLDER}dcba{CONTROL_PLACEHOLDER}x{CONTROL_PLACEHOLDER}y"
    )


def test_text_keeps_newlines_but_lines_fold_them() -> None:
    assert sanitize_text("  one\ntwo\t ") == "one\ntwo"
    assert sanitize_line(" one\n\ttwo ") == "one two"


def test_markup_is_left_as_data() -> None:
    assert sanitize_line("[bold]x[/] [@click=app.quit]y") == "[bold]x[/] [@click=app.quit]y"


@given(st.text())
def test_sanitized_text_has_no_control_characters(text: str) -> None:
    for cleaned in (sanitize_text(text), sanitize_line(text)):
        assert not any(ord(ch) < 32 and ch not in "\n\t" or 0x7F <= ord(ch) <= 0x9F for ch in cleaned)
        assert "\u202e" not in cleaned and "\x1b" not in cleaned


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("2023", "2023-01-01", "2023-12-31"),
        ("2022-06", "2022-06-01", "2022-06-30"),
        ("2024-02", "2024-02-01", "2024-02-29"),
        ("2023-02", "2023-02-01", "2023-02-28"),
        ("2023-05-04", "2023-05-04", "2023-05-04"),
    ],
)
def test_partial_dates_span_their_period(text: str, first: str, last: str) -> None:
    assert first_day(text) == first
    assert last_day(text) == last


@pytest.mark.parametrize(
    "text", ["2023-02-30", "2023-13", "2023-00-10", "23-05-04", "2023/05/04", "", "0000", "2023-5-4"]
)
def test_impossible_dates_are_rejected(text: str) -> None:
    assert not is_date(text)
    with pytest.raises(BadDate):
        first_day(text)
