"""OPML in and out of the sources file. Pure: bytes/text in, values or text out.

    parse_opml(bytes)                  -> [OpmlFeed]          every outline with an xmlUrl, nested or not
    sources_yaml(feeds, existing, ...) -> ImportPlan          YAML entries to append, and what was skipped
    render_opml(sources, now)          -> str                 OPML 2.0 of the sources

Import appends to the sources file rather than rewriting it, so its comments and order survive. An
OPML file carries no language, kind or poll interval, so those come from the command's options and
can be edited in the YAML afterwards. OPML files come from other programs and the web: one with a
DOCTYPE (where entity tricks live) is refused rather than parsed.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from email.utils import format_datetime
from urllib.parse import urlsplit
from xml.sax.saxutils import escape, quoteattr

from bot.errors import BotError
from bot.ingest.sources import Source

# An OPML subscription list is small; anything bigger is not one.
MAX_OPML_BYTES = 5_000_000
_SLUG = re.compile(r"[^a-z0-9]+")


class OpmlError(BotError):
    """The file is not a usable OPML subscription list; the message says why."""


@dataclass(frozen=True)
class OpmlFeed:
    title: str
    xml_url: str
    language: str | None = None


@dataclass(frozen=True)
class ImportPlan:
    yaml_text: str  # entries to append under `sources:` ("" when nothing is new)
    added: list[tuple[str, str]]  # (id, url)
    skipped: list[tuple[str, str]]  # (url, reason)


def parse_opml(data: bytes) -> list[OpmlFeed]:
    if len(data) > MAX_OPML_BYTES:
        raise OpmlError(f"file is larger than {MAX_OPML_BYTES // 1_000_000} MB; not a subscription list")
    head = data[:4096].lower()
    if b"<!doctype" in head or b"<!entity" in data.lower():
        raise OpmlError("the file declares a DOCTYPE or entities; refused (OPML needs neither)")
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError as exc:
        raise OpmlError(f"not well-formed XML: {exc}") from None
    if root.tag.lower() != "opml":
        raise OpmlError(f"the root element is <{root.tag}>, not <opml>")
    feeds: list[OpmlFeed] = []
    for outline in root.iter("outline"):
        attributes = {k.lower(): v for k, v in outline.attrib.items()}
        url = (attributes.get("xmlurl") or "").strip()
        if not url:
            continue  # a folder
        title = (attributes.get("title") or attributes.get("text") or "").strip() or urlsplit(url).netloc
        language = (attributes.get("language") or "").strip() or None
        feeds.append(OpmlFeed(" ".join(title.split()), url, language))
    if not feeds:
        raise OpmlError("no <outline> with an xmlUrl: nothing to import")
    return feeds


def sources_yaml(feeds: Iterable[OpmlFeed], existing: Sequence[Source], *, lang: str, kind: str,
                 poll_minutes: int, enabled: bool) -> ImportPlan:
    """YAML entries for the feeds not yet in `existing` (same URL), with fresh unique ids."""
    taken_ids = {s.id for s in existing}
    known_urls = {s.url for s in existing}
    added: list[tuple[str, str]] = []
    skipped: list[tuple[str, str]] = []
    blocks: list[str] = []
    for feed in feeds:
        parts = urlsplit(feed.xml_url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            skipped.append((feed.xml_url, "not an http(s) URL"))
            continue
        if feed.xml_url in known_urls:
            skipped.append((feed.xml_url, "already in the sources file"))
            continue
        source_id = _unique_id(feed, taken_ids)
        taken_ids.add(source_id)
        known_urls.add(feed.xml_url)
        language = feed.language if feed.language and re.fullmatch(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})*", feed.language) \
            else lang
        lines = [f"  - id: {source_id}",
                 f"    name: {_yaml_string(feed.title)}",
                 f"    url: {_yaml_string(feed.xml_url)}",
                 f"    lang: {language}",
                 f"    kind: {kind}",
                 f"    poll_minutes: {poll_minutes}"]
        if not enabled:
            lines.append("    enabled: false")
        blocks.append("\n".join(lines) + "\n")
        added.append((source_id, feed.xml_url))
    return ImportPlan("".join(blocks), added, skipped)


def render_opml(sources: Iterable[Source], now: datetime, title: str = "capex-watch sources") -> str:
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<opml version="2.0">', "  <head>",
             f"    <title>{escape(title)}</title>", f"    <dateCreated>{format_datetime(now)}</dateCreated>",
             "  </head>", "  <body>"]
    for source in sources:
        attributes = {"text": source.name, "title": source.name, "type": "rss", "xmlUrl": source.url,
                      "language": source.lang, "category": source.kind}
        rendered = " ".join(f"{name}={quoteattr(value)}" for name, value in attributes.items())
        lines.append(f"    <outline {rendered}/>")
    lines += ["  </body>", "</opml>", ""]
    return "\n".join(lines)


def _unique_id(feed: OpmlFeed, taken: set[str]) -> str:
    base = _SLUG.sub("-", feed.title.lower()).strip("-")[:40].strip("-")
    if not base:
        base = _SLUG.sub("-", urlsplit(feed.xml_url).netloc.lower()).strip("-")[:40].strip("-") or "feed"
    candidate, number = base, 2
    while candidate in taken:
        candidate = f"{base}-{number}"
        number += 1
    return candidate


def _yaml_string(value: str) -> str:
    # A JSON string is a valid YAML double-quoted scalar: no quoting rules to get wrong.
    return json.dumps(value, ensure_ascii=False)
