"""All SQL lives here. SQLite (stdlib sqlite3, WAL) by default, PostgreSQL when BOT_DB is a
postgresql:// URL; the SQL is written once for both, and what differs is in bot/store/dialect.py.

Migrations only ever grow at the end of MIGRATIONS (written in SQLite's types; dialect.postgres_ddl
translates them): the schema version is len(MIGRATIONS), kept in `PRAGMA user_version` on SQLite and
the `schema_version` table on PostgreSQL; a database written by a newer bot (version > len(MIGRATIONS))
is refused with a clear message.

Tables:
    source_state   one row per source: conditional-GET validators, schedule, health counters
    seen_entries   first-seen feed entry keys per source (dedup)
    articles       each entry the bot read, with the text it matched on
    claims         each flagged statement with its verdict against the ledger
    stories        one per statement, with every outlet that carried it (bot.alerts.stories.Story as JSON)
    ledger_entries statements confirmed since the baseline (bot.ledger.entries.LedgerEntry as JSON)
    alerts         one per story worth telling subscribers (alerts.story_key is the story id). The line
                   is rendered when sent, from the facts the story keeps; `headline` holds the line
                   only for alerts raised before stories kept facts (empty since)
    subscribers    Telegram chats (chat_id 0 is the console)
    outbox         one row per (alert, chat): the delivery queue; never deleted before it is sent
    messages       what the delivery worker sends: one or more alerts of one chat coalesced, or a
                   digest; sent part by part (split at 4,096), progress kept so a retry never
                   repeats a part Telegram accepted
    invites        one-time invite codes (/invite), redeemed by `/start CODE`
    allowed_chats  chats an admin let in (/allow) without an invite
"""

from __future__ import annotations

import json
import sqlite3
import zlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bot.errors import BotError
from bot.ingest.schedule import Decision, ScheduleState
from bot.model.records import (
    AdminNotice,
    AlertExplanation,
    AlertView,
    ArticleRecord,
    ClaimExplanation,
    ClaimRecord,
    DigestItem,
    NewAlert,
    PendingAlert,
    Preferences,
    QueuedMessage,
    SentAlertMessage,
    SourceState,
    StoryRecord,
    Subscriber,
)
from bot.store import dialect
from bot.store.lock import InstanceLock, InstanceLockError

CONSOLE_CHAT_ID = 0


