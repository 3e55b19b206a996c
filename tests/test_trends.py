"""Keyword trends, driven through ``briefing trends`` on articles whose keywords the test chose.

The corpus ends on 2026-01-30, long before the clock of any machine running
this, so every figure here is relative to the corpus's own newest date.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefing.cli import cli
from briefing.insight.trends import (
    SPARK_ASCII,
    SPARK_BLOCKS,
    keyword_series,
    new_keywords_since,
    rising_keywords,
    sparkline,
)
from briefing.store import Store

UNICODE_TERMINAL = {"TERM": "xterm-256color"}


def day(number: int) -> str:
    """2026-01-01 is day 1."""
    return (dt.date(2026, 1, 1) + dt.timedelta(days=number - 1)).isoformat()


@pytest.fixture
def corpus(tmp_path: Path, add_article: Callable[..., int]) -> Path:
    """30 days: "harbour" every day, "Marduna" 5 times in the last 3 days and once on
    day 10, "flash" once on the last day, and one article dated far in the future."""
    db = tmp_path / "trends.db"
    for number in range(1, 31):
        add_article(db, day(number), ["harbour", "weather"])
    add_article(db, day(10), ["Marduna", "talks"])
    for number in (28, 28, 29, 30, 30):
        add_article(db, day(number), ["Marduna"])
    add_article(db, day(30), ["flash"])
    add_article(db, "2099-05-01", ["typo year"])  # must not become "the newest day"
    return db


def run(runner: CliRunner, db: Path, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(
        cli, ["--db", str(db), *args], env=UNICODE_TERMINAL, catch_exceptions=False
    )
    return result.exit_code, result.stdout, result.stderr


def test_a_keyword_rising_in_the_last_days_ranks_above_a_steady_one(
    runner: CliRunner, corpus: Path
) -> None:
    code, out, _ = run(runner, corpus, "trends", "rising", "--days", "3", "--json")
    assert code == 0
    rising = json.loads(out)
    keys = [k["key"] for k in rising]
    assert keys[0] == "marduna"
    assert (rising[0]["recent"], rising[0]["before"]) == (5, 1)
    assert rising[0]["score"] > 3
    # Spread evenly, harbour is as frequent as ever: not rising at all.
    assert "harbour" not in keys and "weather" not in keys
    # A one-off is noise, not a trend: below the minimum count it is left out...
    assert "flash" not in keys


def test_one_off_keywords_score_below_a_real_rise_even_when_allowed(
    runner: CliRunner, corpus: Path
) -> None:
    code, out, _ = run(
        runner, corpus, "trends", "rising", "--days", "3", "--min-count", "1", "--json"
    )
    assert code == 0
    scores = {k["key"]: k["score"] for k in json.loads(out)}
    assert scores["flash"] < scores["marduna"]
    assert scores["flash"] == pytest.approx(2.0)


def test_rising_in_a_pipe_is_tab_separated_with_a_sparkline(
    runner: CliRunner, corpus: Path
) -> None:
    code, out, _ = run(runner, corpus, "trends", "rising", "--days", "3")
    assert code == 0
    score, recent, before, keyword, line = out.splitlines()[0].split("\t")
    assert (recent, before, keyword) == ("5", "1", "Marduna")
    assert float(score) > 3
    # The last 31 days asked of a 30-day corpus: one mark a day for its 30 days, nothing
    # for weeks, then the rise at the end.
    assert len(line) == 30 and line.endswith("█▄█") and set(line[:-3]) == {" ", "▄"}
    # Rising keywords are what `briefing trends` shows by default (over 7 days).
    default = run(runner, corpus, "trends")[1]
    assert "Marduna" in default and default == run(runner, corpus, "trends", "rising")[1]


def test_new_keywords_since_an_article(
    runner: CliRunner, corpus: Path, add_article: Callable[..., int]
) -> None:
    _, out, _ = run(runner, corpus, "list", "--json", "--limit", "1000")
    seen = max(a["id"] for a in json.loads(out))
    first = add_article(corpus, day(30), ["Teral", "harbour"])
    add_article(corpus, day(30), ["Teral", "Kessari"])
    code, out, _ = run(runner, corpus, "trends", "new", "--after", str(seen), "--json")
    assert code == 0
    new = json.loads(out)
    assert [(k["display"], k["article_count"]) for k in new] == [("Teral", 2), ("Kessari", 1)]
    assert new[0]["first_article_id"] == first
    # harbour is in a new article too, but it was there before.
    code, out, _ = run(runner, corpus, "trends", "new", "--after", str(seen))
    assert out.splitlines() == [f"2\t{first}\tTeral", f"1\t{first + 1}\tKessari"]
    # Seen up to the newest article: nothing is new.
    _, out, _ = run(runner, corpus, "trends", "new", "--after", str(first + 1), "--json")
    assert json.loads(out) == []


def test_keyword_series_has_the_right_shape(runner: CliRunner, corpus: Path) -> None:
    code, out, _ = run(runner, corpus, "trends", "keyword", "marduna", "--days", "30", "--json")
    assert code == 0
    series = json.loads(out)
    assert (series["start"], series["end"]) == (day(1), day(30))
    expected = [0] * 30
    expected[9], expected[27], expected[28], expected[29] = 1, 2, 1, 2
    assert series["counts"] == expected

    code, out, _ = run(runner, corpus, "trends", "keyword", "Marduna", "-d", "30", "-w", "30")
    heading, line = out.splitlines()
    assert heading == "Marduna: 6 articles from 2026-01-01 to 2026-01-30, peak 2 a day"
    assert line == " " * 9 + "▄" + " " * 17 + "█▄█"
    # Ten characters for thirty days: buckets of three days, each its mean.
    _, out, _ = run(runner, corpus, "trends", "keyword", "Marduna", "-d", "30", "-w", "10")
    assert out.splitlines()[1] == "   ▂     █"
    # The Linux console's font has no blocks: ASCII, automatically.
    result = runner.invoke(
        cli,
        ["--db", str(corpus), "trends", "keyword", "Marduna", "-d", "30", "-w", "30"],
        env={"TERM": "linux"},
    )
    assert result.stdout.splitlines()[1] == " " * 9 + "=" + " " * 17 + "@=@"


def test_unknown_keyword_is_a_usage_error(runner: CliRunner, corpus: Path) -> None:
    code, _, err = run(runner, corpus, "trends", "keyword", "atlantis")
    assert code == 2
    assert "no article has the keyword 'atlantis'" in err


def test_sparkline_marks_scale_from_an_empty_day_to_the_peak() -> None:
    assert sparkline([0, 1, 2, 4, 8]) == " ▁▂▄█"
    assert sparkline([0, 1, 2, 4, 8], ascii=True) == " .:=@"
    assert sparkline([]) == "" and sparkline([0, 0, 0]) == "   "
    # One article next to a hundred still shows.
    assert sparkline([1, 100]) == "▁█"
    assert len(sparkline(range(1000), width=40)) == 40
    assert sparkline(range(1000), width=8) == SPARK_BLOCKS[1:]
    assert sparkline(range(1000), width=8, ascii=True) == SPARK_ASCII[1:] == ".:-=+*#@"


def test_trend_functions_find_a_keyword_by_any_spelling(corpus: Path) -> None:
    """The reader and the CLI hand them the Store; a keyword is found however it is typed."""
    with Store.open(corpus) as store:
        marduna = store.keywords.find_id("MARDUNA")
        assert marduna is not None and marduna == store.keywords.find_id("marduna")
        series = keyword_series(store, marduna, 30)
        assert series is not None and series.total == 6
        assert rising_keywords(store, 3) != []
        assert new_keywords_since(store, 0) != []
        assert keyword_series(store, 10_000) is None


def test_a_keywords_days_never_start_before_the_oldest_article(
    runner: CliRunner, corpus: Path
) -> None:
    """Ninety days asked of a corpus of thirty: the line covers the thirty."""
    code, out, _ = run(runner, corpus, "trends", "keyword", "Marduna", "--json")
    assert code == 0
    series = json.loads(out)
    assert (series["start"], series["end"], len(series["counts"])) == (day(1), day(30), 30)
    _, out, _ = run(runner, corpus, "trends", "keyword", "Marduna", "-w", "30")
    assert out.splitlines()[0].startswith(f"Marduna: 6 articles from {day(1)} to {day(30)}")
