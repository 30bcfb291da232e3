"""Who may subscribe (BOT_ACCESS) and invite codes. Pure except `new_invite_code` (randomness).

    closed   the bot's admins (BOT_ADMIN_IDS) and chats an admin let in with /allow
    invite   the above, plus any chat that sends a valid one-time code: `/start CODE` or a deep link
             t.me/<bot>?start=CODE (both arrive as "/start CODE")
    open     anyone

A chat admitted once stays admitted through /stop and /start until /revoke or /forget.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass

# Telegram deep-link payloads allow A-Z a-z 0-9 _ - and up to 64 characters.
INVITE_CODE = re.compile(r"^[A-Za-z0-9_-]{8,64}$")


@dataclass(frozen=True)
class AccessRequest:
    mode: str  # closed | invite | open
    is_admin: bool
    is_allowed: bool  # /allow-ed by an admin
    admitted_before: bool
    has_code: bool


def admission(request: AccessRequest) -> str | None:
    """How the chat gets in without spending an invite code, or None (it needs a valid code, or is refused)."""
    if request.admitted_before:
        return "returning"
    if request.is_admin:
        return "admin"
    if request.is_allowed:
        return "allowed"
    if request.mode == "open":
        return "open"
    return None


def may_use_code(mode: str) -> bool:
    return mode in ("invite", "open")


def new_invite_code() -> str:
    """12 URL-safe characters (72 bits): unguessable, and valid as a deep-link payload."""
    return secrets.token_urlsafe(9)


def looks_like_code(text: str) -> bool:
    return bool(INVITE_CODE.match(text))
