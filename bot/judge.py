"""Which claims of an article become alerts. Pure: claims + ledger in, records to store out.

Each claim is assessed against the ledger (bot.compare). A restatement of a known figure is stored
but not alerted. Anything else becomes an alert keyed by its story: the same company, metric, scope,
period and figure from another outlet (a wire copy, a translation) joins that story instead of
alerting twice; a different figure is always a different story.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.compare import Assessment, assess
from bot.headline import headline
from bot.ledger import Ledger
from bot.model import Article, Claim
from bot.sources import Source
from bot.store import ClaimRecord, NewAlert, StoredClaim

ALERTING_VERDICTS = frozenset({"new", "raised", "lowered", "horizon_changed"})


@dataclass(frozen=True)
class Decisions:
    claims: list[ClaimRecord]
    alerts: list[NewAlert]


def story_key(assessment: Assessment) -> str:
    """Identity of a statement across outlets: never equal for two different figures."""
    claim = assessment.claim
    figure = assessment.figure
    if figure is not None:
        # two significant digits of the normalised figure (USD, MW...): a CNY figure and its USD
        # conversion in a translation agree; $85 bn and $91 bn never do
        amount = f"{figure.family}{figure.low:.2g}" + (f"-{figure.high:.2g}" if figure.high else "")
    elif claim.change_pct is not None:
        amount = f"{claim.change_pct:g}%"
    else:
        amount = " ".join(claim.quote.split())[:80]
    return ":".join([claim.company, claim.topic, assessment.metric, assessment.scope or "-",
                     assessment.period.code, amount])


def judge_article(claims: Sequence[Claim], article: Article, source: Source, ledger: Ledger) -> Decisions:
    records: list[ClaimRecord] = []
    alerts: dict[str, NewAlert] = {}
    for claim in claims:
        assessment = assess(claim, ledger, article.date)
        key = story_key(assessment) if assessment.verdict in ALERTING_VERDICTS else None
        if key is not None and key not in alerts:
            alerts[key] = NewAlert(story_key=key, company=claim.company, topic=claim.topic,
                                   verdict=assessment.verdict, headline=headline(assessment, ledger=ledger))
        records.append(ClaimRecord(StoredClaim(
            company=claim.company, topic=claim.topic, amount=claim.amount, amount_max=claim.amount_max,
            currency=claim.currency, unit=claim.unit, change_pct=claim.change_pct, period=claim.period,
            quote=claim.quote, rules=claim.rules, verdict=assessment.verdict,
            assessment=assessment.comparison_json()), key))
    return Decisions(records, list(alerts.values()))
