"""A small crafted world for impersonation scans: a registry, and posts loaded the way collect loads them."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from postwatch.normalize.posts import story_key
from postwatch.normalize.text import content_hash
from postwatch.normalize.times import local_date
from postwatch.pipeline.collect import prepare
from postwatch.warehouse.load import RunRecord, load_batch

UNITS = """units:
  - {id: sonha, name: Ủy ban nhân dân tỉnh Sơn Hà, level: province, aliases: [UBND tỉnh Sơn Hà, Sơn Hà]}
  - {id: sonha.tanlap, name: Ủy ban nhân dân xã Tân Lập, level: commune, parent: sonha, aliases: [xã Tân Lập]}
"""

SOURCES = """sources:
  - {id: fb-ubnd, name: UBND tỉnh Sơn Hà, unit: sonha, platform: facebook, kind: official, page_id: "1000",
     verified: true}
  - {id: fb-imposter, name: UBND Tinh Son Ha - Tin Tuc, platform: facebook, kind: watched, page_id: "2000"}
  - {id: fb-news, name: Sơn Hà 24h - Tin nóng, platform: facebook, kind: watched, page_id: "3000"}
  - {id: export-mentions, name: Tệp xuất bài nhắc đến Sơn Hà, platform: file, kind: watched,
     file: {path: mentions.csv}}
  - {id: rss-press, name: Báo Sơn Hà, platform: rss, kind: press, url: "http://127.0.0.1:9/rss.xml"}
