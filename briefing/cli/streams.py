"""The standard streams as a command line finds them: closed, not UTF-8, or a pipe cut short.

* A closed standard input (``briefing <&-``) reads as empty; a closed
  standard output is one line on standard error and exit 2, since nothing
  the command prints could be seen.
* Output in an encoding that lacks a character (``LC_ALL=en_US.ISO-8859-1``,
  ``PYTHONIOENCODING=latin-1``) degrades: typographic characters become their
  ASCII forms ("…" as "...", "–" as "-", curly quotes as straight ones), and
  any other becomes "?", instead of a UnicodeEncodeError.
* A reader that goes away (``briefing list | head -1``) ends the command
  quietly with exit 0, as ``ls | head`` does.
"""

from __future__ import annotations

import codecs
import os
import sys

ERRORS = "briefing-ascii"

_ASCII_FORMS = {
    "…": "...",
    "–": "-",
    "—": "-",
    "‘": "'",
    "’": "'",
    "‚": "'",
    "“": '"',
    "”": '"',
    "„": '"',
    "·": ".",
    "•": "*",
    "›": ">",
    "‹": "<",
    "«": '"',
    "»": '"',
    "\u00a0": " ",
}


def _ascii_forms(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeEncodeError):
        raise error
    text = error.object[error.start : error.end]
    return "".join(_ASCII_FORMS.get(char, "?") for char in text), error.end


codecs.register_error(ERRORS, _ascii_forms)


class ClosedOutput(Exception):
    """Standard output is closed: nothing printed could be seen."""


def prepare() -> None:
    """Make the streams safe to use: raises :class:`ClosedOutput` when stdout is closed."""
    if sys.stdin is None:
        sys.stdin = open(os.devnull, encoding="utf-8")  # noqa: SIM115 - lives as long as we do
    if sys.stderr is None:
        sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115
    if sys.stdout is None:
        raise ClosedOutput("standard output is closed; nothing to print to")
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("_", "-")
        if encoding not in ("utf-8", "utf8") and hasattr(stream, "reconfigure"):
            stream.reconfigure(errors=ERRORS)


def silence_stdout() -> None:
    """The reader of our output went away: let nothing more (not even the flush at
    exit) try to write to it."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass
