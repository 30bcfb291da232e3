"""Plain values passed between the stages. No I/O here.

Stage contracts (each a pure function of these values):
    sources.parse_sources(text)      -> list[Source]
    feeds.parse_feed(bytes, ...)     -> ParsedFeed (entries: list[FeedEntry])
    extract.extract_page(...)        -> ExtractedPage | None
    claims.extract_claims(Article)   -> list[Claim]
    compare.assess(Claim, Ledger)    -> Assessment
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Company = Literal["alibaba", "tencent", "baidu", "microsoft", "google"]
Topic = Literal["capex", "cloud", "energy"]
COMPANIES: tuple[Company, ...] = ("alibaba", "tencent", "baidu", "microsoft", "google")
TOPICS: tuple[Topic, ...] = ("capex", "cloud", "energy")
# The event whose state of knowledge is the baseline; every text that names it is built from these.
BASELINE_EVENT_NAME = "Apsara"  # "Apsara baseline $85 bn" in alert lines
BASELINE_EVENT = f"{BASELINE_EVENT_NAME} 2025"  # Alibaba's Apsara Conference, 24 Sept 2025
# How each company is named to subscribers.
COMPANY_NAMES: dict[str, str] = {
    "alibaba": "Alibaba", "tencent": "Tencent", "baidu": "Baidu", "microsoft": "Microsoft",
    "google": "Google",
}


@dataclass(frozen=True)
class Article:
    """An article as the claim extractor sees it (the `claims` command's input schema)."""

    id: str
    url: str
    lang: str
    text: str
    title: str | None = None
    publisher: str | None = None
    date: str | None = None

    @classmethod
    def from_json(cls, obj: dict[str, Any]) -> Article:
        missing = [k for k in ("id", "text") if not isinstance(obj.get(k), str | int)]
        if missing:
            raise ValueError(f"article JSON lacks {', '.join(missing)}")
        return cls(
            id=str(obj["id"]),
            url=str(obj.get("url") or ""),
            lang=str(obj.get("lang") or "en"),
            text=str(obj["text"]),
            title=obj.get("title") or None,
            publisher=obj.get("publisher") or None,
            date=obj.get("date") or None,
        )


@dataclass(frozen=True)
class Claim:
    """One flagged statement: a figure (or a qualitative plan) of one company on one topic."""

    article_id: str
    company: Company
    topic: Topic
    quote: str
    amount: float | None = None
    amount_max: float | None = None
    currency: str | None = None
    unit: str | None = None
    change_pct: float | None = None
    period: str | None = None
    rules: tuple[str, ...] = field(default=(), compare=False)

    def to_json(self) -> dict[str, Any]:
        """The `claims` command's output object (article id under `id`)."""
        obj = asdict(self)
        obj["id"] = obj.pop("article_id")
        obj["rules"] = list(self.rules)
        return obj
