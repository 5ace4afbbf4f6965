"""Fast paths give exactly what the careful paths give, on hostile strings and on fuzz.

Each fast path skips work only when a cheap check proves it unnecessary; these tests hold
them to the careful (reference) computation, and check the Unicode facts the tone fast path
relies on over every code point.
"""

from __future__ import annotations

import hashlib
import random
import re
import sys
import unicodedata
from collections.abc import Callable
from datetime import UTC, datetime

import ftfy
import ftfy.bad_codecs  # sloppy-windows-1252: how mojibake is made
import pytest

from postwatch.collect.base import RawItem
from postwatch.normalize import text as T
from postwatch.normalize.posts import POST_COLUMNS, normalize_batch, normalize_item, normalize_rows
from postwatch.normalize.rejected import Rejected
from postwatch.normalize.urls import _canonical_url_careful, canonical_url
from postwatch.registry import Source
from postwatch.warehouse.load import columns_to_arrow, concat_batches, rows_to_arrow
from tests.unit.normalize.common import FB, NOW, SOURCE
from tests.unit.normalize.reference import careful_clean, careful_repair, fold_diacritics_careful

VI = "UBND xã Hoà Bình, huyện Thuỷ Nguyên: người dân khoẻ mạnh, tuỳ theo thủ tục; quà quý, Quỳnh"
MOJIBAKE = VI.encode("utf-8").decode("sloppy-windows-1252")
HOSTILE = [
    VI,
    unicodedata.normalize("NFD", VI),
    "hoà thuỷ khoẻ tuỳ uỷ HOÀ THUỶ loà xoà",
    "quà quỳ Quà QUỲ qoà",  # qu- is a consonant: nothing moves
    "hoàng khuyến toán ngoài hòa thủy",  # final consonant or new placement: nothing moves
    "Sơn\u200b Hà\u200d \u202eđẹp\u202c\u200f lắm\ufeff\x00\x07 nhé\u00ad",
    "hoà\u200dbình thuỷ\u200f,\u202aUBND\u202c",
    "<script>alert('hoà')</script><p>Hoà &amp; thuỷ</p>",
    "Tuyệt vời 👍🏽 hoà 🇻🇳 thuỷ 👨‍👩‍👧",
    MOJIBAKE,
    MOJIBAKE.encode("utf-8").decode("sloppy-windows-1252"),  # encoded twice
    "hoà\u0302 thuỷ\u0301 oậ oặ oệ hoạ\u0309",  # combining marks after the toned vowel
    "o\u0323\u0302a hoặ hoậ",
    "ho\u0300a thu\u0309y hoa\u0300 thuy\u0309",  # tone on either vowel, decomposed
    "HOÀ\u0303 Hoà1 hoà_ hoà- thuỷ.",
    "\r\n  hoà  \t thuỷ \u00a0\u00a0 \n\n\n khoẻ \u2028 ",
    "",
    "ascii only, nothing to do",
    ("Hoà Bình thuỷ lợi \u200b khoẻ <b>x</b> 👍 " * 2500)[:100_000],  # a 100 KB post
]


def _fuzz(n: int, seed: int = 20261122) -> list[str]:
    """Random strings over the characters the fast paths care about."""
    alphabet = (
        list("oOuUqQaAeEyYhnt .,-1_")
        + list("àáảãạèéẻẽẹÀÁẢÃẠÈÉẺẼẸỳýỷỹỵỲÝỶỸỴẬậẶặỆệòóủùâêôăđ")
        + ["\u0300", "\u0301", "\u0303", "\u0309", "\u0323", "\u0302", "\u0306", "\u031b"]
        + ["\u200b", "\u200d", "\u200f", "\u202e", "\ufeff", "\x00", "\t", "\n", "\r\n", "  ", "\u00a0"]
        + ["👍", "🏽", "<", "&", "Ã", "Â", "á»", "Æ°"]
    )
    rnd = random.Random(seed)
    return ["".join(rnd.choices(alphabet, k=rnd.randint(1, 24))) for _ in range(n)]


