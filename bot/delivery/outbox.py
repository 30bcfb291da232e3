"""Delivery: drain the outbox to the console or to Telegram chats, politely and without loss.

Each pass (the delivery tick, about once a second):
 1. compose: for each chat with waiting alerts and no message in flight, the alerts it wants (its
    /subscribe preferences) become ONE message (a burst is coalesced); the others are marked skipped.
 2. send: each pending message (alerts or a scheduled digest) is sent part by part (a photo, then
    text split at 4,096). Progress is stored after every part Telegram accepted, so a retry resumes
    at the next part and a crash repeats at most the one part in flight.

Pacing is proactive: at most one part per private chat per second, one per group or channel every
3 s (20/min), and at most MAX_SENDS_PER_PASS per pass (30/s); python-telegram-bot's AIORateLimiter
enforces the same global and group limits underneath. Errors are sorted by what they mean:
    Blocked      the user blocked the bot or it was removed from the group: unsubscribe that chat
    Migrated     the group became a supergroup: move the subscription and its queue, send there
    RetryLater   Telegram's flood control (429): that chat waits `retry_after`; other chats go on
    Transient    network errors and 5xx: retry with backoff, never dropped; the pass stops early,
                 since the API is probably down for everyone
    Rejected     Telegram refuses this message for good (e.g. chat not found): mark failed
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol, TextIO, runtime_checkable

from bot.delivery.preferences import wants_alert
from bot.delivery.render import html_to_plain, render_alerts_html, split_message
from bot.model.records import Preferences, QueuedMessage
from bot.store.database import CONSOLE_CHAT_ID, Store

log = logging.getLogger(__name__)

MAX_BACKOFF = timedelta(minutes=5)
PRIVATE_CHAT_GAP = timedelta(seconds=1)
GROUP_CHAT_GAP = timedelta(seconds=3)
MAX_SENDS_PER_PASS = 30
# More alerts than this for one chat at once still arrive, in several messages.
MAX_ALERTS_PER_MESSAGE = 10
# Alert messages younger than this are edited when their story gains outlets; older ones are history.
EDIT_WINDOW = timedelta(hours=48)
TOKEN_REJECTED = "the Bot API rejected TELEGRAM_BOT_TOKEN: check it with @BotFather"
# How long a claimed message stays this worker's without news from it; renewed before every part. A
# worker that died mid-message hands it over after this (its in-doubt part is then sent again).
LEASE = timedelta(minutes=2)


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


class Unauthorized(DeliveryError):
    """The Bot API rejects the token (401/404): nothing can be sent until the operator fixes it."""


class Migrated(DeliveryError):
    def __init__(self, new_chat_id: int) -> None:
        super().__init__(f"chat migrated to {new_chat_id}")
        self.new_chat_id = new_chat_id


class Sender(Protocol):
    async def send_text(self, chat_id: int, html_text: str) -> int | None:
        """Send one part; the message id Telegram gave it (None where messages have no id)."""
        ...

    async def send_photo(self, chat_id: int, png: bytes, caption: str | None) -> None: ...


@runtime_checkable
class Editor(Protocol):
    async def edit_text(self, chat_id: int, message_id: int, html_text: str) -> None:
        """Replace the text of a message already sent (editMessageText)."""
        ...


class ConsoleSender:
    """Console delivery: alerts printed to stdout, for running without a Telegram token."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream

    async def send_text(self, chat_id: int, html_text: str) -> None:
        out = self.stream or sys.stdout
        out.write(f"ALERT {html_to_plain(html_text)}\n\n")
        out.flush()

    async def send_photo(self, chat_id: int, png: bytes, caption: str | None) -> None:
        out = self.stream or sys.stdout
        out.write(f"(chart, {len(png)} bytes: {caption or ''})\n")


