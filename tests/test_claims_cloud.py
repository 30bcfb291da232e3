"""Cloud statements on invented English sentences (literal inputs, literal outputs): results
measured against expectations, lists of companies, footprint without a figure."""

from __future__ import annotations

import pytest

from bot.analysis.claims import extract_claims
from bot.model import Article
from tests.support.claims import claims_of


def statements(text: str) -> list[tuple[str, str, float | None, float | None]]:
    claims = extract_claims(Article(id="t", url="", lang="en", text=text, title=None))
    return [(c.company, c.topic, c.amount, c.change_pct) for c in claims]


def test_cloud_revenue_below_analyst_targets_is_a_statement_of_each_company() -> None:
    text = "Azure and Google Cloud sales both came in below analyst targets for the quarter."
    assert statements(text) == [("microsoft", "cloud", None, None), ("google", "cloud", None, None)]


def test_better_than_expected_cloud_result_stands_beside_the_revenue_figure() -> None:
    text = ("Baidu reported stronger-than-expected results on its AI cloud business. "
            "Revenue at the cloud unit rose 21% to RMB 5 billion.")
    assert statements(text) == [("baidu", "cloud", None, None), ("baidu", "cloud", 5e9, 21.0)]


def test_comparison_word_without_an_estimate_is_no_statement() -> None:
    # "outpaced" compares with a rival's growth here, not with what analysts expected.
    text = "Alibaba Cloud revenue grew 30%, which outpaced Tencent Cloud and Baidu AI Cloud."
    assert [c for c in statements(text) if c[0] != "alibaba"] == []


def test_estimate_that_is_the_object_of_a_comparison_still_drops_its_own_figure() -> None:
    text = "Azure revenue rose 39%, above analysts' estimates of 37%."
    assert statements(text) == [("microsoft", "cloud", None, 39.0)]


def test_a_list_of_firms_as_subject_makes_a_statement_for_each_of_ours() -> None:
    text = "Microsoft, Oracle and Google have all unveiled plans to build new data centres in the kingdom."
    assert statements(text) == [("microsoft", "cloud", None, None), ("google", "cloud", None, None)]


def test_a_list_after_a_preposition_is_not_the_subject() -> None:
    text = "Last year, the spending by Microsoft, Oracle and Google, which are leaders in data centres, grew."
    assert statements(text) == []


def test_a_list_with_a_joint_figure_makes_no_statement_of_each() -> None:
    text = "Microsoft, Meta and Google will together spend $200 billion to build data centres this year."
    assert statements(text) == []


def test_sites_at_named_places_are_a_footprint_statement() -> None:
    text = "Tencent Cloud reported results. It also plans to expand its sites in Riyadh and Jeddah next year."
    assert statements(text) == [("tencent", "cloud", None, None)]


def test_sites_without_a_place_are_no_footprint() -> None:
    assert statements("Tencent Cloud said it plans to expand its sites next year.") == []


def test_figures_listed_after_firms_go_to_each_firm_in_turn() -> None:
    text = "Huawei Cloud and Baidu AI Cloud followed, with shares of 11.2% and 7.5% of the market."
    assert statements(text) == [("baidu", "cloud", 7.5, None)]


def test_two_ordinal_launches_in_one_sentence_are_one_claim() -> None:
    text = ("Tencent Cloud opened its second data centre in Jakarta and will launch a third data centre "
            "in Bangkok next year.")
    assert len(statements(text)) == 1


def test_cloud_revenue_growth_without_a_figure_stands_beside_the_figures() -> None:
    text = ("Tencent Cloud revenue rose 18% to RMB 12 billion. "
            "The unit has now posted double-digit revenue growth for five quarters in a row.")
    assert statements(text) == [("tencent", "cloud", 12e9, 18.0), ("tencent", "cloud", None, None)]


def test_growth_of_spending_or_of_another_firm_is_no_cloud_direction() -> None:
    text = ("Google Cloud revenue rose 28% to $13 billion. Google will spend more on data centres to meet "
            "demand, and Oracle projected higher sales.")
    # "spend more" is a capex statement of its own; no cloud one.
    assert statements(text) == [("google", "cloud", 13e9, 28.0), ("google", "capex", None, None)]


