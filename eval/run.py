"""`make eval`: train on each public dataset's train split, report macro-F1 on its dev split.

Reads ``<repo>/../shared/data`` (``$POSTWATCH_SHARED_DATA`` overrides) and skips cleanly,
exit 0, when it is absent. Train is deduplicated against dev (and inside itself) on
normalized text first. Writes eval/results.json and the table between ``<!-- eval:start -->``
and ``<!-- eval:end -->`` in README.md (printed instead when the markers are missing).
The trained tone models are saved under ``$POSTWATCH_HOME/models`` (default var/models) for
use through ``POSTWATCH_TONE_MODEL``; they are research-only and never committed.
Usage: python eval/run.py [--only vlsp2016,uit_vsfc,vihsd,victsd_toxic] [--no-readme]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.metrics import accuracy_score, f1_score
from sklearn.model_selection import train_test_split

EVAL = Path(__file__).resolve().parent
REPO = EVAL.parent
sys.path.insert(0, str(REPO / "include"))
sys.path.insert(0, str(REPO))

from eval.datasets import DATASETS, Dataset, Rows, dedupe, shared_data_dir  # noqa: E402
from postwatch.nlp.api import load_tone_model  # noqa: E402
from postwatch.nlp.ensemble import StackedClassifier  # noqa: E402
from postwatch.nlp.textclf import TextClassifier, TrainConfig  # noqa: E402
from postwatch.nlp.tone import tone_model_from_classifier  # noqa: E402

RESULTS = EVAL / "results.json"
README = REPO / "README.md"
START, END = "<!-- eval:start -->", "<!-- eval:end -->"
SEED = 13
TONE_LEXICON_WEIGHT = 0.3
TRAIN = TrainConfig(seed=SEED)
# Datasets where the stacked ensemble (postwatch.nlp.ensemble) clearly beat the single model in
# 5-fold cross-validation on train (VLSP 2016: 0.684 -> 0.708 macro-F1). On ViCTSD (+0.01 toxic F1,
# within noise) and UIT-VSFC (+0.002) the gain did not pay for a second weighing at prediction.
STACKED = frozenset({"vlsp2016"})


def _scores(gold: list[str], pred: list[str], positive: str | None = None) -> dict[str, Any]:
    labels = sorted(set(gold))
    out: dict[str, Any] = {
        "macro_f1": round(float(f1_score(gold, pred, labels=labels, average="macro")), 4),
        "accuracy": round(float(accuracy_score(gold, pred)), 4),
        "f1_per_class": {
            lab: round(float(f), 4)
            for lab, f in zip(labels, f1_score(gold, pred, labels=labels, average=None), strict=True)
        },
    }
    if positive:
        out["positive_class"] = positive
        out["positive_f1"] = out["f1_per_class"][positive]
    return out


def _margin(clf: TextClassifier, texts: list[str], positive: str) -> np.ndarray:
    d = clf.decision(texts)
    j = clf.classes.index(positive)
    others = np.delete(d, j, axis=1).max(axis=1)
    return d[:, j] - others


def _inner_split(train: Rows) -> tuple[TextClassifier, list[str], list[str]]:
    """A model fitted on 75% of *train* and the other 25% (texts, labels) to tune on; never dev."""
    texts = [t for t, _ in train]
    labels = [y for _, y in train]
    a, b = train_test_split(np.arange(len(texts)), test_size=0.25, random_state=SEED, stratify=labels)
    clf = TextClassifier.fit([texts[i] for i in a], [labels[i] for i in a], train=TRAIN)
    return clf, [texts[i] for i in b], [labels[i] for i in b]


def tune_threshold(train: Rows, positive: str) -> float:
    """Best-F1 margin for the positive class on a seeded 25% held out of *train* (never dev)."""
    clf, texts, labels = _inner_split(train)
    return best_threshold(_margin(clf, texts, positive), np.array([y == positive for y in labels]))


def best_threshold(m: np.ndarray, gold: np.ndarray) -> float:
    """The margin above which calling the positive class gives the best F1 on (m, gold)."""
    candidates = np.unique(np.quantile(m, np.linspace(0.5, 0.995, 100)))
    f1s = [f1_score(gold, m > th) for th in candidates]
    return float(candidates[int(np.argmax(f1s))])


def tune_offsets(train: Rows) -> np.ndarray:
    """Per-class decision offsets that maximize macro-F1 on a held-out 25% of *train*.

    Coordinate ascent over a small grid, two rounds; class imbalance (ViHSD: 82% clean) moves
    the best boundary away from the one the hinge loss picks.
    """
    clf, texts, labels = _inner_split(train)
    return best_offsets(clf.decision(texts), np.array([clf.classes.index(y) for y in labels]))


def best_offsets(d: np.ndarray, gold: np.ndarray) -> np.ndarray:
    """Coordinate ascent for the per-class offsets that maximize macro-F1 of (d, gold)."""
    offsets = np.zeros(d.shape[1])

    def score(off: np.ndarray) -> float:
        return float(f1_score(gold, (d + off).argmax(axis=1), average="macro"))

    best = score(offsets)
    grid = np.linspace(-1.0, 1.0, 41)
    for _ in range(2):
        for j in range(len(offsets)):
            for g in grid:
                trial = offsets.copy()
                trial[j] = g
                f = score(trial)
                if f > best + 1e-9:
                    best, offsets = f, trial
    return offsets


def evaluate(ds: Dataset, root: Path, models_dir: Path) -> dict[str, Any]:
    t0 = time.perf_counter()
    train, dev = ds.reader(root)
    n_raw = len(train)
    train, overlap, dup = dedupe(train, dev)
    texts = [t for t, _ in train]
    labels = [y for _, y in train]
    meta = {
        "kind": ds.task if ds.task == "tone" else "generic",
        "trained_on": f"{ds.name} train (research-only)",
    }
    if ds.task == "tone":
        meta["lexicon_weight"] = TONE_LEXICON_WEIGHT
    clf = TextClassifier.fit(texts, labels, train=TRAIN, meta=meta)
    dev_texts = [t for t, _ in dev]
    gold = [y for _, y in dev]
    result: dict[str, Any] = {
        "task": ds.task,
        "train_rows": n_raw,
        "train_rows_used": len(train),
        "dropped_in_dev": overlap,
        "dropped_duplicates": dup,
        "dev_rows": len(dev),
    }
    result["untuned"] = _scores(gold, clf.predict(dev_texts), ds.positive)
    if not ds.positive:
        offsets = tune_offsets(train)
        clf.intercept = (clf.intercept + offsets).astype(np.float32)
        result["class_offsets"] = {c: round(float(o), 3) for c, o in zip(clf.classes, offsets, strict=True)}
    result["classifier"] = _scores(gold, clf.predict(dev_texts), ds.positive)
    if ds.task == "tone":
        path = clf.save(models_dir / f"tone_{ds.name}.npz")
        model = tone_model_from_classifier(clf, version=path.stem)
        result["with_lexicon"] = _scores(gold, [r.label for r in model.predict(dev_texts)])
        result["model_file"] = _portable(path)
        result["headline"] = result["with_lexicon"]
    elif ds.positive:
        threshold = tune_threshold(train, ds.positive)
        tuned = [ds.positive if m > threshold else "clean" for m in _margin(clf, dev_texts, ds.positive)]
        result["tuned_threshold"] = round(threshold, 4)
        result["thresholded"] = _scores(gold, tuned, ds.positive)
        result["headline"] = result["thresholded"]
    else:
        result["headline"] = result["classifier"]
    if ds.name in STACKED:
        result["single_model_headline"] = result["headline"]
        result["stacked"] = stacked(ds, train, dev, models_dir, meta)
        result["headline"] = result["stacked"]["scores"]
    result["seconds"] = round(time.perf_counter() - t0, 1)
    return result


def stacked(ds: Dataset, train: Rows, dev: Rows, models_dir: Path, meta: dict[str, Any]) -> dict[str, Any]:
    """The stacked ensemble; offsets or the threshold come from its out-of-fold train decisions."""
    t0 = time.perf_counter()
    clf = StackedClassifier.fit([t for t, _ in train], [y for _, y in train], meta=meta)
    assert clf.oof_decision is not None
    gold_train = np.array([clf.classes.index(y) for _, y in train])
    d = clf.decision([t for t, _ in dev])
    gold = [y for _, y in dev]
    out: dict[str, Any] = {"untuned": _scores(gold, [clf.classes[i] for i in d.argmax(axis=1)], ds.positive)}
    if ds.positive:
        j = clf.classes.index(ds.positive)
        oof_margin = clf.oof_decision[:, j] - np.delete(clf.oof_decision, j, axis=1).max(axis=1)
        threshold = best_threshold(oof_margin, gold_train == j)
        margin = d[:, j] - np.delete(d, j, axis=1).max(axis=1)
        pred = [ds.positive if m > threshold else "clean" for m in margin]
        out["tuned_threshold"] = round(threshold, 4)
    else:
        offsets = best_offsets(clf.oof_decision, gold_train)
        pred = [clf.classes[i] for i in (d + offsets).argmax(axis=1)]
        out["class_offsets"] = {c: round(float(o), 3) for c, o in zip(clf.classes, offsets, strict=True)}
    out["scores"] = _scores(gold, pred, ds.positive)
    out["model_file"] = _portable(clf.save(models_dir / f"stack_{ds.name}.npz"))
    out["views"] = [v.name for v in clf.config.views]
    out["seconds"] = round(time.perf_counter() - t0, 1)
    return out


def zero_shot(ds: Dataset, root: Path) -> dict[str, Any]:
    """The shipped default tone model (no research data) on a tone dataset's dev split."""
    _, dev = ds.reader(root)
    model = load_tone_model(None)
    pred = [r.label for r in model.predict([t for t, _ in dev])]
    out = _scores([y for _, y in dev], pred)
    out["model"] = model.version
    out["dev_rows"] = len(dev)
    return out


