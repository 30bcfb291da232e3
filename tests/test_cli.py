"""The command line as a user types it: answers and error messages, no tracebacks."""

import json
from datetime import UTC, datetime

import pytest

from bot.model.records import ArticleRecord
from bot.store.database import Store
from tests.support.process import cli_env, run_cli

pytestmark = pytest.mark.slow  # every test here starts `python -m bot`

run = run_cli


def test_claims_prints_json_lines_for_an_invented_article(tmp_path):
    path = tmp_path / "a.json"
    path.write_text(json.dumps({
        "id": "x1", "url": "https://news.example/x1", "publisher": "Example", "date": "2026-11-02", "lang": "en",
        "title": "Microsoft widens its data-centre build-out",
        "text": "Microsoft said it will spend $12 billion on new data centres in Spain over the next five years."}))
    done = run("claims", str(path), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    # The data centres at a named place are a cloud footprint beside the money (R8).
    footprint, claim = [json.loads(line) for line in done.stdout.splitlines()]
    assert (footprint["company"], footprint["topic"], footprint["amount"]) == ("microsoft", "cloud", None)
    assert (claim["id"], claim["company"], claim["topic"], claim["amount"], claim["currency"]) == (
        "x1", "microsoft", "capex", 12e9, "USD")
    compared = run("claims", "--compare", str(path), cwd=tmp_path)
    [verdict] = [line for line in map(json.loads, compared.stdout.splitlines()) if line["topic"] == "capex"]
    # a multi-year plan for one country: nothing in the Apsara ledger to compare it with
    assert (verdict["verdict"], verdict["baseline_id"]) == ("new", None)


def test_claims_compare_reads_the_baseline(tmp_path):
    path = tmp_path / "b.json"
    path.write_text(json.dumps({
        "id": "x2", "url": "https://news.example/x2", "publisher": "Example", "date": "2025-10-29", "lang": "en",
        "title": "Alphabet lifts its spending plan",
        "text": "Alphabet said it now expects capital expenditures of between $91 billion and $93 billion in 2025."}))
    done = run("claims", "--compare", str(path), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    [verdict] = [json.loads(line) for line in done.stdout.splitlines()]
    assert (verdict["company"], verdict["verdict"], verdict["baseline_value"]) == ("google", "raised", 85e9)
    assert verdict["delta_pct"] > 0


def test_claims_explains_bad_input_in_one_line(tmp_path):
    (tmp_path / "bad.json").write_text("{not json")
    done = run("claims", str(tmp_path / "bad.json"), str(tmp_path / "missing.json"), cwd=tmp_path)
    assert done.returncode != 0
    assert "bad.json is not JSON" in done.stderr and "Traceback" not in done.stderr


def test_bad_sources_file_stops_the_start_with_the_source_and_field(tmp_path):
    (tmp_path / "sources.yaml").write_text(
        "sources:\n  - {id: wire, name: Wire, url: 'https://w.example/rss', lang: en, kind: press, poll_minutes: 0}\n")
    done = run("once", "--sources", str(tmp_path / "sources.yaml"), "--db", str(tmp_path / "db.sqlite3"), cwd=tmp_path)
    assert done.returncode == 2
    assert "wire" in done.stderr and "poll_minutes" in done.stderr and "Traceback" not in done.stderr


def test_a_database_from_a_newer_bot_is_refused_clearly(tmp_path):
    db = tmp_path / "db.sqlite3"
    Store(db).close()
    import sqlite3

    raw = sqlite3.connect(db)
    raw.execute("PRAGMA user_version = 999")
    raw.close()
    (tmp_path / "sources.yaml").write_text(  # a valid file: the database is what is wrong
        "sources:\n  - {id: wire, name: Wire, url: 'http://127.0.0.1:9/rss', lang: en, kind: press, "
        "poll_minutes: 30, enabled: false}\n")
    done = run("once", "--db", str(db), cwd=tmp_path)
    assert done.returncode == 2
    assert "newer version" in done.stderr and "Traceback" not in done.stderr


def test_baseline_show_includes_statements_confirmed_since(tmp_path):
    db = tmp_path / "db.sqlite3"
    entry = {"id": "google-st-abc", "company": "google", "topic": "capex", "metric": "capex_guidance_annual",
             "period": "CY2026", "value": 1.8e11, "currency": "USD", "stated_on": "2026-11-01",
             "source_url": "https://news.example/g", "confidence": "H", "summary": "Alphabet guides 2026 capex"}
    with Store(db) as store:
        article = ArticleRecord("wire", "e1", None, None, "en", None, "text", "page")
        store.record_article(article, [], [], datetime.now(UTC), ledger_entries=[(entry["id"], entry)])
    done = run("baseline", "show", "--company", "google", "--db", str(db), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "google-st-abc" in done.stdout and "$180 bn" in done.stdout
    plain = run("baseline", "show", "--company", "google", "--db", str(tmp_path / "none.sqlite3"), cwd=tmp_path)
    assert "google-st-abc" not in plain.stdout


def test_errors_a_user_causes_are_reported_once_under_the_command_without_a_traceback(tmp_path):
    unknown = run("baseline", "history", "no_such_metric", cwd=tmp_path)
    assert unknown.returncode == 1 and unknown.stderr.startswith("baseline: unknown metric 'no_such_metric'; one of:")
    missing = run("sources", "resume", "--sources", str(tmp_path / "none.yaml"), cwd=tmp_path)
    assert (missing.returncode, missing.stderr) == (1, "sources resume: give a source id\n")
    bad_setting = run("baseline", "show", env=cli_env(BOT_TICK_SECONDS="soon"), cwd=tmp_path)
    assert bad_setting.returncode == 2 and bad_setting.stderr.startswith("configuration error: BOT_TICK_SECONDS")
