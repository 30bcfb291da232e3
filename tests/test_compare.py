"""assess(): every verdict, with literal claims (no extractor, no article text)."""

from __future__ import annotations

import pytest

from bot.analysis.compare import assess, classify
from bot.analysis.periods import period_from_text, reference_month
from bot.ledger.entries import Ledger, LedgerEntry, load_ledger
from bot.model import Claim


@pytest.fixture(scope="module")
def ledger() -> Ledger:
    return load_ledger()


def claim(company: str, topic: str, quote: str, amount: float | None = None, *,
          amount_max: float | None = None, currency: str | None = None, unit: str | None = None,
          change_pct: float | None = None, period: str | None = None) -> Claim:
    return Claim("t1", company, topic, quote, amount, amount_max, currency, unit, change_pct, period)  # type: ignore[arg-type]


# ---------------------------------------------------------------- verdicts


def test_new_when_nothing_is_known(ledger: Ledger) -> None:
    c = claim("baidu", "capex", "Baidu has invested more than 100 billion yuan in AI since March 2023.",
              100e9, currency="CNY", period="since March 2023")
    a = assess(c, ledger, "2025-11-18")
    assert (a.verdict, a.metric, a.baseline) == ("new", "capex_actual_cumulative", None)


def test_restated_same_figure(ledger: Ledger) -> None:
    c = claim("google", "capex", "Alphabet expects capex of about $85 billion this year.", 85e9,
              currency="USD", period="this year")
    a = assess(c, ledger, "2025-08-10")
    assert a.verdict == "restated" and a.baseline is not None and a.baseline.id == "google-capex-2025-jul"
    assert a.delta_pct == pytest.approx(0)
    assert a.apsara is not None and a.apsara.id == "google-capex-2025-jul"


def test_raised_with_range_delta_and_percent(ledger: Ledger) -> None:
    c = claim("google", "capex", "Alphabet now sees 2025 capital expenditures of $91 billion to $93 billion.",
              91e9, amount_max=93e9, currency="USD", period="2025")
    a = assess(c, ledger, "2025-10-30")
    assert a.verdict == "raised" and a.baseline is not None and a.baseline.id == "google-capex-2025-jul"
    assert a.delta == pytest.approx(7e9)
    assert a.delta_pct == pytest.approx(8.235, abs=0.01)


def test_lowered(ledger: Ledger) -> None:
    c = claim("google", "capex", "Alphabet trimmed its 2025 capex plan to $78 billion.", 78e9,
              currency="USD", period="2025")
    a = assess(c, ledger, "2025-10-01")
    assert a.verdict == "lowered" and a.delta_pct == pytest.approx(-8.235, abs=0.01)


def test_old_article_is_judged_against_what_was_known_then(ledger: Ledger) -> None:
    # $75 bn in a February 2025 article restates the February guidance (later superseded): not "lowered"
    c = claim("google", "capex", "Alphabet plans to spend $75 billion on capex in 2025.", 75e9,
              currency="USD", period="2025")
    a = assess(c, ledger, "2025-02")
    assert a.verdict == "restated" and a.baseline is not None and a.baseline.id == "google-capex-2025-feb"
    assert a.stale  # the ledger has since moved to $85 bn
    # the same sentence in a live article matches the superseded entry, still no false "lowered"
    assert assess(c, ledger, "2025-10-01").verdict == "restated"


def test_horizon_changed_for_a_later_plan_period(ledger: Ledger) -> None:
    c = claim("google", "capex", "Google will invest GBP 5 billion in the UK over the next five years.",
              5e9, currency="GBP", period="next five years")
    a = assess(c, ledger, "2025-12-01")
    assert a.metric == "capex_regional_commitment" and a.scope == "uk"
    assert a.verdict == "horizon_changed"
    assert a.baseline is not None and a.baseline.id == "google-capex-uk-2025"


