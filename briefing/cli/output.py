"""How the CLI prints: tab-separated lines in a pipe, Rich tables on a terminal, JSON on request.

Every command prints through here, so a terminal, a pipe and ``--json`` look
alike across commands. In a pipe nothing loads Rich (a tenth of the time of a
``briefing list`` in a script); on a terminal :mod:`briefing.cli.tables` draws.
(The digest's documents, Markdown, JSON and HTML, are :mod:`briefing.cli.digest_formats`.)

Article text is untrusted. Every field passes through :mod:`briefing.sanitize`
first, and reaches Rich only as :class:`rich.text.Text`, never as markup; the
console has markup, emoji and highlighting off, and Markdown is rendered
without OSC 8 hyperlinks.
"""

from __future__ import annotations

import codecs
import json
import os
import re
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import click

from briefing.insight.trends import SPARK_BLOCKS
from briefing.models import (
    MATCH_END,
    MATCH_START,
    Article,
    ArticleSummary,
    KeywordCount,
    KeywordSeries,
    NewKeyword,
    RelatedArticle,
    RisingKeyword,
    SearchHit,
    Story,
)
from briefing.sanitize import clean_line, clean_text

if TYPE_CHECKING:
    from rich.console import Console

    from briefing.ingest.files import IngestReport

SPARK_PIPE_WIDTH = 40  # characters of a rising keyword's line in a pipe
PIPE_WIDTH = 80


class Pipe:
    """Output that is not a terminal: lines of text, tab-separated, no Rich."""

    is_terminal = False
    width = PIPE_WIDTH


def make_console(stderr: bool = False) -> Pipe | Console:
    """A Rich console for a terminal (or where Rich is told to draw anyway), else a Pipe."""
    stream = sys.stderr if stderr else sys.stdout
    forced = any(os.environ.get(name) for name in ("FORCE_TERMINAL", "TTY_COMPATIBLE"))
    if not forced and not _is_terminal(stream):
        return Pipe()
    from briefing.cli import tables

    return tables.make_console(stderr)


def _is_terminal(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):  # closed, or not a file at all
        return False


# What json.dumps leaves raw with ensure_ascii=False but a terminal would act on:
# DEL, the C1 controls (U+009B is CSI, U+009D OSC) and the bidirectional overrides.
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def print_json(data: Any) -> None:
    """JSON as stored (the data is not cleaned), but with nothing a terminal would obey.

    json.dumps escapes C0 controls (ESC becomes \\u001b) but not C1 ones; those
    only occur inside strings, where a \\u escape means the same character.
    """
    text = json.dumps(data, ensure_ascii=False, indent=2)
    text = _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
    sys.stdout.write(text + "\n")


def flags(article: ArticleSummary) -> str:
    """'N' for unread and '*' for starred, as newsboat does."""
    return ("N" if not article.read else " ") + ("*" if article.starred else " ")


def print_articles(console: Pipe | Console, articles: Sequence[ArticleSummary]) -> None:
    if isinstance(console, Pipe):
        for a in articles:
            fields = [str(a.id), a.date or "undated", flags(a).strip(), clean_line(a.title)]
            sys.stdout.write("\t".join(fields) + "\n")
        return
    from briefing.cli import tables

    tables.articles(console, articles, flags)


def print_article(console: Pipe | Console, article: Article, markdown: bool) -> None:
    """The whole article: as Markdown text in a pipe, rendered on a terminal."""
    keywords = ", ".join(clean_line(k.display) for k in article.keywords)
    byline = " · ".join(
        part for part in (article.date or "undated", clean_line(article.source or "")) if part
    )
    if markdown or isinstance(console, Pipe):
        lines = [f"# {clean_line(article.title)}", "", f"*{byline}*", ""]
        if keywords:
            lines += [f"Keywords: {keywords}", ""]
        sys.stdout.write("\n".join(lines) + "\n" + clean_text(article.body).rstrip() + "\n")
        return
    from briefing.cli import tables

    tables.article(console, article, byline, keywords)


def snippet_pieces(snippet: str) -> list[str]:
    """A snippet cleaned and cut at its match markers: text, marker, text, ..."""
    pieces: list[str] = []
    current = ""
    for char in clean_snippet(snippet):
        if char in (MATCH_START, MATCH_END):
            pieces += [current, char]
            current = ""
        else:
            current += char
    return [*pieces, current]


def clean_snippet(snippet: str) -> str:
    """Sanitise a snippet but keep the two match markers (which are control characters)."""
    parts = snippet.split(MATCH_START)
    return MATCH_START.join(
        MATCH_END.join(_squeeze(p) for p in part.split(MATCH_END)) for part in parts
    ).strip()


def _squeeze(text: str) -> str:
    """Clean a piece of one line, keeping the spaces at its edges (unlike clean_line)."""
    return re.sub(r"\s+", " ", clean_text(text))


