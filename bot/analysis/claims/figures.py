"""Figures: numbers with what surrounds them.

Digits with grouping and CJK numerals are found by one RE2 scan; each is assembled with the
currency, scale, unit, percent sign or counted noun beside it and classified (money, percent,
unit, count, multiplier, year, bare). Then: compound CJK numbers are joined ('5兆3000億'),
ranges merged ('$91-93 billion', 'between 10 and 12 GW'), bracketed conversions marked
('RMB 380 billion (USD 53 billion)'), market ranks read ('came in fourth'), and each growth rate
linked to the level it describes.
"""

from __future__ import annotations

import bisect
import itertools
import re
from dataclasses import dataclass, field
from itertools import compress
from operator import attrgetter, not_
from typing import Literal

import re2  # type: ignore[import-untyped]

from bot.analysis.claims.context import (
    Context,
    Trace,
    clause_bounds,
    hit_ending_at,
    hits_at,
    hits_between,
    hits_of_kind,
    segment_of,
    sentence_of,
)
from bot.analysis.claims.text import SPACE_BYTES, span_distance, span_text
from bot.analysis.rulebook import Hit, Rule, RuleSet, grammar_terms, is_cjk, is_hangul, iter_spans

FigureKind = Literal["money", "percent", "unit", "count", "multiplier", "year", "bare", "points"]
_NUMBER_DOT = "[0-9]{1,3}(?:[, ][0-9]{3})+(?:\\.[0-9]{1,6})?|[0-9]{1,16}(?:\\.[0-9]{1,6})?"
_NUMBER_COMMA = "[0-9]{1,3}(?:[. ][0-9]{3})+(?:,[0-9]{1,6})?|[0-9]{1,16}(?:,[0-9]{1,6})?"

# CJK numerals count only before a scale or a multiplier character (三千八百亿, 十倍).
_CJK_SUFFIXES = "万亿|萬億|亿|億|兆|万|萬|倍"
_CJK_SUFFIX_LIST = sorted(_CJK_SUFFIXES.split("|"), key=len, reverse=True)
_CJK_VAGUE = frozenset("数數几幾多上")
_MAX_FIGURES = 1500  # numbers read per text; an article has a few dozen
# Kinds of hit that make a figure written in words (read in find_figures).
_WORD_FIGURE_KINDS = frozenset({"ordinal", "count_word", "number_word", "full_share", "multiplier"})
_MAX_GAP = 3  # bytes of whitespace allowed between a number and its scale or currency


@dataclass(slots=True)
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
    upper_end_of: Figure | None = None  # the upper end of a range written with its conversions
    alt_values: list[tuple[float, str | None]] = field(default_factory=list)
    rate_of: Figure | None = None
    prior_of: Figure | None = None  # "26 % of revenue, up from 20 %": the level this one was before
    topic: str | None = None  # implied by the measure that names it (PUE -> energy)
    ordinal: bool = False  # "its third data centre": one launch, not a footprint figure
    full: bool = False  # "entirely on clean power": a 100 % share said in words (energy only)


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


def find_figures(ctx: Context) -> list[Figure]:
    rs, data = ctx.rs, ctx.data
    figures: list[Figure] = []
    numerals = dict(rs.numerals)
    for start, end in iter_spans(_number_pattern(rs), data):
        if len(figures) >= _MAX_FIGURES:
            break
        if data[start] < 0x80:  # digits
            if _glued_to_word(ctx, start, end):
                continue
            digits = data[start:end]
            if digits.isdigit():
                value = float(digits)  # (most numbers: no group or decimal mark to read)
            else:
                try:
                    value = parse_arabic(digits.decode(), rs.decimal_mark)
                except ValueError:
                    continue
        else:  # CJK numerals and the scale or multiplier character after them
            raw = data[start:end].decode("utf-8")
            suffix = next(s for s in _CJK_SUFFIX_LIST if raw.endswith(s))
            end -= len(suffix.encode("utf-8"))
            if start >= 3 and span_text(data, start - 3, start) in _CJK_VAGUE:
                continue
            value = parse_cjk_numeral(raw[:-len(suffix)], numerals)
        figures.append(_assemble(ctx, start, end, value))
    hits = ctx.hits if not _WORD_FIGURE_KINDS.isdisjoint(ctx.by_kind) else []
    # (most hits are no figure written in words: left out at C speed, before the five lookups below)
    for hit in compress(hits, map(not_, map(_WORD_FIGURE_KINDS.isdisjoint, map(_TERM_KINDS, hits)))):
        ordinal = hit.first("ordinal")
        rank = (hit if "rank" in hit.kinds() else _rank_beside(ctx, hit)) \
            if ordinal is not None and ordinal.value is not None else None
        if ordinal is not None and ordinal.value is not None and rank is not None:
            # "came in fourth", "the second-largest provider", "排名第一": a market rank.
            figures.append(Figure(hit.start, hit.end, "count", ordinal.value, unit="rank",
                                  rules=[(ordinal.id, hit.start, hit.end), (rank.rules[0].id, rank.start, rank.end)]))
            continue
        counted = hit.first("count_word") or ordinal
        if counted is not None and counted.value is not None:
            noun = _count_noun_after(ctx, hit.end)
            # A number word counts only the noun right after it ("three zones", "第三個可用區"),
            # not one a few words on ("兩個地點設有資料中心": two sites); the company's cloud name
            # between them qualifies the noun ("three Azure regions", "두 개의 애저 리전").
            gap = _gap_without_names(ctx, hit.end, noun[0].start) if noun is not None else ""
            if noun is not None and len(gap.split()) <= 2 and not any(is_cjk(ch) for ch in gap.lstrip(_CJK_NEW)):
                figures.append(Figure(hit.start, hit.end, "count", counted.value, unit=noun[1].unit,
                                      rules=[(counted.id, hit.start, hit.end),
                                             (noun[1].id, noun[0].start, noun[0].end)],
                                      ordinal=counted.kind == "ordinal"))
            elif counted.kind == "count_word" and (
                    sited := _counted_before(ctx, hit.start, hit.end)) is not None:
                counter, facility, facility_rule = sited
                figures.append(Figure(hit.start, counter.end, "count", counted.value, unit=facility_rule.unit,
                                      rules=[(counted.id, hit.start, hit.end), (counter.rules[0].id, counter.start,
                                             counter.end), (facility_rule.id, facility.start, facility.end)]))
        worded = hit.first("number_word") or counted
        after = hits_at(ctx, _skip_space(ctx.data, hit.end), ("scale", "unit")) if worded is not None else None
        if worded is not None and worded.value is not None and after is not None and (
                after[1].kind == "scale" or after[1].unit != "x"):
            # "rund eine Milliarde Euro", "three billion dollars": a number word before a scale;
            # "nearly one gigawatt", "ein Gigawatt": before a unit of measure ("one times" is none).
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
        if rule is not None and rule.value is not None and not (hit.first("unit") and _number_ends_at(ctx, hit.start)):
            # "倍以上" alone is "more than double"; after a number ("3倍以上") it is that
            # number's unit, read with the number.
            figures.append(Figure(hit.start, hit.end, "multiplier", rule.value, unit="x",
                                  rules=[(rule.id, hit.start, hit.end)]))
    figures.sort(key=lambda f: f.start)
    _merge_compounds(ctx, figures)
    _merge_ranges(ctx, figures)
    figures = [f for f in figures if f.kind != "bare" or f.value_max is not None or f.scale]
    _carry_list_currency(ctx, figures)
    if _mark_conversions(ctx, figures):
        _merge_converted_ranges(ctx, figures)  # (it reads the conversions marked: none, nothing to do)
    _link_rates(ctx, figures)
    return figures


