"""Landing zone: every fetched payload is stored as received before anything parses it.

Layout: ``<home>/landing/<source_id>/<YYYY-MM-DD>/<run_id>.jsonl.gz``. Each payload is its
own gzip member appended to the file, so a process killed mid-write leaves every earlier
payload readable.
"""

from __future__ import annotations

import base64
import gzip
import json
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import msgspec
from isal import isal_zlib  # zlib's interface over Intel ISA-L: inflates about twice as fast

KEPT_HEADERS = (
    "content-type",
    "etag",
    "last-modified",
    "date",
    "x-app-usage",
    "x-business-use-case-usage",
    "retry-after",
    "content-encoding",
)


class LandedPayload:
    """One fetched payload as landed: where it came from, its headers and its body as received.

    A payload read back from a landing file holds the body as the text the file stored, and
    encodes it to bytes only when ``body`` is asked for: ``json()`` parses the text itself,
    which spares the encode and the decode inside ``json.loads`` (about 2.5 us a post on a
    replay of API pages).
    """

    __slots__ = (
        "_body",
        "_text",
        "fetched_at",
        "headers",
        "meta",
        "platform",
        "ref",
        "source_id",
        "status",
        "url",
    )

    def __init__(
        self,
        source_id: str,
        platform: str,
        fetched_at: datetime,
        url: str,
        status: int,
        headers: dict[str, str],
        body: bytes | None = None,
        meta: dict[str, Any] | None = None,
        ref: str = "",  # "<file>#<n>" so a quarantined record can point back to its payload
        *,
        text: str | None = None,
    ) -> None:
        if body is None and text is None:
            raise ValueError("a landed payload needs its body (bytes) or its text")
        self.source_id = source_id
        self.platform = platform
        self.fetched_at = fetched_at
        self.url = url
        self.status = status
        self.headers = headers
        self.meta = meta if meta is not None else {}
        self.ref = ref
        self._body = body
        self._text = text

    @property
    def body(self) -> bytes:
        """The body as received."""
        if self._body is None:
            self._body = self._text.encode("utf-8")  # type: ignore[union-attr]
        return self._body

    def json(self) -> Any:
        """The body parsed as JSON (``json.loads(body)``, from the landed text where there is one)."""
        text = self._text
        if text is not None and not text.startswith("\ufeff"):  # json.loads refuses a BOM in text
            return json.loads(text)
        return json.loads(self.body)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, LandedPayload):
            return NotImplemented
        return all(getattr(self, a) == getattr(other, a) for a in _COMPARED)

    __hash__ = None  # type: ignore[assignment]  # mutable, as the dataclass it replaces

    def __repr__(self) -> str:
        return f"LandedPayload({self.source_id!r}, {self.url!r}, status={self.status}, ref={self.ref!r})"

    def to_json(self) -> str:
        rec: dict[str, Any] = {
            "source_id": self.source_id,
            "platform": self.platform,
            "fetched_at": self.fetched_at.isoformat(),
            "url": self.url,
            "status": self.status,
            "headers": self.headers,
            "meta": self.meta,
        }
        if self._text is not None:
            rec["body"] = self._text
        else:
            try:
                rec["body"] = self.body.decode("utf-8")
            except UnicodeDecodeError:
                rec["body_b64"] = base64.b64encode(self.body).decode("ascii")
        return json.dumps(rec, ensure_ascii=False)

    @classmethod
    def from_json(cls, line: str | bytes, ref: str = "") -> LandedPayload:
        """A payload from its landed line (text, or the UTF-8 bytes the file holds)."""
        try:
            # msgspec reads the UTF-8 line itself: decoding the whole line to text first and then
            # parsing it costs json.loads 1.4 us more a post (the body is most of the line).
            rec = _decode_line(line)
        except msgspec.DecodeError:
            rec = json.loads(line)  # what json.dumps may write and msgspec refuses (NaN...)
        text = rec.get("body")
        return cls(
            source_id=rec["source_id"],
            platform=rec["platform"],
            fetched_at=datetime.fromisoformat(rec["fetched_at"]),
            url=rec["url"],
            status=rec["status"],
            headers=rec.get("headers", {}),
            body=None if text is not None else base64.b64decode(rec["body_b64"]),
            meta=rec.get("meta", {}),
            ref=ref,
            text=text,
        )


