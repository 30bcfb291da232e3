"""Claim extraction: statements by or about the five companies on capex, cloud and energy.

Pure functions of an Article. The vocabulary (company aliases, topic cues, number words,
units, currencies, estimate and attribution cues) is data in bot/rules/*.yaml; this module is
the grammar that combines it:

1. normalise the text (full-width forms to ASCII, one char for one char) and split it into
   sentences, segments (at semicolons) and clauses (at commas);
2. find numbers (digits with grouping, CJK numerals) and lexicon hits (one RE2 scan per
   table), and assemble figures: currency + number + scale + currency/unit/percent; merge
   ranges, mark bracketed conversions, attach growth rates to the figure they describe;
3. for each figure, attribute a company (nearest mention not named in passing, else the
   sentence context), pick a topic (cue in the same clause, else nearest in the sentence),
   and drop it, with the reason, when it is an estimate, an aggregate, another company's
   figure or a group metric;
4. keep one claim per distinct figure, company and topic;
5. add figure-less (qualitative) claims for sentences that state a plan, a change or a
   market position of one of the companies.

Every regular expression runs on RE2 (linear time): hostile input cannot blow up.
"""

from __future__ import annotations

import bisect
import dataclasses
import itertools
import re as pyre  # only for a fixed character class, never on rule data
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal, cast

import re2  # type: ignore[import-untyped]

from bot.analysis.rulebook import Hit, Rule, RuleSet, is_cjk, iter_spans, ruleset
from bot.model import Article, Claim, Company, Topic

FigureKind = Literal["money", "percent", "unit", "count", "multiplier", "year", "bare", "points"]
Trace = tuple[str, int, int]  # rule id and the byte span it fired on

# Full-width ASCII, ideographic and no-break spaces, and the minus sign mapped one char to one
# char, so offsets in the normalised text are offsets in the original.
_NORMALISE = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_NORMALISE.update({0x3000: 0x20, 0xA0: 0x20, 0x202F: 0x20, 0x2009: 0x20, 0x2007: 0x20, 0x2212: 0x2D})

_SENTENCE_END = re2.compile(
    "[.!?]+[\"')\\]”’]*\\s+|[。！？]+[”」』\"]*|\n+".encode()
)
# Clause breaks: semicolons, colons, commas not inside a number, CJK commas, spaced dashes.
_CLAUSE_BREAK = re2.compile("[;:；：、]|,[^0-9]|\\s[-–—]+\\s|—|\\(|\\)".encode())
_SEGMENT_BREAK = re2.compile("[;；]".encode())
_YEAR = re2.compile(
    "(?:FY ?|fiscal |Q[1-4] ?|H[12] ?)?(?:19[89][0-9]|20[0-9][0-9])(?: ?年度?| ?财年| ?財年| ?年度)?".encode()
)
_NUMBER_DOT = "[0-9]{1,3}(?:[, ][0-9]{3})+(?:\\.[0-9]{1,6})?|[0-9]{1,16}(?:\\.[0-9]{1,6})?"
_NUMBER_COMMA = "[0-9]{1,3}(?:[. ][0-9]{3})+(?:,[0-9]{1,6})?|[0-9]{1,16}(?:,[0-9]{1,6})?"
# CJK numerals count only before a scale or a multiplier character (三千八百亿, 十倍).
_CJK_SUFFIXES = "万亿|萬億|亿|億|兆|万|萬|倍"
_CJK_SUFFIX_LIST = sorted(_CJK_SUFFIXES.split("|"), key=len, reverse=True)
_CJK_VAGUE = frozenset("数數几幾多上")
_ENERGY_UNITS = frozenset({"MW", "GW", "kW", "kWh", "MWh", "GWh", "TWh"})
# What may stand between two names of a list ("like Google, Microsoft and OpenAI").
_LIST_GLUE = (",", "、", "，", " and ", " et ", " und ", " e ", " y ", " и ",
              "和", "及", "与", "與", "や", "と")
_MAX_SENTENCE = 1200  # bytes; longer runs are cut (real sentences are far shorter)
_MAX_SENTENCES = 2000  # an article has a few dozen
_MAX_FIGURES = 1500  # numbers read per text; an article has a few dozen
_MAX_CLAIMS = 200  # per article; more means the text is not an article
_MAX_GAP = 3  # bytes of whitespace allowed between a number and its scale or currency
CARRY_PARAGRAPHS = 1  # paragraphs over which the last-named company stays the subject


@dataclass(frozen=True)
class Sentence:
    start: int  # byte offsets in the normalised UTF-8 text
    end: int
    paragraph: int
    index: int


@dataclass
class Figure:
    """A number with what surrounds it: currency, scale, unit or percent sign."""

    start: int
    end: int
    kind: FigureKind
    value: float
    scale: float | None = None
    currency: str | None = None
    currency_generic: bool = False
    unit: str | None = None
    value_max: float | None = None
    change_pct: float | None = None
    direction: int = 0  # +1 growth, -1 decline, 0 none (percent figures)
    rules: list[Trace] = field(default_factory=list)
    conversion_of: Figure | None = None
    alt_values: list[tuple[float, str | None]] = field(default_factory=list)
    rate_of: Figure | None = None
    topic: str | None = None  # implied by the measure that names it (PUE -> energy)
    ordinal: bool = False  # "its third data centre": one launch, not a footprint figure
    full: bool = False  # "entirely on clean power": a 100 % share said in words (energy only)


@dataclass
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


@dataclass
class Analysis:
    article: Article
    data: bytes
    candidates: list[Candidate]
    claims: list[tuple[Claim, Candidate]]


@dataclass
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
    memo: dict[tuple[int, int, str], list[tuple[Hit, Rule]]] = field(default_factory=dict)
    spans_memo: dict[tuple[int, int], list[Hit]] = field(default_factory=dict)
    periods_memo: dict[int, list[tuple[int, int]]] = field(default_factory=dict)
    # per rule kind: the start offsets and (hit, first rule of that kind), in text order
    by_kind: dict[str, tuple[list[int], list[tuple[Hit, Rule]]]] = field(default_factory=dict)


# --- text layout ---------------------------------------------------------------------------------


# Characters `normalise` maps: most texts have none, and a C-speed search is far cheaper than
# a translate that looks every character up.
_NEEDS_NORMALISING = pyre.compile("[\uff01-\uff5e\u3000\u00a0\u202f\u2009\u2007\u2212]")


def normalise(text: str) -> str:
    """Full-width forms and odd spaces to ASCII, one char for one char (offsets are kept)."""
    if text.isascii() or _NEEDS_NORMALISING.search(text) is None:
        return text
    return text.translate(_NORMALISE)


def split_sentences(data: bytes, abbreviations: frozenset[str]) -> list[Sentence]:
    """Sentences as byte spans; a period after a known abbreviation does not end one."""
    out: list[Sentence] = []
    start = 0
    paragraph = 0
    for stop_start, stop_end in iter_spans(_SENTENCE_END, data):
        if len(out) >= _MAX_SENTENCES:
            break  # the rest is cut into bounded pieces below
        token = data[stop_start:stop_end]
        if token[:1] == b"." and _ends_with_abbreviation(data, stop_start, abbreviations):
            continue
        _add_sentence(out, data, start, stop_end, paragraph)
        if b"\n" in token:
            paragraph += 1
        start = stop_end
    _add_sentence(out, data, start, len(data), paragraph)
    return out


def _ends_with_abbreviation(data: bytes, dot: int, abbreviations: frozenset[str]) -> bool:
    lookback = max(0, dot - 24)  # abbreviations are short; never scan back further
    word_start = max(data.rfind(b" ", lookback, dot), data.rfind(b"\n", lookback, dot),
                     data.rfind(b"(", lookback, dot), lookback - 1) + 1
    word = data[word_start:dot + 1].decode("utf-8", "ignore").casefold()
    if word in abbreviations:
        return True
    bare = word.rstrip(".").replace(".", "")
    # An initial ("J. Smith") or dotted capitals ("U.S.") do not end a sentence.
    return (len(bare) == 1 and bare.isalpha()) or (word.count(".") >= 2 and bare.isalpha() and len(bare) <= 4)


