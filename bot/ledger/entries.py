"""The baseline ledger: what was known at Apsara 2025, and every statement confirmed since.

Pure values and parsing, no I/O but `load_ledger` (which only reads the YAML file it is given).

    load_ledger(path=None)            -> Ledger   (the shipped bot/ledger/baseline.yaml by default)
    parse_ledger(text, source=...)    -> Ledger   raises LedgerError naming the entry id and field
    Ledger.with_confirmed(*entries)   -> Ledger   the ledger grows as new statements are confirmed
    LedgerEntry.to_json() / from_json()           how the pipeline persists confirmed entries (SQLite)
    parse_period_code(code, company)  -> Period   machine periods: CY2025 FY2026 2025Q2 FY2026Q1 ...
    format_period(period, company)    -> str      "2025", "FY2026", "Q1 FY2026", "3-year", "by 2030"

Vocabularies live here so the YAML, the comparison and the alert text share them: METRICS (what a
figure measures), SCOPES (what it is about inside a metric: a region, a cloud segment, a market-share
universe, a power-deal counterparty), FISCAL_YEAR_END_MONTH (Microsoft's FY ends in June, Alibaba's in
March, the others use calendar years).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any, Literal, cast

import yaml

from bot.errors import BotError
from bot.model import BASELINE_EVENT, COMPANIES, TOPICS, Company, Topic


class LedgerError(BotError, ValueError):
    """The baseline file (or a confirmed entry) is unusable; the message names the entry id and field."""


# --------------------------------------------------------------------------------------------------
# Metrics

MetricKind = Literal["plan", "reading"]
# What kind of quantity a figure is, which decides what it is compared with (issue 12):
#   guidance  a plan or guide for a period: compared with the earlier guide of the same period
#   flow      an actual of a period (quarter, year): compared with the guide of its period if there was
#             one, else with the latest earlier period of the same series (and the year-ago period)
#   rate      a growth rate of a period: like a flow, in percentage points
#   stock     a level at a date (backlog, regions): compared with the latest known level
#   event     a one-off (a bond issue): nothing earlier to move from
Quantity = Literal["guidance", "flow", "rate", "stock", "event"]


@dataclass(frozen=True)
class MetricInfo:
    """How a metric behaves in comparisons.

    kind: a "plan" (guidance, commitment, target, deal) can be raised, lowered or re-horizoned; a
    "reading" (an actual of a period) is only revised within its own period, and a reading of another
    period is a new data point, not a change of plan.
    growth: the compared number is the growth rate (change_pct), not the level.
    scoped: the metric holds several independent figures per company (regions, segments...), told
    apart by SCOPES; without a known scope a claim can only be found restated or new.
    """

    topic: Topic | None  # None: any topic (strategy statements)
    kind: MetricKind
    label: str
    growth: bool = False
    scoped: bool = False
    quantity: Quantity = "guidance"
    guided_by: str | None = None  # the metric holding the guide for this actual's period


METRICS: dict[str, MetricInfo] = {
    "capex_plan_multi_year": MetricInfo("capex", "plan", "capex plan"),
    "capex_guidance_annual": MetricInfo("capex", "plan", "capex guidance"),
    "capex_guidance_quarter": MetricInfo("capex", "plan", "quarterly capex guidance"),
    "capex_actual_quarter": MetricInfo("capex", "reading", "quarterly capex", quantity="flow",
                                       guided_by="capex_guidance_quarter"),
    "capex_actual_annual": MetricInfo("capex", "reading", "annual capex", quantity="flow",
                                      guided_by="capex_guidance_annual"),
    "capex_actual_cumulative": MetricInfo("capex", "reading", "cumulative capex", quantity="flow"),
    "capex_regional_commitment": MetricInfo("capex", "plan", "investment commitment", scoped=True),
    "capex_financing": MetricInfo("capex", "reading", "capex financing", scoped=True, quantity="event"),
    "cloud_revenue_quarter": MetricInfo("cloud", "reading", "cloud revenue", scoped=True, quantity="flow"),
    "cloud_revenue_annual": MetricInfo("cloud", "reading", "annual cloud revenue", scoped=True,
                                       quantity="flow"),
    "cloud_growth_quarter": MetricInfo("cloud", "reading", "cloud growth", growth=True, scoped=True,
                                       quantity="rate"),
    "cloud_backlog": MetricInfo("cloud", "reading", "cloud backlog", scoped=True, quantity="stock"),
    "cloud_market_share": MetricInfo("cloud", "reading", "cloud market share", scoped=True, quantity="flow"),
    # A plan (expansion, capacity to add) except the "global" scope, the count of regions: a stock.
    "cloud_footprint": MetricInfo("cloud", "plan", "cloud footprint", scoped=True),
    "cloud_market_structure": MetricInfo("cloud", "plan", "cloud market outlook"),
    "dc_energy_consumption": MetricInfo("energy", "reading", "data-centre energy use", scoped=True,
                                        quantity="flow"),
    "dc_energy_growth_target": MetricInfo("energy", "plan", "data-centre energy growth target"),
    "clean_energy_target": MetricInfo("energy", "plan", "clean-energy target", scoped=True),
    "power_deal": MetricInfo("energy", "plan", "power deal", scoped=True),
    "pue": MetricInfo("energy", "reading", "PUE", quantity="flow"),
    "strategy_statement": MetricInfo(None, "plan", "strategy statement", scoped=True),
}


def quantity_of(metric: str, scope: str | None) -> Quantity:
    """The kind of quantity of a metric's figure; the count of cloud regions ("global") is a stock."""
    if metric == "cloud_footprint" and scope == "global":
        return "stock"
    return METRICS[metric].quantity


