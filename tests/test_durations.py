"""One way to write a span of time, literal in and out."""

from datetime import UTC, datetime, timedelta

import pytest

from bot.model.durations import ago, duration


@pytest.mark.parametrize(("seconds", "short", "words"), [
    (0, "0 s", "0 seconds"), (1, "1 s", "1 second"), (89, "89 s", "89 seconds"), (90, "1 min", "1 minute"),
    (89 * 60, "89 min", "89 minutes"), (90 * 60, "1 h", "1 hour"), (6 * 3600, "6 h", "6 hours"),
    (47 * 3600 + 3599, "47 h", "47 hours"), (48 * 3600, "2 d", "2 days"), (-5, "0 s", "0 seconds"),
])
def test_duration(seconds: int, short: str, words: str) -> None:
    assert duration(timedelta(seconds=seconds)) == short
    assert duration(timedelta(seconds=seconds), words=True) == words


def test_ago() -> None:
    now = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
    assert ago(now - timedelta(minutes=3), now) == "3 min ago"
    assert ago(None, now) == "never"
