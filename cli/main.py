"""`communique [DIR]` opens the dashboard; `communique COMMAND …` answers the same questions on stdout.

Every failure the user can cause (a missing folder, an unknown id, a malformed filter) is one line on
stderr and an exit status, never a traceback: 0 success, 1 a problem found (invalid files, nothing
skipped...), 2 a usage error.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from cli import dashboard, queries, serve

COMMAND_MODULES = [queries, dashboard, serve]


def _add_optional_commands(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Commands contributed by modules that may not be installed in every build."""
    try:
        from cli import importing
    except ImportError:
        return
    importing.add_commands(subparsers)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="communique",
        description="A live terminal dashboard over a folder of diplomatic event files.",
        epilog="Run 'communique DIR' (or just 'communique' in the folder) to open the dashboard.",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in COMMAND_MODULES:
        module.add_commands(subparsers)
    _add_optional_commands(subparsers)
    return parser


class UsageError(Exception):
    pass


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    commands = set(parser._subparsers._group_actions[0].choices)  # type: ignore[union-attr]
    if not args_list or (args_list[0] not in commands and args_list[0] not in ("-h", "--help")):
        args_list = ["open", *args_list]
    try:
        args = parser.parse_args(args_list)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    sys.exit(main())
