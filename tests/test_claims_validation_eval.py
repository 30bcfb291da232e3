"""Regression gate on the held-back validation corpus (tests/fixtures/claims_validation).

That corpus was written by another hand than the tuning corpus and is never used to tune rules: it
estimates how the extractor does on phrasing it has not seen. Floors in validation_floors.json only
catch regressions; when a rule change lowers them, the change is overfitted, not the floor wrong.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.support.eval_gate import assert_above_floor, assert_negatives_within_floor, load_floors
from tests.test_claims_corpus_eval import score

VALIDATION = Path(__file__).with_name("fixtures") / "claims_validation"
FLOORS = load_floors(Path(__file__).with_name("validation_floors.json"))


@pytest.fixture(scope="module")
def results() -> dict[str, Any]:
    return score(VALIDATION)


@pytest.mark.parametrize("key", sorted(FLOORS["floors"]))
def test_validation_precision_and_recall_stay_above_floors(results: dict[str, Any], key: str) -> None:
    assert_above_floor(results, FLOORS, key)


def test_validation_negatives_get_no_claim(results: dict[str, Any]) -> None:
    assert_negatives_within_floor(results, FLOORS)


def test_validation_money_claims_have_the_right_currency(results: dict[str, Any]) -> None:
    assert results["currency_wrong"] == 0


def test_validation_gets_no_duplicate_claim(results: dict[str, Any]) -> None:
    assert results["duplicates"] == []
