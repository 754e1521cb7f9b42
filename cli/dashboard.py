"""`communique [open] [DIR]`: open the live dashboard (the Textual app is imported only here)."""

from __future__ import annotations

import argparse
import os

from cli.queries import add_store_options, fail, max_bytes
from store.loading import cache_enabled


def run_dashboard(args: argparse.Namespace) -> int:
    if not os.path.isdir(args.dir):
        return fail(f"{args.dir}: no such folder")
    from tui.app import CommuniqueApp

    app = CommuniqueApp(
        args.dir,
        use_cache=cache_enabled(args.no_cache),
        follow_symlinks=args.follow_symlinks,
        max_bytes=max_bytes(args),
    )
    app.run()
    return int(app.return_code or 0)


def add_commands(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("open", help="open the dashboard on DIR (the default command)")
    parser.add_argument("dir", nargs="?", default=".", metavar="DIR")
    add_store_options(parser)
    parser.set_defaults(func=run_dashboard)
