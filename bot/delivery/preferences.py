"""What a chat wants to receive, and the /subscribe keyboard that edits it. Pure: no Telegram types here.

    Preferences(companies, topics, level)          stored per chat by bot.store.database
    wants_alert(prefs, company, topic, verdict)    the delivery filter
    keyboard_rows(prefs)                           [[(label, callback_data), ...], ...] with ticks
    apply_callback(prefs, data)                    the new preferences after a button press

Callback data is `sub:c:<company>`, `sub:t:<topic>`, `sub:l:<level>` or `sub:done` (well under Telegram's
64-byte limit); anything else is rejected with PreferenceError, since callback data comes from clients.
"""

from __future__ import annotations

from dataclasses import replace

from bot.errors import BotError
from bot.model import COMPANIES, COMPANY_NAMES, TOPICS
from bot.model.records import LEVELS, Preferences

LEVEL_NAMES: dict[str, str] = {"all": "Every change", "changes": "Raised/lowered only", "digest": "Digest only"}
TOPIC_BUTTONS: dict[str, str] = {"capex": "AI capex", "cloud": "Cloud", "energy": "DC energy"}
# "Raised/lowered only" skips news without a comparable figure (new, horizon moved) and restatements. Since
# issue 12 raised/lowered covers every move: guidance raised or cut, a result that beat or missed its guide,
# a quarter up or down on the previous one beyond the tolerance, a level (backlog, regions) up or down.
CHANGE_VERDICTS = frozenset({"raised", "lowered"})
LEVEL_HELP: dict[str, str] = {
    "all": "every statement with a figure, new ones and restatements included",
    "changes": "guidance raised or cut, results that beat or missed their guide, a period up or down on the "
               "previous one, a backlog or footprint that moved",
    "digest": "no alerts, only the digest",
}
CALLBACK_PREFIX = "sub:"
DONE = "sub:done"


class PreferenceError(BotError, ValueError):
    """Callback data this keyboard never produced."""


def wants_alert(prefs: Preferences, company: str, topic: str, verdict: str) -> bool:
    if prefs.level == "digest" or company not in prefs.companies or topic not in prefs.topics:
        return False
    return prefs.level == "all" or verdict in CHANGE_VERDICTS


def describe(prefs: Preferences) -> str:
    """The state in words, under the keyboard and in /subscribe's answer."""
    companies = ", ".join(COMPANY_NAMES[c] for c in COMPANIES if c in prefs.companies) or "none"
    topics = ", ".join(TOPIC_BUTTONS[t] for t in TOPICS if t in prefs.topics) or "none"
    text = f"Companies: {companies}\nTopics: {topics}\nAlerts: {LEVEL_NAMES[prefs.level]} ({LEVEL_HELP[prefs.level]})"
    if prefs.level != "digest" and (not prefs.companies or not prefs.topics):
        text += "\n(Nothing selected: only the weekly digest arrives here.)"
    return text


def keyboard_rows(prefs: Preferences) -> list[list[tuple[str, str]]]:
    """Buttons as (label, callback data): companies in two rows, topics, alert level, Done."""

    def tick(on: bool) -> str:
        return "✅" if on else "▫️"

    companies = [(f"{tick(c in prefs.companies)} {COMPANY_NAMES[c]}", f"sub:c:{c}") for c in COMPANIES]
    return [
        companies[:3],
        companies[3:],
        [(f"{tick(t in prefs.topics)} {TOPIC_BUTTONS[t]}", f"sub:t:{t}") for t in TOPICS],
        [(f"{'🔘' if prefs.level == lv else '⚪'} {LEVEL_NAMES[lv]}", f"sub:l:{lv}") for lv in LEVELS],
        [("Done", DONE)],
    ]


def apply_callback(prefs: Preferences, data: str) -> Preferences:
    """Toggle a company or topic, or pick the level; `sub:done` leaves the preferences as they are."""
    if data == DONE:
        return prefs
    parts = data.split(":")
    if len(parts) != 3 or parts[0] != "sub":
        raise PreferenceError(data)
    kind, value = parts[1], parts[2]
    if kind == "c" and value in COMPANIES:
        return replace(prefs, companies=prefs.companies ^ {value})
    if kind == "t" and value in TOPICS:
        return replace(prefs, topics=prefs.topics ^ {value})
    if kind == "l" and value in LEVELS:
        return replace(prefs, level=value)
    raise PreferenceError(data)
