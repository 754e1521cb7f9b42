"""The store's one memo: a dict of answers already computed that starts over instead of growing.

Two kinds of memo speed the store up, and both must stay bounded: values seen lately (validation's labels,
codes and tags, the first days of dates, the words of phrase chunks, the name keys of people), which start
over when they hold `limit` entries, so that hostile files with endless variants cannot grow them; and
answers derived from one state of an index (masks, orders, the people's vocabulary), which start over when
the index's generation moves (`IndexReader.derive`). `Memo` is both: a plain `dict` (lookups stay at C
speed: `memo.get(key)`), with `remember` for the first kind and `derive` for the second.

Pure functions of their arguments use `functools.lru_cache` instead; nothing here knows what it holds.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

UNBOUNDED = 1 << 62
"""A limit no memo reaches: for the memos that `derive` scopes to one generation instead."""


class Memo(dict[K, V]):
    """A dict that starts over: at `limit` entries (`remember`), or when the generation moves (`derive`)."""

    __slots__ = ("limit", "generation")

    def __init__(self, limit: int = UNBOUNDED) -> None:
        super().__init__()
        self.limit = limit
        self.generation: Any = None
        """The generation `derive` filled it at (None: not yet)."""

    def remember(self, key: K, value: V) -> V:
        """Keep `value` under `key` (starting over first when full) and return it."""
        if len(self) >= self.limit:
            self.clear()
        self[key] = value
        return value

    def derive(self, generation: Any, key: K, build: Callable[[], V]) -> V:
        """`build()`, computed once per `generation`: a new generation drops everything derived before."""
        if generation != self.generation:
            self.clear()
            self.generation = generation
        if key not in self:
            self[key] = build()
        return self[key]
