"""Landing files are read back whole, member by member, however many members and however big."""

from __future__ import annotations

import gzip
import json
import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

from postwatch.collect import landing
from postwatch.collect.landing import Lander, read_file

WHEN = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)


def _land(tmp_path: Path, bodies: list[bytes]) -> Path:
    lander = Lander(tmp_path, "src", "rss", run_id="run")
    for i, body in enumerate(bodies):
        lander.land(f"https://x.vn/{i}", 200, {}, body, fetched_at=WHEN)
    (path,) = lander.paths
    return path


def test_thousands_of_members_and_one_larger_than_the_read_window_come_back_in_order(tmp_path: Path) -> None:
    big = os.urandom(3 * landing.READ_WINDOW)  # incompressible: its member spans several windows
    bodies = [f"trang {i} – Sơn Hà".encode() for i in range(3000)]
    bodies[1500] = big
    path = _land(tmp_path, bodies)
    got = list(read_file(path))
    assert [p.body for p in got] == bodies
    assert [p.ref for p in got] == [f"{path}#{i}" for i in range(3000)]


def test_a_truncated_last_member_is_skipped_and_the_earlier_ones_are_kept(tmp_path: Path) -> None:
    path = _land(tmp_path, [b"one", b"two"])
    whole = path.read_bytes()
    with path.open("ab") as fh:
        fh.write(gzip.compress(b'{"source_id": "src"}\n')[:-9])  # the writer died mid-payload
    assert [p.body for p in read_file(path)] == [b"one", b"two"]
    path.write_bytes(whole + b"not gzip at all")
    assert [p.body for p in read_file(path)] == [b"one", b"two"]


def test_a_payload_read_back_parses_as_its_bytes_would(tmp_path: Path) -> None:
    bodies = [
        '{"data": [{"message": "Hoà Bình \\u00e9 😀", "id": "1"}], "paging": {}}'.encode(),
        '\ufeff[1, "bom"]'.encode(),  # a UTF-8 BOM: json.loads takes it in bytes, refuses it in text
        "[1.5e3, null, true]".encode("utf-16"),  # not UTF-8: landed as base64, parsed from bytes
        b"not json",
    ]
    path = _land(tmp_path, bodies)
    got = list(read_file(path))
    assert [p.body for p in got] == bodies
    for p, body in zip(got[:3], bodies[:3], strict=True):
        assert p.json() == json.loads(body)
    with pytest.raises(ValueError):
        got[3].json()


def test_a_payload_read_back_equals_the_one_landed(tmp_path: Path) -> None:
    lander = Lander(tmp_path, "src", "rss", run_id="run")
    landed = lander.land("https://x.vn/a", 200, {"ETag": "x"}, "Sơn Hà".encode(), {"kind": "feed"}, WHEN)
    (back,) = read_file(lander.paths[0])
    assert back == landed and back.body == "Sơn Hà".encode()
    assert back.headers == {"etag": "x"} and back.meta == {"kind": "feed"}
    with pytest.raises(ValueError, match="needs its body"):
        landing.LandedPayload("src", "rss", WHEN, "u", 200, {})


def test_line_and_paragraph_separators_inside_a_body_do_not_split_its_line(tmp_path: Path) -> None:
    body = '{"message": "dòng 1\u2028dòng 2\u2029\x85 kết"}'.encode()
    lander = Lander(tmp_path, "src", "facebook", run_id="run")
    for i in range(2):
        lander.land(f"https://x.vn/{i}", 200, {}, body, fetched_at=WHEN)
    path = lander.paths[0]
    # Two payloads in one gzip member as well: an older writer, or members joined by a copy.
    members = [p.to_json() + "\n" for p in read_file(path)]
    path.write_bytes(path.read_bytes() + gzip.compress("".join(members).encode()))
    got = list(read_file(path))
    assert len(got) == 4 and all(p.json() == json.loads(body) for p in got)
    assert [p.ref for p in got] == [f"{path}#{i}" for i in range(4)]


def test_what_json_dumps_writes_and_a_strict_parser_refuses_still_reads_back(tmp_path: Path) -> None:
    lander = Lander(tmp_path, "src", "rss", run_id="run")
    lander.land("https://x.vn/a", 200, {}, b"{}", {"score": float("inf")}, WHEN)
    (back,) = read_file(lander.paths[0])
    assert back.meta == {"score": float("inf")} and back.body == b"{}"
