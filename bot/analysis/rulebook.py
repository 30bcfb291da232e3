"""Rule tables for the claim extractor: loaded from the YAML files next to this module.

Every table is a flat list of rules. A rule has an `id`, a `kind`, the `terms` it matches
(literal phrases, matched case-insensitively unless `case_sensitive: true`), an `example`
sentence on which it must fire (a test checks this), and kind-specific fields:

    company        company: alibaba|tencent|baidu|microsoft|google; topic: (optional) topic it implies
    other_company  another firm; a figure attributed to it is dropped
    topic          topic: capex|cloud|energy; a cue that a figure or statement is on that topic
    metric         a financial measure (revenue, profit...); on-topic only with a topic cue beside it
    scale          value: multiplier of the number before it (billion, Mrd., 亿)
    currency       currency: ISO code; generic: true when a more specific currency word may follow (元)
    unit           unit: canonical unit (MW, kWh); factor: multiplier to reach it (kilowatt hours -> kWh)
    count_noun     unit: label for counted things (cloud regions); topic: topic the count is about;
                   with generic: true (a bare "región", "регион") a count or facility only in a
                   sentence with a cloud word, and no topic cue for other figures
    percent        a percent sign or word (%, per cent, Prozent); value: the percent one unit of
                   the word is (a tenth word: 成, 割 = 10)
    points         percentage points (a difference, not a growth rate)
    multiplier     value: a factor written as a word (tenfold, double, 十倍)
    increase       a word saying a figure grew (up, rose, 增长)
    decrease       a word saying a figure shrank (down, fell, 下降)
    estimate       someone else's estimate follows or precedes (analysts, consensus, 预期)
    aggregate      an industry-wide total (collectively, Big Tech)
    passing        the company named next is named in passing (like, such as, including)
    anaphor        refers back to the company of an earlier sentence (the company, 该公司)
    demonstrative  a determiner that points back ("these", "ces", "diese"): a topic word right
                   after it ("these investments") names what was said before, no new statement
    plan           a statement of plan, for claims without a figure (will, plans, build, 计划)
    change         a change of course, for claims without a figure (raise, slowed, below, 放缓)
    position       a market-position statement (market leader, 冠军)
    subset         "of which": the clause shares the topic of the one before (其中, dont)
    approx         approximation words allowed before a bracketed conversion (about, 约合)
    linker         a word allowed between a number and its currency (de, of)
    period         a period expression (next three years, 未来三年)
    yoy            a growth-rate marker without direction (year-on-year, 同比)
    group_metric   a whole-group measure, never on-topic (total revenue, 总收入)
    range          joins two numbers into a range (to, -, 至, bis)
    range_open     opens a range closed by a range_and word (between, entre)
    range_and      closes a range opened by range_open (and, et, und)
    change_from    the number after it is a starting point, not a range start (from, von)
    numeral        value: a CJK numeral character (三, 千)
    measure        unit, topic: names a dimensionless measure whose value follows (PUE 1.10)
    share          a market-share cue that keeps a bare percentage as a cloud market position;
                   with generic: true ("del mercato", "рынка") only beside a cloud word, since it
                   does not say which market
    aside          opens a relative clause: companies named in it, up to the clause end, are
                   named in passing (whose, dont, deren)
    rival          "X's rival": the company named just before is named in passing
    sum            a summing word (combined, 合计): an aggregate when two companies are named
    count_word     value: a number word before a counted noun (three zones, 三个)
    deal_anaphor   refers back to a deal an earlier sentence announced ("该协议", "この契約"): a
                   figure-less energy statement in its sentence, after an energy claim of the
                   company, is that deal told again (R1, R6)
    colour         praise that names growth without saying any ("增长动力", "growth engine", R4):
                   matched only so that its growth word is not read as a direction
    counter        a counter glued to a number that counts the facility its sentence named just
                   before ("データセンターは国内外に30か所", "数据中心…共5座"); with 目 after it, an
                   ordinal ("3か所目")
    number_word    value: a number word before a scale word ("eine Milliarde", "one billion");
                   count words before a scale count as well ("drei Milliarden")
    full_share     a 100 % share said in words ("run entirely on clean power", "vollständig mit
                   Ökostrom", "全量を賄う"); kept only as an energy figure
    ordinal        value: an ordinal before a counted noun (third region, 第三个): the launch of one
                   facility, counted like count_word, but it says no footprint figure, so it
                   does not shadow the figure-less statements of its company and topic
    forecaster     a bank, broker or research house, or a forecast word ("price target"): a
                   figure anywhere in its sentence is someone's forecast, not the company's
                   (market shares excepted)
    excluded       a subject that is never capex, cloud or energy (emissions, a social or
                   education programme): a figure in its clause is dropped; with generic: true
                   only when no specific topic noun (data centre, cloud, capex) shares the clause
    rank           a word that makes the ordinal beside it a market rank ("came in fourth",
                   "fourth-largest", "排名第一"): a cloud market-position figure, unit "rank"
    of_revenue     a share of revenue ("of revenue", "占收入的"): a bare percentage beside it in a
                   sentence on capex is capex as a share of revenue (unit "% of revenue")
    vague_share    a share said in words ("low teens", "低两位数"): with an of_revenue cue and a
                   capex cue, a capex plan without an amount
    margin         a margin measure ("operating margin", "利润率"): a percentage level beside it is a
                   claim of the cloud unit when the cloud qualifies it (unit: the rule's unit)
    segment_anaphor  "the segment", "the unit", "该业务": a metric in its sentence belongs to the cloud
                   unit its company's cloud alias named a sentence or two before
    cloud_unit     a phrase naming a company's cloud unit without its alias ("la divisione cloud",
                   "облачное подразделение", "클라우드 사업부"): like the alias, what a later
                   segment_anaphor ("the unit", "해당 사업부") refers back to, when its sentence
                   names the company (its terms go in a cloud topic rule too)
    facility_verb  a verb or noun of opening, building, running or closing a facility (open,
                   build, set up, 启用, 開設, in Betrieb): with a counted facility noun (data centre,
                   region) it makes a footprint statement, a cloud claim without a figure (R4, R8)
    facility_noun  a site of the company's infrastructure that is not counted as a data centre
                   ("sites", "campus", "infrastructure investments"): at a named place it makes a
                   footprint statement like a data centre there (R8)
    locative       a preposition or place word that puts a facility somewhere ("in", "位于", "州"):
                   a counted facility at a named place is a footprint statement; a Latin or
                   Cyrillic preposition counts only before a capitalised name
    guidance       a comparison with the company's own earlier guidance ("below its earlier
                   guidance", "低於早先給出的指引"): a figure-less capex statement that stands
                   beside the article's capex figures (they measure other periods)
    versus         a comparison with what others expected ("better-than-expected", "beat"): with
                   generic: true a comparison word that needs an estimate as its object ("below
                   analyst targets", "beating expectations"); a figure-less cloud statement of the
                   company whose business it measures (R4: a direction), even beside that estimate
    hourly         unit: a share matched hour by hour ("100% of the time", "24/7", "on an hourly
                   basis"): a clean-energy percentage in its clause is that hourly share (the
                   rule's unit), a figure apart from the yearly share of the same value
    speech         a verb by which a company (or anyone) speaks for itself ("said", "announced",
                   "表示", "a annoncé"): an article with none, whose figures are mostly a research
                   house's forecasts, is an analyst note (see claims/attribution.py)
    undisclosed    an amount kept back ("did not disclose the value", "未披露金额"): a sentence
                   saying so states no capex of its company
    source         names the source of a sentence ("according to", "citing", "据", "selon", "laut"):
                   a bank or research house right after it is the source of every figure in the
                   sentence, wherever it stands
    payment        a verb of paying or buying ("pay", "zahlt", "versera", "支付", "支払う"): one of
                   the five named after it in its clause ("Meta will pay Google $10 billion"), or
                   after another firm that is the sentence's subject ("OpenAI向微软支付…"), is the
                   one paid: the money is a customer's spending, never the company's capex
    hypothetical   a conditional or musing word ("if", "could", "were to", "如果", "仮に"): a
                   market share in its clause, before the figure, is what a firm might win, not a
                   position measured (R5)
    driver         names a cue as what drove another measure: before the cue ("helped by Google
                   Cloud", "porté par le cloud", "受"), or with
                   generic: true after it ("带动", "がけん引", "덕분에"): the cue says no topic of a
                   figure or statement, so group revenue it drove stays a group figure (R9)
    shadow         a longer phrase that holds a cue word but says nothing of its topic
                   ("energy-hungry models", "power-hungry chips"): the longest match wins, so
                   the cue inside it does not fire; the rule does nothing else
    audience       analysts or investors as the audience of a company statement ("told
                   analysts"): shadows the estimate cue inside it, does nothing else
    topic with generic: true  a verb that says money moves (invest, spend) without saying on what
    other_company with generic: true  a kind of firm, not a name (the utility); it takes a
                   figure only when no company is named before the figure in its sentence
    party_role     a kind of firm that is another party to the company's deals or sites ("a
                   developer", "энергокомпания", "开发商"): a mention like a kind of firm above, and a
                   capitalised name written right after it ("developer Cierzo Renovables") names
                   that firm wherever the article repeats it ("Cierzo has 2.4 GW in development")
    contract_value the value of a contract or deal ("a deal worth", "contract valued at", "合同金额"): money in
                   its clause is what a customer pays, never capex or a cloud figure of the company
    speaker        a title of the company's own executive ("CFO", "Finanzchef", "首席财务官",
                   "最高財務責任者"): a transcript line that opens with it as a speaker label
                   ("CFO: ...") is the company's statement, whatever paragraph named the company
    questioner     an analyst, moderator or question as a speaker label ("Q (analyst, ...):",
                   "分析师：", "アナリスト："): the figures of that line are an estimate or a
                   question, never the company's statement (R5)
    count_of       "the number of" before a counted noun ("brings the number of its regions to 44",
                   "porter à 25 000 le nombre de GPU"): a bare number in its clause counts that noun
    earlier_period a period the text compares with, said beside a second growth rate of the same
                   level ("up from growth of 32%", "较上一季度的26%", "nach 28 Prozent im Vorquartal"):
                   that rate is the earlier period's figure, a claim of its own (R1), not a
                   second rate of the level
    list_glue      what may stand between two names of a list ("Google, Microsoft and OpenAI",
                   "阿里、腾讯和百度"): a word is read between spaces, a mark or a CJK word as it is;
                   read by claims/attribution.py, not looked up in the lexicon
    list_joiner    a word that joins the last item of a list, "and" or "or" ("in Chile or Peru",
                   "39.8 billion and 34.7 billion"): read between spaces by claims/figures.py and
                   claims/statements.py, not looked up in the lexicon
    item_joiner    what opens the next item of a list of amounts ("Cloud 39.8 billion, and the
                   international unit 34.7 billion"): an ASCII mark is read with the space after
                   it, a word between spaces; read by claims/topics.py, not looked up in the lexicon
    since          a word that counts from a year on ("since 2010", "seit 2012", "以来"): a sentence
                   opening on an old year with one is no history (claims/text.py); a whole word,
                   not looked up in the lexicon
    authority      a ministry, regulator, government or officials ("según datos del Ministerio"): read
                   only as what a source word names, the source of the figures of its sentence
                   (claims/decisions.py); as the object of a sentence it is nobody's source
    comparative    value: +1 or -1; right after a percentage ("27% more than a year earlier", "на 30%
                   больше"), the direction of the change the percentage is

A term ending in `*` may be the head of a compound word: "Rechenzentrums*" also matches the
start of "Rechenzentrumskapazität" (German writes its nouns together).

The per-language files hold these rules; `common.yaml` holds rules that apply in every
language (company names in every script, currency symbols). English terms are also tried
on other languages, since the press everywhere quotes "Azure", "capex" or "cloud".
Numbers themselves (digits, grouping, CJK numerals) are grammar and live in bot/analysis/claims.py;
the CJK numeral characters are data here (kind `numeral`, value).
"""

