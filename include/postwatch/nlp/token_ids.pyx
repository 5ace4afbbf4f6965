# cython: language_level=3, boundscheck=False, wraparound=False, initializedcheck=False, cdivision=True
"""The token stream's two per-token loops in C: word numbers to token ids, and negation scopes.

Why compiled: after the batch's words are numbered (``word_codes``), numpy spread each word's
model tokens over its occurrences with five whole-stream temporaries, and marked negation scopes
with ten more; both are one pass over the stream here (together about 2.5 µs a post in numpy).

Same results as ``postwatch.nlp.features._token_ids_python`` and ``_negation_twins_python``.
"""

from libc.stdint cimport int64_t, uint8_t

import numpy as np


def token_ids(const int64_t[::1] written, list distinct, dict known, object learn, dict vocab):
    """Each written word's model tokens as ids, in order; ``vocab`` (token → id) grows as it goes.

    ``known`` maps a word to its tokens; ``learn(word)`` gives (and records) those of a new word."""
    cdef Py_ssize_t n_distinct = len(distinct), i, j, k, total = 0, pos
    cdef Py_ssize_t n = written.shape[0]
    cdef int64_t w
    first_np = np.empty(n_distinct + 1, dtype=np.int64)
    cdef int64_t[::1] first = first_np
    flat: list = []
    cdef object word, parts, p, got
    for i in range(n_distinct):
        word = distinct[i]
        got = known.get(word)
        parts = learn(word) if got is None else got
        first[i] = len(flat)
        for p in parts:
            got = vocab.get(p)
            if got is None:
                got = len(vocab)
                vocab[p] = got
            flat.append(got)
    first[n_distinct] = len(flat)
    flat_np = np.asarray(flat, dtype=np.int64) if flat else np.zeros(0, dtype=np.int64)
    cdef const int64_t[::1] ids_of = flat_np
    for k in range(n):
        w = written[k]
        total += first[w + 1] - first[w]
    out_np = np.empty(total, dtype=np.int64)
    cdef int64_t[::1] out = out_np
    pos = 0
    for k in range(n):
        w = written[k]
        for j in range(first[w], first[w + 1]):
            out[pos] = ids_of[j]
            pos += 1
    return out_np


def negation_twins(const int64_t[::1] ids, const uint8_t[::1] kinds, Py_ssize_t scope):
    """Which positions get a "neg_" twin (see ``features._negation_twins_python``); ``kinds`` has,
    per token type, bit 1 for punctuation, 2 for a negator and 4 for a scope breaker."""
    cdef Py_ssize_t n = ids.shape[0], k, last_reset = -1, last_neg = -1, before
    out_np = np.zeros(n, dtype=bool)
    cdef uint8_t[::1] out = out_np.view(np.uint8)
    cdef uint8_t kind
    for k in range(n):
        kind = kinds[ids[k]]
        before = last_neg  # the last negator strictly before k
        if kind & 1:
            last_reset = k
        elif before >= 0 and before > last_reset and k - before <= scope:
            # A breaker right after the negator ("không những") closes its scope.
            out[k] = not (kinds[ids[before + 1]] & 4)
        if kind & 2:
            last_neg = k
    return out_np
