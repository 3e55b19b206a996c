"""Stories: reports of one event from several sources and days, grouped at ingest.

Most tests ingest small briefing files through the CLI, as a person would; the
rules about time (the window, a story's span) and the one-pass grouping are
checked on stores built with hand-given keywords, where the outcome is exact.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from rich.console import Console

from benchmarks.bulk_stories import assign_all
from briefing.cli import cli
from briefing.insight.stories import MAX_STORY_DAYS
from briefing.store import Store

STRIKE_WIRE = """---
title: Dockworkers strike shuts the Port of Valdora
date: 2026-03-02
source: Harbour Wire
---
Dockworkers at the Port of Valdora walked off the job on Monday, halting container traffic
at the busiest harbour on the Ostrian coast. The Valdora Dockworkers Union said the strike
would continue until the port authority withdrew plans to automate three container terminals.

Ships began to queue outside the harbour within hours. Freight forwarders said cargo bound
for Ostria was being diverted to smaller ports, and shipping lines warned of delays of up to
two weeks. The port authority called the walkout illegal and said automation was needed to
keep Valdora competitive.
"""

STRIKE_DAILY = """---
title: Valdora port strike enters second day as ships queue
date: 2026-03-03
source: Ostrian Daily
---
The dockworkers strike at the Port of Valdora, the busiest harbour on the Ostrian coast,
entered its second day on Tuesday, with more than forty ships waiting outside the harbour.
Talks between the Valdora Dockworkers Union and the port authority broke down overnight over
the plan to automate three container terminals.

Shipping lines said cargo for Ostria would be diverted to smaller ports while the walkout
lasts. The Valdora Dockworkers Union said dockworkers would not return until the automation
plan was withdrawn, and the port authority repeated that the strike was illegal.
"""

RATE_RISE = """---
title: Nerland central bank raises interest rates
date: 2026-03-02
source: Finance Desk
---
The central bank of Nerland raised its main interest rate by half a point on Monday, its
third increase this year, as inflation in the country climbed to its highest level in a
decade. Governor Ilse Marten said further increases were possible if wage growth did not slow.

Economists had expected a smaller move. The Nerland krone rose against the euro after the
decision, and mortgage lenders said they would pass the higher rates on to borrowers.
"""

GLACIERS = """---
title: Glacier survey finds record melt in the Tarn range
date: 2026-03-03
source: Science Notes
---
Glaciers in the Tarn range lost more ice last summer than in any year since measurements
began, a survey published on Tuesday found. Researchers measured the thickness of forty
glaciers and found an average loss of two metres.

The survey team said warmer summers and less winter snow were behind the record melt, and
warned that several small glaciers could vanish within a decade.
"""

CHESS = """---
title: Teenager wins the Korvin chess open
date: 2026-03-03
source: Ostrian Daily
---
A sixteen-year-old from Lindau won the Korvin chess open on Tuesday, beating three
grandmasters on the way to the title. Mira Solberg clinched first place with a draw in the
final round and takes home the Korvin trophy.

