"""Run a program in a pseudo-terminal and keep every byte it writes to it.

The program gets a real terminal of a fixed size (a pty, with TIOCSWINSZ set)
as its stdin, stdout and stderr, so Textual and Rich both see a terminal. No
terminal emulator is involved: tests look at the raw bytes, which is what a
real terminal would have had to interpret. :func:`visible_text` strips the
escape sequences to give the characters that were drawn, for waiting on
"this title is on screen".
"""

from __future__ import annotations

import os
import re
import select
import signal
import time
from collections.abc import Callable, Sequence
from types import TracebackType

from benchmarks.terminal import spawn_in_pty

KEYS = {
    "enter": "\r",
    "escape": "\x1b",
    "down": "\x1b[B",
    "up": "\x1b[A",
    "backspace": "\x7f",
}

# Escape sequences the program itself writes: CSI, OSC/DCS/APC strings, two-byte escapes.
_SEQUENCE = re.compile(
    rb"\x1b\[[0-?]*[ -/]*[@-~]|\x1b[\]P_^X][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[ -/]*[0-~]?"
)


def visible_text(data: bytes) -> str:
    """The characters drawn by ``data``: escape sequences removed, cursor moves ignored."""
    return _SEQUENCE.sub(b"", data).decode("utf-8", "replace")


class Timeout(AssertionError):
    pass


class Terminal:
    """A program in a pty of ``columns`` x ``rows``; :attr:`output` is all it wrote."""

    def __init__(
        self,
        argv: Sequence[str],
        columns: int = 100,
        rows: int = 30,
        env: dict[str, str] | None = None,
        cwd: str | None = None,
    ) -> None:
        self.columns, self.rows = columns, rows
        self.output = bytearray()
        # Colours on (the app writes its normal sequences), and the pty is the session's
        # controlling terminal, so closing it hangs the program up as a dropped login does.
        self.process, self.fd = spawn_in_pty(
            argv, columns, rows, env, cwd, unset=("NO_COLOR",), controlling=True
        )

    def pump(self, timeout: float) -> int:
        """Read what the program wrote within ``timeout`` seconds; returns bytes read."""
        got = 0
        deadline = time.monotonic() + timeout
        while True:
            remaining = max(0.0, deadline - time.monotonic())
            ready, _, _ = select.select([self.fd], [], [], remaining)
            if not ready:
                return got
            try:
                data = os.read(self.fd, 65536)
            except OSError:  # EIO: every process holding the pty has gone
                return got
            if not data:
                return got
            got += len(data)
            self.output += data
            if remaining <= 0:
                return got

    def text(self) -> str:
        return visible_text(bytes(self.output))

    def wait_for(self, condition: Callable[[str], bool] | str, timeout: float = 30.0) -> None:
        """Read until ``condition(visible text so far)`` holds (or the text appears)."""
        check = (lambda text: condition in text) if isinstance(condition, str) else condition
        deadline = time.monotonic() + timeout
        start = 0
        while not check(self.text()[start:] if start else self.text()):
            if time.monotonic() > deadline:
                tail = self.text()[-3000:]
                raise Timeout(f"the terminal never showed {condition!r}; it last showed:\n{tail}")
            if self.pump(0.05) == 0 and self.process.poll() is not None:
                self.pump(0.2)
                if not check(self.text()):
                    raise Timeout(
                        f"the program exited ({self.process.returncode}) before showing "
                        f"{condition!r}; it wrote:\n{self.text()[-3000:]}"
                    )

    def settle(self, quiet: float = 0.3, timeout: float = 10.0) -> None:
        """Read until the program has been silent for ``quiet`` seconds."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self.pump(quiet):
            pass

    def send(self, keys: str | bytes, pause: float = 0.0) -> None:
        os.write(self.fd, keys.encode() if isinstance(keys, str) else keys)
        if pause:
            self.settle(pause)

    def wait_exit(self, timeout: float = 10.0) -> int:
        """Keep reading until the program exits; returns its exit status."""
        deadline = time.monotonic() + timeout
        while self.process.poll() is None:
            if time.monotonic() > deadline:
                raise Timeout(f"the program did not exit; it last showed:\n{self.text()[-3000:]}")
            self.pump(0.05)
        self.pump(0.1)
        return self.process.returncode

    def close(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=5)
        os.close(self.fd)

    def __enter__(self) -> Terminal:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


def run_in_terminal(
    argv: Sequence[str], env: dict[str, str] | None = None, timeout: float = 30.0
) -> tuple[int, bytes]:
    """Run a program that exits on its own (a CLI command) in a pty; its status and bytes."""
    with Terminal(argv, env=env) as terminal:
        status = terminal.wait_exit(timeout)
        return status, bytes(terminal.output)
