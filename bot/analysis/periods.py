"""Periods as the press writes them ("Q1 FY2026", "this year", "未来三年", "exercice 2025") -> Period.

Pure; the reference date is the article's date, against which relative periods ("this year",
"next fiscal year", "the quarter") are resolved. Without a reference date relative periods are unknown.

    period_from_text(text, company, ref) -> Period
    reference_month(article_date)        -> month_index | None

Order of the rules (first match wins): a parenthesised normalisation ("本季度 (Q3 2025)") is tried
first, then fiscal quarters, quarters, halves, fiscal years, cumulative ("since 2023"), trailing
twelve months, explicit spans ("2025-2028"), "by 2030" targets, "through 2027", horizons ("next
three years"), plain and relative years, and "annual". Bare quarters and years are read in
Microsoft's fiscal calendar (the company and the press speak of its fiscal years), in the calendar
for the others: Alibaba's press mixes both and names its fiscal periods explicitly.
"""

from __future__ import annotations

import re
from datetime import date

from bot.ledger.entries import (
    FISCAL_YEAR_END_MONTH,
    UNKNOWN_PERIOD,
    Period,
    fiscal_quarter_period,
    fiscal_year_of,
    horizon_period,
    month_index,
    month_of,
    parse_partial_date,
    quarter_period,
    span_period,
    target_period,
    year_period,
)

# Companies whose bare "Q1 2026" / "2025" mean the fiscal period.
BARE_PERIODS_FISCAL: frozenset[str] = frozenset({"microsoft"})

_NUMBER_WORDS: dict[str, int] = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "twenty": 20, "un": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "dix": 10,
    "ein": 1, "zwei": 2, "drei": 3, "vier": 4, "fünf": 5, "sechs": 6, "zehn": 10,
    "一": 1, "二": 2, "两": 2, "兩": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
    "十": 10, "first": 1, "second": 2, "third": 3, "fourth": 4,
    "premier": 1, "deuxième": 2, "troisième": 3, "quatrième": 4,
}
_NUM = r"(\d{1,2}|twenty|one|two|three|four|five|six|seven|eight|nine|ten|un|deux|trois|quatre|cinq|dix|" \
       r"ein|zwei|drei|vier|fünf|sechs|zehn|[一二两兩三四五六七八九十])"
_ORD = r"(first|second|third|fourth|1st|2nd|3rd|4th)"
_MONTH_NAMES = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
    "oct": 10, "nov": 11, "dec": 12,
}
_MONTH = r"(january|february|march|april|may|june|july|august|september|october|november|december|" \
         r"jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)"


def _number(word: str) -> int:
    word = word.lower()
    if word.isdigit():
        return int(word)
    return {"1st": 1, "2nd": 2, "3rd": 3, "4th": 4}.get(word) or _NUMBER_WORDS[word]


def _year(text: str) -> int:
    value = int(text)
    return value + 2000 if value < 100 else value


def article_date_of(article_date: date | str | None) -> tuple[date, str] | None:
    """An article's date and how precise it is ("year", "month" or "day"); None when it has none.
    A "YYYY" or "YYYY-MM" date comes back as its first day, the precision says what it stood for."""
    if article_date is None or article_date == "":
        return None
    if isinstance(article_date, date):
        return article_date, "day"
    text = str(article_date).strip()[:10]
    try:
        parsed = parse_partial_date(text)
    except ValueError:
        return None
    return parsed, {4: "year", 7: "month"}.get(len(text), "day")


def reference_month(article_date: date | str | None) -> int | None:
    """The article's month as a month_index (a bare year is taken as its June: mid-year)."""
    dated = article_date_of(article_date)
    if dated is None:
        return None
    day, precision = dated
    return month_index(day.year, 6 if precision == "year" else day.month)


def _last_completed_quarter(company: str, ref: int) -> Period:
    # Calendar quarters and the March/June fiscal quarters share the same three-month blocks.
    start_of_current = ref - (ref % 3)
    return quarter_period(company, start_of_current - 3)


