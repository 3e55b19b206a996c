"""Textual's Linux driver, made to outlive its terminal.

When an SSH connection drops, sshd closes the pseudo-terminal and every write
to it fails with EIO. Textual's writer thread does not expect that: it dies
with a traceback, and the app's exit, which waits on it, may never finish. A
reader on a server is cut off all the time, so here the driver's output is a
file whose writes to a terminal that has gone are dropped: there is no one
left to see them.
"""

from __future__ import annotations

from typing import Any, TextIO

from textual.drivers.linux_driver import LinuxDriver


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


class HangupSafeLinuxDriver(LinuxDriver):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self._file is not None:
            self._file = DroppingFile(self._file)  # type: ignore[assignment]
