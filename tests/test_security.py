"""What the bot promises an attacker and a careless operator, one test per promise (issue 14).

Each test drives the real parts: the bot process or the production Application, the fake Bot API and
feed servers on loopback, real SQLite files. The next probe starts from this list.

Chats
    - every odd command argument gets a clear answer, never "Sorry, something went wrong": markup in an
      unknown command is escaped, junk in a schedule is quoted (cut, escaped), huge and non-ASCII numbers
      and a 4,000-character time zone are refused with the usage
    - in a channel, only its administrators change the /subscribe choices or /forget it; any reader can
      press the buttons, and is refused (getChatMember, asked once a minute per person)

The token
    - a rejected token stops the bot at start with one line that says what to do, no traceback, no token
    - the token never reaches the log, not even through a traceback
    - a token revoked while running pauses Telegram sends with backoff, said once; nothing is dropped
    - a wrong TELEGRAM_API_BASE is said at once, and the sources are polled meanwhile
    - two bots polling with one token (409 Conflict) are told so in one line each, no traceback per retry

Article links (server-side request forgery)
    - a link to a loopback, private, link-local or metadata address is refused, by IP, by name (after
      resolution), on every redirect hop, and when the connection reaches one after all (DNS rebinding);
      one warning per entry, the feed summary is used instead
    - a link on the feed's own origin is fetched; BOT_ALLOW_PRIVATE_LINKS=true opens private addresses

Feed text
    - bidi and zero-width control characters never reach a stored text or an alert quote (summary path)
    - a multi-megabyte summary does not stall the event loop (claims are found in a worker thread)
    - article texts are dropped after BOT_RETENTION_DAYS; /why keeps working

Chats, continued (promises no other test pinned)
    - /why escapes the feed's quote; invite codes expire after BOT_INVITE_TTL_HOURS
    - /stop cancels the alerts already queued for the chat, /forget deletes them
    - at most 10 alerts are coalesced into one message; the rest follow in the next

Feeds (wires no other test pinned)
    - a feed's 429/503 Retry-After sets the next poll; the stored Last-Modified is sent on the next poll
    - a new source's first poll reads only the last 2 days, and its older entries never come back

Single instance and single delivery
    - a second `python -m bot run` on the same database is refused with one clear line
    - two delivery workers on one database never send the same message (claims are leased atomically)
    - two workers composing the same chat's alerts produce one message, not two
"""

from __future__ import annotations

import asyncio
import email.utils
import logging
import re
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from telegram.error import InvalidToken

from bot import pipeline
from bot.config import load_settings
from bot.delivery import outbox as notify
from bot.ingest import guard
from bot.store.database import Store, iso
from bot.telegram import application as telegram_bot
from tests.support.clock import Clock
from tests.support.loopback.bot_api import FakeBotAPI
from tests.support.loopback.feed_server import FeedServer
from tests.support.process import BotProcess, bot_env, run_cli, write_sources
from tests.support.scenario import ADMIN, EMPTY_FEED, PAGE, add_alert, ask, make_settings, new_invite, wait_until
from tests.support.scenario import run_app_once as run_bot

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
ALICE, BOB = 1001, 1002
CHANNEL, CHANNEL_ADMIN, READER = -1004001, 2001, 2002


@pytest.fixture
def served():
    with FeedServer() as server:
        server.set("/feed.xml", EMPTY_FEED)
        yield server


# -- chats -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("command", "answer"), [
    ("/x<i>hi</i>", "I don't know /x&lt;i&gt;hi&lt;/i&gt;. /help lists what I can do."),
    ("/x<b", "I don't know /x&lt;b. /help lists what I can do."),
    ("/why 99999999999999999999999", "Usage: /why N, where N is the number at the end of an alert (e.g. /why 12)."),
    ("/why ²", "Usage: /why N, where N is the number at the end of an alert (e.g. /why 12)."),
    ("/why 42", "There is no alert 42. /digest lists recent ones."),
    ("/digest ²", "Usage: /digest [days], days from 1 to 90 (default 7); or /digest weekly mon 08:00 "
                  "Europe/Paris (day, 24-hour time, optional time zone) or /digest off"),
    ("/digest weekly mon 08:00 <b>Paris", "I could not read that schedule: “&lt;b&gt;Paris” is not a time zone; "
                                          "use a name like Europe/Paris or Asia/Shanghai."),
    ("/digest weekly someday 08:00", "I could not read that schedule: “someday” is not a day; "
                                     "use one of mon, tue, wed, thu, fri, sat, sun."),
    ("/digest weekly mon 08:00 " + "Europe/" * 600, "I could not read that schedule: “"
     + ("Europe/" * 6)[:40] + "…” is not a time zone; use a name like Europe/Paris or Asia/Shanghai."),
])
async def test_odd_arguments_get_a_clear_answer(tmp_path, served, bot_api, command: str, answer: str) -> None:
    settings = make_settings(tmp_path, served, bot_api)

    async def body(rt: pipeline.Runtime) -> None:
        await ask(bot_api, ADMIN, "/start")
        [reply] = await ask(bot_api, ADMIN, command)
        assert reply.split("\nUsage:")[0] == answer

    await run_bot(settings, Clock(running=True), body)


