"""The store on a real SQLite file and on a real PostgreSQL server (db_location runs each test on both):
migrations, dedup, the outbox, schema guard."""

import sqlite3
from datetime import UTC, datetime, timedelta

import pytest

from bot.ingest.schedule import Decision, ScheduleState
from bot.model.records import ArticleRecord, ClaimRecord, NewAlert, StoredClaim, StoryRecord
from bot.store.database import MIGRATIONS, Store, StoreError

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def article(key: str = "e1") -> ArticleRecord:
    return ArticleRecord(source_id="wire", entry_key=key, url=f"https://news.example/{key}", title="T",
                         lang="en", published_at=NOW, text="Body.", text_origin="page")


def claim(amount: float = 9e10) -> StoredClaim:
    return StoredClaim(company="google", topic="capex", amount=amount, amount_max=None, currency="USD",
                       unit=None, change_pct=None, period="2025", quote="Alphabet now expects $90 billion.",
                       rules=("en.money",), verdict="raised", assessment={"verdict": "raised"})


def test_migrates_a_new_file_to_the_latest_version(tmp_path):
    store = Store(tmp_path / "db.sqlite3")
    assert store.schema_version == len(MIGRATIONS)
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_migrates_a_new_database_to_the_latest_version_on_both_backends(db_location):
    store = Store(db_location)
    assert store.schema_version == len(MIGRATIONS)
    store.close()
    store = Store(db_location)  # a second start finds everything in place
    assert store.schema_version == len(MIGRATIONS)
    assert store.count("articles") == 0


def test_refuses_a_database_from_a_newer_bot(tmp_path):
    path = tmp_path / "db.sqlite3"
    Store(path).close()
    raw = sqlite3.connect(path)
    raw.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 1}")
    raw.close()
    with pytest.raises(StoreError, match="newer version"):
        Store(path)


def test_sources_are_due_when_added_then_at_their_next_poll(db_location):
    store = Store(db_location)
    store.ensure_sources(["a", "b"], NOW)
    assert store.due_sources(["a", "b"], NOW) == ["a", "b"]
    polled = ScheduleState(first_polled_at=NOW, interval_seconds=1800.0)
    store.record_poll("a", NOW, "ok", Decision(NOW + timedelta(minutes=30), polled), etag='"v1"', new_items=2)
    assert store.due_sources(["a", "b"], NOW + timedelta(minutes=1)) == ["b"]
    state, timing = store.poll_state("a")
    assert (state.etag, state.items_seen, state.first_polled_at, state.last_success_at) == ('"v1"', 2, NOW, NOW)
    assert timing == polled
    store.record_poll("b", NOW, "error", Decision(NOW + timedelta(minutes=5), ScheduleState(consecutive_errors=1)),
                      error="HTTP 500")
    state = store.source_state("b")
    assert (state.consecutive_errors, state.last_error, state.last_error_at, state.last_success_at) == (
        1, "HTTP 500", NOW, None)
    row = {r["source_id"]: r for r in store.source_overview()}["b"]
    assert (row["polls_total"], row["errors_total"], row["last_status"]) == (1, 1, "error")


def test_a_304_keeps_the_validators_and_a_reread_forgets_them(tmp_path):
    store = Store(tmp_path / "db.sqlite3")
    store.ensure_sources(["a"], NOW)
    later = Decision(NOW + timedelta(minutes=30), ScheduleState(first_polled_at=NOW))
    store.record_poll("a", NOW, "ok", later, etag='"v1"', last_modified="Mon, 30 Nov 2026 10:00:00 GMT")
    store.record_poll("a", NOW, "not_modified", later)  # a 304 without validators
    assert (store.source_state("a").etag, store.source_state("a").last_modified) == (
        '"v1"', "Mon, 30 Nov 2026 10:00:00 GMT")
    store.record_poll("a", NOW, "ok", later, etag='"v2"', reread_at=NOW + timedelta(minutes=1))
    state = store.source_state("a")
    assert (state.etag, state.last_modified, state.next_poll_at) == (None, None, NOW + timedelta(minutes=1))


def test_an_alert_reaches_each_active_subscriber_once(db_location):
    store = Store(db_location)
    store.subscribe(1001, "private", None, NOW)
    store.subscribe(1002, "private", None, NOW)
    store.unsubscribe(1002, NOW)
    alert = NewAlert("google:capex:90e9", "google", "capex", "raised")
    ids = store.record_article(article(), [ClaimRecord(claim(), alert.story_key)], [alert], NOW)
    assert len(ids) == 1
    assert store.chats_to_compose(NOW) == [1001]
    assert [p.alert_id for p in store.pending_alerts(1001, 10)] == ids
    # the same story from a second outlet joins the alert instead of making a new one
    again = store.record_article(article("e2"), [ClaimRecord(claim(), alert.story_key)], [alert], NOW)
    assert again == []
    view = store.alert_view(ids[0])
    assert view.quotes == ("Alphabet now expects $90 billion.",)
    assert store.seen_keys("wire", ["e1", "e2", "e3"]) == {"e1", "e2"}


def test_queued_alerts_stay_until_telegram_accepted_every_part(db_location):
    store = Store(db_location)
    store.subscribe(7, "private", None, NOW)
    alert = NewAlert("k", "baidu", "cloud", "new")
    store.record_article(article(), [ClaimRecord(claim(), "k")], [alert], NOW)
    [pending] = store.pending_alerts(7, 10)
    message_id = store.compose_message(7, "<b>Baidu</b>", [pending.outbox_id], [], NOW)
    assert message_id is not None
    store.close()
    store = Store(db_location)  # a restart before sending: still queued
    [queued] = store.due_messages(NOW)
    assert (queued.id, queued.chat_id, queued.parts_sent) == (message_id, 7, 0)
    store.retry_message(message_id, NOW + timedelta(minutes=1), "HTTP 502")
    assert store.due_messages(NOW) == []
    store.mark_part_sent(message_id, 1, finished=True, now=NOW + timedelta(minutes=1))
    assert store.due_messages(NOW + timedelta(hours=1)) == []
    assert store.delivery_counts() == {"sent": 1}


def test_stories_and_ledger_growth_are_saved_with_the_article(db_location):
    store = Store(db_location)
    story = StoryRecord(id="st-1", company="google", topic="capex", status="held",
                        opened_at=NOW.isoformat(), state={"id": "st-1", "status": "held"})
    store.record_article(article(), [ClaimRecord(claim(), "st-1")], [], NOW, stories=[story],
                         ledger_entries=[("google-st-1", {"id": "google-st-1"})])
    assert store.open_stories(NOW - timedelta(days=7)) == [("capex", {"id": "st-1", "status": "held"})]
    assert store.open_stories(NOW + timedelta(days=1)) == []
    assert store.confirmed_ledger_entries() == [{"id": "google-st-1"}]
    released = StoryRecord(**{**story.__dict__, "status": "released", "state": {"id": "st-1", "status": "released"}})
    [alert_id] = store.release_stories([released], [NewAlert("st-1", "google", "capex", "raised")], NOW)
    assert store.db.execute("SELECT alert_id FROM claims").fetchone()[0] == alert_id
    assert store.alert_view(alert_id).story == {"id": "st-1", "status": "released"}


def test_chat_migration_moves_subscription_and_queue(db_location):
    store = Store(db_location)
    store.subscribe(-5, "group", "G", NOW)
    store.record_article(article(), [], [NewAlert("k", "tencent", "capex", "new")], NOW)
    store.migrate_chat(-5, -1005)
    assert store.active_chats() == [-1005]
    assert store.chats_to_compose(NOW) == [-1005]
