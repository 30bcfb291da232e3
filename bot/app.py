"""The composition root: settings → sources, ledger, store → a runtime (HTTP client, heartbeat) → a role.

    run     everything in one process: the poll tick, the delivery tick, digests and admin notices; with
            TELEGRAM_BOT_TOKEN through python-telegram-bot's Application (its JobQueue runs the ticks, its
            handlers answer commands), without it on a plain APScheduler with alerts printed (console).
    serve   the same without the poll tick (PostgreSQL: `worker` processes poll).
    worker  the poll tick only (PostgreSQL).
    once    one poll pass, deliver what is queued, exit.

Every role is built by `open_assembly` and closed by leaving its `with` block; every role stops on
SIGINT/SIGTERM the same way (`_stop_signals`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import sys
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any

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
    """The one place a Runtime is built (a new HTTP client each time: a client belongs to one event loop)."""
    heartbeat = Heartbeat(settings.heartbeat_path, mode or _mode(settings), utc_now)
    return pipeline.Runtime(settings=settings, sources=sources, store=store,
                            client=fetch.make_client(settings.user_agent), ledger=ledger, clock=utc_now,
                            heartbeat=heartbeat, lease_seconds=float(settings.lease_seconds))


def _mode(settings: Settings, poll: bool = True) -> str:
    """The heartbeat's mode, which tells `health` what must beat (bot.ops.health)."""
    delivery = "telegram" if settings.token else "console"
    return delivery if poll else f"serve:{delivery}"


@dataclass
class Assembly:
    """The composition root: what every role of the process (run, serve, worker, once) is built from.

    Opened once by `open_assembly`, closed once by leaving its `with` block (the database and the metrics
    endpoint); the HTTP client of a runtime is closed when its `async with assembly.runtime()` ends, on
    the event loop that used it.
    """

    settings: Settings
    sources: list[Source]
    ledger: Ledger
    store: Store
    mode: str
    metrics_server: Any = None

    @contextlib.asynccontextmanager
    async def runtime(self, *, heartbeat: bool = True) -> AsyncIterator[pipeline.Runtime]:
        rt = make_runtime(self.settings, self.sources, self.ledger, self.store, self.mode)
        if not heartbeat:
            rt.heartbeat = None  # a one-shot run is not the long-running bot the health check watches
        try:
            yield rt
        finally:
            await rt.client.aclose()

    def __enter__(self) -> Assembly:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.metrics_server is not None:
            self.metrics_server.stop()
        self.store.close()


def open_assembly(settings: Settings, mode: str, *, metrics: bool = False) -> Assembly:
    """Logging, inputs (StartupError when the operator must fix something) and, if asked, /metrics."""
    configure_logging(settings)
    assembly = Assembly(settings, *load_inputs(settings), mode=mode)
    if metrics and settings.metrics_port:
        from bot.ops import metrics as metrics_endpoint

        assembly.metrics_server = metrics_endpoint.start_server(settings)
        log.info("metrics: http://%s:%d/metrics and /healthz", settings.metrics_address,
                 assembly.metrics_server.port)
    return assembly


def start(settings: Settings) -> tuple[list[Source], Ledger, Store]:
    """Logging and inputs, for callers that wire a runtime themselves (bench, tests)."""
    configure_logging(settings)
    return load_inputs(settings)


@contextlib.contextmanager
def _stop_signals() -> Iterator[asyncio.Event]:
    """An event set by SIGINT or SIGTERM (Ctrl-C, `docker stop`): every role stops the same way."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        yield stop
    finally:
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(sig)


# -- roles ---------------------------------------------------------------------------------------------

def once(settings: Settings) -> int:
    """`python -m bot once`: one poll pass, deliver what is queued, exit."""
    with open_assembly(settings, _mode(settings)) as assembly:
        return asyncio.run(_once(assembly))


async def _once(assembly: Assembly) -> int:
    settings, store = assembly.settings, assembly.store
    upkeep.settle_crashed_deliveries(store)
    console = notify.ConsoleSender()
    async with assembly.runtime(heartbeat=False) as rt:
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
    commands, outbox, digests), while `worker` processes poll. Console or Telegram delivery, one path."""
    if not poll:
        require_postgres(settings, "serve")
    with open_assembly(settings, _mode(settings, poll), metrics=True) as assembly:
        sources, store = assembly.sources, assembly.store
        log.info("starting%s: %d sources (%d enabled), database %s, delivery %s",
                 "" if poll else " (serve, no polling)", len(sources), sum(s.enabled for s in sources),
                 settings.db_label, "telegram" if settings.token else "console")
        if poll and not store.postgres:
            store.release_all_leases()  # one process owns a SQLite file: what it held before a crash is free
        upkeep.settle_crashed_deliveries(store)
        Heartbeat(settings.heartbeat_path, assembly.mode, utc_now).start()
        return asyncio.run(_serve(assembly, poll))


async def _serve(assembly: Assembly, poll: bool) -> int:
    async with assembly.runtime() as rt:
        with _stop_signals() as stop:
            if assembly.settings.token:
                return await _serve_telegram(rt, poll, stop)
            return await _serve_console(rt, poll, stop)