async def test_only_a_channels_admins_change_or_forget_it(tmp_path, served, bot_api):
    settings = make_settings(tmp_path, served, bot_api)
    bot_api.chat_admins.add((CHANNEL, CHANNEL_ADMIN))

    async def press(user_id: int, data: str) -> dict[str, object]:
        before = len(bot_api.answers)
        bot_api.push_callback(CHANNEL, user_id, data, message_id=5, chat_type="channel")
        await wait_until(lambda: len(bot_api.answers) > before)
        return bot_api.answers[-1]

    async def body(rt: pipeline.Runtime) -> None:
        code = await new_invite(bot_api)
        [welcome] = await ask(bot_api, CHANNEL, f"/start {code}", chat_type="channel")  # a post: admins only
        assert welcome.startswith("Subscribed.")
        await ask(bot_api, CHANNEL, "/subscribe", chat_type="channel")
        before = rt.store.subscriber(CHANNEL)
        assert before is not None and "baidu" in before.preferences.companies

        refused = await press(READER, "sub:c:baidu")
        assert (refused.get("text"), refused.get("show_alert")) == ("Only the channel's admins can change this.", True)
        refused = await press(READER, "forget:yes")
        assert refused.get("text") == "Only the channel's admins can change this."
        assert rt.store.subscriber(CHANNEL) == before  # nothing changed, nothing deleted
        assert bot_api.edits(CHANNEL) == []

        checks = sum(method == "getChatMember" for method, _ in bot_api.calls)
        await press(CHANNEL_ADMIN, "sub:c:baidu")
        await press(CHANNEL_ADMIN, "sub:c:baidu")
        await press(CHANNEL_ADMIN, "sub:c:tencent")
        after = rt.store.subscriber(CHANNEL)
        assert after is not None and "tencent" not in after.preferences.companies
        assert "baidu" in after.preferences.companies  # toggled twice
        # the admin's three taps asked Telegram once (the reader's answers were cached separately)
        assert sum(method == "getChatMember" for method, _ in bot_api.calls) == checks + 1
        await press(CHANNEL_ADMIN, "forget:yes")
        await wait_until(lambda: rt.store.subscriber(CHANNEL) is None)

    await run_bot(settings, Clock(running=True), body)


# -- the token ----------------------------------------------------------------------------------------


@pytest.mark.slow
def test_a_rejected_token_stops_the_bot_with_one_clear_line(tmp_path: Path, bot_api: FakeBotAPI) -> None:
    sources = write_sources(tmp_path / "sources.yaml", [("quiet", "http://127.0.0.1:9/feed.xml")])
    for token, revoked in (("999999:WRONG-SECRET-VALUE", False), (bot_api.token, True)):  # 404, then 401
        bot_api.revoked = revoked
        env = bot_env(tmp_path, sources, TELEGRAM_BOT_TOKEN=token, TELEGRAM_API_BASE=bot_api.root)
        done = run_cli("run", cwd=tmp_path, env=env, timeout=60)
        assert done.returncode == 2
        assert done.stderr.strip().splitlines()[-1] == (
            "cannot start: the Bot API rejected TELEGRAM_BOT_TOKEN: check it with @BotFather "
            f"(or TELEGRAM_API_BASE={bot_api.root})")
        assert "Traceback" not in done.stderr and token not in done.stderr and token.split(":")[1] not in done.stderr
    once = run_cli("once", cwd=tmp_path, env=env, timeout=60)
    assert once.returncode == 2
    assert once.stderr.strip().splitlines()[-1] == ("cannot deliver: the Bot API rejected TELEGRAM_BOT_TOKEN: check "
                                                    "it with @BotFather; the alerts stay queued")
    assert "Traceback" not in once.stderr and bot_api.token not in once.stderr


def test_tracebacks_in_the_log_are_redacted(capsys: pytest.CaptureFixture[str]) -> None:
    from bot import app

    token = "123456:SECRET-IN-A-TRACEBACK"
    settings = load_settings({"TELEGRAM_BOT_TOKEN": token}, env_file=None)
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    try:
        app.configure_logging(settings)
        try:
            raise RuntimeError(f"request to /bot{token}/getMe failed")
        except RuntimeError:
            logging.getLogger("bot.test").exception("a handler failed")
        try:
            raise InvalidToken(f"The token `{token}` was rejected by the server.")
        except InvalidToken:
            logging.getLogger("telegram.ext.Application").exception("Invalid token. Aborting retry loop.")
    finally:
        root.handlers[:], _ = saved
        root.setLevel(saved[1])
    err = capsys.readouterr().err
    assert "SECRET" not in err
    assert "Traceback" in err and "/bot<token>/getMe" in err  # the traceback is kept, the token is not
    # python-telegram-bot's own report of a rejected token becomes the one line the operator needs
    assert err.strip().splitlines()[-1].endswith(
        "the Bot API rejected TELEGRAM_BOT_TOKEN: check it with @BotFather")


