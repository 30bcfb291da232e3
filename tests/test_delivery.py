"""The delivery worker over real parts: the production Application's bot (AIORateLimiter included)
talking HTTP to the fake Bot API on loopback, a real SQLite file, and an injected clock (no sleeping)."""

from __future__ import annotations

import re
import time
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import httpx
import pytest

from bot import pipeline
from bot.config import load_settings
from bot.delivery import outbox as notify
from bot.delivery.render import TELEGRAM_LIMIT, render_alerts_html
from bot.ledger.entries import DEFAULT_BASELINE, load_ledger
from bot.model.records import Preferences
from bot.store.database import Store
from bot.telegram import application as telegram_bot
from tests.support.loopback.bot_api import FakeBotAPI
from tests.support.scenario import NOW, add_alert

ALICE, BOB, GROUP = 1001, 1002, -2001


def why_counts(api: FakeBotAPI, chat_id: int) -> dict[int, int]:
    counts: dict[int, int] = {}
    for text in api.texts(chat_id):
        for number in re.findall(r"/why (\d+)", text):
            counts[int(number)] = counts.get(int(number), 0) + 1
    return counts


@pytest.fixture
async def world(tmp_path: Path, bot_api: FakeBotAPI) -> AsyncIterator[tuple[Store, notify.DeliveryWorker]]:
    """The production Application (not started: no polling, no ticks), its bot and a worker on a real file."""
    settings = load_settings({"TELEGRAM_BOT_TOKEN": bot_api.token, "TELEGRAM_API_BASE": bot_api.root},
                             env_file=None, db=tmp_path / "bot.sqlite3")
    store = Store(settings.db)
    runtime = pipeline.Runtime(settings=settings, sources=[], store=store, client=httpx.AsyncClient(),
                               ledger=load_ledger(DEFAULT_BASELINE), clock=lambda: NOW)
    app = telegram_bot.build_application(settings, runtime)
    async with app:
        yield store, notify.DeliveryWorker(store, notify.TelegramSender(app.bot), None)
    await runtime.client.aclose()
    store.close()


async def test_a_burst_for_one_chat_is_coalesced_into_one_message(world, bot_api):
    store, worker = world
    store.subscribe(ALICE, "private", None, NOW)
    ids = [add_alert(store, n) for n in range(1, 4)]
    report = await worker.run_pass(NOW)
    assert (report.composed, report.sent_messages) == (1, 1)
    [text] = bot_api.texts(ALICE)
    assert text.startswith("<b>3 new alerts</b>")
    assert why_counts(bot_api, ALICE) == {i: 1 for i in ids}
    await worker.run_pass(NOW + timedelta(minutes=1))
    assert len(bot_api.texts(ALICE)) == 1
    assert store.delivery_counts() == {"sent": 3}


async def test_each_chat_gets_only_what_it_subscribed_to(world, bot_api):
    store, worker = world
    for chat in (ALICE, BOB, GROUP):
        store.subscribe(chat, "private" if chat > 0 else "group", None, NOW)
    store.set_preferences(ALICE, Preferences(companies=frozenset({"alibaba"})), NOW)
    store.set_preferences(BOB, Preferences(level="changes"), NOW)
    store.set_preferences(GROUP, Preferences(level="digest"), NOW)
    alibaba = add_alert(store, 1, company="alibaba", verdict="new")
    google = add_alert(store, 2, company="google", verdict="raised")
    await worker.run_pass(NOW)
    assert why_counts(bot_api, ALICE) == {alibaba: 1}
    assert why_counts(bot_api, BOB) == {google: 1}
    assert bot_api.texts(GROUP) == []
    assert store.delivery_counts() == {"sent": 2, "skipped": 4}


async def test_a_user_who_blocked_the_bot_is_unsubscribed_and_others_still_get_alerts(world, bot_api):
    store, worker = world
    store.subscribe(ALICE, "private", None, NOW)
    store.subscribe(BOB, "private", None, NOW)
    bot_api.blocked.add(ALICE)
    add_alert(store, 1)
    report = await worker.run_pass(NOW)
    assert report.blocked_chats == [ALICE]
    assert store.active_chats() == [BOB]
    assert len(bot_api.texts(BOB)) == 1
    add_alert(store, 2)
    await worker.run_pass(NOW + timedelta(seconds=5))
    assert len(bot_api.texts(BOB)) == 2
    assert [m for m, p in bot_api.calls if m == "sendMessage" and int(p["chat_id"]) == ALICE] == ["sendMessage"]


async def test_flood_control_parks_only_that_chat_for_retry_after(world, bot_api):
    store, worker = world
    store.subscribe(ALICE, "private", None, NOW)
    store.subscribe(BOB, "private", None, NOW)
    bot_api.fail("sendMessage", 429, "Too Many Requests: retry after 30", {"retry_after": 30}, chat_id=ALICE)
    add_alert(store, 1)
    started = time.monotonic()
    report = await worker.run_pass(NOW)
    assert time.monotonic() - started < 3, "the rate limiter must not sleep through retry_after"
    assert (report.retried, report.sent_messages) == (1, 1)
    assert bot_api.texts(ALICE) == [] and len(bot_api.texts(BOB)) == 1
    alice_calls = lambda: sum(1 for m, p in bot_api.calls if m == "sendMessage" and int(p["chat_id"]) == ALICE)  # noqa: E731
    await worker.run_pass(NOW + timedelta(seconds=29))
    assert alice_calls() == 1  # still waiting
    await worker.run_pass(NOW + timedelta(seconds=30))
    assert len(bot_api.texts(ALICE)) == 1 and alice_calls() == 2


