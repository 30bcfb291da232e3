"""Topics: what a figure measures (capex, cloud or energy) and the period it refers to.

A unit implies its topic (MW is energy, counted regions are cloud); a financial metric
(revenue, sales) is on-topic only when a cloud or energy cue qualifies it; money beside a cloud
word with no revenue word is spending (capex); a bare percentage is a share of revenue, a
market share or nothing.
"""

from __future__ import annotations

from itertools import compress
from operator import attrgetter

import re2  # type: ignore[import-untyped]

from bot.analysis.claims.context import (
    Context,
    Trace,
    clause_bounds,
    cloud_said_near,
    hits_between,
    hits_of_kind,
    previous_clause_bounds,
    segment_start_of,
    sentence_of,
)
from bot.analysis.claims.figures import Figure
from bot.analysis.claims.text import Sentence, span_distance, span_text
from bot.analysis.rulebook import Hit, Rule, grammar_terms, iter_spans

# A year ("2026", "FY2026", "2026年度"), or a fiscal year in two digits ("FY27", "FY 27").
_YEAR = re2.compile(
    ("(?:FY ?|fiscal |Q[1-4] ?|H[12] ?)?(?:19[89][0-9]|20[0-9][0-9])(?: ?年度?| ?财年| ?財年| ?年度)?"
     "|FY ?[1-4][0-9]\\b").encode()
)


_ENERGY_UNITS = frozenset({"MW", "GW", "kW", "kWh", "MWh", "GWh", "TWh"})


def _topic_cues(ctx: Context, lo: int, hi: int) -> list[tuple[int, int, str, str]]:
    """(start, end, topic, rule id) for topic cues and topic-bearing aliases in [lo, hi) (a bare
    "region" of a country, a generic count noun, names no topic: see TermRules.topic_cue), except
    a cue named as what drove another measure ("revenue rose 16%, helped by Google Cloud": the
    cloud drove it, the group measured it)."""
    hits = hits_between(ctx, lo, hi)
    # (the hits that are no topic cue, most of a clause, are left out at C speed: a cue is a
    # non-empty tuple, never false)
    cues = compress(hits, map(_TOPIC_CUE, hits))
    if "driver" in ctx.by_kind:
        return [(hit.start, hit.end, *cue) for hit in cues
                if (cue := hit.term.topic_cue) is not None and not driver_of(ctx, hit)]
    return [(hit.start, hit.end, *cue) for hit in cues if (cue := hit.term.topic_cue) is not None]


_TOPIC_CUE = attrgetter("term.topic_cue")


_DRIVER_BEFORE = 20  # bytes from "helped by", "porté par", "受" to the cue it names as the cause
_ASIDE_REACH = 8  # bytes from the cue to "whose", "dont", "deren" opening a clause about it
_DRIVER_AFTER = 24  # bytes from the cue to "带动", "がけん引", "덕분에" after it ("クラウド事業がけん引")


def driver_of(ctx: Context, hit: Hit) -> bool:
    """A cue named as what drove another measure: "helped by Google Cloud", "porté par le cloud",
    "受谷歌云带动", "クラウド事業がけん引し", "클라우드 덕분에". The measure beside it is the group's,
    not the cue's (R9). ("despite Azure's deceleration" is no driver: the deceleration is said.)"""
    sentence = ctx.sentences[sentence_of(ctx, hit.start)]
    if hits_of_kind(ctx, hit.end, min(sentence.end, hit.end + _ASIDE_REACH), "aside"):
        return False  # "helped by Google Cloud, whose sales climbed 32%": it is the relative clause's subject
    before = hits_of_kind(ctx, max(sentence.start, hit.start - _DRIVER_BEFORE), hit.start, "driver")
    if any(not rule.generic and not span_text(ctx.data, d.end, hit.start).strip(" ,").count(" ") > 2
           for d, rule in before):
        return True
    after = hits_of_kind(ctx, hit.end, min(sentence.end, hit.end + _DRIVER_AFTER), "driver")
    return any(rule.generic for _, rule in after)


