"""Is a comment a question, a complaint, or neither? Vietnamese cue phrases, diacritic-insensitive.

People write with and without diacritics ("bao giờ", "bao gio"), so text and cues are folded the
same way and matched on whole words; a "?" anywhere makes a question. A complaint cue wins over a
question cue: "Sao lâu vậy, đề nghị làm rõ trách nhiệm?" needs an answer and is a complaint. The
cues that fired are kept, so an officer sees why.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from postwatch.comments.config import CommentKind, CommentsConfig
from postwatch.normalize.text import fold_diacritics

_NON_WORD = re.compile(r"[^0-9a-z]+")
QUESTION_MARK = "?"


def fold(text: str | None) -> str:
    """Lower case, diacritics folded (đ too), punctuation as single spaces: 'Bao giờ?' → 'bao gio'."""
    if not text:
        return ""
    return " ".join(t for t in _NON_WORD.split(fold_diacritics(text).lower()) if t)


def _pattern(phrases: Iterable[str]) -> re.Pattern[str] | None:
    folded = sorted({f for p in phrases if (f := fold(p))}, key=len, reverse=True)
    if not folded:
        return None
    # A lookahead finds overlapping cues too ("mai khong" and "khong ai giai quyet").
    alternatives = "|".join(re.escape(p) for p in folded)
    return re.compile(r"(?<![0-9a-z])(?=(" + alternatives + r")(?![0-9a-z]))")


@dataclass(frozen=True)
class Classified:
    kind: CommentKind
    cues: tuple[str, ...]


class Classifier:
    """Built once per run from the config's cue lists."""

    def __init__(self, config: CommentsConfig) -> None:
        self._question = _pattern(config.question_cues)
        self._complaint = _pattern(config.complaint_cues)

    @staticmethod
    def _found(pattern: re.Pattern[str] | None, folded: str) -> list[str]:
        return sorted({m.group(1) for m in pattern.finditer(folded)}) if pattern else []

    def classify(self, text: str | None) -> Classified:
        folded = fold(text)
        complaint = self._found(self._complaint, folded)
        question = self._found(self._question, folded)
        if text and QUESTION_MARK in text:
            question.insert(0, QUESTION_MARK)
        if complaint:
            return Classified(CommentKind.complaint, tuple(complaint + question))
        if question:
            return Classified(CommentKind.question, tuple(question))
        return Classified(CommentKind.other, ())
