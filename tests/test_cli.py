"""The command line, driven through click's CliRunner as a script or a person would."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from rich.console import Console

from briefing.cli import cli
from briefing.paths import default_db_path


def run(runner: CliRunner, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_first_run_creates_default_database_with_samples(runner: CliRunner) -> None:
    assert not default_db_path().exists()
    code, out, err = run(runner)
    assert code == 0
    assert "First run" in err and "sample briefings" in err
    assert default_db_path().exists()
    lines = out.strip().splitlines()
    assert len(lines) >= 30
    assert lines[0].split("\t")[1] == "2026-11-24"  # newest first
    # Second run: no seeding line.
    code, _, err = run(runner, "list")
    assert code == 0 and "First run" not in err


def test_db_option_and_env_var_choose_the_database(
    runner: CliRunner, tmp_path: Path, ceasefire_briefing: Path
) -> None:
    db = tmp_path / "mine.db"
    code, out, _ = run(runner, "ingest", "--db", str(db), str(ceasefire_briefing))
    assert code == 0 and "1 added" in out
    assert db.exists() and not default_db_path().exists()
    code, out, _ = run(runner, "--db", str(db), "list")
    assert out.count("\n") == 1
    result = runner.invoke(cli, ["list"], env={"BRIEFING_DB": str(db)})
    assert result.stdout == out


def test_ingest_summary_and_exit_codes(
    runner: CliRunner, tmp_path: Path, write: Callable[[Path, str | bytes], Path]
) -> None:
    folder = tmp_path / "in"
    write(folder / "good.txt", "date 2025-01-01 Grain exports rose in the Black Sea region.")
    db = str(tmp_path / "b.db")
    code, out, err = run(runner, "ingest", "--db", db, str(folder))
    assert (code, out.strip()) == (0, "1 added, 0 updated, 0 unchanged, 0 duplicates, 0 skipped")
    write(folder / "bad.txt", b"\x00\x00")
    write(folder / "undated.txt", "Just some text without a header, about grain.")
    code, out, err = run(runner, "ingest", "--db", db, str(folder))
    assert code == 1
    assert "1 added, 0 updated, 1 unchanged, 0 duplicates, 1 skipped" in out
    assert re.search(r"skipped: .*bad\.txt: binary file \(contains NUL bytes\)", err)
    assert re.search(r"warning: .*undated\.txt: no 'date YYYY-MM-DD' header", err)


def test_ingest_json_report(runner: CliRunner, tmp_path: Path, ceasefire_briefing: Path) -> None:
    db = str(tmp_path / "b.db")
    code, out, _ = run(runner, "ingest", "--db", db, "--json", str(ceasefire_briefing))
    assert code == 0
    assert json.loads(out)["added"] == 1


def test_usage_errors_exit_2(runner: CliRunner, sample_db: Path) -> None:
    assert run(runner, "ingest")[0] == 2
    assert run(runner, "--db", str(sample_db), "list", "--since", "yesterdayish")[0] == 2
    code, _, err = run(runner, "--db", str(sample_db), "show", "99999")
    assert code == 2 and "no article with id 99999" in err


def test_list_filters(runner: CliRunner, sample_db: Path) -> None:
    db = ["--db", str(sample_db)]
    _, out, _ = run(runner, *db, "list", "--json", "--keyword", "U.S.")
    us = json.loads(out)
    _, out, _ = run(runner, *db, "list", "--json", "-k", "us", "-k", "White House")
    both = json.loads(out)
    assert len(us) > len(both) > 0
    assert {a["id"] for a in both} <= {a["id"] for a in us}
    dates = [a["date"] for a in us]
    assert dates == sorted(dates, reverse=True)
    _, out, _ = run(runner, *db, "list", "--json", "--since", "2026-11-01", "--until", "2026-11-10")
    assert all("2026-11-01" <= a["date"] <= "2026-11-10" for a in json.loads(out))
    _, out, _ = run(runner, *db, "list", "--json", "--limit", "3")
    assert len(json.loads(out)) == 3


def test_keyword_filter_matches_keywords_command(runner: CliRunner, sample_db: Path) -> None:
    db = ["--db", str(sample_db)]
    _, out, _ = run(runner, *db, "keywords", "--json", "-n", "5")
    top = json.loads(out)
    assert top[0]["article_count"] >= top[-1]["article_count"] > 1
    for keyword in top:
        _, out, _ = run(runner, *db, "list", "--json", "-n", "500", "-k", keyword["display"])
        assert len(json.loads(out)) == keyword["article_count"]


def test_unknown_keyword_says_so(runner: CliRunner, sample_db: Path) -> None:
    code, out, err = run(runner, "--db", str(sample_db), "list", "-k", "zebra crossing")
    assert code == 0 and out == ""
    assert "No article has the keyword 'zebra crossing'" in err


def test_show_prints_markdown_in_a_pipe(runner: CliRunner, sample_db: Path) -> None:
    db = ["--db", str(sample_db)]
    _, out, _ = run(runner, *db, "list", "--json", "-n", "1")
    article_id = json.loads(out)[0]["id"]
    code, out, _ = run(runner, *db, "show", str(article_id))
    assert code == 0
    assert out.startswith("# ") and "Keywords: " in out and "\n## " in out


def test_search_finds_best_match_first_with_snippets(runner: CliRunner, sample_db: Path) -> None:
    db = ["--db", str(sample_db)]
    code, out, _ = run(runner, *db, "search", "--json", "OPEC")
    hits = json.loads(out)
    assert code == 0 and hits
    assert "OPEC" in hits[0]["title"]
    assert all("opec" in (h["title"] + h["snippet"]).lower() for h in hits)
    _, out, _ = run(runner, *db, "search", "OPEC")
    assert "[OPEC]" in out  # matches marked in plain output


def test_search_combines_with_filters(runner: CliRunner, sample_db: Path) -> None:
    db = ["--db", str(sample_db)]
    _, out, _ = run(runner, *db, "search", "--json", "oil", "--since", "2026-11-01")
    assert all(h["date"] >= "2026-11-01" for h in json.loads(out))


def test_malformed_search_is_a_clear_usage_error(runner: CliRunner, sample_db: Path) -> None:
    for query in ['"unbalanced', "NEAR(", "AND", "title:", "*"]:
        code, out, err = run(runner, "--db", str(sample_db), "search", query)
        assert code == 2, query
        assert "bad search query" in err or "empty search query" in err
        assert "Traceback" not in out + err


def test_article_keywords_and_mark(runner: CliRunner, sample_db: Path) -> None:
    db = ["--db", str(sample_db)]
    _, out, _ = run(runner, *db, "keywords", "--json", "--article", "1")
    ranks = [k["rank"] for k in json.loads(out)]
    assert ranks == list(range(1, len(ranks) + 1)) and ranks
    assert run(runner, *db, "mark", "1", "2", "--read", "--star")[0] == 0
    _, out, _ = run(runner, *db, "list", "--json", "--starred")
    assert {a["id"] for a in json.loads(out)} == {1, 2}
    _, out, _ = run(runner, *db, "list", "--json", "--unread", "-n", "500")
    assert {1, 2}.isdisjoint(a["id"] for a in json.loads(out))
    assert run(runner, *db, "mark", "1")[0] == 2


def test_stats(runner: CliRunner, sample_db: Path) -> None:
    _, out, _ = run(runner, "--db", str(sample_db), "stats", "--json")
    stats = json.loads(out)
    assert stats["articles"] >= 30 and stats["undated"] == 0
    assert stats["oldest"] < stats["newest"] and stats["keywords"] > 50


def test_every_command_is_documented_in_the_readme(repo: Path) -> None:
    readme = (repo / "README.md").read_text()
    for name in cli.commands:
        assert f"briefing {name}" in readme, f"`briefing {name}` is not in the README"


def test_terminal_output_keeps_dates_whole_and_spaces_around_matches(
    sample_db: Path, monkeypatch: pytest.MonkeyPatch, record_terminals: Callable[[], list[Console]]
) -> None:
    recorded = record_terminals()
    run(CliRunner(), "--db", str(sample_db), "list", "-n", "5")
    run(CliRunner(), "--db", str(sample_db), "search", "Hormuz", "-n", "3")
    listing = recorded[0].export_text()
    assert re.search(r"\b2026-11-24\b", listing)
    assert "…" in listing  # long titles are cut to fit 80 columns
    assert all(len(line) <= 80 for line in listing.splitlines())
    hits = recorded[1].export_text()
    assert "Strait of Hormuz" in hits


def test_more_malformed_queries_and_bad_numbers_exit_2(
    runner: CliRunner, sample_db: Path, ceasefire_briefing: Path
) -> None:
    db = ["--db", str(sample_db)]
    for args in (
        ["search", "NEAR(fed rates, x)"],
        ["search", "\udcff"],
        ["show", "99999999999999999999"],
        ["keywords", "--article", "99999999999999999999"],
        ["mark", "99999999999999999999", "--read"],
        ["list", "--since", "1000000d"],
        ["list", "--since", "99999999999w"],
        ["ingest", "--lang", "zz", str(ceasefire_briefing)],
    ):
        result = runner.invoke(cli, [*db, *args])
        assert result.exit_code == 2, (args, result.output)
        assert result.exception is None or isinstance(result.exception, SystemExit), args


def test_show_in_a_pipe_separates_header_and_body(runner: CliRunner, sample_db: Path) -> None:
    _, out, _ = run(runner, "--db", str(sample_db), "show", "1")
    header, body = out.split("\n\n", 1)[0], out.split("\n\n")
    assert header.startswith("# ")
    assert any(part.startswith("Keywords: ") for part in body)
    keywords_part = next(part for part in body if part.startswith("Keywords: "))
    assert "\n" not in keywords_part


def test_interrupted_first_run_finishes_next_time(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    from briefing.ingest import files

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    real_ingest = files.ingest
    monkeypatch.setattr(files, "ingest", interrupted)
    assert runner.invoke(cli, ["stats"]).exit_code != 0
    monkeypatch.setattr(files, "ingest", real_ingest)
    code, out, err = run(runner, "stats", "--json")
    assert code == 0
    assert "First run" in err and json.loads(out)["articles"] >= 30


def test_first_command_ingest_keeps_samples_out(
    runner: CliRunner, ceasefire_briefing: Path
) -> None:
    code, out, _ = run(runner, "ingest", str(ceasefire_briefing))
    assert code == 0 and "1 added" in out
    _, out, _ = run(runner, "stats", "--json")
    assert json.loads(out)["articles"] == 1
