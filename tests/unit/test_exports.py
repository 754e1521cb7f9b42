"""Exports: every format parsed back, and hostile text inert in every format."""

from __future__ import annotations

import csv
import datetime
import io
import re
from pathlib import Path
from typing import Any

import orjson
import pytest
from markdown_it import MarkdownIt

from cli.formats import write_query_format
from cli.main import main
from store.event_store import EventStore
from store.exports import EXPORT_FORMATS, UnknownFormat, export_events
from store.exports.csv_format import CSV_COLUMNS
from store.exports.ics import LINE_OCTETS
from store.exports.markdown import events_to_markdown
from store.model.event import Event, Participant
from store.model.sanitize import sanitize_line
from store.model.validate import validate_event
from tests.conftest import CORPORA, WriteEvent
from tests.unit.corpus import EVENTS

BLNS = orjson.loads((CORPORA / "naughty-strings" / "blns.json").read_bytes())

CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
"""What no export may carry: C0 (but tab, LF and CR, checked apart), DEL, C1, bidi overrides, surrogates."""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""What makes a spreadsheet evaluate a cell (OWASP, CSV injection)."""


# -- helpers -------------------------------------------------------------------------------------------------


def naughty_event(index: int, text: str) -> Event:
    """An event with `text` in every text field, normalised by the store's own validation."""
    required = text if sanitize_line(text) else f"blank {index}"  # fields the store refuses empty
    raw: dict[str, Any] = {
        "id": f"{index}-{text}",
        "title": required,
        "date": "2023-05-04",
        "end_date": "2023-05-06",
        "location": {"city": text, "country": "TM"},
        "countries": ["TM", "RU"],
        "participants": [{"name": required, "role": text, "organization": text, "aliases": [text]}],
        "topics": [text, "trade"],
        "agenda": [text],
        "organizations": [text],
        "documents": [{"title": required, "id": text}],
        "related": [required],
        "series": text,
        "source": {"name": text, "url": text, "published": "2023-05-05"},
        "summary": f"{text}\n{text}\n\n{text}",
        "text": text,
        "note": text,
    }
    return validate_event(raw, fallback_id=f"naughty-{index}", path="naughty.json")


NAUGHTY = [naughty_event(index, text) for index, text in enumerate(BLNS)]

UNSANITISED = [
    Event(
        id="raw\x1b]52;c;aGk=\x07",
        title="\x1b[2J=cmd|' /C calc'!A0\x9b31m\u202e",
        date="2023",
        sort_date="2023-01-01",
        path="raw.json",
        city="\x00Ash\x7fgabat\r\n# injected",
        participants=(Participant(name="\x1bP+q\x1b\\", role="\ud800role"),),
        summary="line\r\nBEGIN:VEVENT\r\n# heading\n<script>alert(1)</script>",
        extra={"\x1bkey": ["\x1b[31mred", {"nested": "\x90dcs"}]},
    )
]
"""Events built without the store's validation: the exports' own last line of defence must hold."""


def fixture_events(tmp_path: Path, write_event: WriteEvent) -> list[Event]:
    for rel, raw in EVENTS.items():
        write_event(rel, raw)
    store = EventStore(tmp_path / "events")
    store.load()
    return [event for event in map(store.get, store.query("").ids) if event is not None]


def parse_ics(text: str) -> list[dict[str, str]]:
    """VEVENTs as {property name: unescaped value}; checks line endings and folding on the way."""
    assert text.endswith("\r\n")
    physical = text[:-2].split("\r\n")
    for line in physical:
        assert "\r" not in line and "\n" not in line
        assert len(line.encode("utf-8")) <= LINE_OCTETS, line
    logical = text[:-2].replace("\r\n ", "").split("\r\n")
    assert logical[0] == "BEGIN:VCALENDAR" and logical[-1] == "END:VCALENDAR"
    events: list[dict[str, str]] = []
    current: dict[str, str] | None = None
    for line in logical[1:-1]:
        name_and_params, _, value = line.partition(":")
        name = name_and_params.split(";")[0]
        if line == "BEGIN:VEVENT":
            current = {}
        elif line == "END:VEVENT":
            assert current is not None
            events.append(current)
            current = None
        elif current is not None:
            assert name not in current, f"{name} twice in one VEVENT"
            current[name_and_params] = value if name.startswith("DT") else unescape_ics(value)
    assert current is None
    return events