async def _serve_telegram(rt: pipeline.Runtime, poll: bool, stop: asyncio.Event) -> int:
    """Telegram delivery: PTB's Application with its JobQueue ticks, started and stopped on this loop."""
    from telegram import Update

    from bot.telegram import application as telegram_bot
    from bot.telegram import handlers as commands

    settings = rt.settings
    # In Telegram mode the console is no longer a subscriber.
    rt.store.unsubscribe(CONSOLE_CHAT_ID, utc_now())
    reached = await _wait_for_bot_api(rt, poll, stop)
    if reached is None:
        return 0  # stopped while waiting
    if not reached:
        hint = "" if settings.api_base == DEFAULT_API_BASE else f" (or TELEGRAM_API_BASE={settings.api_base})"
        print(f"cannot start: {notify.TOKEN_REJECTED}{hint}", file=sys.stderr)
        return 2
    app = telegram_bot.build_application(settings, rt, poll=poll)
    asyncio.get_running_loop().set_exception_handler(commands.loop_exception_handler(app.bot_data))
    async with app:  # initialize (getMe) ... shutdown
        if app.post_init is not None:  # what run_polling would call: the command menus
            await app.post_init(app)
        assert app.updater is not None
        # getUpdates errors (a second bot on this token, a network cut) in one line each, not a traceback per retry
        await app.updater.start_polling(allowed_updates=Update.ALL_TYPES, bootstrap_retries=-1,
                                        error_callback=lambda exc: commands.report_polling_error(app.bot_data, exc))
        await app.start()
        log.info("telegram delivery: polling the Bot API for updates; Ctrl-C stops")
        try:
            await stop.wait()
        finally:
            await app.updater.stop()
            await app.stop()
            if app.post_shutdown is not None:
                await app.post_shutdown(app)
    log.info("stopped")
    return 0


async def _wait_for_bot_api(rt: pipeline.Runtime, poll: bool, stop: asyncio.Event) -> bool | None:
    """Ask the Bot API who we are until it answers: True when it does, False when it rejects the token,
    None when stopped meanwhile. While it cannot be reached (a wrong TELEGRAM_API_BASE, no network) the
    operator is told at once, the sources are still polled and alerts wait in the outbox."""
    from telegram.error import InvalidToken, TelegramError

    from bot.telegram import application as telegram_bot

    settings = rt.settings
    loop = asyncio.get_running_loop()
    delay, said, next_poll = 1.0, False, loop.time()
    while not stop.is_set():
        bot = telegram_bot.make_bot(settings)
        try:
            await bot.initialize()  # getMe
            if said:
                log.info("the Bot API at %s answers now", settings.api_base)
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


async def _serve_console(rt: pipeline.Runtime, poll: bool, stop: asyncio.Event) -> int:
    """Console delivery: the same ticks as the Telegram mode, on a plain APScheduler."""
    from apscheduler.schedulers.asyncio import AsyncIOScheduler

    store = rt.store
    store.subscribe(CONSOLE_CHAT_ID, "console", "console", utc_now())
    scheduler = AsyncIOScheduler(timezone=UTC)
    job_options = {"max_instances": 1, "coalesce": True, "misfire_grace_time": None}

    async def poll_tick() -> None:
        try:
            await pipeline.poll_pass(rt, rt.clock())
        except asyncio.CancelledError:
            # Ctrl-C in the middle of a pass: what it stored is kept, the rest is read on the next start;
            # no traceback for the operator (APScheduler would log the cancellation as a job error)
            log.info("poll pass stopped midway by shutdown")

    if poll:
        scheduler.add_job(poll_tick, "interval", seconds=rt.settings.tick_seconds, next_run_time=utc_now(),
                          id="poll", **job_options)

    worker = notify.DeliveryWorker(store, None, notify.ConsoleSender())

    async def deliver() -> None:
        await worker.run_pass(utc_now())

    scheduler.add_job(deliver, "interval", seconds=DELIVERY_TICK_SECONDS, id="deliver", **job_options)
    keeper = upkeep.Upkeep(rt, None, sys.stdout)
    scheduler.add_job(keeper.tick, "interval", seconds=upkeep.UPKEEP_SECONDS, next_run_time=utc_now(),
                      id="upkeep", **job_options)
    scheduler.start()
    log.info("console delivery: no TELEGRAM_BOT_TOKEN set, alerts are printed here; Ctrl-C stops")
    try:
        await stop.wait()
    finally:
        scheduler.shutdown(wait=False)
        await asyncio.sleep(0)  # let the scheduler's shutdown callback run before the loop closes
        running = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
        for task in running:  # a pass in flight ends here, before its HTTP client and store are closed
            task.cancel()
        await asyncio.gather(*running, return_exceptions=True)
        worker.stop()
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
    with open_assembly(settings, "worker") as assembly:
        log.info("worker starting: %d sources (%d enabled), database %s, lease %d s", len(assembly.sources),
                 sum(s.enabled for s in assembly.sources), settings.db_label, settings.lease_seconds)
        return asyncio.run(_run_worker(assembly))


async def _run_worker(assembly: Assembly) -> int:
    settings = assembly.settings
    async with assembly.runtime() as rt:
        heartbeat = rt.heartbeat
        assert heartbeat is not None
        heartbeat.start()
        with _stop_signals() as stop:
            while not stop.is_set():
                heartbeat.beat(LOOP)
                try:
                    await pipeline.poll_pass(rt, rt.clock())
                except Exception:  # the database went away for longer than a reconnect: try again next tick
                    log.exception("worker pass failed; next try in %d s", settings.tick_seconds)
                heartbeat.beat(LOOP)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), timeout=settings.tick_seconds)
    log.info("worker stopped")
    return 0
