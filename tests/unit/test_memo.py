"""The store's one memo (`store.memo.Memo`): bounded by size or scoped to one generation."""

from __future__ import annotations

from store.memo import Memo


def test_a_memo_starts_over_when_full_and_keeps_what_it_was_given() -> None:
    memo: Memo[str, int] = Memo(2)
    assert memo.remember("a", 1) == 1 and memo.remember("b", 2) == 2
    assert memo.remember("c", 3) == 3
    assert dict(memo) == {"c": 3}  # it started over instead of growing past its limit
    assert memo.get("c") == 3 and memo.get("a") is None


def test_derived_values_are_built_once_per_generation() -> None:
    memo: Memo[str, list[int]] = Memo()
    built: list[int] = []

    def build() -> list[int]:
        built.append(len(built))
        return list(built)

    first = memo.derive(1, "x", build)
    assert memo.derive(1, "x", build) is first and built == [0]
    assert memo.derive(2, "x", build) == [0, 1] and built == [0, 1]  # a new generation drops the old
    assert "x" in memo and memo.generation == 2
