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
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from airflow.sdk import dag, get_current_context, task
from airflow.sdk.exceptions import AirflowException, AirflowFailException

from postwatch.airflow_glue import POSTS, airflow_token, smtp_settings
from postwatch.pipeline import collect as flow
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
)
def collect() -> None:
    @task
    def prepare() -> list[str]:
        """Migrate the schema, mirror the registry, and list the sources to poll."""
        return [s.id for s in flow.prepare().active_sources]

    @task(execution_timeout=timedelta(minutes=15), max_active_tis_per_dagrun=8)
    def fetch(source_id: str) -> dict:
        """Poll one source; transient failures retry, an expired token fails at once."""
        outcome = flow.fetch_source(source_id, get_current_context()["run_id"], token_resolver=airflow_token)
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
