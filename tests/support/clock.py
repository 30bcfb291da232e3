"""The one test clock, callable like bot.app.utc_now wherever the bot takes a clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta


class Clock:
    """Clock() stands still at the moment it was made until a test moves it; Clock(running=True) runs
    with real time (PTB's job queue and the delivery pacing see time pass) and jumps when moved.

    Move it with `clock.now = moment` or `clock.advance(delta)`.
    """

    def __init__(self, now: datetime | None = None, *, running: bool = False) -> None:
        self.running = running
        self._start = now or datetime.now(UTC)
        self._offset = timedelta()

    def __call__(self) -> datetime:
        return (datetime.now(UTC) if self.running else self._start) + self._offset

    @property
    def now(self) -> datetime:
        return self()

    @now.setter
    def now(self, moment: datetime) -> None:
        self._offset += moment - self()

    def advance(self, delta: timedelta) -> None:
        self._offset += delta
