"""The shipped baseline loads; a bad entry names its id and field; periods follow fiscal calendars."""

from __future__ import annotations

from datetime import date

import pytest

from bot.ledger.entries import (
    METRICS,
    Ledger,
    LedgerEntry,
    LedgerError,
    format_period,
    load_ledger,
    parse_ledger,
    parse_period_code,
    same_period,
)

GOOD_ENTRY = """
  - id: demo-capex-2025
    company: google
    topic: capex
    metric: capex_guidance_annual
    value: 85000000000
    currency: USD
    period: CY2025
    stated_on: "2025-07-23"
    source_url: https://example.com/a
    confidence: H
"""


def ledger_text(entries: str) -> str:
    return f"fx_usd_per_unit: {{USD: 1.0, CNY: 0.1406}}\nentries:\n{entries}"


def test_shipped_baseline_loads_and_covers_every_company_and_apsara() -> None:
    ledger = load_ledger()
    companies = {e.company for e in ledger}
    assert companies == {"alibaba", "tencent", "baidu", "microsoft", "google"}
    apsara_ids = {e.id for e in ledger if e.apsara}
    assert {"alibaba-capex-3y-plan-apsara", "alibaba-energy-x10-2032-apsara",
            "alibaba-cloud-market-structure-apsara", "alibaba-strategy-qwen-android-apsara"} <= apsara_ids
    assert ledger.fx_usd_per_unit["CNY"] == pytest.approx(0.1406)
    assert ledger.tolerance_pct == 5
    assert ledger.baseline_as_of == date(2025, 9, 26)
    # every entry is on or before the cut-off: the ledger is the Apsara-time baseline
    assert all(e.stated_date <= ledger.baseline_as_of for e in ledger)
    assert {e.metric for e in ledger} <= set(METRICS)


def test_headline_figures_per_company_are_in_the_ledger() -> None:
    ledger = load_ledger()
    assert ledger.get("google-capex-2025-jul") is not None
    jul = ledger.get("google-capex-2025-jul")
    assert jul is not None and jul.supersedes == "google-capex-2025-feb" and jul.value == 85e9
    assert {"microsoft-capex-fy2025-plan", "microsoft-capex-q1fy26-guide", "tencent-capex-2025-guide",
            "baidu-cloud-rev-q2-2025", "alibaba-cloud-rev-q-jun2025"} <= {e.id for e in ledger}


def test_good_entry_parses() -> None:
    ledger = parse_ledger(ledger_text(GOOD_ENTRY))
    entry = ledger.entries[0]
    assert entry.value == 85e9 and entry.period.code == "CY2025" and entry.stated_on == "2025-07-23"


@pytest.mark.parametrize(("replace", "field"), [
    (("metric: capex_guidance_annual", "metric: capex_wishlist"), "metric"),
    (("company: google", "company: amazon"), "company"),
    (("period: CY2025", "period: sometime"), "period"),
    (("value: 85000000000", "value: lots"), "value"),
    (("confidence: H", "confidence: X"), "confidence"),
    (("currency: USD", "currency: usd"), "currency"),
    (("stated_on: \"2025-07-23\"", "stated_on: \"July\""), "stated_on"),
    (("source_url: https://example.com/a", "source_url: example.com"), "source_url"),
    (("topic: capex", "topic: energy"), "metric"),
    (("confidence: H", "confidence: H\n    colour: red"), "colour"),
])
def test_bad_entry_message_names_id_and_field(replace: tuple[str, str], field: str) -> None:
    text = ledger_text(GOOD_ENTRY.replace(*replace))
    with pytest.raises(LedgerError) as info:
        parse_ledger(text)
    message = str(info.value)
    assert "'demo-capex-2025'" in message
    assert f"field '{field}'" in message


def test_missing_fx_rate_and_dangling_supersedes_are_errors() -> None:
    with pytest.raises(LedgerError, match=r"'demo-capex-2025': field 'currency'"):
        parse_ledger(ledger_text(GOOD_ENTRY.replace("currency: USD", "currency: EUR")))
    with pytest.raises(LedgerError, match=r"'demo-capex-2025': field 'supersedes'"):
        parse_ledger(ledger_text(GOOD_ENTRY + "    supersedes: nowhere\n"))
    with pytest.raises(LedgerError, match=r"field 'id': duplicate"):
        parse_ledger(ledger_text(GOOD_ENTRY + GOOD_ENTRY))


def test_fiscal_calendars() -> None:
    # Microsoft FY2026 = Jul 2025 - Jun 2026; Alibaba FY2026 = Apr 2025 - Mar 2026
    msft = parse_period_code("FY2026", "microsoft")
    baba = parse_period_code("FY2026", "alibaba")
    assert (msft.start, msft.end) == (2025 * 12 + 6, 2026 * 12 + 5)
    assert (baba.start, baba.end) == (2025 * 12 + 3, 2026 * 12 + 2)
    # Microsoft's Q1 FY2026 is the calendar Q3 2025, whichever way it is written
    assert same_period(parse_period_code("FY2026Q1", "microsoft"), parse_period_code("2025Q3", "microsoft"))
    assert parse_period_code("2025Q2", "alibaba").code == "FY2026Q1"
    assert format_period(parse_period_code("FY2026Q1", "microsoft"), "microsoft") == "Q1 FY2026"
    # Alphabet's fiscal year is the calendar year
    assert parse_period_code("FY2025", "google").code == "CY2025"
    assert format_period(parse_period_code("CY2025", "google"), "google") == "2025"
    # a quarter is never the same period as a year or a three-year plan
    assert not same_period(parse_period_code("2025Q2", "google"), parse_period_code("CY2025", "google"))
    assert not same_period(parse_period_code("2025Q2", "google"), parse_period_code("2025-02+3Y", "google"))
    # horizons are the same plan when their length matches
    assert same_period(parse_period_code("2025-02+3Y", "alibaba"), parse_period_code("2026-05+3Y", "alibaba"))


def test_entries_round_trip_through_json_and_the_ledger_grows() -> None:
    ledger = load_ledger()
    original = ledger.get("google-capex-2025-jul")
    assert original is not None
    assert LedgerEntry.from_json(original.to_json()) == original
    added = LedgerEntry.from_json({
        "id": "google-capex-2025-oct", "company": "google", "topic": "capex",
        "metric": "capex_guidance_annual", "period": "CY2025", "stated_on": "2025-10-29",
        "source_url": "https://abc.xyz/q3", "confidence": "H", "value": 91e9, "value_max": 93e9,
        "currency": "USD", "supersedes": "google-capex-2025-jul", "origin": "confirmed",
    })
    grown = ledger.with_confirmed(added)
    assert isinstance(grown, Ledger) and len(grown.entries) == len(ledger.entries) + 1
    assert "google-capex-2025-jul" in grown.superseded_ids()
    assert ledger.get("google-capex-2025-oct") is None  # the original value is untouched
    with pytest.raises(LedgerError, match="duplicate"):
        grown.with_confirmed(added)
