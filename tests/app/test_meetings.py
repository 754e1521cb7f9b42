"""The meetings pane: columns, newest first, sorting by keys and header clicks, cursor keys, highlighting,
and a virtual view that stays instant at 100,000 rows."""

from __future__ import annotations

from textual.app import App, ComposeResult

from store.model.event import Event
from tests.app.conftest import SEED_ID, row_texts, running, wait_until
from tui.meetings_view import MeetingsView

NEWEST_FIRST = [
    "un-2023-09-general-debate",
    "tm-ru-2023-05-04-consultations",
    "tm-ru-2023-05-04-bilateral",
    "kz-ru-2023-03-15-call",
    "tm-cn-2023-02-07-call",
    "tm-af-2023-01-18-consultations",
    "cis-2023-ministers",
    "ca-ru-2022-10-14-summit",
    "decl-ru-tm-2022-signing",
    "tm-ru-2022-04-12-consultations",
]


async def test_rows_are_newest_first_with_every_column(corpus, make_app):
    app = make_app(corpus)
    async with running(app):
        assert app.meetings.ids == NEWEST_FIRST
        header = app.meetings.render_line(0).text
        for label in ("Date▼", "Kind", "Title", "Place", "Countries", "Ppl"):
            assert label in header
        rows = row_texts(app)
        assert rows[0].split()[:2] == ["2023-09", "conference"]
        assert "General debate" in rows[0] and "New York, US" in rows[0] and "TM US" in rows[0]
        assert rows[0].endswith("1")  # one participant
        assert "2023 " in rows[6] and "Bishkek, KG" in rows[6]  # a year-only date, shown as written
        assert rows[len(NEWEST_FIRST)] == ""


async def test_cursor_keys_move_the_selection_and_the_detail_follows(corpus, make_app):
    app = make_app(corpus)
    async with running(app) as pilot:
        assert app.meetings.selected_id == NEWEST_FIRST[0]
        await pilot.press("down")
        assert app.meetings.selected_id == SEED_ID
        await wait_until(pilot, lambda: app.shown_id == SEED_ID, what="the detail")
        assert "Turkmen-Russian interdepartmental consultations" in app.detail.text
        await pilot.press("j", "j", "k")
        assert app.meetings.selected_id == NEWEST_FIRST[2]
        await pilot.press("end")
        assert app.meetings.selected_id == NEWEST_FIRST[-1]
        await pilot.press("g")
        assert app.meetings.selected_id == NEWEST_FIRST[0]
        await pilot.press("pagedown")
        assert app.meetings.selected_id == NEWEST_FIRST[-1]


async def test_clicking_a_row_selects_it(corpus, make_app):
    app = make_app(corpus)
    async with running(app) as pilot:
        # Border (1) + header (1): the fourth row is on line 5 of the widget.
        await pilot.click("#meetings", offset=(30, 5))
        assert app.meetings.selected_id == NEWEST_FIRST[3]
        await wait_until(pilot, lambda: app.shown_id == NEWEST_FIRST[3], what="the detail")


async def test_header_click_sorts_and_a_second_click_reverses(corpus, make_app):
    app = make_app(corpus)
    async with running(app) as pilot:
        await pilot.press("down")  # select the seed event: sorting keeps it selected
        title_x = 1 + 2 + 10 + 1 + 12 + 1 + 2  # border, mark, date, gap, kind, gap, into the title
        await pilot.click("#meetings", offset=(title_x, 1))
        await wait_until(pilot, lambda: app.sort_column == "title", what="sort by title")
        titles = [app.store.get(event_id).title.casefold() for event_id in app.meetings.ids]
        assert titles == sorted(titles)
        assert "Title▲" in app.meetings.render_line(0).text
        assert app.meetings.selected_id == SEED_ID
        await pilot.click("#meetings", offset=(title_x, 1))
        await wait_until(pilot, lambda: app.descending, what="reversed")
        titles = [app.store.get(event_id).title.casefold() for event_id in app.meetings.ids]
        assert titles == sorted(titles, reverse=True)
        assert app.meetings.selected_id == SEED_ID


async def test_o_cycles_the_sort_column_and_shift_o_reverses(corpus, make_app):
    app = make_app(corpus)
    async with running(app) as pilot:
        await pilot.press("o")
        await wait_until(pilot, lambda: app.sort_column == "kind", what="sort by kind")
        kinds = [app.store.get(event_id).kind for event_id in app.meetings.ids]
        assert kinds == sorted(kinds)
        await pilot.press("O")
        kinds = [app.store.get(event_id).kind for event_id in app.meetings.ids]
        assert kinds == sorted(kinds, reverse=True)
        await pilot.press("o", "o", "o", "o")
        assert app.sort_column == "participants"
        counts = [len(app.store.get(event_id).participants) for event_id in app.meetings.ids]
        assert counts == sorted(counts, reverse=True)
        await pilot.press("o")
        assert (app.sort_column, app.descending) == ("arrival", True)
        assert app.meetings.render_line(0).text.startswith("●▼")
        await pilot.press("o")
        assert (app.sort_column, app.descending) == ("date", True)
        assert app.meetings.ids == NEWEST_FIRST


async def test_matched_words_are_highlighted(corpus, make_app):
    app = make_app(corpus)
    async with running(app) as pilot:
        await pilot.press("slash", *"hadj")
        await wait_until(pilot, lambda: len(app.meetings.ids) == 4, what="hadj")
        row = app.meetings.ids.index("tm-ru-2023-05-04-bilateral")
        match = app.meetings.get_component_rich_style("meetings--match")
        strip = app.meetings.render_line(row + 1)
        highlighted = [
            segment.text for segment in strip if segment.style and segment.style.bgcolor == match.bgcolor
        ]
        assert "".join(highlighted) == "Hadjiev"
        await pilot.press("enter", *["down"] * row)
        await wait_until(pilot, lambda: app.shown_id == "tm-ru-2023-05-04-bilateral", what="the detail")
        assert "Hadjiev" in app.detail.text


class _FakeStore:
    """Events made on demand: the pane asks only for the rows it paints."""

    def __init__(self) -> None:
        self.asked: set[str] = set()

    def get(self, event_id: str) -> Event:
        self.asked.add(event_id)
        number = int(event_id[1:])
        return Event(event_id, f"Event number {number}", "2020-01-01", "2020-01-01", f"{number}.json")


class _MeetingsOnly(App[None]):
    def __init__(self, store: _FakeStore) -> None:
        super().__init__()
        self.store = store

    def compose(self) -> ComposeResult:
        yield MeetingsView(self.store, id="meetings")  # type: ignore[arg-type]


async def test_a_hundred_thousand_rows_paint_only_the_visible_window():
    store = _FakeStore()
    app = _MeetingsOnly(store)
    async with app.run_test(size=(120, 40)) as pilot:
        meetings = app.query_one(MeetingsView)
        ids = [f"e{number}" for number in range(100_000)]
        # How fast is the benchmark's business; here, that only the visible rows are ever fetched.
        meetings.show_result(ids, ["number"])
        await pilot.pause()
        assert len(store.asked) < 100  # the visible window (and nothing else) was fetched
        meetings.focus()
        await pilot.press("end")
        await pilot.pause()
        assert meetings.selected_id == "e99999"
        assert (
            "Event number 99999" in meetings.render_line(meetings.scrollable_content_region.height - 1).text
        )
        assert len(store.asked) < 200
        asked = len(store.asked)
        meetings.show_result(ids[::-1], [])  # a new answer of the same size: still a constant cost
        await pilot.pause()
        assert len(store.asked) - asked < 100
        assert meetings.selected_id == "e99999"
