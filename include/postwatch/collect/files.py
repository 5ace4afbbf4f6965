"""File import: CSV / JSON / JSONL / XLSX exports with a column mapping (TikTok, and any page
whose platform offers no API to a local government).

The export is landed whole, as bytes, then read row by row: a row whose mapped columns cannot
be read becomes a quarantined record naming its row; the other rows go on. An export that is
the same as last time (same SHA-256) lands nothing.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import json
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import openpyxl
from openpyxl.utils.exceptions import InvalidFileException

from postwatch.collect.base import (
    Collector,
    RawItem,
    SourceError,
    SourceState,
    advance,
    cutoff_of,
    is_new,
    try_time,
)
from postwatch.collect.landing import LandedPayload
from postwatch.normalize.times import BadTimestamp, parse_timestamp
from postwatch.registry import FileImport
from postwatch.settings import get_settings

FIELDS = (
    "id",
    "url",
    "title",
    "text",
    "author",
    "author_id",
    "published_at",
    "updated_at",
    "likes",
    "comments",
    "shares",
    "views",
)
COUNT_FIELDS = ("likes", "comments", "shares", "views")
FORMATS = {".csv": "csv", ".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl", ".xlsx": "xlsx"}
MIME = {
    "csv": "text/csv",
    "json": "application/json",
    "jsonl": "application/x-ndjson",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
RECORD_KEYS = ("data", "items", "posts", "videos", "records", "rows")


class FileProblem(ValueError):
    """The export as a whole cannot be read (not one bad row)."""


def decode_csv(body: bytes) -> tuple[str, str]:
    """Text of a CSV export and the encoding used: BOMs first, then UTF-8, then Windows-1258.

    Excel on Vietnamese Windows saves "CSV" in the ANSI code page (1258) and "Unicode text"
    as UTF-16; Google Sheets and TikTok write UTF-8, often with a BOM.
    """
    if body.startswith(codecs.BOM_UTF8):
        return body[len(codecs.BOM_UTF8) :].decode("utf-8", errors="replace"), "utf-8-sig"
    if body.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return body.decode("utf-16", errors="replace"), "utf-16"
    try:
        return body.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    head = body[:400]
    if head and head.count(b"\x00") > len(head) // 4:  # UTF-16 without a BOM
        le = head[1::2].count(b"\x00") > head[0::2].count(b"\x00")
        return body.decode("utf-16-le" if le else "utf-16-be", errors="replace"), "utf-16"
    return body.decode("cp1258", errors="replace"), "cp1258"


def _key(name: Any) -> str:
    return unicodedata.normalize("NFC", str(name)).strip().casefold()


def _cell(value: Any) -> Any:
    """A cell as a plain value: stripped strings, None for empty, integral floats as ints."""
    if isinstance(value, str):
        value = value.strip()
        return value or None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _json_records(doc: Any) -> list[Any]:
    """The records of a JSON export: the list itself, a list under a usual key, or the largest list."""
    if isinstance(doc, list):
        return doc
    if isinstance(doc, dict):
        for k in RECORD_KEYS:
            if isinstance(doc.get(k), list):
                return doc[k]
        best: list[Any] = []
        stack: list[Any] = [doc]
        while stack:  # nested exports (e.g. TikTok's data download) keep the list a few levels down
            node = stack.pop()
            for v in node.values() if isinstance(node, dict) else []:
                if isinstance(v, list) and sum(isinstance(x, dict) for x in v) > len(best):
                    best = v
                elif isinstance(v, dict):
                    stack.append(v)
        if best:
            return best
    raise FileProblem("the JSON holds no list of records")


def _lookup(record: dict[str, Any], column: str) -> Any:
    if column in record:
        return record[column]
    node: Any = record
    for part in column.split("."):  # dotted paths reach into nested JSON records
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


@dataclass
class Table:
    """Rows of an export: a label per row (``row 7``, ``record 3``) and its cells by column."""

    columns: list[str]
    rows: Iterator[tuple[str, dict[str, Any] | str]]  # str: that row could not be read at all


def read_table(body: bytes, fmt: str, wanted: frozenset[str] = frozenset()) -> Table:
    """Open an export; ``wanted`` (mapped column names) helps find the header row of a sheet."""
    if fmt == "csv":
        text, _ = decode_csv(body)
        sample = text[:65536]
        try:
            dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t|")
        except csv.Error:
            dialect = csv.excel
        reader = csv.reader(io.StringIO(text, newline=""), dialect)
        header = next(reader, None)
        if not header:
            raise FileProblem("the CSV file is empty")
        columns = [h.strip() for h in header]

        def csv_rows() -> Iterator[tuple[str, dict[str, Any] | str]]:
            for n, row in enumerate(reader, 2):
                if any(c.strip() for c in row):
                    yield f"row {n}", dict(zip(columns, row, strict=False))

        return Table(columns, csv_rows())
    if fmt == "json":
        try:
            doc = json.loads(body)
        except ValueError as exc:
            raise FileProblem(f"not valid JSON ({exc})") from exc
        records = _json_records(doc)
        cols: dict[str, None] = {}
        for r in records:
            if isinstance(r, dict):
                cols.update(dict.fromkeys(r))

        def json_rows() -> Iterator[tuple[str, dict[str, Any] | str]]:
            for n, r in enumerate(records, 1):
                yield f"record {n}", r if isinstance(r, dict) else f"not a JSON object: {str(r)[:60]!r}"

        return Table(list(cols), json_rows())
    if fmt == "jsonl":
        text, _ = decode_csv(body)

        def jsonl_rows() -> Iterator[tuple[str, dict[str, Any] | str]]:
            for n, line in enumerate(text.splitlines(), 1):
                if not line.strip():
                    continue
                try:
                    r = json.loads(line)
                except ValueError as exc:
                    yield f"line {n}", f"not valid JSON ({exc})"
                    continue
                yield f"line {n}", r if isinstance(r, dict) else f"not a JSON object: {line[:60]!r}"

        return Table([], jsonl_rows())
    if fmt == "xlsx":
        return _read_xlsx(body, wanted)
    raise FileProblem(f"unknown format {fmt!r}")


HEADER_SEARCH_ROWS = 20


def _read_xlsx(body: bytes, wanted: frozenset[str]) -> Table:
    """First sheet; the header is the first row naming a mapped column (title rows above it are
    common in exports), else the first non-empty row."""
    try:
        wb = openpyxl.load_workbook(io.BytesIO(body), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError) as exc:
        raise FileProblem(f"not a readable XLSX workbook ({type(exc).__name__}: {exc})") from exc
    ws = wb.active or wb.worksheets[0]
    head: list[tuple[int, tuple[Any, ...]]] = []
    it = enumerate(ws.iter_rows(values_only=True), 1)
    for n, row in it:
        if any(c not in (None, "") for c in row):
            head.append((n, row))
        if _names_any(row, wanted) or len(head) >= HEADER_SEARCH_ROWS:
            break
    if not head:
        wb.close()
        raise FileProblem("the worksheet is empty")
    at = next((i for i, (_, row) in enumerate(head) if _names_any(row, wanted)), 0)
    columns = ["" if c is None else str(c).strip() for c in head[at][1]]
    pending = head[at + 1 :]

    def xlsx_rows() -> Iterator[tuple[str, dict[str, Any] | str]]:
        try:
            for n, row in [*pending, *it]:
                if any(c not in (None, "") for c in row):
                    yield f"row {n}", dict(zip(columns, row, strict=False))
        finally:
            wb.close()

    return Table(columns, xlsx_rows())


def _names_any(row: tuple[Any, ...], wanted: frozenset[str]) -> bool:
    return any(c is not None and _key(c) in wanted for c in row)


def _iso(value: Any, tz: Any) -> str:
    """A mapped time cell as ISO 8601 in UTC; naive values are in the export's time zone."""
    if isinstance(value, datetime):
        dt = value if value.tzinfo else value.replace(tzinfo=tz)
        return dt.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=tz).astimezone(UTC).isoformat()
    return parse_timestamp(value, naive_tz=tz).isoformat()


