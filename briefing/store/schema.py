"""The database schema, built and changed only through sqlite-utils ``Migrations``.

Each migration runs in a transaction with the record that it ran, so a
database is always at one known version. A database written by a newer
briefing (one with migrations this version does not know) is refused rather
than guessed at.
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("briefing")


@migrations()
def m001_articles_keywords_state(db: Database) -> None:
    """Articles, keywords, their links, the reader's state and the full-text index."""
    db.table("articles").create(
        {
            "id": int,
            "path": str,  # absolute path of the file it came from
            "content_hash": str,  # sha256 of the file's bytes
            "file_size": int,
            "file_mtime_ns": int,
            "title": str,
            "date": str,  # ISO date, NULL when undated
            "source": str,
            "body": str,  # Markdown
            "tags": str,  # JSON list from front matter
            "format": str,  # reference, markdown or text
            "word_count": int,
            "ingested_at": str,
            "updated_at": str,
        },
        pk="id",
        not_null={"path", "content_hash", "title", "body", "word_count", "ingested_at"},
    )
    db.table("articles").create_index(["path"], unique=True)
    db.table("articles").create_index(["content_hash"])
    # Newest first: undated articles sort last, ties broken by id.
    db.execute("CREATE INDEX idx_articles_newest ON articles (date DESC, id DESC)")

    db.table("keywords").create(
        {"id": int, "key": str, "display": str, "article_count": int},
        pk="id",
        not_null={"key", "display", "article_count"},
        defaults={"article_count": 0},
    )
    db.table("keywords").create_index(["key"], unique=True)
    db.execute("CREATE INDEX idx_keywords_top ON keywords (article_count DESC, key)")

    # article_date is a copy of articles.date so "articles with keyword K,
    # newest first" is one walk down one index, with no sort.
    db.table("article_keywords").create(
        {
            "article_id": int,
            "keyword_id": int,
            "score": float,
            "rank": int,
            "article_date": str,
        },
        pk=("article_id", "keyword_id"),
        foreign_keys=[("article_id", "articles", "id"), ("keyword_id", "keywords", "id")],
        not_null={"score", "rank"},
    )
    db.execute(
        "CREATE INDEX idx_article_keywords_newest "
        "ON article_keywords (keyword_id, article_date DESC, article_id DESC)"
    )

    db.table("article_state").create(
        {"article_id": int, "read": int, "starred": int, "read_at": str, "starred_at": str},
        pk="article_id",
        foreign_keys=[("article_id", "articles", "id")],
        not_null={"read", "starred"},
        defaults={"read": 0, "starred": 0},
    )
    db.execute("CREATE INDEX idx_article_state_starred ON article_state (starred) WHERE starred")

    # Keyword article counts are kept by triggers, so "top keywords" never
    # has to count the links table.
    db.executescript(
        """
        CREATE TRIGGER article_keywords_count_ai AFTER INSERT ON article_keywords BEGIN
          UPDATE keywords SET article_count = article_count + 1 WHERE id = new.keyword_id;
        END;
        CREATE TRIGGER article_keywords_count_ad AFTER DELETE ON article_keywords BEGIN
          UPDATE keywords SET article_count = article_count - 1 WHERE id = old.keyword_id;
        END;
        CREATE TRIGGER articles_cascade_ad AFTER DELETE ON articles BEGIN
          DELETE FROM article_keywords WHERE article_id = old.id;
          DELETE FROM article_state WHERE article_id = old.id;
        END;
        """
    )
    db.table("articles").enable_fts(["title", "body"], create_triggers=True, tokenize="porter")

    db.table("meta").create({"key": str, "value": str}, pk="key")


