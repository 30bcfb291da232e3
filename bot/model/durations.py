"""How the bot writes a span of time, everywhere: admin notices ("for 2 days"), `/sources` and
`sources check` ("3 min ago"). Pure.

One ladder of units, so the same span reads the same in every message: under 90 s in seconds, under
90 min in minutes, under 48 h in hours, else in days (whole units, rounded down).
"""

from __future__ import annotations

from datetime import datetime, timedelta

_UNITS = ((48 * 3600, 86400, "d", "day"), (90 * 60, 3600, "h", "hour"), (90, 60, "min", "minute"),
          (0, 1, "s", "second"))


def duration(span: timedelta, *, words: bool = False) -> str:
    """ "3 min" / "2 h" / "5 d"; with `words`, "3 minutes" / "2 hours" / "5 days". Negative spans are 0."""
    seconds = max(0, int(span.total_seconds()))
    for threshold, size, short, word in _UNITS:
        if seconds >= threshold:
            count = seconds // size
            return f"{count} {word}{'' if count == 1 else 's'}" if words else f"{count} {short}"
    raise AssertionError("unreachable: the last unit starts at 0")


def ago(then: datetime | None, now: datetime) -> str:
    """ "3 min ago", "2 h ago", "5 d ago"; "never" for None."""
    return "never" if then is None else f"{duration(now - then)} ago"
