"""Unit tests of the claim extractor on invented sentences (literal inputs, literal outputs)."""

from __future__ import annotations

import pytest

from bot.analysis.claims import extract_claims, format_explanation, parse_arabic, parse_cjk_numeral
from bot.model import Article
from tests.support.claims import claims_of, summary


def test_plain_english_capex_figure() -> None:
    [claim] = claims_of("Alphabet expects capex of about $75 billion in 2025.")
    assert (claim.company, claim.topic, claim.amount, claim.currency, claim.period) == (
        "google", "capex", 75e9, "USD", "2025")
    assert claim.quote == "Alphabet expects capex of about $75 billion in 2025."
    assert "company.google.name" in claim.rules


@pytest.mark.parametrize(("text", "amount", "currency"), [
    ("Microsoft will spend $80bn on AI data centres this fiscal year.", 80e9, "USD"),
    ("Alibaba will invest US$53 billion in AI infrastructure.", 53e9, "USD"),
    ("Tencent spent RMB 20.5 billion on capex in the quarter.", 20.5e9, "CNY"),
    ("Google plans to invest €5 billion in Belgian data centres.", 5e9, "EUR"),
])
def test_money_forms(text: str, amount: float, currency: str) -> None:
    # The money only: "in Belgian data centres" is also a footprint claim (R8), without a figure.
    [claim] = [c for c in claims_of(text) if c.amount is not None]
    assert (claim.amount, claim.currency, claim.topic) == (amount, currency, "capex")


def test_two_figures_in_one_sentence_are_two_claims() -> None:
    text = "Alphabet lifted capex to $70 billion this year after spending $50 billion last year."
    assert summary(text) == [
        ("google", "capex", 70e9, None, "USD", None, None),
        ("google", "capex", 50e9, None, "USD", None, None),
    ]


def test_range_keeps_both_ends() -> None:
    assert summary("Microsoft will spend between $91 billion and $93 billion on capex.") == [
        ("microsoft", "capex", 91e9, 93e9, "USD", None, None)]


def test_other_company_figure_is_not_ours() -> None:
    assert claims_of("Meta, like Google, plans capex of $65 billion this year.") == []


def test_analyst_estimate_is_dropped() -> None:
    assert claims_of("Analysts project Microsoft capex near $94 billion next year.") == []


def test_growth_rate_of_cloud_unit() -> None:
    assert summary("Azure revenue grew 39% from a year earlier.") == [
        ("microsoft", "cloud", None, None, None, None, 39.0)]


def test_repeated_figure_is_one_claim() -> None:
    text = "Alphabet expects capex of $75 billion in 2025. That $75 billion of capex is a record for it."
    assert len(claims_of(text)) == 1


def test_explanation_names_rules_and_drops() -> None:
    text = "Alphabet expects capex of about $75 billion. Analysts see Microsoft capex at $94 billion."
    explanation = format_explanation(Article(id="t", url="", lang="en", text=text))
    assert "CLAIM google/capex" in explanation
    assert "rule company.google.name on 'Alphabet'" in explanation
    # analysts as the subject of "see" make the sentence their forecast, and the reason says so
    assert "DROPPED '94 billion'" in explanation and "forecast by someone else ('Analysts see')" in explanation


@pytest.mark.parametrize(("raw", "mark", "value"), [
    ("3,800", ".", 3800.0), ("3 800", ".", 3800.0), ("12.98", ".", 12.98),
    ("5,5", ",", 5.5), ("9.000", ",", 9000.0), ("14,9", ",", 14.9),
])
def test_parse_arabic(raw: str, mark: str, value: float) -> None:
    assert parse_arabic(raw, mark) == value


def test_parse_cjk_numeral() -> None:
    table = {"一": 1, "二": 2, "三": 3, "八": 8, "十": 10, "百": 100, "千": 1000}
    assert parse_cjk_numeral("三千八百", {k: float(v) for k, v in table.items()}) == 3800.0
    assert parse_cjk_numeral("十", {k: float(v) for k, v in table.items()}) == 10.0
    assert parse_cjk_numeral("千", {k: float(v) for k, v in table.items()}) == 1000.0


@pytest.mark.parametrize(("text", "lang", "expected"), [
    # CJK compound numbers: 兆 and 億 parts add up
    ("マイクロソフトの設備投資は2兆4000億円に達した。", "ja",
     [("microsoft", "capex", 2.4e12, None, "JPY", None, None)]),
    # a measure named before a bare value gives its unit and topic
    ("Baidu said its newest campus ran at a power usage effectiveness of 1.11 last year.", "en",
     [("baidu", "energy", 1.11, None, None, "PUE", None)]),
    # a bare percentage with a market-share cue is a cloud market position
    ("Tencent Cloud held a 12% share of the domestic cloud market in the period.", "en",
     [("tencent", "cloud", 12.0, None, None, "% market share", None)]),
])
def test_general_number_grammar(text: str, lang: str, expected: list[tuple[object, ...]]) -> None:
    assert summary(text, lang) == expected


@pytest.mark.parametrize("text", [
    # "X's rival, Y": the figure is the rival's
    "Tencent Cloud's biggest overseas rival, Amazon Web Services, operates 30 regions.",
    # a company named inside a relative clause is named in passing
    "Meta, whose shopping ads compete with Alibaba's, is building a 4-gigawatt campus.",
    # a kind of firm owns the figure when no company is named before it
    "Tencent opened a data centre there. The regional utility said it will add 2 GW of wind by 2030.",
])
def test_figures_of_others_are_not_attributed_to_the_five(text: str) -> None:
    assert [c for c in claims_of(text) if c.amount is not None] == []


def test_money_for_data_centres_without_revenue_words_is_capex() -> None:
    # The facilities at a named place are a cloud footprint beside the money (R8, R11).
    claims = claims_of("Alibaba Cloud will put $2 billion into new data centres in Mexico.")
    assert [(c.topic, c.amount) for c in claims] == [("cloud", None), ("capex", 2e9)]