def _quarter_number(company: str, number: int, year: int | None, fiscal: bool, ref: int | None) -> Period:
    if fiscal and FISCAL_YEAR_END_MONTH.get(company, 12) != 12:
        if year is not None:
            return fiscal_quarter_period(company, year, number)
        if ref is None:
            return UNKNOWN_PERIOD
        fy = fiscal_year_of(company, ref)
        candidate = fiscal_quarter_period(company, fy, number)
        if candidate.start is not None and candidate.start > ref:
            candidate = fiscal_quarter_period(company, fy - 1, number)
        return candidate
    if year is not None:
        return quarter_period(company, month_index(year, 3 * number - 2))
    if ref is None:
        return UNKNOWN_PERIOD
    ref_year = month_of(ref)[0]
    start = month_index(ref_year, 3 * number - 2)
    return quarter_period(company, start if start <= ref else start - 12)


def _quarter_ending(company: str, month: int, year: int | None, ref: int | None) -> Period:
    if month % 3 != 0:
        return UNKNOWN_PERIOD
    if year is None:
        if ref is None:
            return UNKNOWN_PERIOD
        end = month_index(month_of(ref)[0], month)
        if end > ref:
            end -= 12
    else:
        end = month_index(year, month)
    return quarter_period(company, end - 2)


def _fiscal(company: str, explicit: bool) -> bool:
    return explicit or company in BARE_PERIODS_FISCAL


def _ref_year(company: str, ref: int, fiscal: bool) -> int:
    return fiscal_year_of(company, ref) if fiscal else month_of(ref)[0]


_RULES_FISCAL_QUARTER = (
    re.compile(r"\bq([1-4])\s*(?:of\s+)?(?:fy|fiscal(?:\s+year)?|財年|财年)\s*'?(\d{4}|\d{2})\b"),
    re.compile(r"\b(?:fy|fiscal(?:\s+year)?)\s*'?(\d{4}|\d{2})\s*q([1-4])\b"),
    re.compile(r"(\d{4})\s*(?:财年|財年|財政年度|财政年度|会計年度)\s*第?([1-4一二三四])\s*(?:季|四半期)"),
    # Japanese "2026年度第1四半期": 年度 alone is the fiscal year only next to 四半期 (in Chinese it is any year)
    re.compile(r"(\d{4})\s*年度\s*第?([1-4一二三四])\s*四半期"),
)
_FISCAL_ORDINAL = re.compile(
    r"\b(?:(current|this|next|last|previous)\s+)?fiscal\s+" + _ORD
    + r"\s+quarter(?:\s+of\s+(?:fiscal\s+)?(\d{4}))?")
_ORDINAL_FISCAL = re.compile(_ORD + r"\s+(?:fiscal\s+)?quarter\s+of\s+fiscal(?:\s+year)?\s+'?(\d{4}|\d{2})")
_QUARTER_CODES = (
    re.compile(r"\bq([1-4])\s*'?(\d{4}|\d{2})\b"),
    re.compile(r"\b(\d{4})\s*q([1-4])\b"),
    re.compile(r"\b([1-4])q\s*'?(\d{2}|\d{4})\b"),
)
_ORDINAL_QUARTER = re.compile(_ORD + r"[\s-]+quarter(?:\s+(?:of\s+)?(\d{4}))?")
_FR_QUARTER = re.compile(r"(premier|deuxième|troisième|quatrième|1er|"
                         r"[1-4]e)\s+trimestre(?:\s+(?:de\s+)?(\d{4}))?"
                         r"|\bt([1-4])\s+(\d{4})")
_DE_QUARTER = re.compile(r"\b([1-4])\.\s*quartal(?:\s+(\d{4}))?")
# "im ersten Quartal des Geschäftsjahres 2026": a fiscal quarter when the fiscal year is named
_DE_ORDINAL_QUARTER = re.compile(r"\b(erst|zweit|dritt|viert)en?\s+(?:geschäfts)?quartals?"
                                 r"(?:\s+(des\s+geschäftsjahres\s+)?(\d{4}))?")
