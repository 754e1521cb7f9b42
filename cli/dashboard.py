"""`communique [open] [DIR]`: open the live dashboard (the Textual app is imported only here).

The folder is DIR, else the config file's `default_folder`, else the current folder. `--alert FILTER`
(repeatable) adds an alert rule, named by its filter, after the config file's rules.
"""

from __future__ import annotations

import argparse
import os

from cli.output import fail
from cli.queries import add_store_options, max_bytes
from store.config import load_config
from store.persistence.loading import cache_enabled


def run_dashboard(args: argparse.Namespace) -> int:
    config, _warnings = load_config()  # the app reads the file again to show what was wrong with it
    folder = os.path.expanduser(args.dir or config.default_folder or ".")
    if not os.path.isdir(folder):
        return fail(f"{folder}: no such folder")
    from tui.app import CommuniqueApp

    app = CommuniqueApp(
        folder,
        use_cache=cache_enabled(args.no_cache),
        follow_symlinks=args.follow_symlinks,
        max_bytes=max_bytes(args, config),
        alerts=[(text, text) for text in args.alert],
    )
    app.run()
    return int(app.return_code or 0)


def add_commands(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("open", help="open the dashboard on DIR (the default command)")
    parser.add_argument("dir", nargs="?", default=None, metavar="DIR")
    parser.add_argument(
        "--alert",
        action="append",
        default=[],
        metavar="FILTER",
        help="notify (and ring) when a new or changed event matches FILTER; repeatable",
    )
    add_store_options(parser)
    parser.set_defaults(func=run_dashboard)
