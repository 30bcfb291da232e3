"""Attribution: which company a figure or statement belongs to.

Company mentions in a sentence, and which of them are named in passing ('like Google', 'Meta,
whose...', 'X's rival', 'a race with Microsoft') or as one of a list of firms; the nearest
mention not in passing wins, then a company named after the figure in its clause, then the
company of an earlier sentence (within a paragraph, or beyond it when the sentence refers back).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import compress, pairwise
from operator import attrgetter, not_

from bot.analysis.claims.context import Context, clause_bounds, hits_between, hits_of_kind, sentence_of
from bot.analysis.claims.text import Sentence, span_text
from bot.analysis.rulebook import Hit, Rule, grammar_terms, is_cjk

# What may stand between two names of a list ("like Google, Microsoft and OpenAI"): the
# list_glue rules of every table (a word between spaces, a mark or a CJK word as it is), longest
# first, so that "及び" is taken out whole before "及".
_LIST_GLUE = tuple(f" {term} " if term[:1].isalpha() and not is_cjk(term[:1]) else term
                   for term in grammar_terms("list_glue"))


# Not frozen (nothing changes one, and none is hashed): a frozen dataclass sets each field
# through object.__setattr__, which made a mention cost four times as much to build, and every
# sentence with a name builds a few.
@dataclass(slots=True)
class Mention:
    start: int
    end: int
    company: str  # one of ours, or "other:<rule id>"
    rule: Rule
    passing: bool
    weak: bool = False  # a kind of firm ("the utility"), not a name


# Kinds of hit find_mentions reads; any other hit is skipped at once.
_MENTION_KINDS = frozenset({"passing", "aside", "rival", "company", "other_company"})
_TERM_KINDS = attrgetter("term.kinds")
# What may stand between a firm and a word that makes it another firm's backer, customer or
# partner ("a major Microsoft customer", "微软投资的OpenAI", "グーグルが出資する"): a rival rule with
# generic: true counts right after the name, with no possessive.
_BACKER_GLUE = frozenset({"", "-", "が", "の", "이", "가", "의"})
_POSSESSIVE_REACH = 40  # bytes from "X's" to the "rival" it qualifies ("X's largest overseas rival")


def find_mentions(ctx: Context, sentence: Sentence) -> list[Mention]:
    """Company mentions in a sentence; those after 'like', 'such as'..., inside a relative
    clause ('whose ...') or qualifying a rival ('X's rival') are named in passing."""
    out: list[Mention] = []
    passing_until = -1
    aside_until = -1
    hits = hits_between(ctx, sentence.start, sentence.end)
    # Most hits of a sentence are of no kind read here: they are left out at C speed (no Python
    # step per hit), and the loop sees the names and the passing, aside and rival words only.
    for hit in compress(hits, map(not_, map(_MENTION_KINDS.isdisjoint, map(_TERM_KINDS, hits)))):
        kinds = hit.term.kinds
        if "passing" in kinds:
            passing_until = hit.end
            continue
        if "aside" in kinds and out:
            aside_until = clause_bounds(ctx, hit.end)[1]
            continue
        if "rival" in kinds and out:
            last = out[-1]
            between = span_text(ctx.data, last.end, hit.start)
            glued = hit.term.by_kind["rival"].generic and between.strip() in _BACKER_GLUE
            if glued or (between[:2] in ("'s", "’s", "的") and hit.start - last.end <= _POSSESSIVE_REACH
                         and not any(ch in between for ch in ",;:()，、；")):
                out[-1] = Mention(last.start, last.end, last.company, last.rule, True, last.weak)
            continue
        rule = hit.first("company") or hit.first("other_company")
        if rule is None:
            continue
        company = rule.company if rule.kind == "company" and rule.company else f"other:{rule.id}"
        gap = span_text(ctx.data, passing_until, hit.start) if passing_until >= 0 else None
        passing = (gap is not None and _is_list_gap(gap)) or hit.start < aside_until
        weak = rule.kind == "other_company" and rule.generic
        out.append(Mention(hit.start, hit.end, company, rule, passing, weak))
        if passing and hit.start >= aside_until:
            passing_until = hit.end
    return out


def listed_with_another(ctx: Context, mention: Mention, mentions: Sequence[Mention], before: int) -> bool:
    """'Amazon, Google, Meta and Microsoft will spend ...': the figure's company is one of a list
    of named firms standing before the figure."""
    if len(mentions) < 2:
        return False  # no other firm to be listed with
    listed = [m for m in mentions if m.end <= before and not m.weak]
    i = next((k for k, m in enumerate(listed) if m.start == mention.start), None)
    if i is None:
        return False
    neighbours = [listed[k] for k in (i - 1, i + 1) if 0 <= k < len(listed)]
    gaps = [span_text(ctx.data, min(m.end, mention.end), max(m.start, mention.start))
            for m in neighbours if m.company != mention.company]  # "微软Azure" is one firm named twice
    return any(gap.strip() and _is_list_gap(gap) for gap in gaps)


def listed_together(ctx: Context, mention: Mention, mentions: Sequence[Mention]) -> list[Mention]:
    """The list of named firms the mention stands in ("Google, Microsoft, Amazon and Meta have
    announced ..."): the run of mentions joined by list glue only, itself included."""
    named = [m for m in mentions if not m.weak]
    i = next((k for k, m in enumerate(named) if m.start == mention.start), None)
    if i is None:
        return [mention]
    lo = hi = i
    while lo > 0 and _joined(ctx, named[lo - 1], named[lo]):
        lo -= 1
    while hi + 1 < len(named) and _joined(ctx, named[hi], named[hi + 1]):
        hi += 1
    return named[lo:hi + 1]


def respective(ctx: Context, start: int, runs: Sequence[tuple[int, int]],
               mentions: Sequence[Mention]) -> Mention | None:
    """'Huawei Cloud and Tencent Cloud held shares of 14.1% and 13.9%': a figure in a list of
    figures of one kind belongs to the firm at its place in the list of firms before them, when
    the two lists are as long. `runs` are the (start, end) spans of the figures of that list."""
    if len(runs) < 2 or not all(_is_list_gap(_without_currency_signs(span_text(ctx.data, a[1], b[0])))
                                for a, b in pairwise(runs)):
        return None
    before = [m for m in mentions if m.end <= runs[0][0] and not m.weak and not m.passing]
    if not before:
        return None
    firms = listed_together(ctx, before[-1], mentions)
    # "Microsoft's Azure and Google Cloud": a firm named twice in a row (its name, then its
    # cloud) is one place in the list.
    firms = [m for k, m in enumerate(firms) if k + 1 == len(firms) or firms[k + 1].company != m.company]
    index = next((k for k, run in enumerate(runs) if run[0] == start), None)
    if len(firms) != len(runs) or firms[-1].start != before[-1].start or index is None:
        return None
    return firms[index]


_CURRENCY_SIGNS = ("US$", "HK$", "R$", "$", "€", "£", "¥", "₩", "￥")


def _without_currency_signs(gap: str) -> str:
    """' and $' between '$125 billion' and '$80 billion': a figure starts at its number, so the
    sign of the next one stands in the gap; it joins the list as the comma does."""
    for sign in _CURRENCY_SIGNS:
        gap = gap.replace(sign, " ")
    return gap


def _joined(ctx: Context, left: Mention, right: Mention) -> bool:
    gap = span_text(ctx.data, left.end, right.start)
    return bool(gap.strip()) and _is_list_gap(gap) and left.passing == right.passing


def ours_listed_before(ctx: Context, mention: Mention, mentions: Sequence[Mention]) -> Mention | None:
    """'微软和Constellation达成协议', 'Microsoft and Constellation signed a deal': one of the
    five named right before another firm, joined only by list glue, is a party to what the
    pair does. A pair only: a longer list of firms ("Amazon, Microsoft, Google and Meta
    spend...") is an aggregate."""
    earlier = [m for m in mentions if m.end <= mention.start]
    if not earlier or not mention.company.startswith("other:"):
        return None
    first = earlier[-1]
    if first.company.startswith("other:") or first.passing or first.weak:
        return None
    gap = span_text(ctx.data, first.end, mention.start)
    if not gap.strip() or not _is_list_gap(gap):
        return None
    if len(earlier) >= 2 and _is_list_gap(span_text(ctx.data, earlier[-2].end, first.start)):
        return None
    later = [m for m in mentions if m.start >= mention.end]
    if later and _is_list_gap(span_text(ctx.data, mention.end, later[0].start)):
        return None
    return first


def _is_list_gap(gap: str) -> bool:
    """Only list glue between two names: a comma, 'and', '、', '和'."""
    if not _GLUE_CHARS.issuperset(gap):
        # A character of no glue term (nor of the blanks and "'s" left around them) is never
        # taken out below, and stays in what is left: no list gap, and no replace per term.
        return False
    rest = gap
    for glue in _LIST_GLUE:
        rest = rest.replace(glue, " ")
    return not rest.strip(" '’s")


_GLUE_CHARS = frozenset("".join(_LIST_GLUE) + " '’s")


def subject_of(mentions: Sequence[Mention]) -> Mention | None:
    """The first firm named not in passing, a name before a kind of firm. (Asked for every
    sentence: plain loops, no generator.)"""
    for m in mentions:
        if not m.passing and not m.weak:
            return m
    for m in mentions:
        if not m.passing:
            return m
    return None


def attribute(ctx: Context, figure_start: int, figure_end: int, mentions: Sequence[Mention],
               context: Mention | None, measure: bool = False) -> tuple[Mention | None, str]:
    """The company a figure belongs to: nearest preceding mention not in passing, else the first
    following one in the same clause, else the sentence context. `measure`: the figure is a
    physical measure (MW, MWh), which a deal with another firm buys for the company."""
    owner = _owner_right_after(ctx, figure_end, mentions)
    if owner is not None:
        return owner, "company joined to the figure by a linker right after it"
    owner = None
    for m in reversed(mentions):  # (a loop: asked for every figure, most sentences name one firm)
        if m.end <= figure_start and not m.weak and _possessive_gap(ctx, m.end, figure_start):
            owner = m
            break
    if owner is not None:
        # "less than Amazon's $125 billion", "亚马逊的1250亿美元": a firm in the possessive right
        # before the figure owns it, even when named in passing ("than", "unlike").
        return owner, "possessive right before the figure"
    before = [m for m in mentions if m.end <= figure_start and not m.passing]
    named = [m for m in before if not m.weak]
    if named:
        last = named[-1]
        if measure and last.company.startswith("other:") and _counterparty(ctx, last) \
                and not hits_of_kind(ctx, last.end, figure_start, "aside"):
            # "Microsoft signed a 20-year contract with Constellation for all the power of its
            # 835 MW unit", "la società ha firmato con Enel un contratto ... da 120 MW": the firm
            # the deal is made with is its other party; the deal's figure is the company's that
            # signs it, named before it or referred back to (unless a relative clause gives the
            # other firm a figure of its own: "with Kairos, which plans 6 GW").
            ours = next((m for m in reversed(named) if not m.company.startswith("other:")), None)
            if ours is not None:
                return ours, "company before the firm it made the deal with (its counterparty)"
            if context is not None and _referred_back_before(ctx, last.start):
                return context, "company referred back to before the firm it made the deal with"
        return last, "nearest mention before the figure"
    _, hi = clause_bounds(ctx, figure_start)
    after = [m for m in mentions if m.start >= figure_end and not m.passing and m.start < hi]
    if before:
        # "Brookfield agreed a 10.5 GW framework with Microsoft": a utility or public body
        # before the figure is the counterparty when a named company follows in the clause.
        named_after = [m for m in after if not m.weak and not m.company.startswith("other:")]
        if named_after:
            return named_after[0], "company named after the figure; the firm before is a counterparty"
        if context is not None and (_referred_back_before(ctx, before[0].start) or (
                len(before) == 1 and _counterparty(ctx, before[0]))):
            # "Il gruppo ha firmato un accordo con Enel per 150 megawatt": the company the
            # sentence refers back to is the subject; the kind of firm after it, its counterparty.
            return context, "company referred back to before a kind of firm (its counterparty)"
        return before[-1], "a kind of firm before the figure, no company named"
    if after:
        return after[0], "mention after the figure in its clause"
    if _coordinated_after(ctx, hi, mentions):
        return None, "a clause of its own, joined to a later one that names the company"
    if context is not None and mentions and all(m.start >= hi and m.company.startswith("other:") for m in mentions) \
            and hits_of_kind(ctx, figure_end, mentions[0].start, "aside"):
        # "a PPA for the 389 MW farm, developed by Lonestar, which also supplies power to Meta":
        # a firm named only in a relative clause after the figure is what that clause is
        # about, not the sentence's subject; the figure stays with the company in force.
        return context, "company of an earlier sentence (another firm is named only in a relative clause)"
    if any(not m.passing and not m.weak for m in mentions):
        return subject_of(mentions), "subject of the sentence"
    if context is not None and any(not m.passing for m in mentions):
        # Only a kind of firm or a counterparty is named ("a framework agreement with the
        # utility"): the company of the paragraph keeps the figure.
        return context, "company of an earlier sentence (only a kind of firm named here)"
    if any(not m.passing for m in mentions):
        return subject_of(mentions), "subject of the sentence"
    if context is not None:
        return context, "company of an earlier sentence"
    return None, "no company named"


_OWNER_AFTER_GAP = 8  # bytes between a figure and the company it is "of": " de ", " di la "


def _owner_right_after(ctx: Context, figure_end: int, mentions: Sequence[Mention]) -> Mention | None:
    """'frente al 12% de Google', 'contro il 20% di Microsoft': a company right after the figure,
    joined by a linker word alone (an article may follow it), owns the figure."""
    for mention in mentions:
        if mention.start <= figure_end or mention.start - figure_end > _OWNER_AFTER_GAP:
            continue
        if mention.passing or mention.company.startswith("other:"):
            return None
        words = span_text(ctx.data, figure_end, mention.start).split()
        if 1 <= len(words) <= 2 and hits_of_kind(ctx, figure_end, mention.start, "linker") \
                and not any(ch in " ".join(words) for ch in ",;:()"):
            return mention
        return None
    return None


# What marks a kind of firm as the other party of a deal: a particle glued after it ("電力会社と結んだ",
# "발전사와 맺은") or a preposition right before it ("with a utility", "avec un producteur", "与电力公司").
_PARTY_AFTER = ("と", "との", "와", "과")
_PARTY_BEFORE = ("with", "avec", "mit", "con", "com", "с", "与", "與", "同")


def _counterparty(ctx: Context, mention: Mention) -> bool:
    """'新施設は関西の電力会社と結んだ契約により、年間4億キロワット時を調達する': a kind of firm the
    deal is made with is its other party; the figure is the company's that the text is about
    (Japanese and Korean drop that subject, the press everywhere names it once)."""
    after = span_text(ctx.data, mention.end, mention.end + 6)
    if after.startswith(_PARTY_AFTER):
        return True
    before = span_text(ctx.data, max(0, mention.start - 24), mention.start).split()
    words = [w for w in before[-3:] if w.casefold() not in ("a", "an", "the", "un", "une", "le", "la", "l'",
                                                           "einem", "einer", "dem", "der", "uno", "una", "um", "uma")]
    return bool(words) and (words[-1].casefold() in _PARTY_BEFORE or before[-1].endswith(("与", "與", "同")))


def _referred_back_before(ctx: Context, pos: int) -> bool:
    """An anaphor ('the company', 'il gruppo') in the sentence before pos."""
    sentence = ctx.sentences[sentence_of(ctx, pos)]
    return bool(hits_of_kind(ctx, sentence.start, pos, "anaphor"))


_OWNER_GAP = 2  # bytes of space between a title and the name it qualifies ("tech giant Google")
_OWNER_REACH = 16  # bytes from "its" to the measure it owns: one modifier may stand between


def industry_aggregates(ctx: Context, lo: int, hi: int) -> list[tuple[Hit, Rule]]:
    """The aggregate cues in [lo, hi) that speak of an industry, not of one company: a cue owned
    by a possessive right before it ("its annual global electricity consumption", "其全球用电")
    or standing as the title of a company named right after it ("US tech giant Google",
    "科技巨頭 Google") measures that company, not the sector."""
    out = []
    for hit, rule in hits_of_kind(ctx, lo, hi, "aggregate"):
        if any(_one_modifier(span_text(ctx.data, pair[0].end, hit.start))
               for pair in hits_of_kind(ctx, max(0, hit.start - _OWNER_REACH), hit.start, "anaphor")):
            continue
        if any(0 <= other.start - hit.end <= _OWNER_GAP and "company" in other.kinds()
               and not span_text(ctx.data, hit.end, other.start).strip()  # "...electricity; Microsoft" is no title
               for other in hits_between(ctx, hit.end, min(len(ctx.data), hit.end + 24))):
            continue
        out.append((hit, rule))
    return out


def _one_modifier(gap: str) -> bool:
    """Nothing, or one word with no punctuation ('annual'), between an owner and what it owns."""
    words = gap.split()
    return len(words) <= 1 and all(ch.isalpha() or ch == "-" for ch in "".join(words))


_POSSESSIVES = ("'s", "’s", "的", "の")
_OWNED_FIGURE = 6  # bytes between a possessive and the figure it owns ("'s US$", "的")


def _possessive_gap(ctx: Context, end: int, figure_start: int) -> bool:
    if figure_start - end > _OWNED_FIGURE:
        return False  # (most firms stand further back: no text to decode)
    gap = span_text(ctx.data, end, figure_start)
    return gap.startswith(_POSSESSIVES) and not any(
        ch.isalpha() for ch in gap.lstrip("'’s").lstrip("的の").replace("US", "").replace("HK", ""))


def _coordinated_after(ctx: Context, clause_end: int, mentions: Sequence[Mention]) -> bool:
    """'India has 150 data centres, and Microsoft plans to add three more': a figure's clause
    joined by 'and' to a later clause that names the company is a statement of its own, about
    something else; the company is the later clause's subject, not the figure's."""
    if not mentions or mentions[0].start < clause_end:
        return False
    joiner = next((hit for hit in hits_between(ctx, clause_end, mentions[0].start)), None)
    gap = span_text(ctx.data, clause_end, joiner.start) if joiner is not None else ""
    return joiner is not None and "range_and" in joiner.kinds() and not gap.strip(" ,;")


def carries_context(ctx: Context, sentence: Sentence, context: Mention) -> bool:
    """The company of an earlier sentence stays in force within its paragraph and the next (more
    in a language that drops known subjects: the table's carry_paragraphs), and beyond that in a
    sentence that refers back ("the company", "同社")."""
    earlier = ctx.sentences[sentence_of(ctx, context.start)]
    if sentence.paragraph - earlier.paragraph <= ctx.rs.carry_paragraphs:
        return True
    return bool(hits_of_kind(ctx, sentence.start, sentence.end, "anaphor"))


_ANALYST_NOTE_MIN = 2  # sentences of forecasts by research houses that make a text their note


def analyst_note(ctx: Context, claim_sentences: int) -> bool:
    """Whose figures are these, for a whole text: an analyst note restates a company's plans
    through banks and research houses ("Morgan Stanley estimates ...", "UBS predicts ...") and
    never lets the company speak ("said", "announced", "guided", "表示"). When no one but the
    research houses speaks in the text ("UBS said") and the sentences naming one are at least as
    many as those left with a figure, the figures left ("capacity is projected to reach 25 GW")
    are the note's reading, not the company's statement (R5)."""
    houses = {sentence_of(ctx, hit.start) for hit, _ in hits_of_kind(ctx, 0, len(ctx.data), "forecaster")}
    if len(houses) < _ANALYST_NOTE_MIN or len(houses) < claim_sentences:
        return False
    return all(sentence_of(ctx, hit.start) in houses for hit, _ in hits_of_kind(ctx, 0, len(ctx.data), "speech"))


def party_with(ctx: Context, other: Mention, mentions: Sequence[Mention]) -> Mention | None:
    """'Microsoft and Constellation reached an agreement ...': a firm of ours joined by 'and' to
    the other firm the statement was attributed to is a party to what they did together (two
    firms only: a longer list is an industry, "Amazon, Microsoft and Google spent ...")."""
    if len({m.company for m in mentions if not m.weak}) != 2:
        return None
    for mention in mentions:
        if mention.company.startswith("other:") or mention.passing or mention.weak:
            continue
        lo, hi = (mention.end, other.start) if mention.end <= other.start else (other.end, mention.start)
        if lo <= hi and _is_list_gap(span_text(ctx.data, lo, hi)) and span_text(ctx.data, lo, hi).strip():
            return mention
    return None


_GENERIC_LEAD = 16  # bytes at the head of a sentence within which its subject begins


def generic_facility_subject(ctx: Context, sentence: Sentence) -> tuple[Hit, Rule] | None:
    """'Data centres use 4% of the nation's power', 'Rechenzentren verbrauchen ...': a sentence
    whose subject is the facilities in the bare plural, with no article or owner before them,
    speaks of the sector; its figures are no company's, whoever the paragraph is about. With an
    article ("Les centres de données", "The data centres") they may be the ones just named, and
    in Chinese and Japanese the owner already named is dropped: neither is read as the sector."""
    for hit, rule in hits_of_kind(ctx, sentence.start, min(sentence.end, sentence.start + _GENERIC_LEAD),
                                  "count_noun"):
        if rule.unit != "data centres":
            continue
        lead = span_text(ctx.data, sentence.start, hit.start).strip().casefold()
        noun = span_text(ctx.data, hit.start, hit.end)
        if not lead and noun[:1].isascii() and noun.casefold().endswith(("s", "en")):
            return hit, rule
    return None


_MARKER_GAP = 3  # bytes between a marker of the one paid ("向") and its name


def paid_to(ctx: Context, sentence: Sentence, mention: Mention, mentions: Sequence[Mention],
            figure_start: int, how: str) -> tuple[Hit, Rule] | None:
    """Whether the company the money went to is `mention`: the money is then what a customer
    pays it (its revenue, never its own spending). Three shapes, in every language:
    - the company named after a verb of paying or buying in its clause, and not before that
      verb ("Meta will pay Google $10 billion", "Orange versera 300 millions d'euros à Google
      Cloud", "заплатит Microsoft 300 млн");
    - another firm as the sentence's subject, then a verb of paying ("OpenAI…向微软支付2500亿美元",
      "ソフトバンクはマイクロソフトのクラウドに…支払う");
    - the company's cloud product named only after the money ("will spend $1 billion a year on
      Microsoft Azure"): someone else spends on it; the company would be named as the spender.
    A marker of the one paid (`generic: true`: "向", "给") counts right before the name, with a
    verb of paying after it. Returns the cue (or the mention's own rule for the last shape)."""
    found = hits_of_kind(ctx, sentence.start, sentence.end, "payment")
    later_product = how.startswith("mention after the figure")
    if not found and not later_product:
        return None  # (the first two shapes need a payment word; most sentences have none)
    payments = [(hit, rule) for hit, rule in found if not rule.generic]
    clause = clause_bounds(ctx, mention.start)
    for hit, rule in payments:
        if hit.end <= mention.start and clause_bounds(ctx, hit.start) == clause and not any(
                m.company == mention.company and m.start < hit.start for m in mentions):
            return hit, rule
    for hit, rule in found:
        # "一家游戏公司将向腾讯云支付约3亿元": a marker of the one paid right before the name, and
        # a verb of paying after it in its clause.
        if rule.generic and 0 <= mention.start - hit.end <= _MARKER_GAP and any(
                mention.end <= pay.start < clause[1] for pay, _ in payments):
            return hit, rule
    first = next((m for m in mentions if not m.passing), None)
    if first is not None and first.company.startswith("other:") and not first.weak \
            and first.end <= mention.start:
        later = [(hit, rule) for hit, rule in payments if hit.start >= first.end]
        if later:
            return later[0]
    if later_product and mention.rule.topic == "cloud" and mention.start > figure_start \
            and not any(m.company == mention.company and m.start < figure_start for m in mentions):
        return ctx.hits_by_start[mention.start][0], mention.rule
    return None


# A speaker label opens a transcript line and ends at its colon: a title, a name and a firm in
# brackets at most ("Amy Hood, Chief Financial Officer:", "Q (analyst, Fairline Securities):").
_LABEL_REACH = 72  # bytes from the head of a line to the colon that ends its label
_LABEL_WORDS = 8
_LABEL_END = (b":", "：".encode())
# One-letter labels of a question-and-answer layout ("Q:", "A:", "问：", "答：", "問：", "문:", "답:"):
# as terms of the scan they would hit inside every other word, so they are matched here whole.
_SHORT_LABELS = {"q": "questioner", "q.": "questioner", "a": "speaker", "a.": "speaker",
                 "问": "questioner", "問": "questioner", "答": "speaker", "문": "questioner", "답": "speaker"}


def speaker_label(ctx: Context, sentence: Sentence) -> str | None:
    """Who speaks on a transcript line, from the label that opens its first sentence:
    "speaker" for the company's own executive ("CFO:", "首席财务官：", "Finanzchefin:"),
    "questioner" for an analyst, a moderator or a question ("Q (analyst, ...):", "アナリスト："),
    None when the line opens on no label. A question's figures are the analyst's estimates (R5);
    an executive's figures are the company's, however far back the text named it."""
    head = ctx.data[sentence.start:min(sentence.end, sentence.start + _LABEL_REACH)]
    colon = min(filter((0).__lt__, map(head.find, _LABEL_END)), default=-1)  # (the first mark past the head)
    if colon < 0:
        return None
    label = head[:colon].decode("utf-8", "replace").strip(" -–—*\t")
    if not label or len(label.split()) > _LABEL_WORDS or (
            any(ch in label for ch in ".!?。！？") and label.casefold() not in _SHORT_LABELS):
        return None
    # "Q (Keith, Alder Ridge Securities):": a one-letter label with the speaker in brackets
    short = _SHORT_LABELS.get(label.casefold()) or _SHORT_LABELS.get(
        label.split("(", 1)[0].split("（", 1)[0].strip().casefold())
    if short is not None:
        return short
    kinds: set[str] = set()
    for hit in hits_between(ctx, sentence.start, sentence.start + colon):
        kinds |= hit.term.kinds
    if "questioner" in kinds:
        return "questioner"  # "Analyst question to the CFO:" is still the analyst's line
    if "speaker" in kinds:
        return "speaker"
    return None