@pytest.mark.parametrize(("text", "lang"), [
    ("Morgan Stanley expects Alibaba's capex to reach RMB 460 billion over three years.", "en"),
    ("According to Jefferies, Microsoft capital expenditure will hit $120 billion in fiscal 2026.", "en"),
    ("The brokerage lifted its price target on Alphabet to $250.", "en"),
    ("We estimate Google will spend $95 billion on data centers next year.", "en"),
    ("大摩在报告中表示，阿里巴巴未来三年资本开支或达4600亿元。", "zh"),
    ("Analysten erwarten, dass Microsoft im kommenden Jahr 120 Milliarden Dollar investiert.", "de"),
    ("Selon les analystes, Google investira 95 milliards de dollars l'an prochain.", "fr"),
    ("アナリスト予想では、マイクロソフトの設備投資は1200億ドルに達する。", "ja"),
])
def test_forecasts_by_banks_and_analysts_are_not_claims(text: str, lang: str) -> None:
    assert claims_of(text, lang) == []


@pytest.mark.parametrize(("text", "lang"), [
    ("Microsoft's carbon emissions rose 23% from 2020 as it built more data centers.", "en"),
    ("Tencent will spend RMB 50 billion on its common prosperity programme.", "en"),
    ("Microsoft will spend $4 billion on AI education and skills for students.", "en"),
    ("China Telecom will invest 5 billion yuan in computing power, Tencent said.", "en"),
    ("微软的碳排放量较2020年增加了23%。", "zh"),
    ("Die Emissionen von Google stiegen im Jahr 2024 um 13 Prozent.", "de"),
])
def test_emissions_social_programmes_and_telcos_are_not_claims(text: str, lang: str) -> None:
    assert claims_of(text, lang) == []


def test_skilling_beside_infrastructure_keeps_the_capex_pledge() -> None:
    text = "Microsoft will invest $3 billion in cloud and AI infrastructure in India and in AI skills."
    assert [(c.company, c.topic, c.amount) for c in claims_of(text)] == [("microsoft", "capex", 3e9)]


def test_utility_before_the_figure_is_a_counterparty_of_the_named_company() -> None:
    text = "Duke Energy agreed a 1.5 GW supply framework with Microsoft for its data centers."
    assert [(c.company, c.topic, c.amount, c.unit) for c in claims_of(text)] == [
        ("microsoft", "energy", 1.5, "GW")]


def test_cue_less_figure_continues_the_topic_of_the_sentence_before() -> None:
    text = ("Alphabet will spend $180 billion on capex in 2026. "
            "Last year it was $91.4 billion.")
    assert [(c.topic, c.amount) for c in claims_of(text)] == [("capex", 180e9), ("capex", 91.4e9)]


def test_cue_less_group_figure_does_not_inherit_a_topic() -> None:
    text = ("Alphabet will spend $180 billion on capex in 2026. "
            "Total revenue rose, reaching $102 billion.")
    assert [(c.topic, c.amount) for c in claims_of(text)] == [("capex", 180e9)]


def test_metric_of_the_cloud_unit_named_earlier() -> None:
    text = ("Google Cloud had a strong quarter. "
            "Sales at the unit climbed 34% to $15.2 billion.")
    assert [(c.company, c.topic, c.amount) for c in claims_of(text)] == [("google", "cloud", 15.2e9)]


def test_money_put_into_cloud_computing_is_capex_in_german() -> None:
    text = "Alibaba will in den kommenden drei Jahren 380 Mrd. Yuan (rund 53 Mrd. Dollar) in Cloud-Computing stecken."
    assert [(c.topic, c.amount, c.currency) for c in claims_of(text, "de")] == [("capex", 380e9, "CNY")]


def test_company_speaking_to_analysts_is_not_an_estimate() -> None:
    text = "Sundar Pichai told analysts that Google Cloud passed an annual revenue run-rate of $50 billion."
    assert [(c.company, c.topic, c.amount) for c in claims_of(text)] == [("google", "cloud", 50e9)]


def test_market_shares_without_another_cue_are_cloud() -> None:
    # The cloud named in the sentence before says which market the shares are of.
    text = "Synergy ranked the cloud providers. Microsoft held 20% and Google 13%, with the latter's share creeping up."
    assert [(c.company, c.topic, c.amount) for c in claims_of(text)] == [
        ("microsoft", "cloud", 20.0), ("google", "cloud", 13.0)]
    # With no cloud named near it, a share is of no market we know.
    assert claims_of("Microsoft held 20% and Google 13%, with the latter's share creeping up.") == []


def test_market_position_stands_beside_a_cloud_figure() -> None:
    text = ("Azure revenue rose 39% in the quarter. "
            "Microsoft's cloud business still trails the market leader.")
    assert [(c.company, c.topic, c.change_pct) for c in claims_of(text)] == [
        ("microsoft", "cloud", 39.0), ("microsoft", "cloud", None)]


def test_rival_named_in_passing_makes_no_position_statement() -> None:
    assert claims_of("Alibaba Cloud's largest rival runs many more regions worldwide.") == []


def test_topic_prefilter_skips_company_news_on_other_business() -> None:
    from bot.analysis.claims import analyse
    from bot.analysis.rulebook import ruleset

    rs = ruleset("en")
    assert not rs.names_a_topic(b"Google delayed its next phone, citing 5 extra months of testing.")
    assert rs.names_a_topic(b"Google expects capex of $75 billion.")
    assert rs.names_a_topic(b"It signed for 500MW.")  # a unit glued to digits still counts
    article = Article(id="t", url="", lang="en", text="Google sold 12 million phones, up 8% on the year.")
    assert analyse(article).candidates == []


def test_ordinal_launch_is_a_launch_and_does_not_shadow_plans() -> None:
    # R3: "its first data centre" is a launch, with no amount and no unit (it counts nothing).
    text = ("Tencent Cloud opened its first data centre in Saudi Arabia. "
            "Tencent Cloud will expand its cloud network across the Gulf over the next years.")
    assert [(c.company, c.topic, c.amount, c.unit, c.rules[0]) for c in claims_of(text)] == [
        ("tencent", "cloud", None, None, "en.ordinal.one"), ("tencent", "cloud", None, None, "company.tencent.cloud")]


