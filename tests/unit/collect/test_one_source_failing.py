"""One failing source never stops the others: pipeline.fetch_source records each source's health."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from postwatch.demo.server import FixtureServer, Response
from postwatch.pipeline.collect import fetch_source, load_run, prepare
from postwatch.warehouse.db import read_query
from tests.unit.collect import Clock, http_client

RUN = "manual__2026-11-22T00:00:00+00:00"
FEED = """<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Báo Sơn Hà</title>
<item><guid>bsh-1</guid><title>Sơn Hà khánh thành cầu Tân Lập</title><link>https://baosonha.vn/1.html</link>
<description>Cây cầu mới nối hai xã.</description><pubDate>Sat, 21 Nov 2026 08:00:00 +0700</pubDate></item>
<item><guid>bsh-2</guid><title>Hòa Bình vào mùa gặt</title><link>https://baosonha.vn/2.html</link>
<description>Nông dân phấn khởi.</description><pubDate>Sat, 21 Nov 2026 09:00:00 +0700</pubDate></item>
</channel></rss>"""


def write_config(config: Path, base: str) -> None:
    config.mkdir(parents=True)
    (config / "units.yaml").write_text(
        "units:\n  - id: sonha\n    name: Ủy ban nhân dân tỉnh Sơn Hà\n    level: province\n",
        encoding="utf-8",
    )
    (config / "sources.yaml").write_text(
        f"""sources:
  - id: fb-broken
    name: UBND tỉnh Sơn Hà
    unit: sonha
    platform: facebook
    kind: official
    page_id: "100064123456789"
    conn_id: fb_test
    api_base: {base}/graph
  - id: rss-down
    name: Báo đang bảo trì
    platform: rss
    kind: press
    url: {base}/rss/down.xml
  - id: tiktok-missing
    name: TikTok chưa xuất tệp
    unit: sonha
    platform: tiktok
    kind: official
    file:
      path: imports/khong-co.csv
      columns: {{id: Video ID, published_at: Create time}}
  - id: rss-good
    name: Báo Sơn Hà
    platform: rss
    kind: press
    url: {base}/rss/good.xml
""",
        encoding="utf-8",
    )


def test_one_failing_source_does_not_stop_the_others(
    pw_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with FixtureServer() as srv:
        expired = {"error": {"message": "Session has expired", "type": "OAuthException", "code": 190}}
        srv.script("/graph/v23.0/100064123456789/feed", [Response(400, json.dumps(expired))])
        srv.script("/rss/down.xml", [Response(503, "maintenance")])
        srv.script(
            "/rss/good.xml", [Response(200, FEED, {"ETag": '"g1"'}, content_type="application/rss+xml")]
        )
        config = tmp_path / "config"
        write_config(config, srv.base_url)
        monkeypatch.setenv("POSTWATCH_CONFIG_DIR", str(config))
        monkeypatch.setenv("POSTWATCH_TOKEN_FB_TEST", "EAAB-expired-token")
        registry = prepare()
        ids = [s.id for s in registry.sources]
        with http_client(Clock(), http_max_retries=1) as client:
            outcomes = {sid: fetch_source(sid, RUN, registry=registry, client=client) for sid in ids}
            again = fetch_source("rss-good", RUN + "b", registry=registry, client=client)

    assert {sid: o.status for sid, o in outcomes.items()} == {
        "fb-broken": "auth_failed",
        "rss-down": "error",
        "tiktok-missing": "error",
        "rss-good": "ok",
    }
    assert "fb_test" in outcomes["fb-broken"].message
    assert "EAAB-expired-token" not in outcomes["fb-broken"].message
    assert "khong-co.csv not found" in outcomes["tiktok-missing"].message
    assert outcomes["rss-down"].retryable and not outcomes["fb-broken"].retryable
    assert outcomes["rss-good"].payloads == 1
    assert again.status == "not_modified"  # conditional GET: 304 on the second poll

    _, rows = read_query("select source_id, status from source_state order by source_id")
    assert dict(rows) == {
        "fb-broken": "auth_failed",
        "rss-down": "error",
        "rss-good": "not_modified",
        "tiktok-missing": "error",
    }
    summary = load_run(RUN, ids, registry=registry)
    assert summary["rss-good"]["new"] == 2
    _, posts = read_query("select source_id, post_id from posts order by post_id")
    assert posts == [("rss-good", "bsh-1"), ("rss-good", "bsh-2")]