def _number_ends_at(ctx: Context, pos: int) -> bool:
    before = span_text(ctx.data, max(0, pos - 3), pos)[-1:]
    return before.isdigit() or before in ctx.rs.numerals


def _rank_beside(ctx: Context, hit: Hit) -> Hit | None:
    """A rank word right before an ordinal ('ranked third') or right after it ('fourth-largest',
    'second biggest', '第一大'), with at most a blank or a hyphen between them."""
    cjk = _cjk_rank_before(ctx, hit)
    if cjk is not None:
        return cjk
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


_CJK_RANK_REACH = 30  # bytes from a Chinese rank verb to its ordinal: about ten characters


def _cjk_rank_before(ctx: Context, hit: Hit) -> Hit | None:
    """'位居全球云市场第三', '排名中国公有云市场第二': a Chinese rank verb takes the market it ranks in
    as its object before the ordinal; a verb of two characters or more a few characters before a
    CJK ordinal, with no digit or punctuation between, makes it a rank."""
    term = span_text(ctx.data, hit.start, hit.end)
    if not term or not is_cjk(term[0]):
        return None
    lo = max(0, hit.start - _CJK_RANK_REACH)
    for before in reversed(hits_between(ctx, lo, hit.start)):
        if "rank" not in before.kinds() or len(span_text(ctx.data, before.start, before.end)) < 2:
            continue
        gap = span_text(ctx.data, before.end, hit.start)
        if all(is_cjk(ch) for ch in gap):
            return before
    return None


