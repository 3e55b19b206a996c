"""The terminal as the reader found it, even when the reader fails on its way out."""

from __future__ import annotations

import contextlib
import os
import sys
import termios
from collections.abc import Iterator

# Textual's driver turns these on and, when it stops cleanly, off again; if it did not
# (an error while shutting down), the shell would be left with them.
_TERMINAL_RESET = (
    "\x1b[<u"  # kitty keyboard protocol: pop
    "\x1b[?1000l\x1b[?1003l\x1b[?1015l\x1b[?1006l\x1b[?1016l"  # mouse reports
    "\x1b[?2004l\x1b[?1004l\x1b[?2048l"  # bracketed paste, focus events, in-band resize
    "\x1b[?7h\x1b[?1049l\x1b[?25h"  # line wrap, main screen, cursor
)


@contextlib.contextmanager
def terminal_restored() -> Iterator[None]:
    """Put the terminal back as it was if the reader left it raw (a crash in its shutdown)."""
    try:
        fd = sys.__stdin__.fileno() if sys.__stdin__ is not None else -1
        saved = termios.tcgetattr(fd)
    except (OSError, ValueError, termios.error):
        yield  # not a terminal: nothing to restore
        return
    try:
        yield
    finally:
        with contextlib.suppress(OSError, termios.error):
            if termios.tcgetattr(fd) != saved:
                termios.tcsetattr(fd, termios.TCSADRAIN, saved)
                os.write(sys.__stdout__.fileno() if sys.__stdout__ else 1, _TERMINAL_RESET.encode())
