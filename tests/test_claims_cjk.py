"""Chinese (both scripts) and Japanese wording: energy units and tenths written out, segment
parts, places before the facility, facility anaphors, a multiple of capex. Every text is an
invented sentence; the expected claims are written out by hand."""

from __future__ import annotations

import pytest

from tests.support.claims import claims_of, summary


@pytest.mark.parametrize(("text", "expected"), [
    # 度 glued to a scale is a kilowatt-hour, not yuan
    ("腾讯去年采购绿电12.5亿度。", [("tencent", "energy", 1.25e9, None, None, "kWh", None)]),
    ("百度數據中心去年用電3000萬度。", [("baidu", "energy", 3e7, None, None, "kWh", None)]),
])
def test_chinese_kilowatt_hours_written_as_du(text: str, expected: list[tuple[object, ...]]) -> None:
    assert summary(text, "zh") == expected


def test_chinese_temperature_in_du_is_no_figure() -> None:
    assert summary("阿里云的数据中心所在地区年平均气温17度。", "zh") == []


@pytest.mark.parametrize(("lang", "text", "change"), [
    ("zh", "阿里云称，其数据中心的制冷能耗节省了8成。", -80.0),
    ("ja", "グーグルはデータセンターの消費電力を3割削減した。", -30.0),
])
def test_tenths_in_words_are_percentages(lang: str, text: str, change: float) -> None:
    assert [(c.topic, c.change_pct) for c in claims_of(text, lang)] == [("energy", change)]


def test_a_part_of_the_cloud_segment_after_of_which_is_cloud() -> None:
    text = "腾讯云收入增长20%至150亿元，其中AI相关订阅收入增长90%。"
    assert summary(text, "zh") == [("tencent", "cloud", 15e9, None, "CNY", None, 20.0),
                                   ("tencent", "cloud", None, None, None, None, 90.0)]


def test_an_adverb_starting_with_da_is_no_market_rank() -> None:
    # 大致 ("roughly") is not the 大 of 第三大: the percentage is no market share
    text = "据百度介绍，今年春节期间大致有10%的流量由百度智能云处理。"
    assert summary(text, "zh") == []


@pytest.mark.parametrize(("lang", "text", "expected"), [
    ("zh", "微软今年的资本支出可能会翻倍。", [("microsoft", "capex", None, None, None, None, 100.0)]),
    ("ja", "グーグルは今年の設備投資を倍増させる。", [("google", "capex", None, None, None, None, 100.0)]),
])
def test_a_multiple_of_capex_itself_is_its_growth(lang: str, text: str,
                                                  expected: list[tuple[object, ...]]) -> None:
    assert summary(text, lang) == expected


def test_a_rough_multiple_of_investments_is_no_growth_figure() -> None:
    # "nearly double": the press's arithmetic; what is left is the plan, without a figure
    text = "Alphabet will seine Investitionen in diesem Jahr nahezu verdoppeln."
    assert summary(text, "de") == [("google", "capex", None, None, None, None, None)]


@pytest.mark.parametrize(("lang", "text"), [
    ("zh", "核电站将为谷歌位于俄亥俄州的数据中心提供清洁能源。"),
    ("ja", "新しい原子炉はオハイオ州のグーグルのデータセンターに電力を供給する。"),
])
def test_a_place_before_the_facility_is_a_footprint_even_when_power_goes_to_it(lang: str, text: str) -> None:
    assert ("google", "cloud", None) in [(c.company, c.topic, c.amount) for c in claims_of(text, lang)]


def test_this_data_centre_points_back_and_is_no_second_facility() -> None:
    text = "腾讯云位于德州的数据中心正式启用。这一数据中心将采用湖水进行冷却。"
    assert summary(text, "zh") == [("tencent", "cloud", None, None, None, None, None)]
    assert claims_of(text, "zh")[0].quote == "腾讯云位于德州的数据中心正式启用。"


@pytest.mark.parametrize(("lang", "text", "expected"), [
    # the noun is the topic, its count follows with a counter
    ("ja", "グーグルのデータセンターは世界に30か所ある。",
     [("google", "cloud", 30.0, None, None, "data centres", None)]),
    ("zh", "腾讯云的数据中心在全球共有5座。",
     [("tencent", "cloud", 5.0, None, None, "data centres", None)]),
    # a counter with no facility before it counts nothing of ours
    ("ja", "グーグルは店舗を全国に30か所設けた。", []),
])
def test_a_count_after_its_facility_noun(lang: str, text: str, expected: list[tuple[object, ...]]) -> None:
    assert summary(text, lang) == expected


def test_an_ordinal_site_said_twice_is_one_launch() -> None:
    text = "テンセントは日本に3か所目となるデータセンターを設ける。「日本に3カ所目のデータセンターを設ける」と述べた。"
    claims = claims_of(text, "ja")
    assert [(c.company, c.topic) for c in claims] == [("tencent", "cloud")]
    assert claims[0].quote == "テンセントは日本に3か所目となるデータセンターを設ける。"


