"""Type stub of the compiled ``keydfa`` module (source: keydfa.pyx)."""

from collections.abc import Iterable, Iterator

import numpy as np

from postwatch.keysearch import Hits

class KeyDfa:
    n_states: int
    n_classes: int
    def __init__(self, pairs: Iterable[tuple[str, int]]) -> None: ...
    def __len__(self) -> int: ...
    def keys(self) -> Iterator[str]: ...
    def iter(self, text: str) -> list[tuple[int, int]]: ...
    def iter_words(self, text: str) -> list[tuple[int, int]]: ...
    def collect(
        self,
        text: str,
        starts: list[int],
        ends: list[int],
        hits_of: Hits,
        skip: set[int] | None,
    ) -> None: ...
    def collect_flat(
        self,
        text: str,
        starts: list[int],
        ends: list[int],
        skip: set[int] | None,
        first_post: int = 0,
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]: ...
    def collect_flat_apart(
        self, text: str, starts: list[int], ends: list[int], posts: list[int]
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]: ...
