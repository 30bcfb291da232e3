"""The Telegram side: a python-telegram-bot Application pointed at TELEGRAM_API_BASE.

The same factory serves production, tests (a fake Bot API on loopback) and a local
telegram-bot-api server. Handlers are thin: they call the store and answer.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from telegram import Bot, BotCommand, Update
from telegram.constants import ParseMode
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot import notify, pipeline, upkeep
from bot.config import Settings
from bot.ledger import Ledger
from bot.sources import Source
from bot.store import CONSOLE_CHAT_ID, Store

log = logging.getLogger("bot.telegram")

DELIVERY_TICK_SECONDS = 2.0

COMMANDS = (
    ("start", "Subscribe to alerts"),
    ("stop", "Unsubscribe"),
    ("help", "What this bot watches and how"),
)

WELCOME = (
    "You are subscribed. I read the tech and business press and tell you when <b>Alibaba, Tencent, "
    "Baidu, Microsoft or Google/Alphabet</b> say something new about <b>AI capex, cloud business or "
    "data-centre energy</b>, and how it differs from what was known at Alibaba's Apsara Conference 2025.\n"
    "/stop unsubscribes, /help explains."
)
HELP = (
    "I watch the press for new figures from Alibaba, Tencent, Baidu, Microsoft and Google/Alphabet on "
    "AI capex, cloud and data-centre energy, compared with the Apsara 2025 baseline.\n"
    "/start subscribe · /stop unsubscribe · /help this text"
)


def _now() -> datetime:
    return datetime.now(UTC)


def _store(context: ContextTypes.DEFAULT_TYPE) -> Store:
    store: Store = context.application.bot_data["store"]
    return store


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Subscribe this chat."""
    chat = update.effective_chat
    if chat is None or update.effective_message is None:
        return
    new = _store(context).subscribe(chat.id, chat.type, chat.title or chat.username, _now())
    text = WELCOME if new else "You are already subscribed. /stop unsubscribes."
    await update.effective_message.reply_text(text, parse_mode=ParseMode.HTML)


async def stop(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Unsubscribe this chat."""
    chat = update.effective_chat
    if chat is None or update.effective_message is None:
        return
    was = _store(context).unsubscribe(chat.id, _now())
    await update.effective_message.reply_text(
        "Unsubscribed: no more alerts here. /start subscribes again." if was
        else "You were not subscribed. /start subscribes.")


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Explain the bot."""
    if update.effective_message is not None:
        await update.effective_message.reply_text(HELP)


async def unknown_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Never leave a user in silence."""
    if update.effective_message is not None:
        await update.effective_message.reply_text("I don't know that command. /help lists what I can do.")


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The one error funnel: log with the traceback; the user gets a short apology."""
    log.error("handler error", exc_info=context.error)
    if isinstance(update, Update) and update.effective_message is not None:
        try:
            await update.effective_message.reply_text("Sorry, something went wrong. Please try again later.")
        except Exception:  # the apology is best effort: Telegram may be the thing that failed
            log.warning("could not send the error reply")


def make_bot(settings: Settings) -> Bot:
    """A bare Bot for one-shot delivery (`python -m bot once`)."""
    return Bot(settings.token, base_url=f"{settings.api_base}/bot", base_file_url=f"{settings.api_base}/file/bot")


def build_application(settings: Settings, runtime: pipeline.Runtime) -> Application[Any, Any, Any, Any, Any, Any]:
    """The Application with handlers and the two repeating jobs (poll tick, delivery tick)."""

    async def post_init(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
        await app.bot.set_my_commands([BotCommand(c, d) for c, d in COMMANDS])

    async def post_shutdown(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
        await runtime.client.aclose()

    app = (ApplicationBuilder().token(settings.token)
           .base_url(f"{settings.api_base}/bot").base_file_url(f"{settings.api_base}/file/bot")
           .rate_limiter(AIORateLimiter(max_retries=3))
           .post_init(post_init).post_shutdown(post_shutdown).build())
    app.bot_data["store"] = runtime.store
    app.add_handler(CommandHandler("start", start))
    app.add_handler(CommandHandler("stop", stop))
    app.add_handler(CommandHandler("help", help_command))
    app.add_handler(MessageHandler(filters.COMMAND, unknown_command))
    app.add_error_handler(on_error)

    sender = notify.TelegramSender(app.bot)
    console = notify.ConsoleSender()

    async def poll_tick(context: ContextTypes.DEFAULT_TYPE) -> None:
        await pipeline.poll_pass(runtime)

    async def delivery_tick(context: ContextTypes.DEFAULT_TYPE) -> None:
        await notify.deliver_pending(runtime.store, sender, console, _now())

    job_queue = app.job_queue
    assert job_queue is not None, "python-telegram-bot[job-queue] is a dependency"
    job_options = {"max_instances": 1, "coalesce": True, "misfire_grace_time": None}
    # An explicit first run time: PTB's `first=0` becomes a start date already past when the
    # scheduler starts, and APScheduler then skips to the next interval (an hour later, by default).
    job_queue.run_repeating(poll_tick, interval=settings.tick_seconds, name="poll",
                            job_kwargs={**job_options, "next_run_time": _now()})
    job_queue.run_repeating(delivery_tick, interval=DELIVERY_TICK_SECONDS, name="deliver",
                            job_kwargs={**job_options, "next_run_time": _now()})
    upkeep.install_telegram(app, runtime, sender)
    return app


def run(settings: Settings, sources: list[Source], ledger: Ledger, store: Store) -> int:
    from bot.app import make_runtime

    # In Telegram mode the console is no longer a subscriber.
    store.unsubscribe(CONSOLE_CHAT_ID, _now())
    app = build_application(settings, make_runtime(settings, sources, ledger, store))
    app.run_polling(allowed_updates=Update.ALL_TYPES, bootstrap_retries=-1)
    store.close()
    return 0
