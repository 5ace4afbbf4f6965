"""Hits grouped in flat arrays (posthits.pyx): each post's view is the dict ``collect`` builds."""

from __future__ import annotations

import random

import numpy as np
import pytest

from postwatch.rules import match as M

H = M._posthits
pytestmark = pytest.mark.skipif(H is None, reason="posthits.pyx is not compiled here")


def _part(rng: random.Random, n_posts: int, n_keys: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One search's hits as collect_flat gives them: posts ascending, ends ascending per post."""
    rows = []
    for p in sorted(rng.sample(range(n_posts), rng.randint(0, n_posts))):
        ends = sorted(rng.sample(range(300), rng.randint(1, 30)))
        rows += [(p, rng.randrange(n_keys), e) for e in ends]
    cols = list(zip(*rows, strict=True)) if rows else [(), (), ()]
    return tuple(np.array(c, dtype=np.int32) for c in cols)  # type: ignore[return-value]


def _dicts(n_posts: int, parts: list) -> list[dict[int, list[int]] | None]:
    """The definition: every hit appended to its post's {key id: [end, ...]} in the order given."""
    out: list[dict[int, list[int]] | None] = [None] * n_posts
    for posts, kids, ends in parts:
        for p, k, e in zip(posts.tolist(), kids.tolist(), ends.tolist(), strict=True):
            out[p] = out[p] or {}
            out[p].setdefault(k, []).append(e)  # type: ignore[union-attr]
    return out


@pytest.mark.parametrize("seed", range(30))
def test_grouped_hits_read_as_the_dicts_collect_builds(seed: int) -> None:
    rng = random.Random(seed)
    n_posts, n_keys = rng.randint(1, 40), rng.randint(1, 50)
    parts = [_part(rng, n_posts, n_keys) for _ in range(rng.randint(0, 3))]
    want = _dicts(n_posts, parts)
    got = H.group(n_posts, parts).posts()
    assert len(got) == n_posts
    for view, d in zip(got, want, strict=True):
        if d is None:
            assert view is None
            continue
        assert view.as_dict() == d
        assert list(view) == view.keys() == sorted(d)
        assert len(view) == len(d) and bool(view)
        for k in range(-1, n_keys + 1):
            assert (k in view) == (k in d)
            assert view.get(k) == d.get(k)  # positions in the order found, not re-sorted


def test_a_post_view_answers_for_any_key_and_finds_only_its_key_ids() -> None:
    parts = [
        (np.array([0, 0, 0, 1], np.int32), np.array([7, 3, 7, 2], np.int32), np.array([9, 4, 2, 5], np.int32))
    ]
    first, second = H.group(2, parts).posts()
    assert first.as_dict() == {3: [4], 7: [9, 2]}
    assert second.as_dict() == {2: [5]}
    for absent in (None, "7", 7.0, 2**40, -(2**40), 4):
        assert absent not in first
        assert first.get(absent) is None
        assert first.get(absent, "default") == "default"
    with pytest.raises(KeyError):
        first[4]
    assert first[7] == [9, 2]
    assert frozenset({1, 3, 7}).intersection(first) == {3, 7}


def test_no_hits_leave_every_post_without_a_view() -> None:
    assert H.group(3, []).posts() == [None, None, None]
    assert H.group(0, []).posts() == []


def test_a_hit_outside_the_chunk_and_hand_made_views_are_refused() -> None:
    one = (np.array([2], np.int32), np.array([1], np.int32), np.array([0], np.int32))
    with pytest.raises(IndexError, match="post 2"):
        H.group(2, [one])
    with pytest.raises(TypeError):
        H.PostHits()
    with pytest.raises(ValueError):
        H.Grouped(np.array([0, 2], np.int64), np.zeros(1, np.int32), np.zeros(1, np.int32))
