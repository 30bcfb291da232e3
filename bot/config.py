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

from bot.delivery.digest import ScheduleError, parse_schedule
from bot.errors import BotError
from bot.ledger.entries import DEFAULT_BASELINE
from bot.store.dialect import target

DEFAULT_API_BASE = "https://api.telegram.org"


class ConfigError(BotError):
    """A setting has a value the bot cannot use; the message names the variable."""

    exit_status = 2
    context = "configuration error"


@dataclass(frozen=True)
class Setting:
    name: str
    env: str
    default: str
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("token", "TELEGRAM_BOT_TOKEN", "",
            "Bot token from @BotFather. Empty: alerts are printed to the console instead."),
    Setting("api_base", "TELEGRAM_API_BASE", DEFAULT_API_BASE,
            "Root of the Bot API server (a local telegram-bot-api server or a test fake)."),
    Setting("sources", "BOT_SOURCES", "sources.yaml", "Path of the sources file."),
    Setting("db", "BOT_DB", "storage/capex-watch.sqlite3",
            "The database: a SQLite file path (or `sqlite:///PATH`), or `postgresql://USER:PASS@HOST/DB`."),
    Setting("baseline", "BOT_BASELINE", "", "Path of the baseline YAML; empty: the one shipped in bot/."),
    Setting("tick_seconds", "BOT_TICK_SECONDS", "60",
            "How often the scheduler looks for sources that are due (each source has its own interval)."),
    Setting("fetch_timeout", "BOT_FETCH_TIMEOUT", "30", "Total seconds allowed for one download."),
    Setting("feed_max_bytes", "BOT_FEED_MAX_BYTES", "5000000", "Largest feed body read, in bytes."),
    Setting("page_max_bytes", "BOT_PAGE_MAX_BYTES", "2000000", "Largest article page read, in bytes."),
    Setting("allow_private_links", "BOT_ALLOW_PRIVATE_LINKS", "false",
            "true: article links may lead to loopback, private, link-local (cloud metadata) addresses. "
            "false: such links are refused (the summary is used) unless on the feed's own server."),
    Setting("user_agent", "BOT_USER_AGENT", "capex-watch/0.1 (+self-hosted)",
            "User-Agent sent to feeds and pages."),
    Setting("log_level", "BOT_LOG_LEVEL", "INFO", "Log level (DEBUG, INFO, WARNING, ERROR)."),
    Setting("access", "BOT_ACCESS", "invite",
            "Who may subscribe: closed (admins and /allow-ed chats), invite (also chats with an invite code), "
            "open (anyone)."),
    Setting("admin_ids", "BOT_ADMIN_IDS", "",
            "Comma-separated Telegram user ids of the bot's admins (/invite /allow /revoke /stats); they "
            "are also told when a source is paused, resumes or falls silent."),
    Setting("digest_default", "BOT_DIGEST_DEFAULT", "mon 08:00 UTC",
            "Weekly digest schedule of a new subscriber: `DAY HH:MM TIMEZONE`, or `off`."),
    Setting("invite_ttl_hours", "BOT_INVITE_TTL_HOURS", "168", "How long an unused invite code stays valid."),
    Setting("retention_days", "BOT_RETENTION_DAYS", "90",
            "Days an article's text is kept; then it is dropped (/why and the ledger keep what they need)."),
    Setting("pause_after_errors", "BOT_PAUSE_AFTER_ERRORS", "8",
            "Consecutive failed polls after which a source is paused (then tried once a day)."),
    Setting("heartbeat_file", "BOT_HEARTBEAT_FILE", "",
            "Heartbeat file the running bot keeps fresh; empty: heartbeat.json next to the database."),
    Setting("health_max_age", "BOT_HEALTH_MAX_AGE", "600",
            "Seconds after which a silent heartbeat makes `python -m bot health` (and /healthz) fail."),
    Setting("metrics_port", "BOT_METRICS_PORT", "0",
            "Port of the HTTP endpoint with /healthz and Prometheus /metrics; 0: no endpoint."),
    Setting("metrics_address", "BOT_METRICS_ADDRESS", "127.0.0.1",
            "Address the metrics endpoint listens on (0.0.0.0 inside a container)."),
    Setting("lease_seconds", "BOT_LEASE_SECONDS", "600",
            "How long a poller holds the sources it took; the sources of a poller that died are free after this."),
)
ACCESS_MODES = ("closed", "invite", "open")

