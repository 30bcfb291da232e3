"""Statements without a figure: a plan, a change of course or a market position of one company on
a topic ('will build a data centre', 'cloud growth slowed', 'trails the market leader'), and a
capex plan said as a share of revenue in words ('low teens as a percentage of revenue').
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import filterfalse
from operator import attrgetter, methodcaller, or_

from bot.analysis.claims.attribution import (
    Mention,
    attribute,
    industry_aggregates,
    listed_together,
    ours_listed_before,
    paid_to,
    party_with,
)
from bot.analysis.claims.context import (
    Context,
    Trace,
    clause_bounds,
    cloud_said_near,
    hits_between,
    hits_of_kind,
    kinds_in,
    locatives_between,
    names_a_place,
    sentence_of,
)
from bot.analysis.claims.decisions import (
    FORECAST,
    OTHER_PARTY,
    OTHERS_FACILITY,
    PAID,
    STAKE,
    Candidate,
    cloud_unit_before,
    excluded_subject,
)
from bot.analysis.claims.text import Sentence, opens_bullet, span_distance, span_text, within_letters
from bot.analysis.claims.topics import GROUP_FIGURE, SHARE_BACK, capex_cue, driver_of, period_of
from bot.analysis.rulebook import Hit, Rule, grammar_terms, is_cjk, is_hangul

# Which statement cues make a figure-less claim with which topic cues: a company's own cloud
# name ("Azure") only with a change of course or a market position ("Azure's deceleration"),
# a topic word with a plan too ("will build a data centre").
_STATEMENT_KINDS_FOR_TOPIC_WORD = ("plan", "change", "position", "versus", "guidance")
_STATEMENT_KINDS_FOR_ALIAS = ("change", "position", "versus", "guidance")
_TOPIC_OR_ALIAS = frozenset({"topic", "company"})
_STATEMENT_REACH = 60  # bytes between a topic cue and the statement cue that goes with it
_VERSUS_REACH = 24  # bytes between a comparison word and the estimate it takes as object


# Every statement below starts from one of these: a topic word or cloud alias (a rule with a
# topic), a counted facility or site, a revenue share in words, a revenue metric.
_STATEMENT_ANCHORS = frozenset({"topic", "count_noun", "facility_noun", "vague_share", "metric", "share"})


_TERM_TOPICS = attrgetter("term.topics")
_WEAK = attrgetter("weak")
_COMPANY = attrgetter("company")
_OTHER_FIRM = methodcaller("startswith", "other:")
_PASSING = attrgetter("passing")
_TOPIC_RULE = attrgetter("term.topic_rule")
_TOPIC = attrgetter("topic")


def _may_state(ctx: Context, sentence: Sentence, kinds: frozenset[str]) -> bool:
    """Whether the sentence (with these kinds of cue) has any cue a figure-less statement is built
    from (a cheap test that spares the checks below on the many sentences that name a company on
    other business)."""
    if not kinds.isdisjoint(_STATEMENT_ANCHORS):
        return True
    return any(map(_TERM_TOPICS, hits_between(ctx, sentence.start, sentence.end)))


def figureless_statements(ctx: Context, sentence: Sentence, mentions: Sequence[Mention], context: Mention | None,
                          judged: Sequence[Candidate], previous_topic: tuple[str, str] | None = None
                          ) -> list[Candidate]:
    """Figure-less claims: a plan, a change of course or a market position of one company on a
    topic ("will raise capex", "cloud growth slowed", "trails the market leader"). None of a
    company a customer pays in the sentence ("OpenAI will buy $250 billion of Azure services
    from Microsoft"): the deal is the customer's spending, not the company's statement; none of
    a company whose figure in the sentence is a research house's forecast ("Canalys预测…市场份额将
    升至38%"), nor in a sentence that muses over a percentage under "if". `previous_topic`:
    (figure kind, topic) of the figure the sentence before claimed of the company in force, if any."""
    if previous_topic is not None and previous_topic[1] == "cloud" and context is not None and not mentions:
        back = _change_said_back(ctx, sentence, context)
        if back is not None:
            return [back]
    found = _statements(ctx, sentence, mentions, context, judged)
    if not found:
        return found
    if any(c.figure is not None and c.figure.kind == "percent" for c in judged) and any(
            not rule.generic for _, rule in hits_of_kind(ctx, sentence.start, sentence.end, "hypothetical")):
        # "如果百度能拿下25%的AI云市场，那将是巨大的成功": a percentage under "if" is a musing;
        # its "will" states no plan of the company.
        return []
    if any(c.dropped is not None and c.dropped.startswith(FORECAST) for c in judged):
        return []  # the sentence is a research house's forecast (dropped before any company)
    grouped = {clause_bounds(ctx, c.figure.start) for c in judged if c.figure is not None and c.figure.kind == "money"
               and c.dropped is not None and c.dropped.startswith(f"topic: {GROUP_FIGURE}")}
    if grouped:
        # "斥资约30亿元回购股份，全年回购金额将不少于50亿元", "spent $15 billion on buybacks and
        # will spend more": the money its clause gives to buybacks, dividends or another segment
        # (R9) is what the spending cue of that clause is about, no capex plan of the company.
        found = [c for c in found if c.topic != "capex" or not any(
            clause_bounds(ctx, start) in grouped for _, start, _ in c.rules[1:])]
    if not any(not m.company.startswith("other:") for m in mentions) and any(
            c.dropped is not None and c.dropped.startswith(OTHER_PARTY) for c in judged):
        # "Nordwind will invest $900 million in new lines": the party a deal of the company
        # named is the subject; its plan is no statement of the company of the paragraph.
        return []
    hosted = {c.company for c in judged if c.dropped is not None and c.dropped.startswith(OTHERS_FACILITY)}
    if hosted:
        # "will lease space in a 300 MW campus that CoreWeave is building": the campus is not its.
        found = [c for c in found if c.company not in hosted or c.statement != "footprint"]
    party_figures = [c.figure.start for c in judged
                     if c.figure is not None and c.dropped is not None and c.dropped.startswith(OTHER_PARTY)]
    if party_figures:
        # "signed a deal with Cierzo, a developer, which will build a 300 MW campus in Aragon": the
        # facility in the clause of another party's figure is that party's, not a footprint of ours.
        found = [c for c in found if c.statement != "footprint" or len(c.rules) < 2 or not any(
            clause_bounds(ctx, c.rules[1][1]) == clause_bounds(ctx, start) for start in party_figures)]
    staked = {c.company for c in judged if c.dropped is not None and c.dropped.startswith(STAKE)}
    if staked:
        # "Google invested $2 billion in Anthropic and has committed more": the plan is the stake's.
        found = [c for c in found if c.company not in staked or c.topic != "capex"]
    paid = {c.company for c in judged if c.dropped is not None and c.dropped.startswith(PAID)}
    if hits_of_kind(ctx, sentence.start, sentence.end, "payment"):
        paid |= {m.company for m in mentions if not m.company.startswith("other:")
                 and paid_to(ctx, sentence, m, mentions, m.start, "") is not None}
    return [c for c in found if c.company not in paid or c.topic == "energy"] if paid else found


def _statements(ctx: Context, sentence: Sentence, mentions: Sequence[Mention], context: Mention | None,
                judged: Sequence[Candidate]) -> list[Candidate]:
    # The kinds of cue the sentence has: a builder or check whose cue it lacks is not asked.
    kinds_here = kinds_in(ctx, sentence)
    if not _may_state(ctx, sentence, kinds_here):
        return []  # most sentences that reach here name a company on other business
    if "forecaster" in kinds_here:
        return []
    # Every statement below is of a company the sentence names or of the one it goes on about
    # (`context`): attribute() and the list readers choose among those. A builder whose skip
    # test passes for each of them can claim nothing, and is spared (it is the common case in
    # a sentence dense with figures: the company says it through them).
    possible = set(filterfalse(_OTHER_FIRM, map(_COMPANY, mentions)))  # (the five's names, at C speed)
    if context is not None and not context.company.startswith("other:") and (
            any(map(_WEAK, mentions)) or all(map(or_, map(_PASSING, mentions), map(_WEAK, mentions)))):
        # (attribute() gives the context only beside a kind of firm, or when every firm the
        # sentence names is named in passing)
        possible.add(context.company)
    if not possible:
        return []  # (no company it could be of: no topic is open, and no builder below claims)
    # A company whose figures this sentence gives says what it says through them (with_figures)
    # ... on that topic: a power build-out named beside the money spent on data centres is an
    # energy statement of its own ("will invest €1 billion in two data centres and in renewables").
    with_figures: set[str] = set()
    figure_topics: set[tuple[str, str | None]] = set()
    with_more_than_counts: set[str] = set()
    giving: dict[str | None, set[str]] = {}  # the companies with a kept figure of each topic
    for c in judged:
        if c.dropped is None and c.company:
            with_figures.add(c.company)
            figure_topics.add((c.company, c.topic))
            giving.setdefault(c.topic, set()).add(c.company)
            if not (c.topic == "cloud" and c.figure is not None and c.figure.kind == "count"):
                with_more_than_counts.add(c.company)
    # The topics on which some possible company has no kept figure that says the statement (the
    # test of the member loop below: any figure says the cloud's, a figure of its topic says
    # energy, any figure but a count of cloud facilities says capex), among those of the
    # sentence's topic words and aliases: a cue of any other topic can make no statement.
    # (read at C speed: a Rule is never false, so filter drops the hits without a topic rule)
    cue_topics = set(map(_TOPIC, filter(None, map(_TOPIC_RULE, hits_between(ctx, sentence.start, sentence.end)))))
    live_topics = {topic for topic in cue_topics if not possible <= (
        with_figures if topic == "cloud" else with_more_than_counts | giving.get(topic, set())
        if topic == "capex" else giving.get(topic, set()))}
    if not live_topics and possible <= giving.get("cloud", set()):
        # ... and each company gives a cloud figure, which every builder below skips (a figure of
        # its cloud business says what a direction, a footprint or a position would say).
        return []
    # (before the aggregate filter: a share the listed firms hold together is an aggregate)
    listed = _listed_positions(ctx, sentence, mentions, judged)
    if "aggregate" in kinds_here and industry_aggregates(ctx, sentence.start, sentence.end):
        return listed
    # An emissions clause takes no statement with it, but a rank said in another clause of the
    # sentence stands ("leads the country in clean power, but its emissions grew").
    excluded = excluded_subject(ctx, sentence.start, sentence.end) if "excluded" in kinds_here else None
    if excluded is not None and (excluded[1].generic or "position" not in kinds_here):
        return listed
    # A research house cited for a ranking ("IDC: Baidu AI Cloud ranked first") reports a market
    # position, which is labelled like a market share; plans and changes it reports are estimates.
    # An estimate that is the object of a comparison ("below analyst targets") is what the
    # company's result is measured against, not who says it.
    statements, shadowed = _versus_expectations(ctx, sentence) if "versus" in kinds_here else ([], set())
    estimates = [hit for hit, _ in hits_of_kind(ctx, sentence.start, sentence.end, "estimate")
                 if hit.start not in shadowed] if "estimate" in kinds_here else []
    kinds: tuple[str, ...] = ("position",) if estimates else _STATEMENT_KINDS_FOR_TOPIC_WORD
    if "capability" in kinds_here:
        # "Under the law, Tencent can open and run data centres there", "is allowed to build":
        # what a firm may do is no plan and no footprint it has.
        kinds = tuple(k for k in kinds if k != "plan")
    # A statement cue with a topic ("keep growing", "continuer de croître" for spending) goes
    # with a topic word of that topic only: the cloud's growth is said by its revenue (a
    # direction, below), and "demand keeps growing" says none.
    scoped: dict[int, str] = {}
    for hit in hits_between(ctx, sentence.start, sentence.end) if live_topics else ():
        if hit.term.kinds.isdisjoint(kinds):
            continue
        # "below its earlier guidance" is a change and a comparison with the company's own
        # guidance: the comparison says more.
        for rule in sorted(hit.rules, key=lambda r: r.kind != "guidance"):
            if rule.kind in kinds and rule.kind != "versus":  # those only with their object, above
                statements.append((hit.start, hit.end, rule.kind, rule.id))
                if rule.topic is not None:
                    scoped[hit.start] = rule.topic
                break
    # A sum the listed firms spend or hold together ("Amazon, Google and Meta will spend $300
    # billion") makes what the sentence says a statement of the group, not of each firm.
    joint = any(c.dropped is not None and c.figure is not None and not c.figure.ordinal and (
        c.dropped.startswith("figure of several companies") or c.dropped.startswith("industry aggregate"))
        for c in judged)
    ratio = _vague_revenue_share(ctx, sentence, mentions, context, with_figures) if "vague_share" in kinds_here \
        else []
    if "metric" in kinds_here:
        ratio += _cloud_direction(ctx, sentence, mentions, context, judged, kinds, possible)
    if "count_noun" in kinds_here or "facility_noun" in kinds_here:
        ratio += _footprint(ctx, sentence, mentions, context, judged, kinds, joint, possible)
    ratio += listed
    if "share" in kinds_here:
        ratio += _share_moves(ctx, sentence, mentions, judged, ratio)
    if not statements:
        return ratio
    best: dict[str, tuple[int, Candidate]] = {}
    by_topic: dict[tuple[str, str], tuple[int, Candidate]] = {}
    undisclosed = [hit for hit, _ in hits_of_kind(ctx, sentence.start, sentence.end, "undisclosed")]
    on_energy = any(("topic", "energy") in hit.term.topic_kinds
                    for hit in hits_between(ctx, sentence.start, sentence.end))
    for hit in hits_between(ctx, sentence.start, sentence.end):
        topic_rule = hit.term.topic_rule
        if topic_rule is None or topic_rule.topic is None or topic_rule.topic not in live_topics \
                or driver_of(ctx, hit):
            continue  # (a cue named as what drove another measure states nothing of its own)
        is_alias = topic_rule.kind == "company"
        if not is_alias and _pointed_back(ctx, hit) and not hits_of_kind(ctx, sentence.start, sentence.end, "period"):
            continue
        allowed = _STATEMENT_KINDS_FOR_ALIAS if is_alias else _STATEMENT_KINDS_FOR_TOPIC_WORD
        near = [s for s in statements if s[2] in allowed and scoped.get(s[0], topic_rule.topic) == topic_rule.topic
                and within_letters(ctx.data, s[0], s[1], hit.start, hit.end, _STATEMENT_REACH)]
        if not near:
            continue
        # A result measured against expectations is the strongest thing the sentence says of it.
        statement = min(near, key=lambda s: (s[2] not in ("versus", "guidance"),
                                             span_distance(s[0], s[1], hit.start, hit.end)))
        if _in_aside_of_another(ctx, sentence, statement[0], mentions):
            continue
        if excluded is not None and (statement[2] != "position"
                                     or clause_bounds(ctx, excluded[0].start) == clause_bounds(ctx, hit.start)):
            continue
        if statement[2] == "position" and topic_rule.topic == "energy" and (
                clause_bounds(ctx, statement[0]) != clause_bounds(ctx, hit.start)
                or any("ordinal" in h.kinds() for h in ctx.hits_by_start.get(statement[0], ()))):
            # "technology leader Alibaba, ..., energy" leads in something else; "the first deal
            # to buy nuclear power" is a launch, not a rank among buyers of clean power.
            continue
        if statement[2] == "position" and topic_rule.topic == "cloud" and on_energy:
            continue  # a ranking of cloud firms by clean energy is no cloud market position
        if topic_rule.topic == "capex" and any(clause_bounds(ctx, u.start) == clause_bounds(ctx, hit.start)
                                               for u in undisclosed):
            # "did not disclose the value of Google's investment" announces no spending; a plan
            # said in its own clause ("將再投入數億美元…，但未透露具體金額") does, without a figure.
            continue
        if statement[2] == "plan" and on_energy and "count_noun" in hit.kinds():
            # "aims to run all its data centres on carbon-free power": the facilities are what
            # the energy powers; the plan is the energy's (footprints with a place are below).
            continue
        mention, _ = attribute(ctx, hit.start, hit.end, mentions, context)
        if topic_rule.kind == "company":
            mention = next((m for m in mentions if m.start == hit.start), mention)
        if mention is not None and statement[2] == "plan":
            mention = ours_listed_before(ctx, mention, mentions) or mention
        if mention is not None and mention.company.startswith("other:"):
            mention = party_with(ctx, mention, mentions) or mention
        if mention is not None and mention.company.startswith("other:") and statement[2] == "position" \
                and statement[1] <= mention.start:
            # "Microsoft overtook AWS as the biggest cloud vendor": the rival named after the verb of
            # the position is its object; the position is the subject's, named before the verb.
            mention = next((m for m in reversed(mentions) if m.end <= statement[0] and not m.passing
                            and not m.company.startswith("other:")
                            and clause_bounds(ctx, m.start) == clause_bounds(ctx, statement[0])), mention)
        if mention is None or mention.passing:
            continue
        if statement[2] == "plan" and "count_noun" in hit.kinds() and is_cjk(
                span_text(ctx.data, hit.start, hit.end)[:1]) and not (
                sentence.start <= mention.start < sentence.end) and not hits_of_kind(
                ctx, sentence.start, sentence.end, "anaphor"):
            # "印西市は、データセンターの開設が相次いでいるエリア": facilities opening in a sentence
            # that neither names the company nor refers back to it (同社, 该公司, the funds) are
            # the setting. Chinese and Japanese name or refer back to the company that builds.
            continue
        distance = span_distance(statement[0], statement[1], hit.start, hit.end)
        # "Google, Microsoft, Amazon and Meta have announced plans to build ...": what the
        # sentence says of one firm of a list of subjects it says of each (a cloud alias says
        # it of its own company only).
        if joint and topic_rule.kind != "company" and len(listed_together(ctx, mention, mentions)) > 1:
            continue  # one of the firms that spend the sum together
        if topic_rule.kind == "company" or topic_rule.topic != "cloud" or joint:
            # (a deal several firms reach is theirs together: only facilities and cloud
            # businesses are each firm's own)
            group = [mention]
        else:
            group = _subject_list(ctx, sentence, mention, mentions)
        for member in group:
            if member.company.startswith("other:") or (member.company in with_figures and (
                    topic_rule.topic == "cloud" or (member.company, topic_rule.topic) in figure_topics
                    or (topic_rule.topic == "capex" and member.company in with_more_than_counts))):
                # A spending plan beside a count of the company's servers ("to increase its
                # investment (5 million servers by 2030)") is a statement of its own (R11 is per
                # topic); beside money or a power figure of the company, that figure says it.
                continue
            rules = [(member.rule.id, member.start, member.end), (topic_rule.id, hit.start, hit.end),
                     (statement[3], statement[0], statement[1])]
            kind = statement[2]
            if kind == "change" and topic_rule.topic == "energy" and _saves_energy(ctx, statement):
                # "cuts the energy its cooling uses": an efficiency gain (R7) is a statement apart
                # from the power bought or the capacity contracted that the article's figures give.
                kind = "saving"
            cand = Candidate(sentence=sentence, figure=None, company=member.company, topic=topic_rule.topic,
                             rules=rules, statement=kind)
            cand.period = period_of(ctx, sentence, sentence.start, sentence.end, hit.start)
            # One statement per company and sentence: the topic whose cue sits closest to it. When
            # that is energy in a sentence that neither names the company nor refers back to it, the
            # sentence is the story's setting (the history of a plant, a state programme), and none
            # of its statements is the company's (the filter below).
            if member.company not in best or distance < best[member.company][0]:
                best[member.company] = (distance, cand)
            key = (member.company, topic_rule.topic)
            if topic_rule.topic == "energy" and (key not in by_topic or distance < by_topic[key][0]):
                by_topic[key] = (distance, cand)
    named = {m.company for m in mentions} if not hits_of_kind(ctx, sentence.start, sentence.end, "anaphor") else None
    out = [cand for _, cand in best.values() if (cand.company, cand.topic) not in {
        (r.company, r.topic) for r in ratio} and not (cand.topic == "energy" and named is not None
                                                       and cand.company not in named)]
    # "to build a solar-powered data centre": a facility plan that says how it is powered is an
    # energy statement too, beside the footprint the facility makes.
    for company, (_, chosen) in best.items():
        energy = by_topic.get((company, "energy"))
        # Only beside a facility statement: a power deal for data centres says no footprint.
        if chosen.topic == "cloud" and chosen in out and energy is not None and _powers_facility(ctx, energy[1]):
            energy[1].statement = "powered facility"
            out.append(energy[1])
    return out + ratio


def _landmark(ctx: Context, hit: Hit) -> bool:
    """'non loin d'un centre de données de Google', '紧邻谷歌数据中心': a facility right after a
    word of nearness (a passing rule with generic: true) is where another firm's site stands, a
    landmark, not a facility its owner opens or builds."""
    before = ctx.hits_by_end.get(hit.start - 1) or ctx.hits_by_end.get(hit.start)
    return before is not None and any(rule.kind == "passing" and rule.generic for rule in before.rules)


def _powers_facility(ctx: Context, cand: Candidate) -> bool:
    """The energy cue of a statement in one clause with a facility noun ('a solar-powered data
    centre', '太陽光発電を利用したデータセンター')."""
    energy = [trace for trace in cand.rules if trace[0] and any(
        r.topic == "energy" and r.kind == "topic" for h in ctx.hits_by_start.get(trace[1], ()) for r in h.rules)]
    if not energy:
        return False
    lo, hi = clause_bounds(ctx, energy[0][1])
    return any(rule.topic == "cloud" and rule.unit == "data centres"
               for _, rule in hits_of_kind(ctx, lo, hi, "count_noun"))


def _saves_energy(ctx: Context, statement: tuple[int, int, str, str]) -> bool:
    """A change cue that says a decrease ("reduce", "削減", "réduit"): beside an energy cue, an
    efficiency gain."""
    return any("decrease" in hit.kinds() for hit in ctx.hits_by_start.get(statement[0], ()))


_DEMONSTRATIVE_GAP = 2  # bytes of space between a determiner and its noun


def _pointed_back(ctx: Context, hit: Hit) -> bool:
    """'These investments will help...', 'diese Datacenter sollen...': a topic word right after a
    demonstrative names a plan or facility an earlier sentence told; restating it is no new statement
    (the caller keeps one that adds a period: 'ces dépenses augmenteraient au second trimestre')."""
    return any(hit.start - d.end <= _DEMONSTRATIVE_GAP
               for d, _ in hits_of_kind(ctx, max(0, hit.start - 24), hit.start, "demonstrative"))


_DIRECTION_REACH = 60  # bytes between the cloud business and the word of its growth or decline
_METRIC_REACH = 45  # bytes between that word and the revenue or sales it is said of


def _cloud_direction(ctx: Context, sentence: Sentence, mentions: Sequence[Mention], context: Mention | None,
                     judged: Sequence[Candidate], kinds: Sequence[str], possible: set[str]) -> list[Candidate]:
    """'the cloud unit posted a fourth quarter of double-digit revenue growth', 'booming sales in
    its Azure business', 'The unit has recorded triple-digit growth': the cloud business's
    revenue growing or shrinking, said without a figure, is a cloud statement (R4: a direction),
    one per company and sentence, none where the sentence gives a cloud figure of the company.
    The business is a cloud word or alias, or 'the unit' after the company's cloud alias."""
    if "plan" not in kinds or not hits_of_kind(ctx, sentence.start, sentence.end, "metric"):
        return []
    cloud_figures = {c.company for c in judged if c.dropped is None and c.topic == "cloud"}
    if possible <= cloud_figures:
        return []  # (each company it could be said of gives a cloud figure here: see below)
    # The direction must be the revenue's ("revenue growth", "sales were booming"), not that of
    # spending or of a share price.
    metrics = hits_of_kind(ctx, sentence.start, sentence.end, "metric")
    spending = [h for h, r in hits_of_kind(ctx, sentence.start, sentence.end, "topic") if r.topic == "capex"]
    directions = [(h, r) for h, r in hits_of_kind(ctx, sentence.start, sentence.end, "increase")
                  + hits_of_kind(ctx, sentence.start, sentence.end, "decrease")
                  if any(span_distance(m.start, m.end, h.start, h.end) <= _METRIC_REACH for m, _ in metrics)
                  and not _said_of_spending(h, metrics, spending)]
    if not directions:
        return []
    cues: list[tuple[Hit, Rule, Mention | None]] = []
    for hit in hits_between(ctx, sentence.start, sentence.end):
        if hit.term.kinds.isdisjoint(_TOPIC_OR_ALIAS):
            continue
        rule = next((r for r in hit.rules if r.topic == "cloud" and r.kind in ("topic", "company")), None)
        if rule is not None and not driver_of(ctx, hit):
            own = next((m for m in mentions if m.start == hit.start), None) if rule.kind == "company" else None
            cues.append((hit, rule, own))
    if context is not None and not any(sentence.start <= m.start < sentence.end for m in mentions):
        for hit, rule in hits_of_kind(ctx, sentence.start, sentence.end, "segment_anaphor"):
            if cloud_unit_before(ctx, sentence, context.company) is not None:
                cues.append((hit, rule, context))
    out: dict[str, Candidate] = {}
    for hit, rule, own in cues:
        # in the clause of the business: "..., and Meta projected higher sales" is another's
        near = [(h, r) for h, r in directions
                if within_letters(ctx.data, h.start, h.end, hit.start, hit.end, _DIRECTION_REACH)
                and clause_bounds(ctx, h.start) == clause_bounds(ctx, hit.start)]
        if not near:
            continue
        mention = own or attribute(ctx, hit.start, hit.end, mentions, context)[0]
        if mention is None or mention.company.startswith("other:") or mention.passing \
                or mention.company in cloud_figures or mention.company in out:
            continue
        way, way_rule = near[0]
        cand = Candidate(sentence=sentence, figure=None, company=mention.company, topic="cloud",
                         rules=[(mention.rule.id, mention.start, mention.end), (rule.id, hit.start, hit.end),
                                (way_rule.id, way.start, way.end)], statement="direction")
        cand.period = period_of(ctx, sentence, sentence.start, sentence.end, hit.start)
        out[mention.company] = cand
    return list(out.values())


_AHEAD_REACH = 80  # bytes from a market rank to the word that names who stands before it
_JOINT_SHARE_DROPS = ("industry aggregate", "figure of several companies")


def _listed_positions(ctx: Context, sentence: Sentence, mentions: Sequence[Mention],
                      judged: Sequence[Candidate]) -> list[Candidate]:
    """Market positions of firms a sentence names in a list: those a ranked firm stands behind
    ('the fourth-largest provider after Alibaba, Amazon and Microsoft': each of them ranks
    ahead), and those that hold a share together ('Alibaba, Tencent and Baidu together hold
    78 % of the cloud market': the sum is the group's, the position each firm's). One
    figure-less cloud statement per firm (R4, R5)."""
    if len(mentions) < 2:
        return []
    found: list[tuple[Mention, Trace]] = []
    for cand in judged:
        fig = cand.figure
        if fig is None or fig.kind == "year":
            continue
        if cand.dropped is None and fig.unit == "rank" and cand.topic == "cloud":
            # in the rank's clause, or opening the clause after it ("排名第四，仅次于阿里云")
            behind = [h for h, _ in hits_of_kind(ctx, fig.end, min(sentence.end, fig.end + _AHEAD_REACH), "behind")
                      if clause_bounds(ctx, h.start) == clause_bounds(ctx, fig.end)
                      or h.start - clause_bounds(ctx, h.start)[0] <= _CLAUSE_OPENING]
            after = [m for m in mentions if behind and 0 <= m.start - behind[0].end <= 4]
            if after:
                for member in listed_together(ctx, after[0], mentions):
                    if member.company != cand.company:
                        found.append((member, (_AHEAD_RULE, behind[0].start, behind[0].end)))
        elif fig.kind == "percent" and cand.dropped is not None and cand.dropped.startswith(_JOINT_SHARE_DROPS) \
                and _cloud_share(ctx, sentence) and not hits_of_kind(ctx, *clause_bounds(ctx, fig.start), "plan") \
                and not any(c.figure is not None and c.figure.kind == "money" for c in judged):
            # (a share of a sum of money the firms spend together is no position in a market)
            first = next((m for m in mentions if not m.weak and not m.passing and m.end <= fig.start), None)
            group = listed_together(ctx, first, mentions) if first is not None else []
            lo, _ = clause_bounds(ctx, group[0].start) if group else (0, 0)
            if len(group) > 1 and len(span_text(ctx.data, lo, group[0].start).strip(" ,;:-–—\n").split()) <= 1:
                found.extend((member, (_JOINT_RULE, fig.start, fig.end)) for member in group)
    out: dict[str, Candidate] = {}
    with_cloud = {c.company for c in judged if c.dropped is None and c.topic == "cloud"}
    for member, trace in found:
        if member.company.startswith("other:") or member.company in out or member.company in with_cloud:
            continue
        cand = Candidate(sentence=sentence, figure=None, company=member.company, topic="cloud",
                         rules=[(member.rule.id, member.start, member.end), trace], statement="position")
        cand.period = period_of(ctx, sentence, sentence.start, sentence.end, trace[1])
        out[member.company] = cand
    return list(out.values())


_OPENING = 40  # bytes from a sentence's start to the end of the change word its demonstrative points with


def _change_said_back(ctx: Context, sentence: Sentence, context: Mention) -> Candidate | None:
    """'... posting a 38% surge in cloud revenue. This acceleration surpasses the two quarters
    before.': a sentence that opens by pointing back at a change ('This acceleration', 'The
    slowdown') says the direction of the cloud figure the sentence before claimed (R4)."""
    demonstrative = hits_of_kind(ctx, sentence.start, sentence.start + _OPENING, "demonstrative")
    if not demonstrative or demonstrative[0][0].start != sentence.start:
        return None
    change = [(h, r) for h, r in hits_of_kind(ctx, demonstrative[0][0].end, sentence.start + _OPENING, "change")
              if h.start - demonstrative[0][0].end <= 2]
    if not change:
        return None
    hit, rule = change[0]
    cand = Candidate(sentence=sentence, figure=None, company=context.company, topic="cloud",
                     rules=[(context.rule.id, context.start, context.end), (_BACK_RULE, sentence.start, hit.start),
                            (rule.id, hit.start, hit.end)], statement="direction")
    cand.period = period_of(ctx, sentence, sentence.start, sentence.end, hit.start)
    return cand


_BACK_RULE = "grammar.change_said_back"


def _share_moves(ctx: Context, sentence: Sentence, mentions: Sequence[Mention], judged: Sequence[Candidate],
                 found: Sequence[Candidate]) -> list[Candidate]:
    """'Google's market share has gone up slightly, and Microsoft's has gone up substantially': a
    market share that rises or falls, in a sentence that names no topic of its own and no market of
    another business, is a cloud market position of each firm it names when the cloud is named in
    the sentences just before it (a survey of cloud providers goes on)."""
    shares = [h for h, _ in hits_of_kind(ctx, sentence.start, sentence.end, "share") if "position" in h.kinds()]
    if not shares or not mentions or any(h.term.topics for h in hits_between(ctx, sentence.start, sentence.end)):
        return []
    if hits_of_kind(ctx, sentence.start, sentence.end, "other_market") or not (
            hits_of_kind(ctx, sentence.start, sentence.end, "increase")
            or hits_of_kind(ctx, sentence.start, sentence.end, "decrease")) \
            or not cloud_said_near(ctx, sentence, SHARE_BACK):
        return []
    taken = {c.company for c in found} | {c.company for c in judged if c.dropped is None and c.topic == "cloud"}
    out: list[Candidate] = []
    for mention in mentions:
        if mention.passing or mention.weak or mention.company.startswith("other:") or mention.company in taken:
            continue
        taken.add(mention.company)
        cand = Candidate(sentence=sentence, figure=None, company=mention.company, topic="cloud",
                         rules=[(mention.rule.id, mention.start, mention.end),
                                (_SHARE_RULE, shares[0].start, shares[0].end)], statement="position")
        cand.period = period_of(ctx, sentence, sentence.start, sentence.end, shares[0].start)
        out.append(cand)
    return out


_SHARE_RULE = "grammar.share_moves"
_AHEAD_RULE = "grammar.ranked_ahead"
_CLAUSE_OPENING = 4  # bytes of punctuation and space before a word that opens its clause
_JOINT_RULE = "grammar.joint_share"


def _cloud_share(ctx: Context, sentence: Sentence) -> bool:
    """A market-share cue in the sentence, and a cloud word or alias in it or in the sentence
    before it in its paragraph ('China's cloud market grew 67%. Alibaba, Huawei and Tencent
    lead with a combined share of 81%.')."""
    if not hits_of_kind(ctx, sentence.start, sentence.end, "share"):
        return False
    before = ctx.sentences[sentence.index - 1] if sentence.index > 0 else None
    return _cloud_said(ctx, sentence) or (before is not None and before.paragraph == sentence.paragraph
                                          and _cloud_said(ctx, before))


def _said_of_spending(direction: Hit, metrics: Sequence[tuple[Hit, Rule]], spending: Sequence[Hit]) -> bool:
    """'intends to increase spending on AI and cloud', 'a massive increase in capital expenditures':
    a direction nearer to a word of spending than to any revenue word is the spending's."""
    if not spending:
        return False
    reach = min(span_distance(m.start, m.end, direction.start, direction.end) for m, _ in metrics)
    return any(span_distance(h.start, h.end, direction.start, direction.end) < reach for h in spending)


def _in_aside_of_another(ctx: Context, sentence: Sentence, pos: int, mentions: Sequence[Mention]) -> bool:
    """'China, which is set to be the world's largest cloud market, ...': a statement inside a
    relative clause says something of the word the clause hangs on; when that is no company
    (a country, a market), it is no company's statement."""
    for hit, _ in hits_of_kind(ctx, sentence.start, pos, "aside"):
        _, end = clause_bounds(ctx, hit.end)
        if pos < end and not any(m.end <= hit.start and hit.start - m.end <= 3 for m in mentions):
            return True
    return False


def _subject_list(ctx: Context, sentence: Sentence, mention: Mention, mentions: Sequence[Mention]) -> list[Mention]:
    """The firms of a list that is the subject of its clause ("Google, Microsoft and Meta have
    announced ...", "Meanwhile, Alibaba and Tencent lead"), each the subject of the statement;
    not a list after a preposition ("investment by Google, Microsoft and Amazon"), nor one
    summed up ("combined", "合共": the statement is of the group, not of each)."""
    group = listed_together(ctx, mention, mentions)
    if len(group) < 2 or hits_of_kind(ctx, sentence.start, sentence.end, "sum"):
        return [mention]
    lo, _ = clause_bounds(ctx, group[0].start)
    if len(span_text(ctx.data, lo, group[0].start).strip(" ,;:-–—\n").split()) > 1:
        return [mention]
    return group


def _versus_expectations(ctx: Context, sentence: Sentence) -> tuple[list[tuple[int, int, str, str]], set[int]]:
    """Comparisons with what others expected: 'better-than-expected', or a comparison word with an
    estimate as its object, a few words on ('below analyst targets', 'beating Wall Street
    expectations'). Gives the statement spans and the starts of the estimate cues taken as object."""
    found: list[tuple[int, int, str, str]] = []
    shadowed: set[int] = set()
    versus = hits_of_kind(ctx, sentence.start, sentence.end, "versus")
    if not versus:
        return found, shadowed
    estimates = hits_of_kind(ctx, sentence.start, sentence.end, "estimate")
    for hit, rule in versus:
        if not rule.generic:
            found.append((hit.start, hit.end, "versus", rule.id))
            continue
        obj = next((h for h, _ in estimates if 0 <= h.start - hit.end <= _VERSUS_REACH
                    and _only_words(span_text(ctx.data, hit.end, h.start))), None)
        if obj is not None:
            shadowed.add(obj.start)
            found.append((hit.start, obj.end, "versus", rule.id))
    return found, shadowed


def _only_words(gap: str) -> bool:
    """At most three words and no punctuation between a comparison word and its object."""
    return len(gap.split()) <= 3 and not any(ch in gap for ch in ",;:.()，、；：。")


def _vague_revenue_share(ctx: Context, sentence: Sentence, mentions: Sequence[Mention],
                         context: Mention | None, with_figures: set[str]) -> list[Candidate]:
    """'capex will be in the low teens as a percentage of revenue', '资本开支将占收入的低两位数百分比':
    a capex plan said as a share of revenue in words, a claim without an amount."""
    vague = hits_of_kind(ctx, sentence.start, sentence.end, "vague_share")
    if not vague or not hits_of_kind(ctx, sentence.start, sentence.end, "of_revenue"):
        return []
    cue = capex_cue(ctx, sentence.start, sentence.end)
    if cue is None:
        return []
    mention, _ = attribute(ctx, cue[1], cue[2], mentions, context)
    if mention is None or mention.company.startswith("other:") or mention.passing or mention.company in with_figures:
        return []
    hit, rule = vague[0]
    cand = Candidate(sentence=sentence, figure=None, company=mention.company, topic="capex",
                     rules=[(mention.rule.id, mention.start, mention.end), cue, (rule.id, hit.start, hit.end)],
                     statement="revenue share")
    cand.period = period_of(ctx, sentence, sentence.start, sentence.end, hit.start)
    return [cand]


_FOOTPRINT_REACH = 90  # bytes between a facility noun and the verb or place that goes with it


def _footprint(ctx: Context, sentence: Sentence, mentions: Sequence[Mention], context: Mention | None,
               judged: Sequence[Candidate], kinds: Sequence[str], joint: bool, possible: set[str]) -> list[Candidate]:
    """'Baidu will build a data centre in Xi'an', 'It closed data centres in Australia', '位于德州的
    数据中心': a counted facility (data centre, region, zone) with a verb of opening, building or
    running it, or at a named place, is a cloud statement of its company (R4, R8), even beside a
    spending figure of another topic; one per company and sentence, none where the sentence
    gives a cloud figure of that company."""
    if "plan" not in kinds:  # a research house's or analyst's sentence
        return []
    # A counted facility (data centre, region, zone), or a site or campus, at a named place.
    counted = hits_of_kind(ctx, sentence.start, sentence.end, "count_noun")
    sites = hits_of_kind(ctx, sentence.start, sentence.end, "facility_noun")
    if not counted and not sites:
        return []  # most sentences name none: build nothing below
    # (each in text order: only both together need sorting)
    facilities = sorted(counted + sites, key=lambda pair: pair[0].start) if counted and sites else counted or sites
    # A facility named as what a spending or power figure is for ("to expand its data centres",
    # "power for its data centres in X") is that figure's purpose, not a footprint statement of
    # its own: a verb alone is not enough beside spending, and power for it is an energy claim.
    cloud_figures: set[str | None] = set()
    spending: set[str | None] = set()
    powered: set[str | None] = set()
    power_at: list[tuple[str | None, int]] = []  # (company, start) of each power figure
    for c in judged:
        if c.dropped is None:
            if c.topic == "cloud":
                cloud_figures.add(c.company)
            elif c.topic == "capex":
                spending.add(c.company)
            elif c.topic == "energy":
                powered.add(c.company)
                if c.figure is not None:
                    power_at.append((c.company, c.figure.start))
    verbs = [(h.start, h.end, r.id) for h, r in hits_of_kind(ctx, sentence.start, sentence.end, "facility_verb")]
    if possible <= cloud_figures | powered and (not verbs or possible <= cloud_figures):
        return []  # (each company it could be said of gives a cloud or power figure here: below)
    energy_cues = [h.start for h in hits_between(ctx, sentence.start, sentence.end)
                   if ("topic", "energy") in h.term.topic_kinds]
    places = [(h.start, h.end, h.rules[0].id) for h in locatives_between(ctx, sentence.start, sentence.end)
              if names_a_place(ctx, h)]
    out: dict[str, Candidate] = {}
    for hit, rule in facilities:
        if rule.kind == "count_noun" and (rule.topic != "cloud" or rule.unit not in (
                "data centres", "cloud regions", "availability zones")):
            continue
        if _landmark(ctx, hit):
            continue
        if rule.unit == "cloud regions" and not _cloud_said(ctx, sentence) and not (
                rule.id.endswith(_PLURAL_REGIONS) and cloud_said_near(ctx, sentence, _REGIONS_BACK)) and not (
                _builds(ctx, verbs, hit) and any(0 <= c[0] - hit.end <= _PLACE_GAP for c in places)
                and cloud_said_near(ctx, sentence, 1)):
            # "zwei Büros in der Region": a region of a country, not of a cloud. Regions in the
            # plural opened or planned right after the cloud was named ("The company opened new
            # regions in Austria and Malaysia") are its cloud regions; so is one region that a
            # verb of opening governs, at a named place, right after the cloud was named ("ya
            # cuenta con una región en Brasil y prevé abrir otra en Chile").
            continue
        near_places = [c for c in places
                       if within_letters(ctx.data, c[0], c[1], hit.start, hit.end, _FOOTPRINT_REACH)]
        named = _name_before(ctx, sentence, hit) or _hangul_place_before(ctx, hit) or _cjk_place_before(ctx, hit)
        if named is not None:
            near_places.append(named)
        if any(clause_bounds(ctx, e) == clause_bounds(ctx, hit.start) for e in energy_cues) and not (
                _placed_before(ctx, hit, near_places) or named is not None):
            continue
        # Without a place, a facility in a sentence about energy ("run its operations, data
        # centres included, on carbon-free energy by 2030") is what the energy powers, not a
        # footprint: the verb there is the operations', not the facility's.
        if not near_places and energy_cues:
            continue
        if not near_places and rule.kind == "facility_noun":
            continue  # "expand its sites": which sites, only a place says
        near = near_places or [c for c in verbs
                               if within_letters(ctx.data, c[0], c[1], hit.start, hit.end, _FOOTPRINT_REACH)]
        if not near:
            continue
        cue = min(near, key=lambda c: span_distance(c[0], c[1], hit.start, hit.end))
        mention, _ = attribute(ctx, hit.start, hit.end, mentions, context)
        if mention is None or mention.company.startswith("other:") or mention.passing \
                or mention.company in cloud_figures or mention.company in out \
                or (mention.company in powered and not _built_apart_from_power(ctx, hit, verbs, power_at,
                                                                               mention.company)) \
                or (not near_places and mention.company in spending and not _builds(ctx, verbs, hit)) \
                or (joint and len(listed_together(ctx, mention, mentions)) > 1) \
                or ((rule.kind == "facility_noun" or _placed_by_name_only(near_places, named))
                    and mention.company in spending):
            # A site or campus beside the company's spending ("$11 billion, a total that covers
            # the expansion of its campus at X") is what the money is for; so is a facility
            # placed only by an adjective ("$2 billion in an Indian data centre campus").
            continue
        if sentence.start <= hit.end <= mention.start and not is_cjk(span_text(ctx.data, hit.start, hit.end)[:1]) \
                and not _owner_after(ctx, hit.end, mention.start):
            # A company named only after the facility ("'We want the country to be a hub for
            # data centres,' the minister said; Google's investment shows ...") is not the
            # subject that has or builds it. Japanese and Chinese put the facility first as the
            # topic ("印西市のデータセンターはグーグルの…"), so there the order says nothing.
            continue
        if not (sentence.start <= mention.start < sentence.end) and not hits_of_kind(
                ctx, sentence.start, sentence.end, "anaphor") and not _object_of_a_dropped_subject(
                ctx, sentence, hit, verbs):
            # A facility sentence that neither names the company nor refers back to it ("Chiba
            # has seen one data centre open after another") is the setting, not its statement.
            continue
        cand = Candidate(sentence=sentence, figure=None, company=mention.company, topic="cloud",
                         rules=[(mention.rule.id, mention.start, mention.end), (rule.id, hit.start, hit.end),
                                (cue[2], cue[0], cue[1])], statement="footprint",
                         place=(named_place(ctx, cue) if cue[2] in (_NAME_BEFORE, _HANGUL_PLACE, _CJK_PLACE)
                                else _place_name(ctx, cue[0], cue[1]))
                         if near_places else None)
        cand.period = period_of(ctx, sentence, sentence.start, sentence.end, hit.start)
        out[mention.company] = cand
    return list(out.values())


_OBJECT_MARK = "を".encode()
_TOPIC_MARK = "は".encode()
_VERB_AFTER_OBJECT = 4  # bytes between を and the verb it governs


def _object_of_a_dropped_subject(ctx: Context, sentence: Sentence, facility: Hit,
                                 verbs: Sequence[tuple[int, int, str]]) -> bool:
    """'東日本と西日本にある既存のデータセンターを拡張し、GPUを導入する': Japanese drops the subject it
    gave in the sentence before; a facility marked as the object (を) of a verb of opening or
    building, in a sentence with no topic of its own (no は), is the company's act, not the
    setting ('印西市は、データセンターの開設が相次いでいる' has a topic and no object)."""
    if not ctx.data.startswith(_OBJECT_MARK, facility.end):
        return False
    after = facility.end + len(_OBJECT_MARK)
    if not any(0 <= start - after <= _VERB_AFTER_OBJECT for start, _, _ in verbs):
        return False
    return _TOPIC_MARK not in ctx.data[sentence.start:sentence.end]


def _built_apart_from_power(ctx: Context, facility: Hit, verbs: Sequence[tuple[int, int, str]],
                            power_at: Sequence[tuple[str | None, int]], company: str) -> bool:
    """'levantará los campus en X, Y y Z, que sumarán 450 megavatios', 'prevede di aprire data center
    in Lombardia, e di portare la capacità a 300 megawatt': a facility opened or built in a clause of
    its own, apart from the clause of the company's power figure, is a footprint beside that figure
    (the capacity is the energy claim, the sites the cloud one). Power bought for the facility
    ('a 200 MW deal to power its data centres in Iowa') names it in the figure's clause, with no
    verb of building of its own."""
    clause = clause_bounds(ctx, facility.start)
    if any(who == company and clause_bounds(ctx, start) == clause for who, start in power_at):
        return False
    return any(clause[0] <= start and end <= clause[1] for start, end, _ in verbs)


_REGIONS_BACK = 4  # sentences before a plural "regions" in which the cloud may be named (press text puts
# a paragraph of background, a rival or a market figure, between the launch and the plans that follow)
_PLACE_GAP = 4  # bytes between a facility noun and the preposition of its place ("una región en Brasil")
# Rules of regions in the plural ("new regions", "regiones"): unlike "the region" of a country,
# a press story on the cloud opens or plans them.
_PLURAL_REGIONS = ".regions_plural"


def _placed_by_name_only(near_places: Sequence[tuple[int, int, str]], named: tuple[int, int, str] | None) -> bool:
    """A facility placed only by a name before it ("an Indian data centre campus") or by a Chinese
    list after 在: beside the company's spending, the money's purpose. A Korean place marked
    with 에 ("한국에 … 데이터센터를 확충") is where the facility is, a footprint of its own."""
    return named is not None and near_places == [named] and named[2] in (_NAME_BEFORE, _CJK_PLACE)


_GENITIVE_GAP = 6  # bytes: " de ", " d’": the linker alone between a facility and its owner


def _owner_after(ctx: Context, end: int, company_start: int) -> bool:
    """'un centre de données de Microsoft': the company right after the facility, joined by a linker
    word alone, owns it (a genitive), unlike a company named later in the sentence. Russian
    puts the owner right after the facility with no linker ('дата-центр Microsoft в Алматы')."""
    if company_start - end > _GENITIVE_GAP:
        return False
    if not ctx.data[end:company_start].strip() and _is_cyrillic(span_text(ctx.data, end - 2, end)[-1:]):
        return True
    return bool(hits_of_kind(ctx, end, company_start, "linker"))


def _is_cyrillic(ch: str) -> bool:
    return "\u0400" <= ch <= "\u04ff"


_NAME_BEFORE = "grammar.place_before_facility"


def _name_before(ctx: Context, sentence: Sentence, facility: Hit) -> tuple[int, int, str] | None:
    """'the Hangzhou data centre', 'its Council Bluffs campus': a capitalised word right before
    a facility noun, not the sentence's first word, not an acronym ('AI', 'GPU') and no name the
    tables know (a company, 'Azure'), names the place of the facility (R8)."""
    if is_cjk(span_text(ctx.data, facility.start, facility.end)[:1]):
        return None
    head = ctx.data[max(sentence.start, facility.start - 40):facility.start]
    if not head.endswith(b" "):
        return None
    words = head.rstrip(b" ").rsplit(b" ", 1)
    word = words[-1]
    start = facility.start - (len(head) - len(head.rstrip(b" "))) - len(word)
    text = word.decode("utf-8", "ignore")
    if len(words) < 2 or start <= sentence.start or not text.isalpha() or not text[:1].isupper() \
            or text.isupper() or ctx.hits_by_start.get(start) or ctx.hits_by_end.get(start + len(word)):
        return None
    return start, start + len(word), _NAME_BEFORE


_HANGUL_PLACE = "grammar.hangul_place"
_HANGUL_PLACE_REACH = 2  # words between the place and its facility noun ("부산에 두 번째 데이터센터")
_LOCATIVE_PARTICLE = "에".encode()
# Words that take the particle 에 and name a time or an amount, not a place ("내년에", "현재에").
_HANGUL_TIME_WORDS = ("내년", "올해", "금년", "지난해", "작년", "연내", "현재", "최근", "분기", "반기", "이번", "당시",
                      "시점", "이후", "전후", "기간", "규모", "수준", "위해", "대해", "따라", "투자")


def _hangul_place_before(ctx: Context, facility: Hit) -> tuple[int, int, str] | None:
    """'구글은 우루과이에 데이터센터를 완공했다', '서울과 부산에 애저 리전을': Korean marks the place
    of a facility with the particle 에 glued to the last name of a list, a word or two before the
    facility noun (R8). Not a time or amount word, nor one with a digit ("2026년에"), and no
    adnominal verb between ("추론에 특화된 데이터센터": 에 there says what for). The first name of
    the list keys the place, as the first name after a preposition does in Latin script."""
    term = span_text(ctx.data, facility.start, facility.end)
    if not term or not is_hangul(term[0]):
        return None
    # (the sentence, not the clause: the commas of the list cut clauses)
    lo = ctx.sentences[sentence_of(ctx, facility.start)].start
    tokens = ctx.data[lo:facility.start].split(b" ")
    if tokens and not tokens[-1]:
        tokens.pop()
    for back, token in enumerate(reversed(tokens[-_HANGUL_PLACE_REACH - 1:])):
        text = token.decode("utf-8", "ignore").strip(",.")
        if not token.endswith(_LOCATIVE_PARTICLE):
            if text and is_hangul(text[-1]) and (ord(text[-1]) - 0xAC00) % 28 == 4:
                return None  # an adnominal verb form (특화된, 위한, 있는) qualifies the facility
            continue
        word = text[:-1]
        if not word or any(ch.isdigit() for ch in word) or word.endswith(_HANGUL_TIME_WORDS) \
                or not all(is_hangul(ch) for ch in word):
            return None
        # the list the particle closes: "브라질, 프랑스, 네덜란드에", "서울과 부산에"
        i = len(tokens) - 1 - back
        first = i
        while first > 0 and len(tokens[first - 1]) > 1 and (
                tokens[first - 1].endswith((b",", "과".encode(), "와".encode())) or tokens[first - 1] == "및".encode()):
            first -= 1
        if tokens[first] == "및".encode():
            first += 1
        head = tokens[first].decode("utf-8", "ignore").rstrip(",")
        if first < i and head.endswith(("과", "와")):
            head = head[:-1]
        if first == i:
            head = word
        start = lo + sum(len(t) + 1 for t in tokens[:first])
        return start, start + len(head.encode()), _HANGUL_PLACE
    return None


_CJK_PLACE = "grammar.cjk_place"
_CJK_PLACE_REACH = 66  # bytes from 在 to the facility noun: about 20 characters
_AT_MARKS = ("在".encode(), "於".encode(), "于".encode())
_CJK_LIST_MARKS = frozenset("、和及与與")
# Words after 在 that say where in general or when, not a named place ("在全球新建", "在明年").
_CJK_NOT_PLACES = ("全球", "国内", "國內", "海外", "境内", "境內", "境外", "当地", "當地", "本地", "全国", "全國",
                   "未来", "未來", "年内", "年內", "今年", "明年", "此前", "其", "该", "該", "这", "這", "此")
_CJK_TIME_ENDS = tuple("年月日季内內期前后後")


def _cjk_place_before(ctx: Context, facility: Hit) -> tuple[int, int, str] | None:
    """'将在墨西哥、泰国和韩国启用新的数据中心': Chinese puts the places after 在 (於, 于), before
    the verb of opening that governs the facility (R8). The first name of the list keys the
    place, as the first name after a preposition does in Latin script. Only a list of places,
    with a verb of opening between it and the facility, and a first name of two to eight
    characters that is no word of time or of 'everywhere' (在全球, 在明年)."""
    term = span_text(ctx.data, facility.start, facility.end)
    if not term or not is_cjk(term[0]) or is_hangul(term[0]) or "\u3040" <= term[0] <= "\u30ff":
        return None
    sentence = ctx.sentences[sentence_of(ctx, facility.start)]
    lo = max(sentence.start, facility.start - _CJK_PLACE_REACH)
    head = ctx.data[lo:facility.start]
    at = max(head.rfind(mark) for mark in _AT_MARKS)
    if at < 0:
        return None
    start = lo + at + len(_AT_MARKS[0])
    verbs = [hit.start for hit, _ in hits_of_kind(ctx, start, facility.start, "facility_verb")]
    if not verbs:
        return None
    text = span_text(ctx.data, start, verbs[0])
    name = ""
    for ch in text:
        if ch in _CJK_LIST_MARKS:
            break
        name += ch
    if len(name) == len(text):
        # One place alone after a cloud claim of the company mostly names again a site the
        # article told (R8); a list of places ("在巴西、法国和荷兰") is new footprint.
        return None
    if not 2 <= len(name) <= 8 or not all(is_cjk(ch) and not "\u3040" <= ch <= "\u30ff" for ch in name) \
            or name.startswith(_CJK_NOT_PLACES) or name.endswith(_CJK_TIME_ENDS):
        return None
    return start, start + len(name.encode()), _CJK_PLACE


def named_place(ctx: Context, cue: tuple[int, int, str]) -> str:
    return span_text(ctx.data, cue[0], cue[1])


def _placed_before(ctx: Context, facility: Hit, places: Sequence[tuple[int, int, str]]) -> bool:
    """'为位于阿拉巴马州的数据中心供电', 'アラバマ州のグーグルのデータセンターに電力を供給': Chinese
    and Japanese put the place before the facility it qualifies, in its clause; the facility
    there is one the company has at that place (R8), whatever the clause says powers it."""
    if not is_cjk(span_text(ctx.data, facility.start, facility.end)[:1]):
        return False
    clause = clause_bounds(ctx, facility.start)
    return any(clause[0] <= start and end <= facility.start for start, end, _ in places)


_OBJECT_PARTICLES = ("를".encode(), "을".encode(), "도".encode())
_BUILD_GAP = 8  # bytes between a verb and the facility noun it governs ("construire des centres")


def _builds(ctx: Context, verbs: Sequence[tuple[int, int, str]], facility: Hit) -> bool:
    """'investir 80 milliards pour construire des centres de données': a verb right before the
    facility noun governs it; the money builds facilities, a plan of the cloud footprint too.
    Latin and Cyrillic script only: Chinese and Japanese glue every verb to its noun ("建设数据中心"),
    so there the order says nothing of what the money is for."""
    term = span_text(ctx.data, facility.start, facility.end)
    if term[:1] and is_hangul(term[0]):
        # "4조 원을 투자해 데이터센터를 짓는다": Korean puts the verb after its object, marked by
        # 을/를 ("데이터센터를 확충한다"): the money builds or expands the facility, a plan too.
        after = ctx.data[facility.end:facility.end + 8]
        for particle in _OBJECT_PARTICLES:
            if after.startswith(particle):
                pos = facility.end + len(particle)
                pos += len(ctx.data[pos:pos + 4]) - len(ctx.data[pos:pos + 4].lstrip(b" "))
                return any(start == pos for start, _, _ in verbs)
        return False
    if is_cjk(term[:1]):
        # Chinese and Japanese glue every verb to its noun ("建设数据中心"), so the order says
        # nothing there; a verb that expands a facility glued to it ("擴大資料中心",
        # "データセンター拡大") says the money grows the footprint, a plan of its own.
        sentence = ctx.sentences[sentence_of(ctx, facility.start)]
        return any((h.start == facility.end or h.end == facility.start) and r.id.endswith(".expand")
                   for h, r in hits_of_kind(ctx, sentence.start, sentence.end, "facility_verb"))
    return any(0 <= facility.start - end <= _BUILD_GAP for _, end, _ in verbs)


def _cloud_said(ctx: Context, sentence: Sentence) -> bool:
    """A cloud word or cloud alias in the sentence ('Cloud-Region', 'Google Cloud', 'Azure'), or in
    the line that introduces the bulleted list the sentence is an item of ('Google Cloud:', '- a new
    region in Mexico'): a bare 'region' ('Region', 'región') is a cloud region only beside one."""
    if any(rule.topic == "cloud" and rule.kind in ("topic", "company")
           for hit in hits_between(ctx, sentence.start, sentence.end) for rule in hit.rules):
        return True
    intro = _list_intro(ctx, sentence)
    return intro is not None and _cloud_said(ctx, intro)


def _list_intro(ctx: Context, sentence: Sentence) -> Sentence | None:
    """The line before the first item of the bulleted list `sentence` is an item of."""
    if not opens_bullet(ctx.data, sentence.start):
        return None
    i = sentence.index - 1
    while i >= 0 and opens_bullet(ctx.data, ctx.sentences[i].start):
        i -= 1
    return ctx.sentences[i] if i >= 0 else None


def place_near(ctx: Context, sentence: Sentence, start: int, end: int) -> bool:
    """A locative naming a place within reach of [start, end) in the sentence."""
    return any(span_distance(h.start, h.end, start, end) <= _FOOTPRINT_REACH and names_a_place(ctx, h)
               for h in locatives_between(ctx, sentence.start, sentence.end))


def places_in(ctx: Context, sentence: Sentence) -> frozenset[str]:
    """Every place the sentence names (R8: several places in one sentence are one label, and a
    later sentence naming one of them again says no new place)."""
    places: set[str] = set()
    for facility, _ in hits_of_kind(ctx, sentence.start, sentence.end, "count_noun"):
        named = _name_before(ctx, sentence, facility) or _hangul_place_before(ctx, facility) or \
            _cjk_place_before(ctx, facility)
        if named is not None:
            places.add(named_place(ctx, named))
    for h in locatives_between(ctx, sentence.start, sentence.end):
        if names_a_place(ctx, h):
            places.add(_place_name(ctx, h.start, h.end))
            if not is_cjk(span_text(ctx.data, h.start, h.end)[:1]):
                places.update(_listed_after(span_text(ctx.data, h.end, min(sentence.end, h.end + 120))))
    return frozenset(places)


# The list_joiner words of every table: "and", "or", "y", "o", "и" (a place list may be quoted
# in any language).
_LIST_JOINERS = frozenset(grammar_terms("list_joiner"))


def _listed_after(rest: str) -> list[str]:
    """The names listed after a preposition: 'in Peru, Chile and Kenya' gives all three (each
    keyed by its first word, as _place_name keys one)."""
    names: list[str] = []
    words = rest.split()
    i = 0
    while i < len(words):
        if words[i].casefold() == "the":
            i += 1
            continue
        word = words[i]
        name = word.strip(",.;:")
        if not name[:1].isupper():
            break
        names.append(name)
        # A multi-word name ("South Korea") runs on to the comma or the joiner that ends it.
        while not word.endswith(",") and i + 1 < len(words) and words[i + 1][:1].isupper():
            i += 1
            word = words[i]
        if word.endswith(","):
            i += 1
        elif i + 1 < len(words) and words[i + 1].casefold() in _LIST_JOINERS:
            i += 2
        else:
            break
    return names


def _place_name(ctx: Context, start: int, end: int) -> str:
    """The place a locative names, as a key to tell one place from another: the capitalised
    word after a preposition, the characters before a CJK suffix (德州) or after a verb (位于)."""
    term = span_text(ctx.data, start, end)
    if is_cjk(term[:1]):
        if len(term) == 1:  # a suffix: 州, 郡, 県; the character before it keys the place
            # (德州, 葉県): two before would take in a verb or a line break ("在德州").
            return span_text(ctx.data, max(0, start - 6), end)[-2:]
        return span_text(ctx.data, end, end + 12)[:4]
    words = span_text(ctx.data, end, end + 40).split()
    if words and words[0].casefold() == "the":
        words = words[1:]
    return words[0].strip(",.;:") if words else ""
