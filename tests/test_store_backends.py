"""Every part of the store's contract, run on SQLite and on a real PostgreSQL server (db_location):
subscribers, access, digests, messages with photos, admin notices, schedule state, crash recovery
marks, counts, and the exclusive() decision lock across two connections."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta

from bot.ingest.schedule import Decision, Notice, ScheduleState
from bot.model.records import ArticleRecord, ClaimRecord, NewAlert, Preferences, StoredClaim, StoryRecord
from bot.store.database import Store

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
# Telegram ids of supergroups and channels need 64 bits: -100 followed by ten digits
BIG_CHAT = -1001234567890


def article(key: str) -> ArticleRecord:
    return ArticleRecord(source_id="wire", entry_key=key, url=f"https://news.example/{key}", title="T",
                         lang="en", published_at=NOW, text="Body.", text_origin="page")


def claim(quote: str, delta: float | None = None) -> StoredClaim:
    assessment = {"verdict": "raised", "metric": "capex_guidance_annual", "delta_pct": delta}
    return StoredClaim(company="google", topic="capex", amount=9.1e10, amount_max=9.3e10, currency="USD",
                       unit=None, change_pct=7.5, period="2025", quote=quote, rules=("en.money", "en.raise"),
                       verdict="raised", assessment=assessment)


def test_subscribers_preferences_and_forgetting(db_location):
    store = Store(db_location)
    assert store.subscribe(BIG_CHAT, "supergroup", "Desk", NOW, admitted_by="invite:abc",
                           digest_schedule="mon 08:00 UTC", next_digest_at=NOW + timedelta(days=1))
    assert not store.subscribe(BIG_CHAT, "supergroup", None, NOW)  # already active
    prefs = Preferences(frozenset({"google", "baidu"}), frozenset({"capex"}), "changes")
    store.set_preferences(BIG_CHAT, prefs, NOW)
    sub = store.subscriber(BIG_CHAT)
    assert sub is not None
    assert (sub.chat_id, sub.title, sub.active, sub.preferences, sub.admitted_by) == \
        (BIG_CHAT, "Desk", True, prefs, "invite:abc")
    assert store.unsubscribe(BIG_CHAT, NOW)
    assert not store.unsubscribe(BIG_CHAT, NOW)
    # /start again: the title and the choices survive /stop
    assert store.subscribe(BIG_CHAT, "supergroup", None, NOW + timedelta(hours=1))
    again = store.subscriber(BIG_CHAT)
    assert again is not None and (again.title, again.preferences) == ("Desk", prefs)
    assert store.active_chats() == [BIG_CHAT]
    assert store.forget_chat(BIG_CHAT)
    assert store.subscriber(BIG_CHAT) is None
    assert not store.forget_chat(BIG_CHAT)


def test_invites_allow_and_revoke(db_location):
    store = Store(db_location)
    store.create_invite("code-1", 42, NOW, NOW + timedelta(hours=1))
    store.create_invite("code-2", 42, NOW, NOW + timedelta(minutes=1))
    assert store.open_invites(NOW) == 2
    assert store.redeem_invite("code-1", 7, NOW)
    assert not store.redeem_invite("code-1", 8, NOW)  # one-time
    assert not store.redeem_invite("code-2", 8, NOW + timedelta(minutes=2))  # expired
    assert store.open_invites(NOW) == 1
    store.allow_chat(9, 42, NOW)
    store.allow_chat(9, 43, NOW)  # allowing twice keeps one row
    assert store.is_allowed(9)
    store.subscribe(9, "private", None, NOW, admitted_by="allowed")
    assert store.revoke_chat(9, NOW)
    assert not store.is_allowed(9)
    assert store.active_chats() == []
    assert not store.revoke_chat(9, NOW)


def test_digests_are_queued_once_with_their_chart(db_location):
    store = Store(db_location)
    store.subscribe(5, "private", None, NOW, digest_schedule="mon 08:00 UTC", next_digest_at=NOW)
    assert [s.chat_id for s in store.due_digests(NOW)] == [5]
    chart = bytes(range(256)) * 4  # binary, with NUL bytes: a PNG's worth of awkward bytes
    assert store.queue_digest(5, NOW, NOW + timedelta(days=7), "<b>week</b>", chart, "caption", NOW)
    assert not store.queue_digest(5, NOW, NOW + timedelta(days=7), "<b>week</b>", chart, "caption", NOW)
    assert store.due_digests(NOW + timedelta(days=1)) == []
    [message] = store.due_messages(NOW)
    assert (message.chat_id, message.kind, message.photo, message.caption) == (5, "digest", chart, "caption")
    store.set_digest_schedule(5, "off", None, NOW)
    sub = store.subscriber(5)
    assert sub is not None and (sub.digest_schedule, sub.next_digest_at) == ("off", None)


def test_alerts_explained_and_in_the_digest(db_location):
    store = Store(db_location)
    story = StoryRecord(id="st-9", company="google", topic="capex", status="alerted", opened_at=NOW.isoformat(),
                        state={"id": "st-9", "text": "Alphabet capex raised", "metric": "capex_guidance_annual",
                               "sources": [{"outlet": "a"}, {"outlet": "b"}]})
    alert = NewAlert("st-9", "google", "capex", "raised")
    [alert_id] = store.record_article(article("e1"), [ClaimRecord(claim("First quote.", 8.2), "st-9")], [alert],
                                      NOW, stories=[story])
    store.record_article(article("e2"), [ClaimRecord(claim("Second quote."), "st-9")], [alert], NOW, stories=[story])
    store.record_article(article("e3"), [ClaimRecord(claim("First quote."), "st-9")], [alert], NOW, stories=[story])
    view = store.alert_view(alert_id)
    assert view.quotes == ("First quote.", "Second quote.")  # distinct, in the order they came
    explanation = store.alert_explanation(alert_id)
    assert explanation is not None
    assert [c.quote for c in explanation.claims] == ["First quote.", "Second quote.", "First quote."]
    assert explanation.claims[0].rules == ("en.money", "en.raise")
    assert explanation.claims[0].amount_max == 9.3e10
    assert store.alert_explanation(alert_id + 100) is None
    [item] = store.digest_items(NOW - timedelta(days=7))
    assert (item.alert_id, item.sources, item.delta_pct) == (alert_id, 2, 8.2)
    assert item.story is not None and item.story["text"] == "Alphabet capex raised"
    assert store.count("claims") == 3 and store.count("articles") == 3 and store.count("alerts") == 1


def test_messages_fail_retry_and_in_doubt_marks(db_location):
    store = Store(db_location)
    store.subscribe(BIG_CHAT, "channel", None, NOW)
    store.record_article(article("e1"), [], [NewAlert("k1", "baidu", "cloud", "new"),
                                             NewAlert("k2", "baidu", "cloud", "new")], NOW)
    pending = store.pending_alerts(BIG_CHAT, 10)
    assert [p.company for p in pending] == ["baidu", "baidu"]
    message_id = store.compose_message(BIG_CHAT, "<b>two</b>", [pending[0].outbox_id], [pending[1].outbox_id], NOW)
    assert message_id is not None
    assert store.delivery_counts() == {"pending": 1, "skipped": 1}
    store.mark_part_sending(message_id, 0, 0)
    assert store.in_doubt_messages() == [(message_id, BIG_CHAT, 0)]
    assert store.settle_in_doubt() == 1
    assert store.in_doubt_messages() == []
    store.fail_message(message_id, "HTTP 400: chat not found")
    assert store.message_counts() == {"failed": 1}
    assert store.delivery_counts() == {"failed": 1, "skipped": 1}
    stats = store.stats(NOW, NOW - timedelta(days=1))
    assert (stats["active_channels"], stats["alerts_recent"], stats["messages_failed"]) == (1, 2, 1)


def test_schedule_state_notices_and_resume(db_location):
    store = Store(db_location)
    store.ensure_sources(["feed"], NOW)
    state = ScheduleState(consecutive_errors=8, interval_seconds=1800.5, expected_gap_seconds=3600.0,
                          first_polled_at=NOW, last_new_entry_at=NOW, paused_at=NOW)
    notice = Notice("paused", "feed", "feed paused after 8 errors")
    [notice_id] = store.record_poll("feed", NOW, "error", Decision(NOW + timedelta(days=1), state, (notice,)),
                                    error="HTTP 500", warning="w")
    assert store.schedule_state("feed") == state
    assert store.source_state("feed").last_error == "HTTP 500"
    [pending] = store.pending_admin_notices()
    assert (pending.id, pending.kind, pending.source_id, pending.created_at) == (notice_id, "paused", "feed", NOW)
    store.mark_admin_notice_delivered(notice_id, NOW)
    assert store.pending_admin_notices() == []
    assert store.resume_source("feed", NOW)
    assert not store.resume_source("feed", NOW)
    assert store.due_sources(["feed"], NOW) == ["feed"]
    [row] = store.source_overview()
    assert (row["source_id"], row["polls_total"], row["errors_total"], row["last_warning"]) == ("feed", 1, 1, "w")
    store.mark_seen("feed", ["a", "b"], NOW)
    store.mark_seen("feed", ["b", "c"], NOW)
    assert store.seen_keys("feed", [str(i) for i in range(1200)] + ["a", "c"]) == {"a", "c"}


def test_exclusive_admits_one_decision_at_a_time(db_location):
    """Two connections deciding under the same name: the second waits until the first committed,
    so it reads what the first wrote (what keeps two workers from opening one story twice)."""
    Store(db_location).close()  # migrated before the race
    second = Store(db_location)
    order: list[str] = []
    entered = threading.Event()

    def slow_decision() -> None:
        first = Store(db_location)  # a connection belongs to its thread
        with first.exclusive("stories") as db:
            entered.set()
            time.sleep(0.3)
            db.execute("INSERT INTO ledger_entries (id, confirmed_at, entry) VALUES ('x', 't', '{}')")
            order.append("first committed")
        first.close()

    thread = threading.Thread(target=slow_decision)
    thread.start()
    assert entered.wait(5)
    with second.exclusive("stories") as db:
        order.append("second entered")
        seen = db.execute("SELECT COUNT(*) FROM ledger_entries").fetchone()[0]
    thread.join()
    assert order == ["first committed", "second entered"]
    assert seen == 1
    second.close()


def test_two_senders_claim_each_message_once(db_location):
    """Two senders on one database (two connections): a due message is leased to one of them, the
    other gets it only when that lease ran out (its sender died)."""
    first, second = Store(db_location), Store(db_location)
    for chat in (1, 2, 3):
        first.subscribe(chat, "private", None, NOW)
    first.record_article(article("e1"), [], [NewAlert("k", "baidu", "cloud", "new")], NOW)
    for chat in (1, 2, 3):
        [pending] = first.pending_alerts(chat, 10)
        first.compose_message(chat, "<b>x</b>", [pending.outbox_id], [], NOW)
    lease = timedelta(minutes=5)
    mine = first.claim_messages("sender-a", NOW, lease)
    assert len(mine) == 3
    assert second.claim_messages("sender-b", NOW, lease) == []
    assert [m.id for m in first.claim_messages("sender-a", NOW, lease)] == [m.id for m in mine]  # its own, again
    later = NOW + lease + timedelta(seconds=1)
    assert [m.id for m in second.claim_messages("sender-b", later, lease)] == [m.id for m in mine]
    assert first.claim_messages("sender-a", later, lease) == []
    first.close()
    second.close()
