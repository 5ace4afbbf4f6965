# cython: language_level=3, boundscheck=False, wraparound=False
"""``postwatch.normalize.simple_html.simple_html_text`` in one pass over the characters, in C.

Why compiled: every seventh bench post (and most feed descriptions) is a small HTML fragment,
and the Python walk (a NUL test, a script test, a regex split, then a loop over the tags) costs
about 7.5 us for a 330-character fragment, half of that fragment's normalization. Here the tags
are read by hand, in exactly the grammar of ``simple_html._TAG`` (a deterministic reading: no
shorter match of a name or value could let the regex succeed where the longest fails), and the
nesting rules are the Python ones. Script elements and character references other than
``&amp;`` are left to the Python helpers passed in. tests/unit/normalize/test_htmlwalk.py compares
the two on hostile fragments and on fuzz.
"""

from cpython.mem cimport PyMem_Free, PyMem_Malloc

cdef extern from "Python.h":
    int PyUnicode_KIND(object s)
    void* PyUnicode_DATA(object s)
    Py_ssize_t PyUnicode_GET_LENGTH(object s)
    Py_UCS4 PyUnicode_READ(int kind, void* data, Py_ssize_t i) nogil

# The names simple_html accepts, by what they are (CONTAINERS, PARAGRAPHS, INLINE, VOID there).
NAMES = (
    ("div", "blockquote", "section", "article"),
    ("p", "h1", "h2", "h3", "h4", "h5", "h6"),
    ("a", "abbr", "b", "cite", "code", "em", "font", "i", "mark", "q", "s", "small", "span", "strong",
     "sub", "sup", "u"),
    ("br", "img"),
)  # fmt: skip

cdef enum:
    CONTAINER = 0
    PARAGRAPH = 1
    INLINE = 2
    VOID = 3
    MAX_NAME = 10  # the longest name above

cdef int _n_names = 0
cdef char _names[40][MAX_NAME + 1]
cdef int _name_len[40]
cdef int _name_group[40]
cdef int _a = -1
cdef int _br = -1


def _build_names() -> None:
    global _n_names, _a, _br
    for group, names in enumerate(NAMES):
        for name in names:
            data = name.encode("ascii")
            for k in range(len(data)):
                _names[_n_names][k] = data[k]
            _name_len[_n_names] = len(data)
            _name_group[_n_names] = group
            if name == "a":
                _a = _n_names
            elif name == "br":
                _br = _n_names
            _n_names += 1


_build_names()


cdef inline bint is_ws(Py_UCS4 c) noexcept nogil:
    """HTML's whitespace as ``simple_html._WS`` has it: tab, LF, FF, CR, space."""
    return c == 0x20 or c == 0x0A or c == 0x09 or c == 0x0C or c == 0x0D


cdef inline bint is_alpha(Py_UCS4 c) noexcept nogil:
    return (0x61 <= c <= 0x7A) or (0x41 <= c <= 0x5A)


cdef inline bint is_alnum(Py_UCS4 c) noexcept nogil:
    return is_alpha(c) or 0x30 <= c <= 0x39


cdef inline bint attr_start(Py_UCS4 c) noexcept nogil:
    return is_alpha(c) or c == 0x5F or c == 0x3A  # [a-zA-Z_:]


cdef inline bint attr_char(Py_UCS4 c) noexcept nogil:
    return is_alnum(c) or c == 0x2D or c == 0x5F or c == 0x3A or c == 0x2E  # [-a-zA-Z0-9_:.]


cdef inline bint bare_char(Py_UCS4 c) noexcept nogil:
    """[^\\t\\n\\f\\r "'=<>`]"""
    return not (is_ws(c) or c == 0x22 or c == 0x27 or c == 0x3D or c == 0x3C or c == 0x3E or c == 0x60)


cdef int name_id(int kind, void* data, Py_ssize_t start, Py_ssize_t end) noexcept nogil:
    """The accepted name at data[start:end], compared without case; -1 if it is none of them."""
    cdef Py_ssize_t n = end - start, k
    cdef int m
    cdef Py_UCS4 c
    if n > MAX_NAME:
        return -1
    for m in range(_n_names):
        if _name_len[m] != n:
            continue
        for k in range(n):
            c = PyUnicode_READ(kind, data, start + k)
            if 0x41 <= c <= 0x5A:
                c = <Py_UCS4>(<unsigned int>c + 0x20)
            if c != <Py_UCS4>_names[m][k]:
                break
        else:
            return m
    return -1


