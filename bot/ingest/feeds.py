"""Feed bytes -> entries with stable keys; which entries are new. Pure (no I/O; `now` is an argument).

feedparser is only ever given an in-memory file (libraries.md §4.1): given `bytes` or `str` it first
tries to open them as a path or URL, so a body such as b"/etc/passwd" would be read from disk. The
DOCTYPE is removed before parsing (§4.4): feedparser's loose parser expands internal entities without
limit, which is how a quadratic-blowup feed gets through.

feedparser's HTML sanitizer and URI rewriting inside content are switched off: every title and
summary is reduced to plain text here (scripts and styles dropped), so their output was never used,
and they cost a third of the parse. Entry links are still resolved against the feed URL.
Parsing is still CPU-bound (10,000 entries, 2.5 MB: 6 s, measured): call `parse_feed_in_thread` from
async code.
"""

from __future__ import annotations

import asyncio
import calendar
import codecs
import hashlib
import html
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import feedparser

# Entries kept per parse (the newest): bounds the work after feedparser and everything downstream.
MAX_ENTRIES = 500
# Keys longer than this (some feeds put whole URLs with tracking soup in <guid>) are hashed instead.
MAX_KEY_CHARS = 300
# Query parameters that only track the reader; two links differing only in them are one article.
_TRACKING_PARAMS = frozenset({"_gl", "fbclid", "gclid", "mc_cid", "mc_eid", "igshid", "ocid", "cmpid"})


class FeedError(Exception):
    """The body is not a feed; the message is one line ("not a feed: HTML page (text/html)")."""


@dataclass(frozen=True)
class FeedEntry:
    key: str  # stable across polls: the entry id, else its normalised link, else a hash
    title: str  # plain text
    link: str | None  # absolute http(s) URL with tracking parameters and fragment removed
    summary: str  # plain text: the longer of the summary and the full content, HTML stripped
    published: datetime | None  # UTC, aware
    publisher: str | None = None  # the <source> of aggregator items (Google News names the outlet here)


@dataclass(frozen=True)
class ParsedFeed:
    title: str | None
    entries: list[FeedEntry]
    warning: str | None  # a recoverable problem feedparser reported (bozo), one line
    ttl: str | None = None  # RSS <ttl>: minutes the publisher says the feed may be cached


def parse_feed(body: bytes, headers: dict[str, str], url: str, *, now: datetime | None = None,
               max_entries: int = MAX_ENTRIES) -> ParsedFeed:
    """Parse an RSS 0.9x/2.0, RSS 1.0 (RDF) or Atom body fetched from `url`.

    `headers` are the response headers (lower-case names); the Content-Type charset is honoured and
    relative links resolve against `url`. Dates after `now` (when given) are clamped to `now`. Of a
    longer feed only the `max_entries` newest entries are kept, in feed order.
    Raises FeedError when the body holds no feed at all.
    """
    response_headers = {k.lower(): v for k, v in headers.items()}
    response_headers.setdefault("content-location", url)
    parsed = feedparser.parse(io.BytesIO(strip_doctype(body)), response_headers=response_headers,
                              sanitize_html=False, resolve_relative_uris=False)
    raw_entries: list[Any] = list(parsed.get("entries") or [])
    if not raw_entries and not parsed.get("version"):
        raise FeedError(f"not a feed: {_describe_non_feed(body, parsed, response_headers)}")
    warning = None
    if parsed.get("bozo"):
        warning = one_line(parsed.get("bozo_exception")) or "feed is not well-formed"
    feed_info = parsed.get("feed") or {}
    feed_title = _plain_field(feed_info, "title") or None
    if len(raw_entries) > max_entries:
        raw_entries = _newest(raw_entries, max_entries)
    entries = [_entry(raw, now) for raw in raw_entries]
    ttl = feed_info.get("ttl")
    return ParsedFeed(title=feed_title, entries=entries, warning=warning, ttl=str(ttl) if ttl else None)


