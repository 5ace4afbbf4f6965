"""The columns of hashed word and character n-grams, and their counts computed with numpy.

This is the definition the compiled counts (``ngram_counts.pyx``) reproduce column for column, and
the path taken where that module is not compiled (no C compiler at install): the same counts,
about four times slower. Models store only the hashing parameters, so any path reads any model.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.utils import murmurhash3_32

from postwatch.nlp.features import TokenStream, fold

_TOKEN_BASE = np.uint64(0x100000001B3)  # polynomial base over token hashes (odd: no information lost)
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)  # splitmix64's finalizer constants
_MIX2 = np.uint64(0x94D049BB133111EB)
_M64 = (1 << 64) - 1


def token_hash(token: str) -> int:
    """A token's 32-bit murmur3 (UTF-8, seed 0, unsigned): the letters of a word n-gram's hash."""
    return int(murmurhash3_32(token.encode("utf-8", "surrogatepass"), seed=0, positive=True))


def _finalize(h: np.ndarray, n: int, n_features: int) -> np.ndarray:
    """Column of n-grams whose folded token hashes are ``h`` (splitmix64's finalizer, then mod)."""
    x = h + np.uint64(n)
    x ^= x >> np.uint64(30)
    x *= _MIX1
    x ^= x >> np.uint64(27)
    x *= _MIX2
    x ^= x >> np.uint64(31)
    return (x % np.uint64(n_features)).astype(np.int64)


def ngram_column(ngram: str, n_features: int) -> int:
    """The column of one word n-gram (its tokens joined by single spaces), one Python int at a time.

    The hash of a word n-gram is built from its tokens' hashes, ``h = h * BASE + token_hash(t)``
    (mod 2**64), then finalized with the n-gram's length: so a batch needs one murmur3 per
    *distinct token* and vectorized integer arithmetic per n-gram, never the n-gram's string.
    ``stream_counts`` computes the same columns for a batch; ``word_cues`` uses this one."""
    h = 0
    parts = ngram.split(" ")
    for part in parts:
        h = (h * int(_TOKEN_BASE) + token_hash(part)) & _M64
    return int(_finalize(np.array([h], dtype=np.uint64), len(parts), n_features)[0])


_MUL = np.uint64(0x9E3779B97F4A7C15)  # odd 64-bit constants: polynomial base and final mixer
_BASE = np.uint64(0x100000001B3)


def char_ngram_counts(docs: Sequence[str], ngrams: tuple[int, int], n_features: int) -> sp.csr_matrix:
    """Hashed ``char_wb``-style n-gram counts for a batch, computed with numpy in one pass.

    Same n-grams as scikit-learn's ``char_wb`` on single-spaced text (n-grams stay inside a word
    and its padding spaces), but hashed with a vectorized 64-bit polynomial hash over the whole
    batch instead of one Python string per n-gram: about ten times faster.
    """
    lo, hi = ngrams
    if not docs:
        return sp.csr_matrix((0, n_features), dtype=np.float32)
    big = "\x01" + "\x01".join(f" {d} " for d in docs) + "\x01"
    cp = np.frombuffer(big.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    sep = cp == 1
    space = cp == 32
    doc_of = np.cumsum(sep) - 1  # position -> document index (separators belong to the doc before)
    n_pos = cp.size
    rows: list[np.ndarray] = []
    cols: list[np.ndarray] = []
    with np.errstate(over="ignore"):
        h = np.zeros(n_pos, dtype=np.uint64)
        bad = np.zeros(n_pos, dtype=bool)  # window holds a separator, or a space inside it
        power = np.uint64(1)
        for n in range(1, hi + 1):
            k = n - 1
            shifted = np.zeros(n_pos, dtype=np.uint64)
            shifted[: n_pos - k] = cp[k:]
            h = h + shifted * power
            power = power * _BASE
            end_sep = np.ones(n_pos, dtype=bool)
            end_sep[: n_pos - k] = sep[k:]
            bad |= end_sep
            if n >= 3:
                inner = np.ones(n_pos, dtype=bool)
                inner[: n_pos - (k - 1)] = space[k - 1 :]
                bad |= inner
            if n < lo:
                continue
            ok = ~bad & (~space if n == 1 else True)
            if n == 2:
                ok &= ~(space & np.concatenate([space[1:], [True]]))
            idx = np.nonzero(ok)[0]
            mixed = (h[idx] + np.uint64(n)) * _MUL
            mixed ^= mixed >> np.uint64(29)
            rows.append(doc_of[idx])
            cols.append((mixed % np.uint64(n_features)).astype(np.int64))
    return _count_matrix(rows, cols, len(docs), n_features)


def word_counts(ts: TokenStream, ngrams: tuple[int, int], n_features: int) -> sp.csr_matrix:
    """Hashed counts of the word n-grams ``word_ngrams`` gives each post's tokens (columns as
    ``ngram_column``), with one murmur3 per distinct token and numpy for every n-gram."""
    lo, hi = ngrams
    ids, types = ts.ids, ts.types
    post = _post_of(ts)
    real = ids != ts.sep
    rows: list[np.ndarray] = []
    cols: list[np.ndarray] = []
    twins = np.flatnonzero(ts.twin)
    if twins.size:
        inv, u = _factorize(ids[twins])
        twin_hash = np.array([token_hash("neg_" + types[i]) for i in u.tolist()], dtype=np.uint64)
        rows.append(post[twins])
        cols.append(_finalize(twin_hash, 1, n_features)[inv])
    tok = np.array([token_hash(t) for t in types], dtype=np.uint64)[ids]
    h = tok
    valid = real
    for n in range(1, hi + 1):
        if n > 1:
            if h.size < 2:
                break
            h = h[:-1] * _TOKEN_BASE + tok[n - 1 :]
            valid = valid[:-1] & real[n - 1 :]
        if n >= lo:
            rows.append(post[: valid.size][valid])
            cols.append(_finalize(h[valid], n, n_features))
    return _count_matrix(rows, cols, ts.n_posts, n_features)


def char_counts(
    ts: TokenStream, ngrams: tuple[int, int], n_features: int, *, fold_chars: bool
) -> sp.csr_matrix:
    """Hashed ``char_wb`` counts of each post's plain words (``Featurizer`` before: the joined
    words). Character n-grams never leave a padded word, so they are counted once per distinct
    word (``char_ngram_counts``) and summed per post by a sparse product."""
    ids = ts.ids
    punct = np.array([len(t) == 1 and t in "!?.,;:" for t in ts.types], dtype=bool)
    plain = (ids != ts.sep) & ~punct[ids]
    inv, u = _factorize(ids[plain])
    words = [ts.types[i] for i in u.tolist()]
    per_word = char_ngram_counts([fold(w) for w in words] if fold_chars else words, ngrams, n_features)
    n_posts = ts.n_posts
    if not words:
        return sp.csr_matrix((n_posts, n_features), dtype=np.float32)
    per_post = _count_matrix([_post_of(ts)[plain]], [inv], n_posts, len(words))
    return (per_post @ per_word).tocsr()


def _factorize(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(code of each value, distinct values): a hash table pass, no sort (pandas' factorize)."""
    codes, uniques = pd.factorize(values)
    return codes.astype(np.int64, copy=False), np.asarray(uniques, dtype=np.int64)


def _count_matrix(rows: list[np.ndarray], cols: list[np.ndarray], n_rows: int, n_cols: int) -> sp.csr_matrix:
    """Occurrences (row, col) -> a canonical CSR count matrix (sorted, duplicates summed).

    One ``np.sort`` of ``row * n_cols + col`` (SIMD-sorted int64s), then runs of equal keys are
    the counts: about twice as fast as scipy's per-row sorts in ``sum_duplicates``."""
    if not rows:
        return sp.csr_matrix((n_rows, n_cols), dtype=np.float32)
    key = np.concatenate(rows) * n_cols + np.concatenate(cols)
    key.sort()
    first = np.ones(key.size, dtype=bool)
    np.not_equal(key[1:], key[:-1], out=first[1:])
    starts = np.flatnonzero(first)
    counts = np.empty(starts.size, dtype=np.float32)
    counts[:-1] = np.diff(starts)
    counts[-1:] = key.size - starts[-1:]
    distinct = key[starts]
    row, col = np.divmod(distinct, n_cols)
    indptr = np.searchsorted(row, np.arange(n_rows + 1))
    return sp.csr_matrix((counts, col, indptr), shape=(n_rows, n_cols))


def _post_of(ts: TokenStream) -> np.ndarray:
    return np.cumsum(ts.ids == ts.sep)
