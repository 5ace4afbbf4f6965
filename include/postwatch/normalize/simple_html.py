"""The text of simple HTML fragments without building a DOM: what the HTML parser would give.

Why: most HTML that reaches normalization is a feed description or a message body made of
paragraphs, line breaks, links and emphasis. Building a document for it with lexbor and running
the block queries costs ~30 us for a 330-character fragment; walking its tags here, ~7. It only accepts
fragments for which the HTML standard's tree builder does nothing surprising, and returns None
for anything else (the caller then parses):

- every ``<`` opens a tag from the lists below, written plainly (a name, attributes with simple
  values; only void elements self-close); no comments, doctypes, scripts, tables or lists;
- a ``<script>`` element (a plain start tag, a plain ``</script>`` end tag, no other ``</script``
  and no ``<!--`` inside) is dropped whole before the walk, as the parser's caller drops it;
- tags nest properly and are all closed: no end tag the builder would imply or ignore;
- paragraphs, headings and inline elements hold only inline content, so no start tag closes
  an open element, and ``<a>`` never sits inside ``<a>`` (the adoption agency never runs);
- character references are those the standard and ``html.unescape`` decode alike (a numeric one
  to a noncharacter differs: unescape drops it, the parser keeps it), and there is no NUL.

The result is the text with a line break for each ``<br>`` and after each block element, as
``postwatch.normalize.text.html_to_text`` builds it from the parsed tree; tests compare the two
on hostile fragments and on fuzz.
"""

from __future__ import annotations

import re
from html import unescape

from postwatch import native

_htmlwalk = native.load("postwatch.normalize.htmlwalk")  # the walk below in C; None where not compiled

_WS = r"[\t\n\f\r ]"  # HTML's whitespace, not Python's \s
_VALUE = r"(?:\"[^\"<>]*\"|'[^'<>]*'|[^\t\n\f\r \"'=<>`]+)"  # quoted or bare, never holding < or >
_ATTRIBUTE = rf"{_WS}+[a-zA-Z_:][-a-zA-Z0-9_:.]*(?:{_WS}*={_WS}*{_VALUE})?"
# A start tag (name, attributes, self-closing slash) or an end tag (name), written plainly.
_TAG = re.compile(rf"<(?:([a-zA-Z][a-zA-Z0-9]*)(?:{_ATTRIBUTE})*{_WS}*(/?)|/([a-zA-Z][a-zA-Z0-9]*){_WS}*)>")
_NUMERIC_REF = re.compile(r"&#(?:[xX]([0-9a-fA-F]+)|([0-9]+))")
# A script element: its content is raw text up to the first "</script" the tree builder ends it on.
_SCRIPT = re.compile(rf"<script(?:{_ATTRIBUTE})*{_WS}*>([\s\S]*?)</script{_WS}*>", re.IGNORECASE)

CONTAINERS = frozenset({"div", "blockquote", "section", "article"})  # may hold blocks
PARAGRAPHS = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6"})  # inline content only
INLINE = frozenset(
    {"a", "abbr", "b", "cite", "code", "em", "font", "i", "mark", "q", "s", "small", "span", "strong"}
    | {"sub", "sup", "u"}
)
VOID = frozenset({"br", "img"})


def _is_noncharacter(code_point: int) -> bool:
    return 0xFDD0 <= code_point <= 0xFDEF or (code_point & 0xFFFE) == 0xFFFE


def _decode(segment: str) -> str | None:
    """Character references decoded as the parser decodes them in text, or None if they may differ."""
    if segment.count("&") == segment.count("&amp;"):  # the usual one only: a replace, not a regex
        return segment.replace("&amp;", "&")
    if "&#" in segment:
        for hex_digits, digits in _NUMERIC_REF.findall(segment):
            value = int(hex_digits, 16) if hex_digits else int(digits)
            if value <= 0x10FFFF and _is_noncharacter(value):
                return None
    return unescape(segment)


def _drop_scripts(html: str) -> str | None:
    """``html`` without its script elements, or None when one is not plainly delimited.

    The content may hold anything but another ``</script`` (which would end the element there,
    e.g. ``</script/>``) and ``<!--`` (which can make the tokenizer skip an end tag).
    """
    out = []
    last = 0
    for m in _SCRIPT.finditer(html):
        content = m.group(1).lower()
        if "</script" in content or "<!--" in content:
            return None
        out.append(html[last : m.start()])
        last = m.end()
    rest = html[last:]
    if "<script" in rest.lower():
        return None  # a script start tag that was not plainly closed
    return "".join(out) + rest if out else html


def simple_html_text(html: str) -> str | None:
    """The fragment's text (before cleaning), or None when only the HTML parser gets it right."""
    if _htmlwalk is not None:
        return _htmlwalk.walk(html, _drop_scripts, _decode)
    return simple_html_text_python(html)


def simple_html_text_python(html: str) -> str | None:
    """simple_html_text as Python: the definition the compiled walk (htmlwalk.pyx) is tested against."""
    if "\x00" in html:
        return None
    if "<s" in html or "<S" in html:  # a script, maybe: dropped whole where that is exact
        html = _drop_scripts(html)
        if html is None:
            return None
    # One C-level split: text, then each tag's (start name, self-closing slash, end name), text...
    parts = _TAG.split(html)
    texts = parts[0::4]
    if "<" in "".join(texts):
        return None  # a "<" that is not a plain tag: a comment, a stray bracket...
    out: list[str] = []
    stack: list[str] = []
    inline_open = 0  # open elements that are not containers: no block may start inside them
    for i, segment in enumerate(texts):
        if segment:
            if "&" in segment:
                decoded = _decode(segment)
                if decoded is None:
                    return None
                segment = decoded
            out.append(segment)
        if 4 * i + 1 >= len(parts):
            break
        name, slash, end = parts[4 * i + 1 : 4 * i + 4]
        if end is not None:
            end = end.lower()
            if not stack or stack[-1] != end:
                return None  # an end tag the tree builder would imply, ignore or act on
            stack.pop()
            if end in CONTAINERS:
                out.append("\n")
            elif end in PARAGRAPHS:
                out.append("\n")
                inline_open -= 1
            else:
                inline_open -= 1
            continue
        name = name.lower()
        if name in VOID:
            if name == "br":
                out.append("\n")
            continue
        if slash:
            return None  # a self-closing non-void element is opened, not closed
        if name in INLINE:
            if name == "a" and "a" in stack:
                return None
            inline_open += 1
        elif name in CONTAINERS or name in PARAGRAPHS:
            if inline_open:
                return None  # would close the open paragraph or heading first
            if name in PARAGRAPHS:
                inline_open += 1
        else:
            return None
        stack.append(name)
    if stack:
        return None
    return "".join(out)
