"""Cross-references: the related events of the selected one, best first with reasons in words; Enter jumps
there and backspace jumps back."""

from __future__ import annotations

from textual.widgets import Input

from tests.app.conftest import SEED_ID, running, wait_until

BILATERAL = "tm-ru-2023-05-04-bilateral"


async def select_seed(pilot) -> None:
    app = pilot.app
    await pilot.press("down")
    await wait_until(pilot, lambda: app.shown_id == SEED_ID, what="the seed event")


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
        await wait_until(pilot, lambda: app.meetings.selected_id == BILATERAL, what="the jump")
        assert app.shown_id == BILATERAL
        assert app.query_one("#xrefs").targets[0] == SEED_ID  # and the way back is related too
        await pilot.press("backspace")
        await wait_until(pilot, lambda: app.meetings.selected_id == SEED_ID, what="the jump back")
        assert app.shown_id == SEED_ID


async def test_jumping_to_an_event_hidden_by_the_filter_shows_it_in_the_detail(corpus, make_app):
    app = make_app(corpus)
    async with running(app) as pilot:
        await pilot.press("slash", *"kind:consultation", "enter")
        await wait_until(pilot, lambda: len(app.meetings.ids) == 3, what="three consultations")
        row = app.meetings.ids.index(SEED_ID)
        await pilot.press(*["down"] * row)
        await wait_until(pilot, lambda: app.shown_id == SEED_ID, what="the seed event")
        await pilot.press("5", "home", "enter")
        await wait_until(pilot, lambda: app.shown_id == BILATERAL, what="the jump")
        assert app.meetings.selected_id == SEED_ID  # the meetings do not move
        assert app.query_one("#filter", Input).value == "kind:consultation"  # nor the filter
        assert "Meeting of Vepa Hadjiev" in app.detail.text
        await pilot.press("backspace")
        await wait_until(pilot, lambda: app.shown_id == SEED_ID, what="the jump back")


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
