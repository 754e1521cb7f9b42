"""The index's fast word collector must find exactly the words the definition finds, in any text."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from store.index import event_words
from store.index.event_words import Phrase, index_tokens, text_words, word_sequence
from store.memo import Memo
from store.model.textfold import fold, word_tokens

_TRICKY = st.text(
    alphabet="aZ9 _-–—\n\t.,'’éÉe\u0301ßİıŁæﬁ½℅²Жж中\u00a0\u3000\u2028ǅΣς\ud800",
    max_size=40,
)


def reference(text: str) -> set[bytes]:
    return {word.encode("utf-8", "surrogatepass") for word in index_tokens(fold(text))}


@settings(max_examples=500)
@given(st.one_of(st.text(), _TRICKY))
@example("Nigeria–North Korea talks with Nikos Björk")
@example("C5+1 summit: ΣΟΦΟΣ, STRAßE, ﬁnal ½ ℅ e\u0301")
def test_fast_words_equal_the_folded_definition(text: str) -> None:
    assert text_words(text) == reference(text)


def test_the_chunk_memo_is_bounded_and_answers_alike_after_clearing(monkeypatch) -> None:
    monkeypatch.setattr(event_words, "_CHUNK_WORDS", Memo(2))
    text = "Erdoğan Łódź Tokáyev Straße–Allee"
    first = text_words(text)
    assert len(event_words._CHUNK_WORDS) <= 2
    assert text_words(text) == first == reference(text)


@settings(max_examples=500)
@given(st.one_of(st.text(), _TRICKY))
@example("Turkmen–Russian talks — Hadjiev, Łódź; “regional security”")
def test_the_word_sequence_is_the_folded_words_in_order(text: str) -> None:
    expected = [word.encode("utf-8", "surrogatepass") for word in word_tokens(fold(text))]
    assert word_sequence(text).split() == expected


def _in_sequence(words: list[str], text: str) -> bool:
    tokens = word_tokens(fold(text))
    return any(tokens[start : start + len(words)] == words for start in range(len(tokens)))


@settings(max_examples=500)
@given(
    st.one_of(st.text(), _TRICKY),
    st.lists(st.sampled_from(["a", "aa", "e", "ss", "ж", "9"]), min_size=1, max_size=3),
)
@example("On regional–security and Régional  security.", ["regional", "security"])
@example("aregional security", ["regional", "security"])
@example("ba a a", ["a", "a"])
def test_a_phrase_is_found_exactly_where_its_words_follow_one_another(text: str, words: list[str]) -> None:
    assert Phrase(words).found_in(text) == _in_sequence(words, text)
