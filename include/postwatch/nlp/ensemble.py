"""A stacked ensemble of linear models over one set of hashed n-gram counts, collapsed to two matrices.

Why: on VLSP 2016 no single linear model or feature variant beat the others by more than noise in
cross-validation on train, but a logistic-regression *stack* over six diverse views (word-only,
char-only, binary and sublinear TF-IDF; SVM, LR, NB-LR, NB-SVM) plus the project lexicon's scores
did (macro-F1 0.684 -> 0.708 out of fold; on ViCTSD and UIT-VSFC the gain was within noise).
Every view reads the same word/char counts that ``textclf.Featurizer`` builds, only weighted two
ways (sublinear or binary TF, one IDF), and every level is linear, so the fitted stack folds into
``x_sub @ w_sub + x_bin @ w_bin + lex @ w_lex + b``: prediction costs one count pass, two
weighings and two sparse-times-dense products.

The meta model is fitted on out-of-fold view decisions of the training set; its own out-of-fold
decisions (``oof_decision``) are kept so thresholds can be tuned on train, never on dev.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np
import scipy.sparse as sp
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.svm import LinearSVC

from postwatch.nlp.lexicon import Lexicon
from postwatch.nlp.textclf import (
    Batch,
    BlockWeights,
    FeatureConfig,
    Featurizer,
    ModelFileError,
    as_batch,
    block_decision,
    block_weights,
    json_tuples,
    label_index,
    nb_ratio,
    wrong_format,
)

FORMAT = "postwatch-stack/2"  # 2: the word n-gram columns of textclf format 3
Blocks = tuple[sp.csr_matrix, sp.csr_matrix]
Member = Literal["svm", "lr", "nblr", "nbsvm"]


@dataclass(frozen=True)
class View:
    """One base model: which blocks it reads, how term frequency is weighted, learner and C."""

    name: str
    member: Member
    c: float
    word: bool = True
    char: bool = True
    binary: bool = False


VIEWS: tuple[View, ...] = (
    View("svm_word", "svm", 0.2, char=False),
    View("svm_char", "svm", 0.2, word=False),
    View("nblr_word_bin", "nblr", 2.0, char=False, binary=True),
    View("nblr_char", "nblr", 2.0, word=False),
    View("lr_all", "lr", 10.0),
    View("nbsvm_all_bin", "nbsvm", 0.3, binary=True),
)


@dataclass(frozen=True)
class StackConfig:
    """Views, meta-model strength and the folds that produce its out-of-fold training inputs."""

    views: tuple[View, ...] = VIEWS
    meta_c: float = 0.3
    folds: int = 5
    seed: int = 13
    lexicon: bool = True  # the project lexicon's raw/positive/negative sums as meta inputs


def idf_of(blocks: Blocks, rows: np.ndarray | None = None) -> np.ndarray:
    """Smooth IDF, log((1 + n) / (1 + df)) + 1, over ``rows`` of both blocks (all rows if None)."""
    x = sp.hstack(blocks, format="csr")
    if rows is not None:
        x = x[rows]
    df = np.diff(x.tocsc().indptr).astype(np.float64)
    return (np.log((1.0 + x.shape[0]) / (1.0 + df)) + 1.0).astype(np.float32)


def weigh(blocks: Blocks, idf: np.ndarray, *, binary: bool) -> tuple[sp.csr_matrix, sp.csr_matrix]:
    """Per-block L2-normalized TF-IDF; TF is 1 + log(tf) or, with ``binary``, 1."""
    out = []
    offset = 0
    for block in blocks:
        b = block.tocsr().astype(np.float32, copy=True)
        if binary:
            b.data[:] = 1.0
        else:
            np.log(b.data, out=b.data)
            b.data += 1.0
        b = b.multiply(idf[offset : offset + b.shape[1]]).tocsr()
        norms = np.sqrt(np.asarray(b.multiply(b).sum(axis=1)).ravel())
        norms[norms == 0] = 1.0
        out.append((sp.diags((1.0 / norms).astype(np.float32)) @ b).tocsr())
        offset += block.shape[1]
    return out[0], out[1]


def _view_matrix(view: View, weighted: dict[bool, tuple[sp.csr_matrix, sp.csr_matrix]]) -> sp.csr_matrix:
    w, c = weighted[view.binary]
    return sp.hstack(
        [
            w if view.word else sp.csr_matrix(w.shape, dtype=np.float32),
            c if view.char else sp.csr_matrix(c.shape),
        ],
        format="csr",
    )


def _fit_binary(
    member: Member, x: sp.csr_matrix, yj: np.ndarray, c: float, seed: int
) -> tuple[np.ndarray, float]:
    r = nb_ratio(x, yj) if member in ("nblr", "nbsvm") else None
    xr = x.multiply(r).tocsr() if r is not None else x
    if member in ("svm", "nbsvm"):
        m: LinearSVC | LogisticRegression = LinearSVC(C=c, class_weight="balanced", random_state=seed)
    elif member in ("lr", "nblr"):
        m = LogisticRegression(C=c, class_weight="balanced", max_iter=3000)
    else:
        raise ValueError(f"unknown ensemble member {member!r} (svm, lr, nblr, nbsvm)")
    m.fit(xr, yj)
    w = m.coef_.ravel()
    return (w * r if r is not None else w), float(m.intercept_[0])


def fit_view(view: View, x: sp.csr_matrix, y: np.ndarray, k: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """One-vs-rest weights (n_features, k) and intercepts (k,), scaled to unit spread on train."""
    cols = np.unique(x.indices)  # fit on the columns that occur: the hash space is mostly empty
    xs = x[:, cols]
    w = np.zeros((len(cols), k))
    b = np.zeros(k)
    for j in range(k) if k > 2 else [1]:
        w[:, j], b[j] = _fit_binary(view.member, xs, y == j, view.c, seed)
    if k == 2:
        w[:, 0], b[0] = -w[:, 1], -b[1]
    spread = float(np.std(xs @ w + b)) or 1.0
    full = np.zeros((x.shape[1], k))
    full[cols] = w / spread
    return full, b / spread


def lexicon_features(batch: Batch) -> np.ndarray:
    """(n, 3): the project lexicon's raw sum, positive sum and negative sum per text."""
    scores = Lexicon.default().score_batch(batch.prepared_batch)
    return np.array([[s.raw, s.positive, s.negative] for s in scores], dtype=np.float64).reshape(-1, 3)


