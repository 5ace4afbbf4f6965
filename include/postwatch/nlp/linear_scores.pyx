# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True, initializedcheck=False
"""One block's share of a linear model's decision, straight from the n-gram counts, in C.

Why compiled: the weighing (sublinear tf, IDF, L2 norm per post) and the product with the
weights are bound by random reads of a hashed space of 2**18 or more columns (a weight table of
megabytes, read at every n-gram). Most columns of a model trained on a small set have no weight
and the default IDF, so the columns that do are kept compact (``SeenColumns``): a bit per column
and a rank per 64 bits find a column's compact row, and everything read stays in the CPU caches.
The arithmetic is ``textclf.block_decision``'s in float32, like scipy's product, so results agree
with the numpy definition over the full weights (tests/unit/nlp/reference_features.py) to float32
rounding.
"""

from libc.math cimport logf, sqrt
from libc.stdint cimport int32_t, int64_t, uint32_t, uint64_t

import numpy as np


cdef extern from *:
    int popcount64 "__builtin_popcountll"(unsigned long long) nogil


def block_decision(
    const float[::1] counts,
    const int32_t[::1] indices,
    const int64_t[::1] indptr,
    const uint64_t[::1] bits,
    const uint32_t[::1] rank,
    const float[::1] idf,
    const float[:, ::1] dense,
    double scale,
    bint binary,
):
    """Rows of ``tf @ W * scale / ||tf * IDF||`` for a CSR count matrix (tf = 1 + log(count), or 1
    when ``binary``); a row without counts scores 0. A column whose bit is set in ``bits`` has its
    IDF and IDF-scaled weights at row ``1 + rank[col >> 6] + (set bits below it in its word)`` of
    ``idf`` and ``dense``; any other column reads row 0: the default IDF and no weight."""
    cdef Py_ssize_t n = indptr.shape[0] - 1
    cdef Py_ssize_t k = dense.shape[1]
    out_arr = np.zeros((n, k), dtype=np.float64)
    acc_arr = np.zeros(k, dtype=np.float32)
    cdef double[:, ::1] out = out_arr
    cdef float[::1] acc = acc_arr
    cdef Py_ssize_t i, jj, c, row
    cdef int32_t col
    cdef uint64_t word
    cdef float tf, v, sq, count
    cdef double factor
    cdef float tf_of[256]  # 1 + log(count) of the small counts nearly all n-grams have
    for c in range(256):
        tf_of[c] = logf(c) + 1
    with nogil:
        for i in range(n):
            if indptr[i] == indptr[i + 1]:
                continue
            sq = 0
            for c in range(k):
                acc[c] = 0
            for jj in range(indptr[i], indptr[i + 1]):
                col = indices[jj]
                count = counts[jj]
                if binary:
                    tf = 1
                elif count < 256 and count == <int>count:
                    tf = tf_of[<int>count]
                else:
                    tf = logf(count) + 1
                # Branch-free: an unstored column reads row 0 (the default IDF, no weight).
                word = bits[col >> 6]
                row = ((word >> (col & 63)) & 1) * (
                    rank[col >> 6] + 1 + popcount64(word & ((<uint64_t>1 << (col & 63)) - 1))
                )
                v = tf * idf[row]
                for c in range(k):
                    acc[c] = acc[c] + tf * dense[row, c]
                sq = sq + v * v
            factor = scale / (sqrt(sq) if sq > 0 else 1.0)
            for c in range(k):
                out[i, c] = acc[c] * factor
    return out_arr
