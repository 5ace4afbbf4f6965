"""Landing files are read back whole, member by member, however many members and however big."""

from __future__ import annotations

import gzip
import os
from datetime import UTC, datetime
from pathlib import Path

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