def test_double_without_a_number_is_a_multiple_and_after_one_is_its_unit() -> None:
    assert summary("アリババのクラウド事業は日本で倍以上伸びた。", "ja") == [
        ("alibaba", "cloud", 2.0, None, None, "x", None)]
    assert summary("グーグルはデータセンターの電力を3倍以上に増やす。", "ja") == [
        ("google", "energy", 3.0, None, None, "x", None)]


def test_a_kind_word_before_one_name_is_its_title_not_an_industry() -> None:
    text = "美国科技巨头微软宣布与核电公司达成购电协议。"
    assert summary(text, "zh") == [("microsoft", "energy", None, None, None, None, None)]


def test_the_first_of_a_pair_that_signs_a_deal_is_a_party_but_a_list_is_an_aggregate() -> None:
    assert summary("微软和Constellation达成了一项核电购电协议。", "zh") == [
        ("microsoft", "energy", None, None, None, None, None)]
    assert summary("亚马逊、微软和Meta达成了核电购电协议。", "zh") == []


def test_a_deal_referred_back_to_is_not_claimed_again() -> None:
    text = "谷歌与核能公司签署购电协议。根据协议，谷歌将购买核电。"
    claims = claims_of(text, "zh")
    assert [(c.company, c.topic, c.quote) for c in claims] == [
        ("google", "energy", "谷歌与核能公司签署购电协议。")]


def test_energy_setting_that_names_no_company_is_not_its_statement() -> None:
    text = "微软签署了核电购电协议。\n当年事故发生后，美国多年没有兴建新的核电站。"
    claims = claims_of(text, "zh")
    assert [c.quote for c in claims] == ["微软签署了核电购电协议。"]


def test_a_league_table_of_energy_performance_ranks_no_cloud_market() -> None:
    text = "环保组织发布云服务企业可再生能源表现排行榜，阿里巴巴排名第一。"
    assert "cloud" not in [c.topic for c in claims_of(text, "zh")]


@pytest.mark.parametrize(("lang", "text", "expected"), [
    # Alibaba's cloud segment by its group name wins over 集团收入 (group revenue)
    ("zh", "阿里巴巴各分部中，云智能集团收入同比增长26%至334亿元；本地生活集团收入为180亿元。",
     [("alibaba", "cloud", 334e8, None, "CNY", None, 26.0)]),
    ("ja", "アリババのクラウド・インテリジェンス・グループの売上高は前年同期比26%増の334億元だった。",
     [("alibaba", "cloud", 334e8, None, "CNY", None, 26.0)]),
    # another segment's growth after the cloud group's: its 集团 refers back to nothing
    ("zh", "云智能集团收入增长26%至334亿元。分部方面，淘天集团客户管理收入增长9%。",
     [("alibaba", "cloud", 334e8, None, "CNY", None, 26.0)]),
    # Tencent's fintech and business services only include the cloud (R9)
    ("zh-Hant", "騰訊金融科技及企業服務收入增長10%至582億元。", []),
    # a cloud backlog is what the unit has sold, never spending
    ("zh", "微软表示，其云业务未交付订单达到3680亿美元。", [("microsoft", "cloud", 368e9, None, "USD", None, None)]),
])
def test_segments_and_backlog(lang: str, text: str, expected: list[tuple[object, ...]]) -> None:
    assert summary(text, lang) == expected


@pytest.mark.parametrize(("lang", "text", "topic"), [
    ("ja", "百度のAIクラウド事業は中国市場で首位を維持している。", "cloud"),
    ("ja", "グーグルは2030年までに全てのデータセンターをカーボンフリー電力で運営する目標を掲げる。", "energy"),
    ("zh", "谷歌的目标是在2030年前让所有数据中心全天候使用无碳能源。", "energy"),
])
def test_figureless_positions_and_targets(lang: str, text: str, topic: str) -> None:
    assert [(c.topic, c.amount) for c in claims_of(text, lang)] == [(topic, None)]


def test_japanese_names_of_alphabet_and_other_firms() -> None:
    assert summary("米アルファベットは2025年の設備投資を750億ドルとする計画を示した。", "ja") == [
        ("google", "capex", 75e9, None, "USD", None, None)]
    assert summary("ソフトバンクは北海道に1000億円を投じてデータセンターを建設する。", "ja") == []


def test_a_year_inside_a_cjk_amount_is_no_period() -> None:
    claims = claims_of("グーグルは1兆2000億円を投じて日本にデータセンターを建設する。", "ja")
    assert [(c.amount, c.period) for c in claims] == [(1.2e12, None)]


def test_one_launch_per_sentence_and_company() -> None:
    text = "腾讯云宣布在沙特开服首个数据中心，并计划在日本大阪新增第三个可用区。"
    assert len(claims_of(text, "zh")) == 1


def test_all_renewable_in_taiwanese_wording_is_a_full_share() -> None:
    assert summary("谷歌在台湾的资料中心已全部使用再生能源。", "zh") == [
        ("google", "energy", 100.0, None, None, "%", None)]


