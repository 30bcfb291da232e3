"""`python -m bot sources check`: fetch every source once and print a table of what came back.

Nothing is stored: no conditional GET, no seen entries, no schedule change. The fetch and the parse
are the poll pass's own (`fetch.fetch_feed`: same Accept header, limits, client and date clamp), so
"ok" here means "ok" in the poll pass.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import httpx

from bot.ingest import fetch
from bot.ingest.sources import Source
from bot.model.durations import ago

CHECK_CONCURRENCY = 6


@dataclass(frozen=True)
class CheckResult:
    source_id: str
    status: str  # ok | error
    entries: int | None
    newest: datetime | None
    elapsed_ms: int
    detail: str  # feed title, or the error


async def check_sources(sources: Sequence[Source], client: httpx.AsyncClient, *, max_bytes: int,
                        timeout: float, now: datetime) -> list[CheckResult]:
    gate = asyncio.Semaphore(CHECK_CONCURRENCY)

    async def one(source: Source) -> CheckResult:
        async with gate:
            return await check_source(source, client, max_bytes=max_bytes, timeout=timeout, now=now)

    return list(await asyncio.gather(*(one(s) for s in sources)))


async def check_source(source: Source, client: httpx.AsyncClient, *, max_bytes: int, timeout: float,
                       now: datetime) -> CheckResult:
    started = time.monotonic()

    def result(status: str, detail: str, entries: int | None = None,
               newest: datetime | None = None) -> CheckResult:
        return CheckResult(source.id, status, entries, newest, int((time.monotonic() - started) * 1000), detail)

    fetched = await fetch.fetch_feed(client, source.url, max_bytes=max_bytes, timeout=timeout, now=now)
    if isinstance(fetched, fetch.FetchFailed):
        return result("error", fetched.message)
    if isinstance(fetched, fetch.NotModified):  # no validators were sent; a server answering 304 anyway
        return result("error", "answered 304 Not Modified to an unconditional request")
    parsed = fetched.feed
    dates = [e.published for e in parsed.entries if e.published is not None]
    detail = parsed.title or "(untitled feed)"
    if parsed.warning:
        detail += f" [warning: {parsed.warning}]"
    return result("ok", detail, len(parsed.entries), max(dates) if dates else None)


def format_table(results: Sequence[CheckResult], now: datetime) -> str:
    """Fixed-width table, one row per source, errors last. Pure."""
    header = ("SOURCE", "STATUS", "ENTRIES", "NEWEST", "MS", "DETAIL")
    rows = [header]
    for r in sorted(results, key=lambda r: (r.status != "ok", r.source_id)):
        rows.append((r.source_id, r.status, "-" if r.entries is None else str(r.entries),
                     "-" if r.newest is None else ago(r.newest, now), str(r.elapsed_ms), r.detail))
    widths = [max(len(row[i]) for row in rows) for i in range(len(header) - 1)]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row[:-1], widths, strict=True)) + "  " + row[-1]
             for row in rows]
    ok = sum(r.status == "ok" for r in results)
    lines.append(f"{ok} of {len(results)} sources answered with a feed")
    return "\n".join(lines) + "\n"