def test_ordinal_beside_a_money_figure_is_what_the_money_buys() -> None:
    text = "Microsoft will spend $4 billion on a second datacenter in the state."
    assert [(c.topic, c.amount) for c in claims_of(text)] == [("capex", 4e9)]


def test_industry_average_in_another_clause_leaves_the_company_figure() -> None:
    text = ("Google published its environmental report. "
            "Its fleet ran at a PUE of 1.09, against an industry average of 1.56.")
    assert [(c.company, c.amount, c.unit) for c in claims_of(text)] == [("google", 1.09, "PUE")]


@pytest.mark.parametrize(("text", "lang", "amount", "amount_max", "currency"), [
    ("Microsoft will invest 12 billion Canadian dollars in cloud capacity in Canada.", "en", 12e9, None, "CAD"),
    ("Microsoft va investir 12 milliards de dollars canadiens dans ses centres de données.", "fr", 12e9, None, "CAD"),
    ("Microsoft will add 9 billion Swedish kronor (about $0.9 billion) to its data centres.", "en", 9e9, None, "SEK"),
    ("Google will invest 2.5 lakh crore rupees in an Indian data centre campus.", "en", 2.5e12, None, "INR"),
    ("Alphabet plant Investitionen von 150 bis 160 Mrd. Dollar.", "de", 150e9, 160e9, "USD"),
    ("Microsoft prévoit des investissements de 60 à 65 milliards de dollars.", "fr", 60e9, 65e9, "USD"),
    ("谷歌今年资本支出将达到1100亿至1200亿美元（约合7800亿至8500亿元人民币）。", "zh", 110e9, 120e9, "USD"),
])
def test_currency_words_and_ranges(text: str, lang: str, amount: float, amount_max: float | None,
                                   currency: str) -> None:
    assert [(c.topic, c.amount, c.amount_max, c.currency) for c in claims_of(text, lang)] == [
        ("capex", pytest.approx(amount), pytest.approx(amount_max) if amount_max else None, currency)]


@pytest.mark.parametrize(("text", "lang"), [
    ("据国际能源署测算，微软数据中心用电量将达到25太瓦时。", "zh"),
    ("业界估计，腾讯今年资本开支将超过800亿元。", "zh"),
    ("市场此前预计百度资本开支为120亿元。", "zh"),
    ("The IEA expects data-centre demand in markets where Google operates to reach 40 TWh by 2030.", "en"),
    ("The big three together take 61% of the cloud market, Microsoft among them.", "en"),
])
def test_third_party_estimates_and_industry_totals_are_not_claims(text: str, lang: str) -> None:
    assert claims_of(text, lang) == []


def test_german_revenue_verb_makes_a_cloud_figure_revenue_not_capex() -> None:
    text = "Google Cloud: Die Sparte erlöste im Quartal 14,1 Mrd. Dollar."
    assert [(c.topic, c.amount) for c in claims_of(text, "de")] == [("cloud", pytest.approx(14.1e9))]


@pytest.mark.parametrize(("text", "lang", "expected"), [
    ("腾讯云将在西南新建两座智算中心。", "zh", [("tencent", "cloud", 2.0, "data centres")]),
    ("Le campus de Google est alimenté à 100 % par de l'hydroélectricité.", "fr",
     [("google", "energy", 100.0, "%")]),
    ("グーグルは今期の設備投資が前期を大幅に上回る見通しだと述べた。", "ja", [("google", "capex", None, None)]),
])
def test_compute_centres_hydro_shares_and_japanese_comparatives(text: str, lang: str,
                                                               expected: list[tuple[object, ...]]) -> None:
    assert [(c.company, c.topic, c.amount, c.unit) for c in claims_of(text, lang)] == expected


@pytest.mark.parametrize(("text", "lang", "amount", "currency"), [
    ("Microsoft investiert rund eine Milliarde Euro in neue Rechenzentren.", "de", 1e9, "EUR"),
    ("Google investira un milliard d'euros dans ses centres de données.", "fr", 1e9, "EUR"),
    ("Microsoft will spend three billion dollars on data centres in Italy.", "en", 3e9, "USD"),
])
def test_number_words_before_a_scale(text: str, lang: str, amount: float, currency: str) -> None:
    assert [(c.topic, c.amount, c.currency) for c in claims_of(text, lang)
            if c.topic == "capex"] == [("capex", amount, currency)]


@pytest.mark.parametrize(("text", "lang", "expected"), [
    ("Tencent wants its Shanghai data centres to run entirely on renewable power by 2030.", "en",
     [("tencent", "energy", 100.0, "%")]),
    ("Baidu aims to have its Yangquan campus fully powered by wind and solar.", "en",
     [("baidu", "energy", 100.0, "%")]),
    ("Alibaba Cloud souhaite que son site de Francfort soit entièrement alimenté par de l'éolien.", "fr",
     [("alibaba", "energy", 100.0, "%")]),
    ("Microsoft will sein neues Rechenzentrum in Brandenburg vollständig mit Ökostrom versorgen.", "de",
     [("microsoft", "energy", 100.0, "%")]),
    ("テンセントは大阪のデータセンターの電力を太陽光発電で全量を賄う。", "ja",
     [("tencent", "energy", 100.0, "%")]),
    ("百度阳泉数据中心将全部使用可再生能源。", "zh", [("baidu", "energy", 100.0, "%")]),
])
def test_a_whole_share_in_words_is_a_100_percent_energy_figure(text: str, lang: str,
                                                              expected: list[tuple[object, ...]]) -> None:
    assert [(c.company, c.topic, c.amount, c.unit) for c in claims_of(text, lang)] == expected


@pytest.mark.parametrize(("text", "lang"), [
    ("Microsoft said the move of its customers to Azure went entirely on schedule.", "en"),
    # an energy word in the sentence is not enough: the whole share must be of clean energy
    ("Microsoft said its Irish data centres rely entirely on the grid for electricity.", "en"),
    ("Microsoft will das Rechenzentrum ausschließlich mit Nvidia-Chips ausstatten, der Strom kommt vom Netz.", "de"),
])
def test_a_whole_share_in_words_without_clean_energy_is_no_figure(text: str, lang: str) -> None:
    assert all(c.amount is None for c in claims_of(text, lang))


