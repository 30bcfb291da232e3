"""Each command and keyboard flow through the real Application (handlers, JobQueue ticks, AIORateLimiter)
against the fake Bot API on loopback, with a real SQLite file and a feed on a loopback HTTP server.
The clock is real time plus an offset the tests can jump (digest schedules), never slept through."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot import pipeline
from bot.store.database import Store, iso
from tests.support.clock import Clock
from tests.support.loopback.feed_server import FeedServer
from tests.support.scenario import (
    ADMIN,
    EMPTY_FEED,
    PAGE,
    add_alert,
    ask,
    delivery_settled,
    feed_xml,
    make_settings,
    new_invite,
    wait_until,
)
from tests.support.scenario import run_app_once as run_bot

ALICE, BOB = 1001, 1002
GROUP, CHANNEL = -3001, -1004001
@pytest.fixture
def served():
    with FeedServer() as server:
        server.set("/article/1", PAGE, content_type="text/html; charset=utf-8")
        server.set("/feed.xml", EMPTY_FEED)
        yield server


async def publish_alert(rt: pipeline.Runtime, served: FeedServer) -> None:
    """The article appears in the feed and the source is polled (the poll tick's work, run now)."""
    served.set("/feed.xml", feed_xml(served.url("/article/1"), datetime.now(UTC) - timedelta(hours=1)))
    report = await pipeline.poll_pass(rt, rt.clock()) if rt.store.due_sources(["example-wire"], rt.clock()) else None
    if report is None or not report.alerts:
        rt.store.db.execute("UPDATE source_state SET next_poll_at = ?", (iso(rt.clock()),))
        report = await pipeline.poll_pass(rt, rt.clock())
    assert report.alerts == 1, report


async def test_invite_flow_and_admin_commands(tmp_path, served, bot_api):
    settings = make_settings(tmp_path, served, bot_api)
    clock = Clock(running=True)

    async def body(rt: pipeline.Runtime) -> None:
        [refusal] = await ask(bot_api, ALICE, "/start")
        assert "invite-only" in refusal and rt.store.active_chats() == []
        [not_admitted] = await ask(bot_api, ALICE, "/digest")
        assert "not subscribed" in not_admitted
        [admin_only] = await ask(bot_api, ALICE, "/invite")
        assert admin_only == "That command is for the bot's admins."
        code = await new_invite(bot_api)
        assert f"https://t.me/capex_test_bot?start={code}" in bot_api.texts(ADMIN)[-1]
        [bad] = await ask(bot_api, ALICE, "/start WRONGCODE123")
        assert "not valid" in bad
        [welcome] = await ask(bot_api, ALICE, f"/start {code}")
        assert welcome.startswith("Subscribed.") and "every Monday at 08:00 (UTC)" in welcome
        assert rt.store.active_chats() == [ALICE]
        [reused] = await ask(bot_api, BOB, f"/start {code}")
        assert "not valid" in reused  # one-time
        # a returning chat needs no new code
        await ask(bot_api, ALICE, "/stop")
        [again] = await ask(bot_api, ALICE, "/start")
        assert again.startswith("Subscribed.")
        # /allow and /revoke
        [allowed] = await ask(bot_api, ADMIN, f"/allow {BOB}")
        assert allowed == f"Chat <code>{BOB}</code> may now subscribe with /start."
        await ask(bot_api, BOB, "/start")
        [revoked] = await ask(bot_api, ADMIN, f"/revoke {BOB}")
        assert "access revoked" in revoked and rt.store.active_chats() == [ALICE]
        [refused] = await ask(bot_api, BOB, "/start")
        assert "invite-only" in refused
        [usage] = await ask(bot_api, ADMIN, "/allow someone")
        assert usage.startswith("Usage: /allow CHAT_ID")
        [stats] = await ask(bot_api, ADMIN, "/stats")
        assert "Subscribed: 1 private, 0 groups, 0 channels; 1 stopped" in stats

    await run_bot(settings, clock, body)
    # the admin menu is set for the admin's chat, the public menu for everyone
    menus = [p for m, p in bot_api.calls if m == "setMyCommands"]
    assert [c["command"] for c in menus[0]["commands"]] == ["start", "subscribe", "digest", "why", "baseline",
                                                             "sources", "stop", "forget", "help"]
    assert menus[1]["scope"] == {"type": "chat", "chat_id": ADMIN} and len(menus[1]["commands"]) == 13


async def test_closed_access_refuses_codes_and_admits_admins(tmp_path, served, bot_api):
    settings = make_settings(tmp_path, served, bot_api, BOT_ACCESS="closed")

    async def body(rt: pipeline.Runtime) -> None:
        code = await new_invite(bot_api)
        [refusal] = await ask(bot_api, ALICE, f"/start {code}")
        assert refusal == "Sorry, this bot is private: its admin has to let this chat in."
        [welcome] = await ask(bot_api, ADMIN, "/start")
        assert welcome.startswith("Subscribed.")

    await run_bot(settings, Clock(running=True), body)


async def test_subscribe_keyboard_saves_ticks_per_chat(tmp_path, served, bot_api):
    settings = make_settings(tmp_path, served, bot_api, BOT_ACCESS="open")

    async def body(rt: pipeline.Runtime) -> None:
        [hint] = await ask(bot_api, ALICE, "/subscribe")
        assert hint == "This chat is not subscribed: /start first, then /subscribe."
        await ask(bot_api, ALICE, "/start")
        [menu] = await ask(bot_api, ALICE, "/subscribe")
        assert menu.startswith("<b>What should arrive here?</b>")
        keyboard = bot_api.sent[-1]["reply_markup"]["inline_keyboard"]
        assert [b["text"] for b in keyboard[0]] == ["✅ Alibaba", "✅ Tencent", "✅ Baidu"]
        for data, edits in (("sub:c:tencent", 1), ("sub:t:energy", 2), ("sub:l:changes", 3)):
            bot_api.push_callback(ALICE, ALICE, data, message_id=99)
            await wait_until(lambda n=edits: len(bot_api.edits(ALICE)) == n)
        edit = bot_api.edits(ALICE)[-1]
        assert int(edit["message_id"]) == 99
        assert "Companies: Alibaba, Baidu, Microsoft, Google\nTopics: AI capex, Cloud\nAlerts: Raised/lowered only" \
            in edit["text"]
        rows = edit["reply_markup"]["inline_keyboard"]
        assert rows[0][1]["text"] == "▫️ Tencent" and rows[3][1]["text"] == "🔘 Raised/lowered only"
        bot_api.push_callback(ALICE, ALICE, "sub:done", message_id=99)
        await wait_until(lambda: len(bot_api.edits(ALICE)) == 4)
        assert bot_api.edits(ALICE)[-1]["text"].startswith("<b>Saved.</b>")
        bot_api.push_callback(ALICE, ALICE, "sub:c:amazon", message_id=99)
        await wait_until(lambda: len(bot_api.answers) == 5)
        assert bot_api.answers[-1]["text"] == "That button is out of date: send /subscribe again."
        prefs = rt.store.subscriber(ALICE).preferences  # type: ignore[union-attr]
        assert (sorted(prefs.companies), sorted(prefs.topics), prefs.level) == (
            ["alibaba", "baidu", "google", "microsoft"], ["capex", "cloud"], "changes")
        # kept through /stop and /start
        await ask(bot_api, ALICE, "/stop")
        await ask(bot_api, ALICE, "/start")
        assert rt.store.subscriber(ALICE).preferences == prefs  # type: ignore[union-attr]

    await run_bot(settings, Clock(running=True), body)


async def test_in_groups_only_admins_configure_and_channels_work(tmp_path, served, bot_api):
    settings = make_settings(tmp_path, served, bot_api)

    async def body(rt: pipeline.Runtime) -> None:
        code = await new_invite(bot_api)
        [no] = await ask(bot_api, GROUP, f"/start {code}", chat_type="group", user_id=ALICE)
        assert no == "Only the group's admins can change this."
        bot_api.chat_admins.add((GROUP, BOB))
        [yes] = await ask(bot_api, GROUP, f"/start {code}", chat_type="group", user_id=BOB)
        assert yes.startswith("Subscribed.")
        await ask(bot_api, GROUP, "/subscribe", chat_type="group", user_id=BOB)
        bot_api.push_callback(GROUP, ALICE, "sub:c:baidu", message_id=5, chat_type="group")
        await wait_until(lambda: bot_api.answers)
        assert bot_api.answers[-1] == {"callback_query_id": bot_api.answers[-1]["callback_query_id"],
                                       "text": "Only the group's admins can change this.", "show_alert": True}
        [digest] = await ask(bot_api, GROUP, "/digest", chat_type="group", user_id=ALICE)  # reading is fine
        assert digest.startswith("<b>Digest")
        channel_code = await new_invite(bot_api)
        [welcome] = await ask(bot_api, CHANNEL, f"/start {channel_code}", chat_type="channel")
        assert welcome.startswith("Subscribed.")
        assert sorted(rt.store.active_chats()) == [CHANNEL, GROUP]
        # removed from the group: stop sending there
        bot_api.push_my_chat_member(GROUP, "group", "left", old_status="member")
        await wait_until(lambda: rt.store.active_chats() == [CHANNEL])

    await run_bot(settings, Clock(running=True), body)


async def test_a_new_user_from_alert_to_why_and_digest(tmp_path, served, bot_api):
    settings = make_settings(tmp_path, served, bot_api)
    samples: dict[str, str] = {}

    async def body(rt: pipeline.Runtime) -> None:
        code = await new_invite(bot_api)
        samples["/start CODE"] = (await ask(bot_api, ALICE, f"/start {code}"))[0]
        await publish_alert(rt, served)
        await wait_until(lambda: any("$91" in t for t in bot_api.texts(ALICE)))
        alert = bot_api.texts(ALICE)[-1]
        samples["alert"] = alert
        alert_id = int(alert.rsplit("/why ", 1)[1])
        samples["/why 1"] = (await ask(bot_api, ALICE, f"/why {alert_id}"))[0]
        photos_before = len(bot_api.photos(ALICE))
        samples["/digest"] = (await ask(bot_api, ALICE, "/digest"))[0]
        samples["/digest 30"] = (await ask(bot_api, ALICE, "/digest 30"))[0]
        # a single new figure has no delta to draw: no chart (the weekly digest test has one)
        assert len(bot_api.photos(ALICE)) == photos_before
        samples["/baseline"] = (await ask(bot_api, ALICE, "/baseline"))[-1]
        samples["/baseline google"] = (await ask(bot_api, ALICE, "/baseline google"))[-1]
        samples["/sources"] = (await ask(bot_api, ALICE, "/sources"))[0]
        samples["/help"] = (await ask(bot_api, ALICE, "/help"))[0]
        for bad in ("/why", "/why 9999", "/why abc", "/digest 365", "/digest weekly someday 08:00",
                    "/baseline amazon", "/frobnicate"):
            samples[bad] = (await ask(bot_api, ALICE, bad))[0]
        samples["/stop"] = (await ask(bot_api, ALICE, "/stop"))[0]
        samples["/forget"] = (await ask(bot_api, ALICE, "/forget"))[0]
        bot_api.push_callback(ALICE, ALICE, "forget:yes", message_id=1)
        await wait_until(lambda: bot_api.edits(ALICE))
        samples["/forget → Yes"] = bot_api.edits(ALICE)[-1]["text"]
        assert rt.store.subscriber(ALICE) is None

    await run_bot(settings, Clock(running=True), body)
    Path(tmp_path / "samples.txt").write_text("\n\n".join(f"## {k}\n{v}" for k, v in samples.items()))
    print("\n\n".join(f"## {k}\n{v}" for k, v in samples.items()))  # the report's samples: pytest -s
    alert = samples["alert"]
    assert "Alphabet" in alert and "$91–93 bn" in alert
    why = samples["/why 1"]
    assert "<blockquote>" in why and "Rules that fired: " in why and "Figure: $91–93 bn" in why
    assert "Compared with: " in why and "<b>Sources</b>" in why
    assert "<b>Google</b>\n<i>AI capex</i>\n" in samples["/digest"]
    assert "(new, no baseline figure; 1 source) /why 1" in samples["/digest"]
    assert samples["/digest 30"].startswith("<b>Digest: changes in the last 30 days</b>")
    assert "<b>Alibaba</b>" in samples["/baseline"] and "capex plan" in samples["/baseline"]
    assert "<b>Google</b>" in samples["/baseline google"] and "<b>Alibaba</b>" not in samples["/baseline google"]
    assert "✅ Example Wire (<code>example-wire</code>): last success" in samples["/sources"]
    assert samples["/why"].startswith("Usage: /why N")
    assert samples["/why 9999"] == "There is no alert 9999. /digest lists recent ones."
    assert samples["/why abc"].startswith("Usage: /why N")
    assert samples["/digest 365"].startswith("Usage: /digest [days]")
    assert samples["/digest weekly someday 08:00"].startswith("I could not read that schedule: “someday” is not")
    assert samples["/baseline amazon"].startswith("Usage: /baseline [company]")
    assert samples["/frobnicate"] == "I don't know /frobnicate. /help lists what I can do."
    assert samples["/forget → Yes"] == "Done: everything about this chat is deleted."


@pytest.mark.slow  # seconds of real time, by design
async def test_weekly_digest_is_scheduled_in_the_database_and_survives_a_restart(tmp_path, served, bot_api):
    settings = make_settings(tmp_path, served, bot_api, BOT_ACCESS="open")
    clock = Clock(running=True)
    # Wednesday 2026-11-04 10:00 UTC
    clock.now = datetime(2026, 11, 4, 10, 0, tzinfo=UTC)

    async def first_run(rt: pipeline.Runtime) -> None:
        await ask(bot_api, ALICE, "/start")
        [answer] = await ask(bot_api, ALICE, "/digest weekly thu 09:30 Europe/Paris")
        assert answer == ("Weekly digest every Thursday at 09:30 (Europe/Paris). "
                          "Next: Thu 2026-11-05 08:30 UTC.")
        await publish_alert(rt, served)
        await wait_until(lambda: any("$91" in t for t in bot_api.texts(ALICE)))
        add_alert(rt.store, 2, company="microsoft", topic="energy", verdict="lowered", at=rt.clock(),
                  headline="Microsoft 2026 data-centre power lowered: 10 GW → 9 GW")  # delta 5 %: a chart

    await run_bot(settings, clock, first_run)
    with Store(settings.db) as store:
        subscriber = store.subscriber(ALICE)
        assert subscriber is not None and subscriber.digest_schedule == "thu 09:30 Europe/Paris"
        assert subscriber.next_digest_at == datetime(2026, 11, 5, 8, 30, tzinfo=UTC)
    sent_before = len(bot_api.texts(ALICE))

    # the bot was down over the slot; it comes back on Thursday 12:00 UTC
    clock.now = datetime(2026, 11, 5, 12, 0, tzinfo=UTC)

    async def second_run(rt: pipeline.Runtime) -> None:
        await wait_until(lambda: any(t.startswith("<b>Weekly") for t in bot_api.texts(ALICE)[sent_before:]))
        await delivery_settled(rt, bot_api)  # more delivery passes: still one digest

    await run_bot(settings, clock, second_run)
    digests = [t for t in bot_api.texts(ALICE)[sent_before:] if t.startswith("<b>Weekly")]
    assert len(digests) == 1 and digests[0].startswith("<b>Weekly digest: changes in this week</b>")
    assert "Alphabet" in digests[0] and "Microsoft 2026 data-centre power lowered" in digests[0]
    [chart] = bot_api.photos(ALICE)
    assert chart["photo"] == "<file digest.png>" and chart["caption"].startswith("Each figure that moved")
    with Store(settings.db) as store:
        assert store.subscriber(ALICE).next_digest_at == datetime(2026, 11, 12, 8, 30, tzinfo=UTC)  # type: ignore[union-attr]

    async def off(rt: pipeline.Runtime) -> None:
        [answer] = await ask(bot_api, ALICE, "/digest off")
        assert answer.startswith("Weekly digest off.")

    await run_bot(settings, clock, off)
    with Store(settings.db) as store:
        assert store.subscriber(ALICE).next_digest_at is None  # type: ignore[union-attr]


async def test_a_user_who_blocks_the_bot_is_unsubscribed(tmp_path, served, bot_api):
    settings = make_settings(tmp_path, served, bot_api, BOT_ACCESS="open")

    async def body(rt: pipeline.Runtime) -> None:
        await ask(bot_api, ALICE, "/start")
        await ask(bot_api, BOB, "/start")
        bot_api.push_my_chat_member(ALICE, "private", "kicked")
        await wait_until(lambda: rt.store.active_chats() == [BOB])
        bot_api.blocked.add(BOB)  # blocked without the update reaching us: the 403 tells
        await publish_alert(rt, served)
        await wait_until(lambda: rt.store.active_chats() == [])
        assert rt.store.message_counts() == {"failed": 1}

    await run_bot(settings, Clock(running=True), body)


def test_a_bot_api_error_no_task_awaited_is_one_line_and_others_keep_their_traceback(
        caplog: pytest.LogCaptureFixture) -> None:
    """PTB's polling loop can drop a getUpdates error unread when the stop comes in the same instant
    (a second bot's 409 as this one stops): asyncio reports it when the task is collected. The bot's
    loop handler says it as the polling error it is, in one line without a traceback; an error of any
    other kind still reaches asyncio's default handler, traceback and all."""
    import asyncio
    import gc

    from telegram.error import Conflict

    from bot.telegram.handlers import loop_exception_handler

    async def fails(error: Exception) -> None:
        raise error

    async def drop_unread(error: Exception) -> None:
        task = asyncio.get_running_loop().create_task(fails(error))
        await asyncio.sleep(0)  # the task runs and fails; nobody awaits it
        del task

    bot_data: dict[object, object] = {}
    loop = asyncio.new_event_loop()
    loop.set_exception_handler(loop_exception_handler(bot_data))
    try:
        with caplog.at_level(logging.ERROR):
            for error in (Conflict("terminated by other getUpdates request"), Conflict("again"),
                          ValueError("a real bug")):
                loop.run_until_complete(drop_unread(error))
                gc.collect()
    finally:
        loop.close()
    said = [(r.name, r.getMessage(), r.exc_info is not None) for r in caplog.records]
    assert said[0] == ("bot.telegram",
                       "another process is polling Telegram with this TELEGRAM_BOT_TOKEN (409 Conflict): only one "
                       "bot may run per token; stop the other one (this one keeps retrying)", False)
    assert said[1][0] == "asyncio" and said[1][1].startswith("Task exception was never retrieved") and said[1][2]
    assert len(said) == 2  # the second 409 within POLLING_ERROR_REPEAT is not said again
