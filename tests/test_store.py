"""The SQLite store: schema, indexes, full-text triggers, counts and state."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from briefing.models import ArticleFilter
from briefing.store import QueryError, Store, StoreError
from briefing.store.filters import select
from briefing.store.unread import unread_base


def test_file_database_uses_wal_and_busy_timeout(tmp_path: Path) -> None:
    with Store.open(tmp_path / "b.db") as store:
        assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert store.db.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000


def test_migrations_are_recorded_and_idempotent(tmp_path: Path) -> None:
    path = tmp_path / "b.db"
    Store.open(path).close()
    with Store.open(path) as store:
        names = [r[0] for r in store.db.execute("SELECT name FROM _sqlite_migrations")]
    assert names == [
        "m001_articles_keywords_state",
        "m002_precomputed_counts",
        "m003_stories_and_views",
        "m004_reindex_only_changed_text",
        "m005_cjk_search",
        "m006_mask_feed_secrets",
    ]


def test_only_a_change_of_text_reindexes_it(tmp_path: Path) -> None:
    with Store.open(tmp_path / "b.db") as store:
        store.db.execute(
            "INSERT INTO articles (path, content_hash, title, body, word_count, ingested_at) "
            "VALUES ('p', 'h', 'Harbour strike', 'Dockworkers walked out', 3, 'now')"
        )

        def index_writes(statement: str) -> int:
            """Rows the statement wrote to the full-text index's own tables."""
            before = store.db.execute("SELECT count(*) FROM articles_fts_data").fetchone()[0]
            changes = store.db.total_changes
            store.db.execute(statement)
            after = store.db.execute("SELECT count(*) FROM articles_fts_data").fetchone()[0]
            return (after - before) + (store.db.total_changes - changes - 1)

        assert index_writes("UPDATE articles SET file_mtime_ns = 5, story_id = 1") == 0
        assert store.articles.search("dockworkers")[0].article.title == "Harbour strike"
        assert index_writes("UPDATE articles SET body = 'Pilots walked out'") > 0
        assert store.articles.search("dockworkers") == []
        assert store.articles.search("pilots")[0].article.title == "Harbour strike"


def test_newer_schema_is_refused_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "b.db"
    Store.open(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute(
            "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
            "VALUES ('briefing', 'm999_from_the_future', 'x')"
        )
    before = path.read_bytes()
    with pytest.raises(StoreError, match="newer version"):
        Store.open(path)
    assert path.read_bytes() == before


def test_corrupt_file_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "b.db"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreError, match="cannot open database"):
        Store.open(path)


def test_indexes_serve_keyword_and_top_keyword_queries(fresh_store: Store) -> None:
    plan = " ".join(
        str(row)
        for row in fresh_store.db.execute(
            "EXPLAIN QUERY PLAN SELECT article_id FROM article_keywords WHERE keyword_id = 1 "
            "ORDER BY article_date DESC, article_id DESC LIMIT 10"
        )
    )
    assert "idx_article_keywords_newest" in plan and "TEMP B-TREE" not in plan
    plan = " ".join(
        str(row)
        for row in fresh_store.db.execute(
            "EXPLAIN QUERY PLAN SELECT key FROM keywords WHERE article_count > 0 "
            "ORDER BY article_count DESC, key LIMIT 10"
        )
    )
    assert "idx_keywords_top" in plan and "TEMP B-TREE" not in plan


def test_newest_first_with_undated_last(
    fresh_store: Store, add_article: Callable[..., int]
) -> None:
    add_article(fresh_store, "2024-01-01", [], title="Old", path="/a")
    add_article(fresh_store, None, [], title="Undated", path="/b")
    add_article(fresh_store, "2025-01-01", [], title="New", path="/c")
    assert [a.title for a in fresh_store.articles.newest_first()] == ["New", "Old", "Undated"]


