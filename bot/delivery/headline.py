"""The one-line alert text of an assessment: what changed, against what, at a glance. Pure, plain text.

    headline(assessment, sources=1, unconfirmed=False) -> str
    headline_of(story) / story_line(story_json, stored) -> str   rendered at send time from stored facts
    format_figure(value, value_max, currency, unit, floor) -> str

"Alphabet 2025 capex guidance raised: $85 bn → $91–93 bn (+8 %) · Apsara baseline $85 bn · 3 sources"

Figures are shown in the currency the company used; when the claim's currency differs from the
baseline's, the claim also shows its conversion at the ledger's fixed rate ("≈ RMB 377 bn"). The
Telegram layer HTML-escapes the result; nothing here is markup.
"""

from __future__ import annotations

from typing import Any

from bot.alerts.stories import Story
from bot.analysis.compare import GROWTH, Assessment, Reference, assessment_from_facts
from bot.ledger.entries import METRICS, Ledger, LedgerEntry, format_period
from bot.model import BASELINE_EVENT_NAME, COMPANY_NAMES

# Alphabet spends the capex; Google runs the cloud and the data centres.
CAPEX_COMPANY_NAMES: dict[str, str] = {**COMPANY_NAMES, "google": "Alphabet"}
CURRENCY_SIGNS: dict[str, str] = {"USD": "$", "EUR": "€", "GBP": "£", "CNY": "RMB ", "HKD": "HK$", "JPY": "¥",
                                  "SGD": "S$"}
SCOPE_LABELS: dict[str, str] = {
    "azure": "Azure", "intelligent-cloud": "Intelligent Cloud", "microsoft-cloud": "Microsoft Cloud",
    "google-cloud": "Google Cloud", "alibaba-cloud": "cloud", "baidu-ai-cloud": "AI Cloud",
    "baidu-ai-cloud-infra": "AI cloud infrastructure", "baidu-non-ads": "non-advertising",
    "tencent-fbs": "FinTech & Business Services", "gpu-cloud": "GPU cloud",
    "ai-subscription": "AI subscription", "china": "China", "china-ai": "China AI cloud",
    "china-ai-rank": "China AI cloud ranking", "global": "global",
    "uk": "UK", "germany": "Germany", "texas": "Texas", "us-pjm": "US PJM", "wisconsin": "Wisconsin",
    "saudi": "Saudi", "three-mile-island": "Three Mile Island", "kairos": "Kairos",
    "commonwealth-fusion": "Commonwealth Fusion", "brookfield": "Brookfield", "capacity-added": "capacity",
}
VERDICT_WORDS: dict[str, str] = {
    "new": "new", "restated": "restated", "raised": "raised", "lowered": "lowered",
    "horizon_changed": "horizon moved",
}


def _number(value: float) -> str:
    """At most three significant digits, no trailing zeros: 85, 91.5, 13.6, 0.48."""
    digits = 0 if abs(value) >= 100 else 2
    text = f"{value:.{digits}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _scaled(value: float) -> tuple[float, str]:
    for factor, suffix in ((1e12, " tn"), (1e9, " bn"), (1e6, " m")):
        if abs(value) >= factor * 0.995:
            return value / factor, suffix
    return value, ""


def format_figure(value: float | None, value_max: float | None = None, currency: str | None = None,
                  unit: str | None = None, floor: bool = False) -> str:
    """A figure as a reader writes it: "$85 bn", "$91–93 bn", "> $30 bn", "835 MW", "30.8 TWh", "×10"."""
    if value is None:
        return "no figure"
    prefix = "> " if floor else ""
    if currency:
        sign = CURRENCY_SIGNS.get(currency.upper(), currency.upper() + " ")
        scaled, suffix = _scaled(value)
        if value_max is not None:
            scale = value / scaled if scaled else 1.0
            return f"{prefix}{sign}{_number(scaled)}–{_number(value_max / scale)}{suffix}"
        return f"{prefix}{sign}{_number(scaled)}{suffix}"
    unit_text = (unit or "").strip()
    head = unit_text.split(" ", 1)[0].lower()
    span = f"{_number(value)}–{_number(value_max)}" if value_max is not None else _number(value)
    if head == "mwh" and value >= 1e6:
        return f"{prefix}{_number(value / 1e6)} TWh"
    if head == "kwh" and value >= 1e9:
        return f"{prefix}{_number(value / 1e9)} TWh"
    if head == "kwh" and value >= 1e6:
        return f"{prefix}{_number(value / 1e6)} GWh"
    if head in ("x", "×"):
        return f"{prefix}×{span}"
    if head == "pue":
        return f"PUE {span}"
    if head == "rank":
        return f"rank {span}"
    if unit_text.startswith("%"):
        return f"{prefix}{span} %"
    if head == "mw" and value >= 1000 and value_max is None:
        return f"{prefix}{_number(value / 1000)} GW"
    if head in ("mw", "gw", "mwh", "kwh", "twh", "gwh"):
        return f"{prefix}{span} {unit_text.split(' ', 1)[0]}"
    return f"{prefix}{span} {unit_text}".rstrip()


