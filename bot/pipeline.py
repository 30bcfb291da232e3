"""One poll pass, as a story: which sources are due → fetch each feed → new entries → fetch and
extract each page → find claims → judge them against the ledger → store with alerts and deliveries.

Everything that decides is a pure stage function (feeds, extract.choose_text, claims, compare);
this module only sequences them and hands results to the store. One broken source never stops the
pass: its error is recorded, logged in one line and it backs off.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import httpx

from bot.alerts import judge
from bot.alerts.stories import DEFAULT_POLICY, Story
from bot.analysis import claims as claim_rules
from bot.config import Settings
from bot.ingest import extract, feeds, fetch, schedule
from bot.ingest.sources import Source
from bot.ledger.entries import Ledger, LedgerEntry
from bot.model import Article
from bot.model.records import ArticleRecord, StoryRecord
from bot.store.database import Store
from bot.store.dialect import DatabaseUnavailable
from bot.store.heartbeat import POLL, Heartbeat

log = logging.getLogger("bot.poll")

# At most this many sources are fetched at the same time; pages of one source go one by one.
SOURCE_CONCURRENCY = 4
STORY_WINDOW_DAYS = DEFAULT_POLICY.window_days
# A feed that published more than one pass reads (feeds.select_new's max_new) is polled again this soon.
BACKLOG_RETRY = timedelta(minutes=1)
# Sources leased at a time: small batches let several pollers share the due sources evenly.
LEASE_BATCH = SOURCE_CONCURRENCY * 4
# Decisions about stories (which story a claim joins, whether it alerts) are taken one at a time across
# every poller, under this name (Store.exclusive), so two outlets read at once still make one story.
STORY_LOCK = "stories"


def poller_id() -> str:
    """Who holds a lease: host and process, so an operator can tell the pollers apart."""
    return f"{socket.gethostname()}:{os.getpid()}"


@dataclass
class Runtime:
    """What a poll pass needs; built once by bot.app, passed explicitly (no globals)."""

    settings: Settings
    sources: Sequence[Source]
    store: Store
    client: httpx.AsyncClient
    ledger: Ledger
    clock: Callable[[], datetime]
    heartbeat: Heartbeat | None = None  # the running bot's liveness file (bot/store/heartbeat.py)
    owner: str = field(default_factory=poller_id)  # this process, as the holder of source leases
    lease_seconds: float = 600.0
    confirmed_count: int = -1  # ledger_entries rows already in `ledger` (-1: not checked yet)


@dataclass
class SourceReport:
    source_id: str
    status: str  # ok | not_modified | error
    new_entries: int = 0
    claims: int = 0
    alerts: int = 0
    error: str | None = None
    elapsed_ms: int = 0
    warning: str | None = None
    next_poll_s: int | None = None  # seconds until this source is polled again
    paused: bool = False

    def log_line(self) -> str:
        """The pass's one line per source; every key always present, so logs can be parsed and grepped."""
        next_poll = "-" if self.next_poll_s is None else str(self.next_poll_s)
        return (f"source={self.source_id} status={self.status} new={self.new_entries} "
                f"claims={self.claims} alerts={self.alerts} ms={self.elapsed_ms} next_s={next_poll} "
                f"paused={int(self.paused)} error={_quoted(self.error)} warning={_quoted(self.warning)}")


def _quoted(text: str | None) -> str:
    if not text:
        return "-"
    return '"' + " ".join(text.split()).replace("\\", "\\\\").replace('"', '\\"') + '"'


@dataclass
class PassReport:
    sources: list[SourceReport] = field(default_factory=list)
    released: int = 0  # held stories alerted as unconfirmed

    @property
    def alerts(self) -> int:
        return sum(s.alerts for s in self.sources)


