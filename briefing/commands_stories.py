"""``briefing stories`` and ``briefing related``: what belongs together, from the command line.

``stories`` lists the stories grouped at ingest (see :mod:`briefing.stories`):
articles about one event from several sources and days. ``related`` lists the
articles closest to one article by the keywords they share (see
:mod:`briefing.related`). Both print a table on a terminal, tab-separated lines
in a pipe and JSON with ``--json``; article text goes through
:mod:`briefing.sanitize` and reaches Rich only as :class:`rich.text.Text`.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

import click
from rich.console import Console
from rich.text import Text

from briefing import render
from briefing.cli import DateOrAge, db_option, json_option, open_store
from briefing.models import RelatedArticle, Story
from briefing.related import UnknownArticle, related
from briefing.sanitize import clean_line
from briefing.stories import list_stories

# As briefing.cli's ARTICLE_ID (SQLite integers are 64-bit); defined here because
# mypy cannot type a name taken from cli.py, which imports this module at its end.
ARTICLE_ID = click.IntRange(min=1, max=2**63 - 1)


@click.command("stories")
@db_option
@click.option("--since", type=DateOrAge(), help="Only stories with an article on or after DATE.")
@click.option("--limit", "-n", type=click.IntRange(min=1), default=20, show_default=True)
@json_option
@click.pass_context
def stories_command(ctx: click.Context, since: str | None, limit: int, as_json: bool) -> None:
    """Stories: articles about one event from several sources and days, newest first.

    Each shows its number of articles, its dates, its newest article's title and
    the keywords its articles share; `--json` also gives its articles' ids.
    """
    store = open_store(ctx)
    stories = list_stories(store.db, since, limit)
    if as_json:
        render.print_json([story.to_dict() for story in stories])
    else:
        print_stories(render.make_console(), stories)


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
        found = related(store.db, article_id, limit)
    except UnknownArticle as error:
        # As `show` and `keywords --article` do: a usage error, exit 2.
        raise click.BadParameter(
            f"{error} (see `briefing list`)", param_hint="ARTICLE_ID"
        ) from error
    if as_json:
        render.print_json([item.to_dict() for item in found])
        return
    article = store.article(article_id)
    title = article.title if article else ""
    print_related(render.make_console(), article_id, title, found)


def dates(first: str | None, last: str | None) -> str:
    """A story's extent: one date, or the first and last."""
    if first == last:
        return first or "undated"
    return f"{first or 'undated'} – {last or 'undated'}"


def print_stories(console: Console, stories: Sequence[Story]) -> None:
    if not console.is_terminal:
        for story in stories:
            fields = [
                str(story.id),
                str(story.size),
                story.first_date or "",
                story.last_date or "",
                str(story.newest.id),
                clean_line(story.newest.title),
                ", ".join(clean_line(k) for k in story.keywords),
            ]
            sys.stdout.write("\t".join(fields) + "\n")
        return
    if not stories:
        console.print("No stories: no two articles on one event yet.", style="dim")
        return
    for story in stories:
        heading = Text.assemble(
            (f"{story.id:>5} ", "dim"),
            (f"{story.size:>3} articles  ", ""),
            (f"{dates(story.first_date, story.last_date)}  ", ""),
            (clean_line(story.newest.title), "bold"),
        )
        _print_line(console, heading)
        _print_line(console, _keywords_line(story.keywords))


def print_related(
    console: Console, article_id: int, title: str, found: Sequence[RelatedArticle]
) -> None:
    if not console.is_terminal:
        for item in found:
            a = item.article
            fields = [
                str(a.id),
                a.date or "undated",
                clean_line(a.title),
                ", ".join(clean_line(k) for k in item.shared_keywords),
            ]
            sys.stdout.write("\t".join(fields) + "\n")
        return
    heading = Text.assemble(("Related to ", "dim"), (f"{article_id} ", "dim"))
    heading.append(clean_line(title), style="bold")
    _print_line(console, heading)
    if not found:
        console.print("No related articles: none shares a keyword with it.", style="dim")
        return
    for item in found:
        a = item.article
        line = Text.assemble(
            (f"{a.id:>5} ", "dim"), (f"{a.date or 'undated'}  ", ""), clean_line(a.title)
        )
        _print_line(console, line)
        _print_line(console, _keywords_line(item.shared_keywords))


def _keywords_line(keywords: Sequence[str]) -> Text:
    line = Text(" " * 6)
    line.append(", ".join(clean_line(k) for k in keywords), style="cyan")
    return line


def _print_line(console: Console, line: Text) -> None:
    """One line, cut to the terminal's width with an ellipsis."""
    line.truncate(console.width, overflow="ellipsis")
    console.print(line, no_wrap=True)
