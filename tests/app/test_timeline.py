"""The timeline over the meetings: matching events per month (or week), following the filter and live
batches; a period picked with the keys, Enter or a click narrows the filter to it (from:/to:)."""

from __future__ import annotations

from textual.widgets import Input

from tests.app.conftest import running, wait_until
from tests.app.test_live import ARRIVAL, write_event

CORPUS_MONTHS = {
    "2022-04": 1,
    "2022-06": 1,
    "2022-10": 1,
    "2023-01": 2,
    "2023-02": 1,
    "2023-03": 1,
    "2023-05": 2,
}
"""The fixed corpus per month (`2023` and `2023-09` count on their first day)."""


def counts(app) -> dict[str, int]:
    """The timeline's non-empty periods."""
    return {period.label: period.events for period in app.timeline.periods if period.events}


async def shown(pilot, expected: dict[str, int], what: str) -> None:
    await wait_until(pilot, lambda: counts(pilot.app) == expected, what=what)


async def test_the_timeline_counts_the_filter_and_follows_it(corpus, make_app):
    app = make_app(corpus)
    async with running(app) as pilot:
        await shown(pilot, {**CORPUS_MONTHS, "2023-09": 1}, "the whole corpus")
        periods = app.timeline.periods
        assert (periods[0].label, periods[-1].label) == ("2022-04", "2023-09")
        assert [period.label for period in periods] == [f"2022-{m:02}" for m in range(4, 13)] + [
            f"2023-{m:02}" for m in range(1, 10)
        ]
        assert app.timeline.border_title.startswith("Timeline")
        assert "2023-09 · 1 event" in app.timeline.border_subtitle  # the cursor starts on the newest
        assert "2022" in app.timeline.render().plain.splitlines()[1]  # the axis
        await pilot.press("slash", *"galuzin", "enter")
        await shown(pilot, {"2022-04": 1, "2023-01": 1, "2023-05": 2}, "galuzin")

        write_event(corpus, "2024/new.json", id="new-2024", title="Galuzin in Ashgabat", date="2024-02-10")
        await shown(pilot, {"2022-04": 1, "2023-01": 1, "2023-05": 2, "2024-02": 1}, "the live event")
        assert app.timeline.periods[-1].label == "2024-02"


async def test_z_counts_by_week_and_back(corpus, make_app):
    app = make_app(corpus)
    async with running(app) as pilot:
        await shown(pilot, {**CORPUS_MONTHS, "2023-09": 1}, "the months")
        await pilot.press("z")
        await wait_until(pilot, lambda: app.timeline.timeline.zoom == "week", what="weeks")
        weeks = counts(app)
        assert weeks["2023-W18"] == 2  # the two events of 4 May 2023
        assert sum(weeks.values()) == 10
        assert "Timeline · by week" in app.timeline.border_title
        await pilot.press("minus")
        await wait_until(pilot, lambda: app.timeline.timeline.zoom == "month", what="months")
        await pilot.press("plus")
        await wait_until(pilot, lambda: app.timeline.timeline.zoom == "week", what="weeks again")


async def test_brackets_and_t_narrow_the_filter_to_a_period_and_t_again_widens_it(corpus, make_app):
    app = make_app(corpus)
    async with running(app) as pilot:
        await pilot.press("slash", *"kind:consultation", "enter")
        await wait_until(pilot, lambda: len(app.meetings.ids) == 3, what="three consultations")
        await shown(pilot, {"2022-04": 1, "2023-01": 1, "2023-05": 1}, "the consultations")
        await pilot.press("left_square_bracket")  # from the newest period (2023-05): already there
        assert app.timeline.cursor_period.label == "2023-04"
        await pilot.press("right_square_bracket", "t")
        filter_input = app.query_one("#filter", Input)
        assert filter_input.value == "kind:consultation from:2023-05 to:2023-05"
        await wait_until(pilot, lambda: len(app.meetings.ids) == 1, what="the period")
        assert app.meetings.ids == ["tm-ru-2023-05-04-consultations"]
        assert app.focused is app.meetings
        # The timeline keeps the other periods (its counts leave the dates out) and marks the range.
        await wait_until(pilot, lambda: app.timeline.timeline.first == "2023-05-01", what="the range")
        assert counts(app) == {"2022-04": 1, "2023-01": 1, "2023-05": 1}
        in_range = [period.label for period in app.timeline.periods if app.timeline.timeline.in_range(period)]
        assert in_range == ["2023-05"]

        await pilot.press("t")  # the same period again: every date
        assert filter_input.value == "kind:consultation"
        await wait_until(pilot, lambda: len(app.meetings.ids) == 3, what="all the consultations")

        await pilot.press(*["left_square_bracket"] * 20, "t")  # clamped at the oldest period
        assert filter_input.value == "kind:consultation from:2022-04 to:2022-04"
        await pilot.press("T")
        assert filter_input.value == "kind:consultation"


async def test_enter_in_the_timeline_and_a_click_pick_a_period(corpus, make_app):
    app = make_app(corpus)
    async with running(app) as pilot:
        await shown(pilot, {**CORPUS_MONTHS, "2023-09": 1}, "the months")
        await pilot.press("8")
        assert app.focused is app.timeline
        await pilot.press("home", "right", "right", "enter")  # 2022-04, 05, 06
        filter_input = app.query_one("#filter", Input)
        assert filter_input.value == "from:2022-06 to:2022-06"
        await wait_until(pilot, lambda: app.meetings.ids == ["decl-ru-tm-2022-signing"], what="June 2022")

        await pilot.press("z")
        await wait_until(pilot, lambda: app.timeline.timeline.zoom == "week", what="weeks")
        cells, first = app.timeline._window()
        target = next(
            index for index, period in enumerate(app.timeline.periods) if period.label == "2023-W18"
        )
        assert target >= first
        # Border and padding: the bars start two cells in.
        await pilot.click("#timeline", offset=(2 + (target - first) * cells, 1))
        assert filter_input.value == "from:2023-05-01 to:2023-05-07"
        await wait_until(pilot, lambda: len(app.meetings.ids) == 2, what="the week of 4 May 2023")
        assert app.timeline.cursor_period.label == "2023-W18"


async def test_a_burst_of_batches_recounts_the_timeline_a_few_times_only(corpus, make_app):
    app = make_app(corpus)
    async with running(app) as pilot:
        await shown(pilot, {**CORPUS_MONTHS, "2023-09": 1}, "the months")
        before = app._timeline_request
        for number in range(30):
            write_event(corpus, f"burst/b{number}.json", id=f"b{number}", date="2024-03-01")
        await wait_until(pilot, lambda: counts(app).get("2024-03") == 30, ARRIVAL * 3, "the burst")
        assert app._timeline_request - before < 10
