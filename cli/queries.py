"""`check`, `query`, `participants`, `topics` and `related`: the dashboard's questions, answered on stdout."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterable

import orjson

from cli.formats import add_format_option, write_query_format
from store.config import Config, load_config
from store.event_files import DEFAULT_MAX_BYTES, is_event_file_name, read_event_file, shown_path
from store.event_store import EventStore
from store.filter_syntax import FilterError
from store.folder_scan import scan_folder
from store.loading import cache_enabled, load_folder


def fail(message: str, status: int = 2) -> int:
    print(f"communique: {message}", file=sys.stderr)
    return status


def add_store_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--no-cache", action="store_true", help="read every file; neither use nor write the cache"
    )
    parser.add_argument(
        "--follow-symlinks", action="store_true", help="follow symlinks that lead outside DIR"
    )
    parser.add_argument(
        "--max-bytes",
        type=int,
        default=None,
        metavar="N",
        help=f"refuse files larger than N bytes (default: the config file's max_bytes, else {DEFAULT_MAX_BYTES:,})",
    )


def max_bytes(args: argparse.Namespace, config: Config | None = None) -> int:
    """The option when given, else the config file's limit: a command line option wins over the file."""
    if args.max_bytes is not None:
        return int(args.max_bytes)
    return (config or load_config()[0]).max_bytes


def open_folder(args: argparse.Namespace) -> EventStore:
    if not os.path.isdir(args.dir):
        raise NotADirectoryError(f"{args.dir}: no such folder")
    store = EventStore(args.dir, follow_symlinks=args.follow_symlinks, max_bytes=max_bytes(args))
    load_folder(store, use_cache=cache_enabled(args.no_cache))
    store.forget_stale()  # the folder as it is now, with or without the cache
    return store


def print_json(value: object) -> None:
    sys.stdout.buffer.write(orjson.dumps(value, option=orjson.OPT_INDENT_2) + b"\n")
    sys.stdout.flush()


def _table(rows: Iterable[tuple[str, ...]], widths: tuple[int, ...]) -> None:
    for row in rows:
        cells = [
            cell if len(cell) <= width else cell[: width - 1] + "…"
            for cell, width in zip(row, widths, strict=True)
        ]
        print("  ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True)).rstrip())


# -- check ---------------------------------------------------------------------------------------------------


def run_check(args: argparse.Namespace) -> int:
    bad = 0
    checked = 0
    claimants: dict[str, list[str]] = {}
    for target in args.paths:
        if os.path.isdir(target):
            files = [
                os.path.join(target, rel)
                for rel in sorted(scan_folder(target, follow_symlinks=args.follow_symlinks))
            ]
        elif os.path.lexists(target):
            files = [target]
        else:
            print(f"{shown_path(target)}: no such file or folder")
            bad += 1
            continue
        for path in files:
            checked += 1
            contents = read_event_file(path, path, args.max_bytes)
            if not is_event_file_name(os.path.basename(path)) and not contents.problems:
                continue
            for problem in contents.problems:
                print(problem)
            bad += bool(contents.problems)
            for event in contents.events:
                claimants.setdefault(event.id, []).append(shown_path(path))
    for event_id, paths in claimants.items():
        if len(paths) > 1:  # each file is valid alone; together they claim one id
            for path in paths:
                print(
                    f"{path}: duplicate id {event_id!r} (also in {', '.join(p for p in paths if p != path)})"
                )
            bad += len(paths)
    print(f"{checked:,} files checked, {bad:,} with problems", file=sys.stderr)
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
    print(f"{len(result.ids):,} of {len(store):,} events match", file=sys.stderr)
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


def add_commands(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    check = subparsers.add_parser("check", help="validate event files and folders; one line per problem")
    check.add_argument("paths", nargs="+", metavar="PATH")
    check.add_argument("--follow-symlinks", action="store_true")
    check.add_argument("--max-bytes", type=int, default=DEFAULT_MAX_BYTES, metavar="N")
    check.set_defaults(func=run_check)

    def with_dir(name: str, help_text: str) -> argparse.ArgumentParser:
        parser = subparsers.add_parser(name, help=help_text)
        parser.add_argument("dir", metavar="DIR")
        add_store_options(parser)
        return parser

    query = with_dir("query", "matching events, newest first")
    query.add_argument("filter", nargs="*", metavar="FILTER")
    query.add_argument("--json", action="store_true", help="a JSON array of normalised events")
    query.add_argument("--limit", type=int, default=0, metavar="N")
    query.add_argument(
        "--sort", choices=["date", "kind", "title", "place", "countries", "participants"], default="date"
    )
    query.add_argument("--ascending", action="store_true", help="oldest (or A) first")
    add_format_option(query)
    query.set_defaults(func=_guarded(run_query))

    participants = with_dir("participants", "people across the matching events, most events first")
    participants.add_argument("filter", nargs="*", metavar="FILTER")
    participants.add_argument("--json", action="store_true")
    participants.add_argument("--limit", type=int, default=0, metavar="N")
    participants.set_defaults(func=_guarded(run_participants))

    topics = with_dir("topics", "topic tags with counts over the matching events")
    topics.add_argument("filter", nargs="*", metavar="FILTER")
    topics.add_argument("--json", action="store_true")
    topics.add_argument("--limit", type=int, default=0, metavar="N")
    topics.set_defaults(func=_guarded(run_topics))

    related = with_dir("related", "events related to one event, best first, with reasons")
    related.add_argument("id", metavar="ID")
    related.add_argument("--json", action="store_true")
    related.set_defaults(func=_guarded(run_related))
