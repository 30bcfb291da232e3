"""The whole pipeline over real protocols: a feed and a page on a loopback HTTP server, a real SQLite
file, python-telegram-bot talking to a fake Bot API server. Articles here are invented."""

from __future__ import annotations

import asyncio
import email.utils
import os
import re
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot import app as bot_app
from bot import pipeline
from bot.config import Settings, load_settings
from bot.store.database import Store, iso
from bot.telegram import application as telegram_bot
from tests.loopback.bot_api import FakeBotAPI
from tests.loopback.feed_server import FeedServer

ROOT = Path(__file__).resolve().parents[1]
SUBSCRIBED, STRANGER = 1001, 1002

PAGE = textwrap.dedent("""\
    <html><head><title>Alphabet lifts its spending plan</title></head><body>
    <nav>Home | Markets | Tech</nav>
    <article><h1>Alphabet lifts its spending plan again</h1>
    <p>Alphabet said on Tuesday that it now expects capital expenditures of between $91 billion and
    $93 billion in 2026, as demand for its cloud and AI services keeps outrunning the data-centre
    capacity it has in place today.</p>
    <p>The company told investors that the extra money would go mostly to servers, with the rest to
    new buildings and networking gear, and that spending would rise again next year.</p>
    <p>Shares of the company were little changed in after-hours trading on the news, which several
    investors had expected after a string of large power agreements this summer.</p>
    </article><footer>© Example Wire</footer></body></html>""").encode()


def feed_xml(page_url: str, published: datetime, items: int = 1) -> bytes:
    item = f"""<item><title>Alphabet lifts its spending plan again</title><link>{page_url}</link>
      <guid isPermaLink="false">wire-0001</guid><pubDate>{email.utils.format_datetime(published)}</pubDate>
      <description>Alphabet raised its spending outlook.</description></item>"""
    return f"""<?xml version="1.0" encoding="utf-8"?>
    <rss version="2.0"><channel><title>Example Wire</title><link>https://wire.example/</link>
    {item * items}</channel></rss>""".encode()


def write_sources(path: Path, feed_url: str) -> Path:
    path.write_text(textwrap.dedent(f"""\
        sources:
          - id: example-wire
            name: Example Wire
            url: {feed_url}
            lang: en
            kind: press
            poll_minutes: 30
        """))
    return path


class Clock:
    def __init__(self) -> None:
        self.now = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def served(tmp_path):
    with FeedServer() as server:
        server.set("/article/1", PAGE, content_type="text/html; charset=utf-8")
        server.set("/feed.xml", feed_xml(server.url("/article/1"), datetime.now(UTC) - timedelta(hours=1)),
                   etag='"feed-v1"')
        yield server


def settings_for(tmp_path: Path, served: FeedServer, api: FakeBotAPI | None, **extra_env: str) -> Settings:
    env = {"BOT_TICK_SECONDS": "3600", "BOT_FETCH_TIMEOUT": "10", **extra_env}
    if api is not None:
        env |= {"TELEGRAM_BOT_TOKEN": api.token, "TELEGRAM_API_BASE": api.root}
    return load_settings(env, env_file=None, sources=write_sources(tmp_path / "sources.yaml", served.url("/feed.xml")),
                         db=tmp_path / "bot.sqlite3")


async def wait_until(predicate: Callable[[], bool], timeout: float = 15.0) -> None:
    async with asyncio.timeout(timeout):
        while not predicate():
            await asyncio.sleep(0.05)


CANARIES = (999_001, 999_002)  # chats only delivery_settled writes to (two: pacing holds a chat's second send)


async def delivery_settled(rt: pipeline.Runtime, api: FakeBotAPI) -> None:
    """Return once every message that was due when called has been through a complete delivery pass.

    Instead of sleeping "long enough" before checking that nothing more was sent: a canary message is
    queued and awaited, then a second one. The delivery tick lists due messages once at its start and
    sends them in order, so the second canary can only go out in a pass that started after the first
    one's pass ended."""
    for canary in CANARIES:
        before = len(api.texts(canary))
        rt.store.db.execute("INSERT INTO messages (chat_id, kind, html, next_attempt_at, created_at) "
                            "VALUES (?, 'digest', 'canary', ?, ?)", (canary, iso(rt.clock()), iso(rt.clock())))
        await wait_until(lambda: len(api.texts(canary)) > before)  # noqa: B023 - awaited before the loop moves on