# --------------------------------------------------------------------------------------------------
# Scopes: what a figure is about inside a scoped metric. Keywords are matched case-insensitively on the
# claim's quote and unit; ASCII keywords on word boundaries, CJK ones as substrings. Order matters:
# the first scope (in this order) whose keyword occurs wins, so specific scopes come first.

ScopeFamily = Literal["region", "segment", "universe", "counterparty", "footprint", "strategy", "other"]


@dataclass(frozen=True)
class Scope:
    id: str
    family: ScopeFamily
    keywords: tuple[str, ...]
    companies: tuple[Company, ...] = ()  # empty: any company


SCOPES: tuple[Scope, ...] = (
    # cloud segments (company-specific first: Baidu's "intelligent cloud infrastructure" is not Microsoft's
    # "Intelligent Cloud" segment)
    Scope("baidu-ai-cloud-infra", "segment",
          ("cloud infrastructure", "智能云基础设施", "智能云基礎設施", "智慧雲基礎設施", "ai云基础设施"),
          ("baidu",)),
    Scope("baidu-non-ads", "segment", ("non-online marketing", "非在线营销", "非線上行銷", "非网络营销"),
          ("baidu",)),
    Scope("gpu-cloud", "segment", ("gpu cloud", "gpu云", "gpu雲")),
    Scope("ai-subscription", "segment", ("subscription", "订阅", "訂閱", "abonnement")),
    Scope("baidu-ai-cloud", "segment", ("ai cloud", "智能云", "智慧雲", "智能雲", "ai云", "ai雲"),
          ("baidu",)),
    Scope("tencent-fbs", "segment", ("business services", "fintech", "金融科技", "企业服务", "企業服務"),
          ("tencent",)),
    Scope("azure", "segment", ("azure",), ("microsoft",)),
    Scope("intelligent-cloud", "segment", ("intelligent cloud",), ("microsoft",)),
    Scope("microsoft-cloud", "segment", ("microsoft cloud",), ("microsoft",)),
    Scope("google-cloud", "segment", ("google cloud", "gcp"), ("google",)),
    Scope("alibaba-cloud", "segment",
          ("cloud intelligence", "alibaba cloud", "阿里云", "阿里雲", "云智能", "雲智能"), ("alibaba",)),
    # market-share universes
    Scope("china-ai-rank", "universe", ("idc", "冠军", "冠軍", "ranked first", "no. 1", "number one")),
    Scope("china-ai", "universe", ("ai cloud", "ai public cloud", "ai云", "ai雲", "omdia")),
    Scope("china", "universe", ("china", "chinese", "chine", "中国", "中國", "canalys")),
    Scope("global", "universe",
          ("global", "worldwide", "world", "mondial", "weltweit", "全球", "世界", "synergy")),
    # power-deal counterparties and kinds
    Scope("three-mile-island", "counterparty",
          ("three mile island", "crane", "constellation", "三哩岛", "三里岛")),
    Scope("kairos", "counterparty", ("kairos",)),
    Scope("commonwealth-fusion", "counterparty", ("commonwealth fusion", "cfs", "fusion")),
    Scope("brookfield", "counterparty", ("brookfield",)),
    Scope("renewable-purchase", "counterparty",
          ("kwh", "千瓦时", "千瓦時", "green electricity", "renewable energy", "绿电", "綠電")),
    Scope("portfolio", "counterparty", ("portfolio",)),
    # footprint kinds
    Scope("capacity-added", "footprint", ("capacity", "容量", "capacité", "kapazität")),
    Scope("expansion", "footprint", ("new data cent", "new region", "new countries", "first data cent")),
    # strategy statements
    Scope("industry", "strategy", ("industry", "行业", "行業", "global ai investment")),
    Scope("free-cash-flow", "strategy", ("free cash flow", "自由现金流", "自由現金流")),
    Scope("qwen-open-source", "strategy", ("qwen", "通义千问", "通義千問", "android")),
    Scope("asi-roadmap", "strategy", ("superintelligence", "asi", "超级人工智能", "超級人工智慧")),
    Scope("super-ai-cloud", "strategy", ("super ai cloud", "超级ai云", "超級ai雲")),
    # regions (for commitments, footprint, regional clean-energy goals, site power deals)
    Scope("uk", "region", ("uk", "u.k.", "britain", "british", "united kingdom", "royaume-uni",
                           "großbritannien", "grossbritannien", "英国", "英國", "イギリス")),
    Scope("germany", "region", ("germany", "german", "deutschland", "allemagne", "hessen", "hanau",
                                "dietzenbach", "德国", "德國", "ドイツ")),
    Scope("texas", "region", ("texas", "德州", "得州", "テキサス")),
    Scope("us-pjm", "region", ("pjm", "pennsylvania", "mid-atlantic", "pennsylvanie", "宾夕法尼亚", "賓州")),
    Scope("wisconsin", "region", ("wisconsin", "fairwater", "mount pleasant", "portage county")),
    Scope("saudi", "region", ("saudi", "riyadh", "arabie", "沙特", "サウジ")),
    Scope("malaysia", "region", ("malaysia", "malaisie", "马来西亚", "馬來西亞")),
    Scope("thailand", "region", ("thailand", "thaïlande", "泰国", "泰國")),
    Scope("japan", "region", ("japan", "japon", "日本")),
    Scope("south-korea", "region", ("south korea", "korea", "corée", "韩国", "韓國")),
    Scope("mexico", "region", ("mexico", "mexique", "墨西哥")),
    Scope("brazil", "region", ("brazil", "brésil", "brasilien", "巴西")),
    Scope("france", "region", ("france", "frankreich", "法国", "法國")),
    Scope("netherlands", "region", ("netherlands", "pays-bas", "niederlande", "荷兰", "荷蘭")),
    Scope("india", "region", ("india", "inde", "indien", "印度")),
    Scope("dubai", "region", ("dubai", "uae", "emirates", "迪拜")),
    # broad regions: only to recognise a list of places as an expansion plan
    Scope("europe", "region", ("europe", "européen", "europa", "欧洲", "歐洲")),
    Scope("middle-east", "region", ("middle east", "moyen-orient", "naher osten", "中东", "中東")),
    Scope("southeast-asia", "region", ("southeast asia", "south-east asia", "asean", "东南亚", "東南亞")),
    Scope("americas", "region", ("americas", "latin america", "amériques", "美洲")),
)
SCOPE_IDS: frozenset[str] = frozenset(s.id for s in SCOPES) | {"achieved"}

