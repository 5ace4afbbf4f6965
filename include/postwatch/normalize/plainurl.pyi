"""Type stub of the compiled ``plainurl`` module (source: plainurl.pyx)."""

from collections.abc import Callable, Collection

def canonical_plain(
    url: str, is_tracking: Callable[[str], bool], aliases: dict[str, str], rewritten: Collection[str]
) -> str | None: ...
