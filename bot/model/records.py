"""Records that cross stage boundaries: what the store keeps and hands back, what delivery renders.

Plain frozen values, no I/O; the store (bot.store) reads and writes them, the pure stages build and read them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from bot.model import COMPANIES, TOPICS

Level = Literal["all", "changes", "digest"]
LEVELS: tuple[Level, ...] = ("all", "changes", "digest")

@dataclass(frozen=True)
class Preferences:
    companies: frozenset[str] = frozenset(COMPANIES)
    topics: frozenset[str] = frozenset(TOPICS)
    level: Level = "all"

    def to_columns(self) -> tuple[str, str, str]:
        """(companies, topics, level) as stored: comma-separated, in the bot's fixed order."""
        return (",".join(c for c in COMPANIES if c in self.companies),
                ",".join(t for t in TOPICS if t in self.topics), self.level)

    @classmethod
    def from_columns(cls, companies: str, topics: str, level: str) -> Preferences:
        return cls(frozenset(c for c in companies.split(",") if c in COMPANIES),
                   frozenset(t for t in topics.split(",") if t in TOPICS),
                   level if level in LEVELS else "all")  # type: ignore[arg-type]


@dataclass(frozen=True)
class DigestItem:
    """One alert as the digest sees it (from bot.store.database.Store.digest_items)."""

    alert_id: int
    company: str
    topic: str
    verdict: str
    headline: str  # the line stored with alerts raised before stories kept facts; "" since
    story: dict[str, Any] | None  # the saved story (bot.alerts.stories.Story JSON): the line is rendered from it
    sources: int
    delta_pct: float | None
    group_key: str  # same metric, period and scope: later statements replace earlier ones in a digest
    created_at: datetime
    # The figure (amount, amount_max, currency, unit, change_pct) and its comparison (the `claims
    # --compare` keys: metric, scope, period_code, compared_with, previous, apsara): the digest draws series.
    figure: Mapping[str, Any] = field(default_factory=dict)
    assessment: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class SentAlertMessage:
    """An alert message already in a chat, as sent: what an edit in place starts from."""

    id: int
    chat_id: int
    html: str
    telegram_ids: tuple[int | None, ...]  # per part sent, in order
    alert_ids: tuple[int, ...]


@dataclass(frozen=True)
class SourceState:
    source_id: str
    etag: str | None
    last_modified: str | None
    next_poll_at: datetime
    first_polled_at: datetime | None
    last_polled_at: datetime | None
    last_success_at: datetime | None
    last_error_at: datetime | None
    last_error: str | None
    consecutive_errors: int
    items_seen: int


@dataclass(frozen=True)
class StoredClaim:
    """A claim as stored with its assessment, ready to become part of an alert."""

    company: str
    topic: str
    amount: float | None
    amount_max: float | None
    currency: str | None
    unit: str | None
    change_pct: float | None
    period: str | None
    quote: str
    rules: tuple[str, ...]
    verdict: str
    assessment: dict[str, Any]


@dataclass(frozen=True)
class NewAlert:
    """An alert to create with an article, keyed by its story so other outlets join it."""

    story_key: str
    company: str
    topic: str
    verdict: str


@dataclass(frozen=True)
class ArticleRecord:
    source_id: str
    entry_key: str
    url: str | None
    title: str | None
    lang: str
    published_at: datetime | None
    text: str
    text_origin: str


@dataclass(frozen=True)
class ClaimRecord:
    """A claim to store; `story_key` is the id of its story (and of the story's alert, once there is one)."""

    claim: StoredClaim
    story_key: str | None


@dataclass(frozen=True)
class AdminNotice:
    """A message for the bot's operators (a source paused, resumed or silent)."""

    id: int
    kind: str
    source_id: str | None
    text: str
    created_at: datetime


@dataclass(frozen=True)
class StoryRecord:
    """A story's state to save (bot.alerts.stories.Story.to_json()), with the topic of its first claim."""

    id: str
    company: str
    topic: str
    status: str
    opened_at: str
    state: dict[str, Any]


@dataclass(frozen=True)
class AlertView:
    """What delivery needs to render an alert: the story (with every outlet that carried it) and quotes."""

    id: int
    headline: str  # the line stored with alerts raised before stories kept facts; "" since
    verdict: str
    company: str
    topic: str
    created_at: datetime
    quotes: tuple[str, ...]
    story: dict[str, Any] | None


@dataclass(frozen=True)
class Subscriber:
    chat_id: int
    chat_type: str
    title: str | None
    active: bool
    preferences: Preferences
    admitted_by: str | None  # how the chat got in: "open", "admin:ID", "invite:CODE", "allowed"; None: never
    digest_schedule: str | None  # DigestSchedule.text() or "off"; None: not set yet
    next_digest_at: datetime | None


@dataclass(frozen=True)
class PendingAlert:
    """An outbox row not yet part of a message, with what the per-chat filter needs."""

    outbox_id: int
    alert_id: int
    company: str
    topic: str
    verdict: str


@dataclass(frozen=True)
class QueuedMessage:
    id: int
    chat_id: int
    kind: str  # "alerts" | "digest"
    html: str
    photo: bytes | None
    caption: str | None
    parts_sent: int
    attempts: int


@dataclass(frozen=True)
class ClaimExplanation:
    quote: str
    rules: tuple[str, ...]
    amount: float | None
    amount_max: float | None
    currency: str | None
    unit: str | None
    change_pct: float | None
    period: str | None
    verdict: str
    assessment: dict[str, Any]
    source_id: str
    url: str | None


@dataclass(frozen=True)
class AlertExplanation:
    alert: AlertView
    claims: tuple[ClaimExplanation, ...]