from __future__ import annotations

import bisect
import functools
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import re2  # type: ignore[import-untyped]
import yaml

from bot.errors import BotError
from bot.model import COMPANIES, TOPICS

# The tables are data, kept apart from the engine in bot/rules/ so an analyst finds them by name.
RULES_DIR = Path(__file__).resolve().parent.parent / "rules"
# A term ending in this mark may open a compound word ("Rechenzentrums*"): no boundary after it.
COMPOUND_MARK = "*"
MAX_HITS = 5000  # lexicon hits per text and pattern; an article has a few hundred

KINDS = frozenset({
    "company", "other_company", "topic", "metric", "scale", "currency", "unit", "count_noun",
    "percent", "points", "multiplier", "increase", "decrease", "estimate", "aggregate",
    "passing", "anaphor", "demonstrative", "plan", "position", "subset", "approx", "linker", "period", "numeral",
    "yoy", "group_metric", "change", "range", "range_open", "range_and", "change_from",
    "measure", "share", "aside", "rival", "sum", "count_word", "ordinal", "forecaster", "excluded", "audience",
    "number_word", "full_share", "rank", "of_revenue", "vague_share", "margin", "segment_anaphor",
    "locative", "facility_verb", "versus", "guidance", "facility_noun", "counter", "deal_anaphor", "colour",
    "hourly", "speech", "undisclosed", "shadow", "source", "capability", "behind", "other_market", "result_verb",
    "payment", "hypothetical", "cloud_unit", "driver", "party_role", "comparative", "contract_value",
    "speaker", "questioner", "authority", "earlier_period", "count_of",
    "list_glue", "list_joiner", "item_joiner", "since", "not_plural", "spent_on", "bare_noun", "after_amount",
    "relative",
})
# Kinds read by the grammar of the claims package rather than looked up as words by `scan`:
# the terms of every table are read in every text (a list of names, or "since", may be quoted
# in another language than the article's), see `grammar_terms`; the words read after a bare
# amount (not_plural ... after_amount) only where the figures grammar reads that language.
GRAMMAR_KINDS = frozenset({"list_glue", "list_joiner", "item_joiner", "since", "not_plural", "spent_on",
                           "bare_noun", "after_amount", "relative"})