cdef Py_ssize_t start_tag_end(int kind, void* data, Py_ssize_t n, Py_ssize_t i, bint* slash) noexcept nogil:
    """After a start tag's name ending at ``i``: the index past its ``>``, or -1 (no plain tag)."""
    cdef Py_ssize_t j
    cdef Py_UCS4 c, q
    while True:
        j = i
        while j < n and is_ws(PyUnicode_READ(kind, data, j)):
            j += 1
        if j == n:
            return -1
        c = PyUnicode_READ(kind, data, j)
        if j > i and attr_start(c):  # an attribute: its name, then maybe = and a value
            j += 1
            while j < n and attr_char(PyUnicode_READ(kind, data, j)):
                j += 1
            i = j
            while j < n and is_ws(PyUnicode_READ(kind, data, j)):
                j += 1
            if j < n and PyUnicode_READ(kind, data, j) == 0x3D:  # "=": a value must follow
                j += 1
                while j < n and is_ws(PyUnicode_READ(kind, data, j)):
                    j += 1
                if j == n:
                    return -1
                q = PyUnicode_READ(kind, data, j)
                if q == 0x22 or q == 0x27:  # quoted: no < or > before the closing quote
                    j += 1
                    while True:
                        if j == n:
                            return -1
                        c = PyUnicode_READ(kind, data, j)
                        if c == q:
                            break
                        if c == 0x3C or c == 0x3E:
                            return -1
                        j += 1
                    i = j + 1
                else:
                    if not bare_char(q):
                        return -1
                    while j < n and bare_char(PyUnicode_READ(kind, data, j)):
                        j += 1
                    i = j
            continue  # without "=", i is just past the name: the next attribute or the end
        if c == 0x2F:  # "/", which must close the tag at once
            if j + 1 < n and PyUnicode_READ(kind, data, j + 1) == 0x3E:
                slash[0] = True
                return j + 2
            return -1
        if c == 0x3E:
            slash[0] = False
            return j + 1
        return -1


cdef Py_ssize_t end_tag_end(int kind, void* data, Py_ssize_t n, Py_ssize_t i) noexcept nogil:
    """After an end tag's name ending at ``i``: the index past its ``>``, or -1."""
    while i < n and is_ws(PyUnicode_READ(kind, data, i)):
        i += 1
    if i < n and PyUnicode_READ(kind, data, i) == 0x3E:
        return i + 1
    return -1


cdef bint _needs_script_drop(int kind, void* data, Py_ssize_t n, bint* nul) noexcept nogil:
    cdef Py_ssize_t i
    cdef Py_UCS4 c, d
    cdef bint script = False
    for i in range(n):
        c = PyUnicode_READ(kind, data, i)
        if c == 0:
            nul[0] = True
            return False
        if c == 0x3C and i + 1 < n:
            d = PyUnicode_READ(kind, data, i + 1)
            if d == 0x73 or d == 0x53:  # "<s" or "<S"
                script = True
    return script


def walk(str html, drop_scripts, decode):
    """``simple_html_text(html)``; ``drop_scripts`` and ``decode`` are simple_html's helpers."""
    cdef int kind = PyUnicode_KIND(html)
    cdef void* data = PyUnicode_DATA(html)
    cdef Py_ssize_t n = PyUnicode_GET_LENGTH(html)
    cdef bint nul = False
    if _needs_script_drop(kind, data, n, &nul):
        html = drop_scripts(html)
        if html is None:
            return None
        kind = PyUnicode_KIND(html)
        data = PyUnicode_DATA(html)
        n = PyUnicode_GET_LENGTH(html)
    if nul:
        return None
    cdef int* stack = <int*>PyMem_Malloc((n // 3 + 1) * sizeof(int))  # a tag takes 3 characters or more
    if stack == NULL:
        raise MemoryError()
    try:
        return _walk(html, kind, data, n, stack, decode)
    finally:
        PyMem_Free(stack)


cdef object _walk(str html, int kind, void* data, Py_ssize_t n, int* stack, decode):
    cdef Py_ssize_t i = 0, seg = 0, name_start, name_end, after
    cdef int depth = 0, inline_open = 0, open_a = 0, m, group
    cdef bint amp = False, slash = False, end_tag
    cdef Py_UCS4 c
    out = []
    while True:
        while i < n:
            c = PyUnicode_READ(kind, data, i)
            if c == 0x3C:
                break
            if c == 0x26:
                amp = True
            i += 1
        if i > seg:  # the text before this tag (or the end)
            segment = html[seg:i]
            if amp:
                segment = decode(segment)
                if segment is None:
                    return None
                amp = False
            out.append(segment)
        if i == n:
            break
        # A tag: "<name ...>" or "</name>", or nothing simple_html accepts.
        end_tag = i + 1 < n and PyUnicode_READ(kind, data, i + 1) == 0x2F
        name_start = i + 2 if end_tag else i + 1
        if name_start >= n or not is_alpha(PyUnicode_READ(kind, data, name_start)):
            return None
        name_end = name_start + 1
        while name_end < n and is_alnum(PyUnicode_READ(kind, data, name_end)):
            name_end += 1
        if end_tag:
            after = end_tag_end(kind, data, n, name_end)
        else:
            after = start_tag_end(kind, data, n, name_end, &slash)
        if after < 0:
            return None
        i = seg = after
        m = name_id(kind, data, name_start, name_end)
        if end_tag:
            if m < 0 or depth == 0 or stack[depth - 1] != m:
                return None  # an end tag the tree builder would imply, ignore or act on
            depth -= 1
            group = _name_group[m]
            if group == CONTAINER:
                out.append("\n")
            elif group == PARAGRAPH:
                out.append("\n")
                inline_open -= 1
            else:
                inline_open -= 1
                if m == _a:
                    open_a -= 1
            continue
        if m < 0:
            return None
        group = _name_group[m]
        if group == VOID:
            if m == _br:
                out.append("\n")
            continue
        if slash:
            return None  # a self-closing non-void element is opened, not closed
        if group == INLINE:
            if m == _a:
                if open_a:
                    return None
                open_a += 1
            inline_open += 1
        else:  # a container or a paragraph
            if inline_open:
                return None  # would close the open paragraph or heading first
            if group == PARAGRAPH:
                inline_open += 1
        stack[depth] = m
        depth += 1
    if depth:
        return None
    return "".join(out)
