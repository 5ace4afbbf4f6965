"""The `postwatch` command: the same functions the DAGs call, for officers and analysts."""

from __future__ import annotations

import csv
import json
import sys
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from postwatch.yamlconf import ConfigError

app = typer.Typer(no_args_is_help=True, add_completion=False, help=__doc__)
sources_app = typer.Typer(no_args_is_help=True, help="The registry of units and sources.")
app.add_typer(sources_app, name="sources")
console = Console()
err = Console(stderr=True)


@sources_app.command("validate")
def sources_validate(
    config_dir: Annotated[Path | None, typer.Option(help="Folder with units.yaml and sources.yaml")] = None,
) -> None:
    """Check units.yaml and sources.yaml; errors name the file, line and field."""
    from postwatch.registry import load_registry

    try:
        reg = load_registry(config_dir)
    except ConfigError as exc:
        err.print(f"[red]error[/red] {exc}")
        raise typer.Exit(1) from exc
    active = len(reg.active_sources)
    console.print(f"ok: {len(reg.units)} units, {len(reg.sources)} sources ({active} active)")


@sources_app.command("list")
def sources_list() -> None:
    """List sources with their platform, kind and last poll status."""
    _print_query(
        "select s.source_id, s.platform, s.kind, s.unit_id, s.verified, st.status, st.last_success_at "
        "from sources s left join source_state st using (source_id) order by s.source_id",
        csv_out=False,
    )


@app.command()
def replay(
    source: Annotated[list[str] | None, typer.Option("--source", "-s", help="Source id (repeatable)")] = None,
    start: Annotated[str | None, typer.Option(help="First fetch day, YYYY-MM-DD")] = None,
    end: Annotated[str | None, typer.Option(help="Last fetch day, YYYY-MM-DD")] = None,
) -> None:
    """Re-parse landed payloads and load them again (after a parser fix); fetches nothing."""
    from postwatch.pipeline.collect import replay as run_replay

    summary = run_replay(
        source or None, date.fromisoformat(start) if start else None, date.fromisoformat(end) if end else None
    )
    _print_rows(
        ["source", "files", "fetched", "new", "changed", "unchanged", "duplicates", "quarantined"],
        [
            (
                k,
                v["files"],
                v["fetched"],
                v["new"],
                v["changed"],
                v["unchanged"],
                v["duplicates"],
                v["quarantined"],
            )
            for k, v in summary.items()
        ],
        csv_out=False,
    )


@app.command()
def collect(
    source: Annotated[list[str] | None, typer.Option("--source", "-s", help="Source id (repeatable)")] = None,
) -> None:
    """Poll sources and load them now, without Airflow (tokens from POSTWATCH_TOKEN_<CONN_ID>)."""
    from datetime import UTC, datetime

    from postwatch.pipeline import collect as flow

    registry = flow.prepare()
    ids = source or [s.id for s in registry.active_sources]
    run_id = "cli_" + datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    for sid in ids:
        out = flow.fetch_source(sid, run_id, registry=registry)
        console.print(f"{sid}: {out.status} {out.message} ({out.payloads} payloads)")
    summary = flow.load_run(run_id, ids, registry=registry)
    console.print_json(json.dumps(summary, default=str))


@app.command("sql")
def sql_cmd(
    query: Annotated[str | None, typer.Argument(help="SQL; omit to read --file or standard input")] = None,
    file: Annotated[Path | None, typer.Option("--file", "-f", help="Read the query from a file")] = None,
    csv_out: Annotated[bool, typer.Option("--csv", help="Print CSV instead of a table")] = False,
    parquet: Annotated[Path | None, typer.Option(help="Write the result to a Parquet file")] = None,
) -> None:
    """Run a read-only query on the warehouse; safe while the pipeline runs."""
    if query is None:
        query = file.read_text(encoding="utf-8") if file else sys.stdin.read()
    if not query.strip():
        err.print("error: empty query")
        raise typer.Exit(2)
    if parquet is not None:
        from postwatch.warehouse.db import export_parquet

        n = export_parquet(query, parquet)
        console.print(f"wrote {n} rows to {parquet}")
        return
    _print_query(query, csv_out)


def _print_query(query: str, csv_out: bool) -> None:
    import duckdb

    from postwatch.warehouse.db import read_query

    try:
        cols, rows = read_query(query)
    except duckdb.Error as exc:
        err.print(f"[red]query failed[/red]: {str(exc).splitlines()[0]}")
        raise typer.Exit(1) from exc
    _print_rows(cols, rows, csv_out)


def _print_rows(cols: list[str], rows: list[tuple[Any, ...]], csv_out: bool) -> None:
    if csv_out:
        w = csv.writer(sys.stdout, lineterminator="\n")
        w.writerow(cols)
        w.writerows(rows)
        return
    table = Table(*cols, show_lines=False)
    for r in rows:
        table.add_row(*("" if v is None else str(v) for v in r))
    console.print(table)
    console.print(f"({len(rows)} rows)")


@app.command()
def demo(
    port: Annotated[int, typer.Option(help="Port of the local demo server")] = 8765,
) -> None:
    """Run the whole pipeline offline against the recorded demo sources and print a summary."""
    from postwatch.demo.run import run_demo

    raise typer.Exit(run_demo(port))


from postwatch.cli import rules as rules_cli  # noqa: E402

app.add_typer(rules_cli.app, name="rules")
from postwatch.cli import impersonation as impersonation_cli  # noqa: E402

app.add_typer(impersonation_cli.app, name="impersonation")
from postwatch.cli import comments as comments_cli  # noqa: E402

app.add_typer(comments_cli.app, name="comments")
from postwatch.cli import quality as quality_cli  # noqa: E402

app.add_typer(quality_cli.quarantine_app, name="quarantine")
app.add_typer(quality_cli.dq_app, name="dq")
from postwatch.cli import nlp as nlp_cli  # noqa: E402

app.add_typer(nlp_cli.model_app, name="model")
app.command("classify")(nlp_cli.classify)
from postwatch.cli import alerts as alerts_cli  # noqa: E402

app.add_typer(alerts_cli.app, name="alerts")
from postwatch.cli import digest as digest_cli  # noqa: E402

app.add_typer(digest_cli.app, name="digest")
from postwatch.cli import docs as docs_cli  # noqa: E402

app.add_typer(docs_cli.app, name="docs")

if __name__ == "__main__":
    app()
