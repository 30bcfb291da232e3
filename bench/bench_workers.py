"""Poll passes over many loopback feeds, by 1 process on SQLite and by 1, 2 and 4 workers on PostgreSQL.

Per configuration, on a fresh database: a first pass reads every feed (its old entries are marked
seen, so nothing is extracted), then two measured passes with every source due again:
    304      every feed answers 304 Not Modified (the validators of the first pass)
    changed  5 % of the feeds have a new entry whose page is fetched, extracted and judged; the
             others still answer 304
Each worker is a process of its own running `pipeline.poll_pass` once (the same code `python -m bot
worker` runs each tick), started together after its imports; the workers lease the due sources in
batches. Printed per pass: wall time, CPU seconds and peak memory (max RSS) of each process, and the
speed-up against 1 worker on the same engine. The feeds are served by a threaded HTTP server in this
process, which competes with the workers for the cores (the machine's count is printed).

BENCH_FEEDS sets the number of feeds (default 1,000; the issue's figure is 5,000: `BENCH_FEEDS=5000
make bench` on a machine with cores to spare). PostgreSQL needs Debian's server binaries (the same
throwaway cluster as the tests, tests/postgres.py); without them only SQLite is measured.
"""

from __future__ import annotations

import asyncio
import email.utils
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FEEDS = int(os.environ.get("BENCH_FEEDS", "1000"))
CHANGED_SHARE = 0.05
OLD_ENTRIES = 5
FILLER = ("The report goes on to describe the week's traffic on the ring road, the opening hours of the "
          "municipal library over the holidays, and the results of the regional chess tournament. ")
STATEMENTS = [
    "{c} said it now expects capital expenditures of about ${n} billion in 2026 for data centres.",
    "{c} told investors that its cloud revenue rose {p}% in the quarter.",
    "The council approved {n} new bus shelters for the northern districts.",
]
COMPANIES = ["Alphabet", "Microsoft", "Alibaba", "Tencent", "Baidu"]


def feed_xml(n: int, base: str, new_entry: bool) -> bytes:
    old = datetime.now(UTC) - timedelta(days=10)
    items = [(f"old-{n}-{k}", old - timedelta(hours=k), f"{base}/p/{n}-old-{k}.html") for k in range(OLD_ENTRIES)]
    if new_entry:
        items.insert(0, (f"new-{n}", datetime.now(UTC) - timedelta(minutes=5), f"{base}/p/{n}-new.html"))
    body = "".join(f"<item><title>Item {key}</title><link>{link}</link><guid isPermaLink='false'>{key}</guid>"
                   f"<pubDate>{email.utils.format_datetime(when)}</pubDate><description>Item {key}.</description>"
                   "</item>" for key, when, link in items)
    return (f"<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>Outlet {n}</title>"
            f"<link>{base}/</link>{body}</channel></rss>").encode()


def page_html(n: int) -> bytes:
    statement = STATEMENTS[n % len(STATEMENTS)].format(c=COMPANIES[n % len(COMPANIES)], n=60 + n % 40, p=10 + n % 30)
    paragraphs = "".join(f"<p>{FILLER * 2}</p>" for _ in range(6))
    return (f"<html><head><title>Report {n}</title></head><body><nav>Home | News | Markets</nav><article>"
            f"<h1>Report {n}</h1><p>{statement}</p>{paragraphs}</article><footer>Outlet {n}</footer>"
            "</body></html>").encode()


# -- one worker process -----------------------------------------------------------------------------

def child() -> None:
    """A worker: imports, says ready, waits for "go" on stdin, runs one pass, prints its figures."""
    from bot import app, pipeline
    from bot.config import load_settings

    settings = load_settings(env_file=None)
    sources, ledger, store = app.load_inputs(settings)
    rt = app.make_runtime(settings, sources, ledger, store, "worker")
    rt.heartbeat = None
    print("ready", flush=True)
    sys.stdin.readline()
    started, cpu = time.perf_counter(), time.process_time()
    report = asyncio.run(pipeline.poll_pass(rt, rt.clock()))
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    store.close()
    print(json.dumps({"wall": wall, "cpu": cpu, "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                      "sources": len(report.sources), "new": sum(s.new_entries for s in report.sources),
                      "errors": sum(s.status == "error" for s in report.sources)}), flush=True)


def server_cpu(data_dir: Path | None) -> float:
    """CPU seconds of a PostgreSQL server so far: the postmaster and every backend it reaped (cutime)."""
    if data_dir is None:
        return 0.0
    try:
        pid = int((data_dir / "postmaster.pid").read_text().split()[0])
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, ValueError, IndexError):
        return 0.0
    # after the ")": state is field 3 of stat, so utime, stime, cutime, cstime (14-17) are at 11-14
    ticks = sum(int(f) for f in fields[11:15])
    return ticks / os.sysconf("SC_CLK_TCK")


