# cython: language_level=3, boundscheck=False, wraparound=False, initializedcheck=False
"""Aho-Corasick over many keys as a full transition table, walked in C.

Why: with 500 rules the rule set has a few thousand keys, and pyahocorasick walked them at about
20 ns a character (a sparse child list per node) and built a Python tuple per hit, which the
matcher then bucketed per post in Python; the tone and offensive lexicons walk theirs over every
post too. Here each character costs one table lookup (the keys' characters are numbered; any
other is class 0), a transition holds its target's row offset, negated when the target has
outputs, and ``collect`` puts hits straight into each post's ``{key id: [end, ...]}``.
Analysis: ~127 -> ~117 CPU-us a post. ``collect_flat`` and ``collect_flat_apart`` give the same
hits as int32 arrays, for the rule matcher (``postwatch.rules.posthits``).

Reports the same (end, key id) pairs as pyahocorasick's ``iter``, in the same order (by end;
at one end, longest key first). Keys must be BMP text; ``KeyDfa`` raises ValueError otherwise
and the caller keeps pyahocorasick (``postwatch.keysearch``).
"""

cimport cython
from cpython.dict cimport PyDict_GetItem, PyDict_SetItem
from cpython.list cimport PyList_Append
from cpython.object cimport PyObject
from libc.stdint cimport int32_t, uint16_t

import numpy as np

cdef extern from "Python.h":
    bint Py_UNICODE_ISALNUM(Py_UCS4 ch)
    int PyUnicode_KIND(object s)
    void* PyUnicode_DATA(object s)
    Py_UCS4 PyUnicode_READ(int kind, void* data, Py_ssize_t i) nogil


@cython.final
cdef class _Triples:
    """Hits as three int32 arrays (post, key id, end) that grow by doubling."""

    cdef object post_arr, kid_arr, pos_arr
    cdef int32_t* posts
    cdef int32_t* kids
    cdef int32_t* where
    cdef Py_ssize_t m, cap

    def __cinit__(self, Py_ssize_t cap):
        self.m, self.cap = 0, 0
        self._resize(max(cap, 1))

    cdef int _resize(self, Py_ssize_t cap) except -1:
        cdef int32_t[::1] a, b, c
        if self.cap:
            self.post_arr, self.kid_arr, self.pos_arr = (
                np.resize(x, cap) for x in (self.post_arr, self.kid_arr, self.pos_arr)
            )
        else:
            self.post_arr, self.kid_arr, self.pos_arr = (np.empty(cap, dtype=np.int32) for _ in range(3))
        a, b, c = self.post_arr, self.kid_arr, self.pos_arr
        self.posts, self.kids, self.where = &a[0], &b[0], &c[0]  # the arrays own the memory
        self.cap = cap
        return 0

    cdef inline int add(self, Py_ssize_t post, int32_t kid, Py_ssize_t end) except -1:
        if self.m == self.cap:  # rare: the first capacity is a guess from the text's length
            self._resize(2 * self.cap)
        self.posts[self.m] = <int32_t>post
        self.kids[self.m] = kid
        self.where[self.m] = <int32_t>end
        self.m += 1
        return 0

    cdef tuple arrays(self):
        return self.post_arr[: self.m], self.kid_arr[: self.m], self.pos_arr[: self.m]


