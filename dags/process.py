"""
### process — relevance, keyword rules, tone and flags for new and changed posts

Runs whenever `collect` publishes the `postwatch_posts` Asset. Labels only posts that are new
or changed since they were last labelled (their version or content hash differs from
`post_labels`): whether the post is about one of our units (and which words said so), the
keyword-rule hits of `include/config/rules/*.yaml` with their matched words, the tone with its
cues, the offensive-language flag (R4) and the heuristic "needs checking" flag (R7).

Writes `post_labels`, `rule_hits` and one row in `process_runs`; the digest reads
`coverage_daily` and `rule_hits_top`. To relabel history after a rule or model change, trigger
`reclassify`.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from airflow.sdk import dag, get_current_context, task

from postwatch.airflow_glue import POSTS


@dag(
    dag_id=Path(__file__).stem,
    doc_md=__doc__,
    schedule=[POSTS],
    start_date=datetime(2026, 1, 1),
    catchup=False,
    max_active_runs=1,
    tags=["postwatch", "rules"],
    default_args={"retries": 2, "retry_delay": timedelta(minutes=1)},
)
def process() -> None:
    @task(execution_timeout=timedelta(hours=2))
    def label_new_posts() -> dict:
        """Label new and changed posts; commits chunk by chunk, so a retry resumes."""
        from postwatch.process.run import run_process

        return run_process(run_id=get_current_context()["run_id"]).to_dict()

    label_new_posts()


process()