def test_fx_restatement_never_a_change(ledger: Ledger) -> None:
    # 380 bn yuan printed as US$52.4 bn, 53 bn, 53.4 bn, or as SGD 70.1 bn: all restatements
    for amount, currency in ((52.4e9, "USD"), (53e9, "USD"), (53.4e9, "USD"), (70.1e9, "SGD")):
        c = claim("alibaba", "capex", "Alibaba plans to invest in cloud and AI infrastructure over the "
                  "next three years.", amount, currency=currency, period="next three years")
        a = assess(c, ledger, "2025-03-01")
        assert (a.verdict, a.metric) == ("restated", "capex_plan_multi_year"), (amount, currency)
    # a US-dollar figure 25 % above the yuan plan is a raise
    c = claim("alibaba", "capex", "Alibaba will spend US$67 billion over three years.", 67e9,
              currency="USD", period="three years")
    assert assess(c, ledger, "2025-12-01").verdict == "raised"


def test_floor_against_floor_and_point(ledger: Ledger) -> None:
    guide = claim("microsoft", "capex", "Microsoft expects capital spending to exceed $30 billion in the "
                  "current fiscal first quarter.", 30e9, currency="USD",
                  period="current fiscal first quarter")
    a = assess(guide, ledger, "2025-07-31")
    assert (a.metric, a.period.code, a.verdict) == ("capex_guidance_quarter", "FY2026Q1", "restated")
    assert a.figure is not None and a.figure.floor
    # a floor below a known point figure is consistent with it
    below = claim("google", "capex", "Alphabet will spend more than $80 billion this year.", 80e9,
                  currency="USD", period="this year")
    assert assess(below, ledger, "2025-08-15").verdict == "restated"
    # a floor above it is a raise
    above = claim("google", "capex", "Alphabet's capex this year will exceed $90 billion.", 90e9,
                  currency="USD", period="this year")
    a = assess(above, ledger, "2025-11-17")
    assert a.verdict == "raised" and a.delta_pct == pytest.approx(5.88, abs=0.01)
    # a point above a known floor raises it
    alibaba = claim("alibaba", "capex", "Alibaba lifts its three-year AI infrastructure budget to "
                    "480 billion yuan.", 480e9, currency="CNY", period="three years")
    assert assess(alibaba, ledger, "2025-12-01").verdict == "raised"


def test_qualitative_direction_changes(ledger: Ledger) -> None:
    # on record: FY2026 capex growth slower than FY2025
    higher = claim("microsoft", "capex", "Microsoft said capex growth in fiscal 2026 will be higher than "
                   "last year.", period="FY2026")
    a = assess(higher, ledger, "2025-10-30")
    assert (a.metric, a.period.code, a.verdict) == ("capex_guidance_annual", "FY2026", "raised")
    same = claim("microsoft", "capex", "Microsoft expects FY2026 capex growth to moderate.", period="FY2026")
    assert assess(same, ledger, "2025-08-05").verdict == "restated"
    # revision wording decides on its own
    tencent = claim("tencent", "capex", "Management said full-year capital spending for 2025 will come in "
                    "below its earlier guidance range, although still above 2024.", period="2025")
    assert assess(tencent, ledger, "2025-11-13").verdict == "lowered"


def test_quarterly_actual_is_never_compared_with_a_plan(ledger: Ledger) -> None:
    c = claim("alibaba", "capex", "Alibaba spent 38.6 billion yuan on capex in the June quarter.", 38.6e9,
              currency="CNY", period="June quarter")
    a = assess(c, ledger, "2025-09-01")
    assert (a.metric, a.period.code, a.verdict) == ("capex_actual_quarter", "FY2026Q1", "restated")
    assert a.baseline is not None and a.baseline.id == "alibaba-capex-q-jun2025"


def test_a_new_quarter_moves_from_the_previous_quarter(ledger: Ledger) -> None:
    c = claim("tencent", "capex", "Tencent spent RMB 12.98 billion during the quarter.", 12.98e9,
              currency="CNY", change_pct=-24, period="Q3 2025")
    a = assess(c, ledger, "2025-11-13")
    assert (a.verdict, a.compared_with) == ("lowered", "previous_period")
    assert a.baseline is not None and a.baseline.id == "tencent-capex-q2-2025"
    assert a.delta_pct == pytest.approx(-32.1, abs=0.1)