def test_a_place_that_opens_data_centres_is_the_setting_but_the_funds_refer_back() -> None:
    setting = "グーグルは千葉県印西市にデータセンターを開設した。\n印西市は、データセンターの開設が相次いでいる地域だ。"
    assert len(claims_of(setting, "ja")) == 1
    funds = "マイクロソフトは日本に29億ドルを投資する。\n資金は主に東日本のデータセンターの拡張に充てる。"
    assert ("microsoft", "cloud") in [(c.company, c.topic) for c in claims_of(funds, "ja")]


@pytest.mark.parametrize(("lang", "text", "amount"), [
    ("zh-Hant", "Google先前已在德州兩個地點設有資料中心。", 2.0),
    ("zh", "谷歌在德州3个地点设有数据中心。", 3.0),
])
def test_sites_with_data_centres_are_counted(lang: str, text: str, amount: float) -> None:
    assert summary(text, lang) == [("google", "cloud", amount, None, None, "data centres", None)]


def test_sites_with_offices_are_not() -> None:
    assert summary("谷歌在全球20个地点设有办公室。", "zh") == []


@pytest.mark.parametrize(("lang", "text", "expected"), [
    # the cloud business's orders or revenue growing, without a figure (R4: a direction)
    ("ja", "テンセントはヨーロッパでもクラウド関連の受注が増えているという。",
     [("tencent", "cloud", None, None, None, None, None)]),
    # praise names growth without saying any
    ("zh", "李彦宏表示，模型推理是百度AI云收入的关键增长动力。", []),
])
def test_cloud_direction_in_chinese_and_japanese(lang: str, text: str, expected: list[tuple[object, ...]]) -> None:
    assert summary(text, lang) == expected


@pytest.mark.parametrize(("lang", "text"), [
    ("zh", "谷歌宣布将投资55亿欧元，扩大数据中心规模。"),
    ("ja", "マイクロソフトは29億ドルの投資を計画し、データセンター拡大に対応する。"),
])
def test_money_that_expands_a_facility_glued_to_it_is_also_a_footprint_plan(lang: str, text: str) -> None:
    assert sorted(c.topic for c in claims_of(text, lang)) == ["capex", "cloud"]


def test_money_spent_on_a_list_that_includes_data_centres_is_capex_only() -> None:
    text = "谷歌去年投入914亿美元，主要用于服务器、数据中心和网络设备。"
    assert [c.topic for c in claims_of(text, "zh")] == ["capex"]


@pytest.mark.parametrize(("text", "expected"), [
    # servers named before their count, the counter 万台 glued to the number (R2)
    ("腾讯云深圳数据中心今年新增服务器约6万台。", [("tencent", "cloud", 6e4, None, None, "servers", None)]),
    ("阿里云张北智算中心投产。一期上线伺服器規模達12萬台，用于大模型训练。",
     [("alibaba", "cloud", None, None, None, None, None), ("alibaba", "cloud", 1.2e5, None, None, "servers", None)]),
    # a cluster counted in ten thousands of cards is the company's installed capacity
    ("百度智能云在阳泉点亮了两万卡集群。", [("baidu", "cloud", 2e4, None, None, "accelerator cards", None)]),
    # 万台 counts machines only: a data centre named before it is not counted
    ("腾讯云数据中心可容纳机柜5万台。", []),
    # servers of a plant with no cloud word near are no cloud capacity
    ("工厂今年生产服务器约8万台。", []),
])
def test_chinese_servers_and_cards_counted_in_ten_thousands(text: str, expected: list[tuple[object, ...]]) -> None:
    assert summary(text, "zh") == expected


@pytest.mark.parametrize(("lang", "text", "expected"), [
    # 位居第一 said after the share, in a clause of its own: a rank figure beside the share (R5)
    ("zh", "据IDC统计，百度智能云在中国AI公有云市场占比26%，位居第一。",
     [("baidu", "cloud", 26.0, None, None, "% market share", None), ("baidu", "cloud", 1.0, None, None, "rank", None)]),
    # the ranking goes on in the next sentence, which names no market of its own
    ("zh-Hant", "根據Canalys數據，騰訊雲在亞洲雲市場排名第二。微軟則排名第四。",
     [("tencent", "cloud", 2.0, None, None, "rank", None), ("microsoft", "cloud", 4.0, None, None, "rank", None)]),
    # a rank far from any cloud market is no cloud position
    ("zh", "百度股价今年上涨30%。百度在中国企业排行榜中排名第四。", []),
])
def test_chinese_ranks_beside_a_share_and_after_the_market(lang: str, text: str,
                                                           expected: list[tuple[object, ...]]) -> None:
    assert summary(text, lang) == expected


def test_a_rank_told_before_leaves_a_facility_opened_later_standing() -> None:
    text = "據Synergy統計，微軟在亞太雲市場排名第二。微軟另宣布，其在泰國的新雲端區域已投入服務。"
    assert [(c.company, c.amount) for c in claims_of(text, "zh-Hant")] == [("microsoft", 2.0), ("microsoft", None)]
