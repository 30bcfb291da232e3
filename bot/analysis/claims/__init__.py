"""Claim extraction: statements by or about the five companies on capex, cloud and energy.

Pure functions of an Article. The vocabulary (company aliases, topic cues, number words,
units, currencies, estimate and attribution cues) is data in bot/rules/*.yaml; this package is
the grammar that combines it, one module per step, each readable on its own:

1. `text`: normalise the text (full-width forms to ASCII, one char for one char) and split it
   into sentences; `context` indexes the lexicon hits (one RE2 scan per table), sentences,
   segments (at semicolons) and clauses (at commas) of one article;
2. `figures`: find numbers (digits with grouping, CJK numerals) and assemble figures: currency +
   number + scale + currency/unit/percent; merge ranges, mark bracketed conversions, read market
   ranks, attach growth rates to the level they describe;
3. `attribution`: the company of a figure (nearest mention not named in passing, else the
   sentence context); `topics`: what it measures (cue in the same clause, else nearest in its
   segment and sentence) and its period;
4. `decisions`: one decision per figure, kept or dropped with its reason (an estimate, an
   aggregate, another company's figure, a group metric...), shown by `claims --explain`;
5. `statements`: figure-less claims for sentences that state a plan, a change or a market
   position of one of the companies;
6. `selection`: one claim per distinct figure, company and topic.

Every regular expression runs on RE2 (linear time): hostile input cannot blow up, and the
per-text caps (sentences, figures, claims) bound the work on any input.
"""

from __future__ import annotations

import dataclasses
from bisect import bisect_right
from dataclasses import dataclass

from bot.analysis.claims.attribution import (
    Mention,
    analyst_note,
    carries_context,
    find_mentions,
    listed_with_another,
    speaker_label,
    subject_of,
)
from bot.analysis.claims.context import Context, build_context, hits_between, hits_of_kind
from bot.analysis.claims.decisions import Candidate, judge, judge_full_shares, judge_prior_levels
from bot.analysis.claims.figures import Figure, find_figures, parse_arabic, parse_cjk_numeral
from bot.analysis.claims.selection import one_claim_per_figure
from bot.analysis.claims.statements import figureless_statements, place_near
from bot.analysis.claims.text import (
    Sentence,
    article_year,
    heading_at,
    normalise,
    opens_bullet,
    retrospective,
    span_text,
    split_sentences,
)
from bot.analysis.claims.topics import capex_cue
from bot.analysis.rulebook import ruleset
from bot.model import Article, Claim

__all__ = ["Analysis", "Candidate", "Figure", "analyse", "extract_claims", "format_explanation", "normalise",
           "parse_arabic", "parse_cjk_numeral", "split_sentences"]


@dataclass
class Analysis:
    article: Article
    data: bytes
    candidates: list[Candidate]
    claims: list[tuple[Claim, Candidate]]


