"""A digest as Markdown, JSON or one self-contained HTML page.

Article text is untrusted even after :mod:`briefing.sanitize` has cleaned it:
a title may hold ``<script>``, ``[a link](javascript:...)`` or ``# a heading``.
In HTML every piece of it goes through :func:`html.escape`, and the page
carries a Content-Security-Policy that allows no script and no fetch at all,
so even a mistake here could not run code or call out. In Markdown the
characters that would make markup are backslash-escaped. The HTML has its CSS
inline and nothing else to load, so it can be mailed or copied off a server as
one file; it follows the reader's light or dark preference.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from typing import Any

from briefing import __version__
from briefing.models import Digest, DigestArticle, DigestGroup, KeywordCount

JSON_FORMAT_VERSION = 1

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~])")


def to_json(digest: Digest) -> str:
    """The digest as JSON; its shape is documented in ``briefing digest --help``."""
    data: dict[str, Any] = {
        "format": "briefing-digest",
        "version": JSON_FORMAT_VERSION,
        "by": digest.by,
        "since": digest.since,
        "until": digest.until,
        "keyword_filter": list(digest.keyword_filter),
        "article_count": digest.article_count,
        "keywords": [k.to_dict() for k in digest.keywords],
        "groups": [
            {
                "story_id": group.story_id,
                "title": group.title,
                "story_size": group.story_size,
                "keywords": [k.to_dict() for k in group.keywords],
                "articles": [
                    {
                        "id": a.id,
                        "title": a.title,
                        "date": a.date,
                        "source": a.source,
                        "ingested_at": a.ingested_at,
                        "excerpt": a.excerpt,
                        "keywords": list(a.keywords),
                    }
                    for a in group.articles
                ],
            }
            for group in digest.groups
        ],
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def describe_period(digest: Digest) -> str:
    """The period in words: "Briefings that arrived from ... to ..." or "dated ..."."""
    if digest.by == "date":
        return f"Briefings dated from {digest.since} to {digest.until}"
    return f"Briefings that arrived from {_when(digest.since)} to {_when(digest.until)}"


def describe_contents(digest: Digest) -> str:
    """ "12 briefings: 3 stories and 4 single articles", or that there are none."""
    count = digest.article_count
    if not count:
        return "No briefings in this period."
    stories = sum(1 for g in digest.groups if g.story_id is not None)
    singles = len(digest.groups) - stories
    if not stories:
        return f"{_plural(count, 'briefing')}."
    parts = [_plural(stories, "story", "stories")]
    if singles:
        parts.append(_plural(singles, "single article"))
    return f"{_plural(count, 'briefing')}: {' and '.join(parts)}."


def to_markdown(digest: Digest) -> str:
    """Plain Markdown, readable as it is in a terminal or a mail."""
    lines = ["# Briefing digest", "", describe_period(digest) + ".", ""]
    if digest.keyword_filter:
        lines += ["Keywords required: " + ", ".join(map(_md, digest.keyword_filter)) + ".", ""]
    lines += [describe_contents(digest), ""]
    if digest.keywords:
        lines += ["Top keywords: " + _md_keywords(digest.keywords) + ".", ""]
    for group in digest.groups:
        lines += ["", f"## {_md(group.title)}", ""]
        if group.story_id is not None:
            lines += [f"{_story_line(group)}. Keywords: {_md_keywords(group.keywords)}.", ""]
            for number, article in enumerate(group.articles):
                # The newest article's title is the story's heading already.
                lines += [f"### {_md(article.title)}", ""] if number else []
                lines += [_md(_byline(article)), ""]
                lines += [_md(article.excerpt), ""] if article.excerpt else []
        else:
            article = group.articles[0]
            lines += [_md(_byline(article)), ""]
            if article.keywords:
                lines += ["Keywords: " + ", ".join(map(_md, article.keywords)) + ".", ""]
            lines += [_md(article.excerpt), ""] if article.excerpt else []
    lines += ["", f"Made by briefing {__version__}; `briefing show ID` prints an article in full."]
    return "\n".join(lines).rstrip() + "\n"


def to_html(digest: Digest) -> str:
    """One HTML page: inline CSS, no script, nothing fetched, light and dark."""
    e = _escape
    body: list[str] = [
        "<header>",
        "<h1>Briefing digest</h1>",
        f'<p class="period">{e(describe_period(digest))}.</p>',
    ]
    if digest.keyword_filter:
        body.append(
            f'<p class="period">Keywords required: {e(", ".join(digest.keyword_filter))}.</p>'
        )
    body.append(f'<p class="summary">{e(describe_contents(digest))}</p>')
    if digest.keywords:
        body.append(_html_keywords(digest.keywords, "Top keywords"))
    body += ["</header>", "<main>"]
    for group in digest.groups:
        body.append(_html_group(group))
    body += [
        "</main>",
        f"<footer><p>Made by briefing {e(__version__)}. "
        "<code>briefing show ID</code> prints an article in full.</p></footer>",
    ]
    title = f"Briefing digest: {describe_period(digest)}"
    return _PAGE.format(title=e(title), css=_CSS, body="\n".join(body))


def _html_group(group: DigestGroup) -> str:
    e = _escape
    if group.story_id is None:
        article = group.articles[0]
        parts = [
            f'<section class="group single" id="article-{article.id}">',
            f"<h2>{e(article.title)}</h2>",
            f'<p class="meta">{e(_byline(article))}</p>',
        ]
        if article.keywords:
            parts.append(_html_keywords(article.keywords, "Keywords"))
        if article.excerpt:
            parts.append(f"<p>{e(article.excerpt)}</p>")
        return "\n".join([*parts, "</section>"])
    parts = [
        f'<section class="group story" id="story-{group.story_id}">',
        f'<p class="label">{e(_story_line(group))}</p>',
        f"<h2>{e(group.title)}</h2>",
    ]
    if group.keywords:
        parts.append(_html_keywords(group.keywords, "Keywords of the story"))
    for number, article in enumerate(group.articles):
        # The newest article's title is the story's heading already.
        heading = f"<h3>{e(article.title)}</h3>" if number else ""
        parts += [
            f'<article id="article-{article.id}">{heading}',
            f'<p class="meta">{e(_byline(article))}</p>',
        ]
        if article.excerpt:
            parts.append(f"<p>{e(article.excerpt)}</p>")
        parts.append("</article>")
    return "\n".join([*parts, "</section>"])


def _html_keywords(keywords: tuple[KeywordCount, ...] | tuple[str, ...], label: str) -> str:
    items = []
    for keyword in keywords:
        if isinstance(keyword, KeywordCount):
            count = f' <span class="n">{keyword.article_count}</span>'
            items.append(
                f"<li>{_escape(keyword.display)}{count if keyword.article_count > 1 else ''}</li>"
            )
        else:
            items.append(f"<li>{_escape(keyword)}</li>")
    return f'<ul class="keywords" aria-label="{_escape(label)}">{"".join(items)}</ul>'


def _escape(text: str) -> str:
    return html.escape(text, quote=True)


def _md(text: str) -> str:
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def _md_keywords(keywords: tuple[KeywordCount, ...]) -> str:
    return ", ".join(
        _md(k.display) + (f" ({k.article_count})" if k.article_count > 1 else "") for k in keywords
    )


def _story_line(group: DigestGroup) -> str:
    here = len(group.articles)
    if group.story_size > here:
        return f"Story: {here} of its {group.story_size} briefings"
    return f"Story: {_plural(here, 'briefing')}"


def _byline(article: DigestArticle) -> str:
    parts = [article.date or "undated", article.source or "", f"article {article.id}"]
    return " · ".join(part for part in parts if part)


def _when(stamp: str) -> str:
    """An ISO time of ingest as "2026-11-24 08:00 UTC"."""
    try:
        moment = dt.datetime.fromisoformat(stamp).astimezone(dt.UTC)
    except ValueError:
        return stamp
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def _plural(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one if count == 1 else many or one + 's'}"


_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta http-equiv="Content-Security-Policy" \
content="default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'">
<meta name="referrer" content="no-referrer">
<title>{title}</title>
<style>
{css}
</style>
</head>
<body>
{body}
</body>
</html>
"""

