"""``briefing stories`` and ``briefing related``: what belongs together, from the command line.

``stories`` lists the stories grouped at ingest (see :mod:`briefing.insight.stories`):
articles about one event from several sources and days. ``related`` lists the
articles closest to one article by the keywords they share (see
:mod:`briefing.insight.related`). Both print a table on a terminal, tab-separated lines
in a pipe and JSON with ``--json``; article text goes through
:mod:`briefing.sanitize` and reaches Rich only as :class:`rich.text.Text`.
"""

from __future__ import annotations

import click

from briefing.cli import output
from briefing.cli.options import (
    ARTICLE_ID,
    COUNT,
    DateOrAge,
    db_option,
    json_option,
    open_store,
)
from briefing.insight.related import related
from briefing.store import UnknownArticle


@click.command("stories")
@db_option
@click.option("--since", type=DateOrAge(), help="Only stories with an article on or after DATE.")
@click.option("--limit", "-n", type=COUNT, default=20, show_default=True)
@json_option
@click.pass_context
def stories_command(ctx: click.Context, since: str | None, limit: int, as_json: bool) -> None:
    """Stories: articles about one event from several sources and days, newest first.

    Each shows its number of articles, its dates, its newest article's title and
    the keywords its articles share; `--json` also gives its articles' ids.
    """
    store = open_store(ctx)
    stories = store.stories.newest_first(since, limit)
    if as_json:
        output.print_json([story.to_dict() for story in stories])
    else:
        output.print_stories(output.make_console(), stories, since)


@click.command("related")
@db_option
@click.argument("article_id", type=ARTICLE_ID)
@click.option("--limit", "-n", type=click.IntRange(min=1, max=100), default=5, show_default=True)
@json_option
@click.pass_context
def related_command(ctx: click.Context, article_id: int, limit: int, as_json: bool) -> None:
    """Articles related to ARTICLE_ID: those sharing its rarest and strongest keywords.

    Closest first, each with the keywords the two share, the most telling first.
    """
    store = open_store(ctx)
    try:
        found = related(store, article_id, limit)
    except UnknownArticle as error:
        # As `show` and `keywords --article` do: a usage error, exit 2.
        raise click.BadParameter(
            f"{error} (see `briefing list`)", param_hint="ARTICLE_ID"
        ) from error
    if as_json:
        output.print_json([item.to_dict() for item in found])
        return
    article = store.articles.get(article_id)
    title = article.title if article else ""
    output.print_related(output.make_console(), article_id, title, found)