cdef class KeyDfa:
    """Every (key, key id) pair; an id may serve several keys."""

    cdef readonly int n_states, n_classes
    cdef object _keys
    cdef const int32_t[:, ::1] delta
    cdef const uint16_t[::1] classes
    cdef const int32_t[::1] out_start, out_kid
    cdef const uint16_t[::1] word_classes  # for iter_words; built on its first call
    cdef bint has_word_classes

    def __init__(self, pairs):
        # As pyahocorasick: an empty key is ignored, a key given twice keeps its last id.
        pairs = list({key: kid for key, kid in pairs if key}.items())
        chars = sorted({c for key, _ in pairs for c in key})
        if any(ord(c) > 0xFFFF for c in chars):
            raise ValueError("a key has a character outside the BMP")
        if len(chars) >= 0xFFFF:
            raise ValueError("too many distinct characters in the keys")
        class_of = {c: i + 1 for i, c in enumerate(chars)}
        goto: list[dict[int, int]] = [{}]
        own: list[int] = [-1]
        for key, kid in pairs:
            s = 0
            for c in key:
                k = class_of[c]
                t = goto[s].get(k)
                if t is None:
                    t = len(goto)
                    goto[s][k] = t
                    goto.append({})
                    own.append(-1)
                s = t
            own[s] = kid
        n = len(goto)
        n_classes = len(chars) + 1
        if n * n_classes >= 2**31:  # transitions hold row offsets as int32
            raise ValueError("too many keys for one table")
        delta = np.zeros((n, n_classes), dtype=np.int32)
        fail = [0] * n
        outs: list[list[int]] = [[] for _ in range(n)]
        order = [0]
        for s in order:  # breadth first: a state's fail state is shallower, so already complete
            if s:
                delta[s] = delta[fail[s]]
                outs[s] = ([own[s]] if own[s] >= 0 else []) + outs[fail[s]]
            for k, t in goto[s].items():
                fail[t] = int(delta[fail[s], k]) if s else 0
                order.append(t)
            for k, t in goto[s].items():
                delta[s, k] = t
        classes = np.zeros(0x10000, dtype=np.uint16)
        for c, k in class_of.items():
            classes[ord(c)] = k
        out_start = np.zeros(n + 1, dtype=np.int32)
        out_start[1:] = np.cumsum([len(o) for o in outs])
        out_kid = np.array([kid for o in outs for kid in o], dtype=np.int32)
        # Each transition as the target row's offset (no multiply on the walk), bitwise-negated
        # when the target has outputs (one sign test per character).
        has_out = np.diff(out_start) > 0
        delta = delta * n_classes
        delta = np.where(has_out[delta // n_classes], ~delta, delta).astype(np.int32)
        self.n_states, self.n_classes = n, n_classes
        self.delta, self.classes, self.out_start, self.out_kid = delta, classes, out_start, out_kid
        self._keys = [key for key, _ in pairs]

    def __len__(self):
        return len(self._keys)

    def keys(self):
        return iter(self._keys)

    def iter(self, str text):
        """Every (end index, key id), as pyahocorasick's ``Automaton.iter`` gives them."""
        return self._walk(text, False)

    def iter_words(self, str text):
        """``iter(" " + view + " ")``, where ``view`` is ``text`` with every character that is not a
        word character (``re``'s ``\\w``: alphanumeric or "_") made a space, without building the
        view: keys written as " word " then match on word boundaries only."""
        if not self.has_word_classes:
            self._build_word_classes()
        return self._walk(text, True)

    cdef list _walk(self, str text, bint words):
        """The hits over ``text``: read through ``classes``, or with ``words`` through
        ``word_classes`` between two padding spaces (which offsets then count)."""
        cdef Py_ssize_t pad = 1 if words else 0, n = len(text), i
        cdef int32_t off = 0, state, j, k = self.n_classes
        cdef Py_UCS4 c
        cdef const int32_t* delta = &self.delta[0, 0]
        cdef const uint16_t* classes = &self.word_classes[0] if words else &self.classes[0]
        cdef const int32_t* out_start = &self.out_start[0]
        cdef uint16_t space = classes[32] if words else 0
        cdef int kind = PyUnicode_KIND(text)  # read in place: see collect_flat
        cdef void* data = PyUnicode_DATA(text)
        out = []
        for i in range(n + 2 * pad):
            if i < pad or i >= n + pad:
                off = delta[off + space]
            else:
                c = PyUnicode_READ(kind, data, i - pad)
                if c < 0x10000:
                    off = delta[off + classes[c]]
                else:  # no key holds a character past the BMP: a word character breaks a key
                    off = delta[off + (0 if Py_UNICODE_ISALNUM(c) else space)]
            if off < 0:
                off = ~off
                state = off // k
                for j in range(out_start[state], out_start[state + 1]):
                    out.append((i, self.out_kid[j]))
        return out

    cdef _build_word_classes(self):
        cdef uint16_t[::1] table = np.empty(0x10000, dtype=np.uint16)
        cdef uint16_t space = self.classes[32]
        cdef Py_UCS4 c
        for c in range(0x10000):
            table[c] = self.classes[c] if Py_UNICODE_ISALNUM(c) or c == 95 else space
        self.word_classes = table
        self.has_word_classes = True

    def collect(self, str text, list starts, list ends, list hits_of, skip):
        """``postwatch.keysearch.collect(self.iter(text), starts, ends, hits_of, skip)``.

        Each hit goes to ``hits_of[post][key id]`` at the post's own offset; ``starts`` / ``ends``
        are each post's first offset and its end in ``text``, ascending; posts in ``skip`` (a set,
        or None) are left alone. (The rule matcher reads ``collect_flat``'s arrays instead.)
        """
        posts_arr, kids_arr, where_arr = self.collect_flat(text, starts, ends, skip)
        cdef const int32_t[::1] posts = posts_arr, kids = kids_arr, where = where_arr
        cdef Py_ssize_t i, p = -1
        cdef PyObject* found
        cdef dict hits = None
        for i in range(posts.shape[0]):
            if posts[i] != p:
                p = posts[i]
                hits = hits_of[p]
                if hits is None:
                    hits = {}
                    hits_of[p] = hits
            kid = kids[i]
            found = PyDict_GetItem(hits, kid)
            if found == NULL:
                PyDict_SetItem(hits, kid, [where[i]])
            else:
                PyList_Append(<object>found, where[i])

    def collect_flat(self, str text, list starts, list ends, skip, Py_ssize_t first_post=0):
        """``collect``'s hits as three int32 arrays (post, key id, end at the post's offset), in
        the order of ``iter``; post numbers are counted from ``first_post``.

        No dict, list or int object per hit: the matcher groups them per post and key in C
        (``postwatch.rules.posthits``) and reads positions only for the keys its rules ask for."""
        cdef Py_ssize_t n = len(text), n_posts = len(ends), i, lo, hi, mid, p = 0
        cdef Py_ssize_t limit = -1, base = 0, end_p
        cdef int32_t state, j
        cdef Py_UCS4 c
        cdef bint skipped = False
        cdef int32_t k = self.n_classes, off = 0
        cdef const int32_t* delta = &self.delta[0, 0]
        cdef const uint16_t* classes = &self.classes[0]
        cdef const int32_t* out_start = &self.out_start[0]
        cdef const int32_t* out_kid = &self.out_kid[0]
        # Read in the text's own storage (one byte a character for the matcher's texts): a UCS-4
        # copy of a chunk's text is megabytes written and faulted in for one pass.
        cdef int kind = PyUnicode_KIND(text)
        cdef void* data = PyUnicode_DATA(text)
        cdef _Triples out = _Triples(n // 8 + 16)
        for i in range(n):
            c = PyUnicode_READ(kind, data, i)
            off = delta[off + (classes[c] if c < 0x10000 else 0)]
            if off >= 0:
                continue
            off = ~off
            state = off // k
            if i >= limit:
                lo, hi = 0, n_posts  # bisect_right(ends, i)
                while lo < hi:
                    mid = (lo + hi) >> 1
                    end_p = ends[mid]
                    if i < end_p:
                        hi = mid
                    else:
                        lo = mid + 1
                p = lo
                if p >= n_posts:
                    raise IndexError(f"a key ends at {i}, after the last post (ends at {ends[-1]})")
                limit, base = ends[p], starts[p]
                skipped = skip is not None and p in skip
            if skipped:
                continue
            for j in range(out_start[state], out_start[state + 1]):
                out.add(p + first_post, out_kid[j], i - base)
        return out.arrays()

    def collect_flat_apart(self, str text, list starts, list ends, list posts):
        """``collect_flat`` of each ``text[starts[j]:ends[j]]`` alone (the automaton starts afresh
        there, offsets count from its start) as post ``posts[j]``, in one call: what the matcher
        asks for the few posts typed without diacritics, without a slice and three arrays each."""
        cdef Py_ssize_t n_items = len(posts), j, i, a, b, p
        cdef int32_t state, t
        cdef Py_UCS4 c
        cdef int32_t k = self.n_classes, off
        cdef const int32_t* delta = &self.delta[0, 0]
        cdef const uint16_t* classes = &self.classes[0]
        cdef const int32_t* out_start = &self.out_start[0]
        cdef const int32_t* out_kid = &self.out_kid[0]
        cdef int kind = PyUnicode_KIND(text)
        cdef void* data = PyUnicode_DATA(text)
        cdef Py_ssize_t n = len(text)
        if len(starts) != n_items or len(ends) != n_items:
            raise ValueError("starts, ends and posts must be as long as each other")
        cdef _Triples out = _Triples(64)
        for j in range(n_items):
            a, b, p = starts[j], ends[j], posts[j]
            if a < 0 or b > n or a > b:
                raise IndexError(f"range {a}:{b} outside the text (length {n})")
            off = 0
            for i in range(a, b):
                c = PyUnicode_READ(kind, data, i)
                off = delta[off + (classes[c] if c < 0x10000 else 0)]
                if off >= 0:
                    continue
                off = ~off
                state = off // k
                for t in range(out_start[state], out_start[state + 1]):
                    out.add(p, out_kid[t], i - a)
        return out.arrays()