async def poll_pass(rt: Runtime) -> PassReport:
    """Poll every enabled source that is due now and that no other poller holds.

    Sources are leased in small batches (Store.lease_due_sources), so several processes (`python -m
    bot worker`) share the due sources and never poll one at the same time; a lease ends when the
    source's poll is recorded, or after lease_seconds if its poller died.
    """
    now = rt.clock()
    _beat(rt)
    enabled = {s.id: s for s in rt.sources if s.enabled}
    rt.store.ensure_sources(list(enabled), now)
    gate = asyncio.Semaphore(SOURCE_CONCURRENCY)

    async def one(source: Source) -> SourceReport:
        async with gate:
            _beat(rt)
            try:
                report = await poll_source(rt, source)
            finally:
                # if the database is away, the lease runs out by itself; the source, still due, is polled again
                with contextlib.suppress(DatabaseUnavailable):
                    rt.store.release_lease(source.id, rt.owner)
            _beat(rt)
            return report

    report = PassReport()
    remaining = set(enabled)  # each source at most once per pass, whatever its next poll time became
    while remaining:
        leased = rt.store.lease_due_sources(sorted(remaining), now, rt.owner, _lease_end(rt), LEASE_BATCH)
        if not leased:
            break
        remaining.difference_update(leased)
        report.sources.extend(await asyncio.gather(*(one(enabled[sid]) for sid in leased)))
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
    except DatabaseUnavailable as exc:
        # Not the source's fault: no error counted, no backoff. What was not committed was not stored,
        # so the source, still due, is read again once its lease runs out.
        log.warning("source=%s status=database_unavailable: %s", source.id, exc)
        report.status, report.error = "error", f"database unavailable: {exc}"
        report.elapsed_ms = int((time.monotonic() - started) * 1000)
        return report
    except Exception as exc:  # a bug in one source's handling must not end the pass for the others
        log.exception("source=%s status=crash", source.id)
        report.status, report.error = "error", f"internal error: {type(exc).__name__}: {exc}"
        _record_error(rt, source, report.error, None)
    report.elapsed_ms = int((time.monotonic() - started) * 1000)
    state = rt.store.source_state(source.id)
    report.next_poll_s = max(int((state.next_poll_at - rt.clock()).total_seconds()), 0)
    report.paused = rt.store.schedule_state(source.id).paused_at is not None
    return report


def _lease_end(rt: Runtime) -> datetime:
    return rt.clock() + timedelta(seconds=rt.lease_seconds)


def _beat(rt: Runtime) -> None:
    if rt.heartbeat is not None:
        rt.heartbeat.beat(POLL)


async def _poll_source(rt: Runtime, source: Source, report: SourceReport) -> None:
    state = rt.store.source_state(source.id)
    result = await fetch.fetch(rt.client, source.url, max_bytes=rt.settings.feed_max_bytes,
                               timeout=rt.settings.fetch_timeout, etag=state.etag,
                               last_modified=state.last_modified)
    if isinstance(result, fetch.FetchFailed):
        report.status, report.error = "error", result.message
        _record_error(rt, source, result.message, result.retry_after)
        return
    if isinstance(result, fetch.NotModified):
        report.status = "not_modified"
        decision = _decide(rt, source, schedule.Unchanged())
        rt.store.record_poll_success(source.id, rt.clock(), decision.next_poll_at, result.etag,
                                     result.last_modified, 0)
        _record_schedule(rt, source, report.status, decision, None)
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
    first_poll = state.first_polled_at is None
    fresh = feeds.select_new(parsed.entries, seen, first_poll=first_poll, now=now)
    chosen = {e.key for e in fresh}
    passed_over = [k for k in keys if k not in seen and k not in chosen]
    if first_poll:
        # a new source's back catalogue is remembered as seen, so it never floods subscribers later
        rt.store.mark_seen(source.id, passed_over, now)
    # Later, entries beyond one pass's share stay unseen and are read on the next pass, soon: nothing lost.
    backlog = 0 if first_poll else len(passed_over)

    for entry in fresh:
        found, alerts = await _read_entry(rt, source, entry)
        report.new_entries += 1
        report.claims += found
        report.alerts += alerts
    report.warning = parsed.warning
    timing = schedule.Success(
        published=tuple(e.published for e in parsed.entries if e.published is not None),
        new_entries=sum(k not in seen for k in keys),
        cache_seconds=schedule.cache_lifetime(result.headers, now), ttl_seconds=schedule.ttl_seconds(parsed.ttl))
    decision = _decide(rt, source, timing)
    rt.store.record_poll_success(source.id, rt.clock(), decision.next_poll_at, result.etag, result.last_modified,
                                 len(fresh))
    _record_schedule(rt, source, report.status, decision, parsed.warning)
    if backlog:
        rt.store.reread_soon(source.id, rt.clock() + BACKLOG_RETRY)
        report.warning = "; ".join(filter(None, [parsed.warning, f"{backlog} more new entries wait for the next pass"]))


