"""Which of the sources named to ``briefing ingest`` are feeds, and the limits on fetching.

Kept apart from the fetching and parsing (and from feedparser, BeautifulSoup and
urllib, which take a tenth of a second to import) so that every ``briefing``
command can load the CLI without them; they are imported only when a feed is
actually named.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from briefing.ingest.paths import display_path, path_key
from briefing.sanitize import clean_line, redact_secrets

DEFAULT_TIMEOUT = 20.0  # seconds to wait for a server to connect or send more
DEFAULT_MAX_FETCH_SECONDS = 120.0  # seconds one fetch may take in all, however it trickles
DEFAULT_MAX_FEED_BYTES = 20 * 1_048_576
FEED_SUFFIXES = frozenset({".rss", ".atom", ".xml", ".opml"})
SNIFF_BYTES = 4096

_ADDRESS = re.compile(r"\A[A-Za-z][A-Za-z0-9+.-]*://")
_XML_START = re.compile(rb"\A(?:\xef\xbb\xbf)?\s*<(?:\?xml|rss\b|feed\b|opml\b|rdf:RDF\b)")


@dataclass(frozen=True)
class FeedSource:
    """A feed or OPML list to ingest: a web address, or a local file."""

    address: str  # its URL, or the file:// URL of a local file (see feed_key for its key)
    name: str  # as shown in messages: secrets in the address are masked
    path: Path | None = None  # for a local file
    # Whether it may be fetched from this machine or its networks: None for an address a
    # person gave (it may, if it is there); False for a feed a list on the internet names.
    allow_internal: bool | None = None


def split_sources(arguments: Iterable[str]) -> tuple[list[Path], list[FeedSource]]:
    """Briefing files and directories, and feeds: which is which, by what a person typed.

    Addresses (``http://``, ``https://``, ``file://``; any other scheme is
    refused when fetched) are feeds or OPML lists; so are files named with a
    feed suffix (.rss, .atom, .xml, .opml) or whose first bytes are XML.
    Directories are searched for briefing files only.
    """
    files: list[Path] = []
    feeds: list[FeedSource] = []
    for argument in arguments:
        if is_url(argument):
            feeds.append(FeedSource(argument, redact_secrets(clean_line(argument))))
            continue
        path = Path(argument)
        if _is_feed_file(path):
            feeds.append(FeedSource(file_url(path), display_path(path_key(path)), path))
        else:
            files.append(path)
    return files, feeds


def is_url(source: str) -> bool:
    """Whether ``source`` is written as an address (``scheme://...``) rather than a path."""
    return _ADDRESS.match(source) is not None


def file_url(path: Path) -> str:
    """The ``file://`` address of a local path: a local feed's identity."""
    return path.resolve().as_uri()


def looks_like_feed(first_bytes: bytes) -> bool:
    """Whether a file's first bytes are XML: a feed or an OPML list, not a briefing."""
    return _XML_START.match(first_bytes[:SNIFF_BYTES]) is not None


def _is_feed_file(path: Path) -> bool:
    if path.suffix.lower() in FEED_SUFFIXES:
        return not path.is_dir()
    try:
        if not path.is_file():
            return False
        with path.open("rb") as file:
            return looks_like_feed(file.read(SNIFF_BYTES))
    except OSError:
        return False  # the file ingest names the problem
