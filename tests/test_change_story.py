"""Issue 12 as a subscriber lives it, through the real Application against the fake Bot API: a new
quarter's figure arrives as "raised" with what it moved from (under "Raised/lowered only"), the digest shows
the series and draws it, and the alert is edited in place when a second outlet carries the story."""

from __future__ import annotations

import asyncio
import textwrap
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot import pipeline
from bot.config import Settings, load_settings
from bot.store.database import iso
from tests.support.clock import Clock
from tests.support.loopback.bot_api import FakeBotAPI
from tests.support.loopback.feed_server import FeedServer
from tests.support.scenario import ADMIN, ask, new_invite, wait_until
from tests.support.scenario import run_app_once as run_bot

ALICE = 1001

# Invented wording about Alibaba's results for the September quarter 2025 (Q2 of its fiscal 2026).
PAGE = textwrap.dedent("""\
    <html><head><title>Alibaba's cloud arm speeds up</title></head><body><article>
    <h1>Alibaba's cloud arm speeds up</h1>
    <p>Alibaba Cloud revenue rose 34% to 39.8 billion yuan in the second quarter of fiscal 2026, the group
    said, as companies rented more computing power for artificial intelligence.</p>
    <p>Executives told analysts that demand for AI servers still exceeded what the company could
    install, and that the build-out of new data centres would continue through next year.</p>
    <p>The shares rose in Hong Kong after the results were published on Tuesday afternoon.</p>
    </article></body></html>""").encode()


def feed(page_url: str, guid: str, published: datetime) -> bytes:
    return f"""<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{guid}</title>
    <item><title>Alibaba's cloud arm speeds up</title><link>{page_url}</link><guid>{guid}</guid>
    <pubDate>{published.strftime('%a, %d %b %Y %H:%M:%S +0000')}</pubDate>
    <description>Alibaba Cloud revenue rose.</description></item></channel></rss>""".encode()


EMPTY = b'<?xml version="1.0"?><rss version="2.0"><channel><title>Empty</title></channel></rss>'


@pytest.fixture
def served():
    with FeedServer() as server:
        server.set("/a/1", PAGE, content_type="text/html; charset=utf-8")
        server.set("/b/1", PAGE, content_type="text/html; charset=utf-8")
        server.set("/a.xml", EMPTY)
        server.set("/b.xml", EMPTY)
        yield server


def settings_for(tmp_path: Path, served: FeedServer, api: FakeBotAPI) -> Settings:
    sources = tmp_path / "sources.yaml"
    sources.write_text(textwrap.dedent(f"""\
        sources:
          - id: wire-a
            name: Wire A
            url: {served.url('/a.xml')}
            lang: en
            kind: press
            poll_minutes: 30
          - id: wire-b
            name: Wire B
            url: {served.url('/b.xml')}
            lang: en
            kind: press
            poll_minutes: 30
        """))
    environ = {"TELEGRAM_BOT_TOKEN": api.token, "TELEGRAM_API_BASE": api.root, "BOT_TICK_SECONDS": "3600",
               "BOT_ADMIN_IDS": str(ADMIN), "BOT_ALLOW_PRIVATE_LINKS": "true"}
    return load_settings(environ, env_file=None, sources=sources, db=tmp_path / "bot.sqlite3")


async def publish(rt: pipeline.Runtime, served: FeedServer, path: str, page_url: str, guid: str) -> None:
    """The article appears in one feed and the sources are polled now (the poll tick's work)."""
    served.set(path, feed(page_url, guid, datetime.now(UTC) - timedelta(hours=1)))
    rt.store.db.execute("UPDATE source_state SET next_poll_at = ?", (iso(rt.clock()),))
    await pipeline.poll_pass(rt, rt.clock())


def other_outlet(url: str) -> str:
    # the same loopback server under another host name: another outlet (outlets are told apart by host)
    return url.replace("127.0.0.1", "localhost")


