"""Import the project's compiled (Cython) modules: never one older than its source.

Why: the ``.so`` files live beside their ``.pyx`` sources in ``include/`` (the editable install
reads them there), and a source edited after ``uv sync`` compiled it would otherwise run the old
code silently. The build hook (``hatch_build.py``) records the SHA-256 of each source it compiled
in ``native_build.json``; ``load`` compares. A source the hook could not compile (no C compiler
on the machine) is not recorded: ``load`` returns None and the caller takes its Python (numpy) path,
which gives the same results, slower.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import logging
from pathlib import Path
from types import ModuleType

PACKAGE_DIR = Path(__file__).resolve().parent
RECORD = PACKAGE_DIR / "native_build.json"
REBUILD = "run `make sync` (or `uv sync`), which compiles it"
log = logging.getLogger(__name__)


class NativeModuleError(ImportError):
    """A compiled module that is older than its source or broken; the message says what to run."""


def load(module: str, *, root: Path = PACKAGE_DIR.parent, record: Path = RECORD) -> ModuleType | None:
    """The module compiled from ``<root>/<module path>.pyx``, or None where it was not compiled."""
    source = root.joinpath(*module.split(".")).with_suffix(".pyx")
    built: str | None = None
    if source.is_file():  # a source checkout; an installed wheel may carry only the compiled module
        try:
            built = json.loads(record.read_text(encoding="utf-8")).get(source.relative_to(root).as_posix())
        except (OSError, ValueError):
            built = None
        if built is None:
            log.warning("%s was not compiled here (no C compiler at install?): using its Python path", source)
            return None
        if built != hashlib.sha256(source.read_bytes()).hexdigest():
            raise NativeModuleError(f"{source}: changed since it was compiled; {REBUILD}")
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        if built is None:
            log.warning("%s is not compiled (%s): using its Python path", module, exc)
            return None
        raise NativeModuleError(f"{module}: the compiled module does not import ({exc}); {REBUILD}") from exc
