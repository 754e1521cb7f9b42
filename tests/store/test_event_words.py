"""The index's fast word collector must find exactly the words the definition finds, in any text."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from store import event_words
from store.event_words import index_tokens, text_words
from store.textfold import fold

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
    monkeypatch.setattr(event_words, "_MOST_CHUNKS", 2)
    monkeypatch.setattr(event_words, "_CHUNK_WORDS", {})
    text = "Erdoğan Łódź Tokáyev Straße–Allee"
    first = text_words(text)
    assert len(event_words._CHUNK_WORDS) <= 2
    assert text_words(text) == first == reference(text)
