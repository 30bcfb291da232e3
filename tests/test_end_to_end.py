"""The whole pipeline over real protocols: a feed and a page on a loopback HTTP server, a real SQLite
file, python-telegram-bot talking to a fake Bot API server. Articles here are invented."""

from __future__ import annotations

import re
import signal
import textwrap
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot import pipeline
from bot.config import Settings, load_settings
from bot.store.database import Store, iso
from bot.telegram import application as telegram_bot
from tests.support.clock import Clock
from tests.support.loopback.bot_api import FakeBotAPI
from tests.support.loopback.feed_server import FeedServer
from tests.support.process import bot_env, cli_env, run_cli, start_bot, write_sources
from tests.support.scenario import (
    CANARIES,
    PAGE,
    delivery_settled,
    feed_xml,
    run_app_once,
    wait_until,
    write_wire_source,
)

pytestmark = pytest.mark.slow  # every test here starts the bot or its whole Application

ROOT = Path(__file__).resolve().parents[1]
SUBSCRIBED, STRANGER = 1001, 1002

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
    sources = write_wire_source(tmp_path / "sources.yaml", served.url("/feed.xml"))
    return load_settings(env, env_file=None, sources=sources, db=tmp_path / "bot.sqlite3")


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


def wire_env(tmp_path: Path, served: FeedServer, api: FakeBotAPI | None) -> dict[str, str]:
    """The real bot's environment for the invented wire, and the fake Bot API when given."""
    telegram = {"TELEGRAM_BOT_TOKEN": api.token, "TELEGRAM_API_BASE": api.root} if api is not None else {}
    return bot_env(tmp_path, write_wire_source(tmp_path / "sources.yaml", served.url("/feed.xml")), **telegram)


def test_the_real_entry_point_serves_telegram(tmp_path, served, bot_api):
    env = wire_env(tmp_path, served, bot_api)
    with Store(env["BOT_DB"]) as store:
        store.subscribe(SUBSCRIBED, "private", None, datetime.now(UTC))
    proc = start_bot(tmp_path, env)
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


def test_console_delivery_without_a_token(tmp_path, served):
    env = wire_env(tmp_path, served, None)
    done = run_cli("once", cwd=tmp_path, env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "ALERT Alphabet" in done.stdout
    again = run_cli("once", cwd=tmp_path, env=env, timeout=60)
    assert "ALERT" not in again.stdout


def test_unreachable_sources_log_one_line_each_and_the_bot_keeps_running(tmp_path):
    (tmp_path / "sources.yaml").write_text(textwrap.dedent("""\
        sources:
          - {id: nowhere, name: Nowhere, url: "http://127.0.0.1:9/feed", lang: en, kind: press, poll_minutes: 30}
          - {id: elsewhere, name: Closed host, url: "http://127.0.0.2:9/rss", lang: en, kind: press,
             poll_minutes: 30}
        """))
    proc = start_bot(tmp_path, cli_env(BOT_DB=str(tmp_path / "bot.sqlite3")))  # sources.yaml of the cwd
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


def test_the_real_entry_point_invite_subscribe_alert(tmp_path, served, bot_api):
    """Black box: `python -m bot run` against the fake API; an admin invites, a new user subscribes with
    the code and taps the keyboard, then the article appears and the alert reaches that user."""
    served.set("/feed.xml", b'<?xml version="1.0"?><rss version="2.0"><channel><title>E</title></channel></rss>')
    env = wire_env(tmp_path, served, bot_api) | {"BOT_ADMIN_IDS": "7", "BOT_TICK_SECONDS": "1"}
    proc = start_bot(tmp_path, env)
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


def test_ctrl_c_in_the_middle_of_a_pass_stops_cleanly_without_a_traceback(tmp_path):
    # A feed that stalls keeps the first pass busy; the operator presses Ctrl-C meanwhile.
    with FeedServer() as server:
        server.trickle("/feed.xml", b"<rss>" + b" " * 4000 + b"</rss>", bytes_per_second=200)
        env = bot_env(tmp_path, write_sources(tmp_path / "sources.yaml", [("slow-wire", server.url("/feed.xml"))]))
        proc = start_bot(tmp_path, env)
        try:
            deadline = time.monotonic() + 30
            while not server.requests_for("/feed.xml") and time.monotonic() < deadline:
                time.sleep(0.05)
            assert server.requests_for("/feed.xml"), "the pass never reached the feed"
        finally:
            proc.send_signal(signal.SIGINT)
            _, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    assert "Traceback" not in err and "ERROR" not in err, err
    assert "poll pass stopped midway by shutdown" in err and err.rstrip().endswith("INFO bot stopped")
