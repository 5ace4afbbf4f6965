"""The compiled word-term check (term_hits.pyx) against its definition, features.word_hits_python."""

from __future__ import annotations

import random

import pytest

from postwatch.nlp import features as F
from postwatch.nlp.features import PreparedBatch, TermHit, TermMatcher
from postwatch.nlp.lexicon import Lexicon
from postwatch.nlp.offensive import offensive_terms_batch

C = F._term_hits
pytestmark = pytest.mark.skipif(C is None, reason="term_hits.pyx is not compiled here")

#: Spellings that fold alike ("xấu", "xâu", "xau") and one with a symbol inside ("a-b").
SYLLABLES = [
    "xấu",
    "xâu",
    "xau",
    "xàu",
    "tốt",
    "tot",
    "tột",
    "hòa",
    "hoa",
    "họa",
    "đường",
    "duong",
    "a-b",
    "a b",
]


def _hits(matcher: TermMatcher, batch: PreparedBatch, compiled: bool) -> list[list[TermHit]]:
    out: list[list[TermHit]] = [[] for _ in batch.starts]
    assert matcher._words is not None
    args = (
        matcher._words.iter_words(batch.folded),
        matcher._word_values,
        batch.text,
        batch.lower,
        batch.folded,
    )
    if compiled:
        C.word_hits(*args, batch.starts, F._MARKED_TABLE, out, TermHit)
    else:
        F.word_hits_python(*args, batch.starts, out)
    return out


def test_fuzz_equals_the_definition_with_strict_terms_and_symbols_inside() -> None:
    rnd = random.Random(5)
    kept = 0
    for _ in range(400):
        terms = rnd.sample(SYLLABLES, k=rnd.randint(1, 6))
        strict = rnd.sample(terms, k=rnd.randint(0, len(terms)))
        matcher = TermMatcher([(t, i) for i, t in enumerate(terms)], strict=strict)
        posts = [
            " ".join(rnd.choices([*SYLLABLES, "Xấu", "TỐT", "x", ",", "😀"], k=rnd.randint(0, 12)))
            for _ in range(rnd.randint(1, 6))
        ]
        batch = PreparedBatch(posts)
        expected = _hits(matcher, batch, compiled=False)
        assert _hits(matcher, batch, compiled=True) == expected, (terms, strict, posts)
        kept += sum(map(len, expected))
    assert kept > 1_000


def test_the_shipped_lexicons_find_the_same_terms_either_way(monkeypatch: pytest.MonkeyPatch) -> None:
    posts = [
        "Dịch vụ công rất tốt, cán bộ nhiệt tình 👍 nhưng đường xá thì xấu quá",
        "thái độ ko tốt, đồ ngu, dm chậm trễ",
        "xau, xâu chuỗi; không hề tệ chút nào!!!",
        "chẳng hài lòng :( cảm ơn UBND xã",
    ] * 30
    batch = PreparedBatch(posts)
    lexicon = Lexicon.default()
    compiled = (lexicon.score_batch(batch), offensive_terms_batch(batch))
    monkeypatch.setattr(F, "_term_hits", None)
    assert (lexicon.score_batch(batch), offensive_terms_batch(batch)) == compiled
    assert sum(s.n_cues for s in compiled[0]) >= 4 * 30 and all(compiled[1][1::4])


def test_lengths_that_disagree_are_refused() -> None:
    matcher = TermMatcher([("tốt", 0)])
    batch = PreparedBatch(["tốt"])
    assert matcher._words is not None
    found = matcher._words.iter_words(batch.folded)
    with pytest.raises(ValueError, match="same length"):
        C.word_hits(found, matcher._word_values, batch.text, batch.lower + "x", batch.folded, [0],
                    F._MARKED_TABLE, [[]], TermHit)  # fmt: skip
