"""Vietnamese text cleaning: one canonical form per word, so counting and matching agree.

Measured traps this module exists for: NFC alone does not unify ``hoà`` and ``hòa`` (two
tone-placement conventions, both valid NFC); stripping combining marks leaves ``đ``;
zero-width and bidi characters split words invisibly; exports from older Vietnamese
software arrive double-encoded or in the pre-Unicode TCVN3 / VNI encodings.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

import ftfy
import ftfy.bad_codecs  # registers sloppy-windows-1252, which _undo_double_utf8 encodes with
from ftfy.chardata import C1_CONTROL_RE
from selectolax.lexbor import LexborHTMLParser

from postwatch import native
from postwatch.normalize.simple_html import simple_html_text

# clean_text's two passes in C (textclean.pyx); None where it was not compiled.
_textclean = native.load("postwatch.normalize.textclean")
# content_hash over the strings' own UTF-8 (contenthash.pyx); None where it was not compiled.
_contenthash = native.load("postwatch.normalize.contenthash")

# Tone marks as combining characters (NFD); vowel-quality marks (circumflex, breve, horn) stay put.
TONES = "\u0300\u0301\u0303\u0309\u0323"

# Invisible characters that split or reorder words: zero-width, bidi controls, BOM, soft hyphen.
_INVISIBLE = dict.fromkeys(
    [
        0x00AD,
        0x180E,
        *range(0x200B, 0x2010),
        *range(0x202A, 0x202F),
        *range(0x2060, 0x2065),
        *range(0x2066, 0x206A),
        0xFEFF,
    ]
)
# C0 and C1 controls except tab and newline; carriage returns become newlines.
_CONTROLS = {c: None for c in [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0x7F, 0xA0)]}
_CONTROLS[0x0D] = 0x0A
_STRIP = {**_INVISIBLE, **_CONTROLS, 0x00A0: 0x20, 0x2028: 0x0A, 0x2029: 0x0A}

_STRIP_RE = re.compile("[" + "".join(re.escape(chr(c)) for c in _STRIP) + "]")
# The same table as a deletion (one C-level sub) and a few one-character replacements: translate()
# with a dict costs ~100 ns per character of the whole text, these cost per character removed.
_DELETE_RE = re.compile("[" + "".join(re.escape(chr(c)) for c, to in _STRIP.items() if to is None) + "]")
_REPLACED = tuple((chr(c), chr(to)) for c, to in _STRIP.items() if to is not None)

# Old-style placement puts the tone on the second vowel of a final oa / oe / uy (hoà, khoẻ,
# thuỷ); the convention kept here puts it on the first (hòa, khỏe, thủy). With a final
# consonant (hoàng, khuyến) both conventions agree, and qu- is a consonant (quý stays).
_OLD_TONE = re.compile(
    rf"(?<![qQ])([oO])([aAeE])([{TONES}])(?![^\W\d_])|(?<![qQ])([uU])([yY])([{TONES}])(?![^\W\d_])"
)
# The same places in NFC text: a cheap test that nothing needs moving.
_OLD_TONE_NFC = re.compile(r"(?:[oO][àáảãạèéẻẽẹÀÁẢÃẠÈÉẺẼẸ]|[uU][ỳýỷỹỵỲÝỶỸỴ])(?![^\W\d_])")
# Fast path on NFC text (see ``_retone_nfc``): each such place as an o/u + toned-vowel pair, found
# by a scan that starts on o/u; ậ/ặ/ệ after o are matched only to send the text down the careful
# path (there the dot below moves whatever follows).
_TONED_AE = "àáảãạèéẻẽẹÀÁẢÃẠÈÉẺẼẸ"
_TONED_Y = "ỳýỷỹỵỲÝỶỸỴ"
_TONED_MULTI = "ẬậẶặỆệ"  # the only NFC letters whose NFD is a/e/y + tone + another mark
_OLD_TONE_FAST = re.compile(
    rf"[oOuU](?:(?<=[oO])[{_TONED_AE}](?<![qQ]..)(?![^\W\d_])"
    rf"|(?<=[uU])[{_TONED_Y}](?<![qQ]..)(?![^\W\d_])|(?<=[oO])[{_TONED_MULTI}])"
)
# Each place, as a group, and the character after it (or nothing), as a group: for re.split.
_OLD_TONE_SPLIT = re.compile(rf"({_OLD_TONE_FAST.pattern})([\s\S]?)")
# "oà" -> "òa": the tone goes to the first vowel, exactly as NFD + _OLD_TONE + NFC would put it.
_SWAP_TONE = {
    first + unicodedata.normalize("NFC", second + tone): unicodedata.normalize("NFC", first + tone + second)
    for firsts, seconds in (("oO", "aAeE"), ("uU", "yY"))
    for first in firsts
    for second in seconds
    for tone in TONES
}
_WS = re.compile(r"[ \t\f\v]{2,}|[\t\f\v]")  # only what needs changing: single spaces stay
_LINE_BREAK = re.compile(r" ?\n[ \n]*")
_HTML = re.compile(
    r"<(?:[a-zA-Z][a-zA-Z0-9-]*(?:\s[^<>]*)?/?|/[a-zA-Z][a-zA-Z0-9-]*\s*)>"
    r"|&(?:#\d+|#x[0-9a-fA-F]+|[a-zA-Z]{2,8});"
)

# Letters that only Vietnamese uses among Latin scripts (precomposed NFC forms).
_VI_LETTERS = re.compile(r"[ăâđêôơưĂÂĐÊÔƠƯ\u1ea0-\u1ef9]")
# TCVN3 (ABC) and VNI bytes read as Windows-1252: symbols and letters Vietnamese never uses.
_TCVN3_MARKS = set("¸µ¶·¹¨»¾¼½Æ©ÇÊÈÉË®ÐÌÎÏÑªÕÒÓÔÖ«ÝØÜÞßãáâäå¬æçèéêí­ëìîïñòóôõøúûüýþ")
# VNI writes a base vowel then a mark byte: "aø" is à, "aâ" is â, "oâ" is ô, "ö" alone is ư.
# Of those, the non-letters: European text with ä or é never has them, TCVN3 text always does.
_TCVN3_SYMBOLS = set("¸µ¶·¹¨©ª«¬­®»¼½¾")
_TCVN3_MARKS_RE = re.compile("[" + re.escape("".join(sorted(_TCVN3_MARKS))) + "]")
_TCVN3_SYMBOLS_RE = re.compile("[" + re.escape("".join(sorted(_TCVN3_SYMBOLS))) + "]")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
# UTF-8 lead bytes read as Windows-1252 / Latin-1: every Vietnamese mojibake has one of these.
# (Same matches as ``[ÂÃÄÅÆ][\x80-\xbf\u0152-\u2122]|á[º»]|Ã|Æ``, written to start on a character class
# so the scan skips ahead at C speed.)
_MOJIBAKE_HINT = re.compile(r"[ÂÃÄÅÆá](?:(?<=[ÃÆ])|(?<=[ÂÄÅ])[\x80-\xbf\u0152-\u2122]|(?<=á)[º»])")
_VNI_PAIR = re.compile(r"[aeiouyAEIOUY][øùûõïâêÂÊØÙÛÕÏ]")
_UNICODE_ONLY = re.compile(r"[ăđơưĂĐƠƯ\u1ea0-\u1ef9]")

_VI_WORDS = frozenset(
    [
        "và",
        "của",
        "các",
        "là",
        "được",
        "không",
        "cho",
        "người",
        "tỉnh",
        "xã",
        "những",
        "một",
        "có",
        "này",
        "với",
        "trong",
        "đã",
        "đến",
        "khi",
        "để",
        "theo",
        "về",
        "thì",
        "như",
        "ra",
        "tại",
        "cũng",
        "từ",
        "huyện",
        "ubnd",
        "năm",
        "ngày",
        "tin",
        "bị",
        "vì",
        "sẽ",
        "đang",
        "nhiều",
        "hơn",
    ]
)
_EN_WORDS = frozenset(
    [
        "the",
        "and",
        "of",
        "to",
        "in",
        "is",
        "for",
        "on",
        "that",
        "with",
        "are",
        "was",
        "as",
        "by",
        "this",
        "be",
        "from",
        "at",
        "it",
        "an",
        "have",
        "not",
        "or",
    ]
)


def _move_tone(m: re.Match[str]) -> str:
    if m.group(1):
        return m.group(1) + m.group(3) + m.group(2)
    return m.group(4) + m.group(6) + m.group(5)


def normalize_tone_marks(s: str) -> str:
    """NFC with one tone-placement convention: hoà → hòa, thuỷ → thủy, khoẻ → khỏe."""
    if s.isascii():
        return s
    # NFD(NFC(s)) == NFD(s), so the careful path gives the same for s and NFC(s) whenever it moves
    # something; the fast path on NFC(s) returns None exactly where that reasoning would not hold.
    # (normalize() returns s itself after the same quick check is_normalized() would make.)
    fast = _retone_nfc(unicodedata.normalize("NFC", s))
    if fast is not None:
        return fast  # the common case: no NFD round trip over the whole text
    return normalize_tone_marks_careful(s)


def normalize_tone_marks_careful(s: str) -> str:
    """The reference algorithm: decompose, move each tone mark, recompose. Any input."""
    if s.isascii():
        return s
    if unicodedata.is_normalized("NFC", s) and _OLD_TONE_NFC.search(s) is None:
        return s  # the common case, decided by two C-speed scans
    d = unicodedata.normalize("NFD", s)
    return unicodedata.normalize("NFC", _OLD_TONE.sub(_move_tone, d))


def _is_mark(c: str) -> bool:
    return bool(unicodedata.combining(c)) or unicodedata.category(c)[0] == "M"


def _retone_nfc(s: str) -> str | None:
    """Tone placement on NFC text without decomposing it; None when only the careful path is exact.

    On NFC text each place ``_OLD_TONE`` moves a mark is an o/u followed by one precomposed toned
    vowel, and swapping the pair ("oà" -> "òa") gives what NFD + move + NFC gives, provided the
    toned vowel is not followed by a combining mark and is not ậ/ặ/ệ (then None). The premises
    are checked over all of Unicode, and the result on fuzz, in tests/unit/normalize/.

    One C-level split instead of a Python callback per place: the parts come as text, pair, the
    character after the pair (never a letter, so never where another place starts), text...
    """
    parts = _OLD_TONE_SPLIT.split(s)
    if len(parts) == 1:
        return s
    after = parts[2::3]
    if not "".join(after).isascii() and any(c > "\x7f" and _is_mark(c) for c in after):
        return None  # a combining mark follows a toned vowel
    try:
        parts[1::3] = [_SWAP_TONE[pair] for pair in parts[1::3]]
    except KeyError:  # ậ/ặ/ệ after o: not in the table
        return None
    return "".join(parts)


def strip_invisible(s: str) -> str:
    """Remove zero-width, bidi and control characters; non-breaking spaces become spaces."""
    # A regex scan finds nothing at C speed in the common case.
    if _STRIP_RE.search(s) is None:
        return s
    s = _DELETE_RE.sub("", s)
    for c, to in _REPLACED:  # each character maps on its own, so the order does not matter
        if c in s:
            s = s.replace(c, to)
    return s


def collapse_whitespace(s: str) -> str:
    """Runs of spaces become one; line breaks are kept, at most one blank line in a row."""
    if "  " in s or "\t" in s or "\f" in s or "\v" in s:  # substring tests: far cheaper than the scan
        s = _WS.sub(" ", s)
    # Lone newlines with no space beside them are left as they are: only scan when that is not all.
    if "\n" in s and (" \n" in s or "\n " in s or "\n\n" in s):
        s = _LINE_BREAK.sub(_one_or_two_breaks, s)
    return s.strip()


def _one_or_two_breaks(m: re.Match[str]) -> str:
    return "\n\n" if m.group().count("\n") > 1 else "\n"


def clean_text(s: str | None) -> str:
    """The canonical form stored in ``posts.text``: visible characters, NFC, one tone convention."""
    if not s:
        return ""
    if _textclean is not None:
        cleaned = _textclean.clean_text(s)
        if cleaned is not None:
            return cleaned  # None: a case only the careful tone path gets right
    return clean_text_python(s)


def clean_plain(s: str) -> str | None:
    """``clean_text(s)`` when one C scan shows ``s`` needs no encoding repair and no HTML parsing
    (see ``textclean.clean_plain``); None when the caller must check those, or where not compiled."""
    return _textclean.clean_plain(s) if _textclean is not None else None


def clean_text_python(s: str) -> str:
    """clean_text as Python scans: the definition the compiled module is tested against."""
    if "\r" in s:  # a one-character test is cheaper than replace()'s scan for two
        s = s.replace("\r\n", "\n")
    return collapse_whitespace(normalize_tone_marks(strip_invisible(s)))


def looks_like_html(s: str) -> bool:
    return bool(s) and ("<" in s or "&" in s) and _HTML.search(s) is not None


_DROPPED = frozenset({"script", "style", "noscript", "template", "iframe"})
# Elements that end a line; a table cell implies its row (<table><td> makes a tr).
_BLOCKS = frozenset(
    {"p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td", "th", "blockquote", "section"}
    | {"article"}
)
# Every name that can open (or, like </p> and </br>, imply) an element: a superset of the tree's tags.
_TAG_NAME = re.compile(r"</?([a-zA-Z][a-zA-Z0-9]*)")


def html_to_text(html: str) -> str:
    """Readable text of an HTML fragment: scripts and styles dropped, blocks on their own lines."""
    if not html:
        return ""
    simple = simple_html_text(html)
    if simple is not None:
        return clean_text(simple)  # a plain fragment, read without a parser (see simple_html)
    # Each CSS query walks the whole tree; skip the ones whose tags cannot be in it.
    names = {n.lower() for n in _TAG_NAME.findall(html)}
    return _html_to_text(html, not names.isdisjoint(_DROPPED), "br" in names, not names.isdisjoint(_BLOCKS))


def html_to_text_careful(html: str) -> str:
    """html_to_text with every query run: the reference the shortcut is tested against."""
    return _html_to_text(html, True, True, True) if html else ""


def _html_to_text(html: str, drop: bool, breaks: bool, blocks: bool) -> str:
    tree = LexborHTMLParser(html)
    if drop:
        for node in tree.css("script, style, noscript, template, iframe"):
            node.decompose()
    if breaks:
        for node in tree.css("br"):
            node.replace_with("\n")
    if blocks:
        for node in tree.css("p, div, li, h1, h2, h3, h4, h5, h6, tr, blockquote, section, article"):
            node.insert_after("\n")
    root = tree.body or tree.root
    text = root.text(separator="", deep=True) if root is not None else ""
    return clean_text(text)


def _legacy_encoding(s: str) -> str | None:
    """Name of the pre-Unicode Vietnamese encoding ``s`` looks like, or None."""
    if _UNICODE_ONLY.search(s):
        return None
    non_ascii = _NON_ASCII.findall(s)
    if len(non_ascii) < 4:
        return None
    if len(_VNI_PAIR.findall(s)) >= 3:
        return "vni"
    symbols = len(_TCVN3_SYMBOLS_RE.findall(s))  # counted by a C scan, not a loop per character
    marks = len(_TCVN3_MARKS_RE.findall(s))
    if not _VI_LETTERS.search(s) and symbols >= 2 and marks / len(non_ascii) > 0.6:
        return "tcvn3"
    return None


def _may_be_mojibake(s: str) -> bool:
    """Whether ``s`` holds a substring that every ``_MOJIBAKE_HINT`` match contains.

    Plain substring searches, run before the regex, which stops at every "á" of ordinary
    Vietnamese text (written out: a generator over the needles costs half of what it saves).
    """
    # One-character needles are found far faster than two: º / » gate the two-character ones.
    return (
        "Ã" in s
        or "Æ" in s
        or "Â" in s
        or "Ä" in s
        or "Å" in s
        or ("º" in s and "áº" in s)
        or ("»" in s and "á»" in s)
    )


def _has_mojibake_hint(s: str) -> bool:
    return _may_be_mojibake(s) and _MOJIBAKE_HINT.search(s) is not None


def _undo_double_utf8(s: str) -> str | None:
    """ftfy's first ``fix_encoding`` step where it is plain UTF-8 read as Windows-1252; else None.

    Whole-text double encoding is the mojibake Vietnamese exports have. For it, ftfy encodes the
    text back to Windows-1252 bytes (Latin-1 first, which gives the same bytes whenever both can
    encode it) and decodes them as UTF-8: its byte fixes only act on bytes that are not valid
    UTF-8, or on 0x1A (its mark for a lost byte), and 0xED / 0xC0 switch it to a lenient decoder,
    so those go to ftfy. What is saved is ftfy's last check that the result is clean: a regex
    over the whole repaired text, about 65 of its 120 us a post. ``repair_encoding`` asks its own
    cheaper questions instead (is a mojibake hint or a C1 control left?), and goes on with ftfy
    only then: the hint is what lets text into ftfy at all, so what this leaves is what
    ``repair_encoding`` would leave alone if it came in that way (tested on fuzz against ftfy).
    """
    try:
        data = s.encode("sloppy-windows-1252")
    except UnicodeEncodeError:
        return None
    if b"\xed" in data or b"\xc0" in data or b"\x1a" in data:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def repair_encoding(s: str) -> tuple[str, str | None]:
    """Undo double-encoded UTF-8; flag TCVN3 / VNI text, which cannot be repaired reliably.

    Returns the (possibly repaired) text and what was done: None, ``mojibake_repaired``,
    or ``legacy_tcvn3`` / ``legacy_vni`` (left as is; the caller quarantines it).
    """
    if not s or s.isascii():
        return s, None
    if _has_mojibake_hint(s) and ftfy.badness.is_bad(s):
        fixed = _undo_double_utf8(s)
        # A hint or a C1 control (what ftfy's fix_c1_controls looks for) left: not finished.
        if fixed is None or _has_mojibake_hint(fixed) or C1_CONTROL_RE.search(fixed):
            fixed = ftfy.fix_encoding(s if fixed is None else fixed)  # ftfy goes on from there
        if fixed != s:
            return fixed, "mojibake_repaired"
    legacy = _legacy_encoding(s)
    if legacy:
        return s, f"legacy_{legacy}"
    return s, None


# After NFD: anything but ASCII and the combining diacritics block (U+034F, the grapheme joiner, is
# in the block but not a combining mark).
_NOT_ASCII_OR_MARK = re.compile(r"[^\x00-\x7f\u0300-\u034e\u0350-\u036f]")


def fold_diacritics(s: str) -> str:
    """Strip every Vietnamese diacritic, đ included: ``Đường`` → ``Duong``."""
    if s.isascii():
        return s
    d = unicodedata.normalize("NFD", s.replace("đ", "d").replace("Đ", "D"))
    if _NOT_ASCII_OR_MARK.search(d) is None:  # the common case: encoding drops exactly the marks
        return d.encode("ascii", "ignore").decode("ascii")
    return "".join([c for c in d if not unicodedata.combining(c)])


_VI_FOLDED = frozenset(fold_diacritics(w) for w in _VI_WORDS) - _EN_WORDS - {"a", "i", "o", "the", "to"}


def content_hash(*parts: str | None) -> str:
    """Stable identity of cleaned content: an edit changes it, a re-fetch does not."""
    if _contenthash is not None:
        digest = _contenthash.content_hash(*parts)
        if digest is not None:
            return digest
    return content_hash_python(*parts)


def content_hash_python(*parts: str | None) -> str:
    """content_hash as Python: the definition the compiled module is tested against."""
    # Each part followed by \x1f, hashed in one call (the same bytes as one update per part).
    data = "".join([f"{p or ''}\x1f" for p in parts])
    return hashlib.blake2b(data.encode("utf-8"), digest_size=16).hexdigest()


def detect_language(s: str) -> str:
    """``vi``, ``en`` or ``und``: enough to keep foreign-language noise out of Vietnamese counts."""
    if not s or not s.strip():
        return "und"
    first = _VI_LETTERS.search(s)
    if first is not None and _VI_LETTERS.search(s, first.end()) is not None:  # two are enough
        return "vi"
    words = re.findall(r"[^\W\d_]+", s.lower())[:200]
    if not words:
        return "und"
    vi = sum(w in _VI_WORDS or fold_diacritics(w) in _VI_FOLDED for w in words)
    en = sum(w in _EN_WORDS for w in words)
    if vi >= max(2, en) or (vi and len(words) < 6 and vi >= en):
        return "vi"
    if en >= 2 or (en and len(words) < 6):
        return "en"
    return "und"


def post_language(title: str, text: str) -> str:
    """A post's language: ``detect_language(title + " " + text[:400])``, from the title when it can."""
    # Two Vietnamese letters in the title: what detect_language would find first.
    if _textclean is not None:
        if _textclean.two_vietnamese_letters(title):
            return "vi"
    else:
        first = _VI_LETTERS.search(title)
        if first is not None and _VI_LETTERS.search(title, first.end()) is not None:
            return "vi"
    return detect_language(title + " " + text[:400])
