"""A poll pass over a loopback feed, without Telegram: backlog handling. Invented entries."""

import email.utils
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot import app as bot_app
from bot import pipeline
from bot.config import load_settings
from tests.support.clock import Clock
from tests.support.loopback.feed_server import FeedServer
from tests.support.process import write_sources


def rss(count: int, start: datetime) -> bytes:
    items = "".join(
        f"<item><title>Market note {n}</title><guid isPermaLink='false'>note-{n}</guid>"
        f"<pubDate>{email.utils.format_datetime(start + timedelta(minutes=n))}</pubDate>"
        f"<description>Nothing about capex in note {n}.</description></item>" for n in range(count))
    return f"<?xml version='1.0'?><rss version='2.0'><channel><title>Notes</title>{items}</channel></rss>".encode()


def notes_runtime(tmp_path: Path, server: FeedServer, clock: Clock) -> pipeline.Runtime:
    """The runtime of a bot reading one feed, `notes`, on the loopback server."""
    sources = write_sources(tmp_path / "sources.yaml", [("notes", server.url("/feed.xml"), "Notes")])
    settings = load_settings({}, env_file=None, sources=sources, db=tmp_path / "db.sqlite3")
    rt = bot_app.make_runtime(settings, *bot_app.load_inputs(settings))
    rt.clock = clock
    return rt


async def test_a_burst_larger_than_one_pass_is_read_over_the_next_passes(tmp_path):
    now = datetime.now(UTC)
    clock = Clock(now)
    with FeedServer() as server:
        server.set("/feed.xml", rss(1, now - timedelta(hours=1)), etag='"v1"')
        rt = notes_runtime(tmp_path, server, clock)
        store = rt.store
        try:
            first = await pipeline.poll_pass(rt, rt.clock())
            assert first.sources[0].new_entries == 1
            # 26 entries appear at once (after downtime, say): more than one pass reads
            server.set("/feed.xml", rss(27, now), etag='"v2"')
            clock.now = now + timedelta(hours=2)
            burst = await pipeline.poll_pass(rt, rt.clock())
            assert burst.sources[0].new_entries == 20
            assert "6 more new entries" in (burst.sources[0].warning or "")
            clock.advance(pipeline.BACKLOG_RETRY)
            rest = await pipeline.poll_pass(rt, rt.clock())
            assert rest.sources[0].new_entries == 6
            # the re-read was a plain GET: a conditional one could have been answered 304
            assert "if-none-match" not in server.requests_for("/feed.xml")[-1].headers
            assert store.count("articles") == 27
        finally:
            await rt.client.aclose()
            store.close()


async def test_a_poll_asks_for_a_feed_and_clamps_dates_from_the_future(tmp_path):
    # The poll and `sources check` share fetch.fetch_feed: the poll used to send no Accept header and
    # parse without `now`, so an entry dated tomorrow kept its date and sorted above everything.
    now = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
    with FeedServer() as server:
        server.set("/feed.xml", rss(1, now + timedelta(days=1)))
        rt = notes_runtime(tmp_path, server, Clock(now))
        store = rt.store
        try:
            report = await pipeline.poll_pass(rt, now)
            assert report.sources[0].new_entries == 1
            accept = server.requests_for("/feed.xml")[-1].headers["accept"]
            assert accept.startswith("application/rss+xml, application/atom+xml")
            (published,) = [row[0] for row in store.db.execute("SELECT published_at FROM articles")]
            assert datetime.fromisoformat(published) == now
        finally:
            await rt.client.aclose()
            store.close()
