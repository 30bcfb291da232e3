"""The claim extractor called on one invented text, as the unit tests of the claims package call it."""

from __future__ import annotations

from bot.analysis.claims import extract_claims
from bot.model import Article, Claim


def claims_of(text: str, lang: str = "en", title: str | None = None) -> list[Claim]:
    return extract_claims(Article(id="t", url="", lang=lang, text=text, title=title))


def summary(text: str, lang: str = "en", title: str | None = None) -> list[tuple[object, ...]]:
    """(company, topic, amount, amount_max, currency, unit, change_pct) of each claim, in order."""
    return [(c.company, c.topic, c.amount, c.amount_max, c.currency, c.unit, c.change_pct)
            for c in claims_of(text, lang, title)]
