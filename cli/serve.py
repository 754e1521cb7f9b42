"""`communique serve DIR [--host 127.0.0.1] [--port 8000]`: the same dashboard, in a browser.

textual-serve runs a fresh `communique open DIR` for each browser tab and relays its screen over a
websocket. This module owns that command line and the guards textual-serve lacks:

- A token: loopback is shared by every user of the machine, so every request (the page, the websocket,
  every static file and download) needs the token, given once in the URL printed at start (as Jupyter does;
  `--token` or 32 random bytes), after which a cookie for this port carries it.
- It answers only requests addressed to the host it serves (the Host header; any name when it listens on
  every address) and opens the websocket only for its own page (the Origin header). Without that, any web
  page open in the same browser could drive the dashboard (cross-site websocket hijacking), or reach it
  under its own name after a DNS rebinding.
- At most `--max-sessions` dashboards at once; a client that sends no whole request within
  `--client-timeout` seconds is dropped, and so is a websocket that stops reading the screen.
- Exports go only into `--export-folder` (`store.exports.folder`, through the dashboard's environment).
- The page is our copy of textual-serve's (`serve_page/`), without the Google Fonts link: nothing is fetched
  from another host.

The child command runs through a shell (textual-serve's choice), so every part of it is quoted with
`shlex`, and Python runs with `-P` so that a `cli` or `store` folder in the current directory cannot stand in
for ours.
"""

from __future__ import annotations

import argparse
import functools
import ipaddress
import logging
import os
import secrets
import shlex
import signal
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from cli.queries import add_store_options, fail
from store.exports.folder import EXPORT_FOLDER_VARIABLE, SERVED_VARIABLE

APP_TITLE = "Communiqué"
PAGE_FOLDER = Path(__file__).parent / "serve_page"
"""Our copy of textual-serve's page template (no outside links)."""
DEFAULT_MAX_SESSIONS = 8
"""Each session is a dashboard process holding the folder in memory: a few hundred MB at 100,000 events."""
SLOW_CLIENT_SECONDS = 10.0
"""A client that has not sent a whole request, or not taken a screen update, in this time is dropped."""
MIN_TOKEN_LENGTH = 16
log = logging.getLogger("communique.serve")
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

    def __init__(self, host: str, port: int, public_url: str, any_host: bool = False) -> None:
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
        self.any_host = any_host
        """Listening on every address (0.0.0.0) without a public URL: browsers may name it anyhow."""

    def refusal(self, host_header: str, origin: str | None) -> str | None:
        """Why a request must be refused (one line), or None."""
        if self.any_host:
            if origin is not None and origin not in (f"http://{host_header}", f"https://{host_header}"):
                return "the dashboard's websocket opens only from its own page"
            return None
        if host_header not in self.hosts:
            return f"this server answers only for {', '.join(sorted(self.hosts))}"
        if origin is not None and origin not in self.origins:
            return "the dashboard's websocket opens only from its own page"
        return None


@dataclass(frozen=True)
class Serving:
    """What `communique serve` was asked for."""

    command: str
    host: str
    port: int
    public_url: str | None
    """None: the address each browser used (its Host header)."""
    token: str
    max_sessions: int = DEFAULT_MAX_SESSIONS
    export_folder: str | None = None
    client_timeout: float = SLOW_CLIENT_SECONDS

    @property
    def cookie(self) -> str:
        """Per port: another user's server on another port of the same host never receives it."""
        return f"communique-token-{self.port}"

    @property
    def url(self) -> str:
        """The address printed once at start, with the token."""
        base = self.public_url or f"http://{_url_host(_reachable(self.host))}:{self.port}"
        return f"{base.rstrip('/')}/?token={self.token}"

    def environment(self) -> dict[str, str]:
        """What each dashboard's environment gains: where its exports may go (`store.exports.folder`)."""
        return {SERVED_VARIABLE: "1", EXPORT_FOLDER_VARIABLE: self.export_folder or ""}

    def token_refusal(self, query_token: str | None, cookie_token: str | None) -> str | None:
        given = query_token if query_token is not None else cookie_token
        if given is None or not secrets.compare_digest(given.encode(), self.token.encode()):
            return "a token is needed: open the address communique serve printed (…/?token=…)"
        return None


