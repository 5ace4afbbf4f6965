"""`postwatch digest`: build, send or preview the daily digest of a local day."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from typing import Annotated
from zoneinfo import ZoneInfo

import typer
from rich.console import Console

app = typer.Typer(no_args_is_help=True, help="Daily digest: build, send, demo.")
console = Console(highlight=False, soft_wrap=True)

Day = Annotated[str | None, typer.Option("--date", help="Local day YYYY-MM-DD (default: yesterday)")]


def _day(value: str | None) -> date:
    if value:
        return date.fromisoformat(value)
    return datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).date() - timedelta(days=1)


@app.command()
def build(
    day: Day = None,
    to: Annotated[list[str] | None, typer.Option("--to", help="Recipient instead of digest.yaml")] = None,
    force: Annotated[bool, typer.Option("--force", help="Rebuild even if already sent")] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Store only; `send` will not send it")] = False,
) -> None:
    """Render and store the digest under var/digests/<day>/ (prints the paths)."""
    from postwatch.report.digest.deliver import build_digest

    stored = build_digest(_day(day), recipients=to or None, force=force, dry_run=dry_run)
    console.print_json(json.dumps(stored.to_dict()))


@app.command()
def send(day: Day = None) -> None:
    """Send the stored digest if not sent yet (SMTP from POSTWATCH_SMTP_*)."""
    from postwatch.report.digest.deliver import send_digest
    from postwatch.report.mail import SmtpSettings

    console.print_json(json.dumps(send_digest(_day(day), SmtpSettings.from_env()).to_dict()))


@app.command()
def demo(day: Annotated[str, typer.Option("--date", help="Local day YYYY-MM-DD")] = "2026-11-22") -> None:
    """Mail the digest to a local SMTP server on 127.0.0.1 and keep the received .eml and HTML."""
    from postwatch.report.digest import deliver_demo_digest

    for name, path in deliver_demo_digest(day).items():
        console.print(f"{name}: {path}")
