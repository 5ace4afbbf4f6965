"""The `collect` DAG, parsed like the scheduler parses it and run for real with `dag.test()`."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from postwatch.demo.server import FixtureServer, Response, json_response
from postwatch.warehouse.db import read_query

ROOT = Path(__file__).resolve().parents[2]

RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Báo Sơn Hà</title><link>http://example.vn/</link>
<description>Tin tức</description>
<item><title>Xã Tân Lập khánh thành trường học mới</title><link>{base}/bai/1.html?utm_source=rss</link>
<guid>{base}/bai/1.html</guid><pubDate>Fri, 20 Nov 2026 08:00:00 +0700</pubDate>
<description>&lt;p&gt;Ngôi trường mới khang trang cho học sinh xã Tân Lập.&lt;/p&gt;</description></item>
<item><title>Sạt lở đất ở xã Hòa Bình</title><link>{base}/bai/2.html</link><guid>{base}/bai/2.html</guid>
<pubDate>Sat, 21 Nov 2026 09:30:00 +0700</pubDate><description>Mưa lớn gây sạt lở taluy.</description></item>
<item><title></title><link>{base}/bai/3.html</link><guid>{base}/bai/3.html</guid>
<pubDate>Sat, 21 Nov 2026 10:30:00 +0700</pubDate><description></description></item>
</channel></rss>"""

UNITS = """units:
  - {id: sonha, name: Ủy ban nhân dân tỉnh Sơn Hà, level: province, aliases: [Sơn Hà]}
  - {id: sonha.tanlap, name: Ủy ban nhân dân xã Tân Lập, level: commune, parent: sonha}
"""

SOURCES = """sources:
  - id: rss-baosonha
    name: Báo Sơn Hà
    platform: rss
    kind: press
    url: {base}/rss.xml
  - id: fb-ubnd
    name: UBND tỉnh Sơn Hà
    unit: sonha
    platform: facebook
    kind: official
    page_id: "1000"
    conn_id: fb_test_page
    api_base: {base}/graph
"""


def _dagbag() -> object:
    from airflow.dag_processing.dagbag import DagBag

    return DagBag(dag_folder=str(ROOT / "dags"))


def test_every_dag_file_imports_without_errors_and_documents_itself(airflow_db: Path) -> None:
    bag = _dagbag()
    assert bag.import_errors == {}
    files = sorted(p.stem for p in (ROOT / "dags").glob("*.py"))
    assert sorted(bag.dag_ids) == files, "one DAG per file, its id the file name"
    for dag_id in bag.dag_ids:
        dag = bag.get_dag(dag_id)
        assert dag.doc_md and dag.doc_md.strip(), f"{dag_id} has no doc_md"
        assert "postwatch" in dag.tags, f"{dag_id} is not tagged postwatch"


@pytest.fixture
def sources(tmp_path: Path, pw_home: Path, monkeypatch: pytest.MonkeyPatch):
    with FixtureServer() as srv:
        srv.script(
            "/rss.xml", [Response(200, RSS.format(base=srv.base_url), content_type="application/rss+xml")]
        )
        srv.script(
            "/graph/v23.0/1000/feed",
            [json_response({"error": {"message": "Error validating access token: Session has expired",
                                      "type": "OAuthException", "code": 190, "error_subcode": 463}}, 400)],
        )  # fmt: skip
        cfg = tmp_path / "config"
        cfg.mkdir()
        (cfg / "units.yaml").write_text(UNITS, encoding="utf-8")
        (cfg / "sources.yaml").write_text(SOURCES.format(base=srv.base_url), encoding="utf-8")
        monkeypatch.setenv("POSTWATCH_CONFIG_DIR", str(cfg))
        monkeypatch.setenv(
            "AIRFLOW_CONN_FB_TEST_PAGE", json.dumps({"conn_type": "generic", "password": "expired-token"})
        )
        yield srv


def test_a_collect_run_loads_the_good_source_and_records_the_failed_one(airflow_db: Path, sources) -> None:
    dag = _dagbag().get_dag("collect")
    run = dag.test()
    posts = read_query("select source_id, post_id, url, local_date::varchar from posts order by post_id")[1]
    base = sources.base_url
    assert posts == [
        ("rss-baosonha", f"{base}/bai/1.html", f"{base}/bai/1.html", "2026-11-20"),
        ("rss-baosonha", f"{base}/bai/2.html", f"{base}/bai/2.html", "2026-11-21"),
    ]
    quarantined = read_query("select source_id, reason from quarantine")[1]
    assert quarantined == [("rss-baosonha", "empty post: no title and no text")]
    state = dict(read_query("select source_id, status from source_state")[1])
    assert state == {"rss-baosonha": "ok", "fb-ubnd": "auth_failed"}
    message = read_query("select message from source_state where source_id = 'fb-ubnd'")[1][0][0]
    assert "190" in message and "expired-token" not in message
    states = {ti.task_id: ti.state for ti in run.get_task_instances()}
    assert states["load"] == "success", "a failing source never stops the load of the others"
    assert "expired-token" not in os.popen(f"zcat -f {os.environ['POSTWATCH_HOME']}/landing/*/*/*.gz").read()


def test_running_collect_twice_leaves_the_same_counts(airflow_db: Path, sources) -> None:
    dag = _dagbag().get_dag("collect")
    dag.test()
    first = read_query("select count(*), sum(version) from posts")[1]
    dag.test()
    assert read_query("select count(*), sum(version) from posts")[1] == first
    assert read_query("select count(*) from quarantine where status = 'open'")[1] == [(1,)]


def test_a_backfill_from_the_form_polls_only_the_chosen_sources_from_its_first_day(
    airflow_db: Path, sources
) -> None:
    from airflow.sdk.exceptions import ParamValidationError

    dag = _dagbag().get_dag("collect")
    with pytest.raises(ParamValidationError):
        dag.test(run_conf={"sources": ["rss-typo"]})  # not a source in sources.yaml: refused in the form
    with pytest.raises(ParamValidationError):
        dag.test(run_conf={"since": "21/11/2026"})
    assert not list(Path(os.environ["POSTWATCH_HOME"]).glob("landing/*/*")), "nothing ran for bad input"

    run = dag.test(run_conf={"sources": ["rss-baosonha"], "since": "2026-11-21", "until": "2026-11-21"})
    assert {ti.task_id: ti.state for ti in run.get_task_instances()}["load"] == "success"
    base = sources.base_url
    assert read_query("select post_id from posts")[1] == [(f"{base}/bai/2.html",)], "from 21 Nov on only"
    assert read_query("select source_id, status from source_state")[1] == [("rss-baosonha", "ok")]
