"""`check`, `query`, `participants`, `topics` and `related`: the dashboard's questions, answered on stdout."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Iterable

from cli.formats import add_format_option, write_query_format
from cli.output import fail, plural, print_json, say, terminal_text
from store.config import Config, load_config
from store.event_store import SORT_KEYS, EventStore
from store.files.event_files import DEFAULT_MAX_BYTES, is_event_file_name, read_event_file, shown_path
from store.files.folder_scan import scan_folder
from store.index.persistent import IndexDamaged
from store.index.protocol import IndexReader
from store.persistence.folder_index import Reading, open_index
from store.persistence.loading import cache_enabled, load_folder, warn_on_stderr
from store.persistence.trusted_folder import FolderRefused
from store.query.filter_syntax import FilterError

FILTER_SUMMARY = """\
filter language (terms combine with AND; quote values with spaces):
  galu hadj             words starting so, in any text field
  "separate meeting"    those words in sequence
  -afghanistan          NOT the term (works after DIR without --)
  participant:NAME p:   a participant whose name or alias starts so
  country:TM c:         the country is involved
  topic:T t: #T         a topic tag
  kind:K org:O place:P source:S
  from:2022 to:2023-02  start on/after, on/before that period
See the README, section "The filter language", for the full table."""
"""The end of `--help` for every command that takes a filter: enough to write one without the README."""


def non_negative(text: str) -> int:
    """`--limit`'s type: a whole number, 0 or more (0 means no limit)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"{value} is below 0 (0 means no limit)")
    return value


def _add_reading_options(
    parser: argparse.ArgumentParser, where: str, max_bytes: int | None, default: str
) -> None:
    """`--follow-symlinks` and `--max-bytes N`, shared by `check` and the commands that load a folder."""
    parser.add_argument(
        "--follow-symlinks", action="store_true", help=f"follow symlinks that lead outside {where}"
    )
    parser.add_argument(
        "--max-bytes",
        type=int,
        default=max_bytes,
        metavar="N",
        help=f"refuse files larger than N bytes (default: {default})",
    )


def add_store_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--no-cache", action="store_true", help="read every file; neither use nor update the index"
    )
    _add_reading_options(parser, "DIR", None, f"the config file's max_bytes, else {DEFAULT_MAX_BYTES:,}")


def max_bytes(args: argparse.Namespace, config: Config | None = None) -> int:
    """The option when given, else the config file's limit: a command line option wins over the file."""
    if args.max_bytes is not None:
        return int(args.max_bytes)
    return (config or load_config()[0]).max_bytes


def open_folder(args: argparse.Namespace) -> EventStore:
    if os.path.lexists(args.dir) and not os.path.isdir(args.dir):
        raise NotADirectoryError(f"{args.dir}: is a file, not a folder; give the folder that holds it")
    if not os.path.isdir(args.dir):
        raise NotADirectoryError(f"{args.dir}: no such folder")
    limit = max_bytes(args)
    if cache_enabled(args.no_cache):
        reader = open_persistent(args.dir, Reading(args.follow_symlinks, limit))
        if reader is not None:
            return EventStore(args.dir, follow_symlinks=args.follow_symlinks, max_bytes=limit, reader=reader)
    store = EventStore(args.dir, follow_symlinks=args.follow_symlinks, max_bytes=limit)
    load_folder(store, prepare=False)  # every file, as it is now
    return store


SHOWN_FROM = 2_000
"""Files to read from which a command says how far its indexing is."""


def _indexing_shown(root: str) -> Callable[[int, int], None] | None:
    """On a terminal, a first index (or a rebuilt one) says how far it is, on one line of stderr."""
    if not sys.stderr.isatty():
        return None

    def show(done: int, total: int) -> None:
        if total < SHOWN_FROM:
            return  # a few files changed since the last command: no line for that
        sys.stderr.write(f"\rcommunique: indexing {terminal_text(root)}: {done:,} of {total:,} files")
        if done == total:
            sys.stderr.write("\n")
        sys.stderr.flush()

    return show


