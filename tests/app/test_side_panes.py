"""Participants and topics: counts over the matching events, and Enter (or a click) toggling a filter term —
the interplay of a pane selection, the filter and the other panes."""

from __future__ import annotations

from textual.widgets import Input

from tests.app.conftest import SEED_ID, running, wait_until


async def settle(pilot) -> None:
    app = pilot.app
    await wait_until(pilot, lambda: app.dashboard.counts_current, what="the counts")


async def choose(pilot, pane_key: str, pane_id: str, row: int) -> None:
    """Focus a pane by its number key, highlight a row with the keyboard and press Enter."""
    await pilot.press(pane_key, "home", *["down"] * row, "enter")
    assert pilot.app.focused.id == pane_id


async def test_participants_are_counted_with_countries_and_aliases(corpus, make_app):
    app = make_app(corpus)
    async with running(app):
        people = {person.name: person for person in app.query_one("#participants").people}
        assert people["Mikhail Galuzin"].events == 4
        assert people["Vladimir Putin"].events == 2
        # Hadjiev and Hajiyev are one person (an alias joins them): three events in all.
        vepa = [person for name, person in people.items() if name.startswith("Vepa")]
        assert len(vepa) == 1 and vepa[0].events == 4
        assert app.query_one("#participants").border_title.startswith("Participants")


async def test_enter_on_a_participant_toggles_the_filter_and_narrows_the_other_panes(corpus, make_app):
    app = make_app(corpus)
    async with running(app) as pilot:
        await pilot.press("down")  # select the seed event first
        assert app.dashboard.meetings.selected_id == SEED_ID
        pane = app.query_one("#participants")
        row = [person.name for person in pane.people].index("Mikhail Galuzin")
        await choose(pilot, "3", "participants", row)
        await wait_until(pilot, lambda: len(app.dashboard.meetings.ids) == 4, what="Galuzin's four events")
        assert app.query_one("#filter", Input).value == 'participant:"Mikhail Galuzin"'
        await settle(pilot)
        assert "caspian" not in app.query_one("#topics").tags
        assert app.dashboard.meetings.selected_id == SEED_ID  # still matching: still selected
        assert app.dashboard.selection == SEED_ID
        assert app.focused.id == "participants"  # the user stays where they acted
        assert pane.highlighted_option is not None and "Mikhail Galuzin" in pane.highlighted_option.id
        await pilot.press("enter")  # again: removes the term
        await wait_until(pilot, lambda: len(app.dashboard.meetings.ids) == 10, what="every event again")
        assert app.query_one("#filter", Input).value == ""


async def test_clicking_a_participant_adds_the_term_to_what_is_typed(corpus, make_app):
    app = make_app(corpus)
    async with running(app) as pilot:
        await pilot.press("slash", *"kind:call", "enter")
        await wait_until(pilot, lambda: len(app.dashboard.meetings.ids) == 2, what="two calls")
        await settle(pilot)
        pane = app.query_one("#participants")
        row = [person.name for person in pane.people].index("Qin Gang")
        await pilot.click("#participants", offset=(8, 1 + row))
        await wait_until(pilot, lambda: len(app.dashboard.meetings.ids) == 1, what="one call")
        assert app.query_one("#filter", Input).value == 'kind:call participant:"Qin Gang"'
        assert app.dashboard.meetings.ids == ["tm-cn-2023-02-07-call"]


async def test_enter_on_a_topic_toggles_topic_in_the_filter(corpus, make_app):
    app = make_app(corpus)
    async with running(app) as pilot:
        topics = app.query_one("#topics")
        counts = dict(
            zip(topics.tags, [option.prompt.plain.split()[0] for option in topics.options], strict=True)
        )
        assert counts["regional-security"] == "5"
        row = topics.tags.index("caspian")
        await choose(pilot, "4", "topics", row)
        await wait_until(
            pilot, lambda: app.dashboard.meetings.ids == ["kz-ru-2023-03-15-call"], what="the Caspian call"
        )
        assert app.query_one("#filter", Input).value == "topic:caspian"
        await settle(pilot)
        assert sorted(person.name for person in app.query_one("#participants").people) == [
            "Mukhtar Tileuberdi",
            "Sergey Lavrov",
        ]
        assert topics.tags == ["caspian"]
        await pilot.press("enter")
        await wait_until(pilot, lambda: len(app.dashboard.meetings.ids) == 10, what="every event again")
        assert app.query_one("#filter", Input).value == ""


async def test_small_panes_show_the_top_500_and_say_so(tmp_path, make_app):
    folder = tmp_path / "many-topics"
    folder.mkdir()
    lines = [
        f'{{"id": "e{number}", "title": "Event", "date": "2020-01-01", "topics": ["tag {number:03}"]}}'
        for number in range(600)
    ]
    (folder / "events.jsonl").write_text("\n".join(lines))
    app = make_app(folder)
    async with running(app):
        topics = app.query_one("#topics")
        assert topics.option_count == 500
        assert topics.border_title == "Topics · top 500 of 600"


async def test_the_participant_toggle_filters_by_the_resolved_person_with_every_alias(tmp_path, make_app):
    """Hosni Mubarak named in full once and by surname twice is one row with his span; Enter filters all
    three events (the written name alone would find one), and not a namesake of another country."""
    import orjson

    folder = tmp_path / "events"
    folder.mkdir()
    people = [("Hosni Mubarak", "EG", "1990"), ("Mubarak", "EG", "1992"), ("Mubarak", "EG", "1995")]
    people.append(("Mubarak", "KW", "1993"))
    for number, (name, country, year) in enumerate(people):
        event = {
            "id": f"e{number}",
            "title": f"meeting {number}",
            "date": f"{year}-03-01",
            "location": {"city": "Cairo", "country": "EG"},
            "participants": [{"name": name, "country": country, "role": "President"}],
        }
        (folder / f"e{number}.json").write_bytes(orjson.dumps(event))
    app = make_app(folder)
    async with running(app) as pilot:
        pane = app.query_one("#participants")
        (egypt,) = [person for person in pane.people if "EG" in person.countries]
        assert egypt.events == 3 and egypt.span == "1990–1995"
        row = pane.people.index(egypt)
        await choose(pilot, "3", "participants", row)
        await wait_until(
            pilot, lambda: len(app.dashboard.meetings.ids) == 3, what="the three events of Hosni Mubarak"
        )
        assert app.query_one("#filter", Input).value == 'participant:"Hosni Mubarak"'
        assert sorted(app.dashboard.meetings.ids) == ["e0", "e1", "e2"]
