"""Hatchling build hook: compile the Cython modules of ``include/postwatch`` (``*.pyx``) in place.

Why a hook: hatchling has no extension-module support of its own. The modules are compiled beside
their sources, where the editable install that ``uv sync`` makes imports them, and added to a
wheel. Each compiled source's SHA-256 goes to ``include/postwatch/native_build.json``, which
``postwatch.native.load`` compares so an edited source is never run from an old build. Without a
working C compiler the install still succeeds, with a warning: nothing is recorded and the
library takes its numpy paths (same results, slower).
``python hatch_build.py`` does the same by hand (in an environment that has Cython and setuptools).
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent
RECORD = Path("include/postwatch/native_build.json")


def build_in_place(root: Path = ROOT) -> list[Path]:
    """Compile every ``include/**/*.pyx`` to a module beside it; returns the compiled files."""
    from Cython.Build import cythonize
    from setuptools import Distribution, Extension
    from setuptools.errors import CCompilerError, ExecError, PlatformError

    here = Path.cwd()
    os.chdir(root)  # setuptools places in-place builds relative to the working directory
    try:
        sources = sorted(Path("include").rglob("*.pyx"))
        extensions = [
            Extension(
                ".".join(p.relative_to("include").with_suffix("").parts),
                [str(p)],
                extra_compile_args=["-O2"],
            )
            for p in sources
        ]
        modules = cythonize(extensions, build_dir="build/native/c", quiet=True, language_level=3)
        dist = Distribution({"name": "postwatch", "ext_modules": modules, "package_dir": {"": "include"}})
        cmd = dist.get_command_obj("build_ext")
        cmd.inplace = True
        cmd.build_temp = "build/native/tmp"
        cmd.ensure_finalized()
        try:
            cmd.run()
        except (CCompilerError, ExecError, PlatformError) as exc:
            print(
                f"postwatch: could not compile {len(sources)} Cython module(s) ({exc}); "
                "the numpy paths will be used (slower). Install a C compiler and re-run `make sync`.",
                file=sys.stderr,
            )
            RECORD.write_text("{}\n", encoding="utf-8")
            return [root / RECORD]
        outputs = [root / cmd.get_ext_fullpath(ext.name) for ext in modules]  # in place: beside the source
        record = {
            p.relative_to("include").as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in sources
        }
        RECORD.write_text(json.dumps(record, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        return [*outputs, root / RECORD]
    finally:
        os.chdir(here)


try:
    from hatchling.builders.hooks.plugin.interface import BuildHookInterface
except ImportError:  # run by hand, outside a build
    BuildHookInterface = object  # type: ignore[assignment,misc]


class CythonBuildHook(BuildHookInterface):  # type: ignore[misc,valid-type]
    """Runs before hatchling packs a wheel (standard or editable)."""

    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel":
            return
        root = Path(self.root)
        outputs = build_in_place(root)
        build_data["pure_python"] = False
        build_data["infer_tag"] = True
        if version == "standard":  # an editable wheel points at include/, where they already are
            for path in outputs:
                build_data["force_include"][str(path)] = path.relative_to(root / "include").as_posix()


if __name__ == "__main__":
    for path in build_in_place():
        print(path.relative_to(ROOT), file=sys.stderr)
