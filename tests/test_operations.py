"""Operations end to end: a failing source is paused and the admins are told, cache headers set the
interval, OPML import/export, `sources check`, a newer database refused, SQLite surviving SIGKILL."""

from __future__ import annotations

import email.utils
import io
import random
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot import app as bot_app
from bot import pipeline
from bot.config import load_settings
from bot.delivery import outbox as notify
from bot.ingest.opml import OpmlError, parse_opml, render_opml, sources_yaml
from bot.ingest.sources import load_sources, parse_sources
from bot.ops import upkeep
from bot.store.database import MIGRATIONS, Store
from bot.telegram import application as telegram_bot
from tests.support.clock import Clock
from tests.support.loopback.bot_api import FakeBotAPI
from tests.support.loopback.feed_server import FeedServer
from tests.support.process import ROOT, bot_env, run_cli, write_sources

ADMIN = 777


def runtime(tmp_path: Path, server: FeedServer, **env: str) -> pipeline.Runtime:
    sources = write_sources(tmp_path / "sources.yaml", [("wire", server.url("/feed.xml"))], poll_minutes=30)
    settings = load_settings({"BOT_PAUSE_AFTER_ERRORS": "3", "BOT_ADMIN_IDS": str(ADMIN), **env}, env_file=None,
                             sources=sources, db=tmp_path / "bot.sqlite3")
    rt = bot_app.make_runtime(settings, *bot_app.load_inputs(settings))
    rt.clock = Clock()
    return rt


def feed(published: datetime) -> bytes:
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>W</title><ttl>90</ttl>'
            f"<item><title>Hello</title><guid>g1</guid><pubDate>{email.utils.format_datetime(published)}</pubDate>"
            f"<description>Nothing about capex.</description></item></channel></rss>").encode()


async def test_a_failing_source_is_paused_and_the_admins_are_told(tmp_path):
    api = FakeBotAPI().start()
    try:
        with FeedServer() as server:
            server.set("/feed.xml", b"down", status=503)
            rt = runtime(tmp_path, server, TELEGRAM_BOT_TOKEN=api.token, TELEGRAM_API_BASE=api.root)
            clock = rt.clock
            assert isinstance(clock, Clock)
            for _ in range(3):
                report = await pipeline.poll_pass(rt, rt.clock())
                clock.now = rt.store.source_state("wire").next_poll_at
            line = report.sources[0].log_line()
            assert line.startswith("source=wire status=error new=0 claims=0 alerts=0 ms=")
            assert 'next_s=86400 paused=1 error="HTTP 503 Service Unavailable" warning=-' in line
            assert rt.store.schedule_state("wire").paused_at is not None
            (notice,) = rt.store.pending_admin_notices()
            assert notice.kind == "paused" and "failed 3 polls in a row" in notice.text

            async with telegram_bot.make_bot(rt.settings) as bot:
                console = io.StringIO()
                sent = await upkeep.deliver_admin_notices(rt.store, rt.settings.admin_ids,
                                                          notify.TelegramSender(bot), console, clock)
            assert sent == 1 and rt.store.pending_admin_notices() == []
            assert "failed 3 polls in a row" in api.texts(ADMIN)[0]
            printed = console.getvalue()
            assert printed.startswith("ADMIN paused: Source wire failed 3 polls") and "HTTP 503" in printed

            # the daily probe finds it back: resumed, and the admins hear that too
            server.set("/feed.xml", feed(clock.now - timedelta(hours=1)), headers={"Cache-Control": "max-age=5400"})
            await pipeline.poll_pass(rt, rt.clock())
            state = rt.store.schedule_state("wire")
            assert state.paused_at is None and state.consecutive_errors == 0
            assert [n.kind for n in rt.store.pending_admin_notices()] == ["resumed"]
            # max-age 90 min and <ttl>90</ttl> beat the 30-minute base
            assert rt.store.source_state("wire").next_poll_at == clock.now + timedelta(minutes=90)
            await rt.client.aclose()
            rt.store.close()
    finally:
        api.stop()


async def test_a_source_that_stops_publishing_raises_one_silence_alarm(tmp_path):
    with FeedServer() as server:
        server.set("/feed.xml", feed(datetime.now(UTC) - timedelta(hours=1)), etag='"v1"')
        rt = runtime(tmp_path, server)
        clock = rt.clock
        assert isinstance(clock, Clock)
        await pipeline.poll_pass(rt, rt.clock())
        for _ in range(2):  # eight days of 304s: no dated rate, so a week is the limit
            clock.now += timedelta(days=4)
            await pipeline.poll_pass(rt, rt.clock())
        kinds = [n.kind for n in rt.store.pending_admin_notices()]
        await rt.client.aclose()
        rt.store.close()
    assert kinds == ["silent"]