async def run_app_once(settings: Settings, clock: Callable[[], datetime],
                       body: Callable[[pipeline.Runtime], object]) -> None:
    """Start the real Application (handlers + JobQueue ticks) against the fake API, run `body`, stop."""
    sources, ledger, store = bot_app.load_inputs(settings)
    rt = bot_app.make_runtime(settings, sources, ledger, store)
    rt.clock = clock
    app = telegram_bot.build_application(settings, rt)
    async with app:
        if app.post_init is not None:  # run_polling calls it; the manual lifecycle must too
            await app.post_init(app)
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(timeout=1, poll_interval=0)
        try:
            result = body(rt)
            if asyncio.iscoroutine(result):
                await result
        finally:
            await app.updater.stop()
            await app.stop()
    store.close()


async def test_new_entry_reaches_the_subscribed_chat_once(tmp_path, served, bot_api):
    settings = settings_for(tmp_path, served, bot_api)
    clock = Clock()
    with Store(settings.db) as store:
        store.subscribe(SUBSCRIBED, "private", None, clock())

    async def first_run(rt: pipeline.Runtime) -> None:
        # the JobQueue's first poll tick runs at start; the delivery tick sends the alert
        await wait_until(lambda: bot_api.texts(SUBSCRIBED))
        bot_api.push_command(STRANGER, "/help")
        await wait_until(lambda: bot_api.texts(STRANGER))
        # a second pass, once the source is due again, finds nothing new
        clock.now += timedelta(hours=1)
        report = await pipeline.poll_pass(rt, rt.clock())
        assert [(s.source_id, s.new_entries, s.alerts) for s in report.sources] == [("example-wire", 0, 0)]
        await delivery_settled(rt, bot_api)

    await run_app_once(settings, clock, first_run)
    alerts = [t for t in bot_api.texts(SUBSCRIBED)]
    assert len(alerts) == 1
    assert "Alphabet 2026" in alerts[0] and "$91–93 bn" in alerts[0] and "Example Wire" in alerts[0]
    assert all("$91" not in t for t in bot_api.texts(STRANGER))  # help only, no alert
    # the second poll used the stored ETag
    assert served.requests_for("/feed.xml")[-1].headers.get("if-none-match") == '"feed-v1"'

    # a restart with the same database, once the source is due: nothing is sent again
    clock.now += timedelta(hours=1)
    before = len(bot_api.sent)

    async def second_run(rt: pipeline.Runtime) -> None:
        await wait_until(lambda: len(served.requests_for("/feed.xml")) >= 3)
        await delivery_settled(rt, bot_api)

    await run_app_once(settings, clock, second_run)
    assert [m for m in bot_api.sent[before:] if m["chat_id"] not in CANARIES] == []


async def test_start_and_stop_manage_the_subscription(tmp_path, served, bot_api):
    settings = settings_for(tmp_path, served, bot_api, BOT_ACCESS="open")
    served.set("/feed.xml", b'<?xml version="1.0"?><rss version="2.0"><channel><title>Empty</title></channel></rss>')
    clock = Clock()

    async def body(rt: pipeline.Runtime) -> None:
        bot_api.push_command(SUBSCRIBED, "/start")
        await wait_until(lambda: bot_api.texts(SUBSCRIBED))
        assert rt.store.active_chats() == [SUBSCRIBED]
        bot_api.push_command(SUBSCRIBED, "/stop")
        await wait_until(lambda: len(bot_api.texts(SUBSCRIBED)) == 2)
        assert rt.store.active_chats() == []
        bot_api.push_command(SUBSCRIBED, "/nonsense")
        await wait_until(lambda: len(bot_api.texts(SUBSCRIBED)) == 3)

    await run_app_once(settings, clock, body)
    start, stop, unknown = bot_api.texts(SUBSCRIBED)
    assert "subscribed" in start.lower() and "Apsara" in start
    assert "unsubscribed" in stop.lower()
    assert "/help" in unknown
    assert ("setMyCommands", {"commands": [{"command": c, "description": d} for c, d in telegram_bot.COMMANDS]}) \
        in [(m, p) for m, p in bot_api.calls if m == "setMyCommands"]


def bot_env(tmp_path: Path, served: FeedServer, api: FakeBotAPI | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "BOT_"))}
    env |= {"BOT_SOURCES": str(write_sources(tmp_path / "sources.yaml", served.url("/feed.xml"))),
            "BOT_DB": str(tmp_path / "bot.sqlite3"), "BOT_TICK_SECONDS": "3600", "NO_PROXY": "127.0.0.1"}
    if api is not None:
        env |= {"TELEGRAM_BOT_TOKEN": api.token, "TELEGRAM_API_BASE": api.root}
    return env


