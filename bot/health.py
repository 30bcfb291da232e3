"""Liveness: a heartbeat file the running bot keeps fresh, and the verdict `python -m bot health`,
the container HEALTHCHECK and /healthz give from it.

Three parts of the process beat, each under its own name:
    poll      the poll pass: at its start and after each source, so a wedged pass goes stale
    loop      the upkeep job (every few seconds): the event loop and the scheduler are alive
    updater   Telegram mode only, from the upkeep job while PTB's updater is running (getUpdates)

The health check never talks to Telegram or the feeds: it only reads the file. The file is replaced
atomically (write, then rename), so a reader never sees half of it.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final

POLL: Final = "poll"
LOOP: Final = "loop"
UPDATER: Final = "updater"
# Beats closer together than this are not written (the poll beats after every source).
MIN_WRITE_INTERVAL: Final = 1.0


@dataclass(frozen=True)
class HealthReport:
    healthy: bool
    message: str


class Heartbeat:
    """Writes the heartbeat file of this process. `mode` is "telegram" or "console"."""

    def __init__(self, path: Path, mode: str, clock: Callable[[], datetime]) -> None:
        self.path = path
        self.clock = clock
        self._contents: dict[str, Any] = {"pid": os.getpid(), "mode": mode,
                                          "started_at": clock().isoformat(timespec="seconds"), "beats": {}}
        self._last_write: dict[str, datetime] = {}

    def beat(self, component: str) -> None:
        now = self.clock()
        last = self._last_write.get(component)
        if last is not None and (now - last).total_seconds() < MIN_WRITE_INTERVAL:
            return
        self._last_write[component] = now
        self._contents["beats"][component] = now.isoformat(timespec="seconds")
        self._write()

    def start(self) -> None:
        """Write the file at start-up, so `health` can tell "starting" from "not running"."""
        self._write()

    def _write(self) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, temp = tempfile.mkstemp(prefix=".heartbeat-", dir=self.path.parent)
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump(self._contents, out)
            os.replace(temp, self.path)
        except OSError:
            # A full disk must not stop polling; the heartbeat going stale is the report.
            pass


def read_heartbeat(path: Path) -> dict[str, Any] | None:
    try:
        contents = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return contents if isinstance(contents, dict) else None


def assess(contents: Mapping[str, Any] | None, now: datetime, max_age: float, path: Path) -> HealthReport:
    """Healthy when every part that should beat did so within `max_age` seconds. Pure."""
    if contents is None:
        return HealthReport(False, f"unhealthy: no heartbeat in {path}: the bot is not running "
                                   "(or BOT_DB / BOT_HEARTBEAT_FILE point elsewhere)")
    started = _when(contents.get("started_at"))
    beats = contents.get("beats") if isinstance(contents.get("beats"), dict) else {}
    assert isinstance(beats, dict)
    required = [POLL, LOOP] + ([UPDATER] if contents.get("mode") == "telegram" else [])
    problems: list[str] = []
    ages: list[str] = []
    for component in required:
        beat = _when(beats.get(component))
        if beat is None:
            since_start = (now - started).total_seconds() if started else None
            if since_start is None or since_start > max_age:
                problems.append(f"{_LABELS[component]} never reported")
            else:
                ages.append(f"{component} starting")
            continue
        age = max((now - beat).total_seconds(), 0.0)
        if age > max_age:
            problems.append(f"{_LABELS[component]} last reported {age:.0f} s ago (limit {max_age:g} s)")
        else:
            ages.append(f"{component} {age:.0f} s ago")
    pid = contents.get("pid")
    if problems:
        return HealthReport(False, f"unhealthy (pid {pid}): " + "; ".join(problems))
    return HealthReport(True, f"healthy (pid {pid}): " + ", ".join(ages))


def check(path: Path, max_age: float, now: datetime | None = None) -> HealthReport:
    return assess(read_heartbeat(path), now or datetime.now(UTC), max_age, path)


_LABELS = {POLL: "the poll loop", LOOP: "the scheduler", UPDATER: "the Telegram updater"}


def _when(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
