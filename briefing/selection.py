"""The SQL for "the articles this filter selects", driven by the index that serves it best.

With a keyword, the query walks that keyword's links in the index
``(keyword_id, article_date DESC, article_id DESC)``, which is already in
newest-first order, so the first page of 60,000 articles costs as much as the
first page of 60. Further keywords are checked per article by primary key.
Without one, it walks ``articles`` by ``(date DESC, id DESC)``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from briefing.models import ArticleFilter

FROM_ARTICLES = "articles a LEFT JOIN article_state s ON s.article_id = a.id"


@dataclass(frozen=True)
class Selection:
    article_filter: ArticleFilter
    keyword_ids: tuple[int, ...] = ()
    impossible: bool = False  # a keyword no article has: nothing is selected

    @property
    def everything(self) -> bool:
        return self.article_filter == ArticleFilter()

    @property
    def single_keyword(self) -> int | None:
        """The keyword id when the filter is exactly one keyword and nothing else."""
        only = ArticleFilter(keywords=self.article_filter.keywords)
        if len(self.keyword_ids) == 1 and self.article_filter == only:
            return self.keyword_ids[0]
        return None

    @property
    def date_column(self) -> str:
        return "ak0.article_date" if self.keyword_ids else "a.date"

    @property
    def id_column(self) -> str:
        return "ak0.article_id" if self.keyword_ids else "a.id"

    @property
    def newest_first(self) -> str:
        return f"{self.date_column} DESC, {self.id_column} DESC"

    def source(self) -> tuple[str, list[Any]]:
        """``FROM ... WHERE ...`` (the WHERE always present) and its parameters."""
        if not self.keyword_ids:
            where, params = self._conditions(self.keyword_ids, "a.date")
            return f"FROM {FROM_ARTICLES} WHERE {where}", params
        tables = (
            "article_keywords ak0 JOIN articles a ON a.id = ak0.article_id "
            "LEFT JOIN article_state s ON s.article_id = a.id"
        )
        where, params = self._conditions(self.keyword_ids[1:], self.date_column, first=1)
        return f"FROM {tables} WHERE ak0.keyword_id = ? AND {where}", [
            self.keyword_ids[0],
            *params,
        ]

    def predicate(self) -> tuple[str, list[Any]]:
        """The filter as a condition on one article row ``a`` (with its state ``s``),
        for checking candidates that come from elsewhere, such as search hits."""
        return self._conditions(self.keyword_ids, "a.date")

    def _conditions(
        self,
        keyword_ids: tuple[int, ...],
        date_column: str,
        first: int = 0,
        article: str = "a",
        state: str = "s",
        collapse: bool = True,
    ) -> tuple[str, list[Any]]:
        """Every condition of the filter on an article ``a`` and its state ``s``
        (or the aliases given)."""
        clauses: list[str] = []
        params: list[Any] = []
        for number, keyword_id in enumerate(keyword_ids, start=first):
            clauses.append(
                f"EXISTS (SELECT 1 FROM article_keywords ak{number} "
                f"WHERE ak{number}.article_id = {article}.id AND ak{number}.keyword_id = ?)"
            )
            params.append(keyword_id)
        article_filter = self.article_filter
        if article_filter.since:
            clauses.append(f"{date_column} >= ?")
            params.append(article_filter.since)
        if article_filter.until:
            clauses.append(f"{date_column} <= ?")
            params.append(article_filter.until)
        if article_filter.unread_only:
            clauses.append(f"coalesce({state}.read, 0) = 0")
        if article_filter.starred_only:
            clauses.append(f"coalesce({state}.starred, 0) = 1")
        if article_filter.story is not None:
            clauses.append(f"{article}.story_id = ?")
            params.append(article_filter.story)
        if article_filter.stories_collapsed and collapse:
            # A story shows as its newest article among those the filter selects: no
            # newer member of its story passes the same filter.
            inner, inner_params = self._conditions(
                self.keyword_ids, "b.date", 50, article="b", state="sb", collapse=False
            )
            clauses.append(
                f"({article}.story_id IS NULL OR NOT EXISTS (SELECT 1 FROM articles b "
                "LEFT JOIN article_state sb ON sb.article_id = b.id "
                f"WHERE b.story_id = {article}.story_id AND (coalesce(b.date, ''), b.id) > "
                f"(coalesce({article}.date, ''), {article}.id) AND {inner}))"
            )
            params.extend(inner_params)
        if self.impossible:
            clauses.append("0")
        return " AND ".join(clauses) or "1", params
