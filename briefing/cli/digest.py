"""``briefing digest``: the briefings of a period, grouped by story, for cron, mail or a pipe.

briefing digest --since 24h --format html --output /var/www/news/today.html
ssh server briefing digest --since 7d -k opec | less
"""

from __future__ import annotations

from typing import Any

import click

from briefing.cli.digest_formats import describe_period, to_html, to_json, to_markdown
from briefing.cli.options import db_option, open_store, warn_unknown_keywords
from briefing.dates import Since, SinceError, parse_since

FORMATS = {"md": to_markdown, "json": to_json, "html": to_html}


class SinceType(click.ParamType[Since]):
    """An age back from now (24h, 7d, 2w) or an ISO date or date and time."""

    name = "AGE|DATE"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> Since:
        if isinstance(value, Since):
            return value
        try:
            return parse_since(str(value))
        except SinceError as error:
            self.fail(str(error), param, ctx)


@click.command("digest")
@db_option
@click.option(
    "--since",
    type=SinceType(),
    default="24h",
    show_default=True,
    help="Start of the period: an age (24h, 7d, 2w) or a date (2026-11-24, 2026-11-24T08:00).",
)
@click.option(
    "--by",
    type=click.Choice(["ingested", "date"]),
    default="ingested",
    show_default=True,
    help="ingested: articles that arrived in the period; date: articles dated in it.",
)
@click.option(
    "--keyword",
    "-k",
    "keywords",
    multiple=True,
    help="Only articles with this keyword; repeat to require several.",
)
@click.option(
    "--format",
    "-f",
    "output_format",
    type=click.Choice(sorted(FORMATS)),
    default="md",
    show_default=True,
    help="Markdown, JSON, or one self-contained HTML page.",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, allow_dash=True),
    default="-",
    help="Write to FILE (replaced whole, never half-written) instead of standard output.",
)
@click.pass_context
def digest_command(
    ctx: click.Context,
    since: Since,
    by: str,
    keywords: tuple[str, ...],
    output_format: str,
    output: str,
) -> None:
    """The briefings of a period, grouped by story, with their top keywords.

    For cron, mail or a pipe over SSH. An empty period still writes a valid
    (empty) document, says so on standard error, and exits 0.

    \b
    JSON (--format json), version 1; fields are only ever added:
      {"format": "briefing-digest", "version": 1,
       "by": "ingested" | "date",
       "since", "until": ISO date-time in UTC (by ingested) or ISO date,
       "keyword_filter": [keyword, ...],
       "article_count": int,
       "keywords": [{"key", "display", "article_count"}, ...],  top of the period
       "groups": [                        biggest first, then newest
         {"story_id": int | null,         null: an article outside any story
          "title": its newest article's title,
          "story_size": articles of the story in the whole store (1 if none),
          "keywords": [{"key", "display", "article_count"}, ...],
          "articles": [                   newest first
            {"id", "title", "date": ISO date | null, "source": str | null,
             "ingested_at": ISO date-time, "excerpt": the first paragraph as
             plain text, "keywords": [display, ...]}]}]}
    """
    store = open_store(ctx)
    # An argument that was not UTF-8 arrives with surrogates, which cannot be written out.
    keywords = tuple(k.encode("utf-8", "replace").decode("utf-8") for k in keywords)
    warn_unknown_keywords(store, keywords)
    from briefing.insight.digest import collect_digest  # markdown-it, for the excerpts

    digest = collect_digest(store, since, "date" if by == "date" else "ingested", keywords)
    text = FORMATS[output_format](digest)
    try:
        with click.open_file(output, "w", encoding="utf-8", atomic=output != "-") as stream:
            stream.write(text)
    except OSError as error:
        raise click.FileError(output, error.strerror or str(error)) from error
    if not digest.article_count:
        click.echo(f"{describe_period(digest)}: none; the digest is empty.", err=True)
