"""Feeds stage: literal feeds in, literal entries out; hostile XML stays harmless."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import pytest

from bot.ingest.feeds import (
    FeedEntry,
    FeedError,
    ParsedFeed,
    html_to_text,
    normalise_link,
    parse_feed,
    parse_feed_in_thread,
    select_new,
    strip_doctype,
)

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "ingest"
RSS_HEADERS = {"content-type": "application/rss+xml; charset=utf-8"}
NOW = datetime(2026, 11, 11, 0, 0, tzinfo=UTC)


def _parse(name: str, url: str = "https://gazette.example/feed.xml") -> ParsedFeed:
    return parse_feed((FIXTURES / name).read_bytes(), RSS_HEADERS, url, now=NOW)


def test_rss2() -> None:
    assert _parse("rss2.xml") == ParsedFeed(title="Ridgeline Compute Gazette", warning=None, entries=[
        FeedEntry(key="gazette-0007", title="Northwind & Partners lift server budget",
                  link="https://gazette.example/news/northwind-budget?id=7",
                  summary="Northwind said it would spend more on servers next year.\n"
                          "The company named no figure.",
                  published=datetime(2026, 11, 10, 6, 30, tzinfo=UTC)),
        # no guid: the key is the normalised link, resolved against the feed URL
        FeedEntry(key="https://gazette.example/news/cooling-plant", title="Cooling plant opens in the valley",
                  link="https://gazette.example/news/cooling-plant", summary="A plant opened.",
                  published=datetime(2026, 11, 9, 18, 0, tzinfo=UTC)),
        # no guid, no link, no date: a hash of the title
        FeedEntry(key="sha1:64c18840d7fcbd6ab09840a7524a0497ac3c46c6", title="Undated note without link",
                  link=None, summary="Nothing to see.", published=None),
    ])


def test_atom_html_titles_become_plain_text() -> None:
    assert _parse("atom.xml", "https://harbor.example/atom.xml") == ParsedFeed(
        title="Harbor Infra Notes", warning=None, entries=[
            FeedEntry(key="tag:harbor.example,2026:entry-42", title="Atlas Cloud adds a region",
                      link="https://harbor.example/2026/11/atlas-region",
                      summary="Atlas Cloud opened its ninth region.",
                      published=datetime(2026, 11, 10, 6, 15, tzinfo=UTC), publisher="Harbor Wire"),
            # no <published>: <updated> stands in
            FeedEntry(key="tag:harbor.example,2026:entry-43", title="Only updated",
                      link="https://harbor.example/2026/11/only-updated", summary="Plain summary & more.",
                      published=datetime(2026, 11, 9, 12, 0, tzinfo=UTC)),
        ])


def test_rdf() -> None:
    assert _parse("rdf.xml", "https://kumo.example/feed.rdf") == ParsedFeed(
        title="雲ウォッチ（架空）", warning=None, entries=[
            FeedEntry(key="https://kumo.example/docs/1001.html", title="架空クラウド、東京に新データセンター",
                      link="https://kumo.example/docs/1001.html",
                      summary="架空クラウドは新しいデータセンターを開設した。",
                      published=datetime(2026, 11, 10, 1, 0, tzinfo=UTC)),
        ])


def test_keys_are_stable_when_tracking_parameters_change() -> None:
    def feed(link: str) -> bytes:
        return (f'<rss version="2.0"><channel><title>T</title><item><title>A</title><link>{link}</link>'
                "</item></channel></rss>").encode()

    first = parse_feed(feed("https://x.example/a?utm_source=rss&amp;p=1"), RSS_HEADERS, "https://x.example/f")
    second = parse_feed(feed("https://X.example:443/a?p=1&amp;_gl=1*abc&amp;utm_campaign=z#top"), RSS_HEADERS,
                        "https://x.example/f")
    assert first.entries[0].key == second.entries[0].key == "https://x.example/a?p=1"


def test_guid_that_is_a_url_loses_tracking_but_keeps_fragment() -> None:
    body = (b'<rss version="2.0"><channel><title>T</title><item><title>A</title>'
            b"<guid>https://live.example/blog?utm_medium=rss#update-3</guid></item></channel></rss>")
    entry = parse_feed(body, RSS_HEADERS, "https://live.example/feed").entries[0]
    assert entry.key == "https://live.example/blog#update-3"


def test_future_dates_are_clamped_to_now() -> None:
    body = (b'<rss version="2.0"><channel><title>T</title><item><title>A</title><guid>a</guid>'
            b"<pubDate>Fri, 01 Jan 2100 00:00:00 GMT</pubDate></item></channel></rss>")
    assert parse_feed(body, RSS_HEADERS, "https://x.example/f", now=NOW).entries[0].published == NOW


def test_broken_but_readable_feed_gives_entries_and_a_warning() -> None:
    body = (b'<rss version="2.0"><channel><title>T</title><item><title>Caf\xe9 &nbsp; A</title><guid>a</guid>'
            b"</item></channel>")  # not UTF-8, undefined entity, unclosed root
    parsed = parse_feed(body, RSS_HEADERS, "https://x.example/f")
    assert [e.title for e in parsed.entries] == ["Café A"]
    assert parsed.warning is not None and "\n" not in parsed.warning


def test_charset_from_the_content_type_header_is_honoured() -> None:
    body = ('<rss version="2.0"><channel><title>Т</title><item><title>Облако</title><guid>a</guid>'
            "</item></channel></rss>").encode("windows-1251")
    parsed = parse_feed(body, {"content-type": "application/xml; charset=windows-1251"}, "https://x.example/f")
    assert parsed.entries[0].title == "Облако"


def test_valid_feed_without_entries_is_not_an_error() -> None:
    body = b'<rss version="2.0"><channel><title>Quiet</title></channel></rss>'
    assert parse_feed(body, RSS_HEADERS, "https://x.example/f") == ParsedFeed(title="Quiet", entries=[],
                                                                                warning=None)


def test_html_error_page_served_as_feed_is_a_feed_error() -> None:
    body = (FIXTURES / "error_page.html").read_bytes()
    with pytest.raises(FeedError, match=r"^not a feed: HTML page \(text/html\)$"):
        parse_feed(body, {"content-type": "text/html; charset=utf-8"}, "https://x.example/f")
    with pytest.raises(FeedError, match=r"^not a feed: HTML page \(application/rss\+xml\)$"):
        parse_feed(body, RSS_HEADERS, "https://x.example/f")


@pytest.mark.parametrize(("body", "message"), [
    (b"", "not a feed: empty body (application/rss+xml)"),
    (b"%PDF-1.7 \x00\x01\x02", "not a feed: "),
    (b'{"items": []}', "not a feed: "),
])
def test_other_non_feeds(body: bytes, message: str) -> None:
    with pytest.raises(FeedError) as caught:
        parse_feed(body, RSS_HEADERS, "https://x.example/f")
    assert str(caught.value).startswith(message) and "\n" not in str(caught.value)


def test_body_that_looks_like_a_local_path_is_not_read_from_disk(tmp_path: Path) -> None:
    # If feedparser got the bytes themselves it would open this file and return its entry.
    secret = tmp_path / "secret-feed.xml"
    secret.write_bytes(b'<rss version="2.0"><channel><title>LOCAL FILE</title><item><title>leaked</title>'
                       b"<guid>l</guid></item></channel></rss>")
    for body in (str(secret).encode(), b"/etc/passwd"):
        with pytest.raises(FeedError):
            parse_feed(body, RSS_HEADERS, "https://x.example/f")


def test_billion_laughs_is_not_expanded() -> None:
    parsed = _parse("billion_laughs.xml")
    assert parsed.title == "Laughs"
    assert len(parsed.entries) == 1
    assert len(parsed.entries[0].title) < 100 and len(parsed.entries[0].summary) < 100


def test_external_entity_is_not_resolved() -> None:
    parsed = _parse("xxe.xml")
    entry = parsed.entries[0]
    assert "root:" not in entry.title + entry.summary
    assert len(entry.summary) < 50


def _quadratic_blowup(value_prefix: str = "", encoding: str = "utf-8") -> bytes:
    # One 50 kB entity referenced 50,000 times: 2.5 GB once expanded by a parser without limits.
    # The declaration starts a line because that is what feedparser's loose parser looks for: without
    # strip_doctype, 2,000 references already expand to 100 MB in 4 s (measured).
    value = value_prefix + "A" * 50_000
    references = "&big;" * 50_000
    return (f'<?xml version="1.0" encoding="{encoding}"?>\n<!DOCTYPE rss [\n<!ENTITY big "{value}">\n]>\n'
            f'<rss version="2.0"><channel><title>Blowup</title><item><title>x</title><guid>q</guid>'
            f"<description>{references}</description></item></channel></rss>").encode(encoding)


@pytest.mark.parametrize(("variant", "body"), [
    ("plain", _quadratic_blowup()),
    # '<b>' and ']>' inside the entity value must not end the DOCTYPE early
    ("markup in value", _quadratic_blowup("<b>bold</b> ]> ")),
    # a UTF-16 body hides '<!DOCTYPE' from a bytes regex: libraries.md's regex lets this one expand
    # (2,000 references -> 100 MB in 4 s, measured)
    ("utf-16", _quadratic_blowup(encoding="utf-16")),
])
def test_quadratic_blowup_stays_small_and_fast(variant: str, body: bytes) -> None:
    started = time.monotonic()
    parsed = parse_feed(body, {"content-type": "application/rss+xml"}, "https://x.example/f")
    assert [e.key for e in parsed.entries] == ["https://x.example/q"]
    # Unexpanded: the 50,000 references stay as their own 250 kB of text, not 2.5 GB.
    assert len(parsed.entries[0].summary) < 1_000_000, variant
    assert time.monotonic() - started < 10, variant


@pytest.mark.parametrize(("body", "expected"), [
    (b'<?xml version="1.0"?>\n<!DOCTYPE rss [ <!ENTITY a "x"> ]>\n<rss/>',
     b'<?xml version="1.0"?>\n\n<rss/>'),
    (b'<!DOCTYPE rss PUBLIC "-//N//DTD RSS 0.91//EN" "http://my.netscape.com/rss.dtd"><rss/>', b"<rss/>"),
    (b'<!-- c --><!DOCTYPE x [<!ENTITY a "]>"><!-- ] > -->]><x>&a;</x>', b"<!-- c --><x>&a;</x>"),
    (b'<!doctype x><!ENTITY stray "y"><x/>', b"<x/>"),
    (b"<rss><!DOCTYPE not-in-prolog></rss>", b"<rss><!DOCTYPE not-in-prolog></rss>"),
    (b'<!DOCTYPE x [ <!ENTITY a "unterminated', b""),
    (b"no markup at all", b"no markup at all"),
])
def test_strip_doctype(body: bytes, expected: bytes) -> None:
    assert strip_doctype(body) == expected


def test_strip_doctype_utf16_keeps_the_encoding() -> None:
    body = '<?xml version="1.0" encoding="utf-16"?><!DOCTYPE x [<!ENTITY a "b">]><x>ü</x>'.encode("utf-16")
    assert strip_doctype(body).decode("utf-16") == '<?xml version="1.0" encoding="utf-16"?><x>ü</x>'


@pytest.mark.parametrize(("link", "normal"), [
    ("https://a.example/p?utm_source=x&id=3&utm_medium=y#frag", "https://a.example/p?id=3"),
    ("HTTP://A.Example:80/p", "http://a.example/p"),
    ("https://a.example", "https://a.example/"),
    ("https://a.example/p?fbclid=1&gclid=2&_gl=3&q=a+b", "https://a.example/p?q=a+b"),
])
def test_normalise_link(link: str, normal: str) -> None:
    assert normalise_link(link) == normal


@pytest.mark.parametrize(("markup", "text"), [
    ("<p>One &amp; two</p><p>Three<br/>four</p>", "One & two\nThree\nfour"),
    ("A <b>bold</b>\n\n  move<script>var x = 1;</script><style>p{}</style>", "A bold move"),
    ("Plain &lt;text&gt; with&nbsp;nbsp", "Plain <text> with nbsp"),
    ("<ul><li>a</li><li>b</li></ul>", "a\nb"),
    ("", ""),
])
def test_html_to_text(markup: str, text: str) -> None:
    assert html_to_text(markup) == text


def _entry(key: str, hours_ago: float | None) -> FeedEntry:
    published = None if hours_ago is None else NOW - timedelta(hours=hours_ago)
    return FeedEntry(key=key, title=key, link=None, summary="", published=published)


def test_select_new_skips_seen_and_returns_oldest_first() -> None:
    entries = [_entry("c", 1), _entry("b", 5), _entry("a", 30), _entry("c", 1)]
    chosen = select_new(entries, {"b"}, first_poll=False, now=NOW)
    assert [e.key for e in chosen] == ["a", "c"]


def test_select_new_caps_at_the_newest() -> None:
    entries = [_entry(f"e{i}", i) for i in range(30)]
    chosen = select_new(entries, set(), first_poll=False, now=NOW, max_new=3)
    assert [e.key for e in chosen] == ["e2", "e1", "e0"]


def test_select_new_on_first_poll_takes_only_recent_dated_entries() -> None:
    entries = [_entry("fresh", 3), _entry("yesterday", 30), _entry("old", 24 * 10), _entry("undated", None)]
    chosen = select_new(entries, set(), first_poll=True, now=NOW)
    assert [e.key for e in chosen] == ["yesterday", "fresh"]


def test_select_new_later_polls_keep_undated_entries() -> None:
    entries = [_entry("undated", None), _entry("old", 24 * 10)]
    chosen = select_new(entries, set(), first_poll=False, now=NOW)
    assert [e.key for e in chosen] == ["old", "undated"]


def _numbered_feed(count: int, *, oldest_first: bool) -> bytes:
    order = range(count) if oldest_first else reversed(range(count))
    items = "".join(f"<item><title>n{i}</title><guid>n{i}</guid>"
                    f"<pubDate>{format_datetime(NOW - timedelta(hours=count - i), usegmt=True)}</pubDate>"
                    "</item>" for i in order)
    return f'<rss version="2.0"><channel><title>Many</title>{items}</channel></rss>'.encode()


@pytest.mark.parametrize("oldest_first", [True, False])
def test_long_feed_keeps_the_newest_entries_in_feed_order(oldest_first: bool) -> None:
    parsed = parse_feed(_numbered_feed(30, oldest_first=oldest_first), RSS_HEADERS, "https://x.example/f",
                        max_entries=3)
    expected = ["n27", "n28", "n29"] if oldest_first else ["n29", "n28", "n27"]
    assert [e.title for e in parsed.entries] == expected


async def test_parse_feed_in_thread_leaves_the_event_loop_free() -> None:
    body = _numbered_feed(2000, oldest_first=False)
    longest_gap = 0.0
    parsing = True

    async def tick() -> None:
        nonlocal longest_gap
        last = time.monotonic()
        while parsing:
            await asyncio.sleep(0.01)
            longest_gap = max(longest_gap, time.monotonic() - last)
            last = time.monotonic()

    ticker = asyncio.ensure_future(tick())
    parsed = await parse_feed_in_thread(body, RSS_HEADERS, "https://x.example/f")
    parsing = False
    await ticker
    assert len(parsed.entries) == 500 and parsed.entries[0].title == "n1999"
    assert longest_gap < 0.5


def test_lying_charset_gives_entries_and_a_warning_not_a_crash() -> None:
    body = ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>T</title>'
            "<item><title>阿里云数据中心</title><guid>g</guid></item></channel></rss>").encode("gbk")
    parsed = parse_feed(body, RSS_HEADERS, "https://x.example/f")
    assert len(parsed.entries) == 1  # the title is mojibake: nothing in the body says it is GBK
    assert parsed.warning == "document declared as utf-8, but parsed as windows-1252"
