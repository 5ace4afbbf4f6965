"""Type stub of the compiled ``candidates`` module (source: candidates.pyx)."""

from collections.abc import Sequence

import numpy as np

class CandidateIndex:
    n_keys: int
    n_rules: int
    def __init__(
        self,
        n_keys: int,
        key_rules: Sequence[Sequence[int]],
        always: Sequence[int],
        checks: Sequence[Sequence[Sequence[int]]],
    ) -> None: ...
    def batch(self, hits_of: list[dict[int, list[int]] | None]) -> list[list[int] | None]: ...
    def batch_grouped(self, starts: np.ndarray, kids: np.ndarray) -> list[list[int] | None]: ...
