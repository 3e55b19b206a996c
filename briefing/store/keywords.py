"""Keywords: the top ones of a selection, one by any spelling, an article's, and their postings.

The top keywords of everything, or of one keyword's articles, come from counts
kept by triggers (``keywords.article_count`` and ``keyword_pairs``); any other
selection is counted. The postings (which articles have a keyword, newest
first) are read from the index ``(keyword_id, article_date DESC, article_id
DESC)``, which holds all that the related-articles and stories walks need.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from sqlite3 import Connection

from briefing.keys import lookup_keys
from briefing.models import ArticleFilter, ArticleKeyword, Keyword, KeywordCount
from briefing.store.filters import Selection, select
from briefing.store.unread import read_join, unread_base

# (article id, keyword id, YAKE score, articles with the keyword)
WeightedLink = tuple[int, int, float, int]


def article_keywords(db: Connection, article_id: int) -> list[ArticleKeyword]:
    """An article's keywords, best ranked first."""
    rows = db.execute(
        "SELECT k.key, k.display, ak.score, ak.rank, k.article_count "
        "FROM article_keywords ak JOIN keywords k ON k.id = ak.keyword_id "
        "WHERE ak.article_id = ? ORDER BY ak.rank",
        [article_id],
    ).fetchall()
    return [ArticleKeyword(*row) for row in rows]


