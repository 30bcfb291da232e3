"""Process wiring: settings → sources, ledger, store, HTTP client → scheduler → delivery.

    run   with TELEGRAM_BOT_TOKEN: python-telegram-bot Application; its JobQueue (APScheduler) runs
          the poll tick and the delivery tick, handlers answer /start /stop /help.
          without it: the same ticks on an APScheduler AsyncIOScheduler, alerts printed (console delivery).
    once  one poll pass, deliver what is queued, exit.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import sys
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType

from bot import pipeline
from bot.config import DEFAULT_API_BASE, Settings
from bot.delivery import outbox as notify
from bot.errors import BotError
from bot.ingest import fetch
from bot.ingest.sources import Source, load_sources
from bot.ledger.entries import Ledger, LedgerEntry, load_ledger
from bot.ops import upkeep
from bot.store.database import CONSOLE_CHAT_ID, Store
from bot.store.heartbeat import LOOP, Heartbeat

log = logging.getLogger("bot")

DELIVERY_TICK_SECONDS = 2.0
BOT_API_RETRY_MAX_SECONDS = 60.0


class TokenFilter(logging.Filter):
    """Belt and braces: replace the bot token wherever it would appear in a log record's message."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self.token = token

    def filter(self, record: logging.LogRecord) -> bool:
        if _is_invalid_token(record.exc_info):
            # python-telegram-bot logs a rejected token with a traceback whose text carries the token;
            # the operator needs one line that says what to do
            record.msg, record.args, record.exc_info, record.exc_text = notify.TOKEN_REJECTED, None, None, None
        if self.token:
            message = record.getMessage()
            if self.token in message:
                record.msg, record.args = message.replace(self.token, "<token>"), None
        return True


class RedactingFormatter(logging.Formatter):
    """The token never leaves the process through a log line, a traceback or an exception's text."""

    def __init__(self, fmt: str, token: str) -> None:
        super().__init__(fmt)
        self.token = token

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        return text.replace(self.token, "<token>") if self.token else text


def _is_invalid_token(exc_info: object) -> bool:
    if not isinstance(exc_info, tuple) or len(exc_info) != 3 or exc_info[1] is None:
        return False
    return type(exc_info[1]).__name__ == "InvalidToken"  # telegram is not imported in console mode


