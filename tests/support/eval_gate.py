"""The floor checks shared by the eval gates of the invented corpora that are never tuned on (validation,
blind): a corpus's scores (tests.test_claims_corpus_eval.score) against the floors file pinned for it.
Floors only catch regressions; a failure means a rule change does not carry over, not that a floor is wrong."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

Json = dict[str, Any]


def load_floors(path: Path) -> Json:
    """{"floors": {key: {"precision", "recall"}}, "max_negatives_alerted": n, ...} of one floors file."""
    data: Json = json.loads(path.read_text(encoding="utf-8"))
    return data


def assert_above_floor(results: Json, floors: Json, key: str) -> None:
    """Precision and recall of `key` (a language, a topic or "all") at or above its floor."""
    precision, recall = results["scores"][key]
    floor = floors["floors"][key]
    assert precision >= floor["precision"], f"{key}: precision {precision:.3f} < floor {floor['precision']}"
    assert recall >= floor["recall"], f"{key}: recall {recall:.3f} < floor {floor['recall']}"


def assert_negatives_within_floor(results: Json, floors: Json) -> None:
    """No more negative articles with a claim than pinned."""
    pinned = floors["max_negatives_alerted"]
    assert results["negatives_alerted"] <= pinned, f"{results['negatives_alerted']} negatives alerted > {pinned}"
