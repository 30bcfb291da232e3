"""Downloading feeds and pages over one shared httpx client. I/O; never returns None, never raises
for a network or HTTP problem: every outcome is a value.

    Fetched       a 2xx response whose body was read in full (within the size cap)
    NotModified   304 to our conditional GET: nothing to parse
    FetchFailed   anything else, with a `kind` to branch on and a one-line `message` for logs/admins

Limits that matter against hostile servers (libraries.md §4.2):
- httpx timeouts are per read, so a server trickling a byte a second never trips them: the whole
  request runs under `asyncio.timeout(timeout)`.
- The size cap counts *decoded* bytes, and gzip/deflate are inflated here with zlib's `max_length`,
  never more than the cap allows: httpx's own decoder inflates each 64 kB network chunk whole, up to
  ~64 MB at once, which let a dense 1 MB gzip bomb raise peak memory by 131 MB (measured).
- Redirects are followed but bounded (MAX_REDIRECTS), so a loop ends as a `redirects` failure.
"""

from __future__ import annotations

import asyncio
import socket
import ssl
import zlib
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http import HTTPStatus
from typing import Final

import httpx

from bot.ingest.feeds import FeedError, ParsedFeed, one_line, parse_feed_in_thread
from bot.ingest.guard import LinkGuard
from bot.ingest.schedule import MAX_RETRY_AFTER_SECONDS, http_date

MAX_REDIRECTS: Final = 5
# httpx's own timeouts: how long one connect or one read may stall. The total is `fetch(timeout=)`.
CONNECT_TIMEOUT: Final = 10.0
READ_TIMEOUT: Final = 20.0

FEED_ACCEPT: Final = ("application/rss+xml, application/atom+xml, application/rdf+xml, "
                      "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.1")
PAGE_ACCEPT: Final = "text/html, application/xhtml+xml;q=0.9, */*;q=0.1"
# Content types worth handing to trafilatura; PDFs, images and feeds-as-pages are refused unread.
PAGE_MEDIA_TYPES: Final = frozenset({"text/html", "application/xhtml+xml", "text/plain"})

# FetchFailed.kind values
TIMEOUT: Final = "timeout"
TOO_LARGE: Final = "too_large"
HTTP: Final = "http"
NETWORK: Final = "network"
REDIRECTS: Final = "redirects"
CONTENT_TYPE: Final = "content_type"
DECODING: Final = "decoding"
INVALID_URL: Final = "invalid_url"
REFUSED: Final = "refused"  # the link guard refused the address (bot.ingest.guard)
NOT_A_FEED: Final = "not_a_feed"  # a 2xx whose body holds no feed (fetch_feed only)


@dataclass(frozen=True)
class Fetched:
    url: str
    final_url: str
    status: int
    body: bytes = field(repr=False)
    headers: dict[str, str]
    etag: str | None
    last_modified: str | None

    @property
    def media_type(self) -> str:
        """The Content-Type without parameters, lower-case ("text/html"); "" when absent."""
        return media_type(self.headers.get("content-type", ""))


@dataclass(frozen=True)
class NotModified:
    url: str
    etag: str | None
    last_modified: str | None


@dataclass(frozen=True)
class FetchFailed:
    url: str
    kind: str
    message: str
    retry_after: float | None = None
    status: int | None = None


FetchResult = Fetched | NotModified | FetchFailed


@dataclass(frozen=True)
class FeedFetched:
    """A feed downloaded and parsed: the response (validators, cache headers) and its entries."""

    response: Fetched
    feed: ParsedFeed


FeedResult = FeedFetched | NotModified | FetchFailed


def make_client(user_agent: str) -> httpx.AsyncClient:
    """The one client for feeds and pages: pooled connections, bounded redirects, per-read timeouts."""
    return httpx.AsyncClient(
        timeout=httpx.Timeout(READ_TIMEOUT, connect=CONNECT_TIMEOUT),
        follow_redirects=True,
        max_redirects=MAX_REDIRECTS,
        # Only what _Inflater decodes within the cap (httpx would also offer br/zstd if installed).
        headers={"User-Agent": user_agent, "Accept-Encoding": "gzip, deflate"},
        limits=httpx.Limits(max_connections=20, max_keepalive_connections=10),
    )