@contextmanager
def telegram_errors() -> Iterator[None]:
    """python-telegram-bot's exceptions as delivery errors (PTB chooses them from the HTTP status)."""
    from telegram.error import BadRequest, ChatMigrated, Forbidden, InvalidToken, NetworkError, RetryAfter

    try:
        yield
    except InvalidToken as exc:  # its text may carry the token: never passed on
        raise Unauthorized(TOKEN_REJECTED) from exc
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


class TelegramSender:
    """Sends one message part through python-telegram-bot; HTML, or plain text if the markup is refused."""

    def __init__(self, bot: Any) -> None:
        self.bot = bot

    async def send_text(self, chat_id: int, html_text: str) -> int:
        from telegram import LinkPreviewOptions
        from telegram.constants import ParseMode
        from telegram.error import BadRequest

        with telegram_errors():
            try:
                sent = await self.bot.send_message(chat_id=chat_id, text=html_text, parse_mode=ParseMode.HTML,
                                                   link_preview_options=LinkPreviewOptions(is_disabled=True))
            except BadRequest as exc:
                # PTB capitalises Telegram's description, so match case-insensitively.
                if "can't parse entities" not in str(exc).lower():
                    raise
                log.warning("delivery chat=%s markup refused (%s): sent as plain text", chat_id, exc)
                sent = await self.bot.send_message(chat_id=chat_id, text=html_to_plain(html_text),
                                                   link_preview_options=LinkPreviewOptions(is_disabled=True))
        return int(sent.message_id)

    async def edit_text(self, chat_id: int, message_id: int, html_text: str) -> None:
        from telegram import LinkPreviewOptions
        from telegram.constants import ParseMode
        from telegram.error import BadRequest

        with telegram_errors():
            try:
                await self.bot.edit_message_text(chat_id=chat_id, message_id=message_id, text=html_text,
                                                 parse_mode=ParseMode.HTML,
                                                 link_preview_options=LinkPreviewOptions(is_disabled=True))
            except BadRequest as exc:
                if "message is not modified" not in str(exc).lower():
                    raise  # the text already reads so: nothing to do

    async def send_photo(self, chat_id: int, png: bytes, caption: str | None) -> None:
        from telegram import InputFile

        with telegram_errors():
            await self.bot.send_photo(chat_id=chat_id, photo=InputFile(png, filename="digest.png"),
                                      caption=caption)


@dataclass(frozen=True)
class Part:
    """One Telegram call: a text part (HTML) or a photo with a caption."""

    html: str | None = None
    photo: bytes | None = None
    caption: str | None = None


def message_parts(message: QueuedMessage) -> list[Part]:
    """Deterministic, so `parts_sent` stays meaningful across retries and restarts."""
    parts = [Part(photo=message.photo, caption=message.caption)] if message.photo else []
    return parts + [Part(html=text) for text in split_message(message.html)]


class ChatPacer:
    """Earliest next send per chat: 1/s in private chats, 20/min in groups and channels (negative ids)."""

    def __init__(self) -> None:
        self._next: dict[int, datetime] = {}

    def ready(self, chat_id: int, now: datetime) -> bool:
        return self._next.get(chat_id, now) <= now

    def record(self, chat_id: int, now: datetime) -> None:
        if chat_id == CONSOLE_CHAT_ID:
            return
        self._next[chat_id] = now + (GROUP_CHAT_GAP if chat_id < 0 else PRIVATE_CHAT_GAP)

    def forget(self, chat_id: int) -> None:
        self._next.pop(chat_id, None)


@dataclass
class DeliveryReport:
    composed: int = 0
    sent_parts: int = 0
    sent_messages: int = 0
    retried: int = 0
    failed: int = 0
    held: int = 0  # messages with parts left that pacing holds for a later pass
    edited: int = 0  # alert messages edited in place (their story gained outlets)
    edit_failed: int = 0
    blocked_chats: list[int] = field(default_factory=list)


def transient_backoff(attempts: int) -> timedelta:
    """5 s, 10 s, 20 s ... capped at 5 min: an outage delays alerts by at most that after it ends."""
    return min(timedelta(seconds=5 * 2 ** min(attempts, 10)), MAX_BACKOFF)