@pytest.mark.parametrize(("text", "amount"), [
    ("Tencent Cloud exploite une vingtaine de zones de disponibilité dans le monde.", 20.0),
    ("Baidu exploite une dizaine de centres de données en Chine.", 10.0),
])
def test_french_approximate_counts(text: str, amount: float) -> None:
    assert [(c.topic, c.amount) for c in claims_of(text, "fr")] == [("cloud", amount)]


@pytest.mark.parametrize(("text", "lang", "expected"), [
    ("Google consacrera 2 milliards d'euros à ses centres de données en Belgique.", "fr", ("capex", 2e9, "EUR")),
    ("Tencent va injecter 500 millions de dollars dans ses centres de données.", "fr", ("capex", 5e8, "USD")),
    ("テンセントはデータセンターに500億円を拠出する。", "ja", ("capex", 5e10, "JPY")),
    ("グーグルは1.5ギガワットの再生可能エネルギーを調達する。", "ja", ("energy", 1.5, None)),
])
def test_french_and_japanese_spending_verbs_and_units(text: str, lang: str, expected: tuple[object, ...]) -> None:
    # Only the figures: a facility at a named place beside them is a footprint claim of its own.
    assert [(c.topic, c.amount, c.currency) for c in claims_of(text, lang) if c.amount is not None] == [expected]


@pytest.mark.parametrize(("text", "low", "high"), [
    ("Microsoft expects capital expenditures of $91-93 billion in fiscal 2026.", 91e9, 93e9),
    ("Alphabet now guides capex to $60–65bn for the year.", 60e9, 65e9),
])
def test_range_written_with_one_currency_and_one_scale_keeps_both(text: str, low: float, high: float) -> None:
    [claim] = claims_of(text)
    assert (claim.amount, claim.amount_max, claim.currency, claim.topic) == (low, high, "USD", "capex")


def test_regions_and_zones_of_one_footprint_are_two_figures() -> None:
    assert summary("Tencent Cloud operates 54 availability zones in 21 regions worldwide.") == [
        ("tencent", "cloud", 54.0, None, None, "availability zones", None),
        ("tencent", "cloud", 21.0, None, None, "cloud regions", None),
    ]


def test_the_level_a_footprint_grew_from_is_not_a_claim() -> None:
    assert summary("Alibaba Cloud will run 95 availability zones, up from 88 zones a year ago.") == [
        ("alibaba", "cloud", 95.0, None, None, "availability zones", None)]


@pytest.mark.parametrize(("text", "lang", "amount"), [
    ("Baidu aims to have 3 million cloud servers running by 2030.", "en", 3e6),
    ("Microsoft will bring more than 15,000 advanced GPUs to its Welsh data centres.", "en", 15000.0),
    ("Microsoft installera 12.000 GPU dans ses centres de données près de Lyon.", "fr", 12000.0),
])
def test_own_servers_and_gpus_are_counted_cloud_capacity(text: str, lang: str, amount: float) -> None:
    [claim] = claims_of(text, lang)
    assert (claim.topic, claim.amount, claim.unit) == ("cloud", amount, "servers")


@pytest.mark.parametrize(("text", "company", "rank"), [
    ("According to IDC, Tencent Cloud came in third in public cloud market share last year.", "tencent", 3.0),
    ("Baidu AI Cloud was the fifth-largest cloud provider in China.", "baidu", 5.0),
    ("Tencent was the fourth largest player in the Asian cloud market.", "tencent", 4.0),
])
def test_a_rank_in_a_cloud_market_is_a_position_figure(text: str, company: str, rank: float) -> None:
    assert summary(text) == [(company, "cloud", rank, None, None, "rank", None)]


def test_a_rank_outside_any_cloud_market_is_no_claim() -> None:
    assert summary("Baidu is the second largest shareholder of the start-up.") == []


def test_capex_as_a_share_of_revenue() -> None:
    assert summary("Tencent's capital expenditure reached 20.1 billion yuan, accounting for 13% of revenue.") == [
        ("tencent", "capex", 20.1e9, None, "CNY", None, None),
        ("tencent", "capex", 13.0, None, None, "% of revenue", None),
    ]
    assert summary("腾讯的资本开支占全年收入的约11%。", "zh") == [
        ("tencent", "capex", 11.0, None, None, "% of revenue", None)]


def test_a_capex_plan_said_as_a_share_of_revenue_in_words_is_a_claim_without_amount() -> None:
    text = ("Tencent's capital expenditure reached 20.1 billion yuan in the quarter. "
            "Tencent expects capex to be in the high teens as a percentage of total revenue next year.")
    claims = claims_of(text)
    assert [(c.topic, c.amount) for c in claims] == [("capex", 20.1e9), ("capex", None)]
    assert claims[1].quote.startswith("Tencent expects capex to be in the high teens")


def test_a_cloud_unit_growing_to_a_level_reports_revenue_not_spending() -> None:
    assert summary("Google Cloud had a strong quarter, growing 32 percent to $14.1 billion.") == [
        ("google", "cloud", 14.1e9, None, "USD", None, 32.0)]


def test_the_cloud_division_named_as_subject_qualifies_the_revenue_after_it() -> None:
    assert summary("The cloud division of Alibaba led the quarter, with revenue up 30% to 35.2bn yuan.") == [
        ("alibaba", "cloud", 35.2e9, None, "CNY", None, 30.0)]


def test_a_growth_rate_and_a_level_of_two_measures_are_two_claims() -> None:
    assert summary("Microsoft said Azure revenue grew 31%, lifting total cloud sales to $40.1 billion.") == [
        ("microsoft", "cloud", None, None, None, None, 31.0),
        ("microsoft", "cloud", 40.1e9, None, "USD", None, None),
    ]


def test_a_figure_of_several_companies_named_together_is_none_of_theirs() -> None:
    assert summary("Google, Microsoft and Amazon will spend about $250 billion on capex next year.") == []
    assert summary("グーグルおよびマイクロソフトは来年、約2000億ドルの設備投資を行う。", "ja") == []