# Kinds of rule without one of which in the text no figure or statement gets a topic.
TOPICAL_KINDS = frozenset({"topic", "count_noun", "measure", "unit", "share"})
# Language codes of articles mapped to the table that reads them.
LANGUAGE_TABLES: Mapping[str, str] = {
    "en": "en", "zh": "zh", "zh-hans": "zh", "zh-hant": "zh", "zh-cn": "zh", "zh-tw": "zh",
    "zh-hk": "zh", "fr": "fr", "de": "de", "ja": "ja", "it": "it", "pt": "pt", "ru": "ru",
    "ko": "ko", "es": "es",
}
# Lexicon hits whose neighbours are letters are part of a longer word ("Meta" in "metadata").
# Scripts in these ranges need no word boundary. Hangul is among them: Korean glues particles
# to its nouns ("마이크로소프트는", "375억달러"), so a Korean term is bounded by nothing.
CJK_RANGES = ((0x1100, 0x11FF), (0x3040, 0x30FF), (0x3130, 0x318F), (0x3400, 0x9FFF),
              (0xAC00, 0xD7AF), (0xF900, 0xFAFF), (0xFF00, 0xFFEF))


class RuleError(BotError, ValueError):
    """A rule table is malformed; the message names the file and the rule."""


@dataclass(frozen=True)
class Rule:
    id: str
    kind: str
    terms: tuple[str, ...]
    example: str
    lang: str
    company: str | None = None
    topic: str | None = None
    currency: str | None = None
    unit: str | None = None
    value: float | None = None
    generic: bool = False
    case_sensitive: bool = False


