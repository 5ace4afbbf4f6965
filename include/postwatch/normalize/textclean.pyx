# cython: language_level=3, boundscheck=False, wraparound=False, initializedcheck=False
"""``postwatch.normalize.text.clean_text`` in two passes over the characters, in C.

Why compiled: the Python definition is a chain of C-speed scans (invisible characters, CR, tone
placement, whitespace runs), but each is its own pass with its own call overhead, and a post
goes through it for its title, its text and its author: about 9 CPU-us a post, the largest part
of normalizing. Here pass 1 removes invisible and control characters (CR LF becomes LF), NFC
runs only on non-ASCII text, and pass 2 moves old-style tone marks and collapses whitespace.

``clean_text`` returns exactly what the Python definition returns, or None where only its careful
path (decompose, move, recompose) is exact: a combining mark after a toned vowel, or ậ / ặ / ệ
after o. tests/unit/normalize/ compare the two on every code point and on fuzz.
"""

from cpython.mem cimport PyMem_Free, PyMem_Malloc
from cpython.unicode cimport PyUnicode_4BYTE_KIND, PyUnicode_FromKindAndData

import unicodedata

cdef extern from "Python.h":
    int PyUnicode_1BYTE_KIND
    int PyUnicode_2BYTE_KIND
    int PyUnicode_KIND(object s)
    void* PyUnicode_DATA(object s)
    Py_ssize_t PyUnicode_GET_LENGTH(object s)
    bint Py_UNICODE_ISALNUM(Py_UCS4 ch)
    bint Py_UNICODE_ISDECIMAL(Py_UCS4 ch)
    bint Py_UNICODE_ISSPACE(Py_UCS4 ch)
    bint PyUnicode_IS_ASCII(object s)
    Py_UCS4* PyUnicode_AsUCS4Copy(object s) except NULL  # freed with PyMem_Free

# Old placement on NFC text: o + one of these (tone on the second vowel of a final oa / oe) ...
TONED_AE = "àáảãạèéẻẽẹÀÁẢÃẠÈÉẺẼẸ"
# ... or u + one of these (final uy); the swap puts the tone on the o / u.
TONED_Y = "ỳýỷỹỵỲÝỶỸỴ"
# After o, the letters whose NFD is a vowel + tone + another mark: the careful path decides.
TONED_MULTI = "ẬậẶặỆệ"

cdef enum:
    DROP = -1
    KEEP = -2


cdef inline int strip_action(Py_UCS4 c) noexcept nogil:
    """What pass 1 does with ``c``: DROP it, KEEP it, or replace it by the code point returned."""
    if c < 0x20:
        if c == 0x09 or c == 0x0A:
            return KEEP
        if c == 0x0D:
            return 0x0A
        return DROP
    if c < 0x7F:
        return KEEP
    if c < 0xA0:
        return DROP
    if c == 0xA0:
        return 0x20
    if c == 0xAD or c == 0x180E or c == 0xFEFF:
        return DROP
    if 0x200B <= c <= 0x206F:
        if c <= 0x200F or 0x202A <= c <= 0x202E or 0x2060 <= c <= 0x2064 or 0x2066 <= c <= 0x2069:
            return DROP
        if c == 0x2028 or c == 0x2029:
            return 0x0A
    return KEEP


def strip_action_of(int code_point) -> int:
    """``strip_action`` for tests: -1 drop, -2 keep, else the replacement code point."""
    return strip_action(<Py_UCS4>code_point)


cdef inline bint is_letter(Py_UCS4 c) noexcept:
    """``[^\\W\\d_]`` of Python's re on str patterns: alphanumeric and not a decimal digit."""
    return Py_UNICODE_ISALNUM(c) and not Py_UNICODE_ISDECIMAL(c)


cdef inline bint is_run_space(Py_UCS4 c) noexcept nogil:
    return c == 0x20 or c == 0x0A or c == 0x09 or c == 0x0C or c == 0x0B


