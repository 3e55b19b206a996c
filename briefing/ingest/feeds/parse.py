"""RSS and Atom feeds and OPML lists of them, read into briefing's articles.

feedparser reads the feed (every RSS and Atom version, recovering what it can
from broken XML); this module decides what an entry is to briefing:

* its text is the entry's content (else its summary), HTML turned into
  Markdown with scripts, styles, frames, forms and inline images dropped;
* its date is the day it was published (else updated), as the feed writes it,
  so an entry published at 23:30 in New York is dated that day, not the next;
* its title is the entry's title (else a headline made from its text), and
  its source the feed's title;
* its identity, stable from one fetch to the next, is the entry's id, else
  its link, else a hash of its title and text, so that a feed read again
  stores nothing twice and a changed entry updates its article.

Parsing is pure (bytes in, entries out); fetching is :mod:`briefing.ingest.feeds.fetch`'s job.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import hashlib
import html
import io
import json
import re
import time
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

import feedparser

from briefing.dates import too_far_ahead
from briefing.ingest.feeds.fetch import WEB_SCHEMES, Fetched
from briefing.ingest.feeds.html import html_to_markdown, plain_text, safe_address
from briefing.ingest.feeds.sources import SNIFF_BYTES
from briefing.ingest.parse import SOURCE_LIMIT, Rejected, cap_title, derive_title
from briefing.models import ParsedArticle
from briefing.sanitize import clean_line, redact_secrets

IDENTITY_LIMIT = 500  # longer ids (junk) are replaced by their hash

# The comments and doctypes before <opml>. The loop is possessive (*+): a comment ends at
# its first "-->" and is never re-read as part of a longer one, which made the plain loop
# take 2^k tries on k empty comments (280 bytes of "<!---->" never finished).
_OPML_START = re.compile(
    rb"\A(?:\xef\xbb\xbf)?\s*+(?:<\?xml[^>]*+>\s*+)?(?:<!--.*?-->\s*+|<!DOCTYPE[^>]*+>\s*+)*+<opml\b",
    re.DOTALL | re.IGNORECASE,
)
_DECLARATION = re.compile(rb"\A(?:\xef\xbb\xbf)?<\?xml")
_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
# Complaints about the HTTP headers, not the feed: the document itself parsed.
_BENIGN_BOZO = frozenset({"CharacterEncodingOverride", "NonXMLContentType"})


class FeedError(Exception):
    """A feed or OPML list that cannot be read; ``reason`` says why in one line."""

    def __init__(self, reason: str) -> None:
        reason = redact_secrets(clean_line(reason))[:300]  # it may quote the feed
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class FeedEntry:
    """One entry as the feed gives it, before conversion to an article."""

    identity: str
    title: str
    title_is_html: bool
    content: str
    content_is_html: bool
    link: str | None
    date: str | None  # ISO date
    date_problem: str | None = None  # why there is no date

    @property
    def content_hash(self) -> str:
        """Changes whenever anything stored from the entry would change."""
        fields = [self.title, self.title_is_html, self.content, self.content_is_html]
        fields += [self.link, self.date]
        encoded = json.dumps(["feed entry", *fields], ensure_ascii=False)
        return hashlib.sha256(encoded.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass
class Feed:
    """A parsed feed: its title (the source of its articles) and entries."""

    title: str
    entries: list[FeedEntry]
    warnings: list[str] = field(default_factory=list)


def is_opml(data: bytes) -> bool:
    return _OPML_START.match(data[:SNIFF_BYTES]) is not None


def opml_feed_addresses(fetched: Fetched) -> tuple[list[str], list[str]]:
    """The feed addresses an OPML list names (``xmlUrl`` of its outlines), in order,
    and those refused.

    Relative addresses are read against the list's own. A list on the web may
    name only web feeds: it must not make briefing read local files.
    """
    try:
        root = ElementTree.fromstring(fetched.data)
    except ElementTree.ParseError as error:
        raise FeedError(f"not a valid OPML list (XML error: {error})") from None
    addresses: list[str] = []
    refused: list[str] = []
    remote = urlsplit(fetched.url).scheme in WEB_SCHEMES
    for element in root.iter():
        if not isinstance(element.tag, str) or element.tag.rsplit("}", 1)[-1] != "outline":
            continue
        value = next((v for k, v in element.attrib.items() if k.lower() == "xmlurl"), "")
        if not value.strip():
            continue
        address = urljoin(fetched.url, value.strip())
        if remote and urlsplit(address).scheme.lower() not in WEB_SCHEMES:
            refused.append(address)
        elif address not in addresses:
            addresses.append(address)
    if not addresses and not refused:
        raise FeedError("OPML list names no feeds (no outline with an xmlUrl)")
    return addresses, refused


def parse_feed(fetched: Fetched) -> Feed:
    """The feed's title and entries. Raises :class:`FeedError` when nothing can be read.

    Broken XML that feedparser recovers entries from is a warning; broken XML
    with no entries, or a document that is no feed at all, is an error.
    """
    try:
        parsed = feedparser.parse(
            io.BytesIO(fetched.data),
            response_headers={
                "content-location": fetched.url,
                "content-type": fetched.content_type or "application/xml",
            },
            # feedparser's sanitiser drops an <iframe> or <form> but keeps what is
            # inside; html_to_markdown drops such elements whole, and keeps no HTML.
            sanitize_html=False,
        )
    except Exception as error:  # feedparser's innards may raise anything: name it
        raise FeedError(f"could not be parsed ({type(error).__name__}: {error})") from None
    entries: list[Any] = list(parsed.get("entries", []))
    problem = parsed.get("bozo_exception") if parsed.get("bozo") else None
    if problem is not None and type(problem).__name__ in _BENIGN_BOZO:
        problem = None
    warnings: list[str] = []
    # feedparser puts an XML declaration line before a document that has none.
    added_lines = 0 if _DECLARATION.match(fetched.data) else 1
    if problem is not None and not entries:
        raise FeedError(f"not a valid feed ({_describe(problem, added_lines)})")
    if not entries and not parsed.get("version"):
        raise FeedError("not an RSS or Atom feed")
    if problem is not None:
        warnings.append(
            f"the feed is not well-formed ({_describe(problem, added_lines)}); "
            f"stored what could be read ({len(entries)} "
            f"{'entry' if len(entries) == 1 else 'entries'})"
        )
    meta = parsed.get("feed", {})
    title = _text(meta.get("title", ""), meta.get("title_detail")) or _name_of(fetched.url)
    return Feed(title, [_entry(raw) for raw in entries], warnings)


def _entry(raw: Any) -> FeedEntry:
    title_detail = raw.get("title_detail") or {}
    content, content_type = _content(raw)
    link = raw.get("link") or ""
    link = link.strip() if urlsplit(link.strip()).scheme.lower() in WEB_SCHEMES else ""
    date, problem = _entry_date(raw)
    title = raw.get("title") or ""
    return FeedEntry(
        identity=_identity(raw, title, content),
        title=title,
        title_is_html=title_detail.get("type") in _HTML_TYPES,
        content=content,
        content_is_html=content_type in _HTML_TYPES or not content_type,
        link=link or None,
        date=date,
        date_problem=problem,
    )


def _content(raw: Any) -> tuple[str, str]:
    """The entry's fullest text with its type: HTML content first, then any, then the summary."""
    contents = [c for c in raw.get("content") or [] if (c.get("value") or "").strip()]
    html_contents = [c for c in contents if c.get("type") in _HTML_TYPES]
    for chosen in (*html_contents, *contents):
        return chosen.get("value") or "", chosen.get("type") or ""
    detail = raw.get("summary_detail") or {}
    return raw.get("summary") or "", detail.get("type") or ""


