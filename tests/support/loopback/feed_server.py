"""A real HTTP server on 127.0.0.1 for offline tests: serves feeds and pages, honours conditional
requests, and misbehaves on request (errors, Retry-After, trickling, redirect loops, huge bodies,
gzip bombs, dropped connections).

Usage, as a context manager or through the `feed_server` fixture (add
`pytest_plugins = ["tests.support.loopback.feed_server"]` to the root conftest.py, or import `FeedServer`):

    with FeedServer() as server:
        server.set("/feed.xml", RSS_BYTES, etag='"v1"')
        url = server.url("/feed.xml")
        ...                                   # fetch it with the code under test
        assert server.requests_for("/feed.xml")[0].headers["user-agent"].startswith("capex-watch")

Every body is yours (invented text); paths not set answer 404. The server runs in a daemon thread, one
thread per request (stdlib ThreadingHTTPServer), HTTP/1.0 so every response ends with the connection.
Large bodies are generated while sending, never held in memory.
"""

from __future__ import annotations

import contextlib
import email.utils
import gzip as gzip_module
import threading
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

RSS_TYPE = "application/rss+xml; charset=utf-8"
HTML_TYPE = "text/html; charset=utf-8"
_CHUNK = 64 * 1024


@dataclass(frozen=True)
class RecordedRequest:
    """One request as the server saw it; header names are lower-case."""

    method: str
    path: str
    headers: dict[str, str]


@dataclass
class Route:
    """What one path answers. Set through FeedServer's methods rather than directly."""

    body: bytes = b""
    status: int = 200
    content_type: str | None = RSS_TYPE
    headers: dict[str, str] = field(default_factory=dict)
    etag: str | None = None
    last_modified: str | None = None
    gzip: bool = False
    delay: float = 0.0  # seconds before the status line
    bytes_per_second: float | None = None  # trickle the body at this rate
    generated_size: int | None = None  # send this many filler bytes instead of `body`
    declare_length: bool = True
    gzip_bomb_size: int | None = None  # a gzip stream that inflates to this many bytes
    gzip_bomb_dense: bool = False
    drop_connection: bool = False  # close the socket without answering