# Rules of facilities counted in a sentence that may take the cloud from the sentence before:
# sites and campuses, regions in the plural ("tres campus", "zwei Standorte", "new regions"),
# servers named before their count ("…智算中心投产。二期新增服务器约4万台": the facility's machines).
COUNTED_AFTER_CLOUD = (".count.sites", ".regions_plural", ".servers_named")
SHARE_BACK = 3  # sentences before a market share in which the cloud may be named


# The item_joiner rules of every table: a word between spaces, an ASCII mark with the space
# after it (", ", "; "), a CJK mark as it is ("、").
_LIST_JOINERS = tuple((f" {term} " if term[:1].isalpha() else f"{term} " if term.isascii() else term).encode()
                      for term in grammar_terms("item_joiner"))


def _next_item_of_list(ctx: Context, cue_end: int, start: int) -> bool:
    """'Cloud Intelligence Group 39.800 millones y la división internacional 34.700 millones':
    after an amount of the cue's item, a joiner and a subject of its own (a word no rule reads,
    or another segment) open the next item; its amount is that subject's. An item with no words
    before its amount ('... y 8.000 millones en el segundo trimestre') goes on with the cue."""
    scales = hits_of_kind(ctx, cue_end, start, "scale")
    if not scales:
        return False
    lo = scales[-1][0].end
    gap = ctx.data[lo:start]
    cut = max(gap.rfind(j) + len(j) if gap.rfind(j) >= 0 else -1 for j in _LIST_JOINERS)
    if cut < 0:
        return False
    pos = lo + cut
    read = [(hit.start, hit.end) for hit in hits_between(ctx, pos, start)
            if not hit.term.kinds & {"segment_anaphor", "group_metric"}]
    here = pos
    for word in ctx.data[pos:start].split():
        here = ctx.data.find(word, here, start)
        if word.strip(b",.;:()") and not word[:1].isdigit() and not any(a <= here < b for a, b in read):
            return True
        here += len(word)
    return False


def _generic_count(ctx: Context, trace: Trace) -> bool:
    """The count noun of a trace is a generic one (a bare "region")."""
    return any(rule.id == trace[0] and rule.generic for hit in ctx.hits_by_start.get(trace[1], ())
               for rule in hit.rules)


# The reason a figure in the clause of a group measure or another segment is no topic's (R9).
GROUP_FIGURE = "group figure"