@pytest.mark.slow  # seconds of real time, by design
async def test_a_new_quarter_arrives_moves_in_the_digest_and_its_alert_is_edited(tmp_path, served, bot_api):
    seen: dict[str, str] = {}

    async def body(rt: pipeline.Runtime) -> None:
        code = await new_invite(bot_api)
        await ask(bot_api, ALICE, f"/start {code}")
        bot_api.push_callback(ALICE, ALICE, "sub:l:changes", message_id=1)  # "Raised/lowered only"
        await wait_until(lambda: bot_api.answers)
        await publish(rt, served, "/a.xml", served.url("/a/1"), "a-1")
        await wait_until(lambda: any("39.8" in t for t in bot_api.texts(ALICE)))
        seen["alert"] = bot_api.texts(ALICE)[-1]
        await publish(rt, served, "/b.xml", other_outlet(served.url("/b/1")), "b-1")
        await wait_until(lambda: any("39.8" in t and "2 sources" in t for t in bot_api.showing(ALICE)))
        seen["edited"] = next(t for t in bot_api.showing(ALICE) if "39.8" in t)
        seen["/why 1"] = (await ask(bot_api, ALICE, "/why 1"))[0]
        photos = len(bot_api.photos(ALICE))
        seen["/digest"] = (await ask(bot_api, ALICE, "/digest"))[0]
        await wait_until(lambda: len(bot_api.photos(ALICE)) > photos)

    await run_bot(settings_for(tmp_path, served, bot_api), Clock(running=True), body)
    Path(tmp_path / "seen.txt").write_text("\n\n".join(f"## {k}\n{v}" for k, v in seen.items()))
    print("\n\n".join(f"## {k}\n{v}" for k, v in seen.items()))  # what the user saw: pytest -s
    assert "Alibaba Q2 FY2026 cloud revenue: RMB 39.8 bn (+34 % YoY) · up 19 % on Q1 FY2026 (RMB 33.4 bn)" \
        in seen["alert"] and "· 1 source" in seen["alert"]
    assert "· 2 sources" in seen["edited"] and seen["edited"].replace("2 sources", "") != seen["alert"]
    assert len([e for e in bot_api.edits(ALICE) if "39.8" in e["text"]]) == 1  # one edit of the alert
    assert "↗ Alibaba cloud revenue: Q1 FY2026 RMB 33.4 bn → Q2 FY2026 RMB 39.8 bn" in seen["/digest"]
    assert "(+19 % vs the previous period; 2 sources) /why 1" in seen["/digest"]
    assert "Compared with the previous period: cloud revenue [alibaba-cloud], Q1 FY2026: RMB 33.4 bn" \
        in seen["/why 1"] and "→ +19.2 %" in seen["/why 1"]
    assert "Also against the same period a year earlier: cloud revenue [alibaba-cloud], Q2 FY2025" in seen["/why 1"]


async def test_an_edit_telegram_refuses_is_tried_once_and_the_alert_stays_as_sent(tmp_path, served, bot_api):
    async def body(rt: pipeline.Runtime) -> None:
        code = await new_invite(bot_api)
        await ask(bot_api, ALICE, f"/start {code}")
        await publish(rt, served, "/a.xml", served.url("/a/1"), "a-1")
        await wait_until(lambda: any("39.8" in t for t in bot_api.texts(ALICE)))
        bot_api.fail("editMessageText", 400, "Bad Request: message can't be edited", times=100)
        await publish(rt, served, "/b.xml", other_outlet(served.url("/b/1")), "b-1")
        await wait_until(lambda: rt.store.db.execute(
            "SELECT edit_error FROM messages WHERE kind = 'alerts'").fetchone()[0] is not None)
        await asyncio.sleep(3)  # three more delivery ticks: no second try

    await run_bot(settings_for(tmp_path, served, bot_api), Clock(running=True), body)
    assert [m for m, _ in bot_api.calls].count("editMessageText") == 1
    assert any("39.8" in t and "· 1 source" in t for t in bot_api.showing(ALICE))  # as it was sent


# ---- the edit in place, one delivery pass at a time (real store, the production bot, the fake Bot API)


