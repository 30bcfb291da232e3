"""When to poll each source next, when to pause it, when to raise a silence alarm. Pure: the state
of a source, the outcome of one poll and `now` in; a `Decision` out. The pipeline stores it.

Interval (a source that answers):
    base      the source's configured poll_minutes: never polled more often than that.
    rate      half the median gap between the feed's recent entries: a feed that publishes twice a
              day need not be read every 30 minutes. Quiet feeds slow down to at most
              MAX_SLOWDOWN x base (and never beyond MAX_INTERVAL).
    window    a feed only lists its last N entries; poll at least twice per span they cover, so a
              busy feed never drops entries between two polls (but still not faster than base).
    cache     Cache-Control max-age / Expires / RSS <ttl>: the publisher says nothing changes before
              then, so do not ask earlier (up to the same ceiling).

Errors (a source that does not answer): the interval doubles per consecutive error up to a cap
(backoff_seconds), and a Retry-After is honoured. After `pause_after` consecutive errors the
source is *paused*: probed once every PAUSED_PROBE, and the admins are told. The first success
after that resumes it and tells them too.

Silence: a source that answers but has had no new entry for longer than SILENCE_GAPS times its
usual gap between entries (clamped to [SILENCE_MIN, SILENCE_MAX]) raises one alarm; new entries
clear it.
"""

from __future__ import annotations

import email.utils
import itertools
import re
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Final

from bot.model.durations import duration

# Backoff after errors never waits longer than this, so a source that recovers is seen within a day.
MAX_BACKOFF_SECONDS: Final = 6 * 3600.0
# A Retry-After beyond this is treated as this: a typo'd or hostile header must not park a source.
MAX_RETRY_AFTER_SECONDS: Final = 24 * 3600.0
# Quiet feeds are polled at most this many times less often than configured.
MAX_SLOWDOWN: Final = 4.0
# ... and never less often than once a day, whatever the cache headers or the rate say.
MAX_INTERVAL: Final = 24 * 3600.0
# Entries whose dates fall within this window describe the publishing rate; older ones describe
# a feed that was busy once.
RATE_WINDOW: Final = timedelta(days=30)
# Fewer dated entries than this and the rate is a guess: keep the base interval.
MIN_DATED_ENTRIES: Final = 3
# A paused source is still tried this often, so one that comes back resumes on its own.
PAUSED_PROBE: Final = 24 * 3600.0
# Silence: this many usual gaps without a new entry, clamped (a daily feed quiet for a weekend is
# fine; a feed quiet for two weeks is dead whatever its rate).
SILENCE_GAPS: Final = 8.0
SILENCE_MIN: Final = timedelta(days=1)
SILENCE_MAX: Final = timedelta(days=14)
# Without a known rate (undated entries), a week without anything new is the alarm.
SILENCE_UNKNOWN_RATE: Final = timedelta(days=7)


@dataclass(frozen=True)
class ScheduleState:
    """What the scheduler remembers of a source between polls (stored in source_state)."""

    consecutive_errors: int = 0
    interval_seconds: float | None = None  # last adaptive interval; None before the first success
    expected_gap_seconds: float | None = None  # usual time between two entries; None if unknown
    first_polled_at: datetime | None = None
    last_new_entry_at: datetime | None = None  # when the bot last saw an entry it had not seen
    paused_at: datetime | None = None
    silence_alarm_at: datetime | None = None


@dataclass(frozen=True)
class Success:
    """A 200 with a feed: the entries' dates, how many were new, the publisher's cache hints."""

    published: tuple[datetime, ...] = ()
    new_entries: int = 0
    cache_seconds: float | None = None  # from Cache-Control / Expires
    ttl_seconds: float | None = None  # from RSS <ttl>


@dataclass(frozen=True)
class Unchanged:
    """A 304 to our conditional GET."""


@dataclass(frozen=True)
class Failure:
    message: str
    retry_after: float | None = None


Outcome = Success | Unchanged | Failure


@dataclass(frozen=True)
class Notice:
    """Something the admins must hear about a source."""

    kind: str  # paused | resumed | silent
    source_id: str
    text: str