# Which scope families a claim of each scoped metric is looked up in (others are ignored: a market-share
# quote naming China must not be read as a regional commitment).
METRIC_SCOPE_FAMILIES: dict[str, tuple[ScopeFamily, ...]] = {
    "capex_regional_commitment": ("region",),
    "capex_financing": (),
    "cloud_revenue_quarter": ("segment",),
    "cloud_revenue_annual": ("segment",),
    "cloud_growth_quarter": ("segment",),
    "cloud_backlog": (),
    "cloud_market_share": ("universe",),
    "cloud_footprint": ("footprint", "region"),
    "dc_energy_consumption": ("region",),
    "clean_energy_target": ("region",),
    "power_deal": ("counterparty", "region"),
    "strategy_statement": ("strategy",),
}

# The segment a cloud figure is about when the quote names none: each company's headline cloud unit.
# Microsoft has three overlapping ones (Azure, Intelligent Cloud, Microsoft Cloud), so no default.
DEFAULT_CLOUD_SEGMENT: dict[str, str] = {
    "alibaba": "alibaba-cloud",
    "baidu": "baidu-ai-cloud",
    "google": "google-cloud",
    "tencent": "tencent-fbs",
}

_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")


def _keyword_pattern(keyword: str) -> str:
    if _CJK.search(keyword):
        return re.escape(keyword)
    return r"(?<![a-z0-9])" + re.escape(keyword) + r"(?![a-z0-9])"


