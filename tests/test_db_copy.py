"""Moving an installation: `python -m bot db copy` from a SQLite file to a real PostgreSQL server, and
the roles that need PostgreSQL refusing a SQLite file with the reason."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.cli import main
from bot.model.records import ArticleRecord, ClaimRecord, NewAlert, StoredClaim, StoryRecord
from bot.store.database import TABLES, Store

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def article(key: str) -> ArticleRecord:
    return ArticleRecord(source_id="wire", entry_key=key, url=f"https://news.example/{key}", title="T",
                         lang="en", published_at=NOW, text="Body.", text_origin="page")


def installation(path) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """A SQLite file with a row or more in the tables a running bot fills."""
    with Store(path) as store:
        store.ensure_sources(["wire", "blog"], NOW)
        store.subscribe(-1001234567890, "supergroup", "Desk", NOW)
        store.create_invite("code", 42, NOW, NOW)
        store.allow_chat(7, 42, NOW)
        claim = StoredClaim(company="google", topic="capex", amount=9.1e10, amount_max=None, currency="USD",
                            unit=None, change_pct=None, period="2026", quote="Alphabet now expects $91 billion.",
                            rules=("en.money",), verdict="raised", assessment={"verdict": "raised"})
        story = StoryRecord(id="st-1", company="google", topic="capex", status="alerted", opened_at=NOW.isoformat(),
                            state={"id": "st-1"})
        for key in ("e1", "e2", "e3"):
            store.record_article(article(key), [ClaimRecord(claim, "st-1")], [NewAlert("st-1", "google", "capex",
                                 "raised")], NOW, stories=[story], ledger_entries=[("google-st-1", {"id": "x"})])
        [pending] = store.pending_alerts(-1001234567890, 10)
        store.compose_message(-1001234567890, "<b>html</b>", [pending.outbox_id], [], NOW)
        return {t: store.db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in TABLES}


def test_db_copy_moves_every_row_to_postgresql(tmp_path, pg_url, capsys):
    counts = installation(tmp_path / "old.sqlite3")
    assert main(["db", "copy", "--from", f"sqlite:///{tmp_path / 'old.sqlite3'}", "--to", pg_url]) == 0
    out = capsys.readouterr().out
    assert "articles" in out and "every table's row count matches" in out
    with Store(pg_url) as store:
        assert {t: store.db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in TABLES} == counts
        assert store.subscriber(-1001234567890) is not None
        # ids go on after the copied ones
        store.record_article(article("e4"), [], [], NOW)
        assert store.db.execute("SELECT MAX(id) FROM articles").fetchone()[0] == 4
    # a second copy would mix two installations: refused, with the reason
    assert main(["db", "copy", "--from", str(tmp_path / "old.sqlite3"), "--to", pg_url]) == 1
    assert "is not empty (rows in source_state" in capsys.readouterr().err


def test_db_copy_says_when_the_server_cannot_be_reached(tmp_path, capsys):
    installation(tmp_path / "old.sqlite3")
    url = f"postgresql://nobody:s3cret@/capex?host={tmp_path}&connect_timeout=2"
    assert main(["db", "copy", "--from", str(tmp_path / "old.sqlite3"), "--to", url]) == 1
    err = capsys.readouterr().err
    assert err.startswith("db copy: cannot connect to PostgreSQL at postgresql://nobody:***@/capex")
    assert "s3cret" not in err


def test_worker_and_serve_refuse_a_sqlite_file(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("BOT_DB", str(tmp_path / "bot.sqlite3"))
    for role in ("worker", "serve"):
        assert main([role]) == 2
        err = capsys.readouterr().err
        assert f"python -m bot {role} shares the database with other processes, which needs PostgreSQL" in err
        assert not (tmp_path / "bot.sqlite3").exists()
