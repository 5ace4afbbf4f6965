"""A fast linear text classifier over hashed word and character n-grams, saved without pickle.

Why this shape: hashing needs no stored vocabulary, so a model file holds only the non-zero
weights, the IDF of the n-grams seen in training and a little JSON (``.npz``, loaded with
``allow_pickle=False``: a model file can be shared without running code). Features are
TF-IDF (sublinear tf) word 1-3 grams over the normalized token stream (teencode expanded,
emoji as tokens, negation twins) plus ``char_wb`` 1-5 grams, each block L2-normalized.
The classifier is a one-vs-rest ensemble of a linear SVM and a logistic regression on
NB-weighted features (NB-SVM); training is deterministic for a given seed.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.linear_model import LogisticRegression
from sklearn.svm import LinearSVC

from postwatch import native
from postwatch.nlp.features import (
    Prepared,
    PreparedBatch,
    TokenStream,
    fold,
    model_token_stream,
    model_tokens,
    prepare,
    word_ngrams,
)
from postwatch.nlp.ngram_hash import char_counts, ngram_column, token_hash, word_counts

# Compiled hot loops; None where they could not be compiled (the numpy paths give the same results).
_ngram_counts = native.load("postwatch.nlp.ngram_counts")
_linear_scores = native.load("postwatch.nlp.linear_scores")
_PUNCT = "!?.,;:"  # one-character tokens that are punctuation: no character n-grams

FORMAT = "postwatch-textclf/3"  # 3: word n-grams hashed from their tokens' hashes (ngram_column)


class ModelFileError(ValueError):
    """A model file that is missing, of another format or inconsistent; the message names it."""


@dataclass(frozen=True)
class FeatureConfig:
    """What the hashers read; stored in the model so prediction rebuilds the same features."""

    word_bits: int = 20
    char_bits: int = 20
    word_ngrams: tuple[int, int] = (1, 3)
    char_ngrams: tuple[int, int] = (1, 5)
    fold_chars: bool = False  # char n-grams on diacritic-free text (helps text typed without marks)
    max_chars: int = 2000  # long articles: the opening carries the tone; keeps throughput flat
    char_weight: float = 1.0


@dataclass(frozen=True)
class TrainConfig:
    """How the linear models are fitted (C values, class weights, ensemble members)."""

    svm_c: float = 0.2
    lr_c: float = 2.0
    members: tuple[str, ...] = ("svm", "nblr")
    class_weight: str | None = "balanced"
    seed: int = 13


class Featurizer:
    """Text -> L2-normalized TF-IDF over two hashed blocks (words, characters)."""

    def __init__(self, cfg: FeatureConfig, idf: np.ndarray | None = None) -> None:
        self.cfg = cfg
        self.idf = idf

    @property
    def n_features(self) -> int:
        return 2**self.cfg.word_bits + 2**self.cfg.char_bits

    def counts(self, texts: Sequence[str]) -> tuple[sp.csr_matrix, sp.csr_matrix]:
        """Raw n-gram counts per block; the text is normalized once for both blocks."""
        return self.counts_from_stream(model_token_stream(self.prepared(texts, None)))

    def prepared(self, texts: Sequence[str], prepared: Sequence[Prepared] | None) -> list[Prepared]:
        """The views the model reads: of each text cut to ``max_chars`` (the given ones when uncut)."""
        cut = self.cfg.max_chars
        if prepared is None:
            return PreparedBatch([t[:cut] for t in texts]).items
        return [p if len(t) <= cut else prepare(t[:cut]) for t, p in zip(texts, prepared, strict=True)]

    def counts_from_stream(self, ts: TokenStream) -> tuple[sp.csr_matrix, sp.csr_matrix]:
        """Word and character n-gram counts of a batch's token stream (see ``stream_counts``)."""
        return stream_counts(ts, self.cfg)

    def fit_idf(self, blocks: tuple[sp.csr_matrix, sp.csr_matrix]) -> None:
        """Smooth IDF over the training documents: log((1 + n) / (1 + df)) + 1."""
        x = sp.hstack(blocks).tocsc()
        n = x.shape[0]
        df = np.diff(x.indptr).astype(np.float64)
        self.idf = (np.log((1.0 + n) / (1.0 + df)) + 1.0).astype(np.float32)

    def weigh(self, blocks: tuple[sp.csr_matrix, sp.csr_matrix]) -> sp.csr_matrix:
        if self.idf is None:
            raise RuntimeError("featurizer has no IDF: fit it first")
        out = []
        offset = 0
        for k, block in enumerate(blocks):
            b = block.copy()
            np.log(b.data, out=b.data)  # sublinear tf: 1 + log(tf)
            b.data += 1.0
            b = b.multiply(self.idf[offset : offset + b.shape[1]]).tocsr()
            norms = np.sqrt(np.asarray(b.multiply(b).sum(axis=1)).ravel())
            norms[norms == 0] = 1.0
            scale = (self.cfg.char_weight if k == 1 else 1.0) / norms
            b = sp.diags(scale.astype(np.float32)) @ b
            out.append(b)
            offset += block.shape[1]
        return sp.hstack(out, format="csr")

    def transform(self, texts: Sequence[str]) -> sp.csr_matrix:
        return self.weigh(self.counts(texts))


