# cython: language_level=3, boundscheck=False, wraparound=False, initializedcheck=False
"""Two scans of a batch's joined text for the token stream, reading the text in place, in C.

Why compiled: numpy needed the text as UCS-4 (four bytes a character, a copy of megabytes) and
several whole-length temporaries for each question; both answers are a few dozen positions in
ten thousand posts. About 1.8 µs a post.

Same results as ``postwatch.nlp.features.triples_python`` and ``marked_python``, the definitions.
"""

from libc.stdint cimport uint8_t

cdef extern from "Python.h":
    int PyUnicode_KIND(object o)
    void* PyUnicode_DATA(object o)
    Py_UCS4 PyUnicode_READ(int kind, void* data, Py_ssize_t index) nogil


def triples(str text, const uint8_t[::1] letters):
    """Every position that starts three equal characters in a row, that character being a letter
    by ``letters`` (a table over the BMP) or past the BMP."""
    if letters.shape[0] != 0x10000:
        raise ValueError("letters must hold one entry per BMP character")
    cdef Py_ssize_t n = len(text), i
    cdef int kind = PyUnicode_KIND(text)
    cdef void* data = PyUnicode_DATA(text)
    cdef Py_UCS4 a, b, c
    out = []
    if n < 3:
        return out
    a = PyUnicode_READ(kind, data, 0)
    b = PyUnicode_READ(kind, data, 1)
    for i in range(n - 2):
        c = PyUnicode_READ(kind, data, i + 2)
        if a == b and b == c and (a >= 0x10000 or letters[a]):
            out.append(i)
        a = b
        b = c
    return out


def marked(str text, const uint8_t[::1] table):
    """Every position whose character ``table`` marks (code points past the table are not)."""
    cdef Py_ssize_t n = len(text), i, size = table.shape[0]
    cdef int kind = PyUnicode_KIND(text)
    cdef void* data = PyUnicode_DATA(text)
    cdef Py_UCS4 c
    out = []
    if kind == 1:  # one byte a character: nothing to find unless the table marks one below 256
        for i in range(min(size, 256)):
            if table[i]:
                break
        else:
            return out
    for i in range(n):
        c = PyUnicode_READ(kind, data, i)
        if c < size and table[c]:
            out.append(i)
    return out
