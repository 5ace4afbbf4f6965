"""Label a batch of posts: relevance, rule hits, tone and flags, without touching the database.

``Analyzer`` compiles the rule packs and the relevance names into one rule set (one automaton
pass per post), loads the tone model once, and turns a batch of post rows into ``post_labels``
and ``rule_hits`` rows. The pipeline, the reclassify DAG and the bench all call it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from postwatch.gcpause import gc_paused
from postwatch.jsontext import dumps
from postwatch.nlp.api import offensive_terms
from postwatch.nlp.features import PreparedBatch, nfc, prepare
from postwatch.nlp.offensive import offensive_terms_batch
from postwatch.nlp.textclf import Batch
from postwatch.nlp.tone import ToneModel
from postwatch.process import flags as flagging
from postwatch.process import tone as toning
from postwatch.process.relevance import CATEGORIES, RelevanceRules, load_gazetteer, load_units
from postwatch.rules.compile import RuleInfo, RuleSet
from postwatch.rules.match import Hit, Matcher, post_key
from postwatch.rules.packs import RulePack, load_packs, pack_rules
from postwatch.settings import get_settings

#: Posts labelled together: a part's joined texts, views, token stream and n-gram counts (about
#: 10 kB a post) then stay in the caches between steps; with 10,000 at once they did not, and two
#: processes labelling side by side took about 4% longer a post.
LABEL_PART = 2_000

LABEL_COLUMNS = (
    "platform",
    "post_id",
    "version",
    "content_hash",
    "relevant",
    "unit_ids",
    "mentions",
    "tone",
    "tone_score",
    "tone_cues",
    "offensive",
    "offensive_terms",
    "needs_checking",
    "check_reasons",
    "pack_version",
    "model_version",
    "processed_at",
)
HIT_COLUMNS = (
    "platform",
    "post_id",
    "version",
    "rule_id",
    "pack_id",
    "pack_version",
    "category",
    "severity",
    "unit_id",
    "spans",
    "matched_at",
)


class ToneResultLike(Protocol):
    label: str
    score: float
    cues: list[Any]


class ToneModelLike(Protocol):
    version: str

    def predict(self, texts: list[str]) -> Sequence[ToneResultLike]: ...


@dataclass
class Labelled:
    """One batch's rows for post_labels and rule_hits (column order: LABEL_COLUMNS, HIT_COLUMNS)."""

    labels: list[dict[str, Any]] = field(default_factory=list)
    hits: list[dict[str, Any]] = field(default_factory=list)


def packs_version(packs: Iterable[RulePack], relevance_version: str) -> str:
    """The version stamped on labels: the packs' versions and the relevance file's, e.g. 2026.11.1."""
    return "+".join(sorted({p.version for p in packs} | {relevance_version}))


def post_text(post: Mapping[str, Any]) -> str:
    """What the tone model reads: title and text."""
    title, text = post.get("title") or "", post.get("text") or ""
    return f"{title}\n{text}" if title else str(text)


