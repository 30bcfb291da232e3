"""Compare a claim with the ledger: like with like, then a verdict.

    assess(claim, ledger, article_date) -> Assessment       pure; the whole comparison
    classify(claim, article_date)       -> Classification   metric, period, scope, figure of a claim
    entry_from_assessment(...)          -> LedgerEntry      what to add to the ledger once confirmed

How a verdict is reached (issue 5):
1. Classify the claim: its metric (controlled vocabulary in bot.ledger.entries.METRICS), its period in the
   company's fiscal calendar (relative periods resolved against the article date), its scope (region,
   cloud segment, market-share universe, power-deal counterparty) and its figure, normalised for
   comparison (money in USD at the ledger's fixed rates, energy in MWh, power in MW).
2. Candidates are the ledger entries of the same company, metric and scope that were known at the
   article's date (an old article is judged against what was known then). Context entries
   (alert: false) are never candidates.
3. Same period: a figure within the tolerance (5 %) of any candidate is `restated` (of that entry,
   flagged stale if it was since superseded); otherwise it is compared with the latest candidate:
   `raised` / `lowered` with delta and percent. Floors ("more than $30 bn") and ranges ("$91-93 bn",
   compared by their midpoint) follow the rules in _compare_figures. A claim without a figure is
   compared by direction: explicit revision wording ("below its earlier guidance") decides; else a
   direction opposite to the known one ("growth will be higher" against "growth lower than last year")
   is a change; else it is a restatement.
4. Another period: for plans (guidance, commitments, targets, deals) a later period is
   `horizon_changed`.
5. Nothing known for the company and metric (or no comparable unit): `new`. When the period or the
   scope of the claim is unknown, only `restated` or `new` can result, never a change: the bot does
   not announce a raise it cannot pin to a period and a scope.

Series and stocks (issue 12): the ledger says per metric what kind of quantity it is
(bot.ledger.entries.Quantity), and the comparison follows it:
- an actual of a period that had a guide (an entry stated before the period ended, or the metric's
  `guided_by` guidance) is compared with the guide: above `raised` ("beat"), below `lowered` ("missed");
- an actual of a new period is compared with the latest earlier period of the same length in the same
  series (sequential), and with the same period a year earlier when the ledger has it (`also`); growth
  rates in percentage points; `new` only when the series has nothing earlier;
- a stock (backlog, count of regions) is compared with the latest level known at its date;
- a guide for a later quarter than the last guide moves the horizon.
Every assessment says what it was compared with (`compared_with`: guidance, previous_period, year_ago,
same_period, stock, none) and carries that entry (`baseline`, `previous` in JSON).
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, replace
from datetime import date, timedelta
from typing import Any, Literal

from bot.analysis.periods import BARE_PERIODS_FISCAL, article_date_of, period_from_text, reference_month
from bot.ledger.entries import (
    DEFAULT_CLOUD_SEGMENT,
    METRIC_SCOPE_FAMILIES,
    METRICS,
    UNKNOWN_PERIOD,
    Confidence,
    Direction,
    Ledger,
    LedgerEntry,
    Period,
    count_scopes,
    find_scope,
    fiscal_year_of,
    format_period,
    month_index,
    month_of,
    quantity_of,
    same_period,
    year_period,
)
from bot.model import Claim

Verdict = Literal["new", "restated", "raised", "lowered", "horizon_changed"]
# What a verdict was reached against (issue 12): the guide of the claim's period, the latest earlier
# period of the same series, the same period a year earlier, an earlier statement of the same period,
# the latest known stock, or nothing.
ComparedWith = Literal["guidance", "previous_period", "year_ago", "same_period", "stock", "none"]
COMPARED_WITH: tuple[ComparedWith, ...] = ("guidance", "previous_period", "year_ago", "same_period", "stock",
                                           "none")


# --------------------------------------------------------------------------------------------------
# Figures: a claim's or an entry's number in a comparable unit


@dataclass(frozen=True)
class Figure:
    """A number ready for comparison: low (and high, for a range) in the unit family's base unit."""

    family: str  # "USD" for money, "MWh", "MW", "%", "% of revenue", "x", "PUE", or a count noun
    low: float
    high: float | None = None
    floor: bool = False

    @property
    def mid(self) -> float:
        return self.low if self.high is None else (self.low + self.high) / 2


_ENERGY_FACTORS = {"kwh": 1e-3, "mwh": 1.0, "gwh": 1e3, "twh": 1e6}
_POWER_FACTORS = {"kw": 1e-3, "mw": 1.0, "gw": 1e3}
_COUNT_SYNONYMS = {"region": "regions", "zone": "zones", "zones": "zones", "platform": "platforms",
                   "country": "countries", "centre": "data centres", "center": "data centres",
                   "datacenters": "data centres", "datacentres": "data centres"}


def unit_family(unit: str | None, currency: str | None) -> tuple[str, float] | None:
    """(family, factor to the family's base unit) for a unit; None when there is nothing to compare."""
    if currency:
        return ("money", 1.0)
    if not unit:
        return ("", 1.0)
    u = unit.strip().lower()
    head = re.split(r"[\s(]", u, maxsplit=1)[0]
    if head in _ENERGY_FACTORS:
        return ("MWh", _ENERGY_FACTORS[head])
    if head in _POWER_FACTORS:
        return ("MW", _POWER_FACTORS[head])
    if u.startswith("%") or u.startswith("percent"):
        return ("% of revenue", 1.0) if "revenue" in u else ("%", 1.0)
    if head in ("x", "×", "times", "fold"):
        return ("x", 1.0)
    if head == "pue":
        return ("PUE", 1.0)
    if head == "rank":
        return ("rank", 1.0)
    words = re.findall(r"[a-z]+", u)
    for word in words:
        if word in _COUNT_SYNONYMS.values():
            return (word, 1.0)
        if word in _COUNT_SYNONYMS:
            return (_COUNT_SYNONYMS[word], 1.0)
    return (words[-1] if words else u, 1.0)


def _figure(ledger: Ledger, value: float | None, value_max: float | None, currency: str | None,
            unit: str | None, floor: bool) -> Figure | None:
    if value is None:
        return None
    family = unit_family(unit, currency)
    if family is None:
        return None
    name, factor = family
    if name == "money":
        low = ledger.to_usd(value, currency)
        high = ledger.to_usd(value_max, currency) if value_max is not None else None
        if low is None:
            return None
        return Figure("USD", low, high, floor)
    return Figure(name, value * factor, value_max * factor if value_max is not None else None, floor)


