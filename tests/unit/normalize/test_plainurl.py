"""The compiled URL shortcuts (plainurl.pyx) against the Python ones and the careful urlsplit path.

Where the module was not compiled (no C compiler at install) these skip; canonical_url then uses
its Python shortcuts, held to the careful path in test_fast_paths.py.
"""

from __future__ import annotations

import random

import pytest

from postwatch.normalize import urls as U
from tests.unit.normalize.test_fast_paths import URLS

C = U._plainurl
pytestmark = pytest.mark.skipif(C is None, reason="plainurl.pyx is not compiled here")


def _compiled(url: str) -> str | None:
    return C.canonical_plain(url, U._is_tracking_raw, U.HOST_ALIASES, U._REWRITTEN_HOSTS)


def _agrees(url: str) -> bool:
    out = _compiled(url)
    if out is not None:
        assert out == U.canonical_url_python(url) == U._canonical_url_careful(url), url
    return out is not None


def test_listed_urls_agree_with_the_python_and_careful_paths() -> None:
    for url in URLS:
        _agrees(url.strip())


def test_the_usual_shapes_take_the_compiled_path() -> None:
    assert (
        _compiled("https://bao.vn/a/b.html?utm_source=zalo&id=3&fbclid=xx#top")
        == "https://bao.vn/a/b.html?id=3"
    )
    assert _compiled("http://m.facebook.com/p/1?b=2&a=1") == "http://www.facebook.com/p/1?a=1&b=2"
    assert _compiled("https://bao.vn?x=1") == "https://bao.vn/?x=1"
    assert _compiled("https://bao.vn") == "https://bao.vn/"
    assert _compiled("https://bao.vn/tin%20a") == "https://bao.vn/tin%20a"
    for other in ["https://youtu.be/abc", "https://youtu.be/abc?si=1", "https://facebook.com/x", "HTTPS://bao.vn/",
                  "https://bao.vn:443/x", "https://bao.vn/tin tức", "https://bao.v/x", "ftp://bao.vn/x",
                  "https://bao.vn/a%20b?x=1", "https://bao.vn/a&b", "https://.vn/x"]:  # fmt: skip
        assert _compiled(other) is None, other


def test_fuzz_agrees_and_mostly_takes_the_compiled_path() -> None:
    rnd = random.Random(8)
    pieces = ["a", "Z", "9", "/", "?", "&", "=", "#", "%20", "%", ".", "-", "_", "~", ":", "@", "!", "$"]
    pieces += ["utm_x", "fbclid", "si", "'", "(", "*", "+", ",", ";", "[", "]", " ", "ư", "\t", '"', "\x7f"]
    hosts = ["bao.vn", "facebook.com", "youtu.be", "m.youtube.com", "a-b.c.vn", "x.y", "B.vn", "1.2.vn", "vn"]
    compiled = 0
    for _ in range(30_000):
        tail = "".join(rnd.choices(pieces, k=rnd.randint(0, 12)))
        compiled += _agrees(f"{rnd.choice(['http', 'https'])}://{rnd.choice(hosts)}{tail}")
    assert compiled > 1_000, "the fuzz must exercise the compiled path, not only its refusals"
