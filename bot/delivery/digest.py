"""The digest: what changed in the last N days, grouped by company then topic. Pure, except `render_chart`
(matplotlib, no network, no clock).

    parse_schedule(["mon", "08:00", "Europe/Paris"]) -> DigestSchedule      (or None for "off")
    next_run(schedule, after)                         -> datetime (UTC)     the next slot strictly after
    build_digest(items, companies, topics)            -> list[CompanySection]
    build_series(items)                               -> list[Series]       each figure's moves over the window
    render_digest_html(sections, days)                -> str                Telegram HTML, feed text escaped
    render_chart(sections)                            -> bytes | None       PNG: each series against Apsara

The schedule is wall-clock time in the subscriber's time zone, so "Monday 08:00 Europe/Paris" stays at
08:00 across daylight-saving changes; the next run is stored in the database as UTC (see bot.store.database).
"""

from __future__ import annotations

import html
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.delivery.headline import CAPEX_COMPANY_NAMES, SCOPE_LABELS, format_figure, sources_text, story_line
from bot.errors import BotError
from bot.ledger.entries import METRICS, format_period, parse_period_code
from bot.model import BASELINE_EVENT, COMPANIES, COMPANY_NAMES, TOPICS
from bot.model.records import DigestItem

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
TOPIC_NAMES = {"capex": "AI capex", "cloud": "Cloud", "energy": "Data-centre energy"}
VERDICT_MARKS = {"raised": "▲", "lowered": "▼", "new": "●", "horizon_changed": "⇄"}
# A digest of more lines than this is cut (with a note): a week is rarely that busy, and a longer
# message would be split into several that nobody reads.
MAX_DIGEST_LINES = 60


class ScheduleError(BotError, ValueError):
    """A schedule the user typed that cannot be understood; the message says how to write it."""


@dataclass(frozen=True)
class DigestSchedule:
    weekday: int  # 0 = Monday
    at: time
    tz: str

    def text(self) -> str:
        return f"{WEEKDAYS[self.weekday]} {self.at:%H:%M} {self.tz}"

    def describe(self) -> str:
        return f"every {_DAY_NAMES[self.weekday]} at {self.at:%H:%M} ({self.tz})"


_DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MAX_ZONE_NAME = 64  # the longest IANA name is about 30 characters
MAX_ECHO = 40
SCHEDULE_USAGE = "/digest weekly mon 08:00 Europe/Paris (day, 24-hour time, optional time zone) or /digest off"


def parse_schedule(words: Sequence[str]) -> DigestSchedule | None:
    """`mon 08:00 [TZ]` → a schedule; `off` → None. The leading word `weekly` is optional."""
    args = [w.strip() for w in words if w.strip()]
    if args and args[0].lower() == "weekly":
        args = args[1:]
    if len(args) == 1 and args[0].lower() == "off":
        return None
    if len(args) not in (2, 3):
        raise ScheduleError(f"expected a day and a time, e.g. {SCHEDULE_USAGE}")
    day = args[0].lower()[:3]
    if day not in WEEKDAYS:
        raise ScheduleError(f"{_shown(args[0])} is not a day; use one of {', '.join(WEEKDAYS)}")
    try:
        hour_text, minute_text = args[1].split(":")
        at = time(int(hour_text), int(minute_text))
    except ValueError:
        raise ScheduleError(f"{_shown(args[1])} is not a time; write it as HH:MM, e.g. 08:00") from None
    tz = args[2] if len(args) == 3 else "UTC"
    try:
        if len(tz) > MAX_ZONE_NAME:  # the file system would answer "name too long" (OSError)
            raise ValueError(tz)
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise ScheduleError(f"{_shown(tz)} is not a time zone; use a name like Europe/Paris or Asia/Shanghai") from None
    return DigestSchedule(WEEKDAYS.index(day), at, tz)


def _shown(word: str) -> str:
    """A user's word quoted back in an error: plain quotes (not Python's repr), cut to a sane length."""
    return f"“{word[:MAX_ECHO]}…”" if len(word) > MAX_ECHO else f"“{word}”"


def schedule_from_text(text: str | None) -> DigestSchedule | None:
    """The stored form (DigestSchedule.text() or "off") back to a schedule."""
    if not text or text == "off":
        return None
    return parse_schedule(text.split())


def next_run(schedule: DigestSchedule, after: datetime) -> datetime:
    """The first scheduled moment strictly after `after`, in UTC."""
    zone = ZoneInfo(schedule.tz)
    local = after.astimezone(zone)
    days_ahead = (schedule.weekday - local.weekday()) % 7
    for extra in (0, 7, 14):
        day = (local + timedelta(days=days_ahead + extra)).date()
        # wall-clock time in the zone; a time skipped by a DST jump resolves to the later offset
        candidate = datetime.combine(day, schedule.at, tzinfo=zone).astimezone(UTC)
        if candidate > after.astimezone(UTC):
            return candidate
    raise AssertionError("unreachable: a weekly slot exists within three weeks")


