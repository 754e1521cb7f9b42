"""The meetings pane [#meetings]: the matching events, one line each, over a result of any size.

It owns the cursor, the scroll position, the marks of new and changed events not yet seen (`●`) and the look
of the sort column. What it shows comes bound from the screen, and it never keeps its own copy of any of it:
the answer and the sort (`answer`, `sort`), the stale and the alerted events (`stale`, `alerted`), the last
batch of store changes (`last_changes`: it forgets the kept copies of those events and marks them itself) and
whether the load is over (`loaded`). It asks the store only for the events it paints: the visible window only,
through an LRU of rendered lines, so 100,000 rows cost what 50 do. It never filters or sorts: a new order is a
new query, asked for with its `SortAsked` message and made by the screen; a new cursor row is told with
`Highlighted`, the count of unseen events with `UnseenChanged`. The screen's commands to it (a jump, the next
unseen event, mark all seen) are its methods, answered by their return value or its messages.

Modelled on toolong's `LogLines`: a Line-API `ScrollView` whose `render_line` paints one row on demand. Line 0
of the viewport is the column header; rows start on line 1.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.segment import Segment
from rich.style import Style as RichStyle
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive, var
from textual.scroll_view import ScrollView
from textual.strip import Strip

from store.event_store import EventStore
from store.model.event import Event
from tui.answers import ChangeBatch, Follow, Matches, Sort
from tui.display_text import highlighted_text


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    """The store's sort key for this column (`EventStore.query(sort=…)`)."""
    label: str
    width: int
    """Cells; 0 for the one flexible column (the title), which takes what the others leave."""
    right: bool = False
    drop: int = 0
    """On a narrow pane columns are dropped highest first until the title has room; 0: never dropped."""


COLUMNS: tuple[Column, ...] = (
    Column("date", "Date", 10),
    Column("kind", "Kind", 12, drop=1),
    Column("title", "Title", 0),
    Column("place", "Place", 18, drop=3),
    Column("countries", "Countries", 10, drop=4),
    Column("participants", "Ppl", 3, right=True, drop=2),
)
"""Date as written, kind, title, place, countries, number of participants — the issue's columns, in order."""

MARK_WIDTH = 2
"""A mark cell in front of every row; one mark at most, the first that applies: `!` its file is unreadable
now, `◆` an alert rule fired on it and it is not seen yet, `●` new or changed and not seen yet, `◇` an alert
rule fired on it (seen)."""
MIN_TITLE = 24
"""Below this the title is unreadable: drop side columns rather than squeeze it."""
LINE_CACHE_SIZE = 2_000
"""Rendered rows kept: a few screens of scrolling back and forth never re-render."""
EVENT_CACHE_SIZE = 4_000
"""Events kept for repainting; the screen's batches of changes say which ids to forget (`last_changes`)."""
NEW_MARK = "●"
STALE_MARK = "!"
ALERT_MARK = "◆"
SEEN_ALERT_MARK = "◇"


def visible_columns(width: int) -> list[tuple[Column, int]]:
    """The columns that fit in `width` cells, each with its width (the title's computed)."""
    columns = list(COLUMNS)
    while True:
        fixed = sum(column.width for column in columns) + len(columns) - 1 + MARK_WIDTH
        title = width - fixed
        droppable = [column for column in columns if column.drop]
        if title >= MIN_TITLE or not droppable:
            return [(column, column.width or max(title, 1)) for column in columns]
        columns.remove(max(droppable, key=lambda column: column.drop))


def cell_values(event: Event) -> dict[str, str]:
    return {
        "date": event.date,
        "kind": event.kind,
        "title": event.title,
        "place": event.place,
        "countries": " ".join(event.countries),
        "participants": str(len(event.participants)),
    }