def media_type(content_type: str) -> str:
    return content_type.split(";", 1)[0].strip().lower()


async def fetch(client: httpx.AsyncClient, url: str, *, max_bytes: int, timeout: float,
                etag: str | None = None, last_modified: str | None = None,
                accept: str | None = None, media_types: Collection[str] | None = None,
                guard: LinkGuard | None = None) -> FetchResult:
    """GET `url` with a conditional request, a total `timeout` in seconds and a `max_bytes` body cap.

    `etag` and `last_modified` are the validators of the previous 200 response (from a `Fetched`).
    With `media_types` (e.g. PAGE_MEDIA_TYPES), a response declaring another Content-Type fails as
    `content_type` before its body is read; a response without one is accepted.
    With `guard` (article links), redirects are followed here, one hop at a time, and every hop's
    address is checked before it is connected to; a refusal fails as `refused`.
    """
    request_headers: dict[str, str] = {}
    if etag:
        request_headers["If-None-Match"] = etag
    if last_modified:
        request_headers["If-Modified-Since"] = last_modified
    if accept:
        request_headers["Accept"] = accept
    try:
        async with asyncio.timeout(timeout):
            if guard is None:
                async with client.stream("GET", url, headers=request_headers) as response:
                    return await _read_response(response, url, max_bytes, etag, last_modified, media_types)
            hop = url
            for _ in range(MAX_REDIRECTS + 1):
                refusal = await guard.refusal(hop)
                if refusal is not None:
                    return FetchFailed(url, REFUSED, refusal if hop == url else f"redirected to {hop}: {refusal}")
                async with client.stream("GET", hop, headers=request_headers, follow_redirects=False) as response:
                    refusal = guard.refusal_for_peer(hop, _peer_address(response))
                    if refusal is not None:
                        return FetchFailed(url, REFUSED, refusal if hop == url else f"redirected to {hop}: {refusal}")
                    location = response.headers.get("location")
                    if not (response.is_redirect and location):
                        return await _read_response(response, url, max_bytes, etag, last_modified, media_types)
                    hop = str(response.url.join(location))
            raise httpx.TooManyRedirects("too many redirects")
    except TimeoutError:
        return FetchFailed(url, TIMEOUT, f"timed out after {timeout:g} s")
    except httpx.TooManyRedirects:
        return FetchFailed(url, REDIRECTS, f"too many redirects (more than {MAX_REDIRECTS})")
    except httpx.ConnectTimeout:
        return FetchFailed(url, TIMEOUT, f"connect timed out after {CONNECT_TIMEOUT:g} s")
    except httpx.TimeoutException:
        return FetchFailed(url, TIMEOUT, f"no data for {READ_TIMEOUT:g} s")
    except (httpx.DecodingError, zlib.error) as exc:
        return FetchFailed(url, DECODING, f"cannot decode the body: {_one_line(exc)}")
    except (httpx.UnsupportedProtocol, httpx.InvalidURL) as exc:
        return FetchFailed(url, INVALID_URL, f"invalid URL: {_one_line(exc)}")
    except httpx.ConnectError as exc:
        return FetchFailed(url, NETWORK, _connect_error_message(exc, httpx.URL(url).host))
    except httpx.RemoteProtocolError as exc:
        return FetchFailed(url, NETWORK, f"server broke the HTTP exchange: {_one_line(exc)}")
    except httpx.HTTPError as exc:
        return FetchFailed(url, NETWORK, f"{type(exc).__name__}: {_one_line(exc)}")