def configure_logging(settings: Settings) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(RedactingFormatter("%(asctime)s %(levelname)s %(name)s %(message)s", settings.token))
    handler.addFilter(TokenFilter(settings.token))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    # an exception nobody caught is printed by sys.excepthook, past the handler above: route it through
    sys.excepthook = _log_uncaught
    root.setLevel(settings.log_level)
    # httpx logs every request URL at INFO, and Bot API URLs carry the token.
    for noisy in ("httpx", "httpcore", "apscheduler", "telegram.ext.Updater"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def _log_uncaught(kind: type[BaseException], error: BaseException, trace: TracebackType | None) -> None:
    logging.getLogger("bot").critical("uncaught exception", exc_info=(kind, error, trace))


def utc_now() -> datetime:
    return datetime.now(UTC)


class StartupError(BotError):
    """Something the operator must fix before the bot can start; the message says what."""

    exit_status = 2
    context = "cannot start"


def load_inputs(settings: Settings) -> tuple[list[Source], Ledger, Store]:
    try:
        sources = load_sources(settings.sources)
        ledger = load_ledger(settings.baseline)
        store = Store(settings.db, exclusive=True)
    except BotError as exc:  # the sources file, the baseline or the database file
        raise StartupError(str(exc)) from None
    except OSError as exc:
        raise StartupError(f"{exc.filename}: {exc.strerror}") from None
    # the ledger as it grew: the baseline plus every statement confirmed since
    confirmed = [LedgerEntry.from_json(entry) for entry in store.confirmed_ledger_entries()]
    return sources, ledger.with_confirmed(*confirmed), store


def make_runtime(settings: Settings, sources: list[Source], ledger: Ledger, store: Store,
                 mode: str | None = None) -> pipeline.Runtime:
    heartbeat = Heartbeat(settings.heartbeat_path, mode or _mode(settings), utc_now)
    return pipeline.Runtime(settings=settings, sources=sources, store=store,
                            client=fetch.make_client(settings.user_agent), ledger=ledger, clock=utc_now,
                            heartbeat=heartbeat, lease_seconds=float(settings.lease_seconds))


def _mode(settings: Settings, poll: bool = True) -> str:
    """The heartbeat's mode, which tells `health` what must beat (bot.ops.health)."""
    delivery = "telegram" if settings.token else "console"
    return delivery if poll else f"serve:{delivery}"


def start(settings: Settings) -> tuple[list[Source], Ledger, Store]:
    """Logging and inputs for `run` and `once`; StartupError when the operator must fix something."""
    configure_logging(settings)
    return load_inputs(settings)


def once(settings: Settings) -> int:
    return asyncio.run(_once(settings, *start(settings)))


async def _once(settings: Settings, sources: list[Source], ledger: Ledger, store: Store) -> int:
    rt = make_runtime(settings, sources, ledger, store)
    rt.heartbeat = None  # a one-shot run is not the long-running bot the health check watches
    upkeep.settle_crashed_deliveries(store)
    console = notify.ConsoleSender()
    try:
        if not settings.token:
            store.subscribe(CONSOLE_CHAT_ID, "console", "console", utc_now())
        await pipeline.poll_pass(rt, rt.clock())
        if settings.token:
            from telegram.error import InvalidToken

            from bot.telegram import application as telegram_bot

            try:
                async with telegram_bot.make_bot(settings) as bot:
                    await _drain(notify.DeliveryWorker(store, notify.TelegramSender(bot), console))
            except InvalidToken:  # at getMe: nothing was sent, the alerts wait in the outbox
                print(f"cannot deliver: {notify.TOKEN_REJECTED}; the alerts stay queued", file=sys.stderr)
                return 2
        else:
            await _drain(notify.DeliveryWorker(store, None, console))
    finally:
        await rt.client.aclose()
        store.close()
    return 0


async def _drain(worker: notify.DeliveryWorker, max_passes: int = 30) -> None:
    """Delivery passes until nothing is left that pacing held back (long messages go part by part)."""
    try:
        for _ in range(max_passes):
            report = await worker.run_pass(utc_now())
            if not report.held:
                return
            await asyncio.sleep(notify.PRIVATE_CHAT_GAP.total_seconds())
    finally:
        worker.stop()


def run(settings: Settings, poll: bool = True) -> int:
    """Everything in one process (`run`), or with poll=False the Telegram side only (`serve`: updates,
    commands, outbox, digests), while `worker` processes poll."""
    if not poll:
        require_postgres(settings, "serve")
    sources, ledger, store = start(settings)
    enabled = sum(s.enabled for s in sources)
    log.info("starting%s: %d sources (%d enabled), database %s, delivery %s", "" if poll else " (serve, no polling)",
             len(sources), enabled, settings.db_label, "telegram" if settings.token else "console")
    if poll and not store.postgres:
        store.release_all_leases()  # one process owns a SQLite file: what it held before a crash is free
    upkeep.settle_crashed_deliveries(store)
    Heartbeat(settings.heartbeat_path, _mode(settings, poll), utc_now).start()
    metrics_server = None
    if settings.metrics_port:
        from bot.ops import metrics

        metrics_server = metrics.start_server(settings)
        log.info("metrics: http://%s:%d/metrics and /healthz", settings.metrics_address, metrics_server.port)
    try:
        if settings.token:
            return _run_telegram(settings, sources, ledger, store, poll)
        return asyncio.run(_run_console(settings, sources, ledger, store, poll))
    finally:
        if metrics_server is not None:
            metrics_server.stop()


def _run_telegram(settings: Settings, sources: list[Source], ledger: Ledger, store: Store, poll: bool = True) -> int:
    """Telegram delivery: PTB's Application runs the loop, the ticks are its JobQueue jobs."""
    from telegram import Update

    from bot.telegram import application as telegram_bot

    # In Telegram mode the console is no longer a subscriber.
    store.unsubscribe(CONSOLE_CHAT_ID, utc_now())
    reached = asyncio.run(_wait_for_bot_api(settings, sources, ledger, store, poll))
    if reached is None:
        store.close()
        return 0  # stopped while waiting
    if not reached:
        hint = "" if settings.api_base == DEFAULT_API_BASE else f" (or TELEGRAM_API_BASE={settings.api_base})"
        print(f"cannot start: {notify.TOKEN_REJECTED}{hint}", file=sys.stderr)
        store.close()
        return 2
    runtime = make_runtime(settings, sources, ledger, store, _mode(settings, poll))
    app = telegram_bot.build_application(settings, runtime, poll=poll)
    app.run_polling(allowed_updates=Update.ALL_TYPES, bootstrap_retries=-1)
    store.close()
    return 0


async def _wait_for_bot_api(settings: Settings, sources: list[Source], ledger: Ledger, store: Store,
                            poll: bool = True) -> bool | None:
    """Ask the Bot API who we are until it answers: True when it does, False when it rejects the token,
    None when stopped meanwhile. While it cannot be reached (a wrong TELEGRAM_API_BASE, no network) the
    operator is told at once, the sources are still polled and alerts wait in the outbox."""
    from telegram.error import InvalidToken, TelegramError

    from bot.telegram import application as telegram_bot

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    rt = make_runtime(settings, sources, ledger, store)  # its own HTTP client, bound to this loop
    delay, said, next_poll = 1.0, False, loop.time()
    try:
        while not stop.is_set():
            bot = telegram_bot.make_bot(settings)
            try:
                await bot.initialize()  # getMe
                return True
            except InvalidToken:
                return False
            except TelegramError as exc:
                if not said:
                    log.error("cannot reach the Bot API at %s: %s; check TELEGRAM_API_BASE and the network. "
                              "Sources are polled meanwhile and alerts wait in the outbox; retrying",
                              settings.api_base, exc)
                    said = True
            finally:
                await bot.shutdown()
            if poll and loop.time() >= next_poll:  # `serve` leaves polling to the workers
                await pipeline.poll_pass(rt, rt.clock())
                next_poll = loop.time() + settings.tick_seconds
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), delay)
            delay = min(delay * 2, BOT_API_RETRY_MAX_SECONDS)
        return None
    finally:
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(sig)
        await rt.client.aclose()
        if said and not stop.is_set():
            log.info("the Bot API at %s answers now", settings.api_base)


