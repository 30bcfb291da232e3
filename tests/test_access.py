"""Access rules (BOT_ACCESS) and invite codes."""

import pytest

from bot.telegram.access import AccessRequest, admission, looks_like_code, may_use_code, new_invite_code


@pytest.mark.parametrize(("mode", "admin", "allowed", "before", "expected"), [
    ("closed", False, False, False, None),
    ("closed", True, False, False, "admin"),
    ("closed", False, True, False, "allowed"),
    ("invite", False, False, False, None),
    ("invite", False, False, True, "returning"),
    ("open", False, False, False, "open"),
])
def test_admission(mode, admin, allowed, before, expected):
    assert admission(AccessRequest(mode, admin, allowed, before, has_code=False)) == expected


def test_codes_are_only_accepted_where_invites_exist():
    assert [may_use_code(m) for m in ("closed", "invite", "open")] == [False, True, True]


def test_invite_codes_are_deep_link_payloads_and_unique():
    codes = {new_invite_code() for _ in range(200)}
    assert len(codes) == 200
    assert all(looks_like_code(c) and len(c) == 12 for c in codes)
    assert not looks_like_code("short") and not looks_like_code("has space in it")