_INTS = {"tick_seconds", "feed_max_bytes", "page_max_bytes", "invite_ttl_hours", "pause_after_errors",
         "metrics_port", "retention_days", "lease_seconds"}
_FLOATS = {"fetch_timeout", "health_max_age"}
_ZERO_ALLOWED = {"metrics_port"}  # 0 switches the feature off
_BOOLS = {"allow_private_links"}
_TRUE, _FALSE = ("true", "yes", "on", "1"), ("false", "no", "off", "0", "")


@dataclass(frozen=True)
class Settings:
    token: str
    api_base: str
    sources: Path
    db: Path | str  # a SQLite file, or a PostgreSQL URL (bot.store.dialect.target)
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
    pause_after_errors: int = 8
    heartbeat_file: Path | None = None
    health_max_age: float = 600.0
    metrics_port: int = 0
    metrics_address: str = "127.0.0.1"
    allow_private_links: bool = False
    retention_days: int = 90
    lease_seconds: int = 600

    @property
    def heartbeat_path(self) -> Path:
        if self.heartbeat_file:
            return self.heartbeat_file
        # PostgreSQL: each process keeps its own liveness file, in the working directory's storage/
        return self.db.parent / "heartbeat.json" if isinstance(self.db, Path) else Path("storage/heartbeat.json")

    @property
    def db_label(self) -> str:
        """The database as logs may show it: a PostgreSQL URL without its password."""
        return str(target(self.db))

    def __repr__(self) -> str:
        # The token must never reach a log line, even through a repr of the settings.
        shown = {f.name: getattr(self, f.name) for f in fields(self)}
        shown["token"] = "***" if self.token else ""
        shown["db"] = self.db_label
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
            if number < 0 or (number == 0 and s.name not in _ZERO_ALLOWED):
                raise ConfigError(f"{s.env}={text!r} must be positive")
            if s.name == "metrics_port" and number > 65535:
                raise ConfigError(f"{s.env}={text!r} is not a port number")
            raw[s.name] = number
        elif s.name in _BOOLS:
            if text.lower() not in _TRUE + _FALSE:
                raise ConfigError(f"{s.env}={text!r} must be true or false")
            raw[s.name] = text.lower() in _TRUE
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

    try:
        parse_schedule(digest_default.split())
    except ScheduleError as exc:
        raise ConfigError(f"BOT_DIGEST_DEFAULT={digest_default!r}: {exc}") from None
    return Settings(
        token=str(raw["token"]),
        api_base=api_base,
        sources=Path(str(raw["sources"])),
        db=_database(str(raw["db"])),
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
        pause_after_errors=int(raw["pause_after_errors"]),  # type: ignore[call-overload]
        heartbeat_file=Path(str(raw["heartbeat_file"])) if raw["heartbeat_file"] else None,
        health_max_age=float(raw["health_max_age"]),  # type: ignore[arg-type]
        metrics_port=int(raw["metrics_port"]),  # type: ignore[call-overload]
        metrics_address=str(raw["metrics_address"]),
        allow_private_links=raw["allow_private_links"] is True,
        retention_days=int(raw["retention_days"]),  # type: ignore[call-overload]
        lease_seconds=int(raw["lease_seconds"]),  # type: ignore[call-overload]
    )


def _database(text: str) -> Path | str:
    try:
        location = target(text)
    except ValueError as exc:
        raise ConfigError(str(exc)) from None
    return location.path if location.path is not None else text


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