def choose_topic(ctx: Context, figure: Figure, kinds: frozenset[str]) -> tuple[str | None, str, Trace | None]:
    """Topic of a figure: implied by its unit, else the cue nearest to it in its clause (a metric
    such as revenue needs a cloud/energy cue beside it), else the nearest cue in the sentence.
    `kinds`: the kinds of cue of the figure's sentence (kinds_in)."""
    if figure.kind == "unit" and figure.unit in _ENERGY_UNITS:
        return "energy", "energy unit", None
    if figure.topic is not None:
        return figure.topic, "measure named before the value", None
    if figure.full:
        # "entirely on clean power": a whole share in words is an energy figure when an energy
        # cue shares its sentence, and no figure at all otherwise ("entirely on schedule").
        sentence = ctx.sentences[sentence_of(ctx, figure.start)]
        energy = [c for c in _topic_cues(ctx, sentence.start, sentence.end) if c[2] == "energy"]
        if energy:
            cue = min(energy, key=lambda c: span_distance(c[0], c[1], figure.start, figure.end))
            return "energy", "whole share in words with an energy cue", (cue[3], cue[0], cue[1])
        return None, "whole share in words without an energy cue", None
    if figure.kind == "count" and figure.unit == "rank":
        sentence = ctx.sentences[sentence_of(ctx, figure.start)]
        cues = _topic_cues(ctx, sentence.start, sentence.end)
        market = [c for c in cues if c[2] == "cloud"]
        if market and any(c[2] == "energy" and c[3] != market[0][3] for c in cues):
            # "ranked first among cloud providers on renewable energy": a ranking by a clean-energy
            # score is no position in the cloud market, and a score is no energy figure (R7).
            return None, "rank in a ranking on energy, not in a cloud market", None
        if market:
            cue = market[0]
            return "cloud", "rank in a cloud market", (cue[3], cue[0], cue[1])
        if not cues and cloud_said_near(ctx, sentence, SHARE_BACK):
            # "阿里雲排名第一。亞馬遜AWS和微軟分別排名第二及第三。": a ranking goes on over the
            # sentences after the one that named the cloud market, as a market share does.
            return "cloud", "rank in the cloud market named just before", None
        return None, "rank with no cloud market named", None
    if figure.kind == "count":
        trace = next((t for t in figure.rules if ".count." in t[0]), None)
        if trace is not None and _generic_count(ctx, trace):
            # "29 regiones", "30 регионах": regions of a cloud only where the sentence says cloud.
            # Sites, campuses and regions in the plural may take it from the sentence before
            # ("... to build data centres. It will put up three campuses near the city").
            sentence = ctx.sentences[sentence_of(ctx, figure.start)]
            first = ctx.sentences[sentence.index - 1] if sentence.index > 0 and trace[0].endswith(
                COUNTED_AFTER_CLOUD) else sentence
            if not any(c[2] == "cloud" for c in _topic_cues(ctx, first.start, sentence.end)):
                cluster = hits_of_kind(ctx, sentence.start, sentence.end, "facility_noun") \
                    if figure.unit == "accelerator cards" else []
                if not cluster:
                    return None, "regions counted with no cloud word in the sentence", None
                # "brought online a cluster of 30,000 of its own chips", "3万张昆仑芯组成的集群":
                # chips counted in a computing cluster or at a site are installed capacity (R2).
                hit, rule = cluster[0]
                return "cloud", "chips counted in a cluster or at a site", (rule.id, hit.start, hit.end)
            if figure.unit == "accelerator cards" and any(
                    not rule.generic for _, rule in hits_of_kind(ctx, *clause_bounds(ctx, figure.start), "payment")):
                # "bought 10,000 chips from Nvidia for its cloud": chips bought are a purchase,
                # not capacity the company says it has installed (R2).
                return None, "chips bought: a purchase, not installed capacity", None
        return "cloud", "counted cloud facilities", trace
    lo, hi = clause_bounds(ctx, figure.start)
    cues = _topic_cues(ctx, lo, hi)
    metrics = hits_of_kind(ctx, lo, hi, "metric") if "metric" in kinds else []
    groups = hits_of_kind(ctx, lo, hi, "group_metric") if "group_metric" in kinds else []
    if groups and not _own_item(ctx, figure, cues, groups):
        hit, rule = groups[0]
        return None, f"{GROUP_FIGURE} ({rule.id} on '{span_text(ctx.data, hit.start, hit.end)}')", None
    nearest_cue = _nearest(cues, figure.start, figure.end)
    if nearest_cue is not None and figure.kind in ("multiplier", "percent") and _is_facility(ctx, nearest_cue):
        # "the energy consumption of its data centres ... ten times the 2022 level": the data
        # centres are where the energy is used; the energy cue of the clause says what is measured.
        energy = [c for c in cues if c[2] == "energy"]
        if energy:
            nearest_cue = _nearest(energy, figure.start, figure.end)
    nearest_metric = min(metrics, key=lambda m: span_distance(m[0].start, m[0].end, figure.start, figure.end),
                         default=None) if metrics else None
    if nearest_metric is not None:
        metric_dist = span_distance(nearest_metric[0].start, nearest_metric[0].end, figure.start, figure.end)
        qualifiers = [c for c in cues if c[2] in ("cloud", "energy")]
        cue_dist = (span_distance(nearest_cue[0], nearest_cue[1], figure.start, figure.end)
                    if nearest_cue is not None else 1 << 30)
        if metric_dist < cue_dist or nearest_cue is None:
            if qualifiers:
                best = min(qualifiers, key=lambda c: span_distance(c[0], c[1], nearest_metric[0].start,
                                                               nearest_metric[0].end))
                return best[2], "metric qualified by a topic cue", (best[3], best[0], best[1])
            subset = _subset_topic(ctx, figure, lo, hi)
            if subset is not None:
                # "cloud revenue rose 33%, of which subscription revenue grew 128%": the part
                # is measured within the whole the clause before it named.
                return subset[2], "metric in a clause opened by 'of which' shares the topic before it", (
                    subset[3], subset[0], subset[1])
            earlier = _qualifier_before(ctx, nearest_metric[0].start)
            if earlier is not None:
                return earlier[2], "metric qualified by the sentence's cloud/energy subject", (
                    earlier[3], earlier[0], earlier[1])
            hit, rule = nearest_metric
            return None, f"group metric ({rule.id} on '{span_text(ctx.data, hit.start, hit.end)}')", None
    if nearest_cue is not None:
        if figure.kind == "money" and nearest_cue[2] == "cloud" and nearest_cue[1] <= figure.start \
                and _next_item_of_list(ctx, nearest_cue[1], figure.start):
            return None, "amount of a later item of a list, which names its own subject", None
        if figure.kind == "money" and nearest_cue[2] == "cloud" and _spent_on_cloud(ctx, figure, nearest_cue[0]):
            return "capex", "money for data centres or cloud with no revenue word", (
                nearest_cue[3], nearest_cue[0], nearest_cue[1])
        return nearest_cue[2], "cue in the figure's clause", (nearest_cue[3], nearest_cue[0], nearest_cue[1])
    if hits_of_kind(ctx, lo, hi, "subset"):
        previous = previous_clause_bounds(ctx, figure.start)
        if previous is not None:
            prev_cues = _topic_cues(ctx, *previous)
            if prev_cues:
                cue = prev_cues[-1]
                why = "clause opened by 'of which' shares the topic before it"
                return cue[2], why, (cue[3], cue[0], cue[1])
    sentence = ctx.sentences[sentence_of(ctx, figure.start)]
    shares = [(hit, rule) for hit, rule in hits_of_kind(ctx, sentence.start, sentence.end, "share")
              if not rule.generic] if figure.kind == "percent" and figure.change_pct is None and not cues else []
    if shares and not hits_of_kind(ctx, sentence.start, sentence.end, "metric"):
        # "Microsoft held 20% and Google 13%, ... the latter's share": a market share is a
        # cloud position claim, when the cloud is named in the sentence or the three before it
        # and the sentence names no market of another business ("share of e-commerce"). A
        # generic share cue ("del mercato", "рынка") says no market at all: it counts only
        # beside a cloud word of the figure's clause (a topic cue, above).
        if hits_of_kind(ctx, sentence.start, sentence.end, "other_market"):
            return None, "market share of another business", None
        if not cloud_said_near(ctx, sentence, SHARE_BACK):
            return None, "market share with no cloud named near it", None
        hit, rule = shares[0]
        return "cloud", "market share with no other topic cue", (rule.id, hit.start, hit.end)
    # A figure in a clause of its own ("up from the $75 billion it gave in February") continues
    # what the sentence said before it: the cue before the figure wins over one after it.
    segment_start = max(sentence.start, segment_start_of(ctx, figure.start))
    # A cue in brackets before the figure lists what a broader measure includes ("AI revenue
    # (covering ads, cloud, devices) rose 50%"): it does not make the figure the cloud's (R9).
    before = [c for c in _topic_cues(ctx, segment_start, figure.start)
              if not _bracketed(ctx.data, segment_start, c[0], figure.start)]
    groups_before = hits_of_kind(ctx, segment_start, figure.start, "group_metric")
    if groups_before and before and groups_before[0][0].start < before[0][0] and not any(
            ch.isdigit() for ch in span_text(ctx.data, groups_before[0][0].end, before[0][0])):
        # "Revenue from FinTech and Business Services, the segment that houses Tencent Cloud, grew
        # 9%": the sentence's subject is a broader segment; the cloud named inside it is what the
        # segment holds, and the figure is the segment's (R9). A segment that gives figures of its
        # own before the cloud is named ("group sales rose 4% to X, while cloud sales ...") is not.
        hit, rule = groups_before[0]
        return None, f"{GROUP_FIGURE}, its subject ({rule.id} on '{span_text(ctx.data, hit.start, hit.end)}')", None
    group = hits_of_kind(ctx, segment_start, figure.start, "group_metric")
    if group and (not before or group[-1][0].start > before[-1][0]):
        # "Si son chiffre d'affaires consolidé n'a progressé que de 4 %, à 287 milliards de yuans,
        # sa division cloud ...": a figure in a clause of its own goes on about the group measure
        # named before it, not about the cloud named after it (R9).
        hit, rule = group[-1]
        return None, f"{GROUP_FIGURE} ({rule.id} on '{span_text(ctx.data, hit.start, hit.end)}', before it)", None
    if before:
        cue = before[-1]
        if figure.kind == "money" and cue[2] == "cloud" and _next_item_of_list(ctx, cue[1], figure.start):
            return None, "amount of a later item of a list, which names its own subject", None
        if figure.kind in ("multiplier", "percent") and cue[2] == "cloud" and _is_facility(ctx, cue):
            # "Энергопотребление дата-центров Alibaba ..., вырастет в десять раз": the facilities
            # are where the energy named before them is used; the energy is what is measured.
            energy = [c for c in before if c[2] == "energy"]
            if energy:
                cue = energy[-1]
        if figure.kind == "money" and cue[2] == "cloud" and _spent_on_cloud(ctx, figure, cue[0]):
            return "capex", "money for data centres or cloud with no revenue word", (cue[3], cue[0], cue[1])
        return cue[2], "nearest cue before the figure in the sentence", (cue[3], cue[0], cue[1])
    cues = [c for c in _topic_cues(ctx, sentence.start, sentence.end)
            if not _bracketed(ctx.data, sentence.start, c[0], figure.start)]
    if cues:
        cue = min(cues, key=lambda c: span_distance(c[0], c[1], figure.start, figure.end))
        if figure.kind == "money" and cue[2] == "cloud" and _spent_on_cloud(ctx, figure, cue[0]):
            return "capex", "money for data centres or cloud with no revenue word", (cue[3], cue[0], cue[1])
        return cue[2], "nearest cue in the sentence", (cue[3], cue[0], cue[1])
    return None, "no topic cue", None


