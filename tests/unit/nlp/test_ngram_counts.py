"""The compiled n-gram counts (``ngram_counts.pyx``) are the numpy definition's, column for column.

Where the module is not compiled (no C compiler), ``stream_counts`` is the numpy definition itself
and these comparisons skip; the numpy path is held to the one-post n-gram columns in test_batch.py.
"""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

from postwatch.nlp import textclf
from postwatch.nlp.features import PreparedBatch, model_token_stream
from postwatch.nlp.ngram_hash import char_counts, word_counts
from postwatch.nlp.textclf import FeatureConfig, TextClassifier, stream_counts

compiled = pytest.mark.skipif(textclf._ngram_counts is None, reason="ngram_counts.pyx is not compiled here")

HOSTILE = [
    "Dịch vụ KHÔNG tốt lắm 😡😡 ko thik :) quáaaa tệ, www.abc.vn @tanlap #sonha 12.500 đồng",
    "",
    "   ",
    "không những tốt mà còn đẹp. chẳng hài lòng!!! chưa   được\n\nok =)) :( <3 ❤️ a_b kbh",
    "Xã Hoà Bình, thuỷ lợi khoẻ; NFD: Ho\u0300a Bi\u0300nh và İstanbul ß",
    "chữ NUL\x00ở giữa :) xddd ĐẸP QUÁAAA 👍👍👍 𝓯𝓪𝓷𝓬𝔂 𠀀 chữ Nôm",
    "không",
    "a",
    "hay quá =)))) 3.5 triệu, 1,2 tỷ… “trích dẫn” — gạch_nối",
    "không tốt không đẹp không hay không rẻ không nhanh",
    "",
]


def _stream(texts: list[str]):
    return model_token_stream(PreparedBatch(texts).items)


def _same(got: sp.csr_matrix, expected: sp.csr_matrix) -> None:
    assert got.shape == expected.shape
    assert got.dtype == np.float32
    assert expected.nnz > 0
    assert (got != expected).nnz == 0
    # distinct columns within each row: the classifiers read counts per n-gram, not per occurrence
    for k in range(got.shape[0]):
        row = got.indices[got.indptr[k] : got.indptr[k + 1]]
        assert len(set(row.tolist())) == row.size


@compiled
@pytest.mark.parametrize(
    ("word_ngrams", "char_ngrams", "bits", "fold_chars"),
    [
        ((1, 3), (1, 5), 18, False),
        ((1, 1), (2, 4), 16, False),
        ((2, 3), (3, 3), 12, True),
        ((1, 4), (1, 6), 20, True),
        ((1, 2), (1, 1), 4, False),  # 16 columns: nearly every n-gram collides with others
    ],
)
def test_compiled_counts_equal_the_numpy_definition(
    word_ngrams: tuple[int, int], char_ngrams: tuple[int, int], bits: int, fold_chars: bool
) -> None:
    cfg = FeatureConfig(
        word_bits=bits,
        char_bits=bits,
        word_ngrams=word_ngrams,
        char_ngrams=char_ngrams,
        fold_chars=fold_chars,
    )
    ts = _stream(HOSTILE)
    words, chars = stream_counts(ts, cfg)
    _same(words, word_counts(ts, word_ngrams, 2**bits))
    _same(chars, char_counts(ts, char_ngrams, 2**bits, fold_chars=fold_chars))


def test_a_post_is_counted_the_same_alone_and_inside_a_batch() -> None:
    cfg = FeatureConfig()
    batch = stream_counts(_stream(HOSTILE), cfg)
    for k in (0, 3, 5):
        alone = stream_counts(_stream([HOSTILE[k]]), cfg)
        for block, single in zip(batch, alone, strict=True):
            assert (block[k] != single[0]).nnz == 0


def test_empty_batches_and_empty_posts_have_rows_without_entries() -> None:
    for texts in ([], ["", " ", "\n"]):
        words, chars = stream_counts(_stream(texts), FeatureConfig())
        assert words.shape == (len(texts), 2**20) and chars.shape == (len(texts), 2**20)
        assert words.nnz == chars.nnz == 0


def test_a_word_with_a_lone_surrogate_is_counted_instead_of_failing() -> None:
    words, chars = stream_counts(_stream(["tốt \ud800lắm", "tốt"]), FeatureConfig())
    assert chars[0].nnz > chars[1].nnz > 0
    assert words[0].nnz > words[1].nnz


def test_a_model_trained_on_compiled_counts_predicts_from_them() -> None:
    texts = ["rất tốt", "tuyệt vời quá", "quá tệ", "chán lắm", "không tốt", "không tệ"] * 3
    labels = ["pos", "pos", "neg", "neg", "neg", "pos"] * 3
    clf = TextClassifier.fit(texts, labels)
    assert clf.predict(["tuyệt vời", "chán quá"]) == ["pos", "neg"]


@compiled
@pytest.mark.parametrize("repeats", [16_000, 70_000])
def test_a_word_repeated_past_what_16_bits_hold_is_counted_in_full(repeats: int) -> None:
    # Counts are kept in 16 bits when no post has 65,535 n-gram occurrences, else in 32: a post
    # of 16,000 words stays under that bound (4 occurrences a word), one of 70,000 does not.
    texts = ["tốt " * repeats, HOSTILE[0], "tốt"]
    ts = _stream(texts)
    cfg = FeatureConfig(word_bits=12, char_bits=12)
    words, chars = stream_counts(ts, cfg)
    _same(words, word_counts(ts, (1, 3), 2**12))
    _same(chars, char_counts(ts, (1, 5), 2**12, fold_chars=False))
    assert words[0].max() == repeats  # the unigram "tốt"
    assert words[2].max() == 1
