"""Normalize + load throughput on synthetic posts, with the library's own functions.

Raw items are generated inside the worker processes (deterministic per chunk), so the
parent never holds a million records: peak memory is what the pipeline itself needs.
"""

from __future__ import annotations

import random
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime, timedelta
from typing import Any

import pyarrow as pa

from postwatch.collect.base import RawItem
from postwatch.normalize.text import clean_text
from postwatch.pipeline.collect import normalize_items
from postwatch.registry import Source
from postwatch.warehouse.load import RunRecord, load_arrow, rejected_to_arrow, rows_to_arrow
from postwatch.warehouse.migrate import migrate

T0 = datetime(2026, 11, 9, tzinfo=UTC)
SOURCE = Source.model_validate(
    {"id": "bench-rss", "name": "Bench", "platform": "rss", "kind": "press", "url": "https://bench.vn/rss"}
)
WORDS = (
    "tỉnh Sơn Hà xã Tân Lập Hòa Bình phường Đông Thành Thuỷ Nguyên người dân phản ánh chính quyền "
    "hỗ trợ kịp thời đường sá hư hỏng lũ lụt sạt lở cháy rừng tai nạn giao thông sốt xuất huyết "
    "tranh chấp đất đai khen thưởng thành tích xuất sắc tuyệt vời cảm ơn UBND công an y tế trường học "
    "khoẻ mạnh hoà giải tuỳ theo thủ tục hành chính chậm trễ bức xúc tin đồn thất thiệt"
).split()


def make_items(chunk: int, size: int, seed: int) -> list[RawItem]:
    """One chunk of deterministic raw items: Vietnamese text, HTML, NFD, tracking URLs, bad rows."""
    rnd = random.Random(seed * 1_000_003 + chunk)
    out = []
    for j in range(size):
        i = chunk * size + j
        title = " ".join(rnd.choices(WORDS, k=rnd.randint(6, 14)))
        text = " ".join(rnd.choices(WORDS, k=rnd.randint(20, 90)))
        if i % 7 == 0:
            text = f"<p>{text}</p><p>{title} &amp; <b>xem thêm</b></p>"
        published = T0 + timedelta(seconds=rnd.randint(0, 14 * 86400))
        item = RawItem(
            source_id=SOURCE.id,
            platform="rss",
            item_id=None if i % 997 == 0 else f"https://bench.vn/{i}.html",
            url=f"https://bench.vn/{i}.html?utm_source=zalo&fbclid=x{i}",
            title=title,
            text=text,
            is_html=i % 7 == 0,
            published=published.isoformat(),
            likes=rnd.randint(0, 500),
            comments=rnd.randint(0, 80),
            shares=-1 if i % 1999 == 0 else rnd.randint(0, 40),
            fetched_at=T0 + timedelta(days=14),
            landing_ref=f"bench#{i}",
        )
        out.append(item)
    return out


def _normalize_chunk(args: tuple[int, int, int]) -> tuple[pa.Table, pa.Table, int]:
    chunk, size, seed = args
    items = make_items(chunk, size, seed)
    rows, rejected = normalize_items(SOURCE, items, now=T0 + timedelta(days=15))
    return rows_to_arrow(rows), rejected_to_arrow(rejected, f"bench-{chunk}"), len(items)


def run(n_posts: int = 1_000_000, seed: int = 7, workers: int = 2, chunk: int = 50_000) -> dict[str, Any]:
    """Normalize in ``workers`` processes and load into a fresh warehouse, batch by batch."""
    import time

    migrate()
    clean_text("warm-up")
    chunks = [(c, min(chunk, n_posts - c * chunk), seed) for c in range((n_posts + chunk - 1) // chunk)]
    loaded = quarantined = fetched = 0
    normalize_s = load_s = 0.0
    started = time.perf_counter()
    with ProcessPoolExecutor(max_workers=workers) as pool:
        t = time.perf_counter()
        for i, (batch, bad, n) in enumerate(pool.map(_normalize_chunk, chunks)):
            normalize_s += time.perf_counter() - t
            t = time.perf_counter()
            counts = load_arrow(batch, bad, RunRecord(f"bench-{i}", SOURCE.id, state={}))
            load_s += time.perf_counter() - t
            loaded += counts.new + counts.changed
            quarantined += counts.quarantined
            fetched += n
            t = time.perf_counter()
    total = time.perf_counter() - started
    return {
        "posts": fetched,
        "loaded": loaded,
        "quarantined": quarantined,
        "workers": workers,
        "seconds": round(total, 2),
        "posts_per_s": round(fetched / total),
        "load_seconds": round(load_s, 2),
        "waiting_for_normalize_seconds": round(normalize_s, 2),
    }
