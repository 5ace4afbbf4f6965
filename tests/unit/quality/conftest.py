"""A small registry (three sources) and a migrated warehouse for the data-quality tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from postwatch.registry import Registry

UNITS = """units:
  - {id: sonha, name: Ủy ban nhân dân tỉnh Sơn Hà, level: province, aliases: [Sơn Hà]}
  - {id: sonha.soyte, name: Sở Y tế tỉnh Sơn Hà, level: department, parent: sonha}
"""

SOURCES = """sources:
  - id: rss-baosonha
    name: Báo Sơn Hà
    platform: rss
    kind: press
    url: https://baosonha.vn/rss.xml
    poll_interval: 30
    since: "2025-07-01"
  - id: fb-soyte
    name: Sở Y tế Sơn Hà
    unit: sonha.soyte
    platform: facebook
    kind: official
    page_id: "1001"
    conn_id: fb_soyte
    poll_interval: 60
  - id: yt-sonha
    name: Truyền hình Sơn Hà
    unit: sonha
    platform: youtube
    kind: official
    channel_id: UCsonha
    poll_interval: 120
"""

NOTIFY = """officer:
  name: Lê Thu Hà
  email: ha.lt@sonha.gov.vn
"""


@pytest.fixture
def pw_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    cfg = tmp_path / "config"
    cfg.mkdir()
    (cfg / "units.yaml").write_text(UNITS, encoding="utf-8")
    (cfg / "sources.yaml").write_text(SOURCES, encoding="utf-8")
    (cfg / "notify.yaml").write_text(NOTIFY, encoding="utf-8")
    monkeypatch.setenv("POSTWATCH_CONFIG_DIR", str(cfg))
    return cfg


@pytest.fixture
def warehouse(pw_home: Path, pw_config: Path) -> Iterator[Registry]:
    """Migrated warehouse with the test registry mirrored into it."""
    from postwatch.pipeline.collect import prepare

    yield prepare()
