"""The question and its answers: the one place the dashboard asks the store what to show.

`ask` answers a filter at once on the interface thread, or in a thread worker when its phrases need thousands
of texts read; the side panes' counts and the timeline follow in workers after a short quiet; the selected
event's detail (at once) and related events (in a worker), the problem lines (in a worker) and the alert
history are asked here too. Every answer
carries the `Question` it answers (`tui.answers`) and lands in the screen's reactive named by its `shown_in`;
`answer.answers(self.question)` is the one test of whether a worker's answer is still current. Workers talk
back only through `post_message`, never by touching a widget or a reactive.
"""

from __future__ import annotations

import functools
from dataclasses import replace

from textual import work
from textual.worker import get_current_worker

from store.index.timeline import timeline_for_filter
from store.query import filter_syntax
from tui.answers import (
    AlertHistory,
    Counts,
    Detail,
    Follow,
    Matches,
    Problems,
    Question,
    Related,
    TimelineCounts,
)
from tui.capped_list import CAP
from tui.dashboard.state import DashboardState, while_running
from tui.messages import (
    Answered,
)

BACKGROUND_PHRASE_TEXTS = 2_000
"""A filter whose phrases need more texts read than this (~40 ms) is answered off the interface thread."""

COUNT_DELAY = 0.12
"""Seconds of quiet before the side panes are recounted: while the user types, only the meetings follow each
keystroke, and the counts (which hold the store's lock for a while over a large result) wait for a pause."""

TIMELINE_DELAY = 0.2
"""Seconds between a change (a keystroke, a live batch) and the timeline's recount, at most one recount per
such interval: the bars follow a burst of changes without recounting for each."""


