"""Type stub of the compiled ``word_codes`` module (source: word_codes.pyx)."""

import numpy as np

def word_codes(text: str) -> tuple[np.ndarray, list[str]]: ...
