"""One bot process per SQLite database: an exclusive lock file next to it (`<database>.lock`).

Two `python -m bot run` on one file would both poll and both deliver, so every alert arrived twice.
The lock is an OS advisory lock (flock) held for the life of the process: the kernel drops it when the
process ends, however it ends, so a crash never leaves a stale lock behind. The file keeps the holder's
pid only to name it in the refusal.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path


class InstanceLockError(Exception):
    """Another process holds the database; the message says which and what to do."""


def lock_path(database: Path) -> Path:
    return database.with_name(database.name + ".lock")


class InstanceLock:
    def __init__(self, database: Path) -> None:
        self.path = lock_path(database)
        self._fd: int | None = None

    def acquire(self) -> InstanceLock:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode(errors="replace").strip() or "unknown"
            os.close(fd)
            raise InstanceLockError(
                f"another capex-watch process (pid {holder}) is already running on the database "
                f"{self.path.with_suffix('')}: stop it first, or give this one its own BOT_DB "
                f"(lock file {self.path})") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        self._fd = fd
        return self

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing the descriptor drops the flock
            self._fd = None