async def _read_entry(rt: Runtime, source: Source, entry: feeds.FeedEntry) -> tuple[int, int]:
    """Fetch, extract, match and judge one new entry; returns (claims, new alerts)."""
    _beat(rt)  # 20 slow pages of one source can outlast the health limit: each one is progress
    rt.store.renew_lease(source.id, rt.owner, _lease_end(rt))  # ... and the lease
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
    record = ArticleRecord(source_id=source.id, entry_key=entry.key, url=entry.link, title=article.title,
                           lang=source.lang, published_at=entry.published, text=text, text_origin=origin)
    # Read the open stories, judge, store: one decision, taken by one poller at a time, so the same
    # statement read by two pollers from two outlets joins one story and makes one alert.
    with rt.store.exclusive(STORY_LOCK):
        now = rt.clock()
        _catch_up_ledger(rt)
        decisions = judge.judge_article(found, article, source, rt.ledger, open_stories(rt.store, now), now)
        new_alerts = rt.store.record_article(
            record, decisions.claims, decisions.alerts, now,
            stories=[story_record(story, decisions.story_topics[story.id])
                     for story in decisions.stories.values()],
            ledger_entries=[(entry.id, entry.to_json()) for entry in decisions.ledger_entries])
        if decisions.ledger_entries:
            rt.ledger = rt.ledger.with_confirmed(*decisions.ledger_entries)
            rt.confirmed_count += len(decisions.ledger_entries)
    return len(found), len(new_alerts)


def _catch_up_ledger(rt: Runtime) -> None:
    """Statements another poller confirmed since this one loaded the ledger (a count when nothing changed)."""
    count = rt.store.count("ledger_entries")
    if count == rt.confirmed_count:
        return
    known = {e.id for e in rt.ledger.entries}
    fresh = [LedgerEntry.from_json(e) for e in rt.store.confirmed_ledger_entries() if e.get("id") not in known]
    if fresh:
        rt.ledger = rt.ledger.with_confirmed(*fresh)
    rt.confirmed_count = count


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
    with rt.store.exclusive(STORY_LOCK):  # again, under the lock: another poller may have released them
        window = rt.store.open_stories(now - timedelta(days=STORY_WINDOW_DAYS))
        topics = {state["id"]: topic for topic, state in window}
        released = judge.release_waiting([Story.from_json(state) for _, state in window], now)
        records = [story_record(story, topics[story.id]) for story in released]
        alerts = [judge.alert_for(story, topics[story.id]) for story in released]
        return len(rt.store.release_stories(records, alerts, now))


def _record_error(rt: Runtime, source: Source, message: str, retry_after: float | None) -> None:
    decision = _decide(rt, source, schedule.Failure(message, retry_after))
    rt.store.record_poll_error(source.id, rt.clock(), decision.next_poll_at, message)
    _record_schedule(rt, source, "error", decision, None)


def _decide(rt: Runtime, source: Source, outcome: schedule.Outcome) -> schedule.Decision:
    policy = schedule.Policy(source.id, source.poll_seconds, rt.settings.pause_after_errors)
    return schedule.decide(policy, rt.store.schedule_state(source.id), outcome, rt.clock())


def _record_schedule(rt: Runtime, source: Source, status: str, decision: schedule.Decision,
                     warning: str | None) -> None:
    rt.store.record_schedule(source.id, status, decision, rt.clock(), warning)
    for notice in decision.notices:
        # the upkeep job delivers it to the admins; the log always has it
        log.warning("admin notice kind=%s source=%s: %s", notice.kind, notice.source_id, notice.text)
