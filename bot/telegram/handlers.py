"""Telegram handlers: thin. Each reads the update, asks the store, answers with text from bot.telegram.replies.

Everything the handlers need is in `application.bot_data["runtime"]` (a pipeline.Runtime: settings,
sources, ledger, store, clock), so tests can inject the clock.

Permissions: anyone may /start (subject to BOT_ACCESS) and ask /help; the other commands need the chat
to be admitted. In groups and channels only the chat's admins (or an anonymous admin, or a bot admin)
change or forget the subscription: a channel post counts (only admins can post), a button press is
checked with getChatMember (every channel reader can press a button).
"""

from __future__ import annotations

import asyncio
import html
import logging
import re
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from telegram import (
    ChatMemberUpdated,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputFile,
    LinkPreviewOptions,
    Message,
    Update,
)
from telegram.constants import ChatMemberStatus, ParseMode
from telegram.error import BadRequest, Conflict, InvalidToken, TelegramError
from telegram.ext import ContextTypes

from bot.delivery import digest, preferences
from bot.delivery.render import split_message
from bot.model import BASELINE_EVENT, COMPANY_NAMES
from bot.model.records import Preferences
from bot.pipeline import Runtime
from bot.telegram import access, replies

log = logging.getLogger("bot.telegram")

DIGEST_DAYS_DEFAULT = 7
DIGEST_DAYS_MAX = 90
DIGEST_CHART_CAPTION = f"Each figure that moved, period by period, against its {BASELINE_EVENT} value (dashed)"
_ALERT_NUMBER = re.compile(r"#?([0-9]{1,15})", re.ASCII)
_DAYS = re.compile(r"[0-9]{1,3}", re.ASCII)
ADMIN_CHECK_SECONDS = 60.0
ADMIN_CHECK_MAX = 10_000


def _runtime(context: ContextTypes.DEFAULT_TYPE) -> Runtime:
    runtime: Runtime = context.application.bot_data["runtime"]
    return runtime


async def reply(message: Message, html_text: str, markup: InlineKeyboardMarkup | None = None) -> None:
    """Answer in HTML, split at 4,096 characters; the keyboard goes with the last part."""
    parts = split_message(html_text)
    for number, part in enumerate(parts, start=1):
        await message.reply_text(part, parse_mode=ParseMode.HTML, do_quote=False,
                                 reply_markup=markup if number == len(parts) else None,
                                 link_preview_options=LinkPreviewOptions(is_disabled=True))


def _is_bot_admin(update: Update, rt: Runtime) -> bool:
    user = update.effective_user
    return user is not None and user.id in rt.settings.admin_ids


def _is_admitted(update: Update, rt: Runtime) -> bool:
    chat = update.effective_chat
    if chat is None:
        return False
    if rt.settings.access == "open" or _is_bot_admin(update, rt) or rt.store.is_allowed(chat.id):
        return True
    subscriber = rt.store.subscriber(chat.id)
    return subscriber is not None and subscriber.admitted_by is not None


