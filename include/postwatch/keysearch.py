"""Find every occurrence of the rule keys in a chunk's text and bucket it per post.

Two implementations behind one interface (``iter``, ``iter_words``, ``collect``, ``keys``,
``len``): the compiled transition table (``postwatch/keydfa.pyx``) where it was built,
pyahocorasick otherwise (no C compiler at install, or a key outside the BMP). ``collect`` and
``word_view`` below are the definitions both follow.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from typing import Protocol

import ahocorasick

from postwatch import native

_keydfa = native.load("postwatch.keydfa")

#: Per post, its hits by key id (offsets where each key ends), or None while it has none.
Hits = list[dict[int, list[int]] | None]


_NON_WORD_RE = re.compile(r"[^\w ]")


def word_view(text: str) -> str:
    """``text`` with every character that is not a word character (``re``'s ``\\w``) nor a space
    made a space, padded with a space each side: what ``iter_words`` searches."""
    return " " + _NON_WORD_RE.sub(" ", text) + " "


class KeySearch(Protocol):
    def iter(self, text: str) -> Iterable[tuple[int, int]]: ...
    def iter_words(self, text: str) -> Iterable[tuple[int, int]]: ...
    def collect(
        self,
        text: str,
        starts: list[int],
        ends: list[int],
        hits_of: Hits,
        skip: set[int] | None,
    ) -> None: ...
    def keys(self) -> Iterator[str]: ...
    def __len__(self) -> int: ...


def collect(
    found: Iterable[tuple[int, int]],
    starts: list[int],
    ends: list[int],
    hits_of: Hits,
    skip: set[int] | None,
) -> None:
    """Put each (end, key id) over the joined text into its post's hits, at the post's offsets.

    ``starts`` / ``ends``: each post's first offset and its end, ascending; posts in ``skip`` are
    left alone.
    """
    limit = -1
    base = 0
    hits: dict[int, list[int]] | None = None
    for end, kid in found:
        if end >= limit:
            p = bisect_right(ends, end)
            limit, base = ends[p], starts[p]
            if skip is not None and p in skip:
                hits = None
                continue
            hits = hits_of[p]
            if hits is None:
                hits = hits_of[p] = {}
        elif hits is None:
            continue
        e = end - base
        lst = hits.get(kid)
        if lst is None:
            hits[kid] = [e]
        else:
            lst.append(e)


class AhoCorasickSearch:
    """pyahocorasick behind the KeySearch interface."""

    def __init__(self, pairs: Iterable[tuple[str, int]]) -> None:
        self._automaton = ahocorasick.Automaton()
        for key, kid in pairs:
            self._automaton.add_word(key, kid)
        if len(self._automaton):
            self._automaton.make_automaton()

    def iter(self, text: str) -> Iterable[tuple[int, int]]:
        return self._automaton.iter(text)  # type: ignore[no-any-return]

    def iter_words(self, text: str) -> Iterable[tuple[int, int]]:
        """``iter`` over ``word_view(text)``: keys written " word " match on word boundaries only."""
        return self._automaton.iter(word_view(text))  # type: ignore[no-any-return]

    def collect(
        self,
        text: str,
        starts: list[int],
        ends: list[int],
        hits_of: Hits,
        skip: set[int] | None,
    ) -> None:
        collect(self._automaton.iter(text), starts, ends, hits_of, skip)

    def keys(self) -> Iterator[str]:
        return self._automaton.keys()  # type: ignore[no-any-return]

    def __len__(self) -> int:
        return len(self._automaton)


def key_search(pairs: Iterable[tuple[str, int]], compiled: bool = True) -> KeySearch | None:
    """A search over these (key, key id) pairs, or None when there is nothing to look for."""
    pairs = list(pairs)
    if not pairs:
        return None
    if compiled and _keydfa is not None:
        try:
            return _keydfa.KeyDfa(pairs)  # type: ignore[no-any-return]
        except ValueError:
            pass  # a key outside the BMP: the table is numbered by BMP code point
    return AhoCorasickSearch(pairs)
