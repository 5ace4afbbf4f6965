"""Type stub of the compiled ``ngram_counts`` module (source: ngram_counts.pyx)."""

import numpy as np

CSR = tuple[np.ndarray, np.ndarray, np.ndarray]

def word_char_columns(
    code_points: np.ndarray, offsets: np.ndarray, lo: int, hi: int, n_features: int
) -> tuple[np.ndarray, np.ndarray]: ...
def count_ngrams(
    ids: np.ndarray,
    twin: np.ndarray,
    sep: int,
    n_posts: int,
    token_hashes: np.ndarray,
    twin_hashes: np.ndarray,
    word_lo: int,
    word_hi: int,
    word_features: int,
    plain: np.ndarray,
    char_columns: np.ndarray,
    char_starts: np.ndarray,
    char_features: int,
) -> tuple[CSR, CSR]: ...
