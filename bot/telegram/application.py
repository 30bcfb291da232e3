"""The Telegram side: a python-telegram-bot Application pointed at TELEGRAM_API_BASE.

The same factory serves production, tests (a fake Bot API on loopback) and a local telegram-bot-api
server. Handlers live in bot.telegram.handlers; this module wires them and runs two repeating jobs:
    poll      every BOT_TICK_SECONDS: poll the sources that are due (bot.pipeline)
    deliver   every second: queue the weekly digests that are due, then one delivery pass (bot.delivery.outbox)
Both read the time from runtime.clock, so tests inject it. The digest schedule lives in the database
(subscribers.next_digest_at), so no job is created per chat and restarts lose nothing.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from telegram import Bot, BotCommand, BotCommandScopeChat
from telegram.error import TelegramError
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot import pipeline
from bot.config import Settings
from bot.delivery import digest
from bot.delivery import outbox as notify
from bot.ops import upkeep
from bot.telegram import handlers as commands
from bot.telegram.replies import ADMIN_COMMANDS, COMMANDS

log = logging.getLogger("bot.telegram")

DELIVERY_TICK_SECONDS = 1.0
# Commands arrive as messages in private chats and groups, and as channel posts in channels.
COMMAND_UPDATES = filters.UpdateType.MESSAGE | filters.UpdateType.CHANNEL_POST

HANDLERS: tuple[tuple[str, Any], ...] = (
    ("start", commands.start), ("subscribe", commands.subscribe_menu), ("stop", commands.stop),
    ("forget", commands.forget), ("digest", commands.digest_command), ("why", commands.why),
    ("baseline", commands.baseline), ("sources", commands.sources), ("help", commands.help_command),
    ("invite", commands.invite), ("allow", commands.allow), ("revoke", commands.revoke), ("stats", commands.stats),
)


def make_bot(settings: Settings) -> Bot:
    """A bare Bot for one-shot delivery (`python -m bot once`)."""
    return Bot(settings.token, base_url=f"{settings.api_base}/bot", base_file_url=f"{settings.api_base}/file/bot")


async def queue_due_digests(rt: pipeline.Runtime, now: datetime) -> int:
    """Queue the weekly digest of every chat whose slot has come; each goes out through the outbox."""
    queued = 0
    for subscriber in rt.store.due_digests(now):
        schedule = digest.schedule_from_text(subscriber.digest_schedule)
        assert subscriber.next_digest_at is not None
        text, chart = await commands.digest_for(rt, subscriber.preferences, commands.DIGEST_DAYS_DEFAULT, now,
                                                scheduled=True)
        following = digest.next_run(schedule, now) if schedule else None
        if rt.store.queue_digest(subscriber.chat_id, subscriber.next_digest_at, following, text, chart,
                                 commands.DIGEST_CHART_CAPTION if chart else None, now):
            queued += 1
            log.info("digest chat=%s status=queued next=%s", subscriber.chat_id,
                     following.isoformat() if following else "off")
    return queued


async def set_command_menus(bot: Bot, admin_ids: frozenset[int]) -> None:
    """The menu everyone sees, and for each admin's private chat the admin commands too."""
    await bot.set_my_commands([BotCommand(c, d) for c, d in COMMANDS])
    for admin_id in sorted(admin_ids):
        try:
            await bot.set_my_commands([BotCommand(c, d) for c, d in COMMANDS + ADMIN_COMMANDS],
                                      scope=BotCommandScopeChat(admin_id))
        except TelegramError as exc:  # the admin has not opened a chat with the bot yet
            log.warning("admin=%s could not set the admin menu: %s", admin_id, exc)


def build_application(settings: Settings, runtime: pipeline.Runtime,
                      poll: bool = True) -> Application[Any, Any, Any, Any, Any, Any]:
    """The Application with handlers and the two repeating jobs (poll tick, delivery tick); poll=False
    (`python -m bot serve`) leaves polling to the workers."""

    async def post_init(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
        await set_command_menus(app.bot, settings.admin_ids)

    async def post_shutdown(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
        worker.stop()  # the runtime (and its HTTP client) belongs to bot.app, which closes it

    # max_retries=0: on a 429 the limiter would sleep holding every request; the delivery worker
    # instead parks only the chat that hit the limit (see bot.delivery.outbox).
    app = (ApplicationBuilder().token(settings.token)
           .base_url(f"{settings.api_base}/bot").base_file_url(f"{settings.api_base}/file/bot")
           .rate_limiter(AIORateLimiter(max_retries=0))
           .post_init(post_init).post_shutdown(post_shutdown).build())
    app.bot_data["runtime"] = runtime
    for name, callback in HANDLERS:
        app.add_handler(CommandHandler(name, callback, filters=COMMAND_UPDATES))
    app.add_handler(CallbackQueryHandler(commands.on_subscribe_button, pattern=r"^sub:"))
    app.add_handler(CallbackQueryHandler(commands.on_forget_button, pattern=r"^forget:"))
    app.add_handler(ChatMemberHandler(commands.on_my_chat_member, ChatMemberHandler.MY_CHAT_MEMBER))
    app.add_handler(MessageHandler(filters.COMMAND & COMMAND_UPDATES, commands.unknown_command))
    app.add_error_handler(commands.on_error)

    worker = notify.DeliveryWorker(runtime.store, notify.TelegramSender(app.bot), notify.ConsoleSender())

    async def poll_tick(context: ContextTypes.DEFAULT_TYPE) -> None:
        await pipeline.poll_pass(runtime, runtime.clock())

    async def delivery_tick(context: ContextTypes.DEFAULT_TYPE) -> None:
        now = runtime.clock()
        await queue_due_digests(runtime, now)
        await worker.run_pass(now)

    job_queue = app.job_queue
    assert job_queue is not None, "python-telegram-bot[job-queue] is a dependency"
    job_options = {"max_instances": 1, "coalesce": True, "misfire_grace_time": None}
    # An explicit first run time: PTB's `first=0` becomes a start date already past when the
    # scheduler starts, and APScheduler then skips to the next interval (an hour later, by default).
    start = datetime.now().astimezone()
    if poll:
        job_queue.run_repeating(poll_tick, interval=settings.tick_seconds, name="poll",
                                job_kwargs={**job_options, "next_run_time": start})
    job_queue.run_repeating(delivery_tick, interval=DELIVERY_TICK_SECONDS, name="deliver",
                            job_kwargs={**job_options, "next_run_time": start})
    upkeep.install_telegram(app, runtime, notify.TelegramSender(app.bot))
    return app