# The swap of each old-placement pair: the o/u takes the tone, the second vowel loses it.
cdef Py_UCS4 _swap_first[4][32]
cdef Py_UCS4 _swap_second[32]


cdef void _build_swaps():
    cdef int k, f
    firsts = "oOuU"
    for k, toned in enumerate(TONED_AE + TONED_Y):
        d = unicodedata.normalize("NFD", toned)
        _swap_second[k] = ord(d[0])
        for f in range(4):
            _swap_first[f][k] = ord(unicodedata.normalize("NFC", firsts[f] + d[1]))


_build_swaps()


cdef Py_UCS4 _toned[30]  # TONED_AE then TONED_Y, as C code points
cdef Py_UCS4 _multi[6]
for _k, _c in enumerate(TONED_AE + TONED_Y):
    _toned[_k] = ord(_c)
for _k, _c in enumerate(TONED_MULTI):
    _multi[_k] = ord(_c)


cdef inline int toned_index(Py_UCS4 c, bint after_o) noexcept nogil:
    """Index of ``c`` in TONED_AE (after o) or, offset by 20, in TONED_Y (after u); -1 if neither."""
    cdef int k
    if after_o:
        for k in range(20):
            if _toned[k] == c:
                return k
    else:
        for k in range(20, 30):
            if _toned[k] == c:
                return k
    return -1


cdef inline bint is_multi(Py_UCS4 c) noexcept nogil:
    cdef int k
    for k in range(6):
        if _multi[k] == c:
            return True
    return False


cdef bint is_mark(Py_UCS4 c):
    s = chr(c)
    return bool(unicodedata.combining(s)) or unicodedata.category(s)[0] == "M"


cdef str strip_invisible(str s):
    """Pass 1: invisible and control characters dropped, CR LF -> LF, CR / NBSP / LS / PS mapped.

    Called only when the scan found such a character (``Scan.strip``).
    """
    cdef Py_ssize_t n = len(s), i = 0, j
    cdef int a
    cdef Py_UCS4 c
    cdef Py_UCS4* buf = PyUnicode_AsUCS4Copy(s)
    try:
        j = 0
        for i in range(n):
            c = buf[i]
            a = strip_action(c)
            if a == KEEP:
                buf[j] = c
                j += 1
            elif a != DROP and not (c == 0x0D and i + 1 < n and buf[i + 1] == 0x0A):  # CR LF: LF stays
                buf[j] = a
                j += 1
        return PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, buf, j)
    finally:
        PyMem_Free(buf)


ctypedef fused uchar:
    unsigned char
    unsigned short
    Py_UCS4


cdef object retone_collapse(str s):
    """Pass 2 on NFC text: tone marks moved, whitespace runs collapsed, the ends stripped.

    A run of spaces, tabs, form feeds, vertical tabs and line breaks becomes one space if it has no
    line break, one line break if it has one, a blank line if it has more. None: careful path.
    Read and written in the string's own storage kind (no UCS-4 copy on the way in or out).
    """
    cdef int kind = PyUnicode_KIND(s)
    cdef void* data = PyUnicode_DATA(s)
    if kind == PyUnicode_1BYTE_KIND:
        return _retone_collapse(s, <unsigned char*>data, kind, 0xFF)
    if kind == PyUnicode_2BYTE_KIND:
        return _retone_collapse(s, <unsigned short*>data, kind, 0xFFFF)
    return _retone_collapse(s, <Py_UCS4*>data, kind, 0x10FFFF)