async def test_a_token_revoked_while_running_pauses_sends_and_is_said_once(
        tmp_path: Path, bot_api: FakeBotAPI, caplog: pytest.LogCaptureFixture) -> None:
    settings = load_settings({"TELEGRAM_BOT_TOKEN": bot_api.token, "TELEGRAM_API_BASE": bot_api.root},
                             env_file=None, db=tmp_path / "bot.sqlite3")
    store = Store(settings.db)
    store.subscribe(ALICE, "private", None, NOW)
    add_alert(store, 1)
    async with telegram_bot.make_bot(settings) as bot:
        bot_api.revoked = True  # after start (getMe)
        worker = notify.DeliveryWorker(store, notify.TelegramSender(bot), None)
        with caplog.at_level(logging.INFO, logger="bot.delivery.outbox"):
            await worker.run_pass(NOW)
            tries = len(bot_api.calls)
            await worker.run_pass(NOW + timedelta(seconds=1))  # backing off: Telegram is not asked
            assert len(bot_api.calls) == tries
            await worker.run_pass(NOW + timedelta(seconds=6))  # asked again after 5 s: still refused
            assert len(bot_api.calls) == tries + 1
            bot_api.revoked = False
            await worker.run_pass(NOW + timedelta(seconds=20))
    lines = [r.getMessage() for r in caplog.records]
    assert sum("rejected TELEGRAM_BOT_TOKEN" in line for line in lines) == 1, lines
    assert sum("status=resumed" in line for line in lines) == 1
    assert not any(r.exc_info for r in caplog.records)
    assert len(bot_api.texts(ALICE)) == 1 and store.delivery_counts() == {"sent": 1}
    store.close()


@pytest.mark.slow
def test_a_wrong_api_base_is_said_at_once_and_sources_are_polled(tmp_path: Path, served: FeedServer) -> None:
    sources = write_sources(tmp_path / "sources.yaml", [("wire", served.url("/feed.xml"))])
    env = bot_env(tmp_path, sources, TELEGRAM_BOT_TOKEN="123456:TEST-TOKEN", TELEGRAM_API_BASE="http://127.0.0.1:9")
    bot = BotProcess.start(tmp_path, env)
    try:
        bot.wait_for(lambda b: bool(b.query("SELECT 1 FROM source_state WHERE last_status = 'ok'")), timeout=30,
                     what="the source to be polled while Telegram is unreachable")
        bot.wait_for(lambda b: "cannot reach the Bot API" in (tmp_path / "bot.stderr").read_text(), timeout=10,
                     what="the log line")
    finally:
        assert bot.stop() == 0
    log = (tmp_path / "bot.stderr").read_text()
    [line] = [x for x in log.splitlines() if "cannot reach the Bot API" in x]
    assert "http://127.0.0.1:9" in line and "TELEGRAM_API_BASE" in line
    assert "Traceback" not in log and "TEST-TOKEN" not in log


@pytest.mark.slow
def test_two_bots_on_one_token_are_told_about_the_conflict(tmp_path: Path, bot_api: FakeBotAPI) -> None:
    bots = []
    for name in ("one", "two"):  # two databases: the lock cannot see it, Telegram's 409 does
        home = tmp_path / name
        home.mkdir()
        sources = write_sources(home / "sources.yaml", [("quiet", "http://127.0.0.1:9/feed.xml")])
        bots.append(BotProcess.start(home, bot_env(home, sources, TELEGRAM_BOT_TOKEN=bot_api.token,
                                                   TELEGRAM_API_BASE=bot_api.root)))
    try:
        for bot, name in zip(bots, ("one", "two"), strict=True):
            bot.wait_for(lambda b, n=name: "409 Conflict" in (tmp_path / n / "bot.stderr").read_text(),
                         timeout=60, what=f"bot {name} to report the conflict")
        # they keep knocking each other out: several more conflicts, still one line each
        bot_api.wait_for(lambda api: sum(method == "getUpdates" for method, _ in api.calls) >= 8, timeout=60)
        assert all(bot.proc.poll() is None for bot in bots)
    finally:
        codes = [bot.stop() for bot in bots]
    assert codes == [0, 0]
    for name in ("one", "two"):
        log = (tmp_path / name / "bot.stderr").read_text()
        assert log.count("409 Conflict") == 1, log  # said once, not per retry
        assert "only one bot may run per token" in log and "Traceback" not in log and bot_api.token not in log


