"""The help screen (`?`): the keys and a summary of the filter language, over the dashboard.

Its text is the program's own (no event data), and still built as `Content` from plain strings.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Static

from store.query.filter_fields import FILTER_FIELDS

KEYS: tuple[tuple[str, str], ...] = (
    ("/", "focus the filter; type to narrow every pane"),
    ("enter (in the filter)", "back to the meetings"),
    ("escape (in the filter)", "clear the filter and go back to the meetings"),
    ("tab / shift+tab", "next / previous pane"),
    ("1 … 8", "meetings, detail, participants, topics, related, problems, alerts, timeline"),
    ("↑ ↓  j k  pgup pgdn  home end  g G", "move in a pane"),
    (
        "o / O",
        "order the meetings by the next column (date, arrival, …) / reverse the order (or click a header)",
    ),
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
    ("n / N", "next / previous new or changed event (●) in the meetings"),
    ("m", "mark every new or changed event as seen (● in the meetings)"),
    ("f (detail)", "show a long event whole (its long texts are cut after a screenful)"),
    ("e", "show or hide the problems pane"),
    ("ctrl+p", "command palette (commands, saved filters, themes)"),
    ("?", "this help"),
    ("q", "quit (anywhere but in the filter); ctrl+q quits from anywhere"),
)
"""Every key of the dashboard, as the README lists them."""

MARKERS: tuple[tuple[str, str], ...] = (
    (
        "●",
        "new or changed since you looked (the cursor rests on it, or m); n / N jump to the next / previous",
    ),
    ("!", "its file is unreadable now: the meeting shows the last good version"),
    ("◆", "an alert rule fired on it, not seen yet"),
    ("◇", "an alert rule fired on it, seen"),
    ("★", "head of delegation (in the detail)"),
    ("⚠", "a warning (folder missing, unreadable file)"),
)
"""Every mark the dashboard draws, and what it means."""

STATUS_FIELDS: tuple[tuple[str, str], ...] = (
    ("folder", "the folder watched (…/ shortens it when the screen is narrow)"),
    ("N events", "events in the folder"),
    ("M matching  (M/N matching)", "events the filter keeps (of all of them)"),
    ("N problem files  (N ✗)", "files that could not be read: e shows them"),
    ("● N new or changed", "events that arrived or changed since you looked"),
    ("◆ N alerts", "alert hits in the history: a shows them"),
    ("● live / polling / ○ not watching", "whether changes in the folder are shown as they land"),
)
"""The status bar's fields, in order (the compact form at 80 columns in brackets)."""

ALERTS_AND_EXPORTS: tuple[tuple[str, str], ...] = (
    ("alert rules", "config.toml ([alerts]: afghanistan = \"topic:afghanistan\") or --alert 'FILTER'"),
    ("config.toml", "$XDG_CONFIG_HOME/communique/config.toml (default ~/.config/communique/)"),
    ("exports (x)", "to the folder the export dialog shows; by default ~/communique-exports"),
)
"""Where the things the dashboard reads and writes live."""

FILTER_LANGUAGE: tuple[tuple[str, str], ...] = (
    ("galu hadj", "words starting so, all of them (a person's other spellings too)"),
    ('"separate meeting"', "a phrase"),
    ("-afghanistan  -kind:call", "not"),
    ("galuzin OR hadj  (c:kz OR c:uz)", "either; parentheses group"),
    *((field.example, field.meaning) for field in FILTER_FIELDS),
)
"""The syntax, then one line per field of the filter's field table."""


SECTIONS = (
    ("Keys", KEYS),
    ("Marks", MARKERS),
    ("Status bar", STATUS_FIELDS),
    ("Alerts, config and exports", ALERTS_AND_EXPORTS),
    ("Filter language", FILTER_LANGUAGE),
)


def help_rows() -> list[tuple[str, str, str]]:
    """(section, left column, right column) for every line of the help."""
    return [(title, left, right) for title, rows in SECTIONS for left, right in rows]


class HelpTable(Widget):
    """The sections as two-column tables: a long meaning wraps inside its column, under itself."""

    DEFAULT_CSS = """
    HelpTable { height: auto; }
    HelpTable > .help-title { text-style: bold underline; margin-top: 1; }
    HelpTable > Horizontal { height: auto; }
    HelpTable .help-key { width: 40%; max-width: 39; padding-right: 1; text-style: bold; }
    HelpTable .help-meaning { width: 1fr; }
    """

    @property
    def text(self) -> str:
        return str(help_content())

    def compose(self) -> ComposeResult:
        for title, rows in SECTIONS:
            yield Static(Content(title), classes="help-title", markup=False)
            for left, right in rows:
                with Horizontal():
                    yield Static(Content(left), classes="help-key", markup=False)
                    yield Static(Content(right), classes="help-meaning", markup=False)
        yield Static(
            Content("A malformed filter keeps the last good result on screen. escape or ? closes this."),
            classes="help-title",
            markup=False,
        )


def help_content() -> Content:
    """The help as plain text (for tests and copy)."""
    parts: list[str | tuple[str, str]] = []
    for title, rows in SECTIONS:
        parts += [(title + "\n", "bold underline")]
        width = max(len(left) for left, _ in rows)
        for left, right in rows:
            parts += [(left.ljust(width + 2), "bold"), right, "\n"]
        parts.append("\n")
    return Content.assemble(*parts)


class HelpScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape,question_mark", "dismiss", "Close", id="help.close"),
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-panel"):
            yield HelpTable(id="help-text")
