"""
### data_quality — re-validate history on demand

Trigger with a form: a date range (local days, Asia/Ho_Chi_Minh; empty = the last 7 days) and
optionally one source. For that range it re-runs the `normalized_posts` suite on the stored
posts, re-reads the landing files of every ingest run and checks each landed item is in `posts`
or in `quarantine`, runs the batch-level source checks, records everything in `dq_runs` /
`dq_results`, and rebuilds the Great Expectations Data Docs (`var/gx/data_docs/index.html`).

A failing check of severity `fail` (items lost between landing and warehouse) fails the run,
naming the source and the number.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from airflow.sdk import Param, dag, get_current_context, task
from airflow.sdk.exceptions import AirflowFailException

from postwatch.airflow_glue import local_date_param
from postwatch.days import day_range
from postwatch.pipeline.collect import safe_run_id


@dag(
    dag_id=Path(__file__).stem,
    doc_md=__doc__,
    schedule=None,
    start_date=datetime(2026, 1, 1),
    catchup=False,
    max_active_runs=1,
    tags=["postwatch", "quality"],
    params={
        "start": local_date_param(
            "Từ ngày (start)",
            "Ngày đầu, giờ Việt Nam; để trống: 7 ngày trước ngày cuối (first local day; empty: a week back).",
        ),
        "end": local_date_param(
            "Đến ngày (end)", "Ngày cuối; để trống: hôm nay (last local day, inclusive; empty: today)."
        ),
        "source": Param(
            None,
            type=["null", "string"],
            pattern=r"^[a-z0-9][a-z0-9._-]*$",
            maxLength=100,
            title="Nguồn (source)",
            description="Mã nguồn trong sources.yaml; để trống: mọi nguồn (source id; empty: all sources).",
        ),
    },
)
def data_quality() -> None:
    @task
    def revalidate() -> dict:
        """Re-validate posts, landing files and source checks of the date range; record the results."""
        from postwatch.quality.history import revalidate as run

        ctx = get_current_context()
        p = ctx["params"]
        try:
            start, end = day_range(p, "start", "end")
            report = run(
                start, end, [p["source"]] if p.get("source") else None, run_id=safe_run_id(ctx["run_id"])
            )
        except ValueError as exc:
            raise AirflowFailException(str(exc)) from exc
        if report.failures:
            raise AirflowFailException("data-quality checks failed: " + "; ".join(report.failures))
        return report.summary()

    @task(trigger_rule="all_done")
    def docs() -> str:
        """Rebuild the Great Expectations Data Docs."""
        from postwatch.quality.docs import build_docs

        return str(build_docs())

    revalidate() >> docs()


data_quality()
