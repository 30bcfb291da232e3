"""Fixtures shared by the test modules (the loopback feed server and the fake Telegram Bot API, from
tests/support/loopback, and a throwaway PostgreSQL server, tests/postgres.py), and the rule that keeps
`make test-fast` fast: a test that starts `python -m bot` must be marked slow."""

import os

import pytest

from tests.support import process

# Loopback traffic never goes through a proxy the caller's environment names (HTTP_PROXY made 41 tests
# fail): httpx, which both the bot and python-telegram-bot use, honours NO_PROXY, and so do subprocesses.
for _name in ("NO_PROXY", "no_proxy"):
    os.environ[_name] = ",".join(filter(None, [os.environ.get(_name), "127.0.0.1", "localhost", "::1"]))

pytest_plugins = ["tests.support.loopback.feed_server", "tests.support.loopback.bot_api", "tests.postgres"]


def pytest_runtest_setup(item: pytest.Item) -> None:
    # before the test's fixtures, module-scoped ones included: they may start the bot too
    process.spawning_allowed = item.get_closest_marker("slow") is not None
