"""Command line: the only place that reads argv; settings come from bot.config. Every error a user
can cause is a bot.errors.BotError, printed by main() in one place as `<context>: <message>`.

    python -m bot run      [--sources F] [--db F]   poll on schedule, deliver alerts (Telegram or console)
    python -m bot once     [--sources F] [--db F]   one poll pass over every due source, then exit
    python -m bot worker   [--sources F] [--db F]   poll only, with other workers (PostgreSQL BOT_DB)
    python -m bot serve    [--sources F] [--db F]   the Telegram side only: commands, outbox, digests
    python -m bot db copy --from DB --to DB         copy every row to another database (SQLite -> PostgreSQL)
    python -m bot claims   [--explain] FILE...      claims found in article JSON files, as JSON Lines
    python -m bot claims   --compare FILE...        ... with each claim's verdict against the baseline ledger
    python -m bot baseline show [--company X]       the baseline ledger, per company
    python -m bot baseline history METRIC           every known value of a metric, oldest first
    python -m bot health                            exit 0 when the running bot's heartbeat is fresh, 1 if not
    python -m bot sources check [--all]             fetch each source once, print a status table
    python -m bot sources import FILE.opml          append an OPML file's feeds to the sources file
    python -m bot sources export [-o FILE] [--all]  the sources as OPML
    python -m bot sources resume ID                 un-pause a source paused after repeated errors
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from bot.config import Settings, load_settings
from bot.errors import BotError, UsageError
from bot.model import Article

if TYPE_CHECKING:
    from bot.ingest.sources import Source
    from bot.ledger.entries import Ledger


def _settings(args: argparse.Namespace) -> Settings:
    return load_settings(sources=getattr(args, "sources", None), db=getattr(args, "db", None))


def _read_article(path: str) -> Article:
    try:
        obj = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror}") from None
    except json.JSONDecodeError as exc:
        raise UsageError(f"{path} is not JSON: {exc}") from None
    if not isinstance(obj, dict):
        raise UsageError(f"{path} must hold one JSON object")
    try:
        return Article.from_json(obj)
    except ValueError as exc:
        raise UsageError(f"{path}: {exc}") from None


def cmd_claims(args: argparse.Namespace) -> int:
    from bot.analysis import claims

    out = sys.stdout
    ledger = _ledger() if args.compare else None
    for path in args.files:
        article = _read_article(path)
        if args.explain:
            out.write(claims.format_explanation(article) + "\n")
            continue
        found = claims.extract_claims(article)
        if ledger is not None:
            from bot.analysis.compare import compare_claims_json

            rows = compare_claims_json(found, article.date, ledger)
        else:
            rows = [claim.to_json() for claim in found]
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    return 0


def _ledger() -> Ledger:
    from bot.ledger.entries import LedgerError, load_ledger

    path = load_settings().baseline
    try:
        return load_ledger(path)
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror}") from None
    except LedgerError as exc:
        raise LedgerError(f"{path}: {exc}") from None


def _with_confirmed(ledger: Ledger, db: Path | str) -> Ledger:
    """The ledger as the running bot sees it: the baseline plus the statements it confirmed since."""
    if isinstance(db, Path) and not db.is_file():
        return ledger
    from bot.ledger.entries import LedgerEntry
    from bot.store.database import Store

    with Store(db) as store:
        confirmed = [LedgerEntry.from_json(entry) for entry in store.confirmed_ledger_entries()]
    return ledger.with_confirmed(*confirmed)


def cmd_baseline(args: argparse.Namespace) -> int:
    from bot.delivery.headline import describe_entry
    from bot.ledger.entries import FISCAL_YEAR_END_MONTH, METRICS
    from bot.model import COMPANY_NAMES

    ledger = _with_confirmed(_ledger(), _settings(args).db)
    superseded = ledger.superseded_ids()
    out = sys.stdout
    if args.action == "history":
        if args.metric not in METRICS:
            raise UsageError(f"unknown metric {args.metric!r}; one of: {', '.join(METRICS)}")
        entries = ledger.history(args.metric, args.company)
        out.write(f"{METRICS[args.metric].label} ({args.metric}): {len(entries)} entries\n")
        for entry in entries:
            row = describe_entry(entry, entry.id in superseded)
            out.write(f"  {COMPANY_NAMES[entry.company]:<9}  {row}\n")
        return 0
    if args.company is not None and args.company not in COMPANY_NAMES:
        raise UsageError(f"unknown company {args.company!r}; one of: {', '.join(COMPANY_NAMES)}")
    out.write(f"Baseline {ledger.summary()}, at fixed rates "
              + ", ".join(f"{c} {r:g}" for c, r in ledger.fx_usd_per_unit.items() if c != "USD") + " USD\n")
    for company in COMPANY_NAMES:
        if args.company not in (None, company):
            continue
        end = FISCAL_YEAR_END_MONTH[company]
        calendar = "calendar year" if end == 12 else f"fiscal year ends {('March', 'June')[end == 6]}"
        out.write(f"\n{COMPANY_NAMES[company]} ({calendar})\n")
        for entry in ledger.for_company(company):
            out.write(f"  {entry.topic:<6}  {describe_entry(entry, entry.id in superseded)}\n")
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    from bot import app

    return app.run(_settings(args))


def cmd_once(args: argparse.Namespace) -> int:
    from bot import app

    return app.once(_settings(args))


def cmd_worker(args: argparse.Namespace) -> int:
    from bot import app

    return app.worker(_settings(args))


def cmd_serve(args: argparse.Namespace) -> int:
    from bot import app

    return app.run(_settings(args), poll=False)


def cmd_db(args: argparse.Namespace) -> int:
    from bot.store.database import Store, copy_database

    # a StoreError (unreachable server, non-empty destination, count mismatch) is printed by main()
    with Store(args.source) as source, Store(args.destination or _settings(args).db) as destination:
        counts = copy_database(source, destination)
    width = max(len(t) for t in counts)
    for table, rows in counts.items():
        print(f"{table:<{width}}  {rows:>8} rows")
    print(f"copied {sum(counts.values())} rows from {source.target} to {destination.target}; "
          "every table's row count matches")
    return 0


def cmd_health(args: argparse.Namespace) -> int:
    from bot.ops import health

    settings = _settings(args)
    report = health.check(settings.heartbeat_path, settings.health_max_age)
    print(report.message, file=sys.stdout if report.healthy else sys.stderr)
    return 0 if report.healthy else 1


def cmd_sources(args: argparse.Namespace) -> int:
    from bot.ingest.sources import load_sources

    settings = _settings(args)
    sources = load_sources(settings.sources)
    if args.action == "check":
        return _sources_check(settings, sources if args.all else [s for s in sources if s.enabled])
    if args.action == "export":
        from datetime import UTC, datetime

        from bot.ingest.opml import render_opml

        text = render_opml(sources if args.all else [s for s in sources if s.enabled], datetime.now(UTC))
        if args.output:
            Path(args.output).write_text(text, encoding="utf-8")
        else:
            sys.stdout.write(text)
        return 0
    if args.action == "import":
        return _sources_import(args, settings.sources, sources)
    return _sources_resume(settings, args.target, sources)


def _sources_check(settings: Settings, sources: list[Source]) -> int:
    import asyncio
    from datetime import UTC, datetime

    from bot.ingest import fetch
    from bot.ops.source_check import CheckResult, check_sources, format_table

    async def run() -> list[CheckResult]:
        async with fetch.make_client(settings.user_agent) as client:
            return await check_sources(sources, client, max_bytes=settings.feed_max_bytes,
                                       timeout=settings.fetch_timeout, now=datetime.now(UTC))

    results = asyncio.run(run())
    sys.stdout.write(format_table(results, datetime.now(UTC)))
    return 0 if all(r.status == "ok" for r in results) else 1


def _sources_import(args: argparse.Namespace, sources_path: Path, sources: list[Source]) -> int:
    import os
    import tempfile

    from bot.ingest.opml import OpmlError, parse_opml, sources_yaml
    from bot.ingest.sources import SourcesError, parse_sources

    try:
        feeds = parse_opml(Path(args.target).read_bytes())
    except OSError as exc:
        raise UsageError(f"cannot read {args.target}: {exc.strerror}") from None
    except OpmlError as exc:
        raise OpmlError(f"{args.target}: {exc}") from None
    plan = sources_yaml(feeds, sources, lang=args.lang, kind=args.kind, poll_minutes=args.poll_minutes,
                        enabled=not args.disabled)
    for url, reason in plan.skipped:
        print(f"skipped {url}: {reason}")
    if not plan.added:
        print("nothing to import")
        return 0
    current = sources_path.read_text(encoding="utf-8")
    combined = current + ("" if current.endswith("\n") else "\n") + \
        f"  # imported from {Path(args.target).name}\n" + plan.yaml_text
    try:
        parse_sources(combined, origin=str(sources_path))  # never write a file the bot cannot start with
    except SourcesError as exc:
        raise UsageError(f"the result would not load, nothing written: {exc}") from None
    for source_id, url in plan.added:
        print(f"{'would add' if args.dry_run else 'added'} {source_id}: {url}")
    if args.dry_run:
        return 0
    fd, temp = tempfile.mkstemp(prefix=".sources-", dir=sources_path.parent or Path("."))
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(combined)
    os.replace(temp, sources_path)  # an interrupted import cannot truncate the sources file
    print(f"{len(plan.added)} sources added to {sources_path}")
    return 0


def _sources_resume(settings: Settings, source_id: str | None, sources: list[Source]) -> int:
    from datetime import UTC, datetime

    from bot.store.database import Store

    if source_id not in {s.id for s in sources}:
        raise UsageError(f"no source {source_id!r} in {settings.sources}")
    with Store(settings.db) as store:
        resumed = store.resume_source(source_id, datetime.now(UTC))
    print(f"{source_id}: resumed, polled on the next tick" if resumed else f"{source_id}: was not paused")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def with_paths(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
        p.add_argument("--sources", help="sources file (default: $BOT_SOURCES or sources.yaml)")
        p.add_argument("--db", help="SQLite file or postgresql:// URL "
                                    "(default: $BOT_DB or storage/capex-watch.sqlite3)")
        return p

    with_paths(sub.add_parser("run", help="poll on schedule and deliver alerts")).set_defaults(func=cmd_run)
    with_paths(sub.add_parser("once", help="one poll pass, then exit")).set_defaults(func=cmd_once)
    with_paths(sub.add_parser("worker", help="poll only (several workers share a PostgreSQL database)")) \
        .set_defaults(func=cmd_worker)
    with_paths(sub.add_parser("serve", help="the Telegram side only, no polling")).set_defaults(func=cmd_serve)
    p = with_paths(sub.add_parser("claims", help="print claims found in article JSON files"))
    p.add_argument("--explain", action="store_true", help="show which rules fired and why candidates were dropped")
    p.add_argument("--compare", action="store_true",
                   help="add verdict, metric, baseline_id, baseline_value, delta_pct (baseline ledger)")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.set_defaults(func=cmd_claims)
    b = sub.add_parser("baseline", help="print the baseline ledger")
    b.add_argument("action", choices=("show", "history"), help="show: per company; history: one metric")
    b.add_argument("metric", nargs="?", help="for history: a metric (e.g. capex_guidance_annual)")
    b.add_argument("--company", help="only this company (alibaba, tencent, baidu, microsoft, google)")
    b.add_argument("--db", help="also show statements confirmed since, from this database "
                                "(default: $BOT_DB when the file exists)")
    b.set_defaults(func=cmd_baseline)
    h = with_paths(sub.add_parser("health", help="exit 0 when the running bot's heartbeat is fresh, 1 if not"))
    h.set_defaults(func=cmd_health)
    d = sub.add_parser("db", help="copy a database to another one (SQLite to PostgreSQL), checked by row counts")
    d.add_argument("action", choices=("copy",))
    d.add_argument("--from", dest="source", required=True, metavar="DB", help="sqlite:///PATH, a path, or a URL")
    d.add_argument("--to", dest="destination", metavar="DB",
                   help="postgresql://USER:PASS@HOST/DB (or another SQLite file), empty (default: $BOT_DB)")
    d.set_defaults(func=cmd_db)
    src = with_paths(sub.add_parser("sources", help="check, import, export or resume sources"))
    src.add_argument("action", choices=("check", "import", "export", "resume"))
    src.add_argument("target", nargs="?", metavar="FILE|ID", help="import: an OPML file; resume: a source id")
    src.add_argument("--all", action="store_true", help="check/export: include disabled sources")
    src.add_argument("-o", "--output", help="export: write to this file instead of stdout")
    src.add_argument("--lang", default="en", help="import: language of the new sources (default en)")
    src.add_argument("--kind", default="press", help="import: kind of the new sources (default press)")
    src.add_argument("--poll-minutes", type=int, default=60, help="import: poll interval (default 60)")
    src.add_argument("--disabled", action="store_true", help="import: add them with enabled: false")
    src.add_argument("--dry-run", action="store_true", help="import: show what would be added")
    src.set_defaults(func=cmd_sources)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.func is cmd_sources and args.action in ("import", "resume") and not args.target:
            raise UsageError(f"give {'an OPML file' if args.action == 'import' else 'a source id'}")
        return int(args.func(args))
    except BrokenPipeError:  # the reader went away (`... | head`): not an error worth a traceback
        sys.stderr.close()
        return 0
    except BotError as exc:
        print(f"{exc.context or _command(args)}: {exc}", file=sys.stderr)
        return exc.exit_status


def _command(args: argparse.Namespace) -> str:
    """The name errors are reported under: "claims", "baseline", "sources import" ..."""
    if args.command == "sources" and args.action in ("import", "resume"):
        return f"sources {args.action}"
    if args.command == "db":
        return f"db {args.action}"
    return str(args.command)
