"""Tone of Vietnamese posts with the shipped default model (no research-only data in it)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pytest

from postwatch.nlp.api import TONE_MODEL_ENV, load_tone_model
from postwatch.nlp.build import train_default_tone
from postwatch.nlp.textclf import ModelFileError, TextClassifier
from postwatch.nlp.tone import DEFAULT_MODEL

DATA = Path(__file__).parent / "data"


def _cases() -> list[dict[str, str]]:
    with (DATA / "tone_cases.csv").open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_the_shipped_model_labels_hand_written_posts_it_never_saw_mostly_right() -> None:
    cases = _cases()
    results = load_tone_model().predict([c["text"] for c in cases])
    gold = [c["label"] for c in cases]
    pred = [r.label for r in results]
    assert np.mean([g == p for g, p in zip(gold, pred, strict=True)]) >= 0.85
    for tone in ("positive", "negative", "neutral"):
        hits = [p == tone for g, p in zip(gold, pred, strict=True) if g == tone]
        assert np.mean(hits) >= 0.7, tone


def test_scores_are_signed_by_tone_and_stay_within_minus_one_and_one() -> None:
    results = load_tone_model().predict([c["text"] for c in _cases()])
    for r in results:
        assert -1.0 <= r.score <= 1.0
        if r.label == "positive":
            assert r.score > 0
        if r.label == "negative":
            assert r.score < 0


def test_negating_a_praise_word_makes_the_post_negative() -> None:
    model = load_tone_model()
    plain, negated = model.predict(
        ["Tôi hài lòng với cách xã giải quyết.", "Tôi không hài lòng với cách xã giải quyết."]
    )
    assert plain.label == "positive"
    assert negated.label == "negative"
    assert any(c["cue"].startswith("không") and c["weight"] < 0 for c in negated.cues)


def test_a_post_typed_without_diacritics_gets_the_same_tone_as_with_them() -> None:
    model = load_tone_model()
    marked, bare = model.predict(["Thất vọng quá, đường vẫn hỏng", "That vong qua, duong van hong"])
    assert marked.label == bare.label == "negative"


def test_teencode_negation_is_understood() -> None:
    (r,) = load_tone_model().predict(["ko hài lòng chút nào vs cách làm việc này"])
    assert r.label == "negative"


def test_cue_spans_point_at_the_words_written_in_the_post() -> None:
    text = "Cán bộ phường rất tận tình, cảm ơn ạ 👍"
    (r,) = load_tone_model().predict([text])
    assert r.cues
    for cue in r.cues:
        s, e = cue["span"]
        assert text[s:e] == cue["cue"]
        assert cue["kind"] == "lexicon"


def test_blank_posts_are_neutral_with_a_zero_score() -> None:
    results = load_tone_model().predict(["", "   "])
    assert [(r.label, r.score, r.cues) for r in results] == [("neutral", 0.0, []), ("neutral", 0.0, [])]


def test_the_shipped_classifier_is_exactly_what_the_project_sentences_train() -> None:
    """The default model file is rebuilt from resources/tone_train.csv alone (same seed, same weights)."""
    rebuilt = train_default_tone()
    shipped = TextClassifier.load(DEFAULT_MODEL)
    texts = [c["text"] for c in _cases()]
    assert shipped.classes == rebuilt.classes
    np.testing.assert_allclose(shipped.decision(texts), rebuilt.decision(texts), atol=1e-4)
    assert "tone_train.csv" in shipped.meta["trained_on"]


def test_a_model_named_in_the_environment_replaces_the_shipped_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    texts = [
        "tốt lắm",
        "rất tốt",
        "tuyệt vời",
        "tệ quá",
        "rất tệ",
        "chán lắm",
        "họp lúc 8 giờ",
        "lịch họp",
        "thông báo",
    ]
    labels = ["positive"] * 3 + ["negative"] * 3 + ["neutral"] * 3
    path = TextClassifier.fit(texts, labels, meta={"kind": "tone"}).save(tmp_path / "tone_env.npz")
    monkeypatch.setenv(TONE_MODEL_ENV, str(path))
    assert load_tone_model().version.startswith("tone_env-")
    monkeypatch.delenv(TONE_MODEL_ENV)
    assert load_tone_model().version.startswith("default-")


def test_a_model_with_other_labels_is_refused_as_a_tone_model(tmp_path: Path) -> None:
    path = TextClassifier.fit(["a b", "c d", "e f", "g h"], ["x", "y", "x", "y"]).save(tmp_path / "xy.npz")
    with pytest.raises(ModelFileError, match="tone"):
        load_tone_model(path)


@pytest.mark.parametrize("old_format", ["postwatch-textclf/2", "postwatch-stack/1"])
def test_a_model_file_of_an_older_format_is_refused_with_how_to_renew_it(
    tmp_path: Path, old_format: str
) -> None:
    """Older files hashed word n-grams another way: their weights would sit on the wrong columns."""
    path = tmp_path / "old.npz"
    np.savez(path, header=np.array(json.dumps({"format": old_format})))
    with pytest.raises(ModelFileError, match=r"old\.npz.*older PostWatch, retrain it"):
        load_tone_model(path)


def test_a_missing_model_file_is_named_in_the_error(tmp_path: Path) -> None:
    with pytest.raises(ModelFileError, match=r"nope\.npz"):
        load_tone_model(tmp_path / "nope.npz")


def test_everyday_words_typed_without_diacritics_are_not_read_as_tone_words() -> None:
    """'te' is tế (trạm y tế), 'toi' is tôi, 'phien' is phiên: not tệ, tồi, phiền."""
    (r,) = load_tone_model().predict(["toi den tram y te xa de du phien hop"])
    assert r.cues == []
