"""Hostile input against the real bot process: each case is served by the loopback server to
`python -m bot run` as its only source. The process must stay up, the source's outcome (its error,
or the warning of a feed that parsed anyway) must be recorded, nothing from a local file may leak
into the database, and peak memory (VmHWM, read from /proc while the bot runs) stays under 512 MB.

Peak memory per case is printed (`pytest -s -k survival`)."""

from __future__ import annotations

import email.utils
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.support.loopback.feed_server import FeedServer
from tests.support.process import BotProcess, bot_env, stderr_text, write_sources

MEMORY_LIMIT_MB = 512
SECRET = "TOPSECRET-0451"


def rss(items: str, prolog: str = "", encoding_decl: str = "utf-8") -> bytes:
    return (f'<?xml version="1.0" encoding="{encoding_decl}"?>\n{prolog}'
            f'<rss version="2.0"><channel><title>Hostile</title><link>https://h.example/</link>'
            f"{items}</channel></rss>").encode()


def item(n: int, *, link: str | None = None, description: str = "Nothing to see.", title: str | None = None,
         published: datetime | None = None) -> str:
    when = email.utils.format_datetime(published or datetime.now(UTC) - timedelta(minutes=n + 1))
    link_xml = f"<link>{link}</link>" if link else ""
    return (f"<item><title>{title or f'Item {n}'}</title>{link_xml}<guid isPermaLink=\"false\">h-{n}</guid>"
            f"<pubDate>{when}</pubDate><description>{description}</description></item>")


@dataclass(frozen=True)
class Case:
    serve: Callable[[FeedServer, Path], None]  # sets up /feed.xml (and pages) on the server
    status: str  # what the source's last_status must be
    detail: str  # a substring of last_error (status error) or last_warning (status ok); "" = any


def billion_laughs(server: FeedServer, tmp: Path) -> None:
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10))
    body = f'<?xml version="1.0"?><!DOCTYPE lolz [{entities}]><lolz>&lol9;</lolz>'
    server.set("/feed.xml", body)


def external_entity(server: FeedServer, tmp: Path) -> None:
    secret = tmp / "secret.txt"
    secret.write_text(SECRET)
    prolog = f'<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file://{secret}">]>'
    server.set("/feed.xml", rss(item(1, title="&xxe;", description="&xxe;"), prolog=prolog))


def quadratic_blowup(server: FeedServer, tmp: Path) -> None:
    prolog = f'<!DOCTYPE rss [<!ENTITY a "{"x" * 50_000}">]>'
    server.set("/feed.xml", rss(item(1, description="&a;" * 50_000), prolog=prolog))


def gzip_bomb(server: FeedServer, tmp: Path) -> None:
    server.gzip_bomb("/feed.xml", inflated_size=2 * 1024**3, dense=True)


def trickle(server: FeedServer, tmp: Path) -> None:
    server.trickle("/feed.xml", rss(item(1)), bytes_per_second=1)


def huge_feed(server: FeedServer, tmp: Path) -> None:
    server.huge("/feed.xml", 50_000_000, content_type="application/rss+xml")


def huge_page(server: FeedServer, tmp: Path) -> None:
    server.huge("/page", 50_000_000, content_type="text/html")
    server.set("/feed.xml", rss(item(1, link=server.url("/page"), description="The summary is used instead.")))


def non_html_pages(server: FeedServer, tmp: Path) -> None:
    server.set("/report.pdf", b"%PDF-1.7\n" + bytes(range(256)) * 100, content_type="application/pdf")
    server.set("/chart.png", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 100, content_type="image/png")
    server.set("/feed.xml", rss(item(1, link=server.url("/report.pdf")) + item(2, link=server.url("/chart.png"))))


def binary_feed(server: FeedServer, tmp: Path) -> None:
    server.set("/feed.xml", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 400, content_type="image/png")


def lying_encoding(server: FeedServer, tmp: Path) -> None:
    # declared UTF-8 twice, really windows-1251 with bytes that are invalid UTF-8
    body = rss(item(1, title="Капвложения", description="Облако и дата-центры")).decode()
    server.set("/feed.xml", body.encode("windows-1251"), content_type="application/rss+xml; charset=utf-8")


def unknown_encoding(server: FeedServer, tmp: Path) -> None:
    server.set("/feed.xml", rss(item(1), encoding_decl="x-no-such-charset"),
               content_type="text/xml; charset=x-no-such-charset")