def unescape_ics(value: str) -> str:
    assert not re.search(r"(?<!\\)(?:\\\\)*[;]", value.replace("\\;", "")), value
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def parse_csv(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def expected_cell(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def markdown_tokens(text: str) -> list[Any]:
    return MarkdownIt("commonmark").enable(["table", "strikethrough"]).parse(text)


def heading_texts(tokens: list[Any], tag: str) -> list[str]:
    texts = []
    for position, token in enumerate(tokens):
        if token.type == "heading_open" and token.tag == tag:
            inline = tokens[position + 1]
            assert {child.type for child in inline.children} <= {"text", "text_special"}, inline.content
            texts.append("".join(child.content for child in inline.children))
    return texts


# -- round trips -----------------------------------------------------------------------------------------------


def test_json_and_jsonl_parse_back_to_the_normalised_events(tmp_path: Path, write_event: WriteEvent) -> None:
    events = fixture_events(tmp_path, write_event)
    expected = [event.as_json() for event in events]
    assert orjson.loads(export_events(events, "json")) == expected
    lines = export_events(events, "jsonl").splitlines()
    assert [orjson.loads(line) for line in lines] == expected


def test_csv_parses_back_one_row_per_event_in_fixed_columns(tmp_path: Path, write_event: WriteEvent) -> None:
    events = fixture_events(tmp_path, write_event)
    text = export_events(events, "csv")
    assert text.endswith("\r\n")
    rows = parse_csv(text)
    assert tuple(rows[0]) == CSV_COLUMNS
    assert len(rows) == len(events) + 1
    by_id = {row[0]: dict(zip(CSV_COLUMNS, row, strict=True)) for row in rows[1:]}
    cons = by_id["cons-2023"]
    assert cons["title"] == "Turkmen-Russian consultations on regional security"
    assert cons["date"] == "2023-05-04" and cons["kind"] == "consultation"
    assert cons["city"] == "Ashgabat" and cons["country"] == "TM"
    assert cons["countries"] == "TM; RU"
    assert cons["participants"] == "Vepa Hadjiev; Mikhail Galuzin"
    assert cons["topics"] == "afghanistan; regional-security; information-security"
    assert cons["organizations"] == "UN; CIS; Central Asia + Russia"
    assert cons["source"] == "nCa"
    assert cons["summary"] == "Exchange of assessments of the situation in Afghanistan."


def test_ics_parses_back_one_all_day_vevent_per_event(tmp_path: Path, write_event: WriteEvent) -> None:
    events = fixture_events(tmp_path, write_event)
    vevents = parse_ics(export_events(events, "ics"))
    assert [vevent["UID"] for vevent in vevents] == [event.id for event in events]
    by_uid = {vevent["UID"]: vevent for vevent in vevents}
    cons = by_uid["cons-2023"]
    assert cons["SUMMARY"] == "Turkmen-Russian consultations on regional security"
    assert cons["DTSTART;VALUE=DATE"] == "20230504"
    assert cons["DTEND;VALUE=DATE"] == "20230505"  # exclusive: the day after
    assert cons["DTSTAMP"] == "20230505T000000Z"  # the source's publication day
    assert cons["LOCATION"] == "Ashgabat, TM"
    assert "Vepa Hadjiev (Acting Minister of Foreign Affairs)" in cons["DESCRIPTION"]
    partial = by_uid["cons-2021"]  # dated 2021-11
    assert partial["DTSTART;VALUE=DATE"] == "20211101"
    assert partial["DTEND;VALUE=DATE"] == "20211102"
    assert "2021-11" in partial["DESCRIPTION"] and "first day" in partial["DESCRIPTION"]
    for vevent in vevents:
        assert vevent["DTEND;VALUE=DATE"] > vevent["DTSTART;VALUE=DATE"]


def test_ics_end_dates_years_and_the_last_day_of_the_calendar() -> None:
    def one(**fields: Any) -> dict[str, str]:
        event = validate_event({"title": "T", **fields}, fallback_id="e")
        (vevent,) = parse_ics(export_events([event], "ics"))
        return vevent

    span = one(date="2023-12-30", end_date="2024-01-02")
    assert (span["DTSTART;VALUE=DATE"], span["DTEND;VALUE=DATE"]) == ("20231230", "20240103")
    year = one(date="2022")
    assert (year["DTSTART;VALUE=DATE"], year["DTEND;VALUE=DATE"]) == ("20220101", "20220102")
    assert year["DTSTAMP"] == "20220101T000000Z"  # no publication day: the event's own first day, not 1970
    last = one(date="9999-12-31")
    assert last["DTSTART;VALUE=DATE"] == "99991231" and "DTEND;VALUE=DATE" not in last


def test_ics_folds_long_multibyte_lines_without_splitting_a_character() -> None:
    title = "Консультации; по, вопросам\\ " * 12 + "🇹🇲" * 30
    event = validate_event({"title": title, "date": "2023-05-04"}, fallback_id="long")
    (vevent,) = parse_ics(export_events([event], "ics"))  # parse_ics checks every line's octets
    assert vevent["SUMMARY"] == event.title


def test_markdown_brief_has_a_heading_per_event_with_its_facts(
    tmp_path: Path, write_event: WriteEvent
) -> None:
    for rel, raw in EVENTS.items():
        write_event(rel, raw)
    store = EventStore(tmp_path / "events")
    store.load()
    events = [event for event in map(store.get, store.query("").ids) if event is not None]
    text = export_events(events, "md", related=store.related)
    tokens = markdown_tokens(text)
    assert heading_texts(tokens, "h2") == [f"{event.date} — {event.title}" for event in events]
    section = text.split("## 2023-05-04 — Turkmen-Russian consultations")[1].split("\n## ")[0]
    assert "- **Place:** Ashgabat, TM" in section
    assert "Vepa Hadjiev (Acting Minister of Foreign Affairs)" in section
    assert "afghanistan" in section and "regional-security" in section
    assert "Galuzin and Hadjiev hold a separate meeting (2023-05-04, id bilateral-2023)" in section
    without_lookup = export_events(events, "md")
    assert "bilateral-2023 (sub-event)" in without_lookup.split("\n## ")[1]


def test_every_format_is_deterministic_and_unknown_formats_are_refused() -> None:
    for fmt in EXPORT_FORMATS:
        assert export_events(NAUGHTY[:50], fmt) == export_events(NAUGHTY[:50], fmt)
    with pytest.raises(UnknownFormat, match="known: json, jsonl, csv, md, ics"):
        export_events([], "xlsx")


# -- hostile text ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", EXPORT_FORMATS)
@pytest.mark.parametrize("events", [NAUGHTY, UNSANITISED], ids=["naughty-strings", "unsanitised"])
def test_no_format_carries_a_control_character(fmt: str, events: list[Event]) -> None:
    text = export_events(events, fmt)
    assert not CONTROLS.findall(text)
    text.encode("utf-8")  # no lone surrogate either
    if fmt in ("csv", "ics"):
        assert "\r" not in text.replace("\r\n", "")
    else:
        assert "\r" not in text


def test_naughty_strings_round_trip_through_json_and_jsonl() -> None:
    expected = [event.as_json() for event in NAUGHTY]
    assert orjson.loads(export_events(NAUGHTY, "json")) == expected
    assert [orjson.loads(line) for line in export_events(NAUGHTY, "jsonl").splitlines()] == expected


def test_naughty_strings_round_trip_through_csv_with_formulas_escaped() -> None:
    rows = parse_csv(export_events(NAUGHTY, "csv"))
    assert len(rows) == len(NAUGHTY) + 1
    escaped = 0
    for event, row in zip(NAUGHTY, rows[1:], strict=True):
        cells = dict(zip(CSV_COLUMNS, row, strict=True))
        assert cells["id"] == expected_cell(event.id)
        assert cells["title"] == expected_cell(event.title)
        assert cells["city"] == expected_cell(event.city)
        assert cells["summary"] == expected_cell(event.summary)
        assert cells["url"] == expected_cell(event.source_url)
        escaped += cells["title"] != event.title
        for cell in row:
            assert not cell.startswith(FORMULA_STARTS), cell
    assert escaped > 20  # BLNS has many: "-1", "+1", "=cmd|...", "@..."


def test_naughty_strings_round_trip_through_ics() -> None:
    vevents = parse_ics(export_events(NAUGHTY, "ics"))
    assert len(vevents) == len(NAUGHTY)
    for event, vevent in zip(NAUGHTY, vevents, strict=True):
        assert vevent["UID"] == event.id
        assert vevent["SUMMARY"] == event.title
        assert vevent["DTSTART;VALUE=DATE"] == "20230504"
        assert vevent["DTEND;VALUE=DATE"] == "20230507"
        assert event.summary in vevent["DESCRIPTION"]
    assert len({vevent["UID"] for vevent in vevents}) == len(NAUGHTY)


def test_naughty_strings_cannot_break_the_markdown_structure() -> None:
    text = export_events(NAUGHTY, "md")
    tokens = markdown_tokens(text)
    kinds = {token.type for token in tokens} | {
        child.type for token in tokens if token.children for child in token.children
    }
    for forbidden in (
        "html_block",
        "html_inline",
        "link_open",
        "image",
        "code_inline",
        "code_block",
        "fence",
    ):
        assert forbidden not in kinds, forbidden
    assert not {"hr", "blockquote_open", "ordered_list_open", "table_open", "s_open", "em_open"} & kinds
    assert heading_texts(tokens, "h1") == ["Events"]
    assert heading_texts(tokens, "h2") == [
        f"{event.date} — {' '.join(event.title.split())}" for event in NAUGHTY
    ]
    top_level_lists = [token for token in tokens if token.type == "bullet_list_open" and token.level == 0]
    assert len(top_level_lists) == len(NAUGHTY)  # one list of facts per event, none started by data


def test_cli_writes_an_export_as_utf8_bytes(
    tmp_path: Path, write_event: WriteEvent, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    for rel, raw in EVENTS.items():
        write_event(rel, raw)
    store = EventStore(tmp_path / "events")
    store.load()
    write_query_format(store, ["cons-2023", "no-such-id", "cons-2021"], "ics")
    out = capsysbinary.readouterr().out.decode("utf-8")
    assert [vevent["UID"] for vevent in parse_ics(out)] == ["cons-2023", "cons-2021"]


@pytest.mark.parametrize("fmt", EXPORT_FORMATS)
def test_query_format_exports_the_matching_events_in_display_order(
    tmp_path: Path, write_event: WriteEvent, capsysbinary: pytest.CaptureFixture[bytes], fmt: str
) -> None:
    for rel, raw in EVENTS.items():
        write_event(rel, raw)
    assert main(["query", str(tmp_path / "events"), "kind:consultation", "--format", fmt, "--no-cache"]) == 0
    out = capsysbinary.readouterr().out.decode("utf-8")
    ids = {
        "json": lambda: [item["id"] for item in orjson.loads(out)],
        "jsonl": lambda: [orjson.loads(line)["id"] for line in out.splitlines()],
        "csv": lambda: [row[0] for row in parse_csv(out)[1:]],
        "md": lambda: [line.rsplit(" ", 1)[1] for line in out.splitlines() if line.startswith("- **Id:**")],
        "ics": lambda: [vevent["UID"] for vevent in parse_ics(out)],
    }[fmt]()
    assert ids == ["cons-2023", "cons-2021"]


def test_query_format_refuses_an_unknown_format(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["query", str(tmp_path), "--format", "xlsx"]) == 2
    assert "invalid choice: 'xlsx'" in capsys.readouterr().err


def test_the_markdown_brief_records_its_filter_and_when_it_was_made() -> None:
    event = validate_event({"title": "T", "date": "2023-05-04"}, fallback_id="e")
    made = datetime.datetime(2026, 12, 1, 23, 40, 5)
    brief = events_to_markdown([event], filter_text="country:tm -kind:call", made=made)
    assert "- **Filter:** country:tm \\-kind:call" in brief or "- **Filter:** country:tm -kind:call" in brief
    assert "- **Made:** 2026-12-01 23:40:05" in brief
    assert "**Filter:** none (every event)" in events_to_markdown([event], filter_text="", made=made)


@pytest.mark.parametrize("fmt", ["json", "jsonl"])
def test_an_event_kept_from_a_file_now_invalid_is_marked_stale(tmp_path: Path, fmt: str) -> None:
    """The dashboard keeps a broken file's last good event on screen; its export says so."""
    (tmp_path / "kept.json").write_bytes(orjson.dumps({"id": "kept", "title": "Kept", "date": "2023"}))
    (tmp_path / "fine.json").write_bytes(orjson.dumps({"id": "fine", "title": "Fine", "date": "2024"}))
    store = EventStore(tmp_path)
    store.load()
    (tmp_path / "kept.json").write_bytes(b"{broken")
    store.upsert(tmp_path / "kept.json")
    assert store.stale_ids() == {"kept"}
    events = [store.get("kept"), store.get("fine")]
    text = export_events(events, fmt, stale=store.stale_ids())
    rows = orjson.loads(text) if fmt == "json" else [orjson.loads(line) for line in text.splitlines()]
    assert [(row["id"], row.get("stale")) for row in rows] == [("kept", True), ("fine", None)]
