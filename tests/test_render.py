"""Alert rendering and message splitting, with literal inputs."""

from datetime import UTC, datetime

from bot.delivery.render import html_to_plain, render_alert_html, render_alert_text, split_message
from bot.model.records import AlertView
from tests.support.loopback.bot_api import _balanced_html

STORY = {
    "id": "st-1", "company": "google", "metric": "capex_guidance_annual", "period_code": "CY2025", "scope": None,
    "figure": {"family": "USD", "low": 91e9, "high": 93e9, "floor": False}, "direction": None, "currency": "USD",
    "verdict": "raised", "baseline_id": "google-capex-2025-raised",
    "text": "Alphabet 2025 capex guidance raised: $85 bn → $91–93 bn (+8 %) · Apsara baseline $85 bn",
    "status": "alerted", "opened_at": "2026-11-02T00:00:00+00:00",
    "sources": [
        {"article_id": "a", "url": "https://news.example/a?x=1&y=2", "outlet": "news.example", "lang": "en",
         "publisher": "Wire <b>Daily</b>", "first_party": False, "reliable": True, "seen_at": ""},
        {"article_id": "b", "url": "javascript:alert(1)", "outlet": "blog.example", "lang": "en",
         "publisher": "", "first_party": False, "reliable": False, "seen_at": ""},
        {"article_id": "c", "url": "https://abc.xyz/investor", "outlet": "abc.xyz", "lang": "en",
         "publisher": "Alphabet IR", "first_party": True, "reliable": True, "seen_at": ""},
    ],
}


def view(**over):
    base = dict(id=3, headline="unused when the story is known", verdict="raised", company="google", topic="capex",
                created_at=datetime(2026, 11, 2, tzinfo=UTC),
                quotes=("Alphabet now sees <capex> of $91 billion to $93 billion & more.",), story=STORY)
    base.update(over)
    return AlertView(**base)


def test_feed_text_is_escaped_and_links_are_http_only():
    text = render_alert_html(view())
    assert text == (
        "<b>Alphabet 2025 capex guidance raised: $85 bn → $91–93 bn (+8 %) · Apsara baseline $85 bn · 3 sources</b>\n"
        "<blockquote>Alphabet now sees &lt;capex&gt; of $91 billion to $93 billion &amp; more.</blockquote>\n"
        'Sources: <a href="https://abc.xyz/investor">Alphabet IR</a> · '
        '<a href="https://news.example/a?x=1&amp;y=2">Wire &lt;b&gt;Daily&lt;/b&gt;</a> · blog.example\n'
        "/why 3")
    assert _balanced_html(text)


def test_plain_text_keeps_the_words():
    assert render_alert_text(view()).splitlines()[0].startswith("Alphabet 2025 capex guidance raised")
    assert html_to_plain("<b>A &amp; B</b>") == "A & B"


def test_a_6000_character_message_splits_on_safe_boundaries():
    paragraph = "<b>Microsoft</b> adds a region &amp; a campus. " * 35
    text = "\n\n".join([paragraph] * 4)
    assert len(text) > 6000
    parts = split_message(text)
    assert len(parts) == 2
    assert all(len(p) <= 4096 and _balanced_html(p) for p in parts)
    assert html_to_plain("".join(parts)).replace("\n", "") == html_to_plain(text).replace("\n", "")


def test_a_split_inside_a_long_tag_reopens_it():
    text = "<blockquote>" + ("word " * 1000) + "</blockquote>"
    parts = split_message(text, limit=1000)
    assert all(len(p) <= 1000 and p.startswith("<blockquote>") and p.endswith("</blockquote>") for p in parts)
    assert " ".join(html_to_plain(p) for p in parts).split() == ["word"] * 1000


def test_short_messages_are_left_alone():
    assert split_message("hello") == ["hello"]