class Analyzer:
    """Everything compiled once; ``label(posts)`` is then pure computation."""

    def __init__(
        self,
        packs: Sequence[RulePack],
        relevance: RelevanceRules,
        tone_model: ToneModelLike,
        offensive_lexicon: Callable[[str], Iterable[Any]] | None = None,
        extra_rules: Sequence[tuple[RuleInfo, str]] = (),
    ) -> None:
        self.packs = list(packs)
        self.relevance = relevance
        self.tone_model = tone_model
        self.offensive_lexicon = offensive_lexicon
        self.ruleset = RuleSet([*pack_rules(self.packs), *relevance.rules, *extra_rules])
        self.matcher = Matcher(self.ruleset)
        self.pack_version = packs_version(self.packs, relevance.version)
        self.model_version = str(tone_model.version)

    @classmethod
    def load(
        cls, config_dir: Path | None = None, model_path: Path | None = None, rules_dir: Path | None = None
    ) -> Analyzer:
        """The configured packs (or those of ``rules_dir``), relevance file, units and tone model
        (``model_path``, else POSTWATCH_TONE_MODEL, else the shipped default)."""
        from postwatch.nlp.api import load_tone_model

        cdir = Path(config_dir or get_settings().config_dir)
        rdir = Path(rules_dir or cdir / "rules")
        units = load_units(cdir)
        unit_ids = {u.id for u in units}
        packs = load_packs(rdir, unit_ids)
        places = rdir / "relevance" / "places.yaml"
        if not places.exists():
            places = cdir / "rules" / "relevance" / "places.yaml"
        gaz = load_gazetteer(places, unit_ids)
        return cls(packs, RelevanceRules(units, gaz), load_tone_model(model_path), offensive_terms)

    def _offensive_terms(
        self, posts: Sequence[Mapping[str, Any]], prepared: PreparedBatch
    ) -> list[list[dict[str, Any]]] | None:
        """The shipped offensive lexicon over every post at once (None: a custom lexicon, asked
        post by post). Flags read "title text" where tone reads "title\\ntext": same length, so the
        views differ only in that one character, and a post without a title reads the same terms."""
        if self.offensive_lexicon is not offensive_terms:
            return None
        junctions = []
        for post, prep, start in zip(posts, prepared.items, prepared.starts, strict=True):
            title = post.get("title") or ""
            if title:
                k = len(nfc(str(title)))
                if k >= len(prep.text) or prep.text[k] != "\n":  # not "title\ntext": read it apart
                    return self._offensive_terms_apart(posts, prepared)
                junctions.append(start + k)
        return offensive_terms_batch(prepared.with_spaces(junctions) if junctions else prepared)

    @staticmethod
    def _offensive_terms_apart(
        posts: Sequence[Mapping[str, Any]], prepared: PreparedBatch
    ) -> list[list[dict[str, Any]]]:
        items = [
            prepare(" ".join(str(post.get(f) or "") for f in ("title", "text")))
            if post.get("title")
            else prep
            for post, prep in zip(posts, prepared.items, strict=True)
        ]
        return offensive_terms_batch(PreparedBatch(items=items))

    def label(self, posts: Iterable[Mapping[str, Any]], now: datetime | None = None) -> Labelled:
        """Label rows and hit rows for ``posts`` (warehouse post rows: platform, post_id, version,
        content_hash, title, text, author, source_id, unit_id, kind, shares ...).

        The cyclic garbage collector is paused for the batch (see ``postwatch.gcpause``). Large
        batches go through in parts of ``LABEL_PART`` posts, stamped with one time."""
        rows = posts if isinstance(posts, list) else list(posts)
        with gc_paused():
            if len(rows) <= LABEL_PART:
                return self._label(rows, now)
            now = now or datetime.now(UTC)
            out = Labelled()
            for i in range(0, len(rows), LABEL_PART):
                part = self._label(rows[i : i + LABEL_PART], now)
                out.labels += part.labels
                out.hits += part.hits
            return out

    def _label(self, posts: Sequence[Mapping[str, Any]], now: datetime | None) -> Labelled:
        now = now or datetime.now(UTC)
        by_post: dict[Any, list[Hit]] = defaultdict(list)
        for h in self.matcher.match_batch(posts):
            by_post[h.post_key].append(h)
        texts = [post_text(p) for p in posts]
        # Each post is normalized once; tone, its lexicon and the offensive terms share the views.
        prepared = PreparedBatch(texts)
        if not posts:
            tones: Sequence[ToneResultLike] = []
        elif isinstance(self.tone_model, ToneModel):
            tones = self.tone_model.predict(Batch(texts, prepared))
        else:
            tones = self.tone_model.predict(texts)
        found = self._offensive_terms(posts, prepared)
        out = Labelled()
        labels, hit_rows = out.labels, out.hits
        pack_version, model_version = self.pack_version, self.model_version
        no_hits: list[Hit] = []
        for i, (post, model) in enumerate(zip(posts, tones, strict=True)):
            hits = by_post.get(post_key(post))
            if hits:
                rule_hits = [h for h in hits if h.category not in CATEGORIES]
            else:
                hits = rule_hits = no_hits
            rel = self.relevance.decide(post, hits)
            tone = toning.combine(model.label, model.score, model.cues, rule_hits)
            flags = flagging.decide(
                post, rule_hits, self.offensive_lexicon, rel.relevant, None if found is None else found[i]
            )
            platform, post_id, version = post["platform"], post["post_id"], post.get("version", 1)
            labels.append(
                {
                    "platform": platform,
                    "post_id": post_id,
                    "version": version,
                    "content_hash": post.get("content_hash") or "",
                    "relevant": rel.relevant,
                    "unit_ids": list(rel.unit_ids),
                    "mentions": rel.mentions_json(),
                    "tone": tone.label,
                    "tone_score": tone.score,
                    "tone_cues": dumps(list(tone.cues)) if tone.cues else "[]",
                    "offensive": flags.offensive,
                    "offensive_terms": list(flags.offensive_terms),
                    "needs_checking": flags.needs_checking,
                    "check_reasons": list(flags.check_reasons),
                    "pack_version": pack_version,
                    "model_version": model_version,
                    "processed_at": now,
                }
            )
            for h in rule_hits:
                hit_rows.append(
                    {
                        "platform": platform,
                        "post_id": post_id,
                        "version": version,
                        "rule_id": h.rule_id,
                        "pack_id": h.pack_id,
                        "pack_version": h.pack_version,
                        "category": h.category,
                        "severity": h.severity,
                        "unit_id": h.unit,
                        "spans": dumps([[s.field, s.start, s.end, s.text] for s in h.spans]),
                        "matched_at": now,
                    }
                )
        return out
