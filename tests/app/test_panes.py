"""The panes come from one list (tui/panes.py): each is framed by class, numbered, and bound to the screen's
shared state by the names of its reactives."""

from __future__ import annotations

from store.model.changes import Changes
from tests.app.conftest import SEED_ID, related_current, running, wait_until
from tests.app.test_alerts import row_of
from tui.answers import ChangeBatch, Related, Sort
from tui.meetings_view import NEW_MARK, SEEN_ALERT_MARK, STALE_MARK
from tui.panes import PANES
from tui.problems_pane import ProblemsPane
from tui.xrefs_pane import XrefsPane


async def test_every_listed_pane_is_composed_framed_and_numbered(corpus, make_app):
    async with running(make_app(corpus)) as pilot:
        app = pilot.app
        for number, pane in enumerate(PANES, 1):
            widget = app.query_one(f"#{pane.id}")
            assert widget.has_class("pane"), pane.id
            assert widget.display == (not pane.hidden)
            await pilot.press(str(number))
            assert app.focused is widget, pane.id
            await pilot.press("escape")


async def test_shared_state_reaches_the_panes_through_their_bindings(corpus, make_app):
    async with running(make_app(corpus)) as pilot:
        dashboard = pilot.app.dashboard
        meetings, participants, timeline = (
            dashboard.meetings,
            dashboard.query_one("#participants"),
            dashboard.timeline,
        )
        assert meetings.answer is dashboard.answer and meetings.sort == dashboard.sort
        assert (
            participants.counts is dashboard.counts and timeline.timeline_counts is dashboard.timeline_counts
        )
        await pilot.press("o")  # the meetings ask; the screen decides; the header follows the binding
        await pilot.pause()
        assert dashboard.sort == Sort("kind", False) and meetings.sort is dashboard.sort
        assert meetings.answer is dashboard.answer and dashboard.answer.question.sort == dashboard.sort


async def test_the_detail_related_problems_alerts_and_status_follow_the_screens_answers(corpus, make_app):
    """The screen never fills these panes by hand: each holds the answer the screen's reactive holds, and
    a new answer set on the screen is what the pane shows next."""
    async with running(make_app(corpus)) as pilot:
        dashboard = pilot.app.dashboard
        await wait_until(pilot, lambda: dashboard.selection is not None, what="a selected event")
        await wait_until(pilot, lambda: related_current(pilot.app), what="its related events")
        await wait_until(pilot, lambda: dashboard.problems is not None, what="the problem lines")
        detail, xrefs, problems, alerts, status = (
            dashboard.detail,
            dashboard.query_one("#xrefs", XrefsPane),
            dashboard.query_one("#errors", ProblemsPane),
            dashboard.alerts_pane,
            dashboard.status,
        )
        assert detail.event_detail is dashboard.event_detail and xrefs.related is dashboard.related
        assert problems.problems is dashboard.problems and alerts.alert_history is dashboard.alert_history
        assert status.status == dashboard.status_line
        selected = dashboard.selection
        assert dashboard.event_detail.question.selection == selected == detail.event_id
        assert dashboard.related.question.selection == selected and xrefs.targets
        dashboard.related = Related(dashboard.question, [])
        assert xrefs.targets == [] and "No related event" in str(xrefs.get_option_at_index(0).prompt)
        dashboard.set_status(unseen=7)
        assert "● 7 new or changed" in status.text


async def test_stale_events_reach_the_meetings_and_the_detail_through_their_bindings(corpus, make_app):
    """The screen's `stale` is all it takes: the row gets `!` and the detail its note, no call to either pane."""
    async with running(make_app(corpus)) as pilot:
        dashboard = pilot.app.dashboard
        await pilot.press("down")
        await wait_until(pilot, lambda: dashboard.selection == SEED_ID, what="the seed event")
        assert not row_of(pilot.app, SEED_ID).startswith(STALE_MARK)
        assert "unreadable" not in dashboard.detail.text
        scroll = dashboard.detail.scroll_offset
        dashboard.stale = frozenset({SEED_ID})
        assert dashboard.meetings.stale == dashboard.detail.stale == {SEED_ID}
        assert row_of(pilot.app, SEED_ID).startswith(STALE_MARK)
        assert "⚠ its file is unreadable now" in dashboard.detail.text
        assert dashboard.detail.scroll_offset == scroll and dashboard.selection == SEED_ID
        dashboard.stale = frozenset()
        assert not row_of(pilot.app, SEED_ID).startswith(STALE_MARK)
        assert "unreadable" not in dashboard.detail.text


async def test_alerted_events_reach_the_meetings_through_their_binding(corpus, make_app):
    async with running(make_app(corpus)) as pilot:
        dashboard = pilot.app.dashboard
        other = next(event_id for event_id in dashboard.meetings.ids if event_id != dashboard.selection)
        dashboard.alerted = frozenset({other})
        assert row_of(pilot.app, other).startswith(SEEN_ALERT_MARK)  # not new: seen
        dashboard.alerted = frozenset()
        assert row_of(pilot.app, other).startswith(" ")


async def test_a_batch_of_changes_marks_rows_and_the_count_reaches_the_status_by_message(corpus, make_app):
    """The meetings take a batch from the screen's `last_changes` and mark its rows themselves; the count of
    unseen events reaches the status bar through their `UnseenChanged`, not by the screen reading the marks."""
    async with running(make_app(corpus)) as pilot:
        dashboard = pilot.app.dashboard
        selected = dashboard.selection
        first, second = [event_id for event_id in dashboard.meetings.ids if event_id != selected][:2]
        dashboard.last_changes = ChangeBatch(
            dashboard.generation, Changes(added={first}, changed={second, selected})
        )
        assert dashboard.meetings.marks == {first, second}  # the one under the cursor is seen
        assert all(row_of(pilot.app, event_id).startswith(NEW_MARK) for event_id in (first, second))
        await wait_until(pilot, lambda: "● 2 new or changed" in dashboard.status.text, what="the count")
        dashboard.last_changes = ChangeBatch(dashboard.generation, Changes(removed={first}))
        assert dashboard.meetings.marks == {second}  # a second batch naming other ids is taken too
        await wait_until(pilot, lambda: "● 1 new or changed" in dashboard.status.text, what="the new count")
        await pilot.press("m")
        await wait_until(pilot, lambda: "new or changed" not in dashboard.status.text, what="no count")
