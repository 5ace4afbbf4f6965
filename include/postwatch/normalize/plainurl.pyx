# cython: language_level=3, boundscheck=False, wraparound=False
"""``postwatch.normalize.urls.canonical_url`` for its two usual shapes, in one pass in C.

Why compiled: every post has a URL, and the Python shortcut (a regex match, its groups, the
query split, a sort and two f-strings) costs about 2.3 us a post. The shapes are exactly those
of the Python shortcuts: an already-canonical URL without a query (``_ALREADY_CANONICAL``), and
a plain ``scheme://host/path?query#fragment`` (``_PLAIN_WITH_QUERY``), whose tracking
parameters go and whose other parameters are sorted. Anything else returns None and the caller
takes its Python path; tests compare the two on every listed URL and on fuzz.
"""

cdef extern from "Python.h":
    bint PyUnicode_IS_ASCII(object s)
    Py_UCS4 PyUnicode_READ_CHAR(object s, Py_ssize_t i)


cdef inline bint is_lower(Py_UCS4 c) noexcept nogil:
    return 0x61 <= c <= 0x7A


cdef inline bint is_alnum(Py_UCS4 c) noexcept nogil:
    return is_lower(c) or 0x41 <= c <= 0x5A or 0x30 <= c <= 0x39


cdef inline bint host_char(Py_UCS4 c) noexcept nogil:
    return is_lower(c) or 0x30 <= c <= 0x39 or c == 0x2E or c == 0x2D  # a-z 0-9 . -


cdef inline bint path_common(Py_UCS4 c) noexcept nogil:
    """Both shortcuts' path characters: A-Za-z0-9 / : @ ! $ ' ( ) * + , ; = . _ ~ -"""
    if is_alnum(c):
        return True
    return (
        c == 0x2F or c == 0x3A or c == 0x40 or c == 0x21 or c == 0x24 or c == 0x27 or c == 0x28
        or c == 0x29 or c == 0x2A or c == 0x2B or c == 0x2C or c == 0x3B or c == 0x3D or c == 0x2E
        or c == 0x5F or c == 0x7E or c == 0x2D
    )


def canonical_plain(str url, is_tracking, dict aliases, rewritten):
    """``canonical_url(url)`` for a stripped URL of the usual shapes; None: the Python path decides.

    ``is_tracking`` says whether a raw query key is a tracking parameter, ``aliases`` maps hosts
    to their canonical host and ``rewritten`` holds the hosts the careful path rewrites.
    """
    cdef Py_ssize_t n = len(url), i, host_start, host_end, path_end, dot, query_start
    cdef Py_UCS4 c
    cdef bint plain_path = True  # no "%": the query shortcut's path (it allows "&", the other "%")
    cdef bint amp = False
    if n < 10 or not PyUnicode_IS_ASCII(url):
        return None
    if url.startswith("https://"):
        host_start = 8
    elif url.startswith("http://"):
        host_start = 7
    else:
        return None
    i = host_start
    while i < n and host_char(PyUnicode_READ_CHAR(url, i)):
        i += 1
    host_end = i
    dot = url.rfind(".", host_start, host_end)
    if dot <= host_start or host_end - dot - 1 < 2:
        return None  # the host must end in "." and two or more letters, with something before
    for i in range(dot + 1, host_end):
        if not is_lower(PyUnicode_READ_CHAR(url, i)):
            return None
    host = url[host_start:host_end]
    i = host_end
    if i < n and PyUnicode_READ_CHAR(url, i) == 0x2F:  # a path
        while i < n:
            c = PyUnicode_READ_CHAR(url, i)
            if path_common(c):
                pass
            elif c == 0x25:  # %
                plain_path = False
            elif c == 0x26:  # &
                amp = True
            else:
                break
            i += 1
    path_end = i
    if path_end == n:  # no query: the already-canonical shortcut
        if amp or host in rewritten:
            return None
        return url if path_end > host_end else url + "/"
    if PyUnicode_READ_CHAR(url, path_end) != 0x3F or not plain_path or host == "youtu.be":
        return None
    query_start = path_end + 1
    i = query_start
    while i < n:
        c = PyUnicode_READ_CHAR(url, i)
        if c == 0x23:  # the fragment, dropped: printable ASCII to the end
            for k in range(i + 1, n):
                c = PyUnicode_READ_CHAR(url, k)
                if c < 0x21 or c > 0x7E:
                    return None
            break
        if c < 0x21 or c > 0x7E:
            return None
        i += 1
    # urls._clean_query, inline: calling it costs 0.6 us more a URL (its comprehension's frame),
    # and each parameter's bounds found here instead of by split() and partition().
    kept = []
    cdef Py_ssize_t a = query_start, b, eq
    while a <= i:
        b = a
        eq = -1
        while b < i:
            c = PyUnicode_READ_CHAR(url, b)
            if c == 0x26:  # &
                break
            if c == 0x3D and eq < 0:  # the first "=" ends the key
                eq = b
            b += 1
        if b > a and not is_tracking(url[a : (eq if eq >= 0 else b)]):
            kept.append(url[a:b])
        a = b + 1
    if len(kept) > 1:
        kept.sort()
    base = url[:host_start] + aliases.get(host, host) + (url[host_end:path_end] if path_end > host_end else "/")
    return base + "?" + "&".join(kept) if kept else base
