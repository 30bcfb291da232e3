"""The rule tables: they load, every rule fires on its own example, malformed rules are refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.analysis.claims import normalise
from bot.analysis.rulebook import (
    GRAMMAR_KINDS,
    LANGUAGE_TABLES,
    RuleError,
    all_tables,
    grammar_terms,
    has_word,
    is_cjk,
    load_table,
    ruleset,
)

RULES = [(name, rule) for name, _, rules in all_tables() for rule in rules]


def test_every_language_table_compiles() -> None:
    for lang in set(LANGUAGE_TABLES.values()):
        assert ruleset(lang).lexicon is not None


@pytest.mark.parametrize(("table", "rule"), RULES, ids=[rule.id for _, rule in RULES])
def test_rule_fires_on_its_example(table: str, rule: object) -> None:
    from bot.analysis.rulebook import Rule

    assert isinstance(rule, Rule)
    if rule.kind == "numeral":  # read by the number grammar, not the lexicon
        assert any(term.removesuffix("*") in rule.example for term in rule.terms)
        return
    if rule.kind in GRAMMAR_KINDS:  # read by the list and history grammar, not the lexicon
        text = normalise(rule.example).casefold()
        for term in rule.terms:
            # A word is read as a whole word (between spaces in a list), a mark or CJK word as is.
            read = f" {term} " if term[:1].isalpha() and not is_cjk(term[:1]) else term
            found = has_word(text, term) if rule.kind == "since" else read in text
            assert found, f"{rule.id}: {term!r} is not in its example {rule.example!r}"
        assert all(term in grammar_terms(rule.kind) for term in rule.terms)
        return
    # Common rules must fire in at least one language; the others in their own table.
    languages = sorted(set(LANGUAGE_TABLES.values())) if table == "common" else [table]
    data = normalise(rule.example).encode("utf-8")
    fired = any(rule in hit.rules for lang in languages for hit in ruleset(lang).scan(data))
    assert fired, f"{rule.id} does not fire on its example {rule.example!r}"


def test_rule_ids_are_unique_across_tables() -> None:
    ids = [rule.id for _, rule in RULES]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize(("body", "message"), [
    ("rules:\n  - {id: x, kind: topic, topic: capex, terms: [capex]}\n", "example"),
    ("rules:\n  - {id: x, kind: nonsense, terms: [a], example: a}\n", "unknown kind"),
    ("rules:\n  - {id: x, kind: topic, topic: weather, terms: [rain], example: rain}\n", "topic must be"),
    ("rules:\n  - {id: x, kind: scale, terms: [bn], example: 5 bn}\n", "numeric value"),
    ("rules:\n  - {id: x, kind: topic, topic: capex, terms: [], example: a}\n", "terms"),
    ("rules: 3\n", "rules"),
    # A rule whose "- id:" line was lost merges into the rule above it: refused, not merged.
    ("rules:\n  - id: x\n    kind: unit\n    unit: TWh\n    terms: [TWh]\n    example: 5 TWh\n"
     "    kind: unit\n    unit: kWh\n    terms: [kWh]\n    example: 5 kWh\n", "twice"),
])
def test_malformed_rules_are_refused(tmp_path: Path, body: str, message: str) -> None:
    path = tmp_path / "xx.yaml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(RuleError, match=message):
        load_table(path)


@pytest.mark.parametrize(("lang", "text", "expected"), [
    # A term inside a run of letters is no hit: "its" in "produits", "or" in "lors", "Meta" in
    # "metadata" and "Metaverse".
    ("fr", "Les produits présentés lors du salon annuel.", []),
    ("en", "Its fans like the Metaverse.", ["Its", "like"]),
    # A match that runs into a longer word may hide a term that starts inside it: the look
    # inside finds "about" in "for about" and the compound "Konzernumsatz" in "Der Konzernumsatz".
    ("en", "The metadata team met for about an hour.", ["about"]),
    ("de", "Der Konzernumsatz wuchs deutlich.", ["Konzernumsatz", "wuchs"]),
    # A one-letter scale is read only apart from other letters ("$5B", "40m", "b" at the very
    # start or end of the text), never inside a word ("about", "them", "mb"); a non-ASCII letter
    # beside it is refused by the word check ("éb").
    ("en", "b about $5B them, 40m.", ["b", "about", "$", "B", "m"]),
    ("en", "RMB 3b mb éb 7M", ["RMB", "b", "M"]),
])
def test_lexicon_hits_are_whole_words(lang: str, text: str, expected: list[str]) -> None:
    data = text.encode("utf-8")
    assert [data[hit.start:hit.end].decode() for hit in ruleset(lang).scan(data)] == expected