def analyse(article: Article) -> Analysis:
    """Every candidate figure with its decision, and the claims kept."""
    rs = ruleset(article.lang or "en")
    data = normalise(article.text).encode("utf-8")
    title_data = normalise(article.title).encode("utf-8") if article.title else b""
    if not (rs.names_a_company(data) or rs.names_a_company(title_data)) or not rs.names_a_topic(data):
        # Most of the press never names the five companies, and most that does names them on
        # other business (no topic cue, unit or cloud alias at all): nothing to claim, stop here.
        return Analysis(article=article, data=b"", candidates=[], claims=[])
    ctx = build_context(article, data, title_data)
    figures = find_figures(ctx)
    by_sentence: dict[int, list[Figure]] = {}
    starts = ctx.sentence_starts
    for fig in figures:
        # (sentence_of, inlined: asked for every figure)
        here = bisect_right(starts, fig.start) - 1
        by_sentence.setdefault(here if here > 0 else 0, []).append(fig)
    candidates: list[Candidate] = []
    context: Mention | None = None
    history_year = article_year(article)
    # (sentence index, figure kind, topic) of the last figure claimed
    previous: tuple[int, str, str] | None = None
    # (sentence index, company) of the last sentence that claimed a footprint of the company in force
    # without naming it
    footprint_of: tuple[int, Mention] | None = None
    line: tuple[int, str | None] = (-1, None)  # (paragraph, who speaks on it: see speaker_label)
    # Whether another firm, or a research house, was named since the company in force was: the
    # company's own voice (its capex line, its executive) reaches back to it only over text that
    # names no one else.
    others_since = False
    for sentence in ctx.sentences:
        if sentence.paragraph != line[0]:
            line = (sentence.paragraph, speaker_label(ctx, sentence))
        figures_here = by_sentence.get(sentence.index)
        if not figures_here and not hits_between(ctx, sentence.start, sentence.end):
            continue  # nothing to say, and nothing that changes the context
        if sentence.index == 0 and title_data and ctx.data[sentence.start:sentence.end].rstrip() == title_data.strip():
            continue  # the headline repeated as the text's first line: titles are not claims
        if heading_at(ctx.data, sentence):
            # A subheading inside the text is a title, and titles are not claims; one that names
            # a company over a bulleted list ("Microsoft Azure highlights", "- 60 regions") is
            # the subject of the items below it.
            heading_subject = subject_of(find_mentions(ctx, sentence)) if _list_follows(ctx, sentence) else None
            if heading_subject is not None:
                context = heading_subject
            continue
        mentions = find_mentions(ctx, sentence)
        # "CFO: Capital expenditures were $42 billion": the executive's line is the company's,
        # however many question lines stand between it and the paragraph that named the company.
        active = context if context is not None and (
            line[1] == "speaker" or carries_context(ctx, sentence, context)) else None
        by_voice = None
        if context is not None and active is None and not others_since and not mentions:
            by_voice = _own_voice(ctx, sentence)
            if by_voice is not None:
                active = context
        if active is None and footprint_of is not None and footprint_of[0] == sentence.index - 1 \
                and _goes_on_about_facilities(ctx, sentence):
            # "Il piano prevede l'apertura di una seconda region cloud. / La region Italy North ...
            # conta oggi tre zone di disponibilità": a facility sentence right after a footprint
            # claim of the company goes on about that footprint, past the paragraphs the company
            # is carried otherwise (its energy or money figures do not: those are the setting's).
            active = footprint_of[1]
        previous_topic = previous[1:] if previous is not None and previous[0] == sentence.index - 1 and \
            active is not None and not mentions else None
        judged = [judge(ctx, sentence, fig, mentions, active, figures_here or (), previous_topic)
                  for fig in figures_here or ()]
        if judged:
            judge_prior_levels(ctx, judged)
            judge_full_shares(ctx, judged)
        for cand in judged:
            if cand.figure is None or not cand.figure.ordinal or cand.dropped is not None:
                continue
            beside = [other for other in judged if other.dropped is None and other.company == cand.company
                      and other.figure is not None and not other.figure.ordinal]
            if beside and (
                    any(other.topic == cand.topic for other in beside)
                    or not place_near(ctx, sentence, cand.figure.start, cand.figure.end)):
                # "$4 billion on a second datacenter": the launch is what the money is spent on;
                # at a named place it is a launch there ("a third data centre in Jakarta", R3),
                # unless the sentence gives a figure of the same topic ("its first region in X,
                # with three zones": R11, the figure says it).
                cand.dropped = "ordinal launch beside a figure of its company in the sentence"
            elif cand.figure is not None and cand.figure.ordinal and cand.dropped is None \
                    and _earlier_year(cand.period, history_year) \
                    and not place_near(ctx, sentence, cand.figure.start, cand.figure.end):
                # "four years after it opened its first data centre in 2021", "2022년 첫 데이터센터를 연
                # 지 4년 만이다": a launch dated in an earlier year, at no place, is the company's
                # history told as background, not news.
                cand.dropped = "history: an ordinal launch dated in an earlier year"
        for last in reversed(judged):  # (a loop: no generator for the one or two figures of a sentence)
            if last.dropped is None and last.topic is not None and last.figure is not None:
                previous = (sentence.index, last.figure.kind, last.topic)
                break
        # (an executive quoted by title far from the company's name gives its figures; what he
        # says without one, "the backlog grew sharply", is colour more often than a statement)
        said = figureless_statements(ctx, sentence, mentions, None if by_voice == "speaker" else active,
                                     judged, previous_topic)
        if (judged or said) and history_year is not None and retrospective(ctx.data, sentence, history_year):
            # "In 2010 Microsoft launched Azure with a handful of data centres": a sentence that
            # opens on a year long before the article tells the company's history, not news.
            for cand in (*judged, *said):
                if cand.dropped is None:
                    cand.dropped = "history: the sentence opens on a year long before the article"
        if line[1] == "questioner":
            # "Q (analyst, ...): Should we expect $90 billion next year?": an analyst's question
            # or estimate, never the company's statement (R5).
            for cand in (*judged, *said):
                if cand.dropped is None:
                    cand.dropped = "a question or an analyst's line in a transcript (R5)"
        candidates.extend(judged)
        candidates.extend(said)
        claimed_footprint = next((c for c in (*judged, *said) if _footprint_claim(c)), None) \
            if active is not None and not mentions else None
        if claimed_footprint is not None and active is not None and claimed_footprint.company == active.company:
            footprint_of = (sentence.index, dataclasses.replace(active, start=sentence.start, end=sentence.start))
        subject = subject_of(mentions)
        if subject is not None and subject.company != (context.company if context is not None else None):
            others_since = False  # a new company in force: only what is named after it counts
        # (the subject is one of the mentions: with one mention, no other firm is named)
        if (subject is not None and len(mentions) > 1 and any(m.company != subject.company for m in mentions)) or (
                not mentions and _others_speak(ctx, sentence)):
            others_since = True
        if subject is not None and listed_with_another(ctx, subject, mentions, sentence.end):
            # "capital investment by Google, Microsoft and Amazon ...": a list of firms names no
            # one company that a later sentence ("large data centres draw 100 MW") goes on about.
            context = None
        elif subject is not None:
            context = subject
        elif active is not None and not mentions and any(
                c.dropped is None and c.company == active.company for c in (*judged, *said)) and (
                hits_of_kind(ctx, sentence.start, sentence.end, "anaphor")):
            # "It has now contracted 34 GW...": a sentence that refers back and makes a claim of
            # the company keeps it the subject into the paragraph after it, as naming it would.
            context = dataclasses.replace(active, start=sentence.start, end=sentence.start)
    claimed = {c.sentence.index for c in candidates if c.dropped is None and c.figure is not None}
    if analyst_note(ctx, len(claimed)):
        for cand in candidates:
            if cand.dropped is None:
                cand.dropped = "analyst note: research houses forecast, the company never speaks in the text"
    claims = one_claim_per_figure(article, ctx, candidates)
    return Analysis(article=article, data=ctx.data, candidates=candidates, claims=claims)


