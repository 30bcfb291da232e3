"""The invented world most tests share: one wire's article page and feed, an alert in a store, the real
Telegram Application run once against the fake Bot API, and a chat with the bot."""

from __future__ import annotations

import asyncio
import email.utils
import re
import textwrap
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from bot import app as bot_app
from bot import pipeline
from bot.config import Settings, load_settings
from bot.model.records import ArticleRecord, ClaimRecord, NewAlert, StoredClaim
from bot.store.database import Store, iso
from bot.telegram import application as telegram_bot
from tests.support.loopback.bot_api import FakeBotAPI
from tests.support.loopback.feed_server import FeedServer
from tests.support.process import write_sources

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
ADMIN = 7
EMPTY_FEED = b'<?xml version="1.0"?><rss version="2.0"><channel><title>Empty</title></channel></rss>'

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


def write_wire_source(path: Path, feed_url: str) -> Path:
    """The sources file of the one invented wire, `example-wire`."""
    return write_sources(path, [("example-wire", feed_url, "Example Wire")])


def add_alert(store: Store, n: int, *, company: str = "google", topic: str = "capex", verdict: str = "raised",
              headline: str | None = None, at: datetime = NOW) -> int:
    """One alert (story n) from one article, queued for every active subscriber, as the pipeline does."""
    key = f"story-{n}"
    record = ArticleRecord(source_id="wire", entry_key=f"e{n}", url=f"https://news.example/{n}",
                           title=f"Article {n}", lang="en", published_at=at, text="Body.", text_origin="page")
    claim = StoredClaim(company=company, topic=topic, amount=9e10, amount_max=None, currency="USD", unit=None,
                        change_pct=None, period="2025", quote=f"Statement number {n}.", rules=("en.money",),
                        verdict=verdict, assessment={
                            "verdict": verdict, "delta_pct": 5.0, "metric": "capex_guidance_annual",
                            "period_code": "CY2025", "compared_with": "guidance",
                            "previous": {"value": 85e9, "currency": "USD", "period_code": "CY2025"}})
    alert = NewAlert(key, company, topic, verdict)
    ids = store.record_article(record, [ClaimRecord(claim, key)], [alert], at)
    assert len(ids) == 1
    with store.transaction() as db:  # no story saved: an alert from before stories kept facts, with its line
        db.execute("UPDATE alerts SET headline = ? WHERE id = ?", (headline or f"Alert headline {n}", ids[0]))
    return ids[0]


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


def make_settings(tmp_path: Path, served: FeedServer, api: FakeBotAPI, **env: str) -> Settings:
    environ = {"TELEGRAM_BOT_TOKEN": api.token, "TELEGRAM_API_BASE": api.root, "BOT_TICK_SECONDS": "3600",
               "BOT_ADMIN_IDS": str(ADMIN), **env}
    return load_settings(environ, env_file=None, sources=write_wire_source(tmp_path / "sources.yaml",
                                                                           served.url("/feed.xml")),
                         db=tmp_path / "bot.sqlite3")


async def ask(api: FakeBotAPI, chat_id: int, text: str, *, user_id: int | None = None, chat_type: str = "private",
              replies: int = 1) -> list[str]:
    """Send a command and wait for the answer(s); returns the new texts of that chat."""
    before = len(api.texts(chat_id))
    api.push_command(chat_id, text, chat_type=chat_type, user_id=user_id)
    await wait_until(lambda: len(api.texts(chat_id)) >= before + replies)
    return api.texts(chat_id)[before:]


async def new_invite(api: FakeBotAPI) -> str:
    [answer] = await ask(api, ADMIN, "/invite")
    match = re.search(r"<code>([A-Za-z0-9_-]{12})</code>", answer)
    assert match, answer
    return match.group(1)