async def _run_console(settings: Settings, sources: list[Source], ledger: Ledger, store: Store,
                       poll: bool = True) -> int:
    """Console delivery: the same ticks as the Telegram mode, on a plain APScheduler."""
    from apscheduler.schedulers.asyncio import AsyncIOScheduler

    rt = make_runtime(settings, sources, ledger, store, _mode(settings, poll))
    store.subscribe(CONSOLE_CHAT_ID, "console", "console", utc_now())
    console = notify.ConsoleSender()
    scheduler = AsyncIOScheduler(timezone=UTC)
    job_options = {"max_instances": 1, "coalesce": True, "misfire_grace_time": None}

    async def poll_tick() -> None:
        await pipeline.poll_pass(rt, rt.clock())

    if poll:
        scheduler.add_job(poll_tick, "interval", seconds=settings.tick_seconds, next_run_time=utc_now(), id="poll",
                          **job_options)

    worker = notify.DeliveryWorker(store, None, console)

    async def deliver() -> None:
        await worker.run_pass(utc_now())

    scheduler.add_job(deliver, "interval", seconds=DELIVERY_TICK_SECONDS, id="deliver", **job_options)
    keeper = upkeep.Upkeep(rt, None, sys.stdout)
    scheduler.add_job(keeper.tick, "interval", seconds=upkeep.UPKEEP_SECONDS, next_run_time=utc_now(),
                      id="upkeep", **job_options)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    scheduler.start()
    log.info("console delivery: no TELEGRAM_BOT_TOKEN set, alerts are printed here; Ctrl-C stops")
    try:
        await stop.wait()
    finally:
        scheduler.shutdown(wait=False)
        await asyncio.sleep(0)  # let the scheduler's shutdown callback run before the loop closes
        worker.stop()
        await rt.client.aclose()
        store.close()
        log.info("stopped")
    return 0


def require_postgres(settings: Settings, role: str) -> None:
    """StartupError unless BOT_DB is PostgreSQL: a SQLite file belongs to one process."""
    if isinstance(settings.db, Path):
        raise StartupError(
            f"python -m bot {role} shares the database with other processes, which needs PostgreSQL: "
            f"set BOT_DB=postgresql://USER:PASS@HOST/DB (BOT_DB is the SQLite file {settings.db}; "
            "with SQLite, `python -m bot run` does everything in one process)")


def worker(settings: Settings) -> int:
    """`python -m bot worker`: poll only (lease due sources, fetch, extract, judge, store), no Telegram.
    Any number of workers share one PostgreSQL database; `serve` delivers what they store."""
    require_postgres(settings, "worker")
    sources, ledger, store = start(settings)
    log.info("worker starting: %d sources (%d enabled), database %s, lease %d s", len(sources),
             sum(s.enabled for s in sources), settings.db_label, settings.lease_seconds)
    return asyncio.run(_run_worker(settings, sources, ledger, store))


async def _run_worker(settings: Settings, sources: list[Source], ledger: Ledger, store: Store) -> int:
    rt = make_runtime(settings, sources, ledger, store, "worker")
    assert rt.heartbeat is not None
    rt.heartbeat.start()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        while not stop.is_set():
            rt.heartbeat.beat(LOOP)
            try:
                await pipeline.poll_pass(rt, rt.clock())
            except Exception:  # the database went away for longer than a reconnect: try again next tick
                log.exception("worker pass failed; next try in %d s", settings.tick_seconds)
            rt.heartbeat.beat(LOOP)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=settings.tick_seconds)
    finally:
        await rt.client.aclose()
        store.close()
        log.info("worker stopped")
    return 0