# -- article links (SSRF) -------------------------------------------------------------------------------

INTERNAL_PAGE = ("<html><body><article><p>INTERNAL-ONLY: Alphabet said it now expects capital expenditures of "
                 "$99 billion in 2026, according to this page on a private network.</p></article></body></html>")


def feed_of(links: list[str], published: datetime) -> bytes:
    items = "".join(
        f"<item><title>Alphabet note {n}</title><link>{link}</link><guid isPermaLink='false'>note-{n}</guid>"
        f"<pubDate>{email.utils.format_datetime(published)}</pubDate>"
        f"<description>Alphabet raised its spending outlook, summary {n}.</description></item>"
        for n, link in enumerate(links))
    return f"<?xml version='1.0'?><rss version='2.0'><channel><title>Wire</title>{items}</channel></rss>".encode()


async def poll_once(tmp_path: Path, feed_url: str, **env: str) -> tuple[Store, pipeline.PassReport]:
    from bot import app as bot_app

    (tmp_path / "sources.yaml").write_text(
        f'sources:\n  - {{id: wire, name: Wire, url: "{feed_url}", lang: en, kind: press, poll_minutes: 30}}\n')
    settings = load_settings(env, env_file=None, sources=tmp_path / "sources.yaml", db=tmp_path / "db.sqlite3")
    sources, ledger, store = bot_app.load_inputs(settings)
    rt = bot_app.make_runtime(settings, sources, ledger, store)
    try:
        return store, await pipeline.poll_pass(rt, rt.clock())
    finally:
        await rt.client.aclose()


@pytest.mark.parametrize(("address", "kind"), [
    ("127.0.0.1", "loopback"), ("::1", "loopback"), ("::ffff:127.0.0.1", "loopback"),
    ("10.1.2.3", "private"), ("192.168.0.10", "private"), ("fd00:ec2::254", "private"),
    ("169.254.169.254", "link-local (cloud metadata)"), ("fe80::1%eth0", "link-local (cloud metadata)"),
    ("100.100.100.200", "shared (carrier-grade NAT, cloud metadata)"), ("0.0.0.0", "unspecified"),
    ("224.0.0.1", "multicast"), ("240.0.0.1", "reserved"),
    ("93.184.216.34", None), ("2606:4700::1111", None),
])
def test_which_addresses_an_article_link_may_reach(address: str, kind: str | None) -> None:
    assert guard.address_kind(address) == kind


async def test_a_name_is_judged_by_what_it_resolves_to() -> None:
    names = {"intranet.example": ["93.184.216.34", "10.0.0.5"], "news.example": ["93.184.216.34"]}

    async def resolve(host: str, port: int) -> list[str]:
        return names[host]

    link_guard = guard.LinkGuard.for_feed("https://feeds.example/rss", allow_private=False, resolve=resolve)
    assert await link_guard.refusal("https://news.example/a") is None
    refusal = await link_guard.refusal("https://intranet.example/a")
    assert refusal == ("the link leads to intranet.example (10.0.0.5), a private address: refused "
                       "(the feed's own server, or BOT_ALLOW_PRIVATE_LINKS=true, is allowed)")
    assert await link_guard.refusal("file:///etc/passwd") == "the link is not an http(s) URL"
    opened = guard.LinkGuard.for_feed("https://feeds.example/rss", allow_private=True, resolve=resolve)
    assert await opened.refusal("https://intranet.example/a") is None


async def test_article_links_to_private_addresses_are_refused(tmp_path: Path,
                                                              caplog: pytest.LogCaptureFixture) -> None:
    with FeedServer() as feed, FeedServer() as internal:
        internal.set("/admin", INTERNAL_PAGE, content_type="text/html")
        feed.redirect("/jump", internal.url("/admin"))
        feed.set("/article/1", PAGE, content_type="text/html; charset=utf-8")
        links = [internal.url("/admin"), f"http://localhost:{internal.port}/admin", feed.url("/jump"),
                 feed.url("/article/1")]
        feed.set("/feed.xml", feed_of(links, datetime.now(UTC) - timedelta(hours=1)))
        with caplog.at_level(logging.INFO, logger="bot.poll"):
            store, report = await poll_once(tmp_path, feed.url("/feed.xml"))
        assert report.sources[0].new_entries == 4
        assert internal.requests_for("/admin") == []  # never reached, not even through the redirect
        rows = {r["entry_key"]: (r["text_origin"], r["text"]) for r in store.db.execute("SELECT * FROM articles")}
        store.close()
    assert [rows[f"note-{n}"][0] for n in range(4)] == ["summary", "summary", "summary", "page"]
    assert not any("INTERNAL-ONLY" in text for _, text in rows.values())
    refused = [r for r in caplog.records if "page=refused" in r.getMessage()]
    assert all(r.levelno == logging.WARNING for r in refused)
    by_link = {link: [r.getMessage() for r in refused if f"entry={link} " in r.getMessage()] for link in links}
    assert [len(lines) for lines in by_link.values()] == [1, 1, 1, 0]  # one line per refused entry
    assert "the link leads to 127.0.0.1, a loopback address" in by_link[links[0]][0]
    assert "localhost (127.0.0.1), a loopback address" in by_link[links[1]][0] or "(::1)" in by_link[links[1]][0]
    assert f"redirected to {links[0]}: " in by_link[links[2]][0]
    assert all("using the feed summary" in lines[0] for lines in list(by_link.values())[:3])