_SCOPE_PATTERNS: tuple[tuple[Scope, re.Pattern[str]], ...] = tuple(
    (s, re.compile("|".join(_keyword_pattern(k) for k in s.keywords))) for s in SCOPES
)


def count_scopes(text: str, family: ScopeFamily) -> int:
    """How many different scopes of a family a text names (a list of countries is an expansion plan)."""
    lowered = text.lower()
    return sum(1 for scope, pattern in _SCOPE_PATTERNS if scope.family == family and pattern.search(lowered))


def find_scope(text: str, company: str, families: Iterable[ScopeFamily]) -> str | None:
    """The first scope of the given families whose keyword occurs in the text (lower-cased), else None."""
    wanted = set(families)
    lowered = text.lower()
    for scope, pattern in _SCOPE_PATTERNS:
        if scope.family in wanted and (not scope.companies or company in scope.companies) \
                and pattern.search(lowered):
            return scope.id
    return None


# --------------------------------------------------------------------------------------------------
# Fiscal calendars and periods

FISCAL_YEAR_END_MONTH: dict[str, int] = {
    "alibaba": 3, "microsoft": 6, "tencent": 12, "baidu": 12, "google": 12,
}

PeriodKind = Literal["year", "quarter", "half", "span", "horizon", "target", "point", "ltm", "since",
                     "unknown"]


def month_index(year: int, month: int) -> int:
    """Months since year 0, so periods compare and subtract as integers."""
    return year * 12 + month - 1


def month_of(index: int) -> tuple[int, int]:
    return index // 12, index % 12 + 1


@dataclass(frozen=True)
class Period:
    """A period normalised to calendar months (start and end inclusive, as month_index values).

    code is the machine form in the company's fiscal calendar (FY2026Q1 for Microsoft's Jul-Sep 2025
    quarter, 2025Q3 for Alphabet's); two periods are the same when same_period() says so, never by code.
    """

    kind: PeriodKind
    code: str
    start: int | None = None
    end: int | None = None
    years: int | None = None  # length of a horizon ("next three years")
    fiscal: bool = False  # stated in the company's fiscal calendar (differs from calendar)

    @property
    def known(self) -> bool:
        return self.kind != "unknown"


UNKNOWN_PERIOD = Period("unknown", "NA")


def fiscal_year_of(company: str, index: int) -> int:
    """The fiscal year (named by the calendar year it ends in) containing a month."""
    end_month = FISCAL_YEAR_END_MONTH.get(company, 12)
    year, month = month_of(index)
    return year + 1 if month > end_month else year


def year_period(company: str, year: int, fiscal: bool) -> Period:
    end_month = FISCAL_YEAR_END_MONTH.get(company, 12)
    if not fiscal or end_month == 12:
        return Period("year", f"CY{year}", month_index(year, 1), month_index(year, 12))
    end = month_index(year, end_month)
    return Period("year", f"FY{year}", end - 11, end, fiscal=True)


def quarter_period(company: str, start: int) -> Period:
    """The quarter starting at a month, coded in the company's calendar."""
    end_month = FISCAL_YEAR_END_MONTH.get(company, 12)
    if end_month == 12:
        year, month = month_of(start)
        return Period("quarter", f"{year}Q{(month - 1) // 3 + 1}", start, start + 2)
    fy = fiscal_year_of(company, start)
    fy_start = month_index(fy, end_month) - 11
    quarter = (start - fy_start) // 3 + 1
    return Period("quarter", f"FY{fy}Q{quarter}", start, start + 2, fiscal=True)


def fiscal_quarter_period(company: str, fiscal_year: int, quarter: int) -> Period:
    end_month = FISCAL_YEAR_END_MONTH.get(company, 12)
    fy_start = month_index(fiscal_year, end_month) - 11
    return quarter_period(company, fy_start + 3 * (quarter - 1))


def span_period(first_year: int, last_year: int) -> Period:
    return Period("span", f"{first_year}-{last_year}", month_index(first_year, 1), month_index(last_year, 12))


def horizon_period(years: int, start: int | None) -> Period:
    if start is None:
        return Period("horizon", f"+{years}Y", years=years)
    year, month = month_of(start)
    return Period("horizon", f"{year}-{month:02d}+{years}Y", start, start + 12 * years - 1, years=years)


def target_period(year: int) -> Period:
    return Period("target", f"BY{year}", None, month_index(year, 12))


