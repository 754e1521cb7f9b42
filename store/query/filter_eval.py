"""Answer a parsed filter (`store.query.filter_syntax`): its plan, and which events match, from the index or for
a few events alone.

`plan_filter(text)` parses a filter once and orders it for answering (`FilterPlan`); the plan of a text is
kept (the last `KEPT_PLANS`), so the keystroke that asks whether a filter has phrases to look for, its
answer and its timeline parse it once between them. The dashboard, the command line and the alerts all
answer plans, and every term is answered by its entry of the field table (`store.query.filter_fields`), so the
dashboard and the alerts cannot drift apart.

The plan: terms that say nothing (`+`, `""`) are left out, a term repeated is kept once (20,000 pasted
words are the few different ones), and in each group cheap narrowing terms come first, then groups, then
exclusions, then phrases: a phrase is checked only in what the other terms leave (`"regional security"
hadj` checks the few events of Hadjiev, not the 50,000 that hold both words).

From the index, each term becomes a boolean mask over document numbers (numpy): at 100,000 events,
combining masks costs microseconds where Python sets cost tens of milliseconds. Words match as prefixes of
folded words (`galu` → Galuzin) through the sorted vocabulary, and a word that starts a word of some
spelling of a person also finds that person's events (`hadj` finds the files that spell him Hajiyev). For
a few events (`CandidateMatcher`, the alerts) each term is tested on the event itself, with the same
meaning: `matches_event` is the plain definition that the index's answer is tested against.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np

from store.index.event_words import Phrase
from store.index.protocol import IndexReader
from store.model.textfold import folded_words
from store.query.filter_fields import FIELD_BY_NAME, OneEvent, persons_mask, persons_test
from store.query.filter_syntax import Group, Node, Query, Term, merge_key, parse_filter, words_to_highlight

KEPT_PLANS = 256
"""Plans kept by text: a session types and recalls far fewer filters, and each plan is a few objects."""


@dataclass(frozen=True, slots=True)
class FilterPlan:
    """A filter parsed and ordered for answering; the same plan serves every place that answers it."""

    query: Query
    """What the user typed, as parsed."""
    root: Group | None
    """The terms that say something, each once, in the order they are answered (an `all` group); None
    when the filter matches everything."""
    highlight: list[str] = field(default_factory=list, compare=False, hash=False)
    """Folded words of the positive words and phrases: what the meetings pane highlights."""

    @property
    def phrases(self) -> list[Term]:
        """Every phrase of the plan, each once (what may need reading texts)."""
        return list(dict.fromkeys(term for term in _terms(self.root) if term.kind == "phrase"))

    def undated(self) -> FilterPlan:
        """The plan without its `from:`/`to:` terms that stand alone (what the timeline counts over)."""
        if self.root is None:
            return self
        kept = tuple(item for item in self.root.items if not _is_date(item))
        if len(kept) == len(self.root.items):
            return self
        terms = tuple(term for term in self.query.terms if not _is_date(term))
        return FilterPlan(Query(terms), Group("all", kept) if kept else None, self.highlight)

    def date_bounds(self) -> tuple[str, str]:
        """The tightest `from:` and `to:` days the plan's own standing terms set ('' when none)."""
        first = last = ""
        for item in self.root.items if self.root else ():
            if _is_date(item) and isinstance(item, Term) and not item.negated:
                if item.field == "from":
                    first = max(first, item.value)
                else:
                    last = min(last, item.value) if last else item.value
        return first, last


def _is_date(node: Node) -> bool:
    return isinstance(node, Term) and node.field in ("from", "to")


def _terms(node: Node | None) -> Iterable[Term]:
    if node is None:
        return
    if isinstance(node, Term):
        yield node
    else:
        for item in node.items:
            yield from _terms(item)


def constrains(term: Term) -> bool:
    """A word or phrase without letters or digits (`+`, `""`) says nothing and is left out."""
    return term.kind == "field" or bool(folded_words(term.value))


def _has_phrase(node: Node) -> bool:
    return any(term.kind == "phrase" for term in _terms(node))


def _cost(node: Node) -> tuple[int, int]:
    """The order in a group: (phrases last, exclusions after the rest, then by the field's cost)."""
    if isinstance(node, Term):
        own = FIELD_BY_NAME[node.field].cost if node.field else 2
    else:
        own = 4
    return (2 if _has_phrase(node) else 1 if node.negated else 0, own)


def _planned(node: Node) -> Node | None:
    """The node with what says nothing left out and repeats merged, its items ordered; None if nothing
    is left."""
    if isinstance(node, Term):
        return node if constrains(node) else None
    items: dict[object, Node] = {}
    for item in node.items:
        planned = _planned(item)
        if planned is not None:
            items.setdefault(merge_key(planned), planned)
    if not items:
        return None
    ordered = sorted(items.values(), key=_cost)
    if len(ordered) == 1 and not node.negated:
        return ordered[0]
    return Group(node.kind, tuple(ordered), node.negated)


def plan_of(query: Query) -> FilterPlan:
    """The plan of a parsed query."""
    planned = _planned(query.root)
    if planned is None:
        return FilterPlan(query, None, words_to_highlight(query))
    if not (isinstance(planned, Group) and planned.kind == "all" and not planned.negated):
        planned = Group("all", (planned,))
    return FilterPlan(query, planned, words_to_highlight(query))


@lru_cache(maxsize=KEPT_PLANS)
def plan_filter(text: str) -> FilterPlan:
    """The plan of a filter's text, parsed once and kept. Raises FilterError for a malformed filter."""
    return plan_of(parse_filter(text))