class Batch:
    """Texts with their normalized views computed once, so tone and flags share the work."""

    def __init__(self, texts: Sequence[str], prepared: PreparedBatch | None = None) -> None:
        self.texts = [t or "" for t in texts]
        self._counts: dict[FeatureConfig, tuple[sp.csr_matrix, sp.csr_matrix]] = {}
        self._streams: dict[int, TokenStream] = {}
        self._prepared = prepared

    def __len__(self) -> int:
        return len(self.texts)

    @property
    def prepared_batch(self) -> PreparedBatch:
        if self._prepared is None:
            self._prepared = PreparedBatch(self.texts)
        return self._prepared

    @property
    def prepared(self) -> list[Prepared]:
        return self.prepared_batch.items

    def counts(self, fz: Featurizer) -> tuple[sp.csr_matrix, sp.csr_matrix]:
        if fz.cfg not in self._counts:
            cut = fz.cfg.max_chars
            if cut not in self._streams:
                self._streams[cut] = model_token_stream(fz.prepared(self.texts, self.prepared))
            self._counts[fz.cfg] = fz.counts_from_stream(self._streams[cut])
        return self._counts[fz.cfg]


def label_index(labels: Sequence[str]) -> tuple[list[str], np.ndarray]:
    """The sorted label set and each label's index in it; a model needs two labels to tell apart."""
    classes = sorted(set(labels))
    if len(classes) < 2:
        raise ValueError(f"need at least two distinct labels to train, got {classes}")
    index = {c: i for i, c in enumerate(classes)}
    return classes, np.array([index[lab] for lab in labels])


def as_batch(texts: Sequence[str] | Batch) -> Batch:
    return texts if isinstance(texts, Batch) else Batch(texts)