async def parse_feed_in_thread(body: bytes, headers: dict[str, str], url: str, *,
                               now: datetime | None = None, max_entries: int = MAX_ENTRIES) -> ParsedFeed:
    """`parse_feed` in a worker thread, so a large feed does not stall the event loop."""
    return await asyncio.to_thread(parse_feed, body, headers, url, now=now, max_entries=max_entries)


def _newest(raw_entries: list[Any], count: int) -> list[Any]:
    """The `count` newest entries, in feed order. Undated entries count as newest (as in select_new),
    and ties go by position, since feeds usually list newest first."""
    def rank(item: tuple[int, Any]) -> tuple[float, int]:
        published = _entry_date(item[1])
        return (-published.timestamp() if published else float("-inf"), item[0])

    chosen = sorted(enumerate(raw_entries), key=rank)[:count]
    return [raw for _, raw in sorted(chosen, key=lambda item: item[0])]


def select_new(entries: Iterable[FeedEntry], seen_keys: set[str] | frozenset[str], *, first_poll: bool,
               now: datetime, max_new: int = 20,
               first_poll_window: timedelta = timedelta(days=2)) -> list[FeedEntry]:
    """The entries to process now, oldest first: not seen before, at most `max_new` of the newest.

    On a source's first poll only entries published within `first_poll_window` count (undated ones
    cannot be placed in time and are skipped), so adding a source does not flood subscribers with its
    back catalogue. The caller records *every* entry's key as seen afterwards, not only these.
    """
    fresh: list[tuple[int, FeedEntry]] = []
    keys_taken: set[str] = set()
    for position, entry in enumerate(entries):
        if entry.key in seen_keys or entry.key in keys_taken:
            continue
        if first_poll and (entry.published is None or now - entry.published > first_poll_window):
            continue
        keys_taken.add(entry.key)
        fresh.append((position, entry))
    # Newest first; undated entries count as "now" and keep feed order (feeds list newest first).
    newest_first = sorted(fresh, key=lambda item: (-(item[1].published or now).timestamp(), item[0]))
    chosen = newest_first[:max_new]
    return [entry for _, entry in reversed(chosen)]


def strip_doctype(body: bytes) -> bytes:
    """`body` without its DOCTYPE (and the internal subset where entities are declared).

    Only the prolog is touched: the scan stops at the first element. Quotes and brackets inside the
    DOCTYPE are honoured, so a `<b>` or `]>` inside an entity value does not end it early. UTF-16/32
    bodies are scanned as text and re-encoded, so the attack cannot hide in a wide encoding.
    """
    codec, offset = _wide_codec(body)
    if codec is None:
        # latin-1 maps each byte to one char and back, so the rest of the body is untouched.
        return _strip_doctype_text(body.decode("latin-1")).encode("latin-1")
    text = body[offset:].decode(codec, errors="replace")
    stripped = _strip_doctype_text(text)
    if stripped is text:
        return body
    return body[:offset] + stripped.encode(codec, errors="replace")


def normalise_link(link: str) -> str:
    """`link` without tracking parameters (utm_*, _gl, fbclid ...) and fragment; scheme/host lower-case."""
    parts = urlsplit(link.strip())
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
             if not (k.lower().startswith("utm_") or k.lower() in _TRACKING_PARAMS)]
    netloc = parts.netloc.lower()
    if parts.scheme.lower() == "http" and netloc.endswith(":80"):
        netloc = netloc[:-3]
    elif parts.scheme.lower() == "https" and netloc.endswith(":443"):
        netloc = netloc[:-4]
    return urlunsplit((parts.scheme.lower(), netloc, parts.path or "/", urlencode(query), ""))


def html_to_text(markup: str) -> str:
    """Plain text of an HTML fragment: tags dropped, entities decoded, blocks on their own lines."""
    if "<" not in markup and "&" not in markup:
        return _tidy(markup)
    converter = _TextCollector()
    try:
        converter.feed(markup)
        converter.close()
    except (AssertionError, ValueError):  # HTMLParser's own errors on pathological markup
        return _tidy(html.unescape(re.sub(r"<[^>]*>", " ", markup)))
    return _tidy("".join(converter.parts))


