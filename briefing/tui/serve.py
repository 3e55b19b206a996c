"""The reader in a web browser, through textual-serve (``briefing serve``).

textual-serve is a small aiohttp server: its page runs xterm.js, and each
browser tab that opens it gets its own subprocess (here ``briefing read``)
whose screen and keys travel over a websocket. The reader itself is unchanged;
Textual's web driver speaks to the page instead of a terminal.
"""

from __future__ import annotations

import asyncio
import os
from typing import Any

from aiohttp import web
from textual_serve.server import Server

SESSION_CLOSE_SECONDS = 10.0  # how long a stopping server gives each reader to quit


class ReaderServer(Server):
    """textual-serve's server, announcing itself in one line, and quick to stop.

    textual-serve leaves open browser sessions running when the server stops:
    aiohttp then waits for them before giving up, and the readers are killed
    without saving their state. Here each session is closed first, which tells
    its reader to quit as ``q`` would.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._sessions: set[asyncio.Task[Any]] = set()

    async def on_startup(self, app: web.Application) -> None:
        self.console.print(
            f"Serving the briefing reader on {self.public_url} (Ctrl-C to stop)",
            markup=False,
            highlight=False,
        )

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        """One browser tab's session: its reader runs as long as this does."""
        task = asyncio.current_task()
        assert task is not None  # aiohttp handles each request in a task
        self._sessions.add(task)
        try:
            return await super().handle_websocket(request)
        finally:
            self._sessions.discard(task)

    async def on_shutdown(self, app: web.Application) -> None:
        sessions = list(self._sessions)
        for session in sessions:
            session.cancel()  # textual-serve then quits the reader and closes the socket
        if sessions:
            await asyncio.wait(sessions, timeout=SESSION_CLOSE_SECONDS)


def serve_reader(command: str, host: str, port: int, public_url: str) -> None:
    """Serve ``command`` (a ``briefing read``) to browsers until Ctrl-C or SIGTERM.

    Raises OSError when the address cannot be listened on (port in use).
    """
    # The browser's xterm.js shows 24-bit colour: let the reader pick a colour theme
    # (it looks at COLORTERM, as on a terminal; NO_COLOR still wins).
    os.environ["COLORTERM"] = "truecolor"
    server = ReaderServer(command, host=host, port=port, title="briefing", public_url=public_url)
    server.serve()