def run_pass(db: str, sources: Path, workers: int, tmp: Path, pg_data: Path | None = None) -> dict[str, float]:
    env = {**os.environ, "BOT_DB": db, "BOT_SOURCES": str(sources), "BOT_LOG_LEVEL": "WARNING",
           "BOT_FETCH_TIMEOUT": "30", "TELEGRAM_BOT_TOKEN": "", "PYTHONPATH": str(ROOT),
           "BOT_HEARTBEAT_FILE": str(tmp / "heartbeat.json")}
    procs = [subprocess.Popen([sys.executable, "-m", "bench.bench_workers", "--child"], cwd=tmp, env=env,
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True) for _ in range(workers)]
    for proc in procs:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready", "a worker did not start"
    started, served, database = time.perf_counter(), time.process_time(), server_cpu(pg_data)
    for proc in procs:
        assert proc.stdin is not None
        proc.stdin.write("go\n")
        proc.stdin.flush()
    results = []
    for proc in procs:
        assert proc.stdout is not None
        results.append(json.loads(proc.stdout.readline()))
        proc.wait()
    wall = time.perf_counter() - started
    # this process only serves the feeds meanwhile; live backends' time is not reaped yet, so the
    # workers have closed their connections (exited) before the server is read again
    return {"wall": wall, "feed_cpu": time.process_time() - served, "db_cpu": server_cpu(pg_data) - database,
            "cpu": sum(r["cpu"] for r in results), "cpu_max": max(r["cpu"] for r in results),
            "rss_mb": max(r["rss_mb"] for r in results), "sources": sum(r["sources"] for r in results),
            "new": sum(r["new"] for r in results), "errors": sum(r["errors"] for r in results)}


def make_all_due(db: str) -> None:
    from bot.store.database import Store, iso

    with Store(db) as store, store.transaction() as conn:
        conn.execute("UPDATE source_state SET next_poll_at = ?, lease_owner = NULL, lease_until = NULL",
                     (iso(datetime.now(UTC) - timedelta(seconds=1)),))


def measure(db: str, workers: int, server: object, tmp: Path, sources: Path,
            pg_data: Path | None) -> dict[str, dict[str, float]]:
    base = server.base_url  # type: ignore[attr-defined]
    for n in range(FEEDS):
        server.set(f"/f/{n}.xml", feed_xml(n, base, False), etag=f'"v1-{n}"')  # type: ignore[attr-defined]
    first = run_pass(db, sources, 1, tmp)
    assert first["sources"] == FEEDS and first["errors"] == 0, first
    make_all_due(db)
    unchanged = run_pass(db, sources, workers, tmp, pg_data)
    changed_ids = range(0, FEEDS, int(1 / CHANGED_SHARE))
    for n in changed_ids:
        server.set(f"/f/{n}.xml", feed_xml(n, base, True), etag=f'"v2-{n}"')  # type: ignore[attr-defined]
    make_all_due(db)
    changed = run_pass(db, sources, workers, tmp, pg_data)
    assert changed["new"] == len(changed_ids), changed
    return {"304": unchanged, "changed": changed}


def main() -> None:
    if "--child" in sys.argv:
        child()
        return
    sys.path.insert(0, str(ROOT))
    from tests.postgres import schema_url, start_server
    from tests.support.loopback.feed_server import HTML_TYPE, FeedServer

    print(f"{FEEDS} loopback feeds ({OLD_ENTRIES} old entries each), {CHANGED_SHARE:.0%} with a new entry and page "
          f"in the 'changed' pass; {os.cpu_count()} CPU cores on this machine, shared with the feed server")
    rows: list[tuple[str, int, str, dict[str, float]]] = []
    with tempfile.TemporaryDirectory(prefix="capex-bench-") as folder, FeedServer() as server:
        tmp = Path(folder)
        for n in range(0, FEEDS, int(1 / CHANGED_SHARE)):
            server.set(f"/p/{n}-new.html", page_html(n), content_type=HTML_TYPE)
        sources = tmp / "sources.yaml"
        sources.write_text("sources:\n" + "".join(
            f'  - {{id: f{n:05d}, name: Outlet {n}, url: "{server.url(f"/f/{n}.xml")}", lang: en, kind: press, '
            "poll_minutes: 60}\n" for n in range(FEEDS)))
        configs: list[tuple[str, int, str]] = [("SQLite", 1, f"sqlite:///{tmp / 'bench.sqlite3'}")]
        pg, reason = start_server()
        if pg is None:
            print(f"PostgreSQL not measured: {reason}")
        else:
            import psycopg

            for workers in (1, 2, 4):
                schema = f"bench{workers}"
                with psycopg.connect(pg.url, autocommit=True) as conn:
                    conn.execute(f"CREATE SCHEMA {schema}")
                configs.append(("PostgreSQL", workers, schema_url(pg.url, schema)))
        try:
            for engine, workers, db in configs:
                pg_data = pg.data if pg is not None and engine == "PostgreSQL" else None
                for kind, figures in measure(db, workers, server, tmp, sources, pg_data).items():
                    rows.append((engine, workers, kind, figures))
                    print(f"  measured {engine} x{workers} {kind}: {figures['wall']:.2f} s", flush=True)
        finally:
            if pg is not None:
                pg.stop("immediate")
                shutil.rmtree(pg.root, ignore_errors=True)
    print()
    print("| engine | workers | pass | wall s | CPU s (all workers) | CPU s (busiest) | peak RSS MB per worker | "
          "CPU s feed server | CPU s PostgreSQL | speed-up vs 1 worker |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    single = {(e, k): f["wall"] for e, w, k, f in rows if w == 1}
    for engine, workers, kind, f in rows:
        speedup = single[(engine, kind)] / f["wall"]
        print(f"| {engine} | {workers} | {kind} | {f['wall']:.2f} | {f['cpu']:.2f} | {f['cpu_max']:.2f} | "
              f"{f['rss_mb']:.0f} | {f['feed_cpu']:.2f} | {f['db_cpu']:.2f} | "
              f"{speedup:.2f} ({speedup / workers:.0%} per worker) |")


if __name__ == "__main__":
    main()