class FeedServer:
    """A loopback HTTP server whose answers are set per path (see the module docstring)."""

    def __init__(self, host: str = "127.0.0.1") -> None:
        # another loopback address (127.0.0.2, ...) is another outlet to bot.alerts.stories.outlet_of
        self._routes: dict[str, Route] = {}
        self._lock = threading.Lock()
        self._requests: list[RecordedRequest] = []
        self._stopping = threading.Event()
        self._httpd = _Server((host, 0), _Handler)
        self._httpd.feed_server = self
        self._thread: threading.Thread | None = None

    # --- lifecycle ---------------------------------------------------------------------------------
    def start(self) -> FeedServer:
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="feed-server", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()  # wakes trickling/streaming handlers so they end
        self._httpd.shutdown()
        self._httpd.server_close()

    def __enter__(self) -> FeedServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # --- addresses ---------------------------------------------------------------------------------
    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    @property
    def base_url(self) -> str:
        return f"http://{self._httpd.server_address[0]}:{self.port}"

    def url(self, path: str) -> str:
        """Absolute URL of `path` on this server ("/feed.xml" -> "http://127.0.0.1:PORT/feed.xml")."""
        return self.base_url + (path if path.startswith("/") else "/" + path)

    # --- what paths answer ---------------------------------------------------------------------------
    def set(self, path: str, body: bytes | str, *, status: int = 200, content_type: str | None = RSS_TYPE,
            headers: dict[str, str] | None = None, etag: str | None = None,
            last_modified: datetime | str | None = None, gzip: bool = False, delay: float = 0.0) -> None:
        """Serve `body` at `path`. With `etag`/`last_modified`, a matching If-None-Match or a not-older
        If-Modified-Since gets 304. `headers` are sent as given (e.g. {"Retry-After": "7"})."""
        if isinstance(last_modified, datetime):
            last_modified = email.utils.format_datetime(last_modified, usegmt=True)
        self._put(path, Route(body=body.encode() if isinstance(body, str) else body, status=status,
                              content_type=content_type, headers=dict(headers or {}), etag=etag,
                              last_modified=last_modified, gzip=gzip, delay=delay))

    def redirect(self, path: str, to: str, status: int = 302) -> None:
        """Answer `path` with a redirect to `to` (a path on this server or an absolute URL)."""
        self._put(path, Route(status=status, content_type=None, headers={"Location": to}))

    def trickle(self, path: str, body: bytes, bytes_per_second: float, content_type: str = RSS_TYPE) -> None:
        """Send `body` slowly, declaring its full length first (a server that is alive but stalls)."""
        self._put(path, Route(body=body, content_type=content_type, bytes_per_second=bytes_per_second))

    def huge(self, path: str, size: int, content_type: str = HTML_TYPE, declare_length: bool = False) -> None:
        """Stream `size` bytes of filler, generated while sending. Without `declare_length` there is no
        Content-Length, so only a streamed size cap can stop it."""
        self._put(path, Route(content_type=content_type, generated_size=size, declare_length=declare_length))

    def gzip_bomb(self, path: str, inflated_size: int, content_type: str = RSS_TYPE,
                  dense: bool = False) -> None:
        """Send a `Content-Encoding: gzip` body of about inflated_size/1000 bytes that inflates to
        `inflated_size` bytes of zeros. By default ~1 kB goes out per inflated MiB; `dense` sends
        zlib's output in full buffers, so one network read can inflate to tens of MB."""
        self._put(path, Route(content_type=content_type, gzip_bomb_size=inflated_size, gzip_bomb_dense=dense))

    def drop(self, path: str) -> None:
        """Close the connection without answering (a server that dies mid-request)."""
        self._put(path, Route(drop_connection=True))

    def remove(self, path: str) -> None:
        with self._lock:
            self._routes.pop(path, None)

    def _put(self, path: str, route: Route) -> None:
        with self._lock:
            self._routes[path] = route

    def route(self, path: str) -> Route | None:
        with self._lock:
            return self._routes.get(path)

    # --- what was asked ------------------------------------------------------------------------------
    @property
    def requests(self) -> list[RecordedRequest]:
        """Every request so far, in arrival order (a copy)."""
        with self._lock:
            return list(self._requests)

    def requests_for(self, path: str) -> list[RecordedRequest]:
        return [r for r in self.requests if r.path == path]

    def clear_requests(self) -> None:
        with self._lock:
            self._requests.clear()

    def _record(self, request: RecordedRequest) -> None:
        with self._lock:
            self._requests.append(request)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    # Do not join handler threads on close: a handler may be mid-trickle to a client that left.
    block_on_close = False
    feed_server: FeedServer


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.0"

    def log_message(self, format: str, *args: object) -> None:
        pass  # keep pytest output clean; the request log is FeedServer.requests

    def do_GET(self) -> None:
        # The client may give up mid-body (size cap, timeout): expected in these tests.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self._answer()

    def _answer(self) -> None:
        owner = self.server.feed_server
        headers = {k.lower(): v for k, v in self.headers.items()}
        owner._record(RecordedRequest(self.command, self.path, headers))
        route = owner.route(self.path) or owner.route(self.path.split("?", 1)[0])
        if route is None:
            self._send_simple(404, b"<html><body><h1>404 Not Found</h1></body></html>", HTML_TYPE)
            return
        if route.delay and owner._stopping.wait(route.delay):
            return
        if route.drop_connection:
            self.close_connection = True
            return
        if self._not_modified(route):
            self.send_response(304)
            self._send_validators(route)
            self.end_headers()
            return
        if route.gzip_bomb_size is not None:
            self._send_gzip_bomb(route)
            return
        if route.generated_size is not None:
            self._send_generated(route)
            return
        body = gzip_module.compress(route.body) if route.gzip else route.body
        self.send_response(route.status)
        if route.content_type:
            self.send_header("Content-Type", route.content_type)
        if route.gzip:
            self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self._send_validators(route)
        for name, value in route.headers.items():
            self.send_header(name, value)
        self.end_headers()
        if route.bytes_per_second:
            interval = 1.0 / route.bytes_per_second
            for i in range(len(body)):
                self.wfile.write(body[i:i + 1])
                self.wfile.flush()
                if owner._stopping.wait(interval):
                    return
        else:
            self.wfile.write(body)

    def _not_modified(self, route: Route) -> bool:
        if route.status != 200:
            return False
        if_none_match = self.headers.get("If-None-Match")
        if if_none_match is not None and route.etag is not None:
            # RFC 9110 13.1.2: weak comparison; If-None-Match wins over If-Modified-Since.
            tags = {t.strip().removeprefix("W/") for t in if_none_match.split(",")}
            return "*" in tags or route.etag.removeprefix("W/") in tags
        if_modified_since = self.headers.get("If-Modified-Since")
        if if_modified_since is not None and route.last_modified is not None:
            try:
                since = email.utils.parsedate_to_datetime(if_modified_since)
                modified = email.utils.parsedate_to_datetime(route.last_modified)
            except (TypeError, ValueError):
                return False
            return modified <= since
        return False

    def _send_validators(self, route: Route) -> None:
        if route.etag is not None:
            self.send_header("ETag", route.etag)
        if route.last_modified is not None:
            self.send_header("Last-Modified", route.last_modified)

    def _send_simple(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status, HTTPStatus(status).phrase)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _send_generated(self, route: Route) -> None:
        assert route.generated_size is not None
        self.send_response(route.status)
        if route.content_type:
            self.send_header("Content-Type", route.content_type)
        if route.declare_length:
            self.send_header("Content-Length", str(route.generated_size))
        self.end_headers()
        filler = (b"<p>" + b"filler " * 9000 + b"</p>\n")[:_CHUNK]
        remaining = route.generated_size
        stopping = self.server.feed_server._stopping
        while remaining > 0 and not stopping.is_set():
            piece = filler[:remaining]
            self.wfile.write(piece)
            remaining -= len(piece)

    def _send_gzip_bomb(self, route: Route) -> None:
        assert route.gzip_bomb_size is not None
        self.send_response(200)
        if route.content_type:
            self.send_header("Content-Type", route.content_type)
        self.send_header("Content-Encoding", "gzip")
        self.end_headers()
        compressor = zlib.compressobj(9, zlib.DEFLATED, 31)  # wbits 31: gzip container
        zeros = bytes(1024 * 1024)
        stopping = self.server.feed_server._stopping
        for _ in range(route.gzip_bomb_size // len(zeros)):
            if stopping.is_set():
                return
            # A sync flush per MiB puts ~1 kB on the wire for each inflated MiB, so the client
            # starts inflating at once instead of waiting for zlib's buffers.
            piece = compressor.compress(zeros)
            if not route.gzip_bomb_dense:
                piece += compressor.flush(zlib.Z_SYNC_FLUSH)
            if piece:
                self.wfile.write(piece)
        self.wfile.write(compressor.flush())


@pytest.fixture
def feed_server() -> Iterator[FeedServer]:
    """A started FeedServer, stopped after the test."""
    with FeedServer() as server:
        yield server