def test_dominating_a_market_is_a_market_position() -> None:
    assert statements("Tencent Cloud dominates the market for game hosting in Asia.") == [
        ("tencent", "cloud", None, None)]


def test_remaining_performance_obligation_is_cloud_not_spending() -> None:
    text = "Microsoft said its commercial remaining performance obligation rose to $315 billion."
    assert statements(text) == [("microsoft", "cloud", 315e9, None)]


def test_money_of_the_segment_referred_back_to_is_its_revenue() -> None:
    text = "Alibaba Cloud had a strong quarter. That segment grew 26% to RMB 33 billion."
    assert statements(text) == [("alibaba", "cloud", 33e9, 26.0)]


def test_a_share_that_rose_to_a_level_is_that_level() -> None:
    text = "Canalys said Google's share of the cloud market rose to 12% in the quarter."
    assert statements(text) == [("google", "cloud", 12.0, None)]


def test_a_share_of_a_country_names_no_firm() -> None:
    text = ("Alibaba Cloud led the market in the quarter. Meanwhile the region accounted for 9.5% of the "
            "world's cloud market share.")
    assert [c for c in statements(text) if c[2] is not None] == []


def test_a_capitalised_name_before_a_data_centre_is_its_place() -> None:
    text = "Baidu said its Yangquan data centre buys wind power from a nearby farm."
    assert statements(text) == [("baidu", "cloud", None, None)]


def test_an_acronym_or_a_cloud_name_before_a_data_centre_is_no_place() -> None:
    assert statements("Microsoft said its AI data centres are full.") == []


def test_a_footprint_that_expands_by_a_percentage_is_a_cloud_figure() -> None:
    text = "Microsoft plans to expand its existing footprint in Japan by more than 60 percent."
    assert statements(text) == [("microsoft", "cloud", None, 60.0)]


def test_a_count_in_a_clause_joined_before_the_company_is_not_its_count() -> None:
    text = "Malaysia has 60 data centres, and Google plans to add two more."
    assert [c for c in statements(text) if c[2] == 60.0] == []


def test_a_technology_after_in_is_no_place() -> None:
    text = "Baidu also announced plans to invest more in AI, cloud computing and data centres over the next decade."
    assert [c for c in statements(text) if c[1] == "cloud"] == []


def test_a_subheading_inside_the_text_makes_no_claim() -> None:
    text = "Microsoft reported results on Tuesday.\nTripling the Data Centre Footprint\nDemand keeps rising, it said."
    assert statements(text) == []


def test_a_position_in_a_relative_clause_of_a_country_is_no_company_s() -> None:
    text = ("Tencent Cloud reported results. Indonesia, which is becoming the largest cloud market in the "
            "region, draws many providers.")
    assert statements(text) == []


def test_a_position_in_a_relative_clause_of_the_company_is_its_own() -> None:
    text = "Alibaba Cloud, which is the largest cloud provider in China, reported results."
    assert statements(text) == [("alibaba", "cloud", None, None)]


def test_a_japanese_line_with_latin_names_is_no_subheading() -> None:
    from bot.analysis.claims.text import is_heading
    assert is_heading("Doubling the Data Centre Footprint")
    assert not is_heading("- MicrosoftがShizen Energyから電力を購入")
    assert not is_heading("Microsoft said demand keeps rising.")


def test_a_heading_is_told_from_the_bytes_of_its_sentence_as_from_its_text() -> None:
    from bot.analysis.claims.text import Sentence, heading_at, is_heading
    for line in ("Scaling Up the Cloud Region Network", "Baidu Opens Two Regions.", "Tencent Cloud: Next Steps",
                 "Alibaba's Plans (Abridged)", "微软扩建数据中心", "Google Adds Capacity »"):
        data = line.encode()
        assert heading_at(data, Sentence(0, len(data), 0, 0)) == is_heading(line), line
    assert heading_at(b"Scaling Up the Cloud Region Network", Sentence(0, 35, 0, 0))
    assert not heading_at(b"Baidu Opens Two Regions.", Sentence(0, 24, 0, 0))


