"""One article, indexed for the per-figure decisions: its lexicon hits by position and by kind,
and where each sentence, segment (at ';') and clause (at commas, colons, dashes) begins.

Every lookup here is a bisect over sorted offsets, memoised per span: the grammar asks the same
questions of a sentence many times.
"""

from __future__ import annotations

import bisect
from bisect import bisect_left as _bisect_left
from bisect import bisect_right as _bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import accumulate
from operator import attrgetter, itemgetter

from bot.analysis.claims.text import (
    CLAUSE_BREAK,
    Sentence,
    opens_bullet,
    segment_breaks,
    span_text,
    split_sentences,
)
from bot.analysis.rulebook import Hit, Rule, RuleSet, TermRules, is_cjk, iter_spans, ruleset
from bot.model import Article

Trace = tuple[str, int, int]  # rule id and the byte span it fired on
# A bullet item of a list ("- a new region in Mexico") goes on about the company of the line that
# introduced the list, as a sentence that refers back to it does: its mark counts as an anaphor.
_BULLET_RULE = Rule(id="grammar.bullet_item", kind="anaphor", terms=("-",), example="", lang="*")
_BULLET_ITEM = TermRules.of("-", [_BULLET_RULE])


@dataclass(slots=True)
class Context:
    """Everything found in one article, indexed for the per-figure decisions."""

    rs: RuleSet
    data: bytes
    sentences: list[Sentence]
    sentence_starts: list[int]
    clause_breaks: list[int]
    segment_breaks: list[int]
    hits: list[Hit]
    hits_by_start: dict[int, list[Hit]]
    hits_by_end: dict[int, Hit]
    hit_starts: list[int]
    title_company: str | None
    # The one company of the five the article names, when it names one only (else None)
    sole_company: str | None = None
    locatives: list[Hit] = field(default_factory=list)
    locative_starts: list[int] = field(default_factory=list)
    spans_memo: dict[tuple[int, int], list[Hit]] = field(default_factory=dict)
    periods_memo: dict[int, list[tuple[int, int]]] = field(default_factory=dict)
    clause_memo: dict[int, tuple[int, int]] = field(default_factory=dict)
    kinds_memo: dict[int, frozenset[str]] = field(default_factory=dict)
    # per rule kind: the start offsets and (hit, first rule of that kind), in text order
    by_kind: dict[str, tuple[list[int], list[tuple[Hit, Rule]]]] = field(default_factory=dict)
    # The furthest end of the hits up to each one (of `hits`; per kind, of by_kind's, made when
    # first asked): where it is no further than a span's end, every hit starting in the span
    # ends in it, and the span's hits are a slice, with no test per hit.
    hit_reach: list[int] = field(default_factory=list)
    kind_reach: dict[str, list[int]] = field(default_factory=dict)


def hit_ending_at(ctx: Context, pos: int) -> Hit | None:
    return ctx.hits_by_end.get(pos)


def hits_at(ctx: Context, pos: int, kinds: Iterable[str]) -> tuple[Hit, Rule] | None:
    for hit in ctx.hits_by_start.get(pos, ()):
        by_kind = hit.term.by_kind
        for kind in kinds:
            rule = by_kind.get(kind)
            if rule is not None:
                return hit, rule
    return None


def hits_between(ctx: Context, start: int, end: int) -> list[Hit]:
    """The lexicon hits inside [start, end), memoised: sentences and clauses are asked often."""
    key = (start, end)
    cached = ctx.spans_memo.get(key)
    if cached is not None:
        return cached
    i = bisect.bisect_left(ctx.hit_starts, start)
    j = bisect.bisect_left(ctx.hit_starts, end, lo=i)
    out = [hit for hit in ctx.hits[i:j] if hit.end <= end] if j > i and ctx.hit_reach[j - 1] > end \
        else ctx.hits[i:j]
    ctx.spans_memo[key] = out
    return out


def sentence_of(ctx: Context, pos: int) -> int:
    i = _bisect_right(ctx.sentence_starts, pos) - 1
    return i if i > 0 else 0


def segment_of(ctx: Context, pos: int) -> int:
    return bisect.bisect_right(ctx.segment_breaks, pos)


