"""Several `python -m bot worker` processes on one real PostgreSQL server, polling loopback feeds.

- 4 workers over 500 feeds with a new entry each: every feed and page read once, every article stored
  once, and one statement carried by 8 outlets (polled by different workers at the same time) is one
  story and one alert, which `python -m bot serve` delivers once;
- kill -9 of a worker in the middle of its pass: its leases run out, the other worker polls its
  sources, nothing is lost or stored twice;
- PostgreSQL restarted under load: the workers reconnect and finish the pass.

Articles here are invented.
"""

from __future__ import annotations

import email.utils
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.store.database import CONSOLE_CHAT_ID, Store, iso
from tests.support.loopback.feed_server import HTML_TYPE, FeedServer

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow

STATEMENT = ("Alphabet said on Tuesday that it now expects capital expenditures of between $91 billion and "
             "$93 billion in 2026, as demand for its cloud and AI services keeps outrunning its capacity.")
NEUTRAL = ("The regional council met on Monday to discuss the bus timetable for the winter, and agreed to "
           "add two early services on weekdays after complaints from commuters about crowded platforms.")


def page(number: int, text: str) -> bytes:
    filler = ("The rest of the report describes the weather, the traffic and the local football results, "
              "none of which concern the companies this bot follows.")
    return (f"<html><head><title>Report {number}</title></head><body><article><h1>Report {number}</h1>"
            f"<p>{text}</p><p>{filler}</p><p>{filler}</p></article></body></html>").encode()


def feed(number: int, page_url: str, published: datetime) -> bytes:
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Outlet {number}</title>'
            f"<link>https://outlet{number}.example/</link><item><title>Report {number}</title><link>{page_url}</link>"
            f'<guid isPermaLink="false">report-{number}</guid><pubDate>{email.utils.format_datetime(published)}'
            f"</pubDate><description>Report {number}.</description></item></channel></rss>").encode()


class Farm:
    """N feeds on one loopback server, each with one new entry; `shared` of them carry STATEMENT."""

    def __init__(self, server: FeedServer, tmp_path: Path, count: int, shared: set[int],
                 page_delay: float = 0.0) -> None:
        self.server, self.count, self.shared = server, count, shared
        # the statement's pages each on a loopback address of its own: distinct outlets of one story
        self.outlets = {n: FeedServer(host=f"127.0.0.{2 + i}").start() for i, n in enumerate(sorted(shared))}
        published = datetime.now(UTC) - timedelta(hours=1)
        lines = ["sources:"]
        for n in range(count):
            host = self.outlets.get(n, server)
            host.set(f"/p/{n}.html", page(n, STATEMENT if n in shared else NEUTRAL), content_type=HTML_TYPE)
            if page_delay:
                route = host.route(f"/p/{n}.html")
                assert route is not None
                route.delay = page_delay
            server.set(f"/f/{n}.xml", feed(n, host.url(f"/p/{n}.html"), published))
            lines.append(f"  - {{id: feed-{n:04d}, name: Outlet {n}, url: \"{server.url(f'/f/{n}.xml')}\", "
                         "lang: en, kind: press, poll_minutes: 60}")
        self.sources = tmp_path / "sources.yaml"
        self.sources.write_text("\n".join(lines) + "\n")

    def reads(self, prefix: str) -> dict[str, int]:
        counts: dict[str, int] = {}
        for host in [self.server, *self.outlets.values()]:
            for request in host.requests:
                if request.path.startswith(prefix):
                    counts[request.path] = counts.get(request.path, 0) + 1
        return counts

    def __enter__(self) -> Farm:
        return self

    def __exit__(self, *exc: object) -> None:
        for host in self.outlets.values():
            host.stop()


class Processes:
    """The bot's own entry point, as separate processes, each with its own log and heartbeat."""

    def __init__(self, tmp_path: Path, db_url: str, sources: Path, **env: str) -> None:
        self.tmp_path = tmp_path
        self.env = {**os.environ, "BOT_DB": db_url, "BOT_SOURCES": str(sources), "BOT_TICK_SECONDS": "1",
                    "BOT_FETCH_TIMEOUT": "10", "BOT_LOG_LEVEL": "INFO", "TELEGRAM_BOT_TOKEN": "",
                    # the outlets' pages are on other loopback addresses than the feeds
                    "BOT_ALLOW_PRIVATE_LINKS": "true", **env}
        self.running: dict[str, subprocess.Popen[bytes]] = {}

    def start(self, name: str, role: str, **env: str) -> subprocess.Popen[bytes]:
        log = (self.tmp_path / f"{name}.log").open("wb")
        process = subprocess.Popen(
            [sys.executable, "-m", "bot", role], cwd=self.tmp_path, stdout=log, stderr=subprocess.STDOUT,
            env={**self.env, "PYTHONPATH": str(ROOT), "BOT_HEARTBEAT_FILE": str(self.tmp_path / f"{name}.json"),
                 **env})
        self.running[name] = process
        return process

    def log(self, name: str) -> str:
        return (self.tmp_path / f"{name}.log").read_text(errors="replace")

    def stop_all(self) -> None:
        for process in self.running.values():
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for name, process in self.running.items():
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
                raise AssertionError(f"{name} did not stop on SIGTERM:\n{self.log(name)[-3000:]}") from None


