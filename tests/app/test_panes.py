"""The panes come from one list (tui/panes.py): each is framed by class, numbered, and bound to the screen's
shared state by the names of its reactives."""

from __future__ import annotations

from tests.app.conftest import running, wait_until
from tui.answers import Related, Sort
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