def table(results: dict[str, Any]) -> str:
    rows = [
        "| evaluation | dev rows | macro-F1 | accuracy | other | target |",
        "|---|---:|---:|---:|---|---|",
    ]
    targets = {"vlsp2016": "macro-F1 ≥ 0.75", "vihsd": "macro-F1 ≥ 0.66", "victsd_toxic": "toxic F1 ≥ 0.55"}
    for name, r in results["datasets"].items():
        h = r["headline"]
        other = f"toxic F1 {h['positive_f1']:.3f}" if "positive_f1" in h else ""
        if r["task"] == "tone":
            other = f"classifier alone {r['classifier']['macro_f1']:.3f}"
        if "stacked" in r:
            s = r["single_model_headline"]
            single = (
                f"toxic F1 {s['positive_f1']:.3f}" if "positive_f1" in s else f"macro-F1 {s['macro_f1']:.3f}"
            )
            other = f"stacked ensemble; single model: {single}"
        rows.append(
            f"| {r['task']}: {name} | {r['dev_rows']} | {h['macro_f1']:.3f} | {h['accuracy']:.3f} | {other} "
            f"| {targets.get(name, '')} |"
        )
    for name, z in results.get("zero_shot", {}).items():
        rows.append(
            f"| tone: shipped default, zero-shot on {name} | {z['dev_rows']} | {z['macro_f1']:.3f} "
            f"| {z['accuracy']:.3f} | no training on it | |"
        )
    rows.append("")
    rows.append(
        f"_`make eval`, {results['measured_at']}, {results['seconds']:.0f} s; train deduplicated against "
        "dev; VLSP 2016 dev = seeded 15% of train; thresholds and offsets tuned on train only._"
    )
    return "\n".join(rows)