async def test_a_name_whose_dns_answer_changes_is_refused_at_the_connection() -> None:
    """DNS rebinding: the check's lookup says public, the connection reaches loopback. The answer is dropped."""
    import httpx

    from bot.ingest import fetch

    async def says_public(host: str, port: int) -> list[str]:
        return ["93.184.216.34"]

    with FeedServer() as internal:
        internal.set("/admin", INTERNAL_PAGE, content_type="text/html")
        link = f"http://localhost:{internal.port}/admin"  # the real connection resolves to 127.0.0.1 (or ::1)
        link_guard = guard.LinkGuard.for_feed("https://feeds.example/rss", allow_private=False, resolve=says_public)
        async with httpx.AsyncClient() as client:
            result = await fetch.fetch(client, link, max_bytes=1_000_000, timeout=10, guard=link_guard)
    assert isinstance(result, fetch.FetchFailed) and result.kind == fetch.REFUSED, result
    assert "whose connection reached 127.0.0.1, a loopback address" in result.message


async def test_private_links_can_be_opened_by_the_operator(tmp_path: Path) -> None:
    with FeedServer() as feed, FeedServer() as internal:
        internal.set("/admin", INTERNAL_PAGE, content_type="text/html")
        feed.set("/feed.xml", feed_of([internal.url("/admin")], datetime.now(UTC) - timedelta(hours=1)))
        store, _ = await poll_once(tmp_path, feed.url("/feed.xml"), BOT_ALLOW_PRIVATE_LINKS="true")
        [origin] = [r[0] for r in store.db.execute("SELECT text_origin FROM articles")]
        store.close()
        assert len(internal.requests_for("/admin")) == 1
    assert origin == "page"


# -- feed text --------------------------------------------------------------------------------------------

CLAIM = "Alphabet said it now expects capital expenditures of $91 billion to $93 billion in 2026."


def summary_feed(summary: str, published: datetime) -> bytes:
    return ("<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>Wire</title><item>"
            "<title>Alphabet spending</title><guid isPermaLink='false'>only</guid>"
            f"<pubDate>{email.utils.format_datetime(published)}</pubDate>"
            f"<description>{summary}</description></item></channel></rss>").encode()


async def test_bidi_and_zero_width_characters_are_stripped_from_summaries(tmp_path: Path) -> None:
    tricky = "Alphabet said it \u202enow\u202c expects\u200b capital expenditures of \u2066$91 billion\u2069 " \
             "to $93 billion in 2026.\ufeff"
    with FeedServer() as feed:
        feed.set("/feed.xml", summary_feed(tricky, datetime.now(UTC) - timedelta(hours=1)))
        store, report = await poll_once(tmp_path, feed.url("/feed.xml"))
    assert report.alerts == 1
    [(text,)] = store.db.execute("SELECT text FROM articles").fetchall()
    [(quote,)] = store.db.execute("SELECT quote FROM claims").fetchall()
    store.close()
    assert text == quote == CLAIM


@pytest.mark.slow  # seconds of real time, by design
async def test_a_huge_summary_does_not_stall_the_event_loop(tmp_path: Path) -> None:
    from bot.analysis import claims
    from bot.model import Article

    huge = CLAIM + " " + "Alphabetcapex$91billion" * 400_000  # one 9 MB line: seconds of rule matching
    article = Article(id="x", url="", lang="en", text=huge, title=None, publisher="p", date=None)
    claims.extract_claims(article)  # the rule tables compile on first use: measure a warm run
    started = time.perf_counter()
    claims.extract_claims(article)
    extraction = time.perf_counter() - started
    assert extraction > 0.5, "the text must be large enough to measure a stall"
    gaps: list[float] = []

    async def ticker() -> None:
        while True:
            before = time.perf_counter()
            await asyncio.sleep(0.01)
            gaps.append(time.perf_counter() - before)

    with FeedServer() as feed:
        feed.set("/feed.xml", summary_feed(huge, datetime.now(UTC) - timedelta(hours=1)))
        tick = asyncio.create_task(ticker())
        try:
            store, report = await poll_once(tmp_path, feed.url("/feed.xml"), BOT_FEED_MAX_BYTES="20000000")
            await asyncio.sleep(0.05)  # the ticker's sleep that a stall delayed must end before it is cancelled
        finally:
            tick.cancel()
    store.close()
    assert report.sources[0].claims >= 1
    assert max(gaps) < extraction / 2, (max(gaps), extraction)


