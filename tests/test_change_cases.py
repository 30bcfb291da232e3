"""Issue 12's change cases: invented sentences about public figures reported after Apsara 2025, in five
languages, run through the real `python -m bot claims --compare` (extractor, ledger and comparison).

Each file in tests/fixtures/change_cases/ is an article plus `expect`: the claim (company, topic, amount or
growth rate) and the verdict it must get, with what it is compared with and the ledger entry it is compared
with. A case passes when one claim of its article matches and has that verdict, compared_with and previous.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.support.process import run_cli

pytestmark = pytest.mark.slow  # every test here starts `python -m bot`

CASES = Path(__file__).parent / "fixtures" / "change_cases"
FILES = sorted(CASES.glob("*.json"))


def _expected(path: Path) -> dict[str, Any]:
    return dict(json.loads(path.read_text(encoding="utf-8"))["expect"])


@pytest.fixture(scope="module")
def rows() -> dict[str, list[dict[str, Any]]]:
    """Every claim of every case, by article id, from one run of the command a user types."""
    done = run_cli("claims", "--compare", *map(str, FILES), timeout=300)
    assert done.returncode == 0, done.stderr
    found: dict[str, list[dict[str, Any]]] = {}
    for line in done.stdout.splitlines():
        row = json.loads(line)
        found.setdefault(row["id"], []).append(row)
    return found


def _matches(row: dict[str, Any], want: dict[str, Any]) -> bool:
    if (row["company"], row["topic"]) != (want["company"], want["topic"]):
        return False
    if want["amount"] is not None:
        return row["amount"] is not None and abs(row["amount"] - want["amount"]) <= 1e-6 * want["amount"]
    return row["amount"] is None and row["change_pct"] == want["change_pct"]


def test_there_are_enough_cases_in_enough_languages() -> None:
    langs = {json.loads(p.read_text(encoding="utf-8"))["lang"] for p in FILES}
    assert len(FILES) >= 30 and len(langs) >= 4


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_change_case(path: Path, rows: dict[str, list[dict[str, Any]]]) -> None:
    want = _expected(path)
    article_id = json.loads(path.read_text(encoding="utf-8"))["id"]
    candidates = [r for r in rows.get(article_id, []) if _matches(r, want)]
    assert candidates, f"not extracted: {want} from {rows.get(article_id)}"
    got = [(r["verdict"], r["compared_with"], (r["previous"] or {}).get("id")) for r in candidates]
    assert (want["verdict"], want["compared_with"], want["previous_id"]) in got
