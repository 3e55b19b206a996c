"""Related briefings: the articles closest to one article, with the keywords they share."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from rich.console import Console

from briefing.cli import cli
from briefing.insight import related as related_module
from briefing.insight.related import related
from briefing.store import Store, UnknownArticle

COMMON = ["U.S.", "White House"]


def run(runner: CliRunner, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def build(store: Store, add_article: Callable[..., int]) -> dict[str, int]:
    """An article on the Kessari talks; three sharing its rare keywords; twenty
    sharing only its two common ones. Each is titled "Report <name> on the news"."""

    def report(name: str, date: str, keywords: list[str]) -> int:
        return add_article(store, date, keywords, title=f"Report {name} on the news")

    ids = {
        "target": report("target", "2026-05-10", ["Kessari", "Marduna", "Teral", *COMMON, "talks"]),
        "both rare": report("both-rare", "2026-05-01", ["Marduna", "Kessari", "aid"]),
        "rare and common": report("rare-common", "2026-05-02", ["Teral", "U.S.", "truce"]),
        "one rare": report("one-rare", "2026-05-03", ["famine", "Kessari"]),
    }
    for number in range(20):
        ids[f"common {number}"] = report(
            f"common{number}", f"2026-05-{number + 1:02d}", [*COMMON, f"topic {number}"]
        )
    ids["nothing shared"] = report("unrelated", "2026-05-11", ["glaciers", "Tarn range"])
    return ids


def test_rare_shared_keywords_rank_above_common_ones(
    fresh_store: Store, add_article: Callable[..., int]
) -> None:
    ids = build(fresh_store, add_article)
    found = related(fresh_store, ids["target"], limit=5)
    assert [r.article.id for r in found[:3]] == [
        ids["both rare"],
        ids["rare and common"],
        ids["one rare"],
    ]
    assert found[3].article.id in {ids[f"common {n}"] for n in range(20)}
    assert set(found[3].shared_keywords) == set(COMMON)
    # Shared keywords come best first: the rare one before the common one, and
    # Marduna (in two articles) before Kessari (in three).
    assert found[1].shared_keywords == ("Teral", "U.S.")
    assert found[0].shared_keywords == ("Marduna", "Kessari")
    assert [r.score for r in found] == sorted((r.score for r in found), reverse=True)
    assert ids["nothing shared"] not in {r.article.id for r in found}


def test_the_cap_on_common_keywords_never_hides_a_rare_match(
    fresh_store: Store, monkeypatch: pytest.MonkeyPatch, add_article: Callable[..., int]
) -> None:
    ids = build(fresh_store, add_article)
    monkeypatch.setattr(related_module, "POSTINGS_PER_KEYWORD", 3)
    found = related(fresh_store, ids["target"], limit=4)
    assert [r.article.id for r in found[:3]] == [
        ids["both rare"],
        ids["rare and common"],
        ids["one rare"],
    ]
    # The match found through its rare keyword still counts its common one.
    assert found[1].shared_keywords == ("Teral", "U.S.")


def test_no_keywords_in_common_and_unknown_articles(
    fresh_store: Store, add_article: Callable[..., int]
) -> None:
    ids = build(fresh_store, add_article)
    assert related(fresh_store, ids["nothing shared"]) == []
    with pytest.raises(UnknownArticle, match="no article with id 999"):
        related(fresh_store, 999)


def test_related_command_in_a_pipe_and_as_json(
    runner: CliRunner, tmp_path: Path, add_article: Callable[..., int]
) -> None:
    db = tmp_path / "b.db"
    with Store.open(db) as store:
        ids = build(store, add_article)
    code, out, _ = run(runner, "--db", str(db), "related", str(ids["target"]))
    assert code == 0
    lines = [line.split("\t") for line in out.strip().splitlines()]
    assert len(lines) == 5
    both_rare = [str(ids["both rare"]), "2026-05-01", "Report both-rare on the news"]
    assert lines[0] == [*both_rare, "Marduna, Kessari"]
    code, out, _ = run(runner, "--db", str(db), "related", str(ids["target"]), "-n", "2", "--json")
    data = json.loads(out)
    assert [d["id"] for d in data] == [ids["both rare"], ids["rare and common"]]
    assert data[1]["shared_keywords"] == ["Teral", "U.S."]
    assert data[0]["score"] > data[1]["score"] > 0


def test_related_command_on_a_terminal_and_with_nothing_related(
    runner: CliRunner,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    add_article: Callable[..., int],
    record_terminals: Callable[[], list[Console]],
) -> None:
    db = tmp_path / "b.db"
    with Store.open(db) as store:
        ids = build(store, add_article)
    recorded = record_terminals()
    assert run(runner, "--db", str(db), "related", str(ids["target"]))[0] == 0
    screen = recorded[-1].export_text().splitlines()
    assert screen[0].startswith(f"Related to {ids['target']} Report target on the news")
    assert screen[1].split() == [
        str(ids["both rare"]),
        "2026-05-01",
        *"Report both-rare on the news".split(),
    ]
    assert screen[2].strip() == "Marduna, Kessari"
    assert run(runner, "--db", str(db), "related", str(ids["nothing shared"]))[0] == 0
    assert "No related articles" in recorded[-1].export_text()


def test_unknown_or_bad_article_ids(runner: CliRunner, sample_db: Path) -> None:
    code, out, err = run(runner, "--db", str(sample_db), "related", "99999")
    assert (code, out) == (2, "")
    assert (
        "Error: Invalid value for ARTICLE_ID: no article with id 99999 (see `briefing list`)" in err
    )
    code, _, err = run(runner, "--db", str(sample_db), "related", "twelve")
    assert code == 2 and "'twelve' is not a valid integer" in err


def test_sample_briefings_find_their_follow_up(runner: CliRunner, sample_db: Path) -> None:
    """The OPEC cut of early October finds another source's report of it first, then the
    OPEC meeting of late November."""
    with Store.open(sample_db) as store:
        by_title = {a.title: a.id for a in store.articles.newest_first(limit=100)}
    cut = next(i for t, i in by_title.items() if t.startswith("Oil prices surged after OPEC"))
    code, out, _ = run(runner, "--db", str(sample_db), "related", str(cut), "--json")
    assert code == 0
    found = json.loads(out)
    assert found[0]["title"].startswith("Brent crude held near $84")  # the same event
    assert found[1]["date"] == "2026-11-24" and "OPEC" in found[1]["title"]
    assert all("OPEC" in item["shared_keywords"] for item in found[:2])
