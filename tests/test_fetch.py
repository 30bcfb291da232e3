"""fetch() against a real loopback HTTP server: every outcome is a typed value with a one-line message."""

from __future__ import annotations

import gzip
import socket
import time
import tracemalloc
import zlib
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime

import httpx
import pytest

from bot.ingest.fetch import (
    PAGE_MEDIA_TYPES,
    Fetched,
    FetchFailed,
    NotModified,
    fetch,
    format_bytes,
    make_client,
    parse_retry_after,
)
from bot.ingest.schedule import MAX_BACKOFF_SECONDS, backoff_seconds
from tests.support.loopback.feed_server import FeedServer

FEED = b'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title></channel></rss>'
MB = 1_000_000


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with FeedServer() as running:
        yield running


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    async with make_client("capex-watch-test/1.0") as shared:
        yield shared


async def test_200_returns_body_headers_and_validators(server: FeedServer, client: httpx.AsyncClient) -> None:
    server.set("/feed.xml", FEED, etag='"v1"', last_modified="Tue, 10 Nov 2026 08:00:00 GMT")
    url = server.url("/feed.xml")
    result = await fetch(client, url, max_bytes=5 * MB, timeout=5)
    assert isinstance(result, Fetched)
    assert (result.url, result.final_url, result.status, result.body) == (url, url, 200, FEED)
    assert (result.etag, result.last_modified) == ('"v1"', "Tue, 10 Nov 2026 08:00:00 GMT")
    assert result.headers["content-type"] == "application/rss+xml; charset=utf-8"
    assert result.media_type == "application/rss+xml"
    request = server.requests_for("/feed.xml")[0]
    assert request.headers["user-agent"] == "capex-watch-test/1.0"
    assert "if-none-match" not in request.headers


async def test_304_via_etag(server: FeedServer, client: httpx.AsyncClient) -> None:
    server.set("/feed.xml", FEED, etag='"v1"')
    url = server.url("/feed.xml")
    result = await fetch(client, url, max_bytes=MB, timeout=5, etag='"v1"')
    assert result == NotModified(url=url, etag='"v1"', last_modified=None)
    assert server.requests_for("/feed.xml")[0].headers["if-none-match"] == '"v1"'


async def test_changed_etag_gives_the_new_body(server: FeedServer, client: httpx.AsyncClient) -> None:
    server.set("/feed.xml", FEED, etag='"v2"')
    result = await fetch(client, server.url("/feed.xml"), max_bytes=MB, timeout=5, etag='"v1"')
    assert isinstance(result, Fetched) and result.etag == '"v2"' and result.body == FEED


async def test_304_via_last_modified(server: FeedServer, client: httpx.AsyncClient) -> None:
    stamp = "Tue, 10 Nov 2026 08:00:00 GMT"
    server.set("/feed.xml", FEED, last_modified=stamp)
    url = server.url("/feed.xml")
    result = await fetch(client, url, max_bytes=MB, timeout=5, last_modified=stamp)
    assert result == NotModified(url=url, etag=None, last_modified=stamp)
    assert server.requests_for("/feed.xml")[0].headers["if-modified-since"] == stamp


async def test_404(server: FeedServer, client: httpx.AsyncClient) -> None:
    url = server.url("/missing.xml")
    result = await fetch(client, url, max_bytes=MB, timeout=5)
    assert result == FetchFailed(url=url, kind="http", message="HTTP 404 Not Found", status=404)


async def test_429_with_retry_after_seconds(server: FeedServer, client: httpx.AsyncClient) -> None:
    server.set("/feed.xml", b"slow down", status=429, content_type="text/plain",
               headers={"Retry-After": "120"})
    url = server.url("/feed.xml")
    result = await fetch(client, url, max_bytes=MB, timeout=5)
    assert result == FetchFailed(url=url, kind="http", message="HTTP 429 Too Many Requests",
                                 retry_after=120.0, status=429)


async def test_503_with_retry_after_date(server: FeedServer, client: httpx.AsyncClient) -> None:
    server.set("/feed.xml", b"", status=503, headers={"Retry-After": "Wed, 21 Oct 2099 07:28:00 GMT"})
    result = await fetch(client, server.url("/feed.xml"), max_bytes=MB, timeout=5)
    assert isinstance(result, FetchFailed)
    assert result.message == "HTTP 503 Service Unavailable"
    assert result.retry_after == 24 * 3600.0  # far-future dates are capped


async def test_streamed_body_over_the_cap_is_stopped(server: FeedServer, client: httpx.AsyncClient) -> None:
    server.huge("/big.html", size=60 * MB)  # no Content-Length: only the streamed count can stop it
    url = server.url("/big.html")
    started = time.monotonic()
    result = await fetch(client, url, max_bytes=5 * MB, timeout=10)
    assert result == FetchFailed(url=url, kind="too_large", message="body exceeds 5 MB")
    assert time.monotonic() - started < 5


