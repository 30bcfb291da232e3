"""Delivery: drain the outbox to the console or to Telegram chats.

An outbox row is marked sent only after the sender returned, so a crash between the two sends that
alert at most once more. Errors are sorted by what they mean for the chat:
    Blocked      the user blocked the bot or it was removed from the group: unsubscribe that chat
    Migrated     the group became a supergroup: move the subscription and retry at once
    RetryLater   Telegram's flood control (429): wait what it asks, for that chat only
    Transient    network errors and 5xx: retry with backoff, never dropped
    Rejected     Telegram refuses this message for good (e.g. chat not found): mark failed
"""

from __future__ import annotations

import logging
import sys
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol, TextIO

from bot.render import html_to_plain, render_alert_html, render_alert_text, split_message
from bot.store import CONSOLE_CHAT_ID, Store

log = logging.getLogger(__name__)

MAX_BACKOFF = timedelta(hours=1)


class DeliveryError(Exception):
    pass


class Blocked(DeliveryError):
    pass


class Rejected(DeliveryError):
    pass


class Transient(DeliveryError):
    pass


class RetryLater(DeliveryError):
    def __init__(self, seconds: float) -> None:
        super().__init__(f"flood control: retry after {seconds:g} s")
        self.seconds = seconds


class Migrated(DeliveryError):
    def __init__(self, new_chat_id: int) -> None:
        super().__init__(f"chat migrated to {new_chat_id}")
        self.new_chat_id = new_chat_id


class Sender(Protocol):
    async def send(self, chat_id: int, html_text: str, plain_text: str) -> None: ...


class ConsoleSender:
    """Console delivery: alerts printed to stdout, for running without a Telegram token."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream

    async def send(self, chat_id: int, html_text: str, plain_text: str) -> None:
        out = self.stream or sys.stdout
        out.write(f"ALERT {plain_text}\n\n")
        out.flush()


class TelegramSender:
    """Sends HTML messages through python-telegram-bot, split at 4,096 characters."""

    def __init__(self, bot: object) -> None:
        self.bot = bot

    async def send(self, chat_id: int, html_text: str, plain_text: str) -> None:
        from telegram import LinkPreviewOptions
        from telegram.constants import ParseMode
        from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter

        bot = self.bot
        try:
            for part in split_message(html_text):
                try:
                    await bot.send_message(  # type: ignore[attr-defined]
                        chat_id=chat_id, text=part, parse_mode=ParseMode.HTML,
                        link_preview_options=LinkPreviewOptions(is_disabled=True))
                except BadRequest as exc:
                    # PTB capitalises Telegram's description, so match case-insensitively.
                    if "can't parse entities" not in str(exc).lower():
                        raise
                    for plain in split_message(html_to_plain(part)):
                        await bot.send_message(chat_id=chat_id, text=plain)  # type: ignore[attr-defined]
        except RetryAfter as exc:
            wait = exc.retry_after
            raise RetryLater(wait.total_seconds() if isinstance(wait, timedelta) else float(wait)) from exc
        except ChatMigrated as exc:
            raise Migrated(int(exc.new_chat_id)) from exc
        except Forbidden as exc:
            raise Blocked(str(exc)) from exc
        except BadRequest as exc:
            if "chat not found" in str(exc).lower():
                raise Blocked(str(exc)) from exc
            raise Rejected(str(exc)) from exc
        except NetworkError as exc:  # includes TimedOut and 5xx answers
            raise Transient(str(exc) or type(exc).__name__) from exc


@dataclass
class DeliveryReport:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    blocked_chats: list[int] = field(default_factory=list)


def transient_backoff(attempts: int) -> timedelta:
    """30 s, 1 min, 2 min ... capped at an hour: an outage delays alerts but never drops them."""
    return min(timedelta(seconds=30 * 2 ** min(attempts, 10)), MAX_BACKOFF)


async def deliver_pending(store: Store, telegram: Sender | None, console: Sender | None,
                          now: datetime) -> DeliveryReport:
    """Send every due outbox row once; chat 0 goes to the console, others to Telegram."""
    report = DeliveryReport()
    waiting_chats: set[int] = set()
    for item in store.due_deliveries(now):
        if item.chat_id in waiting_chats:
            continue  # this chat is in flood control or offline: keep its order, try next pass
        sender = console if item.chat_id == CONSOLE_CHAT_ID else telegram
        if sender is None:
            continue  # that delivery channel is not running in this process
        view = store.alert_view(item.alert_id)
        store.mark_sending(item.id)  # a crash from here to mark_* leaves the row in doubt (sent again)
        try:
            await sender.send(item.chat_id, render_alert_html(view), render_alert_text(view))
        except RetryLater as exc:
            waiting_chats.add(item.chat_id)
            store.mark_retry(item.id, now + timedelta(seconds=exc.seconds), str(exc))
            report.retried += 1
        except Transient as exc:
            waiting_chats.add(item.chat_id)
            store.mark_retry(item.id, now + transient_backoff(item.attempts), str(exc))
            report.retried += 1
            log.warning("delivery chat=%s alert=%s status=retry error=%r", item.chat_id, item.alert_id, str(exc))
        except Migrated as exc:
            store.migrate_chat(item.chat_id, exc.new_chat_id)
            report.retried += 1
        except Blocked as exc:
            store.mark_undeliverable(item.id, str(exc))
            store.deactivate_chat(item.chat_id, now)
            report.blocked_chats.append(item.chat_id)
            log.warning("delivery chat=%s status=blocked error=%r: unsubscribed", item.chat_id, str(exc))
        except Rejected as exc:
            store.mark_undeliverable(item.id, str(exc))
            report.failed += 1
            log.error("delivery chat=%s alert=%s status=rejected error=%r", item.chat_id, item.alert_id, str(exc))
        else:
            store.mark_sent(item.id, now)
            report.sent += 1
    return report