cdef object _retone_collapse(str s, uchar* src, int kind, Py_UCS4 kind_max):
    cdef Py_ssize_t n = PyUnicode_GET_LENGTH(s), i = 0, j = 0, k, start, end, breaks
    cdef Py_UCS4 c, d, first
    cdef int t, f
    cdef bint changed = False
    cdef uchar* buf = <uchar*>PyMem_Malloc((n + 1) * sizeof(uchar))
    if buf == NULL:
        raise MemoryError()
    try:
        while i < n:
            c = src[i]
            if is_run_space(c):
                k = i
                breaks = 0
                while k < n and is_run_space(src[k]):
                    breaks += src[k] == 0x0A
                    k += 1
                if breaks == 0:
                    buf[j] = 0x20
                    j += 1
                    changed = changed or k - i > 1 or c != 0x20
                elif breaks == 1:
                    buf[j] = 0x0A
                    j += 1
                    changed = changed or k - i > 1
                else:
                    buf[j] = 0x0A
                    buf[j + 1] = 0x0A
                    j += 2
                    changed = changed or k - i != 2 or src[i] != 0x0A or src[i + 1] != 0x0A
                i = k
                continue
            if i + 1 < n and src[i + 1] > 0x7F and (c == 0x6F or c == 0x4F or c == 0x75 or c == 0x55):
                d = src[i + 1]  # after o O u U: a toned vowel?
                if (c == 0x6F or c == 0x4F) and is_multi(d):
                    return None
                t = toned_index(d, c == 0x6F or c == 0x4F)
                if (
                    t >= 0
                    and not (i > 0 and (src[i - 1] == 0x71 or src[i - 1] == 0x51))  # qu-, qo-: a consonant
                    and not (i + 2 < n and is_letter(src[i + 2]))  # only at the end of a word
                ):
                    if i + 2 < n and src[i + 2] > 0x7F and is_mark(src[i + 2]):
                        return None
                    f = 0 if c == 0x6F else 1 if c == 0x4F else 2 if c == 0x75 else 3
                    first = _swap_first[f][t]
                    if first > kind_max:  # cannot happen (a swap keeps the pair's widest kind): be safe
                        return None
                    buf[j] = <uchar>first
                    buf[j + 1] = <uchar>_swap_second[t]
                    j += 2
                    i += 2
                    changed = True
                    continue
            buf[j] = <uchar>c
            j += 1
            i += 1
        start = 0
        end = j
        while start < end and Py_UNICODE_ISSPACE(buf[start]):
            start += 1
        while end > start and Py_UNICODE_ISSPACE(buf[end - 1]):
            end -= 1
        if not changed and start == 0 and end == n:
            return s
        return PyUnicode_FromKindAndData(kind, buf + start, end - start)
    finally:
        PyMem_Free(buf)


# NFC quick check in C: below NFC_TABLE_SIZE, a bit per code point that is a starter NFC keeps
# as it is and that never composes with the character before it (NFC_QC=Yes, ccc=0). A text made
# only of those is NFC already, which unicodedata's own quick check would find at about 5 ns a
# character through its database lookups. Anything else goes to unicodedata.normalize.
cdef enum:
    NFC_LIMIT = 0x3400
NFC_TABLE_SIZE = NFC_LIMIT
cdef unsigned char _nfc_safe[NFC_LIMIT >> 3]


def _canonical_pairs() -> list[tuple[int, int, int]]:
    """(first, second, composite) of each canonical pair composite below the table's end."""
    out = []
    for cp in range(0x00C0, NFC_TABLE_SIZE):
        d = unicodedata.decomposition(chr(cp))
        if d and not d.startswith("<"):
            parts = d.split()
            if len(parts) == 2:
                out.append((int(parts[0], 16), int(parts[1], 16), cp))
    return out


_PAIRS = _canonical_pairs()  # read by the NFC table and the composition below


def _build_nfc_table() -> None:
    # Second parts compose with the character before them; so do Hangul jamo (algorithmically).
    after = {second for _, second, _ in _PAIRS} | set(range(0x1100, 0x1200))
    for cp in range(NFC_TABLE_SIZE):
        ch = chr(cp)
        if unicodedata.combining(ch) == 0 and unicodedata.normalize("NFC", ch) == ch and cp not in after:
            _nfc_safe[cp >> 3] |= 1 << (cp & 7)


_build_nfc_table()


cdef inline bint safe(Py_UCS4 c) noexcept nogil:
    """Whether the NFC quick check lets ``c`` through."""
    cdef unsigned int cp = <unsigned int>c
    return cp < NFC_LIMIT and (_nfc_safe[cp >> 3] >> (cp & 7)) & 1


