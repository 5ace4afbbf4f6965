"""`make bench`: throughput and peak memory of each stage on synthetic posts → bench/results.json.

Each stage runs in its own interpreter with a fresh POSTWATCH_HOME under var/bench and is
measured with the library's own functions. Peak RSS covers that stage's process and its
workers (sampled every 50 ms).
Usage: python bench/run.py [--posts N] [--only ingest,quality,rules,nlp]
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import platform
import shutil
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psutil

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
RESULTS = BENCH / "results.json"
STAGES = ("ingest", "quality", "rules", "nlp", "analysis")


class PeakRss:
    """Samples the resident memory of this process and its children every 50 ms.

    The process tree is listed again every 10th sample only: listing it walks every process of the
    machine (1.5 ms), which every 50 ms took 3% of a core from the stage it measures.
    """

    def __init__(self) -> None:
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        me = psutil.Process()
        procs: list[psutil.Process] = [me]
        n = 0
        while not self._stop.is_set():
            if n % 10 == 0:
                try:
                    procs = [me, *me.children(recursive=True)]
                except psutil.Error:
                    procs = [me]
            n += 1
            rss = 0
            for p in procs:
                try:
                    rss += p.memory_info().rss
                except psutil.Error:  # a child that has ended since the last listing
                    continue
            self.peak = max(self.peak, rss)
            self._stop.wait(0.05)

    def __enter__(self) -> PeakRss:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def _cpu_model() -> str:
    """The CPU's name as the kernel reports it: hosts of the same size can differ twofold."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def reference_speed(rounds: int = 5) -> float:
    """A fixed pure-Python loop in millions of iterations per second, the best of ``rounds``.

    Why: the same code gave 10,500 and 20,800 analysed posts per CPU-second on two hosts of the
    same size, hours apart. Recorded before and after the stages, it says which kind of host
    (or which moment of a shared one) a results file comes from.
    """
    best = float("inf")
    n = 2_000_000
    for _ in range(rounds):
        t = time.perf_counter()
        acc = 0
        for i in range(n):
            acc ^= i * 7
        best = min(best, time.perf_counter() - t)
    return round(n / best / 1e6, 1)


def _run_stage(name: str, n_posts: int, home: Path) -> dict[str, Any]:
    module = importlib.import_module(name)
    stage_home = home / name
    shutil.rmtree(stage_home, ignore_errors=True)
    os.environ["POSTWATCH_HOME"] = str(stage_home)
    with PeakRss() as rss:
        result = module.run(n_posts)
    result["peak_rss_mb"] = round(rss.peak / 2**20)
    shutil.rmtree(stage_home, ignore_errors=True)
    return result


def _run_isolated(name: str, n_posts: int) -> dict[str, Any]:
    """One stage in a fresh interpreter, so its peak RSS is its own: memory an earlier stage freed
    stays mapped to a long-lived process and would be counted again."""
    cmd = [sys.executable, str(Path(__file__).resolve()), "--stage", name, "--posts", str(n_posts)]
    done = subprocess.run(cmd, stdout=subprocess.PIPE, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--posts", type=int, default=1_000_000, help="synthetic posts per stage")
    ap.add_argument("--only", default=",".join(STAGES), help="comma-separated stages")
    ap.add_argument("--stage", help=argparse.SUPPRESS)  # internal: run one stage, print its JSON
    args = ap.parse_args()
    home = Path(os.environ.get("POSTWATCH_HOME", BENCH.parent / "var")) / "bench"
    if args.stage:
        print(json.dumps(_run_stage(args.stage, args.posts, home)))
        return 0
    previous = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    results: dict[str, Any] = {
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "cpus": os.cpu_count(),
            "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
            "python": platform.python_version(),
            "cpu_model": _cpu_model(),
            "reference_mloops_per_s_at_start": reference_speed(),
            "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        },
        "posts": args.posts,
        "stages": dict(previous.get("stages", {})),
    }
    for name in [s.strip() for s in args.only.split(",") if s.strip()]:
        if not (BENCH / f"{name}.py").exists():
            print(f"{name}: no bench/{name}.py, skipped")
            continue
        print(f"{name}: running on {args.posts:,} posts ...", flush=True)
        t = time.perf_counter()
        results["stages"][name] = _run_isolated(name, args.posts)
        print(f"{name}: {json.dumps(results['stages'][name])} ({time.perf_counter() - t:.0f}s)", flush=True)
    results["machine"]["reference_mloops_per_s_at_end"] = reference_speed()
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    print(f"wrote {RESULTS}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
