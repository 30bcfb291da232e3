"""Regression gate on the first blind corpus (tests/fixtures/claims_blind, see its README).

45 invented press excerpts in 11 languages, labelled from the labelling rules alone by someone who had not
read the rules code or tables, and committed before the bot was ever run on them. It measured unseen
phrasing for one session; since then it is open for tuning and its floors (blind_floors.json) only go up.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.support.eval_gate import assert_above_floor, assert_negatives_within_floor, load_floors
from tests.test_claims_corpus_eval import score

BLIND = Path(__file__).with_name("fixtures") / "claims_blind"
FLOORS = load_floors(Path(__file__).with_name("blind_floors.json"))
MIN_LABELS_FOR_A_FLOOR = 5  # fewer labels make a language's P/R too coarse to pin


@pytest.fixture(scope="module")
def results() -> dict[str, Any]:
    return score(BLIND)


def test_blind_corpus_is_present() -> None:
    assert len(list(BLIND.glob("*.json"))) == 45


@pytest.mark.parametrize("key", sorted(FLOORS["floors"]))
def test_blind_precision_and_recall_stay_above_floors(results: dict[str, Any], key: str) -> None:
    assert results["labels"].get(key, 0) >= MIN_LABELS_FOR_A_FLOOR, f"{key}: too few labels to pin a floor"
    assert_above_floor(results, FLOORS, key)


def test_blind_negatives_alerted_stay_within_floor(results: dict[str, Any]) -> None:
    assert_negatives_within_floor(results, FLOORS)


def test_blind_money_claims_have_the_right_currency(results: dict[str, Any]) -> None:
    assert results["currency_wrong"] == 0


def test_blind_gets_no_duplicate_claim(results: dict[str, Any]) -> None:
    assert results["duplicates"] == []
