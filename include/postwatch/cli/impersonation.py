"""`postwatch impersonation`: list suspects, record the officer's decisions, run a scan by hand."""

from __future__ import annotations

import getpass
import json
from datetime import date
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from postwatch.warehouse.sqlfiles import sql
from postwatch.yamlconf import ConfigError

app = typer.Typer(no_args_is_help=True, help="Impersonation suspects: list, confirm, dismiss, resolve, scan.")
console = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)

SuspectId = Annotated[
    str, typer.Argument(help="Suspect id from `postwatch impersonation list` (or a unique prefix)")
]
Note = Annotated[str | None, typer.Option("--note", "-n", help="Why (kept with the decision)")]
By = Annotated[str | None, typer.Option("--by", help="Who decides (default: the login name)")]


def signals_summary(evidence: str | None) -> str:
    """'name 1.00 · authority 1.00 · copies 3' from the evidence JSON, strongest first."""
    if not evidence:
        return ""
    try:
        signals = json.loads(evidence).get("signals", [])
    except (ValueError, AttributeError):
        return ""
    parts = []
    for s in sorted(signals, key=lambda s: -s.get("contribution", 0)):
        detail = s.get("detail")
        count = detail.get("count") if isinstance(detail, dict) else None
        parts.append(f"{s['signal']} {count}" if count else f"{s['signal']} {s['value']:.2f}")
    return " · ".join(parts)


@app.command("list")
def list_cmd(
    all_: Annotated[
        bool, typer.Option("--all", help="Every recorded page, not only those needing attention")
    ] = False,
) -> None:
    """Suspects needing attention (new and flagged, or confirmed and not resolved); --all for every page."""
    from postwatch.warehouse.db import read_query

    cols, rows = read_query(sql("impersonation_list_all" if all_ else "impersonation_list_open"))
    table = Table(title_justify="left")
    table.add_column("id", no_wrap=True)
    for name in ("status", "score", "platform", "name", "unit", "signals"):
        table.add_column(name)
    for r in rows:
        rec: dict[str, Any] = dict(zip(cols, r, strict=True))
        status = rec["status"] + ("" if rec["flagged"] or rec["status"] != "new" else " (below threshold)")
        table.add_row(
            rec["suspect_id"],
            status,
            f"{rec['score']:.2f}",
            rec["platform"],
            Text(rec["name"] or ""),
            rec["matched_unit_id"] or "",
            signals_summary(rec["evidence"]),
        )
    console.print(table)
    console.print(f"({len(rows)} rows)")


def _decide(suspect_id: str, decision: str, note: str | None, by: str | None) -> None:
    from postwatch.impersonation.decisions import DecisionError, decide

    try:
        result = decide(suspect_id, decision, by or getpass.getuser(), note)
    except DecisionError as exc:
        err.print(Text("error ", style="red") + Text(str(exc)))
        raise typer.Exit(1) from exc
    what = f"{result.suspect_id} ({result.name})"
    if result.changed:
        console.print(f"{what}: {result.previous} → {result.status} by {result.decided_by}")
    else:
        console.print(f"{what} is already {result.status}; nothing changed")


@app.command()
def confirm(suspect_id: SuspectId, note: Note = None, by: By = None) -> None:
    """Confirm a suspect as impersonation: it stays in the digest until resolved."""
    _decide(suspect_id, "confirm", note, by)


@app.command()
def dismiss(suspect_id: SuspectId, note: Note = None, by: By = None) -> None:
    """Dismiss a suspect: not impersonation.

    It comes back only if its score rises by the configured margin.
    """
    _decide(suspect_id, "dismiss", note, by)


@app.command()
def resolve(suspect_id: SuspectId, note: Note = None, by: By = None) -> None:
    """Mark confirmed impersonation as dealt with (reported, taken down)."""
    _decide(suspect_id, "resolve", note, by)


@app.command()
def scan(
    as_of: Annotated[
        str | None, typer.Option(help="Last local day of the window, YYYY-MM-DD (default: today)")
    ] = None,
) -> None:
    """Run a scan now (the impersonation_scan DAG does it daily at 06:30)."""
    from postwatch.impersonation.scan import run_scan
    from postwatch.pipeline.collect import prepare

    try:
        day = date.fromisoformat(as_of) if as_of else None
    except ValueError as exc:
        err.print(f"error: --as-of {as_of!r} is not a date YYYY-MM-DD")
        raise typer.Exit(2) from exc
    try:
        prepare()
        summary = run_scan(day)
    except ConfigError as exc:
        err.print(Text("error ", style="red") + Text(str(exc)))
        raise typer.Exit(1) from exc
    console.print(
        f"scan of {summary.window_start} .. {summary.as_of}: {summary.candidates} pages scored, "
        f"{summary.flagged} flagged ({summary.new_suspects} new, {summary.resurfaced} resurfaced)"
    )
    for s in summary.suspects:
        console.print(Text(f"  {s['suspect_id']}  {s['score']:.2f}  {s['status']:<9}  {s['name']}"))