def nfc_safe(int code_point) -> bool:
    """``safe`` for tests."""
    return 0 <= code_point < NFC_LIMIT and safe(<Py_UCS4>code_point)


cdef struct Scan:
    bint strip  # a character pass 1 drops or maps
    bint nfc  # a character the NFC quick check does not let through
    bint markup  # < or &
    bint mojibake  # a character every double-encoded UTF-8 hint starts with or ends on
    bint vietnamese  # a letter only Unicode Vietnamese has (ă đ ơ ư, U+1EA0-U+1EF9)
    Py_ssize_t non_ascii


cdef inline void scan_char(Py_UCS4 c, Scan* r) noexcept nogil:
    cdef unsigned int cp = <unsigned int>c
    if cp < 0x80:
        if cp < 0x20 or cp == 0x7F:
            r.strip = r.strip or strip_action(c) != KEEP
        elif cp == 0x3C or cp == 0x26:  # < &
            r.markup = True
        return
    r.non_ascii += 1
    if not safe(c):
        r.nfc = True
    if cp < 0x100:
        if cp < 0xA1 or cp == 0xAD:
            r.strip = r.strip or strip_action(c) != KEEP
        elif cp == 0xC3 or cp == 0xC6 or cp == 0xC2 or cp == 0xC4 or cp == 0xC5 or cp == 0xBA or cp == 0xBB:
            r.mojibake = True  # Ã Æ Â Ä Å º »
    elif 0x1EA0 <= cp <= 0x1EF9 or cp == 0x103 or cp == 0x111 or cp == 0x1A1 or cp == 0x1B0:
        r.vietnamese = True
    elif cp == 0x102 or cp == 0x110 or cp == 0x1A0 or cp == 0x1AF:  # Ă Đ Ơ Ư
        r.vietnamese = True
    elif not r.strip and strip_action(c) != KEEP:
        r.strip = True


cdef Scan scan(str s):
    """Everything clean_text and clean_plain decide on, in one pass over the string's own storage."""
    cdef Scan r
    cdef Py_ssize_t i, n = PyUnicode_GET_LENGTH(s)
    cdef int kind = PyUnicode_KIND(s)
    cdef void* data = PyUnicode_DATA(s)
    r.strip = r.nfc = r.markup = r.mojibake = r.vietnamese = False
    r.non_ascii = 0
    if kind == PyUnicode_1BYTE_KIND:
        for i in range(n):
            scan_char((<unsigned char*>data)[i], &r)
    elif kind == PyUnicode_2BYTE_KIND:
        for i in range(n):
            scan_char((<unsigned short*>data)[i], &r)
    else:
        for i in range(n):
            scan_char((<Py_UCS4*>data)[i], &r)
    return r


# Canonical pairs below the table's end: (first, second) -> the composite whose canonical
# decomposition they are, as sorted keys (first << 21 | second) and their composites.
cdef unsigned long long* _pair_keys = NULL
cdef Py_UCS4* _pair_values = NULL
cdef Py_ssize_t _n_pairs = 0


def _build_pairs() -> None:
    global _pair_keys, _pair_values, _n_pairs
    pairs = sorted(((first << 21) | second, cp) for first, second, cp in _PAIRS)
    _pair_keys = <unsigned long long*>PyMem_Malloc(len(pairs) * sizeof(unsigned long long))
    _pair_values = <Py_UCS4*>PyMem_Malloc(len(pairs) * sizeof(Py_UCS4))
    if _pair_keys == NULL or _pair_values == NULL:
        raise MemoryError()
    for k, (key, value) in enumerate(pairs):
        _pair_keys[k] = key
        _pair_values[k] = value
    _n_pairs = len(pairs)


_build_pairs()