def _count_ok(value: Any) -> bool:
    if value is None or (isinstance(value, int) and not isinstance(value, bool)):
        return True
    if isinstance(value, float):
        return value.is_integer()
    s = str(value).replace(",", "").replace(".", "").replace(" ", "").replace("\u00a0", "")
    return s.lstrip("-").isdigit()


class FileCollector(Collector):
    """Reads the export named in sources.yaml (relative paths against the config dir)."""

    platform = "file"

    @property
    def spec(self) -> FileImport:
        assert self.source.file is not None  # the registry requires it for file and tiktok sources
        return self.source.file

    def path(self) -> Path:
        p = Path(self.spec.path).expanduser()
        if p.is_absolute():
            return p
        settings = self.client.settings if self.client is not None else get_settings()
        return Path(settings.config_dir) / p

    def fmt(self, name: str) -> str:
        if self.spec.format:
            return self.spec.format
        fmt = FORMATS.get(Path(name).suffix.lower())
        if fmt is None:
            raise FileProblem(f"cannot tell the format of {name}: set file.format (csv, json, jsonl, xlsx)")
        return fmt

    def tz(self) -> Any:
        try:
            return ZoneInfo(self.spec.timezone)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise FileProblem(f"unknown time zone {self.spec.timezone!r} in file.timezone") from exc

    def fetch(self, state: SourceState) -> SourceState:
        path = self.path()
        if not path.is_file():
            raise SourceError(
                f"{self.describe()}: import file {path} not found; put the platform's export there "
                "or fix file.path in sources.yaml"
            )
        try:
            fmt = self.fmt(path.name)
        except FileProblem as exc:
            raise SourceError(f"{self.describe()}: {exc}") from exc
        body = path.read_bytes()
        digest = "sha256:" + hashlib.sha256(body).hexdigest()
        if state.etag == digest:
            return state  # the same export as last time: nothing new
        mtime = datetime.fromtimestamp(path.stat().st_mtime, tz=UTC).isoformat()
        payload = self.lander.land(
            path.resolve().as_uri(),
            200,
            {"content-type": MIME[fmt], "etag": digest, "last-modified": mtime},
            body,
            meta=self.state_meta(state, "file", format=fmt, name=path.name),
        )
        try:
            prepared = self._prepare(payload)
        except FileProblem as exc:
            raise SourceError(f"{self.describe()}: {path.name}: {exc}") from exc
        times = [try_time(i.published) for i in self._rows(payload, prepared, None) if not i.problem]
        return SourceState(
            watermark=advance(state.watermark, times, datetime.now(UTC)),
            etag=digest,
            last_modified=mtime,
            cursor=state.cursor,
        )

    def parse(self, payload: LandedPayload) -> Iterator[RawItem]:
        try:
            prepared = self._prepare(payload)
        except FileProblem as exc:
            yield self.problem(payload, f"{self._name(payload)}: {exc}")
            return
        yield from self._rows(payload, prepared, cutoff_of(payload))

    @staticmethod
    def _name(payload: LandedPayload) -> str:
        return str(payload.meta.get("name") or Path(payload.url).name)

    def _prepare(self, payload: LandedPayload) -> tuple[Table, dict[str, str], Any]:
        """Open the export and check the mapping; FileProblem when the whole file is unusable."""
        fmt = payload.meta.get("format") or self.fmt(self._name(payload))
        tz = self.tz()
        table = read_table(payload.body, fmt, frozenset(_key(c) for c in self.spec.columns.values()))
        return table, self._mapping(table.columns, fmt), tz

    def _rows(
        self, payload: LandedPayload, prepared: tuple[Table, dict[str, str], Any], cutoff: datetime | None
    ) -> Iterator[RawItem]:
        table, mapping, tz = prepared
        name = self._name(payload)
        for label, row in table.rows:
            item = self._row_item(payload, name, label, row, mapping, tz)
            if item.problem or is_new(cutoff, item.published, item.updated):
                yield item

    def _mapping(self, columns: list[str], fmt: str) -> dict[str, str]:
        """Post field -> export column, checked against the header (case and spacing forgiven)."""
        unknown = sorted(set(self.spec.columns) - set(FIELDS))
        if unknown:
            raise FileProblem(
                f"file.columns maps unknown field(s) {', '.join(unknown)}; known: {', '.join(FIELDS)}"
            )
        by_key = {_key(c): c for c in columns if c}
        mapping: dict[str, str] = {}
        # A spreadsheet header is definitive; JSON records may leave out keys (zero counts, say),
        # so there only the columns we cannot do without must appear somewhere.
        required = ("published_at", "id", "url") if fmt in ("json", "jsonl") else FIELDS
        for field, column in self.spec.columns.items():
            actual = by_key.get(_key(column))
            if actual is None and columns and field in required and "." not in column:
                raise FileProblem(
                    f"column {column!r} (mapped to {field}) is not in the export; its columns are: "
                    + ", ".join(repr(c) for c in columns if c)
                )
            mapping[field] = actual or column
        for field in FIELDS:  # unmapped fields fall back to a column of the same name
            if field not in mapping and _key(field) in by_key:
                mapping[field] = by_key[_key(field)]
        if "published_at" not in mapping:
            raise FileProblem("no column is mapped to published_at (file.columns in sources.yaml)")
        if "id" not in mapping and "url" not in mapping:
            raise FileProblem("no column is mapped to id or url (file.columns in sources.yaml)")
        return mapping

    def _row_item(
        self,
        payload: LandedPayload,
        name: str,
        label: str,
        row: dict[str, Any] | str,
        mapping: dict[str, str],
        tz: Any,
    ) -> RawItem:
        where = f"{name} {label}"
        if isinstance(row, str):
            return self.problem(payload, f"{where}: {row}")
        native = {str(k): v.isoformat() if isinstance(v, (date, datetime)) else v for k, v in row.items()}
        v = {f: _cell(_lookup(row, c)) for f, c in mapping.items()}

        def bad(reason: str) -> RawItem:
            return self.problem(payload, f"{where}: {reason}", item_id=v.get("id"), native=native)

        item_id = v.get("id") if v.get("id") is not None else v.get("url")
        if item_id is None:
            col = mapping.get("id") or mapping["url"]
            return bad(f"no value in column {col!r} (the post id)")
        times: dict[str, str | None] = {}
        for field in ("published_at", "updated_at"):
            value = v.get(field)
            if value is None:
                if field == "published_at":
                    return bad(f"no value in column {mapping[field]!r} (published_at)")
                times[field] = None
                continue
            try:
                times[field] = _iso(value, tz)
            except (BadTimestamp, OverflowError, ValueError):
                return bad(
                    f"column {mapping[field]!r} ({field}) holds {str(value)[:60]!r}, not a date and time"
                )
        for field in COUNT_FIELDS:
            if not _count_ok(v.get(field)):
                return bad(
                    f"column {mapping[field]!r} ({field}) holds {str(v[field])[:40]!r}, not a whole number"
                )
        text = v.get("text")
        return self.raw_item(
            payload,
            item_id,
            url=None if v.get("url") is None else str(v["url"]),
            title=None if v.get("title") is None else str(v["title"]),
            text=None if text is None else str(text),
            author=None if v.get("author") is None else str(v["author"]),
            author_id=None if v.get("author_id") is None else str(v["author_id"]),
            published=times["published_at"],
            updated=times["updated_at"],
            likes=v.get("likes"),
            comments=v.get("comments"),
            shares=v.get("shares"),
            views=v.get("views"),
            native=native,
        )
