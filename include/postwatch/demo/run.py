"""`make demo`: serve the recorded sources on 127.0.0.1, run the real DAGs, print a summary."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

from postwatch.demo.dataset import mount_demo
from postwatch.demo.env import airflow_env
from postwatch.demo.server import FixtureServer
from postwatch.settings import get_settings
from postwatch.warehouse.db import read_query
from postwatch.warehouse.sqlfiles import sql

console = Console()
DEMO_DAGS = ("collect",)


def _airflow(args: list[str], env: dict[str, str]) -> None:
    airflow = Path(sys.executable).with_name("airflow")
    cmd = [str(airflow), *args]
    console.print(f"[dim]$ airflow {' '.join(args)}[/dim]")
    proc = subprocess.run(cmd, env={**os.environ, **env}, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        console.print(proc.stdout[-4000:])
        console.print(proc.stderr[-6000:])
        raise SystemExit(f"airflow {' '.join(args)} failed with exit code {proc.returncode}")


def _table(title: str, name: str) -> Table:
    cols, rows = read_query(sql(name))
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
        for dag_id in DEMO_DAGS:
            _airflow(["dags", "test", dag_id], env)
    console.print(_table("Posts per source", "demo_posts_by_source"))
    console.print(_table("Quarantined records (open)", "demo_quarantine"))
    console.print(_table("Sources that failed their last poll", "demo_failed_sources"))
    _, totals = read_query("select count(*), count(distinct platform) from posts")
    _, q = read_query("select count(*) from quarantine where status = 'open'")
    console.print(
        f"\n[bold]{totals[0][0]}[/bold] posts from {totals[0][1]} platforms, "
        f"[bold]{q[0][0]}[/bold] quarantined, in {time.monotonic() - started:.0f}s"
    )
    console.print(f"warehouse: DuckLake catalog {settings.catalog_path}, data {settings.resolved_data_path}")
    console.print('query it: .venv/bin/postwatch sql "select platform, count(*) from posts group by 1"')
    return 0
