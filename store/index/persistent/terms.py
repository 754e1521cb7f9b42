"""What the persistent index records of one event to answer filters: its words and its field keys.

Words are `store.index.event_words.indexed_words` (the filter's own definition, folded UTF-8) and the phrase
sequence `word_sequence` (the same words in order); keys are the in-memory index's field tables
(`store.index.protocol.field_keys_of`: the same tables, the same values, empty ones skipped), each
stored as `table` + US + `value` so that one table's keys are one range of the sorted key vocabulary.
`tests/unit/test_persistent_index.py` checks that both engines hold the same keys for the same events.
"""

from __future__ import annotations

from store.index.event_words import searchable_text, word_sequence
from store.index.protocol import FIELDS, field_keys_of
from store.model.event import Event

SEPARATOR = "\x1f"
"""Between a table's name and a key: below every printable character, so a table's keys sort together."""

TABLES = tuple(field for field in FIELDS if field != "people")
"""The protocol's fields kept as keys; people are answered from the stored events' mentions instead."""


def event_keys(event: Event) -> set[bytes]:
    """The event's field keys, each `table` + SEPARATOR + value, UTF-8: the protocol's own definition
    (`field_keys_of`), so a field added there is indexed here too."""
    return {
        f"{table}{SEPARATOR}{key}".encode("utf-8", "surrogatepass")
        for table in TABLES
        for key in field_keys_of(table, event)
    }


def key_term(table: str, key: str) -> bytes:
    return f"{table}{SEPARATOR}{key}".encode("utf-8", "surrogatepass")


def phrase_words(event: Event) -> str:
    """The event's folded words in order, one space between: the row of the positions table."""
    return " ".join(word_sequence(searchable_text(event)).decode("utf-8", "surrogatepass").split())
