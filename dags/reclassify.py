"""
### reclassify — relabel a date range after a rule-pack or tone-model change

For the data officer. Trigger with a form: a range of local days (Asia/Ho_Chi_Minh), optionally
the rule-pack version expected (the run refuses to start if the loaded packs are another
version, so history is never relabelled with rules nobody meant), a folder holding that
version's packs, and the tone model (`default` = shipped or `POSTWATCH_TONE_MODEL`, or a model
file path). Every current post of the range gets fresh `post_labels` and `rule_hits`; the run
is recorded in `process_runs` with mode `reclassify`.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from airflow.sdk import Param, dag, get_current_context, task
from airflow.sdk.exceptions import AirflowFailException

from postwatch.airflow_glue import local_date_param
from postwatch.days import day_range


@dag(
    dag_id=Path(__file__).stem,
    doc_md=__doc__,
    schedule=None,
    start_date=datetime(2026, 1, 1),
    catchup=False,
    max_active_runs=1,
    tags=["postwatch", "rules"],
    params={
        "date_from": local_date_param(
            "Từ ngày (date_from)",
            "Ngày đầu tiên cần phân loại lại, giờ Việt Nam; để trống: 7 ngày trước ngày cuối "
            "(first local day to relabel; empty: a week back).",
        ),
        "date_to": local_date_param(
            "Đến ngày (date_to)",
            "Ngày cuối cùng, tính cả ngày này; để trống: hôm nay (last local day, inclusive; empty: today).",
        ),
        "pack_version": Param(
            "",
            type="string",
            pattern=r"^[A-Za-z0-9._+-]*$",
            title="Phiên bản bộ quy tắc (pack_version)",
            description="Để trống: bộ quy tắc hiện hành; ví dụ 2026.11.1 "
            "(empty: the packs in use; else refuse to run with any other version).",
        ),
        "rules_dir": Param(
            "",
            type="string",
            title="Thư mục bộ quy tắc (rules_dir)",
            description="Để trống: include/config/rules (folder of rule packs; empty: the shipped ones).",
        ),
        "model": Param(
            "default",
            type="string",
            minLength=1,
            title="Mô hình sắc thái (model)",
            description="default hoặc đường dẫn tệp mô hình (default, or a tone model file path).",
        ),
    },
)
def reclassify() -> None:
    @task(execution_timeout=timedelta(hours=6))
    def relabel() -> dict:
        """Relabel every current post of the date range with the chosen packs and model."""
        from postwatch.process.run import analyzer_for
        from postwatch.process.run import reclassify as run
        from postwatch.warehouse.migrate import migrate

        ctx = get_current_context()
        p = ctx["params"]
        try:
            start, end = day_range(p)
            analyzer = analyzer_for(p.get("pack_version"), p.get("model"), p.get("rules_dir"))
        except ValueError as exc:
            raise AirflowFailException(str(exc)) from exc
        migrate()
        return run(start, end, analyzer, run_id=ctx["run_id"]).to_dict()

    relabel()


reclassify()
