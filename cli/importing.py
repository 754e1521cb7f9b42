"""`communique import SOURCE FILE... --out DIR` and `communique draft FILE.txt [--out DIR]`.

Thin wrappers over `store.importers` and `store.drafts.draft`: parse arguments, write event files, report. Every
problem is one line on stderr, never a traceback. Exit status: `import` 0 when every record became an
event, 1 when any record or file was skipped, 2 for a usage error; `draft` 0 when a valid draft was
produced (its unsure fields go to stderr, prefixed "unsure:"), 1 when the text gives no event (no date or
title: an event without them would be invalid, so nothing is printed) or when `--out` already holds its id
(unless `--force`), 2 when the text cannot be read. Every line that carries a file's name or text goes
through `cli.output`, which makes it inert.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import orjson

from cli.output import fail as _fail
from cli.output import plural, say, warn
from store.event_store import EventStore
from store.importers.event_files import EventFolder
from store.model.validate import InvalidEvent, validate_event
from store.persistence.loading import load_folder


def _usable_out_dir(out: str) -> Path | None:
    path = Path(out)
    if path.exists() and not path.is_dir():
        return None
    return path


def run_import(args: argparse.Namespace) -> int:
    """Import every record of every FILE into --out; one stderr line per skipped record or file."""
    # The converters and their text helpers take ~40 ms to import: only `import` pays, not every command
    # (which is why SOURCE is checked here rather than by argparse's `choices`).
    from store.importers.history_state import COLLECTIONS, import_file

    if args.source not in COLLECTIONS:
        sources = ", ".join(sorted(COLLECTIONS))
        return _fail(f"import: argument SOURCE: invalid choice: {args.source!r} (choose from {sources})", 2)
    out = _usable_out_dir(args.out)
    if out is None:
        return _fail(f"{args.out}: not a folder", 2)
    folder = EventFolder(out)
    converted = skipped = 0
    for file in args.files:
        imported = import_file(args.source, Path(file))
        for problem in imported.problems:
            warn(problem)
        for warning in imported.warnings:
            warn(f"warning: {warning}")
        skipped += len(imported.problems)
        for event in imported.events:
            try:
                validate_event(event, fallback_id=str(event["id"]))
                folder.write(event)
            except (InvalidEvent, ValueError, OSError) as error:
                warn(f"{file}: {event.get('id')}: not written: {error}")
                skipped += 1
                continue
            converted += 1
    counts = ", ".join(f"{count} {outcome.value}" for outcome, count in folder.outcomes.items()) or "none"
    say(
        f"{plural(converted, 'event')} from {plural(len(args.files), 'file')} into {out} ({counts}); {skipped:,} skipped"
    )
    return 1 if skipped else 0


def _holder_of(out: Path, event_id: str) -> str | None:
    """The file in `out` that already holds `event_id` (by its id, or by its name), if any."""
    if not out.is_dir():
        return None
    store = EventStore(str(out))
    load_folder(store, prepare=False)
    held = store.get(event_id)
    if held is not None:
        return str(out / held.path)
    named = EventFolder(out)._existing.get(event_id)
    return None if named is None else str(named)


def run_draft(args: argparse.Namespace) -> int:
    """Print a draft event for a press release (or write it into --out); unsure fields go to stderr."""
    try:
        text = Path(args.file).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
        return _fail(f"{args.file}: cannot read: {reason}", 2)
    from store.drafts.draft import draft_event  # its tables take ~0.2 s to build: only `draft` pays

    draft = draft_event(text)
    for note in draft.unsure:
        warn(f"unsure: {note}")
    event_id = str(draft.event.get("id", ""))
    try:
        validate_event(draft.event, fallback_id=event_id)
    except InvalidEvent as error:
        return _fail(f"{args.file}: no event drafted: {error}", 1)
    if not args.out:
        sys.stdout.write(orjson.dumps(draft.event, option=orjson.OPT_INDENT_2).decode() + "\n")
        return 0
    out = _usable_out_dir(args.out)
    if out is None:
        return _fail(f"{args.out}: not a folder", 2)
    holder = None if args.force else _holder_of(out, event_id)
    if holder is not None:
        return _fail(
            f"{args.file}: not written: {holder} already holds the id {event_id!r} (--force replaces it)", 1
        )
    try:
        folder = EventFolder(out)
        path = folder.path_for(draft.event)
        folder.write(draft.event)
    except (ValueError, OSError) as error:
        return _fail(f"{args.file}: draft not written: {error}", 1)
    say(str(path))
    return 0


def add_commands(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register `import` and `draft` on the main parser's subcommands."""
    importer = subparsers.add_parser(
        "import",
        help="turn public records into event files",
        description="Import records as event files <DIR>/<year>/<id>.json; re-running updates them in place.",
    )
    importer.add_argument(
        "source",
        metavar="SOURCE",
        help="travels (a Secretary's or President's <trips>) or visits (foreign leaders' <visits>)",
    )
    importer.add_argument("files", nargs="+", metavar="FILE", help="XML files of that collection")
    importer.add_argument("--out", required=True, metavar="DIR", help="folder of event files to write into")
    importer.set_defaults(func=run_import)

    drafter = subparsers.add_parser(
        "draft",
        help="draft an event from a plain-text press release",
        description="Print a draft event as JSON (or write it into --out); unsure fields are listed on stderr.",
    )
    drafter.add_argument("file", metavar="FILE.txt", help="the press release, plain UTF-8 text")
    drafter.add_argument("--out", metavar="DIR", help="write <DIR>/<year>/<id>.json instead of printing")
    drafter.add_argument(
        "--force", action="store_true", help="with --out: replace the file that already holds the draft's id"
    )
    drafter.set_defaults(func=run_draft)
