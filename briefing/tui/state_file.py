"""What the reader remembers between runs: the last article, the list's query, the theme,
the searches typed.

Kept in the user's state directory, one entry per database, written atomically
(a temporary file renamed over the old one) each time it changes, so a dropped
SSH connection loses nothing. Read and starred marks are not here: they live
in the database, next to the articles.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import platformdirs

from briefing.paths import APP_NAME
from briefing.tui.query import KeywordFilter, ListQuery
from briefing.tui.widgets.search_bar import SEARCHES_KEPT


@dataclass
class ReaderState:
    article_id: int | None = None
    query: ListQuery = field(default_factory=ListQuery)  # what the list showed
    theme: str | None = None
    # The newest article id when the last session began: "new since your last visit".
    seen_up_to: int | None = None
    searches: list[str] = field(default_factory=list)  # oldest first

    def to_json(self) -> dict[str, Any]:
        return {
            "article_id": self.article_id,
            "query": self.query.to_json(),
            "theme": self.theme,
            "seen_up_to": self.seen_up_to,
            "searches": self.searches[-SEARCHES_KEPT:],
        }


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
        if "query" in entry:
            state.query = ListQuery.from_json(entry["query"])
        else:  # written before the query was kept whole: its keywords and two flags
            keywords = entry.get("keywords")
            state.query = ListQuery(
                keywords=tuple(
                    KeywordFilter(k)
                    for k in (keywords if isinstance(keywords, list) else [])
                    if isinstance(k, str)
                ),
                unread_only=entry.get("unread_only") is True,
                starred_only=entry.get("starred_only") is True,
            )
        searches = entry.get("searches")
        if isinstance(searches, list):
            state.searches = [s for s in searches if isinstance(s, str)][-SEARCHES_KEPT:]
        theme = entry.get("theme")
        state.theme = theme if isinstance(theme, str) else None
        seen = entry.get("seen_up_to")
        state.seen_up_to = seen if isinstance(seen, int) else None
        return state

    def save(self, state: ReaderState) -> None:
        data = self._load_all()
        data[self.database] = state.to_json()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=self.path.parent, prefix=".reader-", suffix=".json")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as file:
                json.dump(data, file, indent=1)
            os.replace(temporary, self.path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
