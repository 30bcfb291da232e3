"""Settings: one table of (env var, default, meaning), read from the environment and a `.env` file.

The README's configuration table is generated from SETTINGS (tests/test_config.py checks that every
setting is documented), so this table is the single place to add one.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path

from dotenv import dotenv_values

PACKAGE_DIR = Path(__file__).resolve().parent
DEFAULT_BASELINE = PACKAGE_DIR / "baseline.yaml"


class ConfigError(Exception):
    """A setting has a value the bot cannot use; the message names the variable."""


@dataclass(frozen=True)
class Setting:
    name: str
    env: str
    default: str
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("token", "TELEGRAM_BOT_TOKEN", "",
            "Bot token from @BotFather. Empty: alerts are printed to the console instead."),
    Setting("api_base", "TELEGRAM_API_BASE", "https://api.telegram.org",
            "Root of the Bot API server (a local telegram-bot-api server or a test fake)."),
    Setting("sources", "BOT_SOURCES", "sources.yaml", "Path of the sources file."),
    Setting("db", "BOT_DB", "storage/capex-watch.sqlite3", "Path of the SQLite database file."),
    Setting("baseline", "BOT_BASELINE", "", "Path of the baseline YAML; empty: the one shipped in bot/."),
    Setting("tick_seconds", "BOT_TICK_SECONDS", "60",
            "How often the scheduler looks for sources that are due (each source has its own interval)."),
    Setting("fetch_timeout", "BOT_FETCH_TIMEOUT", "30", "Total seconds allowed for one download."),
    Setting("feed_max_bytes", "BOT_FEED_MAX_BYTES", "5000000", "Largest feed body read, in bytes."),
    Setting("page_max_bytes", "BOT_PAGE_MAX_BYTES", "2000000", "Largest article page read, in bytes."),
    Setting("user_agent", "BOT_USER_AGENT", "capex-watch/0.1 (+self-hosted)",
            "User-Agent sent to feeds and pages."),
    Setting("log_level", "BOT_LOG_LEVEL", "INFO", "Log level (DEBUG, INFO, WARNING, ERROR)."),
    Setting("access", "BOT_ACCESS", "invite",
            "Who may subscribe: closed (admins and /allow-ed chats), invite (also chats with an invite code), "
            "open (anyone)."),
    Setting("admin_ids", "BOT_ADMIN_IDS", "",
            "Comma-separated Telegram user ids of the bot's admins (/invite /allow /revoke /stats)."),
    Setting("digest_default", "BOT_DIGEST_DEFAULT", "mon 08:00 UTC",
            "Weekly digest schedule of a new subscriber: `DAY HH:MM TIMEZONE`, or `off`."),
    Setting("invite_ttl_hours", "BOT_INVITE_TTL_HOURS", "168", "How long an unused invite code stays valid."),
)
ACCESS_MODES = ("closed", "invite", "open")

_INTS = {"tick_seconds", "feed_max_bytes", "page_max_bytes", "invite_ttl_hours"}
_FLOATS = {"fetch_timeout"}


@dataclass(frozen=True)
class Settings:
    token: str
    api_base: str
    sources: Path
    db: Path
    baseline: Path
    tick_seconds: int
    fetch_timeout: float
    feed_max_bytes: int
    page_max_bytes: int
    user_agent: str
    log_level: str
    access: str = "invite"
    admin_ids: frozenset[int] = frozenset()
    digest_default: str = "mon 08:00 UTC"
    invite_ttl_hours: int = 168

    def __repr__(self) -> str:
        # The token must never reach a log line, even through a repr of the settings.
        shown = {f.name: getattr(self, f.name) for f in fields(self)}
        shown["token"] = "***" if self.token else ""
        return f"Settings({shown})"


def load_settings(environ: Mapping[str, str] | None = None, env_file: Path | None = Path(".env"),
                  **overrides: object) -> Settings:
    """Settings from `.env`, then the environment (which wins), then explicit overrides (CLI flags)."""
    values: dict[str, str] = {}
    if env_file is not None and env_file.is_file():
        values.update({k: v for k, v in dotenv_values(env_file).items() if v is not None})
    values.update(os.environ if environ is None else environ)
    raw: dict[str, object] = {}
    for s in SETTINGS:
        text = values.get(s.env, s.default).strip()
        if s.name in _INTS or s.name in _FLOATS:
            try:
                number = int(text) if s.name in _INTS else float(text)
            except ValueError:
                raise ConfigError(f"{s.env}={text!r} is not a number") from None
            if number <= 0:
                raise ConfigError(f"{s.env}={text!r} must be positive")
            raw[s.name] = number
        else:
            raw[s.name] = text
    raw.update({k: v for k, v in overrides.items() if v is not None})
    api_base = str(raw["api_base"]).rstrip("/")
    if not api_base.startswith(("http://", "https://")):
        raise ConfigError(f"TELEGRAM_API_BASE={api_base!r} must start with http:// or https://")
    access = str(raw["access"]).lower()
    if access not in ACCESS_MODES:
        raise ConfigError(f"BOT_ACCESS={access!r} must be one of {', '.join(ACCESS_MODES)}")
    admin_ids = _parse_admin_ids(raw["admin_ids"])
    digest_default = str(raw["digest_default"])
    from bot.digest import ScheduleError, parse_schedule

    try:
        parse_schedule(digest_default.split())
    except ScheduleError as exc:
        raise ConfigError(f"BOT_DIGEST_DEFAULT={digest_default!r}: {exc}") from None
    return Settings(
        token=str(raw["token"]),
        api_base=api_base,
        sources=Path(str(raw["sources"])),
        db=Path(str(raw["db"])),
        baseline=Path(str(raw["baseline"])) if raw["baseline"] else DEFAULT_BASELINE,
        tick_seconds=int(raw["tick_seconds"]),  # type: ignore[call-overload]
        fetch_timeout=float(raw["fetch_timeout"]),  # type: ignore[arg-type]
        feed_max_bytes=int(raw["feed_max_bytes"]),  # type: ignore[call-overload]
        page_max_bytes=int(raw["page_max_bytes"]),  # type: ignore[call-overload]
        user_agent=str(raw["user_agent"]),
        log_level=str(raw["log_level"]).upper(),
        access=access,
        admin_ids=admin_ids,
        digest_default=digest_default,
        invite_ttl_hours=int(raw["invite_ttl_hours"]),  # type: ignore[call-overload]
    )


def _parse_admin_ids(value: object) -> frozenset[int]:
    if isinstance(value, frozenset):
        return frozenset(int(v) for v in value)
    ids: set[int] = set()
    for part in str(value).replace(" ", ",").split(","):
        if not part:
            continue
        try:
            ids.add(int(part))
        except ValueError:
            raise ConfigError(f"BOT_ADMIN_IDS: {part!r} is not a Telegram user id (a number)") from None
    return frozenset(ids)
