"""
### daily_digest — the morning e-mail for the leadership

Every day at 07:00 (Asia/Ho_Chi_Minh), for the previous local day: positive / negative / neutral
coverage against the 7-day mean, the 14-day trend chart, the negative items needing an answer, the
most positive items, impersonation suspects, unanswered comments, the unit scoreboard, response
times against the 2-hour rule, and the data-quality line. In Vietnamese, HTML and plain text.

`build` stores the digest under `var/digests/<day>/` (HTML, text, .eml, chart) before `send` mails
it through the `smtp_default` connection, so a mail server that is down loses nothing: `send`
retries and sends the stored message. A day already sent is not sent again unless `force`.

Trigger with a form to re-send or preview: `date` (empty: yesterday), `recipients` (instead of
`include/config/digest.yaml`), `dry_run` (store only), `force` (rebuild and send again).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from airflow.sdk import CronTriggerTimetable, Param, dag, get_current_context, task

from postwatch.airflow_glue import local_date_param
from postwatch.days import local_day, parse_day

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


@dag(
    dag_id=Path(__file__).stem,
    doc_md=__doc__,
    schedule=CronTriggerTimetable("0 7 * * *", timezone="Asia/Ho_Chi_Minh"),
    start_date=datetime(2026, 1, 1, tzinfo=TZ),
    catchup=False,
    max_active_runs=1,
    tags=["postwatch", "digest"],
    params={
        "date": local_date_param(
            "Ngày của bản tin (date)", "Ngày giờ Việt Nam; để trống: hôm qua (local day; empty: yesterday)."
        ),
        "recipients": Param(
            [],
            type="array",
            items={"type": "string", "format": "email"},
            title="Người nhận (recipients)",
            description="Thay danh sách trong digest.yaml; trống: theo cấu hình (override; empty: config).",
        ),
        "dry_run": Param(
            False,
            type="boolean",
            title="Chỉ tạo, không gửi (dry run)",
            description="Lưu bản tin vào var/digests mà không gửi (store only, do not send).",
        ),
        "force": Param(
            False,
            type="boolean",
            title="Gửi lại (force)",
            description="Tạo lại và gửi lại dù đã gửi (rebuild and send again even if already sent).",
        ),
    },
)
def daily_digest() -> None:
    def _day() -> date:
        ctx = get_current_context()
        chosen = parse_day("date", ctx["params"].get("date"))
        return chosen or local_day(ctx.get("logical_date") or ctx["dag_run"].run_after) - timedelta(days=1)

    @task(retries=0)
    def build() -> dict:
        """Render the digest of the day and store it (kept as is if already sent and not forced)."""
        from postwatch.airflow_glue import smtp_settings
        from postwatch.report.digest.deliver import build_digest
        from postwatch.report.mail import SmtpSettings
        from postwatch.warehouse.migrate import migrate

        migrate()  # the digests table and the views the digest reads
        p = get_current_context()["params"]
        smtp = smtp_settings()
        stored = build_digest(
            _day(),
            recipients=p.get("recipients") or None,
            force=bool(p.get("force")),
            dry_run=bool(p.get("dry_run")),
            sender=smtp.sender if smtp else SmtpSettings.sender,
        )
        return stored.to_dict()

    @task(retries=3, retry_delay=timedelta(minutes=5), retry_exponential_backoff=True)
    def send(stored: dict) -> dict:
        """Send the stored digest if it is pending; a failure retries and sends the same message."""
        from postwatch.airflow_glue import smtp_settings
        from postwatch.report.digest.deliver import send_digest

        return send_digest(date.fromisoformat(stored["day"]), smtp_settings()).to_dict()

    send(build())


daily_digest()