def _nearest(cues: list[tuple[int, int, str, str]], start: int, end: int) -> tuple[int, int, str, str] | None:
    """The cue nearest to [start, end), the first of those as near (None for no cue)."""
    best = None
    reach = 0
    for cue in cues:
        distance = span_distance(cue[0], cue[1], start, end)
        if best is None or distance < reach:
            best, reach = cue, distance
    return best


def _own_item(ctx: Context, figure: Figure, cues: list[tuple[int, int, str, str]],
              groups: list[tuple[Hit, Rule]]) -> bool:
    """'Taobao and Tmall Group revenue rose 10% to 101 billion yuan and Cloud Intelligence Group
    revenue rose 26% to 39.8 billion yuan and AIDC ...', 'Taobao y Tmall ingresó 101.000 millones y
    Cloud Intelligence Group 39.800 millones': in a list of segments the figure belongs to the
    item it closes, whose subject is the cloud named before it; another segment named after the
    figure opens the next item, one named before it closed an item of its own with its figure."""
    before = [c for c in cues if c[1] <= figure.start and c[2] == "cloud"]
    if not before:
        return False
    cue = before[-1]
    earlier = [hit for hit, _ in groups if hit.end <= figure.start]
    if not earlier:
        return True
    last = earlier[-1]
    return last.end <= cue[0] and any(ch.isdigit() for ch in span_text(ctx.data, last.end, cue[0]))


