"""File import: CSV / JSON / JSONL / XLSX with a column mapping; bad rows quarantined by row number."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from postwatch.collect.base import SourceError, SourceState
from postwatch.registry import Source
from tests.unit.collect import (
    Clock,
    Fetched,
    cp1258,
    fetch,
    http_client,
    landed_under,
    make_source,
    nfc,
    parse_all,
)

COLUMNS = {
    "id": "Video ID",
    "url": "Video link",
    "text": "Caption",
    "published_at": "Create time",
    "likes": "Likes",
    "comments": "Comments",
    "shares": "Shares",
    "views": "Views",
}
HEADER = list(COLUMNS.values())
ROWS = [
    [
        "7310000000000000001",
        "https://www.tiktok.com/@sonhatv/video/1",
        "Lễ hội Hòa Bình #sonha",
        "2026-11-20 19:30",
        "120",
        "8",
        "3",
        "4500",
    ],
    [
        "7310000000000000002",
        "https://www.tiktok.com/@sonhatv/video/2",
        "Thủy Nguyên vào mùa",
        "2026-11-21 07:05",
        "1,204",
        "15",
        "9",
        "10200",
    ],
]


def file_source(path: Path, platform: str = "tiktok", **file_kw: Any) -> Source:
    return make_source(
        id="tiktok-test",
        name="Sơn Hà TV trên TikTok",
        platform=platform,
        kind="official",
        unit="sonha",
        file={"path": str(path), "columns": COLUMNS, **file_kw},
    )


def write_csv(path: Path, rows: list[list[str]], encoding: str = "utf-8", sep: str = ",") -> Path:
    lines = [sep.join(HEADER)] + [sep.join(f'"{c}"' if sep in c else c for c in r) for r in rows]
    text = "\r\n".join(lines) + "\r\n"
    path.write_bytes(cp1258(text) if encoding == "cp1258" else text.encode(encoding))
    return path


def poll(src: Source, tmp_path: Path, state: SourceState | None = None, run_id: str = "r1") -> Fetched:
    with http_client(Clock()) as client:
        return fetch(src, client, tmp_path, state, run_id=run_id)


def test_a_csv_export_is_landed_whole_and_read_with_its_column_mapping(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "tiktok.csv", ROWS)
    got = poll(file_source(path), tmp_path)
    assert [p.body for p in got.payloads] == [path.read_bytes()]
    first, second = got.items
    assert first.platform == "tiktok"
    assert first.item_id == "7310000000000000001"
    assert first.text == "Lễ hội Hòa Bình #sonha"
    assert first.url == "https://www.tiktok.com/@sonhatv/video/1"
    # naive export times are local (Asia/Ho_Chi_Minh): 19:30 +07 is 12:30 UTC
    assert first.published == "2026-11-20T12:30:00+00:00"
    assert (second.likes, second.comments, second.shares, second.views) == ("1,204", "15", "9", "10200")
    assert first.native["Video ID"] == "7310000000000000001"
    assert got.state.watermark == datetime(2026, 11, 21, 0, 5, tzinfo=UTC)
    assert got.state.etag and got.state.etag.startswith("sha256:")


def test_a_bad_row_is_quarantined_with_its_row_number_while_the_others_parse(tmp_path: Path) -> None:
    rows = [
        ROWS[0],
        ["7310000000000000003", "https://t/3", "Ngày hỏng", "hôm qua", "1", "1", "1", "1"],
        ["", "", "Không có mã", "2026-11-21 08:00", "1", "1", "1", "1"],
        ["7310000000000000005", "https://t/5", "Số hỏng", "2026-11-21 09:00", "nhiều", "1", "1", "1"],
        ROWS[1],
    ]
    path = write_csv(tmp_path / "tiktok.csv", rows)
    got = poll(file_source(path), tmp_path)
    good = [i.item_id for i in got.items if not i.problem]
    problems = [i.problem for i in got.items if i.problem]
    assert good == ["7310000000000000001", "7310000000000000002"]
    assert problems == [
        "tiktok.csv row 3: column 'Create time' (published_at) holds 'hôm qua', not a date and time",
        "tiktok.csv row 4: no value in column 'Video ID' (the post id)",
        "tiktok.csv row 5: column 'Likes' (likes) holds 'nhiều', not a whole number",
    ]
    bad = next(i for i in got.items if i.problem and "row 3" in i.problem)
    assert bad.item_id == "7310000000000000003"
    assert bad.native["Caption"] == "Ngày hỏng"


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "cp1258"])
def test_csv_exports_in_the_usual_encodings_are_decoded(tmp_path: Path, encoding: str) -> None:
    rows = [["1", "https://t/1", "Phường Đông Thành", "21/11/2026 07:05", "1", "2", "3", "4"]]
    path = write_csv(tmp_path / "export.csv", rows, encoding=encoding)
    got = poll(file_source(path), tmp_path)
    (item,) = got.items
    assert item.problem is None
    assert nfc(item.text) == "Phường Đông Thành"
    assert item.published == "2026-11-21T00:05:00+00:00"


def test_a_semicolon_separated_csv_is_sniffed(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "export.csv", ROWS, sep=";")
    got = poll(file_source(path), tmp_path)
    assert [i.item_id for i in got.items] == ["7310000000000000001", "7310000000000000002"]
    assert got.items[1].likes == "1,204"


def test_a_json_export_with_a_nested_record_list_is_read(tmp_path: Path) -> None:
    doc = {
        "Video": {
            "Videos": {
                "VideoList": [
                    {
                        "Video ID": 1,
                        "Video link": "https://t/1",
                        "Caption": "Một",
                        "Create time": 1795000000,
                        "Likes": 5,
                    },
                    {
                        "Video ID": 2,
                        "Video link": "https://t/2",
                        "Caption": "Hai",
                        "Create time": "bad",
                        "Likes": 6,
                    },
                    "không phải bản ghi",
                ]
            }
        }
    }
    path = tmp_path / "user_data.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    got = poll(file_source(path), tmp_path)
    assert [(i.item_id, i.likes) for i in got.items if not i.problem] == [("1", 5)]
    assert [i.problem for i in got.items if i.problem] == [
        "user_data.json record 2: column 'Create time' (published_at) holds 'bad', not a date and time",
        "user_data.json record 3: not a JSON object: 'không phải bản ghi'",
    ]
    assert got.items[0].published == datetime.fromtimestamp(1795000000, tz=UTC).isoformat()


def test_a_jsonl_export_names_the_line_of_a_broken_record(tmp_path: Path) -> None:
    lines = [
        json.dumps({"Video ID": "a", "Caption": "Một", "Create time": "2026-11-20T10:00:00+07:00"}),
        '{"Video ID": "b", "Caption": ',
        json.dumps({"Video ID": "c", "Caption": "Ba", "Create time": "2026-11-21T10:00:00+07:00"}),
    ]
    path = tmp_path / "posts.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    got = poll(file_source(path), tmp_path)
    assert [i.item_id for i in got.items if not i.problem] == ["a", "c"]
    (bad,) = [i for i in got.items if i.problem]
    assert (bad.problem or "").startswith("posts.jsonl line 2: not valid JSON")


def test_an_xlsx_export_is_read_with_openpyxl(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Báo cáo TikTok tháng 11"])  # a title row above the header is common in exports
    ws.append([])
    ws.append(HEADER)
    ws.append([101, "https://t/1", "Một", datetime(2026, 11, 20, 19, 30), 120, 8, 3, 4500])
    ws.append(["731x", "https://t/2", "Hai", "không rõ", 1, 1, 1, 1])
    # long ids must be text in a workbook: Excel keeps only 15 significant digits of a number
    ws.append(["7310000000000000003", "https://t/3", "Ba", "21/11/2026 07:05", 9.0, None, 0, 12])
    path = tmp_path / "tiktok.xlsx"
    wb.save(path)
    src = make_source(
        id="tiktok-xlsx",
        name="TikTok",
        platform="tiktok",
        kind="official",
        unit="sonha",
        file={"path": str(path), "columns": {**COLUMNS, "likes": "Lượt thích"}},
    )
    with pytest.raises(SourceError, match="'Lượt thích' \\(mapped to likes\\) is not in the export"):
        poll(src, tmp_path)
    got = poll(file_source(path), tmp_path, run_id="r2")
    good = [i for i in got.items if not i.problem]
    assert [i.item_id for i in good] == ["101", "7310000000000000003"]
    assert good[0].published == "2026-11-20T12:30:00+00:00"
    assert (good[1].likes, good[1].comments, good[1].views) == (9, None, 12)
    assert [i.problem for i in got.items if i.problem] == [
        "tiktok.xlsx row 5: column 'Create time' (published_at) holds 'không rõ', not a date and time"
    ]


def test_the_same_export_twice_lands_nothing_the_second_time(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "tiktok.csv", ROWS)
    src = file_source(path)
    one = poll(src, tmp_path, run_id="r1")
    two = poll(src, tmp_path, one.state, run_id="r2")
    assert two.payloads == []
    assert two.state == one.state


def test_a_newer_export_yields_only_rows_newer_than_the_watermark(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "tiktok.csv", ROWS[:1])
    src = file_source(path)
    one = poll(src, tmp_path, run_id="r1")
    write_csv(
        path,
        [*ROWS, ["7310000000000000009", "https://t/9", "Cũ lắm", "2026-10-01 08:00", "1", "1", "1", "1"]],
    )
    two = poll(src, tmp_path, one.state, run_id="r2")
    # row 1 set the watermark and is re-read inside the small overlap; the October row is dropped
    assert [i.item_id for i in two.items] == ["7310000000000000001", "7310000000000000002"]
    assert two.state.watermark == datetime(2026, 11, 21, 0, 5, tzinfo=UTC)


def test_a_mapped_column_missing_from_the_export_is_a_source_error_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "tiktok.csv"
    path.write_text("Video ID,Caption\n1,Một\n", encoding="utf-8")
    src = file_source(path)
    with pytest.raises(SourceError, match="column 'Video link' \\(mapped to url\\) is not in the export"):
        poll(src, tmp_path)
    payloads = landed_under(tmp_path, src)
    assert len(payloads) == 1  # the export is landed even though it cannot be read
    items = parse_all(src, payloads)
    assert len(items) == 1
    assert "'Video link' (mapped to url) is not in the export" in (items[0].problem or "")


def test_a_missing_file_is_a_source_error_naming_the_path(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match=r"nowhere\.csv not found"):
        poll(file_source(tmp_path / "nowhere.csv"), tmp_path)


def test_a_broken_xlsx_is_a_source_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"PK\x03\x04 this is not really a workbook")
    with pytest.raises(SourceError, match="not a readable XLSX workbook"):
        poll(file_source(path), tmp_path)


def test_a_relative_path_resolves_against_the_config_dir(tmp_path: Path) -> None:
    config = tmp_path / "config"
    (config / "imports").mkdir(parents=True)
    write_csv(config / "imports" / "tiktok.csv", ROWS)
    with http_client(Clock(), config_dir=config) as client:
        got = fetch(file_source(Path("imports/tiktok.csv")), client, tmp_path)
    assert len(got.items) == 2
    assert got.payloads[0].url == (config / "imports" / "tiktok.csv").resolve().as_uri()


def test_a_plain_file_source_reports_platform_file(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "fb_export.csv", ROWS[:1])
    got = poll(file_source(path, platform="file", format="csv"), tmp_path)
    assert got.items[0].platform == "file"
