"""`postwatch alerts`: list hot alerts, mark them acknowledged or answered, run a detection pass."""

from __future__ import annotations

import getpass
import json
from datetime import UTC, datetime, timedelta
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from postwatch.alerts.state import AlertStateError

app = typer.Typer(no_args_is_help=True, help="Hot alerts: list, ack, answer, detect, replay.")
console = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)

AlertId = Annotated[
    str, typer.Argument(help="Alert id from the alert mail or `postwatch alerts list` (or a prefix)")
]
By = Annotated[str | None, typer.Option("--by", help="Who (default: the login name)")]
Note = Annotated[str | None, typer.Option("--note", "-n", help="A note kept with the alert")]


def _when(value: str | None) -> datetime:
    """ISO time (a naive one is taken as UTC); None: now."""
    if not value:
        return datetime.now(UTC)
    at = datetime.fromisoformat(value)
    return at if at.tzinfo else at.replace(tzinfo=UTC)


@app.command("list")
def list_cmd(all_: Annotated[bool, typer.Option("--all", help="Answered alerts too")] = False) -> None:
    """Open alerts (or all), latest story first, with the time to answer."""
    from postwatch.warehouse.db import read_query
    from postwatch.warehouse.sqlfiles import sql

    cols, rows = read_query(sql("alerts_list"), {"all": all_})
    table = Table(*cols)
    for r in rows:
        table.add_row(*("" if v is None else str(v) for v in r))
    console.print(table)
    console.print(f"({len(rows)} alerts)")


@app.command()
def ack(alert_id: AlertId, by: By = None, note: Note = None) -> None:
    """The alert has been seen and someone is on it (new -> acknowledged)."""
    from postwatch.alerts.state import acknowledge

    try:
        row = acknowledge(alert_id, by=by or getpass.getuser(), at=datetime.now(UTC), note=note)
    except AlertStateError as exc:
        err.print(f"error: {exc}")
        raise typer.Exit(1) from None
    console.print(f"{row['alert_id']}: {row['status']} at {row['acknowledged_at']:%Y-%m-%d %H:%M} UTC")


@app.command("answer")
def answer_cmd(
    alert_id: AlertId,
    url: Annotated[str | None, typer.Option("--url", help="The official post that answered")] = None,
    at: Annotated[
        str | None, typer.Option("--at", help="When it was answered (ISO time; default now)")
    ] = None,
    by: By = None,
    note: Note = None,
) -> None:
    """The unit has answered the story (-> answered); the time counts against the 2-hour rule."""
    from postwatch.alerts.state import answer

    try:
        row = answer(
            alert_id, by=by or getpass.getuser(), at=_when(at), url=url, note=note, now=datetime.now(UTC)
        )
    except (AlertStateError, ValueError) as exc:
        err.print(f"error: {exc}")
        raise typer.Exit(1) from None
    minutes = int((row["answered_at"] - row["first_seen_at"]).total_seconds() // 60)
    verdict = "within 2 hours" if minutes <= 120 else "later than 2 hours"
    console.print(f"{row['alert_id']}: answered {minutes} min after the story broke ({verdict})")


@app.command()
def detect(
    at: Annotated[str | None, typer.Option("--at", help="Detect as of this ISO time (default now)")] = None,
    send: Annotated[
        bool, typer.Option("--send/--no-send", help="Mail new alerts (POSTWATCH_SMTP_*)")
    ] = False,
) -> None:
    """One detection pass, as the hot_alerts DAG runs it."""
    from postwatch.alerts.run import hot_alerts
    from postwatch.report.mail import SmtpSettings

    out = hot_alerts(_when(at), smtp=SmtpSettings.from_env() if send else None)
    console.print_json(json.dumps(out, default=str))


@app.command()
def replay(
    start: Annotated[str, typer.Option("--from", help="First pass (ISO time)")],
    end: Annotated[str, typer.Option("--to", help="Last pass (ISO time)")],
    every: Annotated[int, typer.Option("--every", help="Minutes between passes")] = 60,
    seen_when_published: Annotated[
        bool, typer.Option(help="Treat every post as collected when published (data loaded in one go)")
    ] = False,
) -> None:
    """Detection passes over a past period (no mail): alerts over recorded or backfilled data."""
    from postwatch.alerts.run import replay as run

    passes = run(_when(start), _when(end), timedelta(minutes=every), seen_when_published=seen_when_published)
    created = sum(len(p["created"]) for p in passes)
    answered = sum(len(p["answered"]) for p in passes)
    console.print(f"{len(passes)} passes: {created} alerts created, {answered} answered")
