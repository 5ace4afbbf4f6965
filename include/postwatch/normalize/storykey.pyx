# cython: language_level=3, boundscheck=False, wraparound=False, initializedcheck=False
"""The text that ``postwatch.normalize.posts.story_key`` hashes, in one pass over the characters.

Why compiled: the key is lower-case, diacritic-free and cut to 16 words, which in Python is a
lower(), an NFD round trip, a split and a join per post (~3 CPU-us, most of the key's cost).
Here each character goes through one table: ``fold_diacritics(c.lower())`` of every code point
below U+3000, computed once on first use. Text with a character outside the table (emoji, CJK,
a capital sigma, whose lower case depends on its neighbours) returns None: the Python definition
(``posts.story_text``) handles it. tests/unit/normalize/ compare the two.
"""

from cpython.mem cimport PyMem_Free, PyMem_Malloc
from cpython.unicode cimport PyUnicode_4BYTE_KIND, PyUnicode_FromKindAndData


cdef extern from "Python.h":
    bint Py_UNICODE_ISSPACE(Py_UCS4 ch)
    Py_UCS4* PyUnicode_AsUCS4Copy(object s) except NULL  # freed with PyMem_Free

# Stripped from each end of each word (posts._KEY_PUNCT).
KEY_PUNCT = ".,:;!?\"'()[]«»“”-–"
cdef enum:
    DROP = -1
    OUTSIDE = -2  # not one character: the Python definition decides
    TABLE = 0x3000  # code points below this are in the table
    WORDS = 16  # words kept

MAX_WORDS = WORDS
TABLE_SIZE = TABLE
cdef int _table[TABLE]
cdef bint _ready = False


cdef void _build() except *:
    """The table: ``fold_diacritics(c.lower())`` of each code point, where that is one character."""
    global _ready
    from postwatch.normalize.text import fold_diacritics  # loaded by the time a key is asked for

    cdef int cp
    for cp in range(TABLE):
        r = fold_diacritics(chr(cp).lower())
        _table[cp] = DROP if len(r) == 0 else ord(r) if len(r) == 1 else OUTSIDE
    _table[0x03A3] = OUTSIDE  # capital sigma: final or not, by context
    _ready = True


def table_entry(int code_point) -> int:
    """The table's entry for ``code_point``: -1 dropped, -2 left to Python, else the folded one."""
    if not _ready:
        _build()
    return _table[code_point] if 0 <= code_point < TABLE else OUTSIDE


cdef Py_UCS4 _punct[32]
cdef int _n_punct = len(KEY_PUNCT)
for _k, _c in enumerate(KEY_PUNCT):
    _punct[_k] = ord(_c)


cdef inline bint is_punct(Py_UCS4 c) noexcept nogil:
    cdef int k
    for k in range(_n_punct):
        if _punct[k] == c:
            return True
    return False


def story_text(str basis):
    """Lower-case, folded first 16 words, each stripped of punctuation at its ends; None: Python."""
    if not _ready:
        _build()
    cdef Py_ssize_t n = len(basis), i, m = 0, j = 0, words = 0, a, b
    cdef Py_UCS4 c
    cdef int v
    cdef Py_UCS4* src = PyUnicode_AsUCS4Copy(basis)
    cdef Py_UCS4* out = <Py_UCS4*>PyMem_Malloc((n + WORDS + 1) * sizeof(Py_UCS4))
    if out == NULL:
        PyMem_Free(src)
        raise MemoryError()
    try:
        for i in range(n):  # fold in place: never longer than the source
            c = src[i]
            v = _table[c] if c < TABLE else OUTSIDE
            if v == OUTSIDE:
                return None
            if v != DROP:
                src[m] = v
                m += 1
        i = 0
        while i < m and words < WORDS:
            while i < m and Py_UNICODE_ISSPACE(src[i]):
                i += 1
            if i == m:
                break
            a = i
            while i < m and not Py_UNICODE_ISSPACE(src[i]):
                i += 1
            b = i
            while a < b and is_punct(src[a]):
                a += 1
            while b > a and is_punct(src[b - 1]):
                b -= 1
            if words:
                out[j] = 0x20
                j += 1
            while a < b:
                out[j] = src[a]
                j += 1
                a += 1
            words += 1
        return PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, out, j)
    finally:
        PyMem_Free(src)
        PyMem_Free(out)