async def _may_configure(update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
    """Private chats: yes. Groups and channels: the chat's administrators only.

    A command posted as the chat itself counts (a channel post, or an anonymous group admin): only
    admins can post so. A button press never counts that way: in a channel the keyboard's message
    carries the channel as its sender, and every reader can press it, so the presser is checked."""
    chat, user = update.effective_chat, update.effective_user
    if chat is None:
        return False
    if chat.type == "private" or _is_bot_admin(update, _runtime(context)):
        return True
    message = update.effective_message
    if (update.callback_query is None and message is not None and message.sender_chat is not None
            and message.sender_chat.id == chat.id):
        return True
    if user is None:
        return False
    return await _is_chat_admin(context, chat.id, user.id)


async def _is_chat_admin(context: ContextTypes.DEFAULT_TYPE, chat_id: int, user_id: int) -> bool:
    """getChatMember, remembered for ADMIN_CHECK_SECONDS: a burst of taps asks Telegram once, and a
    demoted admin loses the right within that time."""
    cache: dict[tuple[int, int], tuple[float, bool]] = context.application.bot_data.setdefault("admin_checks", {})
    now = time.monotonic()
    known = cache.get((chat_id, user_id))
    if known is not None and known[0] > now:
        return known[1]
    try:
        member = await context.bot.get_chat_member(chat_id, user_id)
    except TelegramError:
        log.warning("chat=%s could not check the sender's membership", chat_id)
        return False  # not cached: the next tap asks again
    is_admin = member.status in (ChatMemberStatus.OWNER, ChatMemberStatus.ADMINISTRATOR)
    if len(cache) > ADMIN_CHECK_MAX:
        cache.clear()  # a bound, not an LRU: entries live a minute anyway
    cache[(chat_id, user_id)] = (now + ADMIN_CHECK_SECONDS, is_admin)
    return is_admin


async def _guard(update: Update, context: ContextTypes.DEFAULT_TYPE, *, configure: bool = False) -> bool:
    """Answer for the user when they may not do this; True when they may."""
    message = update.effective_message
    if message is None:
        return False
    if not _is_admitted(update, _runtime(context)):
        await reply(message, replies.NOT_ADMITTED)
        return False
    if configure and not await _may_configure(update, context):
        await reply(message, replies.admins_only(update.effective_chat.type if update.effective_chat else ""))
        return False
    return True


# -- subscription -------------------------------------------------------------------------------------


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Subscribe this chat, if access allows (an invite code may come with it)."""
    chat, message = update.effective_chat, update.effective_message
    if chat is None or message is None:
        return
    rt = _runtime(context)
    now = rt.clock()
    if chat.type != "private" and not await _may_configure(update, context):
        await reply(message, replies.GROUP_ADMINS_ONLY)
        return
    code = context.args[0] if context.args else None
    subscriber = rt.store.subscriber(chat.id)
    via = access.admission(access.AccessRequest(
        mode=rt.settings.access, is_admin=_is_bot_admin(update, rt), is_allowed=rt.store.is_allowed(chat.id),
        admitted_before=subscriber is not None and subscriber.admitted_by is not None, has_code=code is not None))
    if via == "admin":
        via = f"admin:{update.effective_user.id if update.effective_user else '?'}"
    if via is None:
        if code is None or not access.may_use_code(rt.settings.access):
            await reply(message, replies.REFUSAL if rt.settings.access == "invite" else replies.CLOSED_REFUSAL)
            log.info("chat=%s type=%s status=refused access=%s", chat.id, chat.type, rt.settings.access)
            return
        if not access.looks_like_code(code) or not rt.store.redeem_invite(code, chat.id, now):
            await reply(message, replies.BAD_CODE)
            log.info("chat=%s status=refused reason=bad_code", chat.id)
            return
        via = f"invite:{code}"
    schedule = digest.schedule_from_text(
        subscriber.digest_schedule if subscriber and subscriber.digest_schedule else rt.settings.digest_default)
    new = rt.store.subscribe(
        chat.id, chat.type, chat.title or chat.username, now, admitted_by=via,
        digest_schedule=schedule.text() if schedule else "off",
        next_digest_at=digest.next_run(schedule, now) if schedule else None)
    log.info("chat=%s type=%s status=subscribed via=%s new=%s", chat.id, chat.type,
             via.split(":")[0], new)
    await reply(message, replies.welcome(new, schedule.describe() if schedule else "never (off)"))


async def stop(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Unsubscribe; preferences and the schedule are kept until /forget."""
    chat, message = update.effective_chat, update.effective_message
    if chat is None or message is None or not await _guard(update, context, configure=True):
        return
    rt = _runtime(context)
    was = rt.store.unsubscribe(chat.id, rt.clock())
    await reply(message, "Unsubscribed: no more alerts or digests here. Your settings are kept; /start resumes, "
                "/forget deletes them." if was else "This chat was not subscribed. /start subscribes.")


async def forget(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Ask for confirmation before deleting the chat's data."""
    message = update.effective_message
    if message is None or not await _guard(update, context, configure=True):
        return
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("Yes, delete everything", callback_data="forget:yes"),
                                    InlineKeyboardButton("Cancel", callback_data="forget:no")]])
    await reply(message, "Delete this chat's subscription, settings and queued messages? "
                "You would need a new invite to come back.", markup)


async def on_forget_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query, chat = update.callback_query, update.effective_chat
    if query is None or chat is None:
        return
    if not await _may_configure(update, context):
        await query.answer(replies.admins_only(chat.type), show_alert=True)
        return
    await query.answer()
    if query.data == "forget:yes":
        known = _runtime(context).store.forget_chat(chat.id)
        log.info("chat=%s status=forgotten", chat.id)
        await query.edit_message_text("Done: everything about this chat is deleted." if known
                                      else "There was nothing stored about this chat.")
    else:
        await query.edit_message_text("Nothing deleted.")