def _own_voice(ctx: Context, sentence: Sentence) -> str | None:
    """'Capital expenditure was 34.1 billion yuan in the quarter', 'Für das Gesamtjahr bestätigte
    Finanzchefin ... die Prognose': a sentence that names no firm and gives the spending line of a
    results report (a capex word itself, not a verb such as 'invest') or the words of an executive
    by title is the company's in force, however many paragraphs back it was named."""
    if capex_cue(ctx, sentence.start, sentence.end) is not None:
        return "capex"
    return "speaker" if hits_of_kind(ctx, sentence.start, sentence.end, "speaker") else None


def _others_speak(ctx: Context, sentence: Sentence) -> bool:
    """A research house, an analyst or an agency speaks in the sentence."""
    return bool(hits_of_kind(ctx, sentence.start, sentence.end, "forecaster")
                or hits_of_kind(ctx, sentence.start, sentence.end, "estimate"))


def _footprint_claim(cand: Candidate) -> bool:
    """A facility plan, launch or count claimed of a company ("l'apertura di una seconda region cloud")."""
    return cand.dropped is None and cand.topic == "cloud" and (
        cand.statement in ("footprint", "plan") or (cand.figure is not None and cand.figure.kind == "count"))


def _goes_on_about_facilities(ctx: Context, sentence: Sentence) -> bool:
    """A sentence that counts or names cloud facilities (a region, its zones, data centres) and has
    no energy or spending cue: what it says goes on about the footprint told before it."""
    facilities = False
    for hit in hits_between(ctx, sentence.start, sentence.end):
        for rule in hit.rules:
            if rule.kind == "topic" and rule.topic in ("energy", "capex"):
                return False
            if rule.kind == "count_noun" and rule.topic == "cloud" and rule.unit in (
                    "cloud regions", "availability zones", "data centres"):
                facilities = True
    return facilities


def _earlier_year(period: str | None, year: int | None) -> bool:
    """A period that is a year ("2021", "2022年") before the article's."""
    digits = period[:4] if period else ""
    return year is not None and digits.isdigit() and len(digits) == 4 and int(digits) < year


def _list_follows(ctx: Context, sentence: Sentence) -> bool:
    nxt = sentence.index + 1
    return nxt < len(ctx.sentences) and opens_bullet(ctx.data, ctx.sentences[nxt].start)


def extract_claims(article: Article) -> list[Claim]:
    """The claims an article makes about the five companies' capex, cloud and energy."""
    return [claim for claim, _ in analyse(article).claims]


def format_explanation(article: Article) -> str:
    """Per claim, which rules fired on which span; per dropped candidate, why it was dropped."""
    analysis = analyse(article)
    data = analysis.data
    lines = [f"article {article.id} ({article.lang}): {len(analysis.claims)} claim(s)"]
    for claim, cand in analysis.claims:
        figure = _describe_figure(data, cand.figure)
        lines.append(f"CLAIM {claim.company}/{claim.topic} {figure} period={claim.period!r}")
        lines.append(f"  quote: {claim.quote}")
        for rule_id, start, end in dict.fromkeys(cand.rules):
            if rule_id:
                lines.append(f"  rule {rule_id} on '{span_text(data, start, end)}'")
    dropped = [c for c in analysis.candidates if c.dropped and (c.figure is None or c.figure.kind not in (
        "year", "bare"))]
    for cand in dropped:
        lines.append(f"DROPPED {_describe_figure(data, cand.figure)}: {cand.dropped}")
        lines.append(f"  in: {span_text(data, cand.sentence.start, cand.sentence.end)[:160]}")
    return "\n".join(lines)


def _describe_figure(data: bytes, fig: Figure | None) -> str:
    if fig is None:
        return "(no figure)"
    parts = [f"'{span_text(data, fig.start, fig.end)}'", f"{fig.kind}={fig.value:g}"]
    if fig.value_max is not None:
        parts.append(f"max={fig.value_max:g}")
    if fig.currency:
        parts.append(fig.currency)
    if fig.unit:
        parts.append(f"unit={fig.unit}")
    if fig.change_pct is not None:
        parts.append(f"change={fig.change_pct:g}%")
    return " ".join(parts)