GROWTH = "% growth"


def entry_figure(ledger: Ledger, entry: LedgerEntry, growth: bool) -> Figure | None:
    """An entry's figure; its growth rate for growth metrics (and for growth-only claims)."""
    if growth:
        return None if entry.change_pct is None else Figure(GROWTH, entry.change_pct)
    return _figure(ledger, entry.value, entry.value_max, entry.currency, entry.unit, entry.floor)


# --------------------------------------------------------------------------------------------------
# Classification of a claim

# "More than / at least" right before a figure: the figure is a floor. Only adjacent wording counts
# ("over the next three years" does not make "$53 billion" a floor).
_FLOOR = re.compile(
    r"(?:\b(?:more than|over|above|exceed(?:s|ed|ing)?|at least|upwards of|north of|in excess of|"
    r"surpass(?:es|ed|ing)?|top(?:s|ped)?|beyond|plus de|au moins|au-delà de|mehr als|über|mindestens)"
    r"|超过|超過|逾|至少|突破|多于|不低于|不少于)"
    r"\s*(?:about |around |approximately |roughly |some |rmb|cny|usd|us\$|\$|€|£|¥|hk\$|s\$|"
    r"人民币|人民幣|\s)*\d"
    r"|\d[\d.,]*\s*(?:[a-z¥$€£]{0,8}\s*)?(?:billion|bn|million|亿|億|万亿|兆)?\s*(?:yuan|元|dollars|美元|euros|欧元)?\s*"
    r"(?:以上|之上|plus)")
_FORWARD = re.compile(
    r"\b(?:will|plan(?:s|ned)?|expect(?:s|ed)?|forecast(?:s|ed)?|guid(?:e|ance|ed)|outlook|intend(?:s|ed)?|"
    r"aim(?:s|ed)?|target(?:s|ed)?|budget(?:s|ed)?|set to|to spend|to invest|project(?:s|ed)|anticipate[sd]?|"
    r"commit(?:s|ted)?|pledge[sd]?|on track)\b|计划|計劃|计画|預計|预计|预期|將|将|拟|擬|prévoit|prévu|"
    r"envisage|"
    r"compte|va investir|wird|plant|erwartet|予定|見込み|計画")
# "融资租赁" (finance leases) is part of capex, not a way of financing it
# A growth rate said as a guide ("expects Azure to grow 37 %"); "ahead of its forecast" is an actual.
_GUIDE_WORDS = re.compile(r"\b(?:will|expects?|expected to|guid(?:es|ed|ance)|outlook|sees|projects?|"
                          r"anticipates?)\b|预计|預計|预期|見込み|erwartet|prévoit")
_FINANCING = re.compile(r"\b(?:convertible|bonds?|notes offering|financing|loan)\b|可转债|可轉債|债券|債券|"
                        r"融资(?!租赁)|融資(?!租賃)")
_SHARE = re.compile(r"\bshare\b|market share|part de marché|marktanteil|份额|份額|占比|市占|シェア|"
                    r"\bleader\b|冠军|冠軍|"
                    r"ranked|\bno\. ?1\b|number one|first place")
_FOOTPRINT = re.compile(r"\bregions?\b|availability zones?|data ?cent(?:er|re)s?|datacent(?:er|re)s?|"
                        r"footprint|"
                        r"capacity|rechenzentr|centres? de données|数据中心|資料中心|數據中心|"
                        r"データセンター|\bzones?\b|"
                        r"servers?|可用区|地域|节点")
_BUILDOUT = re.compile(r"cloud network|build-?out|build out|expan(?:d|sion)|new data ?cent|open(?:s|ed|ing)? "
                       r"(?:its |a |the )?\w* ?data ?cent|扩建|擴建|新建|布局|ausbau|erweitert")
_BACKLOG = re.compile(r"backlog|remaining performance obligation|\brpo\b|积压|未履约|未履約|"
                      r"carnet de commandes|auftragsbestand|受注残")
_STRUCTURE = re.compile(r"super cloud|platforms|超级云|超級雲")
_GROWTH = re.compile(r"grow|growth|grew|slow|decelerat|accelerat|增长|增長|增速|放缓|放緩|croissance|"
                     r"wachstum")
_PUE = re.compile(r"\bpue\b|power usage effectiveness|电能利用效率")
_MULTIPLIER = re.compile(r"tenfold|\b\w+fold\b|十倍|\d+\s*倍|\bx\s?\d+\b|\d+\s?x\b|fois plus|mal so viel")
_CLEAN = re.compile(r"renewable|green|clean|carbon[\s-]free|zero[\s-]carbon|carbon neutral|net[\s-]zero|"
                    r"solar|wind|"
                    r"hydro|nuclear|可再生|绿色|綠色|绿电|綠電|清洁|清潔|碳中和|renouvelable|verte|propre|"
                    r"erneuerbar|"
                    r"grün|再生可能|太陽光|太陽能|太阳能|储能|儲能")
_DEAL = re.compile(r"\bppa\b|agreement|deal|contract|offtake|purchase|buy|nuclear|reactor|smr|fusion|"
                   r"solar|wind|"
                   r"hydro|plant|centrale|协议|協議|合同|购电|購電|核电|核電|accord|vertrag|kraftwerk|契約|"
                   r"発電")

_UP = re.compile(
    r"\b(?:rais(?:e|es|ed|ing)|increas(?:e|es|ed|ing)|higher|more|boost(?:s|ed|ing)?|accelerat(?:e|es|ed|"
    r"ing)|"
    r"further|step(?:s|ped)? up|ramp(?:s|ed)? up|expand(?:s|ed|ing)?|grow(?:s|ing)?|above|beyond|massive)\b|"
    r"加大|增加|提高|上调|上調|扩大|擴大|加码|加碼|进一步|進一步|超过|超過|augment|hausse|accroître|"
    r"renforcer|"
    r"erhöh|steiger|ausbau|増加|拡大")
