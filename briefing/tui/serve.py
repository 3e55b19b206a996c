"""The reader in a web browser, through textual-serve (``briefing serve``).

textual-serve is a small aiohttp server: its page runs xterm.js, and each
browser tab that opens it gets its own subprocess (here ``briefing read``)
whose screen and keys travel over a websocket. The reader itself is unchanged;
Textual's web driver speaks to the page instead of a terminal.

A reader in a browser can read every article and change the marks of the
account running ``serve``, so every request is checked before textual-serve
sees it:

* **a token**, made in this process for this run and printed in the address
  ``serve`` shows (as Jupyter does). The page is opened with ``?token=``, and
  its websocket carries the token in its path, ``/ws/<token>`` (textual-serve's
  page appends ``?width=`` to the websocket address, so a query would be
  mangled). No cookie: cookies are shared by every port of a host, so another
  user's server on 127.0.0.1 would receive it. Only the page's scripts and
  styles (``/static``, public files) are served without it;
* **the Host header**, against the names this server answers to, so that a web
  page cannot reach it by pointing its own name at 127.0.0.1 (DNS rebinding);
* **the Origin header**, when a browser sends one: a page from another origin
  may not open the websocket, nor load the page;
* **a cap on open readers** (each is a process of about 70 MB), and a
  terminal size clamped to what a screen can hold, at the start and on every
  resize: a browser asking for 10,000 columns would otherwise make its reader
  grow past a gigabyte;
* **a bounded stop**: a reader that does not quit within a few seconds of its
  browser leaving is killed.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import secrets
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import urlsplit

import aiohttp_jinja2
from aiohttp import WSCloseCode, WSMsgType, hdrs, web
from rich.logging import RichHandler
from textual_serve.app_service import AppService
from textual_serve.server import Server

SESSION_CLOSE_SECONDS = 10.0  # how long a stopping server gives each reader to quit
STOP_SECONDS = 5.0  # how long a reader may take to quit once its browser has left
COLUMNS = (20, 500)  # the narrowest and widest terminal a browser may ask for
ROWS = (8, 200)
DEFAULT_SIZE = (80, 24)
LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})
WILDCARD_HOSTS = frozenset({"", "0.0.0.0", "::"})
TOKEN_PARAMETER = "token"

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
log = logging.getLogger("briefing.serve")


def clamp(value: object, default: int, bounds: tuple[int, int]) -> int:
    """A terminal dimension from a browser: JSON may send a string, a float, null or 1e300."""
    try:
        number: int = int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError, OverflowError):
        number = default
    return max(bounds[0], min(bounds[1], number))


def clamp_size(width: object, height: object) -> tuple[int, int]:
    return clamp(width, DEFAULT_SIZE[0], COLUMNS), clamp(height, DEFAULT_SIZE[1], ROWS)


def hostname(netloc: str | None) -> str | None:
    """The host name of ``host[:port]``, lower-cased, without IPv6 brackets; None if malformed."""
    if not netloc:
        return None
    try:
        name: str | None = urlsplit(f"//{netloc}").hostname
    except ValueError:
        return None
    return name


def trusted_hosts(host: str, public_url: str | None) -> frozenset[str] | None:
    """The names a browser may use to reach the server (in its Host header).

    Loopback names always: only this machine sends them. Then the address
    listened on, and the public URL's host. Listening on every interface
    without a public URL, browsers may use any of the machine's names and
    addresses, so the Host is not checked (None) and the token alone guards.
    """
    if host in WILDCARD_HOSTS and public_url is None:
        return None
    names = set(LOOPBACK_NAMES)
    if host not in WILDCARD_HOSTS:
        names.add(host.lower().strip("[]"))
    public = hostname(urlsplit(public_url).netloc) if public_url else None
    if public:
        names.add(public)
    return frozenset(names)


class ReaderSession(AppService):
    """One browser tab's reader: its size clamped, its stop bounded in time."""

    def __init__(self, *args: Any, stop_seconds: float = STOP_SECONDS, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.stop_seconds = stop_seconds

    async def start(self, width: object, height: object) -> None:
        await super().start(*clamp_size(width, height))

    async def set_terminal_size(self, width: object, height: object) -> None:
        await super().set_terminal_size(*clamp_size(width, height))

    async def stop(self) -> None:
        """Ask the reader to quit (it saves its state); kill it if it has not within the limit.

        textual-serve waits for the reader without a limit, and its request to
        quit may itself wait forever on a reader that reads nothing.
        """
        task, process = self._task, self._process
        if task is None:
            return
        self._task = None
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._quit(task), self.stop_seconds)
        if process is not None and process.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                process.kill()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(process.wait(), self.stop_seconds)
        await asyncio.wait({task}, timeout=1.0)  # it relays the reader's last output
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)

    async def _quit(self, task: asyncio.Task[None]) -> None:
        await self._download_manager.cancel_app_downloads(app_service_id=self.app_service_id)
        await self.send_meta({"type": "quit"})
        await asyncio.shield(task)  # a timeout must not cancel it: it ends once the reader has
        if self._process is not None:
            await self._process.wait()