def _subset_topic(ctx: Context, figure: Figure, lo: int, hi: int) -> tuple[int, int, str, str] | None:
    """The last cloud or energy cue of the clause before one opened by 'of which' (其中, dont)."""
    if not hits_of_kind(ctx, lo, hi, "subset"):
        return None
    previous = previous_clause_bounds(ctx, figure.start)
    if previous is None:
        return None
    cues = [c for c in _topic_cues(ctx, *previous) if c[2] in ("cloud", "energy")]
    return cues[-1] if cues else None


def _bracketed(data: bytes, lo: int, pos: int, figure_start: int) -> bool:
    """Whether pos sits inside brackets that close before figure_start."""
    opened = max(data.rfind(b"(", lo, pos), data.rfind("（".encode(), lo, pos))
    if opened < 0 or max(data.rfind(b")", opened, pos), data.rfind("）".encode(), opened, pos)) >= 0:
        return False
    return data.find(b")", pos, figure_start) >= 0 or data.find("）".encode(), pos, figure_start) >= 0


def _is_facility(ctx: Context, cue: tuple[int, int, str, str]) -> bool:
    return any("count_noun" in hit.kinds() for hit in ctx.hits_by_start.get(cue[0], ()))


def _spent_on_cloud(ctx: Context, figure: Figure, cue_start: int) -> bool:
    """Money beside a cloud or data-centre word is what the company spends on it ("$2bn for
    data centres in Jakarta", "3800億元をクラウドのインフラに投じる") unless the sentence names
    a revenue-like metric (revenue, backlog, run-rate): cloud money claims are earnings."""
    if figure.change_pct is not None and any(hit.kinds() & {"company", "segment_anaphor"}
                                             for hit in ctx.hits_by_start.get(cue_start, ())):
        # "Google Cloud ..., growing 34 percent to $15.2 billion", "That segment surged 21% to
        # RMB 6.2 billion": a level that grew at a rate beside the cloud unit's name, or the word
        # that refers back to it, is what the unit took in, not what was spent on it.
        return False
    sentence = ctx.sentences[sentence_of(ctx, figure.start)]
    if figure.change_pct is not None and not any(rule.topic == "capex" for _, rule in hits_of_kind(
            ctx, sentence.start, sentence.end, "topic")):
        # "Baidu's AI Cloud business grew 42% to RMB 6.7 billion": money that grew, beside a
        # cloud word, in a sentence with no word of spending, is what the business took in.
        return False
    return not hits_of_kind(ctx, sentence.start, sentence.end, "metric") and not hits_of_kind(
        ctx, sentence.start, sentence.end, "group_metric")


