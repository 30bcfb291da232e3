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

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot.store.heartbeat import LOOP, POLL, UPDATER, read_heartbeat


@dataclass(frozen=True)
class HealthReport:
    healthy: bool
    message: str


def assess(contents: Mapping[str, Any] | None, now: datetime, max_age: float, path: Path) -> HealthReport:
    """Healthy when every part that should beat did so within `max_age` seconds. Pure."""
    if contents is None:
        return HealthReport(False, f"unhealthy: no heartbeat in {path}: the bot is not running "
                                   "(or BOT_DB / BOT_HEARTBEAT_FILE point elsewhere)")
    started = _when(contents.get("started_at"))
    beats = contents.get("beats") if isinstance(contents.get("beats"), dict) else {}
    assert isinstance(beats, dict)
    mode = str(contents.get("mode"))
    # `serve:...` leaves polling to workers; a `worker` has no Telegram updater
    required = ([] if mode.startswith("serve:") else [POLL]) + [LOOP] + \
        ([UPDATER] if mode in ("telegram", "serve:telegram") else [])
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