def _story_after(store, ledger, claim_text: str, outlets: list[str], at: datetime) -> None:
    """The Alibaba story as carried by these outlets, saved (and alerted) as the pipeline does."""
    from bot.alerts.stories import NewStory, decide, source_ref
    from bot.analysis.compare import assess
    from bot.model import Claim
    from bot.model.records import ArticleRecord, ClaimRecord, NewAlert, StoredClaim, StoryRecord

    c = Claim("a1", "alibaba", "cloud", claim_text, 39.8e9, None, "CNY", None, 34, "second quarter of fiscal 2026")
    assessment = assess(c, ledger, "2025-11-25")
    story = None
    for n, outlet in enumerate(outlets):
        ref = source_ref(f"a{n}", f"https://{outlet}/story", outlet, "en", "alibaba", seen_at=at, reliable=True)
        intent = decide(assessment, ref, [story] if story else [], at, ledger)
        story = intent.story  # type: ignore[union-attr]
    assert story is not None
    record = ArticleRecord(source_id="wire", entry_key=f"e{len(outlets)}", url=f"https://{outlets[-1]}/story",
                           title="t", lang="en", published_at=at, text="Body.", text_origin="page")
    claim = StoredClaim(company="alibaba", topic="cloud", amount=39.8e9, amount_max=None, currency="CNY", unit=None,
                        change_pct=34, period="Q2 FY2026", quote=claim_text, rules=(), verdict=assessment.verdict,
                        assessment=assessment.comparison_json())
    alerts = [NewAlert(story.id, "alibaba", "cloud", story.verdict)] if len(outlets) == 1 else []
    store.record_article(record, [ClaimRecord(claim, story.id)], alerts, at,
                         stories=[StoryRecord(story.id, "alibaba", "cloud", story.status, story.opened_at,
                                              story.to_json())])
    assert len(outlets) > 1 or isinstance(intent, NewStory)


async def test_the_worker_edits_a_recent_alert_once_and_leaves_old_ones_alone(tmp_path, bot_api):
    import httpx

    from bot import pipeline
    from bot.config import load_settings
    from bot.delivery import outbox
    from bot.ledger.entries import load_ledger
    from bot.store.database import Store
    from bot.telegram import application as telegram_bot

    settings = load_settings({"TELEGRAM_BOT_TOKEN": bot_api.token, "TELEGRAM_API_BASE": bot_api.root},
                             env_file=None, db=tmp_path / "bot.sqlite3")
    store, ledger = Store(settings.db), load_ledger()
    sent_at = datetime(2025, 11, 25, 9, 0, tzinfo=UTC)
    runtime = pipeline.Runtime(settings=settings, sources=[], store=store, client=httpx.AsyncClient(),
                               ledger=ledger, clock=lambda: sent_at)
    app = telegram_bot.build_application(settings, runtime)
    text = "Alibaba Cloud revenue rose 34% to 39.8 billion yuan."
    async with app:
        worker = outbox.DeliveryWorker(store, outbox.TelegramSender(app.bot), None)
        store.subscribe(ALICE, "private", None, sent_at)
        _story_after(store, ledger, text, ["wire-one.example"], sent_at)
        assert (await worker.run_pass(sent_at)).sent_messages == 1
        assert "· 1 source" in bot_api.showing(ALICE)[-1]
        # a second outlet an hour later: one edit, then nothing more to do
        later = sent_at + timedelta(hours=1)
        _story_after(store, ledger, text, ["wire-one.example", "wire-two.example"], later)
        assert (await worker.run_pass(later + timedelta(seconds=5))).edited == 1
        assert "· 2 sources" in bot_api.showing(ALICE)[-1] and "wire-two.example" in bot_api.showing(ALICE)[-1]
        assert (await worker.run_pass(later + timedelta(seconds=10))).edited == 0
        # a third outlet three days after the alert: the message is history, it stays as it is
        much_later = sent_at + timedelta(days=3)
        _story_after(store, ledger, text, ["wire-one.example", "wire-two.example", "wire-three.example"],
                     much_later)
        report = await worker.run_pass(much_later)
        assert (report.edited, report.edit_failed) == (0, 0)
        assert "· 2 sources" in bot_api.showing(ALICE)[-1]
    await runtime.client.aclose()
    store.close()
