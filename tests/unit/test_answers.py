"""The dashboard's one test of currency: an answer is current while nothing it depends on changed."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from store.event_store import EventStore
from store.index.timeline import Timeline
from tui.answers import (
    AlertHistory,
    Counts,
    Detail,
    Matches,
    Problems,
    Question,
    Related,
    Sort,
    TimelineCounts,
)


def _answers(question: Question, folder: Path) -> tuple[Matches, Counts, TimelineCounts]:
    result = EventStore(str(folder)).query("")
    return (
        Matches(question, result),
        Counts(question, [], 0, [], 0),
        TimelineCounts(question, Timeline("month", ())),
    )


def test_each_answer_is_judged_by_what_it_depends_on(tmp_path: Path) -> None:
    asked = Question("galuzin", Sort(), "month", 3)
    matches, counts, timeline = _answers(asked, tmp_path)
    assert all(answer.answers(asked) for answer in (matches, counts, timeline))
    # Another filter: nothing answered for the old one is current.
    other = replace(asked, text="hadjiev")
    assert not any(answer.answers(other) for answer in (matches, counts, timeline))
    # Another order: only the meetings' answer is stale; counts and the timeline do not depend on it.
    resorted = replace(asked, sort=Sort("title", False))
    assert (matches.answers(resorted), counts.answers(resorted), timeline.answers(resorted)) == (
        False,
        True,
        True,
    )
    # A store change: a search asked before it still answers its filter; the counts must be taken again.
    changed = replace(asked, generation=4)
    assert (matches.answers(changed), counts.answers(changed), timeline.answers(changed)) == (
        True,
        False,
        False,
    )
    # Another zoom: only the timeline.
    zoomed = replace(asked, zoom="week")
    assert (matches.answers(zoomed), counts.answers(zoomed), timeline.answers(zoomed)) == (True, True, False)


def test_the_sort_a_column_asks_for() -> None:
    assert Sort("date", True).by("date") == Sort("date", False)  # the same column: reversed
    assert Sort("date", True).by("title") == Sort("title", False)  # text A to Z first
    assert Sort("title", False).by("participants") == Sort("participants", True)  # most people first
    assert Sort("title", False).by("arrival") == Sort("arrival", True)  # last arrived first
    assert Sort("kind", False).reversed() == Sort("kind", True)


def test_the_selected_events_answers_follow_the_selection_and_the_store(tmp_path: Path) -> None:
    asked = Question("galuzin", Sort(), "month", 3, "seed")
    matches, counts, timeline = _answers(asked, tmp_path)
    detail, related, problems = Detail(asked, None), Related(asked, []), Problems(asked, [], 0)
    history = AlertHistory(asked, [], 0)
    # Another event selected: only what is about the selected event is stale.
    moved = replace(asked, selection="other")
    assert [a.answers(moved) for a in (matches, counts, timeline, detail, related, problems, history)] == [
        True,
        True,
        True,
        False,
        False,
        True,
        True,
    ]
    # A store change: every answer about the folder's contents is asked again, but the related events
    # stand until their new answer comes (a batch that may change them asks for it; a load's progress does not).
    changed = replace(asked, generation=4)
    assert [a.answers(changed) for a in (detail, related, problems, history)] == [False, True, False, False]
    # Another filter: the detail's highlighted words change; its related events and the problems do not.
    other = replace(asked, text="hadjiev")
    assert [a.answers(other) for a in (detail, related, problems, history)] == [False, True, True, True]
    # Each kind of answer names the screen's reactive that holds it, and no two share one.
    kinds = (Matches, Counts, TimelineCounts, Detail, Related, Problems, AlertHistory)
    assert len({kind.shown_in for kind in kinds}) == len(kinds) and all(kind.shown_in for kind in kinds)
