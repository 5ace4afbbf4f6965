"""The stacked ensemble (postwatch.nlp.ensemble) on small made-up Vietnamese texts."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest
import scipy.sparse as sp

from postwatch.nlp.ensemble import StackConfig, StackedClassifier, View, lexicon_features, weigh
from postwatch.nlp.textclf import Batch, Featurizer, ModelFileError

POS = ["tuyệt vời", "rất tốt", "hài lòng", "cảm ơn nhiều", "đẹp quá", "nhanh gọn"]
NEG = ["quá tệ", "thất vọng", "chán lắm", "bực mình", "lừa đảo", "chậm kinh khủng"]
NEU = ["hôm nay", "thông báo", "lịch họp", "địa chỉ", "số điện thoại", "thứ hai"]
FILL = ["dịch vụ", "cán bộ", "phường", "hồ sơ", "người dân", "bệnh viện", "con đường", "ủy ban"]
FAST = StackConfig(
    views=(
        View("svm_word", "svm", 0.2, char=False),
        View("nblr_char", "nblr", 2.0, word=False),
        View("nbsvm_all_bin", "nbsvm", 0.3, binary=True),
    ),
    folds=3,
)


def corpus(n: int, seed: int) -> tuple[list[str], list[str]]:
    rnd = random.Random(seed)
    texts, labels = [], []
    for i in range(n):
        label, cues = [("positive", POS), ("negative", NEG), ("neutral", NEU)][i % 3]
        words = [*rnd.sample(FILL, 3), rnd.choice(cues), rnd.choice(FILL)]
        rnd.shuffle(words)
        texts.append(" ".join(words))
        labels.append(label)
    return texts, labels


def test_a_stack_trained_on_cue_words_labels_unseen_texts_by_their_cue() -> None:
    texts, labels = corpus(150, seed=1)
    clf = StackedClassifier.fit(texts, labels, config=FAST)
    new_texts, new_labels = corpus(60, seed=2)
    pred = clf.predict(new_texts)
    assert np.mean([p == g for p, g in zip(pred, new_labels, strict=True)]) > 0.9


def test_out_of_fold_decisions_carry_real_signal_but_cannot_recall_random_labels() -> None:
    texts, labels = corpus(150, seed=3)
    rnd = random.Random(4)
    noise = [rnd.choice(["positive", "negative", "neutral"]) for _ in texts]
    accuracy = []
    for y in (labels, noise):
        clf = StackedClassifier.fit(texts, y, config=FAST)
        assert clf.oof_decision is not None
        gold = np.array([clf.classes.index(v) for v in y])
        accuracy.append(float(np.mean(clf.oof_decision.argmax(axis=1) == gold)))
    assert accuracy[0] > 0.9
    assert accuracy[1] < 0.5  # chance is 1/3: a fold never saw its own rows' labels


def test_a_binary_stack_margin_is_positive_exactly_when_it_predicts_the_positive_class() -> None:
    texts, labels = corpus(150, seed=5)
    binary = ["toxic" if y == "negative" else "clean" for y in labels]
    clf = StackedClassifier.fit(texts, binary, config=FAST)
    d = clf.decision(texts)
    margin = d[:, clf.classes.index("toxic")] - d[:, clf.classes.index("clean")]
    assert [m > 0 for m in margin] == [p == "toxic" for p in clf.predict(texts)]
    assert clf.predict(["lừa đảo quá tệ thất vọng"]) == ["toxic"]


def test_a_saved_stack_loads_without_pickle_and_decides_identically(tmp_path: Path) -> None:
    texts, labels = corpus(90, seed=6)
    clf = StackedClassifier.fit(texts, labels, config=FAST, meta={"trained_on": "made-up texts"})
    loaded = StackedClassifier.load(clf.save(tmp_path / "stack.npz"))
    assert loaded.classes == clf.classes
    assert loaded.config == clf.config
    assert loaded.meta["trained_on"] == "made-up texts"
    probe = ["dịch vụ tuyệt vời", "hồ sơ chậm kinh khủng", "", "lịch họp thứ hai"]
    np.testing.assert_allclose(loaded.decision(probe), clf.decision(probe), rtol=1e-5, atol=1e-6)


def test_loading_a_file_of_another_format_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "other.npz"
    np.savez(path, header=np.array('{"format": "something-else"}'))
    with pytest.raises(ModelFileError, match=r"other\.npz"):
        StackedClassifier.load(path)


def test_training_on_a_single_label_is_refused() -> None:
    with pytest.raises(ValueError, match="two distinct labels"):
        StackedClassifier.fit(["một", "hai"], ["clean", "clean"], config=FAST)


def test_the_fused_decision_equals_weighing_the_counts_then_multiplying() -> None:
    texts, labels = corpus(90, seed=7)
    clf = StackedClassifier.fit(texts, labels, config=FAST)
    probe = ["dịch vụ tuyệt vời tuyệt vời", "hồ sơ chậm kinh khủng", "", "ủy ban lịch họp"]
    blocks = Featurizer(clf.features).counts(probe)
    expected = clf.intercept + lexicon_features(Batch(probe)) @ clf.w_lex
    for binary, w in ((False, clf.w_sub), (True, clf.w_bin)):
        expected = expected + sp.hstack(weigh(blocks, clf.idf, binary=binary), format="csr") @ w.toarray()
    np.testing.assert_allclose(clf.decision(probe), expected, rtol=1e-4, atol=1e-5)


def test_a_stack_file_serves_as_the_configured_tone_model_and_for_classify(tmp_path: Path) -> None:
    from postwatch.nlp.predict import TonePredictor, load_any_model
    from postwatch.nlp.tone import load_tone_file

    texts, labels = corpus(150, seed=5)
    path = StackedClassifier.fit(texts, labels, config=FAST).save(tmp_path / "stack_tone.npz")
    model = load_tone_file(path)
    assert model.lexicon_weight == 0.0, "the stack weighs the lexicon itself: not added twice"
    new_texts, new_labels = corpus(30, seed=6)
    got = [r.label for r in model.predict(new_texts)]
    assert np.mean([g == w for g, w in zip(got, new_labels, strict=True)]) > 0.9
    predictor = load_any_model(path)
    assert isinstance(predictor, TonePredictor)
    assert [lab for lab, _score, _cues in predictor.label(new_texts)] == got
