"""Type stub of the compiled ``candidates`` module (source: candidates.pyx)."""

from collections.abc import Sequence

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