def test_keyword_counts_follow_links(fresh_store: Store, add_article: Callable[..., int]) -> None:
    first = add_article(fresh_store, "2024-01-01", ["Gaza", "Rafah"], title="A", path="/a")
    add_article(fresh_store, "2024-01-02", ["Gaza"], title="B", path="/b")
    counts = {k.key: k.article_count for k in fresh_store.keywords.top()}
    assert counts == {"gaza": 2, "rafah": 1}
    add_article(fresh_store, "2024-01-01", ["Oil"], title="A", path="/a")  # updated: new keywords
    counts = {k.key: k.article_count for k in fresh_store.keywords.top()}
    assert counts == {"gaza": 1, "oil": 1}
    assert fresh_store.articles.get(first) is not None


def test_keyword_filters_combine_with_and(
    fresh_store: Store, add_article: Callable[..., int]
) -> None:
    add_article(fresh_store, "2024-01-01", ["Gaza", "Rafah"], title="A", path="/a")
    add_article(fresh_store, "2024-01-02", ["Gaza"], title="B", path="/b")
    gaza = fresh_store.articles.newest_first(ArticleFilter(keywords=("Gaza",)))
    both = fresh_store.articles.newest_first(ArticleFilter(keywords=("gaza", "RAFAH")))
    assert [a.title for a in gaza] == ["B", "A"]
    assert [a.title for a in both] == ["A"]
    top = fresh_store.keywords.top(article_filter=ArticleFilter(keywords=("rafah",)))
    assert {k.key: k.article_count for k in top} == {"gaza": 1, "rafah": 1}


def test_full_text_index_follows_updates_and_deletes(
    fresh_store: Store, add_article: Callable[..., int]
) -> None:
    article_id = add_article(
        fresh_store, "2024-01-01", [], title="Pipeline", body="The pipeline leaked.", path="/a"
    )
    assert [h.article.id for h in fresh_store.articles.search("pipeline")] == [article_id]
    add_article(
        fresh_store, "2024-01-01", [], title="Harvest", body="Grain harvest record.", path="/a"
    )
    assert fresh_store.articles.search("pipeline") == []
    assert [h.article.id for h in fresh_store.articles.search("harvest")] == [article_id]
    with fresh_store.transaction():
        fresh_store.db.execute("DELETE FROM articles WHERE id = ?", [article_id])
    assert fresh_store.articles.search("harvest") == []


def test_search_ranks_title_matches_first_and_marks_snippets(
    fresh_store: Store, add_article: Callable[..., int]
) -> None:
    add_article(
        fresh_store, "2024-01-01", [], title="Weather", body="Then tariffs came up once.", path="/a"
    )
    best = add_article(
        fresh_store, "2024-01-01", [], title="Tariffs rise", body="Tariffs on steel.", path="/b"
    )
    hits = fresh_store.articles.search("tariffs")
    assert hits[0].article.id == best
    assert "\x02Tariffs\x03" in hits[0].snippet


@pytest.mark.parametrize(
    "query", ['"unbalanced', "AND", "NEAR(", "*", "nosuchcolumn:x", "a\x00b", " "]
)
def test_malformed_queries_raise_query_error(
    fresh_store: Store, query: str, add_article: Callable[..., int]
) -> None:
    add_article(fresh_store, "2024-01-01", [], title="A", body="text", path="/a")
    with pytest.raises(QueryError):
        fresh_store.articles.search(query)


def test_read_and_star_state_is_kept_across_updates(
    fresh_store: Store, add_article: Callable[..., int]
) -> None:
    article_id = add_article(fresh_store, "2024-01-01", [], title="A", body="one", path="/a")
    fresh_store.marks.set_read(article_id)
    fresh_store.marks.set_starred(article_id)
    add_article(fresh_store, "2024-01-01", [], title="A changed", body="two", path="/a")
    article = fresh_store.articles.get(article_id)
    assert article is not None and article.read and article.starred
    assert fresh_store.articles.newest_first(ArticleFilter(unread_only=True)) == []
    fresh_store.marks.set_read(article_id, False)
    assert [a.id for a in fresh_store.articles.newest_first(ArticleFilter(unread_only=True))] == [
        article_id
    ]
    assert [a.id for a in fresh_store.articles.newest_first(ArticleFilter(starred_only=True))] == [
        article_id
    ]