def test_growth_compares_growth_and_segments_stay_apart(ledger: Ledger) -> None:
    azure = claim("microsoft", "cloud", "Azure and other cloud services revenue grew 39%.", change_pct=39,
                  period="Q4 FY2025")
    a = assess(azure, ledger, "2025-07-31")
    assert (a.metric, a.scope, a.verdict) == ("cloud_growth_quarter", "azure", "restated")
    # the Intelligent Cloud segment ($29.88 bn) is not a "lowered" Microsoft Cloud ($46.7 bn)
    segment = claim("microsoft", "cloud", "Intelligent Cloud revenue was $29.9 billion.", 29.9e9,
                    currency="USD", period="Q4 FY2025")
    a = assess(segment, ledger, "2025-07-31")
    assert (a.scope, a.verdict) == ("intelligent-cloud", "restated")


def test_unknown_period_or_scope_can_only_restate(ledger: Ledger) -> None:
    c = claim("microsoft", "cloud", "Microsoft's cloud revenue came to $50 billion.", 50e9, currency="USD",
              period="Q4 FY2025")
    a = assess(c, ledger, "2025-07-31")
    assert a.verdict == "new" and "scope unknown" in a.note
    c = claim("google", "capex", "Google will spend $60 billion on AI infrastructure.", 60e9, currency="USD")
    assert assess(c, ledger, "2025-10-01").verdict == "new"


def test_confirmed_entries_become_the_latest_value(ledger: Ledger) -> None:
    oct_guide = LedgerEntry.from_json({
        "id": "google-capex-2025-oct", "company": "google", "topic": "capex",
        "metric": "capex_guidance_annual", "period": "CY2025", "stated_on": "2025-10-29",
        "source_url": "https://abc.xyz/q3", "confidence": "H", "value": 91e9, "value_max": 93e9,
        "currency": "USD", "supersedes": "google-capex-2025-jul", "origin": "confirmed",
    })
    grown = ledger.with_confirmed(oct_guide)
    c = claim("google", "capex", "Alphabet expects 2025 capex of $92 billion.", 92e9, currency="USD",
              period="2025")
    a = assess(c, grown, "2025-11-05")
    assert a.verdict == "restated" and a.baseline is not None and a.baseline.id == "google-capex-2025-oct"
    assert a.apsara is not None and a.apsara.id == "google-capex-2025-jul"  # Apsara value still shown


def test_to_json_adds_the_comparison_keys(ledger: Ledger) -> None:
    c = claim("google", "capex", "Alphabet now sees 2025 capex of $91 billion to $93 billion.", 91e9,
              amount_max=93e9, currency="USD", period="2025")
    obj = assess(c, ledger, "2025-10-30").to_json()
    assert obj["id"] == "t1" and obj["verdict"] == "raised" and obj["metric"] == "capex_guidance_annual"
    assert obj["baseline_id"] == "google-capex-2025-jul" and obj["baseline_value"] == 85e9
    assert obj["delta_pct"] == pytest.approx(8.24)


# ---------------------------------------------------------------- classification


