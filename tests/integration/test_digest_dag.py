"""The `daily_digest` DAG run for real with `dag.test()`: it mails the stored digest through the
`smtp_default` connection to an SMTP server on 127.0.0.1, and a second run for the same day sends
nothing new."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from postwatch.report.digest.inbox import LocalInbox
from postwatch.warehouse.db import read_query
from tests.unit.alerts.world import World, local

ROOT = Path(__file__).resolve().parents[2]
DAY = date(2026, 11, 22)


def test_the_daily_digest_dag_mails_the_day_once_and_stores_it(
    airflow_db: Path, pw_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from airflow.dag_processing.dagbag import DagBag

    w = World()
    w.post("neg", local(DAY, 9), title="Ngập sâu ở phường Đông Thành", tone="negative", likes=120)
    w.post("pos", local(DAY, 10), title="Khánh thành cầu Tân Lập", tone="positive", source="rss-vnexpress")
    w.post("old", local(date(2026, 11, 20), 10), tone="positive", source="rss-vnexpress")
    w.save()
    with LocalInbox() as inbox:
        monkeypatch.setenv("AIRFLOW_CONN_SMTP_DEFAULT", json.dumps({
            "conn_type": "smtp", "host": "127.0.0.1", "port": inbox.port,
            "extra": {"disable_ssl": True, "disable_tls": True, "from_email": "PostWatch <pw@sonha.gov.vn>"},
        }))  # fmt: skip
        dag = DagBag(dag_folder=str(ROOT / "dags" / "daily_digest.py")).get_dag("daily_digest")
        run = dag.test(run_conf={"date": DAY.isoformat(), "recipients": ["lanh.dao@sonha.gov.vn"]})
        assert {ti.task_id: ti.state for ti in run.get_task_instances()} == {
            "build": "success",
            "send": "success",
        }
        again = dag.test(run_conf={"date": DAY.isoformat()})
        assert {ti.task_id: ti.state for ti in again.get_task_instances()} == {
            "build": "success",
            "send": "success",
        }
    [got] = inbox.received
    assert got.rcpt_tos == ["lanh.dao@sonha.gov.vn"]
    counts = dict(read_query(
        "select l.tone, count(*) from posts p join post_labels l using (platform, post_id) "
        "where l.relevant and p.local_date = $d group by 1", {"d": DAY},
    )[1])  # fmt: skip
    assert str(got.message["Subject"]) == (
        f"[PostWatch] Bản tin ngày 22/11/2026: {counts.get('negative', 0)} tiêu cực, "
        f"{counts.get('positive', 0)} tích cực, {counts.get('neutral', 0)} trung lập"
    )
    folder = pw_home / "digests" / DAY.isoformat()
    assert sorted(p.name for p in folder.iterdir()) == [
        "digest.eml",
        "digest.html",
        "digest.txt",
        "trend.png",
    ]
    assert read_query("select sends from digests where day = $d", {"d": DAY})[1] == [(1,)]
