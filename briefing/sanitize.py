"""Make untrusted article text safe to store and to print on a terminal.

Briefings come from anywhere. A title holding ``ESC ] 52 ;`` could write to the
reader's clipboard, one holding ``ESC [ 2 J`` could wipe the screen. Terminal
escape sequences are removed whole (not just their ESC byte, which would leave
``[2J`` litter behind), and every other control character except newline and
tab is dropped. This runs at ingest, and again on output, because a database
may have been written by something other than briefing.
"""

from __future__ import annotations

import re
from urllib.parse import unquote

# ESC-introduced sequences: CSI (ESC [ ... final), OSC/DCS/SOS/PM/APC strings
# (ESC ] ... BEL or ST), and two-byte escapes (ESC + one char).
_ESCAPE_SEQUENCE = re.compile(
    r"""
    \x1b\[[0-?]*[ -/]*[@-~]                     # CSI: colours, cursor moves, clear screen
    | \x1b[\]PX^_][^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?  # OSC 52/8/0, DCS, SOS, PM, APC
    | \x1b[ -/]*[0-~]?                          # other escapes (charset, keypad, lone ESC)
    | [\x9b][0-?]*[ -/]*[@-~]                   # 8-bit CSI
    | [\x9d\x90\x98\x9e\x9f][^\x07\x9c]*(?:\x07|\x9c)?  # 8-bit OSC/DCS/SOS/PM/APC
    """,
    re.VERBOSE,
)

# C0 controls but tab and newline, DEL, C1 controls, the Unicode bidirectional
# overrides and marks that can make text read differently than it is stored, and
# characters that show as nothing: zero-width space, word joiner, byte order mark,
# invisible operators, deprecated format controls, the Hangul and Mongolian fillers
# that pass for blanks, and the tag characters (which can smuggle a hidden message).
# The zero-width joiner and non-joiner stay: scripts such as Persian and Devanagari,
# and emoji sequences, need them.
_CONTROL = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f"
    "\u061c\u115f\u1160\u180e\u200b\u200e\u200f\u202a-\u202e\u2060-\u206f"
    "\u3164\ufeff\uffa0\U000e0000-\U000e007f]"
)


def clean_text(text: str) -> str:
    """Remove terminal escape sequences and control characters, keep newlines and tabs."""
    if not text:
        return text
    return _CONTROL.sub("", _ESCAPE_SEQUENCE.sub("", text))


def clean_line(text: str) -> str:
    """Like :func:`clean_text`, for one-line fields: whitespace runs become one space."""
    return " ".join(clean_text(text).split())


# What joins emoji into one character whose width terminals disagree on: joiners,
# variation selectors, skin tones. A family emoji (four people joined by ZWJ) is 2 cells
# to Rich (and so to Textual's layout), kitty and tmux, 8 to xterm, the Linux console and
# pyte; a flag (two regional indicators) is 2, 4 or 1. Text drawn in the wrong width
# pushes a pane's border aside, or leaves a stale cell.
_JOINING = re.compile("[\u200d\ufe0e\ufe0f\U0001f3fb-\U0001f3ff]")
_REGIONAL = re.compile("[\U0001f1e6-\U0001f1ff]")


def for_terminal(text: str) -> str:
    """Text whose every character has one width in Rich and in every terminal: the
    emoji of a joined sequence each on its own (a family becomes its four people), a
    flag as its two letters (regional indicators U, A: "UA"). For display only: what
    is stored, searched and exported keeps the sequences (a terminal that joins them
    would draw them better, but Textual cannot know which terminal does)."""
    text = _JOINING.sub("", text)
    return _REGIONAL.sub(lambda m: chr(ord(m.group()) - 0x1F1E6 + ord("A")), text)


def terminal_text(text: str) -> str:
    """:func:`clean_text`, then :func:`for_terminal`: article text for a screen."""
    return for_terminal(clean_text(text))


def terminal_line(text: str) -> str:
    """:func:`clean_line`, then :func:`for_terminal`: a one-line field for a screen."""
    return for_terminal(clean_line(text))


def is_utf8(text: str) -> bool:
    """False for strings holding lone surrogates: bytes of a command-line argument that
    were not UTF-8, which no database column or output stream can take."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


# -- secrets in addresses ----------------------------------------------------------------
#
# Feed addresses may carry credentials: ``https://user:password@host/feed`` or
# ``...?api_key=...&token=...``. Stored or printed, they would reach every reader of a
# shared store and every log. Both patterns are linear: the user part only starts after
# "://" and cannot cross "/", and a parameter's name is at most 100 characters.
_USERINFO = re.compile(r"(?<=://)[^/?#\s]*@")
# A value ends where an address quoted in a message would: not inside "(...)" or '...'.
_PARAMETER = re.compile(r"(?<=[?&;#])([^=&;#?\s]{1,100})=([^&;#\s)'\"<>]*)")
_SECRET_NAMES = frozenset({"key", "auth", "authorization", "sig", "pwd", "pass"})
_SECRET_ENDINGS = (
    "token",
    "secret",
    "password",
    "passwd",
    "apikey",
    "accesskey",
    "secretkey",
    "privatekey",
    "signature",
    "credential",
)
REDACTED = "***"


def is_secret_name(name: str) -> bool:
    """Whether a query parameter named so holds a secret: token, key, api_key, apiKey,
    access_token, auth, sig, signature, password, secret, X-Amz-Signature, ..."""
    letters = "".join(c for c in unquote(name).lower() if c.isalnum())
    return letters in _SECRET_NAMES or letters.endswith(_SECRET_ENDINGS)


def redact_secrets(text: str) -> str:
    """``text`` with the user and password of every address, and the values of its
    secret parameters (see :func:`is_secret_name`), replaced by ``***``.

    Works on a bare address, a ``feed:`` path, or a message quoting either; the
    rest of the text is kept as written (nothing is re-encoded).
    """
    if "=" not in text and "@" not in text:
        return text
    text = _USERINFO.sub(REDACTED + "@", text)
    return _PARAMETER.sub(_redact_parameter, text)


def _redact_parameter(match: re.Match[str]) -> str:
    name, value = match.group(1), match.group(2)
    if value and is_secret_name(name):
        return f"{name}={REDACTED}"
    return match.group(0)


# Typographic punctuation the Linux console's font lacks, each as one ASCII character
# of the same width, so text laid out for the screen keeps its place.
_CONSOLE_PUNCTUATION = str.maketrans(
    {
        "\u2026": ".",  # … (a title cut at ingest ends in it)
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
        "\u2022": "*",
    }
)


def for_console(text: str) -> str:
    """Text for the Linux console: typographic punctuation as ASCII, cell for cell."""
    return text.translate(_CONSOLE_PUNCTUATION)
