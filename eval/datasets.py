"""Readers for the public Vietnamese datasets in ``../shared/data`` (never committed, never shipped).

Each reader returns ``(train, dev)`` as lists of ``(text, label)``; VLSP 2016 has no dev split,
so a fixed seeded stratified 15% of its train is held out. ``dedupe`` removes duplicates inside
train and every train text that also appears in dev, compared on normalized, diacritic-folded
text, because ViHSD repeats texts across its splits with disagreeing labels.
"""

from __future__ import annotations

import csv
import os
import random
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from postwatch.nlp.features import fold, prepare

REPO = Path(__file__).resolve().parents[1]

Rows = list[tuple[str, str]]


def shared_data_dir() -> Path:
    """``<repo>/../shared/data``, or ``$POSTWATCH_SHARED_DATA`` when set."""
    env = os.environ.get("POSTWATCH_SHARED_DATA")
    return Path(env) if env else REPO.parent / "shared" / "data"


def _csv(path: Path, text_col: str, label_col: str, *, delimiter: str = ",") -> Rows:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh, delimiter=delimiter)
        return [
            (r[text_col] or "", str(r[label_col]).strip())
            for r in reader
            if r.get(label_col) not in (None, "")
        ]


def _split(rows: Rows, dev_share: float, seed: int) -> tuple[Rows, Rows]:
    """Stratified fixed split: the same rows go to dev on every run."""
    by_label: dict[str, list[tuple[str, str]]] = {}
    for r in rows:
        by_label.setdefault(r[1], []).append(r)
    train: Rows = []
    dev: Rows = []
    rnd = random.Random(seed)
    for label in sorted(by_label):
        group = by_label[label]
        rnd.shuffle(group)
        k = round(len(group) * dev_share)
        dev.extend(group[:k])
        train.extend(group[k:])
    return train, dev


def vlsp2016(root: Path) -> tuple[Rows, Rows]:
    rows = _csv(root / "vlsp2016_sa" / "train.tsv", "Data", "Class", delimiter="\t")
    mapping = {"-1": "negative", "0": "neutral", "1": "positive"}
    return _split([(t, mapping[y]) for t, y in rows], 0.15, seed=2016)


def uit_vsfc(root: Path) -> tuple[Rows, Rows]:
    mapping = {"0": "negative", "1": "neutral", "2": "positive"}
    d = root / "uit_vsfc"

    def read(split: str) -> Rows:
        sents = (d / f"{split}_sents.txt").read_text(encoding="utf-8").splitlines()
        labels = (d / f"{split}_sentiments.txt").read_text(encoding="utf-8").splitlines()
        if len(sents) != len(labels):
            raise ValueError(f"{d}/{split}_*.txt: {len(sents)} sentences but {len(labels)} labels")
        return [(s, mapping[y.strip()]) for s, y in zip(sents, labels, strict=True)]

    return read("train"), read("dev")


def vihsd(root: Path) -> tuple[Rows, Rows]:
    mapping = {"0": "clean", "1": "offensive", "2": "hate"}
    d = root / "vihsd"

    def read(split: str) -> Rows:
        return [(t, mapping[y]) for t, y in _csv(d / f"{split}.csv", "free_text", "label_id")]

    return read("train"), read("dev")


def victsd_toxic(root: Path) -> tuple[Rows, Rows]:
    mapping = {"0": "clean", "1": "toxic"}
    d = root / "victsd"

    def read(split: str) -> Rows:
        return [(t, mapping[y]) for t, y in _csv(d / f"{split}.csv", "Comment", "Toxicity")]

    return read("train"), read("valid")


@dataclass(frozen=True)
class Dataset:
    """One evaluation: where it lives, how to read it, and which F1 it reports."""

    name: str
    task: str
    folder: str
    reader: Callable[[Path], tuple[Rows, Rows]]
    positive: str | None = None  # report this class's F1 too (the toxic class)


DATASETS: tuple[Dataset, ...] = (
    Dataset("vlsp2016", "tone", "vlsp2016_sa", vlsp2016),
    Dataset("uit_vsfc", "tone", "uit_vsfc", uit_vsfc),
    Dataset("vihsd", "offensive", "vihsd", vihsd),
    Dataset("victsd_toxic", "offensive", "victsd", victsd_toxic, positive="toxic"),
)


def dedupe_key(text: str) -> str:
    """Lower-case, canonical tones, folded, whitespace-collapsed: typing variants collide."""
    return " ".join(fold(prepare(text).lower).split())


def dedupe(train: Rows, dev: Rows) -> tuple[Rows, int, int]:
    """Drop train rows whose key is in dev, then keep the first of each key inside train."""
    dev_keys = {dedupe_key(t) for t, _ in dev}
    seen: set[str] = set()
    out: Rows = []
    overlap = dup = 0
    for text, label in train:
        k = dedupe_key(text)
        if k in dev_keys:
            overlap += 1
        elif k in seen or not k:
            dup += 1
        else:
            seen.add(k)
            out.append((text, label))
    return out, overlap, dup