_CODE_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p), name) for p, name in (
        (r"CY(\d{4})", "cy"), (r"FY(\d{4})", "fy"), (r"FY(\d{4})Q([1-4])", "fyq"),
        (r"(\d{4})Q([1-4])", "q"), (r"(\d{4})H([12])", "h"), (r"(\d{4})-(\d{4})", "span"),
        (r"(\d{4})-(\d{2})\+(\d{1,2})Y", "horizon"), (r"\+(\d{1,2})Y", "horizon_rel"),
        (r"BY(\d{4})", "target"), (r"AT(\d{4})-(\d{2})", "point"), (r"LTM(\d{4})-(\d{2})", "ltm"),
        (r"SINCE(\d{4})-(\d{2})", "since"), (r"NA", "na"),
    )
)


def parse_period_code(code: str, company: str) -> Period:
    """A machine period code (see the baseline file header) as a Period; ValueError if malformed."""
    text = code.strip()
    for pattern, name in _CODE_PATTERNS:
        m = pattern.fullmatch(text)
        if not m:
            continue
        g = [int(x) for x in m.groups()]
        if name == "cy":
            return year_period(company, g[0], fiscal=False)
        if name == "fy":
            return year_period(company, g[0], fiscal=True)
        if name == "fyq":
            return fiscal_quarter_period(company, g[0], g[1])
        if name == "q":
            return quarter_period(company, month_index(g[0], 3 * g[1] - 2))
        if name == "h":
            start = month_index(g[0], 1 if g[1] == 1 else 7)
            return Period("half", f"{g[0]}H{g[1]}", start, start + 5)
        if name == "span":
            if g[1] < g[0]:
                break
            return span_period(g[0], g[1])
        if name == "horizon":
            if not 1 <= g[1] <= 12 or g[2] == 0:
                break
            return horizon_period(g[2], month_index(g[0], g[1]))
        if name == "horizon_rel":
            return horizon_period(g[0], None)
        if name == "target":
            return target_period(g[0])
        if name in ("point", "ltm", "since"):
            if not 1 <= g[1] <= 12:
                break
            at = month_index(g[0], g[1])
            prefix = {"point": "AT", "ltm": "LTM", "since": "SINCE"}[name]
            kind = cast(PeriodKind, name)
            start = at - 11 if name == "ltm" else at
            end = None if name == "since" else at
            return Period(kind, f"{prefix}{g[0]}-{g[1]:02d}", start, end)
        return UNKNOWN_PERIOD
    raise ValueError(f"unknown period code {code!r}")


def same_period(a: Period, b: Period) -> bool:
    """Whether two periods denote the same stretch of time, so their figures are like for like.

    Horizons ("next three years") are relative to when they were said, so a plan is the same plan
    when its length matches (and, against a span of years, when the lengths are within a year).
    """
    if not a.known or not b.known:
        return False
    if a.kind == "horizon" and b.kind == "horizon":
        return a.years == b.years
    if {a.kind, b.kind} == {"horizon", "span"}:
        span, horizon = (a, b) if a.kind == "span" else (b, a)
        assert span.start is not None and span.end is not None and horizon.years is not None
        return abs((span.end - span.start + 1) - 12 * horizon.years) <= 12
    if a.kind != b.kind:
        return False
    if a.kind == "target":
        return a.end == b.end
    return (a.start, a.end) == (b.start, b.end)


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def format_period(period: Period, company: str) -> str:
    """The period as a subscriber reads it, in the company's calendar ("Q1 FY2026", "2025", "3-year")."""
    def month_text(index: int) -> str:
        year, month = month_of(index)
        return f"{_MONTHS[month - 1]} {year}"

    code = period.code
    if period.kind == "year":
        return code if period.fiscal else code.removeprefix("CY")
    if period.kind == "quarter":
        if period.fiscal:
            fy, q = code.split("Q")
            return f"Q{q} {fy}"
        year, q = code.split("Q")
        return f"Q{q} {year}"
    if period.kind == "half":
        year, h = code.split("H")
        return f"H{h} {year}"
    if period.kind == "span":
        return code.replace("-", "–")
    if period.kind == "horizon":
        return f"{period.years}-year"
    if period.kind == "target":
        return f"by {code.removeprefix('BY')}"
    if period.kind == "point" and period.end is not None:
        return f"at {month_text(period.end)}"
    if period.kind == "ltm" and period.end is not None:
        return f"12 months to {month_text(period.end)}"
    if period.kind == "since" and period.start is not None:
        return f"since {month_text(period.start)}"
    return ""