def _meta(c: float) -> LogisticRegression:
    return LogisticRegression(C=c, class_weight="balanced", max_iter=3000)


def _as_k(d: np.ndarray) -> np.ndarray:
    """A binary meta model's one score as two columns whose difference is that score."""
    return np.column_stack([-d / 2, d / 2]) if d.ndim == 1 else d


@dataclass
class StackedClassifier:
    """The folded stack: ``decision = x_sub @ w_sub + x_bin @ w_bin + lex @ w_lex + intercept``."""

    classes: list[str]
    features: FeatureConfig
    config: StackConfig
    w_sub: sp.csr_matrix  # (n_features, k)
    w_bin: sp.csr_matrix  # (n_features, k)
    w_lex: np.ndarray  # (3, k)
    intercept: np.ndarray  # (k,)
    idf: np.ndarray
    meta: dict[str, Any] = field(default_factory=dict)
    oof_decision: np.ndarray | None = None  # out-of-fold stack decisions on the training texts

    def __post_init__(self) -> None:
        self._featurizer = Featurizer(self.features, self.idf)

    @classmethod
    def fit(
        cls,
        texts: Sequence[str],
        labels: Sequence[str],
        *,
        features: FeatureConfig | None = None,
        config: StackConfig | None = None,
        meta: dict[str, Any] | None = None,
    ) -> StackedClassifier:
        features = features or FeatureConfig()
        config = config or StackConfig()
        classes, y = label_index(labels)
        k = len(classes)
        batch = as_batch(texts)
        blocks = batch.counts(Featurizer(features))
        lex = lexicon_features(batch) if config.lexicon else np.zeros((len(y), 0))
        views = config.views
        z = np.zeros((len(y), len(views) * k))
        folds = StratifiedKFold(config.folds, shuffle=True, random_state=config.seed)
        for tr, te in folds.split(np.zeros(len(y)), y):
            idf = idf_of(blocks, tr)
            weighted = {b: weigh(blocks, idf, binary=b) for b in {v.binary for v in views}}
            for i, view in enumerate(views):
                x = _view_matrix(view, weighted)
                w, b = fit_view(view, x[tr], y[tr], k, config.seed)
                z[te, i * k : (i + 1) * k] = x[te] @ w + b
        inputs = np.hstack([z, lex])
        meta_model = _meta(config.meta_c).fit(inputs, y)
        oof = _as_k(
            cross_val_predict(
                _meta(config.meta_c),
                inputs,
                y,
                cv=StratifiedKFold(config.folds, shuffle=True, random_state=config.seed + 1),
                method="decision_function",
            )
        )
        a = meta_model.coef_ if k > 2 else np.vstack([-meta_model.coef_ / 2, meta_model.coef_ / 2])
        a0 = meta_model.intercept_ if k > 2 else np.array([-1.0, 1.0]) * meta_model.intercept_[0] / 2
        idf = idf_of(blocks)
        weighted = {b: weigh(blocks, idf, binary=b) for b in {v.binary for v in views}}
        n_feat = blocks[0].shape[1] + blocks[1].shape[1]
        folded = {False: np.zeros((n_feat, k)), True: np.zeros((n_feat, k))}
        intercept = a0.astype(np.float64).copy()
        for i, view in enumerate(views):
            w, b = fit_view(view, _view_matrix(view, weighted), y, k, config.seed)
            a_v = a[:, i * k : (i + 1) * k]  # (k_out, k_view)
            folded[view.binary] += w @ a_v.T
            intercept += a_v @ b
        w_lex = a[:, len(views) * k :].T if config.lexicon else np.zeros((0, k))
        info = {"n_train": len(y), "label_counts": {c: int((y == i).sum()) for i, c in enumerate(classes)}}
        info.update(meta or {})
        return cls(
            classes,
            features,
            config,
            sp.csr_matrix(folded[False].astype(np.float32)),
            sp.csr_matrix(folded[True].astype(np.float32)),
            w_lex.astype(np.float32),
            intercept.astype(np.float32),
            idf,
            info,
            oof,
        )

    def decision(self, texts: Sequence[str] | Batch) -> np.ndarray:
        """Per-class decision values (n_texts, n_classes); higher is more likely."""
        batch = as_batch(texts)
        if not len(batch):
            return np.zeros((0, len(self.classes)), dtype=np.float32)
        blocks = batch.counts(self._featurizer)
        d = np.asarray(self.intercept, dtype=np.float64) + np.zeros((len(batch), 1))
        for binary, per_block in self._dense_weights():
            for block, weights in zip(blocks, per_block, strict=True):
                d += block_decision(block, weights, binary=binary)
        if self.config.lexicon:
            d += lexicon_features(batch) @ self.w_lex
        return d

    def _dense_weights(self) -> list[tuple[bool, tuple[BlockWeights, BlockWeights]]]:
        """Per weighing (sublinear, binary): each block's IDF-scaled folded weights (cached)."""
        cache: list[tuple[bool, tuple[BlockWeights, BlockWeights]]] = self.__dict__.setdefault("_dense", [])
        if not cache:
            n_word = 2**self.features.word_bits
            for binary, w in ((False, self.w_sub), (True, self.w_bin)):
                if w.nnz:
                    cache.append((binary, block_weights(w, self.idf, n_word)))
        return cache

    def predict(self, texts: Sequence[str] | Batch) -> list[str]:
        return [self.classes[i] for i in self.decision(texts).argmax(axis=1)]

    # ------------------------------------------------------------------ persistence

    def save(self, path: Path) -> Path:
        """A pickle-free ``.npz``: folded sparse weights, IDF of the n-grams that carry weight."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        sub, binw = self.w_sub.tocoo(), self.w_bin.tocoo()
        seen = np.union1d(sub.row, binw.row)
        header = {
            "format": FORMAT,
            "classes": self.classes,
            "features": asdict(self.features),
            "config": asdict(self.config),
            "meta": self.meta,
            "default_idf": float(self.idf.max()) if self.idf.size else 1.0,
        }
        arrays: dict[str, np.ndarray] = {
            "header": np.array(json.dumps(header, ensure_ascii=False, sort_keys=True))
        }
        for name, m in (("sub", sub), ("bin", binw)):
            arrays[f"{name}_row"] = m.row.astype(np.int32)
            arrays[f"{name}_col"] = m.col.astype(np.int16)
            arrays[f"{name}_val"] = m.data.astype(np.float32)
        with path.open("wb") as fh:
            np.savez_compressed(
                fh,
                w_lex=self.w_lex,
                intercept=self.intercept,
                idf_idx=seen.astype(np.int32),
                idf_val=self.idf[seen].astype(np.float32),
                **arrays,
            )
        return path

    @classmethod
    def load(cls, path: Path) -> StackedClassifier:
        path = Path(path)
        if not path.is_file():
            raise ModelFileError(f"{path}: model file not found")
        try:
            with np.load(path, allow_pickle=False) as z:
                header = json.loads(str(z["header"]))
                if header.get("format") != FORMAT:
                    raise ModelFileError(wrong_format(path, FORMAT, header.get("format")))
                features = FeatureConfig(**json_tuples(header["features"]))
                cfg = dict(header["config"])
                cfg["views"] = tuple(View(**v) for v in cfg["views"])
                config = StackConfig(**cfg)
                n_feat = 2**features.word_bits + 2**features.char_bits
                k = len(header["classes"])
                ws = [
                    sp.csr_matrix(
                        (z[f"{n}_val"], (z[f"{n}_row"], z[f"{n}_col"].astype(np.int32))),
                        shape=(n_feat, k),
                        dtype=np.float32,
                    )
                    for n in ("sub", "bin")
                ]
                # Unseen n-grams have no weight but count in the L2 norm, with the largest IDF.
                idf = np.full(n_feat, header["default_idf"], dtype=np.float32)
                idf[z["idf_idx"]] = z["idf_val"]
                return cls(
                    header["classes"],
                    features,
                    config,
                    ws[0],
                    ws[1],
                    z["w_lex"],
                    z["intercept"],
                    idf,
                    header["meta"],
                )
        except (KeyError, ValueError, TypeError, OSError) as exc:
            if isinstance(exc, ModelFileError):
                raise
            raise ModelFileError(f"{path}: unreadable model file ({exc})") from exc


def is_stack_file(path: Path) -> bool:
    """Whether a model file holds a stack (tone files may hold either kind of model); a stack of an
    older format counts, so that loading it says it must be retrained."""
    try:
        with np.load(path, allow_pickle=False) as z:
            if "header" not in z.files:
                return False
            found = json.loads(str(z["header"])).get("format")
            return isinstance(found, str) and found.split("/")[0] == FORMAT.split("/")[0]
    except (OSError, ValueError, KeyError):
        return False
