"""How keyword rules move the tone model's verdict, and the cues that explain it."""

from __future__ import annotations

from postwatch.process.tone import combine, rule_cues

from .conftest import hits_by_post


def _hits(matcher, text: str):
    post = {"platform": "web", "post_id": "t", "text": text}
    return [h for h in hits_by_post(matcher, [post])[("web", "t")] if not h.category.startswith("relevance")]


def test_without_a_tone_bearing_rule_the_models_label_stands(shipped_matcher) -> None:
    tone = combine(
        "positive", 0.35, [{"term": "tuyệt vời", "weight": 0.6}], _hits(shipped_matcher, "Lịch nghỉ lễ")
    )
    assert (tone.label, tone.score) == ("positive", 0.35)
    assert tone.cues == ({"term": "tuyệt vời", "weight": 0.6, "source": "model"},)


def test_a_negative_rule_turns_a_neutral_model_score_negative_and_says_which_words(shipped_matcher) -> None:
    hits = _hits(shipped_matcher, "Vụ cháy lớn tại chợ Đông Thành khiến người dân bức xúc")
    tone = combine("neutral", 0.05, [], hits)
    assert tone.label == "negative" and tone.score < 0
    fired = {c["rule_id"]: c["words"] for c in tone.cues if c["source"] == "rule"}
    assert "incident.fire" in fired
    assert any("cháy" in w.lower() for w in fired["incident.fire"])


def test_praise_rules_pull_a_mildly_negative_model_score_up(shipped_matcher) -> None:
    hits = _hits(shipped_matcher, "Xin chân thành cảm ơn các chiến sĩ công an đã tận tình giúp đỡ bà con")
    assert any(c["weight"] > 0 for c in rule_cues(hits))
    tone = combine("negative", -0.1, [], hits)
    assert tone.label == "positive"


def test_the_combined_score_stays_within_minus_one_and_one(shipped_matcher) -> None:
    hits = _hits(
        shipped_matcher,
        "Cháy lớn, sạt lở, lũ quét, tai nạn giao thông, người dân bức xúc phẫn nộ, tin giả tràn lan, đm",
    )
    assert len(rule_cues(hits)) >= 3
    assert combine("negative", -0.9, [], hits).score == -1.0


def test_rules_that_carry_no_tone_leave_the_model_alone(shipped_matcher) -> None:
    hits = _hits(shipped_matcher, "Giả mạo trang của UBND tỉnh để lừa đảo, đề nghị người dân cảnh giác")
    assert hits and all(h.category == "impersonation_cue" for h in hits)
    assert combine("neutral", 0.0, [], hits).label == "neutral"
