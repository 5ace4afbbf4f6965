"""Rebuild the shipped NLP resources: ``python -m postwatch.nlp.build [tone|offensive|all]``.

* ``tone``: ``resources/tone_default.npz`` from the project's own labelled sentences
  (``resources/tone_train.csv``), so the shipped tone model carries no research-only data.
* ``offensive``: ``resources/offensive_terms.tsv`` and ``resources/offensive_vihos.npz`` from
  ViHOS (MIT) in ``../shared/data/vihos`` (``$POSTWATCH_SHARED_DATA`` overrides).
Both are deterministic: the same inputs give the same files.
"""

from __future__ import annotations

import ast
import csv
import os
import sys
from collections import Counter
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

from postwatch.nlp.features import RESOURCES, TermMatcher, prepare
from postwatch.nlp.textclf import FeatureConfig, TextClassifier, TrainConfig
from postwatch.settings import PROJECT_ROOT

SEED = 13
# Small hash spaces: the shipped models are trained on a few thousand texts at most.
SHIPPED_FEATURES = FeatureConfig(word_bits=18, char_bits=18)
MIN_SUPPORT = 3
MIN_PRECISION = 0.7
# Span texts that ViHOS marks in comments but that are ordinary words in local-government news
# (crime and disaster reports, pronouns, everyday words): never offensive on their own here.
NEWS_ORDINARY = frozenset(
    {
        "3/",
        "3///",
        "bom",
        "bon",
        "bã",
        "bò",
        "bần",
        "bẩn",
        "bọn",
        "bọn chúng",
        "bọn nó",
        "cac",
        "chet",
        "chui",
        "chém",
        "chúng nó",
        "chết",
        "cu",
        "câm",
        "cướp",
        "cướp giật",
        "cẩu",
        "cắn",
        "del",
        "dân đen",
        "dơ",
        "giả tạo",
        "giết",
        "hiếp dâm",
        "háng",
        "hùa",
        "hắn",
        "hối lộ",
        "hỗn",
        "khinh",
        "khung",
        "khuyết tật",
        "khóc lóc",
        "khùng",
        "kém",
        "linh tinh",
        "lon",
        "lão",
        "lòi",
        "lú",
        "lũ",
        "lạc hậu",
        "lật đổ",
        "lợn",
        "ma túy",
        "me",
        "mày",
        "má",
        "méo",
        "mẹ",
        "mỏ",
        "mồm",
        "mụ",
        "ngao da",
        "nhai lại",
        "nhảm",
        "nhục",
        "no",
        "nát",
        "nó",
        "nô lệ",
        "nằm vùng",
        "nổ",
        "phá hoại",
        "phản động",
        "quái",
        "quả báo",
        "quỳ",
        "sua",
        "sân si",
        "tao",
        "tham nhũng",
        "tham ô",
        "thiếu ý thức",
        "thần kinh",
        "thằng",
        "tiêu diệt",
        "tk",
        "trung cộng",
        "trộm cướp",
        "tâm thần",
        "tù",
        "tụi",
        "tử hình",
        "tự tử",
        "vô dụng",
        "xiên",
        "xử bắn",
        "ác",
        "ích kỷ",
        "ăn cướp",
        "điên",
        "đám",
        "đốt",
        "đớp",
        "ảo tưởng",
    }
)


def shared_data_dir() -> Path:
    env = os.environ.get("POSTWATCH_SHARED_DATA")
    return Path(env) if env else PROJECT_ROOT.parent / "shared" / "data"


