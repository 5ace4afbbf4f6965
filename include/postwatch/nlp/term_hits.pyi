"""Type stub of the compiled ``term_hits`` module (source: term_hits.pyx)."""

from collections.abc import Callable, Iterable, Sequence
from typing import Any

import numpy as np

def word_hits(
    found: Iterable[tuple[int, int]],
    values: Sequence[tuple[int, list[tuple[str, Any, bool]], str | None]],
    text: str,
    lower: str,
    folded: str,
    starts: list[int],
    marked: np.ndarray,
    out: list[list[Any]],
    make_hit: Callable[..., Any],
) -> None: ...
