"""Which claims of an article become alerts. Pure: claims, ledger and open stories in; what to store out.

Each claim is assessed against the ledger (bot.analysis.compare), then handed to the story decider
(bot.alerts.stories): the same statement from another outlet joins its story instead of alerting twice, a
change from a single low-confidence outlet is held until confirmed, a restatement only gathers sources.
Confirmed changes become ledger entries, so later claims are compared with them.

Which outlets count as reliable: a source the operator configured as press, trade, filing or
first-party is one they vouched for; an aggregator (Google News) carries arbitrary republishers, so
its items are judged by their own URL (bot.alerts.stories.RELIABLE_OUTLETS).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from bot.alerts.stories import (
    ConfirmStory,
    Duplicate,
    NewStory,
    Story,
    decide,
    release_held,
    source_ref,
)
from bot.analysis.compare import assess
from bot.ingest.sources import Source
from bot.ledger.entries import Ledger, LedgerEntry
from bot.model import Article, Claim
from bot.model.records import ClaimRecord, NewAlert, StoredClaim

VOUCHED_KINDS = frozenset({"press", "trade", "filing", "first_party"})


@dataclass
class Decisions:
    """What one article changes: claims to store, story states to save, alerts, ledger growth."""

    claims: list[ClaimRecord] = field(default_factory=list)
    stories: dict[str, Story] = field(default_factory=dict)
    story_topics: dict[str, str] = field(default_factory=dict)
    alerts: list[NewAlert] = field(default_factory=list)
    ledger_entries: list[LedgerEntry] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)


def alert_for(story: Story, topic: str) -> NewAlert:
    return NewAlert(story_key=story.id, company=story.company, topic=topic, verdict=story.verdict)


def judge_article(claims: Sequence[Claim], article: Article, source: Source, ledger: Ledger,
                  open_stories: Sequence[Story], now: datetime) -> Decisions:
    decisions = Decisions()
    stories = {s.id: s for s in open_stories}
    for claim in claims:
        assessment = assess(claim, ledger, article.date)
        ref = source_ref(article.id, article.url, article.publisher, article.lang, claim.company, seen_at=now,
                         first_party=True if source.kind == "first_party" else None,
                         reliable=True if source.kind in VOUCHED_KINDS else None)
        intent = decide(assessment, ref, list(stories.values()), now, ledger)
        story_id: str | None
        if isinstance(intent, Duplicate):
            story_id = intent.story_id
        else:
            story = intent.story
            story_id = story.id
            stories[story.id] = decisions.stories[story.id] = story
            decisions.story_topics.setdefault(story.id, claim.topic)
            decisions.reasons.append(f"{story.id}: {intent.reason}")
            alerting = (isinstance(intent, NewStory) and intent.alert) or isinstance(intent, ConfirmStory)
            if alerting:
                decisions.alerts.append(alert_for(story, claim.topic))
            entry = intent.ledger_entry if isinstance(intent, NewStory | ConfirmStory) else None
            if entry is not None and ledger.get(entry.id) is None:
                decisions.ledger_entries.append(entry)
                ledger = ledger.with_confirmed(entry)
        decisions.claims.append(ClaimRecord(StoredClaim(
            company=claim.company, topic=claim.topic, amount=claim.amount, amount_max=claim.amount_max,
            currency=claim.currency, unit=claim.unit, change_pct=claim.change_pct, period=claim.period,
            quote=claim.quote, rules=claim.rules, verdict=assessment.verdict,
            assessment=assessment.comparison_json()), story_id))
    return decisions


def release_waiting(open_stories: Sequence[Story], now: datetime) -> list[Story]:
    """Held stories whose confirmation window ran out: alert them marked unconfirmed."""
    return [r.story for r in release_held(open_stories, now)]