def read_labelled(
    path: Path, text_col: str = "text", label_col: str = "label"
) -> tuple[list[str], list[str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    return [r[text_col] for r in rows], [r[label_col] for r in rows]


def train_default_tone() -> TextClassifier:
    """The shipped tone classifier: trained on resources/tone_train.csv only."""
    texts, labels = read_labelled(RESOURCES / "tone_train.csv")
    return TextClassifier.fit(
        texts,
        labels,
        features=SHIPPED_FEATURES,
        train=TrainConfig(seed=SEED),
        meta={"kind": "tone", "lexicon_weight": 1.0, "trained_on": "resources/tone_train.csv (PostWatch)"},
    )


def build_tone() -> Path:
    return train_default_tone().save(RESOURCES / "tone_default.npz")


def _vihos_rows(path: Path) -> list[tuple[str, list[tuple[int, int]]]]:
    """(comment, spans) with the character index lists turned into [start, end) runs."""
    out = []
    with path.open(encoding="utf-8", newline="") as fh:
        for lineno, r in enumerate(csv.DictReader(fh), 2):
            try:
                idx = sorted(ast.literal_eval(r["index_spans"]))
            except (ValueError, SyntaxError) as exc:
                raise ValueError(f"{path}:{lineno}: index_spans {r['index_spans']!r} unreadable") from exc
            runs: list[tuple[int, int]] = []
            for i in idx:
                if runs and i == runs[-1][1]:
                    runs[-1] = (runs[-1][0], i + 1)
                else:
                    runs.append((i, i + 1))
            out.append((r["content"], runs))
    return out


def offensive_lexicon(rows: list[tuple[str, list[tuple[int, int]]]]) -> list[tuple[str, int, float, bool]]:
    """Span texts that are offensive wherever they occur: support and precision over all comments.

    Precision is measured with the same matcher that serves the lexicon, once letting bare
    letters stand for any marks and once exact; a term whose bare form is an innocent word
    ("lon") only passes in the exact mode and is then marked strict.
    """
    candidates: Counter[str] = Counter()
    for text, runs in rows:
        prep = prepare(text)
        for s, e in runs:
            term = " ".join(prep.lower[s:e].split()).strip(" .,!?;:\"'()")
            if 2 <= len(term) <= 30 and len(term.split()) <= 3 and not term.isdigit():
                candidates[term] += 1
    terms = [t for t, n in candidates.items() if n >= MIN_SUPPORT and t not in NEWS_ORDINARY]

    def precision(strict: bool) -> dict[str, tuple[int, int]]:
        m = TermMatcher(((t, t) for t in terms), strict=terms if strict else ())
        stats: dict[str, list[int]] = {t: [0, 0] for t in terms}
        for text, runs in rows:
            marked = set()
            for s, e in runs:
                marked.update(range(s, e))
            for h in m.find(prepare(text)):
                stats[h.term][1] += 1
                if any(i in marked for i in range(h.start, h.end)):
                    stats[h.term][0] += 1
        return {t: (a, b) for t, (a, b) in stats.items()}

    loose, exact = precision(False), precision(True)
    out = []
    for t in sorted(terms):
        a, b = loose[t]
        if b and a >= MIN_SUPPORT and a / b >= MIN_PRECISION:
            out.append((t, a, round(a / b, 3), False))
            continue
        a, b = exact[t]
        if b and a >= MIN_SUPPORT and a / b >= MIN_PRECISION:
            out.append((t, a, round(a / b, 3), True))
    return out


def build_offensive(data_dir: Path | None = None) -> tuple[Path, Path]:
    vihos = (data_dir or shared_data_dir()) / "vihos"
    rows = _vihos_rows(vihos / "train.csv")
    terms = offensive_lexicon(rows)
    terms_path = RESOURCES / "offensive_terms.tsv"
    with terms_path.open("w", encoding="utf-8") as fh:
        fh.write(
            "# Offensive terms derived from ViHOS (MIT, (c) 2023 Phu Hoang Gia; see ATTRIBUTION.md) by\n"
            "# postwatch.nlp.build: span texts marked offensive in at least "
            f"{MIN_SUPPORT} comments and in >= {MIN_PRECISION:.0%} of the places they occur.\n"
            "# term<TAB>support<TAB>precision<TAB>strict (1: must be written with exactly its marks)\n"
        )
        for t, n, p, strict in terms:
            fh.write(f"{t}\t{n}\t{p}\t{int(strict)}\n")
    # ViHOS is social-media comments only: the project's own local-news sentences (all clean)
    # teach the model that formal reports of floods, deaths or arrests are not offensive.
    news, _ = read_labelled(RESOURCES / "tone_train.csv")
    texts = [t for t, _ in rows] + news
    labels = ["offensive" if runs else "clean" for _, runs in rows] + ["clean"] * len(news)
    clf = TextClassifier.fit(
        texts,
        labels,
        features=SHIPPED_FEATURES,
        train=TrainConfig(seed=SEED),
        meta={"kind": "offensive", "trained_on": "ViHOS train (MIT) + resources/tone_train.csv (PostWatch)"},
    )
    # Platt scaling of the offensive margin on ViHOS dev, so the score reads as a probability.
    dev = _vihos_rows(vihos / "dev.csv")
    margin = clf.decision([t for t, _ in dev]) @ np.array([-1.0, 1.0])
    platt = LogisticRegression(C=1e4).fit(margin.reshape(-1, 1), [bool(runs) for _, runs in dev])
    clf.meta["calibration"] = [float(platt.coef_[0, 0]), float(platt.intercept_[0])]
    return terms_path, clf.save(RESOURCES / "offensive_vihos.npz")


def main(argv: list[str]) -> int:
    what = argv[0] if argv else "all"
    if what in ("tone", "all"):
        print(f"wrote {build_tone()}")
    if what in ("offensive", "all"):
        if not (shared_data_dir() / "vihos").is_dir():
            print(f"skipped offensive: {shared_data_dir() / 'vihos'} is absent")
        else:
            for p in build_offensive():
                print(f"wrote {p}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
