"""Labelling a batch: every post gets what it would get alone, whatever else is in the batch."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from postwatch.process.labels import LABEL_PART, Analyzer

NOW = datetime(2026, 11, 22, 8, 0, tzinfo=UTC)


def _post(i: int, title: str | None, text: str, **extra: Any) -> dict[str, Any]:
    return {
        "platform": "facebook",
        "post_id": f"p{i}",
        "version": 1,
        "content_hash": f"h{i}",
        "title": title,
        "text": text,
        "kind": "personal",
        **extra,
    }


POSTS = [
    _post(1, "Tin vui", "UBND xã Tân Lập khen thưởng, người dân rất hài lòng 👍"),
    _post(2, None, "Dịch vụ ở phường Đông Thành KHÔNG"),
    _post(3, "", "tốt chút nào, ko thik :( quáaaa tệ"),
    _post(4, "Đồ biến", "thái, cháy nhà ở xã Hoà Bình tỉnh Sơn Hà", shares=5000),
    _post(5, "Ho\u0300a Bi\u0300nh", "đường ngập nặng, bức xúc!!!"),
    _post(6, None, ""),
]


@pytest.fixture(scope="module")
def analyzer() -> Analyzer:
    return Analyzer.load()


def test_a_batch_labels_each_post_as_if_it_were_labelled_alone(analyzer: Analyzer) -> None:
    together = analyzer.label(POSTS, now=NOW)
    alone = [analyzer.label([p], now=NOW) for p in POSTS]
    assert together.labels == [a.labels[0] for a in alone]
    assert together.hits == [h for a in alone for h in a.hits]


def test_a_batch_larger_than_a_part_gives_each_posts_rows_in_order_with_one_time(analyzer: Analyzer) -> None:
    many = [
        {**p, "post_id": f"{p['post_id']}-{k}"} for k in range(LABEL_PART // len(POSTS) + 2) for p in POSTS
    ]
    assert len(many) > LABEL_PART
    out = analyzer.label(iter(many), now=None)  # any iterable of posts; the time is taken once
    assert [r["post_id"] for r in out.labels] == [p["post_id"] for p in many]
    assert len({r["processed_at"] for r in out.labels} | {h["matched_at"] for h in out.hits}) == 1
    alone = analyzer.label(POSTS, now=NOW)
    for k in (0, LABEL_PART // len(POSTS) + 1):  # a copy in the first part and one in the last
        rows = out.labels[k * len(POSTS) : (k + 1) * len(POSTS)]
        strip = ("post_id", "processed_at")
        assert [{c: v for c, v in r.items() if c not in strip} for r in rows] == [
            {c: v for c, v in r.items() if c not in strip} for r in alone.labels
        ]
    assert len(out.hits) == len(alone.hits) * (LABEL_PART // len(POSTS) + 2)


def test_a_negation_closing_one_post_does_not_touch_the_next(analyzer: Analyzer) -> None:
    rows = analyzer.label(POSTS[1:3], now=NOW).labels
    assert rows[1]["tone"] == analyzer.label(POSTS[2:3], now=NOW).labels[0]["tone"]


def test_an_offensive_term_across_title_and_text_is_found_as_flags_read_them(analyzer: Analyzer) -> None:
    # Flags read "title text": "Đồ biến" + "thái, ..." holds "biến thái"; tone reads them apart.
    row = analyzer.label(POSTS, now=NOW).labels[3]
    assert row["offensive"] is True
    assert "biến thái" in row["offensive_terms"]


def test_a_custom_offensive_lexicon_is_still_asked_post_by_post(analyzer: Analyzer) -> None:
    asked: list[str] = []

    def lexicon(text: str) -> list[str]:
        asked.append(text)
        return ["nặng"] if "nặng" in text else []

    custom = Analyzer(analyzer.packs, analyzer.relevance, analyzer.tone_model, lexicon)
    rows = custom.label(POSTS, now=NOW).labels
    assert asked == [" ".join(str(p.get(f) or "") for f in ("title", "text")) for p in POSTS]
    assert [r["offensive_terms"] for r in rows][4] == ["nặng"]