# --------------------------------------------------------------------------------------------------
# Entries and the ledger

Confidence = Literal["H", "M", "L"]
Direction = Literal["up", "down"]
CONFIDENCES: tuple[Confidence, ...] = ("H", "M", "L")


def parse_partial_date(text: str) -> date:
    """An ISO date, or "YYYY-MM" / "YYYY" taken as its first day (so ordering stays conservative)."""
    parts = text.strip().split("-")
    if not 1 <= len(parts) <= 3 or not all(p.isdigit() for p in parts):
        raise ValueError(f"not a date: {text!r}")
    numbers = [int(p) for p in parts] + [1] * (3 - len(parts))
    return date(numbers[0], numbers[1], numbers[2])


@dataclass(frozen=True)
class LedgerEntry:
    """One known statement: a figure (or a stated direction) of one company on one metric and period."""

    id: str
    company: Company
    topic: Topic
    metric: str
    period: Period
    stated_on: str  # ISO date, or "YYYY-MM" / "YYYY"
    source_url: str
    confidence: Confidence
    value: float | None = None
    value_max: float | None = None
    floor: bool = False
    currency: str | None = None
    unit: str | None = None
    change_pct: float | None = None
    direction: Direction | None = None
    qualitative: bool = False
    scope: str | None = None
    period_text: str = ""
    source: str = ""
    summary: str = ""
    supersedes: str | None = None
    apsara: bool = False
    alert: bool = True
    origin: Literal["baseline", "confirmed"] = "baseline"
    sources: tuple[str, ...] = ()  # further source URLs of a confirmed entry (its story's outlets)

    @property
    def stated_date(self) -> date:
        return parse_partial_date(self.stated_on)

    def to_json(self) -> dict[str, Any]:
        """A JSON-safe dict that from_json() reads back (the period as its code)."""
        obj: dict[str, Any] = {
            "id": self.id, "company": self.company, "topic": self.topic, "metric": self.metric,
            "period": self.period.code, "stated_on": self.stated_on, "source_url": self.source_url,
            "confidence": self.confidence,
        }
        optional: dict[str, Any] = {
            "value": self.value, "value_max": self.value_max, "floor": self.floor,
            "currency": self.currency, "unit": self.unit, "change_pct": self.change_pct,
            "direction": self.direction, "qualitative": self.qualitative, "scope": self.scope,
            "period_text": self.period_text, "source": self.source, "summary": self.summary,
            "supersedes": self.supersedes, "apsara": self.apsara, "alert": self.alert,
            "origin": self.origin, "sources": list(self.sources),
        }
        defaults = _ENTRY_DEFAULTS
        obj.update({k: v for k, v in optional.items() if v != defaults.get(k)})
        return obj

    @classmethod
    def from_json(cls, obj: Mapping[str, Any]) -> LedgerEntry:
        """Build and validate an entry from a YAML/JSON mapping; LedgerError names id and field."""
        return _entry_from_mapping(obj)


_ENTRY_DEFAULTS: dict[str, Any] = {
    "value": None, "value_max": None, "floor": False, "currency": None, "unit": None,
    "change_pct": None, "direction": None, "qualitative": False, "scope": None, "period_text": "",
    "source": "", "summary": "", "supersedes": None, "apsara": False, "alert": True,
    "origin": "baseline", "sources": [],
}
_REQUIRED = ("id", "company", "topic", "metric", "period", "stated_on", "source_url", "confidence")
_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_CURRENCY = re.compile(r"[A-Z]{3}")


