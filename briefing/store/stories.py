"""Stories as stored: ``articles.story_id`` on the members, and a row of ``stories`` each.

Which article joins which story is decided in :mod:`briefing.insight.stories`;
this module reads and writes the result. A story's row holds its size, newest
article (by date, then id, like the article list) and first and last dates, so
the list can show a story collapsed without counting. :meth:`Stories.refresh`
recomputes those from the members whenever one joins or leaves, and dissolves
a story left with one article.
"""

from __future__ import annotations

from collections.abc import Sequence
from sqlite3 import Connection

from briefing.dates import utc_now
from briefing.models import Story
from briefing.store.summaries import summaries

STORY_KEYWORDS = 5  # keywords per story shown in the list


class Stories:
    """``store.stories``: membership, the stories' rows, and listing them."""

    def __init__(self, db: Connection) -> None:
        self.db = db

    def placement(self, article_id: int) -> tuple[str | None, int | None] | None:
        """(date, story id) of an article, or None when there is no such article."""
        row = self.db.execute(
            "SELECT date, story_id FROM articles WHERE id = ?", [article_id]
        ).fetchone()
        return (row[0], row[1]) if row else None

    def of(self, article_id: int) -> int | None:
        row = self.db.execute("SELECT story_id FROM articles WHERE id = ?", [article_id]).fetchone()
        return int(row[0]) if row and row[0] is not None else None

    def assign(self, article_id: int, story: int | None) -> None:
        self.db.execute("UPDATE articles SET story_id = ? WHERE id = ?", [story, article_id])

    def create(self, first_member: int) -> int:
        """A new story holding ``first_member``; :meth:`refresh` it once it has a second."""
        cursor = self.db.execute(
            "INSERT INTO stories (size, updated_at) VALUES (0, ?)", [utc_now()]
        )
        story = int(cursor.lastrowid or 0)
        self.assign(first_member, story)
        return story

    def members(self, story: int, leaving_out: int) -> list[tuple[int, str | None]]:
        """(id, date) of the story's articles but one."""
        return self.db.execute(
            "SELECT id, date FROM articles WHERE story_id = ? AND id != ?", [story, leaving_out]
        ).fetchall()

    def refresh(self, story: int) -> None:
        """Recompute a story's size and extent from its members; dissolve it below two."""
        size, first, last = self.db.execute(
            "SELECT count(*), min(date), max(date) FROM articles WHERE story_id = ?", [story]
        ).fetchone()
        if size < 2:
            self.db.execute("UPDATE articles SET story_id = NULL WHERE story_id = ?", [story])
            self.db.execute("DELETE FROM stories WHERE id = ?", [story])
            return
        newest = self.db.execute(
            "SELECT id FROM articles WHERE story_id = ? ORDER BY date DESC, id DESC LIMIT 1",
            [story],
        ).fetchone()[0]
        self.db.execute(
            "UPDATE stories SET size = ?, newest_article_id = ?, first_date = ?, last_date = ?, "
            "updated_at = ? WHERE id = ?",
            [size, newest, first, last, utc_now(), story],
        )

    def sizes(self, stories: Sequence[int]) -> dict[int, int]:
        if not stories:
            return {}
        rows = self.db.execute(
            f"SELECT id, size FROM stories WHERE id IN ({', '.join('?' for _ in stories)})",
            list(stories),
        )
        return {int(story): int(size) for story, size in rows}

    def newest_first(self, since: str | None = None, limit: int = 20) -> list[Story]:
        """Stories newest first (by their last date), those reaching ``since`` or later."""
        rows = self.db.execute(
            "SELECT id, size, first_date, last_date, newest_article_id FROM stories "
            "WHERE size > 1 AND (? IS NULL OR last_date >= ?) "
            "ORDER BY last_date DESC, id DESC LIMIT ?",
            [since, since, limit],
        ).fetchall()
        newest = summaries(self.db, [row[4] for row in rows])
        return [
            Story(
                id=story,
                size=size,
                first_date=first,
                last_date=last,
                newest=newest[newest_id],
                keywords=tuple(self.keywords(story)),
                article_ids=tuple(self.articles(story)),
            )
            for story, size, first, last, newest_id in rows
        ]

    def articles(self, story: int) -> list[int]:
        """The story's articles, newest first."""
        rows = self.db.execute(
            "SELECT id FROM articles WHERE story_id = ? ORDER BY date DESC, id DESC", [story]
        ).fetchall()
        return [row[0] for row in rows]

    def keywords(self, story: int, limit: int = STORY_KEYWORDS) -> list[str]:
        """Keywords that two or more of the story's articles share, most shared first
        (ties: the better average YAKE score)."""
        rows = self.db.execute(
            "SELECT k.display FROM articles a JOIN article_keywords ak ON ak.article_id = a.id "
            "JOIN keywords k ON k.id = ak.keyword_id WHERE a.story_id = ? "
            "GROUP BY ak.keyword_id HAVING count(*) > 1 "
            "ORDER BY count(*) DESC, avg(ak.score), k.key LIMIT ?",
            [story, limit],
        ).fetchall()
        return [row[0] for row in rows]
