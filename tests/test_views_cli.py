"""``briefing views``: save, list, show and delete saved views from the command line."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from briefing.cli import cli
from briefing.models import ArticleFilter
from briefing.store import Store


def run(db: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, [*args, "--db", str(db)])
    return result.exit_code, result.output


def test_save_list_show_and_delete(sample_db: Path) -> None:
    with Store.open(sample_db) as store:
        key = store.keywords.top(1, ArticleFilter())[0].key
        expected = [
            a.id for a in store.articles.newest_first(ArticleFilter(keywords=(key,)), limit=50)
        ]
    code, out = run(sample_db, "views", "save", "beat", "-k", key)
    assert code == 0 and f"Saved view 'beat': keyword {key}" in out
    code, out = run(
        sample_db, "views", "save", "oil news", "--search", "OPEC", "--since", "2020-01-01"
    )
    assert code == 0, out
    code, out = run(sample_db, "views")
    assert out.splitlines() == [f"beat\tkeyword {key}", "oil news\tsearch OPEC, since 2020-01-01"]
    code, out = run(sample_db, "views", "show", "beat", "--json")
    assert code == 0 and [a["id"] for a in json.loads(out)] == expected
    code, out = run(sample_db, "views", "show", "oil news", "--json")
    assert code == 0 and all("snippet" in hit for hit in json.loads(out))
    code, out = run(sample_db, "views", "delete", "beat")
    assert code == 0
    code, out = run(sample_db, "views", "--json")
    assert [v["name"] for v in json.loads(out)] == ["oil news"]


def test_bad_views_say_what_is_wrong(sample_db: Path) -> None:
    code, out = run(sample_db, "views", "save", "   ")
    assert code == 2 and "a view needs a name" in out
    code, out = run(sample_db, "views", "save", "x" * 61)
    assert code == 2 and "at most 60 characters" in out
    code, out = run(sample_db, "views", "save", "q", "--search", '"open')
    assert code == 2 and "bad search query" in out
    code, out = run(sample_db, "views", "show", "missing")
    assert code == 2 and "no saved view named 'missing'" in out
    code, out = run(sample_db, "views", "delete", "missing")
    assert code == 2 and "no saved view named 'missing'" in out
    code, out = run(sample_db, "views", "--json")
    assert json.loads(out) == []


def test_a_view_name_with_escapes_is_stored_clean(sample_db: Path) -> None:
    code, out = run(sample_db, "views", "save", "evil\x1b[31m red", "--unread")
    assert code == 0
    assert "\x1b" not in out
    code, out = run(sample_db, "views")
    assert "\x1b" not in out and "unread" in out


def test_arguments_that_are_not_utf8_are_refused_not_a_traceback(sample_db: Path) -> None:
    # A shell passes undecodable bytes to Python as surrogates.
    for args, words in (
        (["views", "save", "bad\udcff"], "valid UTF-8"),
        (["views", "save", "ok", "-k", "k\udcff"], "valid UTF-8"),
        (["views", "show", "bad\udcff"], "no saved view"),
        (["views", "delete", "bad\udcff"], "no saved view"),
    ):
        code, out = run(sample_db, *args)
        assert code == 2 and words in out and "Traceback" not in out, (args, out)
    code, out = run(sample_db, "trends", "keyword", "k\udcff")
    assert code == 2 and "no article has the keyword" in out
    code, out = run(sample_db, "digest", "-k", "k\udcff")
    assert code == 0 and "Traceback" not in out
