"""Final tone of a post: the tone model's score moved by the keyword rules that fired.

The model (postwatch.nlp) reads the whole text; rules are the data officer's explicit
judgement ("khen ngợi", "bức xúc", a fire, a complaint), so each tone-bearing rule that fires
adds its weight on top of the model score. Every cue is kept, so the digest can say *why* a
post counted as negative: which rule fired on which words, and which words the model weighed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from postwatch.rules.match import Hit

#: How much one firing rule of each category moves the score (-1 .. 1).
CATEGORY_WEIGHTS: Mapping[str, float] = {
    "tone_positive": 0.5,
    "praise": 0.4,
    "tone_negative": -0.5,
    "complaint": -0.4,
    "incident": -0.3,
    "offensive": -0.3,
    "misinformation": -0.2,
}
#: |score| at or above which a post that a rule touched is positive or negative.
THRESHOLD = 0.2


# Not frozen: one is made per post, and a frozen dataclass's __init__ costs three times as much.
@dataclass(slots=True)
class Tone:
    label: str
    score: float
    cues: tuple[dict[str, Any], ...]


def _label(score: float) -> str:
    if score >= THRESHOLD:
        return "positive"
    if score <= -THRESHOLD:
        return "negative"
    return "neutral"


def rule_cues(hits: Iterable[Hit]) -> list[dict[str, Any]]:
    """One cue per tone-bearing rule that fired, with the words it fired on."""
    out = []
    for h in hits:
        weight = CATEGORY_WEIGHTS.get(h.category)
        if weight is None:
            continue
        words = list(dict.fromkeys(s.text for s in h.spans))
        out.append(
            {"source": "rule", "rule_id": h.rule_id, "category": h.category, "weight": weight, "words": words}
        )
    return out


def combine(model_label: str, model_score: float, model_cues: Iterable[Any], hits: Iterable[Hit]) -> Tone:
    """Model score plus the weight of each tone-bearing rule, clamped to [-1, 1].

    Without a tone-bearing rule the model's own label stands (its thresholds are its own);
    with one, the label follows the combined score."""
    rules = rule_cues(hits) if hits else []
    cues = [*rules, *map(_model_cue, model_cues)] if model_cues else rules
    if not rules:
        return Tone(model_label, round(float(model_score), 4), tuple(cues))
    score = max(-1.0, min(1.0, float(model_score) + sum(c["weight"] for c in rules)))
    return Tone(_label(score), round(score, 4), tuple(cues))


def _model_cue(cue: Any) -> dict[str, Any]:
    """Model cues as plain dicts tagged with their origin (the model may give dicts or objects)."""
    if type(cue) is dict:  # what the shipped models give; isinstance against Mapping costs more
        return cue.copy() if "source" in cue else {**cue, "source": "model"}
    if isinstance(cue, Mapping):
        out = dict(cue)
    elif hasattr(cue, "__dataclass_fields__"):
        out = {f: getattr(cue, f) for f in cue.__dataclass_fields__}
    else:
        out = {"term": str(cue)}
    out.setdefault("source", "model")
    return out
