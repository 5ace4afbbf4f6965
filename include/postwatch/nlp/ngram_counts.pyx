# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True, initializedcheck=False
"""Hashed word and character n-gram counts of a token stream, in C.

Why compiled: counting is a few integer operations per n-gram, about 800 n-grams a post, and
numpy could only do it with a sort of every occurrence plus a sparse product (29 CPU-us a post,
the largest single part of labelling). Here each post's occurrences are counted in a dense
scratch array that is reset through the list of columns it touched: about 6 us a post.

The columns are exactly those of the numpy definition in ``postwatch/nlp/ngram_hash.py``
(and of ``textclf.ngram_column`` for a single word n-gram), so models trained before stay valid:
- word n-gram: ``h = h * BASE + murmur3(token)`` over its tokens (mod 2**64), then splitmix64's
  finalizer of ``h + n``, mod the block size; a negation twin is the unigram "neg_<token>";
- character n-gram (``char_wb`` style, inside one word padded with a space each side, never a
  lone space): ``h = sum(code_point[j] * BASE**j)``, then ``(h + n) * MUL``, ``^= >> 29``, mod.
Rows are posts; within a row columns are in order of first occurrence (not sorted) and distinct.
"""

from libc.stdint cimport int32_t, int64_t, uint8_t, uint16_t, uint32_t, uint64_t

import numpy as np

cdef uint64_t BASE = 0x100000001B3ULL
cdef uint64_t MIX1 = 0xBF58476D1CE4E5B9ULL
cdef uint64_t MIX2 = 0x94D049BB133111EBULL
cdef uint64_t CHAR_MUL = 0x9E3779B97F4A7C15ULL


cdef inline int64_t word_column(uint64_t h, uint64_t n, uint64_t n_features) noexcept nogil:
    cdef uint64_t x = h + n
    x ^= x >> 30
    x *= MIX1
    x ^= x >> 27
    x *= MIX2
    x ^= x >> 31
    return <int64_t>(x % n_features)


cdef inline int64_t char_column(uint64_t h, uint64_t n, uint64_t n_features) noexcept nogil:
    cdef uint64_t m = (h + n) * CHAR_MUL
    m ^= m >> 29
    return <int64_t>(m % n_features)


def word_char_columns(
    const uint32_t[::1] code_points, const int64_t[::1] offsets, int lo, int hi, int64_t n_features
):
    """Columns of every character n-gram of each word (its code points padded with spaces).

    Word ``t`` is ``code_points[offsets[t]:offsets[t + 1]]``; returns ``(columns, starts)`` with
    word ``t``'s n-gram columns at ``columns[starts[t]:starts[t + 1]]``, occurrences repeated."""
    cdef Py_ssize_t n_words = offsets.shape[0] - 1
    cdef Py_ssize_t t, i, k, n, length, first, total = 0
    for t in range(n_words):
        length = offsets[t + 1] - offsets[t] + 2
        for n in range(lo, hi + 1):
            if length >= n:
                total += length - n + 1
    columns = np.empty(total, dtype=np.int64)
    starts = np.empty(n_words + 1, dtype=np.int64)
    cdef int64_t[::1] out = columns
    cdef int64_t[::1] st = starts
    cdef Py_ssize_t w = 0
    cdef uint64_t h, power, c
    with nogil:
        for t in range(n_words):
            st[t] = w
            first = offsets[t]
            length = offsets[t + 1] - first + 2
            for i in range(length):
                h = 0
                power = 1
                for n in range(1, hi + 1):
                    k = i + n - 1
                    if k >= length:
                        break
                    c = 32 if (k == 0 or k == length - 1) else code_points[first + k - 1]
                    h = h + c * power
                    power = power * BASE
                    if n < lo or (n == 1 and c == 32):
                        continue
                    out[w] = char_column(h, n, n_features)
                    w += 1
        st[n_words] = w
    return columns[:w], starts


