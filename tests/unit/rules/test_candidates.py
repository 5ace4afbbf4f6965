"""The compiled candidate filter (candidates.pyx) against its definition, match.candidates_python."""

from __future__ import annotations

import random

import numpy as np
import pytest

from postwatch.rules import match as M

C = M._candidates
pytestmark = pytest.mark.skipif(C is None, reason="candidates.pyx is not compiled here")


def _index(
    rng: random.Random, n_keys: int, n_rules: int
) -> tuple[list[tuple[int, ...]], list[int], list[tuple]]:
    """A random rule index: anchors per key, always-rules, and each rule's further requirements."""
    key_rules: list[list[int]] = [[] for _ in range(n_keys)]
    always = []
    checks: list[tuple[tuple[int, ...], ...]] = []
    for r in range(n_rules):
        if rng.random() < 0.1:
            always.append(r)
        else:
            for k in rng.sample(range(n_keys), rng.randint(1, min(3, n_keys))):
                key_rules[k].append(r)
        needs = rng.choice([0, 0, 1, 2, 5]) if rng.random() < 0.9 or r not in always else 1
        checks.append(
            tuple(tuple(rng.sample(range(n_keys), rng.randint(1, min(4, n_keys)))) for _ in range(needs))
        )
    return [tuple(v) for v in key_rules], always, checks


def _hits(rng: random.Random, n_keys: int) -> dict[int, list[int]] | None:
    if rng.random() < 0.2:
        return None
    # Key ids past the index (a key no rule asks for) are ignored by both.
    ids = rng.sample(range(n_keys + 3), rng.randint(1, min(12, n_keys)))
    # Some keys hit several times (grouped hits then hold the key once per hit).
    return {k: [rng.randint(0, 99)] * rng.choice([1, 1, 3]) for k in ids}


def _grouped(hits_of: list[dict[int, list[int]] | None]) -> tuple:
    """The same hits grouped in flat arrays, as the compiled matcher holds them."""
    rows = [(p, k, e) for p, h in enumerate(hits_of) if h for k, ends in h.items() for e in ends]
    cols = [np.array(c, dtype=np.int32) for c in zip(*rows, strict=True)] if rows else []
    grouped = M._posthits.group(len(hits_of), [tuple(cols)] if cols else [])
    return grouped.starts, grouped.kids


@pytest.mark.parametrize("seed", range(40))
def test_random_indexes_and_hits_give_the_definitions_rules(seed: int) -> None:
    rng = random.Random(seed)
    n_keys, n_rules = rng.randint(1, 30), rng.randint(1, 40)
    key_rules, always, checks = _index(rng, n_keys, n_rules)
    index = C.CandidateIndex(n_keys, key_rules, always, checks)
    for _ in range(5):  # the same index across batches: its per-post stamps must not leak
        hits_of = [_hits(rng, n_keys) for _ in range(rng.randint(0, 60))]
        want = M.candidates_python(hits_of, key_rules, always, checks)
        assert index.batch(hits_of) == want
        if M._posthits is not None:
            assert index.batch_grouped(*_grouped(hits_of)) == want


def test_a_rule_is_kept_only_when_each_requirement_has_a_key_among_the_hits() -> None:
    # Rule 0 anchored on key 0, and needs key 1 or 2; rule 1 anchored on key 2, needs nothing more;
    # rule 2 is always evaluated and needs key 3; rule 3 is always evaluated and needs nothing.
    key_rules = [(0,), (), (1,), ()]
    always, checks = [2, 3], [((1, 2),), (), ((3,),), ()]
    index = C.CandidateIndex(4, key_rules, always, checks)
    hits_of = [{0: [5]}, {0: [5], 2: [9]}, {2: [1], 3: [4]}, None, {1: [3]}]
    want = [[3], [0, 1, 3], [1, 2, 3], [3], [3]]
    assert index.batch(hits_of) == want == M.candidates_python(hits_of, key_rules, always, checks)


def test_no_always_rules_and_no_anchor_hit_give_none() -> None:
    index = C.CandidateIndex(2, [(0,), ()], [], [()])
    assert index.batch([None, {1: [2]}, {0: [1]}]) == [None, None, [0]]


def test_an_index_naming_a_rule_or_key_out_of_range_is_refused() -> None:
    with pytest.raises(ValueError, match="rule 5"):
        C.CandidateIndex(1, [(5,)], [], [()])
    with pytest.raises(ValueError, match="key id 7"):
        C.CandidateIndex(1, [(0,)], [], [((7,),)])
