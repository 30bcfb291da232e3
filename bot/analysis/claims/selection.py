"""One claim per figure: the kept candidates become claims, one per distinct figure, company and
topic (a figure repeated in a later sentence or converted to another currency is not a second
claim), and figure-less statements only where no figure says the same; the per-text cap holds.
"""

from __future__ import annotations

import re
from itertools import compress, filterfalse
from operator import attrgetter, itemgetter
from typing import cast

from bot.analysis.claims.context import Context, hits_of_kind
from bot.analysis.claims.decisions import Candidate
from bot.analysis.claims.figures import Figure
from bot.analysis.claims.statements import places_in
from bot.analysis.claims.text import Sentence
from bot.model import Article, Claim, Company, Topic

# Figure-less statements that say what no figure of their company and topic says: a plan as a
# share of revenue, a facility at a place, an efficiency gain, a powered facility (and capex
# guidance, below: spending against the company's own earlier guidance or the quarter before).
_BESIDE_FIGURES = frozenset({"revenue share", "footprint", "saving", "powered facility"})
_MAX_CLAIMS = 200  # per article; more means the text is not an article


def _same_figure(a: Figure, b: Figure) -> bool:
    if a.kind != b.kind and not (a.kind in ("percent",) or b.kind in ("percent",)):
        return False
    if a.kind == "percent" or b.kind == "percent":
        # An hour-by-hour share ("100% of the time") is not the yearly share of the same value.
        return a.kind == b.kind and a.change_pct == b.change_pct and a.value == b.value and \
            _hourly(a) == _hourly(b)
    # Compared closely as written: 91.45 is not the 91 of an earlier range, and a range is the
    # same as another only when both ends agree ("$195-205 billion, against $185-195 billion").
    # A point that is one end of an earlier range is that end said again. A conversion ("about
    # $53 billion") is rounded, so it is compared with the scorer's 1.5 % to the figure as written
    # on the other side (two rounded conversions prove nothing).
    unit_a, unit_b = a.currency or a.unit, b.currency or b.unit
    if a.value_max is None and b.value_max is None and not a.alt_values and not b.alt_values:
        # (the common case, two points without conversions: the one comparison of the loops below)
        return unit_a == unit_b and _close(a.value, b.value, 0.002)
    if a.value_max is not None and b.value_max is not None:
        return unit_a == unit_b and _close(a.value, b.value, 0.002) and _close(a.value_max, b.value_max, 0.002)
    written_a = [(v, unit_a) for v in (a.value, a.value_max) if v is not None]
    written_b = [(v, unit_b) for v in (b.value, b.value_max) if v is not None]
    for values_a, values_b, tolerance in ((written_a, written_b, 0.002), (written_a, b.alt_values, 0.015),
                                          (a.alt_values, written_b, 0.015)):
        for va, ca in values_a:
            for vb, cb in values_b:
                if ca == cb and _close(va, vb, tolerance):
                    return True
    return False


def _energy_kind(cand: Candidate) -> str:
    return "saving" if cand.statement == "saving" else "deal"


# Units of a deal's figure: the power a deal contracts, or the energy it delivers.
_DEAL_UNITS = frozenset({"kW", "MW", "GW"})


def _with_counterparty(ctx: Context, cand: Candidate) -> bool:
    """A statement whose sentence names the other party of a deal (an energy company, a utility,
    a developer): a power deal, not a goal of the company's own."""
    sentence = cand.sentence
    return _energy_kind(cand) == "deal" and bool(
        hits_of_kind(ctx, sentence.start, sentence.end, "party_role")
        or hits_of_kind(ctx, sentence.start, sentence.end, "other_company"))


def _no_deal_figure(same: list[Candidate]) -> bool:
    """R6: a power deal with no figure is labelled unless the article gives that deal's figure; a
    consumption figure ("its data centres used 32 TWh"), a share or a PUE is no deal's figure."""
    return not any(k.figure is not None and (k.figure.unit in _DEAL_UNITS or k.figure.kind == "money")
                   for k in same)


def _hourly(fig: Figure) -> bool:
    return fig.unit is not None and "hourly" in fig.unit


def _close(a: float, b: float, tolerance: float) -> bool:
    return abs(a - b) <= tolerance * max(abs(a), abs(b), 1e-9)