def _entry_from_mapping(obj: Mapping[str, Any]) -> LedgerEntry:
    raw_id = obj.get("id")
    entry_id = str(raw_id) if raw_id is not None else "?"

    def fail(field_name: str, problem: str) -> LedgerError:
        return LedgerError(f"baseline entry {entry_id!r}: field {field_name!r}: {problem}")

    if not isinstance(obj, Mapping):
        raise LedgerError(f"baseline entry {entry_id!r}: must be a mapping")
    unknown = sorted(set(obj) - set(_REQUIRED) - set(_ENTRY_DEFAULTS))
    if unknown:
        raise fail(unknown[0], "unknown field (typo?)")
    for name in _REQUIRED:
        if obj.get(name) in (None, ""):
            raise fail(name, "is required")
    if not isinstance(raw_id, str) or not _ID.fullmatch(raw_id):
        raise fail("id", "must be lower-case words joined by dashes")
    company = obj["company"]
    if company not in COMPANIES:
        raise fail("company", f"{company!r} is not one of {', '.join(COMPANIES)}")
    topic = obj["topic"]
    if topic not in TOPICS:
        raise fail("topic", f"{topic!r} is not one of {', '.join(TOPICS)}")
    metric = obj["metric"]
    info = METRICS.get(metric) if isinstance(metric, str) else None
    if info is None:
        raise fail("metric", f"{metric!r} is not in the metric vocabulary")
    if info.topic is not None and info.topic != topic:
        raise fail("metric", f"{metric!r} belongs to topic {info.topic!r}, not {topic!r}")
    try:
        period = parse_period_code(str(obj["period"]), company)
    except ValueError as exc:
        raise fail("period", str(exc)) from None
    stated = obj["stated_on"]
    stated_text = stated.isoformat() if isinstance(stated, date) else str(stated)
    try:
        parse_partial_date(stated_text)
    except ValueError as exc:
        raise fail("stated_on", f"{exc} (use YYYY-MM-DD, or quoted YYYY-MM / YYYY)") from None
    url = str(obj["source_url"])
    if not url.startswith(("http://", "https://")):
        raise fail("source_url", "must be an http(s) URL")
    confidence = obj["confidence"]
    if confidence not in CONFIDENCES:
        raise fail("confidence", "must be H, M or L")

    def number(name: str) -> float | None:
        value = obj.get(name)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            raise fail(name, f"{value!r} is not a number")
        return float(value)

    def flag(name: str) -> bool:
        value = obj.get(name, _ENTRY_DEFAULTS[name])
        if not isinstance(value, bool):
            raise fail(name, "must be true or false")
        return value

    def text(name: str) -> str | None:
        value = obj.get(name)
        if value is None:
            return None
        if not isinstance(value, str | int | float):
            raise fail(name, "must be text")
        return str(value)

    value, value_max, change_pct = number("value"), number("value_max"), number("change_pct")
    qualitative = flag("qualitative")
    if value_max is not None and (value is None or value_max < value):
        raise fail("value_max", "needs a value and must not be below it")
    if not qualitative and value is None and change_pct is None:
        raise fail("value", "is required unless change_pct is given or the entry is qualitative: true")
    currency = text("currency")
    if currency is not None and not _CURRENCY.fullmatch(currency):
        raise fail("currency", f"{currency!r} is not an ISO currency code")
    direction = obj.get("direction")
    if direction not in (None, "up", "down"):
        raise fail("direction", "must be up or down")
    scope = text("scope")
    if scope is not None and scope not in SCOPE_IDS:
        raise fail("scope", f"{scope!r} is not in the scope vocabulary")
    origin = obj.get("origin", "baseline")
    if origin not in ("baseline", "confirmed"):
        raise fail("origin", "must be baseline or confirmed")
    sources = obj.get("sources") or []
    if not isinstance(sources, list) or not all(isinstance(s, str) for s in sources):
        raise fail("sources", "must be a list of URLs")
    return LedgerEntry(
        id=raw_id, company=company, topic=topic, metric=metric, period=period, stated_on=stated_text,
        source_url=url, confidence=confidence, value=value, value_max=value_max, floor=flag("floor"),
        currency=currency, unit=text("unit"), change_pct=change_pct, direction=direction,
        qualitative=qualitative, scope=scope, period_text=text("period_text") or "",
        source=text("source") or "", summary=text("summary") or "", supersedes=text("supersedes"),
        apsara=flag("apsara"), alert=flag("alert"), origin=origin, sources=tuple(sources),
    )


