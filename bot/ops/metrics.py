"""The optional HTTP endpoint (BOT_METRICS_PORT): /healthz and Prometheus /metrics.

Everything is read at scrape time from the database (a read-only connection of its own, so the
endpoint's thread never shares the bot's connection) and from the heartbeat file. Counters come
from columns the bot keeps anyway (polls_total, errors_total, table row counts), so they survive
restarts, as Prometheus counters should only ever grow.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from bot.config import Settings
from bot.ops import health
from bot.store.database import Store, StoreError
from bot.store.heartbeat import read_heartbeat

log = logging.getLogger("bot.ops.metrics")

PREFIX = "capex_watch"


class StoreCollector(Collector):
    """Builds every metric from one read of the database and the heartbeat file."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def collect(self) -> Iterator[Metric]:
        report = health.check(self.settings.heartbeat_path, self.settings.health_max_age)
        healthy = GaugeMetricFamily(f"{PREFIX}_healthy", "1 when every heartbeat is fresh (see /healthz)")
        healthy.add_metric([], 1.0 if report.healthy else 0.0)
        yield healthy
        yield from _heartbeat_ages(self.settings)
        try:
            store = Store.read_only(self.settings.db)
        except StoreError:
            return
        try:
            yield from _store_metrics(store)
        finally:
            store.close()


def _heartbeat_ages(settings: Settings) -> Iterator[Metric]:
    contents = read_heartbeat(settings.heartbeat_path) or {}
    beats = contents.get("beats") if isinstance(contents.get("beats"), dict) else {}
    ages = GaugeMetricFamily(f"{PREFIX}_heartbeat_age_seconds", "Seconds since each part of the bot last beat",
                             labels=["component"])
    now = datetime.now(UTC)
    for component, stamp in sorted((beats or {}).items()):
        try:
            ages.add_metric([component], max((now - datetime.fromisoformat(stamp)).total_seconds(), 0.0))
        except (TypeError, ValueError):
            continue
    yield ages


def _store_metrics(store: Store) -> Iterator[Metric]:
    sources = store.source_overview()
    polls = CounterMetricFamily(f"{PREFIX}_polls", "Polls of each source", labels=["source"])
    errors = CounterMetricFamily(f"{PREFIX}_poll_errors", "Failed polls of each source", labels=["source"])
    up = GaugeMetricFamily(f"{PREFIX}_source_up", "1 when the source's last poll succeeded", labels=["source"])
    paused = GaugeMetricFamily(f"{PREFIX}_source_paused", "1 when the source is paused after repeated errors",
                               labels=["source"])
    failing = GaugeMetricFamily(f"{PREFIX}_source_consecutive_errors", "Failed polls in a row", labels=["source"])
    interval = GaugeMetricFamily(f"{PREFIX}_source_interval_seconds", "Current adaptive poll interval",
                                 labels=["source"])
    silent = GaugeMetricFamily(f"{PREFIX}_source_silent", "1 while a silence alarm is raised", labels=["source"])
    last_ok = GaugeMetricFamily(f"{PREFIX}_source_last_success_timestamp_seconds", "Last successful poll",
                                labels=["source"])
    last_new = GaugeMetricFamily(f"{PREFIX}_source_last_new_entry_timestamp_seconds",
                                 "When the source last had an entry not seen before", labels=["source"])
    for row in sources:
        sid = [row["source_id"]]
        polls.add_metric(sid, float(row["polls_total"]))
        errors.add_metric(sid, float(row["errors_total"]))
        if row["last_status"] is not None:
            up.add_metric(sid, 0.0 if row["last_status"] == "error" else 1.0)
        paused.add_metric(sid, 1.0 if row["paused_at"] else 0.0)
        failing.add_metric(sid, float(row["consecutive_errors"]))
        silent.add_metric(sid, 1.0 if row["silence_alarm_at"] else 0.0)
        if row["interval_seconds"] is not None:
            interval.add_metric(sid, float(row["interval_seconds"]))
        for family, column in ((last_ok, "last_success_at"), (last_new, "last_new_entry_at")):
            if row[column]:
                family.add_metric(sid, datetime.fromisoformat(row[column]).timestamp())
    yield from (polls, errors, up, paused, failing, interval, silent, last_ok, last_new)

    for table, help_text in (("articles", "Articles read"), ("claims", "Claims found"),
                             ("alerts", "Alerts raised")):
        counter = CounterMetricFamily(f"{PREFIX}_{table}", help_text)
        counter.add_metric([], float(store.count(table)))
        yield counter
    counts = store.delivery_counts()
    deliveries = CounterMetricFamily(f"{PREFIX}_deliveries",
                                     "Alert deliveries by outcome (sent, failed, cancelled, skipped by preferences)",
                                     labels=["status"])
    for status in ("sent", "failed", "cancelled", "skipped"):
        deliveries.add_metric([status], float(counts.get(status, 0)))
    yield deliveries
    queue = GaugeMetricFamily(f"{PREFIX}_outbox_queue_depth", "Alert deliveries (alert x chat) not yet sent")
    queue.add_metric([], float(counts.get("pending", 0)))
    yield queue
    messages = GaugeMetricFamily(f"{PREFIX}_messages_queue_depth", "Composed Telegram messages not yet sent")
    messages.add_metric([], float(store.message_counts().get("pending", 0)))
    yield messages
    notices = GaugeMetricFamily(f"{PREFIX}_admin_notices_pending", "Admin notices not yet delivered")
    notices.add_metric([], float(len(store.pending_admin_notices())))
    yield notices


class MetricsServer:
    """A stdlib HTTP server in a daemon thread; `stop()` ends it."""

    def __init__(self, settings: Settings) -> None:
        registry = CollectorRegistry(auto_describe=False)
        registry.register(StoreCollector(settings))

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                path = self.path.split("?", 1)[0]
                if path == "/metrics":
                    try:
                        body, status, kind = generate_latest(registry), 200, CONTENT_TYPE_LATEST
                    except Exception:  # a scrape must never take the bot down; say why in the log
                        log.exception("metrics scrape failed")
                        body, status, kind = b"scrape failed\n", 500, "text/plain; charset=utf-8"
                elif path == "/healthz":
                    report = health.check(settings.heartbeat_path, settings.health_max_age)
                    body, status = (report.message + "\n").encode(), 200 if report.healthy else 503
                    kind = "text/plain; charset=utf-8"
                else:
                    body, status, kind = b"not found: try /metrics or /healthz\n", 404, "text/plain; charset=utf-8"
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                pass  # scrapes every 15 s would drown the bot's own log

        self.httpd = ThreadingHTTPServer((settings.metrics_address, settings.metrics_port), Handler)
        self.httpd.daemon_threads = True
        self._thread = threading.Thread(target=self.httpd.serve_forever, name="metrics", daemon=True)

    @property
    def port(self) -> int:
        return int(self.httpd.server_address[1])

    def start(self) -> MetricsServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def start_server(settings: Settings) -> MetricsServer:
    return MetricsServer(settings).start()
