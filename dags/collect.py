"""
### collect — hourly collection of public posts

Polls every active source in `include/config/sources.yaml`, each as its own mapped task
(own retries and timeout), lands every payload as received under `var/landing/`, then
normalizes and loads the run into the warehouse and publishes the `postwatch_posts` Asset.

A failing source never stops the others: its task records the failure in `source_state`
(see `sql/views`), the load still runs for everyone else. Each batch is validated with Great
Expectations between normalization and load (bad rows go to `quarantine` with the reason);
`check` then runs the batch-level checks (`include/config/quality.yaml`) and fails the run,
naming the source and the number, when a check of severity `fail` fails. A source that breaks
mails the data officer once per incident, and again when it recovers.

**Backfill** (trigger with config): pick sources and a first day (`since`, optionally `until`).
Those sources are fetched again from that local day; their stored watermark is left alone, so
the hourly polls go on as before. Feeds that only hold their latest items (RSS, YouTube Atom)
reach back only as far as the feed does; the Graph API takes the whole range.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from airflow.sdk import Param, dag, get_current_context, task
from airflow.sdk.exceptions import AirflowException, AirflowFailException

from postwatch.airflow_glue import POSTS, airflow_token, local_date_param, smtp_settings
from postwatch.days import local_day
from postwatch.pipeline import collect as flow
from postwatch.pipeline.backfill import (
    Backfill,
    BackfillError,
    backfill_from,
    choose_sources,
    source_choices,
)
from postwatch.settings import get_settings


@dag(
    dag_id=Path(__file__).stem,
    doc_md=__doc__,
    schedule="@hourly",
    start_date=datetime(2026, 1, 1),
    catchup=False,
    max_active_runs=1,
    tags=["postwatch", "collect"],
    default_args=get_settings().task_defaults(),
    params={
        "sources": Param(
            [],
            type="array",
            uniqueItems=True,
            title="Nguồn (sources)",
            description=(
                "Các nguồn cần thu; để trống: mọi nguồn đang bật (source ids; empty: every active source)."
            ),
            **source_choices(),
        ),
        "since": local_date_param(
            "Thu lại từ ngày (backfill since)",
            "Ngày đầu cần thu lại, giờ Việt Nam; để trống: thu như thường lệ "
            "(first local day to collect again; empty: a regular poll).",
        ),
        "until": local_date_param(
            "Đến ngày (until)",
            "Ngày cuối của đợt thu lại, chỉ dùng khi có ngày đầu; để trống: đến nay "
            "(last local day of the backfill; empty: up to now).",
        ),
    },
)
def collect() -> None:
    def backfill() -> Backfill | None:
        try:
            return backfill_from(get_current_context()["params"], local_day())
        except BackfillError as exc:
            raise AirflowFailException(str(exc)) from exc

    @task
    def prepare() -> list[str]:
        """Migrate the schema, mirror the registry, and list the sources to poll."""
        backfill()  # a bad window fails here, before any source is polled
        try:
            return choose_sources(flow.prepare(), get_current_context()["params"].get("sources"))
        except BackfillError as exc:
            raise AirflowFailException(str(exc)) from exc

    @task(execution_timeout=timedelta(minutes=15), max_active_tis_per_dagrun=8)
    def fetch(source_id: str) -> dict:
        """Poll one source; transient failures retry, an expired token fails at once."""
        outcome = flow.fetch_source(
            source_id, get_current_context()["run_id"], token_resolver=airflow_token, backfill=backfill()
        )
        if outcome.status == "auth_failed":
            raise AirflowFailException(f"{source_id}: {outcome.message}")
        if outcome.retryable:
            raise AirflowException(f"{source_id}: {outcome.status}: {outcome.message}")
        return outcome.to_dict()

    @task(trigger_rule="all_done", outlets=[POSTS])
    def load(source_ids: list[str]) -> dict:
        """Normalize and load what every source landed in this run."""
        return flow.load_run(get_current_context()["run_id"], source_ids)

    @task(trigger_rule="all_done")
    def check(source_ids: list[str]) -> dict:
        """Batch-level data-quality checks and source health; a failing check fails the run."""
        out = flow.check_run(get_current_context()["run_id"], source_ids, smtp=smtp_settings())
        if out["failure_message"]:
            raise AirflowFailException(out["failure_message"])
        return out

    sources = prepare()
    fetched = fetch.expand(source_id=sources)
    fetched >> load(sources) >> check(sources)


collect()
