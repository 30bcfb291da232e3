"""The digest: what changed in the last N days, grouped by company then topic. Pure, except `render_chart`
(matplotlib, no network, no clock).

    parse_schedule(["mon", "08:00", "Europe/Paris"]) -> DigestSchedule      (or None for "off")
    next_run(schedule, after)                         -> datetime (UTC)     the next slot strictly after
    build_digest(items, companies, topics)            -> list[CompanySection]
    render_digest_html(sections, days)                -> str                Telegram HTML, feed text escaped
    render_chart(sections)                            -> bytes | None       PNG: each change vs its baseline

The schedule is wall-clock time in the subscriber's time zone, so "Monday 08:00 Europe/Paris" stays at
08:00 across daylight-saving changes; the next run is stored in the database as UTC (see bot.store.database).
"""

from __future__ import annotations

import html
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.delivery.headline import story_line
from bot.model import COMPANIES, COMPANY_NAMES, TOPICS
from bot.model.records import DigestItem

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
TOPIC_NAMES = {"capex": "AI capex", "cloud": "Cloud", "energy": "Data-centre energy"}
VERDICT_MARKS = {"raised": "▲", "lowered": "▼", "new": "●", "horizon_changed": "⇄"}
# A digest of more lines than this is cut (with a note): a week is rarely that busy, and a longer
# message would be split into several that nobody reads.
MAX_DIGEST_LINES = 60


class ScheduleError(ValueError):
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
class TopicSection:
    topic: str
    lines: tuple[DigestLine, ...]


@dataclass(frozen=True)
class CompanySection:
    company: str
    topics: tuple[TopicSection, ...]


def build_digest(items: Iterable[DigestItem], companies: Iterable[str] = COMPANIES,
                 topics: Iterable[str] = TOPICS) -> list[CompanySection]:
    """Group by company then topic (in the bot's fixed order); the latest statement per figure wins."""
    wanted_companies, wanted_topics = set(companies), set(topics)
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
                topic_sections.append(TopicSection(topic, tuple(sorted(lines, key=lambda ln: ln.item.alert_id))))
        if topic_sections:
            sections.append(CompanySection(company, tuple(topic_sections)))
    return sections


def delta_text(delta_pct: float | None, verdict: str) -> str:
    if delta_pct is None:
        return "new, no baseline figure" if verdict == "new" else "no comparable baseline figure"
    return f"{delta_pct:+.0f} % vs baseline" if abs(delta_pct) >= 1 else f"{delta_pct:+.1f} % vs baseline"


def render_digest_html(sections: Sequence[CompanySection], days: int, *, scheduled: bool = False) -> str:
    """The digest message; every headline comes from feed text and is escaped."""
    period = "this week" if days == 7 else f"the last {days} days"
    title = f"<b>{'Weekly digest' if scheduled else 'Digest'}: changes in {period}</b>"
    if not sections:
        return (f"{title}\nNothing changed against the Apsara 2025 baseline in {period}. "
                "/baseline shows the reference figures.")
    out = [title + " (against the Apsara 2025 baseline)"]
    shown = 0
    total = sum(len(t.lines) for s in sections for t in s.topics)
    for section in sections:
        if shown >= MAX_DIGEST_LINES:
            break
        out.append(f"\n<b>{html.escape(COMPANY_NAMES.get(section.company, section.company))}</b>")
        for topic in section.topics:
            out.append(f"<i>{TOPIC_NAMES.get(topic.topic, topic.topic)}</i>")
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
    sources = f"{item.sources} source" + ("s" if item.sources != 1 else "")
    extra = f", {line.collapsed} earlier statement{'s' if line.collapsed != 1 else ''} collapsed" \
        if line.collapsed else ""
    line_text = story_line(item.story, item.headline, with_sources=False)
    return (f"{mark} {html.escape(line_text)} ({delta_text(item.delta_pct, item.verdict)}; "
            f"{sources}{extra}) /why {item.alert_id}")


def chart_rows(sections: Sequence[CompanySection]) -> list[tuple[str, float]]:
    """(label, delta %) for each line that has a baseline delta, in digest order."""
    rows = []
    for section in sections:
        for topic in section.topics:
            for line in topic.lines:
                if line.item.delta_pct is not None:
                    label = f"{COMPANY_NAMES.get(section.company, section.company)} {topic.topic} #{line.item.alert_id}"
                    rows.append((label, line.item.delta_pct))
    return rows


def render_chart(sections: Sequence[CompanySection], days: int) -> bytes | None:
    """A bar chart of each change against its baseline figure, as PNG; None when nothing has a delta."""
    rows = chart_rows(sections)
    if not rows:
        return None
    import matplotlib

    matplotlib.use("Agg")  # no display on a server; must precede pyplot
    from matplotlib.figure import Figure

    # A Figure without pyplot: no global state, safe to call from any thread.
    fig = Figure(figsize=(7, 1.2 + 0.45 * len(rows)), dpi=100)
    ax = fig.subplots()
    labels = [label for label, _ in rows][::-1]
    values = [value for _, value in rows][::-1]
    ax.barh(labels, values, color=["#2e7d32" if v >= 0 else "#c62828" for v in values])
    ax.axvline(0, color="#444444", linewidth=0.8)
    ax.set_xlabel("change vs Apsara 2025 baseline figure (%)")
    ax.set_title(f"capex-watch: changes in the last {days} days")
    for y, value in enumerate(values):
        ax.annotate(f"{value:+.0f} %", (value, y), xytext=(4 if value >= 0 else -4, 0),
                    textcoords="offset points", va="center", ha="left" if value >= 0 else "right", fontsize=8)
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.getvalue()
