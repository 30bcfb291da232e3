"""Command line: the only place that reads argv; settings come from bot.config.

    python -m bot run      [--sources F] [--db F]   poll on schedule, deliver alerts (Telegram or console)
    python -m bot once     [--sources F] [--db F]   one poll pass over every due source, then exit
    python -m bot claims   [--explain] FILE...      claims found in article JSON files, as JSON Lines
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from bot.config import ConfigError, Settings, load_settings
from bot.model import Article


def _settings(args: argparse.Namespace) -> Settings:
    return load_settings(sources=getattr(args, "sources", None), db=getattr(args, "db", None))


def _read_article(path: str) -> Article:
    try:
        obj = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise SystemExit(f"claims: cannot read {path}: {exc.strerror}") from None
    except json.JSONDecodeError as exc:
        raise SystemExit(f"claims: {path} is not JSON: {exc}") from None
    if not isinstance(obj, dict):
        raise SystemExit(f"claims: {path} must hold one JSON object")
    try:
        return Article.from_json(obj)
    except ValueError as exc:
        raise SystemExit(f"claims: {path}: {exc}") from None


def cmd_claims(args: argparse.Namespace) -> int:
    from bot import claims

    out = sys.stdout
    for path in args.files:
        article = _read_article(path)
        if args.explain:
            out.write(claims.format_explanation(article) + "\n")
            continue
        for claim in claims.extract_claims(article):
            out.write(json.dumps(claim.to_json(), ensure_ascii=False) + "\n")
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    from bot import app

    return app.run(_settings(args))


def cmd_once(args: argparse.Namespace) -> int:
    from bot import app

    return app.once(_settings(args))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def with_paths(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
        p.add_argument("--sources", help="sources file (default: $BOT_SOURCES or sources.yaml)")
        p.add_argument("--db", help="SQLite file (default: $BOT_DB or storage/capex-watch.sqlite3)")
        return p

    with_paths(sub.add_parser("run", help="poll on schedule and deliver alerts")).set_defaults(func=cmd_run)
    with_paths(sub.add_parser("once", help="one poll pass, then exit")).set_defaults(func=cmd_once)
    p = with_paths(sub.add_parser("claims", help="print claims found in article JSON files"))
    p.add_argument("--explain", action="store_true", help="show which rules fired and why candidates were dropped")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.set_defaults(func=cmd_claims)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except ConfigError as exc:
        print(f"configuration error: {exc}", file=sys.stderr)
        return 2
