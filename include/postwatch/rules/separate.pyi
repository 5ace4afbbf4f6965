"""Type stub of the compiled ``separate`` module (source: separate.pyx)."""

from collections.abc import Callable

def separate_squeeze(
    text: str, bmp: bytes, astral: Callable[[int], int]
) -> tuple[bytes, bytes, list[int]]: ...
