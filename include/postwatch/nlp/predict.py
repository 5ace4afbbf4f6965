"""One labelling interface over tone models and generic classifiers, for `postwatch classify`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from postwatch.nlp.api import load_tone_model
from postwatch.nlp.ensemble import is_stack_file
from postwatch.nlp.textclf import TextClassifier, word_cues
from postwatch.nlp.tone import TONES, ToneModel, file_digest, tone_model_from_classifier, tone_model_from_file

Labelled = tuple[str, float, list[dict[str, Any]]]


@dataclass
class TonePredictor:
    """Tone: score in [-1, 1] (positive minus negative), lexicon cues plus the model's top n-grams."""

    model: ToneModel

    @property
    def version(self) -> str:
        return self.model.version

    def label(self, texts: Sequence[str]) -> list[Labelled]:
        out = []
        for text, r in zip(texts, self.model.predict(list(texts)), strict=True):
            cues = list(r.cues)
            clf = self.model.classifier
            if isinstance(clf, TextClassifier) and r.label in clf.classes:
                cues += word_cues(clf, text, r.label)
            out.append((r.label, r.score, cues))
        return out


@dataclass
class GenericPredictor:
    """Any label set: score is the top class's softmax confidence in [0, 1]; cues are n-grams."""

    clf: TextClassifier
    version: str

    def label(self, texts: Sequence[str]) -> list[Labelled]:
        probs = self.clf.proba(list(texts))
        out = []
        for text, p in zip(texts, probs, strict=True):
            label = self.clf.classes[int(p.argmax())]
            out.append((label, float(p.max()), word_cues(self.clf, text, label)))
        return out


def load_any_model(path: Path | None) -> TonePredictor | GenericPredictor:
    """A model file (tone when its classes are tones), or the configured/shipped tone model."""
    if path is None:
        return TonePredictor(load_tone_model())
    version = f"{Path(path).stem}-{file_digest(Path(path))}"
    if is_stack_file(Path(path)):
        return TonePredictor(tone_model_from_file(Path(path), version=version))
    clf = TextClassifier.load(path)
    if set(clf.classes) <= set(TONES) and clf.meta.get("kind", "tone") == "tone":
        return TonePredictor(tone_model_from_classifier(clf, version=version))
    return GenericPredictor(clf, version)
