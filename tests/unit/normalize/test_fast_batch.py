"""normalize_batch, with all its shortcuts, equals the shortcut-free reference kept in tests.

The items are bench/ingest.py's synthetic posts (HTML, NFD, old tone placement, zero-width and
bidi marks, double-encoded UTF-8, tracking URLs, duplicates, bad ids and counts) and hostile
ones; the HTML shortcut is held to the parser on generated and mutated HTML.
"""

from __future__ import annotations

import random
import sys
import unicodedata
from datetime import timedelta
from typing import Any

import pytest

from postwatch.collect.base import RawItem
from postwatch.normalize import text as T
from postwatch.normalize.posts import POST_COLUMNS, normalize_batch, story_key
from postwatch.normalize.rejected import Rejected
from postwatch.registry import Source
from tests.bench_modules import bench_module
from tests.unit.normalize.common import FB, NOW, SOURCE
from tests.unit.normalize.reference import careful_story_key, reference_normalize
from tests.unit.normalize.test_fast_paths import HOSTILE, _hostile_items, _raw


def _as_rows(batch: Any) -> list[dict[str, Any]]:
    return [dict(zip(POST_COLUMNS, r, strict=True)) for r in zip(*batch.columns.values(), strict=True)]


def _assert_equals_reference(source: Source, items: list[RawItem]) -> None:
    batch = normalize_batch(source, items, NOW)
    expected = [reference_normalize(raw, source, NOW) for raw in items]
    rows = [e for e in expected if not isinstance(e, Rejected)]
    got = _as_rows(batch)
    assert len(got) == len(rows)
    for g, e in zip(got, rows, strict=True):
        # repr as well: equal datetimes may differ in zone, equal numbers in type
        assert g == e and repr(g) == repr(e), (g, e)
    assert batch.rejected == [e for e in expected if isinstance(e, Rejected)]


def test_the_batch_equals_the_reference_on_the_bench_posts() -> None:
    bench = bench_module("ingest")
    fetched = bench.NOW - timedelta(hours=1)
    records = bench.make_items(0, 6000, 7)
    items = [
        RawItem(source_id="bench-rss", platform="rss", fetched_at=fetched, landing_ref=f"l#{i}", **rec)
        for i, rec in enumerate(records)
    ]
    assert sum(it.is_html for it in items) > 800, "the bench mix must hold its HTML rows"
    batch = normalize_batch(bench.SOURCE, items, bench.NOW)
    expected = [reference_normalize(raw, bench.SOURCE, bench.NOW) for raw in items]
    rows = [e for e in expected if not isinstance(e, Rejected)]
    got = _as_rows(batch)
    assert got == rows and [repr(r) for r in got] == [repr(r) for r in rows]
    assert batch.rejected == [e for e in expected if isinstance(e, Rejected)]
    assert len(batch.rejected) >= 9


def _more_hostile_items() -> list[RawItem]:
    return [
        _raw(200, title="Hoà?", text="«Tin» “nóng”: hoà-giải, thuỷ... (khoẻ) [1] – hết!"),
        _raw(201, title="«Hoà giải» – “thuỷ lợi”: tỉnh (Sơn Hà)!", text="x"),
        _raw(202, title="Breaking: the news of the day", text="and this is not Vietnamese at all"),
        _raw(203, title="ă", text="ê ô và các người dân ở xã"),
        _raw(204, title="", text="Chỉ có nội dung. Hoà Bình"),
        _raw(205, published=1763600000, likes=True),
        _raw(206, published="1763600000123", likes=3.0, comments="1.234", shares="12", views=None),
        _raw(207, published="20/11/2026 lúc 23h30", likes=2.5),
        _raw(208, published="2026-11-20T17:30:00Z", url="https://youtu.be/abc?si=x"),
        _raw(209, published="2026-11-20T16:59:59+00:00", url="HTTPS://M.Facebook.com/p?b=2&a=1&fbclid=z"),
        _raw(
            210, is_html=True, text="<div><p>Hoà</p><p>thuỷ &amp; <a href='x?a=1&amp;b=2'>khoẻ</a></p></div>"
        ),
        _raw(211, is_html=True, text="<P>Hoa</P><!-- x --><ul><li>một<li>hai</ul>&copy 2026"),
        _raw(212, is_html=True, title="<b>Tiêu đề</b> &amp; hoà", text="&<b>amp;</b> <<script>x</script>b>"),
        _raw(213, author="\u202eHoà\u200b Bình  ", text="tác giả", updated="hôm qua"),
        _raw(214, text="hoà\u00a0thuỷ\u2028khoẻ\u00ad\r\nhoà\rthuỷ"),
    ]


@pytest.mark.parametrize("source", [SOURCE, FB], ids=["rss", "facebook-with-since"])
def test_the_batch_equals_the_reference_on_hostile_items(source: Source) -> None:
    _assert_equals_reference(source, [*_hostile_items(), *_more_hostile_items()])


# -- smaller shortcuts -----------------------------------------------------------------------


def test_stripping_invisible_characters_equals_the_translate_table_for_every_code_point() -> None:
    chars = [chr(cp) for cp in range(sys.maxunicode + 1) if not 0xD800 <= cp <= 0xDFFF]
    for c in chars:
        s = f"a{c}b{c}"
        assert T.strip_invisible(s) == s.translate(T._STRIP), f"U+{ord(c):04X}"
    rnd = random.Random(4)
    alphabet = [chr(c) for c in T._STRIP] + list("hoà \n")
    for _ in range(20_000):
        s = "".join(rnd.choices(alphabet, k=rnd.randint(1, 16)))
        assert T.strip_invisible(s) == s.translate(T._STRIP), repr(s)


@pytest.mark.parametrize("s", ["hoà👍thuỷ", "khoẻ\u00a0", "thuỷ\u00a0hoà", "hoà\u0302 thuỷ", "oà\u0323"])
def test_tone_placement_with_odd_characters_after_the_place(s: str) -> None:
    assert T.normalize_tone_marks(s) == T.normalize_tone_marks_careful(s)


def test_the_story_key_equals_the_one_that_strips_every_word() -> None:
    rnd = random.Random(8)
    alphabet = [*"hoà thuỷ Đường ABC ", *".,:;!?\"'()[]«»“”-–", "  ", "\u0301", "x"]
    titles = ["".join(rnd.choices(alphabet, k=rnd.randint(0, 40))) for _ in range(5_000)]
    for title in [*titles, *HOSTILE]:
        title = unicodedata.normalize("NFC", title)
        assert story_key(title, title * 3) == careful_story_key(title, title * 3), repr(title)