@dataclass(frozen=True)
class TermRules:
    """The rules one term fires, indexed by kind (computed once per table, not per hit)."""

    rules: tuple[Rule, ...]
    kinds: frozenset[str]
    by_kind: Mapping[str, Rule]
    first_char: str  # of the term, to decide whether it needs a word boundary
    last_char: str
    bounded: bool = True  # False when neither end is a letter ("%", "$", "亿"): no check needed
    # Whether a letter may not touch the term's start / end (`_is_letter` of first_char /
    # last_char), decided once here rather than for every hit.
    open_start: bool = False
    open_end: bool = False
    # The topics its rules carry (capex, cloud, energy; a cloud alias is a company with a topic).
    topics: frozenset[str] = frozenset()
    # by_kind as pairs, and whether it is a place word ("in", "州") and nothing else: read for
    # every hit of every text (claims/context.py), so decided once here.
    kind_rules: tuple[tuple[str, Rule], ...] = ()
    locative: bool = False
    only_locative: bool = False
    # (topic, rule id) of its first rule that names a figure's topic: a topic word, an alias with a
    # topic, a counted facility that is not generic (a bare "region" names none); read for every
    # hit near a figure (claims/topics.py), so decided once here.
    topic_cue: tuple[str, str] | None = None
    # Its first rule that gives a figure-less statement its topic (a topic word or a cloud
    # alias), and the (kind, topic) pairs of its rules: asked of every hit of the sentences the
    # statements read (claims/statements.py), so decided once here.
    topic_rule: Rule | None = None
    topic_kinds: frozenset[tuple[str, str]] = frozenset()

    @classmethod
    def of(cls, term: str, rules: list[Rule], compound_head: bool = False) -> TermRules:
        """`compound_head`: the term may open a longer word (German "Rechenzentrums*" in
        "Rechenzentrumskapazität"), so its end needs no word boundary."""
        by_kind: dict[str, Rule] = {}
        for rule in rules:
            by_kind.setdefault(rule.kind, rule)
        last = "" if compound_head else term[-1:]
        check_start, check_end = _is_letter(term[:1]), _is_letter(last)
        return cls(tuple(rules), frozenset(by_kind), by_kind, term[:1], last, check_start or check_end,
                   check_start, check_end, frozenset(r.topic for r in rules if r.topic), tuple(by_kind.items()),
                   "locative" in by_kind, set(by_kind) == {"locative"},
                   next(((r.topic, r.id) for r in rules if r.topic and r.kind in ("topic", "company", "count_noun")
                         and not (r.generic and r.kind == "count_noun")), None),
                   next((r for r in rules if r.topic and r.kind in ("topic", "company")), None),
                   frozenset((r.kind, r.topic) for r in rules if r.topic))


class Hit(NamedTuple):
    """One lexicon match: byte span in the normalised UTF-8 text and the rules it fires."""

    start: int
    end: int
    term: TermRules

    @property
    def rules(self) -> tuple[Rule, ...]:
        return self.term.rules

    def kinds(self) -> frozenset[str]:
        return self.term.kinds

    def first(self, kind: str) -> Rule | None:
        return self.term.by_kind.get(kind)


