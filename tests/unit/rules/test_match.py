"""Matching: Vietnamese diacritics and tone marks, word boundaries, distances, fields, batches."""

from __future__ import annotations

import unicodedata
from typing import Any

import pytest

from postwatch.rules.compile import RuleInfo, RuleSet, compile_query
from postwatch.rules.match import Matcher, Span, try_query


def found(query: str, text: str | None = None, **post: Any) -> list[str] | None:
    """The matched texts, or None when the query does not match."""
    hit = try_query(query, {"text": text, **post})
    return None if hit is None else [s.text for s in hit.spans]


# Diacritics -----------------------------------------------------------------------------


def test_a_term_without_diacritics_matches_any_diacritics() -> None:
    assert found('"tin gia"', "Cảnh báo tin giả về dịch bệnh") == ["tin giả"]
    assert found("duong", "Đường vào xã bị ngập") == ["Đường"]
    assert found("chay", "Xe chạy quá tốc độ") == ["chạy"]


def test_a_term_with_diacritics_matches_only_those_diacritics() -> None:
    assert found('"tin giả"', "Một tin giả lan truyền") == ["tin giả"]
    assert found('"tin giả"', "Thông tin giá lúa hôm nay") is None
    assert found('"tin giả"', "Ông nhận tin già yếu của mẹ") is None
    assert found("cháy", "Anh ấy chạy xe máy về quê") is None


def test_a_term_with_diacritics_also_matches_a_post_typed_without_any() -> None:
    assert found('"tin giả"', "canh bao tin gia ve dich benh o xa") == ["tin gia"]
    assert found("đường", "duong vao thon bi ngap sau") == ["duong"]


def test_the_fallback_needs_the_field_itself_to_be_typed_without_diacritics() -> None:
    # The title has diacritics, the text none: only the text falls back.
    post = {"title": "Tin giá cả thị trường", "text": "nghe noi co tin gia ve benh vien"}
    assert found('"tin giả"', **post) == ["tin gia"]
    assert found('"tin giả"', title="tin gia ca thi truong", text="Thông tin giá lúa hôm nay") == ["tin gia"]


def test_a_stray_letter_with_diacritics_does_not_stop_the_fallback_in_a_long_post() -> None:
    text = "ba con oi co tin gia noi xa Tân lap sap bi phong toa, moi nguoi dung tin nhe"
    assert found('"tin giả"', text) == ["tin gia"]
    assert found('"tin giả"', "Có tin gia đình ông ấy chuyển đi") is None


def test_exact_prefix_matches_those_diacritics_and_never_falls_back() -> None:
    assert found("exact:ngu", "Thằng ngu thật") == ["ngu"]
    assert found("exact:ngu", "Đi ngủ sớm cho khỏe") is None
    assert found("exact:đụ", "du lich he nay di dau") is None
    assert found("exact:đụ", "ĐỤ cái đường này") == ["ĐỤ"]


def test_raw_prefix_matches_exact_case_and_diacritics() -> None:
    assert found("raw:UBND", "UBND xã Tân Lập") == ["UBND"]
    assert found("raw:UBND", "ubnd xã Tân Lập") is None
    assert found('raw:"Sơn Hà"', "tỉnh sơn hà và tỉnh Sơn Hà") == ["Sơn Hà"]
    assert found('raw:"Sơn Hà"', "tinh Son Ha") is None


def test_matching_ignores_letter_case() -> None:
    assert found('"vụ cháy"', "VỤ CHÁY LỚN TẠI CHỢ") == ["VỤ CHÁY"]
    assert found("ubnd", "Ubnd xã") == ["Ubnd"]


def test_tone_mark_placement_does_not_matter() -> None:
    assert found('"hòa bình"', "Xã Hoà Bình tổ chức lễ hội") == ["Hoà Bình"]
    assert found('"hoà bình"', "Xã Hòa Bình tổ chức lễ hội") == ["Hòa Bình"]
    assert found('"thủy nguyên"', "xã Thuỷ Nguyên") == ["Thuỷ Nguyên"]
    assert found('"khỏe mạnh"', "bé khoẻ mạnh") == ["khoẻ mạnh"]
    assert found('"hoàng hôn"', "lúc hòang hôn") == ["hòang hôn"]


def test_decomposed_nfd_input_matches_and_spans_point_into_the_text_as_given() -> None:
    text = unicodedata.normalize("NFD", "Vụ cháy lớn ở phường Đông Thành")
    hit = try_query('cháy OR "đông thành"', {"text": text})
    assert hit is not None
    assert [(s.start, s.end) for s in hit.spans] == [
        (text.index("ch"), text.index(" l")),
        (text.index("Đ"), len(text)),
    ]
    assert [unicodedata.normalize("NFC", s.text) for s in hit.spans] == ["cháy", "Đông Thành"]


