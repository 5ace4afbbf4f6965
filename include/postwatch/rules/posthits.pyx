# cython: language_level=3, boundscheck=False, wraparound=False, initializedcheck=False
"""A chunk's key hits grouped per post and key in flat arrays, with a read-only mapping per post.

Why: with 500 rules a post has about 24 key hits, most of them common syllables ("xã", "tỉnh")
that anchor no rule and only matter when some rule anchored elsewhere is evaluated on the post.
Bucketing every hit into a ``{key id: [end, ...]}`` dict cost about 5 µs a post (a dict, a list
and an int object per hit, then freeing them); here the automata write int32 arrays
(``KeyDfa.collect_flat``), ``group`` sorts them by post and key in C, and ``PostHits`` answers
the rules' questions (``kid in hits``, ``hits.get(kid)``, iteration) from the arrays, building
a position list only for a key a rule asks for.

A post's ``PostHits`` is the mapping ``postwatch.keysearch.collect`` would have built for it
(the definition; ``Matcher(compiled=False)`` still builds the dicts), which the tests hold it to.
"""

from libc.stdint cimport int32_t, int64_t

import numpy as np


def group(Py_ssize_t n_posts, parts):
    """(row start per post and the end, key ids, positions): the hits of ``parts`` (triples of
    int32 arrays post, key id, position, each in its search's order) ordered by post, then key,
    keeping each key's positions in the order found (a stable sort on (post, key))."""
    posts = np.concatenate([t[0] for t in parts]) if parts else np.zeros(0, np.int32)
    kids_in = np.concatenate([t[1] for t in parts]) if parts else np.zeros(0, np.int32)
    pos_in = np.concatenate([t[2] for t in parts]) if parts else np.zeros(0, np.int32)
    cdef Py_ssize_t n = posts.shape[0], i, j, p, at
    cdef const int32_t[::1] post = np.ascontiguousarray(posts, dtype=np.int32)
    cdef const int32_t[::1] kid = np.ascontiguousarray(kids_in, dtype=np.int32)
    cdef const int32_t[::1] pos = np.ascontiguousarray(pos_in, dtype=np.int32)
    starts = np.zeros(n_posts + 1, dtype=np.int64)
    cdef int64_t[::1] row = starts
    for i in range(n):
        p = post[i]
        if p < 0 or p >= n_posts:
            raise IndexError(f"hit of post {p}, outside the chunk's {n_posts} posts")
        row[p + 1] += 1
    for p in range(n_posts):
        row[p + 1] += row[p]
    kids_out = np.empty(n, dtype=np.int32)
    pos_out = np.empty(n, dtype=np.int32)
    cdef int32_t[::1] k_out = kids_out, q_out = pos_out
    fill_arr = starts[:n_posts].copy()
    cdef int64_t[::1] fill = fill_arr
    cdef int32_t x, y
    for i in range(n):  # counting sort by post: stable
        p = post[i]
        at = fill[p]
        fill[p] = at + 1
        k_out[at] = kid[i]
        q_out[at] = pos[i]
    for p in range(n_posts):  # then insertion sort by key within each post: stable, a few dozen
        for i in range(row[p] + 1, row[p + 1]):
            x, y = k_out[i], q_out[i]
            j = i - 1
            while j >= row[p] and k_out[j] > x:
                k_out[j + 1] = k_out[j]
                q_out[j + 1] = q_out[j]
                j -= 1
            k_out[j + 1] = x
            q_out[j + 1] = y
    return Grouped(starts, kids_out, pos_out)


cdef class Grouped:
    """A chunk's hits by post, then key: post p's are ``kids`` / ``positions`` from
    ``starts[p]`` to ``starts[p + 1]``."""

    cdef readonly object starts, kids, positions
    cdef const int64_t[::1] row
    cdef const int32_t[::1] kid, pos

    def __init__(self, starts, kids, positions):
        self.starts, self.kids, self.positions = starts, kids, positions
        self.row, self.kid, self.pos = starts, kids, positions
        if self.kid.shape[0] != self.pos.shape[0] or self.row.shape[0] < 1:
            raise ValueError("kids and positions must be as long as each other, with row starts")
        if self.row[0] != 0 or self.row[self.row.shape[0] - 1] != self.kid.shape[0]:
            raise ValueError("the row starts must run from 0 to the number of hits")

    def posts(self):
        """Per post, its ``PostHits``, or None when it has no hit."""
        cdef Py_ssize_t p, n = self.row.shape[0] - 1
        cdef PostHits one
        out = [None] * n
        for p in range(n):
            if self.row[p + 1] > self.row[p]:
                one = PostHits.__new__(PostHits)
                one.g, one.a, one.b = self, self.row[p], self.row[p + 1]
                out[p] = one
        return out


cdef class PostHits:
    """One post's hits as a read-only mapping {key id: [end, ...]} (made by ``Grouped.posts``)."""

    cdef Grouped g
    cdef Py_ssize_t a, b
    cdef tuple _keys  # built on first use: OR nodes intersect their keys with it

    def __init__(self):
        raise TypeError("PostHits are made by Grouped.posts()")

    cdef Py_ssize_t _first(self, object key) except -2:
        """Where ``key``'s entries begin, or -1 when it has none (or is not a key id)."""
        if not isinstance(key, int):  # key ids are ints: None (a term without that key) is absent
            return -1
        if key < -0x80000000 or key > 0x7FFFFFFF:
            return -1
        cdef int32_t k = key
        cdef const int32_t* kid = &self.g.kid[0]
        cdef Py_ssize_t lo = self.a, hi = self.b, mid
        while lo < hi:
            mid = (lo + hi) >> 1
            if kid[mid] < k:
                lo = mid + 1
            else:
                hi = mid
        return lo if lo < self.b and kid[lo] == k else -1

    def __contains__(self, key):
        return self._first(key) >= 0

    def get(self, key, default=None):
        cdef Py_ssize_t i = self._first(key)
        if i < 0:
            return default
        cdef const int32_t* kid = &self.g.kid[0]
        cdef const int32_t* pos = &self.g.pos[0]
        cdef int32_t k = kid[i]
        out = []
        while i < self.b and kid[i] == k:
            out.append(pos[i])
            i += 1
        return out

    def __getitem__(self, key):
        found = self.get(key)
        if found is None:
            raise KeyError(key)
        return found

    cdef tuple _key_tuple(self):
        cdef Py_ssize_t i
        cdef const int32_t* kid
        if self._keys is None:
            kid = &self.g.kid[0]
            out = []
            for i in range(self.a, self.b):
                if i == self.a or kid[i] != kid[i - 1]:
                    out.append(kid[i])
            self._keys = tuple(out)
        return self._keys

    def keys(self):
        """The key ids, ascending."""
        return list(self._key_tuple())

    def __iter__(self):
        return iter(self._key_tuple())

    def __len__(self):
        return len(self._key_tuple())

    def __bool__(self):
        return self.b > self.a

    def as_dict(self):
        return {k: self.get(k) for k in self.keys()}

    def __repr__(self):
        return f"PostHits({self.as_dict()!r})"