def _serve(serving: Serving) -> None:
    """Run the guarded server until Ctrl+C. textual-serve (and aiohttp, and asyncio) load only here: importing
    them costs a third of a second that no other command should pay."""
    import asyncio

    import aiohttp_jinja2
    from aiohttp import web
    from textual_serve.app_service import AppService
    from textual_serve.server import Server

    wildcard = serving.public_url is None and ipaddress_is_unspecified(serving.host)
    served = ServedNames(serving.host, serving.port, serving.url, any_host=wildcard)
    sessions = 0

    @web.middleware
    async def guard(request: web.Request, handler: Any) -> web.StreamResponse:
        refusal = served.refusal(request.host, request.headers.get("Origin"))
        refusal = refusal or serving.token_refusal(
            request.query.get("token"), request.cookies.get(serving.cookie)
        )
        if refusal:
            raise web.HTTPForbidden(text=refusal + "\n")
        response: web.StreamResponse = await handler(request)
        if "token" in request.query and not response.prepared:
            response.set_cookie(serving.cookie, serving.token, httponly=True, samesite="Strict", path="/")
        return response

    async def bounded(send: Any, websocket: web.WebSocketResponse, data: Any) -> None:
        """A screen update that the browser does not take within the limit ends its session."""
        try:
            await asyncio.wait_for(send(data), serving.client_timeout)
        except TimeoutError:
            await websocket.close()

    class GuardedServer(Server):
        async def _make_app(self) -> web.Application:
            app = await super()._make_app()
            app.middlewares.append(guard)
            return app

        async def on_startup(self, app: web.Application) -> None:
            print(f"Serving the dashboard on {serving.url}", flush=True)  # the token: printed once, here
            print("Press Ctrl+C to quit", flush=True)

        async def handle_index(self, request: web.Request) -> web.Response:
            scheme = "wss" if request.secure or (serving.public_url or "").startswith("https") else "ws"
            base = serving.public_url.split("://", 1)[1] if serving.public_url else request.host
            context = {
                "font_size": to_int(request.query.get("fontsize", "16"), 16),
                "app_websocket_url": f"{scheme}://{base.rstrip('/')}/ws",
                "config": {"static": {"url": "/static/"}},  # the server's own files, on no other host
                "application": {"name": APP_TITLE},
            }
            return aiohttp_jinja2.render_template("app_index.html", request, context)

        async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
            nonlocal sessions
            if sessions >= serving.max_sessions:
                raise web.HTTPServiceUnavailable(
                    text=f"{serving.max_sessions} dashboards are open already: close one first\n"
                )
            sessions += 1
            try:
                return await self._run_session(request)
            finally:
                sessions -= 1

        async def _run_session(self, request: web.Request) -> web.WebSocketResponse:
            """textual-serve's session, with screen updates bounded in time."""
            websocket = web.WebSocketResponse(heartbeat=15)
            width = to_int(request.query.get("width", "80"), 80)
            height = to_int(request.query.get("height", "24"), 24)
            app_service: AppService | None = None
            try:
                await websocket.prepare(request)
                app_service = AppService(
                    self.command,
                    write_bytes=functools.partial(bounded, websocket.send_bytes, websocket),
                    write_str=functools.partial(bounded, websocket.send_str, websocket),
                    close=websocket.close,  # type: ignore[arg-type]  # as textual-serve passes it
                    download_manager=self.download_manager,
                    debug=self.debug,
                )
                await app_service.start(width, height)
                await self._process_messages(websocket, app_service)
            except asyncio.CancelledError:
                await websocket.close()
            except Exception:
                log.exception("a dashboard session failed")
            finally:
                if app_service is not None:
                    await app_service.stop()
            return websocket

        def serve(self, debug: bool = False) -> None:
            """textual-serve's, with slow clients timed out: aiohttp's keep-alive timer closes a connection
            that has not sent a whole request in that time, and its lingering timer one whose body trickles
            on after the answer (no route reads a body)."""
            self.debug = debug
            self.initialize_logging()
            loop = asyncio.new_event_loop()
            asyncio.set_event_loop(loop)
            loop.add_signal_handler(signal.SIGINT, self.request_exit)
            loop.add_signal_handler(signal.SIGTERM, self.request_exit)
            web.run_app(
                self._make_app(),
                host=self.host,
                port=self.port,
                handle_signals=False,
                loop=loop,
                print=lambda *args: None,
                keepalive_timeout=serving.client_timeout,
                # After an answer, a body still arriving is read for at most this long, then cut.
                lingering_time=serving.client_timeout,
            )

    os.environ.update(serving.environment())  # each dashboard's process inherits it (textual-serve copies it)
    GuardedServer(
        serving.command,
        host=serving.host,
        port=serving.port,
        title=APP_TITLE,
        public_url=serving.url,
        templates_path=PAGE_FOLDER,
    ).serve()


