# cython: language_level=3, boundscheck=False, wraparound=False, initializedcheck=False
"""Scans and one copy of a batch's joined text, reading the text in place, in C.

Why compiled: numpy needed the text as UCS-4 (four bytes a character, a copy of megabytes) and
several whole-length temporaries for each question; both answers are a few dozen positions in
ten thousand posts (about 1.8 µs a post). Putting a space at each title's end built a list of
two pieces a post and joined them, for each of three views (about 1.5 µs a post).

Same results as ``postwatch.nlp.features.triples_python``, ``marked_python`` and
``put_spaces_python``, the definitions.
"""

from libc.stdint cimport uint8_t

cdef extern from "Python.h":
    object PyUnicode_New(Py_ssize_t size, Py_UCS4 maxchar)
    Py_UCS4 PyUnicode_MAX_CHAR_VALUE(object o)
    Py_ssize_t PyUnicode_CopyCharacters(object to, Py_ssize_t to_start, object frm, Py_ssize_t frm_start, Py_ssize_t how_many) except -1
    void PyUnicode_WRITE(int kind, void* data, Py_ssize_t index, Py_UCS4 value) nogil
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


def put_spaces(str text, list positions):
    """``text`` with the character at each position made a space, or None when one of those
    characters is not ASCII (a space there could narrow the string's storage: Python decides)."""
    cdef Py_ssize_t n = len(text), i
    cdef int kind = PyUnicode_KIND(text)
    cdef void* data = PyUnicode_DATA(text)
    for p in positions:
        i = p
        if i < 0 or i >= n:
            raise IndexError(f"position {i} outside a text of {n} characters")
        if PyUnicode_READ(kind, data, i) >= 128:
            return None
    out = PyUnicode_New(n, PyUnicode_MAX_CHAR_VALUE(text))
    PyUnicode_CopyCharacters(out, 0, text, 0, n)
    cdef void* target = PyUnicode_DATA(out)
    for p in positions:
        PyUnicode_WRITE(kind, target, <Py_ssize_t>p, 32)
    return out
