"""The one root of the errors a user can cause and fix: a setting, the sources file, the baseline
ledger, the database file, an OPML file, a rules file, a command's input, a chat's preferences.

Each message is one line saying what is wrong and where. `bot/cli.py` maps them all in one place:
it prints `<context>: <message>` (the command's name when `context` is None) and exits with
`exit_status`. A bug is never a BotError: it keeps its traceback.
"""

from __future__ import annotations


class BotError(Exception):
    """Something the user can fix; the message says what."""

    exit_status = 1
    context: str | None = None  # what the CLI prints before the message; None: the command's name


class UsageError(BotError):
    """A command was given input it cannot use (an unreadable file, an unknown metric or source)."""
