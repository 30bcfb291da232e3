"""Scheduling decisions with literal inputs: adaptive interval, cache hints, error ladder, pause,
resume, silence alarm."""

from datetime import UTC, datetime, timedelta

import pytest

from bot.ingest.schedule import (
    PAUSED_PROBE,
    Failure,
    Policy,
    ScheduleState,
    Success,
    Unchanged,
    adaptive_interval,
    cache_lifetime,
    decide,
    next_poll_at,
    publishing_gap,
    silence_threshold,
    ttl_seconds,
    window_span,
)

NOW = datetime(2026, 11, 2, 12, 0, tzinfo=UTC)
HOUR = 3600.0
POLICY = Policy("wire", base_seconds=30 * 60, pause_after=3)


def hours_ago(*hours: float) -> tuple[datetime, ...]:
    return tuple(NOW - timedelta(hours=h) for h in hours)


def test_a_feed_publishing_every_six_hours_is_polled_every_two_hours_at_most_four_times_base():
    # median gap 6 h -> half is 3 h, clamped to 4 x 30 min = 2 h
    outcome = Success(published=hours_ago(1, 7, 13, 19, 25))
    decision = decide(POLICY, ScheduleState(), outcome, NOW)
    assert decision.next_poll_at == NOW + timedelta(hours=2)
    assert decision.state.expected_gap_seconds == 6 * HOUR
    assert decision.state.interval_seconds == 2 * HOUR


def test_a_busy_feed_is_never_polled_faster_than_configured():
    outcome = Success(published=tuple(NOW - timedelta(minutes=m) for m in range(0, 50, 5)))
    assert next_poll_at(POLICY, ScheduleState(), outcome, NOW) == NOW + timedelta(minutes=30)


def test_undated_entries_keep_the_configured_interval():
    assert publishing_gap((), NOW) is None
    assert next_poll_at(POLICY, ScheduleState(), Success(), NOW) == NOW + timedelta(minutes=30)


def test_old_entries_do_not_describe_the_rate():
    old = tuple(NOW - timedelta(days=d) for d in (40, 41, 42, 43))
    assert publishing_gap(old, NOW) is None


@pytest.mark.parametrize(("gap", "window", "cache", "expected"), [
    (None, None, None, 1800),           # nothing known: base
    (6 * HOUR, None, None, 7200),       # quiet: slowed to the ceiling (4 x base)
    (2 * HOUR, None, None, 3600),       # half the gap
    (2 * HOUR, 1.5 * HOUR, None, 2700),  # the feed only remembers 1.5 h: poll twice per window
    (2 * HOUR, 600, None, 1800),        # ... but never faster than configured
    (None, None, 5400, 5400),           # max-age 90 min is honoured
    (None, None, 86400, 7200),          # a day-long max-age stops at the ceiling
])
def test_adaptive_interval(gap, window, cache, expected):
    assert adaptive_interval(1800, gap=gap, window=window, cache_seconds=cache) == expected


def test_ceiling_is_a_day_even_for_slow_bases():
    assert adaptive_interval(12 * HOUR, gap=10 * 86400, window=None, cache_seconds=None) == 24 * HOUR
    # a base above the ceiling is still the base: the operator asked for it
    assert adaptive_interval(3 * 86400, gap=None, window=None, cache_seconds=None) == 3 * 86400


def test_cache_headers_and_ttl_lengthen_the_interval():
    outcome = Success(published=(), cache_seconds=3600, ttl_seconds=None)
    assert next_poll_at(POLICY, ScheduleState(), outcome, NOW) == NOW + timedelta(hours=1)
    outcome = Success(published=(), cache_seconds=600, ttl_seconds=90 * 60)
    assert next_poll_at(POLICY, ScheduleState(), outcome, NOW) == NOW + timedelta(minutes=90)


@pytest.mark.parametrize(("headers", "expected"), [
    ({"cache-control": "public, max-age=900"}, 900.0),
    ({"cache-control": "s-maxage=1200, public"}, 1200.0),
    ({"cache-control": "max-age=0, must-revalidate"}, None),
    ({"cache-control": "no-cache", "expires": "Mon, 02 Nov 2026 13:00:00 GMT"}, None),
    ({"expires": "Mon, 02 Nov 2026 13:00:00 GMT"}, 3600.0),
    ({"expires": "Mon, 02 Nov 2026 13:00:00 GMT", "date": "Mon, 02 Nov 2026 12:30:00 GMT"}, 1800.0),
    ({"expires": "0"}, None),
    ({"expires": "Mon, 02 Nov 2026 11:00:00 GMT"}, None),
    ({}, None),
])
def test_cache_lifetime(headers, expected):
    assert cache_lifetime(headers, NOW) == expected


