"""Stories: one statement carried by many outlets becomes one alert; changes wait for confirmation.

Pure decisions, in the style of a decider: the pipeline hands in an assessed claim, where it came from
and the stories still open, and gets back one explicit intent to carry out (store, send, edit). No I/O,
no clock: `now` is an argument.

    source = source_ref(article_id, url, publisher, lang, company, seen_at=now)
    intent = decide(assessment, source, open_stories, now, ledger)       # once per assessed claim
    for release in release_held(open_stories, now): ...                  # once per pass

Intents (frozen dataclasses; the pipeline matches on their type):
    NewStory(story, alert, held, ledger_entry, reason)
        store the story; if alert: send it (bot.delivery.headline renders its line from story.facts);
        if held: keep it silent until confirmed.
    JoinStory(story, source, reason)
        the statement is already a story: store the new source (a message already sent is edited by
        the delivery worker when its story's source count grows).
    ConfirmStory(story, ledger_entry, reason)
        a held story got its confirmation (a second outlet, or a first-party source): send it now.
    ReleaseUnconfirmed(story)
        (from release_held) a held story waited `hold_hours` without confirmation: send it marked
        "unconfirmed".
    Duplicate(story_id)
        the same outlet again (a page fetched twice, a feed republishing): nothing to do.

Rules (issue 5):
- Same statement = same company, metric, period and scope, and the same figure: equal in the same
  currency (within 0.5 %), or within the restatement tolerance after conversion at the fixed rates
  when the currencies differ (a yuan figure and its dollar conversion). Two different figures are
  never merged, so "$85 bn" and "$88 bn" are two stories even though 88 is within 5 % of 85.
  Statements without a figure cluster by direction. Translations cluster naturally: the figure,
  period and scope are language-free.
- Sources are listed first-party first, then reliable outlets, then the rest, each in arrival order.
- A change (new, raised, lowered, horizon moved) from a single low-confidence source is held until
  another outlet or a first-party source carries it; `release_held` lets it out as "unconfirmed"
  after `hold_hours`. Restatements never alert: they only gather sources.
- Confirmed changes yield a ledger entry (`ledger_entry`), so the ledger grows; the pipeline persists
  it (LedgerEntry.to_json) and rebuilds the ledger with Ledger.with_confirmed.

State to persist: Story.to_json() per open story (its sources inside), and the confirmed LedgerEntry
rows. Stories older than `window_days` need not be passed in again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any, Literal
from urllib.parse import urlsplit

from bot.analysis.compare import (
    GROWTH,
    Assessment,
    Figure,
    Verdict,
    assessment_facts,
    entry_from_assessment,
    within_pct,
)
from bot.ledger.entries import Confidence, Direction, Ledger, LedgerEntry

StoryStatus = Literal["alerted", "held", "silent", "released"]

# Company-owned sites: a statement there is the company speaking.
FIRST_PARTY_DOMAINS: dict[str, tuple[str, ...]] = {
    "alibaba": ("alibabagroup.com", "alibabacloud.com", "alizila.com", "aliyun.com", "alibaba.com"),
    "tencent": ("tencent.com", "tencentcloud.com", "cloud.tencent.com"),
    "baidu": ("baidu.com", "ir.baidu.com"),
    "microsoft": ("microsoft.com", "blogs.microsoft.com", "news.microsoft.com", "azure.microsoft.com"),
    "google": ("blog.google", "abc.xyz", "google.com", "cloud.google.com", "googleblog.com"),
}
# Wires and major business/tech newsrooms: one of them alone is enough to alert.
RELIABLE_OUTLETS: frozenset[str] = frozenset({
    "reuters.com", "bloomberg.com", "cnbc.com", "ft.com", "wsj.com", "apnews.com", "nytimes.com",
    "scmp.com", "caixinglobal.com", "caixin.com", "nikkei.com", "channelnewsasia.com", "theinformation.com",
    "xinhuanet.com", "news.cn", "yicai.com", "36kr.com", "kr-asia.com", "techcrunch.com", "theverge.com",
    "theregister.com", "datacenterdynamics.com", "lesechos.fr", "lemonde.fr", "handelsblatt.com",
    "heise.de", "dpa.com", "afp.com", "businesswire.com", "prnewswire.com", "globenewswire.com",
    "sec.gov", "hkexnews.hk", "fool.com",
})
_SECOND_LEVEL = {"co", "com", "net", "org", "gov", "ac", "edu"}


def outlet_of(url: str, publisher: str | None = None) -> str:
    """The outlet behind a URL: its registrable domain ("reuters.com", "scmp.com", "bbc.co.uk")."""
    host = (urlsplit(url).hostname or "").lower().rstrip(".")
    if not host:
        return (publisher or "unknown").strip().lower()
    labels = host.split(".")
    if len(labels) >= 3 and labels[-2] in _SECOND_LEVEL and len(labels[-1]) == 2:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


def is_first_party(url: str, company: str) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    return any(host == d or host.endswith("." + d) for d in FIRST_PARTY_DOMAINS.get(company, ()))


@dataclass(frozen=True)
class SourceRef:
    """One outlet carrying the statement."""

    article_id: str
    url: str
    outlet: str
    lang: str = "en"
    publisher: str = ""
    first_party: bool = False
    reliable: bool = False
    seen_at: str = ""  # ISO timestamp

    def to_json(self) -> dict[str, Any]:
        return {"article_id": self.article_id, "url": self.url, "outlet": self.outlet, "lang": self.lang,
                "publisher": self.publisher, "first_party": self.first_party, "reliable": self.reliable,
                "seen_at": self.seen_at}

    @classmethod
    def from_json(cls, obj: dict[str, Any]) -> SourceRef:
        return cls(article_id=str(obj["article_id"]), url=str(obj["url"]), outlet=str(obj["outlet"]),
                   lang=str(obj.get("lang", "en")), publisher=str(obj.get("publisher", "")),
                   first_party=bool(obj.get("first_party")), reliable=bool(obj.get("reliable")),
                   seen_at=str(obj.get("seen_at", "")))


def source_ref(article_id: str, url: str, publisher: str | None, lang: str, company: str, *,
               seen_at: datetime, first_party: bool | None = None, reliable: bool | None = None) -> SourceRef:
    """A SourceRef with outlet, first-party and reliability worked out from the URL unless given
    (a sources.yaml flag for a company feed should win: pass first_party=True)."""
    outlet = outlet_of(url, publisher)
    first = is_first_party(url, company) if first_party is None else first_party
    trusted = (outlet in RELIABLE_OUTLETS or first) if reliable is None else reliable
    return SourceRef(article_id, url, outlet, lang, publisher or "", first, trusted, seen_at.isoformat())


@dataclass(frozen=True)
class Story:
    """One statement (company, metric, period, scope, figure) and every outlet that carried it."""

    id: str
    company: str
    metric: str
    period_code: str
    scope: str | None
    figure: Figure | None
    direction: Direction | None
    currency: str | None
    verdict: Verdict
    baseline_id: str | None
    status: StoryStatus
    opened_at: str  # ISO timestamp
    sources: tuple[SourceRef, ...] = field(default=())
    # What the alert line says (compare.assessment_facts); bot.delivery.headline renders it at send time.
    facts: dict[str, Any] | None = field(default=None, compare=False)
    # Stories saved before facts were stored carry their line, rendered then, without the source count.
    text: str = ""

    @property
    def outlets(self) -> frozenset[str]:
        return frozenset(s.outlet for s in self.sources)

    @property
    def confirmed(self) -> bool:
        """First-party, or two outlets, or one reliable outlet."""
        return any(s.first_party for s in self.sources) or len(self.outlets) >= 2 \
            or any(s.reliable for s in self.sources)

    def ordered_sources(self) -> tuple[SourceRef, ...]:
        """First-party first, then reliable outlets, then the rest; arrival order within each."""
        def rank(pair: tuple[int, SourceRef]) -> tuple[int, int]:
            index, source = pair
            return (0 if source.first_party else 1 if source.reliable else 2, index)

        return tuple(source for _, source in sorted(enumerate(self.sources), key=rank))

    def to_json(self) -> dict[str, Any]:
        figure = None if self.figure is None else {
            "family": self.figure.family, "low": self.figure.low, "high": self.figure.high,
            "floor": self.figure.floor}
        return {
            "id": self.id, "company": self.company, "metric": self.metric, "period_code": self.period_code,
            "scope": self.scope, "figure": figure, "direction": self.direction, "currency": self.currency,
            "verdict": self.verdict, "baseline_id": self.baseline_id, "status": self.status,
            "opened_at": self.opened_at, "sources": [s.to_json() for s in self.sources],
            **({"facts": self.facts} if self.facts is not None else {"text": self.text}),
        }

    @classmethod
    def from_json(cls, obj: dict[str, Any]) -> Story:
        raw = obj.get("figure")
        figure = None if raw is None else Figure(str(raw["family"]), float(raw["low"]),
                                                 None if raw.get("high") is None else float(raw["high"]),
                                                 bool(raw.get("floor")))
        return cls(
            id=str(obj["id"]), company=str(obj["company"]), metric=str(obj["metric"]),
            period_code=str(obj["period_code"]), scope=obj.get("scope"), figure=figure,
            direction=obj.get("direction"), currency=obj.get("currency"), verdict=obj["verdict"],
            baseline_id=obj.get("baseline_id"), status=obj["status"], opened_at=str(obj["opened_at"]),
            sources=tuple(SourceRef.from_json(s) for s in obj.get("sources", [])),
            facts=obj.get("facts"), text=str(obj.get("text") or ""),
        )


# -------------------------------------------------------------------------------------------- intents


@dataclass(frozen=True)
class NewStory:
    story: Story
    alert: bool
    held: bool
    ledger_entry: LedgerEntry | None
    reason: str


@dataclass(frozen=True)
class JoinStory:
    story: Story
    source: SourceRef
    reason: str


@dataclass(frozen=True)
class ConfirmStory:
    story: Story
    ledger_entry: LedgerEntry | None
    reason: str


@dataclass(frozen=True)
class ReleaseUnconfirmed:
    story: Story


@dataclass(frozen=True)
class Duplicate:
    story_id: str


Intent = NewStory | JoinStory | ConfirmStory | Duplicate


@dataclass(frozen=True)
class Policy:
    alert_verdicts: frozenset[str] = frozenset({"new", "raised", "lowered", "horizon_changed"})
    window_days: int = 7  # a story older than this is not joined any more
    hold_hours: int = 48  # how long a single low-confidence change waits for confirmation
    same_currency_tolerance_pct: float = 0.5


DEFAULT_POLICY = Policy()


def same_statement(story: Story, assessment: Assessment, tolerance_pct: float,
                   policy: Policy = DEFAULT_POLICY) -> bool:
    """Whether an assessed claim states the same thing as a story (never two different figures)."""
    claim = assessment.claim
    if (story.company, story.metric, story.period_code, story.scope) != (
            claim.company, assessment.metric, assessment.period.code, assessment.scope):
        return False
    a, b = story.figure, assessment.figure
    if a is None or b is None:
        return a is None and b is None and story.direction == assessment.direction
    if a.family != b.family or a.floor != b.floor or (a.high is None) != (b.high is None):
        return False
    same_currency = (story.currency or "") == (claim.currency or "") or a.family == GROWTH
    tolerance = policy.same_currency_tolerance_pct if same_currency else tolerance_pct
    return within_pct(a.low, b.low, tolerance) and (
        a.high is None or b.high is None or within_pct(a.high, b.high, tolerance))


def _story_id(assessment: Assessment, source: SourceRef) -> str:
    seed = "|".join((source.article_id, assessment.claim.quote, assessment.metric, assessment.period.code))
    return "st-" + hashlib.sha1(seed.encode("utf-8")).hexdigest()[:12]


def _confidence(story: Story) -> Confidence:
    if any(s.first_party for s in story.sources) or len(story.outlets) >= 2:
        return "H"
    return "M" if any(s.reliable for s in story.sources) else "L"


def _ledger_entry(assessment: Assessment, story: Story) -> LedgerEntry | None:
    if assessment.verdict == "restated":
        return None
    ordered = story.ordered_sources()
    lead = ordered[0]
    stated_on = lead.seen_at[:10] if lead.seen_at else story.opened_at[:10]
    return entry_from_assessment(
        assessment, entry_id=f"{story.company}-{story.id}", stated_on=stated_on, source_url=lead.url,
        source=lead.publisher or lead.outlet, confidence=_confidence(story),
        extra_sources=tuple(s.url for s in ordered[1:]))


def _opened(story: Story) -> datetime | None:
    try:
        return datetime.fromisoformat(story.opened_at)
    except ValueError:
        return None


def decide(assessment: Assessment, source: SourceRef, open_stories: Sequence[Story], now: datetime,
           ledger: Ledger, policy: Policy = DEFAULT_POLICY) -> Intent:
    """The intent for one assessed claim from one source, given the stories still open."""
    window_start = now - timedelta(days=policy.window_days)
    for story in open_stories:
        opened = _opened(story)
        if opened is not None and opened.replace(tzinfo=None) < window_start.replace(tzinfo=None):
            continue
        if not same_statement(story, assessment, ledger.tolerance_pct, policy):
            continue
        if source.outlet in story.outlets:
            return Duplicate(story.id)
        grown = replace(story, sources=(*story.sources, source))
        if story.status == "held" and grown.confirmed:
            confirmed = replace(grown, status="alerted")
            why = "first-party source" if source.first_party else "second outlet"
            return ConfirmStory(confirmed, _ledger_entry(assessment, confirmed), f"confirmed by {why}")
        return JoinStory(grown, source, reason=f"same statement, {len(grown.outlets)} outlets")
    story = Story(
        id=_story_id(assessment, source), company=assessment.claim.company, metric=assessment.metric,
        period_code=assessment.period.code, scope=assessment.scope, figure=assessment.figure,
        direction=assessment.direction, currency=assessment.claim.currency, verdict=assessment.verdict,
        baseline_id=assessment.baseline.id if assessment.baseline else None,
        facts=assessment_facts(assessment, ledger), status="silent", opened_at=now.isoformat(),
        sources=(source,),
    )
    if assessment.verdict not in policy.alert_verdicts or not _worth_alerting(assessment):
        return NewStory(story, alert=False, held=False, ledger_entry=None,
                        reason=f"{assessment.verdict}: nothing to tell")
    if story.confirmed:
        alerted = replace(story, status="alerted")
        return NewStory(alerted, alert=True, held=False, ledger_entry=_ledger_entry(assessment, alerted),
                        reason="change from a confirmed source")
    return NewStory(replace(story, status="held"), alert=False, held=True, ledger_entry=None,
                    reason="single low-confidence source: held for confirmation")


def _worth_alerting(assessment: Assessment) -> bool:
    # A "new" statement with neither a figure nor a known period ("cloud growth slowed") is not news
    # anyone can act on; it still gathers sources silently.
    if assessment.verdict == "new" and assessment.figure is None and not assessment.period.known:
        return False
    return assessment.baseline is None or assessment.baseline.alert


def release_held(stories: Sequence[Story], now: datetime,
                 policy: Policy = DEFAULT_POLICY) -> list[ReleaseUnconfirmed]:
    """Held stories that waited `hold_hours`: send them marked unconfirmed."""
    released = []
    for story in stories:
        opened = _opened(story)
        waited = None if opened is None else now.replace(tzinfo=None) - opened.replace(tzinfo=None)
        if story.status == "held" and waited is not None and waited >= timedelta(hours=policy.hold_hours):
            released.append(ReleaseUnconfirmed(replace(story, status="released")))
    return released