@pytest.fixture
def processes(tmp_path: Path, pg_url: str) -> Iterator[Callable[..., Processes]]:
    made: list[Processes] = []

    def make(sources: Path, **env: str) -> Processes:
        made.append(Processes(tmp_path, pg_url, sources, **env))
        return made[-1]
    yield make
    for group in made:
        for process in group.running.values():
            if process.poll() is None:
                process.kill()
                process.wait()


def wait_until(predicate: Callable[[], bool], timeout: float, what: str,
               logs: Callable[[], str] = lambda: "") -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}\n{logs()[-4000:]}")
        time.sleep(0.2)


def polled(db_url: str) -> int:
    with Store(db_url) as store:
        return int(store.db.execute("SELECT COUNT(*) FROM source_state WHERE last_polled_at IS NOT NULL "
                                    "AND lease_owner IS NULL").fetchone()[0])


def story_outlets(store: Store) -> list[int]:
    return [len({s["outlet"] for s in json.loads(r[0])["sources"]})
            for r in store.db.execute("SELECT state FROM stories")]


def test_four_workers_share_500_feeds_and_one_statement_is_one_alert(tmp_path, pg_url, processes):
    shared = {15, 16, 47, 48, 130, 260, 390, 499}  # on either side of lease-batch boundaries
    with FeedServer() as server, Farm(server, tmp_path, 500, shared) as farm:
        ids = [f"feed-{n:04d}" for n in range(500)]
        with Store(pg_url) as store:  # the console is subscribed before anything is read
            store.subscribe(CONSOLE_CHAT_ID, "console", "console", datetime.now(UTC))
            # nothing is due until every worker is up, so a worker that starts first cannot take it all
            store.ensure_sources(ids, datetime.now(UTC) + timedelta(days=1))
        group = processes(farm.sources)
        for n in range(4):
            group.start(f"worker{n}", "worker")
        all_logs = lambda: "\n".join(group.log(f"worker{n}") for n in range(4))  # noqa: E731
        wait_until(lambda: all((tmp_path / f"worker{n}.json").exists() for n in range(4)), 60, "4 workers up",
                   all_logs)
        with Store(pg_url) as store, store.transaction() as db:
            db.execute("UPDATE source_state SET next_poll_at = ?", (iso(datetime.now(UTC)),))
        wait_until(lambda: polled(pg_url) == 500, 240, "500 feeds polled", all_logs)
        wait_until(lambda: len(farm.reads("/p/")) == 500, 30, "500 pages read", all_logs)
        group.start("serve", "serve")
        with Store(pg_url) as store:
            wait_until(lambda: store.delivery_counts() == {"sent": 1}, 60, "the alert delivered",
                       lambda: group.log("serve"))
            time.sleep(2)  # a second delivery would have happened by now
            group.stop_all()
            assert store.count("articles") == 500
            assert store.count("seen_entries") == 500
            assert store.count("alerts") == 1
            assert story_outlets(store) == [len(shared)]
            assert store.message_counts() == {"sent": 1}
        assert set(farm.reads("/f/").values()) == {1}, "a feed was read twice"
        assert set(farm.reads("/p/").values()) == {1}, "a page was read twice"
        per_worker = [group.log(f"worker{n}").count(" status=ok ") for n in range(4)]
        assert sum(per_worker) == 500 and min(per_worker) > 0, per_worker
        assert group.log("serve").count("Alphabet") >= 1
        assert "status=ok" not in group.log("serve"), "serve must not poll"


