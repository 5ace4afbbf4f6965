"""Tone of a post (positive / negative / neutral) with a score in [-1, 1] and readable cues.

A tone model is the project lexicon (always; it gives the cues leadership reads) plus,
optionally, a trained ``TextClassifier`` whose classes are the three tones. The two are
combined on the logit scale: the lexicon's signed sum is added to the positive logit and
taken from the negative one, with a weight stored in the model file (``lexicon_weight``).
The label is the arg-max and the score is P(positive) - P(negative) of the combined softmax,
so label and score never disagree. Without a classifier the lexicon alone decides.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from postwatch.nlp.features import RESOURCES
from postwatch.nlp.lexicon import Lexicon, LexiconScore
from postwatch.nlp.textclf import Batch, ModelFileError, TextClassifier, as_batch

if TYPE_CHECKING:
    from postwatch.nlp.ensemble import StackedClassifier

ToneLabel = Literal["positive", "negative", "neutral"]
TONES: tuple[str, ...] = ("negative", "neutral", "positive")
DEFAULT_MODEL = RESOURCES / "tone_default.npz"
DEFAULT_TRAINING_SET = RESOURCES / "tone_train.csv"
LEXICON_ONLY_THRESHOLD = 0.25
TEMPERATURE = 1.5


# Not frozen: one is made per post, and a frozen dataclass's __init__ costs three times as much.
@dataclass(slots=True)
class ToneResult:
    """One post's tone: label, signed score in [-1, 1] and the cues that explain it."""

    label: ToneLabel
    score: float
    cues: list[dict[str, Any]] = field(default_factory=list)


def file_digest(*paths: Path) -> str:
    h = hashlib.sha256()
    for p in paths:
        h.update(p.read_bytes())
    return h.hexdigest()[:12]


def lexicon_cues(lex: LexiconScore) -> list[dict[str, Any]]:
    """Cues as plain dicts (JSON-ready): words as written, signed weight, kind, [start, end)."""
    return [{"cue": c.term, "kind": c.source, "weight": c.weight, "span": list(c.span)} for c in lex.cues]


class ToneModel:
    """Lexicon + optional three-class linear model; see the module docstring for the blend."""

    def __init__(
        self,
        lexicon: Lexicon,
        classifier: TextClassifier | StackedClassifier | None,
        *,
        version: str,
        lexicon_weight: float = 1.0,
    ) -> None:
        if classifier is not None and not set(classifier.classes) <= set(TONES):
            raise ModelFileError(
                f"a tone model's classes must be among {list(TONES)}, got {classifier.classes}"
            )
        self.lexicon = lexicon
        self.classifier = classifier
        self.version = version
        self.lexicon_weight = lexicon_weight

    def predict(self, texts: Sequence[str] | Batch) -> list[ToneResult]:
        """Tone for each text, in order; empty or blank texts come out neutral with score 0."""
        batch = as_batch(texts)
        texts = batch.texts
        lex = self.lexicon.score_batch(batch.prepared_batch)
        if self.classifier is None:
            return [self._lexicon_only(s) for s in lex]
        logits = np.full((len(texts), len(TONES)), -1e3, dtype=np.float64)
        dec = self.classifier.decision(batch)
        for j, c in enumerate(self.classifier.classes):
            logits[:, TONES.index(c)] = dec[:, j]
        raw = np.array([s.raw for s in lex])
        logits[:, TONES.index("positive")] += self.lexicon_weight * raw
        logits[:, TONES.index("negative")] -= self.lexicon_weight * raw
        z = logits * TEMPERATURE
        z -= z.max(axis=1, keepdims=True)
        p = np.exp(z)
        p /= p.sum(axis=1, keepdims=True)
        out = []
        # Whole-array argmax and difference, then plain floats: numpy calls per post cost more.
        best = p.argmax(axis=1).tolist()
        scores = (p[:, 2] - p[:, 0]).tolist()
        for text, s, j, score in zip(texts, lex, best, scores, strict=True):
            if not text.strip():
                out.append(ToneResult("neutral", 0.0, []))
                continue
            out.append(ToneResult(TONES[j], round(score, 4), lexicon_cues(s)))  # type: ignore[arg-type]
        return out

    def _lexicon_only(self, s: LexiconScore) -> ToneResult:
        if s.score >= LEXICON_ONLY_THRESHOLD:
            label: ToneLabel = "positive"
        elif s.score <= -LEXICON_ONLY_THRESHOLD:
            label = "negative"
        else:
            label = "neutral"
        return ToneResult(label, round(s.score, 4), lexicon_cues(s))


def tone_model_from_classifier(clf: TextClassifier, *, version: str) -> ToneModel:
    weight = float(clf.meta.get("lexicon_weight", 0.3))
    return ToneModel(Lexicon.default(), clf, version=version, lexicon_weight=weight)


def tone_model_from_file(path: Path, *, version: str) -> ToneModel:
    """A tone model from either kind of model file: a stacked ensemble (``nlp/ensemble.py``, which
    already weighs the lexicon inside, so it is not added again) or a single linear model."""
    from postwatch.nlp.ensemble import StackedClassifier, is_stack_file

    if is_stack_file(path):
        return ToneModel(Lexicon.default(), StackedClassifier.load(path), version=version, lexicon_weight=0.0)
    clf = TextClassifier.load(path)
    if clf.meta.get("kind") not in (None, "tone"):
        raise ModelFileError(f"{path}: a {clf.meta.get('kind')!r} model, not a tone model")
    return tone_model_from_classifier(clf, version=version)


@lru_cache(maxsize=8)
def _load_tone_file(path: Path, mtime_ns: int) -> ToneModel:
    return tone_model_from_file(path, version=f"{path.stem}-{file_digest(path)}")


def load_tone_file(path: Path) -> ToneModel:
    """A tone model from a file written by ``postwatch model train`` (cached until it changes)."""
    path = Path(path).resolve()
    if not path.is_file():
        raise ModelFileError(f"{path}: tone model file not found")
    return _load_tone_file(path, path.stat().st_mtime_ns)


@cache
def shipped_tone_model() -> ToneModel:
    """The default: project lexicon + the linear model trained on the project's own sentences."""
    clf = TextClassifier.load(DEFAULT_MODEL)
    digest = file_digest(
        DEFAULT_MODEL,
        RESOURCES / "tone_lexicon.tsv",
        RESOURCES / "tone_modifiers.yaml",
        RESOURCES / "teencode.yaml",
    )
    return tone_model_from_classifier(clf, version=f"default-{digest}")
