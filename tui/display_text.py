"""Untrusted strings in, inert display objects out: the dashboard's only way to show event text.

The store already replaces control characters at normalisation; this module is the second line of defence at
the widget boundary, for everything a widget shows (event fields, paths, exception messages): control and
bidi characters become visible placeholders again, and the result is a Rich `Text` or Textual `Content`
built from a plain string, so `[bold]` or `[@click=app.quit]` stays literal text. No markup string is ever
built from data here, and nothing here decides what matches a filter: the store says which folded words to
highlight; this module only finds where they are in what is shown.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from rich.style import Style as RichStyle
from rich.text import Text
from textual.content import Content, Span
from textual.style import Style

from store.model.sanitize import sanitize_line, sanitize_text
from store.model.textfold import fold

_WORD = re.compile(r"[^\W_]+")
"""Display words, cut as `store.model.textfold.word_tokens` cuts them (runs of letters and digits); each is folded by
the store's own `fold` before being compared with the filter's words."""


CELL_JOINERS = re.compile("[\u200d\ufe0f\U0001f3fb-\U0001f3ff]")
"""Characters that make a terminal draw an emoji sequence wider or narrower than its characters measure (ZWJ
joins several emoji into one picture, VS16 widens a narrow symbol, a skin tone merges into the emoji before
it): they are dropped on screen, so every emoji is drawn as the cells it is measured in and no row can
overflow its column or overwrite a pane's border. The data keeps them; exports and the CLI are unchanged."""


def cell_safe(text: str) -> str:
    """The text as drawn: emoji sequences split into emoji whose widths the terminal and Rich agree on."""
    return CELL_JOINERS.sub("", text) if not text.isascii() else text


def one_line(value: object) -> str:
    """A single display line: control characters replaced, tabs and newlines collapsed, trimmed."""
    return cell_safe(sanitize_line(str(value)))


def paragraph(value: object) -> str:
    """Multi-line text with control characters replaced (newlines kept)."""
    return cell_safe(sanitize_text(str(value)))


def plain_content(value: object, style: Style | str = "") -> Content:
    """A one-line `Content` that shows exactly the characters given (never parsed as markup)."""
    return Content.styled(one_line(value), style)


def match_spans(text: str, words: Sequence[str]) -> list[tuple[int, int]]:
    """Where the words of `text` start with one of the folded filter `words` (the store's highlight list)."""
    if not words or not text:
        return []
    spans = []
    for match in _WORD.finditer(text):
        folded = fold(match.group())
        if any(folded.startswith(word) for word in words):
            spans.append(match.span())
    return spans


def highlighted_text(value: str, words: Sequence[str], match_style: RichStyle, base: str = "") -> Text:
    """A Rich `Text` of one line with the matched words styled."""
    text = Text(one_line(value), style=base, no_wrap=True, end="")
    for start, end in match_spans(text.plain, words):
        text.stylize(match_style, start, end)
    return text


def highlighted_content(value: str, words: Sequence[str], match_style: Style | str) -> Content:
    """A `Content` (possibly several lines) with the matched words styled."""
    plain = paragraph(value)
    return Content(plain, [Span(start, end, match_style) for start, end in match_spans(plain, words)])
