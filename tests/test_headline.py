"""headline(): the one-line alert text."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime

import pytest

from bot.alerts.stories import Duplicate, Story, decide, source_ref
from bot.analysis.compare import assess
from bot.delivery.headline import format_figure, headline, headline_of, story_line
from bot.ledger.entries import Ledger, load_ledger
from bot.model import Claim


@pytest.fixture(scope="module")
def ledger() -> Ledger:
    return load_ledger()


def test_the_issue_example(ledger: Ledger) -> None:
    c = Claim("a", "google", "capex", "Alphabet now sees 2025 capex of $91 billion to $93 billion.", 91e9,
              93e9, "USD", None, None, "2025")
    text = headline(assess(c, ledger, "2025-10-30"), sources=3)
    assert text == ("Alphabet 2025 capex guidance raised: $85 bn → $91–93 bn (+8 %) · Apsara baseline $85 bn"
                    " · 3 sources")


def test_restatement_in_another_currency_shows_the_conversion(ledger: Ledger) -> None:
    c = Claim("a", "alibaba", "capex", "Alibaba will invest US$53 billion over the next three years.", 53e9,
              None, "USD", None, None, "next three years")
    text = headline(assess(c, ledger, "2025-10-01"), ledger=ledger)
    assert text.startswith("Alibaba 3-year capex plan restated: $53 bn (≈ RMB 377 bn)")
    assert text.endswith("· 1 source")


def test_qualitative_and_unconfirmed(ledger: Ledger) -> None:
    c = Claim("a", "microsoft", "capex", "Microsoft said capex growth in fiscal 2026 will be higher than "
              "last year.", None, None, None, None, None, "FY2026")
    text = headline(assess(c, ledger, "2025-10-30"), sources=1, unconfirmed=True)
    assert text == ("Microsoft FY2026 capex guidance raised: slowing → rising · Apsara baseline slowing (no figure) · "
                    "1 source · unconfirmed")


def test_a_new_quarter_says_what_it_moved_from(ledger: Ledger) -> None:
    revenue = Claim("a", "google", "cloud", "Google Cloud revenue rose 34% to $15.2 billion.", 15.2e9, None,
                    "USD", None, 34, "Q3 2025")
    assert headline(assess(revenue, ledger, "2025-10-30"), sources=2) == (
        "Google Cloud Q3 2025 revenue: $15.2 bn (+34 % YoY) · up 12 % on Q2 2025 ($13.6 bn) · "
        "Apsara baseline (Q2 2025) $13.6 bn · 2 sources")
    alibaba = Claim("a", "alibaba", "cloud", "Alibaba Cloud revenue grew 34% to 39.8 billion yuan.", 39.8e9,
                    None, "CNY", None, 34, "September quarter")
    assert headline(assess(alibaba, ledger, "2025-11-25"), sources=3) == (
        "Alibaba Q2 FY2026 cloud revenue: RMB 39.8 bn (+34 % YoY) · up 19 % on Q1 FY2026 (RMB 33.4 bn) · "
        "Apsara baseline (Q1 FY2026) RMB 33.4 bn · 3 sources")


def test_an_actual_beats_or_misses_its_guide(ledger: Ledger) -> None:
    azure = Claim("a", "microsoft", "cloud", "Azure grew 40%.", None, None, None, None, 40, "Q1 FY2026")
    assert headline(assess(azure, ledger, "2025-10-30")) == (
        "Microsoft Azure Q1 FY2026 growth: +40 % YoY · beat the guide (+37 % YoY) by 3 pp · "
        "up 1 pp on Q4 FY2025 (+39 % YoY) · up 7 pp on Q1 FY2025, a year earlier (+33 % YoY) · "
        "Apsara baseline +37 % YoY · 1 source")
    capex = Claim("a", "microsoft", "capex", "Capital expenditures were $29.2 billion in the quarter.", 29.2e9,
                  None, "USD", None, None, "Q1 FY2026")
    assert headline(assess(capex, ledger, "2025-10-30")).startswith(
        "Microsoft Q1 FY2026 quarterly capex: $29.2 bn · in line with the guide (> $30 bn) · "
        "up 21 % on Q4 FY2025 ($24.2 bn)")


def test_a_stock_against_the_latest_level(ledger: Ledger) -> None:
    backlog = Claim("a", "google", "cloud", "Google Cloud's backlog stood at $155 billion.", 155e9, None, "USD",
                    None, None, None)
    assert headline(assess(backlog, ledger, "2025-10-30")).startswith(
        "Google cloud backlog: $155 bn · up 46 % on Jun 2025 ($106 bn)")


@pytest.mark.parametrize(("args", "text"), [
    ((85e9, None, "USD"), "$85 bn"),
    ((91e9, 93e9, "USD"), "$91–93 bn"),
    ((30e9, None, "USD", None, True), "> $30 bn"),
    ((380e9, None, "CNY"), "RMB 380 bn"),
    ((12.98e9, None, "CNY"), "RMB 12.98 bn"),
    ((5e9, None, "GBP"), "£5 bn"),
    ((4e12, None, "USD"), "$4 tn"),
    ((500e6, None, "USD"), "$500 m"),
    ((835, None, None, "MW"), "835 MW"),
    ((30800000, None, None, "MWh"), "30.8 TWh"),
    ((10, None, None, "x"), "×10"),
    ((1.09, None, None, "PUE"), "PUE 1.09"),
    ((20, None, None, "% global cloud infrastructure (Synergy)"), "20 %"),
    ((None,), "no figure"),
])
def test_format_figure(args: tuple[object, ...], text: str) -> None:
    assert format_figure(*args) == text  # type: ignore[arg-type]


def test_baseline_cli_prints_the_ledger(capsys: pytest.CaptureFixture[str]) -> None:
    from bot.cli import main

    assert main(["baseline", "show", "--company", "google"]) == 0
    out = capsys.readouterr().out
    assert "Google (calendar year)" in out and "google-capex-2025-feb  (superseded)" in out
    assert "Microsoft" not in out
    assert main(["baseline", "history", "capex_guidance_annual"]) == 0
    out = capsys.readouterr().out
    assert out.index("microsoft-capex-fy2025-plan") < out.index("google-capex-2025-jul")
    assert main(["baseline", "history", "capex_wishlist"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("baseline: unknown metric 'capex_wishlist'; one of: capex_plan_multi_year")


def test_claims_compare_adds_the_verdict_keys(tmp_path: object, monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    import json
    from pathlib import Path

    from bot.cli import main

    path = Path(str(tmp_path)) / "a.json"
    path.write_text(json.dumps({"id": "x1", "url": "https://example.com/x", "date": "2025-10-30",
                                "lang": "en", "text": "Alphabet now expects 2025 capital expenditures "
                                                      "of $91 billion to $93 billion."}),
                    encoding="utf-8")
    assert main(["claims", "--compare", str(path)]) == 0
    row = json.loads(capsys.readouterr().out.strip())
    assert row["id"] == "x1" and row["verdict"] == "raised" and row["metric"] == "capex_guidance_annual"
    assert row["baseline_id"] == "google-capex-2025-jul" and row["baseline_value"] == 85e9
    assert row["delta_pct"] == pytest.approx(8.24)


# Alert lines are rendered at send time from the facts a story keeps (compare.assessment_facts).
FACT_CASES = [
    (Claim("a", "google", "capex", "Alphabet now sees 2025 capex of $91 billion to $93 billion.", 91e9, 93e9,
           "USD", None, None, "2025"), "2025-10-30"),
    (Claim("a", "alibaba", "capex", "Alibaba will invest US$53 billion over the next three years.", 53e9, None,
           "USD", None, None, "next three years"), "2025-10-01"),
    (Claim("a", "microsoft", "capex", "Microsoft said capex growth in fiscal 2026 will be higher than last year.",
           None, None, None, None, None, "FY2026"), "2025-10-30"),
    (Claim("a", "google", "cloud", "Google Cloud revenue grew 34% to $15.2 billion in the third quarter.", 15.2e9,
           None, "USD", None, 34.0, "Q3 2025"), "2025-10-30"),
]


@pytest.mark.parametrize(("claim", "day"), FACT_CASES)
@pytest.mark.parametrize("status", ["alerted", "released"])
def test_a_story_renders_its_line_from_stored_facts(ledger: Ledger, claim: Claim, day: str, status: str) -> None:
    assessment = assess(claim, ledger, day)
    ref = source_ref("a", "https://news.example/a", "Wire", "en", claim.company, seen_at=datetime(2025, 10, 30))
    intent = decide(assessment, ref, [], datetime(2025, 10, 30), ledger)
    assert not isinstance(intent, Duplicate)
    stored = json.loads(json.dumps(replace(intent.story, status=status).to_json()))  # through the database
    assert "text" not in stored
    assert headline_of(Story.from_json(stored)) == headline(assessment, sources=1, unconfirmed=status == "released",
                                                             ledger=ledger)


def test_a_story_saved_before_facts_still_renders_its_stored_line() -> None:
    old = {"id": "st-9", "company": "google", "metric": "capex_guidance_annual", "period_code": "CY2025",
           "scope": None, "figure": None, "direction": None, "currency": "USD", "verdict": "raised",
           "baseline_id": None, "text": "Alphabet 2025 capex guidance raised: $85 bn → $90 bn (+6 %)",
           "status": "released", "opened_at": "2025-10-30T00:00:00",
           "sources": [{"article_id": "a", "url": "https://news.example/a", "outlet": "news.example", "lang": "en",
                        "publisher": "Wire", "first_party": False, "reliable": False, "seen_at": ""}]}
    assert headline_of(Story.from_json(old)) == ("Alphabet 2025 capex guidance raised: $85 bn → $90 bn (+6 %) · "
                                                 "1 source · unconfirmed")
    assert story_line(old, "", with_sources=False) == ("Alphabet 2025 capex guidance raised: $85 bn → $90 bn "
                                                       "(+6 %) · unconfirmed")
    assert story_line(None, "Line stored with the alert") == "Line stored with the alert"