class Keywords:
    """``store.keywords``: counts, look-ups and postings of keywords."""

    def __init__(self, db: Connection) -> None:
        self.db = db

    def of_article(self, article_id: int) -> list[ArticleKeyword]:
        return article_keywords(self.db, article_id)

    def find(self, key_or_phrase: str) -> KeywordCount | None:
        """A keyword by its key or any spelling of it ("U.S.", "us", "US", "Sanctions")."""
        row = self.db.execute(
            "SELECT key, display, article_count FROM keywords WHERE key IN (?, ?) "
            "ORDER BY article_count DESC LIMIT 1",
            lookup_keys(key_or_phrase),
        ).fetchone()
        return KeywordCount(*row) if row else None

    def find_id(self, key_or_phrase: str) -> int | None:
        """The id of a keyword by any spelling of it, or None if no article has it."""
        row = self.db.execute(
            "SELECT id FROM keywords WHERE key IN (?, ?) ORDER BY article_count DESC LIMIT 1",
            lookup_keys(key_or_phrase),
        ).fetchone()
        return int(row[0]) if row else None

    def names(self, keyword_ids: Sequence[int]) -> dict[int, tuple[str, str]]:
        """(key, display) of each keyword id given."""
        if not keyword_ids:
            return {}
        rows = self.db.execute(
            f"SELECT id, key, display FROM keywords WHERE id IN ({_marks(keyword_ids)})",
            list(keyword_ids),
        )
        return {int(row[0]): (row[1], row[2]) for row in rows}

    def top(
        self, limit: int = 20, article_filter: ArticleFilter | None = None
    ) -> list[KeywordCount]:
        """Keywords with the most articles, in the whole store or in a selection."""
        selection = select(self.db, article_filter)
        base = unread_base(self.db, selection)
        if base is not None:
            return self._top_unread(base, limit)
        if selection.everything:
            rows = self.db.execute(
                "SELECT key, display, article_count FROM keywords "
                "WHERE article_count > 0 ORDER BY article_count DESC, key LIMIT ?",
                [limit],
            ).fetchall()
        elif selection.single_keyword is not None:
            # Kept by triggers: how many of this keyword's articles have each other one.
            keyword_id = selection.single_keyword
            rows = self.db.execute(
                "SELECT * FROM (SELECT key, display, article_count FROM keywords WHERE id = ? "
                "UNION ALL SELECT * FROM (SELECT k.key, k.display, p.n FROM keyword_pairs p "
                "JOIN keywords k ON k.id = p.other_id WHERE p.keyword_id = ? AND p.n > 0 "
                "ORDER BY p.n DESC, k.key LIMIT ?)) ORDER BY 3 DESC, 1 LIMIT ?",
                [keyword_id, keyword_id, limit, limit],
            ).fetchall()
        else:
            source, params = selection.source()
            rows = self.db.execute(
                "SELECT k.key, k.display, count(*) AS n FROM article_keywords ak "
                "JOIN keywords k ON k.id = ak.keyword_id "
                f"WHERE ak.article_id IN (SELECT {selection.id_column} {source}) "
                "GROUP BY ak.keyword_id ORDER BY n DESC, k.key LIMIT ?",
                [*params, limit],
            ).fetchall()
        return [KeywordCount(*row) for row in rows]

    def _top_unread(self, base: Selection, limit: int) -> list[KeywordCount]:
        """Top keywords of the unread part of ``base``: its kept counts less the read ones.

        Walks the base's keywords from the most articles down and stops once no
        keyword further down can beat the current tenth (or limit-th) best.
        """
        tables, params = read_join(base)
        read = dict(
            self.db.execute(
                f"SELECT ak.keyword_id, count(*) FROM {tables} "
                "JOIN article_keywords ak ON ak.article_id = s.article_id "
                "WHERE s.read = 1 GROUP BY 1",
                params,
            ).fetchall()
        )
        if base.single_keyword is None:
            rows = self.db.execute(
                "SELECT id, key, display, article_count FROM keywords WHERE article_count > 0 "
                "ORDER BY article_count DESC, key"
            )
        else:
            rows = self.db.execute(
                "SELECT * FROM (SELECT id, key, display, article_count FROM keywords WHERE id = ? "
                "UNION ALL SELECT k.id, k.key, k.display, p.n FROM keyword_pairs p "
                "JOIN keywords k ON k.id = p.other_id WHERE p.keyword_id = ? AND p.n > 0) "
                "ORDER BY 4 DESC, 2",
                [base.single_keyword, base.single_keyword],
            )
        best: list[KeywordCount] = []
        for keyword_id, key, display, count in rows:
            if len(best) >= limit and count < best[-1].article_count:
                break
            unread = count - read.get(keyword_id, 0)
            if unread > 0:
                best.append(KeywordCount(key, display, unread))
                best.sort(key=lambda k: (-k.article_count, k.key))
                del best[limit:]
        return best

    def top_among(self, article_ids: Sequence[int], limit: int = 20) -> list[KeywordCount]:
        """Top keywords of a given set of articles (search results), with their counts there."""
        if not article_ids:
            return []
        rows = self.db.execute(
            "SELECT k.key, k.display, count(*) AS n FROM article_keywords ak "
            "JOIN keywords k ON k.id = ak.keyword_id "
            f"WHERE ak.article_id IN ({_marks(article_ids)}) "
            "GROUP BY ak.keyword_id ORDER BY n DESC, k.key LIMIT ?",
            [*article_ids, limit],
        ).fetchall()
        return [KeywordCount(*row) for row in rows]

    # -- weights and postings, for related articles and stories ---------------------------

    def weighted(self, article_ids: Sequence[int]) -> list[WeightedLink]:
        """Every keyword link of the articles given, with its score and the keyword's count."""
        if not article_ids:
            return []
        return self.db.execute(
            "SELECT ak.article_id, ak.keyword_id, ak.score, k.article_count "
            "FROM article_keywords ak JOIN keywords k ON k.id = ak.keyword_id "
            f"WHERE ak.article_id IN ({_marks(article_ids)})",
            list(article_ids),
        ).fetchall()

    def weighted_of(self, article_id: int) -> list[tuple[int, str, float, int]]:
        """(keyword id, display, score, articles with the keyword) of one article's keywords."""
        return self.db.execute(
            "SELECT ak.keyword_id, k.display, ak.score, k.article_count "
            "FROM article_keywords ak JOIN keywords k ON k.id = ak.keyword_id "
            "WHERE ak.article_id = ?",
            [article_id],
        ).fetchall()

    def scores(
        self, article_ids: Sequence[int], keyword_ids: Sequence[int]
    ) -> list[tuple[int, int, float]]:
        """(article id, keyword id, score) for those of the keywords each article has."""
        if not article_ids or not keyword_ids:
            return []
        return self.db.execute(
            "SELECT article_id, keyword_id, score FROM article_keywords "
            f"WHERE article_id IN ({_marks(article_ids)}) "
            f"AND keyword_id IN ({_marks(keyword_ids)})",
            [*article_ids, *keyword_ids],
        ).fetchall()

    def postings_around(self, keyword_id: int, date: str | None, cap: int) -> list[int]:
        """Up to ``cap`` articles with the keyword, around ``date``: half on or before it and
        half after, topped up from one side when the other has fewer. For an undated
        article, the newest ones."""
        if date is None:
            rows = self.db.execute(
                "SELECT article_id FROM article_keywords WHERE keyword_id = ? "
                "ORDER BY article_date DESC, article_id DESC LIMIT ?",
                [keyword_id, cap],
            ).fetchall()
            return [row[0] for row in rows]
        older = self.db.execute(
            "SELECT article_id FROM article_keywords WHERE keyword_id = ? AND article_date <= ? "
            "ORDER BY article_date DESC, article_id DESC LIMIT ?",
            [keyword_id, date, cap + 1],  # + 1: the article itself is among them
        ).fetchall()
        newer = self.db.execute(
            "SELECT article_id FROM article_keywords WHERE keyword_id = ? AND article_date > ? "
            "ORDER BY article_date, article_id LIMIT ?",
            [keyword_id, date, cap],
        ).fetchall()
        take_newer = min(len(newer), max(cap // 2, cap + 1 - len(older)))
        return [row[0] for row in older[: cap + 1 - take_newer]] + [
            row[0] for row in newer[:take_newer]
        ]

    def postings_between(self, keyword_id: int, first: str, last: str, cap: int) -> list[int]:
        """Up to ``cap`` articles with the keyword dated from ``first`` to ``last``."""
        rows = self.db.execute(
            "SELECT article_id FROM article_keywords WHERE keyword_id = ? "
            "AND article_date BETWEEN ? AND ? LIMIT ?",
            [keyword_id, first, last, cap],
        ).fetchall()
        return [row[0] for row in rows]

    # -- writing, for ingest ----------------------------------------------------------------

    def link(self, article_id: int, date: str | None, keywords: Iterable[Keyword]) -> None:
        """File the article under its keywords (creating the keywords it is first to have).
        Call inside a transaction that removed its old links."""
        # executemany: ingest's writer is the one process that competes with the YAKE
        # workers for the cores, so its per-call overhead counts.
        keywords = list(keywords)
        conn = self.db
        # A keyword first seen in capitals (a dateline's "SAN FRANCISCO", a shouted
        # headline) takes the mixed-case form as soon as an article writes it so, and keeps
        # it: the display is shown for every article with the keyword.
        conn.executemany(
            "INSERT INTO keywords (key, display, article_count) VALUES (?, ?, 0) "
            "ON CONFLICT(key) DO UPDATE SET display = excluded.display "
            "WHERE keywords.display = upper(keywords.display) "
            "AND excluded.display != upper(excluded.display) "
            "AND excluded.display != lower(excluded.display)",
            [(k.key, k.display) for k in keywords],
        )
        conn.executemany(
            "INSERT OR IGNORE INTO article_keywords "
            "(article_id, keyword_id, score, rank, article_date) "
            "SELECT ?, id, ?, ?, ? FROM keywords WHERE key = ?",
            [(article_id, k.score, k.rank, date, k.key) for k in keywords],
        )


def _marks(values: Iterable[object]) -> str:
    return ", ".join("?" for _ in values)
