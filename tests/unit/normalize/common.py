"""Sources and the clock the normalization tests share."""

from __future__ import annotations

from datetime import UTC, datetime

from postwatch.registry import Source

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
SOURCE = Source.model_validate(
    {"id": "rss-x", "name": "Báo X", "platform": "rss", "kind": "press", "url": "https://x.vn/rss"}
)
FB = Source.model_validate(
    {"id": "fb-x", "name": "UBND", "unit": "sonha", "platform": "facebook", "kind": "official",
     "page_id": "1", "since": "2026-01-01"}
)  # fmt: skip
