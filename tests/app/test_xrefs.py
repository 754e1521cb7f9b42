"""Cross-references: the related events of the selected one, best first with reasons in words; Enter jumps
there and backspace jumps back."""

from __future__ import annotations

import threading

from textual.widgets import Input

from tests.app.conftest import SEED_ID, related_current, running, wait_until

BILATERAL = "tm-ru-2023-05-04-bilateral"


async def select_seed(pilot) -> None:
    app = pilot.app
    await pilot.press("down")
    await wait_until(pilot, lambda: app.dashboard.selection == SEED_ID, what="the seed event")
    await wait_until(pilot, lambda: related_current(app), what="its related events")


async def test_related_events_are_listed_best_first_with_reasons(corpus, make_app):
    app = make_app(corpus)
    async with running(app) as pilot:
        await select_seed(pilot)
        xrefs = app.query_one("#xrefs")
        assert xrefs.targets[0] == BILATERAL  # an explicit link always ranks first
        assert "tm-ru-2022-04-12-consultations" in xrefs.targets
        assert "decl-ru-tm-2022-signing" in xrefs.targets
        first = xrefs.options[0].prompt.plain
        assert "Meeting of Vepa Hadjiev and Mikhail Galuzin" in first
        assert "explicit link" in first and "sub-event" in first
        signing = xrefs.options[xrefs.targets.index("decl-ru-tm-2022-signing")].prompt.plain
        assert "both refer to Declaration on Deepening Strategic Partnership" in signing


async def test_enter_jumps_to_the_related_event_and_backspace_jumps_back(corpus, make_app):
    app = make_app(corpus)
    async with running(app) as pilot:
        await select_seed(pilot)
        await pilot.press("5", "home", "enter")
        await wait_until(pilot, lambda: app.dashboard.meetings.selected_id == BILATERAL, what="the jump")
        assert app.dashboard.selection == BILATERAL
        assert app.query_one("#xrefs").targets[0] == SEED_ID  # and the way back is related too
        await pilot.press("backspace")
        await wait_until(pilot, lambda: app.dashboard.meetings.selected_id == SEED_ID, what="the jump back")
        assert app.dashboard.selection == SEED_ID


async def test_jumping_to_an_event_hidden_by_the_filter_shows_it_in_the_detail(corpus, make_app):
    app = make_app(corpus)
    async with running(app) as pilot:
        await pilot.press("slash", *"kind:consultation", "enter")
        await wait_until(pilot, lambda: len(app.dashboard.meetings.ids) == 3, what="three consultations")
        row = app.dashboard.meetings.ids.index(SEED_ID)
        await pilot.press(*["down"] * row)
        await wait_until(pilot, lambda: app.dashboard.selection == SEED_ID, what="the seed event")
        await pilot.press("5", "home", "enter")
        await wait_until(pilot, lambda: app.dashboard.selection == BILATERAL, what="the jump")
        assert app.dashboard.meetings.selected_id == SEED_ID  # the meetings do not move
        assert app.query_one("#filter", Input).value == "kind:consultation"  # nor the filter
        assert "Meeting of Vepa Hadjiev" in app.dashboard.detail.text
        await pilot.press("backspace")
        await wait_until(pilot, lambda: app.dashboard.selection == SEED_ID, what="the jump back")


async def test_reasons_are_wrapped_in_full_in_a_narrow_pane(corpus, make_app):
    """At 80 columns every word of the best relation's reasons reaches the screen: wrapped in the pane,
    never cut with '…'."""
    app = make_app(corpus)
    async with running(app, size=(80, 50)) as pilot:
        await select_seed(pilot)
        xrefs = app.query_one("#xrefs")
        await wait_until(pilot, lambda: xrefs.targets, what="related events")
        await pilot.press("5")
        await pilot.pause()
        first_reasons = app.store.related(SEED_ID)[0].reasons
        lines = [xrefs.render_line(y).text for y in range(xrefs.size.height)]
        screen_words = " ".join(lines).split()
        assert not any("…" in line for line in lines)
        for reason in first_reasons:
            for word in reason.split():
                assert word in screen_words, (word, lines)


async def test_a_cursor_move_shows_the_event_at_once_and_its_related_events_when_weighed(corpus, make_app):
    """Weighing the related events can take a second at 1,000,000 events (or wait for the store's lock
    while the people are built): the detail follows the cursor at once, and until the related events come
    the pane dims the other event's rows and says it is relating, rather than pass them off."""
    app = make_app(corpus)
    async with running(app) as pilot:
        await select_seed(pilot)
        xrefs = app.query_one("#xrefs")
        before = list(xrefs.targets)
        weighed = threading.Event()
        related = app.store.related

        def slow_related(event_id):
            weighed.wait(10)
            return related(event_id)

        app.store.related = slow_related
        await pilot.press("down")
        await wait_until(pilot, lambda: app.dashboard.selection != SEED_ID, what="the next event")
        assert app.dashboard.detail.event_id == app.dashboard.selection  # the detail did not wait
        assert xrefs.has_class("asking") and xrefs.border_subtitle == "relating…"
        assert xrefs.targets == before  # the seed's rows, dimmed, until the new ones come
        weighed.set()
        await wait_until(pilot, lambda: related_current(app), what="the next event's related events")
        await pilot.pause()
        assert not xrefs.has_class("asking") and xrefs.border_subtitle is None