_CSS = """\
:root {
  color-scheme: light dark;
  --bg: #fbfbf9; --fg: #1c1e21; --muted: #5d6369; --rule: #dcdfe3;
  --accent: #1f5fa8; --chip: #e9eef4; --card: #ffffff;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #14161a; --fg: #e3e5e8; --muted: #9ba2aa; --rule: #2e3339;
    --accent: #7fb1ec; --chip: #242a31; --card: #1b1e23;
  }
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body {
  margin: 0; background: var(--bg); color: var(--fg);
  font: 17px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
    sans-serif;
}
header, main, footer { max-width: 46rem; margin: 0 auto; padding: 0 1rem; }
header { padding-top: 1.75rem; padding-bottom: .75rem; }
h1 { font-size: 1.7rem; line-height: 1.2; margin: 0 0 .4rem; }
h2 { font-size: 1.25rem; line-height: 1.3; margin: 0 0 .3rem; }
h3 { font-size: 1.05rem; line-height: 1.35; margin: 1.1rem 0 .15rem; }
h1, h2, h3, p, li { overflow-wrap: anywhere; }
p { margin: .25rem 0 .6rem; }
.period, .meta, .label, footer { color: var(--muted); font-size: .9rem; }
.summary { font-weight: 600; }
.label { text-transform: uppercase; letter-spacing: .04em; font-size: .75rem; margin: 0 0 .2rem;
  color: var(--accent); font-weight: 700; }
.group { background: var(--card); border: 1px solid var(--rule); border-radius: .6rem;
  padding: 1rem 1.1rem .6rem; margin: 0 0 1rem; }
.story { border-left: .3rem solid var(--accent); }
.story article + article { border-top: 1px solid var(--rule); margin-top: .8rem; }
.keywords { list-style: none; padding: 0; margin: .35rem 0 .6rem; display: flex; flex-wrap: wrap;
  gap: .35rem; }
.keywords li { background: var(--chip); border-radius: 1rem; padding: .05rem .65rem;
  font-size: .85rem; }
.keywords .n { color: var(--muted); margin-left: .2rem; }
footer { padding-top: .5rem; padding-bottom: 2rem; }
code { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: .85em; }
@media (max-width: 32rem) {
  body { font-size: 16px; }
  header, main, footer { padding: 0 .6rem; }
  header { padding-top: 1.1rem; }
  .group { padding: .8rem .8rem .4rem; }
}
"""