async def test_declared_length_over_the_cap_is_refused_before_reading(server: FeedServer,
                                                                      client: httpx.AsyncClient) -> None:
    server.huge("/big.html", size=50 * MB, declare_length=True)
    result = await fetch(client, server.url("/big.html"), max_bytes=2 * MB, timeout=10)
    assert isinstance(result, FetchFailed) and result.message == "body exceeds 2 MB"


async def test_gzip_bomb_is_stopped_at_the_cap(server: FeedServer, client: httpx.AsyncClient) -> None:
    server.gzip_bomb("/bomb.xml", inflated_size=1000 * 1024 * 1024)
    url = server.url("/bomb.xml")
    started = time.monotonic()
    result = await fetch(client, url, max_bytes=5 * MB, timeout=10)
    assert result == FetchFailed(url=url, kind="too_large", message="body exceeds 5 MB")
    assert time.monotonic() - started < 5


async def test_dense_gzip_bomb_is_inflated_no_further_than_the_cap(server: FeedServer,
                                                                   client: httpx.AsyncClient) -> None:
    # ~1 MB on the wire, 1 GB inflated, sent in full buffers: httpx's decoder would inflate each
    # 64 kB read whole (+131 MB peak, measured); ours stops at the cap.
    server.gzip_bomb("/bomb.xml", inflated_size=1000 * 1024 * 1024, dense=True)
    tracemalloc.start()
    try:
        result = await fetch(client, server.url("/bomb.xml"), max_bytes=5 * MB, timeout=10)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert isinstance(result, FetchFailed) and result.kind == "too_large"
    assert peak < 30 * MB


@pytest.mark.parametrize(("encoding", "encoded"), [
    ("gzip", gzip.compress(FEED)),
    ("gzip", gzip.compress(FEED[:40]) + gzip.compress(FEED[40:])),  # two members
    ("gzip", gzip.compress(FEED) + b"\0\0junk"),  # trailing junk after a complete member
    ("deflate", zlib.compress(FEED)),
    ("deflate", zlib.compress(FEED)[2:-4]),  # raw deflate, as some servers send it
])
async def test_encoded_bodies_are_decoded(server: FeedServer, client: httpx.AsyncClient, encoding: str,
                                          encoded: bytes) -> None:
    server.set("/feed.xml", encoded, headers={"Content-Encoding": encoding})
    result = await fetch(client, server.url("/feed.xml"), max_bytes=MB, timeout=5)
    assert isinstance(result, Fetched) and result.body == FEED


@pytest.mark.parametrize("encoded", [
    b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03" + b"\xff" * 20,  # invalid deflate block
    b"\x1f\x8b\x08\x00garbage",  # cut off before any data
    b"<rss>not compressed at all</rss>",
])
async def test_corrupt_gzip_is_a_decoding_failure(server: FeedServer, client: httpx.AsyncClient,
                                                  encoded: bytes) -> None:
    server.set("/feed.xml", encoded, headers={"Content-Encoding": "gzip"})
    result = await fetch(client, server.url("/feed.xml"), max_bytes=MB, timeout=5)
    assert isinstance(result, FetchFailed) and result.kind == "decoding"
    assert result.message.startswith("cannot decode the body: ")


async def test_unexpected_content_type_is_refused_before_the_body(server: FeedServer,
                                                                 client: httpx.AsyncClient) -> None:
    server.huge("/report.pdf", size=50 * MB, content_type="application/pdf")
    url = server.url("/report.pdf")
    result = await fetch(client, url, max_bytes=2 * MB, timeout=5, media_types=PAGE_MEDIA_TYPES)
    assert result == FetchFailed(url=url, kind="content_type",
                                 message="unexpected content type application/pdf")


async def test_missing_content_type_is_accepted(server: FeedServer, client: httpx.AsyncClient) -> None:
    server.set("/page", b"<html><p>hi</p></html>", content_type=None)
    result = await fetch(client, server.url("/page"), max_bytes=MB, timeout=5, media_types=PAGE_MEDIA_TYPES)
    assert isinstance(result, Fetched) and result.media_type == ""


async def test_gzip_body_is_decoded(server: FeedServer, client: httpx.AsyncClient) -> None:
    server.set("/feed.xml", FEED, gzip=True)
    result = await fetch(client, server.url("/feed.xml"), max_bytes=MB, timeout=5)
    assert isinstance(result, Fetched) and result.body == FEED
    assert result.headers["content-encoding"] == "gzip"


async def test_total_timeout_stops_a_trickling_server(server: FeedServer, client: httpx.AsyncClient) -> None:
    # 4 bytes a second never trips a per-read timeout; only the total one ends it.
    server.trickle("/slow.xml", FEED, bytes_per_second=4)
    url = server.url("/slow.xml")
    started = time.monotonic()
    result = await fetch(client, url, max_bytes=MB, timeout=1)
    assert result == FetchFailed(url=url, kind="timeout", message="timed out after 1 s")
    assert time.monotonic() - started < 2


