"""The dashboard's commands in the command palette (ctrl+p), beside Textual's own (themes, keys, quit).

Each command runs an app action, so the palette, the keys and the help screen stay one set of behaviours.
"""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from tui.meetings_view import COLUMNS

COMMANDS: tuple[tuple[str, str, str], ...] = (
    ("Focus the filter", "focus_filter", "Type to narrow every pane"),
    ("Clear the filter", "clear_filter", "Show every event"),
    ("Go to meetings", "focus_pane('meetings')", "The matching events"),
    ("Go to detail", "focus_pane('detail')", "The selected event in full"),
    ("Go to participants", "focus_pane('participants')", "People across the matching events"),
    ("Go to topics", "focus_pane('topics')", "Tags across the matching events"),
    ("Go to related events", "focus_pane('xrefs')", "Cross-references of the selected event"),
    ("Go to problems", "focus_pane('errors')", "Files that could not be read"),
    ("Toggle the problems pane", "toggle_problems", "Show or hide the files that could not be read"),
    ("Mark all as seen", "mark_all_seen", "Clear the ● marks of new and changed events"),
    ("Jump back", "jump_back", "Return to the event before the last jump"),
    ("Reverse the sort order", "reverse_sort", "Newest first ↔ oldest first, and so on"),
    *(
        (f"Sort meetings by {column.key}", f"sort('{column.key}')", f"Order the meetings by {column.key}")
        for column in COLUMNS
    ),
    ("Help", "help", "Keys and the filter language"),
)
"""(name, app action, help) for every command the palette offers."""


class DashboardCommands(Provider):
    def _run(self, action: str) -> None:
        self.app.call_later(self.app.run_action, action)

    async def discover(self) -> Hits:
        for name, action, help_text in COMMANDS:
            yield DiscoveryHit(name, partial(self._run, action), help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, action, help_text in COMMANDS:
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), partial(self._run, action), help=help_text)
