"""The `process` and `keyword_sweep` DAGs run for real with `dag.test()` on demo-like posts."""

from __future__ import annotations

import json
from pathlib import Path

from postwatch.warehouse.db import read_query
from postwatch.warehouse.migrate import migrate
from tests.unit.process.conftest import OFFICIAL, PRESS, WATCHED, load_posts

ROOT = Path(__file__).resolve().parents[2]


def _dag(dag_id: str) -> object:
    from airflow.dag_processing.dagbag import DagBag

    bag = DagBag(dag_folder=str(ROOT / "dags" / f"{dag_id}.py"))
    assert bag.import_errors == {}
    return bag.get_dag(dag_id)


def _demo_like_posts() -> None:
    """A day of Sơn Hà as the demo tells it: an incident, a rumour, praise, a namesake elsewhere."""
    migrate()
    load_posts(
        WATCHED,
        [
            {"item_id": "77_1", "published": "2026-11-12T14:20:00+07:00", "shares": 3400,
             "text": "🔥🔥 CHÁY LỚN ở chợ Đông Thành!!! Khói bốc cao cả cây số, lính cứu hỏa đang tới. "
                     "Bà con tránh xa khu vực này nhé"},
            {"item_id": "77_2", "published": "2026-11-12T21:00:00+07:00", "shares": 1500,
             "text": "Nghe nói vụ cháy chợ Đông Thành có 3 người chết mà chính quyền giấu, chưa kiểm chứng, "
                     "ae chia sẻ gấp"},
            {"item_id": "77_3", "published": "2026-11-15T16:30:00+07:00",
             "text": "Khoảnh khắc đẹp 🥰 Anh CSGT của CA tỉnh Sơn Hà dắt tay cụ bà qua đường trước chợ "
                     "Đông Thành trong mưa. Cảm ơn anh!"},
            {"item_id": "77_4", "published": "2026-11-15T19:00:00+07:00",
             "text": "Đọc tin mà giật mình, tưởng xã Tân Lập mình 😅 Hóa ra là xã Tân Lập ở Đồng Nai bị ngập "
                     "sâu sau mưa lớn, hơn 300 hộ dân phải sơ tán."},
            {"item_id": "77_5", "published": "2026-11-16T09:00:00+07:00",
             "text": "thang nao lam cau tan lap ma lam an nhu cc, dm, ngu vl"},
        ],
    )  # fmt: skip
    load_posts(
        OFFICIAL,
        [{"item_id": "100_1", "published": "2026-11-12T22:30:00+07:00",
          "text": "UBND tỉnh Sơn Hà thông tin: vụ cháy tại chợ Đông Thành không có thiệt hại về người. "
                  "Thông tin 3 người tử vong là sai sự thật."}],
    )  # fmt: skip
    load_posts(
        PRESS,
        [{"item_id": "https://dantri.vn/n.htm", "url": "https://dantri.vn/n.htm",
          "published": "2026-11-13T08:30:00+07:00",
          "title": "Quảng Ngãi di dời 40 hộ dân khỏi vùng sạt lở ở xã Sơn Hà",
          "text": "Vết nứt dài hơn 100 m xuất hiện trên sườn núi phía sau khu dân cư xã Sơn Hà."}],
    )  # fmt: skip


def test_process_labels_new_posts_once_and_relabels_an_edited_one(airflow_db: Path, pw_home: Path) -> None:
    _demo_like_posts()
    dag = _dag("process")
    run = dag.test()
    assert [ti.state for ti in run.get_task_instances()] == ["success"]
    labels = {
        r[0]: r[1:]
        for r in read_query(
            "select post_id, relevant, unit_ids, tone, offensive, needs_checking from post_labels"
        )[1]
    }
    assert len(labels) == 7
    assert labels["77_1"][:3] == (True, ["sonha.dongthanh"], "negative")
    assert labels["77_2"][4] is True, "a rumour with cue words on a watched page needs checking"
    assert labels["100_1"][0] is True and labels["100_1"][4] is False, "the official denial is not flagged"
    assert labels["77_3"][2] == "positive"
    assert labels["77_4"][0] is False and labels["https://dantri.vn/n.htm"][0] is False, "namesakes elsewhere"
    assert labels["77_5"][0] is True and labels["77_5"][3] is True, "teencode insults are offensive"
    fire = read_query("select spans from rule_hits where post_id = '77_1' and rule_id = 'incident.fire'")[1]
    assert fire and json.loads(fire[0][0])[0][3].lower().startswith("cháy")
    top = read_query("select rule_id, hits from rule_hits_top where rule_id = 'incident.fire'")[1]
    assert sum(h for _, h in top) >= 3

    again = dag.test()
    assert [ti.state for ti in again.get_task_instances()] == ["success"]
    runs = read_query("select posts from process_runs order by started_at")[1]
    assert runs == [(7,), (0,)], "the second run has nothing new or changed to do"


def test_keyword_sweep_refuses_a_bad_query_before_reading_posts(airflow_db: Path, pw_home: Path) -> None:
    _demo_like_posts()
    dag = _dag("keyword_sweep")
    bad = dag.test(run_conf={"query": "cháy AND (chợ OR", "date_from": "2026-11-09", "date_to": "2026-11-22"})
    states = {ti.task_id: ti.state for ti in bad.get_task_instances()}
    assert states["validate"] == "failed" and states["sweep"] != "success"
    good = dag.test(
        run_conf={"query": 'cháy NEAR/3 "Đông Thành"', "date_from": "2026-11-12", "date_to": "2026-11-12"}
    )
    assert {ti.task_id: ti.state for ti in good.get_task_instances()} == {
        "validate": "success",
        "sweep": "success",
    }
    rows = read_query("select sweep_id, post_id from sweep_results order by post_id")[1]
    assert [p for _, p in rows] == ["100_1", "77_1", "77_2"]
    csvs = list((pw_home / "sweeps").glob("*.csv"))
    assert len(csvs) == 1 and csvs[0].stem == rows[0][0]
