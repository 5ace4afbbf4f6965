"""`postwatch docs`: documentation generated from the code, for analysts."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from postwatch.settings import PROJECT_ROOT

app = typer.Typer(no_args_is_help=True, help="Documentation generated from the schema.")
console = Console()
err = Console(stderr=True)
DEFAULT_OUT = PROJECT_ROOT / "docs" / "data-dictionary.md"


@app.callback()
def docs() -> None:
    """Documentation generated from the schema (a group, so more generators can join it)."""


@app.command("dictionary")
def dictionary(
    out: Annotated[Path, typer.Option(help="Where to write the Markdown")] = DEFAULT_OUT,
    check: Annotated[
        bool, typer.Option("--check", help="Write nothing; exit 1 when the file is out of date")
    ] = False,
) -> None:
    """Write the data dictionary (every table and view, with column comments) from sql/."""
    from postwatch.docs_gen import build_dictionary

    text = build_dictionary()
    current = out.read_text(encoding="utf-8") if out.exists() else None
    if check:
        if current != text:
            err.print(f"{out} is out of date: run `postwatch docs dictionary`")
            raise typer.Exit(1)
        console.print(f"{out} is up to date")
        return
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    console.print(f"wrote {out} ({text.count(chr(10) + '### ')} tables and views)")
