"""What the user keeps of an answer: the filter saved under a name, or its events exported to a file.

The export runs in a thread worker over the answer shown when it was asked for (a later keystroke does not
change what is written); a Markdown brief records the filter it answers and when.
"""

from __future__ import annotations

import functools
from datetime import datetime
from pathlib import Path

from textual import work

from store.exports import export_events
from store.exports.markdown import events_to_markdown
from store.importers.atomic_write import write_atomically
from tui.answers import (
    Matches,
)
from tui.dashboard.state import DashboardState, while_running
from tui.display_text import one_line
from tui.export_screen import ExportScreen
from tui.messages import (
    ExportFinished,
)
from tui.save_filter_screen import SaveFilterScreen


class Saving(DashboardState):
    """Saving the filter in force under a name, and exporting the events of the answer shown."""

    def action_save_filter(self) -> None:
        text = self.filter_text.strip()
        if not text:
            self.notify(
                "The filter is empty: type one (/), then s to save it.", severity="warning", markup=False
            )
            return
        if self.filter_bar.error_text:
            self.notify("The filter is malformed: fix it before saving it.", severity="warning", markup=False)
            return
        app = self.main_app
        self.app.push_screen(
            SaveFilterScreen(text, app.saved_filters, functools.partial(app.save_filter, text))
        )

    def action_export(self) -> None:
        if self.answer is None:
            self.notify("Nothing to export yet.", severity="warning", markup=False)
            return
        answer = self.answer
        self.app.push_screen(
            ExportScreen(
                len(answer.result.ids), self.store.root, functools.partial(self.start_export, answer)
            )
        )

    def start_export(self, answer: Matches, fmt: str, target: str) -> str | None:
        self.export_matching(answer, fmt, target)
        return None

    @work(thread=True, exit_on_error=False, group="export", description="Exporting")
    def export_matching(self, answer: Matches, fmt: str, target: str) -> None:
        events = [event for event in map(self.store.get, answer.result.ids) if event is not None]
        if fmt == "md":  # the brief records what it answers and when
            made = datetime.now().astimezone()
            text = events_to_markdown(events, self.store.related, filter_text=answer.question.text, made=made)
        else:
            text = export_events(events, fmt, related=self.store.related, stale=self.store.stale_ids())
        write_atomically(Path(target), text.encode("utf-8"))
        self.post_message(ExportFinished(target, len(events), fmt))

    @while_running
    def on_export_finished(self, message: ExportFinished) -> None:
        noun = "event" if message.events == 1 else "events"
        self.notify(f"{message.events:,} {noun} written to {one_line(message.path)}", markup=False)
