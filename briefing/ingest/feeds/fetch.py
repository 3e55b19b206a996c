"""Fetch a feed's bytes from a URL or a file, bounded in time and size.

Feeds are fetched from cron on servers, so a fetch must never hang or fill the
memory: every wait for the network is bounded by a timeout (connecting, and
each read), the whole fetch (connections, TLS, redirects, headers and body) by
a deadline, so a server sending a byte now and then cannot hold it for hours,
a response is read up to a size cap and no further, and only
http, https and file addresses are followed, redirects included (a feed on the
web cannot redirect to a local file or to FTP). Feeds are asked for gzip
(``Accept-Encoding: gzip``), and a gzip or deflate answer is decompressed,
asked for or not; the size cap then applies to the decompressed bytes too, so
a small compressed answer cannot fill the memory (a "zip bomb").

A feed on the internet cannot lead briefing to this machine or its networks
(loopback, private, link-local such as the cloud metadata address 169.254.169.254,
shared and reserved ranges): once the first connection of a fetch has reached
a public address, every later one (each redirect) must too, and so must every
feed of an OPML list fetched from a public address. The address checked is the
one connected to, resolved at that moment, so a name that changes its answer
between two look-ups (DNS rebinding) gains nothing. A feed the person named on
such an address (``http://localhost:8080/feed``, an intranet server) is theirs
to read, redirects included. Through a proxy, the proxy connects: the name of
each address is resolved here and checked instead, which is the best that can
be done.

feedparser could fetch by itself, but it has no timeout; it is handed the
bytes fetched here instead.
"""

from __future__ import annotations

import base64
import http.client
import ipaddress
import socket
import ssl
import time
import urllib.error
import urllib.request
import zlib
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import IO, Any
from urllib.parse import unquote, urljoin, urlsplit, urlunsplit

from briefing import __version__
from briefing.ingest.feeds.sources import (
    DEFAULT_MAX_FEED_BYTES,
    DEFAULT_MAX_FETCH_SECONDS,
    DEFAULT_TIMEOUT,
    file_url,
)
from briefing.ingest.parse import human_size
from briefing.sanitize import clean_line, redact_secrets

USER_AGENT = f"briefing/{__version__} (terminal news reader; feed fetcher)"
WEB_SCHEMES = frozenset({"http", "https"})
SCHEMES = WEB_SCHEMES | {"file"}
CHUNK = 65_536


class FetchError(Exception):
    """A source could not be fetched; the message says why in one line.

    The message may quote a server (an HTTP reason phrase, a broken status
    line), so it is cleaned of anything a terminal would obey; and an address
    (a redirect's), so secrets in addresses are masked.
    """

    def __init__(self, reason: str) -> None:
        super().__init__(redact_secrets(clean_line(reason))[:300])


@dataclass(frozen=True)
class FetchOptions:
    timeout: float = DEFAULT_TIMEOUT  # for connecting, and for each read
    max_bytes: int = DEFAULT_MAX_FEED_BYTES
    max_seconds: float = DEFAULT_MAX_FETCH_SECONDS  # for the whole fetch


@dataclass(frozen=True)
class Fetched:
    """What a fetch brought back."""

    url: str  # where it was finally found (after redirects), for relative links
    data: bytes
    content_type: str | None = None
    # Whether what it leads to (an OPML list's feeds) may be on this machine or its
    # networks: True when it was itself, False when it was on the internet, None for a file.
    allow_internal: bool | None = None


def is_internal(address: str) -> bool:
    """Whether an IP address is this machine's or a private network's, not the internet's.

    Loopback, private (RFC 1918, unique local), link-local (169.254.0.0/16, where
    clouds answer with their metadata), shared (100.64.0.0/10), unspecified,
    reserved and multicast addresses; IPv4 written as IPv6 (``::ffff:127.0.0.1``) too.
    """
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # an IPv6 zone: fe80::1%eth0
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return not ip.is_global or ip.is_multicast