def test_money_that_grew_beside_a_cloud_word_with_no_spending_word_is_revenue() -> None:
    text = "Tencent's cloud business grew 15% to RMB 9 billion in the quarter."
    assert statements(text) == [("tencent", "cloud", 9e9, 15.0)]


def test_a_segment_that_merely_includes_the_cloud_is_not_cloud() -> None:
    # R9: "FinTech and Business Services" is broader than the cloud.
    text = "Tencent reported results. Its FinTech and Business Services segment grew 9% to RMB 57 billion."
    assert statements(text) == []


def test_growth_of_the_market_is_not_the_growth_of_a_company_named_later() -> None:
    # The 21% is the market's; Google gaining share is a market position of its own (R4, R5).
    text = "The cloud market grew 21% in the quarter, Canalys said, with Google gaining share."
    assert statements(text) == [("google", "cloud", None, None)]


def test_a_share_of_revenue_up_from_an_earlier_share_is_two_levels_not_a_growth_rate() -> None:
    text = "Baidu AI Cloud contributed 28 percent of Baidu Core revenue in the quarter, up from 22 percent a year ago."
    assert statements(text) == [("baidu", "cloud", 28.0, None), ("baidu", "cloud", 22.0, None)]


def test_a_market_share_that_rose_from_an_earlier_level_gives_both_levels() -> None:
    text = "Google's share of the cloud market rose to 11% in the second quarter from 10% a year earlier."
    assert [(c.amount, c.unit, c.change_pct) for c in claims_of(text)] == [
        (11.0, "% market share", None), (10.0, "% market share", None)]


def test_a_growth_rate_up_from_an_earlier_rate_stays_a_rate() -> None:
    # Not a share: "up from 35%" compares two growth rates, and neither is a level.
    text = "Azure revenue rose 40% in the quarter, up from 35% growth in the quarter before."
    assert statements(text)[0] == ("microsoft", "cloud", None, 40.0)


def test_what_a_law_or_licence_lets_a_firm_do_is_no_footprint() -> None:
    assert statements("Under the new law, Tencent can open and operate data centres in Indonesia.") == []
    assert statements("Microsoft is allowed to build data centres in the special zone under its licence.") == []
    assert statements("Google is permitted to run a cloud region in the kingdom, the regulator said.") == []


def test_a_plan_beside_no_capability_word_stays_a_footprint() -> None:
    assert statements("Tencent will open two data centres in Indonesia next year.") == [
        ("tencent", "cloud", 2.0, None)]


def test_passing_or_losing_ground_against_a_rival_is_a_market_position() -> None:
    assert statements("Microsoft Azure overtook Amazon Web Services in the European cloud market last quarter.") == [
        ("microsoft", "cloud", None, None)]
    assert statements("Alibaba Cloud lost market share to Huawei Cloud in the first half of the year.") == [
        ("alibaba", "cloud", None, None)]
    assert statements("Baidu AI Cloud was the runner-up in China's AI cloud market in 2024.") == [
        ("baidu", "cloud", None, None)]


def test_the_firms_a_ranked_provider_stands_behind_each_rank_ahead() -> None:
    text = "Tencent Cloud was the third-largest provider in the region after Alibaba Cloud, Amazon and Microsoft."
    assert statements(text) == [("alibaba", "cloud", None, None), ("microsoft", "cloud", None, None),
                                ("tencent", "cloud", 3.0, None)]


def test_a_rank_with_no_firm_named_behind_it_gives_the_ranked_firm_only() -> None:
    text = "Baidu AI Cloud was the fourth-largest provider after a year of strong growth in China."
    assert statements(text) == [("baidu", "cloud", 4.0, None)]


def test_a_share_held_together_is_a_market_position_of_each_listed_firm() -> None:
    text = "Microsoft and Google together control about 45 percent of the global cloud infrastructure market."
    assert statements(text) == [("microsoft", "cloud", None, None), ("google", "cloud", None, None)]
    text = ("China's cloud market grew 60% in the quarter. "
            "Alibaba, Huawei, Tencent and Baidu lead with a combined market share of 81%.")
    assert statements(text) == [("alibaba", "cloud", None, None), ("tencent", "cloud", None, None),
                                ("baidu", "cloud", None, None)]