def _add_sentence(out: list[Sentence], data: bytes, start: int, end: int, paragraph: int) -> None:
    while start < end and data[start:start + 1].isspace():
        start += 1
    while end > start and data[end - 1:end].isspace():
        end -= 1
    # A run-on "sentence" (a table, a list without stops, hostile text) is cut into pieces so
    # that the per-sentence work stays bounded.
    while end - start > _MAX_SENTENCE:
        cut = data.rfind(b" ", start + _MAX_SENTENCE // 2, start + _MAX_SENTENCE)
        if cut <= start:
            cut = start + _MAX_SENTENCE
            while cut > start and 0x80 <= data[cut] < 0xC0:  # not inside a UTF-8 character
                cut -= 1
        out.append(Sentence(start, cut, paragraph, len(out)))
        start = cut
        while start < end and data[start:start + 1].isspace():
            start += 1
    if end > start:
        out.append(Sentence(start, end, paragraph, len(out)))


def _text(data: bytes, start: int, end: int) -> str:
    return data[start:end].decode("utf-8", "ignore")


# --- numbers -------------------------------------------------------------------------------------


_number_patterns: dict[tuple[str, str], object] = {}


def _number_pattern(rs: RuleSet) -> object:
    key = (rs.lang, rs.decimal_mark)
    pattern = _number_patterns.get(key)
    if pattern is None:
        arabic = _NUMBER_COMMA if rs.decimal_mark == "," else _NUMBER_DOT
        numerals = "".join(sorted(rs.numerals))
        body = arabic
        if numerals:
            body += f"|[{re2.escape(numerals)}]{{1,8}}(?:{_CJK_SUFFIXES})"
        pattern = re2.compile(body.encode())
        _number_patterns[key] = pattern
    return pattern


def parse_arabic(raw: str, decimal_mark: str) -> float:
    """'3,800.5' (decimal '.') or '3 800,5' / '5,5' (decimal ',') as a float."""
    group_marks = ", " if decimal_mark == "." else ". "
    for mark in group_marks:
        raw = raw.replace(mark, "")
    return float(raw.replace(",", "."))


def parse_cjk_numeral(raw: str, numerals: dict[str, float] | None = None) -> float:
    """Chinese/Japanese numerals below 10,000: '三千八百' -> 3800, '十' -> 10, '千' -> 1000."""
    table = numerals or {}
    total = 0.0
    digit = 0.0
    for ch in raw:
        value = table.get(ch)
        if value is None:
            continue
        if value >= 10:
            total += (digit or 1.0) * value
            digit = 0.0
        else:
            digit = value
    return total + digit


def _find_figures(ctx: Context) -> list[Figure]:
    rs, data = ctx.rs, ctx.data
    figures: list[Figure] = []
    numerals = dict(rs.numerals)
    for start, end in iter_spans(_number_pattern(rs), data):
        if len(figures) >= _MAX_FIGURES:
            break
        if data[start] < 0x80:  # digits
            if _glued_to_word(ctx, start, end):
                continue
            try:
                value = parse_arabic(data[start:end].decode(), rs.decimal_mark)
            except ValueError:
                continue
        else:  # CJK numerals and the scale or multiplier character after them
            raw = data[start:end].decode("utf-8")
            suffix = next(s for s in _CJK_SUFFIX_LIST if raw.endswith(s))
            end -= len(suffix.encode("utf-8"))
            if start >= 3 and _text(data, start - 3, start) in _CJK_VAGUE:
                continue
            value = parse_cjk_numeral(raw[:-len(suffix)], numerals)
        figures.append(_assemble(ctx, start, end, value))
    for hit in ctx.hits:
        ordinal = hit.first("ordinal")
        rank = _rank_beside(ctx, hit) if ordinal is not None and ordinal.value is not None else None
        if ordinal is not None and ordinal.value is not None and rank is not None:
            # "came in fourth", "the second-largest provider", "排名第一": a market rank.
            figures.append(Figure(hit.start, hit.end, "count", ordinal.value, unit="rank",
                                  rules=[(ordinal.id, hit.start, hit.end), (rank.rules[0].id, rank.start, rank.end)]))
            continue
        counted = hit.first("count_word") or ordinal
        if counted is not None and counted.value is not None:
            noun = _count_noun_after(ctx, hit.end)
            # A number word counts only the noun right after it ("three zones", "第三個可用區"),
            # not one a few words on ("兩個地點設有資料中心": two sites).
            if noun is not None and len(_text(ctx.data, hit.end, noun[0].start).split()) <= 1 and not any(
                    is_cjk(ch) for ch in _text(ctx.data, hit.end, noun[0].start)):
                figures.append(Figure(hit.start, hit.end, "count", counted.value, unit=noun[1].unit,
                                      rules=[(counted.id, hit.start, hit.end),
                                             (noun[1].id, noun[0].start, noun[0].end)],
                                      ordinal=counted.kind == "ordinal"))
        worded = hit.first("number_word") or counted
        if worded is not None and worded.value is not None and \
                _hits_at(ctx, _skip_space(ctx.data, hit.end), ("scale",)) is not None:
            # "rund eine Milliarde Euro", "three billion dollars": a number word before a scale.
            figure = _assemble(ctx, hit.start, hit.end, worded.value)
            figure.rules.insert(0, (worded.id, hit.start, hit.end))
            figures.append(figure)
        full = hit.first("full_share")
        if full is not None:
            # "run entirely on clean power", "全量を賄う": a 100 % share written in words.
            # A term that names the energy itself ("全部使用绿电") carries topic: energy.
            figures.append(Figure(hit.start, hit.end, "percent", 100.0, unit="%", full=True,
                                  rules=[(full.id, hit.start, hit.end)], topic=full.topic))
        rule = hit.first("multiplier")
        if rule is not None and rule.value is not None:
            figures.append(Figure(hit.start, hit.end, "multiplier", rule.value, unit="x",
                                  rules=[(rule.id, hit.start, hit.end)]))
    figures.sort(key=lambda f: f.start)
    _merge_compounds(ctx, figures)
    _merge_ranges(ctx, figures)
    figures = [f for f in figures if f.kind != "bare" or f.value_max is not None or f.scale]
    _mark_conversions(ctx, figures)
    _link_rates(ctx, figures)
    return figures


def _rank_beside(ctx: Context, hit: Hit) -> Hit | None:
    """A rank word right before an ordinal ('ranked third') or right after it ('fourth-largest',
    'second biggest', '第一大'), with at most a blank or a hyphen between them."""
    for gap in (b"", b" ", b"-"):
        before = ctx.hits_by_end.get(hit.start - len(gap))
        if before is not None and "rank" in before.kinds() and gap != b"-" and \
                ctx.data[hit.start - len(gap):hit.start] == gap:
            return before
        if ctx.data[hit.end:hit.end + len(gap)] == gap:
            after = next((h for h in ctx.hits_by_start.get(hit.end + len(gap), ()) if "rank" in h.kinds()), None)
            if after is not None:
                return after
    return None


def _merge_compounds(ctx: Context, figures: list[Figure]) -> None:
    """'5兆3000億円', '1万2000': a CJK-scaled number directly followed by a number with a smaller
    CJK scale is one figure (their sum), with the currency or unit of the second part."""
    i = 0
    while i + 1 < len(figures):
        big, small = figures[i], figures[i + 1]
        if (big.scale and small.scale and small.scale < big.scale and small.start == big.end
                and _is_cjk_scale(ctx, big) and _is_cjk_scale(ctx, small) and big.value_max is None):
            big.value += small.value
            big.end = small.end
            big.kind, big.unit = small.kind, small.unit
            if small.currency is not None:
                big.currency, big.currency_generic = small.currency, small.currency_generic
            big.rules.extend(small.rules)
            del figures[i + 1]
            continue
        i += 1


def _glued_to_word(ctx: Context, start: int, end: int) -> bool:
    """Digits inside a token such as 'Xe-100', 'GPT-4' or '25H2' are not figures."""
    data = ctx.data
    before = _text(data, max(0, start - 4), start)[-1:]
    if before and (before.isalpha() and not is_cjk(before)) and not _hit_ending_at(ctx, start):
        return True
    if before == "-" and start >= 2 and _text(data, max(0, start - 5), start - 1)[-1:].isalpha():
        return True
    after = _text(data, end, end + 4)[:1]
    return bool(after and after.isalpha() and not is_cjk(after) and end not in ctx.hits_by_start)


def _hit_ending_at(ctx: Context, pos: int) -> Hit | None:
    return ctx.hits_by_end.get(pos)


def _skip_space(data: bytes, pos: int, limit: int = _MAX_GAP) -> int:
    """Past the blanks after a number, and past the hyphen of '380-billion-yuan'."""
    stop = min(len(data), pos + limit)
    while pos < stop and data[pos:pos + 1] in (b" ", b"\t"):
        pos += 1
    if data[pos:pos + 1] == b"-" and data[pos + 1:pos + 2].isalpha():
        pos += 1
    return pos


def _hits_at(ctx: Context, pos: int, kinds: Iterable[str]) -> tuple[Hit, Rule] | None:
    for hit in ctx.hits_by_start.get(pos, ()):
        for kind in kinds:
            rule = hit.first(kind)
            if rule is not None:
                return hit, rule
    return None


def _currency_before(ctx: Context, start: int) -> tuple[Hit, Rule] | None:
    for gap in range(0, _MAX_GAP + 1):
        pos = start - gap
        if gap and ctx.data[pos:pos + gap].strip():
            break
        hit = _hit_ending_at(ctx, pos)
        if hit is not None:
            rule = hit.first("currency")
            return (hit, rule) if rule is not None else None
    return None


def _assemble(ctx: Context, start: int, end: int, value: float) -> Figure:
    """Look around a number for its currency, scale and unit, and classify it."""
    data = ctx.data
    figure = Figure(start, end, "bare", value)
    pre = _currency_before(ctx, start)
    if pre is not None:
        _set_currency(figure, pre[1], pre[0])
    pos = end
    scale = _hits_at(ctx, _skip_space(data, pos), ("scale",))
    if scale is not None:
        hit, rule = scale
        figure.scale = rule.value
        figure.rules.append((rule.id, hit.start, hit.end))
        pos = hit.end
    for _ in range(2):  # currency words may come in two parts: 亿 元 人民币
        nxt = _skip_space(data, pos)
        linker = _hits_at(ctx, nxt, ("linker",))
        if linker is not None and figure.currency is None:
            after_linker = _skip_space(data, linker[0].end)
            if _hits_at(ctx, after_linker, ("currency",)) is not None:
                nxt = after_linker
        found = _hits_at(ctx, nxt, ("currency", "percent", "points", "unit"))
        if found is None:
            break
        hit, rule = found
        if rule.kind == "currency":
            _set_currency(figure, rule, hit)
            pos = hit.end
            continue
        if figure.currency is None and rule.kind in ("percent", "points"):
            figure.kind = "percent" if rule.kind == "percent" else "points"
            figure.rules.append((rule.id, hit.start, hit.end))
            pos = hit.end
        elif figure.currency is None and rule.kind == "unit":
            figure.kind = "multiplier" if rule.unit == "x" else "unit"
            figure.unit = rule.unit
            if rule.value:
                figure.value *= rule.value
            figure.rules.append((rule.id, hit.start, hit.end))
            pos = hit.end
        break
    figure.end = max(pos, end)
    if figure.currency is not None:
        figure.kind = "money"
    elif figure.kind == "bare":
        count = _count_noun_after(ctx, end)
        measure = _measure_before(ctx, start) if figure.scale is None else None
        if figure.scale is None and value.is_integer() and 1980 <= value <= 2100 and \
                data[end:end + 3] == "年".encode():
            figure.kind = "year"
        elif measure is not None:
            hit, rule = measure
            figure.kind, figure.unit, figure.topic = "unit", rule.unit, rule.topic
            figure.rules.append((rule.id, hit.start, hit.end))
        elif count is not None and (figure.scale is None or count[0].start - pos <= 24) and not (
                value.is_integer() and 1980 <= value <= 2100 and _text(data, end, count[0].start).strip()):
            # "d'ici 2030 dans ses centres de données": a year a word or two before a counted
            # noun is a year; only a noun right after it ("2030 servers") is counted.
            hit, rule = count
            figure.kind, figure.unit = "count", rule.unit
            figure.rules.append((rule.id, hit.start, hit.end))
        elif figure.scale is None and value.is_integer() and 1980 <= value <= 2100:
            figure.kind = "year"
        elif figure.scale is not None and figure.scale >= 1e8 and ctx.rs.default_currency \
                and _is_cjk_scale(ctx, figure):
            figure.kind = "money"
            figure.currency = ctx.rs.default_currency
            figure.currency_generic = True
    if figure.scale:
        figure.value *= figure.scale
    return figure


_MEASURE_REACH = 48  # bytes between a measure cue ("PUE", "電力使用効率") and its value


def _measure_before(ctx: Context, start: int) -> tuple[Hit, Rule] | None:
    """'a power usage effectiveness of 1.12', 'PUE为1.10': a measure named shortly before a bare
    number gives it its unit, when no other number or clause comma stands between them."""
    i = bisect.bisect_left(ctx.hit_starts, start)
    for hit in reversed(ctx.hits[max(0, i - 6):i]):
        if start - hit.end > _MEASURE_REACH:
            return None
        rule = hit.first("measure")
        if rule is None:
            continue
        gap = _text(ctx.data, hit.end, start)
        if any(ch.isdigit() or ch in ",;，、；。" for ch in gap):
            return None
        return hit, rule
    return None


def _is_cjk_scale(ctx: Context, figure: Figure) -> bool:
    scale_trace = next((t for t in figure.rules if ".scale." in t[0]), None)
    return scale_trace is not None and is_cjk(_text(ctx.data, scale_trace[1], scale_trace[2])[:1])


def _set_currency(figure: Figure, rule: Rule, hit: Hit) -> None:
    if figure.currency is None or figure.currency_generic:
        figure.currency = rule.currency
        figure.currency_generic = rule.generic
    figure.rules.append((rule.id, hit.start, hit.end))


def _count_noun_after(ctx: Context, end: int) -> tuple[Hit, Rule] | None:
    """'12 regions', '3 new data centres', '3座新的資料中心': a counted noun a few words on."""
    i = bisect.bisect_left(ctx.hit_starts, end)
    for hit in ctx.hits[i:i + 4]:
        if hit.start - end > 24:
            break
        rule = hit.first("count_noun")
        if rule is None:
            continue
        gap = _text(ctx.data, end, hit.start)
        if any(ch.isdigit() or ch in ",.;:()，。；：（）" for ch in gap) or len(gap.split()) > 2:
            return None
        if sum(1 for ch in gap if is_cjk(ch)) > 4:
            return None
        return hit, rule
    return None


def _gap_hits(ctx: Context, start: int, end: int) -> list[Hit]:
    """The lexicon hits inside [start, end), memoised: sentences and clauses are asked often."""
    key = (start, end)
    cached = ctx.spans_memo.get(key)
    if cached is not None:
        return cached
    i = bisect.bisect_left(ctx.hit_starts, start)
    j = bisect.bisect_left(ctx.hit_starts, end, lo=i)
    out = [hit for hit in ctx.hits[i:j] if hit.end <= end]
    ctx.spans_memo[key] = out
    return out


def _gap_is(ctx: Context, start: int, end: int, kinds: set[str], extra: str = "") -> list[Hit] | None:
    """The hits of the given kinds that, with whitespace and `extra` chars, fill [start, end)."""
    used: list[Hit] = []
    pos = start
    for hit in _gap_hits(ctx, start, end):
        if hit.start < pos:
            continue
        if not kinds & hit.kinds():
            continue
        if _text(ctx.data, pos, hit.start).strip(" \t" + extra):
            return None
        used.append(hit)
        pos = hit.end
    if _text(ctx.data, pos, end).strip(" \t" + extra):
        return None
    return used


def _merge_ranges(ctx: Context, figures: list[Figure]) -> None:
    """'between $91 billion and $93 billion', '$60-65 billion', '91 à 93 milliards' -> one figure."""
    i = 0
    while i + 1 < len(figures):
        low, high = figures[i], figures[i + 1]
        # "$91-93 billion": the currency is written once before the range and the scale once
        # after it, so a money figure may close with a bare number that has only the scale.
        compatible = (low.kind in (high.kind, "bare") or (low.kind == "money" and high.kind == "bare")) \
            and high.kind in ("money", "unit", "percent", "count", "bare")
        if compatible and high.start - low.end <= 24 and low.value_max is None:
            high_start = _back_over_currency(ctx, high.start)
            joint = (_gap_is(ctx, low.end, high_start, {"range", "range_and"})
                     if high_start > low.end else None)
            opened = _range_opened(ctx, low)
            ok = joint is not None and joint and (
                all("range" in h.kinds() for h in joint) or opened)
            if ok and not _range_from(ctx, low):
                if low.scale is None and high.scale:
                    low.value *= high.scale
                    low.scale = high.scale
                if high.kind != "bare":
                    low.kind = high.kind
                # '1950亿至2050亿美元': the first number's default yuan gives way to the currency
                # written after the second.
                if low.currency is None or (low.currency_generic and high.currency is not None):
                    low.currency, low.currency_generic = high.currency, high.currency_generic
                low.unit = low.unit or high.unit
                low.value_max = high.value
                low.end = high.end
                low.rules.extend(high.rules)
                low.rules.extend((h.rules[0].id, h.start, h.end) for h in joint or ())
                del figures[i + 1]
                continue
        i += 1


def _range_opened(ctx: Context, figure: Figure) -> bool:
    hit = _hit_ending_at(ctx, _back_over_currency(ctx, figure.start))
    return hit is not None and "range_open" in hit.kinds()


def _range_from(ctx: Context, figure: Figure) -> bool:
    """A from-word before the first number makes it a starting point, not a range start; a
    generic one ('von', 'de') only when that number has its own scale or currency ('von 52
    Mrd. auf 75 Mrd.'), since 'von 185 bis 195 Mrd.' and 'de 80 à 85 milliards' are ranges."""
    hit = _hit_ending_at(ctx, _back_over_currency(ctx, figure.start))
    rule = hit.first("change_from") if hit is not None else None
    if rule is None:
        return False
    return not rule.generic or figure.scale is not None or figure.currency is not None


def _back_over_currency(ctx: Context, pos: int) -> int:
    pre = _currency_before(ctx, pos)
    if pre is not None:
        pos = pre[0].start
    while pos > 0 and ctx.data[pos - 1:pos] == b" ":
        pos -= 1
    return pos


def _mark_conversions(ctx: Context, figures: list[Figure]) -> None:
    """'RMB 380 billion (USD 53 billion)': the bracketed figure is the same amount, converted."""
    for prev, fig in itertools.pairwise(figures):
        if prev.kind != fig.kind or fig.kind not in ("money", "unit") or fig.start - prev.end > 40:
            continue
        if prev.conversion_of is not None:
            continue
        fig_start = _back_over_currency(ctx, fig.start)
        if fig_start < prev.end:
            continue
        gap = _gap_is(ctx, prev.end, fig_start, {"approx"}, extra="(（,~≈")
        raw_gap = _text(ctx.data, prev.end, fig_start)
        if gap is None or not ("(" in raw_gap or "（" in raw_gap or gap):
            continue
        fig.conversion_of = prev
        prev.alt_values.append((fig.value, fig.currency))
        fig.rules.append(("grammar.conversion", prev.start, fig.end))


def _link_rates(ctx: Context, figures: list[Figure]) -> None:
    """A growth rate belongs to the nearest figure of its segment ('RMB 13bn, down 24%')."""
    by_sentence: dict[int, list[Figure]] = {}
    for fig in figures:
        by_sentence.setdefault(_sentence_of(ctx, fig.start), []).append(fig)
    for fig in figures:
        if fig.kind != "percent":
            continue
        direction, trace = _direction(ctx, fig)
        if direction == 0:
            continue
        fig.direction = direction
        fig.change_pct = direction * fig.value
        fig.rules.append(trace)
        segment = _segment_of(ctx, fig.start)
        sentence = _sentence_of(ctx, fig.start)
        targets = [t for t in by_sentence[sentence] if t.kind in ("money", "unit", "count")
                   and t.conversion_of is None and _segment_of(ctx, t.start) == segment]
        if not targets:
            continue
        target = min(targets, key=lambda t: _distance(t.start, t.end, fig.start, fig.end))
        fig.rate_of = target
        if target.change_pct is None:
            target.change_pct = fig.change_pct
            target.rules.append(("grammar.growth_rate", fig.start, fig.end))


def _direction(ctx: Context, fig: Figure) -> tuple[int, Trace]:
    """+1/-1 from the nearest growth or decline word in the figure's clause, else 0."""
    lo, hi = _clause_bounds(ctx, fig.start)
    best: tuple[int, int, Trace] | None = None
    yoy: Trace | None = None
    for hit in _gap_hits(ctx, lo, hi):
        for rule in hit.rules:
            if rule.kind in ("increase", "decrease"):
                dist = _distance(hit.start, hit.end, fig.start, fig.end)
                sign = 1 if rule.kind == "increase" else -1
                if best is None or dist < best[0]:
                    best = (dist, sign, (rule.id, hit.start, hit.end))
            elif rule.kind == "yoy":
                yoy = (rule.id, hit.start, hit.end)
    if best is not None:
        return best[1], best[2]
    if yoy is not None:
        return 1, yoy
    return 0, ("", 0, 0)


def _distance(a0: int, a1: int, b0: int, b1: int) -> int:
    if a1 <= b0:
        return b0 - a1
    if b1 <= a0:
        return a0 - b1
    return 0


# --- positions -------------------------------------------------------------------------------------


def _sentence_of(ctx: Context, pos: int) -> int:
    return max(0, bisect.bisect_right(ctx.sentence_starts, pos) - 1)


def _segment_of(ctx: Context, pos: int) -> int:
    return bisect.bisect_right(ctx.segment_breaks, pos)


def _clause_bounds(ctx: Context, pos: int) -> tuple[int, int]:
    sentence = ctx.sentences[_sentence_of(ctx, pos)] if ctx.sentences else Sentence(0, len(ctx.data), 0, 0)
    i = bisect.bisect_right(ctx.clause_breaks, pos)
    lo = ctx.clause_breaks[i - 1] if i > 0 else 0
    hi = ctx.clause_breaks[i] if i < len(ctx.clause_breaks) else len(ctx.data)
    return max(lo, sentence.start), min(hi, sentence.end)


def _previous_clause_bounds(ctx: Context, pos: int) -> tuple[int, int] | None:
    lo, _ = _clause_bounds(ctx, pos)
    sentence = ctx.sentences[_sentence_of(ctx, pos)]
    if lo <= sentence.start:
        return None
    return _clause_bounds(ctx, lo - 1)


def _hits_in(ctx: Context, lo: int, hi: int, kind: str) -> list[tuple[Hit, Rule]]:
    key = (lo, hi, kind)
    cached = ctx.memo.get(key)
    if cached is not None:
        return cached
    index = ctx.by_kind.get(kind)
    if index is None:
        out: list[tuple[Hit, Rule]] = []
    else:
        starts, pairs = index
        i = bisect.bisect_left(starts, lo)
        j = bisect.bisect_left(starts, hi, lo=i)
        out = [pair for pair in pairs[i:j] if pair[0].end <= hi]
    ctx.memo[key] = out
    return out


# --- attribution -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    company: str  # one of ours, or "other:<rule id>"
    rule: Rule
    passing: bool
    weak: bool = False  # a kind of firm ("the utility"), not a name


_POSSESSIVE_REACH = 40  # bytes from "X's" to the "rival" it qualifies ("X's largest overseas rival")


def _mentions(ctx: Context, sentence: Sentence) -> list[Mention]:
    """Company mentions in a sentence; those after 'like', 'such as'..., inside a relative
    clause ('whose ...') or qualifying a rival ('X's rival') are named in passing."""
    out: list[Mention] = []
    passing_until = -1
    aside_until = -1
    for hit in _gap_hits(ctx, sentence.start, sentence.end):
        kinds = hit.kinds()
        if "passing" in kinds:
            passing_until = hit.end
            continue
        if "aside" in kinds and out:
            aside_until = _clause_bounds(ctx, hit.end)[1]
            continue
        if "rival" in kinds and out:
            last = out[-1]
            between = _text(ctx.data, last.end, hit.start)
            if between[:2] in ("'s", "’s", "的") and hit.start - last.end <= _POSSESSIVE_REACH \
                    and not any(ch in between for ch in ",;:()，、；"):
                out[-1] = Mention(last.start, last.end, last.company, last.rule, True, last.weak)
            continue
        rule = hit.first("company") or hit.first("other_company")
        if rule is None:
            continue
        company = rule.company if rule.kind == "company" and rule.company else f"other:{rule.id}"
        gap = _text(ctx.data, passing_until, hit.start) if passing_until >= 0 else None
        passing = (gap is not None and _is_list_gap(gap)) or hit.start < aside_until
        weak = rule.kind == "other_company" and rule.generic
        out.append(Mention(hit.start, hit.end, company, rule, passing, weak))
        if passing and hit.start >= aside_until:
            passing_until = hit.end
    return out


def _is_list_gap(gap: str) -> bool:
    """Only list glue between two names: a comma, 'and', '、', '和'."""
    rest = gap
    for glue in _LIST_GLUE:
        rest = rest.replace(glue, " ")
    return not rest.strip(" '’s")


def _subject(mentions: Sequence[Mention]) -> Mention | None:
    return next((m for m in mentions if not m.passing and not m.weak), None) or next(
        (m for m in mentions if not m.passing), None)


def _attribute(ctx: Context, figure_start: int, figure_end: int, mentions: Sequence[Mention],
               context: Mention | None) -> tuple[Mention | None, str]:
    """The company a figure belongs to: nearest preceding mention not in passing, else the first
    following one in the same clause, else the sentence context."""
    before = [m for m in mentions if m.end <= figure_start and not m.passing]
    named = [m for m in before if not m.weak]
    if named:
        return named[-1], "nearest mention before the figure"
    _, hi = _clause_bounds(ctx, figure_start)
    after = [m for m in mentions if m.start >= figure_end and not m.passing and m.start < hi]
    if before:
        # "Brookfield agreed a 10.5 GW framework with Microsoft": a utility or public body
        # before the figure is the counterparty when a named company follows in the clause.
        named_after = [m for m in after if not m.weak and not m.company.startswith("other:")]
        if named_after:
            return named_after[0], "company named after the figure; the firm before is a counterparty"
        return before[-1], "a kind of firm before the figure, no company named"
    if after:
        return after[0], "mention after the figure in its clause"
    if any(not m.passing and not m.weak for m in mentions):
        return _subject(mentions), "subject of the sentence"
    if context is not None and any(not m.passing for m in mentions):
        # Only a kind of firm or a counterparty is named ("a framework agreement with the
        # utility"): the company of the paragraph keeps the figure.
        return context, "company of an earlier sentence (only a kind of firm named here)"
    if any(not m.passing for m in mentions):
        return _subject(mentions), "subject of the sentence"
    if context is not None:
        return context, "company of an earlier sentence"
    return None, "no company named"


# --- topics -----------------------------------------------------------------------------------------


def _topic_cues(ctx: Context, lo: int, hi: int) -> list[tuple[int, int, str, str]]:
    """(start, end, topic, rule id) for topic cues and topic-bearing aliases in [lo, hi)."""
    out = []
    for hit in _gap_hits(ctx, lo, hi):
        for rule in hit.rules:
            if rule.topic and rule.kind in ("topic", "company", "count_noun"):
                out.append((hit.start, hit.end, rule.topic, rule.id))
                break
    return out


def _choose_topic(ctx: Context, figure: Figure) -> tuple[str | None, str, Trace | None]:
    """Topic of a figure: implied by its unit, else the cue nearest to it in its clause (a metric
    such as revenue needs a cloud/energy cue beside it), else the nearest cue in the sentence."""
    if figure.kind == "unit" and figure.unit in _ENERGY_UNITS:
        return "energy", "energy unit", None
    if figure.topic is not None:
        return figure.topic, "measure named before the value", None
    if figure.full:
        # "entirely on clean power": a whole share in words is an energy figure when an energy
        # cue shares its sentence, and no figure at all otherwise ("entirely on schedule").
        sentence = ctx.sentences[_sentence_of(ctx, figure.start)]
        energy = [c for c in _topic_cues(ctx, sentence.start, sentence.end) if c[2] == "energy"]
        if energy:
            cue = min(energy, key=lambda c: _distance(c[0], c[1], figure.start, figure.end))
            return "energy", "whole share in words with an energy cue", (cue[3], cue[0], cue[1])
        return None, "whole share in words without an energy cue", None
    if figure.kind == "count" and figure.unit == "rank":
        sentence = ctx.sentences[_sentence_of(ctx, figure.start)]
        market = [c for c in _topic_cues(ctx, sentence.start, sentence.end) if c[2] == "cloud"]
        if market:
            cue = market[0]
            return "cloud", "rank in a cloud market", (cue[3], cue[0], cue[1])
        return None, "rank with no cloud market named", None
    if figure.kind == "count":
        trace = next((t for t in figure.rules if ".count." in t[0]), None)
        return "cloud", "counted cloud facilities", trace
    lo, hi = _clause_bounds(ctx, figure.start)
    cues = _topic_cues(ctx, lo, hi)
    metrics = _hits_in(ctx, lo, hi, "metric")
    groups = _hits_in(ctx, lo, hi, "group_metric")
    if groups:
        hit, rule = groups[0]
        return None, f"group figure ({rule.id} on '{_text(ctx.data, hit.start, hit.end)}')", None
    nearest_cue = min(cues, key=lambda c: _distance(c[0], c[1], figure.start, figure.end), default=None)
    nearest_metric = min(metrics, key=lambda m: _distance(m[0].start, m[0].end, figure.start, figure.end),
                         default=None)
    if nearest_metric is not None:
        metric_dist = _distance(nearest_metric[0].start, nearest_metric[0].end, figure.start, figure.end)
        qualifiers = [c for c in cues if c[2] in ("cloud", "energy")]
        cue_dist = (_distance(nearest_cue[0], nearest_cue[1], figure.start, figure.end)
                    if nearest_cue is not None else 1 << 30)
        if metric_dist < cue_dist or nearest_cue is None:
            if qualifiers:
                best = min(qualifiers, key=lambda c: _distance(c[0], c[1], nearest_metric[0].start,
                                                               nearest_metric[0].end))
                return best[2], "metric qualified by a topic cue", (best[3], best[0], best[1])
            earlier = _qualifier_before(ctx, nearest_metric[0].start)
            if earlier is not None:
                return earlier[2], "metric qualified by the sentence's cloud/energy subject", (
                    earlier[3], earlier[0], earlier[1])
            hit, rule = nearest_metric
            return None, f"group metric ({rule.id} on '{_text(ctx.data, hit.start, hit.end)}')", None
    if nearest_cue is not None:
        if figure.kind == "money" and nearest_cue[2] == "cloud" and _spent_on_cloud(ctx, figure, nearest_cue[0]):
            return "capex", "money for data centres or cloud with no revenue word", (
                nearest_cue[3], nearest_cue[0], nearest_cue[1])
        return nearest_cue[2], "cue in the figure's clause", (nearest_cue[3], nearest_cue[0], nearest_cue[1])
    if _hits_in(ctx, lo, hi, "subset"):
        previous = _previous_clause_bounds(ctx, figure.start)
        if previous is not None:
            prev_cues = _topic_cues(ctx, *previous)
            if prev_cues:
                cue = prev_cues[-1]
                why = "clause opened by 'of which' shares the topic before it"
                return cue[2], why, (cue[3], cue[0], cue[1])
    sentence = ctx.sentences[_sentence_of(ctx, figure.start)]
    if figure.kind == "percent" and figure.change_pct is None and not cues and \
            _hits_in(ctx, sentence.start, sentence.end, "share") and not _hits_in(
                ctx, sentence.start, sentence.end, "metric"):
        # "Microsoft held 20% and Google 13%, ... the latter's share": a market share is a
        # cloud position claim.
        hit, rule = _hits_in(ctx, sentence.start, sentence.end, "share")[0]
        return "cloud", "market share with no other topic cue", (rule.id, hit.start, hit.end)
    # A figure in a clause of its own ("up from the $75 billion it gave in February") continues
    # what the sentence said before it: the cue before the figure wins over one after it.
    before = _topic_cues(ctx, sentence.start, figure.start)
    if before:
        cue = before[-1]
        if figure.kind == "money" and cue[2] == "cloud" and _spent_on_cloud(ctx, figure, cue[0]):
            return "capex", "money for data centres or cloud with no revenue word", (cue[3], cue[0], cue[1])
        return cue[2], "nearest cue before the figure in the sentence", (cue[3], cue[0], cue[1])
    cues = _topic_cues(ctx, sentence.start, sentence.end)
    if cues:
        cue = min(cues, key=lambda c: _distance(c[0], c[1], figure.start, figure.end))
        if figure.kind == "money" and cue[2] == "cloud" and _spent_on_cloud(ctx, figure, cue[0]):
            return "capex", "money for data centres or cloud with no revenue word", (cue[3], cue[0], cue[1])
        return cue[2], "nearest cue in the sentence", (cue[3], cue[0], cue[1])
    return None, "no topic cue", None


def _spent_on_cloud(ctx: Context, figure: Figure, cue_start: int) -> bool:
    """Money beside a cloud or data-centre word is what the company spends on it ("$2bn for
    data centres in Jakarta", "3800億元をクラウドのインフラに投じる") unless the sentence names
    a revenue-like metric (revenue, backlog, run-rate): cloud money claims are earnings."""
    if figure.change_pct is not None and any("company" in hit.kinds() for hit in ctx.hits_by_start.get(cue_start, ())):
        # "Google Cloud ..., growing 34 percent to $15.2 billion": a level that grew at a rate
        # beside the cloud unit's name is what the unit took in, not what was spent on it.
        return False
    sentence = ctx.sentences[_sentence_of(ctx, figure.start)]
    return not _hits_in(ctx, sentence.start, sentence.end, "metric") and not _hits_in(
        ctx, sentence.start, sentence.end, "group_metric")


def _qualifier_before(ctx: Context, metric_start: int) -> tuple[int, int, str, str] | None:
    """'the Cloud Intelligence Group ..., posting a 38% surge in revenue': a cloud or energy cue
    earlier in the sentence qualifies the metric when no other metric stands between them."""
    sentence = ctx.sentences[_sentence_of(ctx, metric_start)]
    cues = [c for c in _topic_cues(ctx, sentence.start, metric_start) if c[2] in ("cloud", "energy")]
    if not cues:
        return None
    cue = cues[-1]
    if _hits_in(ctx, cue[1], metric_start, "metric") or _hits_in(ctx, cue[1], metric_start, "group_metric"):
        return None
    return cue


def _period(ctx: Context, sentence: Sentence, lo: int, hi: int, near: int) -> str | None:
    """The period a figure refers to: a year or period phrase, preferring its own clause."""
    found = ctx.periods_memo.get(sentence.index)
    if found is None:
        found = list(iter_spans(_YEAR, ctx.data, sentence.start, sentence.end))
        found += [(hit.start, hit.end) for hit, _ in _hits_in(ctx, sentence.start, sentence.end, "period")]
        ctx.periods_memo[sentence.index] = found
    if not found:
        return None

    def rank(span: tuple[int, int]) -> tuple[int, int]:
        in_clause = lo <= span[0] < hi
        return (0 if in_clause else 1, abs(span[0] - near))

    start, end = min(found, key=rank)
    return _text(ctx.data, start, end).strip()


# --- the pipeline ----------------------------------------------------------------------------------


def _context(article: Article, data: bytes, title_data: bytes) -> Context:
    rs = ruleset(article.lang or "en")
    hits = rs.scan(data)
    sentences = split_sentences(data, rs.abbreviations)
    by_start: dict[int, list[Hit]] = {}
    by_end: dict[int, Hit] = {}
    by_kind: dict[str, tuple[list[int], list[tuple[Hit, Rule]]]] = {}
    for hit in hits:
        by_start.setdefault(hit.start, []).append(hit)
        by_end.setdefault(hit.end, hit)
        for kind, kind_rule in hit.term.by_kind.items():
            index = by_kind.get(kind)
            if index is None:
                index = by_kind[kind] = ([], [])
            index[0].append(hit.start)
            index[1].append((hit, kind_rule))
    title_company = None
    if title_data:
        for hit in rs.scan(title_data):
            rule = hit.first("company")
            if rule is not None:
                title_company = rule.company
                break
    return Context(
        rs=rs, data=data, sentences=sentences, sentence_starts=[s.start for s in sentences],
        clause_breaks=[m.start() for m in _CLAUSE_BREAK.finditer(data)],
        segment_breaks=[m.start() for m in _SEGMENT_BREAK.finditer(data)],
        hits=hits, hits_by_start=by_start, hits_by_end=by_end, hit_starts=[h.start for h in hits],
        title_company=title_company, by_kind=by_kind,
    )


def analyse(article: Article) -> Analysis:
    """Every candidate figure with its decision, and the claims kept."""
    rs = ruleset(article.lang or "en")
    data = normalise(article.text).encode("utf-8")
    title_data = normalise(article.title).encode("utf-8") if article.title else b""
    if not (rs.names_a_company(data) or rs.names_a_company(title_data)) or not rs.names_a_topic(data):
        # Most of the press never names the five companies, and most that does names them on
        # other business (no topic cue, unit or cloud alias at all): nothing to claim, stop here.
        return Analysis(article=article, data=b"", candidates=[], claims=[])
    ctx = _context(article, data, title_data)
    figures = _find_figures(ctx)
    by_sentence: dict[int, list[Figure]] = {}
    for fig in figures:
        by_sentence.setdefault(_sentence_of(ctx, fig.start), []).append(fig)
    candidates: list[Candidate] = []
    context: Mention | None = None
    # (sentence index, figure kind, topic) of the last figure claimed
    previous: tuple[int, str, str] | None = None
    for sentence in ctx.sentences:
        figures_here = by_sentence.get(sentence.index)
        if not figures_here and not _gap_hits(ctx, sentence.start, sentence.end):
            continue  # nothing to say, and nothing that changes the context
        mentions = _mentions(ctx, sentence)
        active = context if context is not None and _carries_context(ctx, sentence, context) else None
        previous_topic = previous[1:] if previous is not None and previous[0] == sentence.index - 1 and \
            active is not None and not mentions else None
        judged = [_judge(ctx, sentence, fig, mentions, active, figures_here or (), previous_topic)
                  for fig in figures_here or ()]
        for cand in judged:
            if cand.figure is not None and cand.figure.ordinal and cand.dropped is None and any(
                    other.dropped is None and other.company == cand.company and other.figure is not None
                    and not other.figure.ordinal for other in judged):
                # "$4 billion on a second datacenter": the launch is what the money is spent on.
                cand.dropped = "ordinal launch beside a figure of its company in the sentence"
        kept = [(c.figure.kind, c.topic) for c in judged
                if c.dropped is None and c.topic is not None and c.figure is not None]
        if kept:
            previous = (sentence.index, *kept[-1])
        candidates.extend(judged)
        candidates.extend(_statements(ctx, sentence, mentions, active, judged))
        subject = _subject(mentions)
        if subject is not None:
            context = subject
        elif active is not None and not mentions and _hits_in(ctx, sentence.start, sentence.end, "anaphor") \
                and any(c.dropped is None and c.company == active.company for c in judged):
            # "It has now contracted 34 GW...": a sentence that refers back and makes a claim of
            # the company keeps it the subject into the paragraph after it, as naming it would.
            context = dataclasses.replace(active, start=sentence.start, end=sentence.start)
    claims = _dedupe(article, ctx, candidates)
    return Analysis(article=article, data=ctx.data, candidates=candidates, claims=claims)


# Which statement cues make a figure-less claim with which topic cues: a company's own cloud
# name ("Azure") only with a change of course or a market position ("Azure's deceleration"),
# a topic word with a plan too ("will build a data centre").
_STATEMENT_KINDS_FOR_TOPIC_WORD = ("plan", "change", "position")
_STATEMENT_KINDS_FOR_ALIAS = ("change", "position")
_STATEMENT_REACH = 60  # bytes between a topic cue and the statement cue that goes with it


def _statements(ctx: Context, sentence: Sentence, mentions: Sequence[Mention], context: Mention | None,
                judged: Sequence[Candidate]) -> list[Candidate]:
    """Figure-less claims: a plan, a change of course or a market position of one company on a
    topic ("will raise capex", "cloud growth slowed", "trails the market leader")."""
    # A company whose figures this sentence gives says what it says through them.
    with_figures = {c.company for c in judged if c.dropped is None and c.company}
    if _hits_in(ctx, sentence.start, sentence.end, "aggregate") or \
            _hits_in(ctx, sentence.start, sentence.end, "forecaster") or \
            _excluded(ctx, sentence.start, sentence.end) is not None:
        return []
    # A research house cited for a ranking ("IDC: Baidu AI Cloud ranked first") reports a market
    # position, which is labelled like a market share; plans and changes it reports are estimates.
    kinds = ("position",) if _hits_in(ctx, sentence.start, sentence.end, "estimate") else \
        _STATEMENT_KINDS_FOR_TOPIC_WORD
    statements: list[tuple[int, int, str, str]] = []
    for hit in _gap_hits(ctx, sentence.start, sentence.end):
        for rule in hit.rules:
            if rule.kind in kinds:
                statements.append((hit.start, hit.end, rule.kind, rule.id))
                break
    ratio = _vague_revenue_share(ctx, sentence, mentions, context, with_figures)
    if not statements:
        return ratio
    best: dict[str, tuple[int, Candidate]] = {}
    for hit in _gap_hits(ctx, sentence.start, sentence.end):
        topic_rule = next((r for r in hit.rules if r.topic and r.kind in ("topic", "company")), None)
        if topic_rule is None or topic_rule.topic is None:
            continue
        is_alias = topic_rule.kind == "company"
        allowed = _STATEMENT_KINDS_FOR_ALIAS if is_alias else _STATEMENT_KINDS_FOR_TOPIC_WORD
        near = [s for s in statements if s[2] in allowed
                and _distance(s[0], s[1], hit.start, hit.end) <= _STATEMENT_REACH]
        if not near:
            continue
        statement = min(near, key=lambda s: _distance(s[0], s[1], hit.start, hit.end))
        mention, _ = _attribute(ctx, hit.start, hit.end, mentions, context)
        if topic_rule.kind == "company":
            mention = next((m for m in mentions if m.start == hit.start), mention)
        if mention is None or mention.company.startswith("other:") or mention.company in with_figures \
                or mention.passing:
            continue
        distance = _distance(statement[0], statement[1], hit.start, hit.end)
        rules = [(mention.rule.id, mention.start, mention.end), (topic_rule.id, hit.start, hit.end),
                 (statement[3], statement[0], statement[1])]
        cand = Candidate(sentence=sentence, figure=None, company=mention.company, topic=topic_rule.topic,
                         rules=rules, statement=statement[2])
        cand.period = _period(ctx, sentence, sentence.start, sentence.end, hit.start)
        # One statement per company and sentence: the topic whose cue sits closest to it.
        if mention.company not in best or distance < best[mention.company][0]:
            best[mention.company] = (distance, cand)
    return [cand for _, cand in best.values() if (cand.company, cand.topic) not in {
        (r.company, r.topic) for r in ratio}] + ratio


def _vague_revenue_share(ctx: Context, sentence: Sentence, mentions: Sequence[Mention],
                         context: Mention | None, with_figures: set[str]) -> list[Candidate]:
    """'capex will be in the low teens as a percentage of revenue', '资本开支将占收入的低两位数百分比':
    a capex plan said as a share of revenue in words, a claim without an amount."""
    vague = _hits_in(ctx, sentence.start, sentence.end, "vague_share")
    if not vague or not _hits_in(ctx, sentence.start, sentence.end, "of_revenue"):
        return []
    cue = _capex_cue(ctx, sentence.start, sentence.end)
    if cue is None:
        return []
    mention, _ = _attribute(ctx, cue[1], cue[2], mentions, context)
    if mention is None or mention.company.startswith("other:") or mention.passing or mention.company in with_figures:
        return []
    hit, rule = vague[0]
    cand = Candidate(sentence=sentence, figure=None, company=mention.company, topic="capex",
                     rules=[(mention.rule.id, mention.start, mention.end), cue, (rule.id, hit.start, hit.end)],
                     statement="revenue share")
    cand.period = _period(ctx, sentence, sentence.start, sentence.end, hit.start)
    return [cand]


def _carries_context(ctx: Context, sentence: Sentence, context: Mention) -> bool:
    """The company of an earlier sentence stays in force within its paragraph, and beyond it
    in a sentence that refers back ("the company", "同社")."""
    earlier = ctx.sentences[_sentence_of(ctx, context.start)]
    if sentence.paragraph - earlier.paragraph <= CARRY_PARAGRAPHS:
        return True
    return bool(_hits_in(ctx, sentence.start, sentence.end, "anaphor"))


def _judge(ctx: Context, sentence: Sentence, fig: Figure, mentions: Sequence[Mention],
           context: Mention | None, siblings: Sequence[Figure] = (),
           previous_topic: tuple[str, str] | None = None) -> Candidate:
    cand = Candidate(sentence=sentence, figure=fig, rules=list(fig.rules))
    if fig.kind in ("year", "bare", "points"):
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
    if fig.unit == "rank" and any(s.kind == "percent" and _clause_bounds(ctx, s.start) == _clause_bounds(ctx, fig.start)
                                  for s in siblings):
        # "以6.1%的份额排名第四", "came fourth with 8%": the share says the position.
        cand.dropped = "rank beside the market share that sets it"
        return cand
    if fig.kind == "count" and _range_from(ctx, fig):
        # "91 availability zones, up from 87 zones": the level it grew from is no footprint now.
        cand.dropped = "starting point of a change ('from')"
        return cand
    if fig.kind == "percent" and fig.rate_of is not None:
        if fig.rate_of.change_pct == fig.change_pct:
            cand.dropped = "growth rate attached to the figure it describes"
        else:
            cand.dropped = "another rate of a figure that already has one"
        return cand
    lo, hi = _clause_bounds(ctx, fig.start)
    share = _share_cue(ctx, sentence, fig)
    estimate = _hits_in(ctx, lo, hi, "estimate")
    if estimate and share is None:  # market-share data from research houses is labelled
        hit, rule = estimate[0]
        cand.rules.append((rule.id, hit.start, hit.end))
        cand.dropped = f"estimate ('{_text(ctx.data, hit.start, hit.end)}')"
        return cand
    forecast = _hits_in(ctx, sentence.start, sentence.end, "forecaster")
    if forecast and share is None:
        hit, rule = forecast[0]
        cand.rules.append((rule.id, hit.start, hit.end))
        cand.dropped = f"forecast by someone else ('{_text(ctx.data, hit.start, hit.end)}')"
        return cand
    excluded = _excluded(ctx, lo, hi)
    if excluded is not None:
        hit, rule = excluded
        cand.rules.append((rule.id, hit.start, hit.end))
        cand.dropped = f"excluded subject ('{_text(ctx.data, hit.start, hit.end)}')"
        return cand
    mention, how = _attribute(ctx, fig.start, fig.end, mentions, context)
    named = {m.company for m in mentions if not m.weak}
    summed = _hits_in(ctx, sentence.start, sentence.end, "sum") if len(named) >= 2 else []
    # An aggregate elsewhere in the sentence counts when the figure's clause names no company of
    # its own, not even by referring back ("Its fleet ran at 1.09, against an industry average").
    aggregate = summed or _hits_in(ctx, lo, hi, "aggregate") or (
        _hits_in(ctx, sentence.start, sentence.end, "aggregate") if (mention is None or not (
            sentence.start <= mention.start < sentence.end)) and not _hits_in(ctx, lo, hi, "anaphor") else [])
    if aggregate:
        hit, rule = aggregate[0]
        cand.rules.append((rule.id, hit.start, hit.end))
        cand.dropped = f"industry aggregate ('{_text(ctx.data, hit.start, hit.end)}')"
        return cand
    if mention is None:
        if ctx.title_company and _hits_in(ctx, sentence.start, sentence.end, "anaphor"):
            cand.company = ctx.title_company
            cand.rules.append(("grammar.title_company", sentence.start, sentence.start))
        else:
            cand.dropped = "attribution: no company named"
            return cand
    else:
        cand.rules.append((mention.rule.id, mention.start, mention.end))
        if mention.company.startswith("other:"):
            cand.dropped = f"other company ('{_text(ctx.data, mention.start, mention.end)}', {how})"
            return cand
        cand.company = mention.company
    revenue_share = _revenue_share(ctx, sentence, fig, lo, hi)
    topic: str | None
    trace: Trace | None
    if revenue_share is not None:
        topic, why, trace = "capex", "capex as a share of revenue", revenue_share
        fig.unit = "% of revenue"
    else:
        topic, why, trace = _choose_topic(ctx, fig)
    if topic is None and mention is not None and why.startswith("group metric") and mention.rule.topic \
            and not (sentence.start <= mention.start < sentence.end) \
            and _hits_in(ctx, sentence.start, sentence.end, "anaphor"):
        # "Google Cloud ... . Sales at the unit climbed 34% to $15.2 billion.": a metric of the
        # unit an earlier sentence named by its cloud alias is that unit's.
        topic, why, trace = mention.rule.topic, "metric of the unit named earlier", (
            mention.rule.id, mention.start, mention.end)
    if topic is None and why == "no topic cue" and previous_topic is not None \
            and previous_topic[0] == fig.kind and not _hits_in(ctx, sentence.start, sentence.end, "metric") \
            and not _hits_in(ctx, sentence.start, sentence.end, "group_metric"):
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
    if fig.kind == "multiplier" and topic == "capex":
        # "will nearly double its investments": press arithmetic on two spending figures, not a
        # figure of its own (a footprint or an energy target that doubles is one).
        cand.dropped = "multiplier of spending"
        return cand
    if fig.full and topic != "energy":
        cand.dropped = "a whole share in words outside energy"
        return cand
    if fig.kind == "percent" and fig.change_pct is None and topic != "energy" and revenue_share is None:
        if share is None or topic != "cloud":
            cand.dropped = "percentage without growth wording or market-share cue"
            return cand
        hit, rule = share
        cand.rules.append((rule.id, hit.start, hit.end))
        fig.unit = rule.unit or "% market share"
    cand.period = _period(ctx, sentence, lo, hi, fig.start)
    return cand


def _capex_cue(ctx: Context, lo: int, hi: int) -> Trace | None:
    """A capex cue that names spending itself ('capex', '资本开支'), not a verb such as 'invest'."""
    for hit, rule in _hits_in(ctx, lo, hi, "topic"):
        if rule.topic == "capex" and not rule.generic:
            return rule.id, hit.start, hit.end
    return None


def _revenue_share(ctx: Context, sentence: Sentence, fig: Figure, lo: int, hi: int) -> Trace | None:
    """'capex ..., accounting for 15% of revenue', '资本开支...占收入的约12%': a bare percentage
    with a share-of-revenue cue in its clause, in a sentence on capex, is capex as a share of
    revenue. The capex cue is returned as the trace."""
    if fig.kind != "percent" or fig.change_pct is not None or not _hits_in(ctx, lo, hi, "of_revenue"):
        return None
    return _capex_cue(ctx, sentence.start, fig.start)


def _excluded(ctx: Context, lo: int, hi: int) -> tuple[Hit, Rule] | None:
    """An excluded subject in [lo, hi): emissions always; a social programme ("skills",
    "charity") only when no specific topic noun (data centre, cloud, capex) shares the span."""
    found = _hits_in(ctx, lo, hi, "excluded")
    if not found:
        return None
    strict = [(hit, rule) for hit, rule in found if not rule.generic]
    if strict:
        return strict[0]
    specific = any(rule.topic and not rule.generic and rule.kind in ("topic", "count_noun")
                   for hit in _gap_hits(ctx, lo, hi) for rule in hit.rules)
    return None if specific else found[0]


def _share_cue(ctx: Context, sentence: Sentence, fig: Figure) -> tuple[Hit, Rule] | None:
    """A market-share cue ('share', '份额', 'Marktanteil') in the sentence of a bare percentage,
    or the rank word of a market rank (research houses' ranks are labelled like their shares)."""
    if fig.unit == "rank":
        return next(((hit, rule) for trace in fig.rules[1:] for hit in ctx.hits_by_start.get(trace[1], ())
                     for rule in hit.rules if rule.kind == "rank"), None)
    if fig.kind != "percent" or fig.change_pct is not None:
        return None
    found = _hits_in(ctx, sentence.start, sentence.end, "share") or _hits_in(ctx, sentence.start, sentence.end, "rank")
    return found[0] if found else None


def _same_figure(a: Figure, b: Figure) -> bool:
    if a.kind != b.kind and not (a.kind in ("percent",) or b.kind in ("percent",)):
        return False
    if a.kind == "percent" or b.kind == "percent":
        return a.kind == b.kind and a.change_pct == b.change_pct and a.value == b.value
    values_a = [(a.value, a.currency or a.unit)] + [(v, c) for v, c in a.alt_values]
    values_b = [(b.value, b.currency or b.unit)] + [(v, c) for v, c in b.alt_values]
    for va, ca in values_a:
        for vb, cb in values_b:
            if ca == cb and abs(va - vb) <= 0.015 * max(abs(va), abs(vb), 1e-9):
                return True
    return False


def _dedupe(article: Article, ctx: Context, candidates: list[Candidate]) -> list[tuple[Claim, Candidate]]:
    """One claim per distinct figure, company and topic; figure-less statements only where the
    article gives no figure for that company and topic (they restate what the figure says)."""
    kept: list[tuple[Claim, Candidate]] = []
    ordered = [c for c in candidates if c.figure is not None] + [c for c in candidates if c.figure is None]
    for cand in ordered:
        if cand.dropped is not None or cand.company is None or cand.topic is None:
            continue
        if len(kept) >= _MAX_CLAIMS:
            cand.dropped = f"more than {_MAX_CLAIMS} claims in one text"
            continue
        fig = cand.figure
        if fig is not None:
            repeat = next((k for _, k in kept if k.figure is not None and k.company == cand.company
                           and k.topic == cand.topic and _same_figure(k.figure, fig)), None)
            if repeat is not None:
                cand.dropped = "repeat of a figure already claimed"
                continue
        else:
            # A market position ("trails the leader", "ranked first") says what no figure of
            # revenue or spending says: it stands beside them.
            # So does a plan said as a share of revenue ("in the low teens of revenue").
            if (cand.statement != "position" or cand.topic != "cloud") and cand.statement != "revenue share" and any(
                    k.company == cand.company and k.topic == cand.topic and k.figure is not None
                    and not k.figure.ordinal for _, k in kept):
                cand.dropped = "the article gives a figure for this company and topic"
                continue
            if any(k.company == cand.company and k.topic == cand.topic and k.sentence == cand.sentence
                   for _, k in kept):
                cand.dropped = "statement already claimed from this sentence"
                continue
        kept.append((_to_claim(article, ctx, cand), cand))
    kept.sort(key=lambda pair: (pair[1].sentence.start, pair[1].figure.start if pair[1].figure else 0))
    return kept


def _quote(article: Article, ctx: Context, sentence: Sentence) -> str:
    start = len(ctx.data[:sentence.start].decode("utf-8", "ignore"))
    end = start + len(ctx.data[sentence.start:sentence.end].decode("utf-8", "ignore"))
    return article.text[start:end]


def _to_claim(article: Article, ctx: Context, cand: Candidate) -> Claim:
    fig = cand.figure
    amount = amount_max = change = None
    currency = unit = None
    if fig is not None:
        if fig.kind == "percent" and fig.change_pct is not None:
            change = fig.change_pct
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
        rules=tuple(dict.fromkeys(r[0] for r in cand.rules if r[0])),
    )


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
                lines.append(f"  rule {rule_id} on '{_text(data, start, end)}'")
    dropped = [c for c in analysis.candidates if c.dropped and (c.figure is None or c.figure.kind not in (
        "year", "bare"))]
    for cand in dropped:
        lines.append(f"DROPPED {_describe_figure(data, cand.figure)}: {cand.dropped}")
        lines.append(f"  in: {_text(data, cand.sentence.start, cand.sentence.end)[:160]}")
    return "\n".join(lines)


def _describe_figure(data: bytes, fig: Figure | None) -> str:
    if fig is None:
        return "(no figure)"
    parts = [f"'{_text(data, fig.start, fig.end)}'", f"{fig.kind}={fig.value:g}"]
    if fig.value_max is not None:
        parts.append(f"max={fig.value_max:g}")
    if fig.currency:
        parts.append(fig.currency)
    if fig.unit:
        parts.append(f"unit={fig.unit}")
    if fig.change_pct is not None:
        parts.append(f"change={fig.change_pct:g}%")
    return " ".join(parts)