_DOWN = re.compile(
    r"\b(?:lower(?:s|ed|ing)?|cut(?:s|ting)?|reduc(?:e|es|ed|ing)|below|slow(?:s|ed|ing|er)?|declin(?:e|"
    r"es|ed|ing)|"
    r"temper(?:s|ed|ing)?|trim(?:s|med)?|scal(?:e|es|ed) back|moderat(?:e|es|ed|ing)|decelerat(?:e|es|ed|"
    r"ing)|"
    r"less|fewer|fall(?:s|ing)?|fell|drop(?:s|ped)?)\b|下调|下調|减少|減少|低于|低於|放缓|放緩|削减|削減|"
    r"收缩|收縮|"
    r"baisse|réduire|ralenti|senk|kürz|verlangsam|減少|削減")
# Wording that states a revision of earlier guidance: it decides the direction on its own.
_REVISED_DOWN = re.compile(
    r"below (?:its |the |their )?(?:earlier|previous|prior|original|initial)? ?(?:guidance|forecast|"
    r"outlook|plan|range)|"
    r"(?:cut|lower(?:ed)?|reduc(?:ed|es)|trim(?:med)?) (?:its |the |their )?(?:capex |"
    r"spending )?(?:guidance|forecast|"
    r"outlook|plan|target)|低于(?:此前|先前|原|之前)?(?:指引|预期|预测)|下调(?:了)?(?:资本开支|"
    r"资本支出)?(?:指引|预期|目标)|"
    r"(?:less|lower) than (?:previously |originally )?(?:planned|expected|guided|forecast)")
_REVISED_UP = re.compile(
    r"above (?:its |the |their )?(?:earlier|previous|prior|original|initial)? ?(?:guidance|forecast|"
    r"outlook|plan|range)|"
    r"(?:rais(?:ed|es|ing)|lift(?:ed|s)|increas(?:ed|es)|boost(?:ed|s)|hik(?:ed|es)) (?:its |the |their )?"
    r"(?:\w+ )?(?:capex |spending )?(?:guidance|forecast|outlook|plan|target|estimate)|"
    r"(?:higher|more) than (?:previously |originally |initially )?(?:planned|expected|guided|forecast|"
    r"anticipated)|"
    r"(?:growth|spending|capex|investment)s? (?:\w+ ){0,3}(?:higher|faster|accelerat\w*) than (?:last|"
    r"the previous|"
    r"the prior|a) ?(?:fiscal )?year|"
    r"远超(?:过)?(?:初始|此前|原)?(?:预期|预估)|遠超(?:過)?(?:初始|此前|原)?(?:預期|預估)|"
    r"上调(?:了)?(?:资本开支|资本支出)?(?:指引|预期|目标)|"
    r"on top of|beyond the|exceed(?:s|ed)? (?:the|its) (?:previous|earlier|original)")
_REVISED_DOWN_GROWTH = re.compile(
    r"(?:growth|spending|capex|investment)s? (?:\w+ ){0,3}(?:lower|slower) than (?:last|the previous|"
    r"the prior|a) ?"
    r"(?:fiscal )?year")


def claim_direction(text: str) -> Direction | None:
    """The direction a statement gives (up / down), revision wording first; None when neutral."""
    revised = revision_direction(text)
    if revised is not None:
        return revised
    t = text.lower()
    up, down = len(_UP.findall(t)), len(_DOWN.findall(t))
    if up > down:
        return "up"
    if down > up:
        return "down"
    return None


def revision_direction(text: str) -> Direction | None:
    """Direction only when the text states a revision of earlier guidance or last year's pace."""
    t = text.lower()
    if _REVISED_DOWN.search(t) or _REVISED_DOWN_GROWTH.search(t):
        return "down"
    if _REVISED_UP.search(t):
        return "up"
    return None


@dataclass(frozen=True)
class Classification:
    metric: str
    period: Period
    scope: str | None
    figure: Figure | None
    direction: Direction | None
    scope_known: bool  # False: a scoped metric whose scope the claim does not name
    forward: bool = False  # a guide or plan for a period not over at the article's date


def _is_forward(period: Period, ref: int | None, text: str) -> bool:
    if period.end is not None and ref is not None:
        # A period that has not ended at the article's date cannot have an actual yet.
        return period.end >= ref
    return bool(_FORWARD.search(text))


def classify_metric(claim: Claim, period: Period, ref: int | None) -> str:
    """The metric (bot.ledger.entries.METRICS) a claim's figure measures, from its fields and wording."""
    text = f"{claim.quote} {claim.unit or ''}".lower()
    unit = (claim.unit or "").lower()
    family = unit_family(claim.unit, claim.currency)
    family_name = family[0] if family else ""
    if claim.topic == "capex":
        if _FINANCING.search(text):
            return "capex_financing"
        if "free cash flow" in text or "自由现金流" in text:
            return "strategy_statement"
        if family_name == "% of revenue":
            return "capex_guidance_annual"
        if find_scope(text, claim.company, ("region",)) and period.kind != "quarter":
            return "capex_regional_commitment"
        if period.kind in ("horizon", "span"):
            return "capex_plan_multi_year"
        if period.kind in ("since", "ltm"):
            return "capex_actual_cumulative"
        if period.kind == "quarter":
            return "capex_guidance_quarter" if _is_forward(period, ref, text) else "capex_actual_quarter"
        if period.kind in ("year", "half"):
            return "capex_guidance_annual" if _is_forward(period, ref, text) else "capex_actual_annual"
        if claim.amount is None:
            return "capex_guidance_annual"
        return "capex_guidance_annual" if _FORWARD.search(text) else "capex_actual_annual"
    if claim.topic == "cloud":
        if "share" in unit or family_name == "rank" or (
                _SHARE.search(text) and family_name in ("%", "", "rank")):
            return "cloud_market_share"
        if _BACKLOG.search(text):
            return "cloud_backlog"
        if _STRUCTURE.search(text) and claim.currency is None:
            return "cloud_market_structure"
        bare = claim.amount is None and claim.change_pct is None
        if bare and _BUILDOUT.search(text):
            return "cloud_footprint"
        if claim.currency is None and (_FOOTPRINT.search(unit) or (bare and _FOOTPRINT.search(text))):
            return "cloud_footprint"
        if claim.amount is not None and claim.currency is not None:
            if period.kind == "year":
                return "cloud_revenue_annual"
            return "cloud_revenue_quarter"
        if claim.change_pct is not None:
            return "cloud_growth_quarter"
        if claim.amount is not None and _FOOTPRINT.search(text):
            return "cloud_footprint"
        if _GROWTH.search(text):
            return "cloud_growth_quarter"
        return "strategy_statement"
    # energy
    if _PUE.search(text) or family_name == "PUE":
        return "pue"
    if family_name == "x" or _MULTIPLIER.search(text):
        return "dc_energy_growth_target"
    if family_name not in ("MWh", "MW") and _CLEAN.search(text) and (
            period.kind == "target" or "target" in unit or "share" in unit or family_name == "%"):
        return "clean_energy_target"
    if family_name == "MWh":
        return "power_deal" if _CLEAN.search(text) and _DEAL.search(text) else "dc_energy_consumption"
    if family_name == "MW":
        deal = _DEAL.search(text) or _CLEAN.search(text) or find_scope(text, claim.company, ("counterparty",))
        return "power_deal" if deal else "dc_energy_consumption"
    if family_name == "%" or "%" in unit:
        clean = _CLEAN.search(text) or "renewable" in unit
        return "clean_energy_target" if clean else "dc_energy_consumption"
    if claim.amount is None and claim.change_pct is not None:
        return "dc_energy_consumption"
    if _DEAL.search(text) and not re.search(r"carbon neutral|碳中和|net[\s-]zero", text):
        return "power_deal"
    if _CLEAN.search(text):
        return "clean_energy_target"
    return "dc_energy_consumption"


