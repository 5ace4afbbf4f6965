"""The data dictionary comes from the schema: every comment reaches it, and the copy in docs/ is current."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from postwatch.docs_gen import build_dictionary, view_header
from postwatch.settings import PROJECT_ROOT, get_settings

COMMENT = re.compile(r"comment on column\s+(\w+)\.(\w+)\s+is\s+'((?:[^']|'')*)'", re.I)


@pytest.fixture(scope="module")
def dictionary() -> str:
    return build_dictionary()


def row(markdown: str, relation: str, column: str) -> str:
    """The table row of ``column`` in the section of ``relation``."""
    section = markdown.split(f"\n### {relation}\n", 1)[1].split("\n### ", 1)[0]
    for line in section.splitlines():
        if line.startswith(f"| `{column}` |"):
            return line
    raise AssertionError(f"{relation}.{column} not in the dictionary")


def test_every_column_comment_in_the_schema_files_is_in_the_dictionary(dictionary: str) -> None:
    comments = [
        m.groups()
        for p in sorted((get_settings().sql_dir / "schema").glob("*.sql"))
        for m in COMMENT.finditer(p.read_text("utf-8"))
    ]
    assert len(comments) > 40
    for table, column, text in comments:
        assert text.replace("''", "'").replace("|", "\\|") in row(dictionary, table, column), (table, column)


def test_each_table_names_the_migration_that_creates_it(dictionary: str) -> None:
    assert "### posts\n\nTable, defined in `sql/schema/001_core.sql`." in dictionary
    assert "| `local_date` | DATE | no | Publication day in Asia/Ho_Chi_Minh" in row(
        dictionary, "posts", "local_date"
    )


def test_view_columns_are_described_from_the_views_header_comment(dictionary: str) -> None:
    assert "days since that post (null: never posted)" in row(dictionary, "units_silent", "days_silent")
    # A line listing several columns describes each of them.
    for column in ("positive_posts", "negative_posts", "neutral_posts"):
        assert "of those, by tone" in row(dictionary, "unit_scoreboard_daily", column)


def test_a_header_block_with_continuation_lines_joins_them(tmp_path: Path) -> None:
    path = tmp_path / "v.sql"
    path.write_text(
        "-- v: what v is.\n--\n-- Columns:\n"
        "--   a, b        first part\n--                 and more\n--   c           third\n"
        "create view v as select 1 as a, 2 as b, 3 as c\n",
        encoding="utf-8",
    )
    prose, cols = view_header(path)
    assert prose == "What v is."
    assert cols == {"a": "first part and more", "b": "first part and more", "c": "third"}


def test_the_dictionary_in_docs_is_up_to_date(dictionary: str) -> None:
    committed = (PROJECT_ROOT / "docs" / "data-dictionary.md").read_text(encoding="utf-8")
    assert committed == dictionary, "docs/data-dictionary.md is stale: run `postwatch docs dictionary`"
