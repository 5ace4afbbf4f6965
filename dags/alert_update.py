"""
### alert_update — mark a hot alert acknowledged or answered

Trigger with a form: the alert id (from the alert mail, the digest, the `alerts_open` view or
`postwatch alerts list`; the first 6 characters are enough), the action and a note.

- acknowledge: the alert has been seen and someone is on it.
- answer: the unit has answered (give the link to the answer and, if not now, when it was posted);
  the time to answer counts against the 2-hour rule.

Who did it is the Airflow user who triggered the run. Repeating an action changes nothing; an
action that does not fit the alert (unknown id, already answered) fails the run with the reason.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from airflow.sdk import Param, dag, get_current_context, task
from airflow.sdk.exceptions import AirflowFailException


@dag(
    dag_id=Path(__file__).stem,
    doc_md=__doc__,
    schedule=None,
    start_date=datetime(2026, 1, 1),
    catchup=False,
    tags=["postwatch", "alerts"],
    params={
        "alert_id": Param(
            type="string",
            minLength=6,
            maxLength=12,
            pattern="^[0-9a-fA-F]+$",
            title="Mã cảnh báo (alert id)",
            description="Mã trong thư cảnh báo, 6 ký tự đầu trở lên (alert id, or its first 6+ characters).",
        ),
        "action": Param(
            "acknowledge",
            type="string",
            enum=["acknowledge", "answer"],
            values_display={"acknowledge": "Đã tiếp nhận (acknowledge)", "answer": "Đã phản hồi (answer)"},
            title="Cập nhật (action)",
        ),
        "answer_url": Param(
            None,
            type=["null", "string"],
            format="uri",
            title="Đường dẫn bài phản hồi (answer URL)",
            description="Bài đăng trả lời trên trang chính thức (the official post that answered).",
        ),
        "answered_at": Param(
            None,
            type=["null", "string"],
            format="date-time",
            title="Thời điểm phản hồi (answered at)",
            description="Để trống: bây giờ; ví dụ 2026-11-22T08:10:00+07:00 (empty: now).",
        ),
        "note": Param(None, type=["null", "string"], title="Ghi chú (note)", description="Ghi chú (note)."),
    },
)
def alert_update() -> None:
    @task(retries=0)
    def update() -> dict:
        """Apply the action with the triggering user."""
        from postwatch.alerts.state import AlertStateError, acknowledge, answer

        ctx = get_current_context()
        p = ctx["params"]
        who = ctx["dag_run"].triggering_user_name or "airflow"
        now = datetime.now(UTC)
        try:
            if p["action"] == "acknowledge":
                row = acknowledge(p["alert_id"], by=who, at=now, note=p.get("note"))
            else:
                at = datetime.fromisoformat(p["answered_at"]) if p.get("answered_at") else now
                row = answer(
                    p["alert_id"], by=who, at=at, url=p.get("answer_url"), note=p.get("note"), now=now
                )
        except AlertStateError as exc:
            raise AirflowFailException(str(exc)) from exc
        return {k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in row.items()}

    update()


alert_update()