def classify_scope(claim: Claim, metric: str, period: Period) -> tuple[str | None, bool]:
    """(scope, known): the scope the claim is about within its metric; known False means "cannot tell"."""
    if not METRICS[metric].scoped:
        return None, True
    families = METRIC_SCOPE_FAMILIES.get(metric, ())
    if not families:
        return None, True  # one figure per company (the backlog): nothing to tell apart
    text = f"{claim.quote} {claim.unit or ''}"
    # The unit is the most specific statement of what a figure is about ("GPU cloud revenue").
    scope = (find_scope(claim.unit or "", claim.company, families)
             or find_scope(text, claim.company, families)) if families else None
    if metric in ("cloud_revenue_quarter", "cloud_revenue_annual", "cloud_growth_quarter"):
        scope = scope or DEFAULT_CLOUD_SEGMENT.get(claim.company)
        return scope, scope is not None
    if metric == "clean_energy_target" and scope is None:
        # A share reached in a past year is an achievement, not the target.
        return ("achieved" if period.kind in ("year", "half", "quarter") else None), True
    if metric == "strategy_statement" and scope is None:
        return None, True
    if metric == "cloud_footprint" and count_scopes(text, "region") >= 3:
        return "expansion", True
    if metric == "cloud_footprint" and scope is None:
        return ("global" if "region" in (claim.unit or "").lower() else None), \
            "region" in (claim.unit or "").lower()
    return scope, scope is not None


def classify(claim: Claim, ledger: Ledger, article_date: date | str | None) -> Classification:
    """Metric, period, scope and comparable figure of a claim."""
    ref = reference_month(article_date)
    period = period_from_text(claim.period, claim.company, ref)
    if not period.known and claim.period is None:
        # The extractor gave no period: look for an explicit one in the quote (never a relative one but a
        # quarter: "third-quarter sales" in the claim's own sentence is the latest third quarter).
        period = period_from_text(claim.quote, claim.company, None)
        if not period.known:
            # ... and the trailing twelve months ("over the past four quarters") of the claim's sentence
            quarter = period_from_text(claim.quote, claim.company, ref)
            period = quarter if quarter.kind in ("quarter", "ltm") else period
    elif claim.period is not None:
        # "first quarter" or "fiscal 2025" from the extractor, "first quarter of fiscal 2026" in the quote:
        # the quote's explicit period wins when it is the same kind or lies inside the extractor's one.
        explicit = period_from_text(claim.quote, claim.company, None)
        if not explicit.known and not period.known:
            # "Quartal" from the extractor, "im dritten Quartal" in the quote: the latest such quarter
            quarter = period_from_text(claim.quote, claim.company, ref)
            explicit = quarter if quarter.kind == "quarter" else explicit
        if explicit.known and explicit.start is not None and explicit.end is not None and (
                not period.known or (explicit.kind == period.kind and not re.search(r"\d{4}", claim.period))
                or (period.start is not None and period.end is not None and explicit.kind == "quarter"
                    and period.kind == "year" and period.start <= explicit.start and explicit.end <= period.end)):
            period = explicit
        elif explicit.kind == "target" and period.kind == "year":
            # "by 2032, ten times 2022" read as "2022": the target year is the claim's period
            period = explicit
    metric = classify_metric(claim, period, ref)
    if not period.known and claim.period is None and metric == "cloud_growth_quarter" and ref is not None \
            and not _GUIDE_WORDS.search(claim.quote.lower()):
        # "Azure grew 40 %" with no period at all: a growth rate is reported with the quarter's results,
        # so it is the latest completed quarter at the article's date.
        period = period_from_text("the quarter", claim.company, ref)
    if (not period.known and metric == "capex_guidance_annual" and claim.amount is None and ref is not None):
        # "plans a massive increase in capex": the plan of the (fiscal) year under way.
        fiscal = claim.company in BARE_PERIODS_FISCAL
        year = fiscal_year_of(claim.company, ref) if fiscal else ref // 12
        period = year_period(claim.company, year, fiscal)
    scope, scope_known = classify_scope(claim, metric, period)
    if METRICS[metric].growth or (claim.amount is None and claim.change_pct is not None):
        # A growth rate without a level ("AI capacity up 80 %") compares with growth rates only.
        figure = None if claim.change_pct is None else Figure(GROWTH, claim.change_pct)
    else:
        floor = bool(_FLOOR.search(claim.quote.lower())) and claim.amount_max is None
        figure = _figure(ledger, claim.amount, claim.amount_max, claim.currency, claim.unit, floor)
    direction = claim_direction(claim.quote) if figure is None else None
    forward = _is_forward(period, ref, claim.quote.lower()) if period.known else bool(
        _FORWARD.search(claim.quote.lower()))
    return Classification(metric, period, scope, figure, direction, scope_known, forward)


# --------------------------------------------------------------------------------------------------
# The assessment