@dataclass(frozen=True)
class RuleSet:
    """The compiled rules for one language table (plus common and English terms)."""

    lang: str
    decimal_mark: str
    abbreviations: frozenset[str]
    rules: tuple[Rule, ...]
    by_term: Mapping[str, TermRules]
    by_term_cased: Mapping[str, TermRules]
    lexicon: Any  # re2 pattern over bytes, case-insensitive terms
    lexicon_cased: Any | None  # re2 pattern over bytes, case-sensitive terms
    numerals: Mapping[str, float] = field(default_factory=dict)
    # Currency of a bare amount with a large CJK scale (3800亿 in a Chinese article is yuan).
    default_currency: str | None = None
    # Paragraphs over which the last-named company stays the subject of sentences that name
    # none. Japanese drops a subject it already gave ("…を契約", a bullet, a heading), so its
    # table sets more than the default; see claims/attribution.py.
    carry_paragraphs: int = 1
    # Any alias of the five companies, case-insensitive: a text without one has no claim.
    companies: Any | None = None
    # Any term that can give a figure or a statement its topic (topic cues, cloud aliases,
    # counted facilities, units, measures, market-share words), case-insensitive and without
    # word boundaries (a superset): a text without one has no claim either.
    topical: Any | None = None
    # Surface bytes of a match -> its term's rules (None: a surface no term has, e.g. a casing
    # the word check rejects later), shared by every text of this language: a pure memo.
    surfaces: dict[bytes, TermRules | None] = field(default_factory=dict, compare=False, hash=False, repr=False)
    surfaces_cased: dict[bytes, TermRules | None] = field(default_factory=dict, compare=False, hash=False,
                                                          repr=False)
    # The one-letter terms (bytes) that lexicon_cased reads with the non-letter after them (see
    # _compile_cased): `scan` cuts such a match back to the letter. Empty: none is.
    cased_guarded: frozenset[int] = frozenset()
    # A match with the byte before and after it -> what `scan` decided for it (its term's rules:
    # a hit; _REJECT; _RESCAN: it runs into a longer word), one memo per pattern. The decision
    # reads only the surface and, when the term needs a word boundary, those two bytes; kept
    # only where they decide it (ASCII neighbours, or a term that needs no boundary), so most
    # matches of a text skip the lookup and the checks below: a pure memo, like surfaces.
    decided: dict[bytes, Any] = field(default_factory=dict, compare=False, hash=False, repr=False)
    decided_cased: dict[bytes, Any] = field(default_factory=dict, compare=False, hash=False, repr=False)

    def names_a_company(self, data: bytes) -> bool:
        return self.companies is not None and next(iter_spans(self.companies, data), None) is not None

    def names_a_topic(self, data: bytes) -> bool:
        return self.topical is not None and next(iter_spans(self.topical, data), None) is not None

    def scan(self, data: bytes, limit: int = MAX_HITS) -> list[Hit]:
        """Lexicon hits in `data` (normalised UTF-8), sorted by position, word-bounded; at most
        `limit` per pattern (prose has a few hundred; more means the text is not prose).

        This loop runs once per lexicon match (about a hundred per article), so it is written
        flat: the engine called directly (no generator between), the term of a surface looked
        up once per rule set, and the ASCII neighbours of a term checked against a byte table."""
        hits: list[Hit] = []
        size = len(data)
        last = size - 1
        for pattern, table, fold, surfaces, guarded, decided in (
                (self.lexicon, self.by_term, True, self.surfaces, _NO_LETTERS, self.decided),
                (self.lexicon_cased, self.by_term_cased, False, self.surfaces_cased, self.cased_guarded,
                 self.decided_cased)):
            if pattern is None:
                continue
            if len(surfaces) > _MAX_SURFACES:  # hostile text spelling terms in every casing
                surfaces.clear()
            if len(decided) > _MAX_SURFACES:
                decided.clear()
            before = len(hits)
            found = 0
            engine: Any = getattr(pattern, "_regexp", None)
            spans = None if engine is not None and _UNANCHORED is not None else iter_spans(pattern, data)
            pos = 0
            while True:
                if spans is None:
                    if pos > size:
                        break
                    start, end = engine.Match(_UNANCHORED, data, pos, size)[0]
                    if start < 0:
                        break
                    pos = end if end > start else end + 1
                else:
                    span = next(spans, None)
                    if span is None:
                        break
                    start, end = span
                if guarded and end - start > 1 and data[start] in guarded and not _ASCII_LETTER_BYTE[data[start + 1]]:
                    # A one-letter term matched with the non-letter after it (see
                    # _compile_cased): the letter alone is the hit, and the search goes on
                    # right after it, as if the letter had matched by itself.
                    end = start + 1
                    if spans is not None:
                        spans = iter_spans(pattern, data, end)
                    else:
                        pos = end
                if found >= limit:
                    break
                # The decision remembered for the match and its two neighbours, when it has both.
                wide = data[start - 1:end + 1] if start > 0 and end <= last else None
                rules = decided.get(wide) if wide is not None else None
                if rules is None:
                    rules = self._decide(data, start, end, surfaces, table, fold, wide, decided)
                if rules is _REJECT:
                    continue
                if rules is _RESCAN:
                    # "Der Konzern|umsatz": a match that runs into a longer word may hide a term
                    # starting inside it; look for one there.
                    inner = start + _char_length(data[start])
                    hits.extend(self._rescan(data, inner, end, pattern, table, fold, guarded))
                    continue
                hits.append(_new_hit(Hit, (start, end, rules)))
                found += 1
            if before and len(hits) > before:
                # Each pattern's hits come in text order (the matches do not overlap, and a
                # rescan stays inside its match); only a second pattern's need merging.
                hits.sort(key=_hit_order)
        return hits

    @staticmethod
    def _decide(data: bytes, start: int, end: int, surfaces: dict[bytes, TermRules | None],
                table: Mapping[str, TermRules], fold: bool, wide: bytes | None, decided: dict[bytes, Any]) -> Any:
        """What `scan` makes of the match [start, end): its term's rules (a hit), _REJECT, or
        _RESCAN (it runs into a longer word and may hide a term inside it); remembered in
        `decided` under `wide` (the match and its two neighbours) where those bytes decide it."""
        surface = data[start:end]
        rules = surfaces.get(surface, _UNSEEN)
        if rules is _UNSEEN:
            text = surface.decode("utf-8")
            rules = table.get(term_key(text) if fold else " ".join(text.split()))
            surfaces[surface] = rules
        if rules is None:
            decision: Any = _REJECT
        elif not rules.bounded:
            decision = rules
        else:
            touches = False
            if rules.open_start and start > 0:
                byte = data[start - 1]
                touches = _ASCII_LETTER[byte] if byte < 0x80 else _letter_before(data, start)
            if touches and surface.isalpha():
                # "its" in "produits": inside a run of ASCII letters every term that could
                # start within the match starts with a letter after a letter, so the look
                # inside would find nothing bounded.
                decision = _REJECT
            else:
                if not touches and rules.open_end and end < len(data):
                    byte = data[end]
                    touches = _ASCII_LETTER[byte] if byte < 0x80 else _letter_after(data, end)
                decision = (_RESCAN if start + 1 < end else _REJECT) if touches else rules
            if wide is not None and (wide[0] >= 0x80 or wide[-1] >= 0x80):
                return decision  # a letter of another script beside it: decided by more bytes
        if wide is not None:
            decided[wide] = decision
        return decision

    def _rescan(self, data: bytes, pos: int, end: int, pattern: Any, table: Mapping[str, TermRules],
                fold: bool, guarded: frozenset[int] = frozenset()) -> list[Hit]:
        limit = min(len(data), end + 64)
        while pos < end:
            span = next(iter_spans(pattern, data, pos, limit), None)
            if span is None:
                return []
            start, stop = span
            if guarded and stop - start > 1 and data[start] in guarded and not _ASCII_LETTER_BYTE[data[start + 1]]:
                stop = start + 1
            if start >= end:
                return []
            text = data[start:stop].decode("utf-8", "ignore")
            rules = table.get(term_key(text) if fold else " ".join(text.split()))
            if rules is not None and _word_bounded(data, start, stop, rules.first_char, rules.last_char):
                return [Hit(start, stop, rules)]
            pos = start + _char_length(data[start])
        return []


_UNSEEN: Any = object()
# What `scan` decided for a match that is no hit: no term (a casing no term has), or a term
# inside a longer word; and for one that runs into a longer word (look inside it for a term).
_REJECT: Any = object()
_RESCAN: Any = object()
_MAX_SURFACES = 20000  # distinct surfaces memoised per rule set; prose has a few thousand
# Byte values of ASCII letters: the neighbour a Latin term must not touch.
_ASCII_LETTER = tuple(chr(b).isalpha() for b in range(0x80))


