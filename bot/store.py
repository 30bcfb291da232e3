"""All SQL lives here. Stdlib sqlite3, WAL, schema versions in `PRAGMA user_version`.

Migrations only ever grow at the end of MIGRATIONS: the schema version is len(MIGRATIONS), and a
database written by a newer bot (user_version > len(MIGRATIONS)) is refused with a clear message.

Tables:
    source_state   one row per source: conditional-GET validators, schedule, health counters
    seen_entries   first-seen feed entry keys per source (dedup)
    articles       each entry the bot read, with the text it matched on
    claims         each flagged statement with its verdict against the ledger
    stories        one per statement, with every outlet that carried it (bot.stories.Story as JSON)
    ledger_entries statements confirmed since the baseline (bot.ledger.LedgerEntry as JSON)
    alerts         one per story worth telling subscribers (alerts.story_key is the story id)
    subscribers    Telegram chats (chat_id 0 is the console)
    outbox         one row per (alert, chat): the delivery queue; never deleted before it is sent
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot.schedule import Decision, ScheduleState

CONSOLE_CHAT_ID = 0


class StoreError(Exception):
    """The database cannot be used (newer schema, unreadable file)."""


MIGRATIONS: list[str] = [
    # 1: foundation
    """
    CREATE TABLE source_state (
        source_id TEXT PRIMARY KEY,
        etag TEXT,
        last_modified TEXT,
        next_poll_at TEXT NOT NULL,
        first_polled_at TEXT,
        last_polled_at TEXT,
        last_success_at TEXT,
        last_error_at TEXT,
        last_error TEXT,
        consecutive_errors INTEGER NOT NULL DEFAULT 0,
        items_seen INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE seen_entries (
        source_id TEXT NOT NULL,
        entry_key TEXT NOT NULL,
        first_seen_at TEXT NOT NULL,
        PRIMARY KEY (source_id, entry_key)
    );
    CREATE TABLE articles (
        id INTEGER PRIMARY KEY,
        source_id TEXT NOT NULL,
        entry_key TEXT NOT NULL,
        url TEXT,
        title TEXT,
        lang TEXT,
        published_at TEXT,
        text TEXT NOT NULL,
        text_origin TEXT NOT NULL,
        read_at TEXT NOT NULL,
        UNIQUE (source_id, entry_key)
    );
    CREATE TABLE alerts (
        id INTEGER PRIMARY KEY,
        story_key TEXT NOT NULL UNIQUE,
        company TEXT NOT NULL,
        topic TEXT NOT NULL,
        verdict TEXT NOT NULL,
        headline TEXT NOT NULL,
        created_at TEXT NOT NULL
    );
    CREATE TABLE claims (
        id INTEGER PRIMARY KEY,
        article_id INTEGER NOT NULL REFERENCES articles(id),
        alert_id INTEGER REFERENCES alerts(id),
        company TEXT NOT NULL,
        topic TEXT NOT NULL,
        amount REAL,
        amount_max REAL,
        currency TEXT,
        unit TEXT,
        change_pct REAL,
        period TEXT,
        quote TEXT NOT NULL,
        rules TEXT NOT NULL,
        verdict TEXT NOT NULL,
        assessment TEXT NOT NULL
    );
    CREATE INDEX claims_alert ON claims(alert_id);
    CREATE TABLE subscribers (
        chat_id INTEGER PRIMARY KEY,
        chat_type TEXT NOT NULL,
        title TEXT,
        active INTEGER NOT NULL DEFAULT 1,
        subscribed_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE TABLE outbox (
        id INTEGER PRIMARY KEY,
        alert_id INTEGER NOT NULL REFERENCES alerts(id),
        chat_id INTEGER NOT NULL,
        status TEXT NOT NULL DEFAULT 'pending',
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at TEXT NOT NULL,
        last_error TEXT,
        sent_at TEXT,
        UNIQUE (alert_id, chat_id)
    );
    CREATE INDEX outbox_due ON outbox(status, next_attempt_at);
    """,
    # 2: stories (one statement across outlets, bot.stories) and the ledger's confirmed entries
    """
    CREATE TABLE stories (
        id TEXT PRIMARY KEY,
        company TEXT NOT NULL,
        topic TEXT NOT NULL,
        status TEXT NOT NULL,
        opened_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        state TEXT NOT NULL
    );
    CREATE INDEX stories_opened ON stories(opened_at);
    CREATE TABLE ledger_entries (
        id TEXT PRIMARY KEY,
        confirmed_at TEXT NOT NULL,
        entry TEXT NOT NULL
    );
    ALTER TABLE claims ADD COLUMN story_id TEXT;
    CREATE INDEX claims_story ON claims(story_id);
    """,
    # 3: ops: adaptive schedule, pause and silence per source; poll counters for metrics; admin notices;
    # send_starts > attempts marks an outbox row whose send was cut short by a crash (in doubt)
    """
    ALTER TABLE source_state ADD COLUMN interval_seconds REAL;
    ALTER TABLE source_state ADD COLUMN expected_gap_seconds REAL;
    ALTER TABLE source_state ADD COLUMN last_new_entry_at TEXT;
    ALTER TABLE source_state ADD COLUMN paused_at TEXT;
    ALTER TABLE source_state ADD COLUMN silence_alarm_at TEXT;
    ALTER TABLE source_state ADD COLUMN last_status TEXT;
    ALTER TABLE source_state ADD COLUMN last_warning TEXT;
    ALTER TABLE source_state ADD COLUMN polls_total INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE source_state ADD COLUMN errors_total INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE outbox ADD COLUMN send_starts INTEGER NOT NULL DEFAULT 0;
    CREATE TABLE admin_notices (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL,
        source_id TEXT,
        text TEXT NOT NULL,
        created_at TEXT NOT NULL,
        delivered_at TEXT
    );
    """,
]


def iso(moment: datetime) -> str:
    """Timestamps are stored as UTC ISO-8601 text, which sorts correctly as a string."""
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def parse_iso(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


@dataclass(frozen=True)
class SourceState:
    source_id: str
    etag: str | None
    last_modified: str | None
    next_poll_at: datetime
    first_polled_at: datetime | None
    last_polled_at: datetime | None
    last_success_at: datetime | None
    last_error_at: datetime | None
    last_error: str | None
    consecutive_errors: int
    items_seen: int


@dataclass(frozen=True)
class StoredClaim:
    """A claim as stored with its assessment, ready to become part of an alert."""

    company: str
    topic: str
    amount: float | None
    amount_max: float | None
    currency: str | None
    unit: str | None
    change_pct: float | None
    period: str | None
    quote: str
    rules: tuple[str, ...]
    verdict: str
    assessment: dict[str, Any]


@dataclass(frozen=True)
class NewAlert:
    """An alert to create with an article, keyed by its story so other outlets join it."""

    story_key: str
    company: str
    topic: str
    verdict: str
    headline: str


@dataclass(frozen=True)
class ArticleRecord:
    source_id: str
    entry_key: str
    url: str | None
    title: str | None
    lang: str
    published_at: datetime | None
    text: str
    text_origin: str


@dataclass(frozen=True)
class ClaimRecord:
    """A claim to store; `story_key` links it to the alert it belongs to (None: no alert)."""

    claim: StoredClaim
    story_key: str | None


@dataclass(frozen=True)
class OutboxItem:
    id: int
    alert_id: int
    chat_id: int
    attempts: int


@dataclass(frozen=True)
class AdminNotice:
    """A message for the bot's operators (a source paused, resumed or silent)."""

    id: int
    kind: str
    source_id: str | None
    text: str
    created_at: datetime


@dataclass(frozen=True)
class StoryRecord:
    """A story's state to save (bot.stories.Story.to_json()), with the topic of its first claim."""

    id: str
    company: str
    topic: str
    status: str
    opened_at: str
    state: dict[str, Any]


@dataclass(frozen=True)
class AlertView:
    """What delivery needs to render an alert: the story (with every outlet that carried it) and quotes."""

    id: int
    headline: str
    verdict: str
    company: str
    topic: str
    created_at: datetime
    quotes: tuple[str, ...]
    story: dict[str, Any] | None


class Store:
    """The bot's SQLite database. One connection, used from the event loop thread only."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        if str(path) != ":memory:":
            self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.db = sqlite3.connect(str(path), isolation_level=None, timeout=10)
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open database {path}: {exc}") from None
        self.db.row_factory = sqlite3.Row
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.execute("PRAGMA foreign_keys=ON")
        self._migrate()

    @classmethod
    def read_only(cls, path: Path | str) -> Store:
        """A reading connection for another thread (the metrics endpoint): no migrations, no writes."""
        store = cls.__new__(cls)
        store.path = Path(path)
        try:
            store.db = sqlite3.connect(f"file:{store.path}?mode=ro", uri=True, timeout=5)
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open database {path}: {exc}") from None
        store.db.row_factory = sqlite3.Row
        return store

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One atomic unit: everything inside commits together or not at all."""
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    def _migrate(self) -> None:
        version = int(self.db.execute("PRAGMA user_version").fetchone()[0])
        if version > len(MIGRATIONS):
            raise StoreError(
                f"database {self.path} has schema version {version}, but this bot knows only up to "
                f"{len(MIGRATIONS)}: it was written by a newer version; upgrade the bot or use another BOT_DB")
        for number in range(version, len(MIGRATIONS)):
            with self.transaction() as db:
                for statement in MIGRATIONS[number].split(";"):
                    if statement.strip():
                        db.execute(statement)
                db.execute(f"PRAGMA user_version = {number + 1}")

    @property
    def schema_version(self) -> int:
        return int(self.db.execute("PRAGMA user_version").fetchone()[0])

    # -- sources ---------------------------------------------------------------------------------

    def ensure_sources(self, source_ids: Sequence[str], now: datetime) -> None:
        """Give every configured source a state row; a new source is due at once."""
        with self.transaction() as db:
            db.executemany("INSERT OR IGNORE INTO source_state (source_id, next_poll_at) VALUES (?, ?)",
                           [(sid, iso(now)) for sid in source_ids])

    def due_sources(self, source_ids: Sequence[str], now: datetime) -> list[str]:
        """Configured sources whose next poll time has come, oldest first."""
        if not source_ids:
            return []
        marks = ",".join("?" * len(source_ids))
        rows = self.db.execute(
            f"SELECT source_id FROM source_state WHERE source_id IN ({marks}) AND next_poll_at <= ? "
            "ORDER BY next_poll_at", [*source_ids, iso(now)]).fetchall()
        return [r["source_id"] for r in rows]

    def source_state(self, source_id: str) -> SourceState:
        row = self.db.execute("SELECT * FROM source_state WHERE source_id = ?", (source_id,)).fetchone()
        if row is None:
            raise KeyError(source_id)
        return _source_state(row)

    def all_source_states(self) -> list[SourceState]:
        return [_source_state(r) for r in self.db.execute("SELECT * FROM source_state ORDER BY source_id")]

    def record_poll_success(self, source_id: str, now: datetime, next_poll_at: datetime,
                            etag: str | None, last_modified: str | None, new_items: int) -> None:
        with self.transaction() as db:
            db.execute(
                "UPDATE source_state SET etag = COALESCE(?, etag), last_modified = COALESCE(?, last_modified), "
                "next_poll_at = ?, first_polled_at = COALESCE(first_polled_at, ?), last_polled_at = ?, "
                "last_success_at = ?, consecutive_errors = 0, items_seen = items_seen + ? WHERE source_id = ?",
                (etag, last_modified, iso(next_poll_at), iso(now), iso(now), iso(now), new_items, source_id))

    def record_poll_error(self, source_id: str, now: datetime, next_poll_at: datetime, error: str) -> None:
        with self.transaction() as db:
            db.execute(
                "UPDATE source_state SET next_poll_at = ?, last_polled_at = ?, last_error_at = ?, "
                "last_error = ?, consecutive_errors = consecutive_errors + 1 WHERE source_id = ?",
                (iso(next_poll_at), iso(now), iso(now), error, source_id))

    def seen_keys(self, source_id: str, keys: Sequence[str]) -> set[str]:
        """Which of these entry keys this source has already produced."""
        seen: set[str] = set()
        for start in range(0, len(keys), 500):  # stay under SQLite's bound-parameter limit
            chunk = keys[start:start + 500]
            marks = ",".join("?" * len(chunk))
            seen.update(r[0] for r in self.db.execute(
                f"SELECT entry_key FROM seen_entries WHERE source_id = ? AND entry_key IN ({marks})",
                [source_id, *chunk]))
        return seen

    def mark_seen(self, source_id: str, keys: Sequence[str], now: datetime) -> None:
        """Entries skipped on purpose (old entries of a newly added source) are remembered too."""
        with self.transaction() as db:
            db.executemany("INSERT OR IGNORE INTO seen_entries VALUES (?, ?, ?)",
                           [(source_id, k, iso(now)) for k in keys])

    # -- articles, claims, alerts ---------------------------------------------------------------

    def record_article(self, article: ArticleRecord, claims: Sequence[ClaimRecord], alerts: Sequence[NewAlert],
                       now: datetime, stories: Sequence[StoryRecord] = (),
                       ledger_entries: Sequence[tuple[str, dict[str, Any]]] = ()) -> list[int]:
        """Store an article with its claims, story states, ledger growth and new alerts; mark the entry
        seen; queue the alerts for every active subscriber.

        All in one transaction, so a crash leaves either nothing (the entry is read again next
        pass) or everything including the outbox rows (delivery resumes). Returns new alert ids.
        """
        with self.transaction() as db:
            db.execute("INSERT OR IGNORE INTO seen_entries VALUES (?, ?, ?)",
                       (article.source_id, article.entry_key, iso(now)))
            cur = db.execute(
                "INSERT OR IGNORE INTO articles (source_id, entry_key, url, title, lang, published_at, text, "
                "text_origin, read_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (article.source_id, article.entry_key, article.url, article.title, article.lang,
                 iso(article.published_at) if article.published_at else None, article.text,
                 article.text_origin, iso(now)))
            if cur.rowcount == 0:
                return []  # already stored by an earlier pass
            article_id = cur.lastrowid
            self._save_stories(db, stories, now)
            db.executemany("INSERT OR IGNORE INTO ledger_entries (id, confirmed_at, entry) VALUES (?, ?, ?)",
                           [(entry_id, iso(now), json.dumps(entry, ensure_ascii=False))
                            for entry_id, entry in ledger_entries])
            new_alert_ids = self._create_alerts(db, alerts, now)
            for record in claims:
                c = record.claim
                alert_row = db.execute("SELECT id FROM alerts WHERE story_key = ?",
                                       (record.story_key,)).fetchone() if record.story_key else None
                db.execute(
                    "INSERT INTO claims (article_id, alert_id, story_id, company, topic, amount, amount_max, "
                    "currency, unit, change_pct, period, quote, rules, verdict, assessment) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (article_id, alert_row["id"] if alert_row else None, record.story_key, c.company, c.topic,
                     c.amount, c.amount_max, c.currency, c.unit, c.change_pct, c.period, c.quote,
                     json.dumps(list(c.rules)), c.verdict, json.dumps(c.assessment, ensure_ascii=False)))
        return new_alert_ids

    def release_stories(self, stories: Sequence[StoryRecord], alerts: Sequence[NewAlert], now: datetime) -> list[int]:
        """Save released stories and alert them (held stories whose confirmation window ran out)."""
        with self.transaction() as db:
            self._save_stories(db, stories, now)
            new_alert_ids = self._create_alerts(db, alerts, now)
            for alert_id, alert in zip(new_alert_ids, alerts, strict=False):
                db.execute("UPDATE claims SET alert_id = ? WHERE story_id = ?", (alert_id, alert.story_key))
            return new_alert_ids

    @staticmethod
    def _save_stories(db: sqlite3.Connection, stories: Sequence[StoryRecord], now: datetime) -> None:
        for story in stories:
            db.execute(
                "INSERT INTO stories (id, company, topic, status, opened_at, updated_at, state) "
                "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET status = excluded.status, "
                "updated_at = excluded.updated_at, state = excluded.state",
                (story.id, story.company, story.topic, story.status, story.opened_at, iso(now),
                 json.dumps(story.state, ensure_ascii=False)))

    @staticmethod
    def _create_alerts(db: sqlite3.Connection, alerts: Sequence[NewAlert], now: datetime) -> list[int]:
        created: list[int] = []
        for alert in alerts:
            cur = db.execute(
                "INSERT OR IGNORE INTO alerts (story_key, company, topic, verdict, headline, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (alert.story_key, alert.company, alert.topic, alert.verdict, alert.headline, iso(now)))
            if cur.rowcount:
                assert cur.lastrowid is not None
                created.append(cur.lastrowid)
                db.execute("INSERT INTO outbox (alert_id, chat_id, next_attempt_at) "
                           "SELECT ?, chat_id, ? FROM subscribers WHERE active = 1", (cur.lastrowid, iso(now)))
        return created

    def open_stories(self, since: datetime) -> list[tuple[str, dict[str, Any]]]:
        """(topic, state) of stories opened since a moment, oldest first (the story window)."""
        rows = self.db.execute("SELECT topic, state FROM stories WHERE opened_at >= ? ORDER BY opened_at, id",
                               (since.isoformat(),)).fetchall()
        return [(r["topic"], json.loads(r["state"])) for r in rows]

    def confirmed_ledger_entries(self) -> list[dict[str, Any]]:
        return [json.loads(r[0]) for r in self.db.execute("SELECT entry FROM ledger_entries ORDER BY confirmed_at, id")]

    def alert_exists(self, story_key: str) -> bool:
        return self.db.execute("SELECT 1 FROM alerts WHERE story_key = ?", (story_key,)).fetchone() is not None

    def alert_view(self, alert_id: int) -> AlertView:
        row = self.db.execute("SELECT * FROM alerts WHERE id = ?", (alert_id,)).fetchone()
        if row is None:
            raise KeyError(alert_id)
        story = self.db.execute("SELECT state FROM stories WHERE id = ?", (row["story_key"],)).fetchone()
        quotes = self.db.execute("SELECT DISTINCT quote FROM claims WHERE story_id = ? ORDER BY id",
                                 (row["story_key"],)).fetchall()
        return AlertView(
            id=row["id"], headline=row["headline"], verdict=row["verdict"], company=row["company"],
            topic=row["topic"], created_at=datetime.fromisoformat(row["created_at"]),
            quotes=tuple(q[0] for q in quotes), story=json.loads(story["state"]) if story else None)

    def count(self, table: str) -> int:
        if table not in {"articles", "claims", "alerts", "outbox", "subscribers", "seen_entries", "stories",
                         "ledger_entries"}:
            raise ValueError(table)
        return int(self.db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])

    # -- subscribers -----------------------------------------------------------------------------

    def subscribe(self, chat_id: int, chat_type: str, title: str | None, now: datetime) -> bool:
        """Activate a chat; returns False when it was already active."""
        with self.transaction() as db:
            row = db.execute("SELECT active FROM subscribers WHERE chat_id = ?", (chat_id,)).fetchone()
            if row is not None and row["active"]:
                return False
            db.execute(
                "INSERT INTO subscribers (chat_id, chat_type, title, active, subscribed_at, updated_at) "
                "VALUES (?, ?, ?, 1, ?, ?) ON CONFLICT(chat_id) DO UPDATE SET active = 1, updated_at = ?",
                (chat_id, chat_type, title, iso(now), iso(now), iso(now)))
            return True

    def unsubscribe(self, chat_id: int, now: datetime) -> bool:
        """Deactivate a chat and drop its undelivered alerts; returns False if it was not active."""
        with self.transaction() as db:
            cur = db.execute("UPDATE subscribers SET active = 0, updated_at = ? WHERE chat_id = ? AND active = 1",
                             (iso(now), chat_id))
            db.execute("UPDATE outbox SET status = 'cancelled' WHERE chat_id = ? AND status = 'pending'",
                       (chat_id,))
            return cur.rowcount > 0

    def active_chats(self) -> list[int]:
        return [r[0] for r in self.db.execute("SELECT chat_id FROM subscribers WHERE active = 1 ORDER BY chat_id")]

    # -- outbox ----------------------------------------------------------------------------------

    def due_deliveries(self, now: datetime, limit: int = 100) -> list[OutboxItem]:
        rows = self.db.execute(
            "SELECT id, alert_id, chat_id, attempts FROM outbox WHERE status = 'pending' AND next_attempt_at <= ? "
            "ORDER BY id LIMIT ?", (iso(now), limit)).fetchall()
        return [OutboxItem(r["id"], r["alert_id"], r["chat_id"], r["attempts"]) for r in rows]

    def mark_sent(self, outbox_id: int, now: datetime) -> None:
        with self.transaction() as db:
            db.execute("UPDATE outbox SET status = 'sent', sent_at = ?, attempts = attempts + 1 WHERE id = ?",
                       (iso(now), outbox_id))

    def mark_retry(self, outbox_id: int, next_attempt_at: datetime, error: str) -> None:
        with self.transaction() as db:
            db.execute("UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?, last_error = ? WHERE id = ?",
                       (iso(next_attempt_at), error, outbox_id))

    def mark_undeliverable(self, outbox_id: int, error: str) -> None:
        with self.transaction() as db:
            db.execute("UPDATE outbox SET status = 'failed', attempts = attempts + 1, last_error = ? WHERE id = ?",
                       (error, outbox_id))

    def deactivate_chat(self, chat_id: int, now: datetime) -> None:
        """The chat blocked or removed the bot: stop sending there."""
        self.unsubscribe(chat_id, now)

    def migrate_chat(self, old_chat_id: int, new_chat_id: int) -> None:
        """A group became a supergroup: its id changed, its subscription and queue follow."""
        with self.transaction() as db:
            db.execute("UPDATE OR REPLACE subscribers SET chat_id = ? WHERE chat_id = ?", (new_chat_id, old_chat_id))
            db.execute("UPDATE OR IGNORE outbox SET chat_id = ? WHERE chat_id = ?", (new_chat_id, old_chat_id))

    def delivery_counts(self) -> dict[str, int]:
        return {r[0]: r[1] for r in self.db.execute("SELECT status, COUNT(*) FROM outbox GROUP BY status")}


    # -- operations: schedule, admin notices, crash recovery, metrics (bot/schedule.py decides) ----

    def schedule_state(self, source_id: str) -> ScheduleState:
        row = self.db.execute("SELECT * FROM source_state WHERE source_id = ?", (source_id,)).fetchone()
        if row is None:
            raise KeyError(source_id)
        return ScheduleState(
            consecutive_errors=row["consecutive_errors"], interval_seconds=row["interval_seconds"],
            expected_gap_seconds=row["expected_gap_seconds"], first_polled_at=parse_iso(row["first_polled_at"]),
            last_new_entry_at=parse_iso(row["last_new_entry_at"]), paused_at=parse_iso(row["paused_at"]),
            silence_alarm_at=parse_iso(row["silence_alarm_at"]))

    def record_schedule(self, source_id: str, status: str, decision: Decision, now: datetime,
                        warning: str | None = None) -> list[int]:
        """Store a scheduling decision after a poll (`status`: ok | not_modified | error) and queue its
        notices for the admins, in one transaction. Returns the new notice ids."""
        state = decision.state
        ids: list[int] = []
        with self.transaction() as db:
            db.execute(
                "UPDATE source_state SET next_poll_at = ?, consecutive_errors = ?, interval_seconds = ?, "
                "expected_gap_seconds = ?, first_polled_at = ?, last_new_entry_at = ?, paused_at = ?, "
                "silence_alarm_at = ?, last_status = ?, last_warning = ?, polls_total = polls_total + 1, "
                "errors_total = errors_total + ? WHERE source_id = ?",
                (iso(decision.next_poll_at), state.consecutive_errors, state.interval_seconds,
                 state.expected_gap_seconds, _iso_or_none(state.first_polled_at),
                 _iso_or_none(state.last_new_entry_at), _iso_or_none(state.paused_at),
                 _iso_or_none(state.silence_alarm_at), status, warning, int(status == "error"), source_id))
            for notice in decision.notices:
                cur = db.execute("INSERT INTO admin_notices (kind, source_id, text, created_at) VALUES (?, ?, ?, ?)",
                                 (notice.kind, notice.source_id, notice.text, iso(now)))
                assert cur.lastrowid is not None
                ids.append(cur.lastrowid)
        return ids

    def resume_source(self, source_id: str, now: datetime) -> bool:
        """Un-pause a source by hand and make it due now; False if it was not paused."""
        with self.transaction() as db:
            cur = db.execute("UPDATE source_state SET paused_at = NULL, consecutive_errors = 0, next_poll_at = ? "
                             "WHERE source_id = ? AND paused_at IS NOT NULL", (iso(now), source_id))
            return cur.rowcount > 0

    def queue_admin_notice(self, kind: str, text: str, now: datetime, source_id: str | None = None) -> int:
        with self.transaction() as db:
            cur = db.execute("INSERT INTO admin_notices (kind, source_id, text, created_at) VALUES (?, ?, ?, ?)",
                             (kind, source_id, text, iso(now)))
            assert cur.lastrowid is not None
            return cur.lastrowid

    def pending_admin_notices(self) -> list[AdminNotice]:
        rows = self.db.execute("SELECT id, kind, source_id, text, created_at FROM admin_notices "
                               "WHERE delivered_at IS NULL ORDER BY id").fetchall()
        return [AdminNotice(r["id"], r["kind"], r["source_id"], r["text"], datetime.fromisoformat(r["created_at"]))
                for r in rows]

    def mark_admin_notice_delivered(self, notice_id: int, now: datetime) -> None:
        with self.transaction() as db:
            db.execute("UPDATE admin_notices SET delivered_at = ? WHERE id = ?", (iso(now), notice_id))

    def mark_sending(self, outbox_id: int) -> None:
        """Committed just before a send: if the process dies before mark_sent/mark_retry, the row is
        left with more send starts than finished attempts, i.e. in doubt (see in_doubt_deliveries)."""
        with self.transaction() as db:
            db.execute("UPDATE outbox SET send_starts = send_starts + 1 WHERE id = ?", (outbox_id,))

    def in_doubt_deliveries(self) -> list[OutboxItem]:
        """Pending rows whose last send started but never finished: Telegram may or may not have the
        message. They are sent again (a lost alert is worse than a repeated one)."""
        rows = self.db.execute(
            "SELECT id, alert_id, chat_id, attempts FROM outbox WHERE status = 'pending' AND send_starts > attempts "
            "ORDER BY id").fetchall()
        return [OutboxItem(r["id"], r["alert_id"], r["chat_id"], r["attempts"]) for r in rows]

    def settle_in_doubt(self) -> int:
        """At start-up: count in-doubt rows as a finished attempt, so each is reported once."""
        with self.transaction() as db:
            cur = db.execute("UPDATE outbox SET attempts = send_starts "
                             "WHERE status = 'pending' AND send_starts > attempts")
            return cur.rowcount

    def source_overview(self) -> list[dict[str, Any]]:
        """One dict per source row, every column: for metrics and status tables."""
        return [dict(r) for r in self.db.execute("SELECT * FROM source_state ORDER BY source_id")]


def _iso_or_none(moment: datetime | None) -> str | None:
    return iso(moment) if moment is not None else None


def _source_state(row: sqlite3.Row) -> SourceState:
    return SourceState(
        source_id=row["source_id"], etag=row["etag"], last_modified=row["last_modified"],
        next_poll_at=datetime.fromisoformat(row["next_poll_at"]),
        first_polled_at=parse_iso(row["first_polled_at"]), last_polled_at=parse_iso(row["last_polled_at"]),
        last_success_at=parse_iso(row["last_success_at"]), last_error_at=parse_iso(row["last_error_at"]),
        last_error=row["last_error"], consecutive_errors=row["consecutive_errors"], items_seen=row["items_seen"])
