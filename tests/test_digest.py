"""Digest schedule, grouping, text and chart: literal inputs, literal outputs."""

from datetime import UTC, datetime, time, timedelta

import pytest

from bot.delivery.digest import (
    DigestSchedule,
    ScheduleError,
    build_digest,
    build_series,
    chart_series,
    next_run,
    parse_schedule,
    render_chart,
    render_digest_html,
    schedule_from_text,
)
from bot.model.records import DigestItem

MONDAY_8_UTC = DigestSchedule(0, time(8, 0), "UTC")


@pytest.mark.parametrize(("words", "expected"), [
    (["weekly", "mon", "08:00", "Europe/Paris"], DigestSchedule(0, time(8, 0), "Europe/Paris")),
    (["Friday", "17:30"], DigestSchedule(4, time(17, 30), "UTC")),
    (["off"], None),
    (["weekly", "off"], None),
])
def test_parse_schedule(words, expected):
    assert parse_schedule(words) == expected


@pytest.mark.parametrize(("words", "message"), [
    (["weekly"], "expected a day and a time"),
    (["someday", "08:00"], "“someday” is not a day"),
    (["mon", "8h"], "“8h” is not a time"),
    (["mon", "25:00"], "“25:00” is not a time"),
    (["mon", "08:00", "Mars/Olympus"], "“Mars/Olympus” is not a time zone"),
])
def test_malformed_schedules_say_how_to_write_them(words, message):
    with pytest.raises(ScheduleError, match=message):
        parse_schedule(words)


def test_schedule_text_round_trips():
    schedule = DigestSchedule(2, time(7, 5), "Asia/Shanghai")
    assert schedule.text() == "wed 07:05 Asia/Shanghai"
    assert schedule_from_text(schedule.text()) == schedule
    assert schedule_from_text("off") is None
    assert schedule.describe() == "every Wednesday at 07:05 (Asia/Shanghai)"


def test_next_run_is_strictly_after_and_weekly():
    monday_8 = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)  # a Monday
    assert next_run(MONDAY_8_UTC, monday_8 - timedelta(seconds=1)) == monday_8
    assert next_run(MONDAY_8_UTC, monday_8) == monday_8 + timedelta(days=7)
    assert next_run(MONDAY_8_UTC, datetime(2026, 11, 4, 12, 0, tzinfo=UTC)) == datetime(2026, 11, 9, 8, 0, tzinfo=UTC)


def test_next_run_keeps_local_wall_clock_time_across_daylight_saving():
    paris = DigestSchedule(0, time(8, 0), "Europe/Paris")
    # summer time (UTC+2) until 25 Oct 2026, then winter time (UTC+1)
    assert next_run(paris, datetime(2026, 10, 13, 0, 0, tzinfo=UTC)) == datetime(2026, 10, 19, 6, 0, tzinfo=UTC)
    assert next_run(paris, datetime(2026, 10, 20, 0, 0, tzinfo=UTC)) == datetime(2026, 10, 26, 7, 0, tzinfo=UTC)


def item(alert_id, company, topic, headline, delta, group, sources=1, verdict="raised", day=1):
    return DigestItem(alert_id, company, topic, verdict, headline, None, sources, delta, group,
                      datetime(2026, 11, day, 9, 0, tzinfo=UTC))


ITEMS = [
    item(1, "google", "capex", "Alphabet 2025 capex guidance raised: $85 bn → $88 bn", 3.5, "g:capex:2025"),
    item(2, "google", "capex", "Alphabet 2025 capex guidance raised: $85 bn → $91–93 bn", 8.2, "g:capex:2025",
         sources=3, day=2),
    item(3, "alibaba", "cloud", "Alibaba <Cloud> revenue & growth: new", None, "a:cloud", verdict="new"),
    item(4, "microsoft", "energy", "Microsoft PPA lowered", -12.0, "m:energy", verdict="lowered"),
]


def test_digest_groups_by_company_then_topic_and_collapses_restatements_of_one_figure():
    sections = build_digest(ITEMS)
    assert [(s.company, [(t.topic, [ln.item.alert_id for ln in t.lines]) for t in s.topics]) for s in sections] == [
        ("alibaba", [("cloud", [3])]), ("microsoft", [("energy", [4])]), ("google", [("capex", [2])])]
    assert sections[2].topics[0].lines[0].collapsed == 1


def test_digest_respects_the_chats_companies_and_topics():
    assert [s.company for s in build_digest(ITEMS, companies={"google", "alibaba"}, topics={"capex"})] == ["google"]


