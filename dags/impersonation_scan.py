"""
### impersonation_scan — daily scan for pages impersonating our units (R3, R6)

Runs at 06:30 Asia/Ho_Chi_Minh, so the 07:00 digest lists what it found. Candidate pages are
the watched pages in `include/config/sources.yaml`, the authors of collected posts that use a
unit's name, and pages that re-post our official posts. Each is scored against the registry of
units and official pages (distinctive-name and handle similarity, authority words, unverified,
copies, scam cues; weights and threshold in `include/config/impersonation.yaml`) and merged into
`impersonation_suspects` without touching the officer's decisions. Official pages are never suspects.

Suspects needing attention: view `impersonation_open`. Decide with the `impersonation_decide` DAG
or `postwatch impersonation confirm|dismiss|resolve ID`.

Param `as_of` (optional): the last local day of the window of posts read (default: the run's day).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from airflow.sdk import CronTriggerTimetable, dag, get_current_context, task

from postwatch.airflow_glue import local_date_param
from postwatch.days import local_day, parse_day
from postwatch.impersonation.scan import run_scan
from postwatch.pipeline.collect import prepare as prepare_warehouse


@dag(
    dag_id=Path(__file__).stem,
    doc_md=__doc__,
    schedule=CronTriggerTimetable("30 6 * * *", timezone="Asia/Ho_Chi_Minh"),
    start_date=datetime(2026, 1, 1),
    catchup=False,
    max_active_runs=1,
    tags=["postwatch", "impersonation"],
    default_args={"retries": 2, "retry_delay": timedelta(minutes=2)},
    params={
        "as_of": local_date_param(
            "Ngày quét (as-of day)",
            "Ngày cuối của khoảng bài viết được quét; để trống là ngày chạy "
            "(last local day of the window; empty: the run's day).",
        ),
    },
)
def impersonation_scan() -> None:
    @task
    def prepare() -> None:
        """Migrate the schema and mirror the registry, so the scan sees today's watched list."""
        prepare_warehouse()

    @task(execution_timeout=timedelta(minutes=30))
    def scan() -> dict:
        """Score the candidates and merge them into impersonation_suspects."""
        ctx = get_current_context()
        day = parse_day("as_of", ctx["params"].get("as_of")) or local_day(
            ctx.get("logical_date") or ctx["dag_run"].run_after
        )
        return run_scan(day).to_dict()

    prepare() >> scan()


impersonation_scan()