def _identity(raw: Any, title: str, content: str) -> str:
    identity = clean_line(raw.get("id") or "") or clean_line(raw.get("link") or "")
    if not identity or len(identity) > IDENTITY_LIMIT:
        seed = identity or json.dumps([title, content], ensure_ascii=False)
        identity = "sha256:" + hashlib.sha256(seed.encode("utf-8", "surrogatepass")).hexdigest()
    return identity


def _entry_date(raw: Any) -> tuple[str | None, str | None]:
    """(ISO date, None), or (None, why not): published first, then updated."""
    unreadable = None
    for key in ("published", "updated"):
        # dict.get: feedparser's own get maps a missing "updated" to "published", with a
        # DeprecationWarning.
        written = clean_line(str(dict.get(raw, key) or ""))
        if not written:
            continue
        date = _calendar_date(written, dict.get(raw, f"{key}_parsed"))
        if date and too_far_ahead(date):
            unreadable = unreadable or f"date {date} in the future"
            continue
        if date:
            return date, None
        unreadable = unreadable or f"unreadable date {written[:40]!r}"
    return None, unreadable or "no date"


def _calendar_date(written: str, parsed: time.struct_time | None) -> str | None:
    """The day as the feed writes it (its own time zone); else feedparser's UTC day."""
    try:
        return dt.datetime.fromisoformat(written).date().isoformat()
    except ValueError:
        pass
    rfc822 = email.utils.parsedate_tz(written)
    candidates = [rfc822[:3]] if rfc822 else []
    if parsed is not None:
        candidates.append((parsed.tm_year, parsed.tm_mon, parsed.tm_mday))
    for year, month, day in candidates:
        try:
            return dt.date(year, month, day).isoformat()
        except (ValueError, TypeError):
            continue
    return None