# Whether a byte is an ASCII letter, for every byte value (a UTF-8 lead or continuation byte is none).
_ASCII_LETTER_BYTE = tuple(b < 0x80 and chr(b).isalpha() for b in range(256))


_NO_LETTERS: frozenset[int] = frozenset()  # the folded lexicon guards no one-letter term


# Hit(start, end, rules) without the keyword handling of a named tuple's __new__ (per hit).
_new_hit = tuple.__new__


def _hit_order(hit: Hit) -> tuple[int, int]:
    return hit.start, -hit.end


def _letter_before(data: bytes, start: int) -> bool:
    before = data[max(0, start - 4):start].decode("utf-8", "ignore")[-1:]
    return bool(before) and _is_letter(before)


def _letter_after(data: bytes, end: int) -> bool:
    after = data[end:end + 4].decode("utf-8", "ignore")[:1]
    return bool(after) and _is_letter(after)


_UNANCHORED = getattr(getattr(re2, "_Anchor", None), "UNANCHORED", None)


def iter_spans(pattern: Any, data: bytes, pos: int = 0,
               endpos: int | None = None) -> Iterator[tuple[int, int]]:
    """Spans of the non-overlapping matches of a compiled RE2 bytes pattern.

    Calls the engine's Match directly when the binding exposes it: the public finditer wraps
    every match in Python objects, which costs more than the matching itself here."""
    end = len(data) if endpos is None else endpos
    engine = getattr(pattern, "_regexp", None)
    if engine is None or _UNANCHORED is None:
        for match in pattern.finditer(data, pos, end):
            yield match.span()
        return
    while pos <= end:
        span = engine.Match(_UNANCHORED, data, pos, end)[0]
        if span[0] < 0:
            return
        yield span
        pos = span[1] if span[1] > span[0] else span[1] + 1


def _char_length(lead: int) -> int:
    """Length in bytes of the UTF-8 character that starts with this byte."""
    if lead < 0x80:
        return 1
    if lead >= 0xF0:
        return 4
    if lead >= 0xE0:
        return 3
    return 2


def term_key(term: str) -> str:
    """The lookup key of a term: case-folded, apostrophes unified, whitespace collapsed."""
    return " ".join(term.replace("’", "'").casefold().split())


def is_cjk(ch: str) -> bool:
    code = ord(ch)
    if code < _CJK_FROM:  # Latin, Greek, Cyrillic: most characters asked about
        return False
    # The ranges' bounds in order, each range as [lo, hi + 1): a code inside one has an odd
    # number of bounds at or below it (one bisect at C speed, no loop over the ranges).
    return bisect.bisect_right(_CJK_BOUNDS, code) % 2 == 1


_CJK_FROM = min(lo for lo, _ in CJK_RANGES)
_CJK_BOUNDS = tuple(bound for lo, hi in sorted(CJK_RANGES) for bound in (lo, hi + 1))


def is_hangul(ch: str) -> bool:
    """A Hangul syllable (Korean words, whose particles and counters follow the noun)."""
    return "\uac00" <= ch <= "\ud7a3"


def _is_letter(ch: str) -> bool:
    if not ch:
        return False
    if ch.isascii():
        return ch.isalpha()
    return ch.isalpha() and not is_cjk(ch)


def _word_bounded(data: bytes, start: int, end: int, first: str, last: str) -> bool:
    """A Latin/Cyrillic term must not sit inside a longer word; CJK terms need no boundary."""
    if start > 0 and _is_letter(first):
        byte = data[start - 1]
        if byte < 0x80:
            if chr(byte).isalpha():
                return False
        else:
            before = data[max(0, start - 4):start].decode("utf-8", "ignore")[-1:]
            if before and _is_letter(before):
                return False
    if end < len(data) and _is_letter(last):
        byte = data[end]
        if byte < 0x80:
            if chr(byte).isalpha():
                return False
        else:
            after = data[end:end + 4].decode("utf-8", "ignore")[:1]
            if after and _is_letter(after):
                return False
    return True


def _term_pattern(term: str) -> str:
    """A term as a regex: literal, with any run of spaces matching 1-3 spaces, apostrophes unified."""
    words = []
    for word in term.replace("’", "'").split():
        words.append("['’]".join(re2.escape(piece) for piece in word.split("'")))
    return r"\s{1,3}".join(words)


def _compile(terms: list[str], case_sensitive: bool) -> Any | None:
    if not terms:
        return None
    # Longest first: RE2 alternation is leftmost-first, so "Google Cloud" must precede "Google".
    unique = sorted(set(terms), key=lambda t: (-len(t), t))
    body = "|".join(_term_pattern(t) for t in unique)
    options = re2.Options()
    options.max_mem = 64 << 20
    options.case_sensitive = case_sensitive
    return re2.compile(body.encode("utf-8"), options)


