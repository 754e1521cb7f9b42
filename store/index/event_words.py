"""The words of an event that a free-text filter can match, and the fast way the index collects them.

The definition is `index_tokens(fold(searchable_text(event)))`: fold the text (`store.model.textfold`), cut it into
words. Doing exactly that costs ~150 µs an event (folding and a translate over ~3 KB of mostly-ASCII text
that one en dash has made a "wide" string) and was most of a cold load. `indexed_words` gets the same set as
UTF-8 bytes in ~30 µs: it encodes the text once, lowers ASCII and blanks ASCII punctuation with one
`bytes.translate`, splits, and folds only the few chunks that still hold non-ASCII bytes. That is exact
because folding acts on each character alone (its only context, reordering combining marks, stays inside a
non-ASCII run) and ASCII punctuation always separates words; `tests/unit/test_event_words.py` checks the
two agree on arbitrary text.
"""

from __future__ import annotations

import re

from store.memo import Memo
from store.model.event import Event
from store.model.textfold import fold, word_tokens

_ASCII_SEPARATORS = str.maketrans({chr(code): " " for code in range(128) if not chr(code).isalnum()})

_ASCII_WORD_BYTES = bytes(
    code if code >= 0x80 else ord(chr(code).lower()) if chr(code).isalnum() else 0x20 for code in range(256)
)
"""A `bytes.translate` table: ASCII letters lowered, other ASCII non-alphanumerics to spaces, bytes of
multi-byte UTF-8 characters (all ≥ 0x80) untouched."""

_MOST_CHUNKS = 50_000
_CHUNK_WORDS: Memo[bytes, list[bytes]] = Memo(_MOST_CHUNKS)
"""Non-ASCII chunk → its folded words. Names and places repeat across events, so most chunks are seen
before; it starts over when it grows large, so it cannot grow without bound on a stream of unique text."""


def searchable_text(event: Event) -> str:
    """All the words a free-text filter may match, in one string."""
    parts = [
        event.title,
        event.summary,
        event.text,
        event.city,
        event.country,
        event.series,
        event.source_name,
    ]
    parts.extend(event.agenda)
    parts.extend(event.organizations)
    parts.extend(topic.replace("-", " ") for topic in event.topics)
    parts.extend(event.countries)
    for participant in event.participants:
        parts.extend((participant.name, participant.role, participant.organization))
        parts.extend(participant.aliases)
    parts.extend(document.title for document in event.documents)
    return "\n".join(part for part in parts if part)


def index_tokens(folded: str) -> set[str]:
    """The distinct words of folded text, as `word_tokens` would find them."""
    if folded.isascii():
        return set(folded.translate(_ASCII_SEPARATORS).split())
    return set(word_tokens(folded))


def indexed_words(event: Event) -> set[bytes]:
    """`index_tokens(fold(searchable_text(event)))`, each word UTF-8 encoded, computed the fast way."""
    return text_words(searchable_text(event))


def joined_words(event: Event) -> bytes:
    """`indexed_words`, space-joined (a word holds no space): what a load worker hands an index, since one
    bytes string pickles far faster, and takes a fifth of the memory, of a set of them."""
    return b" ".join(indexed_words(event))


def text_words(text: str) -> set[bytes]:
    """The folded words of unfolded text, UTF-8 encoded."""
    data = text.encode("utf-8", "surrogatepass").translate(_ASCII_WORD_BYTES)
    words = set(data.split())
    if not data.isascii():
        for chunk in [word for word in words if not word.isascii()]:
            words.discard(chunk)
            words.update(_chunk_words(chunk))
    return words


_MARK_NON_ASCII = bytes(range(128)) + b"\x80" * 128
"""A `bytes.translate` table making every non-ASCII byte 0x80, so that `find` (a memchr) locates them:
a regex for `[\x80-\xff]` steps through the text byte by byte, ~12 µs for 2 KB."""


def word_sequence(text: str) -> bytes:
    """The folded words of text in their order, UTF-8, separated by one or more spaces: what a phrase is
    looked for in. `text_words`'s shortcut with the order kept: only the chunks (runs between ASCII
    separators) that hold non-ASCII bytes are folded, each in place."""
    data = text.encode("utf-8", "surrogatepass").translate(_ASCII_WORD_BYTES)
    if data.isascii():
        return data
    marked = data.translate(_MARK_NON_ASCII)
    pieces = []
    done = 0
    found = marked.find(0x80)
    while found >= 0:
        start = data.rfind(b" ", 0, found) + 1
        end = data.find(b" ", found)
        end = len(data) if end < 0 else end
        pieces.append(data[done:start])
        pieces.append(b" ".join(_chunk_words(data[start:end])))
        done = end
        found = marked.find(0x80, end)
    pieces.append(data[done:])
    return b"".join(pieces)


class Phrase:
    """Folded words that must follow one another, found in an event's text in ~20 µs (folding the whole
    text as a `str` and a regex with word boundaries took ~70 µs: 3.7 s for a phrase of two common words
    at 100,000 events). Separators between the words are anything that is not a word: `regional –
    security` holds the phrase `regional security`."""

    def __init__(self, words: list[str]) -> None:
        self.words = words
        encoded = [re.escape(word.encode("utf-8", "surrogatepass")) for word in words]
        self._pattern = re.compile(b" +".join(encoded))

    def found_in(self, text: str) -> bool:
        sequence = word_sequence(text)
        match = self._pattern.search(sequence)
        while match is not None:  # a literal search; word boundaries are checked on what it finds
            start, end = match.span()
            if sequence[start - 1 : start] in (b"", b" ") and sequence[end : end + 1] in (b"", b" "):
                return True
            match = self._pattern.search(sequence, start + 1)
        return False

    def found_in_event(self, event: Event) -> bool:
        return self.found_in(searchable_text(event))


def _chunk_words(chunk: bytes) -> list[bytes]:
    found = _CHUNK_WORDS.get(chunk)
    if found is None:
        text = fold(chunk.decode("utf-8", "surrogatepass"))
        found = _CHUNK_WORDS.remember(
            chunk, [word.encode("utf-8", "surrogatepass") for word in word_tokens(text)]
        )
    return found
