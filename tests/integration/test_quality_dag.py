"""The `data_quality` DAG run for real with `dag.test()`: it re-validates a date range of stored
history (posts, landing files, source checks), records the results, builds the Data Docs, and its
form rejects a malformed date."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from postwatch.demo.server import FixtureServer, Response
from postwatch.normalize.times import VN_FIXED
from postwatch.pipeline.collect import fetch_source, load_run, prepare
from postwatch.warehouse.db import read_query

ROOT = Path(__file__).resolve().parents[2]
RSS = """<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Báo Sơn Hà</title>
<item><guid>bsh-1</guid><title>Sơn Hà khánh thành cầu Tân Lập</title><link>https://baosonha.vn/1.html</link>
<description>Cây cầu mới nối hai xã.</description><pubDate>Fri, 20 Nov 2026 08:00:00 +0700</pubDate></item>
<item><guid>bsh-2</guid><title>Hòa Bình vào mùa gặt</title><link>https://baosonha.vn/2.html</link>
<description>Nông dân phấn khởi.</description><pubDate>Sat, 21 Nov 2026 09:00:00 +0700</pubDate></item>
</channel></rss>"""
UNITS = "units:\n  - {id: sonha, name: Ủy ban nhân dân tỉnh Sơn Hà, level: province}\n"
SOURCES = """sources:
  - id: rss-baosonha
    name: Báo Sơn Hà
    platform: rss
    kind: press
    url: {base}/rss.xml
"""


def test_data_quality_revalidates_a_range_and_rejects_a_bad_date(
    airflow_db: Path, pw_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from airflow.dag_processing.dagbag import DagBag
    from airflow.sdk.exceptions import ParamValidationError

    cfg = tmp_path / "config"
    cfg.mkdir()
    monkeypatch.setenv("POSTWATCH_CONFIG_DIR", str(cfg))
    with FixtureServer() as srv:
        srv.script("/rss.xml", [Response(200, RSS, content_type="application/rss+xml")])
        (cfg / "units.yaml").write_text(UNITS, encoding="utf-8")
        (cfg / "sources.yaml").write_text(SOURCES.format(base=srv.base_url), encoding="utf-8")
        registry = prepare()
        assert fetch_source("rss-baosonha", "collect_1", registry=registry).status == "ok"
    load_run("collect_1", ["rss-baosonha"])
    today = datetime.now(VN_FIXED).date().isoformat()

    dag = DagBag(dag_folder=str(ROOT / "dags")).get_dag("data_quality")
    with pytest.raises(ParamValidationError):
        dag.test(run_conf={"start": "20/11/2026", "end": today})
    run = dag.test(run_conf={"start": "2026-11-20", "end": today, "source": "rss-baosonha"})

    states = {ti.task_id: ti.state for ti in run.get_task_instances()}
    assert states == {"revalidate": "success", "docs": "success"}
    runs = read_query(
        "select suite, rows_checked, rows_failed, success from dq_runs "
        "where trigger = 'data_quality' order by suite"
    )[1]
    assert runs == [
        ("landing_reconciliation", 1, 0, True),
        ("normalized_posts", 2, 0, True),
        ("source_checks", 1, 0, True),
    ]
    assert (pw_home / "gx" / "data_docs" / "index.html").is_file()
