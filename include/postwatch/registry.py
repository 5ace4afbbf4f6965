"""Units and sources: the officer's YAML registry, validated into typed models."""

from __future__ import annotations

import re
from collections import Counter
from enum import StrEnum
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, EmailStr, Field, HttpUrl, field_validator, model_validator

from postwatch.settings import Settings, get_settings
from postwatch.yamlconf import ConfigError, read_yaml, validate

ID_RE = r"^[a-z0-9][a-z0-9_.-]*$"


class Platform(StrEnum):
    facebook = "facebook"
    youtube = "youtube"
    rss = "rss"
    web = "web"
    tiktok = "tiktok"
    zalo = "zalo"
    file = "file"


class Kind(StrEnum):
    official = "official"
    watched = "watched"
    press = "press"


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Unit(Strict):
    id: str = Field(pattern=ID_RE)
    name: str = Field(min_length=2)
    level: str = Field(description="province, department, commune, district, ... any tree is allowed")
    parent: str | None = None
    aliases: tuple[str, ...] = ()


class UnitsFile(Strict):
    units: list[Unit]


class Admin(Strict):
    name: str | None = None
    phone: str | None = Field(default=None, pattern=r"^\+?[0-9 .()-]{6,20}$")
    email: EmailStr | None = None


class WebSelectors(Strict):
    """CSS selectors for a portal's listing page; the article body is extracted by trafilatura."""

    item: str
    link: str = "a"
    title: str | None = None
    date: str | None = None
    date_format: str | None = Field(default=None, description="strptime format; ISO 8601 when omitted")
    next_page: str | None = None
    max_pages: int = Field(default=3, ge=1, le=50)


class FileImport(Strict):
    """A CSV / JSON / XLSX export and which of its columns mean what."""

    path: str
    format: str | None = Field(default=None, pattern=r"^(csv|json|jsonl|xlsx)$")
    columns: dict[str, str] = Field(
        default_factory=dict,
        description=(
            "post field -> column in the export "
            "(id, url, title, text, author, published_at, likes, comments, shares, views)"
        ),
    )
    timezone: str = "Asia/Ho_Chi_Minh"


class Source(Strict):
    id: str = Field(pattern=ID_RE)
    name: str
    unit: str | None = None
    platform: Platform
    kind: Kind
    url: HttpUrl | None = None
    handle: str | None = None
    page_id: str | None = None
    channel_id: str | None = None
    verified: bool = False
    admin: Admin | None = None
    active: bool = True
    poll_interval: int = Field(default=60, ge=5, le=10080, description="minutes")
    conn_id: str | None = Field(default=None, description="Airflow connection (or env var) holding the token")
    use_data_api: bool = False
    since: str | None = Field(default=None, description="ISO date: posts before it are out of scope")
    selectors: WebSelectors | None = None
    file: FileImport | None = None
    api_base: HttpUrl | None = Field(
        default=None, description="override the platform API root (tests, proxies)"
    )

    @model_validator(mode="after")
    def _platform_needs(self) -> Source:
        need: dict[Platform, tuple[str, ...]] = {
            Platform.rss: ("url",),
            Platform.facebook: ("page_id",),
            Platform.youtube: ("channel_id",),
            Platform.web: ("url", "selectors"),
            Platform.zalo: ("conn_id",),
            Platform.file: ("file",),
            Platform.tiktok: ("file",),
        }
        missing = [f for f in need[self.platform] if getattr(self, f) in (None, "")]
        if missing:
            raise ValueError(f"platform {self.platform.value} needs: {', '.join(missing)}")
        return self

    @field_validator("since")
    @classmethod
    def _iso_date(cls, v: str | None) -> str | None:
        if v is not None and not re.match(r"^\d{4}-\d{2}-\d{2}", v):
            raise ValueError("must be an ISO date such as 2025-07-01")
        return v


class SourcesFile(Strict):
    sources: list[Source]


class Registry(BaseModel):
    units: list[Unit]
    sources: list[Source]

    def source(self, source_id: str) -> Source:
        for s in self.sources:
            if s.id == source_id:
                return s
        raise KeyError(f"unknown source {source_id!r}")

    @property
    def active_sources(self) -> list[Source]:
        return [s for s in self.sources if s.active]


def _dupes(ids: list[str]) -> list[str]:
    return [k for k, n in Counter(ids).items() if n > 1]


def _index_of(items: list[Any], key: str, value: str) -> int:
    return next(i for i, it in enumerate(items) if isinstance(it, dict) and it.get(key) == value)


def load_registry(config_dir: Path | None = None, settings: Settings | None = None) -> Registry:
    """Load and cross-check units.yaml and sources.yaml; raise ConfigError naming file and line."""
    settings = settings or get_settings()
    cdir = Path(config_dir or settings.config_dir)
    upath, spath = cdir / "units.yaml", cdir / "sources.yaml"
    udata, utree = read_yaml(upath)
    units = validate(UnitsFile, upath, udata, utree).units
    sdata, stree = read_yaml(spath)
    sources = validate(SourcesFile, spath, sdata, stree).sources

    unit_ids = {u.id for u in units}
    for dup in _dupes([u.id for u in units]):
        i = [u.id for u in units].index(dup)
        raise ConfigError(
            upath, _line(utree, ("units", i, "id")), f"units.{i}.id", f"duplicate unit id {dup!r}"
        )
    for i, u in enumerate(units):
        if u.parent is not None and u.parent not in unit_ids:
            raise ConfigError(
                upath,
                _line(utree, ("units", i, "parent")),
                f"units.{i}.parent",
                f"unknown parent unit {u.parent!r}",
            )
    _check_acyclic(units, upath, utree)
    sids = [s.id for s in sources]
    for dup in _dupes(sids):
        i = len(sids) - 1 - sids[::-1].index(dup)
        raise ConfigError(
            spath, _line(stree, ("sources", i, "id")), f"sources.{i}.id", f"duplicate source id {dup!r}"
        )
    for i, s in enumerate(sources):
        if s.unit is not None and s.unit not in unit_ids:
            raise ConfigError(
                spath,
                _line(stree, ("sources", i, "unit")),
                f"sources.{i}.unit",
                f"unknown unit {s.unit!r} (not in {upath.name})",
            )
        if s.kind == Kind.official and s.unit is None:
            raise ConfigError(
                spath,
                _line(stree, ("sources", i, "kind")),
                f"sources.{i}.unit",
                "an official page must name its unit",
            )
    return Registry(units=units, sources=sources)


def _line(tree: Any, loc: tuple[Any, ...]) -> int | None:
    from postwatch.yamlconf import _line_for

    return _line_for(tree, loc)


def _check_acyclic(units: list[Unit], path: Path, tree: Any) -> None:
    parent = {u.id: u.parent for u in units}
    for i, u in enumerate(units):
        seen = {u.id}
        p = u.parent
        while p is not None:
            if p in seen:
                raise ConfigError(
                    path,
                    _line(tree, ("units", i, "parent")),
                    f"units.{i}.parent",
                    f"cycle in the unit tree through {p!r}",
                )
            seen.add(p)
            p = parent.get(p)