Tournament organisers said a record number of players had entered this year's open.
"""


def run(runner: CliRunner, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def news(tmp_path: Path, write: Callable[[Path, str | bytes], Path]) -> Path:
    """Two sources' reports of a port strike on two days, and two unrelated
    articles of the same days."""
    folder = tmp_path / "news"
    write(folder / "strike-wire.md", STRIKE_WIRE)
    write(folder / "strike-daily.md", STRIKE_DAILY)
    write(folder / "rates.md", RATE_RISE)
    write(folder / "glaciers.md", GLACIERS)
    return folder


def ingest(runner: CliRunner, db: Path, *paths: Path) -> None:
    code, out, err = run(runner, "--db", str(db), "ingest", *map(str, paths))
    assert code == 0, err
    assert "skipped" in out


def stories_json(runner: CliRunner, db: Path, *args: str) -> list[dict[str, object]]:
    code, out, _ = run(runner, "--db", str(db), "stories", "--json", *args)
    assert code == 0
    result: list[dict[str, object]] = json.loads(out)
    return result


def ids_by_title(db: Path) -> dict[str, int]:
    with Store.open(db) as store:
        return {a.title: a.id for a in store.articles.newest_first(limit=100)}


def test_one_event_from_two_sources_is_one_story_and_others_stay_out(
    runner: CliRunner, tmp_path: Path, news: Path
) -> None:
    db = tmp_path / "b.db"
    ingest(runner, db, news)
    ids = ids_by_title(db)
    stories = stories_json(runner, db)
    assert len(stories) == 1
    story = stories[0]
    wire = ids["Dockworkers strike shuts the Port of Valdora"]
    daily = ids["Valdora port strike enters second day as ships queue"]
    assert story["size"] == 2
    assert sorted(story["article_ids"]) == sorted([wire, daily])  # type: ignore[arg-type]
    assert (story["first_date"], story["last_date"]) == ("2026-03-02", "2026-03-03")
    assert story["newest_article"]["id"] == daily  # type: ignore[index]
    assert "Valdora Dockworkers Union" in story["keywords"]  # type: ignore[operator]

    # What a person reads in a pipe: the story, its size, dates, newest title and keywords.
    code, out, _ = run(runner, "--db", str(db), "stories")
    assert code == 0
    fields = out.strip().split("\t")
    assert fields[1:6] == [
        "2",
        "2026-03-02",
        "2026-03-03",
        str(daily),
        "Valdora port strike enters second day as ships queue",
    ]
    assert "Valdora Dockworkers Union" in fields[6]


def test_stories_on_a_terminal(
    runner: CliRunner,
    tmp_path: Path,
    news: Path,
    monkeypatch: pytest.MonkeyPatch,
    record_terminals: Callable[[], list[Console]],
) -> None:
    db = tmp_path / "b.db"
    ingest(runner, db, news)
    recorded = record_terminals()
    assert run(runner, "--db", str(db), "stories")[0] == 0
    screen = recorded[-1].export_text()
    assert "2 articles  2026-03-02 – 2026-03-03  Valdora port strike enters second" in screen
    assert "Valdora Dockworkers Union" in screen
    assert all(len(line) <= 80 for line in screen.splitlines())

    run(runner, "--db", str(db), "stories", "--since", "2026-03-04")
    said = recorded[-1].export_text()  # after the last story: not "no two articles yet"
    assert "No story has an article on or after 2026-03-04." in said
    assert "no two articles on one event yet" not in said


def test_since_and_limit(runner: CliRunner, tmp_path: Path, news: Path) -> None:
    db = tmp_path / "b.db"
    ingest(runner, db, news)
    assert len(stories_json(runner, db, "--since", "2026-03-03")) == 1
    assert stories_json(runner, db, "--since", "2026-03-04") == []
    code, _, err = run(runner, "--db", str(db), "stories", "--since", "someday")
    assert code == 2 and "is not a date" in err
    code, _, err = run(runner, "--db", str(db), "stories", "--limit", "0")
    assert code == 2


def test_a_story_survives_re_ingest_of_a_changed_report(
    runner: CliRunner, tmp_path: Path, news: Path
) -> None:
    db = tmp_path / "b.db"
    ingest(runner, db, news)
    before = stories_json(runner, db)
    (news / "strike-daily.md").write_text(
        STRIKE_DAILY + "\nThe port authority said talks would resume on Wednesday.\n"
    )
    code, out, _ = run(runner, "--db", str(db), "ingest", str(news))
    assert code == 0 and "1 updated" in out
    after = stories_json(runner, db)
    assert [(s["id"], s["size"], sorted(s["article_ids"])) for s in after] == [  # type: ignore[arg-type]
        (s["id"], s["size"], sorted(s["article_ids"]))
        for s in before  # type: ignore[arg-type]
    ]


def test_a_report_rewritten_about_something_else_leaves_and_the_story_dissolves(
    runner: CliRunner, tmp_path: Path, news: Path
) -> None:
    db = tmp_path / "b.db"
    ingest(runner, db, news)
    assert len(stories_json(runner, db)) == 1
    (news / "strike-daily.md").write_text(CHESS)
    assert run(runner, "--db", str(db), "ingest", str(news))[0] == 0
    assert stories_json(runner, db) == []
    with Store.open(db) as store:
        assert store.db.execute("SELECT count(*) FROM stories").fetchone()[0] == 0
        assert store.db.execute("SELECT count(story_id) FROM articles").fetchone()[0] == 0


def test_a_third_report_joins_and_the_story_keeps_its_extent(
    runner: CliRunner, tmp_path: Path, news: Path, write: Callable[[Path, str | bytes], Path]
) -> None:
    db = tmp_path / "b.db"
    ingest(runner, db, news)
    third = STRIKE_WIRE.replace("date: 2026-03-02", "date: 2026-03-05").replace(
        "Harbour Wire", "Coastal Times"
    )
    write(news / "strike-times.md", third.replace("on Monday", "again on Thursday"))
    ingest(runner, db, news)
    [story] = stories_json(runner, db)
    assert story["size"] == 3
    assert (story["first_date"], story["last_date"]) == ("2026-03-02", "2026-03-05")
    # The newest report leaves (rewritten): the story shrinks back to its two days.
    (news / "strike-times.md").write_text(CHESS.replace("2026-03-03", "2026-03-05"))
    ingest(runner, db, news)
    [story] = stories_json(runner, db)
    assert story["size"] == 2
    assert (story["first_date"], story["last_date"]) == ("2026-03-02", "2026-03-03")


# -- exact rules, on hand-given keywords ----------------------------------------------------

EVENT = ["Valdora", "dockworkers union", "port authority", "container terminals", "Ostria"]


def groups(store: Store) -> set[frozenset[int]]:
    rows = store.db.execute("SELECT story_id, id FROM articles WHERE story_id IS NOT NULL")
    found: dict[int, set[int]] = {}
    for story, article in rows:
        found.setdefault(story, set()).add(article)
    return {frozenset(members) for members in found.values()}


def test_a_story_spans_at_most_a_week_and_the_next_reports_start_another(
    fresh_store: Store, add_article: Callable[..., int]
) -> None:
    days = [1, 3, 5, 7, 9, 11]
    ids = [add_article(fresh_store, f"2026-04-{d:02d}", EVENT) for d in days]
    # Unrelated articles on the same days, so that rarity means something.
    for d in days:
        add_article(fresh_store, f"2026-04-{d:02d}", [f"topic {d}", f"place {d}"])
    assert groups(fresh_store) == {frozenset(ids[:4]), frozenset(ids[4:])}
    for story in fresh_store.stories.newest_first():
        first, last = story.first_date or "", story.last_date or ""
        assert int(last[-2:]) - int(first[-2:]) <= MAX_STORY_DAYS
    # The one-pass grouping of the benchmarks' bulk stores gives the same stories.
    with fresh_store.transaction():
        assert assign_all(fresh_store.db) == 2
    assert groups(fresh_store) == {frozenset(ids[:4]), frozenset(ids[4:])}


def test_reports_further_apart_than_the_window_stay_apart(
    fresh_store: Store, add_article: Callable[..., int]
) -> None:
    add_article(fresh_store, "2026-04-01", EVENT)
    add_article(fresh_store, "2026-04-05", EVENT)
    add_article(fresh_store, None, EVENT)
    assert groups(fresh_store) == set()
    assert fresh_store.stories.newest_first() == []


def test_an_article_close_to_one_member_but_not_to_the_story_stays_out(
    fresh_store: Store, add_article: Callable[..., int]
) -> None:
    one = add_article(fresh_store, "2026-04-01", EVENT)
    two = add_article(fresh_store, "2026-04-02", EVENT)
    three = add_article(fresh_store, "2026-04-02", ["Lindau", "harbour fees", *EVENT[:3]])
    for day in range(1, 4):  # unrelated articles, so that rarity means something
        add_article(fresh_store, f"2026-04-0{day}", [f"topic {day}", f"place {day}"])
    # Close to the third report (its two best keywords), far from the story as a whole.
    drifting = add_article(
        fresh_store, "2026-04-03", ["Lindau", "harbour fees", "harvest", "rain", "grain"]
    )
    assert groups(fresh_store) == {frozenset({one, two, three})}
    # With the third report alone, it would have made a story with it.
    with fresh_store.transaction():
        fresh_store.db.execute("DELETE FROM articles WHERE id IN (?, ?)", [one, two])
        assign_all(fresh_store.db)
    assert groups(fresh_store) == {frozenset({three, drifting})}


def test_story_text_is_never_interpreted(
    runner: CliRunner,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    add_article: Callable[..., int],
    record_terminals: Callable[[], list[Console]],
) -> None:
    db = tmp_path / "b.db"
    with Store.open(db) as store:
        add_article(store, "2026-04-01", EVENT)
        second = add_article(store, "2026-04-02", EVENT)
        # A database written by something else: a title with escapes and markup.
        store.db.execute(
            "UPDATE articles SET title = ? WHERE id = ?",
            ["\x1b]52;c;ZXZpbA==\x07Strike [bold]spreads[/] \x1b[2J", second],
        )
    code, out, _ = run(runner, "--db", str(db), "stories")
    assert code == 0 and "\x1b" not in out
    assert "Strike [bold]spreads[/]" in out
    recorded = record_terminals()
    run(runner, "--db", str(db), "stories")
    screen = recorded[-1].export_text()
    assert "Strike [bold]spreads[/]" in screen and "52;" not in screen