@pytest.mark.parametrize(("text", "company", "date", "code"), [
    ("current fiscal first quarter", "microsoft", "2025-07-31", "FY2026Q1"),
    ("next fiscal year", "microsoft", "2025-10-30", "FY2027"),
    ("this year", "google", "2025-11-17", "CY2025"),
    ("今年", "alibaba", "2025-11-17", "CY2025"),
    ("last year", "tencent", "2025-03-19", "CY2024"),
    ("December quarter", "alibaba", "2025-02-20", "FY2025Q3"),
    ("quarter ending March 2026", "alibaba", "2026-05-15", "FY2026Q4"),
    ("本季度", "baidu", "2025-11-18", "2025Q3"),
    ("第3季", "baidu", "2025-11-18", "2025Q3"),
    ("exercice 2025", "microsoft", "2025-01-05", "FY2025"),
    ("Q1 FY2025", "microsoft", None, "FY2025Q1"),
    ("FY26", "microsoft", None, "FY2026"),
    ("2026财年第一季度", "alibaba", None, "FY2026Q1"),
    ("H1 2025", "tencent", None, "2025H1"),
    ("2025-2028", "microsoft", None, "2025-2028"),
    ("kommenden vier Jahre", "google", "2025-11-12", "2025-11+4Y"),
    ("trois prochaines années", "alibaba", "2025-02-24", "2025-02+3Y"),
    ("未来三年", "alibaba", "2025-02-24", "2025-02+3Y"),
    ("by 2032 vs 2022", "alibaba", None, "BY2032"),
    ("since March 2023", "baidu", None, "SINCE2023-03"),
    ("past four quarters", "alibaba", "2025-09-11", "LTM2025-06"),
    ("third quarter", "google", "2025-10-29", "2025Q3"),
    ("first quarter", "microsoft", "2025-10-29", "FY2026Q1"),
    ("im ersten Quartal des Geschäftsjahres 2026", "microsoft", None, "FY2026Q1"),
    ("dritten Quartal 2025", "tencent", None, "2025Q3"),
    ("2026年度第1四半期", "microsoft", None, "FY2026Q1"),
    ("July-September period", "google", "2025-10-30", "2025Q3"),
    ("2025年7～9月期", "tencent", None, "2025Q3"),
    ("im Septemberquartal", "alibaba", "2025-11-26", "FY2026Q2"),
    ("au cours des quatre derniers trimestres", "alibaba", "2025-11-25", "LTM2025-09"),
    ("到2032年其全球数据中心的能耗", "alibaba", None, "BY2032"),
    ("this year", "google", None, "NA"),
])
def test_period_from_text(text: str, company: str, date: str | None, code: str) -> None:
    assert period_from_text(text, company, reference_month(date)).code == code


@pytest.mark.parametrize(("c", "date", "metric"), [
    (claim("alibaba", "capex", "Alibaba will invest 380 billion yuan over three years.", 380e9,
           currency="CNY", period="three years"), "2025-02-24", "capex_plan_multi_year"),
    (claim("google", "capex", "Google will invest 5.5 billion euros in Germany.", 5.5e9, currency="EUR",
           period="2026-2029"), "2025-11-12", "capex_regional_commitment"),
    (claim("alibaba", "cloud", "Alibaba Cloud holds 35.8% of China's AI cloud market.", 35.8,
           unit="% share", period="H1 2025"), "2025-09-10", "cloud_market_share"),
    (claim("microsoft", "energy", "The 835 MW Three Mile Island plant will power Microsoft under a 20-year "
           "deal.", 835, unit="MW"), "2024-09-20", "power_deal"),
    (claim("google", "energy", "Google data centres used 30.8 TWh of electricity in 2024.", 30.8,
           unit="TWh", period="2024"), "2025-07-01", "dc_energy_consumption"),
    (claim("alibaba", "energy", "Energy use of its data centres will grow tenfold by 2032 from 2022.", 10,
           unit="x", period="by 2032 vs 2022"), "2025-09-24", "dc_energy_growth_target"),
    (claim("tencent", "energy", "Tencent aims at 100% green electricity by 2030.", 100,
           unit="% green power", period="by 2030"), "2022-02-24", "clean_energy_target"),
    (claim("microsoft", "cloud", "Microsoft has more than 400 datacenters in 70 regions.", 70,
           unit="cloud regions"), "2025-07-30", "cloud_footprint"),
])
def test_classify_metric(ledger: Ledger, c: Claim, date: str, metric: str) -> None:
    assert classify(c, ledger, date).metric == metric


def test_energy_units_compare_across_prefixes(ledger: Ledger) -> None:
    c = claim("google", "energy", "Google's data centres consumed 30.8 TWh in 2024.", 30.8, unit="TWh",
              period="2024")
    a = assess(c, ledger, "2025-07-02")
    assert a.verdict == "restated" and a.baseline is not None and a.baseline.id == "google-energy-dc-2024"
    deal = claim("microsoft", "energy", "Three Mile Island's 837 MW will serve Microsoft's data centres.",
                 837, unit="MW")
    assert assess(deal, ledger, "2025-06-15").verdict == "restated"


