"""`make demo`: serve the recorded sources on 127.0.0.1, run the real DAGs, print a summary."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

from rich.console import Console
from rich.table import Table

from postwatch.alerts.run import replay as replay_alerts
from postwatch.demo.dataset import mount_demo
from postwatch.demo.env import airflow_env
from postwatch.demo.server import FixtureServer
from postwatch.quality.docs import build_docs
from postwatch.report.digest import deliver_demo_digest
from postwatch.settings import get_settings
from postwatch.warehouse.db import read_query
from postwatch.warehouse.sqlfiles import sql

console = Console()
# The recorded data covers 2026-11-09 .. 2026-11-22 (local time); the digest is for the last day.
DEMO_DAY = "2026-11-22"
# (dag id, conf): the real DAGs, in the order the scheduler would run them after a collect.
DEMO_RUNS: tuple[tuple[str, dict[str, object] | None], ...] = (
    ("collect", None),
    ("process", None),
    ("comments", {"as_of": DEMO_DAY}),
    ("impersonation_scan", {"as_of": DEMO_DAY}),
)


def _airflow(args: list[str], env: dict[str, str]) -> None:
    airflow = Path(sys.executable).with_name("airflow")
    cmd = [str(airflow), *args]
    console.print(f"[dim]$ airflow {' '.join(args)}[/dim]")
    proc = subprocess.run(cmd, env={**os.environ, **env}, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        console.print(proc.stdout[-4000:])
        console.print(proc.stderr[-6000:])
        raise SystemExit(f"airflow {' '.join(args)} failed with exit code {proc.returncode}")


def _dag_test(dag_id: str, conf: dict[str, object] | None, env: dict[str, str]) -> None:
    args = ["dags", "test", dag_id]
    if conf:
        args += ["--conf", json.dumps(conf)]
    _airflow(args, env)


def _table(title: str, name: str, params: dict[str, object] | None = None) -> Table:
    cols, rows = read_query(sql(name), params)
    t = Table(*cols, title=title, title_justify="left")
    for r in rows:
        t.add_row(*("" if v is None else str(v) for v in r))
    return t


def run_demo(port: int = 8765) -> int:
    settings = get_settings()
    started = time.monotonic()
    with FixtureServer(port=port) as server:
        mount_demo(server)
        console.print(f"demo sources served at {server.base_url}")
        env = airflow_env(settings, demo_url=server.base_url)
        # A recorded outage is retried as in production, seconds apart instead of minutes.
        env["POSTWATCH_TASK_RETRY_DELAY"] = "1"
        os.environ.update(env)
        _airflow(["db", "migrate"], env)
        for dag_id, conf in DEMO_RUNS:
            _dag_test(dag_id, conf, env)
    day = {"day": date.fromisoformat(DEMO_DAY)}
    # hot_alerts runs every 15 minutes in production; over recorded data its passes are replayed
    # hourly for the last three days, as if each post had been collected when it was published.
    last = datetime.fromisoformat(f"{DEMO_DAY}T23:00:00+07:00")
    console.print("[dim]hot alerts: hourly passes over the last three demo days[/dim]")
    replay_alerts(last - timedelta(days=2, hours=23), last, timedelta(hours=1), seen_when_published=True)
    docs = build_docs(settings)
    mail = deliver_demo_digest(DEMO_DAY)
    console.print(_table("Posts per source", "demo_posts_by_source"))
    console.print(_table("Quarantined records (open)", "demo_quarantine"))
    console.print(_table("Sources that failed their last poll", "demo_failed_sources"))
    console.print(_table(f"Tone of relevant posts ({DEMO_DAY}, whole window)", "demo_tone_counts", day))
    console.print(_table("Top rule hits and their words", "demo_top_rule_hits", {**day, "limit": 10}))
    console.print(_table("Comments on official pages still unanswered", "demo_comments_unanswered"))
    console.print(_table("Impersonation suspects", "demo_impersonation"))
    console.print(_table(f"Unit scoreboard, 7 days to {DEMO_DAY}", "demo_scoreboard", day))
    _, totals = read_query("select count(*), count(distinct platform) from posts")
    _, q = read_query("select count(*) from quarantine where status = 'open'")
    console.print(
        f"\n[bold]{totals[0][0]}[/bold] posts from {totals[0][1]} platforms, "
        f"[bold]{q[0][0]}[/bold] quarantined, in {time.monotonic() - started:.0f}s"
    )
    console.print(_table("Hot alerts and the 2-hour rule", "demo_alerts"))
    console.print(_table("Data quality today", "demo_dq_summary"))
    console.print(f"warehouse: DuckLake catalog {settings.catalog_path}, data {settings.resolved_data_path}")
    console.print(f"data-quality report (Great Expectations Data Docs): {docs}")
    console.print(f"[bold]digest for {DEMO_DAY}[/bold] delivered to a local SMTP server on 127.0.0.1:")
    console.print(f"  received message: {mail['received_eml']}")
    console.print(f"  HTML copy:        {mail['received_html']}")
    console.print('query it: .venv/bin/postwatch sql "select platform, count(*) from posts group by 1"')
    console.print("see it in Airflow: make airflow, then http://127.0.0.1:8080/plugin/postwatch")
    return 0
