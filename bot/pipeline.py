"""One poll pass, as a story: which sources are due → fetch and parse each feed → new entries → fetch
and extract each page → find claims → judge them against the ledger → store with alerts and deliveries
→ let out held stories nobody confirmed.

A pass has one instant, `now`; it loads the open stories once; per source it reads the source's
state once and writes it once (`Store.record_poll`), and each step returns its result.

Everything that decides is a pure stage function (feeds, extract.choose_text, claims, compare);
this module only sequences them and hands results to the store. One broken source never stops the
pass: its error is recorded, logged in one line and it backs off.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import httpx

from bot.alerts import judge
from bot.alerts.stories import DEFAULT_POLICY, Story
from bot.analysis import claims as claim_rules
from bot.config import Settings
from bot.ingest import extract, feeds, fetch, schedule
from bot.ingest.guard import LinkGuard
from bot.ingest.sources import Source
from bot.ledger.entries import Ledger, LedgerEntry
from bot.model import Article
from bot.model.records import ArticleRecord, SourceState, StoryRecord
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


@dataclass(frozen=True)
class PassReport:
    sources: list[SourceReport] = field(default_factory=list)
    released: int = 0  # held stories alerted as unconfirmed

    @property
    def alerts(self) -> int:
        return sum(s.alerts for s in self.sources)


class OpenStories:
    """The stories of the story window, loaded once per pass and kept current as articles are judged,
    so a second outlet read later in the same pass joins the story the first one opened."""

    def __init__(self, store: Store, now: datetime) -> None:
        self.reload(store, now)

    def reload(self, store: Store, now: datetime) -> None:
        """Read the window again: on PostgreSQL other workers open and extend stories too."""
        self._topics: dict[str, str] = {}
        self._stories: dict[str, Story] = {}
        for topic, state in store.open_stories(now - timedelta(days=STORY_WINDOW_DAYS)):
            story = Story.from_json(state)
            self._stories[story.id], self._topics[story.id] = story, topic

    def all(self) -> list[Story]:
        return list(self._stories.values())

    def topic(self, story_id: str) -> str:
        return self._topics[story_id]

    def update(self, stories: Iterable[Story], topics: Mapping[str, str]) -> None:
        for story in stories:
            self._stories[story.id] = story
            self._topics.setdefault(story.id, topics[story.id])


async def poll_pass(rt: Runtime, now: datetime) -> PassReport:
    """Poll every enabled source that is due at `now`, the one instant of this pass, and that no other
    poller holds; then let out the held stories nobody confirmed in time.

    Sources are leased in small batches (Store.lease_due_sources), so several processes (`python -m
    bot worker`) share the due sources and never poll one at the same time; a lease ends when the
    source's poll is recorded, or after lease_seconds if its poller died.
    """
    _beat(rt)
    enabled = {s.id: s for s in rt.sources if s.enabled}
    rt.store.ensure_sources(list(enabled), now)
    stories = OpenStories(rt.store, now)
    gate = asyncio.Semaphore(SOURCE_CONCURRENCY)

    async def one(source: Source) -> SourceReport:
        async with gate:
            _beat(rt)
            # Store.record_poll ends the lease with the poll; if the database went away meanwhile, the
            # lease runs out by itself and the source, still due, is polled again
            report = await poll_source(rt, source, now, stories)
            _beat(rt)
            return report

    reports: list[SourceReport] = []
    remaining = set(enabled)  # each source at most once per pass, whatever its next poll time became
    # a SQLite file has one poller (its lock file): it takes every due source at once
    batch = LEASE_BATCH if rt.store.postgres else max(len(enabled), 1)
    while remaining:
        leased = rt.store.lease_due_sources(sorted(remaining), now, rt.owner, _lease_end(rt), batch)
        if not leased:
            break
        remaining.difference_update(leased)
        reports.extend(await asyncio.gather(*(one(enabled[sid]) for sid in leased)))
    report = PassReport(reports, released=release_held_stories(rt, stories, now))
    _log_pass(report)
    return report


async def poll_source(rt: Runtime, source: Source, now: datetime, stories: OpenStories) -> SourceReport:
    """Read a source's state once, poll it, store the outcome once; one bad source never ends the pass."""
    started = time.monotonic()
    state, timing = rt.store.poll_state(source.id)
    policy = schedule.Policy(source.id, source.poll_seconds, rt.settings.pause_after_errors)
    try:
        poll = await _poll_feed(rt, source, state, now, stories)
    except DatabaseUnavailable as exc:
        # Not the source's fault: no error counted, no backoff. What was not committed was not stored,
        # so the source, still due, is read again once its lease runs out.
        log.warning("source=%s status=database_unavailable: %s", source.id, exc)
        return SourceReport(source.id, "error", error=f"database unavailable: {exc}",
                            elapsed_ms=int((time.monotonic() - started) * 1000))
    except Exception as exc:  # a bug in one source's handling must not end the pass for the others
        log.exception("source=%s status=crash", source.id)
        message = f"internal error: {type(exc).__name__}: {exc}"
        poll = Poll("error", schedule.Failure(message), error=message)
    decision = schedule.decide(policy, timing, poll.outcome, now)
    reread_at = now + BACKLOG_RETRY if poll.backlog else None
    rt.store.record_poll(source.id, now, poll.status, decision, etag=poll.etag, last_modified=poll.last_modified,
                         new_items=poll.entries, error=poll.error, warning=poll.feed_warning, reread_at=reread_at)
    for notice in decision.notices:
        # the upkeep job delivers it to the admins; the log always has it
        log.warning("admin notice kind=%s source=%s: %s", notice.kind, notice.source_id, notice.text)
    warning = "; ".join(filter(None, [poll.feed_warning,
                                      f"{poll.backlog} more new entries wait for the next pass" if poll.backlog
                                      else None]))
    next_poll = reread_at or decision.next_poll_at
    return SourceReport(source.id, poll.status, new_entries=poll.entries, claims=poll.claims, alerts=poll.alerts,
                        error=poll.error, elapsed_ms=int((time.monotonic() - started) * 1000),
                        warning=warning or None, next_poll_s=max(int((next_poll - now).total_seconds()), 0),
                        paused=decision.state.paused_at is not None)