OPML = b"""<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0"><head><title>Mine</title></head><body>
  <outline text="Tech">
    <outline text="Heise" title="heise online" type="rss" xmlUrl="https://www.heise.de/rss/heise-atom.xml"/>
    <outline text="Ars" type="rss" xmlUrl="https://feeds.arstechnica.com/arstechnica/index" language="en-US"/>
  </outline>
  <outline text="\xe9\x9b\xb7\xe9\x94\x8b\xe7\xbd\x91" type="rss" xmlUrl="https://www.leiphone.com/feed"/>
  <outline text="Ars again" type="rss" xmlUrl="https://feeds.arstechnica.com/arstechnica/index"/>
  <outline text="Not a feed" xmlUrl="ftp://example.org/x"/>
</body></opml>"""


def test_parse_opml_reads_nested_outlines_and_refuses_entities():
    feeds = parse_opml(OPML)
    assert [(f.title, f.xml_url) for f in feeds][:3] == [
        ("heise online", "https://www.heise.de/rss/heise-atom.xml"),
        ("Ars", "https://feeds.arstechnica.com/arstechnica/index"), ("雷锋网", "https://www.leiphone.com/feed")]
    with pytest.raises(OpmlError, match="DOCTYPE"):
        parse_opml(b'<?xml version="1.0"?><!DOCTYPE o [<!ENTITY a "b">]><opml><body/></opml>')
    with pytest.raises(OpmlError, match="not <opml>"):
        parse_opml(b"<rss/>")
    with pytest.raises(OpmlError, match="nothing to import"):
        parse_opml(b"<opml><body><outline text='folder'/></body></opml>")


def test_import_plan_skips_known_urls_and_makes_unique_ids():
    existing = parse_sources(textwrap.dedent("""\
        sources:
          - {id: heise-online, name: H, url: "https://example.org/other", lang: de, kind: press, poll_minutes: 30}
          - {id: known, name: K, url: "https://www.leiphone.com/feed", lang: zh, kind: press, poll_minutes: 30}
        """))
    plan = sources_yaml(parse_opml(OPML), existing, lang="en", kind="trade", poll_minutes=45, enabled=False)
    assert plan.added == [("heise-online-2", "https://www.heise.de/rss/heise-atom.xml"),
                          ("ars", "https://feeds.arstechnica.com/arstechnica/index")]
    assert [reason for _, reason in plan.skipped] == ["already in the sources file", "already in the sources file",
                                                      "not an http(s) URL"]
    assert "lang: en-US" in plan.yaml_text and "enabled: false" in plan.yaml_text


def test_export_then_import_round_trips():
    sources = load_sources(ROOT / "sources.yaml")
    exported = render_opml(sources, datetime(2026, 11, 2, tzinfo=UTC))
    feeds = parse_opml(exported.encode())
    assert [f.xml_url for f in feeds] == [s.url for s in sources]  # Google News URLs with & survive escaping
    empty = sources_yaml(feeds, sources, lang="en", kind="press", poll_minutes=60, enabled=True)
    assert empty.added == []


cli = run_cli


@pytest.mark.slow
def test_sources_import_appends_keeps_comments_and_export_prints_opml(tmp_path):
    sources = tmp_path / "sources.yaml"
    sources.write_text("# my feeds\nsources:\n  - id: known  # keep me\n    name: K\n"
                       "    url: https://www.leiphone.com/feed\n    lang: zh\n    kind: press\n    poll_minutes: 30\n")
    (tmp_path / "mine.opml").write_bytes(OPML)
    env = bot_env(tmp_path, sources)
    dry = cli("sources", "import", "mine.opml", "--dry-run", cwd=tmp_path, env=env)
    assert dry.returncode == 0 and "would add heise-online" in dry.stdout
    assert "heise" not in sources.read_text()
    done = cli("sources", "import", "mine.opml", "--kind", "trade", cwd=tmp_path, env=env)
    assert done.returncode == 0, done.stderr
    assert "2 sources added" in done.stdout and "skipped ftp://example.org/x: not an http(s) URL" in done.stdout
    text = sources.read_text()
    assert text.startswith("# my feeds\n") and "# keep me" in text and "# imported from mine.opml" in text
    assert [s.id for s in load_sources(sources)] == ["known", "heise-online", "ars"]
    again = cli("sources", "import", "mine.opml", cwd=tmp_path, env=env)
    assert "nothing to import" in again.stdout
    exported = cli("sources", "export", cwd=tmp_path, env=env)
    assert exported.returncode == 0 and exported.stdout.count("<outline ") == 3
    bad = cli("sources", "import", "nope.opml", cwd=tmp_path, env=env)
    assert bad.returncode == 1 and "cannot read nope.opml" in bad.stderr and "Traceback" not in bad.stderr


