"""The example queries in sql/examples run on a migrated warehouse through `postwatch sql --file`."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from typer.testing import CliRunner

from postwatch.cli import app
from postwatch.settings import PROJECT_ROOT
from tests.unit.ui.seed import seed

EXAMPLES = sorted((PROJECT_ROOT / "sql" / "examples").glob("*.sql"))


def run_example(path: Path) -> list[dict[str, str]]:
    result = CliRunner().invoke(app, ["sql", "--csv", "--file", str(path)])
    assert result.exit_code == 0, result.output
    return list(csv.DictReader(io.StringIO(result.stdout)))


@pytest.fixture
def seeded(pw_home: Path) -> bool:
    return seed().alerts


def test_there_are_examples_and_each_is_documented() -> None:
    doc = (PROJECT_ROOT / "docs" / "sql-examples.md").read_text(encoding="utf-8")
    assert len(EXAMPLES) >= 5
    for path in EXAMPLES:
        assert f"sql/examples/{path.name}" in doc, path.name


def test_every_example_runs_on_a_seeded_warehouse(seeded: bool) -> None:
    for path in EXAMPLES:
        if path.stem == "alerts_overdue" and not seeded:
            continue
        run_example(path)


def test_coverage_by_unit_this_week_counts_the_seven_days_to_the_latest(seeded: bool) -> None:
    rows = {
        r["unit_id"]: r for r in run_example(PROJECT_ROOT / "sql/examples/coverage_by_unit_this_week.sql")
    }
    # Seeded days 0, 1 and 5 fall in the week; day 13 does not.
    assert {u: int(r["total"]) for u, r in rows.items()} == {"sonha": 7, "sonha.tanlap": 4, "sonha.soyte": 3}
    assert rows["sonha.tanlap"]["negative_share"] == "0.75"


def test_most_shared_negative_stories_leave_out_positive_and_irrelevant_posts(seeded: bool) -> None:
    rows = run_example(PROJECT_ROOT / "sql/examples/most_shared_negative_stories.sql")
    assert len(rows) == 5  # 3 on the last day + 2 five days before; the irrelevant one is not counted


def test_quarantine_by_reason_counts_only_open_records(seeded: bool) -> None:
    rows = run_example(PROJECT_ROOT / "sql/examples/quarantine_by_reason.sql")
    assert sum(int(r["records"]) for r in rows) == 3


def test_the_query_can_come_from_standard_input(seeded: bool) -> None:
    result = CliRunner().invoke(app, ["sql", "--csv"], input="select count(*) as n from units\n")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ["n", "3"]
