"""What the article list shows, as one value: :class:`ListQuery`.

Every key that narrows or widens the list (a keyword, u, *, a search, S, e, a
saved view, Backspace) makes a new ListQuery; the main screen holds it in one
reactive, and its watcher reloads the list, saves the state and refreshes the
bindings. The query says what it is in words (the status line, the sidebar, an
empty list's message) and in JSON (the state file), from the same fields, so the
two never drift apart.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any, Literal

from briefing.models import ArticleFilter
from briefing.sanitize import terminal_line
from briefing.store.views import SavedView

Flag = Literal["unread_only", "starred_only", "stories_collapsed"]


@dataclass(frozen=True)
class KeywordFilter:
    """A keyword the list is narrowed by; its display name does not make it another."""

    key: str
    display: str = field(default="", compare=False)

    @property
    def name(self) -> str:
        return terminal_line(self.display or self.key)


@dataclass(frozen=True)
class StoryFilter:
    """An expanded story: its articles only."""

    id: int
    title: str = field(default="", compare=False)


@dataclass(frozen=True)
class ListQuery:
    """Every narrowing of the list at once; frozen, so an equal value means the same list
    and assigning it again reloads nothing."""

    keywords: tuple[KeywordFilter, ...] = ()  # all required, in the order chosen
    search: str | None = None  # an FTS5 query: ranked results instead of dates
    since: str | None = None  # a saved view's dates
    until: str | None = None
    unread_only: bool = False
    starred_only: bool = False
    stories_collapsed: bool = False  # each story as its newest article, "+N"
    story: StoryFilter | None = None  # one story's articles (e on a collapsed one)

    # -- changing it ----------------------------------------------------------------------

    def with_keyword(self, key: str, display: str = "") -> ListQuery:
        if any(keyword.key == key for keyword in self.keywords):
            return self
        return dataclasses.replace(self, keywords=(*self.keywords, KeywordFilter(key, display)))

    def toggled(self, name: Flag) -> ListQuery:
        """u, * and S: one flag switched (S also leaves an expanded story).

        Spelled out per flag rather than ``replace(**{name: ...})``, so the type
        checker sees each field set to a bool.
        """
        if name == "unread_only":
            return dataclasses.replace(self, unread_only=not self.unread_only)
        if name == "starred_only":
            return dataclasses.replace(self, starred_only=not self.starred_only)
        return dataclasses.replace(self, stories_collapsed=not self.stories_collapsed, story=None)

    def expanding(self, story_id: int, title: str) -> ListQuery:
        """e: one story's articles."""
        return dataclasses.replace(self, story=StoryFilter(story_id, title))

    def searching(self, search: str | None) -> ListQuery:
        return dataclasses.replace(self, search=search)

    def step_back(self) -> ListQuery | None:
        """Backspace: the most recent narrowing undone (an expanded story, the last
        keyword, a saved view's dates), or None when there is none."""
        if self.story is not None:
            return dataclasses.replace(self, story=None)
        if self.keywords:
            return dataclasses.replace(self, keywords=self.keywords[:-1])
        if self.since or self.until:
            return dataclasses.replace(self, since=None, until=None)
        return None

    # -- what it selects ------------------------------------------------------------------

    @property
    def article_filter(self) -> ArticleFilter:
        return ArticleFilter(
            keywords=tuple(keyword.key for keyword in self.keywords),
            since=self.since,
            until=self.until,
            unread_only=self.unread_only,
            starred_only=self.starred_only,
            story=self.story.id if self.story else None,
            stories_collapsed=self.stories_collapsed and self.story is None,
        )

    @property
    def collapsed(self) -> bool:
        """Rows stand for whole stories (so they show "+N")."""
        return self.stories_collapsed and self.story is None

    # -- in words ---------------------------------------------------------------------------

    def crumbs(self) -> list[str]:
        """The keywords, in the order chosen: All › Gaza › Rafah."""
        return [keyword.name for keyword in self.keywords]

    def conditions(self) -> list[str]:
        """Every other narrowing, in words, for the status line and the sidebar."""
        conditions = []
        if self.story is not None:
            conditions.append(f"story: {terminal_line(self.story.title)}")
        elif self.stories_collapsed:
            conditions.append("stories collapsed")
        if self.since:
            conditions.append(f"since {self.since}")
        if self.until:
            conditions.append(f"until {self.until}")
        if self.unread_only:
            conditions.append("unread only")
        if self.starred_only:
            conditions.append("starred only")
        if self.search is not None:
            conditions.append(f"search: {terminal_line(self.search)}")
        return conditions

    def describe(self) -> str:
        """One line: 'filter: Gaza › Rafah · unread only', or 'all articles'."""
        parts = [f"filter: {' › '.join(self.crumbs())}"] if self.keywords else []
        return " · ".join(parts + self.conditions()) or "all articles"

    def empty_message(self) -> str:
        if self.search is not None:
            return "Nothing matches this search. Escape returns to the list."
        if self.keywords or self.unread_only or self.starred_only or self.since or self.until:
            return "No articles match these filters. Backspace removes the last one."
        return "No articles yet. Add some with: briefing ingest DIR"

    # -- in JSON and as a saved view --------------------------------------------------------

    def to_json(self) -> dict[str, Any]:
        return {
            "keywords": [[keyword.key, keyword.display] for keyword in self.keywords],
            "search": self.search,
            "since": self.since,
            "until": self.until,
            "unread_only": self.unread_only,
            "starred_only": self.starred_only,
            "stories_collapsed": self.stories_collapsed,
            "story": [self.story.id, self.story.title] if self.story else None,
        }

    @classmethod
    def from_json(cls, data: object) -> ListQuery:
        """The query saved by :meth:`to_json`; anything damaged is left out, never fatal."""
        if not isinstance(data, dict):
            return cls()
        keywords = tuple(
            KeywordFilter(item[0], item[1] if len(item) > 1 and isinstance(item[1], str) else "")
            for item in data.get("keywords") or []
            if isinstance(item, list) and item and isinstance(item[0], str)
        )
        story = data.get("story")
        return cls(
            keywords=keywords,
            search=_text(data.get("search")),
            since=_text(data.get("since")),
            until=_text(data.get("until")),
            unread_only=data.get("unread_only") is True,
            starred_only=data.get("starred_only") is True,
            stories_collapsed=data.get("stories_collapsed") is True,
            story=(
                StoryFilter(story[0], str(story[1]) if len(story) > 1 else "")
                if isinstance(story, list) and story and isinstance(story[0], int)
                else None
            ),
        )

    @classmethod
    def from_view(cls, view: SavedView) -> ListQuery:
        f = view.resolved().article_filter
        return cls(
            keywords=tuple(KeywordFilter(key) for key in f.keywords),
            search=view.query or None,
            since=f.since,
            until=f.until,
            unread_only=f.unread_only,
            starred_only=f.starred_only,
            stories_collapsed=f.stories_collapsed,
        )

    def as_view(self, name: str) -> SavedView:
        return SavedView(name, self.article_filter, self.search)


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None