def test_a_list_of_places_is_an_expansion_plan(ledger: Ledger) -> None:
    c = claim("alibaba", "cloud", "Alibaba Cloud will build out its network in Japan, South Korea, Europe "
              "and the Middle East over the next three years.", period="next three years")
    a = assess(c, ledger, "2025-10-01")
    assert (a.metric, a.scope) == ("cloud_footprint", "expansion")
    one = claim("alibaba", "cloud", "Alibaba Cloud opened its third data centre in Malaysia.")
    assert assess(one, ledger, "2025-07-01").scope == "malaysia"


def test_the_figure_of_a_known_plan_is_that_plan_whatever_period_the_sentence_gives(ledger: Ledger) -> None:
    # "last year" is when the plan was announced, not the period of an annual actual
    c = claim("alibaba", "capex", "Last year Alibaba set aside 380 billion yuan for AI infrastructure.",
              380e9, currency="CNY", period="last year")
    a = assess(c, ledger, "2026-03-02")
    assert (a.verdict, a.metric, a.baseline.id if a.baseline else None) == (
        "restated", "capex_plan_multi_year", "alibaba-capex-3y-plan-apsara")
    # the dollar conversion of the same plan, with no usable period
    usd = claim("alibaba", "capex", "The $53 billion programme runs during the period.", 53e9, currency="USD",
                period="during the period")
    assert assess(usd, ledger, "2025-03-02").verdict == "restated"
    # a different amount is never pulled onto the plan
    other = claim("alibaba", "capex", "Alibaba spent 120 billion yuan last year.", 120e9, currency="CNY",
                  period="last year")
    assert assess(other, ledger, "2026-03-02").metric != "capex_plan_multi_year"


def test_growth_rates_are_restated_only_within_half_a_point(ledger: Ledger) -> None:
    # Azure grew 39 % in the June 2025 quarter (baseline); a sentence without a period, in an undated
    # article (dated, a growth rate without a period is the latest completed quarter's: see below)
    near = claim("microsoft", "cloud", "Azure revenue grew 39.3% year over year.", change_pct=39.3)
    far = claim("microsoft", "cloud", "Azure revenue grew 40% year over year.", change_pct=40.0)
    assert assess(near, ledger, None).verdict == "restated"
    assert assess(far, ledger, None).verdict == "new"
    dated = assess(far, ledger, "2025-10-30")
    assert (dated.period.code, dated.verdict, dated.compared_with) == ("FY2026Q1", "raised", "guidance")
    guide = claim("microsoft", "cloud", "Microsoft expects Azure to grow 37% year over year.", change_pct=37.0)
    assert assess(guide, ledger, "2025-10-30").period.code == "NA"  # a guide's quarter is not assumed


# ---------------------------------------------------------------- what a verdict compared with (issue 12)


def _seen(a: object) -> tuple[object, ...]:
    from bot.analysis.compare import Assessment

    assert isinstance(a, Assessment)
    obj = a.comparison_json()
    previous = obj["previous"]
    return (obj["verdict"], obj["compared_with"], previous and previous["id"], previous and previous["period"],
            obj["delta_pct"])


def test_guidance_for_the_same_period_compares_with_the_earlier_guide(ledger: Ledger) -> None:
    c = claim("google", "capex", "Alphabet now expects 2025 capex of $91 billion to $93 billion.", 91e9,
              amount_max=93e9, currency="USD", period="2025")
    assert _seen(assess(c, ledger, "2025-10-29")) == (
        "raised", "guidance", "google-capex-2025-jul", "2025", 8.24)


def test_an_actual_above_its_guide_is_a_beat(ledger: Ledger) -> None:
    c = claim("microsoft", "capex", "Capital expenditures including finance leases were $34.9 billion.",
              34.9e9, currency="USD", period="first quarter of fiscal 2026")
    a = assess(c, ledger, "2025-10-29")
    assert _seen(a) == ("raised", "guidance", "microsoft-capex-q1fy26-guide", "Q1 FY2026", 16.33)
    also = a.comparison_json()["also"]
    assert [(x["compared_with"], x["previous"]["id"], x["delta_pct"]) for x in also] == [
        ("previous_period", "microsoft-capex-q4fy25-actual", 44.21),
        ("year_ago", "microsoft-capex-q1fy25-actual", 74.5)]


