"""The sources file: which feeds the bot polls. Pure: text in, validated `Source` values out.

Format (YAML), one mapping per source under a top-level `sources:` list:

    sources:
      - id: heise                     # unique; lower-case letters, digits, '-' and '_'
        name: heise online            # shown in alerts and logs
        url: https://www.heise.de/rss/heise-atom.xml
        lang: de                      # language code of the articles (en, zh, fr, de, ja, zh-Hans ...)
        kind: press                   # press | trade | first_party | filing | aggregator
        poll_minutes: 30              # 1 .. 10080
        enabled: true                 # optional, default true
        paywall: false                # optional, default false: pages may be subscriber-only stubs
        companies: [microsoft]        # optional: companies the source is about

A Google News search feed gives `query` plus `hl`, `gl` and `ceid` instead of `url`; the URL is built
here so nobody hand-encodes it. Every error names the file, the source and the field, so a bad file
stops the bot at start with a message that says what to fix.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import yaml

from bot.errors import BotError
from bot.model import COMPANIES

KINDS: tuple[str, ...] = ("press", "trade", "first_party", "filing", "aggregator")
GOOGLE_NEWS_SEARCH = "https://news.google.com/rss/search"
# A week: a slower source is better disabled than forgotten.
MAX_POLL_MINUTES = 7 * 24 * 60

_ID = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}\Z")
# BCP 47-ish: "en", "zh", "zh-Hans", "en-US". Enough to catch typos and YAML turning `no` into False.
_LANG = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})*\Z")
_LOCALE_PART = re.compile(r"[A-Za-z0-9:-]{2,16}\Z")
_FIELDS = frozenset({"id", "name", "url", "query", "hl", "gl", "ceid", "lang", "kind", "poll_minutes",
                     "enabled", "paywall", "companies"})


class SourcesError(BotError):
    """The sources file cannot be used; the message names the file, the source and the field."""


@dataclass(frozen=True)
class Source:
    id: str
    name: str
    url: str
    lang: str
    poll_minutes: int
    kind: str
    enabled: bool = True
    paywall: bool = False
    companies: tuple[str, ...] = ()

    @property
    def poll_seconds(self) -> float:
        return self.poll_minutes * 60.0


def google_news_url(query: str, hl: str, gl: str, ceid: str) -> str:
    """The Google News RSS search URL for a query and locale (the format sources.md documents)."""
    return (f"{GOOGLE_NEWS_SEARCH}?q={quote(query, safe='')}"
            f"&hl={quote(hl, safe='')}&gl={quote(gl, safe='')}&ceid={quote(ceid, safe=':')}")


def enabled(sources: Iterable[Source]) -> list[Source]:
    """The sources to poll."""
    return [s for s in sources if s.enabled]


def load_sources(path: Path) -> list[Source]:
    """All sources (enabled or not) of a sources file; `SourcesError` if it cannot be used."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise SourcesError(f"{path}: not UTF-8 text") from None
    except OSError as exc:
        raise SourcesError(f"{path}: cannot read: {exc.strerror or exc}") from None
    return parse_sources(text, origin=str(path))


def parse_sources(text: str, origin: str = "sources.yaml") -> list[Source]:
    """All sources (enabled or not) described by `text`, in file order."""
    try:
        document = yaml.load(text, Loader=_StrictLoader)  # a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f"line {mark.line + 1}: " if mark is not None else ""
        raise SourcesError(f"{origin}: {where}{exc.problem or exc.context or 'invalid YAML'}") from None
    except yaml.YAMLError as exc:
        raise SourcesError(f"{origin}: invalid YAML: {exc}") from None
    if not isinstance(document, dict) or "sources" not in document:
        raise SourcesError(f"{origin}: expected a mapping with a 'sources:' list at the top")
    extra = sorted(str(k) for k in document if k != "sources")
    if extra:
        raise SourcesError(f"{origin}: unknown top-level key {extra[0]!r} (only 'sources' is allowed)")
    items = document["sources"]
    if not isinstance(items, list) or not items:
        raise SourcesError(f"{origin}: 'sources' must be a non-empty list")

    sources: list[Source] = []
    first_index_of_id: dict[str, int] = {}
    id_of_url: dict[str, str] = {}
    for index, item in enumerate(items, start=1):
        source = _parse_one(item, f"{origin}: source #{index}", origin)
        where = f"{origin}: source {source.id!r}"
        if source.id in first_index_of_id:
            raise SourcesError(f"{where}: id is used twice (sources #{first_index_of_id[source.id]} "
                               f"and #{index})")
        if source.url in id_of_url:
            raise SourcesError(f"{where}: url is already used by source {id_of_url[source.url]!r}")
        first_index_of_id[source.id] = index
        id_of_url[source.url] = source.id
        sources.append(source)
    return sources


