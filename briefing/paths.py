"""Where briefing keeps its files, and where the bundled sample briefings are.

Only paths are computed here; nothing is created until something is written.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "briefing"
DB_ENV = "BRIEFING_DB"


def default_db_path() -> Path:
    """The database in the user's data directory (``~/.local/share/briefing`` on Linux)."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / "briefing.db"


def db_path_from_env() -> Path | None:
    value = os.environ.get(DB_ENV)
    return Path(value).expanduser() if value else None


def sample_data_dir() -> Path:
    """The bundled sample briefings: inside the wheel, or at the top of a source checkout."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "sample_data", here.parent / "sample_data"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("the bundled sample briefings are missing from this installation")