def test_the_unicode_facts_the_tone_fast_path_relies_on_hold_for_every_code_point() -> None:
    letter = re.compile(r"[^\W\d_]")
    multi = set()
    for cp in range(sys.maxunicode + 1):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        c = chr(cp)
        d = unicodedata.normalize("NFD", c)
        if d[-1] in "qQoOuU":
            assert c == d, f"U+{cp:04X} decomposes to end in {d[-1]!r}: the look-behinds would differ"
        if not unicodedata.category(c).startswith("M") and not unicodedata.combining(c):
            assert bool(letter.match(c)) == bool(letter.match(d[0])), f"U+{cp:04X}: letter-ness changes"
            assert not unicodedata.combining(d[0]), f"U+{cp:04X} decomposes to a combining mark first"
        if len(d) > 2 and d[0] in "aAeEyY" and d[1] in T.TONES:
            multi.add(c)
        decomposition = unicodedata.decomposition(c)
        if decomposition and not decomposition.startswith("<"):
            parts = [chr(int(x, 16)) for x in decomposition.split()]
            if len(parts) == 2 and not unicodedata.combining(parts[1]):
                assert parts[0] not in "aAeEyYoOuU" and parts[1] not in "aAeEyYoOuU"
    assert multi == set(T._TONED_MULTI)


@pytest.mark.parametrize("s", HOSTILE, ids=range(len(HOSTILE)))
def test_fast_tone_placement_equals_the_careful_path_on_hostile_strings(s: str) -> None:
    assert T.normalize_tone_marks(s) == T.normalize_tone_marks_careful(s)


def test_fast_tone_placement_equals_the_careful_path_on_fuzz() -> None:
    strings = _fuzz(40_000)
    fast_taken = 0
    for s in strings:
        assert T.normalize_tone_marks(s) == T.normalize_tone_marks_careful(s), repr(s)
        if unicodedata.is_normalized("NFC", s) and T._retone_nfc(s) not in (None, s):
            fast_taken += 1
    assert fast_taken > 500, "the fuzz must exercise the fast path, not only the fallback"


def test_the_fast_path_moves_old_placement_and_keeps_qu() -> None:
    assert T._retone_nfc("Hoà Bình, Thuỷ Nguyên, khoẻ, quà") == "Hòa Bình, Thủy Nguyên, khỏe, quà"
    assert T._retone_nfc("hoà\u0302") is None  # a combining mark follows: careful path
    assert T._retone_nfc("hoậ") is None


Cleaner = Callable[[str], str]
CLEANERS: list[Cleaner] = [T.clean_text, T.clean_text_python]  # compiled (where it is) and Python


@pytest.mark.parametrize("clean", CLEANERS, ids=["clean_text", "python"])
@pytest.mark.parametrize("s", HOSTILE, ids=range(len(HOSTILE)))
def test_clean_text_equals_the_careful_cleaning_on_hostile_strings(s: str, clean: Cleaner) -> None:
    assert clean(s) == careful_clean(s)


@pytest.mark.parametrize("clean", CLEANERS, ids=["clean_text", "python"])
def test_clean_text_equals_the_careful_cleaning_on_fuzz(clean: Cleaner) -> None:
    for s in _fuzz(20_000, seed=7):
        assert clean(s) == careful_clean(s), repr(s)


OLD_MOJIBAKE_HINT = re.compile(r"[ÂÃÄÅÆ][\x80-\xbf\u0152-\u2122]|á[º»]|Ã|Æ")


def test_the_rewritten_mojibake_hint_finds_exactly_what_the_original_found() -> None:
    extra = [MOJIBAKE[i : i + 3] for i in range(len(MOJIBAKE) - 2)]
    for s in [*HOSTILE, *extra, *_fuzz(20_000, seed=11), "Â\x80", "Å™", "á»", "áº", "Ä‘", "Ã"]:
        assert (T._MOJIBAKE_HINT.search(s) is None) == (OLD_MOJIBAKE_HINT.search(s) is None), repr(s)


def test_the_substring_prefilter_passes_everything_the_mojibake_hint_finds() -> None:
    extra = [MOJIBAKE[i : i + 3] for i in range(len(MOJIBAKE) - 2)]
    found = 0
    for s in [*HOSTILE, *extra, *_fuzz(20_000, seed=12), "Â\x80", "Å™", "á»", "áº", "Ä‘", "Ã", "Æ"]:
        if T._MOJIBAKE_HINT.search(s):
            found += 1
            assert T._may_be_mojibake(s), repr(s)
    assert found > 1000, "the corpus must hold many hint matches for this to mean anything"
    assert not T._may_be_mojibake("Hoà Bình, thuỷ lợi: á à ả ã ạ Ă ắ")


