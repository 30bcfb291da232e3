"""The heartbeat file: each part of the running bot writes when it last did its work (I/O: one small
JSON file, replaced atomically so a reader never sees half of it). bot.ops.health reads the verdict from it.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any, Final

POLL: Final = "poll"
LOOP: Final = "loop"
UPDATER: Final = "updater"
# Beats closer together than this are not written (the poll beats after every source).
MIN_WRITE_INTERVAL: Final = 1.0


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
