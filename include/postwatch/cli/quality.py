"""`postwatch quarantine` (list and release quarantined records) and `postwatch dq` (today's
data-quality summary, history re-validation, Data Docs): the functions the DAGs use."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

quarantine_app = typer.Typer(no_args_is_help=True, help="Records that could not be loaded, with the reason.")
dq_app = typer.Typer(no_args_is_help=True, help="Data quality: summary, re-validation, Data Docs.")
console = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)


def _table(cols: list[str], rows: list[tuple[Any, ...]], title: str | None = None) -> Table:
    t = Table(*cols, title=title, title_justify="left")
    for r in rows:
        t.add_row(*("" if v is None else str(v) for v in r))
    return t


@quarantine_app.command("list")
def quarantine_list(
    source: Annotated[str | None, typer.Option("--source", "-s", help="Only this source id")] = None,
    status: Annotated[str, typer.Option(help="open, released or all")] = "open",
    limit: Annotated[int, typer.Option(help="At most this many rows, newest first")] = 200,
) -> None:
    """Quarantined records with the check that failed and why."""
    from postwatch.warehouse.db import read_query
    from postwatch.warehouse.sqlfiles import sql

    if status not in ("open", "released", "all"):
        err.print(f"error: --status must be open, released or all, not {status!r}")
        raise typer.Exit(2)
    cols, rows = read_query(sql("quarantine_list"), {"source_id": source, "status": status, "limit": limit})
    # One block per record, never a table: ids must stay whole to be copied, reasons are long.
    for rec in (dict(zip(cols, r, strict=True)) for r in rows):
        head = Text(rec["quarantine_id"], style="bold")
        head.append(f"  {rec['source_id']}  {rec['stage']}  {rec['expectation'] or '-'}  {rec['status']}  ")
        head.append(f"{rec['quarantined_at']:%Y-%m-%d %H:%M %Z}")
        console.print(head)
        console.print(f"  item:   {rec['item_id']}")
        console.print(f"  reason: {rec['reason']}")
    console.print(f"({len(rows)} rows)")


@quarantine_app.command("release")
def quarantine_release(
    quarantine_id: Annotated[str, typer.Argument(help="The quarantine_id shown by `quarantine list`")],
) -> None:
    """Re-run a record through normalization and validation (after a fix); load it if it passes."""
    from postwatch.quality.release import ReleaseError, release

    try:
        result = release(quarantine_id)
    except ReleaseError as exc:
        err.print(Text("error ", style="red") + Text(str(exc)))
        raise typer.Exit(1) from exc
    if not result.released:
        err.print(Text(f"{quarantine_id} still fails; it stays in quarantine:", style="yellow"))
        for reason in result.reasons:
            err.print(f"  - {reason}")
        raise typer.Exit(1)
    c = result.counts
    loaded = f"{c.new} new, {c.changed} changed, {c.unchanged} unchanged" if c else "loaded"
    console.print(f"released {quarantine_id}: {loaded}")


@dq_app.command("summary")
def dq_summary() -> None:
    """Today's data quality: stale and broken sources, quarantined rows, failed checks."""
    from postwatch.warehouse.db import read_query

    cols, rows = read_query("select * from dq_summary_today")
    t = Table("", "", title="Data quality today", title_justify="left", show_header=False)
    for c, v in zip(cols, rows[0], strict=True):
        t.add_row(c, "" if v is None else str(v))
    console.print(t)
    cols, rows = read_query(
        "select source_id, stage, expectation, coalesce(item_id, '-') as item_id, reason "
        "from dq_quarantine_today order by source_id, expectation"
    )
    console.print(_table(cols, rows, "Quarantined today"))
    cols, rows = read_query(
        "select severity, expectation, source_id, observed_value, message from dq_failed_checks_today "
        "where severity in ('fail', 'warn') order by severity, expectation, source_id"
    )
    console.print(_table(cols, rows, "Failed checks today (warn / fail)"))
    cols, rows = read_query(
        "select source_id, last_status, last_success_at, staleness, incident, incident_since "
        "from dq_source_health where stale or incident is not null order by source_id"
    )
    console.print(_table(cols, rows, "Stale or broken sources"))


@dq_app.command("validate")
def dq_validate(
    start: Annotated[
        str | None, typer.Option(help="First local day, YYYY-MM-DD (default: 7 days ago)")
    ] = None,
    end: Annotated[str | None, typer.Option(help="Last local day, YYYY-MM-DD (default: today)")] = None,
    source: Annotated[list[str] | None, typer.Option("--source", "-s", help="Source id (repeatable)")] = None,
) -> None:
    """Re-validate stored posts and landing files of a date range; exit 1 on a failing check."""
    from postwatch.quality.history import revalidate

    today = datetime.now(UTC).date()
    first = date.fromisoformat(start) if start else today - timedelta(days=7)
    last = date.fromisoformat(end) if end else today
    run_id = "cli_dq_" + datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    try:
        report = revalidate(first, last, source or None, run_id=run_id)
    except ValueError as exc:
        err.print(Text("error ", style="red") + Text(str(exc)))
        raise typer.Exit(2) from exc
    rows = [
        (r["suite"], r["rows"], r["rows_failed"], "ok" if r["success"] else "; ".join(r["failed"]))
        for r in report.summary()["runs"]
    ]
    console.print(_table(["suite", "rows", "rows failed", "result"], rows, f"Re-validated {first} .. {last}"))
    if report.failures:
        for f in report.failures:
            err.print(Text("FAIL ", style="red") + Text(f))
        raise typer.Exit(1)


@dq_app.command("docs")
def dq_docs() -> None:
    """Build the Great Expectations Data Docs (var/gx/data_docs/index.html)."""
    from postwatch.quality.docs import build_docs

    console.print(f"Data Docs: {build_docs()}")