"""

KIND = {"fb-ubnd": "official", "fb-imposter": "watched", "fb-news": "watched", "export-mentions": "watched"}
KIND["rss-press"] = "press"
PLATFORM = {"fb-ubnd": "facebook", "fb-imposter": "facebook", "fb-news": "facebook"}
PLATFORM |= {"export-mentions": "file", "rss-press": "rss"}
UNIT = {"fb-ubnd": "sonha"}

OFFICIAL_DETOUR = (
    "Thông báo phân luồng giao thông: do sạt lở đất tại Km 18+500 đường tỉnh 631 qua xã Tân Lập, "
    "các phương tiện đi theo quốc lộ 279 rẽ qua xã Hòa Bình cho đến khi có thông báo mới."
)
COPIED_DETOUR = (
    "[THONG BAO KHAN] Thong bao phan luong giao thong: do sat lo dat tai Km 18+500 duong tinh 631 qua xa "
    "Tan Lap, cac phuong tien di theo quoc lo 279 re qua xa Hoa Binh cho den khi co thong bao moi."
)
OFFICIAL_MARKET = "UBND tỉnh thăm hỏi, hỗ trợ tiểu thương chợ Đông Thành bị thiệt hại do cháy."
SCAM = (
    "UBND TỈNH HỖ TRỢ 10 TRIỆU ĐỒNG/KI-ỐT. Tiểu thương đăng ký nhận hỗ trợ tại link đăng ký, "
    "chuyển khoản phí xác minh 200.000đ vào STK 1903 5566 7788."
)
WARNING = (
    "Cảnh báo: kẻ gian mạo danh công an tỉnh Sơn Hà yêu cầu chuyển khoản để nhận hỗ trợ. Đây là lừa đảo!"
)


def at(day: int, hour: int = 9) -> datetime:
    """A time on a local day of November 2026, in UTC as stored."""
    return datetime(2026, 11, day, hour, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")).astimezone(UTC)


def post(
    source_id: str,
    post_id: str,
    text: str,
    when: datetime,
    author: str | None = None,
    author_id: str | None = None,
    url: str | None = None,
) -> dict[str, object]:
    """A post row as normalize_item makes it."""
    return {
        "platform": PLATFORM[source_id],
        "post_id": post_id,
        "source_id": source_id,
        "unit_id": UNIT.get(source_id),
        "kind": KIND[source_id],
        "url": url,
        "title": None,
        "text": text,
        "author": author,
        "author_id": author_id,
        "published_at": when,
        "updated_at": None,
        "local_date": local_date(when),
        "lang": "vi",
        "likes": 10,
        "comments": 2,
        "shares": 1,
        "views": None,
        "content_hash": content_hash("", text),
        "story_key": story_key("", text),
        "encoding_fix": None,
        "title_original": None,
        "text_original": None,
        "fetched_at": when,
        "landing_ref": None,
    }


def official(post_id: str, text: str, when: datetime) -> dict[str, object]:
    url = f"https://www.facebook.com/ubndtinhsonha/posts/{post_id}"
    return post("fb-ubnd", f"1000_{post_id}", text, when, "UBND tỉnh Sơn Hà", "1000", url)


def imposter(post_id: str, text: str, when: datetime) -> dict[str, object]:
    url = f"https://www.facebook.com/ubnd.tinh.sonha.tintuc/posts/{post_id}"
    return post("fb-imposter", f"2000_{post_id}", text, when, "UBND Tinh Son Ha - Tin Tuc", "2000", url)


def news(post_id: str, text: str, when: datetime) -> dict[str, object]:
    url = f"https://www.facebook.com/sonha24h.tinnong/posts/{post_id}"
    return post("fb-news", f"3000_{post_id}", text, when, "Sơn Hà 24h - Tin nóng", "3000", url)


def exported(post_id: str, author: str, text: str, when: datetime) -> dict[str, object]:
    return post("export-mentions", post_id, text, when, author)


def load(rows: list[dict[str, object]], run_id: str = "test") -> None:
    """Load rows per source, one transaction each, as the collect DAG does."""
    by_source: dict[str, list[dict[str, object]]] = {}
    for r in rows:
        by_source.setdefault(str(r["source_id"]), []).append(r)
    for source_id, batch in by_source.items():
        load_batch(batch, [], RunRecord(run_id=run_id, source_id=source_id))


def base_posts() -> list[dict[str, object]]:
    """Official posts, an imposter copying them and soliciting money, a news page, an export of mentions."""
    return [
        official("1", OFFICIAL_DETOUR, at(18)),
        official("2", OFFICIAL_MARKET, at(19)),
        imposter("1", COPIED_DETOUR, at(18, 11)),
        imposter("2", SCAM, at(19, 20)),
        news("1", WARNING, at(19)),
        news("2", "Sơn Hà: mùa lúa chín vàng ở các xã vùng cao.", at(20)),
        exported("e1", "UBND Son Ha Ho Tro", "Thông tin mới nhất về đợt mưa lũ ở Sơn Hà.", at(20)),
        exported(
            "e2", "Cửa hàng điện máy Minh Anh", "Khuyến mãi tủ lạnh, máy giặt cuối tuần giảm 30%.", at(20)
        ),
        exported("e3", "Chợ quê Tân Lập", "Rau sạch xã Tân Lập giao tận nhà mỗi sáng.", at(20)),
        post("rss-press", "https://baosonha.vn/1", OFFICIAL_DETOUR, at(18, 12), url="https://baosonha.vn/1"),
    ]


@dataclass
class World:
    config_dir: Path
    home: Path


def make_world(
    tmp_path: Path, home: Path, monkeypatch: pytest.MonkeyPatch, impersonation_yaml: bool = True
) -> World:
    """Write the registry, point POSTWATCH_CONFIG_DIR at it, migrate and load the base posts."""
    cfg = tmp_path / "config"
    cfg.mkdir()
    (cfg / "units.yaml").write_text(UNITS, encoding="utf-8")
    (cfg / "sources.yaml").write_text(SOURCES, encoding="utf-8")
    if impersonation_yaml:
        shipped = Path(__file__).resolve().parents[3] / "include" / "config" / "impersonation.yaml"
        shutil.copy(shipped, cfg / "impersonation.yaml")
    monkeypatch.setenv("POSTWATCH_CONFIG_DIR", str(cfg))
    prepare()
    load(base_posts())
    return World(cfg, home)
