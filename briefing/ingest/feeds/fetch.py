"""Fetch a feed's bytes from a URL or a file, bounded in time and size.

Feeds are fetched from cron on servers, so a fetch must never hang or fill the
memory: every wait for the network is bounded by a timeout (connecting, and
each read), a response is read up to a size cap and no further, and only
http, https and file addresses are followed, redirects included (a feed on the
web cannot redirect to a local file or to FTP). Nothing is decompressed:
no ``Accept-Encoding`` is sent, so servers answer uncompressed.

feedparser could fetch by itself, but it has no timeout; it is handed the
bytes fetched here instead.
"""

from __future__ import annotations

import http.client
import socket
import ssl
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any
from urllib.parse import urljoin, urlsplit

from briefing import __version__
from briefing.ingest.feeds.sources import DEFAULT_MAX_FEED_BYTES, DEFAULT_TIMEOUT, file_url
from briefing.ingest.parse import human_size
from briefing.sanitize import clean_line

USER_AGENT = f"briefing/{__version__} (terminal news reader; feed fetcher)"
WEB_SCHEMES = frozenset({"http", "https"})
SCHEMES = WEB_SCHEMES | {"file"}
CHUNK = 65_536


class FetchError(Exception):
    """A source could not be fetched; the message says why in one line.

    The message may quote a server (an HTTP reason phrase, a broken status
    line), so it is cleaned of anything a terminal would obey.
    """

    def __init__(self, reason: str) -> None:
        super().__init__(clean_line(reason)[:300])


@dataclass(frozen=True)
class FetchOptions:
    timeout: float = DEFAULT_TIMEOUT
    max_bytes: int = DEFAULT_MAX_FEED_BYTES


@dataclass(frozen=True)
class Fetched:
    """What a fetch brought back."""

    url: str  # where it was finally found (after redirects), for relative links
    data: bytes
    content_type: str | None = None


def fetch(source: str, options: FetchOptions | None = None) -> Fetched:
    """The bytes at an http, https or file address. Raises :class:`FetchError`."""
    options = options or FetchOptions()
    scheme = urlsplit(source).scheme.lower()
    if scheme == "file":
        return _read_file(source, options)
    if scheme not in WEB_SCHEMES:
        raise FetchError(f"unsupported address scheme {scheme!r} (use http, https or file)")
    request = urllib.request.Request(source, headers={"User-Agent": USER_AGENT})
    try:
        with _build_opener().open(request, timeout=options.timeout) as response:
            length = response.headers.get("Content-Length", "")
            if length.isdigit() and int(length) > options.max_bytes:
                raise FetchError(_too_large(int(length), options.max_bytes))
            data = _read_capped(response, options.max_bytes)
            return Fetched(response.geturl(), data, response.headers.get("Content-Type"))
    except urllib.error.HTTPError as error:
        raise FetchError(f"HTTP {error.code} {error.reason}") from None
    except urllib.error.URLError as error:
        raise FetchError(_network_reason(error.reason, options.timeout)) from None
    except TimeoutError:
        raise FetchError(_timed_out(options.timeout)) from None
    except http.client.HTTPException as error:
        raise FetchError(f"bad HTTP response ({type(error).__name__}: {error})") from None
    except ValueError as error:  # a malformed address: "http://", "http://[::1"
        raise FetchError(f"not a valid address ({error})") from None
    except OSError as error:
        raise FetchError(_network_reason(error, options.timeout)) from None


def read_local(path: Path, options: FetchOptions | None = None) -> Fetched:
    """A local feed or OPML file, under the same size cap as a download."""
    options = options or FetchOptions()
    try:
        if not path.is_file():  # a FIFO or a device would never end
            raise FetchError("not a regular file" if path.exists() else "no such file or directory")
        with path.open("rb") as file:
            data = _read_capped(file, options.max_bytes)
    except OSError as error:
        raise FetchError((error.strerror or str(error)).lower()) from None
    return Fetched(file_url(path), data)


def _read_file(url: str, options: FetchOptions) -> Fetched:
    parts = urlsplit(url)
    if parts.netloc not in ("", "localhost"):
        raise FetchError(f"file addresses must be local, not on {parts.netloc!r}")
    return read_local(Path(urllib.request.url2pathname(parts.path)), options)


def _read_capped(stream: IO[bytes], max_bytes: int) -> bytes:
    """At most ``max_bytes``; one byte more means too large, and reading stops there."""
    chunks: list[bytes] = []
    size = 0
    while size <= max_bytes:
        chunk = stream.read(min(CHUNK, max_bytes + 1 - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    if size > max_bytes:
        raise FetchError(_too_large(None, max_bytes))
    return b"".join(chunks)


def _too_large(size: int | None, max_bytes: int) -> str:
    shown = human_size(size) if size is not None else f"more than {human_size(max_bytes)}"
    return f"too large ({shown}, limit {human_size(max_bytes)}; see --max-feed-size)"


def _timed_out(timeout: float) -> str:
    return f"timed out (no answer within {timeout:g} s; see --timeout)"


def _network_reason(reason: object, timeout: float) -> str:
    if isinstance(reason, (TimeoutError, socket.timeout)):
        return _timed_out(timeout)
    if isinstance(reason, ssl.SSLError):
        return f"TLS error ({reason.reason or reason})"
    if isinstance(reason, socket.gaierror):
        return f"cannot resolve the host name ({reason.strerror})"
    if isinstance(reason, OSError) and reason.strerror:
        return reason.strerror.lower()
    return str(reason) or type(reason).__name__


class _WebOnlyRedirects(urllib.request.HTTPRedirectHandler):
    """Follow redirects to http and https only: never to a local file, nor to FTP."""

    def http_error_302(
        self,
        req: urllib.request.Request,
        fp: IO[bytes],
        code: int,
        msg: str,
        headers: http.client.HTTPMessage,
    ) -> Any:
        target = headers.get("Location") or headers.get("URI") or ""
        if urlsplit(urljoin(req.full_url, target)).scheme.lower() not in WEB_SCHEMES:
            raise FetchError(f"redirected to a non-web address ({clean_line(target)[:200]})")
        return super().http_error_302(req, fp, code, msg, headers)

    http_error_301 = http_error_303 = http_error_307 = http_error_308 = http_error_302


def _build_opener() -> urllib.request.OpenerDirector:
    """An opener for http and https only, honouring the proxy variables of the moment."""
    opener = urllib.request.OpenerDirector()
    for handler in (
        urllib.request.ProxyHandler(),
        urllib.request.HTTPHandler(),
        urllib.request.HTTPSHandler(),
        urllib.request.HTTPDefaultErrorHandler(),
        _WebOnlyRedirects(),
        urllib.request.HTTPErrorProcessor(),
    ):
        opener.add_handler(handler)
    return opener