def html_error_page(server: FeedServer, tmp: Path) -> None:
    server.set("/feed.xml", b"<!DOCTYPE html><html><head><title>Error</title></head><body><h1>Service "
                            b"unavailable</h1><p>Please try again later.</p></body></html>",
               content_type="text/html; charset=utf-8")


def redirect_loop(server: FeedServer, tmp: Path) -> None:
    server.redirect("/feed.xml", "/loop-a")
    server.redirect("/loop-a", "/loop-b")
    server.redirect("/loop-b", "/loop-a")


def local_path_body(server: FeedServer, tmp: Path) -> None:
    secret = tmp / "secret.xml"
    secret.write_text(rss(item(1, title=SECRET, description=SECRET)).decode())
    server.set("/feed.xml", str(secret).encode(), content_type="text/plain")


def ten_thousand_entries(server: FeedServer, tmp: Path) -> None:
    now = datetime.now(UTC)
    items = "".join(item(n, link=server.url(f"/gone/{n}"), published=now - timedelta(seconds=10 * n + 10))
                    for n in range(10_000))
    server.set("/feed.xml", rss(items))


CASES = {
    "billion_laughs": Case(billion_laughs, "error", "not a feed"),
    "external_entity": Case(external_entity, "ok", "undefined entity"),
    "quadratic_blowup": Case(quadratic_blowup, "ok", "undefined entity"),
    "gzip_bomb": Case(gzip_bomb, "error", "body exceeds 5 MB"),
    "trickle_1_byte_per_second": Case(trickle, "error", "timed out after 3 s"),
    "huge_feed_50_MB": Case(huge_feed, "error", "body exceeds 5 MB"),
    "huge_page_50_MB": Case(huge_page, "ok", ""),
    "non_html_pages": Case(non_html_pages, "ok", ""),
    "binary_feed": Case(binary_feed, "error", "not a feed"),
    "lying_encoding": Case(lying_encoding, "ok", "declared as utf-8"),
    "unknown_encoding": Case(unknown_encoding, "ok", "declared as x-no-such-charset"),
    "html_error_page_with_200": Case(html_error_page, "error", "not a feed: HTML page"),
    "redirect_loop": Case(redirect_loop, "error", "too many redirects"),
    "local_path_body": Case(local_path_body, "error", "not a feed"),
    "ten_thousand_entries": Case(ten_thousand_entries, "ok", ""),
}


@pytest.mark.slow
@pytest.mark.parametrize("name", list(CASES))
def test_the_bot_survives(name: str, tmp_path: Path) -> None:
    case = CASES[name]
    with FeedServer() as server:
        case.serve(server, tmp_path)
        sources = write_sources(tmp_path / "sources.yaml", [("hostile", server.url("/feed.xml"))])
        bot = BotProcess.start(tmp_path, bot_env(tmp_path, sources, BOT_FETCH_TIMEOUT="3"))
        try:
            bot.wait_for(lambda b: bool(b.query("SELECT 1 FROM source_state WHERE last_status IS NOT NULL")),
                         timeout=60, what=f"the outcome of {name}")
            assert bot.proc.poll() is None, "the bot must keep running"
            peak = bot.peak_rss_mb()
            (state,) = bot.query("SELECT * FROM source_state")
            articles = bot.query("SELECT title, text FROM articles")
        finally:
            code = bot.stop()
    print(f"\nsurvival {name}: peak RSS {peak:.0f} MB, status {state['last_status']}, "
          f"error {state['last_error']!r}, warning {state['last_warning']!r}, articles {len(articles)}")
    assert code == 0
    assert peak < MEMORY_LIMIT_MB
    assert state["last_status"] == case.status
    assert case.detail in (state["last_error"] if case.status == "error" else state["last_warning"] or "")
    assert SECRET not in repr([dict(r) for r in articles]) + repr(dict(state))
    log = stderr_text(tmp_path)
    assert "Traceback" not in log
    assert "source=hostile status=" in log  # the pass's one summary line for the source
    if name == "ten_thousand_entries":
        assert len(articles) == 20  # the newest 20, read from their summaries (the pages are 404)
    if name in ("huge_page_50_MB", "non_html_pages"):
        assert articles and all(a["text"] for a in articles)  # fell back to the feed summary
