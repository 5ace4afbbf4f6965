"""SQL text lives in sql/; code asks for statements by name and binds values."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from postwatch.settings import get_settings


@cache
def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def sql(name: str, folder: str = "queries") -> str:
    """Text of ``sql/<folder>/<name>.sql``; a missing name is a programming error, said plainly."""
    path = get_settings().sql_dir / folder / f"{name}.sql"
    if not path.exists():
        raise FileNotFoundError(f"no SQL named {name!r} (looked for {path})")
    return _read(path)


def files(folder: str) -> list[Path]:
    return sorted((get_settings().sql_dir / folder).glob("*.sql"))