def segment_start_of(ctx: Context, pos: int) -> int:
    i = bisect.bisect_right(ctx.segment_breaks, pos)
    return ctx.segment_breaks[i - 1] if i > 0 else 0


def clause_bounds(ctx: Context, pos: int) -> tuple[int, int]:
    cached = ctx.clause_memo.get(pos)
    if cached is not None:
        return cached
    sentence = ctx.sentences[sentence_of(ctx, pos)] if ctx.sentences else Sentence(0, len(ctx.data), 0, 0)
    i = bisect.bisect_right(ctx.clause_breaks, pos)
    lo = ctx.clause_breaks[i - 1] if i > 0 else 0
    hi = ctx.clause_breaks[i] if i < len(ctx.clause_breaks) else len(ctx.data)
    bounds = ctx.clause_memo[pos] = (max(lo, sentence.start), min(hi, sentence.end))
    return bounds


def locatives_between(ctx: Context, start: int, end: int) -> list[Hit]:
    """The place words starting inside [start, end) (a bisect: an article may have hundreds)."""
    i = bisect.bisect_left(ctx.locative_starts, start)
    j = bisect.bisect_left(ctx.locative_starts, end, lo=i)
    return ctx.locatives[i:j]


def previous_clause_bounds(ctx: Context, pos: int) -> tuple[int, int] | None:
    lo, _ = clause_bounds(ctx, pos)
    sentence = ctx.sentences[sentence_of(ctx, pos)]
    if lo <= sentence.start:
        return None
    return clause_bounds(ctx, lo - 1)


_HIT = itemgetter(0)
_END = itemgetter(1)  # of a Hit


# The answer for a span without hits of the kind asked, shared (callers only read it).
_NONE: list[tuple[Hit, Rule]] = []


def hits_of_kind(ctx: Context, lo: int, hi: int, kind: str) -> list[tuple[Hit, Rule]]:
    """The (hit, rule) pairs of a kind inside [lo, hi). Not remembered per span: the grammar
    asks a span for a kind it has about once (1 answer in 70 was asked again, on the bench), and
    the answer is a slice, which costs less than remembering it."""
    index = ctx.by_kind.get(kind)
    if index is None:
        return _NONE  # most kinds never occur in a given text
    starts, pairs = index
    i = _bisect_left(starts, lo)
    if i == len(starts) or starts[i] >= hi:
        return _NONE  # nor in most spans of a text that has them: one bisect says so
    j = _bisect_left(starts, hi, i)
    reach = ctx.kind_reach.get(kind)
    if reach is None:
        reach = ctx.kind_reach[kind] = list(accumulate(map(_END, map(_HIT, pairs)), max))
    return [pair for pair in pairs[i:j] if pair[0].end <= hi] if reach[j - 1] > hi else pairs[i:j]


def kinds_in(ctx: Context, sentence: Sentence) -> frozenset[str]:
    """The rule kinds of the lexicon hits of a sentence (the bullet mark of a list item after the
    first sentence counts as an anaphor, as in build_context), found once: the decisions ask a
    sentence for a dozen kinds, most of which it lacks. A kind is here exactly when hits_of_kind
    finds it in the sentence, but for 'aggregate' (whose cues that title a company are left out
    of the index): a kind missing here has no hit in any span of the sentence."""
    kinds = ctx.kinds_memo.get(sentence.index)
    if kinds is None:
        kinds = frozenset().union(*map(_KINDS, hits_between(ctx, sentence.start, sentence.end)))
        if sentence.index > 0 and opens_bullet(ctx.data, sentence.start):
            kinds |= _BULLET_KINDS
        ctx.kinds_memo[sentence.index] = kinds
    return kinds


_BULLET_KINDS = frozenset({"anaphor"})
_KINDS = attrgetter("term.kinds")


def cloud_said_near(ctx: Context, sentence: Sentence, back: int) -> bool:
    """A cloud word or cloud alias ('cloud', 'data centre', 'Azure') in the sentence or in one of
    the `back` sentences before it: what a market share or rank nearby is measured in."""
    first = ctx.sentences[max(0, sentence.index - back)]
    return any(rule.topic == "cloud" and rule.kind in ("topic", "company")
               for hit in hits_between(ctx, first.start, sentence.end) for rule in hit.rules)


