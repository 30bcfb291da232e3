"""One poll pass, as a story: which sources are due → fetch each feed → new entries → fetch and
extract each page → find claims → judge them against the ledger → store with alerts and deliveries.

Everything that decides is a pure stage function (feeds, extract.choose_text, claims, compare);
this module only sequences them and hands results to the store. One broken source never stops the
pass: its error is recorded, logged in one line and it backs off.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import httpx

from bot import claims as claim_rules
from bot import extract, feeds, fetch, judge
from bot.config import Settings
from bot.ledger import Ledger
from bot.model import Article
from bot.sources import Source
from bot.store import ArticleRecord, Store, StoryRecord
from bot.stories import DEFAULT_POLICY, Story

log = logging.getLogger("bot.poll")

# At most this many sources are fetched at the same time; pages of one source go one by one.
SOURCE_CONCURRENCY = 4
STORY_WINDOW_DAYS = DEFAULT_POLICY.window_days


@dataclass
class Runtime:
    """What a poll pass needs; built once by bot.app, passed explicitly (no globals)."""

    settings: Settings
    sources: Sequence[Source]
    store: Store
    client: httpx.AsyncClient
    ledger: Ledger
    clock: Callable[[], datetime]


@dataclass
class SourceReport:
    source_id: str
    status: str  # ok | not_modified | error
    new_entries: int = 0
    claims: int = 0
    alerts: int = 0
    error: str | None = None
    elapsed_ms: int = 0

    def log_line(self) -> str:
        line = (f"source={self.source_id} status={self.status} new={self.new_entries} "
                f"claims={self.claims} alerts={self.alerts} ms={self.elapsed_ms}")
        return line + (f' error="{self.error}"' if self.error else "")


@dataclass
class PassReport:
    sources: list[SourceReport] = field(default_factory=list)
    released: int = 0  # held stories alerted as unconfirmed

    @property
    def alerts(self) -> int:
        return sum(s.alerts for s in self.sources)


async def poll_pass(rt: Runtime) -> PassReport:
    """Poll every enabled source that is due now."""
    now = rt.clock()
    enabled = {s.id: s for s in rt.sources if s.enabled}
    rt.store.ensure_sources(list(enabled), now)
    due = [enabled[sid] for sid in rt.store.due_sources(list(enabled), now)]
    gate = asyncio.Semaphore(SOURCE_CONCURRENCY)

    async def one(source: Source) -> SourceReport:
        async with gate:
            return await poll_source(rt, source)

    report = PassReport(list(await asyncio.gather(*(one(s) for s in due))))
    report.released = release_held_stories(rt)
    if report.sources:
        failed = sum(s.status == "error" for s in report.sources)
        log.info("pass sources=%d ok=%d errors=%d new=%d claims=%d alerts=%d released=%d", len(report.sources),
                 len(report.sources) - failed, failed, sum(s.new_entries for s in report.sources),
                 sum(s.claims for s in report.sources), report.alerts, report.released)
    for source_report in report.sources:
        (log.warning if source_report.status == "error" else log.info)(source_report.log_line())
    return report


async def poll_source(rt: Runtime, source: Source) -> SourceReport:
    started = time.monotonic()
    report = SourceReport(source.id, "ok")
    try:
        await _poll_source(rt, source, report)
    except Exception as exc:  # a bug in one source's handling must not end the pass for the others
        log.exception("source=%s status=crash", source.id)
        report.status, report.error = "error", f"internal error: {type(exc).__name__}: {exc}"
        _record_error(rt, source, report.error, None)
    report.elapsed_ms = int((time.monotonic() - started) * 1000)
    return report


async def _poll_source(rt: Runtime, source: Source, report: SourceReport) -> None:
    state = rt.store.source_state(source.id)
    result = await fetch.fetch(rt.client, source.url, max_bytes=rt.settings.feed_max_bytes,
                               timeout=rt.settings.fetch_timeout, etag=state.etag,
                               last_modified=state.last_modified)
    if isinstance(result, fetch.FetchFailed):
        report.status, report.error = "error", result.message
        _record_error(rt, source, result.message, result.retry_after)
        return
    next_poll = rt.clock() + timedelta(minutes=source.poll_minutes)
    if isinstance(result, fetch.NotModified):
        report.status = "not_modified"
        rt.store.record_poll_success(source.id, rt.clock(), next_poll, result.etag, result.last_modified, 0)
        return

    try:
        # the configured URL, not the final one: bare <guid>s resolve against it, so keys survive a redirect
        parsed = await feeds.parse_feed_in_thread(result.body, result.headers, source.url)
    except feeds.FeedError as exc:
        report.status, report.error = "error", str(exc)
        _record_error(rt, source, str(exc), None)
        return

    now = rt.clock()
    keys = [e.key for e in parsed.entries]
    seen = rt.store.seen_keys(source.id, keys)
    fresh = feeds.select_new(parsed.entries, seen, first_poll=state.first_polled_at is None, now=now)
    chosen = {e.key for e in fresh}
    # Entries passed over on purpose (a new source's back catalogue) are remembered as seen, so
    # they never flood subscribers later.
    rt.store.mark_seen(source.id, [k for k in keys if k not in seen and k not in chosen], now)

    for entry in fresh:
        found, alerts = await _read_entry(rt, source, entry)
        report.new_entries += 1
        report.claims += found
        report.alerts += alerts
    rt.store.record_poll_success(source.id, rt.clock(), next_poll, result.etag, result.last_modified,
                                 len(fresh))


async def _read_entry(rt: Runtime, source: Source, entry: feeds.FeedEntry) -> tuple[int, int]:
    """Fetch, extract, match and judge one new entry; returns (claims, new alerts)."""
    page: extract.ExtractedPage | None = None
    if entry.link:
        fetched = await fetch.fetch(rt.client, entry.link, max_bytes=rt.settings.page_max_bytes,
                                    timeout=rt.settings.fetch_timeout, accept=fetch.PAGE_ACCEPT,
                                    media_types=fetch.PAGE_MEDIA_TYPES)
        if isinstance(fetched, fetch.Fetched):
            page = await extract.extract_in_thread(fetched.body, fetched.final_url)
        else:
            log.info("source=%s entry=%s page=unavailable reason=%r: using the feed summary",
                     source.id, entry.link, getattr(fetched, "message", "not modified"))
    text, origin = extract.choose_text(page, entry)
    article = Article(id=f"{source.id}:{entry.key}", url=entry.link or "", lang=source.lang,
                      text=text, title=entry.title or (page.title if page else None),
                      publisher=source.name, date=entry.published.date().isoformat() if entry.published else None)
    found = claim_rules.extract_claims(article)
    now = rt.clock()
    decisions = judge.judge_article(found, article, source, rt.ledger, open_stories(rt.store, now), now)
    record = ArticleRecord(source_id=source.id, entry_key=entry.key, url=entry.link, title=article.title,
                           lang=source.lang, published_at=entry.published, text=text, text_origin=origin)
    new_alerts = rt.store.record_article(
        record, decisions.claims, decisions.alerts, now,
        stories=[story_record(story, decisions.story_topics.get(story.id, "capex"))
                 for story in decisions.stories.values()],
        ledger_entries=[(entry.id, entry.to_json()) for entry in decisions.ledger_entries])
    if decisions.ledger_entries:
        rt.ledger = rt.ledger.with_confirmed(*decisions.ledger_entries)
    return len(found), len(new_alerts)


def open_stories(store: Store, now: datetime) -> list[Story]:
    return [Story.from_json(state) for _, state in store.open_stories(now - timedelta(days=STORY_WINDOW_DAYS))]


def story_record(story: Story, topic: str) -> StoryRecord:
    return StoryRecord(id=story.id, company=story.company, topic=topic, status=story.status,
                       opened_at=story.opened_at, state=story.to_json())


def release_held_stories(rt: Runtime) -> int:
    """Held changes nobody confirmed within the window go out marked unconfirmed."""
    now = rt.clock()
    window = rt.store.open_stories(now - timedelta(days=STORY_WINDOW_DAYS))
    topics = {state["id"]: topic for topic, state in window}
    released = judge.release_waiting([Story.from_json(state) for _, state in window], now)
    if not released:
        return 0
    records = [story_record(story, topics[story.id]) for story in released]
    alerts = [judge.alert_for(story, topics[story.id]) for story in released]
    return len(rt.store.release_stories(records, alerts, now))


def _record_error(rt: Runtime, source: Source, message: str, retry_after: float | None) -> None:
    state = rt.store.source_state(source.id)
    wait = fetch.backoff_seconds(state.consecutive_errors + 1, source.poll_minutes * 60, retry_after)
    now = rt.clock()
    rt.store.record_poll_error(source.id, now, now + timedelta(seconds=wait), message)
