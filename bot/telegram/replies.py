"""The text of every command answer, as Telegram HTML. Pure: values in, strings out; feed text escaped.

The handlers in bot.telegram.handlers fetch the values (store, ledger, settings) and send what these return.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from datetime import datetime

from bot.delivery.headline import format_figure
from bot.delivery.render import alert_parts, safe_url
from bot.ingest.sources import Source
from bot.ledger.entries import METRICS, Ledger, LedgerEntry, format_period
from bot.model import BASELINE_EVENT_NAME, COMPANIES, COMPANY_NAMES
from bot.model.durations import ago
from bot.model.records import AlertExplanation, SourceState

COMMANDS: tuple[tuple[str, str], ...] = (
    ("start", "Subscribe this chat (with an invite code if needed)"),
    ("subscribe", "Choose companies, topics and alert level"),
    ("digest", "Changes of the last 7 days; /digest 30, /digest weekly mon 08:00"),
    ("why", "Why alert N was sent: /why N"),
    ("baseline", "Reference figures: /baseline [company]"),
    ("sources", "Health of each news source"),
    ("stop", "Stop alerts (settings kept)"),
    ("forget", "Delete everything kept about this chat"),
    ("help", "What this bot watches and how"),
)
ADMIN_COMMANDS: tuple[tuple[str, str], ...] = (
    ("invite", "Admin: a one-time invite code"),
    ("allow", "Admin: let a chat in: /allow CHAT_ID"),
    ("revoke", "Admin: take access away: /revoke CHAT_ID"),
    ("stats", "Admin: subscribers and deliveries"),
)

WATCHES = ("I read the tech and business press and tell you when <b>Alibaba, Tencent, Baidu, Microsoft or "
           "Google/Alphabet</b> say something new about <b>AI capex, cloud business or data-centre energy</b>, "
           f"and how it differs from what was known at Alibaba's {BASELINE_EVENT_NAME} Conference 2025.")
COMMAND_LIST = ("/subscribe choose companies, topics, alert level\n"
                "/digest the last 7 days (/digest 30: 30 days; /digest weekly mon 08:00 Europe/Paris)\n"
                "/why N explains alert N · /baseline [company] the reference figures · /sources feed health\n"
                "/stop pauses alerts · /forget deletes this chat's data · /help")
HELP = WATCHES + "\n\n" + COMMAND_LIST
REFUSAL = ("Sorry, this bot is invite-only. If you have an invite code, send <code>/start CODE</code> "
           "(or open the invite link you were given).")
CLOSED_REFUSAL = "Sorry, this bot is private: its admin has to let this chat in."
BAD_CODE = ("That invite code is not valid: it may be mistyped, used already or expired. "
            "Ask for a new one.")
NOT_ADMITTED = "This chat is not subscribed yet: /start (with an invite code if you have one)."
GROUP_ADMINS_ONLY = "Only the group's admins can change this."
CHANNEL_ADMINS_ONLY = "Only the channel's admins can change this."


def admins_only(chat_type: str) -> str:
    return CHANNEL_ADMINS_ONLY if chat_type == "channel" else GROUP_ADMINS_ONLY


ADMIN_ONLY = "That command is for the bot's admins."
UNKNOWN = "I don't know /{command}. /help lists what I can do."


def welcome(new: bool, schedule: str) -> str:
    if not new:
        return "This chat is already subscribed. /subscribe changes what arrives, /stop pauses alerts."
    return (f"Subscribed. {WATCHES}\n\nEvery change arrives as it is found; the weekly digest comes {schedule}.\n"
            + COMMAND_LIST)


def entry_figure(entry: LedgerEntry) -> str:
    if METRICS[entry.metric].growth and entry.value is None:
        return "no growth figure" if entry.change_pct is None else f"{entry.change_pct:+.0f} % YoY"
    if entry.value is None:
        return {"up": "rising", "down": "slowing"}.get(entry.direction or "", "no figure")
    text = format_figure(entry.value, entry.value_max, entry.currency, entry.unit, entry.floor)
    return text + (f" ({entry.change_pct:+.0f} % YoY)" if entry.change_pct is not None else "")


def entry_line(entry: LedgerEntry) -> str:
    """ "capex plan [scope], 3-year: > RMB 380 bn (stated 2025-09-24, Apsara)" """
    label = METRICS[entry.metric].label + (f" [{entry.scope}]" if entry.scope else "")
    period = format_period(entry.period, entry.company) or entry.period_text
    flags = f", {BASELINE_EVENT_NAME}" if entry.apsara else ", confirmed since" if entry.origin == "confirmed" else ""
    return html.escape(f"{label}{', ' + period if period else ''}: {entry_figure(entry)} "
                       f"(stated {entry.stated_on}{flags})")


def render_baseline(ledger: Ledger, company: str | None) -> str:
    """The current reference values (superseded and context-only entries left out), per company."""
    superseded = ledger.superseded_ids()
    out = [f"<b>Baseline</b> {html.escape(ledger.summary())}."]
    for key in COMPANIES:
        if company not in (None, key):
            continue
        entries = [e for e in ledger.for_company(key) if e.id not in superseded and e.alert]
        if company is None:
            # the overview stays one message: Apsara statements and plans only
            entries = [e for e in entries if e.apsara or METRICS[e.metric].kind == "plan"][:8]
        out.append(f"\n<b>{COMPANY_NAMES[key]}</b>")
        out += [f"• {entry_line(e)}" for e in entries] or ["• no reference figures"]
    if company is None:
        out.append("\n/baseline alibaba (or tencent, baidu, microsoft, google) lists every figure of one company.")
    return "\n".join(out)


# What a verdict was compared with (bot.analysis.compare.COMPARED_WITH), in /why's words.
COMPARED_WITH_WORDS: dict[str, str] = {
    "guidance": "the guide for the period", "previous_period": "the previous period",
    "year_ago": "the same period a year earlier", "same_period": "an earlier statement of the same period",
    "stock": "the latest known level",
}


def _compared_entry(entry: LedgerEntry, delta: object) -> str:
    delta_text = f" → {delta:+.1f} %".replace(".0 %", " %") if isinstance(delta, int | float) else ""
    link = safe_url(entry.source_url)
    source = f' <a href="{html.escape(link, quote=True)}">source</a>' if link else ""
    return f"{entry_line(entry)} <code>{html.escape(entry.id)}</code>{source}{delta_text}"


def render_why(explanation: AlertExplanation, ledger: Ledger) -> str:
    """For /why N: the sentence, the rules, the figure, the baseline entry compared with, the sources."""
    alert = explanation.alert
    out = [f"<b>Alert {alert.id}</b>: {html.escape(alert_parts(alert)[0])}",
           f"Verdict: {html.escape(alert.verdict.replace('_', ' '))} · found {alert.created_at:%Y-%m-%d %H:%M} UTC"]
    for number, claim in enumerate(explanation.claims[:3], start=1):
        heading = "\n<b>Statement</b>" if len(explanation.claims) == 1 else f"\n<b>Statement {number}</b>"
        out.append(f"{heading} ({html.escape(claim.source_id)}):")
        out.append(f"<blockquote>{html.escape(' '.join(claim.quote.split())[:800])}</blockquote>")
        out.append("Rules that fired: " + (html.escape(", ".join(claim.rules)) or "none recorded"))
        figure = format_figure(claim.amount, claim.amount_max, claim.currency, claim.unit) \
            if claim.amount is not None else (f"{claim.change_pct:+g} %" if claim.change_pct is not None
                                              else "no figure")
        period = claim.period or claim.assessment.get("period_code") or "not stated"
        out.append(f"Figure: {html.escape(figure)} · period {html.escape(str(period))} · metric "
                   f"{html.escape(str(claim.assessment.get('metric') or 'unclassified'))}")
        base_id = claim.assessment.get("baseline_id")
        entry = ledger.get(str(base_id)) if base_id else None
        against = COMPARED_WITH_WORDS.get(str(claim.assessment.get("compared_with") or ""), "")
        label = f"Compared with {against}" if against else "Compared with"
        if entry is not None:
            out.append(f"{label}: {_compared_entry(entry, claim.assessment.get('delta_pct'))}")
        else:
            out.append("Compared with: no baseline entry for this figure (so it is new).")
        for also in claim.assessment.get("also") or []:
            other = ledger.get(str((also.get("previous") or {}).get("id")))
            words = COMPARED_WITH_WORDS.get(str(also.get("compared_with")), "")
            if other is not None and words:
                out.append(f"Also against {words}: {_compared_entry(other, also.get('delta_pct'))}")
        if claim.assessment.get("note"):
            out.append(f"Note: {html.escape(str(claim.assessment['note']))}")
    if len(explanation.claims) > 3:
        out.append(f"… and {len(explanation.claims) - 3} more statements of the same story.")
    out.append("\n<b>Sources</b>")
    _, outlets = alert_parts(alert)
    for label, url in outlets:
        text = html.escape(" ".join(label.split())[:90])
        link = safe_url(url)
        out.append(f'• <a href="{html.escape(link, quote=True)}">{text}</a>' if link else f"• {text}")
    if not outlets:
        out.append("• " + ", ".join(sorted({html.escape(c.source_id) for c in explanation.claims})) or "• unknown")
    return "\n".join(out)


def _items(count: int) -> str:
    return f"{count} item{'' if count == 1 else 's'} seen"


def render_sources(sources: Sequence[Source], states: Mapping[str, SourceState], now: datetime) -> str:
    """For /sources: one line per configured source, worst news first."""
    lines: list[tuple[int, str]] = []
    for source in sources:
        state = states.get(source.id)
        name = f"{html.escape(source.name)} (<code>{html.escape(source.id)}</code>)"
        if not source.enabled:
            lines.append((3, f"⏸ {name}: disabled"))
        elif state is None or state.last_polled_at is None:
            lines.append((2, f"⏳ {name}: not polled yet"))
        elif state.consecutive_errors:
            error = html.escape((state.last_error or "error")[:120])
            lines.append((0, f"⚠️ {name}: failing since {ago(state.last_error_at, now)} "
                             f"({state.consecutive_errors} in a row): {error}; last success "
                             f"{ago(state.last_success_at, now)}; {_items(state.items_seen)}"))
        else:
            lines.append((1, f"✅ {name}: last success {ago(state.last_success_at, now)}; "
                             f"{_items(state.items_seen)}"))
    failing = sum(1 for rank, _ in lines if rank == 0)
    head = f"<b>Sources</b>: {len(sources)} configured, {failing} failing"
    return "\n".join([head, *(text for _, text in sorted(lines, key=lambda x: x[0]))])


def render_stats(stats: Mapping[str, int], days: int, access: str) -> str:
    return (f"<b>Stats</b> (access: {html.escape(access)})\n"
            f"Subscribed: {stats['active_private']} private, {stats['active_groups']} groups, "
            f"{stats['active_channels']} channels; {stats['inactive']} stopped\n"
            f"Alerts in the last {days} days: {stats['alerts_recent']}; messages sent: "
            f"{stats['messages_sent_recent']}\n"
            f"Queue: {stats['messages_pending']} messages pending, {stats['outbox_waiting']} alerts waiting, "
            f"{stats['messages_failed']} failed\n"
            f"Open invite codes: {stats['open_invites']}")


def invite_text(code: str, bot_username: str | None, hours: int) -> str:
    links = ""
    if bot_username:
        links = (f"\nPrivate chat: https://t.me/{bot_username}?start={code}\n"
                 f"Group: https://t.me/{bot_username}?startgroup={code}")
    return (f"One-time invite code, valid {hours} h: <code>{code}</code>\n"
            f"Send <code>/start {code}</code> in the chat to subscribe.{links}")
