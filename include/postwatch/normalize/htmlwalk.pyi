"""Type stub of the compiled ``htmlwalk`` module (source: htmlwalk.pyx)."""

from collections.abc import Callable

NAMES: tuple[tuple[str, ...], ...]

def walk(
    html: str, drop_scripts: Callable[[str], str | None], decode: Callable[[str], str | None]
) -> str | None: ...