cdef Py_UCS4 compose_pair(Py_UCS4 first, Py_UCS4 second) noexcept nogil:
    """The composite of a canonical pair (0 when there is none below the table's end)."""
    cdef unsigned long long key = ((<unsigned long long><unsigned int>first) << 21) | <unsigned int>second
    cdef Py_ssize_t lo = 0, hi = _n_pairs, mid
    while lo < hi:
        mid = (lo + hi) >> 1
        if _pair_keys[mid] < key:
            lo = mid + 1
        else:
            hi = mid
    return _pair_values[lo] if lo < _n_pairs and _pair_keys[lo] == key else 0


cdef object compose_nfc(str s):
    """NFC of ``s`` where composing each mark into the character before it is enough, else None.

    Why: decomposed Vietnamese (macOS and some phones export NFD) costs unicodedata about 40 ns
    a character. Each pair replaced by its composite keeps the text canonically equivalent, so a
    result made only of characters the quick check lets through is the text's NFC; any other
    case (a mark that does not compose with what precedes it, marks out of canonical order, a
    character outside the table) returns None for unicodedata to decide.
    """
    cdef Py_ssize_t n = len(s), i, j = 0
    cdef Py_UCS4 c, y
    cdef Py_UCS4* buf = PyUnicode_AsUCS4Copy(s)
    try:
        for i in range(n):
            c = buf[i]
            if safe(c):
                buf[j] = c
                j += 1
                continue
            if j == 0:
                return None
            y = compose_pair(buf[j - 1], c)
            if y == 0 or not safe(y):
                return None
            buf[j - 1] = y
        return PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, buf, j)
    finally:
        PyMem_Free(buf)


def compose_nfc_of(str s):
    """``compose_nfc`` for tests."""
    return compose_nfc(s)


cdef object _clean(str s, Scan* r):
    if r.strip:
        s = strip_invisible(s)
    # Dropping characters cannot make a text the quick check passed need NFC.
    if r.nfc and not PyUnicode_IS_ASCII(s):
        composed = compose_nfc(s)
        s = unicodedata.normalize("NFC", s) if composed is None else composed
    return retone_collapse(s)


def clean_text(str s):
    """The stored form of ``s`` (see ``postwatch.normalize.text.clean_text``), or None: careful path."""
    if not s:
        return ""
    cdef Scan r = scan(s)
    return _clean(s, &r)


def clean_plain(str s):
    """``clean_text(s)`` when ``s`` needs neither an encoding repair nor HTML parsing; else None.

    The same scan decides what ``repair_encoding`` and ``looks_like_html`` would find,
    conservatively: no ``<`` or ``&``, none of the characters every double-encoded UTF-8 hint
    starts with or ends on (Ã Æ Â Ä Å º »), and a letter only Unicode Vietnamese has or fewer
    than four non-ASCII characters (else the legacy TCVN3 / VNI check runs). None means: take the
    full Python path.
    """
    if not s:
        return ""
    cdef Scan r = scan(s)
    if r.markup or r.mojibake or (r.non_ascii >= 4 and not r.vietnamese):
        return None
    return _clean(s, &r)


cdef inline bint vi_letter(Py_UCS4 c) noexcept nogil:
    """``text._VI_LETTERS``: ă â đ ê ô ơ ư (either case) and U+1EA0-U+1EF9."""
    cdef unsigned int cp = <unsigned int>c
    if cp < 0xC2:
        return False
    if 0x1EA0 <= cp <= 0x1EF9:
        return True
    return (
        cp == 0x103 or cp == 0xE2 or cp == 0x111 or cp == 0xEA or cp == 0xF4 or cp == 0x1A1 or cp == 0x1B0
        or cp == 0x102 or cp == 0xC2 or cp == 0x110 or cp == 0xCA or cp == 0xD4 or cp == 0x1A0 or cp == 0x1AF
    )


def two_vietnamese_letters(str s):
    """Whether ``s`` holds at least two letters only Vietnamese uses (``post_language``'s shortcut)."""
    cdef int found = 0
    cdef Py_UCS4 c
    if PyUnicode_IS_ASCII(s):
        return False
    for c in s:
        if vi_letter(c):
            found += 1
            if found == 2:
                return True
    return False
