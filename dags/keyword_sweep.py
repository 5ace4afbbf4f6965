"""
### keyword_sweep — sweep an ad-hoc keyword query over a date range (during an incident)

For the data officer. Type a query in the rule language (`"sạt lở" AND (Tân Lập OR "Khe Mát")`,
`cháy NEAR/5 chợ`, `tin gia*`...) and a range of local days. The first task checks the query
and stops with the column and what was expected if it does not parse; the second matches every
current post of the range and writes the matches to `var/sweeps/<run id>.csv` (opens in Excel)
and to the table `sweep_results` (one `sweep_id` per run). Try a query first with
`postwatch rules match --query '...' --text '...'`.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from airflow.sdk import Param, dag, get_current_context, task
from airflow.sdk.exceptions import AirflowFailException

from postwatch.airflow_glue import local_date_param
from postwatch.days import DayRangeError, day_range


@dag(
    dag_id=Path(__file__).stem,
    doc_md=__doc__,
    schedule=None,
    start_date=datetime(2026, 1, 1),
    catchup=False,
    max_active_runs=2,
    tags=["postwatch", "rules"],
    params={
        "query": Param(
            "",
            type="string",
            minLength=1,
            maxLength=2000,
            title="Truy vấn từ khóa (query)",
            description='Ví dụ: "sạt lở" AND ("Tân Lập" OR "Khe Mát") '
            '(keyword query in the rule language: AND OR NOT, "phrases", NEAR/n, wildcards *).',
        ),
        "date_from": local_date_param(
            "Từ ngày (date_from)",
            "Ngày đầu, giờ Việt Nam; để trống: 7 ngày trước ngày cuối (first local day; empty: a week back).",
        ),
        "date_to": local_date_param(
            "Đến ngày (date_to)",
            "Ngày cuối, tính cả ngày này; để trống: hôm nay (last local day; empty: today).",
        ),
    },
)
def keyword_sweep() -> None:
    @task
    def validate() -> str:
        """Refuse a query that does not parse, before reading any post."""
        from postwatch.process.sweep import SweepQueryError, validate_query

        p = get_current_context()["params"]
        try:
            validate_query(p["query"])
        except SweepQueryError as exc:
            raise AirflowFailException(str(exc)) from exc
        try:
            day_range(p)
        except DayRangeError as exc:
            raise AirflowFailException(str(exc)) from exc
        return p["query"]

    @task(execution_timeout=timedelta(hours=1))
    def sweep(query: str) -> dict:
        """Match the query over the range; CSV under var/sweeps and rows in sweep_results."""
        from postwatch.process.sweep import sweep as run
        from postwatch.warehouse.migrate import migrate

        ctx = get_current_context()
        p = ctx["params"]
        start, end = day_range(p)
        migrate()
        report = run(query, start, end, ctx["run_id"])
        return vars(report)

    sweep(validate())


keyword_sweep()