def test_a_decomposed_query_matches_composed_text() -> None:
    assert found(unicodedata.normalize("NFD", '"vụ cháy"'), "Một vụ cháy lớn") == ["vụ cháy"]


# Word boundaries ------------------------------------------------------------------------


def test_a_term_does_not_fire_inside_another_word() -> None:
    assert found("giả", "Siêu thị giảm giá cuối tuần") is None
    assert found("lũ", "Hàng rào lũy tre làng") is None
    assert found("cháy", "#cháyrừng đang là chủ đề nóng") is None
    assert found("hack", "Cuộc thi hackathon cho sinh viên") is None
    assert found("cháy", "Đám cháy đã được dập tắt") == ["cháy"]


def test_punctuation_and_repeated_spaces_separate_syllables() -> None:
    assert found('"tin giả"', "Cảnh báo:   tin  giả!!!") == ["tin  giả"]
    assert found("covid", "Dịch Covid-19 quay lại") == ["Covid"]


def test_fields_of_a_post_never_join_into_one_phrase() -> None:
    assert found('"cháy lớn"', title="Tin nóng: cháy", text="lớn tại chợ") is None


# Distances ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "text", "matches"),
    [
        ("cháy NEAR/2 chợ", "cháy lớn tại chợ", True),
        ("cháy NEAR/1 chợ", "cháy lớn tại chợ", False),
        ("cháy NEAR/0 chợ", "cháy chợ", True),
        ("cháy NEAR/0 chợ", "chợ cháy", True),
        ("cháy ONEAR/3 chợ", "chợ bị cháy", False),
        ("cháy ONEAR/3 chợ", "cháy ở chợ", True),
        ('"sạt lở" NEAR/3 "quốc lộ"', "sạt lở nghiêm trọng trên quốc lộ", True),
        ('"sạt lở" NEAR/2 "quốc lộ"', "sạt lở nghiêm trọng trên một quốc lộ", False),
        ("cháy NEAR/5 cháy", "cháy", False),
        ("cháy NEAR/5 cháy", "cháy nhà rồi cháy", True),
    ],
)
def test_near_counts_syllables_between_the_two_sides(query: str, text: str, matches: bool) -> None:
    assert (found(query, text) is not None) is matches


def test_near_does_not_reach_across_fields() -> None:
    assert found("cháy NEAR/5 chợ", title="Vụ cháy", text="chợ Tân Lập") is None


def test_nested_near_measures_from_the_inner_pair() -> None:
    assert found("(cháy NEAR/1 lớn) NEAR/2 chợ", "cháy rất lớn tại chợ") == ["cháy rất lớn tại chợ"]


@pytest.mark.parametrize(
    ("query", "text", "matches"),
    [
        ('"cháy chợ"~2', "cháy lớn tại chợ", True),
        ('"cháy chợ"~1', "cháy lớn tại chợ", False),
        ('"cháy chợ"~5', "chợ bị cháy", False),
        ('"xả lũ hồ"~2', "xả khẩn cấp lũ hồ", True),
    ],
)
def test_phrase_slop_allows_that_many_inserted_syllables_in_order(
    query: str, text: str, matches: bool
) -> None:
    assert (found(query, text) is not None) is matches


# Wildcards ------------------------------------------------------------------------------


def test_prefix_wildcard_matches_one_whole_syllable() -> None:
    assert found("chá*", "khói bốc cháy ngùn ngụt") == ["cháy"]
    assert found("covid*", "biến thể covid19 mới") == ["covid19"]
    assert found("chá*", "chạy bộ") is None


def test_question_mark_stands_for_exactly_one_letter() -> None:
    assert found("ng?y", "Hôm nay ngày đẹp trời") == ["ngày"]
    assert found("ng?y", "Anh Nguyên về quê") is None


def test_wildcards_inside_phrases() -> None:
    assert found('"tin gi*"', "đây là tin giả mạo") == ["tin giả"]
    assert found('"x?y dựng"', "Xây dựng nông thôn mới") == ["Xây dựng"]
    assert found('"tin gi*"', "tin tức hôm nay") is None


# Fields ---------------------------------------------------------------------------------


def test_unscoped_terms_search_title_and_text() -> None:
    assert found("cháy", title="Cháy lớn", text="Không có thương vong") == ["Cháy"]
    assert found("cháy", text="bình yên", author="Đội chữa cháy") is None


def test_title_text_and_author_scopes() -> None:
    post = {"title": "Vụ cháy ở chợ", "text": "Lực lượng chữa cháy có mặt", "author": "Báo Sơn Hà"}
    hit = try_query("title:cháy AND author:báo", post)
    assert hit is not None
    assert [(s.field, s.text) for s in hit.spans] == [("title", "cháy"), ("author", "Báo")]
    assert found("text:chợ", **post) is None
    assert found("title:lượng", **post) is None


