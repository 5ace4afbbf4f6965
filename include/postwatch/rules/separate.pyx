# cython: language_level=3, boundscheck=False, wraparound=False, initializedcheck=False
"""A chunk's joined text to the matcher's separated and squeezed byte forms, in one pass in C.

Why compiled: the rule matcher encodes each chunk's text to its one-byte code (a charmap codec
with an error handler for characters outside it), turns everything but letters and digits into
spaces, then collapses space runs with a regex: three passes, about 4.5 µs a post. Here each
character costs one table lookup (the separated byte of every BMP character, worked out once by
the codec itself) and the squeeze happens on the way.

Same result as ``postwatch.rules.text.separate_squeeze_python``, the definition.
"""

from cpython.bytes cimport PyBytes_AS_STRING, PyBytes_FromStringAndSize
from cpython.mem cimport PyMem_Free, PyMem_Malloc
from libc.stdint cimport uint8_t

cdef extern from "Python.h":
    int PyUnicode_KIND(object o)
    void* PyUnicode_DATA(object o)
    Py_UCS4 PyUnicode_READ(int kind, void* data, Py_ssize_t index) nogil


def separate_squeeze(str text, const uint8_t[::1] bmp, astral):
    """(``text`` as separated bytes, those with space runs collapsed, where each field of the
    squeezed bytes starts and, last, its length + 1). ``bmp``: the separated byte of every BMP
    character; ``astral(code point)``: that of one past it."""
    if bmp.shape[0] != 0x10000:
        raise ValueError("bmp must hold one byte per BMP character")
    cdef Py_ssize_t n = len(text), i, m = 0
    cdef int kind = PyUnicode_KIND(text)
    cdef void* data = PyUnicode_DATA(text)
    cdef const uint8_t* table = &bmp[0]
    cdef Py_UCS4 c
    cdef uint8_t b, last = 0
    sep = PyBytes_FromStringAndSize(NULL, n)
    cdef uint8_t* out = <uint8_t*>PyBytes_AS_STRING(sep)
    cdef uint8_t* sq = <uint8_t*>PyMem_Malloc(n + 1)
    if sq == NULL:
        raise MemoryError()
    starts = [0]
    try:
        for i in range(n):
            c = PyUnicode_READ(kind, data, i)
            b = table[c] if c < 0x10000 else <uint8_t>astral(<long>c)
            out[i] = b
            if b == 32 and last == 32:
                continue
            if b == 0x1F:
                starts.append(m + 1)
            sq[m] = b
            m += 1
            last = b
        starts.append(m + 1)
        squeezed = PyBytes_FromStringAndSize(<char*>sq, m)
    finally:
        PyMem_Free(sq)
    return sep, squeezed, starts