class _HideToken(logging.Filter):
    """The websocket's path and the page's query hold the token: keep it out of logs."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self.token = token

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if self.token in message:
            record.msg, record.args = message.replace(self.token, "<token>"), None
        return True


class ReaderServer(Server):
    """textual-serve's server, guarded (see the module's docstring), and quick to stop.

    textual-serve leaves open browser sessions running when the server stops:
    aiohttp then waits for them before giving up, and the readers are killed
    without saving their state. Here each session is closed first, which tells
    its reader to quit as ``q`` would.
    """

    def __init__(
        self,
        command: str,
        *,
        token: str,
        allowed_hosts: frozenset[str] | None,
        max_sessions: int,
        stop_seconds: float = STOP_SECONDS,
        **kwargs: Any,
    ) -> None:
        super().__init__(command, **kwargs)
        self.public_url = self.public_url.rstrip("/")
        self.token = token
        self.allowed_hosts = allowed_hosts  # None: any Host (every interface, no public URL)
        self.max_sessions = max_sessions
        self.stop_seconds = stop_seconds
        self._sessions: set[asyncio.Task[Any]] = set()
        public = urlsplit(self.public_url)
        self._public_origin = f"{public.scheme}://{public.netloc}".lower()

    @property
    def address(self) -> str:
        """What a browser opens: the public URL with the token."""
        return f"{self.public_url}/?{TOKEN_PARAMETER}={self.token}"

    def initialize_logging(self) -> None:
        """textual-serve's logging, without local variables in tracebacks, and no token."""
        handler = RichHandler(
            show_path=False,
            show_time=False,
            rich_tracebacks=True,
            tracebacks_show_locals=False,
            console=self.console,
        )
        handler.addFilter(_HideToken(self.token))
        logging.basicConfig(
            level="DEBUG" if self.debug else "INFO", format="%(message)s", handlers=[handler]
        )

    async def _make_app(self) -> web.Application:
        app = await super()._make_app()
        app.middlewares.append(self.guard)  # before the application is frozen at start-up
        app.router.add_get("/ws/{token}", self.handle_websocket, name="session")
        return app

    @web.middleware
    async def guard(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        """Host, Origin and token, on every route (``/static`` needs no token)."""
        allowed = self.allowed_hosts
        if allowed is not None and hostname(request.headers.get(hdrs.HOST)) not in allowed:
            raise web.HTTPForbidden(text=_refusal("this server does not answer to that name"))
        origin = request.headers.get(hdrs.ORIGIN)
        if origin is not None and not self._same_origin(origin, request):
            raise web.HTTPForbidden(text=_refusal("a page from another site cannot open it"))
        route = request.match_info.route.name
        if route != "static":
            given = request.match_info.get("token") if route == "session" else None
            if given is None:
                given = request.query.get(TOKEN_PARAMETER, "")
            if not secrets.compare_digest(
                given.encode("utf-8", "replace"), self.token.encode("utf-8")
            ):
                raise web.HTTPForbidden(
                    text=_refusal("open the address with ?token= that briefing serve printed")
                )
        return await handler(request)

    def _same_origin(self, origin: str, request: web.Request) -> bool:
        """The page's own origin as the browser sees it (through a tunnel: its own port),
        or the public URL's (behind a proxy that rewrites Host)."""
        origin = origin.strip().lower()
        try:
            parts = urlsplit(origin)
        except ValueError:
            return False
        if parts.scheme not in ("http", "https") or not parts.netloc:
            return False  # "null": a sandboxed frame, a file, a data: page
        host = (request.headers.get(hdrs.HOST) or "").lower()
        return parts.netloc == host or origin == self._public_origin

    async def on_startup(self, app: web.Application) -> None:
        self.console.print(
            f"Serving the briefing reader on {self.address} (Ctrl-C to stop)",
            markup=False,
            highlight=False,
            soft_wrap=True,  # one line, whatever the width: people and scripts copy it
        )

    async def handle_index(self, request: web.Request) -> web.StreamResponse:
        """textual-serve's page, with the token in its websocket's address."""
        session_path = request.app.router["session"].url_for(token=self.token)
        scheme, rest = self.public_url.split(":", 1)
        context = {
            "font_size": clamp(request.query.get("fontsize"), 16, (6, 64)),
            "app_websocket_url": f"{'wss' if scheme == 'https' else 'ws'}:{rest}{session_path}",
            "config": {"static": {"url": f"{self.public_url}/static/"}},
            "application": {"name": self.title},
        }
        response = aiohttp_jinja2.render_template("app_index.html", request, context)
        # The address holds the token: not to be sent to the fonts' server, nor cached.
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["Cache-Control"] = "no-store"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Content-Security-Policy"] = "frame-ancestors 'none'"
        return response

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        """One browser tab's session: its reader runs as long as this does."""
        if request.match_info.route.name != "session":
            raise web.HTTPNotFound(text="not found\n")  # textual-serve's /ws, without a token
        if len(self._sessions) >= self.max_sessions:
            return await self._refuse(request)
        task = asyncio.current_task()
        assert task is not None  # aiohttp handles each request in a task
        self._sessions.add(task)
        try:
            return await self._session(request)
        finally:
            self._sessions.discard(task)

    async def _refuse(self, request: web.Request) -> web.WebSocketResponse:
        """Too many readers: say so in the tab's terminal, then close."""
        websocket = web.WebSocketResponse()
        await websocket.prepare(request)
        notice = (
            f"\r\n  briefing serve: {self.max_sessions} readers are open already, the most "
            "it runs at once (--max-sessions).\r\n  Close one of them, then reload this page."
            "\r\n"
        )
        await websocket.send_bytes(notice.encode())
        await websocket.close(code=WSCloseCode.TRY_AGAIN_LATER, message=b"too many readers")
        return websocket

    async def _session(self, request: web.Request) -> web.WebSocketResponse:
        """textual-serve's session, with a guarded reader and a tolerant relay."""
        websocket = web.WebSocketResponse(heartbeat=15)  # a vanished browser is noticed
        session: ReaderSession | None = None
        try:
            await websocket.prepare(request)
            session = ReaderSession(
                self.command,
                write_bytes=websocket.send_bytes,
                write_str=websocket.send_str,
                close=websocket.close,
                download_manager=self.download_manager,
                debug=self.debug,
                stop_seconds=self.stop_seconds,
            )
            await session.start(request.query.get("width"), request.query.get("height"))
            await self._relay(websocket, session)
        except asyncio.CancelledError:  # the server is stopping
            await websocket.close()
        except Exception as error:
            log.error("a browser session failed: %s: %s", type(error).__name__, error)
        finally:
            if session is not None:
                await session.stop()
        return websocket

    async def _relay(self, websocket: web.WebSocketResponse, session: ReaderSession) -> None:
        """The browser's messages to the reader. Anything malformed is ignored, not fatal."""
        async for message in websocket:
            if message.type != WSMsgType.TEXT:
                continue
            try:
                envelope = json.loads(message.data)
            except ValueError:
                continue
            if not isinstance(envelope, list) or not envelope:
                continue
            kind, data = envelope[0], (envelope[1] if len(envelope) > 1 else None)
            if kind == "stdin" and isinstance(data, str):
                await session.send_bytes(data.encode("utf-8", "replace"))
            elif kind == "resize" and isinstance(data, dict):
                await session.set_terminal_size(data.get("width"), data.get("height"))
            elif kind == "ping":
                await websocket.send_json(["pong", data])
            elif kind == "blur":
                await session.blur()
            elif kind == "focus":
                await session.focus()

    async def on_shutdown(self, app: web.Application) -> None:
        sessions = list(self._sessions)
        for session in sessions:
            session.cancel()  # each then asks its reader to quit, and closes its socket
        if sessions:
            await asyncio.wait(sessions, timeout=SESSION_CLOSE_SECONDS)


def _refusal(reason: str) -> str:
    return f"briefing serve: refused: {reason}.\n"


def serve_reader(
    command: str,
    *,
    host: str,
    port: int,
    public_url: str,
    named_url: bool,
    max_sessions: int,
) -> None:
    """Serve ``command`` (a ``briefing read``) to browsers until Ctrl-C or SIGTERM.

    ``public_url`` is the address browsers use; ``named_url`` says whether the
    person gave it (--public-url), or it was made from the listening address.
    A fresh token guards this run; it is printed in the address and is never
    on a command line nor in the readers' environment.

    Raises OSError when the address cannot be listened on (port in use).
    """
    # The browser's xterm.js shows 24-bit colour: let the reader pick a colour theme
    # (it looks at COLORTERM, as on a terminal; NO_COLOR still wins).
    os.environ["COLORTERM"] = "truecolor"
    server = ReaderServer(
        command,
        host=host,
        port=port,
        title="briefing",
        public_url=public_url,
        token=secrets.token_urlsafe(32),
        allowed_hosts=trusted_hosts(host, public_url if named_url else None),
        max_sessions=max_sessions,
    )
    server.serve()
