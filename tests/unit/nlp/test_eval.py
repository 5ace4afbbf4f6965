"""`make eval` (eval/run.py) without the public datasets: it skips cleanly."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_eval_skips_with_exit_zero_when_the_shared_data_folder_is_empty(tmp_path: Path) -> None:
    env = {**os.environ, "POSTWATCH_SHARED_DATA": str(tmp_path), "POSTWATCH_HOME": str(tmp_path / "var")}
    done = subprocess.run(
        [sys.executable, str(ROOT / "eval" / "run.py")], env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    assert "eval skipped" in done.stdout
    assert str(tmp_path) in done.stdout
    assert not (tmp_path / "var" / "models").exists()
