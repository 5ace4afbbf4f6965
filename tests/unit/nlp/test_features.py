"""Vietnamese normalization for the classifiers, and the pickle-free model files."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from postwatch.nlp.features import PreparedBatch, model_token_stream, model_tokens, prepare
from postwatch.nlp.lexicon import LexiconError, read_weighted_terms
from postwatch.nlp.textclf import FeatureConfig, ModelFileError, TextClassifier, stream_counts


def test_teencode_is_expanded_and_a_negation_marks_the_next_words() -> None:
    assert model_tokens("ko dc đâu") == ["không", "được", "neg_được", "đâu", "neg_đâu"]


def test_punctuation_closes_a_negation_scope() -> None:
    toks = model_tokens("không, tốt")
    assert "neg_tốt" not in toks and "tốt" in toks


def test_elongated_words_emoji_and_emoticons_become_plain_tokens() -> None:
    assert model_tokens("đẹp quáaaa 👍 :)") == ["đẹp", "quá", "emopos", "emopos"]


def test_the_folded_view_keeps_offsets_of_the_original_text() -> None:
    p = prepare("Hoà Bình ĐẸP")
    assert p.folded == "hoa binh dep"
    assert p.lower == "hòa bình đẹp"
    assert len(p.folded) == len(p.text)


def test_character_ngrams_never_cross_from_one_post_into_the_next() -> None:
    cfg = FeatureConfig(char_bits=16)
    _, together = stream_counts(model_token_stream(PreparedBatch(["ab", "cd"]).items), cfg)
    _, alone = stream_counts(model_token_stream(PreparedBatch(["cd"]).items), cfg)
    assert alone.nnz == 8  # "c", "d", " c", "cd", "d ", " cd", "cd ", " cd ": not a lone space
    assert (together[1] != alone[0]).nnz == 0


def test_a_saved_model_predicts_the_same_after_loading(tmp_path: Path) -> None:
    texts = ["rất tốt", "tuyệt vời", "quá tệ", "chán lắm", "ổn", "bình thường"]
    labels = ["a", "a", "b", "b", "c", "c"]
    clf = TextClassifier.fit(texts, labels)
    loaded = TextClassifier.load(clf.save(tmp_path / "m.npz"))
    np.testing.assert_allclose(loaded.decision(texts), clf.decision(texts), rtol=1e-5, atol=1e-6)


def test_a_file_that_is_not_a_model_is_refused_with_its_name(tmp_path: Path) -> None:
    bad = tmp_path / "bad.npz"
    bad.write_bytes(b"not a zip")
    with pytest.raises(ModelFileError, match=r"bad\.npz"):
        TextClassifier.load(bad)


def test_training_needs_two_labels() -> None:
    with pytest.raises(ValueError, match="two distinct labels"):
        TextClassifier.fit(["a", "b"], ["x", "x"])


def test_a_lexicon_line_without_a_weight_is_reported_with_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "lex.tsv"
    path.write_text("# comment\ntốt\t0.5\nxấu\n", encoding="utf-8")
    with pytest.raises(LexiconError, match=r"lex\.tsv:3"):
        read_weighted_terms(path)