# --- entries ------------------------------------------------------------------------------------------

def _entry(raw: Any, now: datetime | None) -> FeedEntry:
    title = _plain_field(raw, "title")
    link = _http_link(raw.get("link"))
    summary = _plain_field(raw, "summary")
    for content in raw.get("content") or []:
        text = _plain(content.get("value") or "", content.get("type") or "text/html")
        if len(text) > len(summary):
            summary = text
    published = _entry_date(raw)
    if published is not None and now is not None and published > now:
        published = now  # a clock-skewed or lying feed must not sort above everything forever
    source = raw.get("source") or {}
    publisher = _tidy(str(source.get("title") or "")) or None
    key = _entry_key(raw, link, title, published, summary)
    return FeedEntry(key=key, title=title, link=link, summary=summary, published=published,
                     publisher=publisher)


def _entry_key(raw: Any, link: str | None, title: str, published: datetime | None, summary: str) -> str:
    entry_id = str(raw.get("id") or "").strip()
    if entry_id:
        # Ids that are URLs (RSS guid isPermaLink) often carry tracking parameters that change
        # between polls; the fragment is kept because some feeds number live-blog updates with it.
        if entry_id.startswith(("http://", "https://")):
            fragment = urlsplit(entry_id).fragment
            entry_id = normalise_link(entry_id) + (f"#{fragment}" if fragment else "")
        return _bounded(entry_id)
    if link:
        return _bounded(normalise_link(link))
    stamp = published.isoformat() if published else str(raw.get("published") or raw.get("updated") or "")
    # Without a title or a date the summary is all that tells entries apart.
    basis = title + "\n" + stamp + ("" if title or stamp else "\n" + summary)
    return "sha1:" + hashlib.sha1(basis.encode("utf-8")).hexdigest()


def _bounded(key: str) -> str:
    if len(key) <= MAX_KEY_CHARS:
        return key
    return "sha1:" + hashlib.sha1(key.encode("utf-8")).hexdigest()


def _entry_date(raw: Any) -> datetime | None:
    for name in ("published_parsed", "updated_parsed", "created_parsed"):
        value = raw.get(name)
        if value is None:
            continue
        try:
            # feedparser's struct_time is UTC: timegm, never mktime (which assumes local time).
            return datetime.fromtimestamp(calendar.timegm(value), UTC)
        except (OverflowError, ValueError, OSError, TypeError):
            continue
    return None


