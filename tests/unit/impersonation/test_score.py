"""Scoring pages against the registry.

Look-alikes rank above unrelated pages; officials are never suspects.
"""

from __future__ import annotations

import pytest

from postwatch.impersonation.config import ImpersonationConfig, load_config
from postwatch.impersonation.score import (
    Candidate,
    PhraseSet,
    Scorer,
    compact_similarity,
    distinctive,
    handle_from_url,
    token_similarity,
)
from postwatch.registry import Source, Unit

UNITS = [
    Unit(
        id="sonha",
        name="Ủy ban nhân dân tỉnh Sơn Hà",
        level="province",
        aliases=("UBND tỉnh Sơn Hà", "Sơn Hà"),
    ),
    Unit(id="sonha.congan", name="Công an tỉnh Sơn Hà", level="department", parent="sonha"),
    Unit(id="sonha.tanlap", name="Ủy ban nhân dân xã Tân Lập", level="commune", parent="sonha"),
]
OFFICIAL = Source(
    id="fb-ubnd-sonha",
    name="UBND tỉnh Sơn Hà",
    unit="sonha",
    platform="facebook",
    kind="official",
    page_id="1000",
    verified=True,
)
OFFICIAL_YT = Source(
    id="yt-sonha", name="Sơn Hà TV", unit="sonha", platform="youtube", kind="official", channel_id="UC1"
)

LOOK_ALIKES = [
    "UBND Tinh Son Ha - Tin Tuc",
    "Sơn Hà 24h UBND tỉnh",
    "Ủy ban nhân dân tỉnh Sơn Hà (official)",
    "UBND Sơn Hà Tỉnh",
    "ubnd.tinh.sonha",
    "UBND TỈNH SƠN HÀ",
    "Uy ban nhan dan tinh Son Ha - Trang tin",
    "Fanpage UBND tinh SonHa",
]
UNRELATED = [
    "UBND tỉnh Hà Giang",
    "Tin tức Hà Nội",
    "Công an tỉnh Lào Cai",
    "Trang tin Sơn La",
    "UBND xã Sơn Hải",
    "Cửa hàng điện máy Minh Anh",
]


@pytest.fixture(scope="module")
def config() -> ImpersonationConfig:
    return load_config()


@pytest.fixture(scope="module")
def scorer(config: ImpersonationConfig) -> Scorer:
    return Scorer(UNITS, [OFFICIAL, OFFICIAL_YT], config, {"fb-ubnd-sonha": {"ubndtinhsonha"}})


def _score(scorer: Scorer, name: str, **kw: object) -> float:
    verdict = scorer.score(Candidate(platform="facebook", page_key="key:" + name, name=name, **kw))
    assert verdict is not None
    return verdict.score


def test_every_look_alike_name_ranks_above_every_unrelated_page(scorer: Scorer) -> None:
    look = {n: _score(scorer, n) for n in LOOK_ALIKES}
    other = {n: _score(scorer, n) for n in UNRELATED}
    assert min(look.values()) > max(other.values()), (look, other)


def test_look_alike_names_alone_reach_the_threshold_and_unrelated_ones_do_not(
    scorer: Scorer, config: ImpersonationConfig
) -> None:
    assert [n for n in LOOK_ALIKES if _score(scorer, n) < config.threshold] == []
    assert [n for n in UNRELATED if _score(scorer, n) >= config.threshold] == []


def test_look_alikes_are_matched_to_the_province_and_its_official_page(scorer: Scorer) -> None:
    for name in LOOK_ALIKES:
        verdict = scorer.score(Candidate(platform="facebook", page_key="x", name=name))
        assert verdict is not None
        assert (verdict.unit_id, verdict.source_id) == ("sonha", "fb-ubnd-sonha"), name


def test_an_official_page_is_never_a_suspect_whatever_its_name(scorer: Scorer) -> None:
    assert scorer.score(Candidate(platform="facebook", page_key="1000", name="UBND tỉnh Sơn Hà")) is None
    assert scorer.score(Candidate(platform="facebook", page_key="1000", name="Trang giả mạo")) is None
    assert scorer.score(Candidate(platform="youtube", page_key="UC1", name="UBND Tinh Son Ha")) is None
    by_handle = Candidate(platform="facebook", page_key="name:x", name="UBND Sơn Hà", handle="ubndtinhsonha")
    assert scorer.score(by_handle) is None


def test_the_official_name_on_another_page_is_a_suspect(scorer: Scorer, config: ImpersonationConfig) -> None:
    assert _score(scorer, "UBND tỉnh Sơn Hà") >= config.threshold


def test_diacritics_case_and_word_order_do_not_change_the_name_signal(scorer: Scorer) -> None:
    ref = scorer.references["sonha"][0]
    values = {
        scorer.name_similarity(n, ref)
        for n in ("Ủy ban nhân dân tỉnh Sơn Hà", "UY BAN NHAN DAN TINH SON HA", "tỉnh Sơn Hà ủy ban nhân dân")
    }
    assert values == {1.0}


def test_generic_words_alone_make_no_resemblance(scorer: Scorer) -> None:
    ref = scorer.references["sonha"][0]
    assert scorer.name_similarity("Trang tin tức UBND tỉnh - official", ref) == 0.0
    assert scorer.name_similarity("UBND tỉnh Hà Giang", ref) <= 0.5