def test_mojibake_is_still_repaired_and_double_encoding_too() -> None:
    assert T.repair_encoding(MOJIBAKE) == (VI, "mojibake_repaired")
    assert T.clean_text(T.repair_encoding(HOSTILE[10])[0]) == T.clean_text(VI)


C1 = re.compile("[\x80-\x9f]")


def _mojibake_fuzz(n: int, seed: int) -> list[str]:
    """Vietnamese-ish text encoded once to three times the ways mojibake is made, some of it
    damaged after: the bytes ftfy treats specially (0xA0, 0xC0, 0xED, lost bytes) included."""
    alphabet = [
        *"aeiou hnt.,-1?Đđ",
        *"àáảãạăắặâấậèéẻẽẹêếệìíỉĩịòóỏõọôốộơớợùúủũụưứựỳýỷỹỵ",
        *"ÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝ",
        "\u00a0",
        "€",
        "“",
        "”",
        "’",
        "–",
        "\ufffd",
        "\x1a",
        "👍",
        "Кие",
        "\x80",
    ]
    rnd = random.Random(seed)
    out = []
    while len(out) < n:
        s = "".join(rnd.choices(alphabet, k=rnd.randint(1, 40)))
        try:
            for _ in range(rnd.randint(1, 3)):
                s = s.encode("utf-8").decode(rnd.choice(["sloppy-windows-1252", "latin-1"]))
        except UnicodeError:
            continue
        if rnd.random() < 0.2:
            i = rnd.randrange(len(s))
            s = s[:i] + rnd.choice([" ", "?", "\ufffd", "Ã", "x", ""]) + s[i + 1 :]
        out.append(s)
    return out


def test_the_double_encoding_shortcut_repairs_as_ftfy_does() -> None:
    """ftfy's answer, except where ftfy would go on repairing text that no longer carries a
    mojibake hint or a C1 control: there the shortcut stops, as repair_encoding would not let
    such text into ftfy at all (what is left is punctuation or Cyrillic mojibake, or ftfy's
    guesses: "í€€" → "퀀")."""
    strings = [*HOSTILE, *_mojibake_fuzz(30_000, seed=3), "Ã\xa0 lÃ\xa0m", "Ã€ Ã\x81 Ä‘Ã\xadÂ\x8d"]
    shortcut = stopped = 0
    for s in strings:
        fixed, how = T.repair_encoding(s)
        careful, careful_how = careful_repair(s)
        quick = T._undo_double_utf8(s) if T._has_mojibake_hint(s) and ftfy.badness.is_bad(s) else None
        if quick is not None:
            shortcut += 1
            if ftfy.fix_encoding(quick) != quick and not T._has_mojibake_hint(quick) and not C1.search(quick):
                stopped += 1  # the one documented difference
                assert (fixed, how) == (quick, "mojibake_repaired"), repr(s)
                continue
        assert (fixed, how) == (careful, careful_how), repr(s)
    assert shortcut > 5_000, "the fuzz must take the shortcut often"
    assert stopped < shortcut // 100, f"{stopped} of {shortcut}: the difference must stay rare"


def test_the_double_encoding_shortcut_leaves_ftfys_special_bytes_to_ftfy() -> None:
    vi = "Tuyệt vời Hà Nội".encode()
    special = {
        "CESU-8 (0xED)": vi + "\ud83d\udc4d".encode("utf-8", "surrogatepass"),
        "Java's NUL (0xC0)": vi + b"\xc0\x80",
        "a lost byte (0x1A)": vi + "\ufffd".encode("sloppy-windows-1252"),
    }
    for name, data in special.items():
        s = data.decode("sloppy-windows-1252")
        assert T._undo_double_utf8(s) is None, name
        assert T.repair_encoding(s) == (ftfy.fix_encoding(s), "mojibake_repaired"), name
    cesu = special["CESU-8 (0xED)"].decode("sloppy-windows-1252")
    assert T.repair_encoding(cesu)[0] == "Tuyệt vời Hà Nội👍"
    assert T._undo_double_utf8("Tuyá»‡t") == "Tuyệt"
    assert T._undo_double_utf8("Tuyá»") is None  # a cut sequence: not valid UTF-8