class MeetingsView(ScrollView, can_focus=True, inherit_bindings=False):
    BINDINGS = [
        Binding("up,k", "cursor_up", "Up", show=False, id="meetings.cursor_up"),
        Binding("down,j", "cursor_down", "Down", show=False, id="meetings.cursor_down"),
        Binding("pageup,ctrl+b", "page_up", "Page up", show=False, id="meetings.page_up"),
        Binding("pagedown,ctrl+f", "page_down", "Page down", show=False, id="meetings.page_down"),
        Binding("home,g", "first", "First", show=False, id="meetings.first"),
        Binding("end,G", "last", "Last", show=False, id="meetings.last"),
        # `o` for order: `s` saves the filter (the app's key).
        Binding("o", "next_sort", "Sort", id="meetings.next_sort"),
        Binding("O", "reverse_sort", "Reverse", id="meetings.reverse_sort"),
        Binding("enter", "open_detail", "Detail", show=False, id="meetings.open_detail"),
    ]

    COMPONENT_CLASSES = {
        "meetings--header",
        "meetings--sorted",
        "meetings--cursor",
        "meetings--cursor-blurred",
        "meetings--match",
        "meetings--mark",
        "meetings--stale",
        "meetings--alert",
        "meetings--empty",
    }

    DEFAULT_CSS = """
    MeetingsView {
        overflow-x: hidden;
        overflow-y: scroll;
        & > .meetings--header { text-style: bold; color: $text-accent; }
        & > .meetings--sorted { text-style: bold underline; color: $text-accent; }
        & > .meetings--cursor { background: $block-cursor-background; color: $block-cursor-foreground; }
        & > .meetings--cursor-blurred { background: $block-cursor-blurred-background; }
        & > .meetings--match { background: $warning 40%; text-style: bold; }
        & > .meetings--mark { color: $success; text-style: bold; }
        & > .meetings--stale { color: $error; text-style: bold; }
        & > .meetings--alert { color: $warning; text-style: bold; }
        & > .meetings--empty { color: $text-muted; text-style: italic; }
    }
    """

    cursor: reactive[int] = reactive(0, repaint=False, init=False)
    answer: var[Matches | None] = var(None, init=False)
    """The answer shown (bound from the screen): every new one is shown as it says (`Matches.follow`)."""
    sort: var[Sort] = var(Sort(), init=False)
    """The order in force (bound from the screen): the header marks its column."""
    stale: var[frozenset[str]] = var(frozenset(), init=False)
    """Events whose file is unreadable now (bound from the screen): marked `!`."""
    alerted: var[frozenset[str]] = var(frozenset(), init=False)
    """Events an alert rule fired on (bound from the screen: the alert history's), marked until it forgets them."""
    last_changes: var[ChangeBatch | None] = var(None, init=False)
    """The last batch of store changes (bound from the screen): its events are forgotten and marked here."""
    loaded: var[bool] = var(False, init=False)
    """The initial load is over (bound from the screen)."""
    selection: var[str | None] = var(None, init=False)
    """The event the detail pane shows (bound from the screen): another than the cursor's after a jump to an
    event the filter hides."""

    @dataclass
    class Highlighted(Message):
        """The cursor rests on another event (None: the list is empty)."""

        event_id: str | None

        def can_replace(self, message: Message) -> bool:
            return isinstance(message, MeetingsView.Highlighted)

    @dataclass
    class SortAsked(Message):
        """The user asked for another order (a key, or a click on a column's header)."""

        sort: Sort

    @dataclass
    class UnseenChanged(Message):
        """How many new or changed events are not seen yet (●) changed (the status bar counts them)."""

        count: int

        def can_replace(self, message: Message) -> bool:
            return isinstance(message, MeetingsView.UnseenChanged)

    def __init__(self, store: EventStore, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.border_title = "Meetings"
        self.store = store
        self.ids: Sequence[str] = []
        self.highlight: tuple[str, ...] = ()
        self.marks: set[str] = set()
        """New or changed events not yet seen (the cursor has not rested on them)."""
        self._unseen_told = 0
        """The count of `marks` last told with `UnseenChanged`."""
        self.empty_message = "Loading…"
        self._lines: LRUCache[tuple[object, ...], tuple[Event, Strip]] = LRUCache(LINE_CACHE_SIZE)
        self._events: LRUCache[str, Event] = LRUCache(EVENT_CACHE_SIZE)
        """Events painted recently: scrolling back needs no store lock (a long count may hold it)."""
        self._announced: str | None = None
        self.user_moved = False
        """The user has moved the cursor (keys or mouse) since the pane was created."""

    # -- what the screen tells it --------------------------------------------------------------------------

    @property
    def selected_id(self) -> str | None:
        return self.ids[self.cursor] if 0 <= self.cursor < len(self.ids) else None

    @property
    def page_rows(self) -> int:
        """Rows visible under the header."""
        return max(1, self.scrollable_content_region.height - 1)

    def show_result(self, ids: Sequence[str], highlight: Sequence[str], *, follow: Follow = "scroll") -> None:
        """Show a new answer; what stays put depends on why it changed (`follow`):

        - "scroll" (a live update, a chunk of the initial load): the scroll offset stays as it is and the
          selected event stays selected wherever its row went; when it left, the cursor keeps its row number.
        - "selection" (the user changed the filter or the sort): the selected event stays on its screen line
          when it is still there; otherwise the first row is selected, at the top.
        - "top": the first row, at the top.
        - "load" (a chunk of the initial load): "top" until the user has chosen something (see `_untouched`),
          "scroll" after.
        """
        selected = self.selected_id
        if follow == "load":
            follow = "top" if self._untouched() else "scroll"
        old_cursor, old_scroll = self.cursor, self.scroll_offset.y
        self.ids = ids
        self.highlight = tuple(highlight)
        position = None if follow == "top" else _position(ids, selected)
        if follow == "scroll":
            cursor = min(old_cursor, max(len(ids) - 1, 0)) if position is None else position
            scroll = old_scroll
        elif position is not None:
            screen_line = old_cursor - old_scroll
            cursor = position
            scroll = (
                cursor - screen_line if 0 <= screen_line < self.page_rows else cursor - self.page_rows // 2
            )
        else:
            cursor, scroll = 0, 0
        self.virtual_size = Size(0, len(ids) + 1)
        self.set_reactive(MeetingsView.cursor, cursor)
        self.scroll_to(y=max(0, min(scroll, self.max_scroll_y)), animate=False, immediate=True)
        self.refresh()
        self._announce()

    def select_id(self, event_id: str) -> bool:
        """Put the cursor on an event (scrolled into view); False when it is not in the result."""
        position = _position(self.ids, event_id)
        if position is None:
            return False
        self.cursor = position
        self._scroll_cursor_into_view(center=True)
        return True

    def next_unseen(self, step: int) -> bool:
        """Move the cursor to the next (step 1) or previous (-1) unseen event (●), wrapping round; False when
        none is in the result."""
        if not self.marks or not self.ids:
            return False
        count = len(self.ids)
        for offset in range(1, count + 1):
            index = (self.cursor + step * offset) % count
            if self.ids[index] in self.marks:
                self.user_moved = True
                self.cursor = index
                self._scroll_cursor_into_view(center=True)
                return True
        return False

    def _untouched(self) -> bool:
        """Nothing chosen yet (no cursor move, no filter, no jump elsewhere): the load may keep the newest
        event on top.

        Files load in path order, so later chunks often hold newer events; until the user picks something,
        following the first chunk's top row down the list would hide the newest events above the view."""
        filtered = self.answer is not None and bool(self.answer.question.text)
        return not self.user_moved and not filtered and self.selection in (None, self.selected_id)

    def _event(self, event_id: str) -> Event | None:
        event = self._events.get(event_id)
        if event is None:
            event = self.store.get(event_id)
            if event is not None:
                self._events[event_id] = event
        return event

    def mark_all_seen(self) -> None:
        self.marks.clear()
        self._tell_unseen()
        self.refresh()

    def _tell_unseen(self) -> None:
        """Tell the screen the count of unseen events when it changed (the marks are this pane's own)."""
        if len(self.marks) != self._unseen_told:
            self._unseen_told = len(self.marks)
            self.post_message(MeetingsView.UnseenChanged(self._unseen_told))

    def watch_last_changes(self, batch: ChangeBatch | None) -> None:
        """Forget the kept copies of the events a batch touched, mark the new and changed ones (not the one
        under the cursor: shown in full in the detail pane as it changes, so seen) and unmark the removed."""
        if batch is None:
            return
        changes = batch.changes
        for event_id in changes.added | changes.changed | changes.removed:
            self._events.discard(event_id)
        self.marks.update(changes.added | changes.changed)
        self.marks.difference_update(changes.removed)
        self.marks.discard(self.selected_id)
        self._tell_unseen()
        self.refresh()

    def watch_loaded(self, loaded: bool) -> None:
        if loaded:
            self.empty_message = "No event matches the filter"
            self._events.clear()  # a duplicate id settled during the load may have replaced a shown event
            self.refresh()

    def watch_stale(self, old: frozenset[str], new: frozenset[str]) -> None:
        if old != new:
            self.refresh()

    def watch_alerted(self, old: frozenset[str], new: frozenset[str]) -> None:
        if old != new:
            self.refresh()

    def watch_answer(self, answer: Matches | None) -> None:
        if answer is not None:
            self.show_result(answer.result.ids, answer.result.highlight, follow=answer.follow)

    def watch_sort(self) -> None:
        self.refresh_line(0)

    # -- cursor and scrolling ------------------------------------------------------------------------------

    def validate_cursor(self, cursor: int) -> int:
        return max(0, min(cursor, len(self.ids) - 1))

    def watch_cursor(self, old: int, new: int) -> None:
        # Row i sits on virtual line i + 1 (line 0 is the header).
        self.refresh_line(old + 1)
        self.refresh_line(new + 1)
        self._announce()

    def _announce(self) -> None:
        """Tell the app when the selected event changed, and count it as seen."""
        selected = self.selected_id
        if selected in self.marks:
            self.marks.discard(selected)
            self._tell_unseen()
        if selected != self._announced:
            self._announced = selected
            self.post_message(MeetingsView.Highlighted(selected))

    def _scroll_cursor_into_view(self, *, center: bool = False) -> None:
        top = self.scroll_offset.y
        rows = self.page_rows
        if top <= self.cursor < top + rows:
            return
        if center:
            target = self.cursor - rows // 2
        elif self.cursor < top:
            target = self.cursor
        else:
            target = self.cursor - rows + 1
        self.scroll_to(y=max(0, min(target, self.max_scroll_y)), animate=False, immediate=True)

    def _move(self, rows: int) -> None:
        self.user_moved = True
        if self.ids:
            self.cursor = self.cursor + rows
            self._scroll_cursor_into_view()

    def action_cursor_up(self) -> None:
        self._move(-1)

    def action_cursor_down(self) -> None:
        self._move(+1)

    def action_page_up(self) -> None:
        self._move(-self.page_rows)

    def action_page_down(self) -> None:
        self._move(self.page_rows)

    def action_first(self) -> None:
        self._move(-len(self.ids))

    def action_last(self) -> None:
        self._move(len(self.ids))

    def action_open_detail(self) -> None:
        detail = self.screen.query_one("#detail")
        self.screen.set_focus(detail)  # at once, so that keys typed ahead reach the detail pane

    def action_next_sort(self) -> None:
        keys = [*(column.key for column in COLUMNS), "arrival"]
        following = keys[(keys.index(self.sort.column) + 1) % len(keys)]
        self.post_message(MeetingsView.SortAsked(self.sort.by(following)))

    def action_reverse_sort(self) -> None:
        self.post_message(MeetingsView.SortAsked(self.sort.reversed()))

    def _on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        if offset.y == 0:
            column = self._column_at(offset.x)
            if column is not None:
                self.post_message(MeetingsView.SortAsked(self.sort.by(column.key)))
            return
        index = self.scroll_offset.y + offset.y - 1
        if index < len(self.ids):
            self.user_moved = True
            self.cursor = index

    def _column_at(self, x: int) -> Column | None:
        position = MARK_WIDTH
        for column, width in visible_columns(self.scrollable_content_region.width):
            if position <= x < position + width + 1:
                return column
            position += width + 1
        return None

    # -- painting ------------------------------------------------------------------------------------------

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._lines.clear()

    def _on_focus(self, event: events.Focus) -> None:
        super()._on_focus(event)
        self.refresh()

    def _on_blur(self, event: events.Blur) -> None:
        super()._on_blur(event)
        self.refresh()

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self.rich_style
        if y == 0:
            return self._header(width, base)
        index = self.scroll_offset.y + y - 1
        if index >= len(self.ids):
            if index == 0:
                message = Text(self.empty_message, style=self.get_component_rich_style("meetings--empty"))
                return Strip(list(message.render(self.app.console)), message.cell_len).adjust_cell_length(
                    width, base
                )
            return Strip.blank(width, base)
        return self._row(index, width, base)

    def _header(self, width: int, base: RichStyle) -> Strip:
        header = self.get_component_rich_style("meetings--header")
        sorted_style = self.get_component_rich_style("meetings--sorted")
        sort = self.sort
        arrow = "▼" if sort.descending else "▲"
        # Arrival has no column of its own: the marks' column (● new) carries its arrow.
        by_arrival = sort.column == "arrival"
        line = Text(f"●{arrow}" if by_arrival else " " * MARK_WIDTH, no_wrap=True, end="")
        if by_arrival:
            line.stylize(sorted_style)
        for column, cell_width in visible_columns(width):
            label = f"{column.label}{arrow}" if column.key == sort.column else column.label
            cell = Text(label, style=sorted_style if column.key == sort.column else header)
            _fit(cell, cell_width, column.right)
            line.append_text(cell)
            line.append(" ")
        line.stylize_before(base)
        return _strip(line, width, base, self.app.console)

    def _row(self, index: int, width: int, base: RichStyle) -> Strip:
        event_id = self.ids[index]
        event = self._event(event_id)
        is_cursor = index == self.cursor
        mark = self._mark(event_id)
        key = (event_id, width, is_cursor, is_cursor and self.has_focus, mark, self.highlight)
        cached = self._lines.get(key)
        if cached is not None and event is not None and cached[0] is event:
            return cached[1]
        if event is None:
            line = Text("  (removed)", style=self.get_component_rich_style("meetings--empty"), end="")
            return _strip(line, width, base, self.app.console)
        match = self.get_component_rich_style("meetings--match")
        line = Text(no_wrap=True, end="")
        mark_style = self.get_component_rich_style(
            "meetings--stale"
            if mark == STALE_MARK
            else "meetings--alert"
            if mark in (ALERT_MARK, SEEN_ALERT_MARK)
            else "meetings--mark"
        )
        line.append(mark.ljust(MARK_WIDTH), mark_style)
        values = cell_values(event)
        for column, cell_width in visible_columns(width):
            cell = highlighted_text(values[column.key], self.highlight, match)
            _fit(cell, cell_width, column.right)
            line.append_text(cell)
            line.append(" ")
        if is_cursor:
            cursor = "meetings--cursor" if self.has_focus else "meetings--cursor-blurred"
            line.stylize_before(self.get_component_rich_style(cursor))
        line.stylize_before(base)
        strip = _strip(line, width, base, self.app.console)
        self._lines[key] = (event, strip)
        return strip

    def _mark(self, event_id: str) -> str:
        unseen = event_id in self.marks
        if event_id in self.stale:
            return STALE_MARK
        if event_id in self.alerted:
            return ALERT_MARK if unseen else SEEN_ALERT_MARK
        return NEW_MARK if unseen else " "


def _fit(cell: Text, width: int, right: bool) -> None:
    """Cut (with an ellipsis) or pad a cell to exactly `width` cells."""
    cell.truncate(width, overflow="ellipsis")
    padding = width - cell.cell_len
    if padding > 0:
        if right:
            cell.pad_left(padding)
        else:
            cell.pad_right(padding)


def _strip(line: Text, width: int, base: RichStyle, console: object) -> Strip:
    segments: list[Segment] = list(line.render(console))  # type: ignore[arg-type]
    return Strip(segments, line.cell_len).adjust_cell_length(width, base)


def _position(ids: Sequence[str], event_id: str | None) -> int | None:
    if event_id is None:
        return None
    try:
        return ids.index(event_id)
    except ValueError:
        return None