def test_a_joint_share_of_another_market_or_a_forecast_one_is_no_cloud_position() -> None:
    assert statements("The online retail market is crowded. Alibaba, JD and Pinduoduo together hold 80% "
                      "of the market.") == []
    assert statements("Amazon, Microsoft and Google will together hold 70% of the cloud market by 2027.") == []
    assert statements("Amazon, Microsoft and Google together spent $200 billion on data centres last year, "
                      "a combined share of 60% of the market.") == []


def test_a_single_cloud_region_at_a_place_going_live_is_a_footprint() -> None:
    assert statements("Google said its new Dammam cloud region is now online.") == [("google", "cloud", None, None)]
    assert statements("Alibaba Cloud's new data centre in Seoul began operations on Monday.") == [
        ("alibaba", "cloud", None, None)]
    assert statements("Google is expanding its data centre footprint in Finland.") == [("google", "cloud", None, None)]


def test_cloud_revenue_growth_said_a_few_words_after_the_revenue_is_a_direction() -> None:
    assert statements("Tencent said revenue from its cloud services business grew at a double-digit pace.") == [
        ("tencent", "cloud", None, None)]
    assert statements("Alibaba said AI-related product revenue at its cloud unit posted triple-digit growth "
                      "for the eighth straight quarter.") == [("alibaba", "cloud", None, None)]


def test_a_rise_said_of_spending_beside_a_revenue_word_is_no_cloud_direction() -> None:
    assert statements("On its earnings call, Alibaba said it intends to increase spending on AI and cloud "
                      "computing infrastructure.") == [("alibaba", "capex", None, None)]
    assert statements("Alongside strong earnings, the company revealed a large increase in capital expenditures "
                      "to expand its AI infrastructure.") == []


def test_an_ordinal_launch_beside_a_count_of_the_same_topic_is_said_by_the_count() -> None:
    # R11: the sentence carries a cloud figure of the company, so no figure-less launch beside it.
    text = "Microsoft has opened its first cloud region in Malaysia, with three availability zones near the capital."
    assert statements(text) == [("microsoft", "cloud", 3.0, None)]


def test_bullet_items_go_on_about_the_company_of_the_line_that_introduces_them() -> None:
    text = ("Alibaba Cloud's expansion plans for next year:\n- New data centres in Mexico and Thailand\n"
            "- Revenue growth of 26% to RMB 33.4 billion")
    assert statements(text) == [("alibaba", "cloud", None, None), ("alibaba", "cloud", 33.4e9, 26.0)]


def test_a_heading_that_names_a_company_over_a_list_is_the_subject_of_its_items() -> None:
    text = "Microsoft Azure highlights\n- 60 regions worldwide\n- Revenue up 39% in the quarter"
    assert statements(text) == [("microsoft", "cloud", 60.0, None), ("microsoft", "cloud", None, 39.0)]


def test_each_list_goes_on_about_its_own_introducing_line() -> None:
    text = "Google Cloud:\n- a new region in Mexico\nMicrosoft:\n- a data centre in Kenya"
    assert statements(text) == [("google", "cloud", None, None), ("microsoft", "cloud", None, None)]


def test_a_bullet_list_under_no_company_claims_nothing() -> None:
    text = "What the region offers:\n- new data centres in Mexico and Thailand\n- cheap power"
    assert statements(text) == []


def test_a_plan_restated_after_in_addition_to_is_no_new_statement() -> None:
    text = "In addition to the data center plans, Google also launched a training program with a local college."
    assert statements(text) == []


def test_a_share_before_with_about_after_from_is_the_earlier_level_not_a_growth_rate() -> None:
    text = "Clean power now makes up 56% of the electricity used by Alibaba Cloud, up from about 51% a year earlier."
    assert [c for c in statements(text) if c[1] == "cloud"] == []


def test_a_share_of_another_business_is_no_cloud_market_position() -> None:
    assert statements("Alibaba's share of China's e-commerce market fell to 40% last year.") == []
    assert statements("Google's share of the smartphone market rose to 5% in the quarter.") == []