def test_folding_equals_the_careful_folding_for_every_character_and_on_fuzz() -> None:
    for cp in range(sys.maxunicode + 1):
        if not 0xD800 <= cp <= 0xDFFF:
            c = chr(cp)
            assert T.fold_diacritics(c) == fold_diacritics_careful(c), f"U+{cp:04X}"
            assert T.fold_diacritics("Đa" + c + "\u0301ư") == fold_diacritics_careful("Đa" + c + "\u0301ư")
    for s in [*HOSTILE, *_fuzz(20_000, seed=5), "ĐƯỜNG đẹp ø ß ǅ Å ﬁ"]:
        assert T.fold_diacritics(s) == fold_diacritics_careful(s), repr(s)
        assert T.fold_diacritics(s.lower()) == fold_diacritics_careful(s.lower()), repr(s)


def _careful_language(s: str) -> str:
    if s and s.strip() and len(T._VI_LETTERS.findall(s)) >= 2:
        return "vi"
    return T.detect_language(s)


@pytest.mark.parametrize("s", [*HOSTILE, "ă", "ăâ", "a ă", "the cat and the dog", "x"])
def test_language_detection_with_an_early_stop_agrees_with_counting_every_letter(s: str) -> None:
    assert T.detect_language(s) == _careful_language(s)


URLS = [
    "https://bench.vn/1.html?utm_source=zalo&fbclid=x1",
    "https://bao.vn/a/b.html?id=3&b=2&utm_medium=x#top",
    "https://bao.vn/a?",
    "https://bao.vn?x=1",
    "https://bao.vn/a?%75tm_source=x&a=%20",
    "https://bao.vn/a?b=1?c=2&__cft__[0]=AZ",
    "https://facebook.com/p/1?__tn__=R&x=1",
    "https://m.youtube.com/watch?v=abc&si=zz",
    "https://youtu.be/abc123?si=zz",
    "https://youtu.be/?si=zz",
    "http://bao.vn//x?b=2&a=1",
    "https://bao.vn/tin-tức?x=1",
    "https://bao.vn/x?q=tin tức",
    "HTTPS://Bao.VN/x?b=1",
    "https://bao.vn:443/x?b=1",
    "https://u:p@bao.vn/x?b=1",
    "https://xn--bo-mia.vn/x?b=1&&a=2",
    "https://bao.vn/x?a=1#frag?x",
    "  https://bao.vn/x?a=1  ",
    "https://.vn/x?a=1",
]


@pytest.mark.parametrize("url", URLS)
def test_fast_url_canonicalisation_equals_urlsplit(url: str) -> None:
    assert canonical_url(url) == _canonical_url_careful(url.strip())


def test_a_youtu_be_link_without_a_query_is_rewritten_too() -> None:
    # The already-canonical shortcut used to return these unchanged (one video, two URLs).
    assert canonical_url("https://youtu.be/abc123") == "https://www.youtube.com/watch?v=abc123"
    assert canonical_url("https://youtu.be/abc123?si=zz") == "https://www.youtube.com/watch?v=abc123"


def test_fast_url_canonicalisation_equals_urlsplit_on_fuzz() -> None:
    rnd = random.Random(3)
    pieces = ["a", "Z", "9", "/", "?", "&", "=", "#", "%20", "%", ".", "-", "_", "~", ":", "@", "!", "$"]
    pieces += ["utm_x", "fbclid", "si", "'", "(", "*", "+", ",", ";", "[", "]", " ", "ư", "\t"]
    for _ in range(20_000):
        host = rnd.choice(["bao.vn", "facebook.com", "youtu.be", "m.youtube.com", "a-b.c.vn", "x.y"])
        tail = "".join(rnd.choices(pieces, k=rnd.randint(0, 12)))
        url = f"{rnd.choice(['http', 'https'])}://{host}{tail}"
        assert canonical_url(url) == _canonical_url_careful(url.strip()), url


def _raw(i: int, **kw: object) -> RawItem:
    base: dict[str, object] = {
        "source_id": "rss-x",
        "platform": "rss",
        "item_id": f"https://x.vn/{i}.html",
        "url": f"https://x.vn/{i}.html?utm_source=fb",
        "title": f"Tin {i} Hoà Bình",
        "text": HOSTILE[i % len(HOSTILE)],
        "published": "Fri, 20 Nov 2026 08:00:00 +0700",
        "likes": i,
        "landing_ref": f"f.jsonl.gz#{i}",
    }
    base.update(kw)
    return RawItem(**base)  # type: ignore[arg-type]


