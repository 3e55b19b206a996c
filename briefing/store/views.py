"""Saved views: a set of filters and a search, kept in the store under a name.

A view is the reader's own, like a star: in a shared store it is written to
the reader's own state database (see :mod:`briefing.store.own_state`), and
read through the ``views`` table that shadows the store's in that case.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from sqlite3 import Connection
from typing import Any

from briefing.dates import is_age, resolve_date_or_age, utc_now
from briefing.models import ArticleFilter
from briefing.sanitize import clean_line, is_utf8
from briefing.store.filters import describe_filter
from briefing.store.own_state import StateOwner
from briefing.store.transactions import writing

NAME_MAX = 60


class ViewError(ValueError):
    """A view name or definition that cannot be saved; the message says why."""


@dataclass(frozen=True)
class SavedView:
    """What a view restores: the list's filters and, when it has one, a search."""

    name: str
    article_filter: ArticleFilter = field(default_factory=ArticleFilter)
    query: str | None = None

    def resolved(self) -> SavedView:
        """The view with ages ("7d") turned into dates as of now, ready to run."""
        f = self.article_filter
        since = resolve_date_or_age(f.since) if f.since and is_age(f.since) else f.since
        until = resolve_date_or_age(f.until) if f.until and is_age(f.until) else f.until
        return dataclasses.replace(
            self, article_filter=dataclasses.replace(f, since=since, until=until)
        )

    def describe(self) -> str:
        """One line for lists: what the view selects."""
        parts = describe_filter(self.article_filter)
        if self.query:  # after the keywords, which come first
            parts.insert(len(self.article_filter.keywords), f"search {self.query}")
        return clean_line(", ".join(parts) or "everything")

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, **_filter_fields(self.article_filter), "query": self.query}


def _filter_fields(f: ArticleFilter) -> dict[str, Any]:
    """What a view keeps of a filter, as stored (and read back by :func:`_from_row`)."""
    return {
        "keywords": list(f.keywords),
        "since": f.since,
        "until": f.until,
        "unread_only": f.unread_only,
        "starred_only": f.starred_only,
        "stories_collapsed": f.stories_collapsed,
    }


def check_name(name: str) -> str:
    """The name as stored: trimmed, one line, not empty, not too long."""
    if not is_utf8(name):
        raise ViewError("a view name must be valid UTF-8 text")
    cleaned = clean_line(name).strip()
    if not cleaned:
        raise ViewError("a view needs a name")
    if len(cleaned) > NAME_MAX:
        raise ViewError(f"a view name is at most {NAME_MAX} characters")
    return cleaned


class Views:
    """``store.views``: the reader's saved views, by name."""

    def __init__(self, db: Connection, owner: StateOwner) -> None:
        self.db = db
        self.owner = owner

    def save(self, view: SavedView) -> SavedView:
        """Save (or replace) ``view`` under its name. Returns the view as stored."""
        self.owner.check_state_writable()
        name = check_name(view.name)
        f = view.article_filter
        if not all(is_utf8(text) for text in (*f.keywords, view.query or "")):
            raise ViewError("a view's keywords and search must be valid UTF-8 text")
        filters = json.dumps(_filter_fields(f), ensure_ascii=False)
        query = view.query.strip() if view.query and view.query.strip() else None
        now = utc_now()
        with writing(self.db, immediate=False):  # a write first
            self.db.execute(
                f"INSERT INTO {self.owner.state_schema}.views "
                "(name, filters, query, created_at, updated_at) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT(name) DO UPDATE SET filters = excluded.filters, "
                "query = excluded.query, updated_at = excluded.updated_at",
                [name, filters, query, now, now],
            )
        return SavedView(name, f, query)

    def delete(self, name: str) -> bool:
        """Forget a view; False when there was none of that name."""
        self.owner.check_state_writable()
        if not is_utf8(name):
            return False
        with writing(self.db, immediate=False):  # a write first
            cursor = self.db.execute(
                f"DELETE FROM {self.owner.state_schema}.views WHERE name = ?", [name.strip()]
            )
        return cursor.rowcount > 0

    def all(self) -> list[SavedView]:
        """Every saved view, by name (case-insensitive)."""
        rows = self.db.execute(
            "SELECT name, filters, query FROM views ORDER BY name COLLATE NOCASE"
        )
        return [_from_row(*row) for row in rows]

    def get(self, name: str) -> SavedView | None:
        if not is_utf8(name):
            return None
        row = self.db.execute(
            "SELECT name, filters, query FROM views WHERE name = ?", [name.strip()]
        ).fetchone()
        return _from_row(*row) if row else None


def _from_row(name: str, filters: str, query: str | None) -> SavedView:
    try:
        data = json.loads(filters)
    except json.JSONDecodeError:
        data = {}
    if not isinstance(data, dict):
        data = {}
    keywords = data.get("keywords")
    article_filter = ArticleFilter(
        keywords=tuple(str(k) for k in keywords) if isinstance(keywords, list) else (),
        since=_text(data.get("since")),
        until=_text(data.get("until")),
        unread_only=data.get("unread_only") is True,
        starred_only=data.get("starred_only") is True,
        stories_collapsed=data.get("stories_collapsed") is True,
    )
    return SavedView(name, article_filter, query)


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None