def test_a_police_look_alike_is_matched_to_the_police(scorer: Scorer) -> None:
    verdict = scorer.score(
        Candidate(platform="facebook", page_key="y", name="Công an Sơn Hà - Hỗ trợ người dân")
    )
    assert verdict is not None and verdict.unit_id == "sonha.congan"


def test_a_commune_look_alike_is_matched_to_the_commune(scorer: Scorer, config: ImpersonationConfig) -> None:
    verdict = scorer.score(Candidate(platform="facebook", page_key="z", name="UBND xa Tan Lap"))
    assert verdict is not None
    assert verdict.unit_id == "sonha.tanlap" and verdict.source_id is None
    assert verdict.score >= config.threshold


def test_a_place_name_without_authority_words_stays_below_the_threshold(
    scorer: Scorer, config: ImpersonationConfig
) -> None:
    assert _score(scorer, "Sơn Hà 24h - Tin nóng") < config.threshold
    assert _score(scorer, "UBND tỉnh Sơn Hà") > _score(scorer, "Sơn Hà 24h - Tin nóng")


def test_copies_scam_posts_and_rule_hits_raise_the_score(scorer: Scorer) -> None:
    plain = _score(scorer, "Sơn Hà 24h - Tin nóng")
    copies = [{"post": f"p{i}", "official": f"o{i}", "via": "story"} for i in range(2)]
    scam = [{"post": f"s{i}", "cues": ["chuyen khoan"]} for i in range(2)]
    rules = [{"post": "r", "rules": ["imp.agency"]}]
    assert _score(scorer, "Sơn Hà 24h - Tin nóng", copies=copies) > plain
    assert _score(scorer, "Sơn Hà 24h - Tin nóng", scam_posts=scam) > plain
    assert _score(scorer, "Sơn Hà 24h - Tin nóng", cue_rule_posts=rules) > plain


def test_a_verified_page_scores_lower_than_an_unverified_one(scorer: Scorer) -> None:
    assert _score(scorer, "UBND Sơn Hà", verified=True) < _score(scorer, "UBND Sơn Hà", verified=False)


def test_a_handle_close_to_the_official_handle_adds_to_the_score(scorer: Scorer) -> None:
    near = scorer.score(Candidate("facebook", "a", "UBND Sơn Hà", handle="ubnd.tinh.sonha.tintuc"))
    far = scorer.score(Candidate("facebook", "b", "UBND Sơn Hà", handle="hagiang.news"))
    assert near is not None and far is not None
    handle = {s.signal: s for s in near.signals}["handle"]
    assert handle.value > 0.7 and handle.detail["resembles"] == "ubndtinhsonha"
    assert {s.signal: s for s in far.signals}["handle"].value == 0.0
    assert near.score > far.score


def test_the_evidence_lists_each_signal_with_its_weight_and_adds_up_to_the_score(scorer: Scorer) -> None:
    verdict = scorer.score(
        Candidate("facebook", "c", "UBND Tinh Son Ha - Tin Tuc", scam_posts=[{"post": "s", "cues": ["stk"]}])
    )
    assert verdict is not None
    signals = verdict.evidence()["signals"]
    assert {s["signal"] for s in signals} == {"name", "authority", "unverified", "scam"}
    assert all(s["contribution"] == round(s["value"] * s["weight"], 4) for s in signals)
    assert verdict.score == pytest.approx(min(1.0, sum(s["contribution"] for s in signals)))
    assert verdict.evidence()["matched"] == {
        "unit_id": "sonha",
        "source_id": "fb-ubnd-sonha",
        "reference": verdict.reference,
    }


def test_distinctive_sets_generic_words_and_numbers_aside(config: ImpersonationConfig) -> None:
    generic = PhraseSet(config.generic)
    assert distinctive("Ủy ban nhân dân tỉnh Sơn Hà (official)", generic) == ["son", "ha"]
    assert distinctive("Sơn Hà 24h - Tin tức 113", generic) == ["son", "ha"]
    assert distinctive("ubnd.tinh.sonha.tintuc", generic) == ["sonha"]


def test_token_similarity_ignores_order_and_counts_each_syllable() -> None:
    assert token_similarity(["son", "ha"], ["ha", "son"]) == 1.0
    assert token_similarity(["son", "ha"], ["son", "la"]) == pytest.approx(0.5)
    assert token_similarity(["son", "ha"], ["lao", "cai"]) == 0.0


def test_compact_similarity_finds_a_name_written_together_but_not_across_words() -> None:
    assert compact_similarity("sonha", ["ubndtinhsonha"]) == 1.0
    assert compact_similarity("sonha", ["ho", "son", "hai"]) == 0.0
    assert compact_similarity("sonha", ["trangtinsonla"]) == 0.0


@pytest.mark.parametrize(
    ("url", "handle"),
    [
        ("https://www.facebook.com/ubnd.tinh.sonha.tintuc/posts/123", "ubnd.tinh.sonha.tintuc"),
        ("https://www.facebook.com/100099111222333/posts/1", None),
        ("https://www.facebook.com/permalink.php?story_fbid=1&id=2", None),
        ("https://www.tiktok.com/@sonhatv/video/7", "sonhatv"),
        ("https://www.youtube.com/@SonHaTV", "SonHaTV"),
        (None, None),
    ],
)
def test_handle_from_url_reads_the_page_username(url: str | None, handle: str | None) -> None:
    assert handle_from_url(url) == handle