def _growth(value: float) -> str:
    return f"{value:+.0f} %" if abs(value) >= 10 else f"{value:+.1f} %".replace(".0 %", " %")


def _entry_text(entry: LedgerEntry, growth: bool) -> str:
    if growth:
        return "no growth figure" if entry.change_pct is None else f"{_growth(entry.change_pct)} YoY"
    if entry.value is None:
        return {"up": "rising", "down": "slowing"}.get(entry.direction or "", "no figure")
    return format_figure(entry.value, entry.value_max, entry.currency, entry.unit, entry.floor)


def _claim_text(assessment: Assessment, ledger: Ledger | None) -> str:
    claim = assessment.claim
    figure = assessment.figure
    if figure is not None and figure.family == GROWTH:
        return f"{_growth(figure.low)} YoY"
    if figure is None:
        return {"up": "rising", "down": "slowing"}.get(assessment.direction or "", "stated")
    text = format_figure(claim.amount, claim.amount_max, claim.currency, claim.unit, figure.floor)
    base = assessment.baseline
    if ledger is not None and base is not None and base.currency and claim.currency \
            and base.currency != claim.currency and claim.amount is not None:
        usd = ledger.to_usd(claim.amount, claim.currency)
        rate = ledger.fx_usd_per_unit.get(base.currency)
        if usd is not None and rate:
            text += f" (≈ {format_figure(usd / rate, None, base.currency)})"
    return text


def _delta_text(assessment: Assessment) -> str:
    if assessment.delta_pct is None or assessment.verdict == "restated":
        return ""
    if assessment.figure is not None and assessment.figure.family == GROWTH and assessment.delta is not None:
        return f" ({assessment.delta:+.0f} pp)"
    pct = assessment.delta_pct
    return f" ({pct:+.0f} %)" if abs(pct) >= 1 else f" ({pct:+.1f} %)"


def subject(assessment: Assessment) -> str:
    """ "Alphabet 2025 capex guidance", "Microsoft Azure Q1 FY2026 cloud growth"."""
    claim = assessment.claim
    names = CAPEX_COMPANY_NAMES if claim.topic == "capex" else COMPANY_NAMES
    company = names.get(claim.company, claim.company.title())
    metric_label = METRICS[assessment.metric].label
    scope_label = SCOPE_LABELS.get(assessment.scope or "")
    if scope_label and scope_label != "cloud":
        if assessment.metric.startswith("cloud_") and metric_label.startswith("cloud "):
            # "Google Cloud Q3 2025 revenue", not "Google Google Cloud Q3 2025 cloud revenue"
            metric_label = metric_label.removeprefix("cloud ")
        parts = [scope_label] if scope_label.startswith(company) else [company, scope_label]
    else:
        parts = [company]
    period = format_period(assessment.period, claim.company)
    if period:
        parts.append(period)
    parts.append(metric_label)
    return " ".join(parts)


def headline(assessment: Assessment, sources: int | None = 1, unconfirmed: bool = False,
             ledger: Ledger | None = None) -> str:
    """The alert line. `sources` counts the outlets carrying the statement (None: leave the count out,
    where it is shown elsewhere); `ledger` adds conversions."""
    growth = assessment.growth
    claim_text = _claim_text(assessment, ledger)
    base = assessment.baseline
    verdict = VERDICT_WORDS[assessment.verdict]
    parts: list[str] = []
    if base is not None and _is_series_comparison(assessment):
        # An actual against its guide, a new period against the previous one, a level against the
        # latest level: the figure first, then what it moved from ("up 19 % on Q1 FY2026 (RMB 33.4 bn)").
        parts.append(f"{subject(assessment)}: {claim_text}{_yoy_text(assessment)}")
        parts.append(comparison_text(assessment.compared_with, base, assessment.verdict, assessment.delta,
                                     assessment.delta_pct, growth))
        # The year-ago comparison of a level repeats the growth the claim states ("+34 % YoY"): skip it.
        parts.extend(comparison_text(r.compared_with, r.entry, _verdict_of(r, growth), r.delta, r.delta_pct,
                                     growth) for r in assessment.also
                     if not (r.compared_with == "year_ago" and _yoy_text(assessment)))
    else:
        head = f"{subject(assessment)} {verdict}"
        if assessment.verdict in ("raised", "lowered") and base is not None:
            head += f": {_entry_text(base, growth)} → {claim_text}{_delta_text(assessment)}"
        elif assessment.verdict == "horizon_changed" and base is not None:
            base_period = format_period(base.period, base.company) or base.period_text
            head += f": {_entry_text(base, growth)} ({base_period}) → {claim_text}{_delta_text(assessment)}"
        else:
            head += f": {claim_text}"
        parts.append(head)
        for ref in assessment.also:
            period = format_period(ref.entry.period, ref.entry.company) or ref.entry.period_text
            parts.append(f"previous {period} {_entry_text(ref.entry, growth)}")
    if assessment.apsara is not None:
        apsara_text = _entry_text(assessment.apsara, growth)
        if assessment.apsara.value is None and not growth:
            apsara_text += " (no figure)"  # a direction only: say so, or "baseline rising" reads like a number
        parts.append(f"{_apsara_label(assessment)} {apsara_text}")
    if assessment.stale:
        parts.append("older figure, since superseded")
    if sources is not None:
        parts.append(sources_text(sources))
    if unconfirmed:
        parts.append("unconfirmed")
    return " · ".join(parts)


