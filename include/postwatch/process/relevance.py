"""Is a post about one of our units? Names, aliases and places, found by the rule engine.

Every unit's name and aliases (units.yaml) and its places (``rules/relevance/places.yaml``) become
internal rules compiled into the same automaton as the rule packs, so relevance costs one more
set of keys, not another pass. Matching is the rules' own: case-insensitive, tone placement and
NFD do not matter, names written with diacritics also match posts typed without them.

Places share names across the country (xã Tân Lập exists in Đồng Nai too), so a *weak* mention
(an alias or place) does not count when another province or a known namesake is named within
``distance`` syllables of it in the same field; *strong* names (``tỉnh Sơn Hà``) always count.
A post published by a unit's official page is about that unit whatever it says.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from postwatch.jsontext import dumps
from postwatch.registry import Unit, UnitsFile
from postwatch.rules.compile import RuleInfo
from postwatch.rules.match import Hit
from postwatch.rules.text import fold_text
from postwatch.yamlconf import ConfigError, read_yaml, validate

#: Categories of the internal relevance rules (never written to rule_hits).
MENTION, STRONG, ELSEWHERE = "relevance.mention", "relevance.strong", "relevance.elsewhere"
CATEGORIES = frozenset((MENTION, STRONG, ELSEWHERE))


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class UnitPlaces(_Strict):
    strong: list[str] = Field(default_factory=list)
    places: list[str] = Field(default_factory=list)


class Gazetteer(_Strict):
    version: str = Field(min_length=1)
    distance: int = Field(default=15, ge=0, le=100)
    units: dict[str, UnitPlaces] = Field(default_factory=dict)
    elsewhere: list[str] = Field(default_factory=list)


def load_gazetteer(path: Path, unit_ids: set[str] | None = None) -> Gazetteer:
    """Read places.yaml; unknown unit ids are refused with file and line."""
    data, tree = read_yaml(path)
    if isinstance(data, dict) and isinstance(data.get("version"), int | float):
        data["version"] = str(data["version"])
    gaz = validate(Gazetteer, path, data, tree)
    if unit_ids is not None:
        for uid in gaz.units:
            if uid not in unit_ids:
                raise ConfigError(path, None, f"units.{uid}", f"unknown unit {uid!r} (not in units.yaml)")
    return gaz


def load_units(config_dir: Path) -> list[Unit]:
    path = config_dir / "units.yaml"
    data, tree = read_yaml(path)
    return validate(UnitsFile, path, data, tree).units


# Not frozen: one is made per post, and a frozen dataclass's __init__ costs three times as much.
@dataclass(slots=True)
class Mention:
    """Where a post names a unit: the field, character span in the field as stored, the words."""

    unit_id: str
    field: str
    start: int
    end: int
    text: str
    strong: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "unit_id": self.unit_id,
            "field": self.field,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "strong": self.strong,
        }


# Not frozen: one is made per post, and a frozen dataclass's __init__ costs three times as much.
@dataclass(slots=True)
class Relevance:
    relevant: bool
    unit_ids: tuple[str, ...]
    mentions: tuple[Mention, ...]
    #: Weak mentions discounted because a place elsewhere was named next to them.
    discounted: tuple[Mention, ...] = ()

    def mentions_json(self) -> str:
        return dumps([m.to_dict() for m in self.mentions]) if self.mentions else "[]"


def _phrase(name: str) -> str | None:
    """A name as a quoted rule phrase (quotes and wildcards inside a name are not operators)."""
    cleaned = " ".join(name.replace('"', " ").replace("“", " ").replace("”", " ").split())
    cleaned = cleaned.replace("*", " ").replace("?", " ").strip()
    return f'"{cleaned}"' if any(c.isalnum() for c in cleaned) else None


def _any_of(names: Iterable[str]) -> str | None:
    phrases = list(dict.fromkeys(p for p in map(_phrase, names) if p))
    return " OR ".join(phrases) if phrases else None


class RelevanceRules:
    """The internal rules for relevance, and how to turn their hits into a verdict per post."""

    def __init__(self, units: Sequence[Unit], gazetteer: Gazetteer) -> None:
        self.version = gazetteer.version
        self.unit_ids = {u.id for u in units}
        elsewhere = _any_of(gazetteer.elsewhere)
        self.rules: list[tuple[RuleInfo, str]] = []
        for unit in units:
            extra = gazetteer.units.get(unit.id, UnitPlaces())
            strong = set(extra.strong)
            weak = [n for n in (unit.name, *unit.aliases, *extra.places) if n not in strong]
            if q := _any_of(strong):
                self.rules.append((RuleInfo(f"@rel.strong.{unit.id}", category=STRONG, unit=unit.id), q))
            if q := _any_of(weak):
                self.rules.append((RuleInfo(f"@rel.mention.{unit.id}", category=MENTION, unit=unit.id), q))
                if elsewhere:
                    near = f"({q}) NEAR/{gazetteer.distance} ({elsewhere})"
                    info = RuleInfo(f"@rel.elsewhere.{unit.id}", category=ELSEWHERE, unit=unit.id)
                    self.rules.append((info, near))

    def decide(self, post: Mapping[str, Any], hits: Iterable[Hit]) -> Relevance:
        """Relevance of one post from its relevance hits (other categories are ignored)."""
        mentions: list[Mention] = []
        near_elsewhere: list[tuple[str, int, int]] = []
        for h in hits:
            if h.category == ELSEWHERE:
                near_elsewhere += [(s.field, s.start, s.end) for s in h.spans]
            elif h.category in (MENTION, STRONG):
                strong = h.category == STRONG
                mentions += [Mention(h.unit or "", s.field, s.start, s.end, s.text, strong) for s in h.spans]
        official = post.get("kind") == "official"
        if not mentions and not official:  # most posts: no unit named, not a unit's own page
            return Relevance(False, (), ())
        unique, dropped = _resolve(mentions, near_elsewhere) if mentions else ([], [])
        units = {m.unit_id for m in unique}
        source_unit = post.get("unit_id")
        if official and source_unit in self.unit_ids:
            units.add(source_unit)
            unique.insert(0, Mention(source_unit, "source", 0, 0, str(post.get("source_id") or ""), True))
        return Relevance(bool(units), tuple(sorted(units)), tuple(unique), tuple(dropped))


def _resolve(
    mentions: list[Mention], near_elsewhere: list[tuple[str, int, int]]
) -> tuple[list[Mention], list[Mention]]:
    """The mentions that count, one unit per span, and those dropped as being elsewhere."""
    if not near_elsewhere:  # no other place named: nothing is dropped
        return _one_per_span(mentions), []
    kept: list[Mention] = []
    dropped: list[Mention] = []
    for m in mentions:
        inside = any(f == m.field and a <= m.start and m.end <= b for f, a, b in near_elsewhere)
        (dropped if inside and not m.strong else kept).append(m)
    # One sense per post: a name found to be elsewhere once ("xã Sơn Hà, tỉnh Quảng Ngãi")
    # is elsewhere in the title too.
    elsewhere_names = {(m.unit_id, fold_text(m.text)) for m in dropped}
    if elsewhere_names:
        dropped += [m for m in kept if not m.strong and (m.unit_id, fold_text(m.text)) in elsewhere_names]
        kept = [m for m in kept if m.strong or (m.unit_id, fold_text(m.text)) not in elsewhere_names]
    return _one_per_span(kept), dropped


def _one_per_span(kept: list[Mention]) -> list[Mention]:
    """Longer names first at one place (UBND xã Tân Lập over xã Tân Lập), one unit per span."""
    if len(kept) < 2:
        return list(kept)
    kept = sorted(kept, key=lambda m: (m.field, m.start, -(m.end - m.start), m.unit_id))
    unique: list[Mention] = []
    for m in kept:
        if not any(u.field == m.field and u.start <= m.start and m.end <= u.end for u in unique):
            unique.append(m)
    return unique
