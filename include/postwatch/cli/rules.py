"""`postwatch rules`: run every rule pack's examples, and try a query on a text before saving it."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.text import Text

from postwatch.rules.match import Span, try_query
from postwatch.rules.packs import known_units, load_packs, run_examples
from postwatch.rules.parse import RuleSyntaxError
from postwatch.settings import get_settings
from postwatch.yamlconf import ConfigError

app = typer.Typer(no_args_is_help=True, help="Keyword rule packs: test their examples, try a query.")
console = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)


@app.command("test")
def test_cmd(
    config_dir: Annotated[
        Path | None, typer.Option(help="Folder holding rules/*.yaml (and units.yaml); default: settings")
    ] = None,
) -> None:
    """Run every match / no_match example of every pack; exit 1 if any fails."""
    cdir = Path(config_dir or get_settings().config_dir)
    try:
        packs = load_packs(cdir / "rules", known_units(cdir))
    except ConfigError as exc:
        err.print(Text("error ", style="red") + Text(str(exc)))
        raise typer.Exit(1) from exc
    n, failures = run_examples(packs)
    for failure in failures:
        err.print(Text("FAIL ", style="red") + Text(str(failure)))
    n_rules = sum(len(p.rules) for p in packs)
    if failures:
        err.print(f"{len(failures)} of {n} examples failed ({len(packs)} packs, {n_rules} rules)")
        raise typer.Exit(1)
    console.print(f"ok: {len(packs)} packs, {n_rules} rules, {n} examples")


@app.command("match")
def match_cmd(
    query: Annotated[str, typer.Option("--query", "-q", help="The rule query to try")],
    text: Annotated[str, typer.Option("--text", "-t", help="Post text")] = "",
    title: Annotated[str | None, typer.Option(help="Post title")] = None,
    author: Annotated[str | None, typer.Option(help="Post author (page or channel name)")] = None,
    platform: Annotated[
        str | None, typer.Option(help="facebook, youtube, rss, web, tiktok, zalo, file")
    ] = None,
    source: Annotated[str | None, typer.Option(help="Source id")] = None,
    kind: Annotated[str | None, typer.Option(help="official, watched or press")] = None,
    unit: Annotated[str | None, typer.Option(help="Unit id")] = None,
) -> None:
    """Show whether and where QUERY matches; exit 0 on a match, 1 on none, 2 on a syntax error."""
    post: dict[str, Any] = {
        "title": title,
        "text": text,
        "author": author,
        "platform": platform,
        "source_id": source,
        "kind": kind,
        "unit_id": unit,
    }
    try:
        hit = try_query(query, post)
    except RuleSyntaxError as exc:
        err.print(Text(f"syntax error at column {exc.column}: expected {exc.expected}", style="red"))
        if exc.found:
            err.print(f"found {exc.found}")
        err.print(Text("  " + query))
        err.print(Text("  " + " " * (exc.column - 1) + "^", style="bold red"))
        raise typer.Exit(2) from exc
    if hit is None:
        console.print("no match")
        raise typer.Exit(1)
    console.print(
        Text("match", style="bold green")
        + Text(f" ({len(hit.spans)} span{'s' if len(hit.spans) != 1 else ''})")
    )
    for name, value in (("title", title), ("text", text), ("author", author)):
        spans = [s for s in hit.spans if s.field == name]
        if spans and value:
            console.print(Text(f"{name}: ", style="dim") + _highlight(value, spans))
    for s in hit.spans:
        console.print(f"  {s.field}[{s.start}:{s.end}] {s.text}")


def _highlight(value: str, spans: list[Span]) -> Text:
    out = Text(value)
    for s in spans:
        out.stylize("bold reverse", s.start, s.end)
    return out
