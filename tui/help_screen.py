"""The help screen (`?`): the keys and a summary of the filter language, over the dashboard.

Its text is the program's own (no event data), and still built as `Content` from plain strings.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from store.filter_fields import FILTER_FIELDS

KEYS: tuple[tuple[str, str], ...] = (
    ("/", "focus the filter; type to narrow every pane"),
    ("enter (in the filter)", "back to the meetings"),
    ("escape (in the filter)", "clear the filter and go back to the meetings"),
    ("tab / shift+tab", "next / previous pane"),
    ("1 … 8", "meetings, detail, participants, topics, related, problems, alerts, timeline"),
    ("↑ ↓  j k  pgup pgdn  home end  g G", "move in a pane"),
    ("o / O", "order the meetings by the next column / reverse the order (or click a header)"),
    ("enter (meetings)", "open the detail pane"),
    ("enter or click (participants, topics)", 'toggle participant:"…" / topic:… in the filter'),
    ("enter or click (related, alerts)", "jump to that event"),
    ("backspace", "jump back"),
    ("[ / ]", "move the timeline's period cursor earlier / later (← → h l in the timeline)"),
    ("t, or enter / click (timeline)", "narrow the filter to that period (from:… to:…); again: all dates"),
    ("T", "drop from:/to: from the filter"),
    ("z  + / -", "timeline by month ↔ by week; + by week, - by month"),
    ("s", "save the filter under a name; ctrl+p recalls it (Filter: name)"),
    ("x", "export the matching events (json, jsonl, csv, md, ics) to a file"),
    ("a", "show or hide the alerts pane (◆ new alert, ◇ seen, in the meetings)"),
    ("m", "mark every new or changed event as seen (● in the meetings)"),
    ("e", "show or hide the problems pane"),
    ("ctrl+p", "command palette (commands, saved filters, themes)"),
    ("?", "this help"),
    ("q", "quit (anywhere but in the filter); ctrl+q quits from anywhere"),
)
"""Every key of the dashboard, as the README lists them."""

FILTER_LANGUAGE: tuple[tuple[str, str], ...] = (
    ("galu hadj", "words starting so, all of them (a person's other spellings too)"),
    ('"separate meeting"', "a phrase"),
    ("-afghanistan  -kind:call", "not"),
    ("galuzin OR hadj  (c:kz OR c:uz)", "either; parentheses group"),
    *((field.example, field.meaning) for field in FILTER_FIELDS),
)
"""The syntax, then one line per field of the filter's field table."""


def help_content() -> Content:
    parts: list[str | tuple[str, str]] = [("Keys\n", "bold underline")]
    width = max(len(keys) for keys, _ in KEYS)
    for keys, meaning in KEYS:
        parts += [(keys.ljust(width + 2), "bold"), meaning, "\n"]
    parts += ["\n", ("Filter language\n", "bold underline")]
    width = max(len(example) for example, _ in FILTER_LANGUAGE)
    for example, meaning in FILTER_LANGUAGE:
        parts += [(example.ljust(width + 2), "bold"), meaning, "\n"]
    parts.append(
        ("\nA malformed filter keeps the last good result on screen. escape or ? closes this.", "dim")
    )
    return Content.assemble(*parts)


class HelpScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape,question_mark", "dismiss", "Close", id="help.close"),
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-panel"):
            yield Static(help_content(), id="help-text", markup=False)
