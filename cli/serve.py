"""`communique serve DIR [--host 127.0.0.1] [--port 8000]`: the same dashboard, in a browser.

textual-serve runs a fresh `communique open DIR` for each browser tab and relays its screen over a
websocket. This module owns that command line and two guards textual-serve lacks:

- It binds to loopback unless told otherwise, and says on stderr what binding elsewhere means: there is no
  password, so whoever reaches the port reads the folder.
- It answers only requests addressed to the host it serves (the Host header) and opens the websocket only
  for its own page (the Origin header). Without that, any web page open in the same browser could connect
  to ws://127.0.0.1:8000/ws and drive the dashboard (cross-site websocket hijacking), or reach it under its
  own name after a DNS rebinding.

The child command runs through a shell (textual-serve's choice), so every part of it is quoted with
`shlex`, and Python runs with `-P` so that a `cli` or `store` folder in the current directory cannot stand in
for ours.
"""

from __future__ import annotations

import argparse
import ipaddress
import os
import shlex
import sys
from typing import Any
from urllib.parse import urlsplit

from cli.queries import add_store_options, fail

APP_TITLE = "Communiqué"
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "[::1]")
"""How a browser on this machine may name a loopback-bound server (the Host header it sends)."""


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host and not host.startswith("[") else host


def dashboard_command(args: argparse.Namespace) -> str:
    """The shell command textual-serve runs for each browser tab: the dashboard on the same folder."""
    parts = [sys.executable, "-P", "-m", "cli.main", "open", os.path.abspath(args.dir)]
    if args.no_cache:
        parts.append("--no-cache")
    if args.follow_symlinks:
        parts.append("--follow-symlinks")
    if args.max_bytes is not None:  # None: the option was not given and the config file decides
        parts += ["--max-bytes", str(args.max_bytes)]
    return shlex.join(parts)


class ServedNames:
    """The Host headers and Origins a server answers, from the address it is reached at."""

    def __init__(self, host: str, port: int, public_url: str) -> None:
        served = urlsplit(public_url)
        names = {served.netloc}
        if served.port == (443 if served.scheme == "https" else 80):
            names.add(served.netloc.rsplit(":", 1)[0])  # browsers leave the default port out of Host
        if is_loopback(host):
            names.update(f"{name}:{port}" for name in LOOPBACK_NAMES)
            if port == 80:
                names.update(LOOPBACK_NAMES)
        self.hosts = frozenset(names)
        self.origins = frozenset(f"{scheme}://{name}" for name in names for scheme in ("http", "https"))

    def refusal(self, host_header: str, origin: str | None) -> str | None:
        """Why a request must be refused (one line), or None."""
        if host_header not in self.hosts:
            return f"this server answers only for {', '.join(sorted(self.hosts))}"
        if origin is not None and origin not in self.origins:
            return "the dashboard's websocket opens only from its own page"
        return None


def _serve(command: str, host: str, port: int, public_url: str) -> None:
    """Run the guarded server until Ctrl+C. textual-serve (and aiohttp) load only here: importing them costs
    a third of a second that no other command should pay."""
    from aiohttp import web
    from textual_serve.server import Server

    served = ServedNames(host, port, public_url)

    def check(request: web.Request) -> None:
        refusal = served.refusal(request.host, request.headers.get("Origin"))
        if refusal:
            raise web.HTTPForbidden(text=refusal + "\n")

    class GuardedServer(Server):
        async def handle_index(self, request: web.Request) -> Any:
            check(request)
            return await super().handle_index(request)

        async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
            check(request)
            return await super().handle_websocket(request)

    GuardedServer(command, host=host, port=port, title=APP_TITLE, public_url=public_url).serve()


def run_serve(args: argparse.Namespace) -> int:
    if not os.path.isdir(args.dir):
        return fail(f"{args.dir}: no such folder")
    if not 0 < args.port < 65536:
        return fail(f"--port {args.port}: not a port number (1 to 65535)")
    if not is_loopback(args.host):
        print(
            f"communique: warning: serving on {args.host}: anyone who can reach this port can open the "
            f"dashboard and read {args.dir}; there is no password",
            file=sys.stderr,
        )
    public_url = args.public_url or f"http://{_url_host(args.host)}:{args.port}"
    _serve(dashboard_command(args), args.host, args.port, public_url)
    return 0


def add_commands(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("serve", help="serve the dashboard on DIR to a web browser")
    parser.add_argument("dir", metavar="DIR")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default: loopback only)")
    parser.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000)")
    parser.add_argument(
        "--public-url",
        default=None,
        metavar="URL",
        help="the address browsers use, when it is not http://HOST:PORT (behind a proxy, or with --host 0.0.0.0)",
    )
    add_store_options(parser)
    parser.set_defaults(func=run_serve)
