"""What the reader remembers between runs: the last article, the filters, the theme.

Kept in the user's state directory, one entry per database, written atomically
(a temporary file renamed over the old one) each time it changes, so a dropped
SSH connection loses nothing. Read and starred marks are not here: they live
in the database, next to the articles.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import platformdirs

from briefing.paths import APP_NAME


@dataclass
class ReaderState:
    article_id: int | None = None
    keywords: list[str] = field(default_factory=list)
    unread_only: bool = False
    starred_only: bool = False
    theme: str | None = None
    # The newest article id when the last session began: "new since your last visit".
    seen_up_to: int | None = None


def state_path() -> Path:
    return Path(platformdirs.user_state_dir(APP_NAME, appauthor=False)) / "reader.json"


class StateFile:
    """Reader state for one database, in a JSON file shared by all databases."""

    def __init__(self, database: str, path: Path | None = None) -> None:
        self.database = database
        self.path = path or state_path()

    def _load_all(self) -> dict[str, Any]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def load(self) -> ReaderState:
        """The saved state, or a fresh one; a damaged file is never fatal."""
        entry = self._load_all().get(self.database)
        if not isinstance(entry, dict):
            return ReaderState()
        state = ReaderState()
        article_id = entry.get("article_id")
        state.article_id = article_id if isinstance(article_id, int) else None
        keywords = entry.get("keywords")
        if isinstance(keywords, list):
            state.keywords = [k for k in keywords if isinstance(k, str)]
        state.unread_only = entry.get("unread_only") is True
        state.starred_only = entry.get("starred_only") is True
        theme = entry.get("theme")
        state.theme = theme if isinstance(theme, str) else None
        seen = entry.get("seen_up_to")
        state.seen_up_to = seen if isinstance(seen, int) else None
        return state

    def save(self, state: ReaderState) -> None:
        data = self._load_all()
        data[self.database] = asdict(state)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=self.path.parent, prefix=".reader-", suffix=".json")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as file:
                json.dump(data, file, indent=1)
            os.replace(temporary, self.path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