def _http_link(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    link = value.strip()
    if not link.lower().startswith(("http://", "https://")) or not urlsplit(link).netloc:
        return None
    return normalise_link(link)


def _plain_field(container: Any, name: str) -> str:
    value = container.get(name)
    if not value:
        return ""
    detail = container.get(f"{name}_detail") or {}
    return _plain(str(value), str(detail.get("type") or "text/html"))


def _plain(value: str, content_type: str) -> str:
    if content_type == "text/plain":
        return _tidy(value)
    return html_to_text(value)


# --- HTML to text -------------------------------------------------------------------------------------

_BLOCK_TAGS = frozenset({"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr",
                         "blockquote", "pre", "section", "article", "header", "footer", "table", "hr",
                         "figure", "figcaption", "dd", "dt"})
_SKIPPED_TAGS = frozenset({"script", "style", "noscript", "template"})
_WHITESPACE = re.compile(r"\s+")


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0
        self._preformatted = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED_TAGS:
            self._skipping += 1
        elif tag in _BLOCK_TAGS:
            self._preformatted += tag == "pre"
            self.parts.append("\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED_TAGS:
            self._skipping = max(0, self._skipping - 1)
        elif tag in _BLOCK_TAGS:
            if tag == "pre":
                self._preformatted = max(0, self._preformatted - 1)
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self._skipping:
            return
        # In HTML a line break in the source is just a space; only block elements and <pre> break lines.
        self.parts.append(data if self._preformatted else _WHITESPACE.sub(" ", data))


# Invisible format characters: bidi overrides and isolates could make a quote read backwards in an alert,
# zero-width ones hide text from the claim rules. trafilatura drops them on the page path; so does this.
_INVISIBLE = dict.fromkeys(
    [0x00AD, 0x061C, 0x180E, *range(0x200B, 0x2010), *range(0x202A, 0x202F), *range(0x2060, 0x2065),
     *range(0x2066, 0x206A), 0xFEFF])


def _tidy(text: str) -> str:
    """Collapse runs of spaces inside lines and blank lines between them; strip the ends and invisible
    format characters."""
    lines = (" ".join(line.split()) for line in text.translate(_INVISIBLE).replace("\xa0", " ").splitlines())
    return "\n".join(line for line in lines if line)


# --- DOCTYPE removal ----------------------------------------------------------------------------------

def _wide_codec(body: bytes) -> tuple[str | None, int]:
    """(codec, BOM length) for UTF-16/32 bodies, (None, 0) for ASCII-compatible ones."""
    boms = ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
            (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
    for bom, codec in boms:
        if body.startswith(bom):
            return codec, len(bom)
    # No BOM: XML 1.0 appendix F, a document starts with '<' (or whitespace) in its encoding.
    for pattern, codec in ((b"<\0\0\0", "utf-32-le"), (b"\0\0\0<", "utf-32-be"),
                           (b"<\0", "utf-16-le"), (b"\0<", "utf-16-be")):
        if body.startswith(pattern):
            return codec, 0
    return None, 0


def _strip_doctype_text(text: str) -> str:
    """Remove every markup declaration (<!DOCTYPE ...>, and stray <!ENTITY ...> an attacker may have
    left outside one) from the prolog, i.e. before the first element of `text`."""
    position, length = 0, len(text)
    pieces: list[str] = []
    kept_from = 0
    while position < length:
        start = text.find("<", position)
        if start < 0:
            break
        if text.startswith("<?", start):
            end = text.find("?>", start + 2)
            position = length if end < 0 else end + 2
        elif text.startswith("<!--", start):
            end = text.find("-->", start + 4)
            position = length if end < 0 else end + 3
        elif text.startswith("<!", start):
            pieces.append(text[kept_from:start])
            kept_from = position = _declaration_end(text, start + 2)
        else:
            break  # the first element: the prolog is over
    if not pieces:
        return text
    pieces.append(text[kept_from:])
    return "".join(pieces)


def _declaration_end(text: str, position: int) -> int:
    """Index just after the '>' closing a declaration whose body starts at `position`.

    Quoted strings, comments and the [internal subset] are skipped whole, so no '>' or ']' inside
    an entity value can end it early. Unterminated: the end of `text` (the body is broken anyway,
    and dropping it all fails safe).
    """
    quote: str | None = None
    subset_depth = 0
    index, length = position, len(text)
    while index < length:
        char = text[index]
        if quote is not None:
            if char == quote:
                quote = None
        elif char in "\"'":
            quote = char
        elif text.startswith("<!--", index):
            end = text.find("-->", index + 4)
            if end < 0:
                return length
            index = end + 3
            continue
        elif char == "[":
            subset_depth += 1
        elif char == "]":
            subset_depth = max(0, subset_depth - 1)
        elif char == ">" and subset_depth == 0:
            return index + 1
        index += 1
    return length


# --- errors -------------------------------------------------------------------------------------------

def _describe_non_feed(body: bytes, parsed: Any, headers: dict[str, str]) -> str:
    content_type = headers.get("content-type", "").split(";", 1)[0].strip().lower() or "no content type"
    head = body[:2048].lstrip().lower()
    if not body.strip():
        return f"empty body ({content_type})"
    if head.startswith((b"<!doctype html", b"<html")) or b"<html" in head or b"<body" in head:
        return f"HTML page ({content_type})"
    problem = one_line(parsed.get("bozo_exception"))
    return f"{problem or 'no feed elements'} ({content_type})"


def one_line(exc: object) -> str:
    """An error's message on one line, at most 200 characters (logs, admin notices, status tables)."""
    if exc is None:
        return ""
    text = " ".join(str(exc).split())
    return text[:200] + "…" if len(text) > 200 else text
