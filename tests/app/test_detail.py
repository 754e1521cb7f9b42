"""The detail pane [#detail]: the selected event in full, every section of the format, as plain text."""

from __future__ import annotations

from textual.content import Content

from tests.app.conftest import SEED_ID, running, wait_until
from tui.detail_pane import HEAD_MARK


async def test_the_selected_event_is_shown_in_full(corpus, make_app):
    app = make_app(corpus)
    async with running(app) as pilot:
        await pilot.press("down")
        await wait_until(pilot, lambda: app.shown_id == SEED_ID, what="the seed event")
        text = app.detail.text
        lines = text.splitlines()
        assert lines[0] == "Turkmen-Russian interdepartmental consultations on regional security issues"
        assert lines[1] == "2023-05-04  ·  consultation  ·  Ashgabat, TM"
        assert "Countries: TM, RU" in text
        assert "Series: Turkmen-Russian consultations on regional security" in text
        assert (
            f"{HEAD_MARK} Vepa Hadjiev — Acting Minister of Foreign Affairs, TM, "
            "Ministry of Foreign Affairs of Turkmenistan (head of delegation)"
        ) in lines
        assert "  • exchange of assessments of the situation in Afghanistan" in lines
        assert "afghanistan  ·  central-asian-security" in text
        assert "UN  ·  CIS  ·  Central Asia + Russia" in text
        assert (
            "  • Declaration on Deepening Strategic Partnership between the Russian Federation and Turkmenistan"
            "  (2022-06, decl-ru-tm-2022-strategic-partnership)"
        ) in lines
        assert "  • tm-ru-2023-05-04-bilateral  (sub-event)" in lines
        assert "  nCa  ·  published 2023-05-05" in lines
        assert "  https://www.newscentralasia.net/" in lines
        assert "On 4 May 2023, the high-level Turkmen-Russian" in text
        assert "According to press releases" in text
        assert "  photo_credit: MFA Turkmenistan" in lines  # a field the format does not know
        assert "2023/2023-05-04-tm-ru-consultations-ashgabat.json" in text


async def test_the_source_address_is_a_link_only_when_it_is_a_web_address(corpus, make_app):
    app = make_app(corpus)
    async with running(app) as pilot:
        await pilot.press("down")
        await wait_until(pilot, lambda: app.shown_id == SEED_ID, what="the seed event")
        visual = app.detail.query_one("#detail-body").visual
        assert isinstance(visual, Content)
        links = {
            visual.plain[span.start : span.end]: getattr(span.style, "link", None)
            for span in visual.spans
            if getattr(span.style, "link", None)
        }
        assert links == {"https://www.newscentralasia.net/": "https://www.newscentralasia.net/"}


async def test_a_partial_date_and_an_end_date_read_as_written(corpus, make_app):
    app = make_app(corpus)
    async with running(app) as pilot:
        await wait_until(pilot, lambda: app.shown_id == "un-2023-09-general-debate", what="the newest event")
        assert app.detail.text.splitlines()[1] == "2023-09 – 2023-09-26  ·  conference  ·  New York, US"
        await pilot.press("2")
        assert app.focused is app.detail
        await pilot.press("1")
        assert app.focused is app.meetings


def test_a_huge_text_is_shown_from_its_head_alone(monkeypatch):
    """A cursor move onto a 10 MB event reads only what the pane shows (and the length, for the count)."""
    from store.model.event import Event
    from tui.detail_pane import LONG_TEXT, event_content

    huge = "regional security consultations " * 300_000
    event = Event("e", "Talks", "2023-05-04", "2023-05-04", "e.json", summary=huge)
    event.pack()
    monkeypatch.setattr("store.model.event.zlib.decompress", None)  # reading it whole would fail now
    shown = str(event_content(event))
    assert huge[: LONG_TEXT - 40] in shown and f"{len(huge) - LONG_TEXT:,} more characters" in shown