def _qualifier_before(ctx: Context, metric_start: int) -> tuple[int, int, str, str] | None:
    """'the Cloud Intelligence Group ..., posting a 38% surge in revenue': a cloud or energy cue
    earlier in the sentence qualifies the metric when no other metric stands between them."""
    sentence = ctx.sentences[sentence_of(ctx, metric_start)]
    cues = [c for c in _topic_cues(ctx, sentence.start, metric_start) if c[2] in ("cloud", "energy")]
    if not cues:
        return None
    cue = cues[-1]
    if hits_of_kind(ctx, cue[1], metric_start, "metric") or hits_of_kind(ctx, cue[1], metric_start, "group_metric"):
        return None
    groups = hits_of_kind(ctx, sentence.start, cue[0], "group_metric")
    if groups and not any(ch.isdigit() for ch in span_text(ctx.data, groups[-1][0].end, cue[0])):
        # "A divisão de fintech e serviços empresariais, que inclui a computação em nuvem,
        # faturou ...": the cloud named after a broader segment is what that segment holds; the
        # metric is the segment's (R9).
        return None
    return cue


def period_of(ctx: Context, sentence: Sentence, lo: int, hi: int, near: int) -> str | None:
    """The period a figure refers to: a year or period phrase, preferring its own clause."""
    found = ctx.periods_memo.get(sentence.index)
    if found is None:
        found = [span for span in iter_spans(_YEAR, ctx.data, sentence.start, sentence.end)
                 if not _inside_cjk_amount(ctx.data, *span)]
        periods = hits_of_kind(ctx, sentence.start, sentence.end, "period")
        if periods:  # (most sentences have none: no list built for them)
            found += [(hit.start, hit.end) for hit, _ in periods]
        ctx.periods_memo[sentence.index] = found
    if not found:
        return None
    if len(found) == 1:
        start, end = found[0]
        return span_text(ctx.data, start, end).strip()

    def rank(span: tuple[int, int]) -> tuple[int, int]:
        in_clause = lo <= span[0] < hi
        return (0 if in_clause else 1, abs(span[0] - near))

    start, end = min(found, key=rank)
    for other_start, other_end in found:
        # "2026年全年", "fiscal 2026 full year": a year and a span of it written together are one
        # period (the year says which, the span how long).
        if 0 <= other_start - end <= 1:
            end = other_end
        elif 0 <= start - other_end <= 1:
            start = other_start
    return span_text(ctx.data, start, end).strip()


