# cython: language_level=3, boundscheck=False, wraparound=False, initializedcheck=False
"""A batch's joined text to its lower-case (canonical tone placement) and folded views, in C.

Why compiled: ``PreparedBatch`` lower-cases the joined texts, moves old-style tone marks with a
regex (hoà -> hòa) and folds diacritics through numpy: three passes, about 4.5 µs a post. Here
one pass reads each character once, through two tables worked out by Python itself.

Gives ``fix_tone_placement(text.lower())`` and ``fold`` of it (``postwatch.nlp.features``, the
definitions), or None where only ``str.lower`` is exact: a character whose lower case is not one
character, a capital sigma (its lower case depends on the letters around it), a cased character
past the BMP. The caller then takes the Python path.
"""

from cpython.mem cimport PyMem_Free, PyMem_Malloc
from libc.stdint cimport uint8_t, uint32_t

cdef extern from "Python.h":
    int PyUnicode_KIND(object o)
    void* PyUnicode_DATA(object o)
    Py_UCS4 PyUnicode_READ(int kind, void* data, Py_ssize_t index) nogil
    object PyUnicode_FromKindAndData(int kind, const void* buffer, Py_ssize_t size)
    bint Py_UNICODE_ISALNUM(Py_UCS4 ch)
    bint Py_UNICODE_ISDECIMAL(Py_UCS4 ch)
    Py_UCS4 Py_UNICODE_TOLOWER(Py_UCS4 ch)
    int PyUnicode_4BYTE_KIND

#: ``lower`` entry of a BMP character that only ``str.lower`` handles.
cdef uint32_t NOT_ONE = 0xFFFFFFFFu


def lower_fold(str text, const uint32_t[::1] lower, const uint8_t[::1] second, dict retone,
               const uint32_t[::1] fold):
    """(lower view, folded view) of ``text``, or None (see the module's doc).

    ``lower``: each BMP character's lower case (``NOT_ONE`` where it is not one character);
    ``second``: per BMP character, bit 1 when "o" + it and bit 2 when "u" + it is a pair that
    tone placement rewrites; ``retone``: those pairs and what they become; ``fold``: each
    character's folded form below ``len(fold)`` (the rest fold to themselves).
    """
    if lower.shape[0] != 0x10000 or second.shape[0] != 0x10000:
        raise ValueError("lower and second must cover the BMP")
    cdef Py_ssize_t n = len(text), i, n_fold = fold.shape[0]
    cdef int kind = PyUnicode_KIND(text)
    cdef void* data = PyUnicode_DATA(text)
    cdef Py_UCS4 c, nxt
    cdef uint32_t low
    cdef uint8_t bit
    cdef Py_UCS4* out = <Py_UCS4*>PyMem_Malloc((n + 1) * sizeof(Py_UCS4))
    if out == NULL:
        raise MemoryError()
    try:
        for i in range(n):
            c = PyUnicode_READ(kind, data, i)
            if c < 0x10000:
                low = lower[c]
                if low == NOT_ONE:
                    return None
                out[i] = low
            elif Py_UNICODE_TOLOWER(c) != c:
                return None
            else:
                out[i] = c
        # Tone placement: "o" or "u", then a vowel carrying the tone, at the end of a syllable
        # (no letter next: the regex's (?![^\W\d_])) and not after "q".
        for i in range(n - 1):
            c = out[i]
            if c != 0x6F and c != 0x75:
                continue
            nxt = out[i + 1]
            if nxt >= 0x10000:
                continue
            bit = 1 if c == 0x6F else 2
            if not second[nxt] & bit:
                continue
            if i > 0 and out[i - 1] == 0x71:
                continue
            if i + 2 < n and Py_UNICODE_ISALNUM(out[i + 2]) and not Py_UNICODE_ISDECIMAL(out[i + 2]):
                continue
            pair = retone[chr(c) + chr(nxt)]
            out[i] = ord(pair[0])
            out[i + 1] = ord(pair[1])
        low_view = PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, out, n)
        for i in range(n):
            c = out[i]
            if c < n_fold:
                out[i] = fold[c]
        return low_view, PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, out, n)
    finally:
        PyMem_Free(out)
