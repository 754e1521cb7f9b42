"""The messages the dashboard's workers send, and those several panes share.

A message only one pane sends is that pane's own, declared on its class (`MeetingsView.Highlighted`,
`FilterBar.Edited`, `TimelineView.PeriodChosen`), as Textual's widgets do.

Messages posted from thread workers (the loader and the folder watcher) carry no widgets and no live store
objects that could change under the interface; the ones that may arrive in bursts say so with `can_replace`,
so that a burst costs one redraw (Textual merges adjacent replaceable messages in a queue).
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from tui.answers import Answer


@dataclass
class ChangesArrived(Message):
    """The watcher left a batch of store changes with the app (it collects them; see `tui.dashboard.feed`)."""

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, ChangesArrived)


@dataclass
class WatchStatusChanged(Message):
    """The folder watcher's state: live, polling, missing or stopped, and why."""

    status: str
    detail: str = ""


@dataclass
class LoadProgress(Message):
    """Files read so far during the initial load."""

    done: int
    total: int

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, LoadProgress)


@dataclass
class LoadFinished(Message):
    """The initial load is over (`error` is empty on success)."""

    error: str = ""


@dataclass
class ToggleFilterTerm(Message):
    """Add `field:value` to the filter, or remove it when present (participants and topics panes)."""

    field: str
    value: str


@dataclass
class JumpToEvent(Message):
    """Select another event (a cross-reference), remembering where we came from."""

    event_id: str


@dataclass
class ExportFinished(Message):
    """An export was written (errors come as the export worker's failure)."""

    path: str
    events: int
    format: str


@dataclass
class Answered(Message):
    """A worker's answer (a search, the side panes' counts, the timeline), with the question it answers: the
    screen shows it only while it is current (`Answer.answers`)."""

    answer: Answer
