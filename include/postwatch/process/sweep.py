"""Ad-hoc keyword sweep during an incident: one query over a date range → CSV and a table.

The data officer types a query in the keyword_sweep form; ``validate_query`` refuses a syntax
error before anything runs (naming the column and what was expected), ``sweep`` then matches
the current posts of the range chunk by chunk with the rule engine, writes every matching post
to ``var/sweeps/<sweep_id>.csv`` (UTF-8 with BOM, so Excel shows Vietnamese correctly) and to
the ``sweep_results`` table.
"""

from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from postwatch.process.run import CHUNK, posts_in_range
from postwatch.rules.compile import RuleInfo, RuleSet
from postwatch.rules.match import Matcher
from postwatch.rules.parse import RuleSyntaxError
from postwatch.settings import Settings, get_settings
from postwatch.warehouse.db import writer
from postwatch.warehouse.sqlfiles import sql

SWEEP_RULE = "sweep"
CSV_COLUMNS = ("local_date", "platform", "source_id", "unit_id", "kind", "post_id", "url", "title", "matched")
_SAFE = re.compile(r"[^A-Za-z0-9_.-]+")
SWEEP_SCHEMA = pa.schema(
    [
        ("sweep_id", pa.string()),
        ("query", pa.string()),
        ("date_from", pa.date32()),
        ("date_to", pa.date32()),
        ("platform", pa.string()),
        ("post_id", pa.string()),
        ("version", pa.int32()),
        ("local_date", pa.date32()),
        ("source_id", pa.string()),
        ("unit_id", pa.string()),
        ("kind", pa.string()),
        ("url", pa.string()),
        ("title", pa.string()),
        ("spans", pa.string()),
        ("swept_at", pa.timestamp("us", tz="UTC")),
    ]
)


class SweepQueryError(ValueError):
    """The sweep query does not parse; the message names the column and what was expected."""


def validate_query(query: str) -> RuleSet:
    """Compile the query or raise SweepQueryError with a message an officer can act on."""
    if not query or not query.strip():
        raise SweepQueryError('the query is empty: type the words to look for, e.g. "cháy" AND chợ')
    try:
        return RuleSet([(RuleInfo(SWEEP_RULE), query)])
    except RuleSyntaxError as exc:
        found = f", found {exc.found}" if exc.found else ""
        raise SweepQueryError(
            f"query syntax error at column {exc.column}: expected {exc.expected}{found}\n"
            f"  {query}\n  {' ' * (exc.column - 1)}^"
        ) from exc


@dataclass
class SweepReport:
    sweep_id: str
    matched: int
    scanned: int
    csv_path: str


def safe_sweep_id(value: str) -> str:
    return _SAFE.sub("_", value).strip("_") or "sweep"


def sweep(
    query: str,
    date_from: date,
    date_to: date,
    sweep_id: str,
    settings: Settings | None = None,
    chunk: int = CHUNK,
) -> SweepReport:
    """Match ``query`` over the current posts of the range; CSV under var/sweeps and sweep_results."""
    settings = settings or get_settings()
    matcher = Matcher(validate_query(query))
    sweep_id = safe_sweep_id(sweep_id)
    now = datetime.now(UTC)
    rows: list[dict[str, Any]] = []
    scanned = 0
    reader = posts_in_range(date_from, date_to, settings, chunk)
    posts = reader(None)
    while posts:
        scanned += len(posts)
        by_key = {(p["platform"], p["post_id"]): p for p in posts}
        for hit in matcher.match_batch(posts):
            p = by_key[hit.post_key]
            spans = [[s.field, s.start, s.end, s.text] for s in hit.spans]
            rows.append(
                {
                    "sweep_id": sweep_id,
                    "query": query,
                    "date_from": date_from,
                    "date_to": date_to,
                    **{k: p.get(k) for k in ("platform", "post_id", "version", "local_date", "source_id")},
                    **{k: p.get(k) for k in ("unit_id", "kind", "url", "title")},
                    "spans": json.dumps(spans, ensure_ascii=False),
                    "swept_at": now,
                }
            )
        posts = reader(posts)
    out = settings.home / "sweeps" / f"{sweep_id}.csv"
    _write_csv(out, rows)
    table = pa.table({n: [r[n] for r in rows] for n in SWEEP_SCHEMA.names}, schema=SWEEP_SCHEMA)

    def tx(con: duckdb.DuckDBPyConnection) -> None:
        con.execute(sql("sweep_delete_results"), {"sweep_id": sweep_id})
        if table.num_rows:
            con.register("sweep_in", table)
            con.execute(sql("sweep_insert_results"))
            con.unregister("sweep_in")

    writer(tx, settings)
    return SweepReport(sweep_id, len(rows), scanned, str(out))


def _write_csv(path: Path, rows: list[dict[str, Any]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".csv.tmp")
    with tmp.open("w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f)
        w.writerow(CSV_COLUMNS)
        for r in rows:
            matched = " | ".join(dict.fromkeys(s[3] for s in json.loads(r["spans"])))
            w.writerow([r["local_date"], *(r[k] for k in CSV_COLUMNS[1:-1]), matched])
    tmp.replace(path)