def test_a_growth_rate_against_its_guide_in_points(ledger: Ledger) -> None:
    beat = claim("microsoft", "cloud", "Azure revenue grew 40%.", change_pct=40, period="Q1 FY2026")
    a = assess(beat, ledger, "2025-10-29")
    assert (a.verdict, a.compared_with, a.delta) == ("raised", "guidance", 3.0)
    inline = claim("microsoft", "cloud", "Azure revenue grew 37.3%.", change_pct=37.3, period="Q1 FY2026")
    assert assess(inline, ledger, "2025-10-29").verdict == "restated"
    missed = claim("microsoft", "cloud", "Azure revenue grew 35%.", change_pct=35, period="Q1 FY2026")
    assert _seen(assess(missed, ledger, "2025-10-29"))[:3] == (
        "lowered", "guidance", "microsoft-cloud-azure-growth-q1fy26-guide")


def test_a_new_period_of_a_series_moves_from_the_previous_period(ledger: Ledger) -> None:
    up = claim("alibaba", "cloud", "Alibaba Cloud revenue grew 34% to 39.8 billion yuan.", 39.8e9,
               currency="CNY", change_pct=34, period="September quarter")
    a = assess(up, ledger, "2025-11-25")
    assert _seen(a) == ("raised", "previous_period", "alibaba-cloud-rev-q-jun2025", "Q1 FY2026", 19.16)
    assert [(x["compared_with"], x["previous"]["period"]) for x in a.comparison_json()["also"]] == [
        ("year_ago", "Q2 FY2025")]
    down = claim("tencent", "capex", "Tencent's capital expenditure fell to 12.98 billion yuan.", 12.98e9,
                 currency="CNY", period="Q3 2025")
    assert _seen(assess(down, ledger, "2025-11-13")) == (
        "lowered", "previous_period", "tencent-capex-q2-2025", "Q2 2025", -32.08)
    flat = claim("google", "capex", "Alphabet's capex was $22.9 billion in the quarter.", 22.9e9,
                 currency="USD", period="Q3 2025")
    assert _seen(assess(flat, ledger, "2025-10-29"))[:2] == ("restated", "previous_period")


def test_a_growth_rate_of_a_new_period_accelerates_in_points(ledger: Ledger) -> None:
    c = claim("alibaba", "cloud", "Cloud revenue growth accelerated to 34%.", change_pct=34,
              period="September quarter")
    a = assess(c, ledger, "2025-11-25")
    assert _seen(a) == ("raised", "previous_period", "alibaba-cloud-rev-q-jun2025", "Q1 FY2026", 30.77)
    assert a.delta == 8.0  # percentage points
    assert a.comparison_json()["previous"]["value"] == 26.0


def test_an_actual_of_a_period_already_reported_compares_with_that_period(ledger: Ledger) -> None:
    same = claim("baidu", "cloud", "Baidu AI Cloud revenue was 4.9 billion yuan a year ago.", 4.9e9,
                 currency="CNY", period="Q3 2024")
    assert _seen(assess(same, ledger, "2025-11-18")) == (
        "restated", "same_period", "baidu-cloud-rev-q3-2024", "Q3 2024", 0.0)
    # the ledger holds Q3 2024 and Q2 2025 for Baidu AI Cloud: Q4 2024 follows Q3 2024, not Q2 2025
    later = claim("baidu", "cloud", "Baidu AI Cloud revenue was 6.0 billion yuan.", 6.0e9, currency="CNY",
                  period="Q4 2024")
    assert _seen(assess(later, ledger, "2025-02-18"))[:3] == (
        "raised", "previous_period", "baidu-cloud-rev-q3-2024")


def test_the_year_ago_period_is_the_comparison_when_it_is_the_latest(ledger: Ledger) -> None:
    c = claim("baidu", "cloud", "Baidu AI Cloud revenue was 4.5 billion yuan.", 4.5e9, currency="CNY",
              period="Q3 2025")
    only_year_ago = Ledger(tuple(e for e in ledger.entries if e.id != "baidu-cloud-rev-q2-2025"),
                           ledger.fx_usd_per_unit)
    assert _seen(assess(c, only_year_ago, "2025-11-18")) == (
        "lowered", "year_ago", "baidu-cloud-rev-q3-2024", "Q3 2024", -8.16)