def sources_text(count: int) -> str:
    """ "1 source", "3 sources": how many outlets carry a statement, in alert lines and the digest."""
    return f"{count} source" + ("" if count == 1 else "s")


def _is_series_comparison(assessment: Assessment) -> bool:
    if assessment.compared_with in ("previous_period", "year_ago", "stock"):
        return assessment.verdict != "horizon_changed"
    return assessment.compared_with == "guidance" and not assessment.forward


def _verdict_of(ref: Reference, growth: bool) -> str:
    if ref.delta is None or ref.delta_pct is None:
        return "new"
    if growth:
        return "restated" if abs(ref.delta) <= 0.5 else "raised" if ref.delta > 0 else "lowered"
    return "restated" if abs(ref.delta_pct) <= 5 else "raised" if ref.delta > 0 else "lowered"


def _yoy_text(assessment: Assessment) -> str:
    change = assessment.claim.change_pct
    return "" if assessment.growth or change is None else f" ({_growth(change)} YoY)"


def _size(delta: float | None, delta_pct: float | None, growth: bool) -> str:
    if growth:
        return "" if delta is None else f"{abs(delta):.0f} pp" if abs(delta) >= 1 else f"{abs(delta):.1f} pp"
    if delta_pct is None:
        return ""
    return f"{abs(delta_pct):.0f} %" if abs(delta_pct) >= 1 else f"{abs(delta_pct):.1f} %"


def comparison_text(compared_with: str, entry: LedgerEntry, verdict: str, delta: float | None,
                    delta_pct: float | None, growth: bool) -> str:
    """One comparison in words: "beat the guide (> $30 bn) by 16 %", "up 19 % on Q1 FY2026 (RMB 33.4 bn)"."""
    figure = _entry_text(entry, growth)
    size = _size(delta, delta_pct, growth)
    if compared_with == "guidance":
        if verdict == "raised":
            return f"beat the guide ({figure}) by {size}"
        if verdict == "lowered":
            return f"missed the guide ({figure}) by {size}"
        return f"in line with the guide ({figure})"
    period = format_period(entry.period, entry.company).removeprefix("at ") or entry.period_text \
        or "the previous figure"
    if compared_with == "year_ago":
        period += ", a year earlier"
    if verdict == "raised":
        return f"up {size} on {period} ({figure})"
    if verdict == "lowered":
        return f"down {size} on {period} ({figure})"
    if verdict == "restated":
        return f"level with {period} ({figure})"
    return f"previous {period} {figure}"


def headline_of(story: Story, *, with_sources: bool = True) -> str:
    """A story's alert line as of now: its stored facts rendered with today's wording, the number of
    outlets that carry it, and "unconfirmed" once it was released unconfirmed."""
    count = len(story.outlets) if with_sources else None
    unconfirmed = story.status == "released"
    if story.facts is not None:
        assessment, ledger = assessment_from_facts(story.facts)
        return headline(assessment, sources=count, unconfirmed=unconfirmed, ledger=ledger)
    # a story saved before facts were stored: its line as rendered then, without the source count
    parts = [story.text] + ([sources_text(count)] if count is not None else [])
    return " · ".join(parts + (["unconfirmed"] if unconfirmed else []))


def story_line(story: dict[str, Any] | None, stored: str, *, with_sources: bool = True) -> str:
    """The line of an alert from its saved story (JSON), or the line stored with an alert that has none."""
    return stored if story is None else headline_of(Story.from_json(story), with_sources=with_sources)


def _apsara_label(assessment: Assessment) -> str:
    apsara = assessment.apsara
    assert apsara is not None
    if apsara.period.code != assessment.period.code and apsara.period.known:
        return f"{BASELINE_EVENT_NAME} baseline ({format_period(apsara.period, apsara.company)})"
    return f"{BASELINE_EVENT_NAME} baseline"


def describe_entry(entry: LedgerEntry, superseded: bool = False) -> str:
    """One ledger entry as a table row for `python -m bot baseline show|history`."""
    period = format_period(entry.period, entry.company) or entry.period_text or "-"
    if METRICS[entry.metric].growth and entry.value is None:
        figure = _entry_text(entry, growth=True)
    else:
        figure = _entry_text(entry, growth=False)
        if entry.change_pct is not None:
            figure += f" ({_growth(entry.change_pct)})"
    flags = [flag for flag, on in ((BASELINE_EVENT_NAME, entry.apsara), ("superseded", superseded),
                                   ("context", not entry.alert), ("confirmed", entry.origin == "confirmed"))
             if on]
    scope = f" [{entry.scope}]" if entry.scope else ""
    label = METRICS[entry.metric].label + scope
    return (f"{entry.stated_on:<10}  {label[:40]:<40}  {period[:22]:<22}  {figure[:28]:<28}  "
            f"{entry.confidence}  {entry.id}" + (f"  ({', '.join(flags)})" if flags else ""))
