"""Eval gate: the extractor on the hand-labelled dev articles must not fall below pinned floors.

The corpus and scorer live outside the repository, in ../shared next to the repo root (they
are copyrighted texts, read at test time only). The test is skipped when they are absent.
Raise the floors in tests/eval_floors.json as the extractor improves; never lower them silently.
The floors pin precision and recall per language, per topic (capex, cloud, energy) and over "all"; beside
them the gate asserts the other targets of issue 11: claims on negatives within the pinned count, every
matched money claim in the label's currency, and no duplicate claim (two claims answering one statement).
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from tests.test_claims_corpus_eval import score

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


@pytest.fixture(scope="module")
def results() -> dict[str, Any]:
    if not SCORER.is_file() or not CORPUS.is_dir():
        pytest.skip(f"no labelled corpus at {CORPUS}")
    return score(CORPUS, pairing=load_scorer().pair)


def floors() -> dict[str, dict[str, float]]:
    data: dict[str, dict[str, float]] = json.loads(FLOORS.read_text(encoding="utf-8"))["floors"]
    return data


@pytest.mark.parametrize("key", sorted(floors()))
def test_precision_and_recall_stay_above_floors(results: dict[str, Any], key: str) -> None:
    precision, recall = results["scores"].get(key, (1.0, 1.0))
    floor = floors()[key]
    assert precision >= floor["precision"], f"{key}: precision {precision:.3f} < floor {floor['precision']}"
    assert recall >= floor["recall"], f"{key}: recall {recall:.3f} < floor {floor['recall']}"


def test_no_more_claims_on_negative_articles_than_pinned(results: dict[str, Any]) -> None:
    pinned: int = json.loads(FLOORS.read_text(encoding="utf-8")).get("max_negatives_alerted", 0)
    assert results["negatives_alerted"] <= pinned


def test_matched_money_claims_have_the_right_currency(results: dict[str, Any]) -> None:
    assert results["currency_wrong"] == 0


def test_no_article_gets_a_duplicate_claim(results: dict[str, Any]) -> None:
    assert results["duplicates"] == []


def test_every_topic_is_pinned() -> None:
    assert {"capex", "cloud", "energy", "all"} <= set(floors())
