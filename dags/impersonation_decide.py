"""
### impersonation_decide — record the data officer's decision on an impersonation suspect (R3, R6)

Trigger with a form: the suspect's id (from the digest, the `impersonation_open` view or
`postwatch impersonation list`), the decision and a note. The decision is stored on the suspect
with who (the Airflow user who triggered the run) and when, and appended to `impersonation_decisions`.

- confirm: it is impersonation; it stays in the digest until resolved.
- dismiss: not impersonation; a later scan re-opens it only if its score rises by the configured margin.
- resolve: confirmed impersonation that has been dealt with (reported, taken down).

The same decision twice changes nothing; a decision that does not fit the suspect's status fails
the run with the reason (no retries).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from airflow.sdk import Param, dag, get_current_context, task
from airflow.sdk.exceptions import AirflowFailException

from postwatch.impersonation.decisions import DecisionError, decide


@dag(
    dag_id=Path(__file__).stem,
    doc_md=__doc__,
    schedule=None,
    start_date=datetime(2026, 1, 1),
    catchup=False,
    tags=["postwatch", "impersonation"],
    params={
        "suspect_id": Param(
            type="string",
            minLength=4,
            pattern="^[0-9a-fA-F]+$",
            title="Mã nghi vấn (suspect id)",
            description=(
                "Mã trang nghi giả mạo, hoặc 4 ký tự đầu trở lên (suspect id, or its first 4+ characters)."
            ),
        ),
        "decision": Param(
            "confirm",
            type="string",
            enum=["confirm", "dismiss", "resolve"],
            values_display={
                "confirm": "Xác nhận giả mạo (confirm)",
                "dismiss": "Không phải giả mạo (dismiss)",
                "resolve": "Đã xử lý xong (resolve)",
            },
            title="Quyết định (decision)",
        ),
        "note": Param(
            None,
            type=["null", "string"],
            title="Ghi chú (note)",
            description="Lý do, việc đã làm (why, what was done).",
        ),
    },
)
def impersonation_decide() -> None:
    @task(retries=0)
    def record() -> dict:
        """Store the decision with the triggering user."""
        ctx = get_current_context()
        params = ctx["params"]
        who = ctx["dag_run"].triggering_user_name or "airflow"
        try:
            return decide(params["suspect_id"], params["decision"], who, params.get("note")).to_dict()
        except DecisionError as exc:
            raise AirflowFailException(str(exc)) from exc

    record()


impersonation_decide()
