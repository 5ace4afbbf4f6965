"""Offensive-language and "needs checking" flags on hand-written posts."""

from __future__ import annotations

from typing import Any

from postwatch.process.flags import decide

from .conftest import hits_by_post


def _flags(matcher, relevant: bool = True, lexicon=None, **post: Any):
    post = {"platform": "facebook", "post_id": "f", "kind": "watched", **post}
    hits = [
        h for h in hits_by_post(matcher, [post])[("facebook", "f")] if not h.category.startswith("relevance")
    ]
    return decide(post, hits, lexicon, relevant)


def test_offensive_words_in_plain_no_diacritic_and_teencode_spellings_are_flagged(shipped_matcher) -> None:
    for text in ("Bọn này đúng là ngu như bò", "dm cai bon lam an nhu cc", "vl thật sự"):
        flags = _flags(shipped_matcher, text=text)
        assert flags.offensive, text
        assert all(t.lower() in text.lower() for t in flags.offensive_terms)


def test_clean_text_is_not_offensive(shipped_matcher) -> None:
    flags = _flags(shipped_matcher, text="Đường Lê Lợi đã được sửa xong, cảm ơn chính quyền")
    assert not flags.offensive and flags.offensive_terms == ()


def test_a_lexicon_function_adds_its_terms(shipped_matcher) -> None:
    flags = _flags(
        shipped_matcher, text="Đồ mặt dày", lexicon=lambda text: ["mặt dày"] if "mặt dày" in text else []
    )
    assert flags.offensive_terms == ("mặt dày",)


def test_misinformation_cues_on_an_unofficial_page_need_checking_and_say_why(shipped_matcher) -> None:
    flags = _flags(
        shipped_matcher,
        text="Nghe nói nước máy xã Tân Lập nhiễm độc, chưa kiểm chứng, chia sẻ gấp!",
        shares=2500,
    )
    assert flags.needs_checking
    assert all(r.startswith("heuristic:") for r in flags.check_reasons)
    assert any("misinfo" in r for r in flags.check_reasons)
    assert any("2500 shares" in r for r in flags.check_reasons)


def test_an_official_page_denying_a_rumour_is_not_flagged(shipped_matcher) -> None:
    flags = _flags(
        shipped_matcher,
        kind="official",
        text="Thông tin nước máy nhiễm độc là tin giả, đề nghị người dân không chia sẻ",
    )
    assert not flags.needs_checking


def test_a_serious_incident_reported_by_a_watched_page_needs_checking_only_if_it_is_ours(
    shipped_matcher,
) -> None:
    text = "Cháy lớn tại chợ Đông Thành, nhiều ki-ốt bị thiêu rụi"
    assert _flags(shipped_matcher, text=text).needs_checking
    assert not _flags(shipped_matcher, text=text, relevant=False).needs_checking
    assert not _flags(shipped_matcher, text=text, kind="press").needs_checking


def test_the_shipped_offensive_lexicon_adds_spellings_the_packs_miss(shipped_matcher) -> None:
    from postwatch.nlp.api import offensive_terms

    text = "thang nao lam an nhu vay, ngu vl"
    flags = _flags(shipped_matcher, text=text, lexicon=offensive_terms)
    assert flags.offensive
    assert {t["term"] for t in offensive_terms(text)} <= set(flags.offensive_terms)
