"""`postwatch rules test` and `postwatch rules match`, run through the real CLI app."""

from __future__ import annotations

import shutil
from pathlib import Path

from typer.testing import CliRunner

from postwatch.cli import app

ROOT = Path(__file__).resolve().parents[3]
runner = CliRunner()


def test_rules_test_passes_on_the_shipped_packs() -> None:
    result = runner.invoke(app, ["rules", "test", "--config-dir", str(ROOT / "include" / "config")])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("ok: 7 packs")


def test_rules_test_fails_and_names_the_example_that_broke(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "include" / "config" / "rules", tmp_path / "rules")
    pack = tmp_path / "rules" / "incidents.yaml"
    pack.write_text(
        pack.read_text(encoding="utf-8").replace(
            '- "Anh ấy chạy xe máy về quê ăn Tết."', '- "Một vụ cháy nhỏ ở bếp."'
        ),
        encoding="utf-8",
    )
    result = runner.invoke(app, ["rules", "test", "--config-dir", str(tmp_path)])
    assert result.exit_code == 1
    assert "incidents/incident.fire: should not match but does: Một vụ cháy nhỏ ở bếp." in result.output
    assert "1 of " in result.output


def test_rules_test_reports_a_broken_pack_with_its_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "x.yaml").write_text("id: x\nversion: 1\nname: Thử\nrules: [\n", encoding="utf-8")
    result = runner.invoke(app, ["rules", "test", "--config-dir", str(tmp_path)])
    assert result.exit_code == 1
    assert "x.yaml:5" in result.output and "YAML syntax" in result.output


def test_rules_match_shows_where_a_query_matches() -> None:
    result = runner.invoke(
        app,
        ["rules", "match", "--query", '"tin giả" NEAR/3 covid*', "--text", "Cảnh báo tin giả về Covid-19"],
    )
    assert result.exit_code == 0, result.output
    assert "match (1 span)" in result.output
    assert "text[9:25] tin giả về Covid" in result.output


def test_rules_match_looks_at_the_title_and_fields_given() -> None:
    result = runner.invoke(
        app,
        [
            "rules",
            "match",
            "-q",
            "title:cháy AND platform:facebook",
            "-t",
            "x",
            "--title",
            "Cháy",
            "--platform",
            "facebook",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "title[0:4] Cháy" in result.output


def test_rules_match_exits_1_when_the_query_does_not_match() -> None:
    result = runner.invoke(app, ["rules", "match", "-q", "cháy", "-t", "Anh ấy chạy bộ mỗi sáng"])
    assert result.exit_code == 1
    assert "no match" in result.output


def test_rules_match_exits_2_with_a_caret_under_the_bad_column() -> None:
    result = runner.invoke(app, ["rules", "match", "-q", "cháy AND (nổ OR", "-t", "x"])
    assert result.exit_code == 2
    lines = result.output.splitlines()
    assert "syntax error at column 16" in lines[0]
    query_line = next(i for i, line in enumerate(lines) if line == "  cháy AND (nổ OR")
    assert lines[query_line + 1] == "  " + " " * 15 + "^"
