"""One decision per figure: keep it as a candidate claim with its company and topic, or drop it
with the reason (visible in `claims --explain`): not a figure, a conversion, a rate of another
figure, an estimate or forecast by someone else, an excluded subject, an industry aggregate,
another company's figure, a list of firms, a group metric, or no topic.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from bot.analysis.claims.attribution import (
    Mention,
    attribute,
    generic_facility_subject,
    industry_aggregates,
    listed_with_another,
    paid_to,
    respective,
)
from bot.analysis.claims.context import (
    Context,
    Trace,
    clause_bounds,
    hits_between,
    hits_of_kind,
    kinds_in,
    locatives_between,
    names_a_place,
    previous_clause_bounds,
    sentence_of,
)
from bot.analysis.claims.figures import Figure, range_from
from bot.analysis.claims.text import Sentence, span_distance, span_text
from bot.analysis.claims.topics import capex_cue, choose_topic, period_of, revenue_share_topic
from bot.analysis.rulebook import Hit, Rule, grammar_terms, is_cjk


@dataclass(slots=True)
class Candidate:
    """A figure (or a figure-less statement) on its way to becoming a claim."""

    sentence: Sentence
    figure: Figure | None
    company: str | None = None
    topic: str | None = None
    period: str | None = None
    dropped: str | None = None
    rules: list[Trace] = field(default_factory=list)
    statement: str | None = None  # kind of the statement cue of a figure-less claim
    place: str | None = None  # the named place of a footprint statement ("Mumbai", "德州")


def _share_of_growth(ctx: Context, sentence: Sentence, fig: Figure, siblings: Sequence[Figure]) -> bool:
    """Points after an 'of which' cue in a sentence that gives a growth rate before them."""
    subset = hits_of_kind(ctx, sentence.start, fig.start, "subset")
    return bool(subset) and any(s.kind == "percent" and s.change_pct is not None and s.end <= subset[-1][0].start
                                for s in siblings)


def judge(ctx: Context, sentence: Sentence, fig: Figure, mentions: Sequence[Mention],
           context: Mention | None, siblings: Sequence[Figure] = (),
           previous_topic: tuple[str, str] | None = None) -> Candidate:
    cand = Candidate(sentence=sentence, figure=fig, rules=list(fig.rules))
    if fig.kind == "points" and _share_of_growth(ctx, sentence, fig, siblings):
        # "grew 33 %, of which 12 points came from AI services": the points are the part of the
        # growth the sentence gives to one business, a figure of the topic of that growth.
        fig.unit = "percentage points of growth"
        cand.rules.append(("grammar.points_of_growth", fig.start, fig.end))
    elif fig.kind in ("year", "bare", "points"):
        cand.dropped = f"not a figure ({fig.kind})"
        return cand
    if fig.kind == "multiplier" and any(s.kind in ("money", "unit", "count") for s in siblings
                                        if s is not fig):
        # "more than doubled its capex ... to 19.1 billion yuan": the word describes the change
        # of the level figure beside it, it is not a figure of its own.
        cand.dropped = "multiplier describing the change of a level figure in the sentence"
        return cand
    if fig.conversion_of is not None:
        cand.dropped = "bracketed conversion of the figure before it"
        return cand
    if fig.kind == "multiplier":
        musing = [(hit, rule) for hit, rule in hits_of_kind(ctx, sentence.start, fig.start, "hypothetical")
                  if not rule.generic]
        if musing:
            # "if Baidu AI Cloud were to win 25% of that market, the stock would double": a multiple
            # under "if" (如果, wenn, si) is a musing, not a figure anyone reported ("if you exclude
            # currency, Azure grew 39%" keeps its rate: only multiples are read so).
            hit, rule = musing[0]
            cand.rules.append((rule.id, hit.start, hit.end))
            cand.dropped = f"a multiple under a condition ('{span_text(ctx.data, hit.start, hit.end)}')"
            return cand
    if fig.upper_end_of is not None:
        cand.dropped = "upper end of the range before it"
        return cand
    if fig.unit == "rank" and any(s.kind == "percent" and clause_bounds(ctx, s.start) == clause_bounds(ctx, fig.start)
                                  for s in siblings):
        # "以6.1%的份额排名第四", "came fourth with 8%": the share says the position.
        cand.dropped = "rank beside the market share that sets it"
        return cand
    if fig.kind == "count" and range_from(ctx, fig) and any(
            s is not fig and s.kind == "count" and s.unit == fig.unit for s in siblings):
        # "91 availability zones, up from 87 zones": the level it grew from is no footprint now.
        # With no other count of its facilities in the sentence, "from" says where service comes
        # from ("serving customers from two data centre sites"): a count of the footprint.
        cand.dropped = "starting point of a change ('from')"
        return cand
    if fig.kind == "percent" and fig.rate_of is not None:
        if fig.rate_of.change_pct == fig.change_pct:
            cand.dropped = "growth rate attached to the figure it describes"
            return cand
        earlier = hits_of_kind(ctx, *clause_bounds(ctx, fig.start), "earlier_period")
        if not earlier:
            cand.dropped = "another rate of a figure that already has one"
            return cand
        # "rose 37% to $17.9 billion, up from growth of 32% in the second quarter": the rate
        # said against an earlier period is that period's growth, a figure of its own (R1).
        hit, rule = earlier[0]
        cand.rules.append((rule.id, hit.start, hit.end))
    lo, hi = clause_bounds(ctx, fig.start)
    # The kinds of cue the sentence has: a check whose cue it lacks is not asked (most are not,
    # and one figure goes through a dozen).
    kinds = kinds_in(ctx, sentence)
    # (a share cue and a share of revenue are read for a bare percentage or a rank only)
    bare_percent = fig.kind == "percent" and fig.change_pct is None
    share = _share_cue(ctx, sentence, fig) if bare_percent or fig.unit == "rank" else None
    house_forecast = _house_forecast(ctx, sentence, fig, lo, hi) if not kinds.isdisjoint(_HOUSE_KINDS) else None
    if house_forecast is not None:
        # "Canalys expects Alibaba Cloud's share to rise to 38% by 2026", "가트너는 … 25%에 이를 것으로
        # 전망했다": what a research house forecasts is never labelled, shares included (R5).
        hit, rule = house_forecast
        cand.rules.append((rule.id, hit.start, hit.end))
        cand.dropped = f"{FORECAST} ('{span_text(ctx.data, hit.start, hit.end)}')"
        return cand
    estimate = hits_of_kind(ctx, lo, hi, "estimate") if "estimate" in kinds else None
    if estimate and share is None:  # market-share data from research houses is labelled
        hit, rule = estimate[0]
        cand.rules.append((rule.id, hit.start, hit.end))
        cand.dropped = f"estimate ('{span_text(ctx.data, hit.start, hit.end)}')"
        return cand
    forecast = _forecast_over(ctx, sentence, fig, lo, hi) if "forecaster" in kinds else None
    if forecast and share is None and not _ranked_measure(ctx, sentence, fig):
        hit, rule = forecast[0]
        cand.rules.append((rule.id, hit.start, hit.end))
        cand.dropped = f"forecast by someone else ('{span_text(ctx.data, hit.start, hit.end)}')"
        return cand
    excluded = excluded_subject(ctx, lo, hi) if "excluded" in kinds else None
    if excluded is None and fig.kind == "percent" and not hits_of_kind(ctx, lo, hi, "topic"):
        # "consumed 6.1 billion gallons of water last year, up 20%": a rate in a clause with no
        # measure of its own is the rate of the clause before it.
        previous = previous_clause_bounds(ctx, fig.start)
        excluded = excluded_subject(ctx, *previous) if previous is not None else None
    if excluded is not None and excluded[1].generic and fig.unit in _OWN_HARDWARE:
        # "switched on 30,000 chips for its cloud customers": chips and servers counted are never
        # the people or programme a generic subject names.
        excluded = None
    if excluded is not None and not _energy_cue_nearer(ctx, fig, excluded[0], lo, hi):
        hit, rule = excluded
        cand.rules.append((rule.id, hit.start, hit.end))
        cand.dropped = f"excluded subject ('{span_text(ctx.data, hit.start, hit.end)}')"
        return cand
    party = _other_party(ctx, sentence, fig, lo, hi) if "party_role" in kinds else None
    if party is not None:
        # "Tuulivoima plans a further 1.5 GW", "a local producer, which has 260 MW": another party
        # to the company's deal or site is the subject of the figure, which is that party's.
        cand.rules.append((party[1].id, party[0].start, party[0].end))
        cand.dropped = f"{OTHER_PARTY} ('{span_text(ctx.data, party[0].start, party[0].end)}')"
        return cand
    runs = _list_of_figures(fig, siblings) if len(siblings) > 1 else ()
    paired = respective(ctx, fig.start, runs, mentions) if len(runs) > 1 else None  # (a list of one pairs none)
    mention, how = (paired, "respectively: its place in the list of firms") if paired is not None else \
        attribute(ctx, fig.start, fig.end, mentions, context, fig.kind == "unit")
    referred = "anaphor" in kinds and bool(hits_of_kind(ctx, lo, hi, "anaphor"))  # the clause refers back
    if how == "subject of the sentence" and fig.change_pct is not None and not referred \
            and any(hit.start < fig.start for hit, _ in hits_of_kind(ctx, lo, hi, "share")):
        # "The cloud market grew 23%, Synergy said, with Microsoft gaining share": the growth
        # of a market its clause names, not of a company named only later in the sentence.
        cand.dropped = "growth of the market its clause names"
        return cand
    summed = hits_of_kind(ctx, sentence.start, sentence.end, "sum") if "sum" in kinds and len(
        {m.company for m in mentions if not m.weak}) >= 2 else []
    aggregates = "aggregate" in kinds  # (the cue kind industry_aggregates reads)
    # An aggregate elsewhere in the sentence counts when the figure's clause names no company of
    # its own, not even by referring back ("Its fleet ran at 1.09, against an industry average").
    aggregate = summed or (industry_aggregates(ctx, lo, hi) if aggregates else []) or (
        ((industry_aggregates(ctx, sentence.start, sentence.end) if aggregates else []) or _generic(ctx, sentence))
        if (mention is None or not (sentence.start <= mention.start < sentence.end)) and not referred else [])
    if not aggregate and aggregates and mention is not None and mention.start >= hi and not referred:
        # "demand will double by 2030, with Google and Microsoft among the largest users": firms
        # named only after the figure's clause, beside a sector's total, are examples of the sector.
        aggregate = industry_aggregates(ctx, sentence.start, sentence.end)
    if aggregate:
        hit, rule = aggregate[0]
        cand.rules.append((rule.id, hit.start, hit.end))
        cand.dropped = f"industry aggregate ('{span_text(ctx.data, hit.start, hit.end)}')"
        return cand
    if mention is not None and paired is None and len(mentions) > 1 \
            and listed_with_another(ctx, mention, mentions, fig.start):
        cand.rules.append((mention.rule.id, mention.start, mention.end))
        cand.dropped = "figure of several companies named together"
        return cand
    if mention is None:
        if ctx.title_company and "anaphor" in kinds and hits_of_kind(ctx, sentence.start, sentence.end, "anaphor"):
            cand.company = ctx.title_company
            cand.rules.append(("grammar.title_company", sentence.start, sentence.start))
        elif ctx.sole_company and _segment_line(ctx, lo, hi):
            # "AI Cloud Infra revenue reached RMB 4.2 billion" under a results heading, far from
            # the last line that named the company: in an article that names one of the five
            # only, a revenue line of a cloud segment is that company's.
            cand.company = ctx.sole_company
            cand.rules.append(("grammar.sole_company", sentence.start, sentence.start))
        else:
            cand.dropped = "attribution: no company named"
            return cand
    else:
        cand.rules.append((mention.rule.id, mention.start, mention.end))
        if mention.company.startswith("other:"):
            cand.dropped = f"other company ('{span_text(ctx.data, mention.start, mention.end)}', {how})"
            return cand
        cand.company = mention.company
    # Only a firm named after the figure can build its facility or take its money (mentions are
    # in text order): most figures come after their company, and neither reader is asked.
    named_after = bool(mentions) and mentions[-1].start >= fig.end
    builder = _built_by_other(ctx, fig, mentions, hi) if named_after and mention is not None and \
        not mention.company.startswith("other:") else None
    if builder is not None:
        # "a 300 MW campus that CoreWeave is building in Texas": the facility the figure measures
        # is another firm's, the subject of the relative clause right after it.
        cand.rules.append((builder.rule.id, builder.start, builder.end))
        cand.dropped = f"{OTHERS_FACILITY} ('{span_text(ctx.data, builder.start, builder.end)}')"
        return cand
    if fig.kind == "money" and named_after:
        into = _put_into(ctx, fig, mentions, hi)
        if into is not None:
            # "Google invested $2 billion in Anthropic", "a investi 13 milliards dans OpenAI":
            # money put into another firm is a stake in it, never the company's capex.
            cand.rules.append((into.rule.id, into.start, into.end))
            cand.dropped = f"{STAKE} ('{span_text(ctx.data, into.start, into.end)}')"
            return cand
    revenue_share = revenue_share_topic(ctx, sentence, fig, lo, hi) if bare_percent else None
    topic: str | None
    trace: Trace | None
    if revenue_share is not None:
        topic, trace = revenue_share
        why = f"{topic} as a share of revenue"
        fig.unit = "% of revenue"
    else:
        topic, why, trace = choose_topic(ctx, fig, kinds)
    if topic is None and mention is not None and why.startswith("group metric") and mention.rule.topic == "cloud" \
            and sentence.start <= mention.start < sentence.end \
            and min(m.start for m in mentions) == mention.start \
            and clause_bounds(ctx, mention.start) != clause_bounds(ctx, fig.start):
        # "Google Cloud revenue rose 34%, while its operating income more than doubled to $4.1
        # billion": a measure in a later clause of a sentence whose subject is the cloud unit
        # (its alias, named first) is the unit's, as "the unit's" would say.
        topic, why, trace = "cloud", "metric of the cloud unit the sentence opens with", (
            mention.rule.id, mention.start, mention.end)
    if topic is None and mention is not None and why.startswith("group metric") and mention.rule.topic \
            and not (sentence.start <= mention.start < sentence.end) \
            and hits_of_kind(ctx, sentence.start, sentence.end, "anaphor"):
        # "Google Cloud ... . Sales at the unit climbed 34% to $15.2 billion.": a metric of the
        # unit an earlier sentence named by its cloud alias is that unit's.
        topic, why, trace = mention.rule.topic, "metric of the unit named earlier", (
            mention.rule.id, mention.start, mention.end)
    if topic is None and mention is not None and (why.startswith("group metric") or (
            why == "no topic cue" and (hits_of_kind(ctx, sentence.start, sentence.end, "metric")
                                       or hits_of_kind(ctx, sentence.start, sentence.end, "margin")))) \
            and hits_of_kind(ctx, sentence.start, sentence.end, "segment_anaphor"):
        # (the metric may stand in a clause of its own: "la receita da unidade subiu 26%, para
        # 39,8 bilhões")
        unit = cloud_unit_before(ctx, sentence, mention.company)
        if unit is not None:
            # "Google Cloud grew 34%. ... margins in the segment rose to 23.7%": "the segment",
            # "the unit", "该业务" refer back to the cloud unit named a sentence or two before.
            topic, why, trace = "cloud", "metric of the segment named before", unit
    if topic is None and why == "no topic cue" and previous_topic is not None \
            and previous_topic[0] == fig.kind and not hits_of_kind(ctx, sentence.start, sentence.end, "metric") \
            and not hits_of_kind(ctx, sentence.start, sentence.end, "group_metric"):
        # "Im vergangenen Jahr waren es 91,4 Mrd. Dollar.": a figure with no cue at all goes on
        # about what the sentence before it claimed.
        topic, why = previous_topic[1], "topic of a figure of the same kind in the sentence before"
        trace = ("grammar.previous_topic", sentence.start, sentence.start)
    if trace is not None:
        cand.rules.append(trace)
    if topic is None:
        cand.dropped = f"topic: {why}"
        return cand
    cand.topic = topic
    source = _others_source(ctx, sentence, fig, mention, how, kinds) if not kinds.isdisjoint(_SOURCE_KINDS) and not (
        topic == "cloud" and share is not None) else None
    if source is not None:
        # "经济部能源署统计，…其中数据中心用电占比约1.5%", "según datos del Ministerio", "Selon le cabinet
        # Canalys, les dépenses …": a sentence that names none of the five but a research house, an
        # analyst or an authority as its source is theirs, and so is a figure after a source phrase
        # that names another between the company and the figure ("Google未透露金额，但据县政府估计，
        # …千亿元"). A market share or rank they measured stays the company's (R5).
        hit, rule = source
        cand.rules.append((rule.id, hit.start, hit.end))
        cand.dropped = f"{OTHERS_SOURCE} ('{span_text(ctx.data, hit.start, hit.end)}')"
        return cand
    if fig.unit in _COUNTRY_UNITS and not any(rule.unit in _FACILITY_UNITS for _, rule in hits_of_kind(
            ctx, sentence.start, sentence.end, "count_noun")) and not (
            fig.unit == _COUNTRIES_AND_REGIONS and _cloud_named(ctx, sentence)):
        # "sells software in 190 countries": countries count as footprint only where the
        # sentence says the company has data centres or regions there (R2).
        cand.dropped = "countries counted with no data centre or region in them"
        return cand
    contracts = fig.kind == "money" and topic != "energy" and "contract_value" in kinds
    contract = hits_of_kind(ctx, lo, hi, "contract_value") if contracts else []
    if not contract and contracts and hi - fig.end <= _APPOSITION_GAP and hi < sentence.end:
        # "a $1.2 billion, five-year contract": a figure that closes its clause is qualified by the
        # clause right after it.
        contract = hits_of_kind(ctx, *clause_bounds(ctx, hi + 1), "contract_value")
    if contract:
        # "a deal worth more than $10 billion", "a $1.2 billion contract with a bank": the value of
        # a contract is what a customer pays over years, no spending of the company (a power
        # deal's money stays: the company pays for the power it buys).
        hit, rule = contract[0]
        cand.rules.append((rule.id, hit.start, hit.end))
        cand.dropped = f"value of a contract ('{span_text(ctx.data, hit.start, hit.end)}')"
        return cand
    # (paid_to needs a payment word in the sentence, or the company named after the figure)
    paid = paid_to(ctx, sentence, mention, mentions, fig.start, how) if (
        fig.kind == "money" and topic != "energy" and mention is not None and paired is None
        and ("payment" in kinds or how.startswith("mention after the figure"))) else None
    if paid is not None:
        # "Meta will pay Google $10 billion for cloud computing": a customer's spending on the
        # company's services is no capex of the company, and no cloud figure it stated (a power
        # deal's money stays: the company pays for the power it buys).
        hit, rule = paid
        cand.rules.append((rule.id, hit.start, hit.end))
        cand.dropped = f"{PAID} ('{span_text(ctx.data, hit.start, hit.end)}')"
        return cand
    if fig.kind == "multiplier" and topic == "capex":
        if capex_cue(ctx, lo, hi) is None or _rough(ctx, fig):
            # "will nearly double its investments": press arithmetic on two spending figures,
            # not a figure of its own (a footprint or an energy target that doubles is one).
            cand.dropped = "multiplier of spending"
            return cand
        # "今年的资本支出可能会翻倍", "capex will double this year": a multiple of capex itself
        # in its clause is the company's growth of capex, a change of (factor - 1) x 100 %.
        fig.kind, fig.change_pct = "percent", (fig.value - 1) * 100
        fig.value, fig.unit = fig.change_pct, None
        cand.rules.append(("grammar.capex_multiple", fig.start, fig.end))
    if fig.full and topic != "energy":
        cand.dropped = "a whole share in words outside energy"
        return cand
    hourly = hits_of_kind(ctx, lo, hi, "hourly") if fig.kind == "percent" and topic == "energy" \
        and "hourly" in kinds else []
    if hourly:
        # "100% of its electricity, 100% of the time": the hour-by-hour share is a target of its
        # own beside the yearly share of the same value.
        hit, rule = hourly[0]
        cand.rules.append((rule.id, hit.start, hit.end))
        fig.unit = rule.unit
    margin = hits_of_kind(ctx, lo, hi, "margin") if fig.kind == "percent" and fig.change_pct is None \
        and "margin" in kinds else []
    if margin and topic == "cloud":
        # "operating margins in the segment rose to 23.7 percent": the cloud unit's margin level.
        hit, rule = margin[0]
        cand.rules.append((rule.id, hit.start, hit.end))
        fig.unit = rule.unit or "% margin"
    elif fig.kind == "percent" and fig.change_pct is None and topic != "energy" and revenue_share is None:
        if share is None or topic != "cloud":
            cand.dropped = "percentage without growth wording or market-share cue"
            return cand
        if how.startswith(_EARLIER) and ctx.rs.lang not in _SUBJECT_DROPPING \
                and not hits_of_kind(ctx, sentence.start, sentence.end, "anaphor"):
            # "China remained the second-largest market, accounting for 12.5%": a share whose
            # sentence names no firm and does not refer back to one is a country's or a market's.
            cand.dropped = "market share with no firm named or referred to in its sentence"
            return cand
        other_market = hits_of_kind(ctx, lo, hi, "other_market")
        if other_market and not any(rule.topic == "cloud" and rule.kind in ("topic", "company")
                                    for hit in hits_between(ctx, lo, hi) for rule in hit.rules):
            # "Baidu's share of the online advertising market has fallen to about 20%, ... if
            # Baidu AI Cloud ...": the share's own clause names another business's market.
            hit, rule = other_market[0]
            cand.rules.append((rule.id, hit.start, hit.end))
            cand.dropped = f"market share of another business ('{span_text(ctx.data, hit.start, hit.end)}')"
            return cand
        musing = hits_of_kind(ctx, lo, fig.start, "hypothetical")
        if musing and fig.unit != "rank":
            # "if Microsoft were to capture even 10% of that market", "百度有望拿下30%": a share
            # someone might win is no position measured for a past period (R5).
            hit, rule = musing[0]
            cand.rules.append((rule.id, hit.start, hit.end))
            cand.dropped = f"a share that might be, not one measured ('{span_text(ctx.data, hit.start, hit.end)}')"
            return cand
        hit, rule = share
        cand.rules.append((rule.id, hit.start, hit.end))
        fig.unit = rule.unit or "% market share"
    cand.period = period_of(ctx, sentence, lo, hi, fig.start)
    return cand


PAID = "money paid to the company by someone else"
OTHERS_SOURCE = "a figure sourced to someone else"
_EARLIER = "company of an earlier sentence"  # how attribute() says the company was carried over
OTHERS_FACILITY = "another firm's facility"  # the sentence places no facility of the company either
STAKE = "money put into another firm"  # the sentence states no capex plan of the company either
_APPOSITION_GAP = 1  # bytes between a figure and the end of its clause for the next clause to qualify it
OTHER_PARTY = "another party's figure"  # its sentence, naming none of the five, states nothing of theirs
FORECAST = "a research house's forecast"  # both silence the statements of the sentence (statements.py)
_FACILITY_UNITS = frozenset({"data centres", "cloud regions", "availability zones"})
# Countries, and the countries and regions Japanese and Korean count together (国と地域, 국가와 지역):
# the press there says a cloud "has entered 10 countries and regions" (進出), a footprint when the
# sentence names the cloud; elsewhere countries count only with data centres or regions in them.
_COUNTRIES_AND_REGIONS = "countries and regions"
_COUNTRY_UNITS = frozenset({"countries", _COUNTRIES_AND_REGIONS})
_LEVEL_UNITS = frozenset({"% of revenue", "% market share", "% operating margin"})


def judge_prior_levels(ctx: Context, judged: Sequence[Candidate]) -> None:
    """'AI Cloud made up 26 % of the group's revenue, up from 20 %': the earlier level is a figure
    of the same company, topic and measure as the level it is compared with, or of nothing."""
    for cand in judged:
        fig = cand.figure
        if fig is None or fig.prior_of is None or (cand.dropped is not None and cand.dropped.startswith("not a")):
            continue
        level = next((c for c in judged if c.figure is fig.prior_of), None)
        # (a clean-energy share is a level too: "66 per cent of the time, up from 64 per cent")
        if level is None or level.dropped is not None or level.figure is None \
                or (level.figure.unit not in _LEVEL_UNITS and level.topic != "energy"):
            cand.dropped = "earlier level of a share that is not claimed"
            continue
        cand.dropped = None
        cand.company, cand.topic = level.company, level.topic
        fig.unit = level.figure.unit
        cand.rules = list(fig.rules) + [r for r in level.rules if r[0] and r[1] != level.figure.start]
        lo, hi = clause_bounds(ctx, fig.start)
        cand.period = period_of(ctx, cand.sentence, lo, hi, fig.start)


_CAPACITY_UNITS = frozenset({"MW", "GW", "kW", "kWh", "MWh", "GWh", "TWh"})


def judge_full_shares(ctx: Context, judged: Sequence[Candidate]) -> None:
    """'the new data centres will run entirely on renewables through contracts for 250 MW': a
    100 % share said in words, in the clause of a contracted capacity of its company, describes
    that deal; the capacity is its figure (one label per statement). A full share in a clause of
    its own ('covered all its use with renewables, and holds contracts for 34 GW') stands."""
    for cand in judged:
        fig = cand.figure
        if fig is None or not fig.full or cand.dropped is not None:
            continue
        clause = clause_bounds(ctx, fig.start)
        if any(other.dropped is None and other.company == cand.company and other.topic == "energy"
               and other.figure is not None and other.figure.unit in _CAPACITY_UNITS
               and clause_bounds(ctx, other.figure.start) == clause for other in judged):
            cand.dropped = "a full share said in words beside the capacity of the deal that gives it"


# Languages that leave a known subject unsaid: there a sentence without a name still speaks of
# the company of the sentence before.
_SUBJECT_DROPPING = frozenset({"zh", "ja", "ko"})


def _segment_line(ctx: Context, lo: int, hi: int) -> bool:
    """A clause that gives a revenue metric of a cloud business: a cloud word, and no market, no
    aggregate and no place named ('public cloud revenue in China grew 30%' is the country's)."""
    return bool(hits_of_kind(ctx, lo, hi, "metric")) and not hits_of_kind(ctx, lo, hi, "share") \
        and not any(names_a_place(ctx, h) for h in locatives_between(ctx, lo, hi)) and any(
            rule.topic == "cloud" and rule.kind == "topic" for hit in hits_between(ctx, lo, hi) for rule in hit.rules)


def _list_of_figures(fig: Figure, siblings: Sequence[Figure]) -> list[tuple[int, int]]:
    """The spans of the figures of the sentence of the same kind and unit as `fig`, not
    conversions or ends of ranges, in text order: the list a 'respectively' pairing reads."""
    # (a percentage's unit is set as it is judged: "% market share"; its kind says enough)
    return [(s.start, s.end) for s in siblings if s.kind == fig.kind and (s.unit == fig.unit or fig.kind == "percent")
            and s.currency == fig.currency and s.conversion_of is None and s.upper_end_of is None
            and s.rate_of is None]


def _rough(ctx: Context, fig: Figure) -> bool:
    """An approximation word right before the figure ("nearly double", "nahezu verdoppeln")."""
    hit = ctx.hits_by_end.get(fig.start) or ctx.hits_by_end.get(fig.start - 1)
    return hit is not None and "approx" in hit.kinds()


def _forecast_over(ctx: Context, sentence: Sentence, fig: Figure, lo: int, hi: int) -> list[tuple[Hit, Rule]]:
    """A broker or forecast word that makes the figure someone's forecast: in the figure's clause
    or before it in the sentence ("Analysts expect capex of $90 billion"), not in a clause after a
    figure the company gives of its own ("a target of $175 billion, far above what analysts
    expected"): there the figure's clause names the company (or refers back to it) and a topic."""
    found = hits_of_kind(ctx, sentence.start, sentence.end, "forecaster")
    if not found or any(hit.start < fig.start or lo <= hit.start < hi for hit, _ in found):
        return found
    if all(any(ch.isdigit() for ch in span_text(ctx.data, hi, hit.start)) for hit, _ in found):
        # "PUE was 1.09, against an industry average of 1.56 reported by the Uptime Institute":
        # a house named in a later clause after a number of its own is the source of that one.
        return []
    if any(_sourced(ctx, hit) for hit, _ in found):
        # "..., according to a Morgan Stanley note": the bank is the sentence's source, and what
        # it says is its forecast, unless the figure's clause tells a result the company posted
        # ("Azure and Google Cloud, which posted 40% and 33% gains, according to a note"): a
        # past figure the note cites is the company's, not a forecast (R5).
        if hits_of_kind(ctx, lo, hi, "result_verb") and not hits_of_kind(ctx, sentence.start, sentence.end, "plan"):
            return []
        return found
    own = bool(hits_of_kind(ctx, lo, hi, "anaphor")) or any(
        "company" in hit.kinds() for hit in hits_between(ctx, lo, hi))
    on_topic = any(rule.topic and rule.kind == "topic" for hit in hits_between(ctx, lo, hi) for rule in hit.rules)
    return [] if own and on_topic else found


# Languages whose verb closes the clause: there a forecast verb after the figure governs it.
_VERB_FINAL = frozenset({"ja", "ko"})


_HOUSE_KINDS = frozenset({"estimate", "forecaster"})  # the cues of a research house or broker


def _house_forecast(ctx: Context, sentence: Sentence, fig: Figure, lo: int, hi: int) -> tuple[Hit, Rule] | None:
    """A research house or broker (estimate or forecaster cue) before the figure in its sentence,
    and a word of the future or of forecasting between that house and the figure (or, where the
    verb closes the clause, anywhere in the figure's clause): the figure is the house's forecast.
    A future word after the figure in another clause ("held 36%, and Synergy says it will ...")
    leaves a measured figure alone."""
    estimates = hits_of_kind(ctx, sentence.start, fig.start, "estimate")
    forecasters = hits_of_kind(ctx, sentence.start, fig.start, "forecaster")
    if not estimates and not forecasters:
        return None
    # (each in text order: the first house is the earlier of the two first hits)
    first = min(estimates[0][0].start, forecasters[0][0].start) if estimates and forecasters else (
        estimates or forecasters)[0][0].start
    end = hi if ctx.rs.lang in _VERB_FINAL else fig.start
    for hit, rule in hits_of_kind(ctx, first, end, "hypothetical"):
        if hit.start >= first:
            return hit, rule
    return None


# Words that put money into what follows them ("invested $2 billion in Anthropic", "dans OpenAI",
# "в OpenAI"), and the articles that may stand between them and a firm's name.
_INTO = frozenset({"in", "into", "dans", "en", "em", "na", "no", "nella", "nel", "в", "во", "an", "am", "bei"})
_ARTICLES = frozenset({"the", "la", "le", "l'", "el", "a", "o", "die", "der", "das", "den", "dem"})
_INTO_REACH = 24  # bytes from a figure to the firm it is put into ("$2 billion last year in")


def _put_into(ctx: Context, fig: Figure, mentions: Sequence[Mention], hi: int) -> Mention | None:
    for mention in mentions:
        if mention.start < fig.end or mention.start >= hi or mention.start - fig.end > _INTO_REACH + 40:
            continue
        if not mention.company.startswith("other:") or mention.weak:
            return None  # the first firm after the figure is one of the five, or a kind of firm
        words = span_text(ctx.data, fig.end, mention.start).casefold().split()
        while words and words[-1] in _ARTICLES:
            words.pop()
        return mention if words and words[-1] in _INTO else None
    return None


# Relative words that open a clause about the noun before them ("a campus that X is building"),
# from every table (kind relative): a quoted clause may be in another language than the article.
_RELATIVE = frozenset(grammar_terms("relative"))
_RELATIVE_REACH = 3  # words between a figure and the relative word ("300 MW campus that")


def _built_by_other(ctx: Context, fig: Figure, mentions: Sequence[Mention], hi: int) -> Mention | None:
    """Another firm named as the subject of a relative clause right after the figure's noun."""
    for mention in mentions:
        if mention.start < fig.end or mention.start >= hi:
            continue
        if not mention.company.startswith("other:") or mention.weak:
            return None
        words = span_text(ctx.data, fig.end, mention.start).casefold().split()
        if 1 <= len(words) <= _RELATIVE_REACH + 1 and words[-1] in _RELATIVE:
            return mention
        return None
    return None


_SUBJECT_LEAD = 2  # words that may stand before the subject at the head of its clause ("The local")


def _other_party(ctx: Context, sentence: Sentence, fig: Figure, lo: int, hi: int) -> tuple[Hit, Rule] | None:
    """Another party (a kind of firm of a deal, or the name an article gave one) as the subject of
    the figure: at the head of the figure's clause, or at the head of the sentence with none of
    the five named in it, or right before a relative clause the figure stands in ("a local
    producer, which has 260 MW"). A clause that names one of the five, or refers back to one,
    keeps its figure ("the developer will supply 300 MW to Microsoft" is Microsoft's power deal)."""
    parties = hits_of_kind(ctx, sentence.start, fig.start, "party_role")
    if not parties or hits_of_kind(ctx, lo, hi, "company"):
        return None
    ours_in_sentence = bool(hits_of_kind(ctx, sentence.start, sentence.end, "company"))
    referred = bool(hits_of_kind(ctx, lo, hi, "anaphor"))
    for hit, rule in reversed(parties):
        if _names_ours(ctx, hit.end, fig.start):
            continue
        relative = hits_of_kind(ctx, lo, min(hi, lo + 12), "aside")
        if relative and hit.end <= lo and not span_text(ctx.data, hit.end, lo).strip(" ,;:") \
                and not span_text(ctx.data, lo, relative[0][0].start).strip(" ,;:"):
            return hit, rule  # (an "its" in the relative clause is the party's own)
        if not ours_in_sentence and _heads(ctx, sentence.start, hit.start, strict=False):
            return hit, rule  # (with none of the five named, an "its" is the party's own)
        if not referred and hit.start >= lo and _heads(ctx, lo, hit.start, strict=ours_in_sentence):
            return hit, rule
    return None


def _heads(ctx: Context, start: int, pos: int, strict: bool) -> bool:
    """Whether a party at `pos` heads the span from `start`: nothing before it, or (where no one
    else could be the subject) an article or a modifier or two ("The local", "该")."""
    lead = span_text(ctx.data, start, pos).strip(" ,;:-")
    if strict or not lead:
        return not lead
    return len(lead.split()) <= _SUBJECT_LEAD and not any(ch.isdigit() for ch in lead) and (
        not is_cjk(lead[-1:]) or len(lead) <= _SUBJECT_LEAD)


def _names_ours(ctx: Context, lo: int, hi: int) -> bool:
    return bool(hits_of_kind(ctx, lo, hi, "company")) or bool(hits_of_kind(ctx, lo, hi, "anaphor"))


def _generic(ctx: Context, sentence: Sentence) -> list[tuple[Hit, Rule]]:
    subject = generic_facility_subject(ctx, sentence)
    return [subject] if subject is not None else []


def _ranked_measure(ctx: Context, sentence: Sentence, fig: Figure) -> bool:
    """'BNEF's ranking of corporate green-power buyers puts Alibaba first with 1.6 TWh': a
    research house that ranks companies by a measured quantity reports a past position (R5),
    and the quantity it ranks them by is the company's, not a forecast."""
    return fig.kind == "unit" and bool(hits_of_kind(ctx, sentence.start, sentence.end, "rank"))


_SOURCE_REACH = 8  # bytes between "according to" and the firm it names ("according to a ")
_SOURCE_KINDS = frozenset({"forecaster", "estimate", "source"})  # the cues _others_source reads
_SOURCED_REACH = 24  # bytes between a source word and the body it names ("datos del ", "彰化縣")
_SOURCE_BODY = frozenset({"forecaster", "estimate", "other_company", "authority"})
_OURS = frozenset({"company", "anaphor"})


def _others_source(ctx: Context, sentence: Sentence, fig: Figure, mention: Mention | None, how: str,
                   kinds: frozenset[str]) -> tuple[Hit, Rule] | None:
    """Someone else the figure's sentence gives as its source: with the company carried from an
    earlier sentence (the sentence names none of the five and does not refer back before the
    figure), a research house, an analyst or an agency before the figure, or a source word
    anywhere that names one ("según datos del Ministerio"); with the company named, a source word
    between it and the figure that names another ("但据县政府估计")."""
    earlier = how.startswith(_EARLIER)
    if earlier:
        if "anaphor" in kinds and any("subset" not in hit.term.kinds
                                      for hit, _ in hits_of_kind(ctx, sentence.start, fig.start, "anaphor")):
            # "Selon Canalys, ses revenus ...": its own figure, the house says it ("其中", "of
            # which" refer back to the clause before, not to the company)
            return None
        before = hits_of_kind(ctx, sentence.start, fig.start, "forecaster") or hits_of_kind(
            ctx, sentence.start, fig.start, "estimate")
        if before:
            return before[0]
        lo, hi = sentence.start, sentence.end
    elif mention is not None and sentence.start <= mention.start < fig.start:
        lo, hi = mention.end, fig.start
    else:
        return None
    for source, _ in hits_of_kind(ctx, lo, hi, "source") if "source" in kinds else ():
        for hit in hits_between(ctx, source.end, sentence.end):
            if hit.start - source.end > _SOURCED_REACH or not hit.term.kinds.isdisjoint(_OURS):
                break  # "según datos de la compañía", "据腾讯介绍": the company's own word
            body = next((rule for rule in hit.rules if rule.kind in _SOURCE_BODY), None)
            if body is not None:
                return hit, body
    return None


def _sourced(ctx: Context, hit: Hit) -> bool:
    return any(0 <= hit.start - source.end <= _SOURCE_REACH
               for source, _ in hits_of_kind(ctx, max(0, hit.start - 40), hit.start, "source"))


def cloud_unit_before(ctx: Context, sentence: Sentence, company: str) -> Trace | None:
    """The cloud alias of the company ("Google Cloud", "阿里云") named earlier in the paragraph of
    the figure's sentence (or in the sentence before, across a paragraph break)."""
    first = sentence
    while first.index > 0 and (ctx.sentences[first.index - 1].paragraph == sentence.paragraph
                               or first.index == sentence.index):
        first = ctx.sentences[first.index - 1]
    found = [(hit, rule) for hit, rule in hits_of_kind(ctx, first.start, sentence.end, "company")
             if rule.company == company and rule.topic == "cloud"]
    if not found:
        # "알리바바의 클라우드 사업부 ... 해당 사업부 매출은": the cloud unit named by a phrase ("its
        # cloud division") in a sentence that names the company.
        found = [(hit, rule) for hit, rule in hits_of_kind(ctx, first.start, sentence.end, "cloud_unit")
                 if _names_company_or_no_firm(ctx, ctx.sentences[sentence_of(ctx, hit.start)], company)]
    if not found:
        return None
    hit, rule = found[-1]
    return rule.id, hit.start, hit.end


def _names_company_or_no_firm(ctx: Context, sentence: Sentence, company: str) -> bool:
    """The sentence names the company, or no firm at all ("AI Cloud was the bright spot." in a
    report on the company: its unit, named without the company again)."""
    named = hits_of_kind(ctx, sentence.start, sentence.end, "company")
    if not named:
        return not hits_of_kind(ctx, sentence.start, sentence.end, "other_company")
    return any(rule.company == company for _, rule in named)


def _cloud_named(ctx: Context, sentence: Sentence) -> bool:
    """A cloud word or cloud alias in the sentence ("its cloud services are now in ten countries")."""
    return any(rule.topic == "cloud" and rule.kind in ("topic", "company")
               for hit in hits_between(ctx, sentence.start, sentence.end) for rule in hit.rules)


def _energy_cue_nearer(ctx: Context, fig: Figure, excluded: Hit, lo: int, hi: int) -> bool:
    """'cut emissions by 12% despite a 27% increase in electricity use': an energy cue nearer to
    the figure than the emissions word says what this figure measures."""
    reach = span_distance(excluded.start, excluded.end, fig.start, fig.end)
    return any(rule.topic == "energy" and rule.kind == "topic" and
               span_distance(hit.start, hit.end, fig.start, fig.end) < reach
               for hit in hits_between(ctx, lo, hi) for rule in hit.rules)


_OWN_HARDWARE = frozenset({"accelerator cards", "servers"})


def excluded_subject(ctx: Context, lo: int, hi: int) -> tuple[Hit, Rule] | None:
    """An excluded subject in [lo, hi): emissions always; a social programme ("skills",
    "charity") only when no specific topic noun (data centre, cloud, capex) shares the span."""
    found = hits_of_kind(ctx, lo, hi, "excluded")
    if not found:
        return None
    strict = [(hit, rule) for hit, rule in found if not rule.generic]
    if strict:
        return strict[0]
    # (a revenue word is specific too: "revenue from public-sector customers rose 20%" is revenue)
    # ("cloud customers", "clientes en la nube" are a topic word and the people excluded in one:
    # they name the cloud, but what they count are customers)
    specific = any((rule.topic and not rule.generic and rule.kind in ("topic", "count_noun")) or rule.kind == "metric"
                   for hit in hits_between(ctx, lo, hi) if "excluded" not in hit.term.kinds for rule in hit.rules)
    return None if specific else found[0]


def _share_cue(ctx: Context, sentence: Sentence, fig: Figure) -> tuple[Hit, Rule] | None:
    """A market-share cue ('share', '份额', 'Marktanteil') in the sentence of a bare percentage,
    or the rank word of a market rank (research houses' ranks are labelled like their shares)."""
    if fig.unit == "rank":
        return next(((hit, rule) for trace in fig.rules[1:] for hit in ctx.hits_by_start.get(trace[1], ())
                     for rule in hit.rules if rule.kind == "rank"), None)
    if fig.kind != "percent" or fig.change_pct is not None:
        return None
    found = hits_of_kind(ctx, sentence.start, sentence.end, "share") or [
        (hit, rule) for hit, rule in hits_of_kind(ctx, sentence.start, sentence.end, "rank")
        if not _bare_rank_character(ctx, hit)]
    return found[0] if found else None


def _bare_rank_character(ctx: Context, hit: Hit) -> bool:
    """'大' makes a rank only right after an ordinal ('第三大'); elsewhere it is the first
    character of an adverb ('大致', '大约') and says nothing of a market."""
    term = span_text(ctx.data, hit.start, hit.end)
    if len(term) != 1 or not is_cjk(term):
        return False
    before = ctx.hits_by_end.get(hit.start)
    return before is None or "ordinal" not in before.kinds()
