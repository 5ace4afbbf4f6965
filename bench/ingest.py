"""Normalize + load throughput on synthetic posts: landed files → normalize → warehouse.

Before the clock starts, deterministic raw items are landed the way collectors land payloads
(``postwatch.collect.landing.Lander``: gzip members of JSON lines, one landing file per chunk,
``PAGE`` items per payload, like an API page). The timed part is what ``postwatch replay`` does
after a collector's ``parse()``: workers read the landing files (``read_file``), turn each payload
back into RawItems, normalize them (``normalize_batch``) and return Arrow batches; the parent
loads ``LOAD_ROWS`` posts per transaction (``load_arrow``) while the workers go on. Platform
parsing (feedparser for RSS, Graph JSON...) is each collector's cost, not this stage's.

At most one load's worth of chunks (plus one per worker) is in flight, so neither side holds
a million records. A worker hands its batch over as an Arrow IPC file under ``<home>/bench-handover``
that the parent memory-maps, instead of pickling it through the pool's pipe (a copy on each side:
about 3 CPU-us a post), and keeps the cyclic garbage collector paused for the whole file (the
RawItems of a step are all alive at once, and each collection they trigger walks them all).
The mix keeps the hostile rows: HTML every 7th (a <script> now and then), NFD text, old tone
placement in most texts (hoà, thuỷ, khoẻ), zero-width and bidi marks, double-encoded UTF-8,
tracking URLs, missing ids, negative counts, and re-fetched copies of a post in one batch.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import time
import unicodedata
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import ExitStack, closing
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import ftfy.bad_codecs  # noqa: F401  (registers sloppy-windows-1252, used to make mojibake)
import psutil
import pyarrow as pa

from postwatch.collect.base import RawItem
from postwatch.collect.landing import Lander, read_file
from postwatch.gcpause import gc_paused
from postwatch.normalize.posts import normalize_batch
from postwatch.normalize.rejected import Rejected
from postwatch.registry import Source
from postwatch.settings import get_settings
from postwatch.warehouse.db import connect
from postwatch.warehouse.load import (
    RunRecord,
    columns_to_arrow,
    concat_batches,
    load_arrow,
    rejected_to_arrow,
)
from postwatch.warehouse.migrate import migrate

T0 = datetime(2026, 11, 9, tzinfo=UTC)
NOW = T0 + timedelta(days=15)
SOURCE = Source.model_validate(
    {"id": "bench-rss", "name": "Bench", "platform": "rss", "kind": "press", "url": "https://bench.vn/rss"}
)
WORDS = (
    "tỉnh Sơn Hà xã Tân Lập Hòa Bình phường Đông Thành Thuỷ Nguyên người dân phản ánh chính quyền "
    "hỗ trợ kịp thời đường sá hư hỏng lũ lụt sạt lở cháy rừng tai nạn giao thông sốt xuất huyết "
    "tranh chấp đất đai khen thưởng thành tích xuất sắc tuyệt vời cảm ơn UBND công an y tế trường học "
    "khoẻ mạnh hoà giải tuỳ theo thủ tục hành chính chậm trễ bức xúc tin đồn thất thiệt"
).split()
CHUNK = 20_000  # items per landing file (one worker task)
PAGE = 500  # items per landed payload
STEP = 5_000  # items a worker normalizes before turning them into Arrow
LOAD_ROWS = 100_000  # posts per load transaction


def make_items(chunk: int, size: int, seed: int) -> list[dict[str, Any]]:
    """One chunk of deterministic raw records (RawItem fields), hostile rows mixed in."""
    rnd = random.Random(seed * 1_000_003 + chunk)
    out: list[dict[str, Any]] = []
    for j in range(size):
        i = chunk * size + j
        title = " ".join(rnd.choices(WORDS, k=rnd.randint(6, 14)))
        text = " ".join(rnd.choices(WORDS, k=rnd.randint(20, 90)))
        is_html = i % 7 == 0
        if is_html:
            script = "<script>track('x')</script>" if i % 49 == 0 else ""
            text = f"<p>{text}</p>{script}<p>{title} &amp; <b>xem thêm</b></p>"
        elif i % 11 == 0:
            text = unicodedata.normalize("NFD", text)  # exports from macOS and some phones
        elif i % 13 == 0:
            text = text.replace(" ", " \u200b", 3).replace("UBND", "\u200fUBND\u200e")
        elif i % 101 == 0:
            text = text.encode("utf-8").decode("sloppy-windows-1252")  # double-encoded UTF-8
        published = T0 + timedelta(seconds=rnd.randint(0, 14 * 86400))
        post = i - 1 if i % 499 == 0 and j else i  # a re-fetched, edited copy of the previous post
        out.append(
            {
                "item_id": None if i % 997 == 0 else f"https://bench.vn/{post}.html",
                "url": f"https://bench.vn/{post}.html?utm_source=zalo&fbclid=x{i}",
                "title": title,
                "text": text,
                "is_html": is_html,
                "published": published.isoformat(),
                "updated": (published + timedelta(hours=1)).isoformat() if post != i else None,
                "likes": rnd.randint(0, 500),
                "comments": rnd.randint(0, 80),
                "shares": -1 if i % 1999 == 0 else rnd.randint(0, 40),
            }
        )
    return out


def land_chunk(args: tuple[Path, int, int, int]) -> Path:
    """Land one chunk as payloads of PAGE records (untimed set-up)."""
    root, chunk, size, seed = args
    records = make_items(chunk, size, seed)
    lander = Lander(root, SOURCE.id, SOURCE.platform.value, run_id=f"bench-{chunk:04d}")
    fetched = NOW - timedelta(hours=1)
    for start in range(0, size, PAGE):
        body = json.dumps(records[start : start + PAGE], ensure_ascii=False).encode("utf-8")
        lander.land(f"{SOURCE.url}?page={start // PAGE}", 200, {"content-type": "application/json"}, body,
                    {"kind": "bench"}, fetched_at=fetched)  # fmt: skip
    return lander.paths[0]


def parse_payloads(path: Path) -> Iterator[list[RawItem]]:
    """Landed payloads → RawItems, one list per payload, stamped as Collector.raw_item stamps them."""
    source_id, platform = SOURCE.id, SOURCE.platform.value
    for payload in read_file(path):
        yield [
            RawItem(
                source_id=source_id,
                platform=platform,
                fetched_at=payload.fetched_at,
                landing_ref=payload.ref,
                **rec,
            )
            for rec in payload.json()
        ]


def warm_up() -> None:
    """Worker start-up, before the clock: one item through the timed path, so the lazy imports it
    makes once per process (pyarrow imports pandas on its first timestamp column) are not timed."""
    item = RawItem(SOURCE.id, SOURCE.platform.value, **make_items(0, 1, 0)[0])
    batch = normalize_batch(SOURCE, [item], NOW)
    columns_to_arrow(batch.columns, batch.num_rows)


def normalize_file(path: Path, handover: Path) -> tuple[Path, pa.Table, int]:
    """Timed worker task: one landing file → the load's Arrow batch (written to an IPC file under
    ``handover``) and its quarantine rows.

    Items go to Arrow every ``STEP`` items, so a worker holds Python objects for one step only.
    """
    tables: list[pa.Table] = []
    rejected: list[Rejected] = []
    items: list[RawItem] = []
    n = 0

    def step() -> None:
        batch = normalize_batch(SOURCE, items, now=NOW)
        tables.append(columns_to_arrow(batch.columns, batch.num_rows))
        rejected.extend(batch.rejected)
        items.clear()

    with gc_paused():
        for page in parse_payloads(path):
            items.extend(page)
            n += len(page)
            if len(items) >= STEP:
                step()
        if items:
            step()
    batch = concat_batches(tables)
    dest = handover / f"{path.stem}.arrow"
    with pa.OSFile(str(dest), "wb") as sink, pa.ipc.new_file(sink, batch.schema) as writer:
        writer.write_table(batch)
    return dest, rejected_to_arrow(rejected, f"bench-{path.stem}"), n


def take_over(path: Path) -> pa.Table:
    """A worker's batch, memory-mapped (no copy); the file is unlinked, the mapping stays valid."""
    table = pa.ipc.open_file(pa.memory_map(str(path))).read_all()
    path.unlink()
    return table