_CJK_SCALES = frozenset("兆億亿万萬")


def _inside_cjk_amount(data: bytes, start: int, end: int) -> bool:
    """'1兆2000億円', '2000万kW': a year-like number glued to a CJK scale is part of an amount."""
    if (start == 0 or data[start - 1] < 0x80) and (end >= len(data) or data[end] < 0x80):
        return False  # ASCII on both sides (most years): no CJK character there to decode
    before = span_text(data, max(0, start - 3), start)[-1:]
    after = span_text(data, end, end + 3)[:1]
    return before in _CJK_SCALES or after in _CJK_SCALES


def capex_cue(ctx: Context, lo: int, hi: int) -> Trace | None:
    """A capex cue that names spending itself ('capex', '资本开支'), not a verb such as 'invest'."""
    for hit, rule in hits_of_kind(ctx, lo, hi, "topic"):
        if rule.topic == "capex" and not rule.generic:
            return rule.id, hit.start, hit.end
    return None


def revenue_share_topic(ctx: Context, sentence: Sentence, fig: Figure, lo: int,
                   hi: int) -> tuple[str, Trace] | None:
    """'capex ..., accounting for 15% of revenue', '资本开支...占收入的约12%', 'AI Cloud made up 26
    percent of the group's revenue': a bare percentage with a share-of-revenue cue in its clause
    is a share of revenue of what the sentence names before it: capex, else the cloud unit.
    Returns the topic and the cue that gave it."""
    if fig.kind != "percent" or fig.change_pct is not None or not _of_revenue(ctx, fig, lo, hi):
        return None
    capex = capex_cue(ctx, sentence.start, fig.start)
    if capex is not None:
        return "capex", capex
    cloud = [c for c in _topic_cues(ctx, sentence.start, fig.start) if c[2] == "cloud"]
    if cloud:
        return "cloud", (cloud[-1][3], cloud[-1][0], cloud[-1][1])
    return None


def _of_revenue(ctx: Context, fig: Figure, lo: int, hi: int) -> bool:
    """A share-of-revenue cue in the clause, or 'of' right after the percentage and a revenue
    word later in its clause ('26 percent of the group's total revenue')."""
    if hits_of_kind(ctx, lo, hi, "of_revenue"):
        return True
    if ctx.data[fig.end:fig.end + 4] != b" of ":
        return False
    return bool(hits_of_kind(ctx, fig.end, hi, "metric") or hits_of_kind(ctx, fig.end, hi, "group_metric"))
