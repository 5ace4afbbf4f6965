"""Type stub of the compiled ``linear_scores`` module (source: linear_scores.pyx)."""

import numpy as np

def block_decision(
    counts: np.ndarray,
    indices: np.ndarray,
    indptr: np.ndarray,
    bits: np.ndarray,
    rank: np.ndarray,
    idf: np.ndarray,
    dense: np.ndarray,
    scale: float,
    binary: bool,
) -> np.ndarray: ...