@dataclass(frozen=True)
class Ledger:
    """The baseline plus confirmed statements, with the fixed FX table and the restatement tolerance."""

    entries: tuple[LedgerEntry, ...]
    fx_usd_per_unit: Mapping[str, float] = field(default_factory=lambda: {"USD": 1.0})
    tolerance_pct: float = 5.0
    baseline_as_of: date = date(2025, 9, 26)
    event_name: str = BASELINE_EVENT
    event_date: date = date(2025, 9, 24)

    def __post_init__(self) -> None:
        _check_links(self.entries)

    def __iter__(self) -> Iterator[LedgerEntry]:
        return iter(self.entries)

    def get(self, entry_id: str) -> LedgerEntry | None:
        return next((e for e in self.entries if e.id == entry_id), None)

    def with_confirmed(self, *new: LedgerEntry) -> Ledger:
        """A ledger that also holds these newly confirmed entries (ids must be new, links must resolve)."""
        return replace(self, entries=self.entries + tuple(new))

    def superseded_ids(self) -> frozenset[str]:
        return frozenset(e.supersedes for e in self.entries if e.supersedes)

    def history(self, metric: str, company: str | None = None) -> list[LedgerEntry]:
        """Entries of a metric (optionally of one company), oldest statement first."""
        found = [e for e in self.entries if e.metric == metric and (company is None or e.company == company)]
        return sorted(found, key=lambda e: (e.stated_date, e.id))

    def for_company(self, company: str | None = None) -> list[LedgerEntry]:
        found = [e for e in self.entries if company is None or e.company == company]
        return sorted(found, key=lambda e: (e.company, e.topic, e.metric, e.stated_date, e.id))

    def summary(self) -> str:
        """ "as of 2025-09-26 (Apsara 2025, 2025-09-24); restated within 5 %": the baseline's date, event and
        tolerance, as `baseline show` and /baseline introduce it."""
        return (f"as of {self.baseline_as_of} ({self.event_name}, {self.event_date}); "
                f"restated within {self.tolerance_pct:g} %")

    def to_usd(self, value: float, currency: str | None) -> float | None:
        """A money value at the fixed rate; None for an unknown currency (never guess a rate)."""
        if currency is None:
            return None
        rate = self.fx_usd_per_unit.get(currency.upper())
        return None if rate is None else value * rate


def _check_links(entries: Iterable[LedgerEntry]) -> None:
    seen: set[str] = set()
    listed = list(entries)
    for entry in listed:
        if entry.id in seen:
            raise LedgerError(f"baseline entry {entry.id!r}: field 'id': duplicate id")
        seen.add(entry.id)
    for entry in listed:
        if entry.supersedes is not None and entry.supersedes not in seen:
            raise LedgerError(
                f"baseline entry {entry.id!r}: field 'supersedes': no entry {entry.supersedes!r}")


def parse_ledger(text: str, source: str = "baseline") -> Ledger:
    """Parse and validate the baseline YAML; every problem raises LedgerError naming id and field."""
    try:
        doc = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise LedgerError(f"{source}: not valid YAML: {exc}") from None
    if not isinstance(doc, dict):
        raise LedgerError(f"{source}: must be a mapping with an 'entries' list")
    raw_entries = doc.get("entries")
    if not isinstance(raw_entries, list) or not raw_entries:
        raise LedgerError(f"{source}: field 'entries' must be a non-empty list")
    fx_raw = doc.get("fx_usd_per_unit") or {"USD": 1.0}
    if not isinstance(fx_raw, dict) or not all(
            isinstance(k, str) and _CURRENCY.fullmatch(k) and isinstance(v, int | float) and v > 0
            for k, v in fx_raw.items()):
        raise LedgerError(f"{source}: field 'fx_usd_per_unit' must map ISO codes to positive rates")
    fx = {str(k): float(v) for k, v in fx_raw.items()}
    tolerance = doc.get("restatement_tolerance_pct", 5)
    if not isinstance(tolerance, int | float) or not 0 <= tolerance < 100:
        raise LedgerError(f"{source}: field 'restatement_tolerance_pct' must be a percentage")
    entries: list[LedgerEntry] = []
    for index, raw in enumerate(raw_entries):
        if not isinstance(raw, dict):
            raise LedgerError(f"{source}: entry #{index + 1} must be a mapping")
        entry = _entry_from_mapping(raw)
        if entry.currency is not None and entry.currency not in fx:
            raise LedgerError(f"baseline entry {entry.id!r}: field 'currency': no fixed rate for "
                              f"{entry.currency} in fx_usd_per_unit")
        entries.append(entry)
    event = doc.get("baseline_event") or {}
    try:
        as_of = parse_partial_date(str(doc.get("baseline_as_of", "2025-09-26")))
        event_date = parse_partial_date(str(event.get("date", "2025-09-24")))
    except ValueError as exc:
        raise LedgerError(f"{source}: {exc}") from None
    return Ledger(entries=tuple(entries), fx_usd_per_unit=fx, tolerance_pct=float(tolerance),
                  baseline_as_of=as_of, event_name=BASELINE_EVENT, event_date=event_date)


DEFAULT_BASELINE = Path(__file__).resolve().parent / "baseline.yaml"


def load_ledger(path: Path | None = None) -> Ledger:
    """The ledger from a YAML file (default: the baseline shipped in the package)."""
    target = path or DEFAULT_BASELINE
    return parse_ledger(target.read_text(encoding="utf-8"), source=str(target))