async def test_redirect_is_followed_and_final_url_kept(server: FeedServer, client: httpx.AsyncClient) -> None:
    server.redirect("/old.xml", "/new.xml", status=301)
    server.set("/new.xml", FEED)
    result = await fetch(client, server.url("/old.xml"), max_bytes=MB, timeout=5)
    assert isinstance(result, Fetched)
    assert (result.url, result.final_url) == (server.url("/old.xml"), server.url("/new.xml"))


async def test_redirect_loop(server: FeedServer, client: httpx.AsyncClient) -> None:
    server.redirect("/a", "/b")
    server.redirect("/b", "/a")
    url = server.url("/a")
    result = await fetch(client, url, max_bytes=MB, timeout=5)
    assert result == FetchFailed(url=url, kind="redirects", message="too many redirects (more than 5)")
    assert len(server.requests) == 6  # the first request and five redirects


async def test_connection_refused(client: httpx.AsyncClient) -> None:
    with socket.socket() as probe:  # a port that was free a moment ago, with nobody listening
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}/feed.xml"
    result = await fetch(client, url, max_bytes=MB, timeout=5)
    assert result == FetchFailed(url=url, kind="network", message="connection refused by 127.0.0.1")


async def test_dropped_connection(server: FeedServer, client: httpx.AsyncClient) -> None:
    server.drop("/feed.xml")
    result = await fetch(client, server.url("/feed.xml"), max_bytes=MB, timeout=5)
    assert isinstance(result, FetchFailed) and result.kind == "network"
    assert result.message.startswith("server broke the HTTP exchange: ")


async def test_unresolvable_host(client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch) -> None:
    # The answer comes from a stand-in resolver, not the machine's: a real lookup of a .invalid name can
    # hang on a broken resolver or be answered by a hijacking one.
    real_getaddrinfo = socket.getaddrinfo

    def getaddrinfo(host: object, *args: object, **kwargs: object) -> object:
        if str(host).endswith(".invalid"):
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return real_getaddrinfo(host, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    url = "http://capex-watch-test.invalid/feed.xml"
    result = await fetch(client, url, max_bytes=MB, timeout=5)
    assert result == FetchFailed(url=url, kind="network", message="cannot resolve host capex-watch-test.invalid")


async def test_unsupported_scheme(client: httpx.AsyncClient) -> None:
    result = await fetch(client, "ftp://example.org/feed", max_bytes=MB, timeout=5)
    assert isinstance(result, FetchFailed) and result.kind == "invalid_url"


async def test_accept_header_is_sent(server: FeedServer, client: httpx.AsyncClient) -> None:
    server.set("/feed.xml", FEED)
    await fetch(client, server.url("/feed.xml"), max_bytes=MB, timeout=5, accept="application/rss+xml")
    assert server.requests_for("/feed.xml")[0].headers["accept"] == "application/rss+xml"


NOW = datetime(2026, 11, 10, 8, 0, 0, tzinfo=UTC)


@pytest.mark.parametrize(("value", "seconds"), [
    ("120", 120.0),
    (" 7 ", 7.0),
    ("Tue, 10 Nov 2026 08:01:30 GMT", 90.0),
    ("Tue, 10 Nov 2026 07:00:00 GMT", 0.0),  # in the past: retry now
    ("9999999999", 86400.0),
    ("soon", None),
    ("-5", None),
])
def test_parse_retry_after(value: str, seconds: float | None) -> None:
    assert parse_retry_after(value, NOW) == seconds


@pytest.mark.parametrize(("errors", "poll", "retry_after", "expected"), [
    (0, 1800.0, None, 1800.0),
    (1, 1800.0, None, 3600.0),
    (2, 1800.0, None, 7200.0),
    (3, 1800.0, None, 14400.0),
    (4, 1800.0, None, MAX_BACKOFF_SECONDS),
    (500, 1800.0, None, MAX_BACKOFF_SECONDS),
    (1, 1800.0, 10_000.0, 10_000.0),  # the server asks for longer than our backoff
    (1, 1800.0, 60.0, 3600.0),  # ... or shorter: backoff wins
    (0, 1800.0, 1e9, 86400.0),  # a silly Retry-After is capped
    (3, 86400.0, None, 86400.0),  # a daily source never polls less than daily
])
def test_backoff_seconds(errors: int, poll: float, retry_after: float | None, expected: float) -> None:
    assert backoff_seconds(errors, poll, retry_after) == expected


@pytest.mark.parametrize(("count", "text"), [
    (5_000_000, "5 MB"), (2_000_000, "2 MB"), (1536, "1.54 kB"), (999, "999 bytes"), (3 * 10**9, "3 GB"),
])
def test_format_bytes(count: int, text: str) -> None:
    assert format_bytes(count) == text
