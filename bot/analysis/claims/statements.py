"""Statements without a figure: a plan, a change of course or a market position of one company on
a topic ('will build a data centre', 'cloud growth slowed', 'trails the market leader'), and a
capex plan said as a share of revenue in words ('low teens as a percentage of revenue').
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.analysis.claims.attribution import Mention, attribute
from bot.analysis.claims.context import Context, hits_between, hits_of_kind
from bot.analysis.claims.decisions import Candidate, excluded_subject
from bot.analysis.claims.text import Sentence, span_distance
from bot.analysis.claims.topics import capex_cue, period_of

# Which statement cues make a figure-less claim with which topic cues: a company's own cloud
# name ("Azure") only with a change of course or a market position ("Azure's deceleration"),
# a topic word with a plan too ("will build a data centre").
_STATEMENT_KINDS_FOR_TOPIC_WORD = ("plan", "change", "position")
_STATEMENT_KINDS_FOR_ALIAS = ("change", "position")
_STATEMENT_REACH = 60  # bytes between a topic cue and the statement cue that goes with it


def figureless_statements(ctx: Context, sentence: Sentence, mentions: Sequence[Mention], context: Mention | None,
                judged: Sequence[Candidate]) -> list[Candidate]:
    """Figure-less claims: a plan, a change of course or a market position of one company on a
    topic ("will raise capex", "cloud growth slowed", "trails the market leader")."""
    # A company whose figures this sentence gives says what it says through them.
    with_figures = {c.company for c in judged if c.dropped is None and c.company}
    if hits_of_kind(ctx, sentence.start, sentence.end, "aggregate") or \
            hits_of_kind(ctx, sentence.start, sentence.end, "forecaster") or \
            excluded_subject(ctx, sentence.start, sentence.end) is not None:
        return []
    # A research house cited for a ranking ("IDC: Baidu AI Cloud ranked first") reports a market
    # position, which is labelled like a market share; plans and changes it reports are estimates.
    kinds = ("position",) if hits_of_kind(ctx, sentence.start, sentence.end, "estimate") else \
        _STATEMENT_KINDS_FOR_TOPIC_WORD
    statements: list[tuple[int, int, str, str]] = []
    for hit in hits_between(ctx, sentence.start, sentence.end):
        for rule in hit.rules:
            if rule.kind in kinds:
                statements.append((hit.start, hit.end, rule.kind, rule.id))
                break
    ratio = _vague_revenue_share(ctx, sentence, mentions, context, with_figures)
    if not statements:
        return ratio
    best: dict[str, tuple[int, Candidate]] = {}
    for hit in hits_between(ctx, sentence.start, sentence.end):
        topic_rule = next((r for r in hit.rules if r.topic and r.kind in ("topic", "company")), None)
        if topic_rule is None or topic_rule.topic is None:
            continue
        is_alias = topic_rule.kind == "company"
        allowed = _STATEMENT_KINDS_FOR_ALIAS if is_alias else _STATEMENT_KINDS_FOR_TOPIC_WORD
        near = [s for s in statements if s[2] in allowed
                and span_distance(s[0], s[1], hit.start, hit.end) <= _STATEMENT_REACH]
        if not near:
            continue
        statement = min(near, key=lambda s: span_distance(s[0], s[1], hit.start, hit.end))
        mention, _ = attribute(ctx, hit.start, hit.end, mentions, context)
        if topic_rule.kind == "company":
            mention = next((m for m in mentions if m.start == hit.start), mention)
        if mention is None or mention.company.startswith("other:") or mention.company in with_figures \
                or mention.passing:
            continue
        distance = span_distance(statement[0], statement[1], hit.start, hit.end)
        rules = [(mention.rule.id, mention.start, mention.end), (topic_rule.id, hit.start, hit.end),
                 (statement[3], statement[0], statement[1])]
        cand = Candidate(sentence=sentence, figure=None, company=mention.company, topic=topic_rule.topic,
                         rules=rules, statement=statement[2])
        cand.period = period_of(ctx, sentence, sentence.start, sentence.end, hit.start)
        # One statement per company and sentence: the topic whose cue sits closest to it.
        if mention.company not in best or distance < best[mention.company][0]:
            best[mention.company] = (distance, cand)
    return [cand for _, cand in best.values() if (cand.company, cand.topic) not in {
        (r.company, r.topic) for r in ratio}] + ratio


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