@dataclass(frozen=True)
class Assessment:
    """The comparison of one claim with the ledger (pure value; to_json() for the CLI and the store)."""

    claim: Claim
    verdict: Verdict
    metric: str
    period: Period
    scope: str | None
    figure: Figure | None
    direction: Direction | None
    baseline: LedgerEntry | None  # the entry compared with (the previous reading for a new reading)
    baseline_figure: Figure | None
    apsara: LedgerEntry | None  # what was known at Apsara 2025 for the same metric and scope
    delta: float | None = None  # figure - baseline, in the figure's base unit (USD for money)
    delta_pct: float | None = None
    stale: bool = False  # restates an entry that was superseded later
    note: str = ""
    compared_with: ComparedWith = "none"  # what `baseline` is to this claim
    forward: bool = False  # the claim is a guide or plan, not an actual
    also: tuple[Reference, ...] = ()  # further comparisons shown with the verdict (year ago, sequential)

    def to_json(self) -> dict[str, Any]:
        """The claim's JSON (the `claims` contract) plus the comparison keys."""
        obj = self.claim.to_json()
        obj.update(self.comparison_json())
        return obj

    def comparison_json(self) -> dict[str, Any]:
        base = self.baseline
        base_value = None if base is None else base.change_pct if METRICS[self.metric].growth else base.value
        return {
            "verdict": self.verdict,
            "metric": self.metric,
            "period_code": self.period.code,
            "scope": self.scope,
            "baseline_id": base.id if base else None,
            "baseline_value": base_value,
            "baseline_currency": base.currency if base else None,
            "delta_pct": None if self.delta_pct is None else round(self.delta_pct, 2),
            "apsara_id": self.apsara.id if self.apsara else None,
            "stale": self.stale,
            "note": self.note,
            "compared_with": self.compared_with,
            "apsara": None if self.apsara is None else previous_json(self.apsara, self.growth),
            "previous": None if base is None or self.compared_with == "none" else previous_json(base, self.growth),
            "also": [{"compared_with": r.compared_with, "previous": previous_json(r.entry, self.growth),
                      "delta_pct": None if r.delta_pct is None else round(r.delta_pct, 2)} for r in self.also],
        }

    @property
    def growth(self) -> bool:
        """The figure compared is a growth rate (percentage points), not a level."""
        return self.figure is not None and self.figure.family == GROWTH


def previous_json(entry: LedgerEntry, growth: bool) -> dict[str, Any]:
    """The figure and period a verdict was compared with, for `claims --compare`, the store and /why."""
    return {
        "id": entry.id,
        "value": entry.change_pct if growth else entry.value,
        "value_max": None if growth else entry.value_max,
        "currency": None if growth else entry.currency,
        "unit": "% growth" if growth else entry.unit,
        "floor": entry.floor and not growth,
        "period_code": entry.period.code,
        "period": format_period(entry.period, entry.company) or entry.period_text,
        "stated_on": entry.stated_on,
        "guide": is_guide(entry),
    }


@dataclass(frozen=True)
class Reference:
    """A further comparison shown with a verdict: the year-ago period, or the previous one after a guide."""

    compared_with: ComparedWith
    entry: LedgerEntry
    delta: float | None
    delta_pct: float | None


def is_guide(entry: LedgerEntry) -> bool:
    """A guide or plan, not an actual: a guidance metric, or a figure stated before its period ended."""
    if METRICS[entry.metric].quantity == "guidance":
        return True
    end = entry.period.end
    stated = month_index(entry.stated_date.year, entry.stated_date.month)
    return quantity_of(entry.metric, entry.scope) in ("flow", "rate") and end is not None and stated <= end


def assessment_facts(assessment: Assessment, ledger: Ledger) -> dict[str, Any]:
    """What an alert line says, as JSON facts: the whole assessment (claim, period, figures, the
    ledger entries it cites) and the fixed rates of its currencies. Stored with the story, so the line
    is rendered when it is sent (bot.delivery.headline) and can be re-worded for old alerts."""
    a = assessment
    currencies = {c.upper() for c in (a.claim.currency, a.baseline.currency if a.baseline else None) if c}
    return {
        "claim": a.claim.to_json(), "verdict": a.verdict, "metric": a.metric, "period": asdict(a.period),
        "scope": a.scope, "figure": _figure_json(a.figure), "direction": a.direction,
        "baseline": a.baseline.to_json() if a.baseline else None,
        "baseline_figure": _figure_json(a.baseline_figure), "apsara": a.apsara.to_json() if a.apsara else None,
        "delta": a.delta, "delta_pct": a.delta_pct, "stale": a.stale, "note": a.note,
        "compared_with": a.compared_with, "forward": a.forward,
        "also": [{"compared_with": r.compared_with, "entry": r.entry.to_json(), "delta": r.delta,
                  "delta_pct": r.delta_pct} for r in a.also],
        "fx_usd_per_unit": {c: ledger.fx_usd_per_unit[c] for c in sorted(currencies)
                            if c in ledger.fx_usd_per_unit},
    }


def assessment_from_facts(facts: dict[str, Any]) -> tuple[Assessment, Ledger]:
    """The assessment back from assessment_facts(), with a ledger holding only the rates it needs."""
    claim = facts["claim"]

    def entry(obj: dict[str, Any] | None) -> LedgerEntry | None:
        return None if obj is None else LedgerEntry.from_json(obj)

    assessment = Assessment(
        claim=Claim(article_id=claim["id"], company=claim["company"], topic=claim["topic"], quote=claim["quote"],
                    amount=claim.get("amount"), amount_max=claim.get("amount_max"),
                    currency=claim.get("currency"), unit=claim.get("unit"), change_pct=claim.get("change_pct"),
                    period=claim.get("period"), rules=tuple(claim.get("rules") or ())),
        verdict=facts["verdict"], metric=facts["metric"], period=Period(**facts["period"]), scope=facts["scope"],
        figure=_figure_from_json(facts["figure"]), direction=facts["direction"], baseline=entry(facts["baseline"]),
        baseline_figure=_figure_from_json(facts["baseline_figure"]), apsara=entry(facts["apsara"]),
        delta=facts["delta"], delta_pct=facts["delta_pct"], stale=facts["stale"], note=facts["note"],
        # facts stored before issue 12 say nothing of what they were compared with
        compared_with=facts.get("compared_with", "none"), forward=bool(facts.get("forward", False)),
        also=tuple(Reference(r["compared_with"], LedgerEntry.from_json(r["entry"]), r["delta"], r["delta_pct"])
                   for r in facts.get("also") or ()))
    return assessment, Ledger((), fx_usd_per_unit={"USD": 1.0, **facts["fx_usd_per_unit"]})