def test_a_rival_named_in_a_race_is_not_the_subject() -> None:
    assert summary("Meta is stepping up its capex race with Microsoft, guiding to $70 billion of capex.") == []


def test_industry_statistics_beside_a_company_are_not_its_figures() -> None:
    text = ("Google opened a data centre in Ohio. "
            "Average data centres draw 8 megawatts, and data centres use about 2% of global electricity consumption.")
    assert [c.amount for c in claims_of(text)] == [None]


def test_a_cloud_unit_as_a_share_of_group_revenue() -> None:
    assert summary("Baidu's AI Cloud represented 24 percent of the group's revenue last quarter.") == [
        ("baidu", "cloud", 24.0, None, None, "% of revenue", None)]


def test_an_expense_line_after_a_semicolon_is_not_capex() -> None:
    text = "Tencent's capex was 20 billion yuan; selling and marketing expenses rose 10% to 9 billion yuan."
    assert summary(text) == [
        ("tencent", "capex", 20e9, None, "CNY", None, None)]


def test_normalise_maps_odd_spaces_and_full_width_forms_one_char_for_one() -> None:
    from bot.analysis.claims import normalise

    assert normalise("5\u00a0000\u3000ＭＷ\u2212") == "5 000 MW-"


@pytest.mark.parametrize(("text", "lang", "amount", "unit"), [
    ("Google a consommé 900 000 mégawattheures dans ses centres de données belges.", "fr", 900000.0, "MWh"),
    ("Microsoft kaufte 250 Gigawattstunden Ökostrom für seine Rechenzentren.", "de", 250.0, "GWh"),
    ("マイクロソフトはデータセンター向けに300ギガワット時の電力を調達した。", "ja", 300.0, "GWh"),
])
def test_energy_units_written_out(text: str, lang: str, amount: float, unit: str) -> None:
    [claim] = claims_of(text, lang)
    assert (claim.topic, claim.amount, claim.unit) == ("energy", amount, unit)


def test_a_range_whose_ends_carry_bracketed_conversions_is_one_claim() -> None:
    text = "谷歌表示，今年资本支出目标为1600亿美元（约合新台币5万亿元）至1700亿美元（约合新台币5.3万亿元）。"
    assert summary(text, "zh") == [("google", "capex", 160e9, 170e9, "USD", None, None)]


def test_a_broker_word_after_the_company_own_figure_does_not_make_it_a_forecast() -> None:
    text = "Alphabet set its capex target at $150 billion, far above the price target logic of brokers."
    assert [c.amount for c in claims_of(text)] == [150e9]
    assert claims_of("Brokers expect Alphabet capex of $150 billion next year.") == []


def test_a_point_inside_an_earlier_range_is_a_new_figure_and_an_end_is_a_repeat() -> None:
    text = ("Alphabet guided capex to $80-82 billion. It finally spent $81.2 billion. "
            "Capex of $82 billion was the top of its range.")
    assert [(c.amount, c.amount_max) for c in claims_of(text)] == [(80e9, 82e9), (81.2e9, None)]


def test_korean_capex_with_a_bracketed_won_conversion_and_its_growth() -> None:
    text = "구글의 2분기 자본지출은 224억달러(약 30조원)로 전년 대비 70% 늘었다."
    assert summary(text, "ko") == [("google", "capex", 22.4e9, None, "USD", None, 70.0)]


def test_korean_cloud_growth_and_a_doubling_of_capacity() -> None:
    text = ("마이크로소프트의 애저 매출은 33% 증가했다. "
            "마이크로소프트는 향후 3년간 데이터센터 용량을 두 배로 늘린다고 밝혔다.")
    assert [(c.topic, c.amount, c.change_pct) for c in claims_of(text, "ko")] == [
        ("cloud", None, 33.0), ("cloud", 2.0, None)]


def test_korean_brokerage_outlook_on_big_tech_is_no_claim() -> None:
    text = "증권가에서는 구글과 마이크로소프트 등 빅테크 기업이 한국에 데이터센터를 지을 것이라는 전망이 나온다."
    assert claims_of(text, "ko") == []


def test_a_multiple_of_data_centre_energy_is_an_energy_claim() -> None:
    text = "Tencent expects the electricity consumption of its data centres in 2030 to be eight times the 2020 level."
    [claim] = claims_of(text.replace("eight times", "fivefold"))
    assert (claim.company, claim.topic, claim.amount, claim.unit) == ("tencent", "energy", 5.0, "x")


def test_a_share_raised_to_a_level_is_a_market_share_not_a_growth_rate() -> None:
    assert summary("Baidu AI Cloud was the third-largest provider, increasing its share to 9.1%.") == [
        ("baidu", "cloud", 3.0, None, None, "rank", None),
        ("baidu", "cloud", 9.1, None, None, "% market share", None),
    ]


def test_an_energy_cue_nearer_than_an_emissions_word_keeps_the_energy_figure() -> None:
    text = "Microsoft cut its data centre emissions by 9% last year despite a 31% rise in electricity use."
    assert summary(text) == [("microsoft", "energy", None, None, None, None, 31.0)]


def test_a_cloud_cue_in_brackets_listing_what_a_broader_revenue_covers_is_no_qualifier() -> None:
    text = "百度表示，AI相关收入（包括广告、云、智能设备）增长40%至约80亿元。"
    assert [c for c in claims_of(text, "zh") if c.topic == "cloud"] == []


def test_a_margin_of_the_segment_named_before_is_a_cloud_claim() -> None:
    text = ("Google Cloud grew 30 percent in the quarter. Enterprise demand stayed strong. "
            "Operating margins in the segment widened to 19.5 percent.")
    assert ("google", "cloud", 19.5, None, None, "% operating margin", None) in summary(text)


# Footprint statements (R4, R8, R11 of the dev labelling rules): a counted facility with a verb
# of opening, building or running it, or at a named place, is a cloud claim without a figure.
def test_a_data_centre_at_a_named_place_is_a_cloud_claim_beside_spending() -> None:
    text = "Baidu will spend $300 million on a new data centre in Lisbon, the company said."
    assert summary(text) == [("baidu", "cloud", None, None, None, None, None),
                             ("baidu", "capex", 300e6, None, "USD", None, None)]