class StoreError(BotError):
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
    # 2: stories (one statement across outlets, bot.alerts.stories) and the ledger's confirmed entries
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
    # 3: the Telegram product (issue 6): per-chat preferences, access, digest schedule, coalesced messages
    """
    ALTER TABLE subscribers ADD COLUMN companies TEXT NOT NULL DEFAULT 'alibaba,tencent,baidu,microsoft,google';
    ALTER TABLE subscribers ADD COLUMN topics TEXT NOT NULL DEFAULT 'capex,cloud,energy';
    ALTER TABLE subscribers ADD COLUMN level TEXT NOT NULL DEFAULT 'all';
    ALTER TABLE subscribers ADD COLUMN admitted_by TEXT;
    ALTER TABLE subscribers ADD COLUMN digest_schedule TEXT;
    ALTER TABLE subscribers ADD COLUMN next_digest_at TEXT;
    UPDATE subscribers SET admitted_by = 'before-access-control';
    CREATE TABLE invites (
        code TEXT PRIMARY KEY,
        created_by INTEGER NOT NULL,
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        used_by_chat INTEGER,
        used_at TEXT
    );
    CREATE TABLE allowed_chats (
        chat_id INTEGER PRIMARY KEY,
        allowed_by INTEGER NOT NULL,
        allowed_at TEXT NOT NULL
    );
    CREATE TABLE messages (
        id INTEGER PRIMARY KEY,
        chat_id INTEGER NOT NULL,
        kind TEXT NOT NULL,
        html TEXT NOT NULL,
        photo BLOB,
        caption TEXT,
        parts_sent INTEGER NOT NULL DEFAULT 0,
        status TEXT NOT NULL DEFAULT 'pending',
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at TEXT NOT NULL,
        last_error TEXT,
        created_at TEXT NOT NULL,
        sent_at TEXT
    );
    CREATE INDEX messages_due ON messages(status, next_attempt_at);
    ALTER TABLE outbox ADD COLUMN message_id INTEGER REFERENCES messages(id);
    CREATE INDEX outbox_message ON outbox(message_id);
    """,
    # 4: ops: adaptive schedule, pause and silence per source; poll counters for metrics; admin notices;
    # the message part whose send started (and the attempt it belongs to), so a crash mid-send is known
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
    ALTER TABLE messages ADD COLUMN sending_part INTEGER;
    ALTER TABLE messages ADD COLUMN sending_attempt INTEGER;
    CREATE TABLE admin_notices (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL,
        source_id TEXT,
        text TEXT NOT NULL,
        created_at TEXT NOT NULL,
        delivered_at TEXT
    );
    """,
    # 5: leased messages (issue 14): a delivery worker claims a message before sending it, so two
    # processes (or, with issue 13, several workers) never send the same message
    """
    ALTER TABLE messages ADD COLUMN lease_owner TEXT;
    ALTER TABLE messages ADD COLUMN lease_until TEXT;
    """,
    # 6: alerts edited in place when their story gains outlets (issue 12): the Telegram message id of each
    # part sent, when the message was last brought up to date, and the one error of an edit that failed
    """
    ALTER TABLE messages ADD COLUMN telegram_ids TEXT;
    ALTER TABLE messages ADD COLUMN refreshed_at TEXT;
    ALTER TABLE messages ADD COLUMN edit_error TEXT;
    """,
    # 7: several pollers (issue 13): a source is leased by the process polling it, until lease_until; a
    # poller that dies frees its sources when the lease runs out
    """
    ALTER TABLE source_state ADD COLUMN lease_owner TEXT;
    ALTER TABLE source_state ADD COLUMN lease_until TEXT;
    CREATE INDEX source_state_due ON source_state(next_poll_at);
    """,
]


def iso(moment: datetime) -> str:
    """Timestamps are stored as UTC ISO-8601 text, which sorts correctly as a string."""
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def parse_iso(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


class Store:
    """The bot's database. One connection, used from the event loop thread only.

    `Store(path)` or `Store("sqlite:///path")` opens a SQLite file; `Store("postgresql://...")` a
    PostgreSQL database (bot/store/dialect.py). `self.db` has sqlite3's calling conventions on both.
    """

    def __init__(self, location: Path | str, *, exclusive: bool = False) -> None:
        """`exclusive`: the long-running bot's store; on SQLite it refuses (StoreError) while another
        process holds the database's instance lock (bot.store.lock), and keeps the lock until close().
        PostgreSQL is made for several processes: workers coordinate through leases and locks instead."""
        self.instance_lock: InstanceLock | None = None
        try:
            self.target = dialect.target(location)
        except ValueError as exc:
            raise StoreError(str(exc)) from None
        self.postgres = self.target.is_postgres
        self._depth = 0  # open transaction() blocks; only the outermost begins and commits
        self.db: Any
        if self.target.url is not None:
            self.path: Path | str = self.target.url
            self.db = _connect_postgres(self.target.url)
        else:
            assert self.target.path is not None
            self.path = path = self.target.path
            if str(path) != ":memory:":
                path.parent.mkdir(parents=True, exist_ok=True)
            if exclusive and str(path) != ":memory:":
                try:
                    self.instance_lock = InstanceLock(path).acquire()
                except InstanceLockError as exc:
                    raise StoreError(str(exc)) from None
                except OSError as exc:
                    raise StoreError(f"cannot create the lock file next to {path}: {exc.strerror}") from None
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
    def read_only(cls, location: Path | str) -> Store:
        """A reading connection for another thread (the metrics endpoint): no migrations, no writes."""
        store = cls.__new__(cls)
        try:
            store.target = dialect.target(location)
        except ValueError as exc:
            raise StoreError(str(exc)) from None
        store.postgres = store.target.is_postgres
        store._depth = 0
        if store.target.url is not None:
            store.path = store.target.url
            store.db = _connect_postgres(store.target.url)
            return store
        assert store.target.path is not None
        store.path = store.target.path
        store.instance_lock = None
        try:
            store.db = sqlite3.connect(f"file:{store.path}?mode=ro", uri=True, timeout=5)
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open database {location}: {exc}") from None
        store.db.row_factory = sqlite3.Row
        return store

    def close(self) -> None:
        self.db.close()
        if self.instance_lock is not None:
            self.instance_lock.release()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[Any]:
        """One atomic unit: everything inside commits together or not at all. An inner block joins
        the outer one (so a decision taken under exclusive() is stored in the same transaction)."""
        if self._depth:
            self._depth += 1
            try:
                yield self.db
            finally:
                self._depth -= 1
            return
        if self.postgres:
            self.db.begin()
        else:
            # IMMEDIATE takes the write lock at once: two processes on one file queue up here
            self.db.execute("BEGIN IMMEDIATE")
        self._depth = 1
        try:
            yield self.db
        except BaseException:
            self._depth = 0
            if self.postgres:
                self.db.rollback()
            else:
                self.db.execute("ROLLBACK")
            raise
        self._depth = 0
        if self.postgres:
            self.db.commit()
        else:
            self.db.execute("COMMIT")

    @contextmanager
    def exclusive(self, name: str) -> Iterator[Any]:
        """A transaction that no other process runs under the same name at the same time: what is
        read inside and what is written from it are one decision (e.g. which story a claim joins).
        SQLite's BEGIN IMMEDIATE already admits one writer per file; PostgreSQL takes a
        transaction-scoped advisory lock, released by the commit."""
        with self.transaction() as db:
            if self.postgres and self._depth == 1:
                db.execute("SELECT pg_advisory_xact_lock(?)", (_lock_key(name),))
            yield db

    def _migrate(self) -> None:
        if self.postgres:
            self._migrate_postgres()
            return
        version = int(self.db.execute("PRAGMA user_version").fetchone()[0])
        self._refuse_newer(version)
        for number in range(version, len(MIGRATIONS)):
            with self.transaction() as db:
                for statement in dialect.split_statements(MIGRATIONS[number]):
                    db.execute(statement)
                db.execute(f"PRAGMA user_version = {number + 1}")

    def _migrate_postgres(self) -> None:
        # Several workers may start at once: the first migrates under the lock, the others then see
        # the new version and do nothing. DDL is transactional in PostgreSQL, so each step is atomic.
        with self.exclusive("schema-migration") as db:
            db.execute("CREATE TABLE IF NOT EXISTS schema_version (version BIGINT NOT NULL)")
            row = db.execute("SELECT version FROM schema_version").fetchone()
            if row is None:
                db.execute("INSERT INTO schema_version (version) VALUES (0)")
            version = int(row[0]) if row is not None else 0
            self._refuse_newer(version)
            for number in range(version, len(MIGRATIONS)):
                for statement in dialect.split_statements(MIGRATIONS[number]):
                    db.execute(dialect.postgres_ddl(statement))
                db.execute("UPDATE schema_version SET version = ?", (number + 1,))

    def _refuse_newer(self, version: int) -> None:
        if version > len(MIGRATIONS):
            raise StoreError(
                f"database {self.target} has schema version {version}, but this bot knows only up to "
                f"{len(MIGRATIONS)}: it was written by a newer version; upgrade the bot or use another BOT_DB")

    @property
    def schema_version(self) -> int:
        if self.postgres:
            return int(self.db.execute("SELECT version FROM schema_version").fetchone()[0])
        return int(self.db.execute("PRAGMA user_version").fetchone()[0])

    # -- sources ---------------------------------------------------------------------------------

    def ensure_sources(self, source_ids: Sequence[str], now: datetime) -> None:
        """Give every configured source a state row; a new source is due at once."""
        with self.transaction() as db:
            db.executemany("INSERT INTO source_state (source_id, next_poll_at) VALUES (?, ?) ON CONFLICT DO NOTHING",
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

    def lease_due_sources(self, source_ids: Sequence[str], now: datetime, owner: str, until: datetime,
                          limit: int) -> list[str]:
        """Take up to `limit` of these sources that are due and not leased (or whose lease ran out), for
        `owner` until `until`: the same statement on both engines; PostgreSQL's SKIP LOCKED lets two
        pollers lease at once without waiting on each other's rows, and each row goes to one of them."""
        if not source_ids:
            return []
        configured, ids = dialect.one_of("source_id", source_ids, self.postgres)
        with self.transaction() as db:
            rows = db.execute(
                f"UPDATE source_state SET lease_owner = ?, lease_until = ? WHERE source_id IN ("
                f"SELECT source_id FROM source_state WHERE {configured} AND next_poll_at <= ? "
                "AND (lease_until IS NULL OR lease_until <= ?) ORDER BY next_poll_at, source_id "
                f"LIMIT ?{dialect.skip_locked(self.postgres)}) RETURNING source_id, next_poll_at",
                [owner, iso(until), *ids, iso(now), iso(now), limit]).fetchall()
        return [r[0] for r in sorted(rows, key=lambda r: (r[1], r[0]))]

    def renew_lease(self, source_id: str, owner: str, until: datetime) -> bool:
        """Still polling (a slow source): keep the lease; False if it ran out and another poller took it."""
        with self.transaction() as db:
            return bool(db.execute("UPDATE source_state SET lease_until = ? WHERE source_id = ? AND lease_owner = ?",
                                   (iso(until), source_id, owner)).rowcount > 0)

    def release_all_leases(self) -> int:
        """`run` owns a SQLite file alone: leases left by its own crash need not wait for their expiry."""
        with self.transaction() as db:
            return int(db.execute("UPDATE source_state SET lease_owner = NULL, lease_until = NULL "
                                  "WHERE lease_owner IS NOT NULL").rowcount)

    def source_state(self, source_id: str) -> SourceState:
        return self.poll_state(source_id)[0]

    def poll_state(self, source_id: str) -> tuple[SourceState, ScheduleState]:
        """A source's row, read once per poll: its fetch state and what the scheduler remembers."""
        row = self.db.execute("SELECT * FROM source_state WHERE source_id = ?", (source_id,)).fetchone()
        if row is None:
            raise KeyError(source_id)
        return _source_state(row), _schedule_state(row)

    def all_source_states(self) -> list[SourceState]:
        return [_source_state(r) for r in self.db.execute("SELECT * FROM source_state ORDER BY source_id")]

    def record_poll(self, source_id: str, now: datetime, status: str, decision: Decision, *,
                    etag: str | None = None, last_modified: str | None = None, new_items: int = 0,
                    error: str | None = None, warning: str | None = None,
                    reread_at: datetime | None = None) -> list[int]:
        """Store one poll of a source (`status`: ok | not_modified | error) with its scheduling
        decision, and queue the decision's notices for the admins: one UPDATE of the source's row and
        one transaction. `reread_at` (entries are still waiting) forgets the validators, so the next
        poll at that time is a plain GET a server cannot answer with 304. Returns the new notice ids."""
        state = decision.state
        columns: dict[str, object] = {
            "next_poll_at": iso(reread_at or decision.next_poll_at), "last_polled_at": iso(now),
            "consecutive_errors": state.consecutive_errors, "interval_seconds": state.interval_seconds,
            "expected_gap_seconds": state.expected_gap_seconds,
            "first_polled_at": _iso_or_none(state.first_polled_at),
            "last_new_entry_at": _iso_or_none(state.last_new_entry_at), "paused_at": _iso_or_none(state.paused_at),
            "silence_alarm_at": _iso_or_none(state.silence_alarm_at), "last_status": status,
            "last_warning": warning,
            # the poll is over: its lease too (lease_due_sources), in the same write
            "lease_owner": None, "lease_until": None}
        assignments = ["polls_total = polls_total + 1", "errors_total = errors_total + ?",
                       "items_seen = items_seen + ?"]
        values: list[object] = [int(status == "error"), new_items]
        if status == "error":
            columns |= {"last_error_at": iso(now), "last_error": error}
        else:
            columns["last_success_at"] = iso(now)
            if reread_at is not None:
                columns |= {"etag": None, "last_modified": None}
            else:  # a 304 may omit the validators: keep the ones we had
                assignments += ["etag = COALESCE(?, etag)", "last_modified = COALESCE(?, last_modified)"]
                values += [etag, last_modified]
        sql = ", ".join([f"{name} = ?" for name in columns] + assignments)
        ids: list[int] = []
        with self.transaction() as db:
            db.execute(f"UPDATE source_state SET {sql} WHERE source_id = ?",
                       [*columns.values(), *values, source_id])
            for notice in decision.notices:
                ids.append(int(db.execute("INSERT INTO admin_notices (kind, source_id, text, created_at) "
                                          "VALUES (?, ?, ?, ?) RETURNING id",
                                          (notice.kind, notice.source_id, notice.text, iso(now))).fetchone()[0]))
        return ids

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
            db.executemany("INSERT INTO seen_entries VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
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
            db.execute("INSERT INTO seen_entries VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                       (article.source_id, article.entry_key, iso(now)))
            inserted = db.execute(
                "INSERT INTO articles (source_id, entry_key, url, title, lang, published_at, text, "
                "text_origin, read_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING id",
                (article.source_id, article.entry_key, article.url, article.title, article.lang,
                 iso(article.published_at) if article.published_at else None, article.text,
                 article.text_origin, iso(now))).fetchone()
            if inserted is None:
                return []  # already stored by an earlier pass (or another worker)
            article_id = inserted[0]
            self._save_stories(db, stories, now)
            db.executemany("INSERT INTO ledger_entries (id, confirmed_at, entry) VALUES (?, ?, ?) "
                           "ON CONFLICT DO NOTHING",
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

    def prune_article_texts(self, read_before: datetime) -> int:
        """Blank the text of articles read before `read_before`; returns how many were pruned.

        The rows stay: /why reads its quotes from `claims` and the source and link from `articles`, the
        ledger lives in `ledger_entries`, and `seen_entries` keeps old entries from coming back. Only the
        page text, by far the largest column, goes (SQLite reuses the freed pages; VACUUM shrinks the file)."""
        with self.transaction() as db:
            return int(db.execute("UPDATE articles SET text = '' WHERE read_at < ? AND text != ''",
                                  (iso(read_before),)).rowcount)

    def release_stories(self, stories: Sequence[StoryRecord], alerts: Sequence[NewAlert], now: datetime) -> list[int]:
        """Save released stories and alert them (held stories whose confirmation window ran out)."""
        with self.transaction() as db:
            self._save_stories(db, stories, now)
            new_alert_ids = self._create_alerts(db, alerts, now)
            for alert_id, alert in zip(new_alert_ids, alerts, strict=False):
                db.execute("UPDATE claims SET alert_id = ? WHERE story_id = ?", (alert_id, alert.story_key))
            return new_alert_ids

    @staticmethod
    def _save_stories(db: Any, stories: Sequence[StoryRecord], now: datetime) -> None:
        for story in stories:
            db.execute(
                "INSERT INTO stories (id, company, topic, status, opened_at, updated_at, state) "
                "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET status = excluded.status, "
                "updated_at = excluded.updated_at, state = excluded.state",
                (story.id, story.company, story.topic, story.status, story.opened_at, iso(now),
                 json.dumps(story.state, ensure_ascii=False)))

    @staticmethod
    def _create_alerts(db: Any, alerts: Sequence[NewAlert], now: datetime) -> list[int]:
        created: list[int] = []
        for alert in alerts:
            row = db.execute(
                "INSERT INTO alerts (story_key, company, topic, verdict, headline, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING id",
                (alert.story_key, alert.company, alert.topic, alert.verdict, "", iso(now))).fetchone()
            if row is not None:
                created.append(row[0])
                db.execute("INSERT INTO outbox (alert_id, chat_id, next_attempt_at) "
                           "SELECT ?, chat_id, ? FROM subscribers WHERE active = 1", (row[0], iso(now)))
        return created

    def open_stories(self, since: datetime) -> list[tuple[str, dict[str, Any]]]:
        """(topic, state) of stories opened since a moment, oldest first (the story window)."""
        rows = self.db.execute("SELECT topic, state FROM stories WHERE opened_at >= ? ORDER BY opened_at, id",
                               (since.isoformat(),)).fetchall()
        return [(r["topic"], json.loads(r["state"])) for r in rows]

    def confirmed_ledger_entries(self) -> list[dict[str, Any]]:
        return [json.loads(r[0]) for r in self.db.execute("SELECT entry FROM ledger_entries ORDER BY confirmed_at, id")]

    def alert_view(self, alert_id: int) -> AlertView:
        row = self.db.execute("SELECT * FROM alerts WHERE id = ?", (alert_id,)).fetchone()
        if row is None:
            raise KeyError(alert_id)
        story = self.db.execute("SELECT state FROM stories WHERE id = ?", (row["story_key"],)).fetchone()
        quotes = self.db.execute("SELECT quote FROM claims WHERE story_id = ? GROUP BY quote ORDER BY MIN(id)",
                                 (row["story_key"],)).fetchall()
        return AlertView(
            id=row["id"], headline=row["headline"], verdict=row["verdict"], company=row["company"],
            topic=row["topic"], created_at=datetime.fromisoformat(row["created_at"]),
            quotes=tuple(q[0] for q in quotes), story=json.loads(story["state"]) if story else None)

    def alert_explanation(self, alert_id: int) -> AlertExplanation | None:
        """What /why shows: the alert and each claim behind it with its rules, figure and comparison."""
        try:
            view = self.alert_view(alert_id)
        except KeyError:
            return None
        rows = self.db.execute(
            "SELECT c.*, a.source_id, a.url FROM claims c JOIN articles a ON a.id = c.article_id "
            "WHERE c.story_id = (SELECT story_key FROM alerts WHERE id = ?) OR c.alert_id = ? ORDER BY c.id",
            (alert_id, alert_id)).fetchall()
        return AlertExplanation(view, tuple(ClaimExplanation(
            quote=r["quote"], rules=tuple(json.loads(r["rules"])), amount=r["amount"], amount_max=r["amount_max"],
            currency=r["currency"], unit=r["unit"], change_pct=r["change_pct"], period=r["period"],
            verdict=r["verdict"], assessment=json.loads(r["assessment"]), source_id=r["source_id"], url=r["url"])
            for r in rows))

    def digest_items(self, since: datetime) -> list[DigestItem]:
        """Alerts created since `since`, with their outlet count and delta against the baseline.

        The story (bot.alerts.stories) carries the facts of the line (the digest renders them), the outlets,
        and the metric/period/scope that say which alerts restate one figure; the delta is the first claim's.
        """
        rows = self.db.execute(
            "SELECT al.id, al.company, al.topic, al.verdict, al.headline, al.created_at, s.state, "
            "(SELECT c.id FROM claims c WHERE c.story_id = al.story_key OR c.alert_id = al.id "
            " ORDER BY c.id LIMIT 1) AS claim_id "
            "FROM alerts al LEFT JOIN stories s ON s.id = al.story_key WHERE al.created_at >= ? ORDER BY al.id",
            (iso(since),)).fetchall()
        items = []
        for r in rows:
            claim = self.db.execute("SELECT amount, amount_max, currency, unit, change_pct, assessment FROM claims "
                                    "WHERE id = ?", (r["claim_id"],)).fetchone() if r["claim_id"] else None
            assessment = json.loads(claim["assessment"]) if claim else {}
            figure = {k: claim[k] for k in ("amount", "amount_max", "currency", "unit", "change_pct")} if claim else {}
            story = json.loads(r["state"]) if r["state"] else {}
            delta = assessment.get("delta_pct")
            metric = story.get("metric") or assessment.get("metric")
            period = story.get("period_code") or assessment.get("period_code")
            scope = story.get("scope") or assessment.get("scope")
            outlets = {src.get("outlet") for src in story.get("sources", [])}
            items.append(DigestItem(
                alert_id=r["id"], company=r["company"], topic=r["topic"], verdict=r["verdict"],
                headline=r["headline"], story=story or None, sources=max(1, len(outlets)),
                delta_pct=float(delta) if isinstance(delta, int | float) else None,
                # without a metric, an alert only collapses with itself
                group_key=f"{r['company']}:{metric}:{scope or '-'}:{period or '-'}" if metric else f"alert:{r['id']}",
                created_at=datetime.fromisoformat(r["created_at"]), figure=figure, assessment=assessment))
        return items

    def count(self, table: str) -> int:
        if table not in {"articles", "claims", "alerts", "outbox", "subscribers", "seen_entries", "stories",
                         "ledger_entries", "messages", "invites"}:
            raise ValueError(table)
        return int(self.db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])

    # -- subscribers -----------------------------------------------------------------------------

    def subscribe(self, chat_id: int, chat_type: str, title: str | None, now: datetime, *,
                  admitted_by: str | None = None, digest_schedule: str | None = None,
                  next_digest_at: datetime | None = None) -> bool:
        """Activate a chat; returns False when it was already active. Preferences survive /stop."""
        with self.transaction() as db:
            row = db.execute("SELECT active FROM subscribers WHERE chat_id = ?", (chat_id,)).fetchone()
            if row is not None and row["active"]:
                return False
            db.execute(
                "INSERT INTO subscribers (chat_id, chat_type, title, active, subscribed_at, updated_at, admitted_by, "
                "digest_schedule, next_digest_at) VALUES (?, ?, ?, 1, ?, ?, ?, ?, ?) "
                "ON CONFLICT(chat_id) DO UPDATE SET active = 1, updated_at = excluded.updated_at, "
                "chat_type = excluded.chat_type, title = COALESCE(excluded.title, subscribers.title), "
                "admitted_by = COALESCE(excluded.admitted_by, subscribers.admitted_by), "
                "digest_schedule = COALESCE(subscribers.digest_schedule, excluded.digest_schedule), "
                "next_digest_at = CASE WHEN COALESCE(subscribers.digest_schedule, excluded.digest_schedule) = 'off' "
                "THEN NULL ELSE COALESCE(excluded.next_digest_at, subscribers.next_digest_at) END",
                (chat_id, chat_type, title, iso(now), iso(now), admitted_by, digest_schedule,
                 iso(next_digest_at) if next_digest_at else None))
            return True

    def unsubscribe(self, chat_id: int, now: datetime) -> bool:
        """Deactivate a chat and drop its undelivered alerts; returns False if it was not active."""
        with self.transaction() as db:
            cur = db.execute("UPDATE subscribers SET active = 0, updated_at = ? WHERE chat_id = ? AND active = 1",
                             (iso(now), chat_id))
            db.execute("UPDATE outbox SET status = 'cancelled' WHERE chat_id = ? AND status = 'pending'",
                       (chat_id,))
            db.execute("UPDATE messages SET status = 'cancelled' WHERE chat_id = ? AND status = 'pending'",
                       (chat_id,))
            return bool(cur.rowcount > 0)

    def forget_chat(self, chat_id: int) -> bool:
        """Delete everything the bot keeps about a chat (/forget); returns False if it knew nothing."""
        with self.transaction() as db:
            db.execute("DELETE FROM outbox WHERE chat_id = ?", (chat_id,))
            db.execute("DELETE FROM messages WHERE chat_id = ?", (chat_id,))
            db.execute("UPDATE invites SET used_by_chat = NULL WHERE used_by_chat = ?", (chat_id,))
            return bool(db.execute("DELETE FROM subscribers WHERE chat_id = ?", (chat_id,)).rowcount > 0)

    def active_chats(self) -> list[int]:
        return [r[0] for r in self.db.execute("SELECT chat_id FROM subscribers WHERE active = 1 ORDER BY chat_id")]

    def subscriber(self, chat_id: int) -> Subscriber | None:
        row = self.db.execute("SELECT * FROM subscribers WHERE chat_id = ?", (chat_id,)).fetchone()
        return None if row is None else _subscriber(row)

    def set_preferences(self, chat_id: int, prefs: Preferences, now: datetime) -> None:
        companies, topics, level = prefs.to_columns()
        with self.transaction() as db:
            db.execute("UPDATE subscribers SET companies = ?, topics = ?, level = ?, updated_at = ? WHERE chat_id = ?",
                       (companies, topics, level, iso(now), chat_id))

    def set_digest_schedule(self, chat_id: int, schedule_text: str, next_digest_at: datetime | None,
                            now: datetime) -> None:
        with self.transaction() as db:
            db.execute("UPDATE subscribers SET digest_schedule = ?, next_digest_at = ?, updated_at = ? "
                       "WHERE chat_id = ?",
                       (schedule_text, iso(next_digest_at) if next_digest_at else None, iso(now), chat_id))

    def due_digests(self, now: datetime) -> list[Subscriber]:
        """Active chats whose weekly digest time has come (a slot missed while the bot was down counts once)."""
        rows = self.db.execute("SELECT * FROM subscribers WHERE active = 1 AND next_digest_at IS NOT NULL "
                               "AND next_digest_at <= ? AND chat_id != ? ORDER BY next_digest_at",
                               (iso(now), CONSOLE_CHAT_ID)).fetchall()
        return [_subscriber(r) for r in rows]

    def queue_digest(self, chat_id: int, due_at: datetime, next_digest_at: datetime | None, html: str,
                     photo: bytes | None, caption: str | None, now: datetime) -> bool:
        """Queue a scheduled digest and move the chat's schedule on, atomically; False if another pass did."""
        with self.transaction() as db:
            moved = db.execute("UPDATE subscribers SET next_digest_at = ? WHERE chat_id = ? AND next_digest_at = ?",
                               (iso(next_digest_at) if next_digest_at else None, chat_id, iso(due_at))).rowcount
            if not moved:
                return False
            db.execute("INSERT INTO messages (chat_id, kind, html, photo, caption, next_attempt_at, created_at) "
                       "VALUES (?, 'digest', ?, ?, ?, ?, ?)", (chat_id, html, photo, caption, iso(now), iso(now)))
            return True

    # -- access ----------------------------------------------------------------------------------

    def create_invite(self, code: str, created_by: int, now: datetime, expires_at: datetime) -> None:
        with self.transaction() as db:
            db.execute("INSERT INTO invites (code, created_by, created_at, expires_at) VALUES (?, ?, ?, ?)",
                       (code, created_by, iso(now), iso(expires_at)))

    def redeem_invite(self, code: str, chat_id: int, now: datetime) -> bool:
        """Use a one-time code for this chat; False if it is unknown, used or expired."""
        with self.transaction() as db:
            return bool(db.execute("UPDATE invites SET used_by_chat = ?, used_at = ? WHERE code = ? "
                                   "AND used_at IS NULL AND expires_at > ?",
                                   (chat_id, iso(now), code, iso(now))).rowcount > 0)

    def open_invites(self, now: datetime) -> int:
        return int(self.db.execute("SELECT COUNT(*) FROM invites WHERE used_at IS NULL AND expires_at > ?",
                                   (iso(now),)).fetchone()[0])

    def allow_chat(self, chat_id: int, allowed_by: int, now: datetime) -> None:
        with self.transaction() as db:
            db.execute("INSERT INTO allowed_chats VALUES (?, ?, ?) ON CONFLICT (chat_id) DO UPDATE SET "
                       "allowed_by = excluded.allowed_by, allowed_at = excluded.allowed_at",
                       (chat_id, allowed_by, iso(now)))

    def is_allowed(self, chat_id: int) -> bool:
        return self.db.execute("SELECT 1 FROM allowed_chats WHERE chat_id = ?", (chat_id,)).fetchone() is not None

    def revoke_chat(self, chat_id: int, now: datetime) -> bool:
        """Take a chat's access away: no longer allowed, unsubscribed, and it needs a new invite to return."""
        self.unsubscribe(chat_id, now)
        with self.transaction() as db:
            allowed = db.execute("DELETE FROM allowed_chats WHERE chat_id = ?", (chat_id,)).rowcount
            admitted = db.execute("UPDATE subscribers SET admitted_by = NULL WHERE chat_id = ? "
                                  "AND admitted_by IS NOT NULL", (chat_id,)).rowcount
            return bool(allowed or admitted)

    def stats(self, now: datetime, since: datetime) -> dict[str, int]:
        """Counts for /stats."""
        one = self.db.execute
        counts = {
            "active_private": one("SELECT COUNT(*) FROM subscribers WHERE active = 1 AND chat_type = 'private'"),
            "active_groups": one("SELECT COUNT(*) FROM subscribers WHERE active = 1 "
                                 "AND chat_type IN ('group', 'supergroup')"),
            "active_channels": one("SELECT COUNT(*) FROM subscribers WHERE active = 1 AND chat_type = 'channel'"),
            "inactive": one("SELECT COUNT(*) FROM subscribers WHERE active = 0"),
            "alerts_recent": one("SELECT COUNT(*) FROM alerts WHERE created_at >= ?", (iso(since),)),
            "messages_sent_recent": one("SELECT COUNT(*) FROM messages WHERE status = 'sent' AND sent_at >= ?",
                                        (iso(since),)),
            "messages_pending": one("SELECT COUNT(*) FROM messages WHERE status = 'pending'"),
            "messages_failed": one("SELECT COUNT(*) FROM messages WHERE status = 'failed'"),
            "outbox_waiting": one("SELECT COUNT(*) FROM outbox WHERE status = 'pending' AND message_id IS NULL"),
            "open_invites": one("SELECT COUNT(*) FROM invites WHERE used_at IS NULL AND expires_at > ?",
                                (iso(now),)),
        }
        return {k: int(cur.fetchone()[0]) for k, cur in counts.items()}

    # -- outbox ----------------------------------------------------------------------------------

    def deactivate_chat(self, chat_id: int, now: datetime) -> None:
        """The chat blocked or removed the bot: stop sending there."""
        self.unsubscribe(chat_id, now)

    def migrate_chat(self, old_chat_id: int, new_chat_id: int) -> None:
        """A group became a supergroup: its id changed, its subscription and queue follow."""
        with self.transaction() as db:
            # the old chat's row wins over one the new id may already have (it holds the choices)
            db.execute("DELETE FROM subscribers WHERE chat_id = ? AND EXISTS "
                       "(SELECT 1 FROM subscribers WHERE chat_id = ?)", (new_chat_id, old_chat_id))
            db.execute("UPDATE subscribers SET chat_id = ?, chat_type = 'supergroup' WHERE chat_id = ?",
                       (new_chat_id, old_chat_id))
            # an alert already queued for the new id stays queued once
            db.execute("UPDATE outbox SET chat_id = ? WHERE chat_id = ? AND alert_id NOT IN "
                       "(SELECT alert_id FROM outbox WHERE chat_id = ?)", (new_chat_id, old_chat_id, new_chat_id))
            db.execute("UPDATE messages SET chat_id = ? WHERE chat_id = ?", (new_chat_id, old_chat_id))
            db.execute("UPDATE allowed_chats SET chat_id = ? WHERE chat_id = ? AND NOT EXISTS "
                       "(SELECT 1 FROM allowed_chats WHERE chat_id = ?)", (new_chat_id, old_chat_id, new_chat_id))

    # -- messages (coalesced alerts and digests, sent part by part) --------------------------------

    def chats_to_compose(self, now: datetime) -> list[int]:
        """Chats with alerts waiting for a message and no message in flight (its order is kept)."""
        rows = self.db.execute(
            "SELECT DISTINCT o.chat_id FROM outbox o WHERE o.status = 'pending' AND o.message_id IS NULL "
            "AND o.next_attempt_at <= ? AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.chat_id = o.chat_id "
            "AND m.status = 'pending') ORDER BY o.chat_id", (iso(now),)).fetchall()
        return [r[0] for r in rows]

    def pending_alerts(self, chat_id: int, limit: int) -> list[PendingAlert]:
        rows = self.db.execute(
            "SELECT o.id, o.alert_id, a.company, a.topic, a.verdict FROM outbox o JOIN alerts a ON a.id = o.alert_id "
            "WHERE o.chat_id = ? AND o.status = 'pending' AND o.message_id IS NULL ORDER BY o.id LIMIT ?",
            (chat_id, limit)).fetchall()
        return [PendingAlert(r[0], r[1], r[2], r[3], r[4]) for r in rows]

    def compose_message(self, chat_id: int, html: str | None, outbox_ids: Sequence[int],
                        filtered_ids: Sequence[int], now: datetime) -> int | None:
        """One message for these outbox rows (None: all filtered out, or another worker composed them
        first); rows the chat does not want are skipped.

        Atomic against a second worker on the same database: the rows are taken only while they are
        still unassigned and the chat has no message in flight, else nothing is written."""
        try:
            with self.transaction() as db:
                db.executemany("UPDATE outbox SET status = 'skipped' WHERE id = ? AND status = 'pending' "
                               "AND message_id IS NULL", [(i,) for i in filtered_ids])
                if html is None or not outbox_ids:
                    return None
                if db.execute("SELECT 1 FROM messages WHERE chat_id = ? AND status = 'pending'",
                              (chat_id,)).fetchone():
                    return None  # another worker composed this chat's message since we looked
                message_id = int(db.execute("INSERT INTO messages (chat_id, kind, html, next_attempt_at, "
                                            "created_at) VALUES (?, 'alerts', ?, ?, ?) RETURNING id",
                                            (chat_id, html, iso(now), iso(now))).fetchone()[0])
                taken = sum(db.execute("UPDATE outbox SET message_id = ? WHERE id = ? AND message_id IS NULL "
                                       "AND status = 'pending'", (message_id, i)).rowcount for i in outbox_ids)
                if taken != len(outbox_ids):
                    raise _Lost  # rolls the message back: its rows went to another worker's message
                return message_id
        except _Lost:
            return None

    def due_messages(self, now: datetime, limit: int = 200) -> list[QueuedMessage]:
        """Pending messages whose time has come, leased or not (for reports; senders use claim_messages)."""
        rows = self.db.execute(
            f"SELECT {_MESSAGE_COLUMNS} FROM messages "
            "WHERE status = 'pending' AND next_attempt_at <= ? ORDER BY id LIMIT ?", (iso(now), limit)).fetchall()
        return [QueuedMessage(*r) for r in rows]

    def claim_messages(self, owner: str, now: datetime, lease: timedelta, limit: int = 200) -> list[QueuedMessage]:
        """Lease the due messages nobody else holds to `owner` until now + lease, atomically.

        A message leased by another live worker is not returned, so two processes or workers on one
        database never send the same message; a lease that ran out (its worker died) is taken over.
        The owner keeps its own leases across passes (a long message sent part by part)."""
        # One statement, as for sources (lease_due_sources): on PostgreSQL, SKIP LOCKED hands each row
        # to one of two senders claiming at the same moment; SQLite admits one writer at a time.
        lock = dialect.skip_locked(self.postgres)
        with self.transaction() as db:
            rows = db.execute(
                "UPDATE messages SET lease_owner = ?, lease_until = ? WHERE id IN (SELECT id FROM messages "
                "WHERE status = 'pending' AND next_attempt_at <= ? "
                f"AND (lease_owner IS NULL OR lease_owner = ? OR lease_until <= ?) ORDER BY id LIMIT ?{lock}) "
                f"RETURNING {_MESSAGE_COLUMNS}",
                (owner, iso(now + lease), iso(now), owner, iso(now), limit)).fetchall()
        return [QueuedMessage(*r) for r in sorted(rows, key=lambda r: int(r[0]))]

    def release_leases(self, owner: str | None) -> int:
        """Hand leased messages back: a worker's own when it stops cleanly (`owner`), or every lease
        (None) at start-up, when the instance lock proves no other process uses this database."""
        with self.transaction() as db:
            if owner is None:
                return int(db.execute("UPDATE messages SET lease_owner = NULL, lease_until = NULL "
                                      "WHERE lease_owner IS NOT NULL").rowcount)
            return int(db.execute("UPDATE messages SET lease_owner = NULL, lease_until = NULL "
                                  "WHERE lease_owner = ?", (owner,)).rowcount)

    def mark_part_sent(self, message_id: int, parts_sent: int, finished: bool, now: datetime,
                       telegram_id: int | None = None) -> None:
        """Telegram accepted one more part; the last one marks the message and its alerts sent.

        `telegram_id` is the id Telegram gave the part, kept (one per part) so the message can be edited."""
        with self.transaction() as db:
            row = db.execute("SELECT telegram_ids FROM messages WHERE id = ?", (message_id,)).fetchone()
            ids = json.loads(row[0]) if row and row[0] else []
            ids = [*(ids + [None] * parts_sent)[:parts_sent - 1], telegram_id]
            db.execute("UPDATE messages SET parts_sent = ?, status = ?, sent_at = ?, last_error = NULL, "
                       "lease_owner = CASE WHEN ? THEN NULL ELSE lease_owner END, telegram_ids = ? WHERE id = ?",
                       (parts_sent, "sent" if finished else "pending", iso(now) if finished else None, finished,
                        json.dumps(ids), message_id))
            if finished:
                db.execute("UPDATE outbox SET status = 'sent', sent_at = ?, attempts = attempts + 1 "
                           "WHERE message_id = ?", (iso(now), message_id))

    def messages_to_refresh(self, since: datetime, limit: int = 50) -> list[SentAlertMessage]:
        """Alert messages sent since `since` (to Telegram, with their part ids) whose story changed after
        they were sent or last refreshed, and whose edit never failed: candidates for an edit in place.
        Timestamps have whole seconds, so a story saved in the same second counts as changed (a message
        that reads the same is only marked refreshed)."""
        rows = self.db.execute(
            "SELECT m.id, m.chat_id, m.html, m.telegram_ids FROM messages m WHERE m.kind = 'alerts' "
            "AND m.status = 'sent' AND m.sent_at >= ? AND m.telegram_ids IS NOT NULL AND m.edit_error IS NULL "
            "AND EXISTS (SELECT 1 FROM outbox o JOIN alerts al ON al.id = o.alert_id "
            "            JOIN stories s ON s.id = al.story_key "
            "            WHERE o.message_id = m.id AND s.updated_at >= COALESCE(m.refreshed_at, m.sent_at)) "
            "ORDER BY m.id LIMIT ?", (iso(since), limit)).fetchall()
        found = []
        for r in rows:
            alert_ids = [a[0] for a in self.db.execute(
                "SELECT alert_id FROM outbox WHERE message_id = ? ORDER BY id", (r["id"],))]
            found.append(SentAlertMessage(r["id"], r["chat_id"], r["html"], tuple(json.loads(r["telegram_ids"])),
                                          tuple(alert_ids)))
        return found

    def mark_refreshed(self, message_id: int, html: str, now: datetime, error: str | None = None) -> None:
        """The message now shows `html` (or, with `error`, its edit failed and is not tried again)."""
        with self.transaction() as db:
            db.execute("UPDATE messages SET html = ?, refreshed_at = ?, edit_error = ? WHERE id = ?",
                       (html, iso(now), error, message_id))

    def retry_message(self, message_id: int, next_attempt_at: datetime, error: str) -> None:
        with self.transaction() as db:
            # the lease ends with the attempt: whichever worker is free when it is due takes it
            db.execute("UPDATE messages SET attempts = attempts + 1, next_attempt_at = ?, last_error = ?, "
                       "lease_owner = NULL, lease_until = NULL WHERE id = ?",
                       (iso(next_attempt_at), error, message_id))

    def fail_message(self, message_id: int, error: str) -> None:
        with self.transaction() as db:
            db.execute("UPDATE messages SET status = 'failed', attempts = attempts + 1, last_error = ?, "
                       "lease_owner = NULL, lease_until = NULL WHERE id = ?", (error, message_id))
            db.execute("UPDATE outbox SET status = 'failed', last_error = ? WHERE message_id = ?",
                       (error, message_id))

    def message_counts(self) -> dict[str, int]:
        return {r[0]: r[1] for r in self.db.execute("SELECT status, COUNT(*) FROM messages GROUP BY status")}

    def delivery_counts(self) -> dict[str, int]:
        return {r[0]: r[1] for r in self.db.execute("SELECT status, COUNT(*) FROM outbox GROUP BY status")}


    # -- operations: schedule, admin notices, crash recovery, metrics (bot/ingest/schedule.py decides) ----

    def schedule_state(self, source_id: str) -> ScheduleState:
        return self.poll_state(source_id)[1]

    def resume_source(self, source_id: str, now: datetime) -> bool:
        """Un-pause a source by hand and make it due now; False if it was not paused."""
        with self.transaction() as db:
            cur = db.execute("UPDATE source_state SET paused_at = NULL, consecutive_errors = 0, next_poll_at = ? "
                             "WHERE source_id = ? AND paused_at IS NOT NULL", (iso(now), source_id))
            return bool(cur.rowcount > 0)

    def pending_admin_notices(self) -> list[AdminNotice]:
        rows = self.db.execute("SELECT id, kind, source_id, text, created_at FROM admin_notices "
                               "WHERE delivered_at IS NULL ORDER BY id").fetchall()
        return [AdminNotice(r["id"], r["kind"], r["source_id"], r["text"], datetime.fromisoformat(r["created_at"]))
                for r in rows]

    def mark_admin_notice_delivered(self, notice_id: int, now: datetime) -> None:
        with self.transaction() as db:
            db.execute("UPDATE admin_notices SET delivered_at = ? WHERE id = ?", (iso(now), notice_id))

    def mark_part_sending(self, message_id: int, part: int, attempt: int, owner: str | None = None,
                          lease_until: datetime | None = None) -> bool:
        """Committed just before part `part` of a message goes to Telegram. If the process dies before
        mark_part_sent (parts_sent > part) or retry/fail (attempts > attempt), that send is in doubt.

        With `owner`: only while that worker still holds the message's lease (renewed to `lease_until`);
        False means another worker took it over, and the part must not be sent."""
        with self.transaction() as db:
            if owner is None:
                db.execute("UPDATE messages SET sending_part = ?, sending_attempt = ? WHERE id = ?",
                           (part, attempt, message_id))
                return True
            return bool(db.execute(
                "UPDATE messages SET sending_part = ?, sending_attempt = ?, lease_until = ? "
                "WHERE id = ? AND lease_owner = ? AND status = 'pending' AND parts_sent = ? AND attempts = ?",
                (part, attempt, _iso_or_none(lease_until), message_id, owner, part, attempt)).rowcount == 1)

    _IN_DOUBT = ("status = 'pending' AND sending_part IS NOT NULL AND parts_sent <= sending_part "
                 "AND attempts = sending_attempt")

    def in_doubt_messages(self) -> list[tuple[int, int, int]]:
        """(message id, chat id, part) of sends a crash cut short: Telegram may or may not have that
        part. It is sent again (a lost alert is worse than a repeated one)."""
        return [(r[0], r[1], r[2]) for r in self.db.execute(
            f"SELECT id, chat_id, sending_part FROM messages WHERE {self._IN_DOUBT} ORDER BY id")]

    def settle_in_doubt(self) -> int:
        """At start-up, after reporting them: forget the in-doubt marks, so each is reported once."""
        with self.transaction() as db:
            return int(db.execute(f"UPDATE messages SET sending_part = NULL WHERE {self._IN_DOUBT}").rowcount)

    def source_overview(self) -> list[dict[str, Any]]:
        """One dict per source row, every column: for metrics and status tables."""
        return [dict(r) for r in self.db.execute("SELECT * FROM source_state ORDER BY source_id")]


# Every table, parents before children (foreign keys); schema_version is not data.
TABLES = ("source_state", "seen_entries", "articles", "alerts", "stories", "claims", "ledger_entries", "subscribers",
          "messages", "outbox", "invites", "allowed_chats", "admin_notices")
COPY_BATCH = 2000


def copy_database(source: Store, destination: Store) -> dict[str, int]:
    """Every row of `source` into the empty database `destination` (same schema version), ids kept, in
    one transaction; then each table's row count is compared. Returns the rows per table."""
    if source.schema_version != destination.schema_version:
        raise StoreError(f"schema versions differ ({source.schema_version} vs {destination.schema_version})")
    busy = [t for t in TABLES if destination.db.execute(f"SELECT 1 FROM {t} LIMIT 1").fetchone() is not None]
    if busy:
        raise StoreError(f"{destination.target} is not empty (rows in {', '.join(busy)}); copy into a new database")
    counts: dict[str, int] = {}
    with destination.transaction() as db:
        for table in TABLES:
            columns = [d[0] for d in source.db.execute(f"SELECT * FROM {table} LIMIT 0").description]
            insert = (f"INSERT INTO {table} ({', '.join(columns)}) "
                      f"VALUES ({', '.join('?' * len(columns))})")
            order = "id" if "id" in columns else columns[0]
            cursor = source.db.execute(f"SELECT * FROM {table} ORDER BY {order}")
            counts[table] = 0
            numeric_ids = False
            while rows := cursor.fetchmany(COPY_BATCH):  # batches: an installation's articles need not fit in memory
                db.executemany(insert, [tuple(r) for r in rows])
                counts[table] += len(rows)
                numeric_ids = "id" in columns and isinstance(rows[0]["id"], int)
            if destination.postgres and numeric_ids:
                # identity columns go on after the copied ids, not from 1
                db.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))")
    for table in TABLES:
        copied = int(destination.db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])
        if copied != counts[table]:
            raise StoreError(f"{table}: {counts[table]} rows in the source but {copied} in the copy")
    return counts


