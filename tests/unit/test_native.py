"""Compiled modules are imported only when built from their current source."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
import sysconfig
from collections.abc import Iterator
from pathlib import Path

import pytest

from postwatch import native


@pytest.fixture
def package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A source tree with ``pwtest_native/fast.pyx`` and, standing in for its compiled form, ``fast.py``."""
    pkg = tmp_path / "pwtest_native"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("", encoding="utf-8")
    (pkg / "fast.pyx").write_text("def answer():\n    return 42\n", encoding="utf-8")
    (pkg / "fast.py").write_text("def answer():\n    return 42\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    yield tmp_path
    for name in [m for m in sys.modules if m.startswith("pwtest_native")]:
        del sys.modules[name]


def _record(root: Path, digest: str) -> Path:
    path = root / "native_build.json"
    path.write_text(json.dumps({"pwtest_native/fast.pyx": digest}), encoding="utf-8")
    return path


def test_a_module_built_from_its_current_source_imports(package: Path) -> None:
    digest = hashlib.sha256((package / "pwtest_native/fast.pyx").read_bytes()).hexdigest()
    module = native.load("pwtest_native.fast", root=package, record=_record(package, digest))
    assert module.answer() == 42


def test_a_source_edited_after_the_build_is_refused_with_what_to_run(package: Path) -> None:
    record = _record(package, hashlib.sha256(b"the old source").hexdigest())
    with pytest.raises(
        native.NativeModuleError, match=r"fast\.pyx: changed since it was compiled; run `make sync`"
    ):
        native.load("pwtest_native.fast", root=package, record=record)


def test_a_source_not_compiled_here_gives_none_so_the_numpy_path_is_taken(package: Path) -> None:
    assert native.load("pwtest_native.fast", root=package, record=package / "missing.json") is None
    assert native.load("pwtest_native.fast", root=package, record=_record_empty(package)) is None


def _record_empty(root: Path) -> Path:
    path = root / "empty.json"
    path.write_text("{}\n", encoding="utf-8")  # what the build hook writes when nothing compiled
    return path


def test_a_recorded_module_that_does_not_import_says_so(package: Path) -> None:
    (package / "pwtest_native/fast.py").unlink()
    digest = hashlib.sha256((package / "pwtest_native/fast.pyx").read_bytes()).hexdigest()
    with pytest.raises(native.NativeModuleError, match="does not import"):
        native.load("pwtest_native.fast", root=package, record=_record(package, digest))


def _c_compiler() -> str | None:
    cc = os.environ.get("CC") or sysconfig.get_config_var("CC") or "cc"
    return shutil.which(cc.split()[0])


@pytest.mark.skipif(_c_compiler() is None, reason="no C compiler here: the Python paths are used")
def test_the_shipped_compiled_modules_match_their_sources() -> None:
    record = json.loads(native.RECORD.read_text(encoding="utf-8"))
    sources = sorted(native.PACKAGE_DIR.rglob("*.pyx"))
    assert sources, "no Cython source found"
    for source in sources:
        key = source.relative_to(native.PACKAGE_DIR.parent).as_posix()
        assert record[key] == hashlib.sha256(source.read_bytes()).hexdigest(), key
