"""Helpers shared by the processing tests: the shipped config, matched with the real engine."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from postwatch.process.relevance import RelevanceRules, load_gazetteer, load_units
from postwatch.rules.compile import RuleSet
from postwatch.rules.match import Hit, Matcher, post_key
from postwatch.rules.packs import load_packs, pack_rules

CONFIG = Path(__file__).resolve().parents[3] / "include" / "config"


@pytest.fixture(scope="session")
def relevance_rules() -> RelevanceRules:
    units = load_units(CONFIG)
    return RelevanceRules(
        units, load_gazetteer(CONFIG / "rules" / "relevance" / "places.yaml", {u.id for u in units})
    )


@pytest.fixture(scope="session")
def shipped_matcher(relevance_rules: RelevanceRules) -> Matcher:
    """The shipped packs and the relevance rules in one rule set, as the pipeline compiles them."""
    packs = load_packs(CONFIG / "rules")
    return Matcher(RuleSet([*pack_rules(packs), *relevance_rules.rules]))


def hits_by_post(matcher: Matcher, posts: list[Mapping[str, Any]]) -> dict[Any, list[Hit]]:
    out: dict[Any, list[Hit]] = defaultdict(list)
    for h in matcher.match_batch(posts):
        out[h.post_key].append(h)
    return {post_key(p): out.get(post_key(p), []) for p in posts}


def load_posts(source: dict[str, Any], items: list[dict[str, Any]], run_id: str = "r1") -> None:
    """Normalize raw items of one source and load them with the warehouse's own functions."""
    from postwatch.collect.base import RawItem
    from postwatch.pipeline.collect import normalize_items
    from postwatch.registry import Source
    from postwatch.warehouse.load import RunRecord, load_batch

    src = Source.model_validate(source)
    raws = [RawItem(source_id=src.id, platform=src.platform.value, **item) for item in items]
    rows, rejected = normalize_items(src, raws)
    assert not rejected, [r.reason for r in rejected]
    load_batch(rows, [], RunRecord(run_id, src.id, state={}))


WATCHED = {
    "id": "fb-sonha24h",
    "name": "Sơn Hà 24h",
    "platform": "facebook",
    "kind": "watched",
    "page_id": "77",
}
PRESS = {
    "id": "rss-dantri",
    "name": "Dân trí",
    "platform": "rss",
    "kind": "press",
    "url": "https://dantri.vn/rss",
}
OFFICIAL = {
    "id": "fb-ubnd-sonha",
    "name": "UBND tỉnh Sơn Hà",
    "unit": "sonha",
    "platform": "facebook",
    "kind": "official",
    "page_id": "100",
}
