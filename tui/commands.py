"""The dashboard's commands in the command palette (ctrl+p), beside Textual's own (themes, keys, quit).

Each command runs an action of the screen the palette was opened over (the dashboard's; `app.` ones the app's),
so the palette, the keys and the help screen stay one set of behaviours.
The saved filters are commands too ("Filter: <name>" recalls one, "Forget filter: <name>" removes it). Their
names and filters are the user's text, so every prompt here is a `Content` built from plain strings (the
palette parses a plain string as markup) with the matched letters styled.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from typing import TYPE_CHECKING, cast

from textual.command import DiscoveryHit, Hit, Hits, Matcher, Provider
from textual.content import Content

from tui.display_text import one_line
from tui.meetings_view import COLUMNS

if TYPE_CHECKING:
    from tui.app import CommuniqueApp

COMMANDS: tuple[tuple[str, str, str], ...] = (
    ("Focus the filter", "focus_filter", "Type to narrow every pane"),
    ("Clear the filter", "clear_filter", "Show every event"),
    ("Save the filter", "save_filter", "Name the current filter, to recall it from here (s)"),
    ("Export the matching events", "export", "As JSON, JSON lines, CSV, a Markdown brief or iCalendar (x)"),
    ("Go to meetings", "focus_pane('meetings')", "The matching events"),
    ("Go to detail", "focus_pane('detail')", "The selected event in full"),
    ("Go to participants", "focus_pane('participants')", "People across the matching events"),
    ("Go to topics", "focus_pane('topics')", "Tags across the matching events"),
    ("Go to related events", "focus_pane('xrefs')", "Cross-references of the selected event"),
    ("Go to problems", "focus_pane('errors')", "Files that could not be read"),
    ("Go to alerts", "focus_pane('alerts')", "What the alert rules fired on"),
    ("Go to the timeline", "focus_pane('timeline')", "Matching events per month or week"),
    ("Toggle the problems pane", "toggle_problems", "Show or hide the files that could not be read"),
    ("Toggle the alerts pane", "toggle_alerts", "Show or hide what the alert rules fired on (a)"),
    ("Clear the alert history", "clear_alerts", "Empty the alerts pane and remove the ◆ ◇ marks"),
    ("Timeline by month", "zoom('month')", "One bar per month (-)"),
    ("Timeline by week", "zoom('week')", "One bar per ISO week (+)"),
    ("Narrow to the timeline's period", "choose_period", "from:/to: of the period under the cursor (t)"),
    ("Drop the date range", "clear_period", "Remove from:/to: from the filter (T)"),
    ("Mark all as seen", "mark_all_seen", "Clear the ● marks of new and changed events"),
    ("Jump back", "jump_back", "Return to the event before the last jump"),
    ("Reverse the sort order", "reverse_sort", "Newest first ↔ oldest first, and so on"),
    *(
        (f"Sort meetings by {column.key}", f"sort('{column.key}')", f"Order the meetings by {column.key}")
        for column in COLUMNS
    ),
    ("Help", "app.help", "Keys and the filter language"),
)
"""(name, action, help) for every fixed command the palette offers."""


def _highlighted(matcher: Matcher | None, text: str) -> Content:
    """The text as plain Content, the letters the query matched styled (`Matcher.highlight` parses markup)."""
    content = Content(one_line(text))
    if matcher is None:
        return content
    score, offsets = matcher.fuzzy_search.match(matcher.query, content.plain)
    for offset in offsets if score else ():
        content = content.stylize(matcher.match_style, offset, offset + 1)
    return content


class DashboardCommands(Provider):
    def _run(self, action: str) -> None:
        self.app.call_later(self.app.run_action, action, self.screen)

    def _call(self, method: str, name: str) -> None:
        self.app.call_later(getattr(self.app, method), name)

    def _commands(self) -> Iterator[tuple[str, Callable[[], None], str]]:
        """(prompt text, what it runs, help) for every command, saved filters included."""
        for name, action, help_text in COMMANDS:
            yield name, partial(self._run, action), help_text
        saved = cast("CommuniqueApp", self.app).saved_filters
        for name, text in sorted(saved.items()):
            yield f"Filter: {name}", partial(self._call, "recall_filter", name), text
        for name, text in sorted(saved.items()):
            yield f"Forget filter: {name}", partial(self._call, "forget_filter", name), text

    async def discover(self) -> Hits:
        for prompt, command, help_text in self._commands():
            # The palette types `help` as str but takes Content, which it leaves unparsed.
            yield DiscoveryHit(_highlighted(None, prompt), command, prompt, Content(one_line(help_text)))  # type: ignore[arg-type]

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for prompt, command, help_text in self._commands():
            score = matcher.match(prompt)
            if score > 0:
                yield Hit(score, _highlighted(matcher, prompt), command, prompt, Content(one_line(help_text)))  # type: ignore[arg-type]