def test_a_place_named_before_with_a_cloud_claim_is_not_claimed_again() -> None:
    # R8: several places in one sentence are one label; naming one of them again is no news.
    text = ("Alibaba Cloud said it will open data centres in Peru, Chile and Kenya next year. "
            "Alibaba Cloud opens a data centre in Chile.")
    claims = claims_of(text)
    assert [(c.company, c.topic, c.quote.split()[-1]) for c in claims] == [("alibaba", "cloud", "year.")]


def test_a_facility_in_a_sentence_on_energy_without_a_place_is_not_a_footprint() -> None:
    text = "Google operates its offices and data centres, and it wants them all on carbon-free energy."
    assert [c.topic for c in claims_of(text)] == []


def test_a_company_named_only_after_the_facility_is_not_its_builder() -> None:
    text = ("The minister said: \u201cWe want this country to host data centres in Europe.\u201d "
            "The plan of Microsoft shows the pull of the region.")
    assert [c for c in claims_of(text) if c.topic == "cloud"] == []


def test_a_facility_first_as_the_topic_in_japanese_is_still_the_company_s() -> None:
    text = "大阪府のデータセンターはバイドゥが昨年稼働させた。"
    assert summary(text, "ja") == [("baidu", "cloud", None, None, None, None, None)]


def test_a_cjk_place_suffix_keys_the_place_by_the_character_before_it() -> None:
    # "在德州" and "德州" are the same place: the second sentence repeats it.
    text = "谷歌宣布在德州建设数据中心。德州的数据中心由谷歌运营。"
    assert len([c for c in claims_of(text, "zh") if c.topic == "cloud"]) == 1


# --- energy and whose figure it is (issue 11) ----------------------------------------------------


def test_a_list_of_firms_names_no_subject_for_the_next_sentence() -> None:
    text = ("Last year Google, Microsoft and Amazon together spent more than the whole steel industry.\n\n"
            "Big campuses of that kind draw 150 MW each, as much as a small town.")
    assert claims_of(text) == []


def test_the_company_named_alone_stays_the_subject() -> None:
    text = ("Last year Google spent more than the whole steel industry.\n\n"
            "Its campus in Ohio draws 150 MW, as much as a small town.")
    assert [(c.company, c.topic, c.amount, c.unit) for c in claims_of(text)
            if c.amount is not None] == [("google", "energy", 150.0, "MW")]


def test_an_owned_total_is_the_companys_not_the_industrys() -> None:
    # "global electricity consumption" is the sector's total unless "its" owns it.
    [claim] = claims_of("Microsoft now matches 100% of its yearly global electricity consumption with wind and solar.")
    assert (claim.company, claim.topic, claim.amount) == ("microsoft", "energy", 100.0)
    assert claims_of("Data centres use 2% of global electricity consumption, Microsoft noted.") == []


def test_a_title_before_the_name_is_no_aggregate() -> None:
    [claim] = claims_of("美國科技巨頭 Google 宣布與一家核能公司達成協議，計劃興建小型核電廠。", lang="zh-Hant")
    assert (claim.company, claim.topic, claim.amount) == ("google", "energy", None)


def test_to_power_a_product_is_no_energy_statement() -> None:
    assert claims_of("Baidu announced new chips to power AI systems next year.") == []
    [claim] = claims_of("Baidu announced a wind farm deal to power data centres in Shanxi next year.")
    assert (claim.company, claim.topic) == ("baidu", "energy")


def test_hourly_share_is_a_target_of_its_own() -> None:
    text = ("Google matched 100% of its annual electricity use with renewable purchases.\n\n"
            "The company now aims at 100% of its electricity, 100% of the time, from carbon-free sources.")
    assert [(c.amount, c.unit) for c in claims_of(text)] == [(100.0, "%"), (100.0, "% hourly carbon-free")]


def test_yi_du_is_kilowatt_hours_and_a_ranking_is_no_forecast() -> None:
    text = "彭博新能源财经发布的企业绿电交易排行榜显示，腾讯以8.2亿度绿电交易规模位居买方第一名。"
    [claim] = claims_of(text, lang="zh")
    assert (claim.company, claim.topic, claim.unit) == ("tencent", "energy", "kWh")
    assert claim.amount == pytest.approx(8.2e8)
    # 度 alone stays a temperature.
    assert claims_of("腾讯的数据中心所在地年平均气温17度。", lang="zh") == []


def test_an_analyst_note_is_not_the_companys_statement() -> None:
    note = ("Tencent Cloud is expected to add about 2 GW of capacity a year until 2030. "
            "Goldman Sachs estimates that Tencent Cloud will reach 12 GW by 2030. "
            "Nomura predicts annual additions of 1-3 GW for Tencent Cloud. "
            "The projected path takes Tencent Cloud from 3 GW in 2024 to 12 GW in 2030.")
    assert claims_of(note) == []
    # A bank that speaks ("Nomura said") is still the note's voice.
    assert claims_of(note.replace("Nomura predicts", "Nomura said it sees")) == []
    # The same figures, once the company speaks in the text, are its own.
    spoken = note.replace("Tencent Cloud is expected to add", "Tencent said it would add")
    assert [(c.amount, c.unit) for c in claims_of(spoken)][:1] == [(2.0, "GW")]


def test_a_bulleted_list_goes_on_with_the_company_that_introduced_it() -> None:
    text = ("Tencent has set out its clean-power plan.\n"
            "It rests on two projects:\n"
            "- A wind farm in Inner Mongolia adds 150 MW\n"
            "- A campus battery in Tianjin stores 30 MWh")
    assert [(c.company, c.amount, c.unit) for c in claims_of(text)] == [
        ("tencent", 150.0, "MW"), ("tencent", 30.0, "MWh")]


def test_a_deal_is_one_energy_statement_and_the_comment_on_it_is_none() -> None:
    text = ("Google signed a deal with a geothermal developer to supply its Nevada data centres.\n"
            "Its energy director called the deal a milestone and said clean power will matter more.")
    assert [(c.company, c.amount) for c in claims_of(text) if c.topic == "energy"] == [("google", None)]


