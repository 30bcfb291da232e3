"""Alert messages as Telegram HTML (and plain text for the console). Pure.

Every piece of text that came from a feed or a page is escaped: Telegram's HTML mode accepts only a
few tags, and one stray `<` from a headline would make it reject the whole message.
"""

from __future__ import annotations

import html
import re

from bot.alerts.stories import Story
from bot.delivery.headline import headline_of
from bot.model.records import AlertView

TELEGRAM_LIMIT = 4096
_QUOTE_MAX = 600


def _shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def safe_url(url: str | None) -> str | None:
    """Only http(s) links are rendered as links; anything else (javascript:, data:) is dropped."""
    return url if url and re.match(r"https?://", url, re.IGNORECASE) else None


def alert_parts(alert: AlertView) -> tuple[str, list[tuple[str, str | None]]]:
    """The headline with its source count, and (outlet label, url) per source, first-party first."""
    if alert.story is None:  # an alert without a saved story (should not happen): say what we know
        return alert.headline, []
    story = Story.from_json(alert.story)
    sources = [(ref.publisher or ref.outlet, ref.url or None) for ref in story.ordered_sources()]
    return headline_of(story), sources


def render_alert_html(alert: AlertView) -> str:
    """The Telegram HTML message for one alert."""
    headline, sources = alert_parts(alert)
    lines = [f"<b>{html.escape(headline)}</b>"]
    for quote in alert.quotes[:2]:
        lines.append(f"<blockquote>{html.escape(_shorten(quote, _QUOTE_MAX))}</blockquote>")
    links = []
    for label, url in sources:
        text = html.escape(_shorten(label, 60))
        safe = safe_url(url)
        links.append(f'<a href="{html.escape(safe, quote=True)}">{text}</a>' if safe else text)
    if links:
        lines.append("Sources: " + " · ".join(links))
    lines.append(f"/why {alert.id}")
    return "\n".join(lines)


def render_alerts_html(alerts: list[AlertView]) -> str:
    """One message for a burst of alerts to one chat: a count, then each alert, a blank line apart."""
    if len(alerts) == 1:
        return render_alert_html(alerts[0])
    return f"<b>{len(alerts)} new alerts</b>\n\n" + "\n\n".join(render_alert_html(a) for a in alerts)


def render_alert_text(alert: AlertView) -> str:
    """The same alert as plain text (console delivery, and the fallback when Telegram rejects markup)."""
    headline, sources = alert_parts(alert)
    lines = [headline]
    lines += [f"  “{_shorten(q, _QUOTE_MAX)}”" for q in alert.quotes[:2]]
    lines += [f"  - {label} {url or ''}".rstrip() for label, url in sources]
    return "\n".join(lines)


def html_to_plain(text: str) -> str:
    """Telegram HTML back to plain text, for resending a message whose markup was refused."""
    return html.unescape(re.sub(r"<[^<>]{0,2000}>", "", text))


def split_message(text: str, limit: int = TELEGRAM_LIMIT) -> list[str]:
    """Split a message into parts of at most `limit` characters without breaking tags or entities.

    Splits at the last blank line, newline or space before the limit; never inside `<...>` or
    `&...;`. Tags open at the split point are closed at the end of a part and reopened in the next.
    """
    parts: list[str] = []
    rest = text
    carry = ""
    while len(carry) + len(rest) > limit:
        room = limit - len(carry)
        cut = _safe_cut(rest, room, room)
        # reserve room for the closing tags this part will need, moving back to a safe boundary again
        # (a word cut in half to fit "</b>" was a real bug: tests/test_delivery.py's 6,000-character alert)
        while True:
            part = carry + rest[:cut]
            open_tags = _open_tags(part)
            closing = "".join(f"</{name}>" for name, _ in reversed(open_tags))
            if len(part) + len(closing) <= limit or cut <= 1:
                break
            cut = max(1, cut - (len(part) + len(closing) - limit))
            cut = _safe_cut(rest, cut, room)
        parts.append(part + closing)
        rest = rest[cut:].lstrip(" \n") if rest[cut:cut + 1] in (" ", "\n") else rest[cut:]
        carry = "".join(tag for _, tag in open_tags)
    parts.append(carry + rest)
    return [p for p in parts if p.strip()]


def _safe_cut(rest: str, cut: int, room: int) -> int:
    """The last separator at or before `cut` (if not too early), never inside a tag or an entity."""
    window = rest[:cut]
    for sep in ("\n\n", "\n", " "):
        found = window.rfind(sep)
        if found > room // 4:
            cut = found
            break
    lt, gt = window.rfind("<", 0, cut), window.rfind(">", 0, cut)
    if lt > gt:
        cut = lt
    amp, semi = window.rfind("&", 0, cut), window.rfind(";", 0, cut)
    if amp > semi and cut - amp < 10:
        cut = amp
    return max(1, cut)


_TAG = re.compile(r"<(/?)([a-zA-Z-]{1,20})([^<>]{0,2000})>")


def _open_tags(text: str) -> list[tuple[str, str]]:
    """Tags left open at the end of `text`, as (name, full opening tag), outermost first."""
    stack: list[tuple[str, str]] = []
    for m in _TAG.finditer(text):
        closing, name = m.group(1), m.group(2).lower()
        if closing:
            for i in range(len(stack) - 1, -1, -1):
                if stack[i][0] == name:
                    del stack[i:]
                    break
        else:
            stack.append((name, m.group(0)))
    return stack
