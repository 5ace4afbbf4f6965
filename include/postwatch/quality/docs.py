"""Great Expectations Data Docs: the validation results of recent runs as a static site under
``var/gx/data_docs/`` (index.html), rebuilt from the result files every run wrote to
``var/gx/validations/``. Older results are pruned first so the site stays quick to build."""

from __future__ import annotations

import logging
import time
from datetime import timedelta
from pathlib import Path

from postwatch.quality import suites
from postwatch.quality.validate import gx_home, quality_context
from postwatch.registry import load_registry
from postwatch.settings import Settings, get_settings

log = logging.getLogger(__name__)

KEEP = timedelta(days=14)


def prune_results(settings: Settings | None = None, keep: timedelta = KEEP) -> int:
    """Delete validation result files older than ``keep``; returns how many went."""
    root = gx_home(settings) / "validations"
    if not root.exists():
        return 0
    cutoff = time.time() - keep.total_seconds()
    gone = 0
    for path in root.rglob("*.json"):
        if path.stat().st_mtime < cutoff:
            path.unlink()
            gone += 1
    for d in sorted((p for p in root.rglob("*") if p.is_dir()), key=lambda p: len(p.parts), reverse=True):
        if not any(d.iterdir()):
            d.rmdir()
    return gone


def build_docs(settings: Settings | None = None) -> Path:
    """Build the Data Docs site; returns the path of its index.html."""
    settings = settings or get_settings()
    prune_results(settings)
    ctx = quality_context(settings)
    registry = load_registry(settings=settings)
    # Suite pages come from the suites as code (the context keeps them only in memory).
    for suite in (
        suites.posts_suite([s.id for s in registry.sources], [u.id for u in registry.units]),
        suites.load_reconciliation_suite(),
        suites.landing_reconciliation_suite(),
        *(suites.raw_items_suite(p) for p in sorted({s.platform.value for s in registry.sources})),
    ):
        ctx.suites.add_or_update(suite)
    ctx.build_data_docs()
    index = gx_home(settings) / "data_docs" / "index.html"
    log.info("Data Docs: %s", index)
    return index
