"""`postwatch model train` and `postwatch classify` on small files, end to end through the CLI."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from typer.testing import CliRunner

from postwatch.cli import app

DATA = Path(__file__).parent / "data"
runner = CliRunner()


def _train(out: Path, seed: int = 7) -> None:
    result = runner.invoke(
        app,
        [
            "model",
            "train",
            "--data",
            str(DATA / "tiny_train.tsv"),
            "--text-col",
            "noi_dung",
            "--label-col",
            "nhan",
            "--out",
            str(out),
            "--seed",
            str(seed),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "generic model on 15 rows" in result.output


def _classify(
    model: Path | None, output: Path, source: Path = DATA / "tone_cases.csv", col: str = "text"
) -> list[dict[str, str]]:
    args = ["classify", "--input", str(source), "--text-col", col, "--output", str(output)]
    if model is not None:
        args += ["--model", str(model)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    with output.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_training_twice_with_the_same_seed_gives_byte_identical_classifications(tmp_path: Path) -> None:
    _train(tmp_path / "a.npz")
    _train(tmp_path / "b.npz")
    _classify(tmp_path / "a.npz", tmp_path / "a.csv")
    _classify(tmp_path / "b.npz", tmp_path / "b.csv")
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()


def test_a_trained_model_labels_with_its_own_label_set_and_keeps_the_input_columns(tmp_path: Path) -> None:
    _train(tmp_path / "m.npz")
    rows = _classify(tmp_path / "m.npz", tmp_path / "out.csv", DATA / "tiny_train.tsv", "noi_dung")
    assert list(rows[0]) == ["id", "noi_dung", "nhan", "label", "score", "cues"]
    assert {r["label"] for r in rows} <= {"ha_tang", "y_te", "thu_tuc"}
    # It learnt its training rows: most come back with their own label.
    assert sum(r["label"] == r["nhan"] for r in rows) >= 12
    for r in rows:
        assert 0.0 <= float(r["score"]) <= 1.0
        assert all(c["kind"] == "model" for c in json.loads(r["cues"]))


def test_without_a_model_classify_uses_the_shipped_tone_model(tmp_path: Path) -> None:
    rows = _classify(None, tmp_path / "tone.csv")
    # The input already has a "label" column (the gold tone): the predictions go next to it.
    assert list(rows[0]) == ["text", "label", "label_pred", "score", "cues"]
    assert sum(r["label"] == r["label_pred"] for r in rows) >= 0.85 * len(rows)
    by_text = {r["text"]: r for r in rows}
    praise = by_text["Phường làm việc chuyên nghiệp, mình rất hài lòng ❤️"]
    assert praise["label_pred"] == "positive" and float(praise["score"]) > 0
    cues = json.loads(praise["cues"])
    assert any(c["kind"] == "lexicon" and c["cue"] == "rất hài lòng" for c in cues)


def test_a_missing_text_column_is_reported_with_the_file_and_its_columns(tmp_path: Path) -> None:
    result = runner.invoke(
        app,
        [
            "classify",
            "--input",
            str(DATA / "tone_cases.csv"),
            "--text-col",
            "body",
            "--output",
            str(tmp_path / "o.csv"),
        ],
    )
    assert result.exit_code != 0
    assert "tone_cases.csv" in result.output and "'body'" in result.output


def test_a_row_without_a_label_stops_training_naming_its_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("text,label\ntốt lắm,positive\nchán quá,\n", encoding="utf-8")
    result = runner.invoke(
        app,
        [
            "model",
            "train",
            "--data",
            str(bad),
            "--text-col",
            "text",
            "--label-col",
            "label",
            "--out",
            str(tmp_path / "m.npz"),
        ],
    )
    assert result.exit_code != 0
    assert "line 3" in result.output and "empty label" in result.output