def _counted(store: Store) -> tuple[object, object, object]:
    """The precomputed tables, and the same figures counted from scratch."""
    db = store.db
    kept = (
        sorted(db.execute("SELECT day, n FROM days WHERE n > 0").fetchall()),
        sorted(db.execute("SELECT keyword_id, day, n FROM keyword_days WHERE n > 0").fetchall()),
        sorted(db.execute("SELECT keyword_id, other_id, n FROM keyword_pairs WHERE n > 0")),
    )
    fresh = (
        sorted(db.execute("SELECT coalesce(date, ''), count(*) FROM articles GROUP BY 1")),
        sorted(
            db.execute(
                "SELECT keyword_id, coalesce(article_date, ''), count(*) "
                "FROM article_keywords GROUP BY 1, 2"
            )
        ),
        sorted(
            db.execute(
                "SELECT one.keyword_id, two.keyword_id, count(*) FROM article_keywords one "
                "JOIN article_keywords two ON two.article_id = one.article_id "
                "AND two.keyword_id != one.keyword_id GROUP BY 1, 2"
            )
        ),
    )
    return kept, fresh, None


def test_precomputed_counts_follow_inserts_updates_and_deletes(
    fresh_store: Store, add_article: Callable[..., int]
) -> None:
    a = add_article(fresh_store, "2024-01-01", ["Gaza", "Rafah", "Israel"], title="A", path="/a")
    add_article(fresh_store, "2024-01-01", ["Gaza", "Oil"], title="B", path="/b")
    add_article(fresh_store, None, ["Oil", "Rafah"], title="C", path="/c")
    kept, fresh, _ = _counted(fresh_store)
    assert kept == fresh
    add_article(
        fresh_store, "2024-02-02", ["Oil", "Gaza"], title="A2", path="/a"
    )  # updated article
    with fresh_store.transaction():
        fresh_store.db.execute("DELETE FROM articles WHERE path = '/b'")
    kept, fresh, _ = _counted(fresh_store)
    assert kept == fresh
    assert fresh_store.articles.date_groups() == [("2024-02-02", 1), (None, 1)]
    oil = ArticleFilter(keywords=("oil",))
    assert fresh_store.articles.date_groups(oil) == [("2024-02-02", 1), (None, 1)]
    top = fresh_store.keywords.top(article_filter=ArticleFilter(keywords=("gaza",)))
    assert {k.key: k.article_count for k in top} == {"gaza": 1, "oil": 1}
    assert fresh_store.articles.get(a) is not None


def test_fast_paths_agree_with_counting(
    fresh_store: Store, add_article: Callable[..., int]
) -> None:
    """Single-keyword figures come from kept counts; adding a condition counts instead."""
    for n in range(12):
        keys = ["Gaza", "Oil"] if n % 3 else ["Gaza", "Rafah", "Oil"]
        add_article(fresh_store, f"2024-01-{n % 4 + 1:02d}", keys, title=f"T{n}", path=f"/{n}")
    fresh_store.marks.set_read(1)
    for keys in (("gaza",), ("rafah",), ("gaza", "rafah")):
        quick = ArticleFilter(keywords=keys)
        slow = ArticleFilter(keywords=keys, since="2000-01-01")  # same articles, no shortcut
        assert fresh_store.articles.date_groups(quick) == fresh_store.articles.date_groups(slow)
        assert fresh_store.articles.count(quick) == fresh_store.articles.count(slow)
        assert fresh_store.keywords.top(10, quick) == fresh_store.keywords.top(10, slow)
        ids = [a.id for a in fresh_store.articles.newest_first(quick, limit=100)]
        assert ids == [a.id for a in fresh_store.articles.newest_first(slow, limit=100)]
        for position, article_id in enumerate(ids):
            assert fresh_store.articles.position(article_id, quick) == position
    assert fresh_store.articles.newest_first(ArticleFilter(keywords=("nothing",))) == []
    assert fresh_store.articles.date_groups(ArticleFilter(keywords=("nothing",))) == []


