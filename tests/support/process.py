"""Running the real bot as a subprocess (`python -m bot run`, or one command with run_cli): its
environment, its sources file, its peak memory (VmHWM from /proc, read while it runs), and a
read-only look into its database while it runs.

Every environment made here puts the repository on PYTHONPATH, so `python -m bot` finds the package
in a plain checkout too, not only after `pip install -e .`."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]  # the repository


def write_sources(path: Path, sources: Sequence[tuple[str, ...]], poll_minutes: int = 30,
                  kind: str = "press") -> Path:
    """A sources file of English feeds: (id, url) or (id, url, display name) each."""
    lines = ["sources:"]
    for source_id, url, *name in sources:
        lines += [f"  - id: {source_id}", f"    name: {name[0] if name else source_id}", f'    url: "{url}"',
                  "    lang: en",
                  f"    kind: {kind}", f"    poll_minutes: {poll_minutes}"]
    path.write_text("\n".join(lines) + "\n")
    return path


# Set by tests/conftest.py for each test: only tests marked slow may start the bot (`make test-fast`
# leaves them out, so an unmarked one would make the fast subset slow without anyone noticing).
spawning_allowed = True


def _may_spawn() -> None:
    if not spawning_allowed:
        raise AssertionError("this test starts `python -m bot`: mark it @pytest.mark.slow")


def cli_env(**extra: str) -> dict[str, str]:
    """This process's environment without the bot's own settings (the developer's .env stays out),
    with the repository on PYTHONPATH."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "BOT_"))}
    return env | {"NO_PROXY": "127.0.0.1", "PYTHONPATH": str(ROOT)} | extra


def bot_env(tmp_path: Path, sources_file: Path, **extra: str) -> dict[str, str]:
    """The environment of a bot with these sources and its database in tmp_path."""
    return cli_env(**{"BOT_SOURCES": str(sources_file), "BOT_DB": str(tmp_path / "bot.sqlite3"),
                      "BOT_TICK_SECONDS": "3600", **extra})


def run_cli(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None,
            timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """`python -m bot ARGS...` to its end, output captured; `env` defaults to cli_env()."""
    _may_spawn()
    return subprocess.run([sys.executable, "-m", "bot", *args], capture_output=True, text=True, timeout=timeout,
                          cwd=cwd, env=cli_env() if env is None else env)


def start_bot(cwd: Path, env: dict[str, str]) -> subprocess.Popen[str]:
    """`python -m bot run` in the background, its output piped (read it with communicate())."""
    _may_spawn()
    return subprocess.Popen([sys.executable, "-m", "bot", "run"], cwd=cwd, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


@dataclass
class BotProcess:
    proc: subprocess.Popen[str]
    db: Path

    @classmethod
    def start(cls, tmp_path: Path, env: dict[str, str], stderr_path: Path | None = None) -> BotProcess:
        _may_spawn()
        err = open(stderr_path or tmp_path / "bot.stderr", "a")  # noqa: SIM115 - closed by the child's exit
        proc = subprocess.Popen([sys.executable, "-m", "bot", "run"], cwd=tmp_path, env=env,
                                stdout=subprocess.DEVNULL, stderr=err, text=True)
        err.close()
        return cls(proc, Path(env["BOT_DB"]))

    def peak_rss_mb(self) -> float:
        """The process's peak resident set so far (the kernel's high-water mark), in MB."""
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        raise AssertionError("no VmHWM in /proc status")

    def query(self, sql: str, params: tuple[Any, ...] = ()) -> list[sqlite3.Row]:
        """Read the bot's database while it runs ([] until the schema exists)."""
        if not self.db.exists():
            return []
        connection = sqlite3.connect(f"file:{self.db}?mode=ro", uri=True, timeout=5)
        connection.row_factory = sqlite3.Row
        try:
            return connection.execute(sql, params).fetchall()
        except sqlite3.OperationalError:
            return []
        finally:
            connection.close()

    def wait_for(self, predicate: Callable[[BotProcess], bool], timeout: float, what: str) -> None:
        deadline = time.monotonic() + timeout
        while not predicate(self):
            if self.proc.poll() is not None:
                raise AssertionError(f"the bot exited ({self.proc.returncode}) while waiting for {what}")
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out after {timeout} s waiting for {what}")
            time.sleep(0.1)

    def stop(self, timeout: float = 30) -> int:
        self.proc.send_signal(signal.SIGTERM)
        return self.proc.wait(timeout=timeout)

    def kill(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=30)


def stderr_text(tmp_path: Path) -> str:
    return (tmp_path / "bot.stderr").read_text()


def dedent(text: str) -> str:
    return textwrap.dedent(text)
