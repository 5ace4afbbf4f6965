"""Helpers shared by the collector tests: a fake clock, a quick HTTP client, sources, landing."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from postwatch.collect import collector_for
from postwatch.collect.base import Collector, RawItem, SourceState
from postwatch.collect.http import HttpClient
from postwatch.collect.landing import LandedPayload, Lander, landing_files, read_file
from postwatch.registry import Source
from postwatch.settings import Settings

BACKOFF_CAP = 30.0


@dataclass
class Clock:
    """Monotonic time that only moves when someone sleeps; every sleep is recorded."""

    now: float = 1000.0
    sleeps: list[float] = field(default_factory=list)

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def http_client(clock: Clock, **overrides: Any) -> HttpClient:
    """A real HttpClient with short timeouts and backoff; waits go to ``clock`` instead of sleeping."""
    opts: dict[str, Any] = {
        "http_timeout": 5.0,
        "http_max_retries": 2,
        "http_backoff_base": 0.01,
        "http_backoff_cap": BACKOFF_CAP,
        "http_min_interval": 0.0,
    }
    opts.update(overrides)
    return HttpClient(Settings(**opts), sleep=clock.sleep, clock=clock.monotonic)


def make_source(**fields: Any) -> Source:
    base: dict[str, Any] = {"id": "src-test", "name": "Nguồn thử", "kind": "press"}
    base.update(fields)
    return Source.model_validate(base)


@dataclass
class Fetched:
    state: SourceState
    payloads: list[LandedPayload]
    items: list[RawItem]


def landed(lander: Lander) -> list[LandedPayload]:
    return [p for path in lander.paths for p in read_file(path)]


def landed_under(tmp_path: Path, source: Source) -> list[LandedPayload]:
    """Everything landed for ``source`` under ``tmp_path`` (also when the fetch raised)."""
    files = landing_files(tmp_path / "landing", [source.id])
    return [p for path in files for p in read_file(path)]


def parse_all(source: Source, payloads: list[LandedPayload]) -> list[RawItem]:
    """Parse landed payloads the way the pipeline does: a parser with neither network nor landing."""
    parser = collector_for(source, None, None, None)
    return [item for p in payloads if p.meta.get("kind") != "robots" for item in parser.parse(p)]


def new_lander(tmp_path: Path, source: Source, run_id: str = "run1") -> Lander:
    return Lander(tmp_path / "landing", source.id, source.platform.value, run_id=run_id)


def fetch(
    source: Source,
    client: HttpClient,
    tmp_path: Path,
    state: SourceState | None = None,
    token: str | None = None,
    run_id: str = "run1",
    **attrs: Any,
) -> Fetched:
    """One poll: fetch with a fresh lander, read back what was landed, and parse it."""
    lander = new_lander(tmp_path, source, run_id)
    collector: Collector = collector_for(source, client, lander, token)
    for k, v in attrs.items():
        setattr(collector, k, v)
    new_state = collector.fetch(state or SourceState())
    payloads = landed(lander)
    return Fetched(new_state, payloads, parse_all(source, payloads))


TONES = "\u0300\u0301\u0303\u0309\u0323"


def cp1258(text: str) -> bytes:
    """Encode Vietnamese as Windows-1258 does: base letters precomposed, tone marks combining."""
    out = []
    for ch in text:
        try:
            out.append(ch.encode("cp1258"))
            continue
        except UnicodeEncodeError:
            pass
        nfd = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(c for c in nfd if c not in TONES))
        out.append((base + "".join(c for c in nfd if c in TONES)).encode("cp1258"))
    return b"".join(out)


def nfc(text: str | None) -> str:
    return unicodedata.normalize("NFC", text or "")