# -- from the index: masks over docnos ---------------------------------------------------------------------


def _intersect(masks: list[np.ndarray]) -> np.ndarray:
    result = masks[0].copy()
    for other in masks[1:]:
        result &= other
    return result


def term_mask(index: IndexReader, term: Term, within: np.ndarray | None = None) -> np.ndarray:
    """The live events one term (ignoring its negation) matches, as a mask over docnos; exact inside
    `within` when given (a phrase is then only checked there)."""
    words = folded_words(term.value)
    if term.kind == "word":
        found = _intersect([index.word_mask(word, prefix=True) for word in words])
        return found | persons_mask(index, words)
    if term.kind == "phrase":
        return index.phrase_mask(words, within)
    return FIELD_BY_NAME[term.field or ""].index_mask(index, term.value)


def _node_mask(index: IndexReader, node: Node, within: np.ndarray) -> np.ndarray:
    """The events in `within` that the node (ignoring its own negation) matches."""
    if isinstance(node, Term):
        return term_mask(index, node, within) & within
    if node.kind == "all":
        result = within.copy()
        for item in node.items:
            matched = _node_mask(index, item, result)
            result &= ~matched if item.negated else matched
        return result
    result = index.empty_mask()
    for item in node.items:
        matched = _node_mask(index, item, within)
        result |= within & ~matched if item.negated else matched
    return result


def matching_mask(index: IndexReader, plan: FilterPlan | Query) -> np.ndarray | None:
    """A mask of the live events that match (read-only), or None when the filter matches everything. The
    caller holds the store's lock."""
    if isinstance(plan, Query):
        plan = plan_of(plan)
    if plan.root is None:
        return None
    # The last answer is kept for the index's generation: the timeline asks the same plan again after the
    # meetings (when the filter has no dates), and should not answer it a second time.
    last: dict[str, Any] = index.derive("last answer", dict)
    if last.get("plan") != plan:
        mask = _node_mask(index, plan.root, index.live_mask().copy())
        mask.flags.writeable = False
        last.update(plan=plan, mask=mask)
    answer: np.ndarray = last["mask"]
    return answer


def matching_docnos(index: IndexReader, plan: FilterPlan | Query) -> set[int] | None:
    """Docnos of the events that match, or None when the filter matches everything."""
    mask = matching_mask(index, plan)
    return None if mask is None else set(np.flatnonzero(mask).tolist())


def unchecked_phrases(index: IndexReader, plan: FilterPlan) -> list[tuple[tuple[str, ...], list[int]]]:
    """For each phrase of the plan: its folded words, and the docnos whose texts the index may still have
    to read for it (`PhraseReader.unchecked_phrase`: among the events holding its words, those the plan's
    other standing terms leave). The caller holds the lock; the reading can then happen without it
    (`PhraseReader.check_phrase`, in `EventStore.query`): events never change under a docno."""
    phrases = plan.phrases
    if not phrases or plan.root is None:
        return []
    others = [item for item in plan.root.items if not _has_phrase(item)]
    within = _node_mask(index, Group("all", tuple(others)), index.live_mask().copy()) if others else None
    unchecked = []
    for term in phrases:
        words = folded_words(term.value)
        unchecked.append((words, index.unchecked_phrase(words, within)))
    return unchecked


# -- for one event: the plain definition -------------------------------------------------------------------


def term_matches(one: OneEvent, term: Term) -> bool:
    """Whether one event matches a term (ignoring its negation): `term_mask`'s meaning for one event."""
    words = folded_words(term.value)
    if term.kind == "word":
        tokens = one.tokens
        in_text = all(any(token.startswith(word) for token in tokens) for word in words)
        return in_text or persons_test(one, words)
    if term.kind == "phrase":
        return one.tokens.issuperset(words) and Phrase(list(words)).found_in_event(one.event)
    return FIELD_BY_NAME[term.field or ""].event_test(one, term.value)


def node_matches(one: OneEvent, node: Node) -> bool:
    """Whether one event matches a node (ignoring the node's own negation)."""
    if isinstance(node, Term):
        return term_matches(one, node)
    verdicts = (node_matches(one, item) != item.negated for item in node.items)
    return all(verdicts) if node.kind == "all" else any(verdicts)


def matches_event(one: OneEvent, plan: FilterPlan) -> bool:
    """Whether one event matches a filter."""
    return plan.root is None or node_matches(one, plan.root)


class CandidateMatcher:
    """Answers filters for a few given events only, with `matching_docnos`'s meaning.

    Alert rules test just the events a batch added or changed: asking the index would cost as much as the
    corpus is large for every rule and every batch, so each term is checked against the candidate event
    itself (`matches_event`). Participants are still looked up as persons in the index, so `p:hajiyev`
    finds a `Vepa Hadjiev` here exactly as it does in the dashboard. Each candidate's words are found once,
    so several rules over one batch read each event once. The caller holds the store's lock while using it.
    """

    def __init__(self, index: IndexReader, docnos: Iterable[int]) -> None:
        self.index = index
        live = index.live_mask()
        self.events = [OneEvent(index, docno) for docno in docnos if docno < len(live) and live[docno]]

    @property
    def docnos(self) -> list[int]:
        return [one.docno for one in self.events]

    def matching(self, plan: FilterPlan | Query) -> set[int]:
        """The candidates that `matching_docnos(index, plan)` would include."""
        if isinstance(plan, Query):
            plan = plan_of(plan)
        return {one.docno for one in self.events if matches_event(one, plan)}