def test_digest_text_escapes_feed_text_and_shows_delta_and_sources():
    assert render_digest_html(build_digest(ITEMS), 7) == (
        "<b>Digest: changes in this week</b> (against the Apsara 2025 baseline)\n"
        "\n<b>Alibaba</b>\n<i>Cloud</i>\n"
        "● Alibaba &lt;Cloud&gt; revenue &amp; growth: new (new, no baseline figure; 1 source) /why 3\n"
        "\n<b>Microsoft</b>\n<i>Data-centre energy</i>\n"
        "▼ Microsoft PPA lowered (-12 % vs baseline; 1 source) /why 4\n"
        "\n<b>Google</b>\n<i>AI capex</i>\n"
        "▲ Alphabet 2025 capex guidance raised: $85 bn → $91–93 bn (+8 % vs baseline; 3 sources, "
        "1 earlier statement collapsed) /why 2")


def test_an_empty_digest_says_so():
    assert render_digest_html([], 30, scheduled=True) == (
        "<b>Weekly digest: changes in the last 30 days</b>\nNothing changed against the Apsara 2025 baseline "
        "in the last 30 days. /baseline shows the reference figures.")


def fig(amount=None, amount_max=None, currency="USD", unit=None, change_pct=None):
    return {"amount": amount, "amount_max": amount_max, "currency": currency, "unit": unit, "change_pct": change_pct}


def compared(metric, period_code, previous=None, apsara=None, scope=None, compared_with="previous_period"):
    return {"metric": metric, "period_code": period_code, "scope": scope, "previous": previous, "apsara": apsara,
            "compared_with": compared_with if previous else "none"}


def entry(value, period_code, currency="USD", value_max=None, unit=None):
    return {"value": value, "value_max": value_max, "currency": currency, "unit": unit, "floor": False,
            "period_code": period_code}


def series_item(alert_id, company, topic, figure, assessment, day=1, verdict="raised"):
    return DigestItem(alert_id, company, topic, verdict, f"alert {alert_id}", None, 1, None, f"{company}:{alert_id}",
                      datetime(2026, 11, day, 9, 0, tzinfo=UTC), figure, assessment)


GUIDE_2025 = entry(85e9, "CY2025")
SERIES_ITEMS = [
    series_item(11, "google", "capex", fig(88e9), compared("capex_guidance_annual", "CY2025", GUIDE_2025, GUIDE_2025,
                                                           compared_with="guidance")),
    series_item(12, "google", "capex", fig(91e9, 93e9),
                compared("capex_guidance_annual", "CY2025", entry(88e9, "CY2025"), GUIDE_2025,
                         compared_with="guidance"),
                day=2),
    series_item(13, "alibaba", "cloud", fig(39.8e9, currency="CNY", change_pct=34),
                compared("cloud_revenue_quarter", "FY2026Q2", entry(33.4e9, "FY2026Q1", "CNY"),
                         entry(33.4e9, "FY2026Q1", "CNY"), scope="alibaba-cloud")),
    series_item(14, "tencent", "capex", fig(12.98e9, currency="CNY", change_pct=-24),
                compared("capex_actual_quarter", "2025Q3", entry(19.11e9, "2025Q2", "CNY"),
                         entry(19.11e9, "2025Q2", "CNY")), verdict="lowered"),
    series_item(15, "microsoft", "cloud", fig(None, currency=None, change_pct=40),
                compared("cloud_growth_quarter", "FY2026Q1",
                         {"value": 37.0, "unit": "% growth", "period_code": "FY2026Q1", "guide": True},
                         {"value": 37.0, "unit": "% growth", "period_code": "FY2026Q1"}, scope="azure",
                         compared_with="guidance")),
]


def test_series_over_the_window_with_their_direction():
    texts = [(x.direction, x.text()) for x in build_series(SERIES_ITEMS)]
    assert texts == [
        ("up", "Alphabet capex guidance 2025: $85 bn → $88 bn → $91–93 bn"),
        ("up", "Alibaba cloud revenue: Q1 FY2026 RMB 33.4 bn → Q2 FY2026 RMB 39.8 bn"),
        ("down", "Tencent quarterly capex: Q2 2025 RMB 19.11 bn → Q3 2025 RMB 12.98 bn"),
        ("up", "Microsoft Azure growth Q1 FY2026: guide +37 % → +40 %"),
    ]


def test_the_digest_shows_each_series_above_its_alerts():
    text = render_digest_html(build_digest(SERIES_ITEMS), 7)
    assert "<i>AI capex</i>\n↗ Alphabet capex guidance 2025: $85 bn → $88 bn → $91–93 bn\n" in text
    assert "↘ Tencent quarterly capex: Q2 2025 RMB 19.11 bn → Q3 2025 RMB 12.98 bn\n" in text


def test_the_chart_draws_the_series_and_none_without_numbers(tmp_path):
    png = render_chart(build_digest(SERIES_ITEMS), 7)
    assert png is not None and png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 5000
    (tmp_path / "digest.png").write_bytes(png)
    assert [x.label for x in chart_series(build_digest(SERIES_ITEMS))] == [
        "Alibaba cloud revenue", "Tencent quarterly capex", "Microsoft Azure growth", "Alphabet capex guidance"]
    assert render_chart(build_digest(ITEMS), 7) is None  # alerts without figures draw nothing
