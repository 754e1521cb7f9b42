"""`communique [DIR]` opens the dashboard; `communique COMMAND …` answers the same questions on stdout.

Every failure the user can cause (a missing folder, an unknown id, a malformed filter) is one line on
stderr and an exit status, never a traceback: 0 success, 1 a problem found (invalid files, nothing
skipped...), 2 a usage error. Configuration warnings (a broken config.toml) are said once on stderr before a
command runs; the dashboard shows its own.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import NoReturn

from cli import dashboard, queries, serve
from cli.output import guard_streams, warn
from store.config import load_config

COMMAND_MODULES = [queries, dashboard, serve]


def _add_optional_commands(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Commands contributed by modules that may not be installed in every build."""
    try:
        from cli import importing
    except ImportError:
        return
    importing.add_commands(subparsers)


class CommandLineParser(argparse.ArgumentParser):
    """argparse, with a usage error said in one line on stderr (exit 2) instead of the usage block."""

    def error(self, message: str) -> NoReturn:
        warn(f"{self.prog}: {message} (see '{self.prog} --help')")
        raise SystemExit(2)


class _Version(argparse.Action):
    """`--version`, looked up only when asked: `importlib.metadata` is ~40 ms of every command's start."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: object) -> None:
        super().__init__(option_strings, dest, nargs=0, help="show the version and exit")

    def __call__(self, parser: argparse.ArgumentParser, *args: object) -> NoReturn:
        from importlib.metadata import PackageNotFoundError, version

        try:
            found = version("communique")
        except PackageNotFoundError:  # run from a checkout that was never installed
            found = "unknown"
        print(f"communique {found}")
        parser.exit()


def build_parser() -> argparse.ArgumentParser:
    parser = CommandLineParser(
        prog="communique",
        description="A live terminal dashboard over a folder of diplomatic event files.",
        epilog="Run 'communique DIR' (or just 'communique' in the folder) to open the dashboard.",
    )
    parser.add_argument("--version", action=_Version)
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in COMMAND_MODULES:
        module.add_commands(subparsers)
    _add_optional_commands(subparsers)
    return parser


def filter_terms_last(parser: argparse.ArgumentParser, tokens: list[str]) -> list[str]:
    """`tokens` (a command's arguments) as options, then `--`, then the positionals in their order.

    So a filter term that starts with `-` (`-kind:call`, `-afghanistan`) is a term wherever it stands, not an
    unknown option, while the command's own options still work anywhere. A token is an option when it starts
    with `--` or is one of the command's short options; an option that takes a value keeps the token after it
    (`--limit -1` is a value, refused as such).
    """
    takes_value = {name: action.nargs != 0 for action in parser._actions for name in action.option_strings}
    options: list[str] = []
    positionals: list[str] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        index += 1
        if token == "--":
            positionals += tokens[index:]
            break
        if token.startswith("--") or token in takes_value:
            options.append(token)
            if "=" not in token and takes_value.get(token, False) and index < len(tokens):
                options.append(tokens[index])
                index += 1
        else:
            positionals.append(token)
    return [*options, "--", *positionals]


def _show_config_warnings() -> None:
    for warning in load_config()[1]:
        warn(f"communique: {warning}")


def main(argv: Sequence[str] | None = None) -> int:
    guard_streams()
    args_list = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    commands = parser._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    if not args_list or (args_list[0] not in commands and args_list[0] not in ("-h", "--help", "--version")):
        args_list = ["open", *args_list]
    if args_list[0] in queries.FILTER_COMMANDS:
        args_list = [args_list[0], *filter_terms_last(commands[args_list[0]], args_list[1:])]
    try:
        args = parser.parse_args(args_list)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    if args.command != "open":  # the dashboard shows them in its own window
        _show_config_warnings()
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    sys.exit(main())