def _text(value: str, detail: Any) -> str:
    """A title as one clean line: HTML titles lose their markup."""
    if detail and detail.get("type") in _HTML_TYPES:
        return plain_text(value)
    return clean_line(value)


def _name_of(address: str) -> str:
    """A feed without a title is named by its host (never its ``user:password@``) or file."""
    parts = urlsplit(address)
    host = parts.netloc.rpartition("@")[2]
    return clean_line(host or parts.path.rsplit("/", 1)[-1]) or "feed"


def _describe(problem: Any, added_lines: int = 0) -> str:
    """A parse error in one line: what, then where (in the document as fetched)."""
    if hasattr(problem, "getLineNumber") and hasattr(problem, "getMessage"):
        line = max(1, problem.getLineNumber() - added_lines)
        where = f"line {line}, column {problem.getColumnNumber()}"
        return clean_line(f"{problem.getMessage()} at {where}")[:200]
    return clean_line(str(problem) or type(problem).__name__)[:200]


def entry_article(entry: FeedEntry, source: str) -> ParsedArticle:
    """The article an entry becomes. Raises :class:`Rejected` when it holds nothing to read."""
    content = entry.content if entry.content_is_html else _plain_to_html(entry.content)
    converted = html_to_markdown(content)
    title = _text(entry.title, {"type": "text/html"} if entry.title_is_html else None)
    first_text = (converted.paragraphs or converted.headings or [""])[0]
    if not title and not first_text:
        raise Rejected("entry has no title and no text")
    title = cap_title(title) if title else derive_title(first_text)
    body = converted.markdown
    if entry.link:
        body = f"{body}\n\n[Original article]({safe_address(entry.link)})".strip()
    warnings = [f"{entry.date_problem}; stored as undated"] if entry.date_problem else []
    return ParsedArticle(
        title=title,
        body=body,
        date=entry.date,
        source=cap_title(source, SOURCE_LIMIT) or None,
        format="feed",
        warnings=warnings,
        headings=converted.headings,
        paragraphs=converted.paragraphs,
    )


def _plain_to_html(text: str) -> str:
    """Plain-text content as HTML paragraphs, so one conversion handles both."""
    paragraphs = re.split(r"\n[ \t]*\n", text.replace("\r\n", "\n"))
    return "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs if p.strip())
