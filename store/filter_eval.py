"""Answer a parsed filter (`store.filter_syntax`) from the index: which events match.

Words match as prefixes of folded words (`galu` → Galuzin) through the sorted vocabulary; phrases are
narrowed by their words and then checked in the event's folded text; field terms go to their small
per-field tables, where a value matches by folded word prefixes (`org:"central asia"`) or, for topics, at a
tag-part boundary (`topic:security` → `regional-security`). Terms are intersected smallest first and
negations subtracted last.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from store.filter_syntax import Query, Term
from store.search_index import SearchIndex, index_tokens, searchable_text
from store.textfold import fold, word_tokens


def _value_words(value: str) -> list[str]:
    return word_tokens(fold(value))


def _words_prefix_match(words: list[str], candidate: str) -> bool:
    parts = word_tokens(fold(candidate))
    return all(any(part.startswith(word) for part in parts) for word in words)


def _union_matching(table: dict[str, set[int]], accepts: Callable[[str], bool]) -> set[int]:
    found: set[int] = set()
    for key, docnos in table.items():
        if accepts(key):
            found |= docnos
    return found


def _topic_accepts(value: str) -> Callable[[str], bool]:
    return lambda tag: tag == value or tag.startswith(value) or f"-{value}" in tag


def _phrase(index: SearchIndex, words: list[str]) -> set[int]:
    if not words:
        return index.all_docnos()
    candidates = _intersect([index.docnos_with_word(word, prefix=False) for word in words])
    pattern = re.compile(r"\b" + r"\W+".join(map(re.escape, words)) + r"\b")
    return {docno for docno in candidates if pattern.search(fold(searchable_text(index.event(docno))))}


def _intersect(sets: list[set[int]]) -> set[int]:
    if not sets:
        return set()
    sets.sort(key=len)
    result = set(sets[0])
    for other in sets[1:]:
        if not result:
            break
        result &= other
    return result


def constrains(term: Term) -> bool:
    """A word or phrase without letters or digits (`+`, `""`) says nothing and is left out."""
    return term.kind == "field" or bool(_value_words(term.value))


def term_docnos(index: SearchIndex, term: Term) -> set[int]:
    """The live events one term (ignoring its negation) matches."""
    if term.kind == "word":
        return _intersect([index.docnos_with_word(word, prefix=True) for word in _value_words(term.value)])
    if term.kind == "phrase":
        return _phrase(index, _value_words(term.value))
    field, value = term.field, term.value
    if field == "from":
        return index.docnos_between(value, "")
    if field == "to":
        return index.docnos_between("", value)
    if field == "country":
        return set(index.countries.get(value.upper(), ()))
    if field == "kind":
        return set(index.kinds.get(value.lower(), ()))
    if field == "topic":
        return _union_matching(index.topics, _topic_accepts(value))
    if field == "participant":
        words = _value_words(value)
        fold_name = _FoldCache()
        found: set[int] = set()
        for person in index.people.persons.values():
            if person.matches_words(words, fold_name):
                found |= person.docnos
        return found
    table = {"org": index.organizations, "place": index.places, "source": index.sources}.get(field or "")
    if table is None:
        return set()
    words = _value_words(value)
    return _union_matching(table, lambda key: _words_prefix_match(words, key))


class _FoldCache(dict[str, str]):
    """Folded spellings, computed once per query."""

    def __missing__(self, key: str) -> str:
        value = self[key] = " ".join(word_tokens(fold(key)))
        return value


def matching_docnos(index: SearchIndex, query: Query) -> set[int] | None:
    """Docnos of the events that match, or None when the query matches everything."""
    positive = [term for term in query.terms if not term.negated and constrains(term)]
    negative = [term for term in query.terms if term.negated and constrains(term)]
    if not positive and not negative:
        return None
    result = _intersect([term_docnos(index, term) for term in positive]) if positive else index.all_docnos()
    for term in negative:
        if not result:
            break
        result -= term_docnos(index, term)
    return result


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
            pattern = re.compile(r"\b" + r"\W+".join(map(re.escape, words)) + r"\b")
            return self._words(docno).issuperset(words) and bool(pattern.search(self._folded_text(docno)))
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
