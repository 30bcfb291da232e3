"""Judging an article's claims: stories across outlets and languages, holds, restatements. Literal inputs."""

from datetime import UTC, datetime, timedelta

from bot.alerts.judge import judge_article, release_waiting
from bot.alerts.stories import Story
from bot.ingest.sources import Source
from bot.ledger.entries import load_ledger
from bot.model import Article, Claim

NOW = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
LEDGER = load_ledger()


def source(kind: str, sid: str = "s") -> Source:
    return Source(id=sid, name=sid.title(), url=f"https://{sid}.example/feed", lang="en", poll_minutes=30, kind=kind)


def article(aid: str, url: str, lang: str = "en", date: str = "2026-11-19") -> Article:
    return Article(id=aid, url=url, lang=lang, text="…", title=None, publisher=None, date=date)


def tencent_claim(aid: str, amount: float, currency: str, quote: str) -> Claim:
    return Claim(article_id=aid, company="tencent", topic="capex", quote=quote, amount=amount,
                 currency=currency, period="2027")


def test_the_same_figure_in_three_languages_is_one_story_and_one_alert():
    stories: dict[str, Story] = {}
    alerts = []
    inputs = [
        (article("en1", "https://www.reuters.com/tech/a", "en"), tencent_claim(
            "en1", 14e9, "USD", "Tencent plans to spend $14 billion on AI infrastructure in 2027.")),
        (article("zh1", "https://www.36kr.com/p/1", "zh"), tencent_claim(
            "zh1", 100e9, "CNY", "腾讯计划2027年在AI基础设施上投入1000亿元。")),
        (article("fr1", "https://www.lesechos.fr/tech/x", "fr"), tencent_claim(
            "fr1", 14e9, "USD", "Tencent prévoit d'investir 14 milliards de dollars en 2027.")),
    ]
    for art, claim in inputs:
        decisions = judge_article([claim], art, source("press"), LEDGER, list(stories.values()), NOW)
        stories.update(decisions.stories)
        alerts += decisions.alerts
    assert len(alerts) == 1
    [story] = stories.values()
    assert sorted(s.outlet for s in story.sources) == ["36kr.com", "lesechos.fr", "reuters.com"]


def test_two_different_figures_are_never_merged():
    first = judge_article([tencent_claim("a", 14e9, "USD", "Tencent will spend $14 billion in 2027.")],
                          article("a", "https://www.reuters.com/a"), source("press"), LEDGER, [], NOW)
    second = judge_article([tencent_claim("b", 15e9, "USD", "Tencent will spend $15 billion in 2027.")],
                           article("b", "https://www.cnbc.com/b"), source("press"), LEDGER,
                           list(first.stories.values()), NOW)
    assert len(first.alerts) == len(second.alerts) == 1
    assert first.alerts[0].story_key != second.alerts[0].story_key


def test_a_single_unknown_outlet_is_held_until_a_second_outlet_confirms():
    claim = tencent_claim("g1", 14e9, "USD", "Tencent will spend $14 billion in 2027.")
    held = judge_article([claim], article("g1", "https://smallblog.example/post"), source("aggregator", "gn"),
                         LEDGER, [], NOW)
    assert held.alerts == []
    [story] = held.stories.values()
    assert story.status == "held"
    confirmed = judge_article([tencent_claim("g2", 14e9, "USD", "Tencent to invest $14bn in 2027.")],
                              article("g2", "https://otherblog.example/x"), source("aggregator", "gn"),
                              LEDGER, [story], NOW + timedelta(hours=1))
    assert [a.story_key for a in confirmed.alerts] == [story.id]
    assert confirmed.ledger_entries and confirmed.ledger_entries[0].company == "tencent"


def test_an_unconfirmed_hold_is_released_after_the_window():
    claim = tencent_claim("g1", 14e9, "USD", "Tencent will spend $14 billion in 2027.")
    held = judge_article([claim], article("g1", "https://smallblog.example/post"), source("aggregator", "gn"),
                         LEDGER, [], NOW)
    stories = list(held.stories.values())
    assert release_waiting(stories, NOW + timedelta(hours=1)) == []
    [released] = release_waiting(stories, NOW + timedelta(hours=49))
    assert released.status == "released"


def test_a_restated_baseline_figure_gathers_sources_but_does_not_alert():
    claim = Claim(article_id="r", company="alibaba", topic="capex", amount=380e9, currency="CNY",
                  period="next three years",
                  quote="Alibaba reiterated its plan to invest 380 billion yuan over the next three years.")
    decisions = judge_article([claim], article("r", "https://www.scmp.com/r", date="2025-10-01"),
                              source("press"), LEDGER, [], NOW)
    assert decisions.alerts == []
    assert decisions.claims[0].claim.verdict == "restated"