def test_id_field_scopes_compare_whole_values_with_globs() -> None:
    post = {"text": "Vụ cháy", "platform": "facebook", "source_id": "fb-sonha24h", "kind": "watched"}
    assert found("cháy AND platform:facebook", **post) == ["cháy"]
    assert found("cháy AND platform:face", **post) is None
    assert found("cháy AND source:fb-*", **post) == ["cháy"]
    assert found("cháy AND NOT kind:official", **post) == ["cháy"]
    assert found("unit:sonha.*", text="x", unit_id="sonha.soyte") == []
    assert found("unit:sonha.*", text="x", unit_id="sonha") is None


def test_a_not_only_rule_fires_on_posts_without_the_term() -> None:
    rules = RuleSet([(RuleInfo("quiet"), 'NOT "vụ cháy"'), (RuleInfo("fire"), '"vụ cháy"')])
    hits = Matcher(rules).match_batch(
        [{"post_id": "a", "text": "Trời hôm nay đẹp"}, {"post_id": "b", "text": "Vụ cháy lớn"}],
        key=lambda p: p["post_id"],
    )
    assert [(h.post_key, h.rule_id) for h in hits] == [("a", "quiet"), ("b", "fire")]


def test_non_text_values_do_not_break_a_batch() -> None:
    hits = Matcher(compile_query("cháy")).match_batch(
        [{"title": float("nan"), "text": "Vụ cháy"}, {"title": None, "text": None}, {"text": 12345}]
    )
    assert [h.spans for h in hits] == [(Span("text", 3, 7, "cháy"),)]


# Batches --------------------------------------------------------------------------------


def test_a_hit_carries_rule_pack_version_category_severity_and_spans() -> None:
    info = RuleInfo("incident.fire", "incidents", "2026.11.1", "incident", "critical", "sonha.congan")
    hits = Matcher(RuleSet([(info, '"vụ cháy" OR "bốc cháy"')])).match_batch(
        [{"platform": "facebook", "post_id": "p1", "title": "Bốc cháy", "text": "Một vụ cháy lớn"}]
    )
    assert hits == [
        hits[0].__class__(
            ("facebook", "p1"),
            "incident.fire",
            "incidents",
            "2026.11.1",
            "incident",
            "critical",
            "sonha.congan",
            (Span("title", 0, 8, "Bốc cháy"), Span("text", 4, 11, "vụ cháy")),
        )
    ]


QUERIES = [
    '"vụ cháy" OR "bốc cháy"',
    "cháy NEAR/3 chợ",
    '"tin giả" AND NOT "chính thức"',
    "tin gia",
    "exact:đm OR vcl",
    'title:(lũ OR ngập) OR text:"sạt lở"',
    'chá* AND NOT "diễn tập"',
    '"cháy chợ"~2',
    "raw:UBND AND (cháy OR lũ)",
    "NOT platform:facebook AND duong",
    'mong NEAR/8 ("chính quyền" OR ubnd)',
]
POSTS = [
    {"title": "Vụ cháy lớn", "text": "Cháy lớn tại chợ Tân Lập, UBND xã có mặt", "platform": "facebook"},
    {"title": None, "text": "canh bao tin gia: vu chay o cho dong thanh, vcl", "platform": "tiktok"},
    {"title": "Ngập sâu", "text": "Sạt lở ở quốc lộ, đường bị chia cắt. Đm!", "platform": "youtube"},
    {"title": "Diễn tập", "text": "Diễn tập chữa cháy ở chợ; thông tin chính thức", "platform": "web"},
    {"title": "", "text": "Kính mong chính quyền xã sớm giải quyết, tin giả tràn lan", "platform": "zalo"},
    {"title": "Lũ về", "text": "cháy chợ, không phải tin giả đâu, bốc cháy thật", "platform": "rss"},
]


def test_a_batch_over_many_rules_gives_the_same_hits_as_each_rule_alone() -> None:
    infos = [(RuleInfo(f"r{i}"), q) for i, q in enumerate(QUERIES)]
    posts = [{**p, "post_id": n} for n, p in enumerate(POSTS)]
    together = Matcher(RuleSet(infos)).match_batch(posts, key=lambda p: p["post_id"])
    alone = [
        h
        for info, q in infos
        for h in Matcher(RuleSet([(info, q)])).match_batch(posts, key=lambda p: p["post_id"])
    ]
    assert sorted(together, key=lambda h: (h.post_key, h.rule_id)) == sorted(
        alone, key=lambda h: (h.post_key, h.rule_id)
    )
    assert len(together) >= 12  # the fixture exercises most rules


def test_rules_sharing_terms_each_get_their_hit() -> None:
    rules = RuleSet(
        [(RuleInfo("a"), '"tin giả"'), (RuleInfo("b"), '"tin giả" AND lũ'), (RuleInfo("c"), "tin gia")]
    )
    hits = Matcher(rules).match_batch([{"text": "Tin giả về lũ"}])
    assert [h.rule_id for h in hits] == ["a", "b", "c"]
