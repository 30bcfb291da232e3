"""Story clustering and confirmation: one statement, many outlets, one alert; changes wait for a second."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from bot.alerts.stories import (
    ConfirmStory,
    Duplicate,
    JoinStory,
    NewStory,
    Story,
    decide,
    outlet_of,
    release_held,
    source_ref,
)
from bot.analysis.compare import assess
from bot.delivery.headline import headline_of
from bot.ledger.entries import Ledger, load_ledger
from bot.model import Claim

NOW = datetime(2025, 10, 30, 12, 0)


@pytest.fixture(scope="module")
def ledger() -> Ledger:
    return load_ledger()


def google_raise(article: str, quote: str, low: float = 91e9, high: float | None = 93e9) -> Claim:
    return Claim(article, "google", "capex", quote, low, high, "USD", None, None, "2025")


Item = tuple[Claim, str, str, str]


def run(ledger: Ledger, items: list[Item], now: datetime = NOW) -> tuple[list[Story], list[object]]:
    """Feed (claim, url, publisher, lang) through decide() as the pipeline does; stories and intents."""
    stories: dict[str, Story] = {}
    intents: list[object] = []
    for offset, (claim, url, publisher, lang) in enumerate(items):
        at = now + timedelta(minutes=offset)
        source = source_ref(claim.article_id, url, publisher, lang, claim.company, seen_at=at)
        intent = decide(assess(claim, ledger, at.date()), source, list(stories.values()), at, ledger)
        intents.append(intent)
        if isinstance(intent, NewStory | JoinStory | ConfirmStory):
            stories[intent.story.id] = intent.story
    return list(stories.values()), intents


def test_same_figure_in_three_languages_is_one_story_first_party_first(ledger: Ledger) -> None:
    stories, intents = run(ledger, [
        (google_raise("en1", "Alphabet raised its 2025 capex outlook to $91 billion to $93 billion."),
         "https://www.reuters.com/technology/alphabet-capex", "Reuters", "en"),
        (google_raise("fr1", "Alphabet prévoit désormais 91 à 93 milliards de dollars "
                      "d'investissements en 2025."),
         "https://www.lemagit.fr/actualites/alphabet", "LeMagIT", "fr"),
        (google_raise("de1", "Alphabet erwartet 2025 Investitionen von 91 bis 93 Milliarden Dollar."),
         "https://www.heise.de/news/alphabet", "heise", "de"),
        (google_raise("ir1", "We now expect 2025 capital expenditures of $91 billion to $93 billion."),
         "https://abc.xyz/investor/q3-2025", "Alphabet", "en"),
    ])
    assert len(stories) == 1
    first = intents[0]
    assert isinstance(first, NewStory) and first.alert and not first.held
    assert first.ledger_entry is not None and first.ledger_entry.supersedes == "google-capex-2025-jul"
    assert all(isinstance(i, JoinStory) for i in intents[1:])
    story = stories[0]
    assert [s.lang for s in story.sources] == ["en", "fr", "de", "en"]
    assert story.ordered_sources()[0].first_party and story.ordered_sources()[0].outlet == "abc.xyz"
    assert headline_of(story) == ("Alphabet 2025 capex guidance raised: $85 bn → $91–93 bn (+8 %) · "
                                  "Apsara baseline $85 bn · 4 sources")


def test_a_figure_and_its_conversion_are_one_story_but_different_figures_never_merge(ledger: Ledger) -> None:
    def alibaba(article: str, amount: float, currency: str) -> Claim:
        return Claim(article, "alibaba", "capex", "Alibaba will invest in AI infrastructure over three "
                     "years.", amount, None, currency, None, None, "three years")

    stories, _ = run(ledger, [
        (alibaba("zh1", 480e9, "CNY"), "https://www.yicai.com/news/1", "Yicai", "zh"),
        # 480 bn yuan converted to dollars, then a different figure
        (alibaba("en1", 67.5e9, "USD"), "https://www.scmp.com/tech/1", "SCMP", "en"),
        (alibaba("en2", 500e9, "CNY"), "https://www.caixinglobal.com/2", "Caixin", "en"),
    ])
    assert len(stories) == 2
    assert sorted(len(s.sources) for s in stories) == [1, 2]
    # the same currency must match exactly: $85 bn and $88 bn are two statements
    stories, _ = run(ledger, [
        (google_raise("a", "Alphabet sees 2025 capex of $88 billion.", 88e9, None),
         "https://www.cnbc.com/a", "CNBC", "en"),
        (google_raise("b", "Alphabet sees 2025 capex of $90 billion.", 90e9, None),
         "https://www.cnbc.com/b", "CNBC", "en"),
    ])
    assert len(stories) == 2


def test_single_low_confidence_change_is_held_until_a_second_outlet(ledger: Ledger) -> None:
    blog = google_raise("b1", "Alphabet is said to lift its 2025 capex plan to $91-93 billion.")
    stories, intents = run(ledger, [(blog, "https://some-ai-blog.example/post", "AI Blog", "en")])
    held = intents[0]
    assert isinstance(held, NewStory) and held.held and not held.alert and held.ledger_entry is None
    assert stories[0].status == "held"
    # the same outlet again is a duplicate, not a confirmation
    again = decide(assess(blog, ledger, NOW.date()),
                   source_ref("b2", "https://some-ai-blog.example/other", "AI Blog", "en", "google",
                              seen_at=NOW),
                   stories, NOW, ledger)
    assert isinstance(again, Duplicate)
    confirm = decide(assess(blog, ledger, NOW.date()),
                     source_ref("c1", "https://another-site.example/x", "Other", "en", "google", seen_at=NOW),
                     stories, NOW, ledger)
    assert isinstance(confirm, ConfirmStory) and confirm.story.status == "alerted"
    assert confirm.ledger_entry is not None and confirm.ledger_entry.confidence == "H"


def test_held_story_is_released_unconfirmed_after_the_hold(ledger: Ledger) -> None:
    blog = google_raise("b1", "Alphabet is said to lift its 2025 capex plan to $91-93 billion.")
    stories, _ = run(ledger, [(blog, "https://some-ai-blog.example/post", "AI Blog", "en")])
    assert release_held(stories, NOW + timedelta(hours=47)) == []
    [released] = release_held(stories, NOW + timedelta(hours=49))
    assert released.story.status == "released"
    assert headline_of(released.story).endswith("· 1 source · unconfirmed")


def test_first_party_confirms_alone_and_restatements_never_alert(ledger: Ledger) -> None:
    _, intents = run(ledger, [(google_raise("ir", "We expect 2025 capex of $91-93 billion."),
                               "https://blog.google/inside-google/company-announcements/q3", "Google", "en")])
    assert isinstance(intents[0], NewStory) and intents[0].alert
    restated = Claim("r1", "google", "capex", "Alphabet expects about $85 billion of capex in 2025.", 85e9,
                     None, "USD", None, None, "2025")
    _, intents = run(ledger, [(restated, "https://www.reuters.com/a", "Reuters", "en")],
                     now=datetime(2025, 8, 1))
    assert isinstance(intents[0], NewStory) and not intents[0].alert and not intents[0].held


def test_story_round_trips_through_json(ledger: Ledger) -> None:
    stories, _ = run(ledger, [
        (google_raise("en1", "Alphabet raised its 2025 capex outlook to $91 billion to $93 billion."),
         "https://www.reuters.com/technology/alphabet-capex", "Reuters", "en"),
    ])
    assert Story.from_json(stories[0].to_json()) == stories[0]


@pytest.mark.parametrize(("url", "outlet"), [
    ("https://www.reuters.com/a/b", "reuters.com"),
    ("https://m.scmp.com/tech", "scmp.com"),
    ("https://news.bbc.co.uk/x", "bbc.co.uk"),
    ("https://blog.google/x", "blog.google"),
])
def test_outlet_of(url: str, outlet: str) -> None:
    assert outlet_of(url) == outlet
