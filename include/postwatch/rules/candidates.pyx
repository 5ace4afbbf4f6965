# cython: language_level=3, boundscheck=False, wraparound=False, initializedcheck=False
"""Which rules to evaluate on each post of a chunk, from the keys the automata found there, in C.

Why compiled: with 500 rules a post holds about 12 distinct keys, 3 of them anchors of 4 rules,
and each of those rules has about 3 further requirements (one of these keys must be among the
hits). Sets, ``sorted`` and the nested loops over keys cost about 5.5 µs a post in Python; here
each key and requirement is an array lookup against a per-post stamp.

Same result as ``postwatch.rules.match.candidates_python``, the definition.
"""

from cpython.dict cimport PyDict_Next
from cpython.object cimport PyObject
from libc.stdint cimport int32_t, int64_t

import numpy as np

cdef extern from "Python.h":
    Py_ssize_t PyLong_AsSsize_t(object o) except? -1


cdef inline void _sort(int32_t* a, Py_ssize_t n) noexcept nogil:
    """Insertion sort: a post's candidates are a handful."""
    cdef Py_ssize_t i, j
    cdef int32_t x
    for i in range(1, n):
        x = a[i]
        j = i - 1
        while j >= 0 and a[j] > x:
            a[j + 1] = a[j]
            j -= 1
        a[j + 1] = x


def _starts(lists):
    """Where each of the lists starts when they are laid end to end, and (last) their total."""
    starts = np.zeros(len(lists) + 1, dtype=np.int32)
    starts[1:] = np.cumsum([len(v) for v in lists], dtype=np.int64)
    return starts


def _csr(lists):
    """(starts, flat values) of lists of ints."""
    starts = _starts(lists)
    return starts, np.fromiter((x for v in lists for x in v), dtype=np.int32, count=int(starts[-1]))


cdef class CandidateIndex:
    """The rule set's anchors (key id -> rules anchored on it), its rules that need no key
    (``always``) and each rule's further requirements (tuples of key ids, one of each needed)."""

    cdef readonly Py_ssize_t n_keys, n_rules
    cdef const int32_t[::1] anchor_start, anchor_rule, need_start, key_start, need_key, always
    cdef int64_t[::1] key_stamp, rule_stamp
    cdef int32_t[::1] buf
    cdef int64_t gen
    cdef list always_list

    def __init__(self, Py_ssize_t n_keys, key_rules, always, checks):
        self.n_keys, self.n_rules = n_keys, len(checks)
        if len(key_rules) != n_keys:
            raise ValueError("key_rules must hold one entry per key id")
        for rules in (*key_rules, always):
            for r in rules:
                if not 0 <= r < self.n_rules:
                    raise ValueError(f"rule {r} out of range")
        needs = [need for rule_needs in checks for need in rule_needs]
        for need in needs:
            for k in need:
                if not 0 <= k < n_keys:
                    raise ValueError(f"key id {k} out of range")
        self.anchor_start, self.anchor_rule = _csr(key_rules)
        self.need_start = _starts(checks)  # rule i's requirements: needs need_start[i] to [i + 1] - 1
        self.key_start, self.need_key = _csr(needs)
        self.always = np.asarray(sorted(set(always)), dtype=np.int32)
        #: A post without hits: the always-rules that need no key at all.
        self.always_list = [int(r) for r in self.always if not checks[r]]
        self.key_stamp = np.zeros(max(n_keys, 1), dtype=np.int64)
        self.rule_stamp = np.zeros(max(self.n_rules, 1), dtype=np.int64)
        self.buf = np.zeros(max(self.n_rules, 1), dtype=np.int32)
        self.gen = 0

    def batch(self, list hits_of):
        """Per post: the rules to evaluate, ascending (a new list), or None when there are none.

        ``hits_of[p]`` is the post's ``{key id: [end, ...]}``, or None when no key was found."""
        cdef Py_ssize_t n = len(hits_of), p, pos, m
        cdef PyObject* key
        cdef PyObject* value
        cdef list out = [None] * n
        for p in range(n):
            hits = hits_of[p]
            if hits is None:
                if self.always_list:
                    out[p] = list(self.always_list)
                continue
            m = self._start_post()
            pos = 0
            while PyDict_Next(<dict?>hits, &pos, &key, &value):
                m = self._add_key(PyLong_AsSsize_t(<object>key), m)
            if m:
                out[p] = self._kept(m)
        return out

    def batch_grouped(self, starts, kids):
        """``batch`` over hits grouped per post (``postwatch.rules.posthits.group``): post p's key
        ids are ``kids[starts[p]:starts[p + 1]]``, ascending, a key once per hit."""
        cdef const int64_t[::1] row = starts
        cdef const int32_t[::1] kid = kids
        cdef Py_ssize_t n = row.shape[0] - 1, p, i, m
        cdef list out = [None] * n
        for p in range(n):
            if row[p + 1] == row[p]:
                if self.always_list:
                    out[p] = list(self.always_list)
                continue
            m = self._start_post()
            for i in range(row[p], row[p + 1]):
                m = self._add_key(kid[i], m)
            if m:
                out[p] = self._kept(m)
        return out

    cdef Py_ssize_t _start_post(self):
        """A new stamp for the post; its candidates start as the always-rules. Returns their number."""
        cdef Py_ssize_t j, m = 0
        cdef int32_t r
        self.gen += 1
        for j in range(self.always.shape[0]):
            r = self.always[j]
            self.rule_stamp[r] = self.gen
            self.buf[m] = r
            m += 1
        return m

    cdef inline Py_ssize_t _add_key(self, Py_ssize_t k, Py_ssize_t m):
        """Stamp key ``k`` as found and add the rules anchored on it (once each) after the first
        ``m`` candidates; returns the new number."""
        cdef Py_ssize_t j
        cdef int32_t r
        if k < 0 or k >= self.n_keys or self.key_stamp[k] == self.gen:
            return m  # a key no rule asks for (it can neither anchor nor satisfy), or seen already
        self.key_stamp[k] = self.gen
        for j in range(self.anchor_start[k], self.anchor_start[k + 1]):
            r = self.anchor_rule[j]
            if self.rule_stamp[r] != self.gen:
                self.rule_stamp[r] = self.gen
                self.buf[m] = r
                m += 1
        return m

    cdef object _kept(self, Py_ssize_t m):
        """The first ``m`` rules of ``buf``, ascending, that have a key of each further
        requirement stamped for this post; None when none has."""
        cdef int64_t gen = self.gen
        cdef int32_t* buf = &self.buf[0]
        cdef int64_t* key_stamp = &self.key_stamp[0]
        cdef Py_ssize_t j, q, a, r
        cdef bint ok
        _sort(buf, m)
        order = []
        for j in range(m):
            r = buf[j]
            ok = True
            for q in range(self.need_start[r], self.need_start[r + 1]):
                ok = False
                for a in range(self.key_start[q], self.key_start[q + 1]):
                    if key_stamp[self.need_key[a]] == gen:
                        ok = True
                        break
                if not ok:
                    break
            if ok:
                order.append(r)
        return order or None
