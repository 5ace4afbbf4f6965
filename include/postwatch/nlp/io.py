"""Read and write the labelled CSV/TSV files of `postwatch model train` and `classify`."""

from __future__ import annotations

import csv
import sys
from collections.abc import Sequence
from pathlib import Path


class LabelledFileError(ValueError):
    """A table that cannot be used; the message names the file and, where it applies, the line."""


class Row(dict[str, str]):
    """One record with the line it started on (for error messages)."""

    line: int = 0


def _delimiter(path: Path, sample: str) -> str:
    if path.suffix.lower() in (".tsv", ".tab"):
        return "\t"
    if path.suffix.lower() == ".csv":
        return ","
    first = sample.splitlines()[0] if sample else ""
    return "\t" if first.count("\t") > first.count(",") else ","


def read_table(path: Path, required: Sequence[str]) -> tuple[list[str], list[Row]]:
    """Header and rows of a CSV (``,``) or TSV (``.tsv`` or more tabs than commas in the header)."""
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    if not path.is_file():
        raise LabelledFileError(f"{path}: file not found")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise LabelledFileError(f"{path}: not UTF-8 text ({exc})") from exc
    reader = csv.reader(text.splitlines(keepends=True), delimiter=_delimiter(path, text))
    try:
        header = next(reader)
    except StopIteration:
        raise LabelledFileError(f"{path}: empty file (a header row is needed)") from None
    missing = [c for c in required if c not in header]
    if missing:
        raise LabelledFileError(f"{path}: no column(s) {missing}; the header has {header}")
    rows: list[Row] = []
    try:
        for values in reader:
            if not values:
                continue
            if len(values) != len(header):
                raise LabelledFileError(
                    f"{path}:{reader.line_num}: {len(values)} fields, the header has {len(header)}"
                )
            row = Row(zip(header, values, strict=True))
            row.line = reader.line_num
            rows.append(row)
    except csv.Error as exc:
        raise LabelledFileError(f"{path}:{reader.line_num}: {exc}") from exc
    return header, rows


def write_table(path: Path, header: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)