@dataclass(frozen=True)
class Poll:
    """What one poll of a feed found, before the scheduler decides when to poll it again."""

    status: str  # ok | not_modified | error
    outcome: schedule.Outcome
    etag: str | None = None
    last_modified: str | None = None
    entries: int = 0  # new entries read
    claims: int = 0
    alerts: int = 0
    backlog: int = 0  # new entries left for the next pass
    error: str | None = None
    feed_warning: str | None = None


async def _poll_feed(rt: Runtime, source: Source, state: SourceState, now: datetime,
                     stories: OpenStories) -> Poll:
    result = await fetch.fetch_feed(rt.client, source.url, max_bytes=rt.settings.feed_max_bytes,
                                    timeout=rt.settings.fetch_timeout, now=now, etag=state.etag,
                                    last_modified=state.last_modified)
    if isinstance(result, fetch.FetchFailed):
        return Poll("error", schedule.Failure(result.message, result.retry_after), error=result.message)
    if isinstance(result, fetch.NotModified):
        return Poll("not_modified", schedule.Unchanged(), etag=result.etag, last_modified=result.last_modified)

    parsed = result.feed
    keys = [e.key for e in parsed.entries]
    seen = rt.store.seen_keys(source.id, keys)
    first_poll = state.first_polled_at is None
    fresh = feeds.select_new(parsed.entries, seen, first_poll=first_poll, now=now)
    chosen = {e.key for e in fresh}
    passed_over = [k for k in keys if k not in seen and k not in chosen]
    if first_poll:
        # a new source's back catalogue is remembered as seen, so it never floods subscribers later
        rt.store.mark_seen(source.id, passed_over, now)
    claims = alerts = 0
    for entry in fresh:
        found, new_alerts = await _read_entry(rt, source, entry, now, stories)
        claims += found
        alerts += new_alerts
    timing = schedule.Success(
        published=tuple(e.published for e in parsed.entries if e.published is not None),
        new_entries=sum(k not in seen for k in keys),
        cache_seconds=schedule.cache_lifetime(result.response.headers, now),
        ttl_seconds=schedule.ttl_seconds(parsed.ttl))
    # Later, entries beyond one pass's share stay unseen and are read on the next pass, soon: nothing lost.
    return Poll("ok", timing, etag=result.response.etag, last_modified=result.response.last_modified,
                entries=len(fresh), claims=claims, alerts=alerts, backlog=0 if first_poll else len(passed_over),
                feed_warning=parsed.warning)


