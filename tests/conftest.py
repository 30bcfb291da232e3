"""Fixtures shared by the test modules: the loopback feed server, the fake Telegram Bot API and a
throwaway PostgreSQL server."""

import os

# Loopback traffic never goes through a proxy the caller's environment names (HTTP_PROXY made 41 tests
# fail): httpx, which both the bot and python-telegram-bot use, honours NO_PROXY, and so do subprocesses.
for _name in ("NO_PROXY", "no_proxy"):
    os.environ[_name] = ",".join(filter(None, [os.environ.get(_name), "127.0.0.1", "localhost", "::1"]))

pytest_plugins = ["tests.loopback.feed_server", "tests.loopback.bot_api", "tests.postgres"]
