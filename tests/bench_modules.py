"""The bench's generators (bench/ is scripts, not a package) for tests that reuse its synthetic data."""

from __future__ import annotations

import importlib.util
import sys
from functools import cache
from pathlib import Path
from types import ModuleType

BENCH = Path(__file__).resolve().parents[1] / "bench"


@cache
def bench_module(name: str) -> ModuleType:
    """``bench/<name>.py`` loaded once, as module ``_pw_bench_<name>``."""
    spec = importlib.util.spec_from_file_location(f"_pw_bench_{name}", BENCH / f"{name}.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod
    spec.loader.exec_module(mod)
    return mod