def test_a_market_share_far_from_any_cloud_word_is_no_cloud_figure() -> None:
    text = ("Tencent reported results on Wednesday. Its games were popular. Music did well. Adverts rose. "
            "Tencent held a 30% share of the market.")
    assert statements(text) == []


def test_a_share_that_moves_just_after_a_cloud_survey_is_each_firms_position() -> None:
    text = ("The cloud market grew 21% in the quarter, Synergy said. "
            "Google's market share has gone up slightly since 2020, and Microsoft's has gone up substantially.")
    assert statements(text) == [("google", "cloud", None, None), ("microsoft", "cloud", None, None)]


def test_a_cloud_segment_line_far_from_the_company_is_the_only_named_company_s() -> None:
    text = ("Baidu reported third-quarter results on Tuesday.\nNet loss was RMB 11.2 billion.\n"
            "Diluted earnings per share were RMB 11.12.\nSegment Results\n"
            "AI Cloud Infra revenue reached RMB 4.2 billion, up 33% year-over-year.\n"
            "Subscription-based accelerator infrastructure revenue grew 128% year-over-year.")
    assert statements(text) == [("baidu", "cloud", 4.2e9, 33.0), ("baidu", "cloud", None, 128.0)]


def test_a_cloud_revenue_line_of_a_country_or_a_market_is_no_company_s() -> None:
    text = ("Baidu reported results.\n\nDiluted earnings per share were RMB 11.\n\nThe year was busy.\n\n"
            "Public cloud revenue in China grew 30% in 2024.\n\nThe cloud market share of small vendors fell 2%.")
    assert statements(text) == []


def test_a_line_with_no_company_in_an_article_that_names_two_is_no_one_s() -> None:
    text = ("Baidu and Tencent reported results.\n\nNet loss was RMB 1 billion.\n\nThe year was busy.\n\n"
            "AI Cloud revenue grew 30% year-over-year.")
    assert statements(text) == []


def test_servers_counted_with_an_adjective_are_installed_capacity_beside_a_spending_plan() -> None:
    text = "Baidu plans to increase its investment in data centres (5 million intelligent cloud servers by 2030)."
    assert statements(text) == [("baidu", "capex", None, None), ("baidu", "cloud", 5e6, None)]


def test_countries_with_data_centres_are_counted_footprint() -> None:
    assert statements("Google Cloud now has data centres in 40 countries.") == [("google", "cloud", 40.0, None)]


def test_countries_a_firm_sells_in_are_no_footprint() -> None:
    assert statements("Microsoft sells software in 190 countries.") == []
    assert statements("Alibaba Cloud serves customers in 200 countries and regions.") == []


def test_a_share_that_makes_up_revenue_is_a_level_not_a_growth_rate() -> None:
    assert statements("AI Cloud made up 26% of Baidu Core revenue in the quarter.") == [
        ("baidu", "cloud", 26.0, None)]


def test_past_results_a_bank_note_cites_are_the_companies_figures() -> None:
    text = ("Its growth matched that of its US peers - Microsoft's Azure and Google Cloud - which posted 40 per cent "
            "and 33.5 per cent gains, respectively, according to a research note by a bank.")
    assert statements(text) == [("microsoft", "cloud", None, 40.0), ("google", "cloud", None, 33.5)]


def test_a_result_a_bank_note_expects_stays_its_forecast() -> None:
    assert statements("Azure will post 40% growth next quarter, according to a research note by a bank.") == []


def test_a_distant_rank_behind_rivals_is_a_rank_and_the_rivals_rank_ahead() -> None:
    assert statements("Google Cloud is a distant third behind AWS and Microsoft Azure.") == [
        ("microsoft", "cloud", None, None), ("google", "cloud", 3.0, None)]


def test_the_subject_that_overtook_a_rival_holds_the_position() -> None:
    assert statements("Microsoft overtook AWS as the biggest cloud vendor by revenue.") == [
        ("microsoft", "cloud", None, None)]


def test_cloud_gaming_and_cloud_prices_are_no_cloud_business_statements() -> None:
    assert statements("Google will shut down its cloud gaming service in January.") == []
    assert statements("Alibaba Cloud cut prices of its storage products by up to 55%.") == []