def test_unread_counts_by_subtraction_agree_with_counting(
    fresh_store: Store, add_article: Callable[..., int]
) -> None:
    for n in range(15):
        keys = ["Gaza", "Oil"] if n % 3 else ["Gaza", "Rafah", "Oil", "Grain"]
        add_article(
            fresh_store,
            f"2024-01-{n % 4 + 1:02d}" if n else None,
            keys,
            title=f"T{n}",
            path=f"/{n}",
        )
    for article_id in (1, 2, 4, 9):
        fresh_store.marks.set_read(article_id)
    for keys in ((), ("gaza",), ("rafah",)):
        quick = ArticleFilter(keywords=keys, unread_only=True)
        slow = ArticleFilter(keywords=keys, unread_only=True, since="0000")
        assert unread_base(fresh_store.db, select(fresh_store.db, quick)) is not None
        assert fresh_store.articles.date_groups(quick) == fresh_store.articles.date_groups(slow)
        assert fresh_store.articles.count(quick) == fresh_store.articles.count(slow)
        assert fresh_store.keywords.top(3, quick) == fresh_store.keywords.top(3, slow)
        assert fresh_store.keywords.top(10, quick) == fresh_store.keywords.top(10, slow)


def test_upgrading_an_older_database_says_so_and_fills_the_counts(tmp_path: Path) -> None:
    from sqlite_utils import Database

    from briefing.store.schema import migrations

    path = tmp_path / "old.db"
    db = Database(path)
    migrations.apply(db, stop_before="m002_precomputed_counts")
    db.execute(
        "INSERT INTO articles (path, content_hash, title, date, body, word_count, ingested_at) "
        "VALUES ('/a', 'h', 'T', '2024-01-01', 'b', 1, 'now')"
    )
    db.conn.commit()
    db.close()
    notices: list[str] = []
    with Store.open(path, notice=notices.append) as store:
        assert store.articles.date_groups() == [("2024-01-01", 1)]
    assert len(notices) == 1 and "Upgrading" in notices[0]
    with Store.open(path, notice=notices.append):
        pass
    assert len(notices) == 1  # once only


@pytest.mark.parametrize(
    "article_filter",
    [ArticleFilter(unread_only=True), ArticleFilter(starred_only=True), ArticleFilter()],
    ids=["unread", "starred", "all"],
)
def test_next_after_walks_newest_first_order_both_ways(
    fresh_store: Store, add_article: Callable[..., int], article_filter: ArticleFilter
) -> None:
    dates = ["2026-11-03", "2026-11-02", "2026-11-02", None, "2026-11-01", None, "2026-11-04"]
    ids = [add_article(fresh_store, date, ["walk"]) for date in dates]
    for number, article_id in enumerate(ids):
        if number % 2:
            fresh_store.marks.set_read(article_id)
        if number % 3 == 0:
            fresh_store.marks.set_starred(article_id)
    everything = [a.id for a in fresh_store.articles.newest_first(limit=100)]
    chosen = [a.id for a in fresh_store.articles.newest_first(article_filter, limit=100)]
    for position, article_id in enumerate(everything):
        older = [i for i in everything[position + 1 :] if i in chosen]
        newer = [i for i in everything[:position] if i in chosen]
        found = fresh_store.articles.next_after(article_id, article_filter)
        assert (found.id if found else None) == (older[0] if older else None)
        found = fresh_store.articles.next_after(article_id, article_filter, older=False)
        assert (found.id if found else None) == (newer[-1] if newer else None)
    assert fresh_store.articles.next_after(10_000, article_filter) is None
