"""Alert rules in the dashboard: a live file that matches a rule gives a notification, the bell, a mark in
the meetings and a line in the alerts pane (`a`), from which Enter jumps to the event; files that do not match,
events that did not change and events already there at start give nothing."""

from __future__ import annotations

import json
import os
from unittest.mock import Mock

from store.config import config_folder
from tests.app.conftest import row_texts, running, wait_until
from tests.app.test_hostile_text import HOSTILE, SHOWN
from tests.app.test_live import ARRIVAL, notifications, write_event
from tui.meetings_view import ALERT_MARK, SEEN_ALERT_MARK

AFGHAN_FILE = "2023/2023-01-18-tm-af-consultations.json"
"""A corpus event with the topic afghanistan."""


def alert_toasts(app) -> list[tuple[str, str]]:
    """Alert notifications (the only warnings with a title)."""
    return [
        (note.title, note.message) for note in app._notifications if note.severity == "warning" and note.title
    ]


def row_of(app, event_id: str) -> str:
    position = app.meetings.ids.index(event_id)
    return app.meetings.render_line(position + 1 - app.meetings.scroll_offset.y).text


async def test_a_live_file_that_matches_fires_every_signal(corpus, make_app):
    app = make_app(corpus, alerts=[("afghanistan", "topic:afghanistan")])
    app.bell = Mock()
    async with running(app) as pilot:
        assert app.alert_book.history() == []  # four matching events at start: none is news
        write_event(
            corpus, "2024/kabul.json", id="kabul-2024", title="Talks in Kabul", topics=["Afghanistan"]
        )
        await wait_until(pilot, lambda: alert_toasts(app), ARRIVAL, "the alert")
        assert alert_toasts(app) == [("Alert: afghanistan", "Talks in Kabul (2024-01-01)")]
        app.bell.assert_called_once_with()
        assert row_of(app, "kabul-2024").startswith(ALERT_MARK)
        assert "◆ 1 alert" in app.status.text

        await pilot.press("a")
        pane = app.query_one("#alerts")
        assert pane.display and app.focused is pane
        assert pane.option_count == 1
        line = pane.get_option_at_index(0).prompt.plain
        assert "afghanistan" in line and "Talks in Kabul" in line and "2024-01-01" in line
        assert pane.border_title.startswith("Alerts")

        await pilot.press("2", "7")  # away and back: the pane stays as it was
        await pilot.press("home", "enter")
        await wait_until(pilot, lambda: app.meetings.selected_id == "kabul-2024", what="the jump")
        assert app.shown_id == "kabul-2024"
        assert row_of(app, "kabul-2024").startswith(SEEN_ALERT_MARK)  # seen now, still marked
        await pilot.press("a")
        assert not pane.display and app.focused is app.meetings


async def test_non_matching_and_unchanged_events_do_not_fire(corpus, make_app):
    app = make_app(corpus, alerts=[("afghanistan", "topic:afghanistan")])
    app.bell = Mock()
    async with running(app) as pilot:
        write_event(corpus, "2024/other.json", id="other-2024", title="Talks on trade", topics=["trade"])
        matching = corpus / AFGHAN_FILE
        matching.write_text(matching.read_text() + "\n")  # rewritten, same event: nothing changed
        os.utime(matching, (1_800_000_000, 1_800_000_000))
        await wait_until(pilot, lambda: "other-2024" in app.meetings.ids, ARRIVAL, "the new event")
        await pilot.pause(0.5)
        assert alert_toasts(app) == []
        app.bell.assert_not_called()
        assert app.alert_book.history() == []
        assert not any(row.startswith((ALERT_MARK, SEEN_ALERT_MARK)) for row in row_texts(app))
        assert "alert" not in app.status.text

        # A change that makes an event match fires, as "changed".
        data = json.loads((corpus / "2024/other.json").read_text())
        (corpus / "2024/other.json").write_text(json.dumps({**data, "topics": ["trade", "Afghanistan"]}))
        await wait_until(pilot, lambda: alert_toasts(app), ARRIVAL, "the alert on the change")
        assert app.alert_book.history()[0].change == "changed"
        assert "(changed)" in app.query_one("#alerts").get_option_at_index(0).prompt.plain


async def test_several_hits_make_one_notification_and_one_bell(corpus, make_app):
    app = make_app(corpus, alerts=[("calls", "kind:call"), ("kabul", "kabul")])
    app.bell = Mock()
    async with running(app) as pilot:
        lines = "\n".join(
            json.dumps(
                {"id": f"call-{n}", "title": f"Call {n} with Kabul", "date": f"2024-02-0{n}", "kind": "call"}
            )
            for n in range(1, 4)
        )
        (corpus / "calls-2024.jsonl").write_text(lines)
        await wait_until(pilot, lambda: alert_toasts(app), ARRIVAL, "the alerts")
        ((title, message),) = alert_toasts(app)
        assert title == "6 alerts"
        assert message.splitlines()[0].startswith(("calls: Call", "kabul: Call"))
        assert message.splitlines()[-1] == "… and 3 more: a shows them all"
        app.bell.assert_called_once_with()
        assert app.query_one("#alerts").option_count == 6


async def test_rules_and_the_bell_setting_come_from_the_config_file(corpus, make_app):
    folder = config_folder()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "config.toml").write_text(
        'bell = false\n[alerts]\n"Calls" = "kind:call"\nbroken = "kind:nope"\n'
    )
    app = make_app(corpus)  # no config given: the app reads it, as the command line opens it
    app.bell = Mock()
    async with running(app) as pilot:
        assert any("broken" in message for message in notifications(app))  # reported once, at start
        write_event(corpus, "2024/call.json", id="call-2024", title="A call", kind="call")
        await wait_until(pilot, lambda: alert_toasts(app), ARRIVAL, "the alert")
        assert alert_toasts(app)[-1] == ("Alert: Calls", "A call (2024-01-01)")
        app.bell.assert_not_called()


async def test_hostile_rule_names_and_titles_stay_inert(corpus, make_app):
    app = make_app(corpus, alerts=[("[@click=app.quit]rule[/]\x1b[2J", "hostile")])
    app.bell = Mock()
    async with running(app, size=(200, 50)) as pilot:
        write_event(corpus, "evil.json", id="evil", title=HOSTILE + " hostile")
        await wait_until(pilot, lambda: alert_toasts(app), ARRIVAL, "the alert")
        ((title, message),) = alert_toasts(app)
        assert title == "Alert: [@click=app.quit]rule[/]\u241b[2J"
        assert message.startswith(SHOWN)
        await pilot.press("a")
        line = app.query_one("#alerts").get_option_at_index(0).prompt.plain
        assert SHOWN in line and "[@click=app.quit]rule[/]\u241b[2J" in line
        await pilot.click("#alerts", offset=(30, 1))
        await pilot.pause(0.2)
        assert app.is_running
        screen = app.export_screenshot()
        assert "\x1b" not in screen and "&#27;" not in screen