def _compile_cased(terms: list[str]) -> tuple[Any | None, frozenset[int]]:
    """The case-sensitive terms as one pattern, and its one-letter terms that are guarded (bytes).

    English writes scales as one letter glued to a number ("$5B", "40m"), so every "b" and "m"
    of the text matched, and each match cost an engine call only for the word check to reject
    it ("about", "them"). A one-letter term is read instead with the non-letter after it,
    "b(?:[^A-Za-z]|$)", so that it does not match before a letter, where the word check rejects
    the bare letter (and, the letter being one character, looks inside it for nothing); `scan`
    cuts the match back to the letter and goes on right after it, so the character after it is
    read again, as after the bare letter. `scan` tells such a match by its letter followed by a
    non-letter, so no term may start with a one-letter term and a non-letter ("M&A" beside "M");
    then the letters stay bare. (A guard before the letter as well, "(?:^|[^A-Za-z])b", would
    start the match a character early, where a term ending on that character ("NTTドコモ") may
    have ended: it lost the letter after such a term.)"""
    if not terms:
        return None, frozenset()
    unique = sorted(set(terms), key=lambda t: (-len(t), t))
    letters = {t for t in unique if len(t) == 1 and t.isascii() and t.isalpha()}
    if not letters or any(t[0] in letters and len(t) > 1 and not (t[1].isascii() and t[1].isalpha())
                          for t in unique):
        return _compile(terms, case_sensitive=True), frozenset()
    # Longest first, as in _compile: the guarded letters stay last.
    body = "|".join(re2.escape(t) + "(?:[^A-Za-z]|$)" if t in letters else _term_pattern(t) for t in unique)
    options = re2.Options()
    options.max_mem = 64 << 20
    options.case_sensitive = True
    return re2.compile(body.encode("utf-8"), options), frozenset(ord(t) for t in letters)


def _compile_prefilter(terms: list[str]) -> Any | None:
    """Any of the terms, case-insensitive; a term that starts or ends with an ASCII letter must
    not touch another ASCII letter there ("x" not in "next"). A superset of what `scan` finds
    (scan's word check is stricter), for a yes/no test only."""
    if not terms:
        return None
    parts = []
    for marked in sorted(set(terms), key=lambda t: (-len(t), t)):
        term = marked.removesuffix(COMPOUND_MARK) or marked
        body = _term_pattern(term)
        head = "(?:^|[^A-Za-z])" if term[:1].isascii() and term[:1].isalpha() else ""
        tail = "(?:[^A-Za-z]|$)" if term[-1:].isascii() and term[-1:].isalpha() and term == marked else ""
        parts.append(head + body + tail)
    options = re2.Options()
    options.max_mem = 64 << 20
    options.case_sensitive = False
    return re2.compile("|".join(parts).encode("utf-8"), options)


def _as_rule(raw: Any, source: str, lang: str) -> Rule:
    if not isinstance(raw, dict):
        raise RuleError(f"{source}: every rule must be a mapping, got {raw!r}")
    rule_id = raw.get("id")
    where = f"{source}: rule {rule_id!r}"
    if not isinstance(rule_id, str) or not rule_id:
        raise RuleError(f"{source}: a rule lacks an id: {raw!r}")
    kind = raw.get("kind")
    if kind not in KINDS:
        raise RuleError(f"{where}: unknown kind {kind!r}")
    terms = raw.get("terms")
    if not isinstance(terms, list) or not terms or not all(isinstance(t, str) and t.strip() for t in terms):
        raise RuleError(f"{where}: terms must be a non-empty list of strings")
    example = raw.get("example")
    if not isinstance(example, str) or not example.strip():
        raise RuleError(f"{where}: every rule needs an example sentence")
    company, topic = raw.get("company"), raw.get("topic")
    if kind == "company" and company not in COMPANIES:
        raise RuleError(f"{where}: company must be one of {sorted(COMPANIES)}")
    if topic is not None and topic not in TOPICS:
        raise RuleError(f"{where}: topic must be one of {sorted(TOPICS)}")
    if kind == "topic" and topic is None:
        raise RuleError(f"{where}: a topic rule needs a topic")
    value = _number(raw.get("value"))
    if kind in ("scale", "multiplier", "numeral", "count_word", "ordinal", "comparative") \
            and not isinstance(value, int | float):
        raise RuleError(f"{where}: a {kind} rule needs a numeric value")
    if kind == "currency" and not isinstance(raw.get("currency"), str):
        raise RuleError(f"{where}: a currency rule needs an ISO currency code")
    if kind in ("unit", "count_noun", "measure") and not isinstance(raw.get("unit"), str):
        raise RuleError(f"{where}: a {kind} rule needs a unit")
    factor = raw.get("factor")
    if kind == "unit" and factor is not None:
        value = float(factor)
    known = {"id", "kind", "terms", "example", "company", "topic", "currency", "unit", "value",
             "factor", "generic", "case_sensitive", "note"}
    unknown = set(raw) - known
    if unknown:
        raise RuleError(f"{where}: unknown fields {sorted(unknown)}")
    return Rule(
        # (a currency sign or a squared unit sign, "㎿", is matched as written: NFKC would spell
        # it out as letters the text does not hold)
        id=rule_id, kind=kind, terms=tuple(unicodedata.normalize("NFKC", t).strip() if kind not in ("currency", "unit")
                                           else t.strip() for t in terms),
        example=example, lang=lang, company=company, topic=topic,
        currency=raw.get("currency"), unit=raw.get("unit"),
        value=None if value is None else float(value),
        generic=bool(raw.get("generic", False)), case_sensitive=bool(raw.get("case_sensitive", False)),
    )


def _number(raw: Any) -> Any:
    """YAML 1.1 reads '1.0e9' as a string; accept it as the number it plainly is."""
    if isinstance(raw, str):
        try:
            return float(raw)
        except ValueError:
            return raw
    return raw


class _StrictLoader(yaml.SafeLoader):
    """A YAML loader that refuses a key given twice in one mapping: PyYAML keeps the last one
    silently, so a rule whose `- id:` line was lost merged into the rule above it unseen."""


def _strict_mapping(loader: _StrictLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    keys = [loader.construct_object(key, deep=True) for key, _ in node.value]
    twice = sorted({str(k) for k in keys if keys.count(k) > 1})
    if twice:
        raise yaml.constructor.ConstructorError(
            None, None, f"key given twice in one mapping: {', '.join(twice)}", node.start_mark)
    return dict(loader.construct_pairs(node, deep=True))


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _strict_mapping)