@pytest.mark.parametrize(("ttl", "expected"), [("60", 3600.0), (" 5 ", 300.0), ("0", None), ("soon", None),
                                               (None, None)])
def test_rss_ttl(ttl, expected):
    assert ttl_seconds(ttl) == expected


def test_window_span():
    assert window_span(hours_ago(1, 5, 3)) == 4 * HOUR
    assert window_span(hours_ago(1)) is None


def test_not_modified_keeps_the_learned_interval():
    state = ScheduleState(interval_seconds=5400, first_polled_at=NOW - timedelta(days=1),
                          last_new_entry_at=NOW - timedelta(hours=3))
    decision = decide(POLICY, state, Unchanged(), NOW)
    assert decision.next_poll_at == NOW + timedelta(minutes=90)
    assert decision.notices == ()


def test_error_ladder_doubles_from_the_learned_interval_and_honours_retry_after():
    state = ScheduleState(interval_seconds=3600)
    first = decide(POLICY, state, Failure("HTTP 503"), NOW)
    assert first.next_poll_at == NOW + timedelta(hours=2)
    assert first.state.consecutive_errors == 1
    second = decide(POLICY, first.state, Failure("HTTP 503", retry_after=6 * HOUR), NOW)
    assert second.next_poll_at == NOW + timedelta(hours=6)  # 4 h by the ladder, 6 h asked
    assert second.notices == ()


def test_n_failures_in_a_row_pause_the_source_and_tell_the_admins_once():
    state = ScheduleState(consecutive_errors=2, interval_seconds=1800)
    paused = decide(POLICY, state, Failure("connection refused"), NOW)
    assert paused.state.paused_at == NOW
    assert paused.next_poll_at == NOW + timedelta(seconds=PAUSED_PROBE)
    (notice,) = paused.notices
    assert notice.kind == "paused" and "failed 3 polls in a row" in notice.text
    assert "connection refused" in notice.text
    # still failing while paused: probed daily, no new notice
    again = decide(POLICY, paused.state, Failure("connection refused"), NOW + timedelta(days=1))
    assert again.notices == () and again.state.consecutive_errors == 4
    assert again.next_poll_at == NOW + timedelta(days=2)
    # the first answer resumes it and says so
    back = decide(POLICY, again.state, Success(new_entries=1), NOW + timedelta(days=2))
    assert back.state.paused_at is None and back.state.consecutive_errors == 0
    assert [n.kind for n in back.notices] == ["resumed"]
    assert back.next_poll_at == NOW + timedelta(days=2, minutes=30)


def test_silence_alarm_after_eight_usual_gaps_once_then_cleared_by_new_entries():
    state = ScheduleState(expected_gap_seconds=6 * HOUR, interval_seconds=7200,
                          first_polled_at=NOW - timedelta(days=30), last_new_entry_at=NOW - timedelta(hours=47))
    assert decide(POLICY, state, Unchanged(), NOW).notices == ()  # 47 h < 8 x 6 h
    later = NOW + timedelta(hours=2)
    alarmed = decide(POLICY, state, Unchanged(), later)
    (notice,) = alarmed.notices
    assert notice.kind == "silent" and "nothing new for 2 days" in notice.text  # 49 h, in days
    assert "usually every 6 hours" in notice.text
    assert alarmed.state.silence_alarm_at == later
    assert decide(POLICY, alarmed.state, Unchanged(), later + timedelta(hours=5)).notices == ()
    cleared = decide(POLICY, alarmed.state, Success(new_entries=2), later + timedelta(hours=6))
    assert cleared.state.silence_alarm_at is None and cleared.state.last_new_entry_at == later + timedelta(hours=6)


def test_silence_counts_from_the_first_poll_when_nothing_new_was_ever_seen():
    state = ScheduleState(first_polled_at=NOW - timedelta(days=8))
    (notice,) = decide(POLICY, state, Success(new_entries=0), NOW).notices
    assert "rate is unknown" in notice.text and "8 days" in notice.text


@pytest.mark.parametrize(("gap", "expected"), [
    (None, timedelta(days=7)), (60.0, timedelta(days=1)), (6 * HOUR, timedelta(hours=48)),
    (5 * 86400.0, timedelta(days=14)),
])
def test_silence_threshold_is_clamped(gap, expected):
    assert silence_threshold(gap) == expected