def build_context(article: Article, data: bytes, title_data: bytes) -> Context:
    rs = ruleset(article.lang or "en")
    sentences = split_sentences(data, rs.abbreviations)
    # Place words ("in", "州") are read only by the footprint statements; kept apart so that
    # they do not crowd the few-hits windows the number grammar looks through.
    locatives: list[Hit] = []
    hits: list[Hit] = []
    by_start: dict[int, list[Hit]] = {}
    by_end: dict[int, Hit] = {}
    by_kind: dict[str, tuple[list[int], list[tuple[Hit, Rule]]]] = {}
    for hit in rs.scan(data):  # one pass: this loop runs for every lexicon hit of the text
        start, end, term = hit
        if term.locative:
            locatives.append(hit)
            if term.only_locative:
                continue
            # "près de" is a place word before a name and an approximation before a number
            # ("près de Lyon", "près de 4 milliards"): it stays a hit for the numbers and is a
            # locative as well, where the footprint reads it only before a capitalised name.
        hits.append(hit)
        same_start = by_start.get(start)
        if same_start is None:
            by_start[start] = [hit]
        else:
            same_start.append(hit)
        if end not in by_end:
            by_end[end] = hit
        for kind, kind_rule in term.kind_rules:
            index = by_kind.get(kind)
            if index is None:
                index = by_kind[kind] = ([], [])
            index[0].append(start)
            index[1].append((hit, kind_rule))
    for sentence in sentences[1:]:
        if opens_bullet(data, sentence.start):
            index = by_kind.setdefault("anaphor", ([], []))
            at = bisect.bisect_left(index[0], sentence.start)
            index[0].insert(at, sentence.start)
            index[1].insert(at, (Hit(sentence.start, sentence.start + 1, _BULLET_ITEM), _BULLET_RULE))
    if "party_role" in by_kind:
        _name_parties(data, hits, by_start, by_end, by_kind)
    aggregates = by_kind.get("aggregate")
    if aggregates is not None:
        # "美国科技巨头Google", "the tech giant Google": a kind word right before one company's
        # name is its title, not a whole industry.
        kept = [(start, pair) for start, pair in zip(*aggregates, strict=True)
                if not _titles_a_company(data, pair[0], by_start)]
        by_kind["aggregate"] = ([start for start, _ in kept], [pair for _, pair in kept])
    title_company = None
    if title_data and rs.names_a_company(title_data):  # most titles name none: no need to scan them
        for hit in rs.scan(title_data):
            rule = hit.first("company")
            if rule is not None:
                title_company = rule.company
                break
    named = {pair[1].company for pair in by_kind.get("company", ([], []))[1]}
    sole = next(iter(named)) if len(named) == 1 and title_company in (None, *named) else None
    return Context(
        rs=rs, data=data, sentences=sentences, sentence_starts=[s.start for s in sentences], sole_company=sole,
        clause_breaks=[start for start, _ in iter_spans(CLAUSE_BREAK, data)],
        segment_breaks=segment_breaks(data),
        hits=hits, hits_by_start=by_start, hits_by_end=by_end, hit_starts=[h.start for h in hits],
        hit_reach=list(accumulate(map(_END, hits), max)),
        title_company=title_company, by_kind=by_kind, locatives=locatives,
        locative_starts=[h.start for h in locatives],
    )


# A firm an article introduces by its kind ("developer Cierzo Renovables", "энергокомпанией
# Keystone Power") is a kind of firm wherever its name comes back: the name is no word of the
# tables, so it is learnt from the text.
_NAMED_PARTY = Rule(id="grammar.named_party", kind="party_role", terms=("*",), example="", lang="*", generic=True)
_NAME_AFTER_ROLE = 3  # bytes of space between a kind of firm and the name right after it
_MIN_NAME = 3  # letters of the first word of a learnt name: "Oy" or "AG" alone name no firm
_MAX_NAMES = 8  # per article; a text that introduces more is a list, not news


