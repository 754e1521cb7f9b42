"""Text from event files is shown as plain text: markup stays literal, clicks on it run nothing, and no
control character reaches the terminal — sanitised by the store, and again at the widget boundary."""

from __future__ import annotations

import json

from textual.app import App, ComposeResult

from store.model.event import Event, Participant
from tests.app.conftest import running, wait_until
from tui.detail_pane import event_content
from tui.display_text import one_line
from tui.meetings_view import MeetingsView

HOSTILE = "[bold]x[/bold] [@click=app.quit]y[/]\x1b[2J"
SHOWN = "[bold]x[/bold] [@click=app.quit]y[/]\u241b[2J"
"""What the user sees: every bracket literally, ESC as its visible placeholder."""


def hostile_folder(tmp_path):
    folder = tmp_path / "hostile"
    folder.mkdir()
    (folder / "evil.json").write_text(
        json.dumps(
            {
                "id": "evil",
                "title": HOSTILE,
                "date": "2024-01-01",
                "location": {"city": "[red]Ashgabat[/red]\x1b]52;c;ZXZpbA==\x07", "country": "TM"},
                "participants": [{"name": "[@click=app.quit]Mallory[/]", "role": "\x9b31m"}],
                "topics": ["[blink]tag[/blink]"],
                "summary": "Line one\x1b[1A\x1b[2Kline two [link=file:///etc/passwd]x[/link]",
                "source": {"name": "feed", "url": "javascript:alert(1)"},
                "collector_note": "[@click=app.quit]unknown field[/]\x1b[31m",
            }
        )
    )
    return folder


async def test_hostile_text_is_shown_literally_and_clicking_it_does_not_quit(tmp_path, make_app):
    app = make_app(hostile_folder(tmp_path))
    async with running(app, size=(200, 50)) as pilot:
        row = app.meetings.render_line(1).text
        assert SHOWN in row
        assert "[red]Ashgabat[/re" in row  # cut by the column width, but literal
        await wait_until(pilot, lambda: app.shown_id == "evil", what="the detail")
        detail = app.detail.text
        assert SHOWN in detail
        assert "[@click=app.quit]Mallory[/]" in detail
        assert "[@click=app.quit]unknown field[/]" in detail
        assert "[link=file:///etc/passwd]x[/link]" in detail
        assert "javascript:alert(1)" in detail
        people = app.query_one("#participants").options[0].prompt.plain
        assert "[@click=app.quit]Mallory[/]" in people
        assert "tag" in app.query_one("#topics").options[0].prompt.plain  # slugged by the store

        await pilot.click("#meetings", offset=(20, 2))
        await pilot.click("#meetings", offset=(45, 2))
        await pilot.click("#detail", offset=(4, 0))
        await pilot.click("#detail", offset=(12, 0))
        await pilot.click("#participants", offset=(12, 1))
        await pilot.pause(0.2)
        assert app.is_running
        assert app.return_code is None

        screen = app.export_screenshot()
        assert "\x1b" not in screen and "&#27;" not in screen and "\x9b" not in screen
        assert "[@click=app.quit]" in screen.replace("&#160;", " ")


class _RawStore:
    """A store that hands over an event whose text was never sanitised (a bug, or a future field)."""

    def get(self, event_id: str) -> Event:
        return Event(
            event_id,
            "Title\x1b[2J with ESC and \x07 BEL and \u202e override",
            "2024-01-01",
            "2024-01-01",
            "raw.json",
            city="\x1b]8;;http://x\x1b\\City",
            participants=(Participant("Name\x1b[31m"),),
        )


class _RawMeetings(App[None]):
    def compose(self) -> ComposeResult:
        yield MeetingsView(_RawStore(), id="meetings")  # type: ignore[arg-type]


async def test_the_widget_boundary_strips_control_characters_the_store_missed():
    assert one_line("a\x1bb\x00c\x9bd\u202ee") == "a\u241bb\ufffdc\ufffdd\ufffde"
    app = _RawMeetings()
    async with app.run_test(size=(160, 10)) as pilot:
        meetings = app.query_one(MeetingsView)
        meetings.show_result(["raw"], [])
        await pilot.pause()
        text = meetings.render_line(1).text
        assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text
        assert "Title\u241b[2J" in text
    content = event_content(_RawStore().get("raw"))
    assert not any(character in content.plain for character in "\x1b\x07\u202e")
    assert "Name\u241b[31m" in content.plain