@dataclass(frozen=True)
class Decision:
    next_poll_at: datetime
    state: ScheduleState
    notices: tuple[Notice, ...] = ()


@dataclass(frozen=True)
class Policy:
    source_id: str
    base_seconds: float  # the configured poll_minutes, in seconds
    pause_after: int  # consecutive errors that pause the source


def decide(policy: Policy, state: ScheduleState, outcome: Outcome, now: datetime) -> Decision:
    """The next poll time and the new scheduling state after one poll of a source."""
    if isinstance(outcome, Failure):
        return _after_failure(policy, state, outcome, now)
    notices: list[Notice] = []
    if state.paused_at is not None:
        notices.append(Notice("resumed", policy.source_id,
                              f"Source {policy.source_id} answers again after {state.consecutive_errors} "
                              "failed polls; it is polled on its normal schedule again."))
    first_polled = state.first_polled_at or now
    if isinstance(outcome, Unchanged):
        interval = state.interval_seconds or policy.base_seconds
        new = replace(state, consecutive_errors=0, paused_at=None, first_polled_at=first_polled)
    else:
        gap = publishing_gap(outcome.published, now)
        interval = adaptive_interval(policy.base_seconds, gap=gap, window=window_span(outcome.published),
                                     cache_seconds=_longest(outcome.cache_seconds, outcome.ttl_seconds))
        new = replace(state, consecutive_errors=0, paused_at=None, first_polled_at=first_polled,
                      interval_seconds=interval,
                      expected_gap_seconds=gap if gap is not None else state.expected_gap_seconds)
        if outcome.new_entries > 0:
            new = replace(new, last_new_entry_at=now, silence_alarm_at=None)
    alarm = silence_alarm(policy.source_id, new, now)
    if alarm is not None:
        notices.append(alarm)
        new = replace(new, silence_alarm_at=now)
    return Decision(now + timedelta(seconds=interval), new, tuple(notices))


def next_poll_at(policy: Policy, state: ScheduleState, outcome: Outcome, now: datetime) -> datetime:
    return decide(policy, state, outcome, now).next_poll_at


def _after_failure(policy: Policy, state: ScheduleState, outcome: Failure, now: datetime) -> Decision:
    errors = state.consecutive_errors + 1
    if state.paused_at is not None:
        new = replace(state, consecutive_errors=errors)
        return Decision(now + timedelta(seconds=max(PAUSED_PROBE, outcome.retry_after or 0.0)), new)
    if errors >= policy.pause_after:
        new = replace(state, consecutive_errors=errors, paused_at=now)
        text = (f"Source {policy.source_id} failed {errors} polls in a row and is paused (last error: "
                f"{outcome.message}). It is tried once a day and resumes by itself when it answers; "
                "check its URL with `python -m bot sources check`.")
        return Decision(now + timedelta(seconds=PAUSED_PROBE), new, (Notice("paused", policy.source_id, text),))
    interval = state.interval_seconds or policy.base_seconds
    wait = backoff_seconds(errors, interval, outcome.retry_after)
    return Decision(now + timedelta(seconds=wait), replace(state, consecutive_errors=errors))


def adaptive_interval(base: float, *, gap: float | None, window: float | None,
                      cache_seconds: float | None) -> float:
    """Seconds between polls of a healthy source (see the module docstring for the rules)."""
    ceiling = max(base, min(base * MAX_SLOWDOWN, MAX_INTERVAL))
    interval = base if gap is None else gap / 2
    if cache_seconds is not None:
        interval = max(interval, cache_seconds)
    interval = min(max(interval, base), ceiling)
    if window is not None and window > 0:
        interval = max(min(interval, window / 2), base)
    return interval


def publishing_gap(published: Sequence[datetime], now: datetime) -> float | None:
    """Median seconds between consecutive recent entries, or None with too few dated entries."""
    recent = sorted({p for p in published if now - p <= RATE_WINDOW})
    if len(recent) < MIN_DATED_ENTRIES:
        return None
    gaps = [(b - a).total_seconds() for a, b in itertools.pairwise(recent)]
    return max(statistics.median(gaps), 60.0)


