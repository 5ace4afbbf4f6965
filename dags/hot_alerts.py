"""
### hot_alerts — tell the spokesperson within minutes

Runs when `collect` publishes new posts (the `postwatch_posts` asset) and every 15 minutes.
An alert is raised for a relevant negative post whose engagement per hour crosses the threshold, a
hit of a rule of severity `critical`, or a spike in mentions (a unit or rule in the last hour
against the previous 12 hours; the press over a day against the previous 14). Copies of one story
(same story key, canonical URL, content hash or a near-identical title) join one alert.

New alerts are mailed through `smtp_default` (and posted to Telegram when `telegram_default` is
configured). An alert is answered when an official page of the unit posts on the story; the time
to answer is measured against the 2-hour rule (view `response_times`). The data officer marks
alerts with `postwatch alerts ack|answer ID` or the `alert_update` DAG. Thresholds and
recipients: `include/config/digest.yaml`.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from airflow.sdk import AssetOrTimeSchedule, CronTriggerTimetable, dag, task

from postwatch.airflow_glue import POSTS


@dag(
    dag_id=Path(__file__).stem,
    doc_md=__doc__,
    schedule=AssetOrTimeSchedule(
        timetable=CronTriggerTimetable("*/15 * * * *", timezone="Asia/Ho_Chi_Minh"), assets=POSTS
    ),
    start_date=datetime(2026, 1, 1),
    catchup=False,
    max_active_runs=1,
    tags=["postwatch", "alerts"],
)
def hot_alerts() -> None:
    @task(retries=3, retry_delay=timedelta(minutes=1))
    def detect_and_notify() -> dict:
        """Detect, group and record alerts as of now; mail the new ones (retries never repeat a mail)."""
        from postwatch.airflow_glue import smtp_settings, telegram_target
        from postwatch.alerts.run import hot_alerts as run
        from postwatch.warehouse.migrate import migrate

        migrate()  # the alerts tables, on a warehouse older than them
        return run(datetime.now(UTC), smtp=smtp_settings(), telegram=telegram_target())

    detect_and_notify()


hot_alerts()