def _figure_json(figure: Figure | None) -> dict[str, Any] | None:
    return None if figure is None else asdict(figure)


def _figure_from_json(obj: dict[str, Any] | None) -> Figure | None:
    return None if obj is None else Figure(**obj)


def within_pct(a: float, b: float, tolerance_pct: float) -> bool:
    """`a` is within `tolerance_pct` % of `b` (relative to `b`; against 0, only 0 is)."""
    if b == 0:
        return a == 0
    return abs(a - b) / abs(b) * 100 <= tolerance_pct


# Growth rates are compared in percentage points: +40 % is not a restatement of +39 %, though it is
# within 5 % of it. Half a point absorbs rounding ("39.4 %" reported as "39 %").
GROWTH_TOLERANCE_PP = 0.5


def _same_value(a: float, b: float, family: str, tolerance_pct: float) -> bool:
    return abs(a - b) <= GROWTH_TOLERANCE_PP if family == GROWTH else within_pct(a, b, tolerance_pct)


def _compare_figures(claim: Figure, base: Figure, tolerance_pct: float) -> tuple[Verdict, float, float]:
    """(verdict, delta, delta_pct) of a claim figure against a baseline figure of the same family.

    Ranges compare by their midpoints. A claimed floor ("more than X") is only a raise when X itself is
    above the baseline; below or at it, it is consistent with the baseline (restated). Against a
    baseline floor, a point figure within tolerance restates it, above raises, below lowers.
    """
    c, b = claim.mid, base.mid
    if claim.floor and not base.floor:
        c = claim.low
        ceiling = base.high if base.high is not None else base.mid
        if c <= ceiling * (1 + tolerance_pct / 100):
            return "restated", c - b, _pct(c, b)
    delta, pct = c - b, _pct(c, b)
    if _same_value(c, b, claim.family, tolerance_pct):
        return "restated", delta, pct
    return ("raised" if delta > 0 else "lowered"), delta, pct


def _pct(a: float, b: float) -> float:
    return 0.0 if b == 0 else (a - b) / abs(b) * 100


def _known_at(entry: LedgerEntry, cutoff: date | None) -> bool:
    return cutoff is None or entry.stated_date <= cutoff


def _cutoff(article_date: date | str | None) -> date | None:
    """Last day the article could have been written (a "YYYY-MM" date counts to the month's end)."""
    dated = article_date_of(article_date)
    if dated is None:
        return None
    day, precision = dated
    if precision == "year":
        return date(day.year, 12, 31)
    if precision == "month":
        following = month_of(month_index(day.year, day.month) + 1)
        return date(*following, 1) - timedelta(days=1)
    return day


def _latest(entries: list[LedgerEntry], superseded: frozenset[str]) -> LedgerEntry | None:
    current = [e for e in entries if e.id not in superseded] or entries
    return max(current, key=lambda e: (e.stated_date, e.id)) if current else None


def _by_period_end(entries: list[LedgerEntry]) -> LedgerEntry | None:
    dated = [e for e in entries if e.period.end is not None]
    return max(dated, key=lambda e: (e.period.end or 0, e.stated_date)) if dated else None


# A money figure this close to a known plan's (after conversion) is that plan, whatever period or
# metric the sentence seemed to give it: "the 380 billion yuan announced last year" is not a new
# annual actual. Distinctive amounts only (>= 1 bn), and tighter than the restatement tolerance.
SAME_PLAN_TOLERANCE_PCT = 1.5
SAME_PLAN_MIN_USD = 1e9


def assess(claim: Claim, ledger: Ledger, article_date: date | str | None = None) -> Assessment:
    """Compare one claim with the ledger as known at the article's date; see the module docstring."""
    assessment = _assess_in_metric(claim, ledger, article_date)
    if assessment.verdict == "restated" or assessment.figure is None or assessment.figure.family != "USD" \
            or assessment.figure.mid < SAME_PLAN_MIN_USD:
        return assessment
    cutoff = _cutoff(article_date)
    for entry in sorted(ledger.entries, key=lambda e: -e.stated_date.toordinal()):
        if entry.company != claim.company or entry.topic != claim.topic or entry.metric == assessment.metric \
                or METRICS[entry.metric].kind != "plan" or not entry.alert or not _known_at(entry, cutoff):
            continue
        plan = entry_figure(ledger, entry, False)
        if plan is not None and plan.family == "USD" and within_pct(assessment.figure.mid, plan.mid,
                                                                SAME_PLAN_TOLERANCE_PCT):
            apsara = _apsara_entry(ledger, claim.company, entry.metric, entry.scope, entry.period, False)
            return replace(assessment, verdict="restated", metric=entry.metric, period=entry.period,
                           scope=entry.scope, baseline=entry, baseline_figure=plan, apsara=apsara,
                           delta=assessment.figure.mid - plan.mid, delta_pct=_pct(assessment.figure.mid, plan.mid),
                           stale=entry.id in ledger.superseded_ids(),
                           note="same figure as a known plan, whatever period the sentence gave it")
    return assessment