def _hostile_items() -> list[RawItem]:
    items = [_raw(i) for i in range(len(HOSTILE))]
    items += [
        _raw(100, is_html=True, text="<p>Hoà</p><script>x()</script><br>thuỷ &amp; <b>khoẻ</b>"),
        _raw(101, item_id=None),
        _raw(102, item_id="  "),
        _raw(103, shares=-1),
        _raw(104, likes="1.234"),
        _raw(105, likes="nhiều"),
        _raw(106, published="hôm qua"),
        _raw(107, published="2031-01-01T00:00:00Z"),
        _raw(108, url="javascript:alert(1)"),
        _raw(109, title=None, text=None),
        _raw(110, text="UBND tØnh S¬n Hµ tæ chøc héi nghÞ"),  # TCVN3: quarantined
        _raw(111, problem="feed entry 3 could not be read"),
        _raw(112, published="1700000000", updated="20/11/2026 08:00", author="  Hoà\u200b  "),
        _raw(3, text="an edited copy of post 3 Hoà", updated="2026-11-21T00:00:00+07:00"),
    ]
    return items


@pytest.mark.parametrize("source", [SOURCE, FB], ids=["rss", "facebook-with-since"])
def test_the_columnar_batch_equals_normalize_item_on_hostile_items(source: Source) -> None:
    items = _hostile_items()
    batch = normalize_batch(source, items, NOW)
    singles = [normalize_item(raw, source, NOW) for raw in items]
    rows = [s for s in singles if not isinstance(s, Rejected)]
    assert batch.rejected == [s for s in singles if isinstance(s, Rejected)]
    assert len(batch.rejected) >= 9 and batch.num_rows == len(rows) >= 15
    assert list(batch.columns) == list(POST_COLUMNS)
    as_rows = zip(*batch.columns.values(), strict=True)
    assert [dict(zip(POST_COLUMNS, r, strict=True)) for r in as_rows] == rows
    assert columns_to_arrow(batch.columns, batch.num_rows).equals(rows_to_arrow(rows))


def test_an_empty_batch_makes_an_empty_arrow_table() -> None:
    batch = normalize_batch(SOURCE, [], NOW)
    assert batch.num_rows == 0 and batch.rejected == []
    assert columns_to_arrow(batch.columns, 0).num_rows == 0


def test_batches_loaded_together_keep_arrival_order_in_seq() -> None:
    a = columns_to_arrow(normalize_batch(SOURCE, [_raw(1), _raw(2)], NOW).columns)
    b = columns_to_arrow(normalize_batch(SOURCE, [_raw(1, text="edited")], NOW).columns)
    both = concat_batches([a, b])
    assert both["seq"].to_pylist() == [0, 1, 2]
    assert both["text"].to_pylist()[2] == "edited"


def test_normalize_rows_equals_normalize_item_one_by_one() -> None:
    items = _hostile_items()
    rows, rejected = normalize_rows(FB, items, NOW)
    singles = [normalize_item(raw, FB, NOW) for raw in items]
    assert rows == [s for s in singles if not isinstance(s, Rejected)]
    assert rejected == [s for s in singles if isinstance(s, Rejected)]


HTML = [
    "<p>Hoà</p><script>x()</script><br>thuỷ &amp; <b>khoẻ</b>",
    "<P>Hoà</P><SCRIPT>x()</SCRIPT><BR/>thuỷ",
    "chỉ có chữ &amp; không thẻ",
    "dòng 1</br>dòng 2</p>dòng 3",  # </br> is a <br>, a stray </p> an empty <p>
    "<table><td>ô 1</td><td>ô 2</td></table>sau bảng",  # the cell implies a <tr>
    "<style>p{}</style><noscript>bật JS</noscript><template><p>ẩn</p></template><iframe>x</iframe>hiện",
    "<svg><p>thoát svg</p></svg><math><br></math>",
    "<!-- <script>bình luận</script> --><div>khối</div><li>mục</li><h3>tiêu đề</h3>",
    "<scr\x00ipt>không phải script</scr\x00ipt><b>đậm</b>",
    "<section><article><blockquote>trích</blockquote></article></section>",
    "<p>Hoà\u200b Bình</p>\r\n\r\n\r\n<p>  Thuỷ  </p>",
    ("<p>Hoà Bình thuỷ lợi <b>khoẻ</b> 👍</p>" * 3000)[:100_000],
]