@migrations()
def m002_precomputed_counts(db: Database) -> None:
    """Counts the reader needs at once, kept current by triggers instead of counted per query.

    * ``days``: articles per date, the list's headings with no filter;
    * ``keyword_days``: articles per date for each keyword, the headings of a keyword filter;
    * ``keyword_pairs``: for each keyword, how many of its articles have each other
      keyword, the sidebar's "top keywords" once a keyword is chosen.

    Undated articles count under the day ''. A count may fall to 0 and stay.
    """
    db.executescript(
        """
        CREATE TABLE days (day TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID;
        CREATE TABLE keyword_days (
          keyword_id INTEGER NOT NULL, day TEXT NOT NULL, n INTEGER NOT NULL,
          PRIMARY KEY (keyword_id, day)
        ) WITHOUT ROWID;
        CREATE TABLE keyword_pairs (
          keyword_id INTEGER NOT NULL, other_id INTEGER NOT NULL, n INTEGER NOT NULL,
          PRIMARY KEY (keyword_id, other_id)
        ) WITHOUT ROWID;

        INSERT INTO days SELECT coalesce(date, ''), count(*) FROM articles GROUP BY 1;
        INSERT INTO keyword_days
          SELECT keyword_id, coalesce(article_date, ''), count(*) FROM article_keywords
          GROUP BY 1, 2;
        INSERT INTO keyword_pairs
          SELECT one.keyword_id, two.keyword_id, count(*)
          FROM article_keywords one JOIN article_keywords two
            ON two.article_id = one.article_id AND two.keyword_id != one.keyword_id
          GROUP BY 1, 2;

        CREATE TRIGGER days_ai AFTER INSERT ON articles BEGIN
          INSERT INTO days VALUES (coalesce(new.date, ''), 1)
            ON CONFLICT(day) DO UPDATE SET n = n + 1;
        END;
        CREATE TRIGGER days_ad AFTER DELETE ON articles BEGIN
          UPDATE days SET n = n - 1 WHERE day = coalesce(old.date, '');
        END;
        CREATE TRIGGER days_au AFTER UPDATE OF date ON articles
        WHEN coalesce(old.date, '') != coalesce(new.date, '') BEGIN
          UPDATE days SET n = n - 1 WHERE day = coalesce(old.date, '');
          INSERT INTO days VALUES (coalesce(new.date, ''), 1)
            ON CONFLICT(day) DO UPDATE SET n = n + 1;
        END;

        CREATE TRIGGER keyword_counts_ai AFTER INSERT ON article_keywords BEGIN
          INSERT INTO keyword_days VALUES (new.keyword_id, coalesce(new.article_date, ''), 1)
            ON CONFLICT(keyword_id, day) DO UPDATE SET n = n + 1;
          INSERT INTO keyword_pairs (keyword_id, other_id, n)
            SELECT new.keyword_id, keyword_id, 1 FROM article_keywords
            WHERE article_id = new.article_id AND keyword_id != new.keyword_id
            ON CONFLICT(keyword_id, other_id) DO UPDATE SET n = n + 1;
          INSERT INTO keyword_pairs (keyword_id, other_id, n)
            SELECT keyword_id, new.keyword_id, 1 FROM article_keywords
            WHERE article_id = new.article_id AND keyword_id != new.keyword_id
            ON CONFLICT(keyword_id, other_id) DO UPDATE SET n = n + 1;
        END;
        CREATE TRIGGER keyword_counts_ad AFTER DELETE ON article_keywords BEGIN
          UPDATE keyword_days SET n = n - 1
            WHERE keyword_id = old.keyword_id AND day = coalesce(old.article_date, '');
          UPDATE keyword_pairs SET n = n - 1
            WHERE keyword_id = old.keyword_id AND other_id IN
              (SELECT keyword_id FROM article_keywords WHERE article_id = old.article_id);
          UPDATE keyword_pairs SET n = n - 1
            WHERE other_id = old.keyword_id AND keyword_id IN
              (SELECT keyword_id FROM article_keywords WHERE article_id = old.article_id);
        END;
        """
    )


@migrations()
def m003_stories_and_views(db: Database) -> None:
    """Stories (articles about one event, grouped at ingest) and saved views.

    * ``articles.story_id``: the story an article belongs to, NULL while it
      stands alone; ``stories`` holds each story's size and extent so the list
      can show a story collapsed to its newest article without counting;
    * ``views``: named sets of filters and a search, reopened from the sidebar.
      A reader who keeps their state in a database of their own (a shared
      store) has a ``views`` table there too, which shadows this one.
    """
    db.execute("ALTER TABLE articles ADD COLUMN story_id INTEGER")
    db.execute("CREATE INDEX idx_articles_story ON articles (story_id, date DESC, id DESC)")
    db.table("stories").create(
        {
            "id": int,
            "size": int,
            "newest_article_id": int,
            "first_date": str,
            "last_date": str,
            "updated_at": str,
        },
        pk="id",
        not_null={"size"},
        defaults={"size": 0},
    )
    db.table("views").create(
        {"name": str, "filters": str, "query": str, "created_at": str, "updated_at": str},
        pk="name",
        not_null={"filters", "created_at"},
    )