def run(n_posts: int = 1_000_000, seed: int = 7, workers: int | None = None) -> dict[str, Any]:
    """Land ``n_posts`` (untimed), then time normalize in ``workers`` processes + load in this one."""
    workers = workers or int(os.environ.get("BENCH_INGEST_WORKERS", 0)) or os.cpu_count() or 2
    migrate()
    warm_up()
    root = get_settings().landing_dir
    handover = get_settings().home / "bench-handover"
    for d in (root, handover):
        shutil.rmtree(d, ignore_errors=True)
    handover.mkdir(parents=True)
    sizes = [(root, c, min(CHUNK, n_posts - c * CHUNK), seed) for c in range((n_posts + CHUNK - 1) // CHUNK)]
    loaded = quarantined = fetched = duplicates = batches = 0
    load_s = wait_s = 0.0
    with ExitStack() as stack, ProcessPoolExecutor(max_workers=workers, initializer=warm_up) as pool:
        files = list(pool.map(land_chunk, sizes))
        # One connection for the whole bulk load, as a replay of many files keeps it; opened once
        # the workers exist, so none of them is forked with it.
        con = stack.enter_context(closing(connect()))
        landed_mb = sum(f.stat().st_size for f in files) / 2**20
        load_average = [round(x, 2) for x in os.getloadavg()]
        cpu0, parent0 = _cpu_seconds(), _cpu_seconds(children=False)
        started = time.perf_counter()
        pending: deque[Future[tuple[Path, pa.Table, int]]] = deque()
        # Enough work queued to keep the workers busy through one load, and no more.
        in_flight = workers + -(-LOAD_ROWS // CHUNK)
        todo = deque(files)
        ready: list[tuple[pa.Table, pa.Table]] = []
        ready_rows = 0

        def flush() -> None:
            nonlocal ready, ready_rows, load_s, loaded, quarantined, duplicates, batches
            t = time.perf_counter()
            good = concat_batches([b for b, _ in ready])
            bad = pa.concat_tables([q for _, q in ready])
            counts = load_arrow(
                good, bad, RunRecord(f"bench-{batches}", SOURCE.id, state={}), now=NOW, con=con
            )
            load_s += time.perf_counter() - t
            loaded += counts.new + counts.changed
            quarantined += counts.quarantined
            duplicates += counts.duplicates
            batches += 1
            ready, ready_rows = [], 0

        while todo or pending:
            while todo and len(pending) < in_flight:
                pending.append(pool.submit(normalize_file, todo.popleft(), handover))
            t = time.perf_counter()
            handed, bad, n = pending.popleft().result()
            batch = take_over(handed)
            wait_s += time.perf_counter() - t
            fetched += n
            ready.append((batch, bad))
            ready_rows += batch.num_rows
            if ready_rows >= LOAD_ROWS or not (todo or pending):
                flush()
        total = time.perf_counter() - started
        cpu, parent_cpu = _cpu_seconds() - cpu0, _cpu_seconds(children=False) - parent0
    for d in (root, handover):
        shutil.rmtree(d, ignore_errors=True)
    return {
        "posts": fetched,
        "loaded": loaded,
        "quarantined": quarantined,
        "duplicates": duplicates,
        "workers": workers,
        "load_batches": batches,
        "landed_mb": round(landed_mb, 1),
        "seconds": round(total, 2),
        "posts_per_s": round(fetched / total),
        "load_seconds": round(load_s, 2),
        "waiting_for_normalize_seconds": round(wait_s, 2),
        "cpu_seconds": round(cpu, 2),
        "parent_cpu_seconds": round(parent_cpu, 2),
        "posts_per_cpu_s": round(fetched / cpu) if cpu else None,
        "load_average_at_start": load_average,
        "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
        "path": "landed jsonl.gz -> RawItem -> normalize_batch -> Arrow (IPC file) -> load_arrow",
    }


def _cpu_seconds(children: bool = True) -> float:
    """CPU time (user + system) of this process and, with ``children``, its live worker processes."""
    me = psutil.Process()
    total = 0.0
    for p in [me, *(me.children(recursive=True) if children else [])]:
        try:
            t = p.cpu_times()
            total += t.user + t.system
        except psutil.Error:
            continue
    return total
