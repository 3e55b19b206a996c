"""Textual's Linux driver, made to outlive its terminal and to spare the line.

When an SSH connection drops, sshd closes the pseudo-terminal and every write
to it fails with EIO. Textual's writer thread does not expect that: it dies
with a traceback, and the app's exit, which waits on it, may never finish. A
reader on a server is cut off all the time, so here the driver's output is a
file whose writes to a terminal that has gone are dropped: there is no one
left to see them.

Its output also goes through :class:`~briefing.tui.terminal.screen_diff.ScreenDiff`, so
each frame sends only the cells that changed (``output = "full"`` in the config
turns that off).

A lone Esc is told from the start of an escape sequence by waiting ``ESCDELAY``
ms for more bytes (the reader sets 10, tmux's default; Textual's is 100).
Textual's input loop looks at that wait only when its ``select()`` returns,
every 0.1 s, so Esc took 100-200 ms whatever ESCDELAY said; this driver's loop
wakes when the wait is over.
"""

from __future__ import annotations

import os
import selectors
import signal
from codecs import getincrementaldecoder
from typing import Any, TextIO

from textual._time import get_time
from textual._xterm_parser import XTermParser
from textual.drivers.linux_driver import LinuxDriver

from briefing.tui.terminal.screen_diff import ScreenDiff


class DroppingFile:
    """A text file whose write and flush errors (EIO, EPIPE) are swallowed."""

    def __init__(self, file: TextIO) -> None:
        self._file = file
        self.gone = False

    def write(self, text: str) -> int:
        if not self.gone:
            try:
                return self._file.write(text)
            except (OSError, ValueError):
                self.gone = True
        return len(text)

    def flush(self) -> None:
        if not self.gone:
            try:
                self._file.flush()
            except (OSError, ValueError):
                self.gone = True

    def __getattr__(self, name: str) -> Any:
        return getattr(self._file, name)


class FrameDiffer:
    """Turns each frame Textual writes into the cells it changes on this terminal."""

    def __init__(self, fileno: int) -> None:
        self._fileno = fileno
        self._screen = ScreenDiff()
        self._resized = False

    def resized(self) -> None:
        """The window changed size (perhaps and back again before the next write): the
        terminal may have dropped or rewrapped cells, so the copy is not to be trusted."""
        self._resized = True

    def diff(self, text: str) -> str:
        """What to write instead of ``text``: "" when the frame changes nothing."""
        try:
            columns, rows = os.get_terminal_size(self._fileno)
        except (OSError, ValueError):
            columns = rows = 0  # not a terminal, or gone: written as it is
        if self._resized:
            self._resized = False
            self._screen.forget()
        try:
            return self._screen.feed(text, (columns, rows))
        except Exception:
            # A frame the copy cannot follow must still reach the terminal, and so must
            # the reset sequences after it: send it as Textual wrote it.
            self._screen.forget()
            return text


POLL = 0.1  # seconds: how often the input loop looks whether the app is ending


class HangupSafeLinuxDriver(LinuxDriver):
    def run_input_thread(self) -> None:
        """Textual's input loop, but a pending lone Esc is sent as soon as ESCDELAY is up."""
        selector = selectors.SelectSelector()
        selector.register(self.fileno, selectors.EVENT_READ)
        parser = XTermParser(self._debug)
        decode = getincrementaldecoder("utf-8")().decode

        def timeout() -> float:
            due = getattr(parser, "_timeout_time", None)  # Textual's; polls if it goes
            return POLL if due is None else min(POLL, max(0.0, due - get_time()))

        def process(events: list[tuple[selectors.SelectorKey, int]], final: bool = False) -> None:
            for _key, mask in events:
                if mask & selectors.EVENT_READ:
                    data = decode(os.read(self.fileno, 4096), final=final)
                    if not data:
                        break  # stdin is a pipe, at its end
                    for event in parser.feed(data):
                        self.process_message(event)
            for event in parser.tick():
                self.process_message(event)

        try:
            while not self.exit_event.is_set():
                process(selector.select(timeout()))
            selector.unregister(self.fileno)
            process(selector.select(POLL), final=True)
        finally:
            selector.close()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._differ: FrameDiffer | None = None
        if self._file is not None:
            config = getattr(self._app, "config", None)
            if getattr(config, "output", "diff") == "diff":
                self._differ = FrameDiffer(self._file.fileno())
            self._file = DroppingFile(self._file)  # type: ignore[assignment]

    def write(self, data: str) -> None:
        """Textual's write, of the cells the frame changes. The diff is taken here, on
        the event loop, not on the writer thread: a frame's bytes then leave as soon as
        it is drawn, rather than when the writer next gets the interpreter's lock while
        the loop goes on to its next work."""
        if self._differ is not None:
            data = self._differ.diff(data)
            if not data:
                return
        super().write(data)

    def start_application_mode(self) -> None:
        """Textual's start, and then every SIGWINCH also tells the diff (Textual's own
        handler still runs: it posts the Resize that repaints the screen)."""
        super().start_application_mode()  # type: ignore[no-untyped-call]
        differ = self._differ
        if differ is None:
            return
        textual_handler = signal.getsignal(signal.SIGWINCH)

        def resized(signum: int, frame: Any) -> None:
            differ.resized()
            if callable(textual_handler):
                textual_handler(signum, frame)

        signal.signal(signal.SIGWINCH, resized)
