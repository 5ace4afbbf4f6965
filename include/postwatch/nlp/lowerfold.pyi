"""Type stub of the compiled ``lowerfold`` module (source: lowerfold.pyx)."""

import numpy as np

def lower_fold(
    text: str, lower: np.ndarray, second: np.ndarray, retone: dict[str, str], fold: np.ndarray
) -> tuple[str, str] | None: ...
