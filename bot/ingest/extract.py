"""Article page bytes -> main text (trafilatura), and the choice between page text and feed summary.

`extract_page` and `choose_text` are pure. `extract_in_thread` runs `extract_page` off the event loop:
trafilatura is CPU-bound (20 ms median, seconds on table-heavy pages; libraries.md §3.3), and a
thread cannot be killed, so at most EXTRACTION_THREADS run at once and a slot is only freed when its
thread really ends, even after the caller stopped waiting for it.
"""

from __future__ import annotations

import asyncio
import logging
import re
import weakref
from dataclasses import dataclass
from typing import Final

from trafilatura import bare_extraction
from trafilatura.meta import reset_caches

from bot.ingest.feeds import FeedEntry

log = logging.getLogger(__name__)

EXTRACTION_THREADS: Final = 2
# Below this many characters a favor_precision result is often a fragment: try once with recall.
RECALL_RETRY_CHARS: Final = 250
# trafilatura/htmldate keep module caches that grow with distinct pages (trafilatura issue #216).
RESET_CACHES_EVERY: Final = 500
# A page this long is an article even if its footer says "subscribe"; shorter ones are checked for cues.
PAYWALL_SUSPECT_CHARS: Final = 1500

# Phrases paywall stubs show in place of the article (en, de, fr, zh, ja). Lower-case.
PAYWALL_CUES: Final = (
    "subscribe to continue", "subscribe to read", "subscribers only", "for subscribers",
    "to continue reading", "continue reading with", "already a subscriber", "already have an account",
    "sign in to read", "log in to read", "this article is for", "premium content", "become a member",
    "start your free trial", "unlock this article",
    "jetzt abonnieren", "weiterlesen mit", "nur für abonnenten", "abonnenten vorbehalten", "heise+",
    "réservé aux abonnés", "article réservé", "abonnez-vous", "déjà abonné",
    "订阅后阅读", "付费阅读", "登录后阅读", "会员专享", "付费内容",
    "会員限定", "有料会員", "続きを読むには", "この記事は会員", "ログインして続きを",
)
_PAYWALL_CUE = re.compile("|".join(re.escape(cue) for cue in PAYWALL_CUES))


@dataclass(frozen=True)
class ExtractedPage:
    title: str | None
    text: str
    date: str | None  # "YYYY-MM-DD" from the page (htmldate); prefer the feed's date
    lang: str | None  # only when trafilatura can detect it (py3langid installed)


def extract_page(html: bytes, url: str) -> ExtractedPage | None:
    """The main text and metadata of an article page, or None when no article text is found."""
    if not html.strip() or _looks_binary(html):
        return None
    page = _extract(html, url, favor_recall=False)
    if page is None or len(page.text) < RECALL_RETRY_CHARS:
        second = _extract(html, url, favor_recall=True)
        if second is not None and (page is None or len(second.text) > len(page.text)):
            page = second
    return page


def _extract(html: bytes, url: str, *, favor_recall: bool) -> ExtractedPage | None:
    try:
        document = bare_extraction(
            html, url=url, with_metadata=True, include_comments=False, include_tables=False,
            include_images=False, include_links=False, favor_precision=not favor_recall,
            favor_recall=favor_recall,
            # A global LRU with deduplicate=True makes results depend on earlier pages (§3.2).
            deduplicate=False,
        )
    except Exception:  # trafilatura/lxml raise assorted errors on hostile markup; none may stop a pass
        log.warning("extraction failed for %s", url, exc_info=True)
        return None
    if document is None or isinstance(document, dict):
        return None
    text = (document.text or "").strip()
    if not text:
        return None
    return ExtractedPage(title=(document.title or None), text=text, date=(document.date or None),
                         lang=(document.language or None))


def _looks_binary(data: bytes) -> bool:
    """PDFs, images and archives served as pages: NUL bytes early on (UTF-16 HTML is rare enough)."""
    return b"\0" in data[:1024] and not data.startswith((b"\xff\xfe", b"\xfe\xff"))


_slots: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore] = weakref.WeakKeyDictionary()
_extractions_since_reset = 0


def _slots_for_running_loop() -> asyncio.Semaphore:
    # One semaphore per event loop: an asyncio.Semaphore bound to a closed loop (tests run one loop
    # each) would raise when it next has to wait.
    loop = asyncio.get_running_loop()
    slots = _slots.get(loop)
    if slots is None:
        slots = _slots[loop] = asyncio.Semaphore(EXTRACTION_THREADS)
    return slots


async def extract_in_thread(html: bytes, url: str, timeout: float = 20.0) -> ExtractedPage | None:
    """`extract_page` in a worker thread; None if it finds nothing or takes longer than `timeout` s."""
    slots = _slots_for_running_loop()
    await slots.acquire()
    try:
        task = asyncio.ensure_future(asyncio.to_thread(_extract_and_count, html, url))
    except BaseException:
        slots.release()
        raise
    task.add_done_callback(lambda _: slots.release())
    try:
        # shield: on timeout stop waiting but leave the task, so its slot frees when the thread ends.
        return await asyncio.wait_for(asyncio.shield(task), timeout)
    except TimeoutError:
        log.warning("extraction of %s took longer than %g s; using the feed summary", url, timeout)
        return None


def _extract_and_count(html: bytes, url: str) -> ExtractedPage | None:
    global _extractions_since_reset
    page = extract_page(html, url)
    _extractions_since_reset += 1
    if _extractions_since_reset >= RESET_CACHES_EVERY:
        _extractions_since_reset = 0
        reset_caches()
    return page


def looks_paywalled(text: str) -> bool:
    """A short text carrying a paywall cue ("subscribe to continue", "réservé aux abonnés" ...)."""
    return len(text) < PAYWALL_SUSPECT_CHARS and _PAYWALL_CUE.search(text.lower()) is not None


def choose_text(page: ExtractedPage | None, entry: FeedEntry, min_chars: int = 300) -> tuple[str, str]:
    """The text to look for claims in, and where it came from: 'page' or 'summary'.

    The page wins when it has at least `min_chars` characters and is not a paywall stub. Otherwise
    the longer of page text and feed summary (a paywall stub never wins); with neither, the title,
    because headline-only feeds (Google News) often state the figure in it.
    """
    page_text = page.text if page is not None else ""
    if page_text and looks_paywalled(page_text):
        page_text = ""
    if len(page_text) >= min_chars:
        return page_text, "page"
    if page_text and len(page_text) >= len(entry.summary):
        return page_text, "page"
    return (entry.summary or entry.title), "summary"
