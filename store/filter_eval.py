"""Answer a parsed filter (`store.filter_syntax`) from the index: which events match.

Words match as prefixes of folded words (`galu` → Galuzin) through the sorted vocabulary; phrases are
narrowed by their words and then checked in the event's folded text; field terms go to their small
per-field tables, where a value matches by folded word prefixes (`org:"central asia"`) or, for topics, at a
tag-part boundary (`topic:security` → `regional-security`). Terms are intersected smallest first and
negations subtracted last.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from store.filter_syntax import Query, Term
from store.search_index import SearchIndex, searchable_text
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