def _name_parties(data: bytes, hits: list[Hit], by_start: dict[int, list[Hit]], by_end: dict[int, Hit],
                  by_kind: dict[str, tuple[list[int], list[tuple[Hit, Rule]]]]) -> None:
    """Every place where an article repeats the name it gave a kind of firm right after the
    kind ("developer Tuulivoima Oy ... Tuulivoima plans 1.5 GW") becomes a hit of that kind."""
    names: set[bytes] = set()
    for hit, _ in by_kind["party_role"][1]:
        pos = hit.end
        while pos < len(data) and pos - hit.end < _NAME_AFTER_ROLE and data[pos:pos + 1] == b" ":
            pos += 1
        if pos == hit.end or pos in by_start:
            continue  # glued to the kind, or a word of the tables ("developer Microsoft")
        word = data[pos:pos + 40].decode("utf-8", "ignore").split(" ", 1)[0].rstrip(",.;:)»\"'")
        if len(word) >= _MIN_NAME and word[:1].isupper() and word.replace("-", "").isalpha() \
                and not is_cjk(word[:1]) and word not in _CALENDAR_WORDS:
            names.add(word.encode("utf-8"))
    starts = [h.start for h in hits]
    index = by_kind["party_role"]
    for name in list(names)[:_MAX_NAMES]:
        term = TermRules.of(name.decode("utf-8"), [_NAMED_PARTY])
        pos = data.find(name)
        while pos >= 0:
            end = pos + len(name)
            bounded = (pos == 0 or not data[pos - 1:pos].isalpha()) and not data[end:end + 1].isalpha()
            if bounded and pos not in by_start:
                hit = Hit(pos, end, term)
                at = bisect.bisect_left(starts, pos)
                starts.insert(at, pos)
                hits.insert(at, hit)
                by_start[pos] = [hit]
                by_end.setdefault(end, hit)
                at = bisect.bisect_left(index[0], pos)
                index[0].insert(at, pos)
                index[1].insert(at, (hit, _NAMED_PARTY))
            pos = data.find(name, end)


def _titles_a_company(data: bytes, hit: Hit, by_start: dict[int, list[Hit]]) -> bool:
    pos = hit.end
    while data[pos:pos + 1] == b" ":
        pos += 1
    return any(nxt.first("company") is not None for nxt in by_start.get(pos, ()))


def names_a_place(ctx: Context, hit: Hit) -> bool:
    """A locative before a name: 'in Malaysia', 'across the UK', 'в Казахстане'. A CJK place
    word ('位于', '州') names a place by itself; a Latin or Cyrillic preposition only when a
    capitalised word follows it (the article 'the' may stand between) that is no word of the
    tables: German capitalises every noun ('in Rechenzentren investieren'), and 'in Azure' names
    a cloud, not a place."""
    term = span_text(ctx.data, hit.start, hit.end)
    if is_cjk(term[:1]):
        return True
    raw = ctx.data[hit.end:hit.end + 12]
    start = hit.end + len(raw) - len(raw.lstrip(b" "))
    if ctx.data[start:start + 4].lower() == b"the ":
        start += 4
    word = ctx.data[start:start + 12].decode("utf-8", "ignore").split(" ", 1)[0].rstrip(",.;:")
    return word[:1].isupper() and not ctx.hits_by_start.get(start) and word not in _TECHNOLOGY_ACRONYMS \
        and word not in _CALENDAR_WORDS


# Capitalised words after "in" that name a technology, not a place ("invest in AI, cloud and
# data centres").
_TECHNOLOGY_ACRONYMS = frozenset({"AI", "IT", "ML", "HPC", "GPU", "GPUs", "LLM", "LLMs", "AGI", "API", "APIs",
                                  "IoT", "SaaS", "IaaS", "PaaS", "GenAI", "5G"})
# Capitalised words after "in" that name a time, not a place ("told shareholders in July",
# "im Juli", "в январе" is lower case): a month or a weekday puts no facility anywhere.
_CALENDAR_WORDS = frozenset({
    "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
    "November", "December", "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sept", "Sep", "Oct", "Nov", "Dec",
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "Q1", "Q2", "Q3", "Q4", "H1", "H2",
    "Januar", "Februar", "März", "Mai", "Juni", "Juli", "Oktober", "Dezember", "Montag", "Dienstag", "Mittwoch",
    "Donnerstag", "Freitag", "Samstag", "Sonntag", "Herbst", "Frühjahr", "Frühling", "Sommer", "Winter"})
