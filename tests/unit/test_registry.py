"""The registry: valid files load; every mistake names the file, the line and the field."""

from __future__ import annotations

from pathlib import Path

import pytest

from postwatch.registry import Kind, Platform, load_registry
from postwatch.yamlconf import ConfigError

ROOT = Path(__file__).resolve().parents[2]

UNITS = """\
units:
  - id: sonha
    name: UBND tỉnh Sơn Hà
    level: province
  - id: sonha.tanlap
    name: UBND xã Tân Lập
    level: commune
    parent: sonha
    aliases: [xã Tân Lập]
"""

SOURCES = """\
sources:
  - id: fb-sonha
    name: UBND tỉnh Sơn Hà
    unit: sonha
    platform: facebook
    kind: official
    page_id: "100064123456789"
    admin: {name: Lan, email: lan@sonha.gov.vn}
  - id: rss-x
    name: Báo X
    platform: rss
    kind: press
    url: https://example.vn/rss.xml
"""


def write(tmp_path: Path, units: str = UNITS, sources: str = SOURCES) -> Path:
    (tmp_path / "units.yaml").write_text(units, encoding="utf-8")
    (tmp_path / "sources.yaml").write_text(sources, encoding="utf-8")
    return tmp_path


def test_shipped_registry_loads_with_every_platform_it_documents() -> None:
    reg = load_registry(ROOT / "include" / "config")
    platforms = {s.platform for s in reg.sources}
    assert {
        Platform.facebook,
        Platform.youtube,
        Platform.rss,
        Platform.web,
        Platform.zalo,
        Platform.tiktok,
    } <= platforms
    assert all(s.unit for s in reg.sources if s.kind == Kind.official)


def test_valid_files_load_into_typed_models(tmp_path: Path) -> None:
    reg = load_registry(write(tmp_path))
    assert [u.id for u in reg.units] == ["sonha", "sonha.tanlap"]
    assert reg.source("fb-sonha").admin.email == "lan@sonha.gov.vn"
    assert reg.source("rss-x").poll_interval == 60


def test_unknown_platform_names_file_line_and_field(tmp_path: Path) -> None:
    bad = SOURCES.replace("platform: rss", "platform: myspace")
    with pytest.raises(ConfigError) as exc:
        load_registry(write(tmp_path, sources=bad))
    assert exc.value.path.endswith("sources.yaml")
    assert exc.value.line == 11
    assert exc.value.field == "sources.1.platform"
    assert "sources.yaml:11: sources.1.platform" in str(exc.value)


def test_missing_required_field_for_platform_is_reported_at_the_source(tmp_path: Path) -> None:
    bad = SOURCES.replace('    page_id: "100064123456789"\n', "")
    with pytest.raises(ConfigError) as exc:
        load_registry(write(tmp_path, sources=bad))
    assert exc.value.line == 2
    assert "page_id" in str(exc.value)


def test_unknown_unit_is_reported_on_its_line(tmp_path: Path) -> None:
    bad = SOURCES.replace("unit: sonha", "unit: sonha.nowhere")
    with pytest.raises(ConfigError) as exc:
        load_registry(write(tmp_path, sources=bad))
    assert (exc.value.line, exc.value.field) == (4, "sources.0.unit")
    assert "sonha.nowhere" in exc.value.message


def test_bad_email_in_admin_contact_points_at_the_nested_field(tmp_path: Path) -> None:
    bad = SOURCES.replace("lan@sonha.gov.vn", "not-an-email")
    with pytest.raises(ConfigError) as exc:
        load_registry(write(tmp_path, sources=bad))
    assert exc.value.field == "sources.0.admin.email"
    assert exc.value.line == 8


def test_yaml_syntax_error_gives_the_line(tmp_path: Path) -> None:
    bad = UNITS.replace("    level: commune", "    level: [commune")
    with pytest.raises(ConfigError) as exc:
        load_registry(write(tmp_path, units=bad))
    assert exc.value.path.endswith("units.yaml")
    assert exc.value.line is not None and exc.value.line >= 7


def test_duplicate_source_id_and_unknown_parent_are_rejected(tmp_path: Path) -> None:
    dup = SOURCES.replace("id: rss-x", "id: fb-sonha")
    with pytest.raises(ConfigError, match="duplicate source id 'fb-sonha'") as exc:
        load_registry(write(tmp_path, sources=dup))
    assert exc.value.line == 9
    orphan = UNITS.replace("parent: sonha", "parent: ghost")
    with pytest.raises(ConfigError, match="unknown parent unit 'ghost'") as exc2:
        load_registry(write(tmp_path, units=orphan))
    assert exc2.value.line == 8


def test_unknown_key_is_an_error_not_silently_ignored(tmp_path: Path) -> None:
    bad = SOURCES.replace("    kind: press\n", "    kind: press\n    pol_interval: 5\n")
    with pytest.raises(ConfigError) as exc:
        load_registry(write(tmp_path, sources=bad))
    assert exc.value.field == "sources.1.pol_interval"
    assert exc.value.line == 13


def test_environment_variables_expand_and_missing_ones_are_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    templated = SOURCES.replace("https://example.vn", "${FEED_BASE:-https://fallback.vn}")
    assert (
        str(load_registry(write(tmp_path, sources=templated)).source("rss-x").url)
        == "https://fallback.vn/rss.xml"
    )
    monkeypatch.setenv("FEED_BASE", "http://127.0.0.1:9")
    assert (
        str(load_registry(write(tmp_path, sources=templated)).source("rss-x").url)
        == "http://127.0.0.1:9/rss.xml"
    )
    strict = SOURCES.replace("https://example.vn", "${NO_SUCH_VAR_PW}")
    with pytest.raises(ConfigError, match="NO_SUCH_VAR_PW") as exc:
        load_registry(write(tmp_path, sources=strict))
    assert exc.value.line == 13
