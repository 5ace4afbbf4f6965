"""Vietnamese text cleaning with hostile strings: every variant of a word ends up the same."""

from __future__ import annotations

import unicodedata

import pytest

from postwatch.normalize.text import (
    clean_text,
    content_hash,
    detect_language,
    fold_diacritics,
    html_to_text,
    looks_like_html,
    normalize_tone_marks,
    repair_encoding,
)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("hoà", "hòa"),
        ("Hoà Bình", "Hòa Bình"),
        ("HOÀ", "HÒA"),
        ("thuỷ", "thủy"),
        ("Thuỷ Nguyên", "Thủy Nguyên"),
        ("khoẻ", "khỏe"),
        ("tuỳ", "tùy"),
        ("uỷ ban", "ủy ban"),
        ("loà xoà", "lòa xòa"),
    ],
)
def test_old_tone_placement_becomes_the_one_kept_convention(old: str, new: str) -> None:
    assert normalize_tone_marks(old) == new


@pytest.mark.parametrize("word", ["hoàng", "khuyến", "toán", "quý", "Quỳnh", "ngoài", "của", "hòa"])
def test_words_whose_tone_is_already_placed_one_way_are_untouched(word: str) -> None:
    assert normalize_tone_marks(word) == word


def test_nfd_and_old_placement_both_become_the_same_nfc_text() -> None:
    nfd = unicodedata.normalize("NFD", "UBND xã Hoà Bình, huyện Thuỷ Nguyên")
    assert nfd != "UBND xã Hòa Bình, huyện Thủy Nguyên"
    assert clean_text(nfd) == "UBND xã Hòa Bình, huyện Thủy Nguyên"
    assert unicodedata.is_normalized("NFC", clean_text(nfd))


def test_zero_width_joiners_bidi_marks_and_controls_are_removed() -> None:
    hostile = "Sơn\u200b Hà\u200d \u202eđẹp\u202c\u200f lắm\ufeff\x00\x07 nhé\u00ad"
    assert clean_text(hostile) == "Sơn Hà đẹp lắm nhé"


def test_whitespace_is_collapsed_but_paragraphs_survive() -> None:
    assert clean_text("  Dòng 1\u00a0\u00a0cách\r\n\r\n\r\n  Dòng   2  ") == "Dòng 1 cách\n\nDòng 2"


def test_emoji_and_sql_looking_text_are_kept_as_text() -> None:
    s = "Tuyệt vời 👍🏻🇻🇳 '; DROP TABLE posts;-- ❤️"
    assert clean_text(s) == s


def test_html_becomes_text_and_scripts_disappear() -> None:
    html = "<p>Xin chào <b>bà con</b></p><script>alert('x')</script><ul><li>Một</li><li>Hai</li></ul>a&amp;b"
    text = html_to_text(html)
    assert "alert" not in text and "<" not in text
    assert text.splitlines() == ["Xin chào bà con", "Một", "Hai", "a&b"]


def test_looks_like_html_needs_a_tag_or_an_entity() -> None:
    assert looks_like_html("<p>x</p>") and looks_like_html("Tom &amp; Jerry")
    assert not looks_like_html("giá < 5 triệu & > 3 triệu")


def test_double_encoded_utf8_is_repaired() -> None:
    mojibake = "Tỉnh Sơn Hà".encode().decode("cp1252", errors="ignore")
    fixed, how = repair_encoding(mojibake)
    assert how == "mojibake_repaired"
    assert fixed.startswith("Tỉnh Sơn H")


def test_legacy_vietnamese_encodings_are_flagged_not_guessed() -> None:
    tcvn3 = "UBND tØnh S¬n Hµ tæ chøc héi nghÞ tæng kÕt"
    vni = "UÛy ban nhaân daân tænh Sôn Haø toå chöùc hoäi nghò"
    assert repair_encoding(tcvn3) == (tcvn3, "legacy_tcvn3")
    assert repair_encoding(vni) == (vni, "legacy_vni")


@pytest.mark.parametrize("ok", ["Tin tức tỉnh Sơn Hà", "Übermäßig naïve café façade", "plain ascii", ""])
def test_unicode_text_and_other_languages_are_not_mistaken_for_legacy_encodings(ok: str) -> None:
    assert repair_encoding(ok) == (ok, None)


def test_folding_strips_every_diacritic_including_d_bar() -> None:
    assert fold_diacritics("Đường Thủy Nguyên, xã Hòa Bình") == "Duong Thuy Nguyen, xa Hoa Binh"
    assert fold_diacritics(unicodedata.normalize("NFD", "đêm trắng")) == "dem trang"


def test_content_hash_changes_with_content_and_separates_fields() -> None:
    assert content_hash("a", "b") == content_hash("a", "b")
    assert content_hash("a", "b") != content_hash("ab", "")
    assert content_hash("a", "b") != content_hash("a", "c")


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Hôm nay UBND tỉnh họp về công tác phòng chống lụt bão", "vi"),
        ("hom nay ubnd tinh hop ve cong tac phong chong lut bao cua cac xa", "vi"),
        ("The provincial committee met about the flood on Monday", "en"),
        ("12345 !!!", "und"),
    ],
)
def test_language_is_vietnamese_english_or_undetermined(text: str, lang: str) -> None:
    assert detect_language(text) == lang


def test_a_100_kb_post_is_cleaned_whole() -> None:
    big = ("Thuỷ Nguyên\u200b đẹp. " * 6000)[:100_000]
    out = clean_text(big)
    assert "\u200b" not in out and "Thuỷ" not in out and out.count("Thủy Nguyên") > 5000
