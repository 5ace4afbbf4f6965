"""`postwatch model train` and `postwatch classify`: train a text classifier, label a CSV with it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from postwatch.nlp.io import LabelledFileError, read_table, write_table

model_app = typer.Typer(help="Train text classifiers (tone or any label set).", no_args_is_help=True)

BATCH = 2000


@model_app.command("train")
def train(
    data: Annotated[Path, typer.Option("--data", help="CSV or TSV file with a header row")],
    text_col: Annotated[str, typer.Option("--text-col", help="column holding the text")],
    label_col: Annotated[str, typer.Option("--label-col", help="column holding the label")],
    out: Annotated[Path, typer.Option("--out", help="model file to write (.npz)")],
    seed: Annotated[int, typer.Option(help="random seed: same data + seed = same model")] = 13,
    lexicon_weight: Annotated[
        float, typer.Option(help="tone models: weight of the project lexicon next to the classifier")
    ] = 0.3,
) -> None:
    """Train a linear word+char n-gram classifier. Labels positive/negative/neutral make a tone model."""
    from postwatch.nlp.textclf import TextClassifier, TrainConfig
    from postwatch.nlp.tone import TONES

    try:
        _, rows = read_table(data, [text_col, label_col])
    except LabelledFileError as exc:
        raise typer.BadParameter(str(exc)) from exc
    texts = [r[text_col] for r in rows]
    labels = [r[label_col] for r in rows]
    for i, lab in enumerate(labels):
        if not lab.strip():
            raise typer.BadParameter(f"{data}: record {i + 1} (line {rows[i].line}): empty label")
    kind = "tone" if set(labels) <= set(TONES) else "generic"
    meta = {"kind": kind, "trained_on": data.name, "seed": seed}
    if kind == "tone":
        meta["lexicon_weight"] = lexicon_weight
    try:
        clf = TextClassifier.fit(texts, labels, train=TrainConfig(seed=seed), meta=meta)
    except ValueError as exc:
        raise typer.BadParameter(f"{data}: {exc}") from exc
    clf.save(out)
    counts = ", ".join(f"{k}={v}" for k, v in clf.meta["label_counts"].items())
    typer.echo(f"trained a {kind} model on {len(texts)} rows ({counts}) -> {out}")


def classify(
    input: Annotated[Path, typer.Option("--input", help="CSV or TSV file with a header row")],
    text_col: Annotated[str, typer.Option("--text-col", help="column holding the text")],
    output: Annotated[
        Path, typer.Option("--output", help="CSV to write: input columns + label, score, cues")
    ],
    model: Annotated[
        Path | None,
        typer.Option(
            help="model from `postwatch model train`; default: $POSTWATCH_TONE_MODEL or the shipped one"
        ),
    ] = None,
) -> None:
    """Label every row; `cues` is a JSON list of the words that decided it (label_pred etc. on a clash)."""
    from postwatch.nlp.predict import load_any_model

    try:
        header, rows = read_table(input, [text_col])
    except LabelledFileError as exc:
        raise typer.BadParameter(str(exc)) from exc
    predictor = load_any_model(model)
    # An input that already has a label column (a labelled test set) keeps it; ours get "_pred".
    added = [c if c not in header else f"{c}_pred" for c in ("label", "score", "cues")]
    out_rows = []
    for start in range(0, len(rows), BATCH):
        chunk = rows[start : start + BATCH]
        for row, (label, score, cues) in zip(
            chunk, predictor.label([r[text_col] for r in chunk]), strict=True
        ):
            out_rows.append(
                [*(row[c] for c in header), label, f"{score:.4f}", json.dumps(cues, ensure_ascii=False)]
            )
    write_table(output, [*header, *added], out_rows)
    typer.echo(f"classified {len(out_rows)} rows with {predictor.version} -> {output}")


__all__ = ["classify", "model_app"]
