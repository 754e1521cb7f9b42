"""The filter bar: `/` focuses it, typing narrows every pane, Enter and Escape go back to the meetings, and a
malformed filter keeps the last good result with a message under the input."""

from __future__ import annotations

import pytest
from textual import events
from textual.widgets import Input

from tests.app.conftest import ON_THE_INDEX, running, wait_until


def participant_names(app) -> list[str]:
    return [person.name for person in app.query_one("#participants").people]


def topic_tags(app) -> list[str]:
    return app.query_one("#topics").tags


async def test_typing_narrows_every_pane_and_enter_returns_to_the_meetings(corpus, make_app):
    app = make_app(corpus)
    async with running(app) as pilot:
        assert len(app.dashboard.meetings.ids) == 10
        assert "Qin Gang" in participant_names(app)
        await pilot.press("slash")
        assert app.focused is app.query_one("#filter")
        await pilot.press(*"caspian")
        await wait_until(
            pilot, lambda: app.dashboard.meetings.ids == ["kz-ru-2023-03-15-call"], what="one match"
        )
        await wait_until(pilot, lambda: app.dashboard.counts_current, what="the counts")
        assert sorted(participant_names(app)) == ["Mukhtar Tileuberdi", "Sergey Lavrov"]
        assert topic_tags(app) == ["caspian"]
        assert app.dashboard.selection == "kz-ru-2023-03-15-call"
        assert "1 matching" in app.dashboard.status.text
        await pilot.press("enter")
        assert app.focused is app.dashboard.meetings
        assert app.query_one("#filter", Input).value == "caspian"


async def test_escape_clears_the_filter_and_returns_to_the_meetings(corpus, make_app):
    app = make_app(corpus)
    async with running(app) as pilot:
        await pilot.press("slash", *"kind:call")
        await wait_until(pilot, lambda: len(app.dashboard.meetings.ids) == 2, what="two calls")
        await pilot.press("escape")
        assert app.query_one("#filter", Input).value == ""
        assert app.focused is app.dashboard.meetings
        await wait_until(pilot, lambda: len(app.dashboard.meetings.ids) == 10, what="every event again")


async def test_a_malformed_filter_keeps_the_last_good_result_and_says_why(corpus, make_app):
    app = make_app(corpus)
    async with running(app) as pilot:
        await pilot.press("slash", *"kind:call ")
        await wait_until(pilot, lambda: len(app.dashboard.meetings.ids) == 2, what="two calls")
        await pilot.press(*'"unterminated')
        await wait_until(pilot, lambda: app.dashboard.filter_bar.error_text, what="an error message")
        assert app.query_one("#filter-error").display
        assert len(app.dashboard.meetings.ids) == 2  # the last good result stays
        assert app.is_running
        await pilot.press(*'"')
        await wait_until(pilot, lambda: not app.dashboard.filter_bar.error_text, what="the message to go")
        assert not app.query_one("#filter-error").display
        assert app.dashboard.meetings.ids == []
        assert "No event matches" in app.dashboard.meetings.render_line(1).text


async def test_unknown_field_is_an_error_not_a_crash(corpus, make_app):
    app = make_app(corpus)
    async with running(app) as pilot:
        app.query_one("#filter", Input).value = "colour:red"
        await wait_until(pilot, lambda: app.dashboard.filter_bar.error_text, what="an error message")
        assert len(app.dashboard.meetings.ids) == 10
        assert app.is_running


async def test_filter_keeps_the_selected_event_when_it_still_matches(corpus, make_app):
    app = make_app(corpus)
    async with running(app) as pilot:
        await pilot.press("down", "down")  # the bilateral meeting
        assert app.dashboard.meetings.selected_id == "tm-ru-2023-05-04-bilateral"
        await pilot.press("slash", *"galuzin")
        await wait_until(pilot, lambda: len(app.dashboard.meetings.ids) == 4, what="four matches")
        assert app.dashboard.meetings.selected_id == "tm-ru-2023-05-04-bilateral"
        app.query_one(
            "#filter", Input
        ).value = "galuzin -bilateral"  # in one step: typing passes through others
        await wait_until(pilot, lambda: len(app.dashboard.meetings.ids) == 3, what="three matches")
        assert (
            app.dashboard.meetings.selected_id == app.dashboard.meetings.ids[0]
        )  # it left the result: back to the top


async def test_keys_typed_ahead_land_where_they_were_meant(corpus, make_app):
    """A burst (`/caspian⏎` then `q`, as a fast typist or a paste sends it) is read before any of it is
    handled: the focus must move as each key is read, or the rest goes to the pane that had it."""
    app = make_app(corpus)
    async with running(app) as pilot:
        for key, character in [("slash", "/"), *((letter, letter) for letter in "caspian"), ("enter", "\r")]:
            app.post_message(events.Key(key, character))
        await wait_until(
            pilot, lambda: app.dashboard.meetings.ids == ["kz-ru-2023-03-15-call"], what="the filter"
        )
        assert app.query_one("#filter", Input).value == "caspian"
        assert app.focused is app.dashboard.meetings
        app.post_message(events.Key("3", "3"))
        app.post_message(events.Key("end", None))
        app.post_message(events.Key("enter", "\r"))
        await wait_until(pilot, lambda: app.query_one("#filter", Input).value != "caspian", what="the toggle")
        assert app.focused.id == "participants"
        assert app.query_one("#filter", Input).value.startswith("caspian participant:")


async def test_a_long_phrase_search_is_answered_off_the_interface_thread(corpus, make_app, monkeypatch):
    """A phrase of common words reads thousands of texts: the answer comes from a thread, then shows."""
    from tui.dashboard import answering as app_module

    if ON_THE_INDEX:
        pytest.skip("the persistent index answers a phrase from its positions: no text is read")

    monkeypatch.setattr(
        app_module, "BACKGROUND_PHRASE_TEXTS", 0
    )  # every unchecked phrase, in this small corpus
    app = make_app(corpus)
    threads: list[bool] = []
    query = app.store.query

    def spy(*args, **kwargs):
        import threading

        threads.append(threading.current_thread() is threading.main_thread())
        return query(*args, **kwargs)

    monkeypatch.setattr(app.store, "query", spy)
    async with running(app) as pilot:
        expected = query('"regional security"').ids
        app.store.index._phrases.clear()  # as if never asked
        threads.clear()
        await pilot.press("slash", *'"regional security"')
        await wait_until(
            pilot, lambda: app.dashboard.meetings.ids == list(expected), what="the phrase's events"
        )
        assert expected and False in threads  # asked from a thread, not the interface
        await wait_until(
            pilot, lambda: "searching" not in app.dashboard.status.text, what="the status to settle"
        )
        assert f"{len(expected)} matching" in app.dashboard.status.text