def _assess_in_metric(claim: Claim, ledger: Ledger, article_date: date | str | None) -> Assessment:
    c = classify(claim, ledger, article_date)
    info = METRICS[c.metric]
    quantity = quantity_of(c.metric, c.scope)
    growth_view = c.figure is not None and c.figure.family == GROWTH
    cutoff = _cutoff(article_date)
    superseded = ledger.superseded_ids()
    usable = [e for e in ledger.history(c.metric, claim.company) if e.alert and _known_at(e, cutoff)]
    if info.growth:
        # Revenue entries carry the growth of their quarter too.
        usable += [e for e in ledger.history("cloud_revenue_quarter", claim.company)
                   if e.alert and e.change_pct is not None and _known_at(e, cutoff)]
    exact = [e for e in usable if e.scope == c.scope] if info.scoped else usable
    apsara = _apsara_entry(ledger, claim.company, c.metric, c.scope, c.period, info.growth)

    def figure_of(entry: LedgerEntry) -> Figure | None:
        return entry_figure(ledger, entry, growth_view)

    def reference(kind: ComparedWith, entry: LedgerEntry) -> Reference:
        f = figure_of(entry)
        if f is None or c.figure is None or f.family != c.figure.family:
            return Reference(kind, entry, None, None)
        return Reference(kind, entry, c.figure.mid - f.mid, _pct(c.figure.mid, f.mid))

    def result(verdict: Verdict, base: LedgerEntry | None, note: str = "", stale: bool = False,
               delta: float | None = None, delta_pct: float | None = None,
               compared_with: ComparedWith | None = None, also: tuple[Reference, ...] = ()) -> Assessment:
        base_figure = figure_of(base) if base else None
        if delta is None and base_figure and c.figure and base_figure.family == c.figure.family:
            delta, delta_pct = c.figure.mid - base_figure.mid, _pct(c.figure.mid, base_figure.mid)
        if compared_with is None:
            compared_with = "none" if base is None or verdict == "new" else (
                "stock" if quantity == "stock" else "guidance" if is_guide(base) else "same_period")
        return Assessment(claim, verdict, c.metric, c.period, c.scope, c.figure, c.direction, base,
                          base_figure, apsara, delta, delta_pct, stale, note, compared_with, c.forward, also)

    def matching(entries: list[LedgerEntry]) -> LedgerEntry | None:
        """The entry this figure restates, newest first.

        Current entries match within the tolerance. A superseded entry matches only closely (a fifth of
        the tolerance in its own currency): an article repeating the old $75 bn plan restates it, but
        "trimmed to $78 bn" against a current $85 bn is a cut, not a repeat of $75 bn.
        """
        if c.figure is None:
            return None
        ordered = sorted(entries, key=lambda e: (e.id in superseded, -e.stated_date.toordinal()))
        for entry in ordered:
            f = figure_of(entry)
            if f is None or f.family != c.figure.family:
                continue
            tolerance = ledger.tolerance_pct
            if entry.id in superseded and (entry.currency or "") == (claim.currency or ""):
                tolerance /= 5
            if _same_value(c.figure.mid, f.mid, f.family, tolerance) or (
                    c.figure.floor and f.floor and _same_value(c.figure.low, f.low, f.family, tolerance)):
                return entry
        return None

    def against(base: LedgerEntry, compared_with: ComparedWith, also: tuple[Reference, ...] = (),
                note: str = "") -> Assessment | None:
        """The verdict of the claim's figure against one entry; None when the figures do not compare."""
        base_figure = figure_of(base)
        if c.figure is None or base_figure is None or base_figure.family != c.figure.family:
            return None
        verdict, delta, pct = _compare_figures(c.figure, base_figure, ledger.tolerance_pct)
        return result(verdict, base, note=note, delta=delta, delta_pct=pct, compared_with=compared_with,
                      also=also)

    if quantity == "stock" and c.scope_known:
        # A level at a date (backlog, count of regions) against the latest level known at that date.
        # Without a date the article's date is the date: an older level repeated restates it (stale),
        # anything else compares with the latest known level.
        known = [e for e in exact
                 if c.period.end is None or e.period.end is None or e.period.end <= c.period.end]
        if not known:
            return result("new", None, note="first known level")
        found = matching(known if not c.period.known else [e for e in known if e.period.end == c.period.end])
        if found is not None:
            return result("restated", found, stale=found.id in superseded, compared_with="stock")
        latest_level = max(known, key=lambda e: (e.period.end or 0, e.stated_date, e.id))
        judged = against(latest_level, "stock", note="level against the latest known level")
        return judged if judged is not None else result("new", None, note="first level in this unit")

    # Only restated or new when the claim cannot be pinned to a period or a scope.
    if not c.period.known or not c.scope_known:
        pool = exact if c.scope_known else usable
        found = matching(pool)
        if found is not None:
            return result("restated", found, stale=found.id in superseded)
        if c.figure is None and c.scope_known and pool:
            return result("restated", _latest(pool, superseded), note="no figure; same subject")
        missing = "period" if not c.period.known else "scope"
        return result("new", None, note=f"{missing} unknown; compared for restatement only")

    series = quantity in ("flow", "rate")
    same = [e for e in exact if same_period(e.period, c.period)]
    if series:
        # An actual is compared with the guide of its period: the same metric stated before the
        # period ended (Azure's growth guide), or the guidance metric of this actual (quarterly capex).
        guides = [e for e in same if is_guide(e)]
        if info.guided_by is not None:
            guides += [e for e in ledger.history(info.guided_by, claim.company)
                       if e.alert and _known_at(e, cutoff) and same_period(e.period, c.period)
                       and (not info.scoped or e.scope == c.scope)]
        actuals = [e for e in same if not is_guide(e)]
        earlier = _series_before(exact, c.period)
        year_ago = next((e for e in earlier if _is_year_before(e.period, c.period)), None)
        previous = earlier[0] if earlier else None
        if actuals or (c.forward and guides):
            same = actuals if actuals else guides
        elif guides and not c.forward:
            found = matching(guides)
            guide = found or _latest(guides, superseded)
            assert guide is not None
            pairs: tuple[tuple[ComparedWith, LedgerEntry | None], ...] = (
                ("previous_period", previous), ("year_ago", year_ago))
            context = tuple(reference(k, e) for k, e in pairs
                            if e is not None and (k == "year_ago" or e is not year_ago))
            if found is not None:
                return result("restated", found, note="in line with the guide", compared_with="guidance",
                              also=context)
            judged = against(guide, "guidance", context, note="actual against the guide of its period")
            if judged is not None:
                return judged
            same = []
        else:
            same = []
        if not same and not c.forward and previous is not None:
            kind: ComparedWith = "year_ago" if previous is year_ago else "previous_period"
            context = () if year_ago is None or previous is year_ago else (reference("year_ago", year_ago),)
            judged = against(previous, kind, context, note="new period of the series")
            if judged is not None:
                return judged
            return result("new", None, note="new period; no comparable earlier figure",
                          also=(reference(kind, previous),))
        if not same and c.forward:
            # A guide for a later quarter than any guided so far moves the horizon (as plans do).
            earlier_guides = [e for e in exact if is_guide(e) and e.period.end is not None
                              and c.period.end is not None and e.period.end < c.period.end]
            context = () if previous is None else (reference("previous_period", previous),)
            if earlier_guides:
                guide = max(earlier_guides, key=lambda e: (e.period.end or 0, e.stated_date))
                return result("horizon_changed", guide, note="guide for a later period",
                              compared_with="previous_period", also=context)
            if previous is not None:
                return result("new", None, note="guide for a new period", also=context)

    if same:
        found = matching(same)
        if found is not None:
            return result("restated", found, stale=found.id in superseded)
        base = _latest(same, superseded)
        assert base is not None
        if c.figure is None:
            verdict, note = _direction_verdict(claim, c, base)
            return result(verdict, base, note=note)
        base_figure = figure_of(base)
        if base_figure is None or base_figure.family != c.figure.family:
            # e.g. a yuan amount against a "% of revenue" guide: the first figure of this kind.
            return result("new", base, note="first figure in this unit for the period")
        verdict, delta, pct = _compare_figures(c.figure, base_figure, ledger.tolerance_pct)
        return result(verdict, base, delta=delta, delta_pct=pct)

    if not exact:
        return result("new", None)
    if info.kind == "reading":
        return result("new", None, note="no earlier period of this series in the ledger")
    latest = _latest(exact, superseded)
    assert latest is not None
    if latest.period.end is not None and c.period.end is not None and c.period.end < latest.period.end:
        return result("new", latest, note="earlier period than the latest plan")
    latest_figure = figure_of(latest)
    if c.figure is not None and (latest_figure is None or latest_figure.family != c.figure.family):
        # A different kind of figure (a multiplier against gigawatts) is news, not a moved horizon.
        return result("new", latest, note="first figure of this kind")
    return result("horizon_changed", latest, compared_with="previous_period")


