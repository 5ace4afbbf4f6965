"""Rule packs: versioned YAML files of rules, each with examples that must and must not match.

A pack (``include/config/rules/<name>.yaml``)::

    id: incidents
    version: "2026.11.1"
    name: Sự cố, thiên tai, tai nạn
    rules:
      - id: incident.fire
        name: Cháy, nổ
        category: incident          # see Category
        severity: critical          # info | low | medium | high | critical
        unit: sonha.congan          # owning unit (optional)
        response_deadline: 2h       # 30m, 2h, 1d (optional)
        query: '"vụ cháy" OR "bốc cháy"'
        examples:
          match: ["Vụ cháy lớn tại chợ Tân Lập", {title: "Bốc cháy", text: "..."}]
          no_match: ["Diễn tập phòng cháy"]

Errors name the file, the line and the field; a bad query also names the rule and column.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator, model_validator

from postwatch.rules.compile import RuleInfo, RuleSet, compile_query
from postwatch.rules.match import Matcher
from postwatch.rules.parse import RuleSyntaxError
from postwatch.settings import get_settings
from postwatch.yamlconf import ConfigError, _line_for, read_yaml, validate

ID_RE = r"^[a-z0-9][a-z0-9_.-]*$"
_DEADLINE = re.compile(r"^\s*(\d+)\s*(m|min|h|d)\s*$")


class Category(StrEnum):
    incident = "incident"
    misinformation = "misinformation"
    impersonation_cue = "impersonation_cue"
    offensive = "offensive"
    complaint = "complaint"
    praise = "praise"
    tone_positive = "tone_positive"
    tone_negative = "tone_negative"
    topic = "topic"


class Severity(StrEnum):
    info = "info"
    low = "low"
    medium = "medium"
    high = "high"
    critical = "critical"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ExamplePost(_Strict):
    """An example with fields, for rules that look at titles, authors or ids."""

    title: str | None = None
    text: str | None = None
    author: str | None = None
    source: str | None = None
    platform: str | None = None
    kind: str | None = None
    unit: str | None = None

    @model_validator(mode="after")
    def _has_text(self) -> ExamplePost:
        if not (self.title or self.text):
            raise ValueError("an example needs a title or a text")
        return self


Example = str | ExamplePost


def example_post(ex: Example) -> dict[str, Any]:
    """The post mapping (warehouse column names) an example stands for."""
    if isinstance(ex, str):
        return {"text": ex}
    return {
        "title": ex.title,
        "text": ex.text,
        "author": ex.author,
        "source_id": ex.source,
        "platform": ex.platform,
        "kind": ex.kind,
        "unit_id": ex.unit,
    }


class Examples(_Strict):
    match: list[Example] = Field(min_length=1)
    no_match: list[Example] = Field(min_length=1)


class Rule(_Strict):
    id: str = Field(pattern=ID_RE)
    name: str = Field(min_length=2, description="Vietnamese, for the digest and alerts")
    category: Category
    severity: Severity
    unit: str | None = Field(default=None, pattern=ID_RE)
    response_deadline: timedelta | None = None
    query: str = Field(min_length=1)
    description: str | None = None
    enabled: bool = True
    examples: Examples

    @field_validator("response_deadline", mode="before")
    @classmethod
    def _deadline(cls, v: Any) -> Any:
        if v is None or isinstance(v, timedelta):
            return v
        m = _DEADLINE.match(str(v))
        if not m:
            raise ValueError("use a duration such as 30m, 2h or 1d")
        n, unit = int(m.group(1)), m.group(2)
        return timedelta(minutes=n) if unit in ("m", "min") else timedelta(hours=n if unit == "h" else 24 * n)


class RulePack(_Strict):
    id: str = Field(pattern=ID_RE)
    version: str = Field(min_length=1)
    name: str = Field(min_length=2)
    description: str | None = None
    rules: list[Rule] = Field(min_length=1)
    _path: Path | None = PrivateAttr(default=None)
    _tree: Any = PrivateAttr(default=None)

    @field_validator("version", mode="before")
    @classmethod
    def _version(cls, v: Any) -> Any:
        return str(v) if isinstance(v, int | float) and not isinstance(v, bool) else v

    @property
    def path(self) -> Path | None:
        return self._path

    def line(self, *loc: Any) -> int | None:
        """Line in the pack file of ``rules.<i>...`` (for messages)."""
        return _line_for(self._tree, loc) if self._tree is not None else None

    def infos(self) -> list[tuple[RuleInfo, str]]:
        return [
            (
                RuleInfo(
                    r.id,
                    self.id,
                    self.version,
                    r.category.value,
                    r.severity.value,
                    r.unit,
                    r.name,
                    r.response_deadline,
                ),
                r.query,
            )
            for r in self.rules
        ]


def load_pack(path: Path, unit_ids: set[str] | None = None) -> RulePack:
    """Read and validate one pack; every query is compiled so syntax errors surface here."""
    data, tree = read_yaml(path)
    pack = validate(RulePack, path, data, tree)
    pack._path, pack._tree = path, tree
    ids: set[str] = set()
    for i, rule in enumerate(pack.rules):
        if rule.id in ids:
            raise ConfigError(
                path, pack.line("rules", i, "id"), f"rules.{i}.id", f"duplicate rule id {rule.id!r}"
            )
        ids.add(rule.id)
        if unit_ids is not None and rule.unit is not None and rule.unit not in unit_ids:
            raise ConfigError(
                path, pack.line("rules", i, "unit"), f"rules.{i}.unit", f"unknown unit {rule.unit!r}"
            )
        try:
            compile_query(rule.query, rule.id)
        except RuleSyntaxError as exc:
            raise ConfigError(path, pack.line("rules", i, "query"), f"rules.{i}.query", str(exc)) from exc
    return pack


def default_rules_dir() -> Path:
    return get_settings().config_dir / "rules"


def known_units(config_dir: Path) -> set[str] | None:
    """Unit ids from units.yaml next to the rules folder, when there is one."""
    from postwatch.registry import UnitsFile

    path = config_dir / "units.yaml"
    if not path.exists():
        return None
    data, tree = read_yaml(path)
    return {u.id for u in validate(UnitsFile, path, data, tree).units}


def load_packs(rules_dir: Path | None = None, unit_ids: set[str] | None = None) -> list[RulePack]:
    """All ``*.yaml`` packs of a folder, in file-name order; rule ids must be unique across packs."""
    rules_dir = Path(rules_dir or default_rules_dir())
    if not rules_dir.is_dir():
        raise ConfigError(rules_dir, None, "", "rules folder not found")
    packs: list[RulePack] = []
    pack_ids: dict[str, Path] = {}
    rule_ids: dict[str, Path] = {}
    for path in sorted(rules_dir.glob("*.yaml")):
        pack = load_pack(path, unit_ids)
        if pack.id in pack_ids:
            raise ConfigError(
                path, pack.line("id"), "id", f"pack id {pack.id!r} also used in {pack_ids[pack.id]}"
            )
        pack_ids[pack.id] = path
        for i, rule in enumerate(pack.rules):
            if rule.id in rule_ids:
                raise ConfigError(
                    path,
                    pack.line("rules", i, "id"),
                    f"rules.{i}.id",
                    f"rule id {rule.id!r} also in {rule_ids[rule.id]}",
                )
            rule_ids[rule.id] = path
        packs.append(pack)
    return packs


def pack_rules(packs: Iterable[RulePack], include_disabled: bool = False) -> list[tuple[RuleInfo, str]]:
    out: list[tuple[RuleInfo, str]] = []
    for pack in packs:
        for rule, item in zip(pack.rules, pack.infos(), strict=True):
            if rule.enabled or include_disabled:
                out.append(item)
    return out


def load_ruleset(config_dir: Path | None = None) -> RuleSet:
    """The enabled rules of every pack under ``<config_dir>/rules``, compiled together."""
    config_dir = Path(config_dir or get_settings().config_dir)
    return RuleSet(pack_rules(load_packs(config_dir / "rules", known_units(config_dir))))


@dataclass(frozen=True)
class ExampleFailure:
    path: Path | None
    line: int | None
    pack_id: str
    rule_id: str
    should_match: bool
    example: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else str(self.path)
        verb = "should match but does not" if self.should_match else "should not match but does"
        return f"{where}: {self.pack_id}/{self.rule_id}: {verb}: {self.example}"


def _describe(ex: Example) -> str:
    if isinstance(ex, str):
        return ex
    return "; ".join(f"{k}: {v}" for k, v in ex.model_dump(exclude_none=True).items())


def run_examples(packs: list[RulePack]) -> tuple[int, list[ExampleFailure]]:
    """Run every example through all rules compiled together, as the pipeline runs them."""
    matcher = Matcher(RuleSet(pack_rules(packs, include_disabled=True)))
    cases: list[tuple[RulePack, int, Rule, bool, int, Example]] = []
    for pack in packs:
        for i, rule in enumerate(pack.rules):
            cases += [(pack, i, rule, True, j, ex) for j, ex in enumerate(rule.examples.match)]
            cases += [(pack, i, rule, False, j, ex) for j, ex in enumerate(rule.examples.no_match)]
    posts = [{**example_post(c[5]), "post_id": n} for n, c in enumerate(cases)]
    fired = {(h.post_key, h.rule_id) for h in matcher.match_batch(posts, key=lambda p: p["post_id"])}
    failures = []
    for n, (pack, i, rule, should, j, ex) in enumerate(cases):
        if ((n, rule.id) in fired) != should:
            kind = "match" if should else "no_match"
            line = pack.line("rules", i, "examples", kind, j)
            failures.append(ExampleFailure(pack.path, line, pack.id, rule.id, should, _describe(ex)))
    return len(cases), failures