@dataclass(frozen=True)
class DigestLine:
    item: DigestItem
    collapsed: int  # how many earlier statements of the same figure this line stands for


@dataclass(frozen=True)
class SeriesPoint:
    period: str  # "Q2 FY2026", "2025", "at Jun 2025"
    text: str  # "RMB 39.8 bn", "$91–93 bn", "+40 %"
    value: float | None  # what the chart draws: bn of the currency, the rate, the count
    unit: str  # the chart's axis unit: "RMB bn", "% YoY", "regions"
    alert_id: int | None  # None: the figure known before the window (from the ledger)
    guide: bool = False  # the guide an actual was compared with


@dataclass(frozen=True)
class Series:
    """One figure's moves over the digest window: the value it moved from, then each statement."""

    company: str
    topic: str
    label: str  # "Alibaba cloud revenue", "Alphabet capex guidance"
    points: tuple[SeriesPoint, ...]
    apsara: SeriesPoint | None  # the value known at Apsara 2025

    @property
    def direction(self) -> str:
        """"up", "down" or "flat": last point against the first, within half a percent (or point)."""
        values = [p.value for p in self.points if p.value is not None]
        if len(values) < 2:
            return "flat"
        first, last = values[0], values[-1]
        margin = 0.5 if self.points[-1].unit.startswith("%") else abs(first) * 0.005
        return "up" if last > first + margin else "down" if last < first - margin else "flat"

    @property
    def same_period(self) -> bool:
        return len({p.period for p in self.points}) == 1

    def text(self) -> str:
        """"capex guidance 2025: $85 bn → $91–93 bn", "cloud revenue: Q1 FY2026 RMB 33.4 bn → Q2 FY2026 …"."""
        if self.same_period:
            head = f"{self.label} {self.points[0].period}".rstrip()
            return f"{head}: " + " → ".join(p.text for p in self.points)
        return f"{self.label}: " + " → ".join(f"{p.period} {p.text}".strip() for p in self.points)


SERIES_MARKS = {"up": "↗", "down": "↘", "flat": "→"}


def _money_unit(currency: str) -> str:
    return {"USD": "$ bn", "CNY": "RMB bn", "EUR": "€ bn", "GBP": "£ bn", "JPY": "¥ bn"}.get(currency, f"{currency} bn")


def _point(fields: Mapping[str, Any], period: str, growth: bool, alert_id: int | None) -> SeriesPoint | None:
    """A series point from a claim's figure or a `previous` entry (same keys, see compare.previous_json)."""
    amount, amount_max = fields.get("amount", fields.get("value")), fields.get("amount_max", fields.get("value_max"))
    if growth:
        rate = fields.get("change_pct") if "amount" in fields else fields.get("value")
        if not isinstance(rate, int | float):
            return None
        return SeriesPoint(period, f"{rate:+.0f} %", float(rate), "% YoY", alert_id)
    if not isinstance(amount, int | float):
        return None
    currency, unit = fields.get("currency"), fields.get("unit")
    text = format_figure(float(amount), amount_max if isinstance(amount_max, int | float) else None, currency,
                         unit, bool(fields.get("floor")))
    mid = float(amount) if not isinstance(amount_max, int | float) else (float(amount) + float(amount_max)) / 2
    if currency:
        return SeriesPoint(period, text, mid / 1e9, _money_unit(str(currency)), alert_id)
    return SeriesPoint(period, text, mid, str(unit or "").split(" (")[0], alert_id)


def _period_label(code: Any, company: str) -> str:
    try:
        return format_period(parse_period_code(str(code), company), company)
    except ValueError:
        return ""


def series_label(company: str, topic: str, metric: str, scope: str | None) -> str:
    names = CAPEX_COMPANY_NAMES if topic == "capex" else COMPANY_NAMES
    label = METRICS[metric].label if metric in METRICS else metric
    scope_label = SCOPE_LABELS.get(scope or "", "")
    name = names.get(company, company)
    if scope_label and scope_label != "cloud":
        if scope_label.startswith(name):
            return f"{scope_label} {label.removeprefix('cloud ')}"
        return f"{name} {scope_label} {label.removeprefix('cloud ')}"
    return f"{name} {label}"