async def fetch_feed(client: httpx.AsyncClient, url: str, *, max_bytes: int, timeout: float, now: datetime,
                     etag: str | None = None, last_modified: str | None = None) -> FeedResult:
    """The one way a feed is read, by the poll pass and by `sources check` alike: GET it asking for a
    feed (Accept: FEED_ACCEPT), then parse it in a worker thread with dates after `now` clamped to
    `now`. A body that is no feed fails as NOT_A_FEED, so callers branch on three outcomes only.
    """
    fetched = await fetch(client, url, max_bytes=max_bytes, timeout=timeout, etag=etag,
                          last_modified=last_modified, accept=FEED_ACCEPT)
    if not isinstance(fetched, Fetched):
        return fetched
    try:
        # the requested URL, not the final one: bare <guid>s resolve against it, so keys survive a redirect
        parsed = await parse_feed_in_thread(fetched.body, fetched.headers, url, now=now)
    except FeedError as exc:
        return FetchFailed(url, NOT_A_FEED, str(exc), status=fetched.status)
    return FeedFetched(fetched, parsed)


async def _read_response(response: httpx.Response, url: str, max_bytes: int, etag: str | None,
                         last_modified: str | None, media_types: Collection[str] | None) -> FetchResult:
    headers = {k.lower(): v for k, v in response.headers.items()}
    status = response.status_code
    if status == 304:
        return NotModified(url, headers.get("etag") or etag, headers.get("last-modified") or last_modified)
    if not 200 <= status < 300:
        retry_after = None
        if status in (429, 503) and "retry-after" in headers:
            retry_after = parse_retry_after(headers["retry-after"], datetime.now(UTC))
        reason = response.reason_phrase or _reason(status)
        return FetchFailed(url, HTTP, f"HTTP {status} {reason}".rstrip(), retry_after=retry_after,
                           status=status)
    declared_type = media_type(headers.get("content-type", ""))
    if media_types is not None and declared_type and declared_type not in media_types:
        return FetchFailed(url, CONTENT_TYPE, f"unexpected content type {declared_type}")
    too_large = FetchFailed(url, TOO_LARGE, f"body exceeds {format_bytes(max_bytes)}")
    encoding = headers.get("content-encoding", "").strip().lower()
    declared = headers.get("content-length", "")
    # A declared length is only the decoded size when there is no Content-Encoding.
    if declared.isdigit() and int(declared) > max_bytes and encoding in ("", "identity"):
        return too_large
    body = bytearray()
    if encoding in _Inflater.ENCODINGS:
        inflater = _Inflater(encoding)
        async for raw in response.aiter_raw():
            body += inflater.inflate(raw, max_bytes + 1 - len(body))
            if len(body) > max_bytes:
                return too_large
        body += inflater.finish(max_bytes + 1 - len(body))
    else:  # identity, or an encoding we did not ask for (httpx decodes it, chunk by chunk)
        async for chunk in response.aiter_bytes():
            body += chunk
            if len(body) > max_bytes:
                return too_large
    if len(body) > max_bytes:
        return too_large
    return Fetched(url=url, final_url=str(response.url), status=status, body=bytes(body), headers=headers,
                   etag=headers.get("etag"), last_modified=headers.get("last-modified"))


def _peer_address(response: httpx.Response) -> str | None:
    """The IP address the response's connection reached (httpcore's network_stream extension)."""
    stream = response.extensions.get("network_stream")
    if stream is None:
        return None
    address = stream.get_extra_info("server_addr")
    return str(address[0]) if isinstance(address, tuple) and address else None