_decode_line = msgspec.json.Decoder().decode
_COMPARED = ("source_id", "platform", "fetched_at", "url", "status", "headers", "body", "meta", "ref")


class Lander:
    """Appends payloads for one source and one run; the file name is the run id."""

    def __init__(self, root: Path, source_id: str, platform: str, run_id: str | None = None) -> None:
        self.root = root
        self.source_id = source_id
        self.platform = platform
        self.run_id = run_id or datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
        self.paths: list[Path] = []
        self.count = 0
        self._per_path: dict[Path, int] = {}

    def land(
        self,
        url: str,
        status: int,
        headers: dict[str, str] | Any,
        body: bytes,
        meta: dict[str, Any] | None = None,
        fetched_at: datetime | None = None,
    ) -> LandedPayload:
        fetched_at = fetched_at or datetime.now(UTC)
        kept = {k: v for k, v in dict(headers).items() if k.lower() in KEPT_HEADERS}
        path = self.root / self.source_id / fetched_at.date().isoformat() / f"{self.run_id}.jsonl.gz"
        path.parent.mkdir(parents=True, exist_ok=True)
        payload = LandedPayload(
            self.source_id,
            self.platform,
            fetched_at,
            url,
            status,
            {k.lower(): v for k, v in kept.items()},
            body,
            meta or {},
        )
        if path not in self._per_path:
            self._per_path[path] = sum(1 for _ in read_file(path)) if path.exists() else 0
        with path.open("ab") as fh:
            fh.write(gzip.compress((payload.to_json() + "\n").encode("utf-8"), compresslevel=5))
        if path not in self.paths:
            self.paths.append(path)
        self.count += 1
        payload.ref = f"{path}#{self._per_path[path]}"
        self._per_path[path] += 1
        return payload


#: Compressed bytes handed to the inflater at a time: what follows a member's end comes back as a copy
#: (``unused_data``), so handing it the rest of the file would copy the file once per member.
READ_WINDOW = 1 << 20


def _members(data: bytes) -> Iterator[bytes]:
    """The decompressed gzip members of ``data``, in order, up to a truncated or damaged one."""
    view, pos, end = memoryview(data), 0, len(data)
    while pos < end:
        d = isal_zlib.decompressobj(wbits=31)
        parts: list[bytes] = []
        while not d.eof:
            if pos >= end:
                return  # truncated last member: the writer died mid-payload
            window = view[pos : pos + READ_WINDOW]
            try:
                parts.append(d.decompress(window))
            except isal_zlib.error:
                return
            pos += len(window) - len(d.unused_data)
        yield b"".join(parts)


def read_file(path: Path) -> Iterator[LandedPayload]:
    """Yield payloads of one landing file; a truncated trailing member is skipped, not fatal."""
    n = 0
    for member in _members(path.read_bytes()):
        # Lines end at b"\n" only: str.splitlines() would also split at U+2028, U+0085 and the like,
        # which json.dumps(ensure_ascii=False) leaves unescaped inside a body. The usual member is
        # one line, read as it is (the parser takes its trailing newline) instead of copied.
        for line in (member,) if member.find(b"\n") == len(member) - 1 else member.split(b"\n"):
            if line.strip():
                yield LandedPayload.from_json(line, ref=f"{path}#{n}")
                n += 1


def landing_files(
    root: Path, source_ids: Iterable[str] | None = None, start: date | None = None, end: date | None = None
) -> list[Path]:
    """Landing files for the given sources and fetch-date range, in time order."""
    wanted = set(source_ids) if source_ids is not None else None
    out: list[Path] = []
    if not root.exists():
        return out
    for sdir in sorted(p for p in root.iterdir() if p.is_dir()):
        if wanted is not None and sdir.name not in wanted:
            continue
        for ddir in sorted(p for p in sdir.iterdir() if p.is_dir()):
            try:
                day = date.fromisoformat(ddir.name)
            except ValueError:
                continue
            if (start and day < start) or (end and day > end):
                continue
            out.extend(sorted(ddir.glob("*.jsonl.gz")))
    return sorted(out, key=lambda p: (p.parent.name, p.name, p.parent.parent.name))