def test_a_killed_workers_sources_are_polled_by_the_other(tmp_path, pg_url, processes):
    with FeedServer() as server, Farm(server, tmp_path, 60, {5, 35}, page_delay=0.3) as farm:
        # slow pages: the first worker is killed in the middle of its pass, holding leases
        group = processes(farm.sources, BOT_LEASE_SECONDS="4")
        victim = group.start("victim", "worker")
        wait_until(lambda: len(farm.reads("/p/")) >= 6, 60, "the victim to read pages", lambda: group.log("victim"))
        victim.send_signal(signal.SIGKILL)
        victim.wait()
        with Store(pg_url) as store:
            held = int(store.db.execute("SELECT COUNT(*) FROM source_state WHERE lease_owner IS NOT NULL "
                                        "AND last_polled_at IS NULL").fetchone()[0])
        assert held > 0, "the worker should have died holding leases"
        group.start("survivor", "worker")
        wait_until(lambda: polled(pg_url) == 60, 120, "60 feeds polled", lambda: group.log("survivor"))
        group.stop_all()
        with Store(pg_url) as store:
            assert store.count("articles") == 60  # nothing lost, nothing twice
            assert store.count("alerts") == 1
            assert story_outlets(store) == [2]
        assert "lease" not in group.log("survivor").lower() or "Traceback" not in group.log("survivor")


def test_workers_reconnect_after_a_postgres_restart(tmp_path, pg_url, pg_server, processes):
    with FeedServer() as server, Farm(server, tmp_path, 80, {3, 70}, page_delay=0.1) as farm:
        group = processes(farm.sources, BOT_LEASE_SECONDS="5")
        group.start("w1", "worker")
        group.start("w2", "worker")
        logs = lambda: group.log("w1") + group.log("w2")  # noqa: E731
        wait_until(lambda: len(farm.reads("/p/")) >= 10, 60, "pages read before the restart", logs)
        pg_server.restart()
        wait_until(lambda: polled(pg_url) == 80, 150, "80 feeds polled after the restart", logs)
        with Store(pg_url) as store:  # a source whose transaction the restart broke is read again
            wait_until(lambda: store.count("articles") == 80, 60, "80 articles", logs)
        group.stop_all()
        assert all(p.returncode == 0 for p in group.running.values()), logs()[-3000:]
        # a cut connection is the database's trouble, never a source's error (which would back it off)
        assert "internal error" not in logs() and "status=crash" not in logs(), logs()[-3000:]
        with Store(pg_url) as store:
            assert store.count("articles") == 80
            assert store.count("alerts") == 1
            assert story_outlets(store) == [2]


def test_two_outlets_judged_at_the_same_moment_make_one_story(tmp_path, pg_url, monkeypatch):
    """Two pollers (two connections, two threads) read one statement from two outlets at the same
    moment; each takes half a second to judge. Under Store.exclusive the second waits, reads the story
    the first one stored and joins it; without the lock both would open a story and both would alert."""
    import asyncio
    import threading

    from bot import pipeline
    from bot.alerts import judge
    from bot.config import load_settings
    from bot.ingest import fetch
    from bot.ingest.sources import Source
    from bot.ledger.entries import load_ledger

    real_judge = judge.judge_article

    def slow_judge(*args, **kwargs):  # type: ignore[no-untyped-def]
        time.sleep(0.5)  # the window in which the other poller decides too
        return real_judge(*args, **kwargs)

    monkeypatch.setattr(judge, "judge_article", slow_judge)
    db_location = pg_url
    Store(db_location).close()
    with FeedServer() as server, Farm(server, tmp_path, 2, {0, 1}) as farm:
        settings = load_settings({"BOT_ALLOW_PRIVATE_LINKS": "true"}, env_file=None, sources=farm.sources,
                                 db=db_location)
        sources = [Source(f"feed-{n:04d}", f"Outlet {n}", server.url(f"/f/{n}.xml"), "en", 60, "press")
                   for n in range(2)]
        errors: list[BaseException] = []

        def poller(source: Source) -> None:
            async def run() -> None:
                store = Store(db_location)
                rt = pipeline.Runtime(settings=settings, sources=[source], store=store, ledger=load_ledger(),
                                      client=fetch.make_client("test"), clock=lambda: datetime.now(UTC))
                try:
                    await pipeline.poll_pass(rt, rt.clock())
                finally:
                    await rt.client.aclose()
                    store.close()
            try:
                asyncio.run(run())
            except BaseException as exc:
                errors.append(exc)

        threads = [threading.Thread(target=poller, args=(s,)) for s in sources]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        assert errors == []
    with Store(db_location) as store:
        assert store.count("articles") == 2
        assert store.count("alerts") == 1
        assert story_outlets(store) == [2]