async def subscribe_menu(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The inline keyboard of companies × topics × alert level, with ticks."""
    chat, message = update.effective_chat, update.effective_message
    if chat is None or message is None or not await _guard(update, context, configure=True):
        return
    rt = _runtime(context)
    subscriber = rt.store.subscriber(chat.id)
    if subscriber is None or not subscriber.active:
        await reply(message, "This chat is not subscribed: /start first, then /subscribe.")
        return
    await reply(message, _menu_text(subscriber.preferences), _markup(subscriber.preferences))


def _menu_text(prefs: Preferences) -> str:
    return "<b>What should arrive here?</b> Tap to toggle.\n" + preferences.describe(prefs)


def _markup(prefs: Preferences) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(label, callback_data=data) for label, data in row]
                                 for row in preferences.keyboard_rows(prefs)])


async def on_subscribe_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A tap on the /subscribe keyboard: save, then redraw the ticks."""
    query, chat = update.callback_query, update.effective_chat
    if query is None or chat is None or query.data is None:
        return
    rt = _runtime(context)
    subscriber = rt.store.subscriber(chat.id)
    if subscriber is None or not subscriber.active or subscriber.admitted_by is None:
        await query.answer("This chat is not subscribed: /start first.", show_alert=True)
        return
    if not await _may_configure(update, context):
        await query.answer(replies.admins_only(chat.type), show_alert=True)
        return
    try:
        prefs = preferences.apply_callback(subscriber.preferences, query.data)
    except preferences.PreferenceError:
        await query.answer("That button is out of date: send /subscribe again.")
        return
    if query.data == preferences.DONE:
        await query.answer("Saved")
        await query.edit_message_text("<b>Saved.</b>\n" + preferences.describe(prefs), parse_mode=ParseMode.HTML)
        return
    rt.store.set_preferences(chat.id, prefs, rt.clock())
    await query.answer()
    try:
        await query.edit_message_text(_menu_text(prefs), parse_mode=ParseMode.HTML, reply_markup=_markup(prefs))
    except BadRequest as exc:
        if "not modified" not in str(exc).lower():  # a double tap redraws the same state
            raise


# -- digest -------------------------------------------------------------------------------------------


async def digest_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/digest [N] now, or /digest weekly DAY HH:MM [TZ] | off to schedule it."""
    chat, message = update.effective_chat, update.effective_message
    if chat is None or message is None:
        return
    args = list(context.args or [])
    if args and args[0].lower() in ("weekly", "off"):
        await _schedule_digest(update, context, args)
        return
    if not await _guard(update, context):
        return
    days = DIGEST_DAYS_DEFAULT
    if args:
        if len(args) > 1 or not _DAYS.fullmatch(args[0]) or not 1 <= int(args[0]) <= DIGEST_DAYS_MAX:
            await reply(message, f"Usage: /digest [days], days from 1 to {DIGEST_DAYS_MAX} (default 7); or "
                        f"{digest.SCHEDULE_USAGE}")
            return
        days = int(args[0])
    rt = _runtime(context)
    subscriber = rt.store.subscriber(chat.id)
    prefs = subscriber.preferences if subscriber else Preferences()
    text, chart = await digest_for(rt, prefs, days, rt.clock(), scheduled=False)
    if chart is not None:
        await message.reply_photo(InputFile(chart, filename="digest.png"), caption=DIGEST_CHART_CAPTION)
    await reply(message, text)


async def digest_for(rt: Runtime, prefs: Preferences, days: int, now: datetime,
                     *, scheduled: bool) -> tuple[str, bytes | None]:
    """The digest text and chart for one chat's companies and topics (the chart drawn off the event loop)."""
    sections = digest.build_digest(rt.store.digest_items(now - timedelta(days=days)), prefs.companies, prefs.topics)
    chart = await asyncio.to_thread(digest.render_chart, sections, days)
    return digest.render_digest_html(sections, days, scheduled=scheduled), chart


async def _schedule_digest(update: Update, context: ContextTypes.DEFAULT_TYPE, args: list[str]) -> None:
    chat, message = update.effective_chat, update.effective_message
    assert chat is not None and message is not None
    if not await _guard(update, context, configure=True):
        return
    rt = _runtime(context)
    subscriber = rt.store.subscriber(chat.id)
    if subscriber is None:
        await reply(message, "This chat is not subscribed: /start first.")
        return
    try:
        schedule = digest.parse_schedule(args)
    except digest.ScheduleError as exc:
        await reply(message, f"I could not read that schedule: {html.escape(str(exc))}.\n"
                    f"Usage: {digest.SCHEDULE_USAGE}")
        return
    now = rt.clock()
    if schedule is None:
        rt.store.set_digest_schedule(chat.id, "off", None, now)
        await reply(message, "Weekly digest off. /digest still shows one on demand; "
                    "/digest weekly mon 08:00 turns it back on.")
        return
    when = digest.next_run(schedule, now)
    rt.store.set_digest_schedule(chat.id, schedule.text(), when, now)
    await reply(message, f"Weekly digest {schedule.describe()}. Next: {when:%a %Y-%m-%d %H:%M} UTC.")


# -- explanations -------------------------------------------------------------------------------------


async def why(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/why N: how alert N came about."""
    message = update.effective_message
    if message is None or not await _guard(update, context):
        return
    args = context.args or []
    # ASCII digits only ("²".isdigit() is true, int("²") fails), and few enough for SQLite's integers
    number = _ALERT_NUMBER.fullmatch(args[0]) if len(args) == 1 else None
    if number is None:
        await reply(message, "Usage: /why N, where N is the number at the end of an alert (e.g. /why 12).")
        return
    rt = _runtime(context)
    explanation = rt.store.alert_explanation(int(number.group(1)))
    if explanation is None:
        await reply(message, f"There is no alert {int(number.group(1))}. /digest lists recent ones.")
        return
    await reply(message, replies.render_why(explanation, rt.ledger))


async def baseline(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/baseline [company]: the reference figures."""
    message = update.effective_message
    if message is None or not await _guard(update, context):
        return
    args = [a.lower() for a in (context.args or [])]
    aliases = {"alphabet": "google", "msft": "microsoft", "aliyun": "alibaba"}
    company = aliases.get(args[0], args[0]) if args else None
    if len(args) > 1 or (company is not None and company not in COMPANY_NAMES):
        await reply(message, "Usage: /baseline [company], company one of alibaba, tencent, baidu, microsoft, google.")
        return
    await reply(message, replies.render_baseline(_runtime(context).ledger, company))


async def sources(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/sources: the health of each feed."""
    message = update.effective_message
    if message is None or not await _guard(update, context):
        return
    rt = _runtime(context)
    states = {s.source_id: s for s in rt.store.all_source_states()}
    await reply(message, replies.render_sources(rt.sources, states, rt.clock()))


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Explain the bot."""
    if update.effective_message is not None:
        text = replies.HELP
        if _is_bot_admin(update, _runtime(context)):
            text += "\n\nAdmin: " + " · ".join(f"/{c}" for c, _ in replies.ADMIN_COMMANDS)
        await reply(update.effective_message, text)


# -- admin --------------------------------------------------------------------------------------------


async def _admin_guard(update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
    if _is_bot_admin(update, _runtime(context)):
        return True
    if update.effective_message is not None:
        await reply(update.effective_message, replies.ADMIN_ONLY)
    return False


async def invite(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/invite: a one-time code and deep links."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None or not await _admin_guard(update, context):
        return
    rt = _runtime(context)
    code = access.new_invite_code()
    now = rt.clock()
    rt.store.create_invite(code, user.id, now, now + timedelta(hours=rt.settings.invite_ttl_hours))
    log.info("admin=%s status=invite_created", user.id)
    await reply(message, replies.invite_text(code, context.bot.username, rt.settings.invite_ttl_hours))


def _chat_id_arg(args: list[str] | None) -> int | None:
    if not args or len(args) != 1:
        return None
    try:
        return int(args[0])
    except ValueError:
        return None


async def allow(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/allow CHAT_ID: let a chat subscribe without an invite."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None or not await _admin_guard(update, context):
        return
    chat_id = _chat_id_arg(context.args)
    if chat_id is None:
        await reply(message, "Usage: /allow CHAT_ID (a number; groups and channels are negative). "
                    "The chat then sends /start.")
        return
    rt = _runtime(context)
    rt.store.allow_chat(chat_id, user.id, rt.clock())
    await reply(message, f"Chat <code>{chat_id}</code> may now subscribe with /start.")


async def revoke(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/revoke CHAT_ID: unsubscribe a chat and take its access away."""
    message = update.effective_message
    if message is None or not await _admin_guard(update, context):
        return
    chat_id = _chat_id_arg(context.args)
    if chat_id is None:
        await reply(message, "Usage: /revoke CHAT_ID (a number; groups and channels are negative).")
        return
    rt = _runtime(context)
    changed = rt.store.revoke_chat(chat_id, rt.clock())
    await reply(message, f"Chat <code>{chat_id}</code>: access revoked, alerts stopped." if changed
                else f"Chat <code>{chat_id}</code> had no access to revoke.")


async def stats(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/stats: subscribers, alerts, the delivery queue."""
    message = update.effective_message
    if message is None or not await _admin_guard(update, context):
        return
    rt = _runtime(context)
    now = rt.clock()
    await reply(message, replies.render_stats(rt.store.stats(now, now - timedelta(days=7)), 7, rt.settings.access))


# -- errors -------------------------------------------------------------------------------------------

POLLING_ERROR_REPEAT = 600.0  # seconds


def _polling_error(context: ContextTypes.DEFAULT_TYPE, error: TelegramError) -> None:
    report_polling_error(context.application.bot_data, error)


def report_polling_error(bot_data: dict[Any, Any], error: TelegramError) -> None:
    """One line for an error of getUpdates (the Updater's error_callback), at most once per
    POLLING_ERROR_REPEAT for each kind, instead of PTB's traceback per retry."""
    if isinstance(error, Conflict):
        kind, text = "conflict", ("another process is polling Telegram with this TELEGRAM_BOT_TOKEN (409 Conflict): "
                                  "only one bot may run per token; stop the other one (this one keeps retrying)")
    elif isinstance(error, InvalidToken):
        kind, text = "token", "the Bot API rejected TELEGRAM_BOT_TOKEN: check it with @BotFather"
    else:
        kind, text = "network", f"polling Telegram failed, retrying: {type(error).__name__}: {error}"
    said: dict[str, float] = bot_data.setdefault("polling_errors_said", {})
    now = time.monotonic()
    if now - said.get(kind, -POLLING_ERROR_REPEAT) >= POLLING_ERROR_REPEAT:
        said[kind] = now
        log.error("%s", text)


def loop_exception_handler(bot_data: dict[Any, Any]) -> Callable[[asyncio.AbstractEventLoop, dict[str, Any]], None]:
    """The event loop's handler for errors no task awaited: a Bot API error is said like a polling error.

    PTB's polling loop waits for a getUpdates call and its stop event together; when both end in the same
    instant (a second bot's 409 Conflict as this one stops), it drops the call's error unread, and asyncio
    would print "Task exception was never retrieved" with a traceback when the task is collected. That is
    a polling condition, not a bug: one line, like the others. Anything else goes to asyncio's default."""

    def handle(loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        error = context.get("exception")
        if isinstance(error, TelegramError):
            report_polling_error(bot_data, error)
        else:
            loop.default_exception_handler(context)

    return handle


# -- the rest -----------------------------------------------------------------------------------------


async def unknown_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Never leave a user in silence."""
    message = update.effective_message
    if message is None or not message.text:
        return
    command = message.text.split()[0].lstrip("/").split("@")[0][:32]
    await reply(message, replies.UNKNOWN.format(command=html.escape(command)))


async def on_my_chat_member(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The bot was blocked, kicked or left a chat: stop sending there at once."""
    change: ChatMemberUpdated | None = update.my_chat_member
    if change is None:
        return
    status = change.new_chat_member.status
    rt = _runtime(context)
    if status in (ChatMemberStatus.LEFT, ChatMemberStatus.BANNED):
        if rt.store.unsubscribe(change.chat.id, rt.clock()):
            log.info("chat=%s type=%s status=removed member_status=%s: unsubscribed", change.chat.id,
                     change.chat.type, status)
    else:
        log.info("chat=%s type=%s status=member member_status=%s", change.chat.id, change.chat.type, status)


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The one error funnel: log with the traceback; the user gets a short apology.

    Errors of polling Telegram itself (update None) are conditions, not bugs: each is said in one line,
    at most once per POLLING_ERROR_REPEAT, instead of a traceback per retry."""
    if update is None and isinstance(context.error, TelegramError):
        _polling_error(context, context.error)
        return
    log.error("handler error", exc_info=context.error)
    if isinstance(update, Update) and update.effective_message is not None:
        try:
            await update.effective_message.reply_text("Sorry, something went wrong. Please try again later.")
        except Exception:  # the apology is best effort: Telegram may be the thing that failed
            log.warning("could not send the error reply")
