"""Every message the dashboard's widgets and workers send, in one place.

Messages posted from thread workers (the loader and the folder watcher) carry no widgets and no live store
objects that could change under the interface; the ones that may arrive in bursts say so with `can_replace`,
so that a burst costs one redraw (Textual merges adjacent replaceable messages in a queue).
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from store.event_store import QueryResult
from store.index.timeline import Period, Timeline


@dataclass
class ChangesArrived(Message):
    """The watcher left a batch of store changes with the app (it collects them; see `CommuniqueApp`)."""

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
class AggregatesReady(Message):
    """Side-pane counts computed off the interface thread for one query generation."""

    generation: int
    participants: list
    participant_total: int
    topics: list
    topic_total: int


@dataclass
class EventHighlighted(Message):
    """The meetings cursor rests on another event (None: the list is empty)."""

    event_id: str | None

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, EventHighlighted)


@dataclass
class SortChanged(Message):
    """The user asked the meetings to be ordered by another column or direction."""

    column: str
    descending: bool


@dataclass
class FilterEdited(Message):
    """The filter text changed (every keystroke)."""

    text: str


@dataclass
class FilterAnswered(Message):
    """A filter answered off the interface thread (see `CommuniqueApp.on_filter_edited`)."""

    text: str
    result: QueryResult


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
class TimelineReady(Message):
    """The timeline of a filter, counted off the interface thread for one request."""

    request: int
    timeline: Timeline


@dataclass
class PeriodChosen(Message):
    """The user picked a period on the timeline (a click, or Enter there): narrow the filter to it."""

    period: Period


@dataclass
class ExportFinished(Message):
    """An export was written (errors come as the export worker's failure)."""

    path: str
    events: int
    format: str
