"""The tag walk for simple fragments against the HTML parser (html_to_text_careful), which it skips."""

from __future__ import annotations

import random

import pytest

from postwatch.normalize import text as T
from postwatch.normalize.simple_html import simple_html_text
from tests.unit.normalize.reference import careful_html

SIMPLE = [
    "<p>Hoà Bình</p><p>thuỷ &amp; <b>khoẻ</b><br>dòng 2</p>",
    '<div class="a"><p>UBND <a href="https://x.vn/a?b=1&amp;c=2" target=_blank>xã</a></p>\n</div>sau',
    "<DIV><H2>Tiêu đề</H2><P>đoạn <EM>nhấn</EM><BR/>và <img src='a.png' alt=\"ảnh\"></P></DIV>",
    "chỉ có chữ &amp; &lt;không thẻ&gt; &notit; &amp &hellip &#7897; &#x1EA1; &#128; &#0; &#xD800;",
    "<blockquote><section><article>trích</article></section></blockquote>",
    "<p\nclass=x\tid='y' data-z>xuống dòng trong thẻ</p>",
    "<p>tin</p><script>track('x'); if (a < b && c > d) {}</script><p>tiếp <b>xem thêm</b></p>",
    "<SCRIPT type='text/javascript'>x()</SCRIPT >đầu<b>a<script>\n</script>b</b>",
    "a < b và c > d",  # a stray "<": declined, then equal through the parser
]
DECLINED = [
    "<p>một<p>hai",  # the second <p> closes the first
    "<p>đoạn<div>khối</div></p>",  # <div> closes the open <p>
    "<b><p>khối trong chữ đậm</p></b>",
    "<b><i>lồng sai</b></i>",
    "<a href=1>một<a href=2>hai</a></a>",
    "dòng 1</br>dòng 2",
    "</p>đóng lạc",
    "<p>chưa đóng",
    "<b/>tự đóng",
    "<!-- bình luận --><p>x</p>",
    "<script>a<!--b</script>c</script><p>y</p>",  # an escaped script: its end is elsewhere
    "<p>x</p><script>a</script/><p>y</p>",  # "</script/" ends it too
    "<p>x</p><script>a</scriptx></script><p>y</p>",
    "<p>x</p><script>never closed",
    "<p>x</p><script/>y",
    "<ul><li>mục</li></ul>",
    "<table><td>ô</td></table>",
    "<p>ký tự cấm &#xFDD0; &#65535;</p>",
    '<a title="a>b">x</a>',
    "<p>NUL\x00</p>",
    "a < b",
]


@pytest.mark.parametrize("html", SIMPLE + DECLINED, ids=range(len(SIMPLE + DECLINED)))
def test_html_to_text_equals_the_parser_on_hostile_fragments(html: str) -> None:
    assert T.html_to_text(html) == careful_html(html)


@pytest.mark.parametrize("html", SIMPLE[:-1], ids=range(len(SIMPLE) - 1))
def test_simple_fragments_are_read_without_the_parser(html: str) -> None:
    assert simple_html_text(html) is not None


@pytest.mark.parametrize("html", DECLINED, ids=range(len(DECLINED)))
def test_fragments_the_tree_builder_rewrites_are_left_to_the_parser(html: str) -> None:
    assert simple_html_text(html) is None


def _fragment(rnd: random.Random) -> str:
    names = ["p", "div", "b", "a", "i", "span", "h2", "br", "img", "blockquote", "li", "td", "script", "em"]
    names += ["P", "Br", "DIV", "section", "font", "table", "pre", "hr", "body", "title", "svg"]
    attributes = ["", ' class="x"', " id=y", " data-z", " title='a>b'", ' href="?a=1&amp;b=2"', " a=`x`"]
    texts = ["hoà ", "thuỷ\n", " ", "\t", "Đường", "👍", "<", ">", "&", "&amp;", "&amp", "&notit;", "&lt;"]
    texts += ["&#7897;", "&#x1ea1;", "&#128;", "&#0;", "&#xFDD0;", "&#xFFFE;", "&#1114112;", "&hellip;"]
    texts += ["\r\n", "<!--c-->", "\x00", "&#x", "&#"]
    parts = []
    for _ in range(rnd.randint(1, 10)):
        name = rnd.choice(names)
        kind = rnd.random()
        if kind < 0.3:
            parts.append(f"<{name}{rnd.choice(attributes)}{rnd.choice(['', '', '/', ' '])}>")
        elif kind < 0.55:
            parts.append(f"</{name}{rnd.choice(['', '', ' '])}>")
        else:
            parts.append(rnd.choice(texts))
    return "".join(parts)


SCRIPTS = ["<script>t('x')</script>", "<Script src=a.js></Script>", "<script>if(a<b)x()</script >",
           "<script>a<!--b</script>", "<script>a</script/>", "<script>"]  # fmt: skip


def _nested(rnd: random.Random, depth: int = 0) -> str:
    """Well-formed fragments, mostly within what the walk accepts, sometimes just outside it."""
    out = []
    for _ in range(rnd.randint(1, 4)):
        r = rnd.random()
        if r < 0.4 or depth > 3:
            out.append(rnd.choice(["Hoà Bình ", "thuỷ &amp; lợi", "\n", "<br>", "khoẻ &#7897;", " "]))
        elif r < 0.45:
            out.append(rnd.choice(SCRIPTS))
        else:
            name = rnd.choice(["p", "div", "b", "a", "em", "h3", "blockquote", "span", "div", "section"])
            out.append(f"<{name}>{_nested(rnd, depth + 1)}</{name}>")
    return "".join(out)


def test_html_to_text_equals_the_parser_on_fuzz() -> None:
    rnd = random.Random(20261124)
    walked = 0
    for i in range(6_000):
        html = _fragment(rnd) if i % 2 else _nested(rnd)
        simple = simple_html_text(html)
        if simple is not None:
            walked += 1
            assert T.clean_text(simple) == careful_html(html), repr(html)
        else:
            assert T.html_to_text(html) == careful_html(html), repr(html)
    assert walked > 900, "the fuzz must exercise the walk, not only the parser"


def test_text_whose_only_references_are_amp_decodes_as_html_unescape() -> None:
    from html import unescape

    from postwatch.normalize.simple_html import _decode

    rnd = random.Random(2)
    pieces = ["&amp;", "&", "amp;", "a", ";", "&amp;amp;", "#", "&AMP;", "&amp", "ư"]
    for _ in range(20_000):
        s = "".join(rnd.choices(pieces, k=rnd.randint(0, 8)))
        assert _decode(s) == unescape(s), s