_DE_ORDINALS = {"erst": 1, "zweit": 2, "dritt": 3, "viert": 4}
_CJK_QUARTER = re.compile(r"(?:(\d{4})\s*年?\s*)?第\s*([1-4一二三四])\s*(?:季度|季|四半期)")
# Three months named as a range: "July-September (2025)", "July to September", "2025年7～9月期", "7-9月"
_MONTH_RANGE = re.compile(_MONTH + r"\s*(?:-|–|to|through)\s*" + _MONTH + r"(?:\s+(?:period\s+)?(?:of\s+)?(\d{4}))?")
_CJK_MONTH_RANGE = re.compile(r"(?:(\d{4})\s*年\s*)?(\d{1,2})\s*[～~〜\-－—至到]\s*(\d{1,2})\s*月")
# German "im Septemberquartal (2025)"
_DE_MONTH_QUARTER = re.compile(r"(märz|juni|september|dezember)quartals?(?:\s+(\d{4}))?")
_DE_MONTHS = {"märz": 3, "juni": 6, "september": 9, "dezember": 12}
_MONTH_QUARTER = re.compile(_MONTH + r"(?:\s+(\d{4}))?\s+quarter"
                            r"|quarter\s+(?:ended|ending|to)\s+(?:in\s+)?(?:\d{1,2}\s+)?" + _MONTH
                            + r"(?:\s+\d{1,2},?)?(?:\s+(\d{4}))?")
_THIS_QUARTER = re.compile(r"\b(?:this|the|latest|last|most recent|reported|past)\s+quarter\b|本季度|本季|"
                           r"当季|當季|"
                           r"该季|該季|上季度|ce trimestre|au trimestre|dans le trimestre|im quartal|"
                           r"当四半期|"
                           r"\bquarterly\b|\bduring the quarter\b")
_CURRENT_QUARTER = re.compile(r"\b(?:current|ongoing)\s+quarter\b|本季度内")
_NEXT_QUARTER = re.compile(r"\b(?:next|coming|following)\s+quarter\b|下季度|下一季度|下个季度|"
                           r"prochain trimestre")
_BARE_QUARTER = re.compile(r"\bq([1-4])\b")
_HALF = (
    re.compile(r"\bh([12])\s*'?(\d{4}|\d{2})\b"),
    re.compile(r"\b(\d{4})\s*h([12])\b"),
    re.compile(r"\b(first|second)\s+half(?:\s+of)?\s+(\d{4})"),
    re.compile(r"(\d{4})\s*年?\s*(上|下)半年"),
)
_FISCAL_YEAR = (
    re.compile(r"\b(?:fy|fiscal(?:\s+year)?|exercice(?:\s+fiscal)?|geschäftsjahr(?:es)?)\s*'?(\d{4}|"
               r"\d{2})\b"),
    re.compile(r"(\d{4})\s*(?:财年|財年|财政年度|財政年度|会計年度|年度)"),
    re.compile(r"\bfiscal\s+year\s+(?:ending|ended)\s+(?:in\s+)?(?:" + _MONTH
               + r"\s+)?(?:\d{1,2},?\s+)?(\d{4})"),
)
_RELATIVE_FISCAL_YEAR = re.compile(
    r"\b(this|current|next|coming|last|previous|prior)\s+fiscal(?:\s+year)?\b|(本|下一?|"
    r"上一?)\s*(?:个)?\s*财年|"
    r"(本|下一?|上一?)\s*財年"
    r"|(cet|le prochain|le dernier)\s+exercice|exercice\s+(en cours|prochain)")
_SINCE = re.compile(r"\bsince\s+(?:" + _MONTH + r"\s+)?(\d{4})"
                    r"|(?:自|从|從)\s*(\d{4})\s*年\s*(?:(\d{1,2})\s*月)?"
                    r"|depuis\s+(\d{4})|seit\s+(\d{4})")
_LTM = re.compile(r"\b(?:past|last|trailing)\s+(?:four|4)\s+quarters\b|\b(?:past|last|"
                  r"trailing)\s+(?:twelve|12)\s+months\b|"
                  r"过去四个季度|過去四個季度|过去12个月|過去12個月|"
                  r"(?:quatre|4) derniers trimestres|(?:douze|12) derniers mois|"
                  r"letzten (?:vier|4) quartal(?:e|en)?|letzten (?:zwölf|12) monat(?:e|en)?|"
                  r"過去(?:4|４)四半期|直近(?:4|４)四半期|過去(?:12|１２)(?:か|カ|ヶ)月")