async def _read_entry(rt: Runtime, source: Source, entry: feeds.FeedEntry, now: datetime,
                      stories: OpenStories) -> tuple[int, int]:
    """Fetch, extract, match and judge one new entry; returns (claims, new alerts)."""
    _beat(rt)  # 20 slow pages of one source can outlast the health limit: each one is progress
    rt.store.renew_lease(source.id, rt.owner, _lease_end(rt))  # ... and the lease
    page: extract.ExtractedPage | None = None
    if entry.link:
        fetched = await fetch.fetch(rt.client, entry.link, max_bytes=rt.settings.page_max_bytes,
                                    timeout=rt.settings.fetch_timeout, accept=fetch.PAGE_ACCEPT,
                                    media_types=fetch.PAGE_MEDIA_TYPES,
                                    guard=LinkGuard.for_feed(source.url, rt.settings.allow_private_links))
        if isinstance(fetched, fetch.Fetched):
            page = await extract.extract_in_thread(fetched.body, fetched.final_url)
        elif isinstance(fetched, fetch.FetchFailed) and fetched.kind == fetch.REFUSED:
            log.warning("source=%s entry=%s page=refused reason=%r: using the feed summary",
                        source.id, entry.link, fetched.message)
        else:
            log.info("source=%s entry=%s page=unavailable reason=%r: using the feed summary",
                     source.id, entry.link, getattr(fetched, "message", "not modified"))
    text, origin = extract.choose_text(page, entry)
    article = Article(id=f"{source.id}:{entry.key}", url=entry.link or "", lang=source.lang,
                      text=text, title=entry.title or (page.title if page else None),
                      publisher=source.name, date=entry.published.date().isoformat() if entry.published else None)
    # CPU-bound (seconds on a multi-megabyte one-line summary): off the event loop, like trafilatura
    found = await asyncio.to_thread(claim_rules.extract_claims, article)
    record = ArticleRecord(source_id=source.id, entry_key=entry.key, url=entry.link, title=article.title,
                           lang=source.lang, published_at=entry.published, text=text, text_origin=origin)
    # Judge against the open stories and store: one decision, taken by one poller at a time, so the same
    # statement read by two pollers from two outlets joins one story and makes one alert. A SQLite file
    # has one poller (its lock file), whose stories in memory are current; on PostgreSQL other workers
    # open and extend stories and confirm ledger entries too, so they are read again under the lock.
    with rt.store.exclusive(STORY_LOCK):
        if rt.store.postgres:
            stories.reload(rt.store, now)
            _catch_up_ledger(rt)
        decisions = judge.judge_article(found, article, source, rt.ledger, stories.all(), now)
        new_alerts = rt.store.record_article(
            record, decisions.claims, decisions.alerts, now,
            stories=[story_record(story, decisions.story_topics[story.id])
                     for story in decisions.stories.values()],
            ledger_entries=[(entry.id, entry.to_json()) for entry in decisions.ledger_entries])
        stories.update(decisions.stories.values(), decisions.story_topics)
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


def story_record(story: Story, topic: str) -> StoryRecord:
    return StoryRecord(id=story.id, company=story.company, topic=topic, status=story.status,
                       opened_at=story.opened_at, state=story.to_json())


def release_held_stories(rt: Runtime, stories: OpenStories, now: datetime) -> int:
    """Held changes nobody confirmed within the window go out marked unconfirmed."""
    if not judge.release_waiting(stories.all(), now):
        return 0
    with rt.store.exclusive(STORY_LOCK):
        if rt.store.postgres:  # another worker may have confirmed or released them meanwhile
            stories.reload(rt.store, now)
        released = judge.release_waiting(stories.all(), now)
        records = [story_record(story, stories.topic(story.id)) for story in released]
        alerts = [judge.alert_for(story, stories.topic(story.id)) for story in released]
        return len(rt.store.release_stories(records, alerts, now))


def _lease_end(rt: Runtime) -> datetime:
    return rt.clock() + timedelta(seconds=rt.lease_seconds)


def _beat(rt: Runtime) -> None:
    if rt.heartbeat is not None:
        rt.heartbeat.beat(POLL)


def _log_pass(report: PassReport) -> None:
    if report.sources:
        failed = sum(s.status == "error" for s in report.sources)
        log.info("pass sources=%d ok=%d errors=%d new=%d claims=%d alerts=%d released=%d", len(report.sources),
                 len(report.sources) - failed, failed, sum(s.new_entries for s in report.sources),
                 sum(s.claims for s in report.sources), report.alerts, report.released)
    for source_report in report.sources:
        (log.warning if source_report.status == "error" else log.info)(source_report.log_line())