@migrations()
def m004_reindex_only_changed_text(db: Database) -> None:
    """Re-index an article's full text only when its title or body changes.

    The trigger sqlite-utils made fires on any update, so recording a file's
    new mtime or an article's story re-indexed its whole text (20 times the
    cost of the update itself, and the bulk of grouping stories at 100k).
    """
    # sqlite-utils' executescript runs inside the migration's transaction (no COMMIT).
    db.executescript(
        """
        DROP TRIGGER IF EXISTS articles_au;
        CREATE TRIGGER articles_au AFTER UPDATE OF title, body ON articles BEGIN
          INSERT INTO articles_fts (articles_fts, rowid, title, body)
            VALUES ('delete', old.rowid, old.title, old.body);
          INSERT INTO articles_fts (rowid, title, body) VALUES (new.rowid, new.title, new.body);
        END;
        """
    )


@migrations()
def m005_cjk_search(db: Database) -> None:
    """Search inside Chinese and Japanese text, which has no spaces between words.

    The main index (unicode61) takes a run of CJK characters between two punctuation
    marks for one word, so a search for a word inside it finds nothing. Articles whose
    text is mostly CJK (``articles.cjk``, set at ingest) are also indexed by trigrams
    in ``articles_cjk``, which finds any substring; it is searched only for a query with
    CJK characters in it, so the path of every other search is unchanged.
    """
    from briefing.scripts import mostly_cjk

    db.execute("ALTER TABLE articles ADD COLUMN cjk INTEGER NOT NULL DEFAULT 0")
    db.execute("CREATE VIRTUAL TABLE articles_cjk USING fts5(title, body, tokenize='trigram')")
    rows = db.execute("SELECT id, title, body FROM articles").fetchall()
    for article_id, title, body in rows:
        if mostly_cjk(f"{title}\n{body}"):
            db.execute("UPDATE articles SET cjk = 1 WHERE id = ?", [article_id])
    db.executescript(
        """
        INSERT INTO articles_cjk (rowid, title, body)
          SELECT id, title, body FROM articles WHERE cjk;
        CREATE TRIGGER articles_cjk_ai AFTER INSERT ON articles WHEN new.cjk BEGIN
          INSERT INTO articles_cjk (rowid, title, body) VALUES (new.id, new.title, new.body);
        END;
        CREATE TRIGGER articles_cjk_au AFTER UPDATE OF title, body, cjk ON articles BEGIN
          DELETE FROM articles_cjk WHERE rowid = old.id AND old.cjk;
          INSERT INTO articles_cjk (rowid, title, body)
            SELECT new.id, new.title, new.body WHERE new.cjk;
        END;
        CREATE TRIGGER articles_cjk_ad AFTER DELETE ON articles WHEN old.cjk BEGIN
          DELETE FROM articles_cjk WHERE rowid = old.id;
        END;
        """
    )


@migrations()
def m006_mask_feed_secrets(db: Database) -> None:
    """Mask the secrets (a password, a token in the query) in the addresses of feed entries
    stored before briefing masked them: every reader of a shared store sees the path.

    A masked path that another entry already has (the same feed stored under two keys)
    is made unique with the article's id, so no entry is lost.
    """
    from briefing.sanitize import redact_secrets

    rows = db.execute("SELECT id, path FROM articles WHERE path LIKE 'feed:%' ORDER BY id")
    taken = {row[0] for row in db.execute("SELECT path FROM articles")}
    for article_id, path in rows.fetchall():
        masked = redact_secrets(path)
        if masked == path:
            continue
        if masked in taken:
            masked = f"{masked}~{article_id}"
        db.execute("UPDATE articles SET path = ? WHERE id = ?", [masked, article_id])
        taken.discard(path)
        taken.add(masked)


def known_migration_names() -> set[str]:
    """Names of every migration this version of briefing knows."""
    return {m.name for m in migrations.pending(Database(memory=True))}