def test_our_firm_joined_to_another_is_a_party_to_their_deal() -> None:
    [claim] = claims_of("微软和一家能源公司Vistra达成了一项为其数据中心提供电力的新协议。", lang="zh")
    assert (claim.company, claim.topic) == ("microsoft", "energy")


def test_a_warehouse_is_no_capex() -> None:
    assert claims_of("Alibaba will invest $90 million in a logistics hub at Liege airport.") == []
    assert claims_of("Alibaba investira 80 millions d'euros dans un entrepôt à Liège.", lang="fr") == []


def test_an_undisclosed_investment_is_no_capex_statement() -> None:
    assert claims_of("Microsoft did not disclose how much it will invest in the new campus.") == []
    assert claims_of("Microsoft will invest more in new campuses.") != []


def test_money_for_electricians_is_no_capex() -> None:
    assert claims_of("Google will invest $2 million in a program that trains electricians in Iowa.") == []


def test_a_ranking_on_clean_energy_is_no_cloud_position() -> None:
    text = "綠色和平發布雲服務企業可再生能源排行榜，騰訊在雲服務企業中排名第一。"
    assert [c for c in claims_of(text, lang="zh-Hant") if c.topic == "cloud"] == []
    [claim] = claims_of("騰訊雲在中國雲服務市場排名第一。", lang="zh-Hant")
    assert (claim.company, claim.topic, claim.amount) == ("tencent", "cloud", 1.0)


@pytest.mark.parametrize(("lang", "text", "amount", "unit"), [
    ("fr", "Google a consommé 2,5 millions de mégawattheures d'électricité en 2023.", 2.5e6, "MWh"),
    ("es", "Microsoft consumió 2,5 millones de megavatios hora de electricidad en 2023.", 2.5e6, "MWh"),
    ("it", "Google ha consumato 2,5 milioni di megawattora di elettricità nel 2023.", 2.5e6, "MWh"),
    ("pt", "A Microsoft consumiu 2,5 milhões de megawatts-hora de eletricidade em 2023.", 2.5e6, "MWh"),
    ("ru", "Дата-центр Google потребил 400 тысяч МВт·ч в 2023 году.", 4e5, "MWh"),
    ("ko", "구글 데이터센터는 지난해 40만메가와트시의 전력을 썼다.", 4e5, "MWh"),
])
def test_energy_written_out_with_a_scale_word(lang: str, text: str, amount: float, unit: str) -> None:
    [claim] = claims_of(text, lang=lang)
    assert (claim.topic, claim.unit) == ("energy", unit)
    assert claim.amount == pytest.approx(amount)


def test_a_typical_data_centre_is_the_sector_not_the_company() -> None:
    text = ("Google opened a data centre in Ohio.\n"
            "A typical hyperscale data centre draws about 100 MW, as much as a small city.")
    assert [c for c in claims_of(text) if c.topic == "energy"] == []
    [claim] = [c for c in claims_of("Google's campus ran at a PUE of 1.10, against 1.58 for a typical data centre.")]
    assert (claim.amount, claim.unit) == (1.10, "PUE")


def test_an_efficiency_gain_stands_beside_the_power_figures() -> None:
    text = ("Microsoft will buy 300 MW of wind power for its Irish campus.\n"
            "The campus cools with outside air and reduces its energy use.")
    assert [(c.topic, c.amount) for c in claims_of(text)] == [("energy", 300.0), ("energy", None)]


def test_data_centres_in_general_are_the_sector() -> None:
    text = ("Google opened a data centre in Ireland.\n"
            "Data centres now use 21% of the country's electricity, the statistics office said.")
    assert [c for c in claims_of(text) if c.topic == "energy"] == []
    text = "Laut Netzagentur verbrauchen Rechenzentren 4 Prozent des deutschen Stroms; Google baut in Hanau."
    assert [c for c in claims_of(text, lang="de") if c.topic == "energy"] == []
    # The company's own data centres, said with its name, stay its own.
    [claim] = claims_of("Google's data centres drew 800 MW in 2024.")
    assert (claim.company, claim.topic, claim.amount) == ("google", "energy", 800.0)


def test_an_ngo_statistic_is_not_the_companys() -> None:
    text = "Tencent builds in Tianjin. Greenpeace counts 3 GW of coal power feeding cloud firms in the north."
    assert [c for c in claims_of(text) if c.topic == "energy"] == []


def test_a_facility_said_with_its_power_is_a_footprint_and_an_energy_statement() -> None:
    text = "テンセントは内蒙古に風力発電を利用したクラウドデータセンターを建設すると発表した。"
    assert [(c.company, c.topic) for c in claims_of(text, lang="ja")] == [("tencent", "cloud"), ("tencent", "energy")]
    # Power for data centres bought under a deal is no footprint.
    assert [c.topic for c in claims_of("Microsoft signed a deal to power its data centres with wind.")] == ["energy"]


def test_energy_as_colour_is_no_energy_cue() -> None:
    [claim] = claims_of("Alibaba's cloud unit said energy-hungry AI models will drive 40% revenue growth.")
    assert (claim.company, claim.topic, claim.change_pct) == ("alibaba", "cloud", 40.0)


def test_a_bank_named_as_the_source_takes_the_whole_sentence() -> None:
    text = "Microsoft is set to draw 5 GW by 2027, according to a Jefferies note."
    assert claims_of(text) == []
    # A bank quoted after the company's own target does not take it.
    [claim] = claims_of("Microsoft set a target of 5 GW of new wind power by 2027, far above what Jefferies expected.")
    assert (claim.company, claim.amount, claim.unit) == ("microsoft", 5.0, "GW")


def test_the_investment_told_again_is_no_second_statement() -> None:
    text = ("Microsoft plans to expand its investments in Swedish data centres.\n"
            "The investment will help local firms adopt AI, the company said.")
    assert [(c.company, c.topic) for c in claims_of(text) if c.topic == "capex"] == [("microsoft", "capex")]