def test_a_stock_compares_with_the_latest_level(ledger: Ledger) -> None:
    c = claim("google", "cloud", "Google Cloud's backlog reached $155 billion.", 155e9, currency="USD")
    assert _seen(assess(c, ledger, "2025-10-29")) == ("raised", "stock", "google-cloud-backlog-jun2025",
                                                      "at Jun 2025", 46.23)
    regions = claim("alibaba", "cloud", "Alibaba Cloud operates in 29 regions.", 29, unit="regions")
    assert _seen(assess(regions, ledger, "2025-10-29"))[:3] == (
        "restated", "stock", "alibaba-cloud-regions-apsara")


def test_a_sub_segment_is_never_compared_with_the_segment(ledger: Ledger) -> None:
    c = claim("baidu", "cloud", "Revenue from AI cloud infrastructure rose 33% to 4.2 billion yuan.", 4.2e9,
              currency="CNY", change_pct=33, period="Q3 2025")
    a = assess(c, ledger, "2025-11-18")
    assert (a.verdict, a.scope, a.compared_with, a.comparison_json()["previous"]) == (
        "new", "baidu-ai-cloud-infra", "none", None)


def test_nothing_to_compare_with_says_none(ledger: Ledger) -> None:
    c = claim("baidu", "capex", "Baidu has invested more than 100 billion yuan in AI since March 2023.",
              100e9, currency="CNY", period="since March 2023")
    obj = assess(c, ledger, "2025-11-18").to_json()
    assert (obj["verdict"], obj["compared_with"], obj["previous"], obj["also"]) == ("new", "none", None, [])


def test_the_next_quarter_compares_with_the_confirmed_one(ledger: Ledger) -> None:
    from bot.analysis.compare import entry_from_assessment

    sep = claim("alibaba", "cloud", "Alibaba Cloud revenue rose 34% to 39.8 billion yuan.", 39.8e9,
                currency="CNY", change_pct=34, period="September quarter")
    confirmed = entry_from_assessment(assess(sep, ledger, "2025-11-25"), entry_id="alibaba-cloud-sep-q",
                                      stated_on="2025-11-25", source_url="https://news.example/a")
    assert confirmed.supersedes is None  # the June quarter stays the series' history
    grown = ledger.with_confirmed(confirmed)
    dec = claim("alibaba", "cloud", "Alibaba Cloud revenue reached 43 billion yuan.", 43e9, currency="CNY",
                period="December quarter")
    assert _seen(assess(dec, grown, "2026-02-20")) == (
        "raised", "previous_period", "alibaba-cloud-sep-q", "Q2 FY2026", 8.04)
    # a late repeat of the June quarter still restates the June quarter
    june = claim("alibaba", "cloud", "Alibaba Cloud revenue was 33.4 billion yuan.", 33.4e9, currency="CNY",
                 period="June quarter")
    assert _seen(assess(june, grown, "2026-02-20"))[:3] == ("restated", "same_period", "alibaba-cloud-rev-q-jun2025")


def test_a_guide_for_a_later_quarter_moves_the_horizon(ledger: Ledger) -> None:
    c = claim("microsoft", "cloud", "Microsoft expects Azure growth of about 37% in the second quarter.",
              change_pct=37, period="second quarter of fiscal 2026")
    assert _seen(assess(c, ledger, "2025-10-29"))[:3] == (
        "horizon_changed", "previous_period", "microsoft-cloud-azure-growth-q1fy26-guide")


def test_a_quarter_named_only_in_the_quote_is_the_latest_such_quarter(ledger: Ledger) -> None:
    c = claim("google", "cloud", "Alphabet's cloud division posted third-quarter sales of $15.16 billion.",
              15.16e9, currency="USD")
    assert classify(c, ledger, "2025-10-30").period.code == "2025Q3"
    assert classify(c, ledger, None).period.code == "NA"  # no article date: no relative period