async def test_old_article_texts_are_dropped_and_why_still_works(tmp_path: Path) -> None:
    from bot.ops import upkeep

    with FeedServer() as feed:
        feed.set("/feed.xml", summary_feed(CLAIM, datetime.now(UTC) - timedelta(hours=1)))
        store, _ = await poll_once(tmp_path, feed.url("/feed.xml"))
    [alert_id] = [r[0] for r in store.db.execute("SELECT id FROM alerts")]
    before = store.alert_explanation(alert_id)
    now = datetime.now(UTC)
    assert upkeep.prune_old_texts(store, 90, now + timedelta(days=89)) == 0
    assert upkeep.prune_old_texts(store, 90, now + timedelta(days=91)) == 1
    assert [r[0] for r in store.db.execute("SELECT text FROM articles")] == [""]
    assert store.alert_explanation(alert_id) == before  # the quote, rules, figure and link are kept
    assert before is not None and before.claims[0].quote == CLAIM
    store.close()


# -- chats, continued ---------------------------------------------------------------------------------------


def escaped_quote_feed(published: datetime) -> bytes:
    # double-escaped: the summary's text (not its markup) holds "<i>" and "&"
    summary = ("Alphabet said it now expects capital expenditures of $91 billion to $93 billion in 2026 "
               "&amp;lt;i&amp;gt;for servers &amp;amp; buildings.")
    return ("<?xml version='1.0'?><rss version='2.0'><channel><title>Wire</title><item><title>Alphabet</title>"
            f"<guid isPermaLink='false'>q1</guid><pubDate>{email.utils.format_datetime(published)}</pubDate>"
            f"<description>{summary}</description></item></channel></rss>").encode()


async def poll_now(rt: pipeline.Runtime) -> pipeline.PassReport:
    """The poll tick's work, run now (the tick at start polled the empty feed already)."""
    rt.store.db.execute("UPDATE source_state SET next_poll_at = ?", (iso(rt.clock()),))
    return await pipeline.poll_pass(rt, rt.clock())


async def test_why_escapes_the_feeds_quote_and_invites_expire(tmp_path, served, bot_api):
    settings = make_settings(tmp_path, served, bot_api)
    clock = Clock(running=True)

    async def body(rt: pipeline.Runtime) -> None:
        await ask(bot_api, ADMIN, "/start")
        served.set("/feed.xml", escaped_quote_feed(datetime.now(UTC) - timedelta(hours=1)))
        assert (await poll_now(rt)).alerts == 1
        [alert_id] = [r[0] for r in rt.store.db.execute("SELECT id FROM alerts")]
        [why] = await ask(bot_api, ADMIN, f"/why {alert_id}")
        assert "2026 &lt;i&gt;for servers &amp; buildings." in why

        code = await new_invite(bot_api)
        clock.advance(timedelta(hours=settings.invite_ttl_hours, minutes=1))
        [late] = await ask(bot_api, ALICE, f"/start {code}")
        assert late.startswith("That invite code is not valid")
        assert rt.store.subscriber(ALICE) is None

    await run_bot(settings, clock, body)


@pytest.mark.parametrize("leave", ["/stop", "/forget"])
async def test_leaving_drops_the_alerts_already_queued(tmp_path, served, bot_api, leave: str):
    """ALICE leaves while an alert waits for her (Telegram asked both chats to wait 30 s); BOB's copy of the
    same alert is the canary: once it arrives, the pass that would have sent ALICE's has run."""
    settings = make_settings(tmp_path, served, bot_api, BOT_ACCESS="open")
    clock = Clock(running=True)

    async def body(rt: pipeline.Runtime) -> None:
        for chat in (ALICE, BOB):
            await ask(bot_api, chat, "/start")
            bot_api.fail("sendMessage", 429, "Too Many Requests: retry after 30", {"retry_after": 30}, chat_id=chat)
        served.set("/feed.xml", escaped_quote_feed(datetime.now(UTC) - timedelta(hours=1)))
        assert (await poll_now(rt)).alerts == 1
        await wait_until(lambda: sum(1 for method, params in bot_api.calls if method == "sendMessage"
                                     and str(params.get("chat_id")) in (str(ALICE), str(BOB))) >= 4)
        assert rt.store.message_counts() == {"pending": 2}  # both held by the flood wait
        await ask(bot_api, ALICE, leave)
        if leave == "/forget":
            before = len(bot_api.edits(ALICE))
            bot_api.push_callback(ALICE, ALICE, "forget:yes", message_id=1)
            await wait_until(lambda: len(bot_api.edits(ALICE)) > before)
            assert rt.store.db.execute("SELECT COUNT(*) FROM messages WHERE chat_id = ?", (ALICE,)).fetchone()[0] == 0
            assert rt.store.db.execute("SELECT COUNT(*) FROM outbox WHERE chat_id = ?", (ALICE,)).fetchone()[0] == 0
        clock.advance(timedelta(seconds=60))
        await wait_until(lambda: any(re.search(r"/why \d+", text) for text in bot_api.texts(BOB)))
        assert not any(re.search(r"/why \d+", text) for text in bot_api.texts(ALICE))

    await run_bot(settings, clock, body)