async def test_a_ten_minute_outage_then_every_alert_arrives_exactly_once(world, bot_api):
    store, worker = world
    chats = (ALICE, BOB, GROUP)
    for chat in chats:
        store.subscribe(chat, "private" if chat > 0 else "group", None, NOW)
    ids = [add_alert(store, 1), add_alert(store, 2)]
    bot_api.outage = True
    clock = NOW
    while clock < NOW + timedelta(minutes=10):
        if clock == NOW + timedelta(minutes=4):
            ids.append(add_alert(store, 3, at=clock))  # found during the outage
        await worker.run_pass(clock)
        clock += timedelta(seconds=10)
    attempts_during_outage = sum(1 for m, _ in bot_api.calls if m == "sendMessage")
    assert bot_api.sent == []
    # backoff (5 s doubling to 5 min: tries at 0, 5, 15, 35, 75, 155, 315 s) and at most one failure
    # per pass: 7 tries per chat instead of 60 passes × 3 chats
    assert attempts_during_outage <= 3 * 7
    bot_api.outage = False
    recovered_at = clock
    while store.message_counts().get("pending") or store.chats_to_compose(clock):
        assert clock < recovered_at + timedelta(minutes=6), store.message_counts()
        await worker.run_pass(clock)
        clock += timedelta(seconds=1)
    for chat in chats:
        assert why_counts(bot_api, chat) == {i: 1 for i in ids}, chat
    assert clock - recovered_at <= timedelta(minutes=5, seconds=10)
    assert store.delivery_counts() == {"sent": 9}


async def test_a_6000_character_alert_is_split_on_safe_boundaries_and_paced(world, bot_api):
    store, worker = world
    store.subscribe(ALICE, "private", None, NOW)
    words = " ".join(f"w{i}" + ("<&>" if i % 10 == 0 else "") for i in range(1000))
    alert_id = add_alert(store, 1, headline=words)
    html = render_alerts_html([store.alert_view(alert_id)])
    assert 6000 < len(html) < 2 * TELEGRAM_LIMIT
    await worker.run_pass(NOW)
    assert len(bot_api.texts(ALICE)) == 1, "one part per second in a private chat"
    await worker.run_pass(NOW + timedelta(milliseconds=500))
    assert len(bot_api.texts(ALICE)) == 1
    for _ in range(10):  # bounded: a regression that stops sending fails below instead of hanging here
        if not store.message_counts().get("pending"):
            break
        await worker.run_pass(NOW + timedelta(seconds=len(bot_api.texts(ALICE))))
    parts = [m for m in bot_api.sent if m["chat_id"] == ALICE]
    assert len(parts) == 2
    assert all(p["parse_mode"] == "HTML" and len(p["text"]) <= TELEGRAM_LIMIT for p in parts)
    assert all(p["text"].startswith("<b>") and "</b>" in p["text"] for p in parts)  # bold closed and reopened
    joined = " ".join(p["text"] for p in parts)
    # no word or entity cut in half
    tokens = re.sub(r"</?b>", " ", joined).split()
    assert tokens[:1000] == [f"w{i}" + ("&lt;&amp;&gt;" if i % 10 == 0 else "") for i in range(1000)]
    assert parts[-1]["text"].endswith(f"/why {alert_id}")


async def test_a_restart_between_parts_resumes_at_the_next_part(tmp_path, world, bot_api):
    store, worker = world
    store.subscribe(ALICE, "private", None, NOW)
    add_alert(store, 1, headline="x " * 3000)
    await worker.run_pass(NOW)
    assert len(bot_api.texts(ALICE)) == 1
    worker.stop()  # the old process ends, handing its claimed message back
    # a new process: a fresh worker (no pacing memory) on the same database file
    fresh = notify.DeliveryWorker(Store(store.path), worker.telegram, None)
    await fresh.run_pass(NOW + timedelta(seconds=1))
    assert len(bot_api.texts(ALICE)) == 2
    assert bot_api.texts(ALICE)[0] != bot_api.texts(ALICE)[1]
    assert store.delivery_counts() == {"sent": 1}


async def test_a_group_that_became_a_supergroup_is_followed(world, bot_api):
    store, worker = world
    store.subscribe(GROUP, "group", "G", NOW)
    bot_api.fail("sendMessage", 400, "Bad Request: group chat was upgraded to a supergroup chat",
                 {"migrate_to_chat_id": -1002001}, chat_id=GROUP)
    alert_id = add_alert(store, 1)
    await worker.run_pass(NOW)
    assert store.active_chats() == [-1002001]
    await worker.run_pass(NOW + timedelta(seconds=1))
    assert why_counts(bot_api, -1002001) == {alert_id: 1}


async def test_markup_telegram_refuses_is_resent_as_plain_text(world, bot_api):
    store, worker = world
    store.subscribe(ALICE, "private", None, NOW)
    bot_api.fail("sendMessage", 400, "Bad Request: can't parse entities: unsupported start tag", chat_id=ALICE)
    add_alert(store, 1, headline="Alphabet capex raised")
    await worker.run_pass(NOW)
    [plain] = [m for m in bot_api.sent if m["chat_id"] == ALICE]
    assert "parse_mode" not in plain and plain["text"].startswith("Alphabet capex raised")
    assert "<b>" not in plain["text"]


async def test_groups_are_paced_at_20_per_minute(world, bot_api):
    store, worker = world
    store.subscribe(GROUP, "group", "G", NOW)
    store.set_preferences(GROUP, Preferences(), NOW)
    for n in range(1, 4):
        add_alert(store, n, headline="y " * 2500)  # 3 alerts, one message of 4 parts
    clock = NOW
    for _ in range(6):
        await worker.run_pass(clock)
        clock += timedelta(seconds=1)
    assert len(bot_api.texts(GROUP)) == 2  # at 0 s and 3 s
