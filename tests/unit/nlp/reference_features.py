"""The numpy block scores over full (not compacted) weights, which the compiled scores must give.

This was the library's ``block_decision`` until the scores were compiled (``linear_scores.pyx``,
2026-11-24) over compact weights (``textclf.BlockWeights``); it is kept here, unchanged, as the
reference both paths are held to (to float32 rounding).
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp


def block_decision(
    counts: sp.csr_matrix, idf: np.ndarray, dense: np.ndarray, *, scale: float = 1.0, binary: bool = False
) -> np.ndarray:
    """One block's share of the decision: what ``Featurizer.weigh`` then ``@ weights`` give
    (sublinear tf, or presence when ``binary``, times IDF, L2-normalized per row, times ``scale``),
    without building x. ``dense`` is the weight slice already multiplied by the IDF."""
    counts = counts.tocsr()
    if binary:
        tf = np.ones(counts.nnz, dtype=np.float32)
    else:
        tf = np.log(counts.data.astype(np.float32))
        tf += np.float32(1.0)
    v = tf * idf[counts.indices]
    v *= v
    n = counts.shape[0]
    filled = np.flatnonzero(np.diff(counts.indptr))
    # reduceat over the rows that have entries only (their starts are distinct and in range).
    sq = np.zeros(n, dtype=np.float32)
    if filled.size:
        sq[filled] = np.add.reduceat(v, counts.indptr[filled])
    norms = np.sqrt(sq.astype(np.float64))
    norms[norms == 0] = 1.0
    tf_matrix = sp.csr_matrix((tf, counts.indices, counts.indptr), shape=counts.shape)
    return np.asarray(tf_matrix @ dense, dtype=np.float64) * (scale / norms)[:, None]
