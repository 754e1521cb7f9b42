"""The engines behind the index protocol (`store.index.protocol`): what the store opens.

Only this package names an engine's class; the store asks here for an index and then speaks the protocol.
Today there is one engine, in memory (`store.index.search_index`); a persistent one (issue #17) is added
here, beside it, and chosen by the store's caller.
"""

from __future__ import annotations

from store.index.protocol import Index
from store.index.search_index import SearchIndex


def memory_index() -> Index:
    """A new, empty in-memory index: its own reader and writer."""
    return SearchIndex()


class MemoryEngine:
    """The in-memory engine as an `IndexEngine`: one index that is both the writer and every reader (a
    reader in another process cannot open it; the contract tests open it in one)."""

    def __init__(self) -> None:
        self.index = SearchIndex()

    def open_writer(self) -> Index:
        return self.index

    def open_reader(self) -> Index:
        return self.index