class DeliveryWorker:
    """The outbox worker; keep one per process so per-chat pacing spans passes."""

    def __init__(self, store: Store, telegram: Sender | None, console: Sender | None) -> None:
        self.store = store
        self.telegram = telegram
        self.console = console
        self.pacer = ChatPacer()
        # who holds a message's lease: unique per worker, readable in the database when debugging
        self.owner = f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"
        # A rejected token (revoked at @BotFather while running) stops Telegram sends for a while,
        # doubling like a network outage; it is logged once, and once more when sends work again.
        self.unauthorized_until: datetime | None = None
        self.unauthorized_count = 0

    def stop(self) -> None:
        """Hand this worker's leased messages back at once (a clean stop), rather than after LEASE."""
        self.store.release_leases(self.owner)

    def compose(self, now: datetime, report: DeliveryReport) -> None:
        for chat_id in self.store.chats_to_compose(now):
            subscriber = self.store.subscriber(chat_id)
            prefs = subscriber.preferences if subscriber else Preferences()
            pending = self.store.pending_alerts(chat_id, MAX_ALERTS_PER_MESSAGE)
            wanted = [p for p in pending if wants_alert(prefs, p.company, p.topic, p.verdict)]
            unwanted = [p.outbox_id for p in pending if p not in wanted]
            html = render_alerts_html([self.store.alert_view(p.alert_id) for p in wanted]) if wanted else None
            if self.store.compose_message(chat_id, html, [p.outbox_id for p in wanted], unwanted, now):
                report.composed += 1

    async def run_pass(self, now: datetime) -> DeliveryReport:
        report = DeliveryReport()
        self.compose(now, report)
        sends = 0
        for message in self.store.claim_messages(self.owner, now, LEASE):
            if sends >= MAX_SENDS_PER_PASS:
                break
            sender = self.console if message.chat_id == CONSOLE_CHAT_ID else self.telegram
            if sender is None:
                continue  # that delivery channel is not running in this process
            if sender is self.telegram and self.unauthorized_until is not None and now < self.unauthorized_until:
                continue
            parts = message_parts(message)
            done = message.parts_sent
            taken_over = False
            try:
                while done < len(parts) and sends < MAX_SENDS_PER_PASS and self.pacer.ready(message.chat_id, now):
                    part = parts[done]
                    # a crash from here to mark_part_sent leaves this part in doubt: it is sent again
                    if not self.store.mark_part_sending(message.id, done, message.attempts, self.owner,
                                                        now + LEASE):
                        log.warning("delivery chat=%s message=%s status=taken_over: another worker holds it",
                                    message.chat_id, message.id)
                        taken_over = True
                        break
                    telegram_id = None
                    if part.photo is not None:
                        await sender.send_photo(message.chat_id, part.photo, part.caption)
                    else:
                        telegram_id = await sender.send_text(message.chat_id, part.html or "")
                    self.pacer.record(message.chat_id, now)
                    sends += 1
                    done += 1
                    report.sent_parts += 1
                    self.store.mark_part_sent(message.id, done, done == len(parts), now, telegram_id)
            except Unauthorized:
                self.unauthorized_count += 1
                self.unauthorized_until = now + transient_backoff(self.unauthorized_count - 1)
                self.store.release_leases(self.owner)
                if self.unauthorized_count == 1:
                    log.error("delivery status=unauthorized: %s; Telegram sends pause and are retried with "
                              "backoff (up to %d min), nothing is dropped", TOKEN_REJECTED,
                              MAX_BACKOFF.total_seconds() // 60)
                continue
            except RetryLater as exc:
                self.store.retry_message(message.id, now + timedelta(seconds=exc.seconds), str(exc))
                report.retried += 1
                log.warning("delivery chat=%s message=%s status=flood_wait seconds=%g", message.chat_id,
                            message.id, exc.seconds)
                continue
            except Transient as exc:
                self.store.retry_message(message.id, now + transient_backoff(message.attempts), str(exc))
                report.retried += 1
                log.warning("delivery chat=%s message=%s status=retry attempts=%d error=%r", message.chat_id,
                            message.id, message.attempts + 1, str(exc))
                break  # the API is unreachable: the other chats wait for the next pass
            except Migrated as exc:
                self.store.migrate_chat(message.chat_id, exc.new_chat_id)
                self.pacer.forget(message.chat_id)
                report.retried += 1
                log.info("delivery chat=%s status=migrated new_chat=%s", message.chat_id, exc.new_chat_id)
                continue
            except Blocked as exc:
                self.store.fail_message(message.id, str(exc))
                self.store.deactivate_chat(message.chat_id, now)
                report.blocked_chats.append(message.chat_id)
                log.warning("delivery chat=%s status=blocked error=%r: unsubscribed", message.chat_id, str(exc))
                continue
            except Rejected as exc:
                self.store.fail_message(message.id, str(exc))
                report.failed += 1
                log.error("delivery chat=%s message=%s status=rejected error=%r", message.chat_id, message.id,
                          str(exc))
                continue
            if sender is self.telegram and self.unauthorized_count and report.sent_parts:
                log.warning("delivery status=resumed: the Bot API accepts the token again")
                self.unauthorized_count, self.unauthorized_until = 0, None
            if done == len(parts):
                report.sent_messages += 1
            elif not taken_over:
                report.held += 1
        paused = self.unauthorized_until is not None and now < self.unauthorized_until
        if sends < MAX_SENDS_PER_PASS and isinstance(self.telegram, Editor) and not paused:
            await self.refresh_sent(self.telegram, now, report, MAX_SENDS_PER_PASS - sends)
        return report

    async def refresh_sent(self, editor: Editor, now: datetime, report: DeliveryReport, budget: int) -> None:
        """Edit in place the alert messages whose story gained outlets since they were sent, so their
        source count and list stay true (issue 12).

        The message is rendered again from the alerts' current stories; each part whose text changed is
        replaced with editMessageText. An edit that fails is logged once and never tried again: the
        message keeps its old text, which was true when it was sent.
        """
        for message in self.store.messages_to_refresh(now - EDIT_WINDOW):
            if budget <= 0:
                return
            html = render_alerts_html([self.store.alert_view(a) for a in message.alert_ids])
            old_parts, new_parts = split_message(message.html), split_message(html)
            if html == message.html:
                self.store.mark_refreshed(message.id, html, now)
                continue
            if len(old_parts) != len(new_parts) or len(message.telegram_ids) != len(new_parts):
                self._edit_failed(message.id, message.chat_id, html, now, report,
                                  f"the message would change from {len(old_parts)} to {len(new_parts)} parts")
                continue
            try:
                for telegram_id, old, new in zip(message.telegram_ids, old_parts, new_parts, strict=True):
                    if old == new:
                        continue
                    if telegram_id is None or not self.pacer.ready(message.chat_id, now):
                        raise RetryLater(0) if telegram_id is not None else Rejected("no message id kept")
                    await editor.edit_text(message.chat_id, telegram_id, new)
                    self.pacer.record(message.chat_id, now)
                    budget -= 1
            except (RetryLater, Unauthorized):
                continue  # the chat's pace, flood control, a rejected token: the story is still newer, next pass
            except DeliveryError as exc:
                self._edit_failed(message.id, message.chat_id, html, now, report, str(exc))
                continue
            self.store.mark_refreshed(message.id, html, now)
            report.edited += 1
            log.info("delivery chat=%s message=%s status=edited", message.chat_id, message.id)

    def _edit_failed(self, message_id: int, chat_id: int, html: str, now: datetime, report: DeliveryReport,
                     error: str) -> None:
        self.store.mark_refreshed(message_id, html, now, error=error)
        report.edit_failed += 1
        log.warning("delivery chat=%s message=%s status=edit_failed error=%r: not tried again", chat_id,
                    message_id, error)
