"""The upkeep job: a short repeating job next to the poll and delivery ticks that keeps the heartbeat
fresh (bot/store/heartbeat.py) and hands admin notices (a source paused, resumed or silent) to the operators.

Admin notices are queued in the database by the poll pass (bot/ingest/schedule.py decides them), so one
raised just before a crash is still delivered after the restart. They go to every chat in
BOT_ADMIN_IDS through Telegram; without admins (or in console mode) the log line written when the
notice was raised is the delivery, and console mode also prints them. A notice that fails with a
temporary error is tried again on the next run, so an admin may see it twice after an outage; it is
never dropped silently.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, TextIO

from bot.delivery import outbox as notify
from bot.pipeline import Runtime
from bot.store.database import Store
from bot.store.heartbeat import LOOP, UPDATER

if TYPE_CHECKING:
    from telegram.ext import Application

log = logging.getLogger("bot.ops.upkeep")

UPKEEP_SECONDS = 5.0
PRUNE_EVERY = timedelta(hours=1)


@dataclass
class Upkeep:
    runtime: Runtime
    admin_sender: notify.Sender | None  # Telegram, when running with a token
    console: TextIO | None  # console mode prints notices here
    updater_running: Callable[[], bool] | None = None
    last_prune: datetime | None = None

    async def tick(self) -> None:
        heartbeat = self.runtime.heartbeat
        if heartbeat is not None:
            heartbeat.beat(LOOP)
            if self.updater_running is not None and self.updater_running():
                heartbeat.beat(UPDATER)
        await deliver_admin_notices(self.runtime.store, self.runtime.settings.admin_ids, self.admin_sender,
                                    self.console, self.runtime.clock)
        now = self.runtime.clock()
        if self.last_prune is None or now - self.last_prune >= PRUNE_EVERY:
            self.last_prune = now
            prune_old_texts(self.runtime.store, self.runtime.settings.retention_days, now)


def prune_old_texts(store: Store, retention_days: int, now: datetime) -> int:
    """Article texts older than BOT_RETENTION_DAYS are dropped (what /why and the ledger need stays)."""
    pruned = store.prune_article_texts(now - timedelta(days=retention_days))
    if pruned:
        log.info("retention: dropped the text of %d articles read more than %d days ago", pruned, retention_days)
    return pruned


async def deliver_admin_notices(store: Store, admin_ids: Collection[int], telegram: notify.Sender | None,
                                console: TextIO | None, clock: Callable[[], datetime]) -> int:
    """Send every pending notice; returns how many were settled."""
    settled = 0
    for notice in store.pending_admin_notices():
        rich = f"⚠️ <b>capex-watch</b> · {html.escape(notice.kind)}\n{html.escape(notice.text)}"
        retry = False
        if console is not None:
            console.write(f"ADMIN {notice.kind}: {notice.text}\n\n")
            console.flush()
        if telegram is not None:
            for chat_id in sorted(admin_ids):
                try:
                    await telegram.send_text(chat_id, rich)
                except (notify.Transient, notify.RetryLater) as exc:
                    log.warning("admin notice=%s chat=%s status=retry error=%r", notice.id, chat_id, str(exc))
                    retry = True
                    break
                except notify.Unauthorized:  # the token was revoked: the delivery worker says so, once
                    retry = True
                    break
                except notify.DeliveryError as exc:  # blocked, rejected, migrated: this admin cannot be told
                    log.error("admin notice=%s chat=%s status=failed error=%r; check BOT_ADMIN_IDS",
                              notice.id, chat_id, str(exc))
        if retry:
            break
        store.mark_admin_notice_delivered(notice.id, clock())
        settled += 1
    return settled


def settle_crashed_deliveries(store: Store) -> int:
    """At start-up: message parts a crash cut short mid-send are sent again; say so once."""
    in_doubt = store.in_doubt_messages()
    for message_id, chat_id, part in in_doubt:
        log.warning("delivery recovery: message=%s chat=%s part=%s was being sent when the bot last stopped "
                    "abruptly; it is sent again (the chat may see it twice)", message_id, chat_id, part + 1)
    store.settle_in_doubt()
    # the instance lock is held (bot.store.lock): leases left in a SQLite file are a dead process's. On
    # PostgreSQL another sender may be alive: the leases of a dead one run out by themselves.
    if not store.postgres:
        store.release_leases(None)
    return len(in_doubt)


def install_telegram(app: Application[Any, Any, Any, Any, Any, Any], runtime: Runtime,
                     sender: notify.Sender) -> None:
    """Add the upkeep job to a python-telegram-bot Application (next to its poll and delivery ticks)."""
    keeper = Upkeep(runtime, sender, None,
                    updater_running=lambda: app.updater is not None and app.updater.running)

    async def upkeep_tick(context: object) -> None:
        await keeper.tick()

    assert app.job_queue is not None
    app.job_queue.run_repeating(upkeep_tick, interval=UPKEEP_SECONDS, name="upkeep",
                                job_kwargs={"max_instances": 1, "coalesce": True, "misfire_grace_time": None,
                                            "next_run_time": runtime.clock()})
