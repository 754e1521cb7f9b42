"""Answer a parsed filter (`store.filter_syntax`) from the index: which events match.

Words match as prefixes of folded words (`galu` → Galuzin) through the sorted vocabulary; phrases are
narrowed by their words and then checked in the event's folded text; field terms go to their small
per-field tables, where a value matches by folded word prefixes (`org:"central asia"`) or, for topics, at a
tag-part boundary (`topic:security` → `regional-security`). Each term becomes a boolean mask over document
numbers (numpy): at 100,000 events, combining masks costs microseconds where Python sets cost tens of
milliseconds. Negations are subtracted last.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

from store.event_words import Phrase, index_tokens, searchable_text
from store.filter_syntax import Query, Term
from store.search_index import SearchIndex
from store.textfold import fold, word_tokens


def _value_words(value: str) -> list[str]:
    return word_tokens(fold(value))


def _words_prefix_match(words: list[str], candidate: str) -> bool:
    parts = word_tokens(fold(candidate))
    return all(any(part.startswith(word) for part in parts) for word in words)


def _union_matching(
    index: SearchIndex, table: dict[str, array[int]], accepts: Callable[[str], bool]
) -> np.ndarray:
    return index.table_mask(table, [key for key in table if accepts(key)])


def _topic_accepts(value: str) -> Callable[[str], bool]:
    return lambda tag: tag == value or tag.startswith(value) or f"-{value}" in tag


def _phrase(index: SearchIndex, words: list[str], within: np.ndarray | None = None) -> np.ndarray:
    """Events with all the words, then checked for the words in sequence; only those in `within`, if given
    (outside it the answer is not needed, and the check is what costs).

    The check is the costly part (~20 µs a candidate, see `store.event_words.Phrase`); each event's verdict
    is kept (`SearchIndex.phrase_verdicts`), so the next keystroke with the same phrase checks only new events.
    """
    candidates = _intersect([index.word_mask(word, prefix=False) for word in words])
    if within is not None:
        candidates &= within
    verdicts = index.phrase_verdicts(tuple(words))[: len(candidates)]
    unchecked = np.flatnonzero(candidates & (verdicts == 0)).tolist()
    find_phrase(Phrase(words), verdicts, unchecked, index.live)
    return candidates & (verdicts == 2)


def find_phrase(phrase: Phrase, verdicts: np.ndarray, docnos: list[int], live: dict[int, Any]) -> None:
    """Fill in the verdicts (2: holds the phrase, 1: not) of the given docnos that are still live."""
    for docno in docnos:
        indexed = live.get(docno)
        if indexed is not None:
            verdicts[docno] = 2 if phrase.found_in_event(indexed.event) else 1


def phrase_terms(query: Query) -> list[Term]:
    return [term for term in query.terms if term.kind == "phrase" and constrains(term)]


def unchecked_phrases(index: SearchIndex, query: Query) -> list[tuple[Phrase, np.ndarray, list[int]]]:
    """For each phrase of the query: the phrase, its verdicts, and the docnos whose verdict the query still
    needs (among the events holding its words that the other terms leave). The caller holds the lock; the
    checks themselves can then run without it (`EventStore.query`): events never change under a docno."""
    phrases = phrase_terms(query)
    if not phrases:
        return []
    others = matching_mask(index, Query(tuple(term for term in query.terms if term.kind != "phrase")))
    unchecked = []
    for term in phrases:
        words = _value_words(term.value)
        candidates = _intersect([index.word_mask(word, prefix=False) for word in words])
        if others is not None:
            candidates &= others
        verdicts = index.phrase_verdicts(tuple(words))
        todo = np.flatnonzero(candidates & (verdicts[: len(candidates)] == 0)).tolist()
        unchecked.append((Phrase(words), verdicts, todo))
    return unchecked


def _intersect(masks: list[np.ndarray]) -> np.ndarray:
    result = masks[0].copy()
    for other in masks[1:]:
        result &= other
    return result


def constrains(term: Term) -> bool:
    """A word or phrase without letters or digits (`+`, `""`) says nothing and is left out."""
    return term.kind == "field" or bool(_value_words(term.value))


def term_mask(index: SearchIndex, term: Term, within: np.ndarray | None = None) -> np.ndarray:
    """The live events one term (ignoring its negation) matches, as a mask over docnos; exact inside
    `within` when given (a phrase is then only checked there)."""
    if term.kind == "word":
        return _intersect([index.word_mask(word, prefix=True) for word in _value_words(term.value)])
    if term.kind == "phrase":
        return _phrase(index, _value_words(term.value), within)
    field, value = term.field, term.value
    if field == "from":
        return index.date_mask(value, "")
    if field == "to":
        return index.date_mask("", value)
    if field == "country":
        return index.table_mask(index.countries, [value.upper()])
    if field == "kind":
        return index.table_mask(index.kinds, [value.lower()])
    if field == "topic":
        return _union_matching(index, index.topics, _topic_accepts(value))
    if field == "participant":
        words = _value_words(value)
        fold_name = _FoldCache()
        mask = index.empty_mask()
        for person in index.people.persons.values():
            if person.matches_words(words, fold_name):
                mask[np.frombuffer(person.docnos, dtype=np.uint32)] = True
        return mask
    table = {"org": index.organizations, "place": index.places, "source": index.sources}.get(field or "")
    if table is None:
        return index.empty_mask()
    words = _value_words(value)
    return _union_matching(index, table, lambda key: _words_prefix_match(words, key))


def term_docnos(index: SearchIndex, term: Term) -> set[int]:
    """`term_mask` as a set of docnos."""
    return set(np.flatnonzero(term_mask(index, term)).tolist())


class _FoldCache(dict[str, str]):
    """Folded spellings, computed once per query."""

    def __missing__(self, key: str) -> str:
        value = self[key] = " ".join(word_tokens(fold(key)))
        return value


def matching_mask(index: SearchIndex, query: Query) -> np.ndarray | None:
    """A mask of the live events that match, or None when the query matches everything."""
    positive = [term for term in query.terms if not term.negated and constrains(term)]
    negative = [term for term in query.terms if term.negated and constrains(term)]
    if not positive and not negative:
        return None
    # Phrases last, each checked only in what the other terms left: `"regional security" hadj` checks the
    # few events of Hadjiev, not the 50,000 that hold both words.
    terms = [(term, False) for term in positive] + [(term, True) for term in negative]
    terms.sort(key=lambda pair: pair[0].kind == "phrase")
    result = index.live_mask().copy()
    for term, negated in terms:
        matched = term_mask(index, term, within=result)
        result &= ~matched if negated else matched
    return result


def matching_docnos(index: SearchIndex, query: Query) -> set[int] | None:
    """Docnos of the events that match, or None when the query matches everything."""
    mask = matching_mask(index, query)
    return None if mask is None else set(np.flatnonzero(mask).tolist())


class CandidateMatcher:
    """Answers queries for a few given events only, with `matching_docnos`'s meaning, term by term.

    Alert rules test just the events a batch added or changed: asking the index (`term_docnos`) would cost as
    much as the corpus is large for every rule and every batch, so each term is checked against the
    candidate event itself. Participants are still looked up as persons in the index, so `p:hajiyev` finds a
    `Vepa Hadjiev` here exactly as it does in the dashboard. Folded texts are kept per candidate, so several
    rules over one batch fold each event once. The caller holds the store's lock while using it.
    """

    def __init__(self, index: SearchIndex, docnos: Iterable[int]) -> None:
        self.index = index
        self.docnos = [docno for docno in docnos if docno in index.live]
        self._folded: dict[int, str] = {}
        self._tokens: dict[int, set[str]] = {}
        self._fold_name = _FoldCache()

    def matching(self, query: Query) -> set[int]:
        """The candidates that `matching_docnos(index, query)` would include."""
        positive = [term for term in query.terms if not term.negated and constrains(term)]
        negative = [term for term in query.terms if term.negated and constrains(term)]
        return {
            docno
            for docno in self.docnos
            if all(self._term_matches(docno, term) for term in positive)
            and not any(self._term_matches(docno, term) for term in negative)
        }

    def _folded_text(self, docno: int) -> str:
        if docno not in self._folded:
            self._folded[docno] = fold(searchable_text(self.index.event(docno)))
        return self._folded[docno]

    def _words(self, docno: int) -> set[str]:
        if docno not in self._tokens:
            self._tokens[docno] = index_tokens(self._folded_text(docno))
        return self._tokens[docno]

    def _term_matches(self, docno: int, term: Term) -> bool:
        """Whether `term_docnos(index, term)` would contain docno (negation ignored)."""
        event = self.index.event(docno)
        if term.kind == "word":
            tokens = self._words(docno)
            return all(any(token.startswith(word) for token in tokens) for word in _value_words(term.value))
        if term.kind == "phrase":
            words = _value_words(term.value)
            return self._words(docno).issuperset(words) and Phrase(words).found_in_event(event)
        field, value = term.field, term.value
        if field == "from":
            return event.sort_date >= value
        if field == "to":
            return event.sort_date <= value
        if field == "country":
            countries = {event.country, *event.countries, *(p.country for p in event.participants)}
            return value.upper() in countries - {""}
        if field == "kind":
            return event.kind == value.lower()
        if field == "topic":
            return any(map(_topic_accepts(value), event.topics))
        words = _value_words(value)
        if field == "participant":
            people = self.index.people
            persons = (people.persons.get(people.key_of(participant)) for participant in event.participants)
            return any(person and person.matches_words(words, self._fold_name) for person in persons)
        keys = {
            "org": event.organizations,
            "place": (event.city, event.country),
            "source": (event.source_name,),
        }
        return any(key and _words_prefix_match(words, key) for key in keys.get(field or "", ()))
