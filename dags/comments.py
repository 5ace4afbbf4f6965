"""
### comments — public comments on the official pages' own posts (R5: respond promptly)

Every hour, reads the comments on the posts of the last days (`lookback_days` in the comments
config) of every official Facebook page (Graph API, the page's token) and official YouTube
channel (Data API, the key), marks each as a question, a complaint or other, and stores it with
the commenter as a keyed hash only (Airflow Variable `postwatch_hash_key`, or the environment's
`POSTWATCH_HASH_KEY`; without it the run fails before any request). A comment is answered when
the page itself replied in its thread.

Unanswered questions and complaints older than `answer_within_hours`: view `comments_unanswered`,
listed in the daily digest. One source failing (expired token, quota) is recorded in
`comment_runs` and never stops the others.

Param `as_of` (optional): the last local day of the window of posts (default: the run's day).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from airflow.sdk import dag, get_current_context, task
from airflow.sdk.exceptions import AirflowFailException

from postwatch.airflow_glue import airflow_token, comment_hash_key, local_date_param
from postwatch.comments.hashing import HashKeyMissing
from postwatch.comments.pipeline import run_comments
from postwatch.days import local_day, parse_day
from postwatch.pipeline.collect import prepare as prepare_warehouse


@dag(
    dag_id=Path(__file__).stem,
    doc_md=__doc__,
    schedule=timedelta(hours=1),
    start_date=datetime(2026, 1, 1),
    catchup=False,
    max_active_runs=1,
    tags=["postwatch", "comments"],
    default_args={"retries": 2, "retry_delay": timedelta(minutes=2)},
    params={
        "as_of": local_date_param(
            "Ngày cuối (last day)",
            "Ngày cuối của khoảng bài đăng chính thức được đọc bình luận; để trống là ngày chạy "
            "(last local day of the window of official posts; empty: the run's day).",
        ),
    },
)
def comments() -> None:
    @task
    def prepare() -> None:
        """Migrate the schema and mirror the registry, so the run sees today's official pages."""
        prepare_warehouse()

    @task(execution_timeout=timedelta(minutes=45))
    def collect() -> dict:
        """Read, classify and store the comments of every official page's recent posts."""
        ctx = get_current_context()
        day = parse_day("as_of", ctx["params"].get("as_of")) or local_day(ctx["dag_run"].run_after)
        try:
            summary = run_comments(day, token_resolver=airflow_token, key=comment_hash_key())
        except HashKeyMissing as exc:
            raise AirflowFailException(str(exc)) from exc
        return summary.to_dict()

    prepare() >> collect()


comments()