def window_span(published: Sequence[datetime]) -> float | None:
    """Seconds between the oldest and newest entry the feed lists (how far back it remembers)."""
    if len(published) < 2:
        return None
    return (max(published) - min(published)).total_seconds()


def silence_threshold(expected_gap_seconds: float | None) -> timedelta:
    if expected_gap_seconds is None:
        return SILENCE_UNKNOWN_RATE
    return min(max(timedelta(seconds=expected_gap_seconds * SILENCE_GAPS), SILENCE_MIN), SILENCE_MAX)


def silence_alarm(source_id: str, state: ScheduleState, now: datetime) -> Notice | None:
    """A notice when the source has been quiet longer than its threshold and no alarm is raised yet."""
    if state.silence_alarm_at is not None or state.paused_at is not None:
        return None
    since = state.last_new_entry_at or state.first_polled_at
    if since is None:
        return None
    threshold = silence_threshold(state.expected_gap_seconds)
    quiet = now - since
    if quiet <= threshold:
        return None
    usual = (f"usually every {duration(timedelta(seconds=state.expected_gap_seconds), words=True)}"
             if state.expected_gap_seconds is not None else "its entries carry no dates, so its usual rate is unknown")
    quiet_for = duration(quiet, words=True)
    return Notice("silent", source_id,
                  f"Source {source_id} answers but has published nothing new for {quiet_for} ({usual}); "
                  "the feed may have moved or stalled.")


_MAX_AGE = re.compile(r"(?:^|,)\s*(s-maxage|max-age)\s*=\s*\"?(\d+)\"?", re.I)


def cache_lifetime(headers: Mapping[str, str], now: datetime) -> float | None:
    """Seconds the response says it stays fresh (Cache-Control max-age, else Expires), or None.

    `no-cache`/`no-store`/`must-revalidate` with max-age=0 say nothing useful for scheduling: None.
    """
    control = headers.get("cache-control", "")
    ages = {name.lower(): int(value) for name, value in _MAX_AGE.findall(control)}
    if "max-age" in ages or "s-maxage" in ages:
        max_age = ages.get("max-age", ages.get("s-maxage", 0))
        return float(max_age) if max_age > 0 else None
    if "no-cache" in control.lower() or "no-store" in control.lower():
        return None
    when = http_date(headers.get("expires", ""))
    if when is None:
        return None  # "Expires: 0" and other junk mean "already expired"
    reference = http_date(headers.get("date", "")) or now
    fresh_for = (when - reference).total_seconds()
    return fresh_for if fresh_for > 0 else None


def http_date(value: str) -> datetime | None:
    """An HTTP date header ("Tue, 01 Dec 2026 10:00:00 GMT") as an aware datetime; None if unreadable."""
    try:
        when = email.utils.parsedate_to_datetime(value.strip())
    except (TypeError, ValueError, IndexError):
        return None
    # "-0000" dates come back naive; HTTP dates are GMT
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


def ttl_seconds(ttl: object) -> float | None:
    """RSS <ttl> (minutes) as seconds; None when absent or not a positive number."""
    try:
        minutes = float(str(ttl).strip())
    except ValueError:
        return None
    return minutes * 60.0 if minutes > 0 else None


def _longest(*values: float | None) -> float | None:
    present = [v for v in values if v is not None]
    return max(present) if present else None


def backoff_seconds(consecutive_errors: int, poll_seconds: float, retry_after: float | None) -> float:
    """Seconds until the next poll of a source: its interval, doubled per consecutive error, capped.

    0 errors -> poll_seconds; 1 -> 2x; 2 -> 4x ... up to MAX_BACKOFF_SECONDS (or poll_seconds if
    that is longer). A server's Retry-After is honoured when it asks for longer.
    """
    delay = poll_seconds
    if consecutive_errors > 0:
        # min() on the exponent keeps 2**n finite for absurd error counts.
        delay = min(poll_seconds * 2.0 ** min(consecutive_errors, 32), max(MAX_BACKOFF_SECONDS, poll_seconds))
    if retry_after is not None:
        delay = max(delay, min(retry_after, MAX_RETRY_AFTER_SECONDS))
    return delay