def stream_counts(ts: TokenStream, cfg: FeatureConfig) -> tuple[sp.csr_matrix, sp.csr_matrix]:
    """Hashed counts of each post's word n-grams (``word_ngrams`` of its tokens, at their
    ``ngram_column``) and of its plain words' ``char_wb`` n-grams: one compiled pass
    (``ngram_counts.pyx``; else ``ngram_hash``'s numpy), with one murmur3 per distinct token and one
    char walk per distinct word."""
    if _ngram_counts is None:
        return (
            word_counts(ts, cfg.word_ngrams, 2**cfg.word_bits),
            char_counts(ts, cfg.char_ngrams, 2**cfg.char_bits, fold_chars=cfg.fold_chars),
        )
    types = ts.types
    n_types = len(types)
    token_hashes = np.fromiter(map(token_hash, types), dtype=np.uint64, count=n_types)
    twin_hashes = np.zeros(n_types, dtype=np.uint64)
    for i in np.unique(ts.ids[ts.twin]).tolist():
        twin_hashes[i] = token_hash("neg_" + types[i])
    plain = np.fromiter((not (len(t) == 1 and t in _PUNCT) for t in types), dtype=np.uint8, count=n_types)
    plain[ts.sep] = 0
    words = [fold(t) for t in types] if cfg.fold_chars else types
    code_points = np.frombuffer("".join(words).encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    offsets = np.zeros(n_types + 1, dtype=np.int64)
    np.cumsum(np.fromiter(map(len, words), dtype=np.int64, count=n_types), out=offsets[1:])
    n_word, n_char = 2**cfg.word_bits, 2**cfg.char_bits
    char_columns, char_starts = _ngram_counts.word_char_columns(
        code_points, offsets, *cfg.char_ngrams, n_char
    )
    word_block, char_block = _ngram_counts.count_ngrams(
        np.ascontiguousarray(ts.ids, dtype=np.int64),
        ts.twin.view(np.uint8),
        ts.sep,
        ts.n_posts,
        token_hashes,
        twin_hashes,
        *cfg.word_ngrams,
        n_word,
        plain,
        char_columns,
        char_starts,
        n_char,
    )
    return (
        sp.csr_matrix(word_block, shape=(ts.n_posts, n_word)),
        sp.csr_matrix(char_block, shape=(ts.n_posts, n_char)),
    )


def nb_ratio(x: sp.csr_matrix, y: np.ndarray) -> np.ndarray:
    """Log-count ratio of a binary split (Wang & Manning 2012), on binarized features."""
    xb = x.copy()
    xb.data[:] = 1.0
    p = np.asarray(xb[y].sum(axis=0)).ravel() + 1.0
    q = np.asarray(xb[~y].sum(axis=0)).ravel() + 1.0
    return np.log((p / p.sum()) / (q / q.sum())).astype(np.float32)


def _fit_member(
    member: str, x: sp.csr_matrix, yj: np.ndarray, train: TrainConfig
) -> tuple[np.ndarray, float]:
    """One binary linear model: (weights over x's columns, intercept)."""
    if member == "svm":
        m = LinearSVC(C=train.svm_c, class_weight=train.class_weight, random_state=train.seed)
        m.fit(x, yj)
        return m.coef_.ravel(), float(m.intercept_[0])
    if member == "nblr":
        r = nb_ratio(x, yj)
        m = LogisticRegression(
            C=train.lr_c, class_weight=train.class_weight, max_iter=2000, random_state=train.seed
        )
        m.fit(x.multiply(r).tocsr(), yj)
        return m.coef_.ravel() * r, float(m.intercept_[0])
    raise ValueError(f"unknown ensemble member {member!r} (svm, nblr)")


@dataclass
class TextClassifier:
    """Hashed TF-IDF features + a sparse linear decision per class (members averaged)."""

    classes: list[str]
    features: FeatureConfig
    train: TrainConfig
    weights: sp.csr_matrix  # (n_features, n_classes), z-scaled members summed
    intercept: np.ndarray  # (n_classes,)
    idf: np.ndarray
    meta: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._featurizer = Featurizer(self.features, self.idf)

    @classmethod
    def fit(
        cls,
        texts: Sequence[str],
        labels: Sequence[str],
        *,
        features: FeatureConfig | None = None,
        train: TrainConfig | None = None,
        meta: dict[str, Any] | None = None,
    ) -> TextClassifier:
        """Fit on ``texts``/``labels`` (any label set with at least two labels)."""
        features = features or FeatureConfig()
        train = train or TrainConfig()
        classes, y = label_index(labels)
        fz = Featurizer(features)
        blocks = fz.counts(texts)
        fz.fit_idf(blocks)
        assert fz.idf is not None
        x_full = fz.weigh(blocks)
        # Train on the columns that occur (the hash space is mostly empty): time and memory follow
        # the real vocabulary, and the weights are mapped back to hash columns afterwards.
        cols = np.unique(x_full.indices)
        x = x_full[:, cols]
        k = len(classes)
        total_w = np.zeros((len(cols), k), dtype=np.float64)
        total_b = np.zeros(k, dtype=np.float64)
        pairs = [(j, y == j) for j in range(k)] if k > 2 else [(1, y == 1)]
        for member in train.members:
            w_m = np.zeros((len(cols), k))
            b_m = np.zeros(k)
            for j, yj in pairs:
                w_m[:, j], b_m[j] = _fit_member(member, x, yj, train)
            if k == 2:
                w_m[:, 0] = -w_m[:, 1]
                b_m[0] = -b_m[1]
            # Members speak on different scales: divide by the spread of their training decisions.
            spread = float(np.std(x @ w_m + b_m)) or 1.0
            total_w += w_m / spread
            total_b += b_m / spread
        total_w /= len(train.members)
        total_b /= len(train.members)
        rows, ks = np.nonzero(total_w)
        weights = sp.csr_matrix(
            (total_w[rows, ks].astype(np.float32), (cols[rows], ks)), shape=(x_full.shape[1], k)
        )
        info = {
            "n_train": len(texts),
            "label_counts": {c: int((y == i).sum()) for i, c in enumerate(classes)},
        }
        info.update(meta or {})
        return cls(classes, features, train, weights, total_b.astype(np.float32), fz.idf, info)

    def decision(self, texts: Sequence[str] | Batch) -> np.ndarray:
        """Per-class decision values (n_texts, n_classes); higher is more likely."""
        batch = as_batch(texts)
        if not len(batch):
            return np.zeros((0, len(self.classes)), dtype=np.float32)
        blocks = batch.counts(self._featurizer)
        out = np.zeros((len(batch), len(self.classes)), dtype=np.float64)
        for k, (block, weights) in enumerate(zip(blocks, self._dense_blocks(), strict=True)):
            out += block_decision(block, weights, scale=self.features.char_weight if k == 1 else 1.0)
        return out + self.intercept

    def _dense_blocks(self) -> tuple[BlockWeights, BlockWeights]:
        """Per block: its IDF and IDF-scaled weights, built once (compact: see ``BlockWeights``)."""
        cache = self.__dict__.get("_dense")
        if cache is None:
            cache = self.__dict__["_dense"] = block_weights(
                self.weights, self.idf, 2**self.features.word_bits
            )
        return cache

    def class_weights(self, j: int) -> np.ndarray:
        """Dense weight column of class ``j`` (cached: cue extraction looks up many n-grams)."""
        cache = self.__dict__.setdefault("_class_cols", {})
        if j not in cache:
            cache[j] = self.weights.getcol(j).toarray().ravel()
        return cache[j]

    def proba(self, texts: Sequence[str] | Batch) -> np.ndarray:
        """Softmax of the decisions with a fixed temperature: a ranking-preserving confidence."""
        d = self.decision(texts) * 3.0
        d = d - d.max(axis=1, keepdims=True)
        e = np.exp(d)
        return e / e.sum(axis=1, keepdims=True)

    def predict(self, texts: Sequence[str]) -> list[str]:
        return [self.classes[i] for i in self.decision(texts).argmax(axis=1)]

    # ------------------------------------------------------------------ persistence

    def save(self, path: Path) -> Path:
        """Write the model as a pickle-free ``.npz`` (sparse weights, IDF of seen n-grams only)."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        w = self.weights.tocoo()
        seen = np.unique(w.row)
        header = {
            "format": FORMAT,
            "classes": self.classes,
            "features": asdict(self.features),
            "train": asdict(self.train),
            "meta": self.meta,
            "default_idf": float(self.idf.max()) if self.idf.size else 1.0,
        }
        with path.open("wb") as fh:
            np.savez_compressed(
                fh,
                header=np.array(json.dumps(header, ensure_ascii=False, sort_keys=True)),
                w_row=w.row.astype(np.int32),
                w_col=w.col.astype(np.int16),
                w_val=w.data.astype(np.float32),
                intercept=self.intercept.astype(np.float32),
                idf_idx=seen.astype(np.int32),
                idf_val=self.idf[seen].astype(np.float32),
            )
        return path

    @classmethod
    def load(cls, path: Path) -> TextClassifier:
        path = Path(path)
        if not path.is_file():
            raise ModelFileError(f"{path}: model file not found")
        try:
            with np.load(path, allow_pickle=False) as z:
                header = json.loads(str(z["header"]))
                if header.get("format") != FORMAT:
                    raise ModelFileError(wrong_format(path, FORMAT, header.get("format")))
                features = FeatureConfig(**json_tuples(header["features"]))
                train = TrainConfig(**json_tuples(header["train"]))
                n_feat = 2**features.word_bits + 2**features.char_bits
                k = len(header["classes"])
                weights = sp.csr_matrix(
                    (z["w_val"], (z["w_row"], z["w_col"].astype(np.int32))),
                    shape=(n_feat, k),
                    dtype=np.float32,
                )
                # Unseen n-grams have no weight, but they count in the L2 norm with the largest IDF.
                idf = np.full(n_feat, header["default_idf"], dtype=np.float32)
                idf[z["idf_idx"]] = z["idf_val"]
                return cls(header["classes"], features, train, weights, z["intercept"], idf, header["meta"])
        except (KeyError, ValueError, OSError) as exc:
            if isinstance(exc, ModelFileError):
                raise
            raise ModelFileError(f"{path}: unreadable model file ({exc})") from exc


@dataclass(frozen=True)
class BlockWeights:
    """One block's IDF and IDF-scaled weights as ``block_decision`` reads them.

    Only the columns that carry a weight or an IDF other than the default (that of n-grams never
    seen in training) are stored, in column order, with a bit per column saying which: a model
    trained on a few hundred sentences has weights on a few thousand of 262,144 columns, and the
    compact table stays in the CPU caches while the full one would be read from memory."""

    bits: np.ndarray  # uint64 words, bit c % 64 of word c // 64 set: column c is stored
    rank: np.ndarray  # uint32: stored columns before each word
    idf: np.ndarray  # float32 (1 + m,): row 0 is the default, then the stored columns'
    dense: np.ndarray  # float32 (1 + m, k), IDF-scaled; row 0 is zeros

    @cached_property
    def row_of(self) -> np.ndarray:
        """Each column's row (the numpy path's gather table; the compiled one uses the ranks)."""
        stored = np.unpackbits(self.bits.view(np.uint8), bitorder="little").astype(np.int32)
        return np.cumsum(stored, dtype=np.int32) * stored

    @classmethod
    def of(cls, idf: np.ndarray, dense: np.ndarray) -> BlockWeights:
        """From a block's full IDF (n,) and IDF-scaled weights (n, k)."""
        default = float(idf.max()) if idf.size else 1.0
        seen = (idf != default) | (dense != 0).any(axis=1)
        padded = np.zeros(-(-len(seen) // 64) * 64, dtype=bool)
        padded[: len(seen)] = seen
        bits = np.packbits(padded, bitorder="little").view("<u8").astype(np.uint64)
        k = dense.shape[1] if dense.ndim == 2 else 0
        per_word = np.bitwise_count(bits).astype(np.uint32)
        return cls(
            bits,
            np.cumsum(per_word, dtype=np.uint32) - per_word,
            np.concatenate([[default], idf[seen]]).astype(np.float32),
            np.concatenate([np.zeros((1, k)), dense[seen]]).astype(np.float32),
        )


def block_weights(weights: sp.spmatrix, idf: np.ndarray, n_word: int) -> tuple[BlockWeights, BlockWeights]:
    """The word and character blocks' ``BlockWeights`` of sparse weights over both blocks' columns."""
    idf = idf.astype(np.float32)
    dense = weights.toarray().astype(np.float32) * idf[:, None]
    return BlockWeights.of(idf[:n_word], dense[:n_word]), BlockWeights.of(idf[n_word:], dense[n_word:])


def block_decision(
    counts: sp.csr_matrix, weights: BlockWeights, *, scale: float = 1.0, binary: bool = False
) -> np.ndarray:
    """One block's share of the decision: what ``Featurizer.weigh`` then ``@ weights`` give
    (sublinear tf, or presence when ``binary``, times IDF, L2-normalized per row, times ``scale``),
    without building x (compiled: ``linear_scores.pyx``; else the same arithmetic in numpy)."""
    counts = counts.tocsr()
    if _linear_scores is None:
        return _block_decision_numpy(counts, weights, scale, binary)
    return _linear_scores.block_decision(
        counts.data.astype(np.float32, copy=False),
        counts.indices.astype(np.int32, copy=False),
        counts.indptr.astype(np.int64, copy=False),
        weights.bits,
        weights.rank,
        weights.idf,
        weights.dense,
        float(scale),
        binary,
    )


def _block_decision_numpy(
    counts: sp.csr_matrix, weights: BlockWeights, scale: float, binary: bool
) -> np.ndarray:
    if binary:
        tf = np.ones(counts.nnz, dtype=np.float32)
    else:
        tf = np.log(counts.data.astype(np.float32))
        tf += np.float32(1.0)
    rows = weights.row_of[counts.indices]
    v = tf * weights.idf[rows]
    v *= v
    n = counts.shape[0]
    filled = np.flatnonzero(np.diff(counts.indptr))
    # reduceat over the rows that have entries only (their starts are distinct and in range).
    sq = np.zeros(n, dtype=np.float32)
    if filled.size:
        sq[filled] = np.add.reduceat(v, counts.indptr[filled])
    norms = np.sqrt(sq.astype(np.float64))
    norms[norms == 0] = 1.0
    tf_matrix = sp.csr_matrix((tf, rows, counts.indptr), shape=(n, len(weights.idf)))
    return np.asarray(tf_matrix @ weights.dense, dtype=np.float64) * (scale / norms)[:, None]


def wrong_format(path: Path, expected: str, found: Any) -> str:
    """The error for a model file of another format; an older version of ours says how to renew it."""
    msg = f"{path}: not a {expected} model (format {found!r})"
    if isinstance(found, str) and found.split("/")[0] == expected.split("/")[0]:
        msg += ": written by an older PostWatch, retrain it (`postwatch model train` or `make eval`)"
    return msg


def json_tuples(d: dict[str, Any]) -> dict[str, Any]:
    return {k: tuple(v) if isinstance(v, list) else v for k, v in d.items()}


def softmax_confidence(p: np.ndarray) -> float:
    """Top probability, rounded for output files."""
    return round(float(p.max()), 4) if p.size else math.nan


def word_cues(clf: TextClassifier, text: str, label: str, top: int = 3) -> list[dict[str, Any]]:
    """The word n-grams of ``text`` that pushed hardest towards ``label`` (kind "model").

    Hashing is one-way, so the n-grams are regenerated from the text and looked up; only the
    word block is used because character n-grams do not read as reasons.
    """
    j = clf.classes.index(label)
    n_word = 2**clf.features.word_bits
    col = clf.class_weights(j)
    lo, hi = clf.features.word_ngrams
    scored: dict[str, float] = {}
    for ng in word_ngrams(model_tokens(text[: clf.features.max_chars]), lo, hi):
        i = ngram_column(ng, n_word)
        w = float(col[i] * clf.idf[i])
        if w > 0:
            scored[ng] = w
    best = sorted(scored.items(), key=lambda kv: -kv[1])[:top]
    return [{"cue": ng, "kind": "model", "weight": round(w, 3), "span": None} for ng, w in best]
