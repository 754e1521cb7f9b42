"""Alert rules: named filters that fire when a new or changed event matches them.

An analyst leaves the dashboard open on `topic:afghanistan` and wants to hear when a collector drops a file
that matches, whatever the meetings pane is filtered on. This module owns the rules, the test of each batch
of changes against them, and a bounded history of what fired. The test is incremental: only the events a
batch added or changed are candidates, and each rule's plan (parsed once, when the rule is added) is
checked against those alone (`store.query.filter_eval.CandidateMatcher`, which reads the same field table as the
dashboard's answers from the index), so a batch of three files costs the same in a corpus of ten or of a
hundred thousand events. Removed events never fire.

A malformed rule is reported once, when it is added (a one-line message in `problems`), and skipped after
that; nothing here raises for a bad rule. This module never notifies, rings or draws anything: it returns
hits, and the interface decides how to tell the user.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from store.event_store import EventStore
from store.model.changes import Changes
from store.query.filter_eval import CandidateMatcher, FilterPlan, plan_filter
from store.query.filter_syntax import FilterError

HISTORY_SIZE = 1_000
"""Hits kept for the alerts pane; older ones are dropped, so a rule matching every file of a large import
costs bounded memory."""


@dataclass(frozen=True, slots=True)
class AlertRule:
    name: str
    """What the user calls it: a key of `[alerts]` in the config, or the filter itself for `--alert`."""
    filter_text: str
    """A filter in the dashboard's language (see `store.query.filter_syntax`)."""

    @classmethod
    def unnamed(cls, filter_text: str) -> AlertRule:
        """A rule given on the command line (`--alert FILTER`): named by its own filter."""
        return cls(filter_text, filter_text)


@dataclass(frozen=True, slots=True)
class AlertHit:
    rule: AlertRule
    event_id: str
    title: str
    """The event's title (already sanitised by the store) at the time it fired."""
    when: datetime
    """When the rule fired (local time, timezone-aware), not when the event took place."""
    date: str = ""
    """The event's date as written."""
    change: Literal["new", "changed"] = "new"


class AlertBook:
    """The rules in force and what they fired; safe to use from the watcher's and the interface's threads."""

    def __init__(self, rules: Iterable[AlertRule] = (), *, history_size: int = HISTORY_SIZE) -> None:
        self._rules: dict[str, tuple[AlertRule, FilterPlan]] = {}
        self._history: deque[AlertHit] = deque(maxlen=history_size)
        self._lock = threading.Lock()
        self.problems: list[str] = []
        """One line per rule that was refused (malformed or a repeated name), in the order they were given."""
        for rule in rules:
            problem = self.add(rule)
            if problem:
                self.problems.append(problem)

    @property
    def rules(self) -> list[AlertRule]:
        """The rules in force (malformed ones are not among them)."""
        with self._lock:
            return [rule for rule, _plan in self._rules.values()]

    def add(self, rule: AlertRule) -> str | None:
        """Put a rule in force; returns why it was refused (one line), or None."""
        try:
            plan = plan_filter(rule.filter_text)
        except FilterError as error:
            return f"alert {rule.name!r} is skipped: bad filter {rule.filter_text!r}: {error}"
        with self._lock:
            if rule.name in self._rules:
                return f"alert {rule.name!r} is defined twice; the first one is kept"
            self._rules[rule.name] = (rule, plan)
        return None

    def remove(self, name: str) -> bool:
        """Stop a rule; False when there was none by that name."""
        with self._lock:
            return self._rules.pop(name, None) is not None

    def check(self, store: EventStore, changes: Changes, *, now: datetime | None = None) -> list[AlertHit]:
        """The hits of one batch (added and changed events only), also appended to the history.

        Call it with each live batch the store reports, not with the initial load: events already in the
        folder when the dashboard opens are not news.
        """
        candidates = changes.added | changes.changed
        with self._lock:
            rules = list(self._rules.values())
        if not candidates or not rules:
            return []
        when = now or datetime.now().astimezone()
        hits: list[AlertHit] = []
        with store.reading() as reader:
            found = ((reader.docno(event_id), event_id) for event_id in sorted(candidates))
            docnos = {docno: event_id for docno, event_id in found if docno is not None}
            matcher = CandidateMatcher(reader, docnos)
            for rule, plan in rules:
                for docno in sorted(matcher.matching(plan), key=docnos.__getitem__):
                    event = reader.event(docno)
                    change: Literal["new", "changed"] = "new" if event.id in changes.added else "changed"
                    hits.append(AlertHit(rule, event.id, event.title, when, event.date, change))
        with self._lock:
            self._history.extend(hits)
        return hits

    def history(self) -> list[AlertHit]:
        """What fired, newest first, at most `history_size` hits."""
        with self._lock:
            return list(reversed(self._history))

    def alerted_ids(self) -> set[str]:
        """Ids of the events in the history: the ones the meetings pane marks."""
        with self._lock:
            return {hit.event_id for hit in self._history}

    def clear_history(self) -> None:
        with self._lock:
            self._history.clear()