def build_series(items: Iterable[DigestItem]) -> list[Series]:
    """Per company, metric and scope: the figure it moved from, then each alert's figure, oldest first.

    A statement repeating the last point (a restatement) adds nothing; a figure in another currency than
    the series' last is shown in the text but not drawn.
    """
    grouped: dict[tuple[str, str, str], list[DigestItem]] = {}
    for item in sorted(items, key=lambda i: (i.created_at, i.alert_id)):
        metric = item.assessment.get("metric")
        if not isinstance(metric, str) or not item.figure:
            continue
        grouped.setdefault((item.company, metric, str(item.assessment.get("scope") or "")), []).append(item)
    found: list[Series] = []
    for (company, metric, scope), members in grouped.items():
        first = members[0]
        growth = METRICS[metric].growth if metric in METRICS else False
        growth = growth or (first.figure.get("amount") is None and first.figure.get("change_pct") is not None)
        points: list[SeriesPoint] = []
        previous = first.assessment.get("previous")
        if isinstance(previous, Mapping) and first.assessment.get("compared_with") not in (None, "none"):
            start = _point(previous, _period_label(previous.get("period_code"), company), growth, None)
            if start is not None:
                guide = bool(previous.get("guide")) and METRICS.get(metric) is not None \
                    and METRICS[metric].quantity != "guidance"
                points.append(replace(start, text=f"guide {start.text}", guide=True) if guide else start)
        for item in members:
            point = _point(item.figure, _period_label(item.assessment.get("period_code"), company), growth,
                           item.alert_id)
            if point is not None and not (points and (points[-1].period, points[-1].text) == (point.period,
                                                                                          point.text)):
                points.append(point)
        if not points:
            continue
        apsara_fields = first.assessment.get("apsara")
        apsara = _point(apsara_fields, _period_label(apsara_fields.get("period_code"), company), growth, None) \
            if isinstance(apsara_fields, Mapping) else None
        found.append(Series(company, first.topic, series_label(company, first.topic, metric, scope or None),
                            tuple(points), apsara))
    return found


@dataclass(frozen=True)
class TopicSection:
    topic: str
    lines: tuple[DigestLine, ...]
    series: tuple[Series, ...] = ()


@dataclass(frozen=True)
class CompanySection:
    company: str
    topics: tuple[TopicSection, ...]


def build_digest(items: Iterable[DigestItem], companies: Iterable[str] = COMPANIES,
                 topics: Iterable[str] = TOPICS) -> list[CompanySection]:
    """Group by company then topic (in the bot's fixed order); the latest statement per figure wins."""
    wanted_companies, wanted_topics = set(companies), set(topics)
    items = [i for i in items if i.company in wanted_companies and i.topic in wanted_topics]
    all_series = build_series(items)
    latest: dict[str, DigestItem] = {}
    counts: dict[str, int] = {}
    for item in sorted(items, key=lambda i: (i.created_at, i.alert_id)):
        if item.company not in wanted_companies or item.topic not in wanted_topics:
            continue
        latest[item.group_key] = item
        counts[item.group_key] = counts.get(item.group_key, 0) + 1
    sections: list[CompanySection] = []
    for company in COMPANIES:
        topic_sections = []
        for topic in TOPICS:
            lines = tuple(DigestLine(i, counts[k] - 1) for k, i in latest.items()
                          if i.company == company and i.topic == topic)
            if lines:
                series = tuple(x for x in all_series if x.company == company and x.topic == topic)
                topic_sections.append(TopicSection(topic, tuple(sorted(lines, key=lambda ln: ln.item.alert_id)),
                                                   series))
        if topic_sections:
            sections.append(CompanySection(company, tuple(topic_sections)))
    return sections


# What the delta of a line is against (the assessment's compared_with); alerts from before issue 12 say
# nothing, and their delta is against the baseline entry.
DELTA_AGAINST = {"guidance": "vs the guide", "previous_period": "vs the previous period",
                 "year_ago": "vs a year earlier", "same_period": "vs the earlier statement",
                 "stock": "vs the latest level"}


def delta_text(delta_pct: float | None, verdict: str, compared_with: object = None) -> str:
    if delta_pct is None:
        return "new, no baseline figure" if verdict == "new" else "no comparable baseline figure"
    against = DELTA_AGAINST.get(str(compared_with), "vs baseline")
    return f"{delta_pct:+.0f} % {against}" if abs(delta_pct) >= 1 else f"{delta_pct:+.1f} % {against}"


