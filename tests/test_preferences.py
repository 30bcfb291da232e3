"""The /subscribe keyboard state and the delivery filter: literal inputs, literal outputs."""

import pytest

from bot.delivery.preferences import PreferenceError, apply_callback, describe, keyboard_rows, wants_alert
from bot.model.records import Preferences


def test_the_default_keyboard_ticks_everything_and_every_change():
    assert keyboard_rows(Preferences()) == [
        [("✅ Alibaba", "sub:c:alibaba"), ("✅ Tencent", "sub:c:tencent"), ("✅ Baidu", "sub:c:baidu")],
        [("✅ Microsoft", "sub:c:microsoft"), ("✅ Google", "sub:c:google")],
        [("✅ AI capex", "sub:t:capex"), ("✅ Cloud", "sub:t:cloud"), ("✅ DC energy", "sub:t:energy")],
        [("🔘 Every change", "sub:l:all"), ("⚪ Raised/lowered only", "sub:l:changes"),
         ("⚪ Digest only", "sub:l:digest")],
        [("Done", "sub:done")],
    ]


def test_taps_toggle_companies_and_topics_and_pick_one_level():
    prefs = apply_callback(Preferences(), "sub:c:tencent")
    prefs = apply_callback(prefs, "sub:t:energy")
    prefs = apply_callback(prefs, "sub:l:changes")
    assert keyboard_rows(prefs)[0][1] == ("▫️ Tencent", "sub:c:tencent")
    assert keyboard_rows(prefs)[2][2] == ("▫️ DC energy", "sub:t:energy")
    assert [label for label, _ in keyboard_rows(prefs)[3]] == ["⚪ Every change", "🔘 Raised/lowered only",
                                                               "⚪ Digest only"]
    assert describe(prefs) == ("Companies: Alibaba, Baidu, Microsoft, Google\nTopics: AI capex, Cloud\n"
                               "Alerts: Raised/lowered only (guidance raised or cut, results that beat or "
                               "missed their guide, a period up or down on the previous one, a backlog or "
                               "footprint that moved)")
    assert apply_callback(apply_callback(prefs, "sub:c:tencent"), "sub:done").companies == Preferences().companies


def test_preferences_round_trip_through_the_stored_columns():
    prefs = Preferences(frozenset({"google", "alibaba"}), frozenset({"cloud"}), "digest")
    assert prefs.to_columns() == ("alibaba,google", "cloud", "digest")
    assert Preferences.from_columns(*prefs.to_columns()) == prefs
    assert Preferences.from_columns("alibaba,nonsense", "", "loud") == Preferences(
        frozenset({"alibaba"}), frozenset(), "all")


@pytest.mark.parametrize("data", ["sub:c:amazon", "sub:x:alibaba", "sub:l:loud", "forget:yes", "sub:c", ""])
def test_callback_data_the_keyboard_never_produced_is_refused(data):
    with pytest.raises(PreferenceError):
        apply_callback(Preferences(), data)


@pytest.mark.parametrize(("prefs", "alert", "wanted"), [
    (Preferences(), ("tencent", "energy", "new"), True),
    (Preferences(frozenset({"alibaba"})), ("tencent", "capex", "raised"), False),
    (Preferences(topics=frozenset({"cloud"})), ("alibaba", "capex", "raised"), False),
    (Preferences(level="changes"), ("alibaba", "capex", "raised"), True),
    (Preferences(level="changes"), ("alibaba", "capex", "lowered"), True),
    (Preferences(level="changes"), ("alibaba", "capex", "new"), False),
    (Preferences(level="changes"), ("alibaba", "capex", "horizon_changed"), False),
    (Preferences(level="digest"), ("alibaba", "capex", "raised"), False),
])
def test_the_delivery_filter(prefs, alert, wanted):
    assert wants_alert(prefs, *alert) is wanted


def test_an_empty_selection_says_only_the_digest_arrives():
    text = describe(Preferences(companies=frozenset()))
    assert text.endswith("(Nothing selected: only the weekly digest arrives here.)")