def count_ngrams(
    const int64_t[::1] ids,
    const uint8_t[::1] twin,
    int64_t sep,
    Py_ssize_t n_posts,
    const uint64_t[::1] token_hashes,
    const uint64_t[::1] twin_hashes,
    int word_lo,
    int word_hi,
    int64_t word_features,
    const uint8_t[::1] plain,
    const int64_t[::1] char_columns,
    const int64_t[::1] char_starts,
    int64_t char_features,
):
    """Per post, the counts of its word n-grams and of its plain tokens' character n-grams.

    ``ids`` is the token stream (posts separated by ``sep``), ``twin[i]`` marks a position
    followed by its negation twin; the per-type arrays are indexed by token id: ``token_hashes``
    (murmur3), ``twin_hashes`` (murmur3 of "neg_<token>", read only where a twin is), ``plain``
    (counts for character n-grams) and the ``word_char_columns`` of each type. Returns two CSR
    triples ``(data, indices, indptr)``: words, then characters."""
    cdef Py_ssize_t n = ids.shape[0]
    cdef Py_ssize_t i, char_cap = 0, words = 0, chars = 0, most = 0
    cdef int64_t tid
    for i in range(n + 1):  # the character n-grams' total, and the most occurrences in one post
        tid = ids[i] if i < n else sep
        if tid == sep:
            most = max(most, words * (word_hi + 1), chars)
            char_cap += chars
            words = chars = 0
        else:
            words += 1
            if plain[tid]:
                chars += char_starts[tid + 1] - char_starts[tid]
    w_data = np.empty(n * (word_hi + 1), dtype=np.float32)
    w_index = np.empty(n * (word_hi + 1), dtype=np.int32)
    w_ptr = np.zeros(n_posts + 1, dtype=np.int64)
    c_data = np.empty(char_cap, dtype=np.float32)
    c_index = np.empty(char_cap, dtype=np.int32)
    c_ptr = np.zeros(n_posts + 1, dtype=np.int64)
    # A column's count never exceeds its post's occurrences: when no post has 65,535 of them,
    # 16-bit scratch counts suffice, and the scattered increments touch half the memory (two
    # 2**18-column blocks: 1 MB instead of 2; 8.8 -> 8.1 us a post on the bench's posts).
    cdef float[::1] wd = w_data, cd = c_data
    cdef int32_t[::1] wi = w_index, ci = c_index
    cdef int64_t[::1] wp = w_ptr, cp = c_ptr
    cdef uint16_t[::1] w16, c16
    cdef int32_t[::1] w32, c32
    cdef Py_ssize_t nw, nc
    if most < 0xFFFF:
        w16 = np.zeros(word_features, dtype=np.uint16)
        c16 = np.zeros(char_features, dtype=np.uint16)
        nw, nc = _count(ids, twin, sep, n_posts, token_hashes, twin_hashes, word_lo, word_hi,
                        word_features, plain, char_columns, char_starts, char_features,
                        w16, c16, wd, wi, wp, cd, ci, cp)
    else:
        w32 = np.zeros(word_features, dtype=np.int32)
        c32 = np.zeros(char_features, dtype=np.int32)
        nw, nc = _count(ids, twin, sep, n_posts, token_hashes, twin_hashes, word_lo, word_hi,
                        word_features, plain, char_columns, char_starts, char_features,
                        w32, c32, wd, wi, wp, cd, ci, cp)
    return (w_data[:nw], w_index[:nw], w_ptr), (c_data[:nc], c_index[:nc], c_ptr)


ctypedef fused count_t:
    uint16_t
    int32_t


cdef (Py_ssize_t, Py_ssize_t) _count(
    const int64_t[::1] ids,
    const uint8_t[::1] twin,
    int64_t sep,
    Py_ssize_t n_posts,
    const uint64_t[::1] token_hashes,
    const uint64_t[::1] twin_hashes,
    int word_lo,
    int word_hi,
    int64_t word_features,
    const uint8_t[::1] plain,
    const int64_t[::1] char_columns,
    const int64_t[::1] char_starts,
    int64_t char_features,
    count_t[::1] w_scratch,
    count_t[::1] c_scratch,
    float[::1] wd,
    int32_t[::1] wi,
    int64_t[::1] wp,
    float[::1] cd,
    int32_t[::1] ci,
    int64_t[::1] cp,
):
    cdef Py_ssize_t n = ids.shape[0]
    cdef Py_ssize_t i, k, m, a, start = 0, stop, post = 0
    cdef int64_t tid, col
    cdef uint64_t h
    cdef Py_ssize_t nw = 0, nc = 0, row_w, row_c
    with nogil:
        while post < n_posts and start <= n:
            stop = start
            while stop < n and ids[stop] != sep:
                stop += 1
            row_w = nw
            row_c = nc
            for i in range(start, stop):
                tid = ids[i]
                if twin[i]:
                    col = word_column(twin_hashes[tid], 1, word_features)
                    if w_scratch[col] == 0:
                        wi[nw] = <int32_t>col
                        nw += 1
                    w_scratch[col] += 1
                h = 0
                for m in range(1, word_hi + 1):
                    if i + m > stop:
                        break
                    h = h * BASE + token_hashes[ids[i + m - 1]]
                    if m < word_lo:
                        continue
                    col = word_column(h, m, word_features)
                    if w_scratch[col] == 0:
                        wi[nw] = <int32_t>col
                        nw += 1
                    w_scratch[col] += 1
                if plain[tid]:
                    for a in range(char_starts[tid], char_starts[tid + 1]):
                        col = char_columns[a]
                        if c_scratch[col] == 0:
                            ci[nc] = <int32_t>col
                            nc += 1
                        c_scratch[col] += 1
            for k in range(row_w, nw):
                wd[k] = w_scratch[wi[k]]
                w_scratch[wi[k]] = 0
            for k in range(row_c, nc):
                cd[k] = c_scratch[ci[k]]
                c_scratch[ci[k]] = 0
            post += 1
            wp[post] = nw
            cp[post] = nc
            start = stop + 1
        while post < n_posts:  # a stream with fewer separators than posts: the rest are empty
            post += 1
            wp[post] = nw
            cp[post] = nc
    return nw, nc
