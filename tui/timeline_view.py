"""The timeline [#timeline]: a bar per month (or ISO week) of the matching events, above the meetings.

It shows what the store counted (`store.index.timeline.Timeline`): the filter's events per period, its date terms
left out, with the periods inside the filter's own `from:`/`to:` range bright and the others dim, so that a
picked period keeps its neighbours in view. It owns the period cursor (`[`/`]` anywhere, ←/→ here) and the
window of periods shown: the newest fit when there are more than the pane is wide, and the window follows
the cursor. A click, or Enter on the cursor, posts its `PeriodChosen`; the screen edits the filter. The counts
come bound from the screen (`timeline_counts`, and `loaded` for what an empty timeline says); it never counts
anything itself. The screen's commands to it (`[`/`]` and `t` anywhere) are its methods `move` and `choose`.

One row of bars (`▁`…`█`, scaled to the busiest period) and one row of dates under them: years under
January for months, month numbers (and years under January) for weeks, and `▲` under the cursor's bar. Every label is built from the store's
ISO dates as plain text.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from textual import events
from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive, var
from textual.style import Style
from textual.widget import Widget

from store.index.timeline import Period, Timeline
from tui.answers import TimelineCounts
from tui.display_text import one_line

BARS = "▁▂▃▄▅▆▇█"
CURSOR_MARK = "▲"
MAX_CELLS = 6
"""Cells per period at most when few periods leave room: wide enough to click, narrow enough to compare."""


class TimelineView(Widget, can_focus=True):
    BINDINGS = [
        Binding("left,h", "move(-1)", "Earlier", show=False, id="timeline.earlier"),
        Binding("right,l", "move(1)", "Later", show=False, id="timeline.later"),
        Binding("home", "move(-1_000_000)", "First", show=False, id="timeline.first"),
        Binding("end", "move(1_000_000)", "Last", show=False, id="timeline.last"),
        Binding("enter", "choose", "Apply period", show=False, id="timeline.choose"),
    ]

    COMPONENT_CLASSES = {
        "timeline--bar",
        "timeline--outside",
        "timeline--cursor",
        "timeline--cursor-blurred",
        "timeline--axis",
        "timeline--empty",
    }

    DEFAULT_CSS = """
    TimelineView {
        height: 2;
        & > .timeline--bar { color: $accent; }
        & > .timeline--outside { color: $foreground 35%; }
        & > .timeline--cursor { color: $accent; text-style: bold; }
        & > .timeline--cursor-blurred { color: $foreground 70%; }
        & > .timeline--axis { color: $text-muted; }
        & > .timeline--empty { color: $text-muted; text-style: italic; }
    }
    """

    cursor: reactive[int] = reactive(0, init=False)
    timeline_counts: var[TimelineCounts | None] = var(None, init=False)
    """The counts to show (bound from the screen)."""
    loaded: var[bool] = var(False, init=False)
    """The initial load is over (bound from the screen): an empty timeline says that nothing matches."""

    @dataclass
    class PeriodChosen(Message):
        """The user picked a period (a click, or Enter here): the filter is to be narrowed to it."""

        period: Period

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.timeline = Timeline("month", ())
        self.empty_message = ""
        self._cursor_day: str | None = None
        """The first day of the period the user put the cursor on: kept across new counts and zooms."""

    # -- what the screen tells it --------------------------------------------------------------------------

    @property
    def periods(self) -> tuple[Period, ...]:
        return self.timeline.periods

    @property
    def cursor_period(self) -> Period | None:
        return self.periods[self.cursor] if 0 <= self.cursor < len(self.periods) else None

    def watch_timeline_counts(self, counts: TimelineCounts | None) -> None:
        if counts is not None:
            self.show(counts.timeline)

    def watch_loaded(self, loaded: bool) -> None:
        if loaded:
            self.empty_message = "No event matches the filter"
            self.refresh()

    def show(self, timeline: Timeline) -> None:
        """Show new counts; the cursor stays on the user's day, else on the newest period in the range."""
        self.timeline = timeline
        periods = timeline.periods
        if self._cursor_day is not None:
            cursor = max(
                0, bisect.bisect_right([period.first_day for period in periods], self._cursor_day) - 1
            )
        else:
            in_range = [index for index, period in enumerate(periods) if timeline.in_range(period)]
            cursor = in_range[-1] if in_range else len(periods) - 1
        self.set_reactive(TimelineView.cursor, max(cursor, 0))
        self._update_title()
        self.refresh()

    def move(self, step: int) -> None:
        """Move the period cursor (clamped to the ends)."""
        if self.periods:
            self.cursor = self.cursor + step
            self._cursor_day = self.periods[self.cursor].first_day

    def validate_cursor(self, cursor: int) -> int:
        return max(0, min(cursor, len(self.periods) - 1))

    def watch_cursor(self) -> None:
        self._update_title()

    def _update_title(self) -> None:
        self.border_title = Content(f"Timeline · by {self.timeline.zoom}")
        period = self.cursor_period
        if period is None:
            self.border_subtitle = None
            return
        days = f" ({period.first_day[5:]} – {period.last_day[5:]})" if self.timeline.zoom == "week" else ""
        events_text = f"{period.events:,} event{'s' * (period.events != 1)}"
        self.border_subtitle = Content(one_line(f"{period.label}{days} · {events_text}"))

    # -- keys and the mouse --------------------------------------------------------------------------------

    def action_move(self, step: int) -> None:
        self.move(step)

    def choose(self) -> bool:
        """Post the cursor's period as chosen (Enter here, `t` anywhere); False when there is none."""
        period = self.cursor_period
        if period is None:
            return False
        self.post_message(TimelineView.PeriodChosen(period))
        return True

    def action_choose(self) -> None:
        self.choose()

    def _on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None or not self.periods:
            return
        cells, first = self._window()
        index = first + offset.x // cells
        if first <= index < len(self.periods):
            self.cursor = index
            self._cursor_day = self.periods[index].first_day
            self.post_message(TimelineView.PeriodChosen(self.periods[index]))

    # -- painting ------------------------------------------------------------------------------------------

    def _window(self) -> tuple[int, int]:
        """(cells per period, index of the first period shown): the newest fit, and the cursor is shown."""
        width = max(self.size.width, 1)
        count = len(self.periods)
        cells = max(1, min(MAX_CELLS, width // max(count, 1)))
        shown = width // cells
        first = max(0, count - shown)
        if self.cursor < first:
            first = self.cursor
        return cells, first

    def render(self) -> Content:
        periods = self.periods
        if not periods:
            return Content.styled(self.empty_message, self.get_visual_style("timeline--empty"))
        cells, first = self._window()
        shown = periods[first : first + max(self.size.width, 1) // cells]
        busiest = max(period.events for period in periods) or 1
        bar_style = self.get_visual_style("timeline--bar")
        outside_style = self.get_visual_style("timeline--outside")
        bar_width = cells - 1 if cells > 2 else cells  # a gap between wide bars
        bars: list[tuple[str, Style]] = []
        for period in shown:
            level = -(-period.events * len(BARS) // busiest)  # ceiling: any event shows at least ▁
            cell = (BARS[level - 1] if level else " ") * bar_width + " " * (cells - bar_width)
            bars.append((cell, bar_style if self.timeline.in_range(period) else outside_style))
        # The cursor is a mark under its bar (a full bar leaves no background to highlight).
        marker = (self.cursor - first) * cells + (bar_width - 1) // 2
        axis = self._axis(shown, cells, marker)
        marker_class = "timeline--cursor" if self.has_focus else "timeline--cursor-blurred"
        axis_style = self.get_visual_style("timeline--axis")
        return Content.assemble(
            *bars,
            "\n",
            (axis[:marker], axis_style),
            (CURSOR_MARK, self.get_visual_style(marker_class)),
            (axis[marker + 1 :], axis_style),
        )

    def _axis(self, shown: tuple[Period, ...], cells: int, marker: int) -> str:
        """Date labels under the bars, placed left to right where they fit and clear of the cursor's mark."""
        line = [" "] * (len(shown) * cells)
        free = 0
        for position, period in enumerate(shown):
            label = _tick(period, self.timeline.zoom, first=position == 0)
            start = position * cells
            end = start + len(label)
            if label and start >= free and end <= len(line) and not start <= marker < end:
                line[start:end] = label
                free = end + 1
        return "".join(line)


def _tick(period: Period, zoom: str, *, first: bool) -> str:
    """The label a period gets on the axis ('' for none): the first one shown always gets one."""
    year, month, day = period.first_day[:4], period.first_day[5:7], period.first_day[8:10]
    if zoom == "month":
        return year if month == "01" or first else ""
    starts_month = day <= "07"
    if first:
        return f"{year}-{month}"
    if not starts_month:
        return ""
    return year if month == "01" else month