async def test_at_most_ten_alerts_are_coalesced(tmp_path: Path, bot_api: FakeBotAPI) -> None:
    settings = load_settings({"TELEGRAM_BOT_TOKEN": bot_api.token, "TELEGRAM_API_BASE": bot_api.root},
                             env_file=None, db=tmp_path / "bot.sqlite3")
    store = Store(settings.db)
    store.subscribe(ALICE, "private", None, NOW)
    ids = [add_alert(store, n) for n in range(1, 13)]
    async with telegram_bot.make_bot(settings) as bot:
        worker = notify.DeliveryWorker(store, notify.TelegramSender(bot), None)
        await worker.run_pass(NOW)
        await worker.run_pass(NOW + timedelta(seconds=2))
    first, second = bot_api.texts(ALICE)
    assert re.findall(r"/why (\d+)", first) == [str(i) for i in ids[:10]]
    assert re.findall(r"/why (\d+)", second) == [str(i) for i in ids[10:]]
    store.close()


# -- feeds ------------------------------------------------------------------------------------------------


class Poller:
    """One source on a loopback feed, polled pass by pass at instants the test chooses."""

    def __init__(self, tmp_path: Path, feed_url: str) -> None:
        from bot import app as bot_app

        (tmp_path / "sources.yaml").write_text(
            f'sources:\n  - {{id: wire, name: Wire, url: "{feed_url}", lang: en, kind: press, poll_minutes: 30}}\n')
        settings = load_settings({}, env_file=None, sources=tmp_path / "sources.yaml", db=tmp_path / "db.sqlite3")
        sources, ledger, self.store = bot_app.load_inputs(settings)
        self.rt = bot_app.make_runtime(settings, sources, ledger, self.store)

    async def poll(self, at: datetime) -> pipeline.SourceReport:
        self.rt.clock = lambda: at
        [report] = (await pipeline.poll_pass(self.rt, at)).sources
        return report

    async def close(self) -> None:
        await self.rt.client.aclose()
        self.store.close()


@pytest.mark.parametrize("status", [429, 503])
async def test_retry_after_sets_the_next_poll(tmp_path: Path, status: int) -> None:
    with FeedServer() as feed:
        feed.set("/feed.xml", b"", status=status, headers={"Retry-After": "7200"})
        poller = Poller(tmp_path, feed.url("/feed.xml"))
        now = datetime.now(UTC)
        try:
            report = await poller.poll(now)
            next_poll = poller.store.source_state("wire").next_poll_at
        finally:
            await poller.close()
    assert report.status == "error"
    assert abs((next_poll - now).total_seconds() - 7200) <= 60  # the server's wish, not the usual backoff


async def test_the_stored_last_modified_is_sent_on_the_next_poll(tmp_path: Path) -> None:
    stamp = "Tue, 01 Dec 2026 06:00:00 GMT"
    now = datetime.now(UTC)
    with FeedServer() as feed:
        feed.set("/feed.xml", feed_of([], now), last_modified=stamp)  # no ETag: Last-Modified is all there is
        poller = Poller(tmp_path, feed.url("/feed.xml"))
        try:
            first = await poller.poll(now)
            second = await poller.poll(now + timedelta(hours=2))
        finally:
            await poller.close()
        requests = feed.requests_for("/feed.xml")
    assert (first.status, second.status) == ("ok", "not_modified")
    assert "if-modified-since" not in requests[0].headers
    assert requests[1].headers["if-modified-since"] == stamp


