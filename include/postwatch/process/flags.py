"""Offensive-language flag (R4) and the heuristic "needs checking" flag for misinformation (R7).

Neither is a verdict. Offensive: rule-pack words (plain, no-diacritic and teencode spellings)
plus the offensive-term lexicon of postwatch.nlp. Needs checking: a prompt for the officer to
verify, raised by misinformation cue words, or by an unofficial page reporting a serious
incident; reasons say which, each prefixed ``heuristic:`` so no reader takes it for a fact check.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from postwatch.rules.match import Hit

#: Source kinds whose posts are the verification, not something to verify.
TRUSTED_KINDS = frozenset({"official"})
#: Incident severities that, reported by an unofficial page, deserve a check.
SERIOUS = frozenset({"high", "critical"})
#: Shares at which a flagged post is also said to be spreading.
WIDE_SHARES = 1000


# Not frozen: one is made per post, and a frozen dataclass's __init__ costs three times as much.
@dataclass(slots=True)
class Flags:
    offensive: bool
    offensive_terms: tuple[str, ...]
    needs_checking: bool
    check_reasons: tuple[str, ...]


def _words(hits: Iterable[Hit]) -> list[str]:
    return [s.text for h in hits for s in h.spans]


def decide(
    post: Mapping[str, Any],
    hits: list[Hit],
    lexicon_terms: Callable[[str], Iterable[Any]] | None = None,
    relevant: bool = True,
    lexicon_found: Iterable[Any] | None = None,
) -> Flags:
    """Flags of one post from its rule hits, its source kind and, when given, a term lexicon
    (giving strings or mappings with a ``term``) or what it already found in the post's title and
    text (``lexicon_found``: a batch caller runs the lexicon once for all its posts).
    Incidents reported by unofficial pages are only worth a check when they are about our units."""
    if not hits and lexicon_found is not None and not lexicon_found:  # most posts: nothing to flag
        return Flags(False, (), False, ())
    terms = _words(h for h in hits if h.category == "offensive")
    if lexicon_found is None and lexicon_terms is not None:
        text = " ".join(str(post.get(f) or "") for f in ("title", "text"))
        lexicon_found = lexicon_terms(text)
    if lexicon_found is not None:
        terms += [t["term"] if isinstance(t, Mapping) else str(t) for t in lexicon_found]
    unique = tuple(dict.fromkeys(t.strip() for t in terms if t and t.strip()))

    reasons: list[str] = []
    kind = post.get("kind")
    if kind not in TRUSTED_KINDS:
        for h in hits:
            if h.category == "misinformation":
                words = ", ".join(dict.fromkeys(s.text for s in h.spans))
                reasons.append(f"heuristic: cue {h.rule_id} ({words})")
        if kind != "press" and relevant:
            for h in hits:
                if h.category == "incident" and h.severity in SERIOUS:
                    reasons.append(f"heuristic: {kind or 'unknown'} page reports incident {h.rule_id}")
    if reasons:
        shares = post.get("shares")
        if isinstance(shares, int | float) and shares == shares and shares >= WIDE_SHARES:
            reasons.append(f"heuristic: widely shared ({int(shares)} shares)")
    return Flags(bool(unique), unique, bool(reasons), tuple(reasons))
