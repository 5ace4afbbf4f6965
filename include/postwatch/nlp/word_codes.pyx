# cython: language_level=3, boundscheck=False, wraparound=False, initializedcheck=False, cdivision=True
"""``text.split()`` of a batch's joined text as word numbers, in one pass in C.

Why compiled: the token stream starts by numbering every whitespace-separated word of the batch
(about 70 a post) in order of first use; Arrow's split and dictionary encoding did it at about
130 ns a word, 8% of labelling, mostly encoding the text to UTF-8 and hashing. Here each word is
hashed over its code points and looked up in an open-addressing table that points back into the
text; only a word seen for the first time becomes a Python string.

Same result as ``postwatch.nlp.features._word_codes`` (whitespace as ``str.split`` has it).
"""

from cpython.mem cimport PyMem_Free, PyMem_Malloc, PyMem_Realloc
from libc.stdint cimport int32_t, int64_t, uint64_t
from libc.string cimport memcmp, memset

import numpy as np

cdef extern from "Python.h":
    bint Py_UNICODE_ISSPACE(Py_UCS4 ch)
    int PyUnicode_KIND(object s)
    void* PyUnicode_DATA(object s)
    Py_UCS4 PyUnicode_READ(int kind, const void* data, Py_ssize_t i) nogil


cdef uint64_t FNV_OFFSET = 0xCBF29CE484222325ULL
cdef uint64_t FNV_PRIME = 0x100000001B3ULL


cdef inline uint64_t word_hash(int kind, const char* data, Py_ssize_t a, Py_ssize_t n) noexcept nogil:
    """Over the word's code points, whatever the string's storage kind."""
    cdef uint64_t h = FNV_OFFSET
    cdef Py_ssize_t i
    for i in range(a, a + n):
        h = (h ^ <uint64_t>PyUnicode_READ(kind, data, i)) * FNV_PRIME
    return h ^ (h >> 29)


def word_codes(str text):
    """(number of each word in order, the distinct words in order of first use)."""
    cdef Py_ssize_t n = len(text), i = 0, a, m = 0, k, slot, size
    cdef Py_ssize_t cap = 1024, n_words = 0, room = 256
    cdef uint64_t h
    # Read in the text's own storage: a UCS-4 copy of a batch's text is tens of megabytes.
    cdef int kind = PyUnicode_KIND(text)
    cdef const char* data = <const char*>PyUnicode_DATA(text)
    cdef int32_t* table = NULL
    cdef Py_ssize_t* starts = NULL
    cdef Py_ssize_t* lengths = NULL
    cdef uint64_t* hashes = NULL
    ids = np.empty(n // 2 + 1, dtype=np.int64)  # at most one word every two characters
    cdef int64_t[::1] out = ids
    distinct = []
    try:
        table = <int32_t*>PyMem_Malloc(cap * sizeof(int32_t))
        starts = <Py_ssize_t*>PyMem_Malloc(room * sizeof(Py_ssize_t))
        lengths = <Py_ssize_t*>PyMem_Malloc(room * sizeof(Py_ssize_t))
        hashes = <uint64_t*>PyMem_Malloc(room * sizeof(uint64_t))
        if table == NULL or starts == NULL or lengths == NULL or hashes == NULL:
            raise MemoryError()
        memset(table, 0xFF, cap * sizeof(int32_t))  # -1: empty
        while True:
            while i < n and Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, i)):
                i += 1
            if i == n:
                break
            a = i
            while i < n and not Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, i)):
                i += 1
            size = i - a
            h = word_hash(kind, data, a, size)
            slot = <Py_ssize_t>(h & <uint64_t>(cap - 1))
            while True:
                k = table[slot]
                if k < 0:
                    break
                if (
                    hashes[k] == h
                    and lengths[k] == size
                    and memcmp(data + starts[k] * kind, data + a * kind, size * kind) == 0  # one kind throughout
                ):
                    break
                slot = (slot + 1) & (cap - 1)
            if k < 0:  # a new word
                k = n_words
                if n_words == room:
                    room *= 2
                    starts = <Py_ssize_t*>_grow(starts, room * sizeof(Py_ssize_t))
                    lengths = <Py_ssize_t*>_grow(lengths, room * sizeof(Py_ssize_t))
                    hashes = <uint64_t*>_grow(hashes, room * sizeof(uint64_t))
                starts[k], lengths[k], hashes[k] = a, size, h
                table[slot] = <int32_t>k
                n_words += 1
                distinct.append(text[a:i])
                if 2 * n_words > cap:  # keep the table at most half full
                    table = _rehash(table, cap, hashes, n_words)
                    cap *= 2
            out[m] = k
            m += 1
        return ids[:m].copy(), distinct
    finally:
        PyMem_Free(table)
        PyMem_Free(starts)
        PyMem_Free(lengths)
        PyMem_Free(hashes)


cdef void* _grow(void* block, size_t size) except NULL:
    cdef void* bigger = PyMem_Realloc(block, size)
    if bigger == NULL:
        raise MemoryError()
    return bigger


cdef int32_t* _rehash(int32_t* table, Py_ssize_t cap, const uint64_t* hashes, Py_ssize_t n_words) except NULL:
    """A table twice the size holding the same words (the old one is freed)."""
    cdef Py_ssize_t new_cap = cap * 2, k, slot
    cdef int32_t* bigger = <int32_t*>PyMem_Malloc(new_cap * sizeof(int32_t))
    if bigger == NULL:
        raise MemoryError()
    memset(bigger, 0xFF, new_cap * sizeof(int32_t))
    for k in range(n_words):
        slot = <Py_ssize_t>(hashes[k] & <uint64_t>(new_cap - 1))
        while bigger[slot] >= 0:
            slot = (slot + 1) & (new_cap - 1)
        bigger[slot] = <int32_t>k
    PyMem_Free(table)
    return bigger
