"""Which documents hold which word: one frozen block of postings, plus small arrays for what came since.

Most postings never change after a load, so they live in one sorted block: the vocabulary in byte order,
and every word's document numbers end to end in one uint32 array with an offsets array beside it (4 bytes
a posting, nothing per word but its offset; a numpy array also pickles and unpickles as one buffer, which
is what makes the warm start fast). The words starting with a prefix are a contiguous range of the sorted
vocabulary, so their documents are one slice, however short the prefix (`s` spans thousands of words).

Postings added after the block was frozen go to per-word `array`s (appended in C by `map`), and a word's
documents are its slice of the block followed by its array. `freeze()` merges the arrays into a new block,
dropping the documents that are no longer alive: after a bulk load, when the arrays hold too many words for
a prefix query to walk them, and when dead postings pile up. Document numbers only grow, so each word's
postings stay sorted without a sort.
"""

from __future__ import annotations

import bisect
from array import array
from collections import defaultdict, deque
from collections.abc import Collection
from itertools import repeat

import numpy as np

from store.memory import release_free_memory

_BEYOND_UTF8 = b"\xff"
"""Sorts after every continuation of a UTF-8 prefix (the byte 0xFF never occurs in UTF-8)."""


def _new_postings() -> array[int]:
    return array("I")


_append = array.append
"""Unbound, so that postings are filled by `map` in C rather than by a Python loop: at 100,000 events
and ~100 distinct words each, a Python-level loop alone costs seconds."""


RELEASE_EVERY = 1 << 20
"""Postings copied by a freeze between two returns of the freed arrays' memory (`store.memory`)."""


class WordPostings:
    MOST_RECENT_WORDS = 5_000
    """Words with postings outside the block beyond which a prefix query freezes first (walking the recent
    words is linear in their number)."""

    def __init__(self) -> None:
        self.vocabulary: list[bytes] = []
        self.offsets = np.zeros(1, dtype=np.int64)
        self.block = np.empty(0, dtype=np.uint32)
        self.recent: defaultdict[bytes, array[int]] = defaultdict(_new_postings)
        self.size = 0
        """Postings held, dead ones included: with the dead count it tells when a freeze pays."""

    def add(self, docno: int, words: Collection[bytes]) -> None:
        """Record that docno holds each of the (distinct) words; docno is higher than any added before."""
        deque(map(_append, map(self.recent.__getitem__, words), repeat(docno)), maxlen=0)
        self.size += len(words)

    def docnos(self, word: bytes) -> np.ndarray:
        """The documents holding the word, dead ones included."""
        start = bisect.bisect_left(self.vocabulary, word)
        parts = []
        if start < len(self.vocabulary) and self.vocabulary[start] == word:
            parts.append(self.block[self.offsets[start] : self.offsets[start + 1]])
        if word in self.recent:
            parts.append(np.frombuffer(self.recent[word], dtype=np.uint32))
        return np.concatenate(parts) if len(parts) > 1 else parts[0] if parts else self.block[:0]

    def docnos_with_prefix(self, prefix: bytes) -> list[np.ndarray]:
        """The documents holding a word that starts with prefix, as arrays to mark (dead ones included)."""
        if len(self.recent) > self.MOST_RECENT_WORDS:
            self.freeze()
        start = bisect.bisect_left(self.vocabulary, prefix)
        end = bisect.bisect_left(self.vocabulary, prefix + _BEYOND_UTF8, start)
        found = [self.block[self.offsets[start] : self.offsets[end]]]
        found.extend(
            np.frombuffer(postings, dtype=np.uint32)
            for word, postings in self.recent.items()
            if word.startswith(prefix)
        )
        return found

    def freeze(self, alive: np.ndarray | None = None) -> None:
        """Merge the recent arrays into the block; with `alive` (a mask by docno), drop dead documents."""
        if not self.recent and alive is None:
            return
        words = sorted(set(self.vocabulary).union(self.recent))
        position = {word: index for index, word in enumerate(self.vocabulary)}
        # Filled word by word, each recent array freed as soon as it is copied: the new block's pages come
        # in as the arrays' go out, so a freeze after a bulk load does not hold every posting twice (at
        # 100,000 events that was ~45 MB more peak memory).
        block = np.empty(len(self.block) + sum(map(len, self.recent.values())), dtype=np.uint32)
        counts = np.zeros(len(words), dtype=np.int64)
        filled = released = 0
        for number, word in enumerate(words):
            start = filled
            index = position.get(word)
            if index is not None:
                part = self.block[self.offsets[index] : self.offsets[index + 1]]
                block[filled : filled + len(part)] = part
                filled += len(part)
            recent = self.recent.pop(word, None)
            if recent:
                block[filled : filled + len(recent)] = np.frombuffer(recent, dtype=np.uint32)
                filled += len(recent)
            counts[number] = filled - start
            del recent
            if filled - released > RELEASE_EVERY:
                release_free_memory()
                released = filled
        if alive is not None and len(block):
            keep = alive[block] if len(alive) else np.zeros(len(block), dtype=bool)
            starts = np.zeros(len(words), dtype=np.int64)
            np.cumsum(counts[:-1], out=starts[1:])
            counts = np.add.reduceat(keep, starts, dtype=np.int64)  # every word has a posting, as it needs
            block = block[keep]
        kept = counts > 0
        self.vocabulary = [word for word, has in zip(words, kept.tolist(), strict=True) if has]
        self.offsets = np.zeros(len(self.vocabulary) + 1, dtype=np.int64)
        np.cumsum(counts[kept], out=self.offsets[1:])
        self.block = np.ascontiguousarray(block, dtype=np.uint32)
        self.recent = defaultdict(_new_postings)
        self.size = len(self.block)
