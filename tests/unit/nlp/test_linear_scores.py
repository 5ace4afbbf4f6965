"""Block scores over compact weights, compiled (``linear_scores.pyx``) and numpy, are the numpy
definition's over the full weights, to float32 rounding."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

from postwatch.nlp import textclf
from postwatch.nlp.features import PreparedBatch, model_token_stream
from postwatch.nlp.textclf import BlockWeights, FeatureConfig, block_decision, stream_counts
from tests.unit.nlp import reference_features as ref
from tests.unit.nlp.test_ngram_counts import HOSTILE


@pytest.fixture(params=["compiled", "numpy"])
def decide(request: pytest.FixtureRequest):
    """``block_decision`` by either path (the compiled one skips where it is not compiled)."""
    if request.param == "numpy":
        return lambda counts, weights, scale=1.0, binary=False: textclf._block_decision_numpy(
            counts.tocsr(), weights, scale, binary
        )
    if textclf._linear_scores is None:
        pytest.skip("linear_scores.pyx is not compiled here")
    return block_decision


def _weights(n_features: int, k: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """IDF and IDF-scaled weights like a trained model's: most columns unseen (the largest IDF, no
    weight), a few seen ones with no weight, some with an IDF of 0."""
    rng = np.random.default_rng(seed)
    idf = np.full(n_features, 9.5, dtype=np.float32)
    seen = rng.random(n_features) < 0.3
    idf[seen] = rng.uniform(1.0, 9.0, seen.sum())
    idf[::7] = 0.0  # n-grams that weigh nothing must not break the norm
    weights = rng.normal(size=(n_features, k)) * (seen & (rng.random(n_features) < 0.9))[:, None]
    return idf, (weights * idf[:, None]).astype(np.float32)


@pytest.mark.parametrize("binary", [False, True])
@pytest.mark.parametrize("scale", [1.0, 0.35])
def test_scores_of_real_counts_equal_the_numpy_definition(decide, binary: bool, scale: float) -> None:
    words, chars = stream_counts(model_token_stream(PreparedBatch(HOSTILE * 3).items), FeatureConfig())
    for block, k in ((words, 3), (chars, 2)):
        idf, dense = _weights(block.shape[1], k, seed=k)
        got = decide(block, BlockWeights.of(idf, dense), scale=scale, binary=binary)
        expected = ref.block_decision(block, idf, dense, scale=scale, binary=binary)
        assert got.shape == (len(HOSTILE) * 3, k) and got.dtype == np.float64
        assert np.abs(expected).max() > 0.1
        np.testing.assert_allclose(got, expected, rtol=2e-5, atol=1e-6)
        empty = np.diff(block.indptr) == 0
        assert empty.any() and not got[empty].any()  # posts without n-grams score 0


def test_scores_of_random_counts_in_any_sparse_format_equal_the_numpy_definition(decide) -> None:
    rng = np.random.default_rng(5)
    counts = sp.random(200, 4096, density=0.02, random_state=7, format="coo", dtype=np.float32)
    counts.data = rng.integers(1, 40, counts.nnz).astype(np.float32)
    idf, dense = _weights(4096, 4, seed=1)
    got = decide(counts, BlockWeights.of(idf, dense))
    np.testing.assert_allclose(got, ref.block_decision(counts, idf, dense), rtol=2e-5, atol=1e-6)


def test_a_repeated_ngram_weighs_less_than_its_count(decide) -> None:
    idf = np.ones(4, dtype=np.float32)
    dense = np.array([[1.0], [0.0], [0.0], [0.0]], dtype=np.float32)
    once = sp.csr_matrix(np.array([[1, 1, 0, 0]], dtype=np.float32))
    often = sp.csr_matrix(np.array([[8, 1, 0, 0]], dtype=np.float32))
    tf = 1 + np.log(8)
    weights = BlockWeights.of(idf, dense)
    assert decide(once, weights)[0, 0] == pytest.approx(1 / np.sqrt(2))
    assert decide(often, weights)[0, 0] == pytest.approx(tf / np.sqrt(tf**2 + 1), rel=1e-6)
    assert decide(often, weights, binary=True)[0, 0] == pytest.approx(1 / np.sqrt(2))


@pytest.mark.parametrize("n_features", [16, 64, 100, 4096])
def test_only_columns_with_a_weight_or_their_own_idf_are_stored(decide, n_features: int) -> None:
    idf, dense = _weights(n_features, 3, seed=n_features)
    weights = BlockWeights.of(idf, dense)
    stored = (idf != idf.max()) | dense.any(axis=1)
    assert 0 < len(weights.idf) - 1 == stored.sum() < n_features
    assert np.array_equal(weights.idf[1:], idf[stored]) and np.array_equal(weights.dense[1:], dense[stored])
    assert weights.idf[0] == idf.max() and not weights.dense[0].any()  # what every other column reads
    counts = sp.csr_matrix(np.random.default_rng(1).integers(0, 3, (30, n_features)).astype(np.float32))
    np.testing.assert_allclose(
        decide(counts, weights), ref.block_decision(counts, idf, dense), rtol=2e-5, atol=1e-6
    )
