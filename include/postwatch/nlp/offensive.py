"""Offensive-language signal: a term lexicon and a comment classifier, both derived from ViHOS.

ViHOS (Hoang et al. 2023, MIT licence, see resources/ATTRIBUTION.md) marks offensive spans
in Vietnamese social-media comments. ``resources/offensive_terms.tsv`` holds the span
texts that are offensive in most of the places they occur, and ``offensive_vihos.npz`` a
linear model trained on its comments (offensive = at least one span). Both are rebuilt by
``python -m postwatch.nlp.build``. The rules helper's keyword pack (include/config/rules/
offensive.yaml) is separate; this module gives a graded score and the terms found.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from postwatch.nlp.features import (
    RESOURCES,
    Prepared,
    PreparedBatch,
    TermHit,
    TermMatcher,
    longest_non_overlapping,
    prepare,
)
from postwatch.nlp.lexicon import LexiconError
from postwatch.nlp.textclf import Batch, TextClassifier, as_batch

TERMS_FILE = RESOURCES / "offensive_terms.tsv"
MODEL_FILE = RESOURCES / "offensive_vihos.npz"
# The classifier alone flags a post only when it is this sure: ViHOS is comments, and on local
# news its calibrated 0.5 still fires on reports of deaths or arrests. Lexicon terms always flag.
FLAG_THRESHOLD = 0.9


# Not frozen: one is made per post, and a frozen dataclass's __init__ costs three times as much.
@dataclass(slots=True)
class OffensiveResult:
    """Flag, probability-like score in [0, 1] and the offensive terms found (term, span)."""

    flag: bool
    score: float
    terms: list[dict[str, Any]] = field(default_factory=list)


def read_terms(path: Path) -> tuple[list[str], set[str]]:
    """``term<TAB>support<TAB>precision<TAB>strict`` lines; strict terms need their exact marks."""
    terms: list[str] = []
    strict: set[str] = set()
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) != 4 or parts[3] not in ("0", "1"):
            raise LexiconError(f"{path}:{lineno}: expected 'term<TAB>support<TAB>precision<TAB>0|1'")
        terms.append(parts[0])
        if parts[3] == "1":
            strict.add(parts[0])
    return terms, strict


@cache
def _matcher() -> TermMatcher:
    terms, strict = read_terms(TERMS_FILE)
    return TermMatcher(((t, t) for t in terms), strict=strict)


def offensive_terms(text: str | Prepared) -> list[dict[str, Any]]:
    """Offensive terms in ``text`` as written, with [start, end) offsets in its NFC form."""
    prep = text if isinstance(text, Prepared) else prepare(text)
    return _as_terms(_matcher().find(prep))


def offensive_terms_batch(batch: PreparedBatch) -> list[list[dict[str, Any]]]:
    """``offensive_terms`` of every post of a batch, with one automaton pass over all of them."""
    return [_as_terms(hits) if hits else [] for hits in _matcher().find_batch(batch)]


def _as_terms(hits: list[TermHit]) -> list[dict[str, Any]]:
    kept = longest_non_overlapping(hits)
    return [{"term": h.surface, "lexicon_term": h.term, "span": [h.start, h.end]} for h in kept]


class OffensiveModel:
    """Comment-level offensive score from the ViHOS classifier, raised by lexicon hits."""

    def __init__(self, classifier: TextClassifier, *, threshold: float = 0.5, version: str = "") -> None:
        self.classifier = classifier
        self.threshold = threshold
        self.version = version or "offensive"
        self._pos = classifier.classes.index("offensive")

    @classmethod
    @cache
    def shipped(cls) -> OffensiveModel:
        from postwatch.nlp.tone import file_digest

        clf = TextClassifier.load(MODEL_FILE)
        return cls(clf, threshold=FLAG_THRESHOLD, version=f"vihos-{file_digest(MODEL_FILE, TERMS_FILE)}")

    def probability(self, texts: Sequence[str] | Batch) -> np.ndarray:
        """P(offensive): the Platt-calibrated margin when the model has a calibration, else softmax."""
        calibration = self.classifier.meta.get("calibration")
        if not calibration:
            return self.classifier.proba(texts)[:, self._pos]
        d = self.classifier.decision(texts)
        margin = d[:, self._pos] - np.delete(d, self._pos, axis=1).max(axis=1)
        a, b = calibration
        return 1.0 / (1.0 + np.exp(-(a * margin + b)))

    def predict(self, texts: Sequence[str] | Batch) -> list[OffensiveResult]:
        """Flag, P(offensive) (at least the threshold when a lexicon term is present), terms."""
        batch = as_batch(texts)
        probs = self.probability(batch)
        out = []
        found = offensive_terms_batch(batch.prepared_batch)
        for text, p, text_terms in zip(batch.texts, probs, found, strict=True):
            terms = text_terms if text.strip() else []
            score = float(p)
            if terms:
                # A lexicon term is offensive in most places it occurs: never score it as clean.
                score = max(score, self.threshold)
            out.append(OffensiveResult(bool(terms) or score > self.threshold, round(score, 4), terms))
        return out