def fetch(
    source: str, options: FetchOptions | None = None, *, allow_internal: bool | None = None
) -> Fetched:
    """The bytes at an http, https or file address. Raises :class:`FetchError`.

    ``allow_internal``: whether the fetch may connect to an internal address
    (see :func:`is_internal`); None lets its first connection decide, as for an
    address a person gave: the fetch may stay inside if it started inside.
    """
    options = options or FetchOptions()
    scheme = urlsplit(source).scheme.lower()
    if scheme == "file":
        return _read_file(source, options)
    if scheme not in WEB_SCHEMES:
        raise FetchError(f"unsupported address scheme {scheme!r} (use http, https or file)")
    source, credentials = _without_credentials(source)
    request = urllib.request.Request(
        source, headers={"User-Agent": USER_AGENT, "Accept-Encoding": "gzip"}
    )
    if credentials:  # sent to this server only: a redirect elsewhere does not carry them
        request.add_unredirected_header("Authorization", credentials)
    guard = _Guard(allow_internal, options)
    try:
        with _build_opener(guard).open(request, timeout=options.timeout) as response:
            length = response.headers.get("Content-Length", "")
            if length.isdigit() and int(length) > options.max_bytes:
                raise FetchError(_too_large(int(length), options.max_bytes))
            data = _read_response(response, options.max_bytes)
            content_type = response.headers.get("Content-Type")
            fetched = Fetched(response.geturl(), data, content_type, guard.allow_internal)
    except (urllib.error.URLError, http.client.HTTPException, ValueError, OSError) as error:
        if guard.past_deadline():  # the socket's last wait was cut short by the deadline
            raise FetchError(_too_slow(options.max_seconds)) from None
        raise FetchError(_describe(error, options)) from None
    return fetched


def _without_credentials(address: str) -> tuple[str, str | None]:
    """The address without ``user:password@``, and them as an HTTP Basic authorization.

    urllib would take them for part of the host name.
    """
    try:
        parts = urlsplit(address)
        user, password = parts.username, parts.password
    except ValueError:
        return address, None  # urllib names the problem
    if user is None and password is None:
        return address, None
    host = parts.netloc.rpartition("@")[2]
    pair = f"{unquote(user or '')}:{unquote(password or '')}".encode()
    return urlunsplit(parts._replace(netloc=host)), "Basic " + base64.b64encode(pair).decode()


def _describe(error: Exception, options: FetchOptions) -> str:
    """Why a fetch failed, in a few words."""
    if isinstance(error, urllib.error.HTTPError):
        return f"HTTP {error.code} {error.reason}"
    if isinstance(error, urllib.error.URLError):
        return _network_reason(error.reason, options.timeout)
    if isinstance(error, http.client.HTTPException):
        return f"bad HTTP response ({type(error).__name__}: {error})"
    if isinstance(error, ValueError):  # a malformed address: "http://", "http://[::1"
        return f"not a valid address ({error})"
    return _network_reason(error, options.timeout)


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
        host = parts.netloc.rpartition("@")[2]  # never a user and password, even here
        raise FetchError(f"file addresses must be local, not on {host!r}")
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


def _read_response(response: http.client.HTTPResponse, max_bytes: int) -> bytes:
    """The body, decompressed, at most ``max_bytes`` of it (and as much before decompressing).

    ``read1`` waits for one read from the network at most (``read`` waits for
    all it was asked, one timeout per piece), so the deadline is checked
    between pieces however slowly they come.
    """
    inflater = _Inflater.for_encoding(response.headers.get("Content-Encoding"))
    chunks: list[bytes] = []
    size = received = 0
    while chunk := response.read1(CHUNK):
        received += len(chunk)
        if received > max_bytes:
            raise FetchError(_too_large(None, max_bytes))
        if inflater is not None:
            chunk = inflater.inflate(chunk, max_bytes + 1 - size)
        chunks.append(chunk)
        size += len(chunk)
        if size > max_bytes:
            raise FetchError(_too_large(None, max_bytes, decompressed=inflater is not None))
    if response.length:  # read1 takes a connection closed early for the end
        raise http.client.IncompleteRead(b"".join(chunks), response.length)
    if inflater is not None:
        inflater.finish()
    return b"".join(chunks)