class Answering(DashboardState):
    """Asks the store the question in force and hands every answer to the reactive that shows it."""

    @property
    def counts_current(self) -> bool:
        """The side panes show the counts of the answer in force."""
        return self.counts is not None and self.counts.answers(self.question)

    def ask(self, text: str, *, follow: Follow) -> None:
        """Answer a filter now, or in a thread when its phrases need thousands of texts read (a second at
        100,000 events, ten at 1,000,000): the interface stays with the user meanwhile."""
        if self.store.unchecked_phrase_texts(text) > BACKGROUND_PHRASE_TEXTS:
            self.question = replace(self.question, text=text, sort=self.sort, generation=self.generation)
            self.set_status(searching=True)
            self.answer_filter(self.question, follow)
            self.schedule_timeline()
        else:
            self.refresh_result(follow=follow, text=text)

    def refresh_result(self, *, follow: Follow, text: str) -> bool:
        """Answer a filter on the interface thread and show it; False (and a message) for a malformed one."""
        question = replace(self.question, text=text, sort=self.sort, generation=self.generation)
        try:
            result = self.store.query(text, sort=question.sort.column, descending=question.sort.descending)
        except filter_syntax.FilterError as error:
            self.filter_bar.show_error(_filter_message(error), getattr(error, "position", None))
            return False
        self.question = question
        self.show_answer(Matches(question, result, follow))
        return True

    @work(thread=True, exclusive=True, exit_on_error=False, group="filter", description="Searching")
    def answer_filter(self, question: Question, follow: Follow) -> None:
        sort = question.sort
        result = self.store.query(question.text, sort=sort.column, descending=sort.descending)
        if not get_current_worker().is_cancelled:
            self.post_message(Answered(Matches(question, result, follow)))

    @while_running
    def on_answered(self, message: Answered) -> None:
        """An answer from a worker: shown when it still answers the question in force, else dropped."""
        answer = message.answer
        if not answer.answers(self.question):
            return  # a later question has its own answer coming
        if isinstance(answer, Matches):
            self.show_answer(answer)
        else:
            setattr(self, answer.shown_in, answer)  # the reactive bound into the pane that shows it

    def show_answer(self, answer: Matches) -> None:
        """Show the meetings' answer (bound into the panes) and recount what follows from it."""
        if answer.question.text == self.filter_text:
            self.filter_bar.clear_error()
            self.set_status(searching=False)
        self.answer = answer
        self.set_status(loaded=len(self.store), matching=len(answer.result.ids))
        if self._count_timer is not None:
            self._count_timer.stop()
        if not self.counts_current:
            self._count_timer = self.set_timer(COUNT_DELAY, functools.partial(self.count_aggregates, answer))
        self.schedule_timeline()

    def schedule_timeline(self) -> None:
        """Recount the timeline soon, for whatever the question is then (one recount per interval)."""
        if self._timeline_timer is None:
            self._timeline_timer = self.set_timer(TIMELINE_DELAY, self._start_timeline)

    def _start_timeline(self) -> None:
        self._timeline_timer = None
        shown = self.timeline_counts
        if shown is not None and shown.answers(self.question):
            return  # nothing the timeline counts changed (the sort, say)
        self.timeline_requests += 1
        self.count_timeline(self.question)

    @work(
        thread=True,
        exclusive=True,
        exit_on_error=False,
        group="timeline",
        description="Counting the timeline",
    )
    def count_timeline(self, question: Question) -> None:
        try:
            timeline = timeline_for_filter(self.store, question.text, question.zoom)
        except filter_syntax.FilterError:
            return  # only good filters are asked for; one that fails now was replaced already
        if not get_current_worker().is_cancelled:
            self.post_message(Answered(TimelineCounts(question, timeline)))

    @work(thread=True, exclusive=True, exit_on_error=False, group="aggregates", description="Counting")
    def count_aggregates(self, answer: Matches) -> None:
        people = self.store.participants(answer.result)
        topics = self.store.topics(answer.result)
        if not get_current_worker().is_cancelled:
            behind = self.store.people_behind
            counts = Counts(answer.question, people[:CAP], len(people), topics[:CAP], len(topics), behind)
            self.post_message(Answered(counts))

    def show_event(self, event_id: str | None) -> None:
        """Ask about one event (None: nothing selected): the detail now (one event read), the related events
        in a thread (tens to hundreds of events weighed: a cursor move never waits for them, nor for the
        store's lock while the people are built behind the panes); each pane follows its binding."""
        self.selection = event_id
        self.question = question = replace(self.question, selection=event_id)
        event = self.store.get(event_id) if event_id is not None else None
        highlight = tuple(self.answer.result.highlight) if self.answer else ()
        self.event_detail = Detail(question, event, highlight)
        if event is None or event_id is None:
            self.related = Related(question, [])
        else:
            self.answer_related(question, event_id)

    @work(thread=True, exclusive=True, exit_on_error=False, group="related", description="Relating")
    def answer_related(self, question: Question, event_id: str) -> None:
        if get_current_worker().is_cancelled:
            return  # the cursor moved on before a thread was free: weigh only the events still asked for
        try:
            relations = self.store.related(event_id)
        except KeyError:
            relations = []  # the event left meanwhile: its removal brings the next question
        if not get_current_worker().is_cancelled:
            self.post_message(Answered(Related(question, relations)))

    def show_problems(self) -> None:
        """The problem lines, read in a thread: at 1,000,000 files the read takes a second while a walk or
        the people's build shares the interpreter."""
        self.count_problems(self.question)

    def watch_problems(self, problems: Problems | None) -> None:
        """The status bar counts the files the problem lines shown are about."""
        if problems is not None:
            self.set_status(problem_files=problems.files)

    @work(thread=True, exclusive=True, exit_on_error=False, group="problems", description="Listing problems")
    def count_problems(self, question: Question) -> None:
        files = len(self.store.problem_files())
        problems = self.store.problems()
        if not get_current_worker().is_cancelled:
            self.post_message(Answered(Problems(question, problems, files)))

    def show_alert_history(self) -> None:
        """The alert history (the alerts pane) and the events it names (marked in the meetings)."""
        self.alerted = frozenset(self.alert_book.alerted_ids())
        self.alert_history = AlertHistory(
            self.question, self.alert_book.history(), len(self.alert_book.rules)
        )
        self.set_status(alerts=len(self.alert_history.hits))


def _filter_message(error: Exception) -> str:
    message = getattr(error, "message", None)
    return str(message if message else error)