def render_digest_html(sections: Sequence[CompanySection], days: int, *, scheduled: bool = False) -> str:
    """The digest message; every headline comes from feed text and is escaped."""
    period = "this week" if days == 7 else f"the last {days} days"
    title = f"<b>{'Weekly digest' if scheduled else 'Digest'}: changes in {period}</b>"
    if not sections:
        return (f"{title}\nNothing changed against the {BASELINE_EVENT} baseline in {period}. "
                "/baseline shows the reference figures.")
    out = [title + f" (against the {BASELINE_EVENT} baseline)"]
    shown = 0
    total = sum(len(t.lines) for s in sections for t in s.topics)
    for section in sections:
        if shown >= MAX_DIGEST_LINES:
            break
        out.append(f"\n<b>{html.escape(COMPANY_NAMES.get(section.company, section.company))}</b>")
        for topic in section.topics:
            out.append(f"<i>{TOPIC_NAMES.get(topic.topic, topic.topic)}</i>")
            for series in topic.series:
                if len(series.points) >= 2:  # a figure with something it moved from
                    out.append(f"{SERIES_MARKS[series.direction]} {html.escape(series.text())}")
            for line in topic.lines:
                if shown >= MAX_DIGEST_LINES:
                    break
                out.append(render_digest_line(line))
                shown += 1
    if shown < total:
        out.append(f"\n… and {total - shown} more: /digest with fewer days narrows it down.")
    return "\n".join(out)


def render_digest_line(line: DigestLine) -> str:
    item = line.item
    mark = VERDICT_MARKS.get(item.verdict, "•")
    sources = sources_text(item.sources)
    extra = f", {line.collapsed} earlier statement{'s' if line.collapsed != 1 else ''} collapsed" \
        if line.collapsed else ""
    line_text = story_line(item.story, item.headline, with_sources=False)
    delta = delta_text(item.delta_pct, item.verdict, item.assessment.get("compared_with"))
    return (f"{mark} {html.escape(line_text)} ({delta}; "
            f"{sources}{extra}) /why {item.alert_id}")


def chart_series(sections: Sequence[CompanySection]) -> list[Series]:
    """The series the chart draws: those with two numbers (a move), in digest order (at most MAX_CHART_SERIES)."""
    drawn = [x for section in sections for topic in section.topics for x in topic.series
             if len([p for p in x.points if p.value is not None]) >= 2]
    return drawn[:MAX_CHART_SERIES]


MAX_CHART_SERIES = 8


def render_chart(sections: Sequence[CompanySection], days: int) -> bytes | None:
    """One small panel per series: its values by period against the Apsara 2025 value, as PNG.

    None when no series has a number. Values of another unit than the series' last point (a figure in
    another currency) are left out of the panel rather than drawn on a wrong scale.
    """
    drawn = chart_series(sections)
    if not drawn:
        return None
    import matplotlib

    matplotlib.use("Agg")  # no display on a server; must precede pyplot
    from matplotlib.figure import Figure

    columns = 1 if len(drawn) == 1 else 2
    rows = (len(drawn) + columns - 1) // columns
    # A Figure without pyplot: no global state, safe to call from any thread.
    fig = Figure(figsize=(5.2 * columns, 0.6 + 2.9 * rows), dpi=100)
    axes = fig.subplots(rows, columns, squeeze=False)
    for index, series in enumerate(drawn):
        _draw_series(axes[index // columns][index % columns], series)
    for index in range(len(drawn), rows * columns):
        axes[index // columns][index % columns].set_visible(False)
    fig.suptitle(f"capex-watch: figures that moved in the last {days} days (dashed: {BASELINE_EVENT} value)",
                 fontsize=10)
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.getvalue()


def _draw_series(ax: Any, series: Series) -> None:
    unit = series.points[-1].unit
    points = [p for p in series.points if p.value is not None and p.unit == unit]
    labels = [p.period or f"#{p.alert_id}" for p in points]
    if len(set(labels)) < len(labels):
        # the same period restated or revised: tell the bars apart by when they were said
        labels = [f"{label}\n{('guide' if p.guide else 'before') if p.alert_id is None else f'alert {p.alert_id}'}"
                  for label, p in zip(labels, points, strict=True)]
    values = [p.value or 0.0 for p in points]
    colours = ["#9e9e9e" if p.alert_id is None else "#1565c0" for p in points]
    ax.bar(range(len(values)), values, color=colours, width=0.6)
    ax.set_xticks(range(len(values)), labels, fontsize=8)
    ax.axhline(0, color="#444444", linewidth=0.8)
    low, high = min([*values, 0.0]), max([*values, 0.0])
    if series.apsara is not None and series.apsara.value is not None and series.apsara.unit == unit:
        ax.axhline(series.apsara.value, color="#ef6c00", linestyle="--", linewidth=1)
        low, high = min(low, series.apsara.value), max(high, series.apsara.value)
    # Room above and below for the value labels, so a negative bar's label never lands on the tick labels.
    pad = (high - low) * 0.18 or 1.0
    ax.set_ylim(low - (pad if low < 0 else 0), high + pad)
    for x, (value, point) in enumerate(zip(values, points, strict=True)):
        ax.annotate(point.text, (x, value), xytext=(0, 3 if value >= 0 else -3), textcoords="offset points",
                    ha="center", va="bottom" if value >= 0 else "top", fontsize=8)
    ax.set_title(f"{series.label} ({unit})", fontsize=9)
    ax.tick_params(axis="y", labelsize=8)