def open_persistent(root: str, reading: Reading) -> IndexReader | None:
    """The folder's persistent index, up to date unless a dashboard is writing it (then its last commit);
    None, said in one line, when it cannot be used (the command then reads every file)."""
    try:
        return open_index(root, reading, warn=warn_on_stderr, progress=_indexing_shown(root))
    except FolderRefused as refusal:
        warn_on_stderr(str(refusal))
    except (OSError, IndexDamaged) as error:
        warn_on_stderr(f"the index of {root} cannot be used ({error}); reading the files")
    return None


def _table(rows: Iterable[tuple[str, ...]], widths: tuple[int, ...]) -> None:
    for raw in rows:
        row = [terminal_text(cell) for cell in raw]
        cells = [
            cell if len(cell) <= width else cell[: width - 1] + "…"
            for cell, width in zip(row, widths, strict=True)
        ]
        say("  ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True)).rstrip())


# -- check ---------------------------------------------------------------------------------------------------


def run_check(args: argparse.Namespace) -> int:
    missing = [target for target in args.paths if not os.path.lexists(target)]
    if missing:
        return fail(f"{missing[0]}: no such file or folder")
    bad = 0
    checked = 0
    claimants: dict[str, list[str]] = {}
    for target in args.paths:
        if os.path.isdir(target):
            files = [
                os.path.join(target, rel)
                for rel in sorted(scan_folder(target, follow_symlinks=args.follow_symlinks))
            ]
        else:
            files = [target]
        for path in files:
            checked += 1
            contents = read_event_file(path, path, args.max_bytes)
            if not is_event_file_name(os.path.basename(path)) and not contents.problems:
                continue
            for problem in contents.problems:
                say(problem)
            bad += bool(contents.problems)
            for event in contents.events:
                claimants.setdefault(event.id, []).append(shown_path(path))
    for event_id, paths in claimants.items():
        if len(paths) > 1:  # each file is valid alone; together they claim one id
            for path in paths:
                say(f"{path}: duplicate id {event_id!r} (also in {', '.join(p for p in paths if p != path)})")
            bad += len(paths)
    say(f"{plural(checked, 'file')} checked, {bad:,} with problems", sys.stderr)
    return 1 if bad else 0


# -- query, participants, topics, related --------------------------------------------------------------------


def _filter_text(args: argparse.Namespace) -> str:
    return " ".join(args.filter)


def run_query(args: argparse.Namespace) -> int:
    store = open_folder(args)
    result = store.query(_filter_text(args), sort=args.sort, descending=not args.ascending)
    ids = result.ids[: args.limit] if args.limit else result.ids
    if args.format:
        write_query_format(store, ids, args.format)
        return 0
    events = [event for event in map(store.get, ids) if event is not None]
    if args.json:
        print_json([event.as_json() for event in events])
        return 0
    _table(
        [("DATE", "KIND", "TITLE", "PLACE", "PEOPLE")]
        + [(e.date, e.kind, e.title, e.place, str(len(e.participants))) for e in events],
        (10, 12, 70, 24, 6),
    )
    verb = "matches" if len(result.ids) == 1 else "match"
    say(f"{len(result.ids):,} of {plural(len(store), 'event')} {verb}", sys.stderr)
    return 0


def run_participants(args: argparse.Namespace) -> int:
    store = open_folder(args)
    people = store.participants(store.query(_filter_text(args)))
    if args.limit:
        people = people[: args.limit]
    if args.json:
        print_json([person.as_json() for person in people])
        return 0
    _table(
        [("EVENTS", "NAME", "COUNTRIES", "ALIASES")]
        + [(str(p.events), p.name, " ".join(p.countries), "; ".join(p.aliases)) for p in people],
        (6, 36, 12, 60),
    )
    return 0


def run_topics(args: argparse.Namespace) -> int:
    store = open_folder(args)
    topics = store.topics(store.query(_filter_text(args)))
    if args.limit:
        topics = topics[: args.limit]
    if args.json:
        print_json([{"topic": topic, "events": count} for topic, count in topics])
        return 0
    _table([("EVENTS", "TOPIC")] + [(str(count), topic) for topic, count in topics], (6, 60))
    return 0


def run_related(args: argparse.Namespace) -> int:
    store = open_folder(args)
    try:
        relations = store.related(args.id)
    except KeyError:
        return fail(f"no event with id {args.id!r} in {args.dir}", 1)
    if args.json:
        print_json([relation.as_json() for relation in relations])
        return 0
    _table(
        [("SCORE", "DATE", "TITLE", "REASONS")]
        + [(str(r.score), r.date, r.title, "; ".join(r.reasons)) for r in relations],
        (5, 10, 50, 80),
    )
    return 0


def _guarded(handler):  # type: ignore[no-untyped-def]
    """Turn the failures a user can cause into one line on stderr."""

    def run(args: argparse.Namespace) -> int:
        try:
            return int(handler(args))
        except FilterError as error:
            return fail(f"bad filter: {error}")
        except (NotADirectoryError, FileNotFoundError) as error:
            return fail(str(error))

    return run


FILTER_COMMANDS = ("query", "participants", "topics")
"""The commands whose FILTER terms may start with `-` after DIR without `--` (see `cli.main`)."""

_LIMIT_HELP = "show at most N (default 0: no limit)"


def add_commands(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    check = subparsers.add_parser(
        "check",
        help="validate event files and folders; one line per problem",
        description="Validate event files and folders: one line per problem on stdout, a count on stderr. "
        "Exit 0 when every file is valid, 1 when any is not, 2 for a usage error (a path that does not exist).",
    )
    check.add_argument("paths", nargs="+", metavar="PATH", help="an event file, or a folder to check whole")
    _add_reading_options(check, "PATH", DEFAULT_MAX_BYTES, f"{DEFAULT_MAX_BYTES:,}")
    check.set_defaults(func=run_check)

    def with_dir(name: str, help_text: str, takes_filter: bool = True) -> argparse.ArgumentParser:
        parser = subparsers.add_parser(
            name,
            help=help_text,
            description=help_text[0].upper() + help_text[1:] + ".",
            epilog=FILTER_SUMMARY if takes_filter else None,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        parser.add_argument("dir", metavar="DIR", help="the folder of event files")
        if takes_filter:
            parser.add_argument(
                "filter", nargs="*", metavar="FILTER", help="filter terms (below); none: every event"
            )
        add_store_options(parser)
        return parser

    query = with_dir("query", "matching events, newest first")
    output = query.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="a JSON array of normalised events")
    add_format_option(output)
    query.add_argument("--limit", type=non_negative, default=0, metavar="N", help=_LIMIT_HELP)
    query.add_argument(
        "--sort",
        choices=list(SORT_KEYS),
        default="date",
        help="the column to order by (default: date)",
    )
    query.add_argument("--ascending", action="store_true", help="oldest (or A) first")
    query.set_defaults(func=_guarded(run_query))

    participants = with_dir("participants", "people across the matching events, most events first")
    participants.add_argument("--json", action="store_true", help="a JSON array of people")
    participants.add_argument("--limit", type=non_negative, default=0, metavar="N", help=_LIMIT_HELP)
    participants.set_defaults(func=_guarded(run_participants))

    topics = with_dir("topics", "topic tags with counts over the matching events")
    topics.add_argument("--json", action="store_true", help="a JSON array of {topic, events}")
    topics.add_argument("--limit", type=non_negative, default=0, metavar="N", help=_LIMIT_HELP)
    topics.set_defaults(func=_guarded(run_topics))

    related = with_dir("related", "events related to one event, best first, with reasons", takes_filter=False)
    related.add_argument("id", metavar="ID", help="the event's id (as `query --json` shows it)")
    related.add_argument("--json", action="store_true", help="a JSON array of relations")
    related.set_defaults(func=_guarded(run_related))
