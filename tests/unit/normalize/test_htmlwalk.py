"""The compiled tag walk (htmlwalk.pyx) against its Python definition (simple_html_text_python).

The Python walk is held to the HTML parser in test_simple_html.py; here the C walk must give
exactly what it gives, None included, on the hostile fragments, on tag-grammar fuzz and on every
character after a "<". Skipped where the module was not compiled.
"""

from __future__ import annotations

import random

import pytest

from postwatch.normalize import simple_html as S
from tests.unit.normalize.test_simple_html import DECLINED, SIMPLE, _fragment, _nested

C = S._htmlwalk
pytestmark = pytest.mark.skipif(C is None, reason="htmlwalk.pyx is not compiled here")


def _walk(html: str) -> str | None:
    return C.walk(html, S._drop_scripts, S._decode)


def _tag_fuzz(rnd: random.Random) -> str:
    """Tags written every way the grammar allows and just outside it."""
    names = ["p", "P", "b", "a", "A", "br", "BR", "img", "h1", "H6", "div", "span", "strong", "x", "p1", "li"]
    ws = ["", " ", "  ", "\t", "\n", "\r", "\f", "\v", "\u00a0"]
    values = ['"x"', "'y'", "z", "/x/", "x/", '"a>b"', "'a<b'", '"', "'", "", "`x`", "a=b", '"ư"', "ư", "/"]
    attrs = ["class", "data-x", "_a", ":b", "a.b", "1a", "-a", "ư"]
    out = []
    for _ in range(rnd.randint(1, 8)):
        r = rnd.random()
        name = rnd.choice(names)
        if r < 0.45:
            tag = "<" + name
            for _ in range(rnd.randint(0, 3)):
                tag += rnd.choice(ws) + rnd.choice(attrs)
                if rnd.random() < 0.7:
                    tag += rnd.choice(ws) + "=" + rnd.choice(ws) + rnd.choice(values)
            tag += rnd.choice(ws) + rnd.choice(["", "", "/", "/ ", " /"]) + rnd.choice([">", ">", "", "<"])
            out.append(tag)
        elif r < 0.75:
            out.append("</" + name + rnd.choice(ws) + rnd.choice([">", ">", " x>", ""]))
        else:
            out.append(rnd.choice(["Hoà ", "&amp;", "&lt;", "&#7897;", "&#xFDD0;", "<", ">", "<<", "< p>"]))
    return "".join(out)


@pytest.mark.parametrize("html", SIMPLE + DECLINED, ids=range(len(SIMPLE + DECLINED)))
def test_the_compiled_walk_equals_the_python_walk_on_hostile_fragments(html: str) -> None:
    assert _walk(html) == S.simple_html_text_python(html)


def test_the_compiled_walk_equals_the_python_walk_on_fuzz() -> None:
    rnd = random.Random(20261124)
    accepted = declined = 0
    for i in range(60_000):
        html = (_fragment, _nested, _tag_fuzz)[i % 3](rnd)
        expected = S.simple_html_text_python(html)
        assert _walk(html) == expected, repr(html)
        accepted += expected is not None
        declined += expected is None
    assert accepted > 5_000 and declined > 10_000, (accepted, declined)


def test_every_character_after_a_bracket_and_inside_a_tag_walks_as_in_python() -> None:
    for cp in range(0x3000):
        c = chr(cp)
        cases = (f"<{c}>x", f"a<p{c}>b</p>", f"<p>b</p{c}>", f"<a x={c}>y</a>", f"<a x='{c}'>y</a>", f"&{c}")
        for html in cases:
            assert _walk(html) == S.simple_html_text_python(html), repr(html)


def test_deep_nesting_and_long_text_walk_as_in_python() -> None:
    deep = "<div>" * 3000 + "Hoà" + "</div>" * 3000
    long = "<p>" + "thuỷ lợi &amp; " * 20_000 + "</p>"
    for html in (deep, long, "<b>" * 5000 + "</b>" * 5000, ""):
        assert _walk(html) == S.simple_html_text_python(html)
    assert _walk(deep) == "Hoà" + "\n" * 3000


def test_the_compiled_name_lists_are_the_python_ones() -> None:
    assert [frozenset(group) for group in C.NAMES] == [S.CONTAINERS, S.PARAGRAPHS, S.INLINE, S.VOID]