def _length(period: Period) -> int | None:
    return None if period.start is None or period.end is None else period.end - period.start


def _series_before(entries: list[LedgerEntry], period: Period) -> list[LedgerEntry]:
    """Actuals of earlier periods of the same length (quarter after quarter), latest period first."""
    if period.end is None or _length(period) is None:
        return []
    found = [e for e in entries if not is_guide(e) and e.period.end is not None and e.period.end < period.end
             and e.period.kind == period.kind and _length(e.period) == _length(period)]
    return sorted(found, key=lambda e: (-(e.period.end or 0), -e.stated_date.toordinal(), e.id))


def _is_year_before(earlier: Period, period: Period) -> bool:
    return earlier.start is not None and period.start is not None and earlier.start == period.start - 12


def _direction_verdict(claim: Claim, c: Classification, base: LedgerEntry) -> tuple[Verdict, str]:
    """A claim without a figure against a known entry of the same period: compare directions.

    Revision wording ("below its earlier guidance", "growth higher than last year") decides alone; else
    a direction opposite to the one on record is a change; anything else restates the record.
    """
    revision = revision_direction(claim.quote)
    if revision is not None:
        return ("raised" if revision == "up" else "lowered"), "stated as a revision"
    if c.direction is not None and base.direction is not None and c.direction != base.direction:
        verdict: Verdict = "raised" if c.direction == "up" else "lowered"
        return verdict, f"direction {base.direction} -> {c.direction}"
    return "restated", "no figure; same direction" if c.direction else "no figure"


def _apsara_entry(ledger: Ledger, company: str, metric: str, scope: str | None, period: Period,
                  growth: bool) -> LedgerEntry | None:
    """The entry known at Apsara 2025 for this metric and scope: same period if any, else the latest."""
    known = [e for e in ledger.history(metric, company)
             if e.alert and e.stated_date <= ledger.baseline_as_of
             and (not METRICS[metric].scoped or e.scope == scope)
             and (not growth or e.change_pct is not None)]
    if growth:
        known += [e for e in ledger.history("cloud_revenue_quarter", company)
                  if e.alert and e.change_pct is not None and e.stated_date <= ledger.baseline_as_of
                  and e.scope == scope]
    if not known:
        return None
    same = [e for e in known if same_period(e.period, period)]
    return _latest(same or known, ledger.superseded_ids())


def entry_from_assessment(assessment: Assessment, *, entry_id: str, stated_on: str, source_url: str,
                          source: str = "", confidence: Confidence = "M",
                          extra_sources: tuple[str, ...] = ()) -> LedgerEntry:
    """The ledger entry a confirmed claim becomes (Ledger.with_confirmed adds it).

    A raised or lowered plan (or a revised actual) supersedes the entry it was compared with, so later
    claims are compared with it; a new period of a series supersedes nothing and becomes the previous
    period of the next one.
    """
    claim = assessment.claim
    info = METRICS[assessment.metric]
    # A revised guide replaces the guide; a revised actual the actual. A new quarter, a new level or an
    # actual that beat its guide replaces nothing: the earlier figures stay the series' history.
    revision = assessment.compared_with == "same_period" or (assessment.compared_with == "guidance" and (
        assessment.forward or METRICS[assessment.metric].quantity == "guidance"))
    supersedes = assessment.baseline.id if assessment.baseline and revision and assessment.verdict in (
        "raised", "lowered") else None
    return LedgerEntry(
        id=entry_id, company=claim.company, topic=claim.topic, metric=assessment.metric,
        period=assessment.period if assessment.period.known else UNKNOWN_PERIOD, stated_on=stated_on,
        source_url=source_url, confidence=confidence, value=claim.amount, value_max=claim.amount_max,
        floor=assessment.figure.floor if assessment.figure else False, currency=claim.currency,
        unit=claim.unit, change_pct=claim.change_pct, direction=assessment.direction,
        qualitative=assessment.figure is None and not info.growth, scope=assessment.scope,
        period_text=claim.period or "", source=source, summary=claim.quote[:200], supersedes=supersedes,
        origin="confirmed", sources=extra_sources,
    )


def compare_claims_json(claims: list[Claim], article_date: date | str | None,
                        ledger: Ledger) -> list[dict[str, Any]]:
    """The `claims --compare` output: each claim's JSON plus verdict, metric, baseline_id,
    baseline_value and delta_pct (and period_code, scope, apsara_id, stale, note)."""
    return [assess(claim, ledger, article_date).to_json() for claim in claims]