@pytest.mark.slow
def test_the_real_entry_point_serves_telegram(tmp_path, served, bot_api):
    env = bot_env(tmp_path, served, bot_api)
    with Store(env["BOT_DB"]) as store:
        store.subscribe(SUBSCRIBED, "private", None, datetime.now(UTC))
    proc = subprocess.Popen([sys.executable, "-m", "bot", "run"], cwd=tmp_path, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        bot_api.push_command(STRANGER, "/start")
        bot_api.wait_for(lambda api: api.texts(STRANGER), timeout=30)
        bot_api.wait_for(lambda api: any("Alphabet" in t for t in api.texts(SUBSCRIBED)), timeout=30)
    finally:
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    assert bot_api.token not in out + err
    assert "source=example-wire status=ok new=1" in err


@pytest.mark.slow
def test_console_delivery_without_a_token(tmp_path, served):
    env = bot_env(tmp_path, served, None)
    done = subprocess.run([sys.executable, "-m", "bot", "once"], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "ALERT Alphabet" in done.stdout
    again = subprocess.run([sys.executable, "-m", "bot", "once"], cwd=tmp_path, env=env,
                           capture_output=True, text=True, timeout=60)
    assert "ALERT" not in again.stdout


@pytest.mark.slow
def test_unreachable_sources_log_one_line_each_and_the_bot_keeps_running(tmp_path):
    (tmp_path / "sources.yaml").write_text(textwrap.dedent("""\
        sources:
          - {id: nowhere, name: Nowhere, url: "http://127.0.0.1:9/feed", lang: en, kind: press, poll_minutes: 30}
          - {id: elsewhere, name: Closed host, url: "http://127.0.0.2:9/rss", lang: en, kind: press,
             poll_minutes: 30}
        """))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "BOT_"))}
    env |= {"BOT_DB": str(tmp_path / "bot.sqlite3")}
    proc = subprocess.Popen([sys.executable, "-m", "bot", "run"], cwd=tmp_path, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        with Store(tmp_path / "bot.sqlite3") as probe:
            deadline = datetime.now(UTC) + timedelta(seconds=30)
            while datetime.now(UTC) < deadline:
                states = {s.source_id: s for s in probe.all_source_states()}
                if len(states) == 2 and all(s.last_error for s in states.values()):
                    break
                time.sleep(0.2)
        assert proc.poll() is None, "the bot must keep running"
    finally:
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=30)
    assert proc.returncode == 0
    lines = [line for line in err.splitlines() if "status=error" in line]
    assert any("source=nowhere" in line for line in lines)
    assert any("source=elsewhere" in line for line in lines)  # (an unresolvable name: tests/test_fetch.py)
    assert "Traceback" not in err


@pytest.mark.slow
def test_the_real_entry_point_invite_subscribe_alert(tmp_path, served, bot_api):
    """Black box: `python -m bot run` against the fake API; an admin invites, a new user subscribes with
    the code and taps the keyboard, then the article appears and the alert reaches that user."""
    served.set("/feed.xml", b'<?xml version="1.0"?><rss version="2.0"><channel><title>E</title></channel></rss>')
    env = bot_env(tmp_path, served, bot_api) | {"BOT_ADMIN_IDS": "7", "BOT_TICK_SECONDS": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "bot", "run"], cwd=tmp_path, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        bot_api.push_command(7, "/invite")
        bot_api.wait_for(lambda api: api.texts(7), timeout=30)
        code = re.search(r"<code>([A-Za-z0-9_-]+)</code>", bot_api.texts(7)[0]).group(1)  # type: ignore[union-attr]
        bot_api.push_command(STRANGER, "/start")
        bot_api.wait_for(lambda api: api.texts(STRANGER))
        assert "invite-only" in bot_api.texts(STRANGER)[0]
        bot_api.push_command(STRANGER, f"/start {code}")
        bot_api.wait_for(lambda api: len(api.texts(STRANGER)) == 2)
        assert bot_api.texts(STRANGER)[1].startswith("Subscribed.")
        bot_api.push_command(STRANGER, "/subscribe")
        bot_api.wait_for(lambda api: len(api.texts(STRANGER)) == 3)
        bot_api.push_callback(STRANGER, STRANGER, "sub:c:alibaba", message_id=3)
        bot_api.wait_for(lambda api: api.edits(STRANGER))
        # the article appears; the operator makes the source due now (its interval is 30 minutes)
        served.set("/feed.xml", feed_xml(served.url("/article/1"), datetime.now(UTC) - timedelta(hours=1)))
        with Store(env["BOT_DB"]) as store:
            store.db.execute("UPDATE source_state SET next_poll_at = ?", (iso(datetime.now(UTC)),))
        bot_api.wait_for(lambda api: any("$91" in t for t in api.texts(STRANGER)), timeout=30)
    finally:
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    assert bot_api.token not in out + err
    assert "status=subscribed via=invite" in err and code not in err  # the code is not logged either