async def test_a_new_source_reads_two_days_and_never_its_back_catalogue(tmp_path: Path) -> None:
    now = datetime.now(UTC)
    ages = {"fresh": timedelta(hours=47), "stale": timedelta(hours=49)}
    items = "".join(
        f"<item><title>Note {key}</title><guid isPermaLink='false'>{key}</guid>"
        f"<pubDate>{email.utils.format_datetime(now - age)}</pubDate><description>Note {key}.</description></item>"
        for key, age in ages.items())
    with FeedServer() as feed:
        feed.set("/feed.xml", f"<?xml version='1.0'?><rss version='2.0'><channel><title>W</title>{items}"
                              "</channel></rss>")
        poller = Poller(tmp_path, feed.url("/feed.xml"))
        try:
            first = await poller.poll(now)
            read = [r[0] for r in poller.store.db.execute("SELECT entry_key FROM articles")]
            second = await poller.poll(now + timedelta(hours=1))  # the same feed again, no validators
        finally:
            await poller.close()
    assert (first.new_entries, read) == (1, ["fresh"])
    assert second.status == "ok" and second.new_entries == 0  # the 49-hour-old entry was remembered as seen


# -- single instance, single delivery ------------------------------------------------------------------


@pytest.mark.slow
def test_a_second_bot_on_the_same_database_is_refused(tmp_path: Path) -> None:
    sources = write_sources(tmp_path / "sources.yaml", [("quiet", "http://127.0.0.1:9/feed.xml")])
    env = bot_env(tmp_path, sources)
    first = BotProcess.start(tmp_path, env)
    try:
        first.wait_for(lambda p: (tmp_path / "bot.sqlite3.lock").exists() and bool(p.query(
            "SELECT 1 FROM source_state")), timeout=30, what="the first bot to start")
        second = run_cli("run", cwd=tmp_path, env=env, timeout=60)
        assert second.returncode == 2
        [line] = second.stderr.strip().splitlines()
        assert line.startswith("cannot start: another capex-watch process (pid ")
        assert f"{first.proc.pid})" in line and "bot.sqlite3" in line and "BOT_DB" in line
        assert first.proc.poll() is None  # the first one goes on
    finally:
        assert first.stop() == 0
    # the lock dies with its process: the next start is not refused
    again = BotProcess.start(tmp_path, env, stderr_path=tmp_path / "again.stderr")
    try:
        again.wait_for(lambda p: "console delivery" in (tmp_path / "again.stderr").read_text(), timeout=30,
                       what="a restart after the first bot stopped")
    finally:
        assert again.stop() == 0


async def test_two_workers_on_one_database_send_each_message_once(tmp_path: Path, bot_api: FakeBotAPI) -> None:
    bot_api.send_delay = 0.3  # a realistic Telegram: the second worker looks while the first is sending
    settings = load_settings({"TELEGRAM_BOT_TOKEN": bot_api.token, "TELEGRAM_API_BASE": bot_api.root},
                             env_file=None, db=tmp_path / "bot.sqlite3")
    one, two = Store(settings.db), Store(settings.db)
    for chat in (ALICE, BOB):
        one.subscribe(chat, "private", None, NOW)
    add_alert(one, 1)
    async with telegram_bot.make_bot(settings) as bot:
        first = notify.DeliveryWorker(one, notify.TelegramSender(bot), None)
        second = notify.DeliveryWorker(two, notify.TelegramSender(bot), None)
        for moment in (NOW, NOW + timedelta(seconds=5)):
            await asyncio.gather(first.run_pass(moment), second.run_pass(moment))
    assert len(bot_api.texts(ALICE)) == 1 and len(bot_api.texts(BOB)) == 1
    assert one.delivery_counts() == {"sent": 2}
    one.close()
    two.close()


def test_composing_the_same_alerts_twice_makes_one_message(tmp_path: Path) -> None:
    one, two = Store(tmp_path / "bot.sqlite3"), Store(tmp_path / "bot.sqlite3")
    one.subscribe(ALICE, "private", None, NOW)
    add_alert(one, 1)
    add_alert(one, 2)
    # both workers looked before either wrote: the same rows, two would-be messages
    seen_by_one, seen_by_two = one.pending_alerts(ALICE, 10), two.pending_alerts(ALICE, 10)
    assert [p.outbox_id for p in seen_by_one] == [p.outbox_id for p in seen_by_two]
    assert one.compose_message(ALICE, "<b>2 new alerts</b>", [p.outbox_id for p in seen_by_one], [], NOW)
    assert two.compose_message(ALICE, "<b>2 new alerts</b>", [p.outbox_id for p in seen_by_two], [], NOW) is None
    assert one.message_counts() == {"pending": 1}
    # a leased message is not handed to a second worker until its lease runs out
    [claimed] = one.claim_messages("worker-1", NOW, notify.LEASE)
    assert two.claim_messages("worker-2", NOW, notify.LEASE) == []
    assert [m.id for m in two.claim_messages("worker-2", NOW + notify.LEASE, notify.LEASE)] == [claimed.id]
    # and the first worker, late, may not send it any more
    assert not one.mark_part_sending(claimed.id, 0, claimed.attempts, "worker-1", NOW + notify.LEASE)
    one.close()
    two.close()
