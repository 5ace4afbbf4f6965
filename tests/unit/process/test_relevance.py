"""Relevance on a small hand-written Vietnamese set, including namesakes in other provinces."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from postwatch.process.relevance import RelevanceRules, load_gazetteer
from postwatch.rules.match import Matcher
from postwatch.yamlconf import ConfigError

from .conftest import hits_by_post


def _relevance(matcher: Matcher, rules: RelevanceRules, **post: Any):
    post = {"platform": "facebook", "post_id": "1", "kind": "watched", **post}
    return rules.decide(post, hits_by_post(matcher, [post])[("facebook", "1")])


def test_a_unit_alias_makes_a_post_relevant_and_the_mention_is_stored(
    shipped_matcher, relevance_rules
) -> None:
    text = "Người dân xã Tân Lập phản ánh đường ngập sau mưa"
    rel = _relevance(shipped_matcher, relevance_rules, text=text)
    assert rel.relevant and rel.unit_ids == ("sonha.tanlap",)
    m = rel.mentions[0]
    assert (m.field, text[m.start : m.end], m.text) == ("text", "xã Tân Lập", "xã Tân Lập")


def test_places_of_a_unit_count_as_mentions_of_it(shipped_matcher, relevance_rules) -> None:
    rel = _relevance(shipped_matcher, relevance_rules, text="Lũ quét ở thôn Khe Mát trong đêm qua")
    assert rel.unit_ids == ("sonha.thuynguyen",)


def test_names_match_posts_typed_without_diacritics(shipped_matcher, relevance_rules) -> None:
    rel = _relevance(shipped_matcher, relevance_rules, text="chay lon o cho dong thanh toi qua")
    assert rel.unit_ids == ("sonha.dongthanh",)
    assert rel.mentions[0].text == "cho dong thanh"


def test_old_tone_placement_and_nfd_still_find_the_unit(shipped_matcher, relevance_rules) -> None:
    import unicodedata

    old = _relevance(shipped_matcher, relevance_rules, text="Trường học ở xã Hoà Bình khai giảng")
    nfd = _relevance(
        shipped_matcher, relevance_rules, text=unicodedata.normalize("NFD", "Họp dân ở xã Thủy Nguyên")
    )
    assert old.unit_ids == ("sonha.hoabinh",) and nfd.unit_ids == ("sonha.thuynguyen",)


def test_a_namesake_in_another_province_is_not_ours(shipped_matcher, relevance_rules) -> None:
    rel = _relevance(
        shipped_matcher,
        relevance_rules,
        title="Mưa lớn gây ngập sâu, hơn 300 hộ dân ở xã Tân Lập phải sơ tán",
        text="Nước từ thượng nguồn đổ về khiến nhiều khu dân cư xã Tân Lập, tỉnh Đồng Nai ngập sâu hơn 1 m.",
    )
    assert not rel.relevant
    assert {m.field for m in rel.discounted} == {"title", "text"}, "one sense per post: the title too"


def test_a_commune_named_like_our_province_elsewhere_is_not_ours(shipped_matcher, relevance_rules) -> None:
    rel = _relevance(
        shipped_matcher, relevance_rules, text="Các xã Sơn Hà, Sơn Tây, Ba Tơ của Quảng Ngãi ghi nhận sạt lở"
    )
    assert not rel.relevant


def test_a_strong_name_counts_even_next_to_another_province(shipped_matcher, relevance_rules) -> None:
    rel = _relevance(
        shipped_matcher,
        relevance_rules,
        text="UBND tỉnh Sơn Hà gửi 2 tỷ đồng hỗ trợ Quảng Ngãi khắc phục bão",
    )
    assert rel.relevant and rel.unit_ids == ("sonha",)


def test_a_common_phrase_that_is_also_a_commune_name_is_not_a_mention(
    shipped_matcher, relevance_rules
) -> None:
    rel = _relevance(shipped_matcher, relevance_rules, text="Mong mọi người sống hòa bình, tân lập gia đình")
    assert not rel.relevant


def test_a_post_of_a_units_official_page_is_about_that_unit(shipped_matcher, relevance_rules) -> None:
    rel = _relevance(
        shipped_matcher,
        relevance_rules,
        kind="official",
        unit_id="sonha.soyte",
        source_id="fb-soyte",
        text="Hướng dẫn tiêm chủng mở rộng tháng 12",
    )
    assert rel.relevant and rel.unit_ids == ("sonha.soyte",)
    assert rel.mentions[0].field == "source"


def test_the_longest_name_wins_where_names_overlap(shipped_matcher, relevance_rules) -> None:
    rel = _relevance(
        shipped_matcher, relevance_rules, text="Sở Y tế tỉnh Sơn Hà khuyến cáo phòng sốt xuất huyết"
    )
    assert rel.unit_ids == ("sonha.soyte",)


def test_an_unknown_unit_in_the_places_file_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "places.yaml"
    bad.write_text('version: "1"\nunits:\n  sonha.nowhere:\n    places: [chợ Mới]\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"sonha\.nowhere"):
        load_gazetteer(bad, {"sonha"})