@pytest.mark.parametrize("html", HTML, ids=range(len(HTML)))
def test_html_to_text_skipping_queries_equals_running_them_all(html: str) -> None:
    assert T.html_to_text(html) == T.html_to_text_careful(html)


def test_html_to_text_skipping_queries_equals_running_them_all_on_fuzz() -> None:
    rnd = random.Random(5)
    tags = ["p", "br", "script", "div", "td", "tr", "li", "b", "style", "h2", "table", "P", "Br", "SCRIPT"]
    for _ in range(3_000):
        parts = []
        for _ in range(rnd.randint(1, 8)):
            tag = rnd.choice(tags)
            parts.append(rnd.choice([f"<{tag}>", f"</{tag}>", f"<{tag}/>", "hoà ", "thuỷ\n", "&amp;", " "]))
        html = "".join(parts)
        assert T.html_to_text(html) == T.html_to_text_careful(html), html


TCVN3 = "UBND tØnh S¬n Hµ tæ chøc héi nghÞ tæng kÕt"
VNI = "UÛy ban nhaân daân tænh Sôn Haø toå chöùc hoäi nghò"


def _careful_legacy(s: str) -> str | None:
    """_legacy_encoding with its counts taken one character at a time, as first written."""
    if T._UNICODE_ONLY.search(s):
        return None
    non_ascii = T._NON_ASCII.findall(s)
    if len(non_ascii) < 4:
        return None
    if len(T._VNI_PAIR.findall(s)) >= 3:
        return "vni"
    symbols = sum(c in T._TCVN3_SYMBOLS for c in non_ascii)
    marks = sum(c in T._TCVN3_MARKS for c in non_ascii)
    if not T._VI_LETTERS.search(s) and symbols >= 2 and marks / len(non_ascii) > 0.6:
        return "tcvn3"
    return None


def test_legacy_encoding_counts_taken_by_regex_equal_counting_each_character() -> None:
    samples = [*HOSTILE, TCVN3, VNI, TCVN3[:12], "café crème brûlée", "Ä Ö Ü ß ­­ ¸µ"]
    samples += _fuzz(5_000, seed=13)
    rnd = random.Random(9)
    marks = sorted(T._TCVN3_MARKS)
    samples += [
        "".join(rnd.choices([*marks, "a", " ", "é", "ô"], k=rnd.randint(1, 30))) for _ in range(5_000)
    ]
    assert T._legacy_encoding(TCVN3) == "tcvn3" and T._legacy_encoding(VNI) == "vni"
    for s in samples:
        assert T._legacy_encoding(s) == _careful_legacy(s), repr(s)


@pytest.mark.parametrize(
    "parts", [("Tiêu đề", "Nội dung"), (None, "x"), ("", ""), ("a\x1fb", None, "c"), (), (HOSTILE[-1],)]
)
def test_content_hash_in_one_call_equals_one_update_per_part(parts: tuple[str | None, ...]) -> None:
    h = hashlib.blake2b(digest_size=16)
    for p in parts:
        h.update((p or "").encode("utf-8"))
        h.update(b"\x1f")
    assert T.content_hash(*parts) == h.hexdigest()


def test_a_timestamp_column_of_one_object_converts_as_each_value_would() -> None:
    import pyarrow as pa

    from postwatch.warehouse.load import BATCH_SCHEMA

    fetched = datetime(2026, 11, 24, 3, 0, tzinfo=UTC)
    equal_not_same = [fetched, datetime(2026, 11, 24, 3, 0, tzinfo=UTC), fetched]
    table = columns_to_arrow(
        {"fetched_at": [fetched] * 3, "updated_at": [None] * 3, "published_at": equal_not_same}, 3
    )
    for name, values in [
        ("fetched_at", [fetched] * 3),
        ("updated_at", [None] * 3),
        ("published_at", equal_not_same),
    ]:
        expected = pa.array(values, BATCH_SCHEMA.field(name).type)
        assert table[name].combine_chunks().equals(expected), name
