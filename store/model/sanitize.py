"""Make untrusted text inert before anything shows it.

Event files are written by other programs, so their text may carry terminal control sequences (an ESC that
starts a clipboard write or clears the screen), bidirectional overrides that reorder what the reader sees, or
stray C0/C1 controls. Rich and Textual strip only a few of these, so every text field passes through
`sanitize_text` once, at normalisation: nothing downstream (panes, notifications, exports) has to remember.

Markup (`[bold]`, `[@click=…]`) is not touched here: it is harmless as data, and the widgets are responsible
for never interpreting it (they build Text/Content objects, never markup strings).
"""

from __future__ import annotations

import re

ESCAPE_PLACEHOLDER = "\u241b"
"""'␛' (SYMBOL FOR ESCAPE): ESC is the start of every terminal sequence, so it gets a recognisable stand-in."""

CONTROL_PLACEHOLDER = "\ufffd"
"""'�' for every other control or bidi-override character: visible, and never acted on by a terminal."""

_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f"  # C0 (but tab and newline) and DEL and C1 controls
    "\u200e\u200f\u202a-\u202e\u2066-\u2069"  # bidi marks, embeddings, overrides and isolates
    "\u2028\u2029"  # line and paragraph separators: they break one-line panes
    "\ud800-\udfff"  # lone surrogates (cannot come from valid UTF-8, but may from \\u escapes)
    "]"
)
_TABS_AND_NEWLINES = re.compile("[\t\n]+")


def _placeholder(match: re.Match[str]) -> str:
    return ESCAPE_PLACEHOLDER if match.group() == "\x1b" else CONTROL_PLACEHOLDER


def sanitize_text(text: str) -> str:
    """Trimmed text with control and bidi characters replaced by visible placeholders (newlines kept)."""
    if text.isascii() and text.isprintable():
        return text.strip()
    return _UNSAFE.sub(_placeholder, text).strip()


def sanitize_line(text: str) -> str:
    """Like `sanitize_text`, for one-line fields: runs of tabs and newlines become one space."""
    if text.isascii() and text.isprintable():
        return text.strip()
    return _TABS_AND_NEWLINES.sub(" ", _UNSAFE.sub(_placeholder, text)).strip()