_SPAN = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*(?:-|–|—|to|through|until|à|au|bis|至|到|~|～)\s*((?:19|"
                   r"20)\d{2})(?!\d)"
                   r"|between\s+((?:19|20)\d{2})\s+and\s+((?:19|20)\d{2})|entre\s+(\d{4})\s+et\s+(\d{4})")
_TARGET = re.compile(r"\bby\s+(?:the\s+end\s+of\s+)?((?:20|19)\d{2})\b|d['’]ici\s+(?:à\s+|"
                     r"la fin de\s+)?((?:20)\d{2})|"
                     r"\bbis\s+(?:zum\s+jahr\s+|ende\s+)?((?:20)\d{2})\b|(?:到|"
                     r"至)\s*((?:20)\d{2})\s*(?:年?\s*(?:前|底|以前)|年(?=\s*[，,其将將时時]))|"
                     r"((?:20)\d{2})\s*年?\s*(?:前|までに)")
_THROUGH = re.compile(r"\b(?:through|until|till|to|thru)\s+((?:20)\d{2})\b|(?:到|至|"
                      r"直至)\s*((?:20)\d{2})\s*年"
                      r"|jusqu['’]en\s+((?:20)\d{2})")
_HORIZON = (
    re.compile(r"\b(?:next|coming|following|over|within|in the next|over the next|during the next|"
               r"the next)\s+"
               + _NUM + r"\s+years?\b"),
    re.compile(r"\b" + _NUM + r"[\s-]+years?\b(?![\s-]+(?:ago|old|earlier))"),
    re.compile(r"(?:未来|今后|今後|未來|接下来|接下來)\s*" + _NUM + r"\s*年"),
    re.compile(_NUM + r"\s*年(?:内|內|间|間|計画|期间)"),
    re.compile(_NUM + r"\s+prochaines\s+années|sur\s+" + _NUM + r"\s+ans|(?:pendant|durant)\s+"
               + _NUM + r"\s+ans"),
    re.compile(r"(?:kommenden|nächsten|folgenden)\s+" + _NUM + r"\s+jahre"),
    re.compile(r"今後\s*(\d{1,2})\s*年"),
)
_YEAR = re.compile(r"(?<![\d.,])((?:19|20)\d{2})(?![\d.,%])")
_THIS_YEAR = re.compile(r"\bthis\s+year\b|\bcurrent\s+year\b|今年|本年|cette\s+année|dieses\s+jahr|"
                        r"in\s+diesem\s+jahr|"
                        r"\bthe\s+year\b|\bfull[\s-]year\b|全年|通年")
_NEXT_YEAR = re.compile(r"\bnext\s+year\b|明年|来年|來年|l['’]an(?:née)?\s+prochaine?|nächstes\s+jahr|"
                        r"im\s+kommenden\s+jahr")
_LAST_YEAR = re.compile(r"\blast\s+year\b|\bprevious\s+year\b|\bprior\s+year\b|去年|上年|昨年|"
                        r"l['’]an(?:née)?\s+derni[eè]re?|"
                        r"letztes\s+jahr|im\s+vorjahr")
_ANNUAL = re.compile(r"\bannual(?:ly)?\b|\bannual\s+basis\b|\brun[\s-]rate\b|\bper\s+year\b|\bpar\s+an\b|"
                     r"jährlich|年化")
_PAREN = re.compile(r"[(（]([^()（）]{2,40})[)）]")


def period_from_text(text: str | None, company: str, ref: int | None) -> Period:
    """The period a figure refers to, in the company's calendar; UNKNOWN_PERIOD when none is written."""
    if not text:
        return UNKNOWN_PERIOD
    lowered = text.lower().strip()
    # A normalisation in parentheses ("今年 (2025)", "exercice 2025 (FY2025)") is the most explicit.
    for inner in _PAREN.findall(lowered):
        found = _parse(inner, company, ref)
        if found.known:
            return found
    return _parse(_PAREN.sub(" ", lowered) if _PAREN.search(lowered) else lowered, company, ref)


def _parse(t: str, company: str, ref: int | None) -> Period:
    fiscal_company = FISCAL_YEAR_END_MONTH.get(company, 12) != 12
    for pattern in _RULES_FISCAL_QUARTER:
        m = pattern.search(t)
        if m:
            first, second = m.groups()
            # The first pattern names the quarter first, the other two the year first.
            quarter_first = pattern is _RULES_FISCAL_QUARTER[0]
            quarter_text, year_text = (first, second) if quarter_first else (second, first)
            return _quarter_number(company, _number(quarter_text), _year(year_text), fiscal=True, ref=ref)
    m = _FISCAL_ORDINAL.search(t)
    if m:
        relative, ordinal, year = m.groups()
        if year:
            return _quarter_number(company, _number(ordinal), _year(year), fiscal=True, ref=ref)
        if ref is None:
            return UNKNOWN_PERIOD
        fy = fiscal_year_of(company, ref) if fiscal_company else month_of(ref)[0]
        fy += {"next": 1, "last": -1, "previous": -1}.get(relative or "", 0)
        if not fiscal_company:
            return quarter_period(company, month_index(fy, 3 * _number(ordinal) - 2))
        return fiscal_quarter_period(company, fy, _number(ordinal))
    m = _ORDINAL_FISCAL.search(t)
    if m:
        return _quarter_number(company, _number(m.group(1)), _year(m.group(2)), fiscal=True, ref=ref)
    for index, pattern in enumerate(_QUARTER_CODES):
        m = pattern.search(t)
        if m:
            a, b = m.groups()
            number, year = (int(b), _year(a)) if index == 1 else (int(a), _year(b))
            return _quarter_number(company, number, year, fiscal=_fiscal(company, False), ref=ref)
    m = _ORDINAL_QUARTER.search(t)
    if m:
        # "the third quarter (of 2025)": without a year, the latest such quarter by the article's date
        return _quarter_number(company, _number(m.group(1)), _year(m.group(2)) if m.group(2) else None,
                               fiscal=_fiscal(company, False), ref=ref)
    m = _FR_QUARTER.search(t)
    if m:
        word, year, t_number, t_year = m.groups()
        if t_number:
            return _quarter_number(company, int(t_number), int(t_year), _fiscal(company, False), ref)
        number = {"1er": 1, "1e": 1, "2e": 2, "3e": 3, "4e": 4}.get(word) or _number(word)
        return _quarter_number(company, number, int(year) if year else None, _fiscal(company, False), ref)
    m = _DE_ORDINAL_QUARTER.search(t)
    if m:
        word, fiscal_year, year = m.groups()
        return _quarter_number(company, _DE_ORDINALS[word], int(year) if year else None,
                               bool(fiscal_year) or _fiscal(company, False), ref)
    m = _DE_QUARTER.search(t)
    if m:
        return _quarter_number(company, int(m.group(1)), int(m.group(2)) if m.group(2) else None,
                               _fiscal(company, False), ref)
    m = _CJK_QUARTER.search(t)
    if m:
        cjk_year, cjk_number = m.groups()
        return _quarter_number(company, _number(cjk_number), int(cjk_year) if cjk_year else None,
                               fiscal=False, ref=ref)
    m = _MONTH_RANGE.search(t)
    if m and (_MONTH_NAMES[m.group(2)] - _MONTH_NAMES[m.group(1)]) % 12 == 2:
        return _quarter_ending(company, _MONTH_NAMES[m.group(2)], int(m.group(3)) if m.group(3) else None, ref)
    m = _CJK_MONTH_RANGE.search(t)
    if m and 1 <= int(m.group(2)) <= 12 and int(m.group(3)) - int(m.group(2)) == 2:
        return _quarter_ending(company, int(m.group(3)), int(m.group(1)) if m.group(1) else None, ref)
    m = _DE_MONTH_QUARTER.search(t)
    if m:
        return _quarter_ending(company, _DE_MONTHS[m.group(1)], int(m.group(2)) if m.group(2) else None, ref)
    m = _MONTH_QUARTER.search(t)
    if m:
        month_a, year_a, month_b, year_b = m.groups()
        month = _MONTH_NAMES[month_a or month_b]
        year = year_a or year_b
        return _quarter_ending(company, month, int(year) if year else None, ref)
    if _NEXT_QUARTER.search(t):
        return UNKNOWN_PERIOD if ref is None else quarter_period(company, ref - ref % 3 + 3)
    if _CURRENT_QUARTER.search(t):
        return UNKNOWN_PERIOD if ref is None else quarter_period(company, ref - ref % 3)
    if _THIS_QUARTER.search(t):
        return UNKNOWN_PERIOD if ref is None else _last_completed_quarter(company, ref)
    m = _BARE_QUARTER.search(t)
    if m:
        return _quarter_number(company, int(m.group(1)), None, _fiscal(company, False), ref)
    for index, pattern in enumerate(_HALF):
        m = pattern.search(t)
        if m:
            a, b = m.groups()
            if index == 0:
                half, year = int(a), _year(b)
            elif index == 1:
                half, year = int(b), int(a)
            elif index == 2:
                half, year = (1 if a == "first" else 2), int(b)
            else:
                half, year = (1 if b == "上" else 2), int(a)
            start = month_index(year, 1 if half == 1 else 7)
            return Period("half", f"{year}H{half}", start, start + 5)
    for index, pattern in enumerate(_FISCAL_YEAR):
        m = pattern.search(t)
        if m:
            year_text = m.groups()[-1]
            if index == 1 and not fiscal_company and "年度" in m.group(0):
                return year_period(company, int(year_text), fiscal=False)
            return year_period(company, _year(year_text), fiscal=True)
    m = _RELATIVE_FISCAL_YEAR.search(t)
    if m:
        if ref is None:
            return UNKNOWN_PERIOD
        word = next(g for g in m.groups() if g)
        offset = 1 if any(w in word for w in ("next", "coming", "下", "prochain")) else \
            -1 if any(w in word for w in ("last", "previous", "prior", "上", "dernier")) else 0
        return year_period(company, fiscal_year_of(company, ref) + offset, fiscal=True)
    m = _SINCE.search(t)
    if m:
        g = m.groups()
        month_name, year_en, year_zh, month_zh, year_fr, year_de = g
        year = int(year_en or year_zh or year_fr or year_de)
        month = _MONTH_NAMES[month_name] if month_name else int(month_zh) if month_zh else 1
        start = month_index(year, month)
        return Period("since", f"SINCE{year}-{month:02d}", start, None)
    if _LTM.search(t):
        if ref is None:
            return UNKNOWN_PERIOD
        last = _last_completed_quarter(company, ref)
        assert last.end is not None
        year, month = month_of(last.end)
        return Period("ltm", f"LTM{year}-{month:02d}", last.end - 11, last.end)
    m = _SPAN.search(t)
    if m:
        bounds = [int(x) for x in m.groups() if x]
        if len(bounds) == 2 and bounds[0] < bounds[1]:
            return span_period(bounds[0], bounds[1])
    m = _TARGET.search(t)
    if m:
        return target_period(int(next(g for g in m.groups() if g)))
    m = _THROUGH.search(t)
    if m and ref is not None:
        last_year = int(next(g for g in m.groups() if g))
        first_year = month_of(ref)[0]
        if last_year > first_year:
            return span_period(first_year, last_year)
    for pattern in _HORIZON:
        m = pattern.search(t)
        if m:
            years = _number(m.group(m.lastindex or 1))
            # A 20-year power purchase agreement is a horizon too; "1 year" is a year, not a plan.
            if 1 < years <= 30:
                return horizon_period(years, ref)
    years_found = sorted({int(y) for y in _YEAR.findall(t)})
    if years_found:
        return year_period(company, years_found[0], fiscal=_fiscal(company, False))
    if ref is not None:
        fiscal = _fiscal(company, False)
        if _NEXT_YEAR.search(t):
            return year_period(company, _ref_year(company, ref, fiscal) + 1, fiscal)
        if _LAST_YEAR.search(t):
            return year_period(company, _ref_year(company, ref, fiscal) - 1, fiscal)
        if _THIS_YEAR.search(t):
            return year_period(company, _ref_year(company, ref, fiscal), fiscal)
        if _ANNUAL.search(t):
            # An annual figure reported now is the last completed (fiscal) year.
            fy = fiscal_year_of(company, ref) if fiscal_company else month_of(ref)[0]
            return year_period(company, fy - 1, fiscal_company)
    return UNKNOWN_PERIOD