def _parse_one(item: object, where: str, origin: str) -> Source:
    if not isinstance(item, dict):
        raise SourcesError(f"{where}: must be a mapping of fields (id, name, url, ...)")
    raw_id = item.get("id")
    if not isinstance(raw_id, str) or not _ID.match(raw_id):
        problem = "is missing" if raw_id is None else f"{raw_id!r} is not valid"
        raise SourcesError(f"{where}: id {problem} (lower-case letters, digits, '-' and '_')")
    where = f"{origin}: source {raw_id!r}"

    def fail(field: str, problem: str) -> SourcesError:
        return SourcesError(f"{where}: {field} {problem}")

    unknown = sorted(str(k) for k in item if k not in _FIELDS)
    if unknown:
        raise fail(unknown[0], f"is not a known field (known: {', '.join(sorted(_FIELDS))})")

    def text_field(field: str, *, required: bool = True) -> str | None:
        value = item.get(field)
        if value is None and not required:
            return None
        if value is None:
            raise fail(field, "is missing")
        if not isinstance(value, str) or not value.strip():
            raise fail(field, f"must be a non-empty string (got {value!r}; quote it in YAML)")
        return value.strip()

    def bool_field(field: str, default: bool) -> bool:
        value = item.get(field, default)
        if not isinstance(value, bool):
            raise fail(field, f"must be true or false (got {value!r})")
        return value

    name = text_field("name") or raw_id

    has_url, has_query = "url" in item, "query" in item
    if has_url == has_query:
        raise fail("url", "is missing (give either url, or query with hl, gl and ceid)" if not has_url
                   else "and query are both given (give one of them)")
    if has_url:
        url = text_field("url") or ""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc or any(c.isspace() for c in url):
            raise fail("url", f"must be an http:// or https:// URL (got {url!r})")
        for field in ("hl", "gl", "ceid"):
            if field in item:
                raise fail(field, "only goes with query (a Google News search), not with url")
    else:
        query = text_field("query") or ""
        locale = {field: text_field(field) or "" for field in ("hl", "gl", "ceid")}
        for field, value in locale.items():
            if not _LOCALE_PART.match(value):
                raise fail(field, f"{value!r} is not a locale code like 'en-US', 'US' or 'US:en'")
        if not locale["ceid"].startswith(locale["gl"] + ":"):
            raise fail("ceid", f"must be '<gl>:<language>' with gl {locale['gl']!r} "
                       f"(got {locale['ceid']!r})")
        url = google_news_url(query, locale["hl"], locale["gl"], locale["ceid"])

    lang = text_field("lang") or ""
    if not _LANG.match(lang):
        raise fail("lang", f"{lang!r} is not a language code like 'en', 'zh' or 'zh-Hans'")

    kind = text_field("kind") or ""
    if kind not in KINDS:
        raise fail("kind", f"must be one of {', '.join(KINDS)} (got {kind!r})")

    poll = item.get("poll_minutes")
    if poll is None:
        raise fail("poll_minutes", "is missing")
    if isinstance(poll, bool) or not isinstance(poll, int) or not 1 <= poll <= MAX_POLL_MINUTES:
        raise fail("poll_minutes", f"must be a positive integer up to {MAX_POLL_MINUTES} (got {poll!r})")

    raw_companies = item.get("companies", [])
    if not isinstance(raw_companies, list) or not all(isinstance(c, str) for c in raw_companies):
        raise fail("companies", f"must be a list of names (got {raw_companies!r})")
    for company in raw_companies:
        if company not in COMPANIES:
            raise fail("companies", f"{company!r} is not one of {', '.join(COMPANIES)}")

    return Source(id=raw_id, name=name, url=url, lang=lang, poll_minutes=poll, kind=kind,
                  enabled=bool_field("enabled", True), paywall=bool_field("paywall", False),
                  companies=tuple(raw_companies))


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that rejects a key given twice in one mapping (PyYAML silently keeps the last)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Hashable, Any]:
        seen: set[object] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"key {key!r} is given twice", key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep=deep)
