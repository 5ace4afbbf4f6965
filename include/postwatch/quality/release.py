"""Release a quarantined record after a fix (parser, normalizer, registry): it is re-run through
the raw-item checks, normalization and the normalized-posts suite; only when it now passes is it
loaded, and its quarantine row (and any other open row for the same record) marked released.
A record quarantined at the parse stage is re-parsed from its landing payload first.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from postwatch.collect.base import RawItem
from postwatch.collect.landing import read_file
from postwatch.quality.validate import record_runs
from postwatch.registry import load_registry
from postwatch.settings import Settings, get_settings
from postwatch.warehouse.db import read_query, writer
from postwatch.warehouse.load import LoadCounts, RunRecord, load_arrow, rejected_to_arrow
from postwatch.warehouse.sqlfiles import sql


class ReleaseError(ValueError):
    """The release cannot even be tried (unknown id, already released, source gone)."""


@dataclass
class ReleaseResult:
    quarantine_id: str
    released: bool
    reasons: list[str] = field(default_factory=list)  # why it still fails, when it does
    counts: LoadCounts | None = None


def _row(quarantine_id: str, settings: Settings) -> dict[str, Any]:
    cols, rows = read_query(sql("quarantine_get"), {"quarantine_id": quarantine_id}, settings)
    if not rows:
        raise ReleaseError(f"no quarantined record {quarantine_id!r} (see `postwatch quarantine list`)")
    return dict(zip(cols, rows[0], strict=True))


def raw_item_from_record(record: str) -> RawItem:
    """The raw item a quarantine row keeps as JSON (normalize_item and validate write this format)."""
    d = json.loads(record)
    if isinstance(d.get("fetched_at"), str):
        d["fetched_at"] = datetime.fromisoformat(d["fetched_at"])
    known = RawItem.__dataclass_fields__
    return RawItem(**{k: v for k, v in d.items() if k in known})


def _reparse(row: dict[str, Any], source: Any) -> list[RawItem]:
    """Parse-stage rejects: parse the landing payload again with today's parser."""
    from postwatch.pipeline.collect import parse_payloads

    ref = row["landing_ref"] or ""
    path, _, n = ref.rpartition("#")
    if not path or not Path(path).exists():
        raise ReleaseError(
            f"the landing payload {ref!r} of this record is no longer there; cannot re-parse it"
        )
    payloads = [p for p in read_file(Path(path)) if p.ref == ref]
    if not payloads:
        raise ReleaseError(f"payload #{n} is not in {path}")
    items = list(parse_payloads(source, payloads))
    if row["item_id"] is not None:
        items = [it for it in items if it.item_id == row["item_id"]]
    return items


def release(
    quarantine_id: str, *, settings: Settings | None = None, now: datetime | None = None
) -> ReleaseResult:
    """Re-check a quarantined record and load it when it passes."""
    from postwatch.pipeline.collect import check_items

    settings = settings or get_settings()
    row = _row(quarantine_id, settings)
    if row["status"] != "open":
        raise ReleaseError(f"{quarantine_id} was already released at {row['released_at']}")
    registry = load_registry(settings=settings)
    try:
        source = registry.source(row["source_id"])
    except KeyError:
        raise ReleaseError(
            f"source {row['source_id']!r} is not in the registry: add it to sources.yaml, then release again"
        ) from None
    items = _reparse(row, source) if row["stage"] == "parse" else [raw_item_from_record(row["record"])]
    if not items:
        return ReleaseResult(quarantine_id, False, ["the payload no longer yields this record"])
    run_id = f"release_{quarantine_id[:12]}"
    checked = check_items(source, items, run_id, settings, now, registry=registry, trigger="release")
    record_runs(checked.runs, settings)
    if checked.rejected:
        return ReleaseResult(quarantine_id, False, [f"{r.expectation}: {r.reason}" for r in checked.rejected])
    run = RunRecord(run_id, source.id, status="release", message=f"released from quarantine {quarantine_id}")
    counts = load_arrow(checked.good, rejected_to_arrow([], run_id), run, settings)
    at = now or datetime.now(UTC)
    writer(
        lambda con: con.execute(
            sql("quarantine_release"),
            {
                "source_id": row["source_id"],
                "record_hash": row["record_hash"],
                "quarantine_id": quarantine_id,
                "now": at,
            },
        ),
        settings,
    )
    return ReleaseResult(quarantine_id, True, [], counts)
