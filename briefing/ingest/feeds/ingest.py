"""Ingest RSS and Atom feeds and OPML lists: fetch, skip the unchanged, store the rest.

``briefing ingest`` hands over the sources that are feeds (see
:func:`briefing.ingest.feeds.sources.split_sources`) and this module adds what it
did to the same report as the file ingest, so one summary line and one exit status cover both. Each
entry is stored under ``feed:<feed address>#<entry identity>`` with a hash of
what was stored from it: fetched again, an entry that did not change costs a
dictionary look-up, and a changed one updates its article in place, which
keeps its read and starred marks.

Secrets in addresses (``user:password@``, and parameters such as ``token`` or
``api_key``, see :func:`briefing.sanitize.redact_secrets`) are masked in that
path, so they never reach the store, and in every message. The masked address
is the feed's identity: the same feed with a new token is the same feed, and
two feeds that differ only by a secret are taken for one. Entries stored
before masking existed keep their path (with its secrets) until they are
migrated: each is still found under it, so nothing is stored twice.

One feed that fails (no answer in time, an HTTP error, too large, not a feed)
is reported in one line and skipped; the other sources are ingested all the
same. Entries are committed in batches, each in one transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace

from briefing.ingest.feeds.fetch import Fetched, FetchError, FetchOptions, fetch, read_local
from briefing.ingest.feeds.parse import (
    Feed,
    FeedEntry,
    FeedError,
    entry_article,
    is_opml,
    opml_feed_addresses,
    parse_feed,
)
from briefing.ingest.feeds.sources import FeedSource
from briefing.ingest.files import BATCH_SIZE, IngestReport, save_article
from briefing.ingest.parse import Rejected, keyword_text
from briefing.insight.keywords import KeywordError, extract_keywords
from briefing.models import Keyword, ParsedArticle
from briefing.sanitize import clean_line, redact_secrets
from briefing.store import Store

PATH_PREFIX = "feed:"


@dataclass(frozen=True)
class FeedOptions:
    language: str = "en"
    fetch: FetchOptions = field(default_factory=FetchOptions)


def ingest_feeds(
    store: Store,
    sources: Iterable[FeedSource],
    options: FeedOptions | None = None,
    report: IngestReport | None = None,
) -> IngestReport:
    """Fetch every feed (and every feed of every OPML list) and store its entries."""
    options = options or FeedOptions()
    report = report or IngestReport()
    stored = {
        path: record.content_hash
        for path, record in store.files.records().items()
        if path.startswith(PATH_PREFIX)
    }
    done: set[str] = set()  # addresses fetched already, a feed named twice is read once
    for source in sources:
        for feed_source, fetched in _feeds_of(source, options, report, done):
            try:
                # Links are made absolute against the address with its secrets masked.
                feed = parse_feed(replace(fetched, url=redact_secrets(fetched.url)))
            except FeedError as error:
                report.skipped.append((feed_source.name, error.reason))
                continue
            _FeedWriter(store, feed_source, stored, options, report).write(feed)
    return report


def _feeds_of(
    source: FeedSource, options: FeedOptions, report: IngestReport, done: set[str]
) -> Iterator[tuple[FeedSource, Fetched]]:
    """The source fetched, or, for an OPML list, each feed it names fetched in turn."""
    fetched = _fetch(source, options, report, done)
    if fetched is None:
        return
    if not is_opml(fetched.data):
        yield source, fetched
        return
    try:
        addresses, refused = opml_feed_addresses(fetched)
    except FeedError as error:
        report.skipped.append((source.name, error.reason))
        return
    if refused:
        report.warnings.append(
            (
                source.name,
                f"ignored {_counted(len(refused), 'feed', 'feeds')} not on the web "
                f"(such as {_shown(refused[0])})",
            )
        )
    for address in addresses:
        # A list from the internet cannot send briefing inside this machine's networks.
        listed = FeedSource(address, _shown(address), allow_internal=fetched.allow_internal)
        fetched_feed = _fetch(listed, options, report, done)
        if fetched_feed is not None:
            yield listed, fetched_feed


def _fetch(
    source: FeedSource, options: FeedOptions, report: IngestReport, done: set[str]
) -> Fetched | None:
    if source.address in done:
        return None
    done.add(source.address)
    try:
        if source.path is not None:
            return read_local(source.path, options.fetch)
        return fetch(source.address, options.fetch, allow_internal=source.allow_internal)
    except FetchError as error:
        report.skipped.append((source.name, str(error)))
        return None


@dataclass
class _Pending:
    path: str
    content_hash: str
    size: int
    entry: FeedEntry


class _FeedWriter:
    """Stores one feed's new and changed entries, and counts the rest."""

    def __init__(
        self,
        store: Store,
        source: FeedSource,
        stored: dict[str, str],
        options: FeedOptions,
        report: IngestReport,
    ) -> None:
        self.store = store
        self.source = source
        self.stored = stored  # path -> content hash, for every stored entry
        self.options = options
        self.report = report
        self.undated: list[FeedEntry] = []  # stored this time without a date

    def write(self, feed: Feed) -> None:
        self.report.warnings.extend((self.source.name, w) for w in feed.warnings)
        pending = list(self._new_or_changed(feed))
        for start in range(0, len(pending), BATCH_SIZE):
            self._save(feed, pending[start : start + BATCH_SIZE])
        self._warn_about_dates()

    def _new_or_changed(self, feed: Feed) -> Iterator[_Pending]:
        seen: dict[str, str] = {}  # content hash -> path, within this feed
        paths: set[str] = set()
        repeats = 0
        for entry in feed.entries:
            path = self._path(entry)
            if path in paths:
                repeats += 1
                continue
            paths.add(path)
            content_hash = entry.content_hash
            known = self.stored.get(path)
            if known == content_hash:
                self.report.unchanged += 1
                continue
            if known is None:  # a new entry: is it one stored already, from another feed?
                first = seen.get(content_hash) or self.store.files.path_for_hash(content_hash)
                if first:
                    self.report.duplicates.append((_shown(path), _shown(first)))
                    continue
            seen[content_hash] = path
            size = len(entry.content.encode("utf-8", "surrogatepass"))
            yield _Pending(path, content_hash, size, entry)
        if repeats:
            self.report.warnings.append(
                (
                    self.source.name,
                    f"{_counted(repeats, 'entry repeats', 'entries repeat')} an earlier "
                    "entry's id; ignored",
                )
            )

    def _path(self, entry: FeedEntry) -> str:
        """Where an entry is stored: its feed's and its own identity, secrets masked (a
        store's older paths were masked by the schema step m006)."""
        return (
            f"{PATH_PREFIX}{redact_secrets(self.source.address)}#{redact_secrets(entry.identity)}"
        )

    def _save(self, feed: Feed, batch: list[_Pending]) -> None:
        articles: list[tuple[_Pending, ParsedArticle, list[Keyword]]] = []
        for pending in batch:
            try:
                parsed = entry_article(pending.entry, feed.title)
            except Rejected as rejected:
                self.report.skipped.append((_shown(pending.path), rejected.reason))
                continue
            articles.append((pending, parsed, self._keywords(pending, parsed)))
        added = updated = 0
        with self.store.transaction():
            for pending, parsed, keywords in articles:
                _, created = save_article(
                    self.store,
                    path=pending.path,
                    content_hash=pending.content_hash,
                    size=pending.size,
                    mtime_ns=0,
                    parsed=parsed.for_storage(),
                    keywords=keywords,
                )
                added += created
                updated += not created
        # Counted only once the transaction has committed.
        self.report.added += added
        self.report.updated += updated
        for pending, _, _ in articles:
            self.stored[pending.path] = pending.content_hash
            if pending.entry.date is None:
                self.undated.append(pending.entry)

    def _keywords(self, pending: _Pending, parsed: ParsedArticle) -> list[Keyword]:
        try:
            return extract_keywords(keyword_text(parsed), self.options.language)
        except KeywordError as error:
            self.report.warnings.append((_shown(pending.path), f"no keywords: {error}"))
            return []

    def _warn_about_dates(self) -> None:
        """One line per feed, not one per entry: a feed without dates has hundreds."""
        undated = self.undated
        if not undated:
            return
        unreadable = [e.date_problem for e in undated if e.date_problem != "no date"]
        detail = f" (e.g. {unreadable[0]})" if unreadable else ""
        count = _counted(len(undated), "entry has", "entries have")
        self.report.warnings.append(
            (self.source.name, f"{count} no date{detail}; stored as undated")
        )


def _shown(address: str) -> str:
    """An address or a path as a message shows it: one clean line, secrets masked."""
    return redact_secrets(clean_line(address))


def _counted(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"