def _reachable(host: str) -> str:
    """An address a browser on this machine can open: every address (0.0.0.0, ::) includes loopback, and
    browsers refuse to open 0.0.0.0 itself."""
    if ipaddress_is_unspecified(host):
        return "::1" if ":" in host else "127.0.0.1"
    return host


def ipaddress_is_unspecified(host: str) -> bool:
    try:
        return ipaddress.ip_address(host.strip("[]")).is_unspecified
    except ValueError:
        return host == ""


def to_int(value: str, default: int) -> int:
    try:
        return int(value)
    except ValueError:
        return default


def run_serve(args: argparse.Namespace) -> int:
    if not os.path.isdir(args.dir):
        return fail(f"{args.dir}: no such folder")
    if not 0 < args.port < 65536:
        return fail(f"--port {args.port}: not a port number (1 to 65535)")
    if args.max_sessions < 1:
        return fail(f"--max-sessions {args.max_sessions}: at least 1")
    if not args.client_timeout > 0:
        return fail(f"--client-timeout {args.client_timeout}: a number of seconds above 0")
    if args.token is not None and len(args.token) < MIN_TOKEN_LENGTH:
        return fail(f"--token: at least {MIN_TOKEN_LENGTH} characters, so that it cannot be guessed")
    export_folder = None
    if args.export_folder is not None:
        export_folder = os.path.abspath(os.path.expanduser(args.export_folder))
        if not os.path.isdir(export_folder):
            return fail(f"--export-folder {args.export_folder}: no such folder")
    if not is_loopback(args.host):
        print(
            f"communique: warning: serving on {args.host}: anyone who can reach this port and has the token "
            f"can open the dashboard and read {args.dir}; the connection is not encrypted",
            file=sys.stderr,
        )
    serving = Serving(
        command=dashboard_command(args),
        host=args.host,
        port=args.port,
        public_url=args.public_url,
        token=args.token or secrets.token_urlsafe(32),
        max_sessions=args.max_sessions,
        export_folder=export_folder,
        client_timeout=args.client_timeout,
    )
    _serve(serving)
    return 0


def add_commands(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("serve", help="serve the dashboard on DIR to a web browser")
    parser.add_argument("dir", metavar="DIR")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default: loopback only)")
    parser.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000)")
    parser.add_argument(
        "--token",
        default=None,
        help="the token browsers must give (default: a new random one each start, printed in the URL)",
    )
    parser.add_argument(
        "--max-sessions",
        type=int,
        default=DEFAULT_MAX_SESSIONS,
        metavar="N",
        help=f"dashboards open at once, at most (default {DEFAULT_MAX_SESSIONS})",
    )
    parser.add_argument(
        "--client-timeout",
        type=float,
        default=SLOW_CLIENT_SECONDS,
        metavar="SECONDS",
        help=f"drop a client that takes longer to send a request or take a screen (default {SLOW_CLIENT_SECONDS:g})",
    )
    parser.add_argument(
        "--export-folder",
        default=None,
        metavar="DIR",
        help="the one folder browser sessions may export into (default: exports are off)",
    )
    parser.add_argument(
        "--public-url",
        default=None,
        metavar="URL",
        help="the address browsers use, when it is not http://HOST:PORT (behind a proxy, or with --host 0.0.0.0)",
    )
    add_store_options(parser)
    parser.set_defaults(func=run_serve)
