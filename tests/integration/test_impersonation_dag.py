"""The `impersonation_scan` DAG run for real with `dag.test()` on a crafted warehouse, then a decision."""

from __future__ import annotations

from pathlib import Path

import pytest

from postwatch.impersonation.score import suspect_id
from postwatch.warehouse.db import read_query
from tests.unit.impersonation.crafted import make_world

ROOT = Path(__file__).resolve().parents[2]
IMPOSTER = suspect_id("facebook", "2000")
AUTHOR = suspect_id("file", "name:ubnd son ha ho tro")


def _dag(dag_id: str) -> object:
    from airflow.dag_processing.dagbag import DagBag

    bag = DagBag(dag_folder=str(ROOT / "dags" / f"{dag_id}.py"))
    assert bag.import_errors == {}
    return bag.get_dag(dag_id)


def test_the_daily_scan_lists_the_imposter_and_a_confirmation_keeps_it_open(
    airflow_db: Path, tmp_path: Path, pw_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_world(tmp_path, pw_home, monkeypatch)

    run = _dag("impersonation_scan").test(run_conf={"as_of": "2026-11-20"})
    states = {ti.task_id: ti.state for ti in run.get_task_instances()}
    assert states == {"prepare": "success", "scan": "success"}
    scans = read_query("select as_of::varchar, window_start::varchar, flagged from impersonation_scans")[1]
    assert scans == [("2026-11-20", "2026-10-22", 2)]
    _cols, open_rows = read_query("select suspect_id, status, matched_unit_id from impersonation_open")
    assert [r[0] for r in open_rows] == [IMPOSTER, AUTHOR], "the imposter ranks first"

    decided = _dag("impersonation_decide").test(
        run_conf={"suspect_id": IMPOSTER[:6], "decision": "confirm", "note": "Đã báo cáo Facebook"}
    )
    assert [ti.state for ti in decided.get_task_instances()] == ["success"]
    _cols, open_rows = read_query("select suspect_id, status, note from impersonation_open")
    assert open_rows[0] == (IMPOSTER, "confirmed", "Đã báo cáo Facebook"), "confirmed suspects come first"
    log = read_query("select suspect_id, decision, previous from impersonation_decisions")[1]
    assert log == [(IMPOSTER, "confirmed", "new")]
