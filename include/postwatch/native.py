"""Import the project's compiled (Cython) modules, refusing any compiled from an older source.

Why: the ``.so`` files live beside their ``.pyx`` sources in ``include/`` (the editable install
reads them there), and a source edited after ``uv sync`` compiled it would otherwise run the old
code silently. The build hook (``hatch_build.py``) records each source's SHA-256 in
``native_build.json``; an import compares. ``make sync`` (any make target) rebuilds.
"""

from __future__ import annotations

import hashlib
import importlib
import json
from pathlib import Path
from types import ModuleType

PACKAGE_DIR = Path(__file__).resolve().parent
RECORD = PACKAGE_DIR / "native_build.json"
REBUILD = "run `make sync` (or `uv sync`), which compiles it"


class NativeModuleError(ImportError):
    """A compiled module that is missing or older than its source; the message says what to run."""


def load(module: str, *, root: Path = PACKAGE_DIR.parent, record: Path = RECORD) -> ModuleType:
    """``importlib.import_module(module)`` for a module compiled from ``<root>/<module path>.pyx``."""
    source = root.joinpath(*module.split(".")).with_suffix(".pyx")
    if source.is_file():  # a source checkout; an installed wheel carries only the compiled module
        try:
            key = source.relative_to(root).as_posix()
            built = json.loads(record.read_text(encoding="utf-8")).get(key)
        except (OSError, ValueError):
            built = None
        if built != hashlib.sha256(source.read_bytes()).hexdigest():
            state = "was never compiled" if built is None else "changed since it was compiled"
            raise NativeModuleError(f"{source}: {state}; {REBUILD}")
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise NativeModuleError(f"{module}: the compiled module does not import ({exc}); {REBUILD}") from exc
