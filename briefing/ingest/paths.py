"""How a file's path is stored (text, even when the name is not UTF-8) and shown (safely)."""

from __future__ import annotations

import os
from pathlib import Path

from briefing.sanitize import clean_line


def display_path(path: str | Path) -> str:
    """A path safe to print: control characters and odd bytes cannot reach the terminal."""
    return clean_line(os.fsdecode(path).encode("utf-8", "backslashreplace").decode("utf-8"))


def path_key(path: Path) -> str:
    """The absolute path as stored: text even when the name is not valid UTF-8."""
    return os.fsencode(path.absolute()).decode("utf-8", "backslashreplace")
