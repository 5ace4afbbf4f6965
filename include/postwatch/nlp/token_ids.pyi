"""Type stub of the compiled ``token_ids`` module (source: token_ids.pyx)."""

from collections.abc import Callable

import numpy as np

def token_ids(
    written: np.ndarray,
    distinct: list[str],
    known: dict[str, tuple[str, ...]],
    learn: Callable[[str], tuple[str, ...]],
    vocab: dict[str, int],
) -> np.ndarray: ...
def negation_twins(ids: np.ndarray, kinds: np.ndarray, scope: int) -> np.ndarray: ...
