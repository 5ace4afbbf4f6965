# cython: language_level=3, wraparound=False
"""The word terms' hits of a batch, checked and put into each post's list, in C.

Why compiled: the lexicons' word keys are searched on the folded text, so a folded spelling
("xau") comes back for every word that folds to it ("xấu", "xâu", "xàu"): about seven raw hits
a post, of which one survives the diacritics check. In Python each cost a slice, a tuple unpack
and a cached-call lookup (about 4 µs a post over the tone and offensive lexicons); here the
check reads the joined texts in place and only a hit that survives becomes an object.

Same result as ``postwatch.nlp.features.word_hits_python``, the definition.
"""

from cpython.list cimport PyList_Append
from libc.stdint cimport uint8_t

cdef extern from "Python.h":
    int PyUnicode_KIND(object o)
    void* PyUnicode_DATA(object o)
    Py_UCS4 PyUnicode_READ(int kind, void* data, Py_ssize_t index) nogil


cdef inline bint same(object a, Py_ssize_t at, object b):
    """a[at:at + len(b)] == b (the caller knows a is long enough)."""
    cdef int ka = PyUnicode_KIND(a), kb = PyUnicode_KIND(b)
    cdef void* da = PyUnicode_DATA(a)
    cdef void* db = PyUnicode_DATA(b)
    cdef Py_ssize_t i
    for i in range(len(b)):
        if PyUnicode_READ(ka, da, at + i) != PyUnicode_READ(kb, db, i):
            return False
    return True


cdef inline bint compatible(object written, Py_ssize_t at, object term, const uint8_t* marked):
    """features.diacritics_compatible(written[at:at + len(term)], term): a letter written with
    marks must be the term's letter, a bare letter stands for any marks."""
    cdef int kw = PyUnicode_KIND(written), kt = PyUnicode_KIND(term)
    cdef void* dw = PyUnicode_DATA(written)
    cdef void* dt = PyUnicode_DATA(term)
    cdef Py_ssize_t i
    cdef Py_UCS4 w
    for i in range(len(term)):
        w = PyUnicode_READ(kw, dw, at + i)
        if w != PyUnicode_READ(kt, dt, i) and w < 0x10000 and marked[w]:
            return False
    return True


def word_hits(
    found, list values, str text, str lower, str folded, list starts, const uint8_t[::1] marked,
    list out, make_hit,
):
    """``features.word_hits_python`` (same appends to ``out``), reading ``_VN_MARKED`` as ``marked``
    (a byte per BMP code point) and making each hit with ``make_hit``. ``found`` is any iterable of
    (end, key id): pyahocorasick's iterator where a key lies past the BMP."""
    cdef Py_ssize_t n_posts = len(starts), post = 0, nxt, start, end, end_idx, size, offset
    cdef Py_ssize_t n = len(folded)
    cdef tuple value, entry
    cdef list entries, hits
    cdef object check, term
    cdef bint strict
    cdef const uint8_t* mark = &marked[0]
    if marked.shape[0] < 0x10000:
        raise ValueError("marked must cover the BMP")
    if len(lower) != n or len(text) != n:
        raise ValueError("text, lower and folded must be the same length")
    nxt = starts[1] if n_posts > 1 else n + 1
    for pair in found:
        end_idx = (<tuple>pair)[0]
        value = <tuple>values[(<tuple>pair)[1]]
        size = value[0]
        entries = <list>value[1]
        check = value[2]
        start = end_idx - size + 1  # the view's padding space shifts every offset by one
        end = end_idx - 1
        if start < 0 or end > n or start > end:
            raise ValueError(f"a hit at {end_idx} does not fit the text")
        if check is not None and (len(check) != end - start or not same(folded, start, check)):
            continue
        while start >= nxt:
            post += 1
            nxt = starts[post + 1] if post + 1 < n_posts else n + 1
        for e in entries:
            entry = <tuple>e
            term = entry[0]
            strict = entry[2]
            if len(term) != end - start:
                continue  # never: a term folds to its key, and folding keeps the length
            if (same(lower, start, term) if strict else compatible(lower, start, term, mark)):
                offset = starts[post]
                hits = <list>out[post]
                PyList_Append(hits, make_hit(start - offset, end - offset, text[start:end], term, entry[1]))