def load_table(path: Path) -> tuple[dict[str, Any], list[Rule]]:
    """One YAML table: its header settings and its rules."""
    try:
        doc = yaml.load(path.read_text(encoding="utf-8"), Loader=_StrictLoader)  # a SafeLoader
    except yaml.YAMLError as exc:
        raise RuleError(f"{path.name}: not valid YAML: {exc}") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("rules"), list):
        raise RuleError(f"{path.name}: expected a mapping with a `rules` list")
    lang = str(doc.get("language") or path.stem)
    rules = [_as_rule(raw, path.name, lang) for raw in doc["rules"]]
    seen: set[str] = set()
    for rule in rules:
        if rule.id in seen:
            raise RuleError(f"{path.name}: duplicate rule id {rule.id!r}")
        seen.add(rule.id)
    header = {k: v for k, v in doc.items() if k != "rules"}
    return header, rules


@functools.cache
def all_tables() -> tuple[tuple[str, dict[str, Any], tuple[Rule, ...]], ...]:
    """Every table in the rules folder: (table name, header, rules)."""
    out = []
    for path in sorted(RULES_DIR.glob("*.yaml")):
        header, rules = load_table(path)
        out.append((path.stem, header, tuple(rules)))
    return tuple(out)


@functools.cache
def grammar_terms(kind: str) -> tuple[str, ...]:
    """The terms of every table's rules of one grammar kind (GRAMMAR_KINDS), each once, longest
    first (so "および" is read before "と", "及び" before "及")."""
    if kind not in GRAMMAR_KINDS:
        raise RuleError(f"{kind!r} is no grammar kind")
    terms = {t for _, _, rules in all_tables() for r in rules if r.kind == kind for t in r.terms}
    return tuple(sorted(terms, key=lambda t: (-len(t), t)))


def has_word(text: str, word: str) -> bool:
    """Whether `word` stands in `text` as a whole word: an end that is a (non-CJK) letter must
    not touch another letter ("с" is no word in "рынок вырос", "seit" none in "Seite")."""
    check_start, check_end = _is_letter(word[:1]), _is_letter(word[-1:])
    at = text.find(word)
    while at >= 0:
        end = at + len(word)
        if not (check_start and at > 0 and _is_letter(text[at - 1])) \
                and not (check_end and end < len(text) and _is_letter(text[end])):
            return True
        at = text.find(word, at + 1)
    return False


@functools.cache
def ruleset(lang: str) -> RuleSet:
    """The compiled rules for an article language (unknown languages read as English)."""
    table = LANGUAGE_TABLES.get(lang.lower(), "en")
    tables = {name: (header, rules) for name, header, rules in all_tables()}
    header, own = tables.get(table, tables["en"])
    chosen: list[Rule] = list(tables["common"][1]) + list(own)
    if table != "en":
        # English cue words travel; English number grammar (decimal mark) does not.
        chosen += [r for r in tables["en"][1] if r.kind not in ("scale", "numeral", "linker")]
    by_term: dict[str, list[Rule]] = {}
    by_term_cased: dict[str, list[Rule]] = {}
    folded_terms: list[str] = []
    cased_terms: list[str] = []
    heads: set[str] = set()
    for rule in chosen:
        if rule.kind == "numeral" or rule.kind in GRAMMAR_KINDS:
            continue  # read by the number and list grammar, not looked up as words
        for term in rule.terms:
            if term.endswith(COMPOUND_MARK) and len(term) > 1:
                term = term[:-1]
                heads.add(term_key(term))
            if rule.case_sensitive:
                by_term_cased.setdefault(" ".join(term.split()), []).append(rule)
                cased_terms.append(term)
            else:
                by_term.setdefault(term_key(term), []).append(rule)
                folded_terms.append(term)
    abbreviations = frozenset(
        term_key(a)
        for name in ("common", "en", table)
        for a in (tables.get(name, ({}, ()))[0].get("abbreviations") or [])
    )
    numerals = {t: float(r.value) for r in chosen
                if r.kind == "numeral" and r.value is not None for t in r.terms}
    decimal_mark = str(header.get("decimal_mark", "."))
    lexicon_cased, cased_guarded = _compile_cased(cased_terms)
    if decimal_mark not in (".", ","):
        raise RuleError(f"{table}.yaml: decimal_mark must be '.' or ','")
    return RuleSet(
        lang=table, decimal_mark=decimal_mark, abbreviations=abbreviations, rules=tuple(chosen),
        by_term={k: TermRules.of(k, v, k in heads) for k, v in by_term.items()},
        by_term_cased={k: TermRules.of(k, v) for k, v in by_term_cased.items()},
        lexicon=_compile(folded_terms, case_sensitive=False),
        lexicon_cased=lexicon_cased, cased_guarded=cased_guarded,
        numerals=numerals,
        default_currency=header.get("default_currency"),
        carry_paragraphs=_carry_paragraphs(table, header.get("carry_paragraphs", 1)),
        companies=_compile([t.removesuffix(COMPOUND_MARK) for r in chosen if r.kind == "company"
                            for t in r.terms], case_sensitive=False),
        topical=_compile_prefilter([t for r in chosen if r.kind in TOPICAL_KINDS
                                    or (r.kind == "company" and r.topic) for t in r.terms]),
    )


def _carry_paragraphs(table: str, raw: Any) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int) or not 0 <= raw <= 10:
        raise RuleError(f"{table}.yaml: carry_paragraphs must be a whole number from 0 to 10, got {raw!r}")
    return raw