def write_readme(md: str) -> bool:
    if not README.exists():
        return False
    text = README.read_text(encoding="utf-8")
    if START not in text or END not in text or text.index(START) > text.index(END):
        return False
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    README.write_text(f"{head}{START}\n{md}\n{END}{tail}", encoding="utf-8")
    return True


def _portable(path: Path) -> str:
    """A path relative to the repository, so the committed results name no machine's folders."""
    return os.path.relpath(path.resolve(), REPO)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--only", default="", help="comma-separated dataset names")
    ap.add_argument("--no-readme", action="store_true", help="do not touch README.md")
    args = ap.parse_args(argv)
    root = shared_data_dir()
    wanted = [d for d in DATASETS if not args.only or d.name in args.only.split(",")]
    present = [d for d in wanted if (root / d.folder).is_dir()]
    if not present:
        print(f"eval skipped: no public datasets under {root} (set POSTWATCH_SHARED_DATA to point elsewhere)")
        return 0
    for d in wanted:
        if d not in present:
            print(f"{d.name}: skipped, {root / d.folder} is absent")
    home = Path(os.environ.get("POSTWATCH_HOME", REPO / "var"))
    models_dir = home / "models"
    started = time.perf_counter()
    results: dict[str, Any] = {
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "data_dir": _portable(root),
        "seed": SEED,
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        "datasets": {},
        "zero_shot": {},
    }
    for d in present:
        print(f"{d.name}: training ...", flush=True)
        r = evaluate(d, root, models_dir)
        results["datasets"][d.name] = r
        h = r["headline"]
        extra = f", {h['positive_class']} F1 {h['positive_f1']:.4f}" if "positive_f1" in h else ""
        print(
            f"{d.name}: macro-F1 {h['macro_f1']:.4f}, accuracy {h['accuracy']:.4f}{extra} ({r['seconds']} s)"
        )
        if d.name == "vlsp2016":
            z = zero_shot(d, root)
            results["zero_shot"][d.name] = z
            print(
                f"{d.name}: shipped default zero-shot macro-F1 {z['macro_f1']:.4f}, acc. {z['accuracy']:.4f}"
            )
    results["seconds"] = round(time.perf_counter() - started, 1)
    RESULTS.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    md = table(results)
    print(md)
    if args.no_readme:
        print(f"wrote {RESULTS} (README left alone: --no-readme)")
    elif write_readme(md):
        print(f"wrote {RESULTS} and the table in {README}")
    else:
        print(
            f"wrote {RESULTS}; README.md has no {START} ... {END} markers, so the table is only printed above"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
