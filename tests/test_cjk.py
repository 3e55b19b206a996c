"""Chinese and Japanese: keywords from a segmenter, not sentences; search inside CJK runs."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path, PurePath

import pytest

from briefing.ingest.files import IngestOptions, ingest
from briefing.ingest.parse import keyword_text, parse_briefing
from briefing.insight.keywords import extract_keywords
from briefing.models import MATCH_END, MATCH_START, SearchHit
from briefing.scripts import cjk_language, mostly_cjk
from briefing.store import Store
from briefing.store.filters import select
from briefing.store.search import search_sql

JAPANESE = """日銀、政策金利を0.75%に引き上げ　物価高と円安に対応

日本銀行は19日の金融政策決定会合で、短期の政策金利を現在の0.5%から0.75%に引き上げることを\
賛成多数で決めた。利上げは今年1月以来で、政策金利は約30年ぶりの高い水準となる。食料品を中心とした\
物価高が続き、円安が輸入物価を押し上げていることに対応した。

日銀の森下和彦総裁は、会合後の記者会見で「賃金と物価がともに上がる好循環が強まっている」と述べた。\
G7各国の中央銀行も日銀の利上げを注視している。
"""

CHINESE = """国家疾控局：冬季呼吸道疾病进入高发期 流感为主

国家疾病预防控制局12日举行新闻发布会，介绍冬季呼吸道传染病防控情况。国家疾控局传染病防控司司长\
刘振华表示，当前我国已进入冬季呼吸道疾病高发期，流感病毒阳性率持续上升，以甲型H3N2亚型为主。\
COVID-19疫情总体平稳。刘振华说，流感疫苗供应充足，建议老年人和儿童尽早接种流感疫苗。
"""


def keywords(text: str, top: int = 10) -> list[str]:
    article = parse_briefing(text.encode(), PurePath("a.txt"))
    return [k.display for k in extract_keywords(keyword_text(article), top=top)]


def test_cjk_text_is_told_from_latin_text() -> None:
    assert cjk_language(JAPANESE) == "ja" and cjk_language(CHINESE) == "zh"
    assert not mostly_cjk("The Bank of Japan (日本銀行) raised its policy rate on Friday.")
    assert cjk_language("서울 시장이 발표했다") is None  # Korean has spaces: YAKE's


def test_japanese_keywords_are_words_not_sentences() -> None:
    found = keywords(JAPANESE)
    assert {"政策金利", "日銀", "円安"} <= set(found)
    for k in found:
        assert len(k) <= 12 and "、" not in k and "。" not in k and " " not in k, k


def test_chinese_keywords_are_words_not_sentences() -> None:
    found = keywords(CHINESE)
    assert {"流感", "刘振华"} <= set(found)
    for k in found:
        assert len(k) <= 12 and "，" not in k and "。" not in k, k


def test_names_in_latin_script_stay_whole_and_apart() -> None:
    assert "G7" in keywords(JAPANESE, top=30)
    assert "COVID-19" in keywords(CHINESE, top=30)
    assert not any("COVID-19" in k and k != "COVID-19" for k in keywords(CHINESE, top=30))


def test_a_name_is_not_glued_to_its_title() -> None:
    found = keywords(JAPANESE + "\n森下和彦総裁は会見で語った。森下和彦総裁は慎重だった。")
    assert not any(k.startswith("森下和彦") and k != "森下和彦" for k in found)


# -- search ----------------------------------------------------------------------------------


@pytest.fixture
def cjk_store(tmp_path: Path) -> Iterator[Store]:
    folder = tmp_path / "news"
    folder.mkdir()
    (folder / "ja.txt").write_text(JAPANESE, encoding="utf-8")
    (folder / "zh.txt").write_text(CHINESE, encoding="utf-8")
    (folder / "en.txt").write_text(
        "date 2026-01-02 The Bank of Japan raised its policy rate to 0.75%, Governor "
        "Kazuhiko Morishita said, as the yen weakened.",
        encoding="utf-8",
    )
    with Store.open(tmp_path / "b.db") as store:
        ingest(store, [folder], IngestOptions(jobs=1))
        yield store


def titles(hits: list[SearchHit]) -> list[str]:
    return [hit.article.title for hit in hits]


def test_a_word_inside_a_cjk_run_is_found(cjk_store: Store) -> None:
    # "政策金利" sits inside "短期の政策金利を現在の…", one token to the main index.
    assert titles(cjk_store.articles.search("政策金利")) == [
        "日銀、政策金利を0.75%に引き上げ 物価高と円安に対応"
    ]
    assert cjk_store.articles.search("政策金利", snippets=False)[0].snippet == ""
    # Two characters: too short for a trigram, matched among the CJK articles.
    assert len(cjk_store.articles.search("円安")) == 1
    assert len(cjk_store.articles.search("流感 疫苗")) == 1
    assert cjk_store.articles.search("流感 政策金利") == []
    hit = cjk_store.articles.search("好循環")[0]
    assert MATCH_START + "好循環" + MATCH_END in hit.snippet


def test_only_mostly_cjk_articles_are_in_the_trigram_index(cjk_store: Store) -> None:
    rows = cjk_store.db.execute("SELECT title FROM articles WHERE cjk ORDER BY id").fetchall()
    assert len(rows) == 2
    assert cjk_store.db.execute("SELECT count(*) FROM articles_cjk").fetchone()[0] == 2


def test_english_search_takes_the_same_path_as_before(cjk_store: Store) -> None:
    sql, _ = search_sql("policy rate", select(cjk_store.db, None), 20)
    assert "articles_cjk" not in sql
    assert titles(cjk_store.articles.search("policy rate"))[0].startswith("The Bank of Japan")


def test_an_older_store_gets_its_cjk_articles_indexed(tmp_path: Path) -> None:
    """A store made before the trigram index: the migration finds its CJK articles."""
    path = tmp_path / "b.db"
    with Store.open(path) as store:
        for name in ("ai", "au", "ad"):
            store.db.execute(f"DROP TRIGGER articles_cjk_{name}")
        store.db.execute("DROP TABLE articles_cjk")
        store.db.execute("ALTER TABLE articles DROP COLUMN cjk")
        store.db.execute("DELETE FROM _sqlite_migrations WHERE name = 'm005_cjk_search'")
        store.db.execute(
            "INSERT INTO articles (path, content_hash, title, body, word_count, ingested_at) "
            "VALUES ('/a.txt', 'x', '香港樓價連升五個月', '差餉物業估價署周四公布樓價指數', 1, '')"
        )
    with Store.open(path) as store:
        assert len(store.articles.search("估價署")) == 1
        assert len(store.articles.search("樓價")) == 1