def _connect_postgres(url: str) -> Any:
    try:
        return dialect.PgConnection(url)
    except ImportError:
        raise StoreError(f"BOT_DB={dialect.redact(url)} needs the psycopg package: "
                         "pip install 'psycopg[binary,pool]'") from None
    except ConnectionError as exc:
        raise StoreError(str(exc)) from None


def _lock_key(name: str) -> int:
    """A stable 32-bit key for PostgreSQL's advisory locks (hash() changes between processes)."""
    return zlib.crc32(name.encode())


_MESSAGE_COLUMNS = "id, chat_id, kind, html, photo, caption, parts_sent, attempts"


class _Lost(Exception):
    """Raised inside a transaction to roll it back when another worker got there first."""


def _iso_or_none(moment: datetime | None) -> str | None:
    return iso(moment) if moment is not None else None


def _subscriber(row: Any) -> Subscriber:
    return Subscriber(
        chat_id=row["chat_id"], chat_type=row["chat_type"], title=row["title"], active=bool(row["active"]),
        preferences=Preferences.from_columns(row["companies"], row["topics"], row["level"]),
        admitted_by=row["admitted_by"], digest_schedule=row["digest_schedule"],
        next_digest_at=parse_iso(row["next_digest_at"]))


def _schedule_state(row: Any) -> ScheduleState:
    return ScheduleState(
        consecutive_errors=row["consecutive_errors"], interval_seconds=row["interval_seconds"],
        expected_gap_seconds=row["expected_gap_seconds"], first_polled_at=parse_iso(row["first_polled_at"]),
        last_new_entry_at=parse_iso(row["last_new_entry_at"]), paused_at=parse_iso(row["paused_at"]),
        silence_alarm_at=parse_iso(row["silence_alarm_at"]))


def _source_state(row: Any) -> SourceState:
    return SourceState(
        source_id=row["source_id"], etag=row["etag"], last_modified=row["last_modified"],
        next_poll_at=datetime.fromisoformat(row["next_poll_at"]),
        first_polled_at=parse_iso(row["first_polled_at"]), last_polled_at=parse_iso(row["last_polled_at"]),
        last_success_at=parse_iso(row["last_success_at"]), last_error_at=parse_iso(row["last_error_at"]),
        last_error=row["last_error"], consecutive_errors=row["consecutive_errors"], items_seen=row["items_seen"])
