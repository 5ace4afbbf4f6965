"""The embedded warehouse follows its folder: a copied or moved POSTWATCH_HOME still opens."""

from __future__ import annotations

import shutil
from pathlib import Path

from postwatch.settings import Settings
from postwatch.warehouse.db import read_query, writer
from postwatch.warehouse.migrate import migrate


def test_a_copied_home_opens_reads_and_takes_writes_without_touching_the_original(tmp_path: Path) -> None:
    first = Settings(home=tmp_path / "first")
    migrate(first)
    # Enough rows to land in parquet files under the data path rather than inline in the catalog.
    writer(lambda con: con.execute("create table numbers as select range as n from range(50000)"), first)
    assert list((tmp_path / "first" / "warehouse" / "data").rglob("*.parquet"))

    shutil.copytree(tmp_path / "first", tmp_path / "copy")
    shutil.rmtree(tmp_path / "first")  # the original is gone: the copy must not need it
    copy = Settings(home=tmp_path / "copy")
    assert read_query("select count(*), sum(n) from numbers", settings=copy)[1] == [(50000, 1249975000)]

    writer(lambda con: con.execute("insert into numbers select range from range(50000, 100000)"), copy)
    assert read_query("select count(*) from numbers", settings=copy)[1] == [(100000,)]
    assert not (tmp_path / "first").exists(), "nothing was written back to the old place"
