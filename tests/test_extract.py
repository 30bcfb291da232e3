"""extract_page / choose_text on invented pages; extract_in_thread's timeout and concurrency bound."""

from __future__ import annotations

import asyncio
import threading
import time
from pathlib import Path

import pytest

import bot.ingest.extract as extract_module
from bot.ingest.extract import ExtractedPage, choose_text, extract_in_thread, extract_page, looks_paywalled
from bot.ingest.feeds import FeedEntry

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "ingest"
URL = "https://gazette.example/news/northwind-budget"

ARTICLE_TEXT = (
    "Northwind Cloud to triple its server budget\n"
    "Northwind Cloud, a fictional provider invented for this test, said on Tuesday that it plans to triple "
    "its spending on servers and cooling equipment over the next three fiscal years, as demand for rented "
    "computing keeps outgrowing the capacity of its existing halls in the river valley.\n"
    "Chief financial officer Dana Quill told analysts on the quarterly call that the company would invest "
    "42 billion marks in new facilities by 2029, compared with 14 billion marks over the previous three "
    "years. The plan includes two campuses near the lake and a converted paper mill.\n"
    "The company also signed a fifteen-year agreement to buy electricity from a wind farm that is still "
    "being built on the northern ridge. Quill said the agreement would cover roughly half of the power the "
    "new campuses are expected to draw once they are running at full load.\n"
    "Analysts at the equally imaginary Lantern Research said the budget was larger than they had expected, "
    "and that the pace of construction would depend on how quickly the regional grid operator can connect "
    "the sites. Connection requests in the valley now wait about two years.\n"
    "Northwind's shares rose four percent in early trading after the announcement, the largest one-day "
    "gain since the spring, while two rival providers said they would publish their own spending plans "
    "with their results next month.")


def _entry(summary: str = "Northwind will spend more on servers.",
           title: str = "Northwind budget") -> FeedEntry:
    return FeedEntry(key="k", title=title, link=URL, summary=summary, published=None)


def test_article_page_gives_main_text_without_boilerplate() -> None:
    page = extract_page((FIXTURES / "article.html").read_bytes(), URL)
    assert page == ExtractedPage(title="Northwind Cloud to triple its server budget", text=ARTICLE_TEXT,
                                 date="2026-11-10", lang=None)


def test_paywall_stub_is_extracted_but_recognised() -> None:
    page = extract_page((FIXTURES / "paywall.html").read_bytes(), "https://ledger.example/lakeside")
    assert page is not None
    assert page.text == ("Lakeside Power doubles grid order\n"
                         "Lakeside Power, an invented utility, said it would double its order of "
                         "transformers for the data-centre corridor.\n"
                         "Subscribe to continue reading. Already a subscriber? Sign in.")
    assert looks_paywalled(page.text)


@pytest.mark.parametrize("body", [b"", b"   ", b"%PDF-1.7\n\x00\x01binary", b"<html><body></body></html>",
                                  b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"])
def test_no_article_gives_none(body: bytes) -> None:
    assert extract_page(body, URL) is None


def test_choose_text_prefers_a_full_page() -> None:
    page = ExtractedPage(title="t", text=ARTICLE_TEXT, date=None, lang=None)
    assert choose_text(page, _entry()) == (ARTICLE_TEXT, "page")


def test_choose_text_falls_back_to_summary_when_paywalled() -> None:
    page = extract_page((FIXTURES / "paywall.html").read_bytes(), "https://ledger.example/lakeside")
    entry = _entry(summary="Lakeside Power will double its transformer order, the utility said.")
    assert choose_text(page, entry) == ("Lakeside Power will double its transformer order, the utility said.",
                                        "summary")


def test_choose_text_falls_back_to_summary_when_extraction_failed() -> None:
    assert choose_text(None, _entry()) == ("Northwind will spend more on servers.", "summary")


def test_choose_text_uses_the_title_when_there_is_nothing_else() -> None:
    # Google News items: headline only
    assert choose_text(None, _entry(summary="", title="Atlas to spend $9bn on data centres")) == (
        "Atlas to spend $9bn on data centres", "summary")


def test_choose_text_short_page_loses_to_a_longer_summary_and_wins_over_a_shorter_one() -> None:
    page = ExtractedPage(title=None, text="Short page text about the budget.", date=None, lang=None)
    long_summary = "A summary that is longer than the page text, with the figure in it: 42 billion marks."
    assert choose_text(page, _entry(summary=long_summary)) == (long_summary, "summary")
    assert choose_text(page, _entry(summary="Tiny.")) == ("Short page text about the budget.", "page")


@pytest.mark.parametrize(("text", "paywalled"), [
    ("Dies ist ein Auszug. Jetzt abonnieren und weiterlesen.", True),
    ("Cet article est réservé aux abonnés.", True),
    ("この記事は会員限定です。続きを読むにはログインしてください。", True),
    ("本文为付费内容，订阅后阅读全文。", True),
    ("A normal short note about a new data centre.", False),
    # 1,500+ characters: an article whose footer happens to say "subscribe"
    (ARTICLE_TEXT * 2 + " Subscribe to continue reading our newsletter.", False),
])
def test_looks_paywalled(text: str, paywalled: bool) -> None:
    assert looks_paywalled(text) is paywalled


async def test_extract_in_thread_returns_the_page() -> None:
    page = await extract_in_thread((FIXTURES / "article.html").read_bytes(), URL)
    assert page is not None and page.text == ARTICLE_TEXT


async def test_extract_in_thread_times_out_and_bounds_threads(monkeypatch: pytest.MonkeyPatch) -> None:
    release = threading.Event()
    running = 0
    most_running = 0
    lock = threading.Lock()

    def stuck_extraction(html: bytes, url: str) -> ExtractedPage | None:
        nonlocal running, most_running
        with lock:
            running += 1
            most_running = max(most_running, running)
        release.wait(5)
        with lock:
            running -= 1
        return None

    monkeypatch.setattr(extract_module, "extract_page", stuck_extraction)
    started = time.monotonic()
    results = await asyncio.gather(*(extract_in_thread(b"<html/>", URL, timeout=0.3) for _ in range(2)))
    assert results == [None, None]
    assert time.monotonic() - started < 2
    # Both threads still run after their callers gave up: a third call must wait for a slot.
    third = asyncio.ensure_future(extract_in_thread(b"<html/>", URL, timeout=0.3))
    await asyncio.sleep(0.1)
    assert most_running == 2
    release.set()
    assert await third is None
    assert most_running == 2
