"""The tone and offensive-language interface the rest of PostWatch codes against.

``load_tone_model()`` gives the configured tone model: the file named by the environment
variable ``POSTWATCH_TONE_MODEL`` (e.g. a model trained from ``../shared/data`` under
``var/models/``) or, when it is unset, the shipped default (project lexicon + a linear model
trained on the project's own labelled sentences). Models are cached per path.
``offensive_terms(text)`` and ``load_offensive_model()`` give the offensive-language signal
(lexicon and classifier derived from ViHOS, MIT).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

from postwatch.nlp.offensive import OffensiveModel, OffensiveResult, offensive_terms
from postwatch.nlp.textclf import Batch
from postwatch.nlp.tone import ToneModel, ToneResult, load_tone_file, shipped_tone_model

Tone = Literal["positive", "negative", "neutral"]
TONE_MODEL_ENV = "POSTWATCH_TONE_MODEL"

__all__ = [
    "TONE_MODEL_ENV",
    "Batch",
    "OffensiveModel",
    "OffensiveResult",
    "Tone",
    "ToneModel",
    "ToneResult",
    "analyze",
    "configured_tone_model_path",
    "load_offensive_model",
    "load_tone_model",
    "offensive_terms",
]


def configured_tone_model_path() -> Path | None:
    """The tone model file configured through ``POSTWATCH_TONE_MODEL`` (None: shipped default)."""
    value = os.environ.get(TONE_MODEL_ENV, "").strip()
    return Path(value) if value else None


def load_tone_model(path: Path | None = None) -> ToneModel:
    """A tone model: ``path``, else ``$POSTWATCH_TONE_MODEL``, else the shipped default (cached)."""
    path = path or configured_tone_model_path()
    if path is None:
        return shipped_tone_model()
    return load_tone_file(Path(path))


def analyze(texts: Sequence[str]) -> tuple[list[ToneResult], list[OffensiveResult]]:
    """Tone and offensive flags for a batch with the configured models, normalizing each text once."""
    batch = Batch(texts)
    return load_tone_model().predict(batch), load_offensive_model().predict(batch)


def load_offensive_model() -> OffensiveModel:
    """The shipped offensive-language model (ViHOS-derived classifier + term lexicon), cached."""
    return OffensiveModel.shipped()