def print_hits(console: Pipe | Console, hits: Sequence[SearchHit]) -> None:
    if isinstance(console, Pipe):
        for hit in hits:
            a = hit.article
            snippet = clean_snippet(hit.snippet).replace(MATCH_START, "[").replace(MATCH_END, "]")
            fields = [str(a.id), a.date or "undated", clean_line(a.title), snippet]
            sys.stdout.write("\t".join(fields) + "\n")
        return
    from briefing.cli import tables

    tables.hits(console, hits, snippet_pieces)


def print_keywords(console: Pipe | Console, keywords: Sequence[KeywordCount]) -> None:
    if isinstance(console, Pipe):
        for k in keywords:
            sys.stdout.write(f"{k.article_count}\t{clean_line(k.display)}\n")
        return
    from briefing.cli import tables

    tables.keywords(console, keywords)


def print_article_keywords(console: Pipe | Console, article: Article) -> None:
    if isinstance(console, Pipe):
        for k in article.keywords:
            line = f"{k.rank}\t{k.score:.4f}\t{k.article_count}\t{clean_line(k.display)}\n"
            sys.stdout.write(line)
        return
    from briefing.cli import tables

    tables.article_keywords(console, article)


def print_stats(console: Pipe | Console, stats: dict[str, Any]) -> None:
    if isinstance(console, Pipe):
        for key, value in stats.items():
            sys.stdout.write(f"{key}\t{'-' if value is None else value}\n")
        return
    from briefing.cli import tables

    tables.stats(console, stats)


def print_report(report: IngestReport) -> None:
    """What an ingest did: a line per problem on stderr, then the counts."""
    for path, warning in report.warnings:
        click.echo(f"warning: {path}: {warning}", err=True)
    for path, reason in report.skipped:
        click.echo(f"skipped: {path}: {reason}", err=True)
    for path, first in report.duplicates:
        click.echo(f"duplicate: {path}: same content as {first}", err=True)
    click.echo(
        f"{report.added} added, {report.updated} updated, {report.unchanged} unchanged, "
        f"{len(report.duplicates)} duplicates, {len(report.skipped)} skipped"
    )


# -- stories and related articles ---------------------------------------------------------


def dates(first: str | None, last: str | None) -> str:
    """A story's extent: one date, or the first and last."""
    if first == last:
        return first or "undated"
    return f"{first or 'undated'} – {last or 'undated'}"


def print_stories(
    console: Pipe | Console, stories: Sequence[Story], since: str | None = None
) -> None:
    if isinstance(console, Pipe):
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
    from briefing.cli import tables

    tables.stories(console, stories, dates, since)


def print_related(
    console: Pipe | Console, article_id: int, title: str, found: Sequence[RelatedArticle]
) -> None:
    if isinstance(console, Pipe):
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
    from briefing.cli import tables

    tables.related(console, article_id, title, found)


# -- trends -------------------------------------------------------------------------------


def use_ascii(force: bool) -> bool:
    """ASCII sparklines on the Linux console (its font has no blocks) or a non-UTF-8 output."""
    if force or os.environ.get("TERM") == "linux":
        return True
    encoding = getattr(sys.stdout, "encoding", None) or "ascii"
    try:
        codecs.encode(SPARK_BLOCKS, encoding)
    except (UnicodeEncodeError, LookupError):
        return True
    return False


def sparkline_width(console: Pipe | Console, span: int) -> int:
    """On a terminal the line takes what the numbers and a keyword leave of its width."""
    if isinstance(console, Pipe):
        return SPARK_PIPE_WIDTH
    return max(8, min(span, console.width - 44))


def print_rising(
    console: Pipe | Console,
    rising: Sequence[RisingKeyword],
    lines: Sequence[str],
    days: int,
    span: int,
) -> None:
    if isinstance(console, Pipe):
        for k, line in zip(rising, lines, strict=True):
            fields = [f"{k.score:.2f}", str(k.recent), str(k.before), clean_line(k.display), line]
            sys.stdout.write("\t".join(fields) + "\n")
        return
    from briefing.cli import tables

    tables.rising(console, rising, lines, days, span)


def print_new_keywords(console: Pipe | Console, found: Sequence[NewKeyword], after: int) -> None:
    if isinstance(console, Pipe):
        for k in found:
            fields = [str(k.article_count), str(k.first_article_id), clean_line(k.display)]
            sys.stdout.write("\t".join(fields) + "\n")
        return
    from briefing.cli import tables

    tables.new_keywords(console, found, after)


def print_keyword_series(console: Pipe | Console, series: KeywordSeries, line: str) -> None:
    heading = (
        f"{clean_line(series.display)}: {series.total} articles from {series.start} "
        f"to {series.end}, peak {max(series.counts, default=0)} a day"
    )
    if isinstance(console, Pipe):
        sys.stdout.write(f"{heading}\n{line}\n")
        return
    from briefing.cli import tables

    tables.keyword_series(console, heading, line)
