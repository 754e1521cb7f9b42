"""Word postings: whatever mix of adds, freezes and compactions, every word and prefix answers alike."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from store.index.word_postings import WordPostings

_WORDS = st.sets(st.sampled_from([b"a", b"ab", b"abc", b"b", b"ba", "ж".encode(), "жа".encode()]))
_STEPS = st.lists(
    st.one_of(
        st.tuples(st.just("add"), _WORDS),
        st.tuples(st.just("kill"), st.integers(0, 30)),
        st.tuples(st.just("freeze"), st.booleans()),
    ),
    max_size=40,
)


@settings(max_examples=300)
@given(_STEPS)
def test_postings_answer_like_a_plain_table(steps: list[tuple[str, object]]) -> None:
    postings = WordPostings()
    model: dict[int, set[bytes]] = {}
    alive: set[int] = set()
    for action, argument in steps:
        if action == "add":
            docno = len(model)
            model[docno] = set(argument)  # type: ignore[arg-type]
            alive.add(docno)
            postings.add(docno, model[docno])
        elif action == "kill":
            alive.discard(argument)  # type: ignore[arg-type]
        else:
            mask = np.zeros(len(model), dtype=bool)
            mask[list(alive)] = True
            postings.freeze(mask if argument else None)
    for word in (b"a", b"ab", b"b", "ж".encode(), b"zz"):
        expected = {docno for docno in alive if word in model[docno]}
        assert set(postings.docnos(word).tolist()) & alive == expected
        with_prefix = {docno for docno in alive if any(w.startswith(word) for w in model[docno])}
        found = {int(docno) for part in postings.docnos_with_prefix(word) for docno in part}
        assert found & alive == with_prefix


def test_a_freeze_with_the_live_mask_keeps_only_live_postings_and_sorted_blocks() -> None:
    postings = WordPostings()
    for docno in range(6):
        postings.add(docno, {b"common", b"odd" if docno % 2 else b"even"})
    postings.freeze(np.array([True, True, False, True, False, False]))
    assert postings.vocabulary == [b"common", b"even", b"odd"]
    assert postings.docnos(b"common").tolist() == [0, 1, 3]
    assert postings.docnos(b"even").tolist() == [0]
    assert postings.size == 6 and not postings.recent


def test_many_recent_words_are_frozen_before_a_prefix_query(monkeypatch) -> None:
    postings = WordPostings()
    monkeypatch.setattr(WordPostings, "MOST_RECENT_WORDS", 2)
    postings.add(0, {b"x1", b"x2", b"x3"})
    assert {int(d) for part in postings.docnos_with_prefix(b"x") for d in part} == {0}
    assert postings.vocabulary == [b"x1", b"x2", b"x3"] and not postings.recent
