"""``briefing trends``: rising keywords, keywords new since an article, one keyword's days.

The same functions the reader's sidebar uses (:mod:`briefing.insight.trends`), for a
shell: ``briefing trends`` on a server shows what the news is turning to, and
``briefing trends new --after 41200`` what appeared since article 41200. In a
pipe, tab-separated lines; on a terminal, a table; ``--json`` for scripts.
"""

from __future__ import annotations

import click

from briefing.cli import output
from briefing.cli.options import (
    COUNT,
    MAX_ID,
    db_option,
    json_option,
    open_store,
)
from briefing.insight.trends import keyword_series, new_keywords_since, rising_keywords, sparkline

ascii_option = click.option(
    "--ascii",
    "force_ascii",
    is_flag=True,
    help="Draw sparklines with ASCII (automatic on the Linux console and without UTF-8).",
)


@click.group("trends", invoke_without_command=True)
@db_option
@json_option
@click.pass_context
def trends_command(ctx: click.Context, as_json: bool) -> None:
    """Keyword trends: rising keywords (the default), new ones, one keyword's days.

    Periods end at the newest date in the store, not today, so an archive of
    old briefings has trends too. `briefing trends --json` is `trends rising --json`.
    """
    if ctx.invoked_subcommand is None:
        ctx.invoke(rising_command, as_json=as_json)


@trends_command.command("rising")
@db_option
@click.option(
    "--days",
    "-d",
    type=click.IntRange(1, 3650),
    default=7,
    show_default=True,
    help="The recent period, in days.",
)
@click.option(
    "--baseline",
    type=click.IntRange(1, 36500),
    default=None,
    help="Days before it to compare with (default: four times --days, at least 28).",
)
@click.option(
    "--min-count",
    type=COUNT,
    default=3,
    show_default=True,
    help="Leave out keywords in fewer recent articles.",
)
@click.option("--limit", "-n", type=COUNT, default=20, show_default=True)
@ascii_option
@json_option
@click.pass_context
def rising_command(
    ctx: click.Context,
    days: int = 7,
    baseline: int | None = None,
    min_count: int = 3,
    limit: int = 20,
    force_ascii: bool = False,
    as_json: bool = False,
) -> None:
    """Keywords more frequent in the last days than before, most risen first.

    SCORE is the recent count over the count the earlier rate predicts (each
    plus one): 1 is steady, 3 three times as frequent. RECENT and BEFORE are
    the articles in the two periods; the line shows the last weeks by day.
    """
    store = open_store(ctx)
    rising = rising_keywords(store, days, limit, baseline_days=baseline, min_count=min_count)
    if as_json:
        output.print_json([k.to_dict() for k in rising])
        return
    span = days + (baseline or max(28, 4 * days))
    console = output.make_console()
    width = output.sparkline_width(console, span)
    ascii_marks = output.use_ascii(force_ascii)
    lines = []
    for k in rising:
        found = store.keywords.find_id(k.key)
        series = keyword_series(store, found, span) if found is not None else None
        lines.append(sparkline(series.counts, width, ascii=ascii_marks) if series else "")
    output.print_rising(console, rising, lines, days, span)


@trends_command.command("new")
@db_option
@click.option(
    "--after",
    type=click.IntRange(min=0, max=MAX_ID),
    required=True,
    metavar="ID",
    help="Articles ingested after this article id (e.g. the newest you had seen).",
)
@click.option("--limit", "-n", type=COUNT, default=50, show_default=True)
@json_option
@click.pass_context
def new_command(ctx: click.Context, after: int, limit: int, as_json: bool) -> None:
    """Keywords that first appeared in articles ingested after article ID, most articles first.

    Article ids grow with ingest order: remember the newest id you saw
    (`briefing list --json | jq '.[0].id'`), and this lists what is new since.
    """
    store = open_store(ctx)
    found = new_keywords_since(store, after, limit)
    if as_json:
        output.print_json([k.to_dict() for k in found])
        return
    output.print_new_keywords(output.make_console(), found, after)


@trends_command.command("keyword")
@db_option
@click.argument("keyword")
@click.option(
    "--days",
    "-d",
    type=click.IntRange(1, 3650),
    default=90,
    show_default=True,
    help="Days to show, ending at the newest date in the store.",
)
@click.option(
    "--width",
    "-w",
    type=click.IntRange(min=1, max=10_000),
    default=None,
    help="Characters for the line (default: the terminal's width, 80 in a pipe); "
    "days are merged to fit.",
)
@ascii_option
@json_option
@click.pass_context
def keyword_command(
    ctx: click.Context,
    keyword: str,
    days: int,
    width: int | None,
    force_ascii: bool,
    as_json: bool,
) -> None:
    """Articles per day with KEYWORD, as a sparkline (or per-day counts with --json)."""
    store = open_store(ctx)
    found = store.keywords.find_id(keyword)
    series = keyword_series(store, found, days) if found is not None else None
    if series is None:
        raise click.BadParameter(
            f"no article has the keyword {keyword!r} (see `briefing keywords`)",
            param_hint="KEYWORD",
        )
    if as_json:
        output.print_json(series.to_dict())
        return
    console = output.make_console()
    width = width or (console.width if console.is_terminal else 80)
    line = sparkline(series.counts, width, ascii=output.use_ascii(force_ascii))
    output.print_keyword_series(console, series, line)