def _merge_compounds(ctx: Context, figures: list[Figure]) -> None:
    """'5兆3000億円', '1万2000': a CJK-scaled number directly followed by a number with a smaller
    CJK scale is one figure (their sum), with the currency or unit of the second part. Korean
    spaces its parts ('49조 7000억 원'): there one space may stand between them."""
    gap = 1 if ctx.rs.lang == "ko" else 0
    ends = set(map(_END, figures))
    if gap:
        ends.update([end + gap for end in ends])
    if ends.isdisjoint(map(_START, figures)):
        return  # (no number starts where another ends, as the second part of a compound does)
    i = 0
    while i + 1 < len(figures):
        big, small = figures[i], figures[i + 1]
        if ((small.start == big.end or (small.start - big.end == gap and ctx.data[big.end] == _SPACE))
                and big.scale and small.scale and small.scale < big.scale
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


_SPACE = ord(" ")


# What may close an item of a list of amounts: "RMB 101.3 billion, ... 39.8 billion and ... 34.7 billion".
_ITEM_ENDS = (b",", b";", b".", b")", "、".encode(), "；".encode(), "，".encode(), "。".encode(), "）".encode())
# The list_joiner words of every table ("and", "o", "и"), each between spaces.
_ITEM_JOINERS = tuple(f" {word} ".encode() for word in grammar_terms("list_joiner"))
_CARRY_SCALE = 1e6  # a scale of millions or more: a bare "39.8 billion" is an amount, not a count


def _carry_list_currency(ctx: Context, figures: list[Figure]) -> None:
    """A currency named once carries to the bare amounts after it: 'ingresos de 3.200 millones de
    euros, de los cuales 1.100 millones ...', 'R$ 4 bilhões, sendo 1,5 bilhão em nuvem', 'a list of
    39.800 millones y 34.700 millones'. A number with a scale of millions or more and no currency
    takes the currency of the nearest money amount before it, in its sentence or the sentence before
    in the same paragraph, unless a noun it counts follows the scale ('5 millones de usuarios',
    '2 Mrd. Nutzer'). It never becomes a count of facilities: counted in millions it is money."""
    last: Figure | None = None
    last_sentence = -1
    for fig in figures:
        if fig.kind == "money" and fig.currency is not None and fig.conversion_of is None:
            last, last_sentence = fig, sentence_of(ctx, fig.start)
            continue
        if last is None or fig.kind not in ("bare", "count") or not fig.scale or fig.scale < _CARRY_SCALE \
                or fig.currency is not None or fig.ordinal:
            continue
        here = sentence_of(ctx, fig.start)
        if here != last_sentence and not (
                here == last_sentence + 1
                and ctx.sentences[here].paragraph == ctx.sentences[last_sentence].paragraph):
            continue
        scale_end = next((t[2] for t in fig.rules if ".scale." in t[0]), fig.end)
        if fig.kind == "count":
            # '14 Mrd. auf Server', '1.000 millones en servidores', '2 billion on servers': a
            # preposition between the scale and the noun makes money spent on the things, not
            # their count ('1 millón de servidores', '2 Mio. Server' stay counts).
            after = _skip_space(ctx.data, scale_end)
            word = _WORD_AT.match(ctx.data[after:after + 40].decode("utf-8", "ignore"))
            if word is None or _counts_a_noun(ctx, scale_end) or (
                    ctx.rs.lang == "en" and word.group(0).lower() not in _EN_SPENT_ON):
                continue
        else:
            if _counts_a_noun(ctx, max([fig.end] + [t[2] for t in fig.rules])):
                continue
        fig.kind, fig.currency, fig.currency_generic, fig.unit = "money", last.currency, last.currency_generic, None
        fig.rules.append(("grammar.carried_currency", last.start, last.end))


# Kinds of hit after a scale that make the number a count of something, not an amount of money.
_COUNTED_AFTER = ("linker", "count_noun", "excluded", "unit", "percent", "points")


def _counts_a_noun(ctx: Context, end: int) -> bool:
    """'5 millones de usuarios', '2 miliardi di persone', '1,2 Mrd. Nutzer', '3 million rides': what
    follows the scale is the thing counted. In the Romance languages a linker (de, di) brings the
    noun (a currency after it was read already); German capitalises it; English writes it bare, most
    often plural; Russian writes it bare in the genitive, so there only a preposition may follow.
    Punctuation, a joiner, a preposition or a verb leave the amount bare: money."""
    pos = _skip_space(ctx.data, end)
    if hits_at(ctx, pos, _COUNTED_AFTER) is not None:
        return True
    word = _WORD_AT.match(ctx.data[pos:pos + 40].decode("utf-8", "ignore"))
    if word is None:
        return False
    text, lang = word.group(0), ctx.rs.lang
    if lang == "de":
        return text[0].isupper()
    if lang == "en":
        low = text.lower()
        return low in _EN_BARE_NOUNS or (low.endswith("s") and not low.endswith("ss")
                                         and low not in _EN_NOT_PLURALS)
    if lang == "ru":
        return text.lower() not in _RU_AFTER_AMOUNT
    return False


_WORD_AT = re.compile(r"[^\W\d_]+")
# The words read after a bare amount, from the English and Russian tables (kinds not_plural,
# spent_on, bare_noun, after_amount; each with an invented example there).
_EN_NOT_PLURALS = frozenset(grammar_terms("not_plural"))
_EN_SPENT_ON = frozenset(grammar_terms("spent_on"))
_EN_BARE_NOUNS = frozenset(grammar_terms("bare_noun"))
_RU_AFTER_AMOUNT = frozenset(grammar_terms("after_amount"))


def _glued_to_word(ctx: Context, start: int, end: int) -> bool:
    """Digits inside a token such as 'Xe-100', 'GPT-4' or '25H2' are not figures."""
    data = ctx.data
    # The character before and after the digits. Asked for every number, so an ASCII byte (the
    # common case, and its own character; none at either end of the text) is read as bytes,
    # and only a multi-byte character is decoded (no ASCII letter is CJK).
    before = data[start - 1:start] if start else b""
    if before < b"\x80":
        if before.isalpha() and start not in ctx.hits_by_end:
            return True
        if before == b"-" and start >= 2 and span_text(data, max(0, start - 5), start - 1)[-1:].isalpha():
            return True
    else:
        char = span_text(data, max(0, start - 4), start)[-1:]
        # (the index first: a word of the tables ending at the number, "达", "投入", spares is_cjk)
        if char and start not in ctx.hits_by_end and char.isalpha() and not is_cjk(char):
            return True
    after = data[end:end + 1]
    if after < b"\x80":
        return after.isalpha() and end not in ctx.hits_by_start
    char = span_text(data, end, end + 4)[:1]
    return bool(char and end not in ctx.hits_by_start and char.isalpha() and not is_cjk(char))


def _skip_space(data: bytes, pos: int, limit: int = _MAX_GAP) -> int:
    """Past the blanks after a number (at most `limit`), and past the hyphen of '380-billion-yuan'.
    Asked several times for every number: the blanks are counted by lstrip, with no Python step
    per byte."""
    blanks = data[pos:pos + limit]
    pos += len(blanks) - len(blanks.lstrip(b" \t"))
    if data[pos:pos + 1] == b"-" and data[pos + 1:pos + 2].isalpha():
        pos += 1
    return pos


def _currency_before(ctx: Context, start: int) -> tuple[Hit, Rule] | None:
    """The currency word or sign that ends right before a number, or at most _MAX_GAP blanks
    before it. Asked for every number, so written flat: the blanks are walked back byte by byte
    (a slice per step cost more than the look-up)."""
    ending_at, data = ctx.hits_by_end, ctx.data
    pos = start
    while True:
        hit = ending_at.get(pos)
        if hit is not None:
            rule = hit.term.by_kind.get("currency")
            if rule is not None and data[hit.start] >= 0x80 and is_hangul(
                    span_text(data, hit.start, hit.start + 3)[:1]):  # (an ASCII sign is no Hangul)
                # Korean writes its currency words after the number ("4조 원", "27억 달러"): a
                # Hangul word before a number ends another word ("직원 100여 명", staff).
                return None
            return (hit, rule) if rule is not None else None
        if pos <= 0 or start - pos >= _MAX_GAP:
            return None
        pos -= 1
        if data[pos] not in SPACE_BYTES:
            return None


def _assemble(ctx: Context, start: int, end: int, value: float) -> Figure:
    """Look around a number for its currency, scale and unit, and classify it."""
    data = ctx.data
    # (asked for every number: a place where no lexicon hit starts, most places after a number,
    # is told by the index, before any look-up of kinds there)
    hit_at = ctx.hits_by_start
    figure = Figure(start, end, "bare", value)
    pre = _currency_before(ctx, start)
    if pre is not None:
        _set_currency(figure, pre[1], pre[0])
    pos = end
    nxt = _skip_space(data, pos)
    scale = hits_at(ctx, nxt, ("scale",)) if nxt in hit_at else None
    if scale is not None:
        hit, rule = scale
        figure.scale = rule.value
        figure.rules.append((rule.id, hit.start, hit.end))
        pos = hit.end
        nxt = _skip_space(data, pos)
    for _ in range(2):  # currency words may come in two parts: 亿 元 人民币
        if nxt not in hit_at:
            break  # (no linker, currency, percent sign or unit starts there)
        linker = hits_at(ctx, nxt, ("linker",))
        if linker is not None and figure.currency is None:
            after_linker = _skip_space(data, linker[0].end)
            # "2,5 millions de mégawattheures": after a scale word, "de" may bring a unit too.
            kinds = ("currency", "unit") if figure.scale is not None else ("currency",)
            if hits_at(ctx, after_linker, kinds) is not None:
                nxt = after_linker
        found = hits_at(ctx, nxt, ("currency", "percent", "points", "unit"))
        if found is None:
            break
        hit, rule = found
        if rule.kind == "currency":
            _set_currency(figure, rule, hit)
            pos = hit.end
            nxt = _skip_space(data, pos)
            continue
        if figure.currency is None and rule.kind in ("percent", "points"):
            figure.kind = "percent" if rule.kind == "percent" else "points"
            if rule.kind == "percent" and rule.value:
                figure.value *= rule.value  # tenths counted in words: 8成, 3割 are 80 % and 30 %
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
        measure = _measure_before(ctx, start) if figure.scale is None and not (
            value.is_integer() and 1980 <= value <= 2100) else None
        if figure.scale is None and value.is_integer() and 1980 <= value <= 2100 and \
                data[end:end + 3] == "年".encode():
            figure.kind = "year"
        elif measure is not None:
            hit, rule = measure
            figure.kind, figure.unit, figure.topic = "unit", rule.unit, rule.topic
            figure.rules.append((rule.id, hit.start, hit.end))
        elif count is not None and (figure.scale is None or count[0].start - pos <= 24) and not (
                figure.scale is not None and figure.scale >= 1e6 and count[1].unit in _FACILITY_UNITS) and not (
                value.is_integer() and 1980 <= value <= 2100 and span_text(data, end, count[0].start).strip()):
            # "d'ici 2030 dans ses centres de données": a year a word or two before a counted
            # noun is a year; only a noun right after it ("2030 servers") is counted.
            hit, rule = count
            figure.kind, figure.unit = "count", rule.unit
            head = span_text(data, hit.start, hit.start + 3)[:1]
            if figure.scale is None and hit.start == end and head in _NOUN_SCALES:
                # "5万台服务器", "3万卡": the noun's term opens with the scale of the number glued to it.
                figure.scale = _NOUN_SCALES[head]
            # "3カ所目のデータセンター", "2番目のリージョン": a counter followed by 目 makes an
            # ordinal, the launch of one facility, not a footprint of three.
            figure.ordinal = _ORDINAL_SUFFIX in span_text(data, end, hit.end)
            figure.rules.append((rule.id, hit.start, hit.end))
        elif figure.scale is None and end in hit_at and (counted := _counted_before(ctx, start, end)) is not None:
            # (a counter glued to the number starts a hit right at its end)
            counter, noun, rule = counted
            figure.kind, figure.unit = "count", rule.unit
            head = span_text(data, counter.start, counter.start + 3)[:1]
            if head in _NOUN_SCALES:
                # "服务器…约4万台": a counter term opens with the scale of the number glued to it.
                figure.scale = _NOUN_SCALES[head]
            figure.ordinal = span_text(data, counter.end, counter.end + 3) == _ORDINAL_SUFFIX
            figure.end = counter.end
            figure.rules.append((counter.rules[0].id, counter.start, counter.end))
            figure.rules.append((rule.id, noun.start, noun.end))
        elif figure.scale is None and "count_of" in ctx.by_kind and not (
                value.is_integer() and 1980 <= value <= 2100) and (
                named := _number_of_named(ctx, start, end)) is not None:
            cue, noun, rule = named
            figure.kind, figure.unit = "count", rule.unit
            figure.rules.append((cue.rules[0].id, cue.start, cue.end))
            figure.rules.append((rule.id, noun.start, noun.end))
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


# Facilities counted in millions do not exist: "destinará 1.200 millones a centros de datos" is
# money whose currency the sentence leaves unsaid, not 1.2 billion data centres (servers and chips
# do run to millions).
_FACILITY_UNITS = frozenset({"data centres", "cloud regions", "availability zones", "countries"})
_MEASURE_REACH = 80  # bytes between a measure cue ("PUE", "電力使用効率") and its value
_MEASURE_HITS = 12  # lexicon hits looked back over ("Le PUE moyen des centres de données de X est tombé à")
_YEAR_IN_GAP = re2.compile(r"\b(?:19|20)\d\d\b")


def _measure_before(ctx: Context, start: int) -> tuple[Hit, Rule] | None:
    """'a power usage effectiveness of 1.12', 'PUE为1.10', 'Le PUE moyen de ses centres est tombé à
    1,15', 'Der PUE-Wert lag 2025 bei 1,15': a measure named before a bare number in its clause
    gives it its unit, when no other number (a year aside) or clause comma stands between them."""
    i = bisect.bisect_left(ctx.hit_starts, start)
    for hit in reversed(ctx.hits[max(0, i - _MEASURE_HITS):i]):
        if start - hit.end > _MEASURE_REACH:
            return None
        rule = hit.first("measure")
        if rule is None:
            continue
        gap = _YEAR_IN_GAP.sub("", span_text(ctx.data, hit.end, start))
        if any(ch.isdigit() or ch in ",;，、；。" for ch in gap):
            return None
        return hit, rule
    return None


def _is_cjk_scale(ctx: Context, figure: Figure) -> bool:
    scale_trace = next((t for t in figure.rules if ".scale." in t[0]), None)
    return scale_trace is not None and is_cjk(span_text(ctx.data, scale_trace[1], scale_trace[2])[:1])


def _set_currency(figure: Figure, rule: Rule, hit: Hit) -> None:
    if figure.currency is None or figure.currency_generic:
        figure.currency = rule.currency
        figure.currency_generic = rule.generic
    figure.rules.append((rule.id, hit.start, hit.end))


# Counters glued to a number that make it a span of time: "향후 2년간 데이터센터 용량",
# "今後3年間でデータセンター" count years, not data centres.
_ORDINAL_SUFFIX = "目"  # Japanese: 3カ所目 (the third place), 2番目 (the second)
_DURATION_COUNTERS = ("年", "년", "개월", "분기", "か月", "ヶ月", "カ月", "个月", "個月", "季度")


def _count_noun_after(ctx: Context, end: int) -> tuple[Hit, Rule] | None:
    """'12 regions', '3 new data centres', '3座新的資料中心': a counted noun a few words on."""
    i = bisect.bisect_left(ctx.hit_starts, end)
    for hit in ctx.hits[i:i + 4]:
        if hit.start - end > 24:
            break
        rule = hit.first("count_noun")
        if rule is None:
            continue
        gap = _gap_without_names(ctx, end, hit.start)
        if rule.unit in _CHIP_UNITS:
            gap = _without_product_names(gap)
        if any(ch.isdigit() or ch in ",.;:()，。；：（）" for ch in gap) or len(gap.split()) > 2:
            return None
        if sum(1 for ch in gap.lstrip("".join(_NOUN_SCALES)) if is_cjk(ch)) > 4 or gap.startswith(_DURATION_COUNTERS):
            return None
        return hit, rule
    return None



# "三个新地域", "兩個新的資料中心": "new" between a count word and its noun (the count is the noun's).
_CJK_NEW = "全新的"

# Scale characters a counted noun's term may open with ("万台服务器", "万卡"): the number before
# it is counted in that scale.
_NOUN_SCALES = {"万": 1e4, "萬": 1e4, "亿": 1e8, "億": 1e8}


# Chips and servers are counted with their product name or owner between the number and the
# noun: "30,000 Nvidia H100 GPUs", "30,000 of its own Kunlun chips", "30.000 eigene Kunlun-Chips".
_CHIP_UNITS = frozenset({"servers", "accelerator cards"})
_OWN_WORDS = frozenset({"of", "its", "their", "own", "eigene", "eigenen", "seine", "seiner", "ihre"})


def _without_product_names(gap: str) -> str:
    """The gap less possessive words and product names (a capitalised word, a model number)."""
    return " ".join(word for word in gap.split() if word.casefold() not in _OWN_WORDS and not (
        word[:1].isupper() or (any(ch.isdigit() for ch in word) and any(ch.isalpha() for ch in word))))


def _gap_without_names(ctx: Context, lo: int, hi: int) -> str:
    """The text of [lo, hi) less the company names in it, with the brackets around one: 'three
    Azure regions', '3つのAzureリージョン', '두 개의 애저(Azure) 클라우드 리전' count the regions,
    the name says whose they are."""
    names = [(h.start, h.end) for h in hits_between(ctx, lo, hi) if "company" in h.term.kinds]
    if not names:
        return span_text(ctx.data, lo, hi)
    parts, pos = [], lo
    for start, end in names:
        if start < pos:
            continue
        parts.append(span_text(ctx.data, pos, start))
        pos = end
        close = ctx.data.find(b")", pos, hi)
        if ctx.data[pos:pos + 1] == b"(" and any(  # "애저(Azure)": the name again in Latin script
                n == (pos + 1, close) for n in names):
            pos = close + 1
    parts.append(span_text(ctx.data, pos, hi))
    return " ".join(p.strip() for p in parts if p.strip())


_COUNTER_REACH = 72  # bytes from the facility noun back to its count: about 20 CJK characters


def _counted_before(ctx: Context, start: int, end: int) -> tuple[Hit, Hit, Rule] | None:
    """'データセンターは国内外に30か所設けており': the facility noun is the topic of the sentence
    and its count follows with a counter (か所, 拠点, 座). The counter must be glued to the
    number, and the noun stand before it in the sentence with no other number between."""
    found = hits_at(ctx, end, ("counter",))
    if found is None:
        return None
    counter, counts = found
    # "在德州兩個地點設有資料中心": the sites counted are those the verb right after them gives a
    # facility (a count of sites with data centres is a count of data-centre sites, R2).
    verb = hits_at(ctx, counter.end, ("facility_verb",))
    after = hits_at(ctx, verb[0].end, ("count_noun",)) if verb is not None else None
    if after is not None and after[1].topic == "cloud":
        return counter, after[0], after[1]
    sentence = ctx.sentences[sentence_of(ctx, start)]
    lo = max(sentence.start, start - _COUNTER_REACH)
    # (a counter of one kind of thing, "万台" of machines, counts only a noun of that unit)
    nouns = [(hit, rule) for hit, rule in hits_of_kind(ctx, lo, start, "count_noun") if rule.topic == "cloud"
             and counts.unit in (None, rule.unit)]
    if not nouns:
        return None
    noun, rule = nouns[-1]
    if any(ch.isdigit() or ch in "。；;" for ch in span_text(ctx.data, noun.end, start)):
        return None
    return counter, noun, rule


_NUMBER_OF_REACH = 80  # bytes between "the number of regions" and the count it is brought to


def _number_of_named(ctx: Context, start: int, end: int) -> tuple[Hit, Hit, Rule] | None:
    """'brings the number of Google Cloud regions worldwide to 44', 'porter à 25 000 le nombre de
    GPU': a count whose noun is named by 'the number of' before it, or right after it, in its
    clause, with no other number between them, counts that noun."""
    lo, hi = clause_bounds(ctx, start)
    for hit, _ in hits_of_kind(ctx, max(lo, start - _NUMBER_OF_REACH), min(hi, end + _NUMBER_OF_REACH), "count_of"):
        gap = span_text(ctx.data, hit.end, start) if hit.end <= start else span_text(ctx.data, end, hit.start)
        if any(ch.isdigit() for ch in gap) or (hit.start >= end and len(gap.split()) > 1):
            continue  # (after the number, only an article may stand between: "à 25 000 le nombre de")
        noun = _count_noun_after(ctx, hit.end)
        if noun is not None and noun[1].topic == "cloud" and (hit.start >= end or noun[0].end <= start):
            return hit, noun[0], noun[1]
    return None


def _gap_is(ctx: Context, start: int, end: int, kinds: set[str], extra: str = "") -> list[Hit] | None:
    """The hits of the given kinds that, with whitespace and `extra` chars, fill [start, end)."""
    used: list[Hit] = []
    pos = start
    for hit in hits_between(ctx, start, end):
        if hit.start < pos:
            continue
        if not kinds & hit.kinds():
            continue
        if span_text(ctx.data, pos, hit.start).strip(" \t" + extra):
            return None
        used.append(hit)
        pos = hit.end
    if span_text(ctx.data, pos, end).strip(" \t" + extra):
        return None
    return used


def _merge_ranges(ctx: Context, figures: list[Figure]) -> None:
    """'between $91 billion and $93 billion', '$60-65 billion', '91 à 93 milliards' -> one figure."""
    i = 0
    while i + 1 < len(figures):
        low, high = figures[i], figures[i + 1]
        # "$91-93 billion": the currency is written once before the range and the scale once
        # after it, so a money figure may close with a bare number that has only the scale.
        # (the distance first: most neighbours are too far apart to be a range)
        if high.start - low.end <= 24 and low.value_max is None and (
                low.kind in (high.kind, "bare") or (low.kind == "money" and high.kind == "bare")) \
                and high.kind in ("money", "unit", "percent", "count", "bare"):
            high_start = _back_over_currency(ctx, high.start)
            joint = (_gap_is(ctx, low.end, high_start, {"range", "range_and"})
                     if high_start > low.end else None)
            opened = _range_opened(ctx, low)
            ok = joint is not None and joint and (
                all("range" in h.kinds() for h in joint) or opened)
            if ok and not range_from(ctx, low):
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


def _merge_converted_ranges(ctx: Context, figures: list[Figure]) -> None:
    """'$175 billion (about NT$5.5 trillion) to $185 billion (about NT$5.8 trillion)': a range
    whose ends each carry a bracketed conversion; the range word stands after the first bracket."""
    own = [f for f in figures if f.conversion_of is None]
    for low, high in itertools.pairwise(own):
        if low.value_max is not None or low.kind != "money" or high.kind != "money" or low.currency != high.currency:
            continue
        bracket = next((f for f in figures if f.conversion_of is low), None)
        if bracket is None:
            continue
        close = ctx.data.find(b")", bracket.end, high.start)
        if close < 0:
            close = ctx.data.find("）".encode(), bracket.end, high.start)
            close = close + len("）".encode()) if close >= 0 else -1
        else:
            close += 1
        joint = _gap_is(ctx, close, _back_over_currency(ctx, high.start), {"range"}) if close > 0 else None
        if not joint:
            continue
        low.value_max = high.value
        low.rules.append((joint[0].rules[0].id, joint[0].start, joint[0].end))
        high.upper_end_of = low
        high.rules.append(("grammar.range_upper_end", low.start, high.end))


def _range_opened(ctx: Context, figure: Figure) -> bool:
    hit = hit_ending_at(ctx, _back_over_currency(ctx, figure.start))
    return hit is not None and "range_open" in hit.kinds()


def range_from(ctx: Context, figure: Figure) -> bool:
    """A from-word before the first number makes it a starting point, not a range start; a
    generic one ('von', 'de') only when that number has its own scale or currency ('von 52
    Mrd. auf 75 Mrd.'), since 'von 185 bis 195 Mrd.' and 'de 80 à 85 milliards' are ranges."""
    hit = hit_ending_at(ctx, _back_over_currency(ctx, figure.start))
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


def _mark_conversions(ctx: Context, figures: list[Figure]) -> bool:
    """'RMB 380 billion (USD 53 billion)': the bracketed figure is the same amount, converted.
    Whether any was found."""
    found = False
    for prev, fig in itertools.pairwise(figures):
        if prev.kind != fig.kind or fig.kind not in ("money", "unit") or fig.start - prev.end > 40:
            continue
        if prev.conversion_of is not None:
            continue
        fig_start = _back_over_currency(ctx, fig.start)
        if fig_start < prev.end:
            continue
        gap = _gap_is(ctx, prev.end, fig_start, {"approx"}, extra="(（,~≈")
        raw_gap = span_text(ctx.data, prev.end, fig_start)
        if gap is None or not ("(" in raw_gap or "（" in raw_gap or gap):
            continue
        fig.conversion_of = prev
        prev.alt_values.append((fig.value, fig.currency))
        fig.rules.append(("grammar.conversion", prev.start, fig.end))
        found = True
    return found


def _link_rates(ctx: Context, figures: list[Figure]) -> None:
    """A growth rate belongs to the nearest figure of its segment ('RMB 13bn, down 24%')."""
    by_sentence: dict[int, list[Figure]] = {}
    rates: list[tuple[Figure, int]] = []  # the percentages, with their sentence, in text order
    for fig in figures:
        here = sentence_of(ctx, fig.start)
        by_sentence.setdefault(here, []).append(fig)
        if fig.kind == "percent" and not fig.full:
            # (a share said in words, "its entire consumption", is no rate of change)
            rates.append((fig, here))
    for fig, sentence in rates:
        level = _level_before(ctx, fig, by_sentence[sentence])
        if level is not None:
            fig.prior_of = level
            fig.rules.append(("grammar.prior_level", level.start, fig.end))
            continue
        direction, trace = _direction(ctx, fig)
        if direction == 0:
            earlier = _earlier_growth(ctx, fig, by_sentence[sentence_of(ctx, fig.start)])
            if earlier is None:
                continue
            direction, trace = 1, earlier
        fig.direction = direction
        fig.change_pct = direction * fig.value
        fig.rules.append(trace)
        segment = segment_of(ctx, fig.start)
        # "completed 3.1 million rides, 212% more than a year before": a comparative's rate goes
        # with the number before it, even one that counts nothing the tables know.
        kinds = ("money", "unit", "count", "bare") if _is_comparative(ctx, trace) else ("money", "unit", "count")
        targets = [t for t in by_sentence[sentence] if t.kind in kinds
                   and t.unit != "rank" and t.conversion_of is None and segment_of(ctx, t.start) == segment]
        if not targets:
            continue
        target = targets[0] if len(targets) == 1 else min(
            targets, key=lambda t: span_distance(t.start, t.end, fig.start, fig.end))
        if _own_metric_clauses(ctx, fig, target):
            continue
        fig.rate_of = target
        if target.change_pct is None:
            target.change_pct = fig.change_pct
            target.rules.append(("grammar.growth_rate", fig.start, fig.end))


_SHARE_KINDS = ("share", "of_revenue", "margin")


def _earlier_growth(ctx: Context, fig: Figure, siblings: list[Figure]) -> Trace | None:
    """'rose 35% to 15 billion, after 32% in the prior quarter', 'contre 35 % au trimestre
    précédent': a bare percentage said against an earlier period, after a growth rate of the
    sentence, is the growth of that period (no growth word of its own: the comparison says it)."""
    if not any(s.end <= fig.start and s.change_pct is not None for s in siblings):
        return None
    found = hits_of_kind(ctx, *clause_bounds(ctx, fig.start), "earlier_period")
    if not found:
        return None
    hit, rule = found[0]
    return rule.id, hit.start, hit.end


def _level_before(ctx: Context, fig: Figure, siblings: list[Figure]) -> Figure | None:
    """'AI Cloud made up 26 % of the group's revenue, up from 20 %', 'its share rose to 11 % from
    10 %': a percentage right after a from-word, in a sentence that gives a share level before it,
    is the level that share had before: a second figure of the same measure (R1), not a growth
    rate."""
    hit = hit_ending_at(ctx, _back_over_currency(ctx, fig.start))
    if hit is not None and "approx" in hit.kinds():
        hit = hit_ending_at(ctx, hit.start - 1)  # "up from about 53%"
    if hit is None or "change_from" not in hit.kinds():
        return None
    sentence = ctx.sentences[sentence_of(ctx, fig.start)]
    before = [s for s in siblings if s.end <= hit.start and s.kind == "percent"]
    if not before or before[-1].change_pct is not None or before[-1].prior_of is not None:
        return None
    level = before[-1]
    if ctx.data[level.end:level.end + 4] != b" of " and not any(
            hits_of_kind(ctx, sentence.start, fig.start, kind) for kind in _SHARE_KINDS):
        return None  # ("26 percent of the group's revenue": a share of what follows)
    return level


def _own_metric_clauses(ctx: Context, rate: Figure, level: Figure) -> bool:
    """'Azure revenue up 27%, driving overall cloud sales to $46.7 billion': a rate and a level in
    two clauses that each name their own measure are two figures, not a level and its growth."""
    rate_clause, level_clause = clause_bounds(ctx, rate.start), clause_bounds(ctx, level.start)
    if rate_clause == level_clause:
        return False
    # (a segment that is not the cloud names a measure of its own: "while online marketing revenue fell 9%")
    return bool(hits_of_kind(ctx, *rate_clause, "metric") or hits_of_kind(ctx, *rate_clause, "group_metric")) \
        and bool(hits_of_kind(ctx, *level_clause, "metric"))


def _direction(ctx: Context, fig: Figure) -> tuple[int, Trace]:
    """+1/-1 from the nearest growth or decline word in the figure's clause, else 0."""
    lo, hi = clause_bounds(ctx, fig.start)
    after = _comparative_after(ctx, fig.end, hi)
    if after is not None:
        # "35.6 TWh, 27% more than a year earlier", "на 30% больше": the comparative right after
        # the percentage says the change it is, whatever other word the clause holds.
        return after
    best: tuple[int, int, Trace] | None = None
    yoy: Trace | None = None
    hits = hits_between(ctx, lo, hi)
    # (the hits of no growth, decline or year-on-year word, most of the clause, are left out at C speed)
    for hit in compress(hits, map(not_, map(_DIRECTION_KINDS.isdisjoint, map(_TERM_KINDS, hits)))):
        for rule in hit.rules:
            if rule.kind in ("increase", "decrease"):
                dist = span_distance(hit.start, hit.end, fig.start, fig.end)
                sign = 1 if rule.kind == "increase" else -1
                if best is None or dist < best[0]:
                    best = (dist, sign, (rule.id, hit.start, hit.end))
            elif rule.kind == "yoy":
                yoy = (rule.id, hit.start, hit.end)
    if best is not None:
        if hits_of_kind(ctx, min(best[2][2], fig.start), fig.start, "share"):
            # "increasing its share to 8.6%": the rise is said of the share, whose level follows.
            return 0, ("", 0, 0)
        if fig.kind == "percent" and hits_of_kind(ctx, lo, min(best[2][1], fig.start), "margin") \
                and not hits_of_kind(ctx, fig.end, hi, "points"):
            # "il margine operativo è salito al 23,7%", "영업이익률은 23.7%로 높아졌다": the rise is
            # said of the margin named before it, whose level the figure gives.
            return 0, ("", 0, 0)
        before = ctx.hits_by_end.get(fig.start - 1) or ctx.hits_by_end.get(fig.start)
        if before is not None and "range" in before.kinds() and best[2][2] <= before.start \
                and hits_of_kind(ctx, lo, fig.start, "share"):
            # "Microsoft's share rose to 24%": the share went up to the level the figure gives.
            return 0, ("", 0, 0)
        return best[1], best[2]
    if yoy is not None:
        return 1, yoy
    return 0, ("", 0, 0)


_START = attrgetter("start")
_END = attrgetter("end")
_DIRECTION_KINDS = frozenset({"increase", "decrease", "yoy"})
_TERM_KINDS = attrgetter("term.kinds")
_COMPARATIVE_GAP = 3  # bytes between a percentage and the comparative after it ("27% more", "27 % de plus")


def _is_comparative(ctx: Context, trace: Trace) -> bool:
    return any("comparative" in hit.term.by_kind for hit in ctx.hits_by_start.get(trace[1], ()))


def _comparative_after(ctx: Context, end: int, hi: int) -> tuple[int, Trace] | None:
    for hit, rule in hits_of_kind(ctx, end, min(hi, end + _COMPARATIVE_GAP + 16), "comparative"):
        if hit.start - end <= _COMPARATIVE_GAP and not span_text(ctx.data, end, hit.start).strip():
            return (1 if (rule.value or 0) > 0 else -1), (rule.id, hit.start, hit.end)
    return None