class _Inflater:
    """Inflates a gzip or deflate body, never producing more than it is asked for per call."""

    ENCODINGS = frozenset({"gzip", "x-gzip", "deflate"})

    def __init__(self, encoding: str) -> None:
        self._gzip = encoding != "deflate"
        self._decompressor = self._new()
        self._started = False
        self._done = False  # after trailing bytes that are not another gzip member
        self._started_next_member = False
        self._produced = False

    def _new(self) -> zlib._Decompress:
        # gzip: wbits 16+; deflate: zlib-wrapped as the RFC says (raw deflate is tried on failure).
        return zlib.decompressobj(16 + zlib.MAX_WBITS if self._gzip else zlib.MAX_WBITS)

    def inflate(self, data: bytes, limit: int) -> bytes:
        """Up to `limit` bytes inflated from `data` plus whatever input is still pending."""
        if not self._started and not self._gzip and data:
            self._started = True
            try:
                return self._inflate(data, limit)
            except zlib.error:  # servers often send raw deflate under "deflate"
                self._decompressor = zlib.decompressobj(-zlib.MAX_WBITS)
        return self._inflate(data, limit)

    def finish(self, limit: int) -> bytes:
        """The rest of the output. A body cut short still counts (feedparser reads partial XML)
        unless nothing at all came out of it."""
        rest = self._inflate(b"", limit)
        if not rest and not self._produced and not self._decompressor.eof:
            raise zlib.error("the compressed body ends before any data")
        return rest

    def _inflate(self, data: bytes, limit: int) -> bytes:
        out = bytearray()
        pending = self._decompressor.unconsumed_tail + data
        while len(out) < limit and not self._done:
            try:
                piece = self._decompressor.decompress(pending, limit - len(out))
            except zlib.error:
                if not self._started_next_member:
                    raise
                self._done = True  # trailing junk after a complete body, as browsers tolerate
                break
            self._started_next_member = False
            self._produced = self._produced or bool(piece)
            out += piece
            pending = self._decompressor.unconsumed_tail  # input held back by max_length
            if self._gzip and self._decompressor.eof and self._decompressor.unused_data:
                # a multi-member gzip body: the next member starts right after this one
                pending = self._decompressor.unused_data + pending
                self._decompressor = self._new()
                self._started_next_member = True
                continue
            if not piece:  # no input left and no output pending
                break
        return bytes(out)


def parse_retry_after(value: str, now: datetime) -> float | None:
    """Seconds to wait from a Retry-After header: delta-seconds or an HTTP date; None if unreadable."""
    value = value.strip()
    if value.isdigit():
        return min(float(value), MAX_RETRY_AFTER_SECONDS)
    when = http_date(value)
    if when is None:
        return None
    return min(max((when - now).total_seconds(), 0.0), MAX_RETRY_AFTER_SECONDS)


def format_bytes(count: int) -> str:
    """5000000 -> "5 MB", 1536 -> "1.5 kB" (decimal units, as the settings are written)."""
    for unit, size in (("GB", 10**9), ("MB", 10**6), ("kB", 10**3)):
        if count >= size:
            return f"{count / size:.3g} {unit}"
    return f"{count} bytes"


def _connect_error_message(exc: httpx.ConnectError, host: str) -> str:
    """One line naming the host, so an operator reading the log knows which DNS name or server failed."""
    return _connect_error_reason(exc).replace("{host}", host)


def _connect_error_reason(exc: httpx.ConnectError) -> str:
    cause: BaseException | None = exc
    while cause is not None:  # httpx wraps the OSError; the cause says what really happened
        if isinstance(cause, socket.gaierror):
            return "cannot resolve host {host}"
        if isinstance(cause, ConnectionRefusedError):
            return "connection refused by {host}"
        if isinstance(cause, ssl.SSLCertVerificationError):
            return f"TLS certificate not accepted: {cause.verify_message}"
        if isinstance(cause, ssl.SSLError):
            return f"TLS error: {_one_line(cause)}"
        cause = cause.__cause__ or cause.__context__
    text = _one_line(exc)
    if "Name or service not known" in text or "nodename nor servname" in text \
            or "Temporary failure in name resolution" in text:
        return "cannot resolve host {host}"
    if "Connection refused" in text:
        return "connection refused by {host}"
    return f"cannot connect: {text}"


def _one_line(exc: BaseException) -> str:
    return one_line(exc) or type(exc).__name__


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""
