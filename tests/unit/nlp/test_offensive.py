"""Offensive-language signal: ViHOS-derived terms and classifier, checked on hand-written posts."""

from __future__ import annotations

import csv
from pathlib import Path

from postwatch.nlp.api import load_offensive_model, offensive_terms

DATA = Path(__file__).parent / "data"


def _cases() -> list[dict[str, str]]:
    with (DATA / "offensive_cases.csv").open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_hand_written_offensive_posts_are_flagged_and_clean_news_is_not() -> None:
    cases = _cases()
    results = load_offensive_model().predict([c["text"] for c in cases])
    for case, r in zip(cases, results, strict=True):
        assert r.flag == (case["offensive"] == "1"), (case["text"], r)
        assert 0.0 <= r.score <= 1.0


def test_offensive_terms_come_with_spans_into_the_post() -> None:
    text = "Mấy thằng mất dạy đổ rác ra đường"
    terms = offensive_terms(text)
    assert "mất dạy" in [t["term"] for t in terms]
    for t in terms:
        s, e = t["span"]
        assert text[s:e] == t["term"]


def test_terms_typed_without_diacritics_are_found() -> None:
    assert [t["term"] for t in offensive_terms("may dua mat day nay")] == ["mat day"]


def test_disaster_and_crime_reports_hold_no_offensive_terms() -> None:
    assert offensive_terms("Lũ lớn cuốn trôi nhà dân, hai người chết, công an bắt nhóm cướp giật") == []


def test_a_bare_spelling_that_is_an_everyday_word_is_not_taken_for_a_strict_term() -> None:
    # "chó" is offensive in comments only when written as such; "cho" ("give") is everywhere.
    assert offensive_terms("Xã cho người dân vay vốn") == []


def test_analyze_gives_the_same_tone_and_flags_as_the_two_models_called_apart() -> None:
    from postwatch.nlp.api import analyze, load_tone_model

    texts = [c["text"] for c in _cases()]
    tones, flags = analyze(texts)
    assert tones == load_tone_model().predict(texts)
    assert flags == load_offensive_model().predict(texts)
