"""The panes come from one list (tui/panes.py): each is framed by class, numbered, and bound to the screen's
shared state by the names of its reactives."""

from __future__ import annotations

from tests.app.conftest import running
from tui.answers import Sort
from tui.panes import PANES


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