def one_claim_per_figure(article: Article, ctx: Context, candidates: list[Candidate]) -> list[tuple[Claim, Candidate]]:
    """One claim per distinct figure, company and topic; figure-less statements only where the
    article gives no figure for that company and topic (they restate what the figure says)."""
    kept: list[tuple[Claim, Candidate]] = []
    # The kept candidates by company and topic: a candidate is compared with those of its own
    # company and topic only (one pass over all kept claims per candidate was quadratic).
    kept_as: dict[tuple[str, str], list[Candidate]] = {}
    # (the candidates with a figure, then those without, each in text order: split at C speed)
    ordered = [*compress(candidates, map(_FIGURE, candidates)), *filterfalse(_FIGURE, candidates)]
    figures_kept = 0
    for cand in ordered:
        if cand.dropped is not None or cand.company is None or cand.topic is None:
            continue
        if len(kept) >= _MAX_CLAIMS:
            cand.dropped = f"more than {_MAX_CLAIMS} claims in one text"
            continue
        fig = cand.figure
        same = kept_as.get((cand.company, cand.topic), [])
        if fig is not None:
            repeat = False
            for k in same:  # (a loop: no generator for every figure kept)
                if k.figure is not None and _same_figure(k.figure, fig):
                    repeat = True
                    break
            if repeat:
                cand.dropped = "repeat of a figure already claimed"
                continue
            if fig.ordinal and cand.topic == "cloud" and _place_said_before(ctx, cand, [k for _, k in kept] + [
                    c for c in candidates if c.figure is None and c.dropped is None]):
                # "its fourth data centre in Belgium" after the Belgian site was claimed: the
                # launch there is told already (R8), the ordinal only numbers it. Statements
                # without a figure are decided after the figures, so those still standing count.
                cand.dropped = "ordinal launch at a place said before"
                continue
            if fig.ordinal and any(k.company == cand.company and k.topic == cand.topic
                                   and k.sentence == cand.sentence for _, k in kept):
                # "opened its third data centre in X and will launch a second one in Y": an
                # ordinal says a launch, not a figure (R3), and a sentence says one such
                # statement per company and topic, none beside a figure (R11).
                cand.dropped = "launch already claimed from this sentence"
                continue
        else:
            # A market position ("trails the leader", "ranked first") says what no figure of
            # revenue or spending says: it stands beside them.
            # So does a plan said as a share of revenue ("in the low teens of revenue"), and a
            # facility at a place (R8), which the figures of the footprint do not name.
            if cand.topic == "energy" and cand.statement != "position" and any(
                    k.figure is None and _energy_kind(k) == _energy_kind(cand) for k in same):
                # A power deal is told once and then commented on ("a milestone on our way to
                # clean energy", R6): its first sentence is the statement (an efficiency gain
                # is a statement apart, and so is each rank among buyers of clean power).
                cand.dropped = "the article already has an energy statement of this company"
                continue
            # A result measured against expectations ("below analyst targets") says what no
            # figure says either, and so does spending measured against the company's own earlier
            # guidance ("full-year capex will come in below its earlier guidance" after a figure
            # of the quarter).
            if (cand.statement not in ("position", "versus", "direction") or cand.topic != "cloud") and \
                    (cand.statement != "position" or cand.topic != "energy") and \
                    cand.statement not in _BESIDE_FIGURES and \
                    (cand.statement, cand.topic) != ("guidance", "capex") and any(
                    k.figure is not None and not k.figure.ordinal for k in same) and not (
                    cand.topic == "capex" and _another_period(cand, same)) and not (
                    cand.topic == "energy" and _with_counterparty(ctx, cand) and _no_deal_figure(same)):
                cand.dropped = "the article gives a figure for this company and topic"
                continue
            if any(k.sentence == cand.sentence for k in same):
                cand.dropped = "statement already claimed from this sentence"
                continue
            if cand.topic in ("energy", "capex") and hits_of_kind(
                    ctx, cand.sentence.start, cand.sentence.end, "deal_anaphor") \
                    and any(k.company == cand.company and k.topic == cand.topic
                            and k.sentence.start < cand.sentence.start for _, k in kept):
                # "根据协议，微软将从核电站购买能源", "These investments will help ...": the deal
                # or the investment an earlier claim announced, told again.
                cand.dropped = "the deal of an earlier energy claim, referred back to"
                continue
            if cand.statement == "footprint" and _footprint_said_before(ctx, cand, [k for _, k in kept]):
                cand.dropped = "footprint said before (the same place, or no place after an earlier cloud claim)"
                continue
        kept.append((_to_claim(article, ctx, cand), cand))
        figures_kept += fig is not None
        kept_as.setdefault((cand.company, cand.topic), []).append(cand)
    if len(kept) > figures_kept:
        # The figures were kept in text order (by sentence, then by start); a statement, kept
        # after them all, goes back to its sentence.
        kept.sort(key=lambda pair: (pair[1].sentence.start, pair[1].figure.start if pair[1].figure else 0))
    return kept


_YEAR_DIGITS = re.compile(r"(?:19|20)\d\d|(?<=FY)\d\d|(?<=財年)\d\d")


def _years(period: str) -> frozenset[str]:
    return frozenset(m[-2:] for m in _YEAR_DIGITS.findall(period))


def _another_period(cand: Candidate, same: list[Candidate]) -> bool:
    """'expects a significant increase in capex in 2027' after the 2026 range: a spending plan
    for a year none of the company's capex figures measures is a statement of its own (R1: one
    label per distinct figure; R11 is per sentence). Said of the year the figures measure, or with
    a figure whose period the text leaves open, it restates them."""
    if cand.period is None:
        return False
    years = _years(cand.period)
    if not years:
        return _another_span(cand.period, same)
    for k in same:
        if k.figure is None or k.figure.ordinal:
            continue
        if k.period is None or years & _years(k.period):
            return False
    return True