class _Inflater:
    """Decompresses a gzip or deflate body, never more than it is asked for at once."""

    def __init__(self, window_bits: int) -> None:
        self.window_bits = window_bits
        self.stream = zlib.decompressobj(window_bits)

    @classmethod
    def for_encoding(cls, header: str | None) -> _Inflater | None:
        encoding = (header or "").strip().lower()
        if encoding in ("", "identity"):
            return None
        if encoding in ("gzip", "x-gzip"):
            return cls(16 + zlib.MAX_WBITS)
        if encoding == "deflate":
            return cls(32 + zlib.MAX_WBITS)  # zlib's wrapping (or gzip's), as HTTP says
        raise FetchError(
            f"the server compressed the feed as {clean_line(encoding)[:40]!r}, which "
            "briefing does not read (only gzip and deflate)"
        )

    def inflate(self, data: bytes, limit: int) -> bytes:
        """At most ``limit`` bytes out of ``data`` (the rest is not decompressed at all)."""
        pieces: list[bytes] = []
        try:
            while data and limit > 0:
                piece = self.stream.decompress(data, limit)
                pieces.append(piece)
                limit -= len(piece)
                data = b""
                if self.stream.eof and self.stream.unused_data:  # gzip members, one after another
                    data = self.stream.unused_data
                    self.stream = zlib.decompressobj(self.window_bits)
        except zlib.error as error:
            raise FetchError(f"damaged compressed data ({error})") from None
        return b"".join(pieces)

    def finish(self) -> None:
        if not self.stream.eof:
            raise FetchError("damaged compressed data (cut short)")


def _too_large(size: int | None, max_bytes: int, *, decompressed: bool = False) -> str:
    shown = human_size(size) if size is not None else f"more than {human_size(max_bytes)}"
    what = "too large once decompressed" if decompressed else "too large"
    return f"{what} ({shown}, limit {human_size(max_bytes)}; see --max-feed-size)"


def _timed_out(timeout: float) -> str:
    return f"timed out (no answer within {timeout:g} s; see --timeout)"


def _too_slow(max_seconds: float) -> str:
    return f"took too long (more than {max_seconds:g} s for the whole feed; see --max-fetch-time)"


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


class _Guard:
    """Where one fetch may connect (see the module's docstring), and until when."""

    def __init__(self, allow_internal: bool | None, options: FetchOptions) -> None:
        self.allow_internal = allow_internal  # None until the first connection decides
        self.timeout = options.timeout
        self.max_seconds = options.max_seconds
        self.deadline = time.monotonic() + options.max_seconds

    def past_deadline(self) -> bool:
        return time.monotonic() >= self.deadline

    def wait_limit(self) -> float:
        """How long the next wait on the network may last: the timeout, or what is left."""
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise FetchError(_too_slow(self.max_seconds))
        return min(self.timeout, left)

    def connect(
        self,
        address: tuple[str, int],
        timeout: float | None = None,
        source_address: tuple[str, int] | None = None,
        *,
        checked: bool = True,
    ) -> socket.socket:
        """``socket.create_connection``, refusing the addresses this fetch may not reach.

        Each address the name resolves to is checked, then connected to: the
        one checked is the one used. Unchecked for a proxy (see :meth:`check_name`).
        """
        host, port = address
        error: Exception | None = None
        for family, kind, protocol, _, peer in socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM
        ):
            ip = str(peer[0])
            internal = is_internal(ip)
            if checked and self.allow_internal is False and internal:
                error = error or _refused(host, ip)
                continue
            sock = _TimedSocket(family, kind, protocol)
            sock.guard = self
            try:
                sock.settimeout(self.wait_limit())
                if source_address:
                    sock.bind(source_address)
                sock.connect(peer)
            except OSError as failure:
                sock.close()
                error = failure
                continue
            if checked and self.allow_internal is None:
                self.allow_internal = internal
            return sock
        raise error or OSError(f"no address for {host}")

    def check_name(self, host: str) -> None:
        """Through a proxy: the host's addresses as resolved here, since the proxy connects."""
        try:
            ips = {str(info[4][0]) for info in socket.getaddrinfo(host, None)}
        except OSError:
            return  # the proxy may know names this machine does not
        internal = [ip for ip in sorted(ips) if is_internal(ip)]
        if self.allow_internal is None:
            self.allow_internal = len(internal) == len(ips)
        elif self.allow_internal is False and internal:
            raise _refused(host, internal[0])


