"""Saved filters: `s` names the current filter (written to saved_filters.toml under XDG_CONFIG_HOME, which the
tests point at a temporary folder), and the command palette recalls it."""

from __future__ import annotations

import tomllib

from textual.command import CommandList
from textual.widgets import Input

from store.config import SAVED_FILTERS_FILE, config_folder
from tests.app.conftest import running, wait_until
from tests.app.test_live import notifications
from tui.save_filter_screen import SaveFilterScreen

GALUZIN = 'p:galuzin c:"TM"'


def saved_file() -> dict[str, str]:
    return tomllib.loads((config_folder() / SAVED_FILTERS_FILE).read_text())


async def palette(pilot, query: str) -> None:
    """Open the command palette, search, and run the first command found."""
    await pilot.press("ctrl+p")
    await pilot.press(*query)
    await pilot.pause(0.3)
    await pilot.press("enter")
    await pilot.pause()


async def test_s_saves_the_filter_and_the_palette_recalls_it(corpus, make_app):
    app = make_app(corpus)
    async with running(app) as pilot:
        filter_input = app.query_one("#filter", Input)
        await pilot.press("slash", *GALUZIN, "enter")
        await wait_until(pilot, lambda: len(app.meetings.ids) == 4, what="Galuzin with TM")
        await pilot.press("s")
        await wait_until(pilot, lambda: isinstance(app.screen, SaveFilterScreen), what="the dialog")
        assert GALUZIN in str(app.screen.query_one("Static").visual)
        await pilot.press(*"tm-ru galuzin", "enter")
        await wait_until(
            pilot, lambda: not isinstance(app.screen, SaveFilterScreen), what="the dialog to close"
        )
        assert saved_file() == {"tm-ru galuzin": GALUZIN}
        assert "Filter saved as 'tm-ru galuzin': ctrl+p recalls it." in notifications(app)
        assert app.focused is app.meetings

        await pilot.press("slash", "escape")  # clear the filter
        await wait_until(pilot, lambda: len(app.meetings.ids) == 10, what="every event")
        await palette(pilot, "filter: tm-ru")
        assert filter_input.value == GALUZIN
        await wait_until(pilot, lambda: len(app.meetings.ids) == 4, what="the recalled filter")

        await palette(pilot, "forget filter: tm-ru")
        assert app.saved_filters == {} and saved_file() == {}


async def test_a_saved_name_asks_before_it_is_replaced(corpus, make_app):
    app = make_app(corpus)
    async with running(app) as pilot:
        for text in ("kind:call", "kind:visit"):
            await pilot.press("slash", "escape", "slash", *text, "enter", "s")
            await wait_until(pilot, lambda: isinstance(app.screen, SaveFilterScreen), what="the dialog")
            await pilot.press(*"mine", "enter")
        dialog = app.screen
        assert isinstance(dialog, SaveFilterScreen)
        assert "'mine' is saved already: enter again to replace it" in dialog.error_text
        assert saved_file() == {"mine": "kind:call"}
        await pilot.press("enter")
        await wait_until(
            pilot, lambda: not isinstance(app.screen, SaveFilterScreen), what="the dialog to close"
        )
        assert saved_file() == {"mine": "kind:visit"}


async def test_nothing_to_save_and_escape_cancels(corpus, make_app):
    app = make_app(corpus)
    async with running(app) as pilot:
        await pilot.press("s")
        assert not isinstance(app.screen, SaveFilterScreen)
        assert any(message.startswith("The filter is empty") for message in notifications(app))
        await pilot.press("slash", *'kind:"call', "enter", "s")  # malformed
        assert not isinstance(app.screen, SaveFilterScreen)
        await pilot.press("slash", "escape", "slash", *"kind:call", "enter", "s")
        await wait_until(pilot, lambda: isinstance(app.screen, SaveFilterScreen), what="the dialog")
        await pilot.press(*"x", "escape")
        await wait_until(
            pilot, lambda: not isinstance(app.screen, SaveFilterScreen), what="the dialog to close"
        )
        assert not (config_folder() / SAVED_FILTERS_FILE).exists()


async def test_hostile_names_stay_inert_in_the_palette(corpus, make_app):
    name = "[@click=app.quit]evil[/]"
    app = make_app(corpus)
    async with running(app) as pilot:
        await pilot.press("slash", *"kind:call", "enter", "s")
        await wait_until(pilot, lambda: isinstance(app.screen, SaveFilterScreen), what="the dialog")
        await pilot.press(*name, "enter")
        await wait_until(
            pilot, lambda: not isinstance(app.screen, SaveFilterScreen), what="the dialog to close"
        )
        assert saved_file() == {name: "kind:call"}
        await pilot.press("slash", "escape")
        await pilot.press("ctrl+p", *"evil")
        await pilot.pause(0.3)
        commands = app.screen.query_one(CommandList)
        shown = [commands.get_option_at_index(n).prompt.plain for n in range(commands.option_count)]
        assert "Filter: [@click=app.quit]evil[/]\nkind:call" in shown
        await pilot.press("enter")
        await pilot.pause()
        assert app.is_running
        assert app.query_one("#filter", Input).value == "kind:call"