# What kind of span a period is, as written: the next quarter, a whole year, a quarter.
_NEXT = ("next", "下一", "下个", "下個", "下季", "次の", "nächst", "kommend", "prochain", "próximo",
         "prossimo", "следующ", "다음")
_WHOLE_YEAR = ("full year", "full-year", "full fiscal year", "全年", "全财年", "全財年", "通期", "gesamtjahr",
               "l'ensemble", "année pleine", "conjunto del año", "año completo", "intero", "ano inteiro",
               "ano todo", "итогам года", "весь год", "연간")
_QUARTER = ("quarter", "季", "四半期", "quartal", "trimestre", "квартал", "분기")


def _span_kind(period: str) -> str | None:
    folded = period.casefold()
    quarter = any(word in folded for word in _QUARTER)
    if quarter and any(word in folded for word in _NEXT):
        return "next quarter"
    if any(word in folded for word in _WHOLE_YEAR):
        return "whole year"
    return "quarter" if quarter else None


def _another_span(period: str, same: list[Candidate]) -> bool:
    """'公司已下调对全年资本开支的预期' after 'capex was 13 billion yuan in the third quarter',
    'next-quarter capex will fall' after the quarter's figure: a plan for the whole year or for
    the next quarter, where every capex figure of the company measures a quarter said as such, is
    a statement of its own. A figure whose period the text leaves open may be the year's: then
    the plan restates it."""
    kind = _span_kind(period)
    if kind not in ("whole year", "next quarter"):
        return False
    figures = [k for k in same if k.figure is not None and not k.figure.ordinal]
    return bool(figures) and all(k.period is not None and _span_kind(k.period) not in (None, kind)
                                 for k in figures)


# A market rank or share says where the company stands, no facility a later sentence goes on about.
_POSITION_UNITS = frozenset({"rank", "% market share"})


def _footprint_said_before(ctx: Context, cand: Candidate, kept: list[Candidate]) -> bool:
    """R8: a place named in an earlier sentence that carries a cloud claim of the company (a
    footprint, a plan, a count of facilities there) is not claimed again; a facility sentence with no place
    (building 'the data centre', 'its data centres') goes on about a cloud claim already made,
    one with a count or a footprint: a plan said in general ("pressing on with its AI
    infrastructure plan") names no facility for a later sentence to go on about, and a launch
    told by its ordinal ("its second site, in Osaka") leaves the next plan standing."""
    earlier = [k for k in kept if k.company == cand.company and k.topic == "cloud"
               and k.sentence.start < cand.sentence.start
               and ((k.figure is not None and not k.figure.ordinal and k.figure.unit not in _POSITION_UNITS)
                    or k.statement == "footprint")]
    if cand.place is None:
        return bool(earlier)
    return any(cand.place in places_in(ctx, k.sentence) for k in kept
               if k.company == cand.company and k.topic == "cloud" and k.sentence.start < cand.sentence.start)


def _place_said_before(ctx: Context, cand: Candidate, kept: list[Candidate]) -> bool:
    """Whether a place the candidate's sentence names was named in an earlier sentence carrying a
    cloud claim of the same company (R8: a place is labelled once)."""
    here = places_in(ctx, cand.sentence)
    return bool(here) and any(here & places_in(ctx, k.sentence) for k in kept
                              if k.company == cand.company and k.topic == "cloud"
                              and k.sentence.start < cand.sentence.start)


def _quote(article: Article, ctx: Context, sentence: Sentence) -> str:
    if len(ctx.data) == len(article.text):  # ASCII: a byte offset is a character offset
        return article.text[sentence.start:sentence.end]
    start = len(ctx.data[:sentence.start].decode("utf-8", "ignore"))
    end = start + len(ctx.data[sentence.start:sentence.end].decode("utf-8", "ignore"))
    return article.text[start:end]


_FIGURE = attrgetter("figure")  # (a Figure is never false: only None is)
_RULE_ID = itemgetter(0)  # of a trace (rule id, start, end); an empty id marks no rule


def _to_claim(article: Article, ctx: Context, cand: Candidate) -> Claim:
    fig = cand.figure
    amount = amount_max = change = None
    currency = unit = None
    if fig is not None:
        if fig.kind == "percent" and fig.change_pct is not None:
            change = fig.change_pct
        elif fig.ordinal:
            # "its second data centre in Jakarta": the ordinal numbers a launch, it counts no
            # footprint (R3: amount and unit null); an alert must not read "2 data centres".
            pass
        else:
            amount, amount_max = fig.value, fig.value_max
            currency = fig.currency
            unit = (fig.unit or "%") if fig.kind == "percent" else fig.unit
            change = fig.change_pct
    return Claim(
        article_id=article.id,
        company=cast(Company, cand.company),
        topic=cast(Topic, cand.topic),
        quote=_quote(article, ctx, cand.sentence),
        amount=amount, amount_max=amount_max, currency=currency, unit=unit,
        change_pct=change, period=cand.period,
        rules=tuple(dict.fromkeys(filter(None, map(_RULE_ID, cand.rules)))),  # (each named once, in order)
    )