def _refused(host: str, ip: str) -> FetchError:
    where = host if host == ip else f"{host} ({ip})"
    return FetchError(
        f"refused: {where} is on this machine or a private network, and a feed from the "
        "internet may not lead there"
    )


class _TimedSocket(socket.socket):
    """A socket whose every read waits no longer than its fetch's deadline allows.

    http.client reads the status line, the headers and the body through
    ``recv_into``; each wait is otherwise bounded only by the timeout, so a
    server trickling a byte per timeout would never be done.
    """

    guard: _Guard | None = None

    def recv_into(self, buffer: Any, nbytes: int = 0, flags: int = 0) -> int:
        if self.guard is not None:
            self.settimeout(self.guard.wait_limit())
        return super().recv_into(buffer, nbytes, flags)

    def recv(self, bufsize: int, flags: int = 0) -> bytes:
        if self.guard is not None:
            self.settimeout(self.guard.wait_limit())
        return super().recv(bufsize, flags)


class _TimedSSLSocket(ssl.SSLSocket):
    """The same for TLS: the handshake is bounded by the socket's timeout as a whole
    (set from the deadline when connecting), then each read as above."""

    guard: _Guard | None = None

    def recv_into(self, buffer: Any, nbytes: int | None = None, flags: int = 0) -> int:
        if self.guard is not None:
            self.settimeout(self.guard.wait_limit())
        return super().recv_into(buffer, nbytes, flags)

    def recv(self, buflen: int = 1024, flags: int = 0) -> bytes:
        if self.guard is not None:
            self.settimeout(self.guard.wait_limit())
        return super().recv(buflen, flags)


class _GuardedConnection(http.client.HTTPConnection):
    """An HTTP connection whose socket comes from a :class:`_Guard`."""

    def __init__(self, host: str, *, guard: _Guard, checked: bool, **kwargs: Any) -> None:
        super().__init__(host, **kwargs)
        self.guard = guard
        self._create_connection = partial(guard.connect, checked=checked)

    def connect(self) -> None:
        super().connect()
        if isinstance(self.sock, _TimedSSLSocket):
            self.sock.guard = self.guard


class _GuardedHTTPSConnection(_GuardedConnection, http.client.HTTPSConnection):
    pass


class _GuardedHTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, guard: _Guard) -> None:
        super().__init__()
        self.guard = guard

    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(partial(_GuardedConnection, **_connection_args(self.guard, req)), req)


class _GuardedHTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, guard: _Guard) -> None:
        super().__init__()
        self.guard = guard
        self.tls = ssl.create_default_context()  # certificates checked, as by default
        self.tls.sslsocket_class = _TimedSSLSocket

    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(
            partial(_GuardedHTTPSConnection, **_connection_args(self.guard, req)),
            req,
            context=self.tls,
        )


def _connection_args(guard: _Guard, req: urllib.request.Request) -> dict[str, Any]:
    """Check the peer when connecting straight to the server; through a proxy, its name."""
    proxied = req.has_proxy() or bool(getattr(req, "_tunnel_host", None))
    if proxied:
        guard.check_name(urlsplit(req.full_url).hostname or "")
    return {"guard": guard, "checked": not proxied}


def _build_opener(guard: _Guard) -> urllib.request.OpenerDirector:
    """An opener for http and https only, honouring the proxy variables of the moment."""
    opener = urllib.request.OpenerDirector()
    for handler in (
        urllib.request.ProxyHandler(),
        _GuardedHTTPHandler(guard),
        _GuardedHTTPSHandler(guard),
        urllib.request.HTTPDefaultErrorHandler(),
        _WebOnlyRedirects(),
        urllib.request.HTTPErrorProcessor(),
    ):
        opener.add_handler(handler)
    return opener
