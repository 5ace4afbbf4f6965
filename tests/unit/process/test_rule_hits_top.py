"""The rule_hits_top view lists the words a rule fired on as an officer would type them."""

from __future__ import annotations

from pathlib import Path

from postwatch.process.run import analyzer_for, process_new
from postwatch.warehouse.db import read_query
from postwatch.warehouse.migrate import migrate

from .conftest import WATCHED, load_posts


def test_a_phrase_matched_across_a_line_break_is_listed_with_one_space(pw_home: Path) -> None:
    migrate()
    text = "Mưa lớn kéo dài gây SẠT\nLỞ đất ở thôn Khe Mát, xã Tân Lập, nhiều hộ dân phải sơ tán"
    load_posts(WATCHED, [{"item_id": "77_9", "text": text, "published": "2026-11-20T08:00:00+07:00"}])
    process_new(analyzer_for(None, None, None))
    spans = read_query(r"select spans from rule_hits where spans like '%SẠT\nLỞ%'")[1]
    assert spans, "the stored span keeps the text as written, line break included"
    words = read_query("select flatten(list(words)) from rule_hits_top")[1][0][0]
    assert "sạt lở" in words and not [w for w in words if "\n" in w]