@pytest.mark.slow
def test_sources_check_prints_a_table_and_fails_when_a_source_fails(tmp_path):
    with FeedServer() as server:
        server.set("/feed.xml", feed(datetime.now(UTC) - timedelta(hours=3)))
        server.set("/html", b"<html><body>Error</body></html>", content_type="text/html")
        sources = write_sources(tmp_path / "sources.yaml", [("good", server.url("/feed.xml")),
                                                             ("page", server.url("/html")),
                                                             ("gone", server.url("/missing"))])
        done = cli("sources", "check", cwd=tmp_path, env=bot_env(tmp_path, sources))
    assert done.returncode == 1
    lines = done.stdout.splitlines()
    assert lines[0].split() == ["SOURCE", "STATUS", "ENTRIES", "NEWEST", "MS", "DETAIL"]
    assert lines[1].split()[:6] == ["good", "ok", "1", "3", "h", "ago"] and lines[1].endswith("W")
    assert "gone" in lines[2] and "HTTP 404 Not Found" in lines[2]
    assert "page" in lines[3] and "not a feed: HTML page (text/html)" in lines[3]
    assert lines[-1] == "1 of 3 sources answered with a feed"
    assert not (tmp_path / "bot.sqlite3").exists()  # a check stores nothing


@pytest.mark.parametrize("command", [("once",), ("run",), ("sources", "resume", "wire")])
@pytest.mark.slow
def test_a_database_from_a_newer_bot_is_refused_with_a_clear_message(tmp_path, command):
    db = tmp_path / "bot.sqlite3"
    Store(db).close()
    with sqlite3.connect(db) as connection:
        connection.execute("PRAGMA user_version = 999")
    sources = write_sources(tmp_path / "sources.yaml", [("wire", "http://127.0.0.1:9/feed")])
    done = cli(*command, cwd=tmp_path, env=bot_env(tmp_path, sources))
    assert done.returncode in (1, 2)
    assert (f"database {db} has schema version 999, but this bot knows only up to {len(MIGRATIONS)}: it was "
            "written by a newer version; upgrade the bot or use another BOT_DB") in done.stderr
    assert "Traceback" not in done.stderr
    with sqlite3.connect(db) as connection:  # and left it untouched
        assert connection.execute("PRAGMA user_version").fetchone()[0] == 999


WRITER = """
import sys
from datetime import UTC, datetime
from bot.model.records import ArticleRecord
from bot.store.database import Store
store = Store(sys.argv[1])
n = 0
while True:
    record = ArticleRecord("wire", f"{sys.argv[2]}-{n}", None, "T", "en", None, "x" * 2000, "summary")
    store.record_article(record, [], [], datetime.now(UTC))
    n += 1
    print(n, flush=True)
"""


@pytest.mark.slow
def test_sqlite_survives_sigkill_during_writes(tmp_path):
    """A writer committing as fast as it can, killed at random moments: every committed row is
    there afterwards, and the file passes integrity_check (WAL)."""
    rng = random.Random(7)
    db = tmp_path / "bot.sqlite3"
    committed = 0
    for run in range(5):
        writer = subprocess.Popen([sys.executable, "-c", WRITER, str(db), f"run{run}"], cwd=ROOT,
                                  stdout=subprocess.PIPE, text=True)
        assert writer.stdout is not None
        first = writer.stdout.readline()  # started writing
        assert first.strip().isdigit()
        time.sleep(rng.uniform(0.05, 0.4))
        writer.send_signal(signal.SIGKILL)
        out, _ = writer.communicate()
        reported = [int(line) for line in (first + out).split() if line.isdigit()]
        committed += max(reported)
        with Store(db) as store:
            assert store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
            rows = store.count("articles")
        # every reported commit is there; at most one more per run (committed, killed before printing)
        assert committed <= rows <= committed + run + 1
    assert committed > 0
