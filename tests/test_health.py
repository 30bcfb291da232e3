"""Heartbeat verdicts with literal inputs, the `health` command, and the real bot's heartbeat and
metrics endpoint."""

from __future__ import annotations

import json
import re
import socket
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.ops.health import assess
from bot.store.heartbeat import Heartbeat, read_heartbeat
from tests.support.clock import Clock
from tests.support.loopback.feed_server import FeedServer
from tests.support.process import BotProcess, bot_env, run_cli, write_sources

NOW = datetime(2026, 11, 2, 12, 0, tzinfo=UTC)
PATH = Path("/data/heartbeat.json")


def beats(mode: str = "console", started: float = 3600, **ages: float) -> dict[str, object]:
    return {"pid": 7, "mode": mode, "started_at": (NOW - timedelta(seconds=started)).isoformat(),
            "beats": {k: (NOW - timedelta(seconds=v)).isoformat() for k, v in ages.items()}}


def test_fresh_beats_are_healthy():
    report = assess(beats(poll=30, loop=2), NOW, 600, PATH)
    assert report.healthy and report.message == "healthy (pid 7): poll 30 s ago, loop 2 s ago"


def test_a_stale_poll_loop_is_unhealthy_and_says_which_part():
    report = assess(beats(poll=900, loop=2), NOW, 600, PATH)
    assert not report.healthy
    assert report.message == "unhealthy (pid 7): the poll loop last reported 900 s ago (limit 600 s)"


def test_telegram_mode_also_needs_the_updater():
    assert not assess(beats("telegram", poll=1, loop=1), NOW, 600, PATH).healthy
    assert "Telegram updater never reported" in assess(beats("telegram", poll=1, loop=1), NOW, 600, PATH).message
    assert assess(beats("telegram", poll=1, loop=1, updater=3), NOW, 600, PATH).healthy


def test_a_worker_needs_its_poll_loop_and_serve_its_updater_but_no_poll():
    assert assess(beats("worker", poll=1, loop=1), NOW, 600, PATH).healthy  # no Telegram updater in a worker
    assert "poll loop last reported 900 s ago" in assess(beats("worker", poll=900, loop=1), NOW, 600, PATH).message
    assert assess(beats("serve:telegram", loop=1, updater=2), NOW, 600, PATH).healthy  # workers poll
    assert "Telegram updater never reported" in assess(beats("serve:telegram", loop=1), NOW, 600, PATH).message
    assert assess(beats("serve:console", loop=1), NOW, 600, PATH).healthy


def test_a_bot_that_is_starting_is_given_max_age_to_report():
    assert assess(beats(started=20), NOW, 600, PATH).healthy
    assert "never reported" in assess(beats(started=601), NOW, 600, PATH).message


def test_no_heartbeat_file_names_the_file():
    report = assess(None, NOW, 600, PATH)
    assert not report.healthy and "no heartbeat in /data/heartbeat.json" in report.message


def test_heartbeat_writes_atomically_and_keeps_every_component(tmp_path):
    clock = Clock(NOW)
    heartbeat = Heartbeat(tmp_path / "hb.json", "console", clock)
    heartbeat.beat("poll")
    clock.advance(timedelta(seconds=5))
    heartbeat.beat("loop")
    contents = read_heartbeat(tmp_path / "hb.json")
    assert contents is not None and contents["beats"] == {"poll": NOW.isoformat(),
                                                         "loop": (NOW + timedelta(seconds=5)).isoformat()}
    assert [p.name for p in tmp_path.iterdir()] == ["hb.json"]  # no temp files left behind


cli = run_cli


@pytest.mark.slow
def test_health_command_exit_codes(tmp_path):
    env = bot_env(tmp_path, tmp_path / "sources.yaml")
    missing = cli("health", env=env, cwd=tmp_path)
    assert missing.returncode == 1 and "unhealthy: no heartbeat in" in missing.stderr
    now = datetime.now(UTC)
    (tmp_path / "heartbeat.json").write_text(json.dumps(
        {"pid": 1, "mode": "console", "started_at": now.isoformat(),
         "beats": {"poll": now.isoformat(), "loop": (now - timedelta(hours=1)).isoformat()}}))
    stale = cli("health", env=env, cwd=tmp_path)
    # The check runs a moment after the file was written (a slow start under load adds a second or two).
    assert stale.returncode == 1
    assert re.search(r"the scheduler last reported 36\d\d s ago \(limit 600 s\)", stale.stderr)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


@pytest.mark.slow
def test_the_running_bot_is_healthy_and_serves_metrics(tmp_path):
    port = free_port()
    with FeedServer() as server:
        server.set("/feed.xml", b'<?xml version="1.0"?><rss version="2.0"><channel><title>Quiet</title>'
                                b"</channel></rss>", headers={"Cache-Control": "max-age=7200"})
        sources = write_sources(tmp_path / "sources.yaml", [("quiet", server.url("/feed.xml")),
                                                             ("broken", server.url("/missing.xml"))])
        env = bot_env(tmp_path, sources, BOT_METRICS_PORT=str(port), BOT_HEALTH_MAX_AGE="60")
        bot = BotProcess.start(tmp_path, env)
        try:
            bot.wait_for(lambda b: len(b.query("SELECT 1 FROM source_state WHERE polls_total > 0")) == 2
                         and get(f"http://127.0.0.1:{port}/healthz")[0] == 200, timeout=30, what="healthy")
            healthy = cli("health", env=env, cwd=tmp_path)
            status, metrics = get(f"http://127.0.0.1:{port}/metrics")
            assert get(f"http://127.0.0.1:{port}/nothing")[0] == 404
        finally:
            assert bot.stop() == 0
    assert healthy.returncode == 0 and healthy.stdout.startswith("healthy (pid ")
    assert status == 200
    for line in ('capex_watch_polls_total{source="quiet"} 1.0', 'capex_watch_poll_errors_total{source="broken"} 1.0',
                 'capex_watch_source_up{source="broken"} 0.0', 'capex_watch_source_up{source="quiet"} 1.0',
                 'capex_watch_source_interval_seconds{source="quiet"} 7200.0', "capex_watch_outbox_queue_depth 0.0",
                 "capex_watch_articles_total 0.0", "capex_watch_alerts_total 0.0", "capex_watch_healthy 1.0",
                 'capex_watch_deliveries_total{status="sent"} 0.0',
                 'capex_watch_heartbeat_age_seconds{component="poll"}'):
        assert line in metrics, line
    time.sleep(3)  # the bot is gone: its heartbeat goes stale
    stale = cli("health", env=env | {"BOT_HEALTH_MAX_AGE": "2"}, cwd=tmp_path)
    assert stale.returncode == 1 and "unhealthy" in stale.stderr and "limit 2 s" in stale.stderr
