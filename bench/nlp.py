"""Tone + offensive-language throughput of the shipped models on synthetic Vietnamese posts.

Posts (~250-350 characters) are generated inside the worker processes, deterministically per
chunk, from local-news phrases, tone words, teencode and emoji; one in eight is typed without
diacritics. Each worker loads the shipped models once and labels its chunks in batches, as
the analysis does. Run alone: ``.venv/bin/python bench/nlp.py 100000``.
"""

from __future__ import annotations

import os
import random
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from typing import Any

from postwatch.nlp.api import analyze, load_offensive_model, load_tone_model
from postwatch.nlp.features import fold

PHRASES = (
    "UBND tỉnh Sơn Hà|xã Tân Lập|phường Đông Thành|xã Hòa Bình|Thủy Nguyên|người dân phản ánh|"
    "đường sá hư hỏng|ổ gà|ngập lụt|sạt lở|rác thải|thủ tục hành chính|cán bộ một cửa|bệnh viện|"
    "trạm y tế|sốt xuất huyết|công an|tai nạn giao thông|dự án|đền bù|giải phóng mặt bằng|"
    "thông báo lịch tiếp công dân|họp dân|cắt điện|nước sạch|trường học|học sinh|hỗ trợ kịp thời|"
    "rất hài lòng|cảm ơn|tận tình|tuyệt vời|thất vọng|bức xúc|chậm trễ|không ai giải quyết|"
    "ko hài lòng|dc|mn ơi|ntn|quá tệ|đáng khen|hách dịch|vô trách nhiệm|đm|ngu|vl|xạo lol"
).split("|")
EMOJI = ["👍", "❤️", "😡", "😢", ":)", ":((", "=))", "🙏", "🔥"]


def make_posts(chunk: int, size: int, seed: int) -> list[str]:
    rnd = random.Random(seed * 1_000_003 + chunk)
    posts = []
    for i in range(size):
        words: list[str] = []
        while sum(len(w) + 1 for w in words) < rnd.randint(250, 350):
            words.append(rnd.choice(PHRASES))
            if rnd.random() < 0.08:
                words.append(rnd.choice(EMOJI))
            if rnd.random() < 0.15:
                words[-1] += rnd.choice([",", ".", "!", "?"])
        text = " ".join(words)
        posts.append(fold(text) if i % 8 == 0 else text)
    return posts


def _label_chunk(args: tuple[int, int, int, int]) -> tuple[int, int, int, float]:
    chunk, size, seed, batch = args
    posts = make_posts(chunk, size, seed)
    load_tone_model(), load_offensive_model()  # loading is not what is measured
    t = time.perf_counter()
    negative = flagged = 0
    for start in range(0, len(posts), batch):
        tone, offensive = analyze(posts[start : start + batch])
        negative += sum(r.label == "negative" for r in tone)
        flagged += sum(r.flag for r in offensive)
    return len(posts), negative, flagged, time.perf_counter() - t


def run(n_posts: int = 1_000_000, seed: int = 7, workers: int = 2, chunk: int = 20_000) -> dict[str, Any]:
    """Label ``n_posts`` with tone and offensive flags in ``workers`` processes."""
    load_avg = [round(x, 2) for x in os.getloadavg()]
    chunks = [(c, min(chunk, n_posts - c * chunk), seed, 2000) for c in range((n_posts + chunk - 1) // chunk)]
    posts = negative = flagged = 0
    busy = 0.0
    started = time.perf_counter()
    with ProcessPoolExecutor(max_workers=workers) as pool:
        for n, neg, flag, seconds in pool.map(_label_chunk, chunks):
            posts += n
            negative += neg
            flagged += flag
            busy += seconds
    total = time.perf_counter() - started
    return {
        "posts": posts,
        "workers": workers,
        "seconds": round(total, 2),
        "posts_per_s": round(posts / total),
        "posts_per_s_per_worker_busy": round(posts / busy) if busy else None,
        "negative_share": round(negative / posts, 3) if posts else None,
        "flagged_share": round(flagged / posts, 3) if posts else None,
        "load_average_at_start": load_avg,
        "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
    }


if __name__ == "__main__":
    print(run(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000))
