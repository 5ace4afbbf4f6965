"""Great Expectations validation time for one large normalized batch.

Builds a deterministic synthetic batch (the load's Arrow schema, ~300-character Vietnamese texts,
a few sources and units from the shipped registry), warms GX up on a small batch (import and
context are paid once per process), then times ``validate_posts`` on the whole batch: frame
building, the normalized_posts suite (22 expectations) and mapping failures back to rows.
Run: ``.venv/bin/python bench/quality.py 1000000``.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

from postwatch.quality.validate import validate_posts
from postwatch.registry import load_registry
from postwatch.settings import Settings
from postwatch.warehouse.load import BATCH_SCHEMA

_WORDS = (
    "tỉnh Sơn Hà ủy ban nhân dân thông báo người dân xã phường sở y tế công an kế hoạch hội nghị "
    "triển khai chương trình nông thôn mới đường giao thông trường học bệnh viện mưa lớn sạt lở "
    "hỗ trợ kinh phí dự án đầu tư văn hóa thể thao du lịch lễ hội tài nguyên môi trường"
).split()


def make_batch(n_rows: int, seed: int = 7) -> pa.Table:
    """A clean normalized batch: unique keys, plausible times, non-negative counts, http URLs."""
    rng = np.random.default_rng(seed)
    registry = load_registry()
    sources = [s for s in registry.sources if not s.since]
    src_idx = rng.integers(0, len(sources), n_rows)
    pool = [" ".join(rng.choice(_WORDS, 70)) for _ in range(2000)]
    base = np.datetime64("2026-11-09T00:00:00", "us")
    published = base + rng.integers(0, 14 * 86400, n_rows).astype("timedelta64[s]")
    fetched = published + rng.integers(60, 86400, n_rows).astype("timedelta64[s]")
    ts = pa.timestamp("us", tz="UTC")

    def counts(null_share: float) -> pa.Array:
        values = rng.integers(0, 5000, n_rows)
        return pa.array(values, pa.int64(), mask=rng.random(n_rows) < null_share)

    cols: dict[str, Any] = {
        "seq": pa.array(np.arange(n_rows), pa.int64()),
        "platform": pa.array([sources[i].platform.value for i in src_idx]),
        "post_id": pa.array([f"p{i:08d}" for i in range(n_rows)]),
        "source_id": pa.array([sources[i].id for i in src_idx]),
        "unit_id": pa.array([sources[i].unit for i in src_idx], pa.string()),
        "kind": pa.array([sources[i].kind.value for i in src_idx]),
        "url": pa.array([f"https://baosonha.vn/tin-tuc/{i}.html" for i in range(n_rows)]),
        "title": pa.array([pool[i % 2000][:80] for i in range(n_rows)]),
        "text": pa.array([pool[(i * 7) % 2000] for i in range(n_rows)]),
        "author": pa.nulls(n_rows, pa.string()),
        "author_id": pa.nulls(n_rows, pa.string()),
        "published_at": pa.array(published, ts),
        "updated_at": pa.nulls(n_rows, ts),
        "local_date": pa.array(published.astype("datetime64[D]"), pa.date32()),
        "lang": pa.array(rng.choice(["vi", "vi", "vi", "en", "und"], n_rows)),
        "likes": counts(0.1),
        "comments": counts(0.1),
        "shares": counts(0.3),
        "views": counts(0.7),
        "content_hash": pa.array([f"h{i}" for i in range(n_rows)]),
        "story_key": pa.array([f"k{i % 50000}" for i in range(n_rows)]),
        "encoding_fix": pa.nulls(n_rows, pa.string()),
        "title_original": pa.nulls(n_rows, pa.string()),
        "text_original": pa.nulls(n_rows, pa.string()),
        "fetched_at": pa.array(fetched, ts),
        "landing_ref": pa.array([f"bench#{i // 100}" for i in range(n_rows)]),
    }
    return pa.table(cols, schema=BATCH_SCHEMA)


def run(n_rows: int = 1_000_000, seed: int = 7) -> dict[str, Any]:
    """Time validating one batch of ``n_rows`` normalized posts (GX already imported)."""
    registry = load_registry()
    batch = make_batch(n_rows, seed)
    with tempfile.TemporaryDirectory(prefix="pw-bench-gx-") as home:
        settings = Settings(home=Path(home))
        t = time.perf_counter()
        validate_posts(make_batch(1000, seed + 1), registry, run_id="bench-warmup", settings=settings)
        warmup = time.perf_counter() - t
        t = time.perf_counter()
        out = validate_posts(batch, registry, run_id="bench", settings=settings)
        seconds = time.perf_counter() - t
    assert out.run is not None and not out.rejected, "the synthetic batch is clean"
    return {
        "rows": n_rows,
        "seconds": round(seconds, 2),
        "rows_per_s": int(n_rows / seconds),
        "expectations": len({(r.expectation, r.column_name) for r in out.run.results}),
        "results_per_source": len(out.run.results),
        "first_call_seconds": round(warmup, 2),
        "engine": "Great Expectations pandas datasource on the new batch only",
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    print(json.dumps(run(n), indent=2, default=str))
