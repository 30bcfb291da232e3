"""Settings: env, .env file, CLI overrides, clear errors, documented in the README, token never shown."""

from pathlib import Path

import pytest

from bot.config import SETTINGS, ConfigError, Settings, load_settings
from bot.ledger.entries import DEFAULT_BASELINE

README = Path(__file__).resolve().parents[1] / "README.md"


def test_defaults_without_environment(tmp_path):
    # every field, literally: a changed default (access above all) is a decision, never a side effect
    assert load_settings({}, env_file=None) == Settings(
        token="", api_base="https://api.telegram.org", sources=Path("sources.yaml"),
        db=Path("storage/capex-watch.sqlite3"), baseline=DEFAULT_BASELINE, tick_seconds=60, fetch_timeout=30.0,
        feed_max_bytes=5_000_000, page_max_bytes=2_000_000, user_agent="capex-watch/0.1 (+self-hosted)",
        log_level="INFO", access="invite", admin_ids=frozenset(), digest_default="mon 08:00 UTC",
        invite_ttl_hours=168, pause_after_errors=8, heartbeat_file=None, health_max_age=600.0, metrics_port=0,
        metrics_address="127.0.0.1", allow_private_links=False, retention_days=90)


def test_env_file_then_environment_then_flags(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text("BOT_TICK_SECONDS=5\nBOT_DB=from-file.db\nTELEGRAM_API_BASE=http://127.0.0.1:9/\n")
    s = load_settings({"BOT_DB": "from-env.db"}, env_file=env_file, sources=Path("flag.yaml"))
    assert (s.tick_seconds, s.db, s.sources, s.api_base) == (5, Path("from-env.db"), Path("flag.yaml"),
                                                             "http://127.0.0.1:9")


@pytest.mark.parametrize(("env", "message"), [
    ({"BOT_TICK_SECONDS": "soon"}, "BOT_TICK_SECONDS='soon' is not a number"),
    ({"BOT_TICK_SECONDS": "0"}, "must be positive"),
    ({"TELEGRAM_API_BASE": "api.telegram.org"}, "must start with http"),
    ({"BOT_ALLOW_PRIVATE_LINKS": "maybe"}, "BOT_ALLOW_PRIVATE_LINKS='maybe' must be true or false"),
    ({"BOT_RETENTION_DAYS": "0"}, "BOT_RETENTION_DAYS='0' must be positive"),
    ({"BOT_ACCESS": "everyone"}, "BOT_ACCESS='everyone' must be one of closed, invite, open"),
])
def test_bad_values_name_the_variable(env, message):
    with pytest.raises(ConfigError, match=message):
        load_settings(env, env_file=None)


def test_the_token_is_not_in_the_repr():
    s = load_settings({"TELEGRAM_BOT_TOKEN": "123:SECRET"}, env_file=None)
    assert "SECRET" not in repr(s)


def test_every_setting_is_documented_in_the_readme():
    readme = README.read_text()
    missing = [s.env for s in SETTINGS if f"`{s.env}`" not in readme]
    assert missing == []