def test_a_lead_in_clean_power_stands_beside_the_energy_figures() -> None:
    text = ("腾讯去年使用绿电12亿千瓦时。\n"
            "报告显示，其绿电使用比例已处于国内领先水平，但算力带来的碳排放仍在增长。")
    assert [(c.topic, c.amount) for c in claims_of(text, lang="zh")] == [("energy", 1.2e9), ("energy", None)]
    # "The first deal of its kind" is a launch, not a rank among buyers of clean power.
    text = ("Google will buy 500 MW from small reactors.\n"
            "Google called it the first corporate deal of its kind to buy nuclear energy.")
    assert [(c.topic, c.amount) for c in claims_of(text)] == [("energy", 500.0)]


def test_a_rate_after_a_water_figure_is_the_waters() -> None:
    assert claims_of("Google's data centres consumed 6.1 billion gallons of water last year, up 20%.") == []
    [claim] = claims_of("Google's data centres drew 25 TWh last year, up 20%.")
    assert (claim.topic, claim.amount, claim.change_pct) == ("energy", 25.0, 20.0)


def test_each_rank_among_clean_power_buyers_is_a_statement() -> None:
    text = ("腾讯去年使用绿电12亿千瓦时。\n"
            "报告显示，其绿电使用比例已处于国内领先水平。\n"
            "腾讯已成为国内游戏公司中购买绿电最多的企业。")
    assert [(c.topic, c.amount) for c in claims_of(text, lang="zh")] == [
        ("energy", 1.2e9), ("energy", None), ("energy", None)]


def test_an_agency_or_an_operator_owns_its_figure() -> None:
    text = ("Microsoft opened a data centre near Stockholm.\n"
            "Norway's energy agency expects data centres there to need 5 TWh by 2030.")
    assert [c for c in claims_of(text) if c.topic == "energy"] == []
    text = ("Microsoft opened a data centre near Vienna.\n"
            "A local data centre operator said it would add 40 MW of capacity nearby.")
    assert [c for c in claims_of(text) if c.topic == "energy"] == []


def test_a_goal_is_a_plan() -> None:
    for lang, text in (("en", "The report restates Google's aim to run on 24/7 carbon-free energy by 2030."),
                       ("de", "Microsoft hat sich zum Ziel gesetzt, bis 2030 nur Ökostrom zu nutzen.")):
        assert [(c.topic, c.amount) for c in claims_of(text, lang=lang) if c.amount is None] == [("energy", None)], text


def test_energy_emissions_are_emissions() -> None:
    assert claims_of("Google cut its data-centre energy emissions by 12% last year.") == []


def test_a_build_out_of_clean_power_beside_the_money_is_an_energy_statement() -> None:
    text = ("Microsoft wird 800 Millionen Euro in ein neues Rechenzentrum in Wien und in den Ausbau "
            "von Solarenergie stecken.")
    assert [(c.topic, c.amount) for c in claims_of(text, lang="de") if c.topic == "energy"] == [("energy", None)]


@pytest.mark.parametrize(("lang", "text"), [
    ("pt", "A Microsoft constrói um data center em Lisboa. Segundo a Agência Internacional de Energia, "
           "os data centers consumirão 900 TWh em 2030."),
    ("es", "Microsoft construye un centro de datos en Madrid. Según la Agencia Internacional de la Energía, "
           "los centros de datos consumirán 900 TWh en 2030."),
    ("ru", "Microsoft строит дата-центр в Москве. По данным Международного энергетического агентства, "
           "дата-центры потребят 900 ТВт·ч к 2030 году."),
    ("ko", "구글은 서울에 데이터센터를 짓는다. "
           "국제에너지기구에 따르면 데이터센터 전력 소비는 2030년 900테라와트시에 이를 전망이다."),
])
def test_the_energy_agency_speaks_for_the_sector_in_every_language(lang: str, text: str) -> None:
    assert [c for c in claims_of(text, lang=lang) if c.topic == "energy"] == []


def _dated(text: str, lang: str = "en") -> list[tuple[object, ...]]:
    article = Article(id="t", url="", lang=lang, text=text, date="2025-11-20")
    return [(c.company, c.topic, c.amount, c.change_pct) for c in extract_claims(article)]


@pytest.mark.parametrize(("lang", "text", "expected"), [
    # a sentence that opens on a year a decade or more before the article tells history
    ("en", "In 2010 Microsoft launched Azure, then called Windows Azure, with just a handful of data centres. "
           "Microsoft said Azure revenue grew 39% in the quarter.", [("microsoft", "cloud", None, 39.0)]),
    ("en", "Founded in 1999, Alibaba set up its cloud arm in 2009 with a single data centre in Hangzhou.", []),
    ("zh", "2009年，阿里巴巴成立阿里云，当时只有一座数据中心。阿里云本季度收入增长26%。",
     [("alibaba", "cloud", None, 26.0)]),
    # a total counted since then is news
    ("en", "Since 2015 Microsoft has invested $10 billion in data centres in the country.",
     [("microsoft", "capex", 10e9, None)]),
    # a recent year opens news
    ("en", "In 2024 Microsoft opened a data centre in Mexico.", [("microsoft", "cloud", None, None)]),
    # "since" is a whole word: Russian "с" is none at the end of "бизнес", German "seit" none in
    # "Seite"; "с тех пор", "seitdem" count on from the year
    ("ru", "В 2012 году облачный бизнес Alibaba вырос на 90%, а выручка достигла 1 млрд юаней.", []),
    ("ru", "В 2012 году Tencent открыла первый дата-центр, а с тех пор вложила в облако 8 млрд долларов.",
     [("tencent", "capex", 8e9, None)]),
    ("de", "2013 investierte Google an der Seite eines Partners 600 Millionen Euro in ein Rechenzentrum.", []),
    ("de", "2013 eröffnete Google sein erstes Rechenzentrum im Land; seitdem investierte der Konzern "
           "3 Milliarden Euro in Rechenzentren.", [("google", "cloud", None, None), ("google", "capex", 3e9, None)]),
])
def test_history_retrospectives_make_no_claim(lang: str, text: str, expected: list[tuple[object, ...]]) -> None:
    assert _dated(text, lang) == expected
