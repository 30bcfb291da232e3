"""Fixtures shared by the test modules: the loopback feed server and the fake Telegram Bot API."""

pytest_plugins = ["tests.loopback.feed_server", "tests.loopback.bot_api", "tests.postgres"]
