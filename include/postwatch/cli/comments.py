"""`postwatch comments`: collect comments on official posts by hand, list the unanswered ones."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from postwatch.warehouse.sqlfiles import sql
from postwatch.yamlconf import ConfigError

app = typer.Typer(no_args_is_help=True, help="Comments on official pages: collect, unanswered.")
console = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)


@app.command()
def collect(
    as_of: Annotated[
        str | None, typer.Option(help="Last local day of the window of posts, YYYY-MM-DD (default: today)")
    ] = None,
) -> None:
    """Read the comments of the official pages' recent posts now (the comments DAG does it hourly).

    Tokens come from POSTWATCH_TOKEN_<CONN_ID>, the hash key from POSTWATCH_HASH_KEY.
    """
    from postwatch.comments.hashing import HashKeyMissing
    from postwatch.comments.pipeline import run_comments
    from postwatch.pipeline.collect import prepare

    try:
        day = date.fromisoformat(as_of) if as_of else None
    except ValueError as exc:
        err.print(f"error: --as-of {as_of!r} is not a date YYYY-MM-DD")
        raise typer.Exit(2) from exc
    try:
        prepare()
        summary = run_comments(day)
    except (ConfigError, HashKeyMissing) as exc:
        err.print(Text("error ", style="red") + Text(str(exc)))
        raise typer.Exit(1) from exc
    console.print(f"comments on official posts of {summary.window_start} .. {summary.as_of}:")
    for s in summary.sources:
        line = f"  {s.source_id:<20} {s.status:<12} {s.posts} posts, {s.comments} comments"
        line += f" ({s.new_comments} new)"
        if s.posts_skipped:
            line += f", {s.posts_skipped} posts skipped"
        if s.quarantined:
            line += f", {s.quarantined} quarantined"
        console.print(Text(line))
        if s.message:
            console.print(Text(f"    {s.message}", style="yellow"))
    if any(s.status != "ok" for s in summary.sources):
        raise typer.Exit(1)


@app.command()
def unanswered() -> None:
    """Questions and complaints the page has not answered within the configured time."""
    from postwatch.warehouse.db import read_query

    _cols, rows = read_query(sql("comments_list_unanswered"))
    table = Table(title_justify="left")
    for name in ("id", "platform", "unit", "kind", "hours", "text", "post"):
        table.add_column(name)
    for cid, platform, unit, kind, age, text, url in rows:
        table.add_row(cid, platform, unit or "", kind, f"{age:.0f}", Text(text[:120]), url or "")
    console.print(table)
    console.print(f"({len(rows)} rows)")
