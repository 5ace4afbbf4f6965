"""JSON text columns: Vietnamese kept as written, read back equal, odd values as text."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from postwatch.jsontext import dumps


def test_vietnamese_cues_are_written_as_readable_utf8_json_that_reads_back_equal() -> None:
    cues = [{"term": "không hài lòng", "weight": -0.64, "span": [3, 17]}, ["text", 0, 4, "cháy 🔥"]]
    text = dumps(cues)
    assert "không hài lòng" in text and "\\u" not in text
    assert json.loads(text) == cues


def test_empty_or_missing_values_are_an_empty_json_list() -> None:
    assert dumps([]) == "[]"
    assert dumps(None) == "[]"


def test_values_json_has_no_type_for_are_written_as_their_text() -> None:
    at = datetime(2026, 11, 24, 1, 2, 3, tzinfo=UTC)
    assert json.loads(dumps([{"at": at, "file": Path("a/b.csv")}])) == [
        {"at": "2026-11-24T01:02:03Z", "file": "a/b.csv"}
    ]
