"""Eval gate: the extractor on the hand-labelled dev articles must not fall below pinned floors.

The corpus and scorer live outside the repository, in ../shared next to the repo root (they
are copyrighted texts, read at test time only). The test is skipped when they are absent.
Raise the floors in tests/eval_floors.json as the extractor improves; never lower them silently.
"""

from __future__ import annotations

import importlib.util
import json
from collections import defaultdict
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from bot.claims import extract_claims
from bot.model import Article

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED = REPO_ROOT.parent / "shared"
SCORER = SHARED / "eval" / "score.py"
CORPUS = SHARED / "data" / "dev-articles"
FLOORS = Path(__file__).with_name("eval_floors.json")


def load_scorer() -> ModuleType:
    spec = importlib.util.spec_from_file_location("capex_watch_score", SCORER)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def score_corpus(corpus: Path) -> dict[str, Any]:
    """Per-language (precision, recall) of the extractor on a labelled corpus, with the scorer's
    one-to-one matching; also negatives alerted and matched money claims in the wrong currency."""
    scorer = load_scorer()
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])  # tp labels, labels, tp claims, claims
    negatives_alerted = currency_wrong = 0
    for path in sorted(corpus.glob("*.json")):
        raw = json.loads(path.read_text(encoding="utf-8"))
        labels = raw["labels"]
        article = Article.from_json({k: v for k, v in raw.items() if k != "labels"})
        found = [claim.to_json() for claim in extract_claims(article)]
        if not labels and found:
            negatives_alerted += 1
        got = scorer.pair(found, labels, raw["text"])
        for i, label in enumerate(labels):
            if i in got and label.get("currency"):
                allowed = {label["currency"]} | {a.get("currency") for a in label.get("alt_amounts") or []}
                currency_wrong += found[got[i]].get("currency") not in allowed
        for key in ("all", raw["lang"]):
            counts[key][0] += len(got)
            counts[key][1] += len(labels)
            counts[key][2] += len(set(got.values()))
            counts[key][3] += len(found)
    scores = {key: scorer.prf(*c)[:2] for key, c in counts.items()}
    return {"scores": scores, "negatives_alerted": negatives_alerted, "currency_wrong": currency_wrong}


@pytest.fixture(scope="module")
def results() -> dict[str, Any]:
    if not SCORER.is_file() or not CORPUS.is_dir():
        pytest.skip(f"no labelled corpus at {CORPUS}")
    return score_corpus(CORPUS)


def floors() -> dict[str, dict[str, float]]:
    data: dict[str, dict[str, float]] = json.loads(FLOORS.read_text(encoding="utf-8"))["floors"]
    return data


@pytest.mark.parametrize("key", sorted(floors()))
def test_precision_and_recall_stay_above_floors(results: dict[str, Any], key: str) -> None:
    precision, recall = results["scores"].get(key, (1.0, 1.0))
    floor = floors()[key]
    assert precision >= floor["precision"], f"{key}: precision {precision:.3f} < floor {floor['precision']}"
    assert recall >= floor["recall"], f"{key}: recall {recall:.3f} < floor {floor['recall']}"


def test_no_claim_on_negative_articles(results: dict[str, Any]) -> None:
    assert results["negatives_alerted"] == 0


def test_matched_money_claims_have_the_right_currency(results: dict[str, Any]) -> None:
    assert results["currency_wrong"] == 0
