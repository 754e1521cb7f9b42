"""What the persistent index stores of one event that the event alone decides, found where it is read.

A cold build runs in two kinds of process: load workers read, parse and validate files, and the one writing
process numbers the events, settles their claims and writes them. Python runs one thread at a time, so the
writing process bounds the build; everything it would compute from an event alone (its words and keys, its
phrase row, its facts, mentions and sort keys) is computed here instead, by the worker that read the event
(`store.files.parallel_load`), and handed over ready to store.
"""

from __future__ import annotations

from typing import NamedTuple

from store.index.event_words import joined_words
from store.index.persistent.storage import encode_facts, encode_mentions, encode_sorting
from store.index.persistent.terms import event_keys, phrase_words
from store.model.event import Event


class PreparedEvent(NamedTuple):
    """A tuple, so that it pickles as its fields alone: a worker's answer holds one per event."""

    words: bytes
    """`event_words.joined_words`: the filter's words."""
    keys: tuple[bytes, ...]
    """`terms.event_keys`: the field tables' keys (a dozen or so)."""
    phrase: str
    """`terms.phrase_words`: the positions table's row."""
    facts: bytes
    mentions: bytes
    sorting: bytes


def prepare_event(event: Event) -> PreparedEvent:
    """Everything the writer stores of `event`, computed before its texts are packed (which a worker does
    next, so that its answer is smaller)."""
    return PreparedEvent(
        joined_words(event),
        tuple(event_keys(event)),
        phrase_words(event),
        encode_facts(event),
        encode_mentions(event),
        encode_sorting(event),
    )