def test_taking_share_from_a_rival_is_a_market_position() -> None:
    assert statements("Azure took share from AWS again in the quarter, according to Synergy.") == [
        ("microsoft", "cloud", None, None)]


def test_spinning_off_or_listing_the_cloud_unit_is_no_statement_on_its_business() -> None:
    assert statements("Alibaba scrapped plans to spin off its cloud unit.") == []
    assert statements("Alibaba said it would not pursue an IPO of its cloud unit this year.") == []


def test_a_numeric_ordinal_launch_at_a_place_is_a_footprint() -> None:
    assert statements("Tencent Cloud opened its 3rd region in Indonesia.") == [("tencent", "cloud", None, None)]


def test_a_sentence_that_points_back_at_a_change_gives_the_cloud_figure_before_it_a_direction() -> None:
    text = ("Alibaba's Cloud Intelligence Group posted a 38% surge in revenue to 41.6 billion yuan. "
            "This acceleration surpasses the growth of the previous two quarters.")
    assert statements(text) == [("alibaba", "cloud", 41.6e9, 38.0), ("alibaba", "cloud", None, None)]


def test_pointing_back_at_a_change_after_spending_or_naming_a_company_says_no_cloud_direction() -> None:
    assert statements("Alibaba's capex rose to 38 billion yuan. This acceleration surprised investors.") == [
        ("alibaba", "capex", 38e9, None)]


def test_the_momentum_of_the_cloud_business_accelerating_is_a_direction() -> None:
    text = ('"Core revenue grew 7 percent, driven by the accelerating momentum of AI Cloud," '
            "said Baidu's chief executive.")
    assert statements(text) == [("baidu", "cloud", None, None)]


def test_regions_planned_a_few_sentences_after_the_cloud_was_named_are_its_footprint() -> None:
    text = ("Tencent Cloud opened a region in Jakarta on Monday. Local banks welcomed the move. "
            "Officials said demand for computing keeps rising. Rivals have been slower. "
            "Tencent said it plans to open further regions in Peru and in Chile next year.")
    assert statements(text) == [("tencent", "cloud", None, None), ("tencent", "cloud", None, None)]


def test_regions_of_a_country_far_from_any_cloud_are_no_footprint() -> None:
    text = ("Tencent reported results on Monday. Games revenue rose. Advertising was flat. Fintech grew. "
            "Music sales fell. Tencent said it plans to open further regions in Peru and in Chile next year.")
    assert statements(text) == []


@pytest.mark.parametrize(("lang", "text", "expected"), [
    ("en", "The launch brings the number of Microsoft cloud regions worldwide to 61.",
     [("microsoft", "cloud", 61.0, None)]),
    ("fr", "Google entend porter à 20 000 le nombre de GPU installés dans ses centres de données français.",
     [("google", "cloud", 20000.0, None)]),
    ("es", "Con la apertura, el número de regiones de Azure en el mundo asciende a 62.",
     [("microsoft", "cloud", 62.0, None)]),
    # a year, or a number of anything the tables do not count, is no count
    ("en", "Microsoft gave the number of its cloud regions in 2025 only in a footnote.", []),
    ("en", "Alibaba said the number of its cloud engineers in Warsaw reached 3,000.", []),
])
def test_a_count_whose_noun_is_named_by_the_number_of(lang: str, text: str, expected: list[tuple[object, ...]]) -> None:
    claims = extract_claims(Article(id="t", url="", lang=lang, text=text, title=None))
    assert [(c.company, c.topic, c.amount, c.change_pct) for c in claims] == expected


def test_the_division_refers_back_to_the_cloud_unit_named_without_the_company() -> None:
    text = ("Baidu said group revenue was flat. Search advertising revenue fell 8 per cent. "
            "AI Cloud did better. Revenue at the division rose 30 per cent to 8 billion yuan.")
    assert statements(text) == [("baidu", "cloud", 8e9, 30.0)]


def test_the_division_after_another_firms_cloud_unit_is_not_the_company_s() -> None:
    text = ("Baidu said group revenue was flat. Rival Alibaba's cloud business did better, analysts said. "
            "Revenue at the division rose 30 per cent to 8 billion yuan.")
    assert [c for c in statements(text) if c[0] == "baidu"] == []
