"""Rule packs: the shipped packs' examples, validation errors that name file, line and field."""

from __future__ import annotations

import unicodedata
from datetime import timedelta
from pathlib import Path

import pytest

from postwatch.rules.match import Matcher
from postwatch.rules.packs import Category, load_packs, load_ruleset, run_examples
from postwatch.yamlconf import ConfigError

ROOT = Path(__file__).resolve().parents[3]
CONFIG = ROOT / "include" / "config"


@pytest.fixture(scope="module")
def shipped() -> list:
    return load_packs(CONFIG / "rules")


def test_every_shipped_example_matches_or_not_as_written(shipped: list) -> None:
    n, failures = run_examples(shipped)
    assert [str(f) for f in failures] == []
    assert n == sum(len(r.examples.match) + len(r.examples.no_match) for p in shipped for r in p.rules)


def test_shipped_packs_cover_the_letters_concerns(shipped: list) -> None:
    categories = {r.category for p in shipped for r in p.rules}
    assert {
        Category.incident,
        Category.misinformation,
        Category.impersonation_cue,
        Category.praise,
        Category.complaint,
        Category.offensive,
        Category.tone_positive,
        Category.tone_negative,
    } <= categories
    for pack in shipped:
        for rule in pack.rules:
            assert len(rule.examples.match) >= 2 and len(rule.examples.no_match) >= 2, rule.id


def test_critical_rules_ask_for_an_answer_within_two_hours(shipped: list) -> None:
    critical = [r for p in shipped for r in p.rules if r.severity == "critical"]
    assert critical
    assert all(
        r.response_deadline is not None and r.response_deadline <= timedelta(hours=2) for r in critical
    )


def test_names_are_vietnamese_in_nfc(shipped: list) -> None:
    for pack in shipped:
        for name in [pack.name, *(r.name for r in pack.rules)]:
            assert unicodedata.is_normalized("NFC", name)
            assert not name.isascii(), name


def test_offensive_rules_catch_plain_and_teencode_spellings_but_not_look_alikes() -> None:
    matcher = Matcher(load_ruleset(CONFIG))
    texts = [
        "dm thang nao do rac",
        "đường xấu vcl",
        "clgt",
        "Bọn này làm ăn như lồn",
        "Dell ra mắt laptop mới",
    ]
    posts = [{"post_id": i, "text": t} for i, t in enumerate(texts)]
    offensive = {
        h.post_key
        for h in matcher.match_batch(posts, key=lambda p: p["post_id"])
        if h.category == "offensive"
    }
    assert offensive == {0, 1, 2, 3}


def test_hits_from_loaded_packs_carry_the_pack_version(shipped: list) -> None:
    matcher = Matcher(load_ruleset(CONFIG))
    hits = matcher.match_batch(
        [{"platform": "facebook", "post_id": "1", "text": "Lũ quét cuốn trôi 2 ngôi nhà"}]
    )
    flood = next(h for h in hits if h.rule_id == "incident.flood")
    pack = next(p for p in shipped if p.id == flood.pack_id)
    assert (flood.pack_version, flood.severity, flood.unit) == (pack.version, "critical", "sonha.sotnmt")


PACK = """\
id: test
version: 3
name: Gói thử
rules:
  - id: t.fire
    name: Cháy
    category: incident
    severity: critical
    response_deadline: 2h
    query: '"vụ cháy" OR "bốc cháy"'
    examples:
      match: ["Vụ cháy lớn ở chợ", {title: "Bốc cháy", text: "Kho hàng"}]
      no_match: ["Trời đẹp"]
"""


def write(tmp_path: Path, text: str, name: str = "test.yaml") -> Path:
    folder = tmp_path / "rules"
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_a_valid_pack_loads_with_its_version_as_text(tmp_path: Path) -> None:
    (pack,) = load_packs(write(tmp_path, PACK))
    assert (pack.version, pack.rules[0].response_deadline) == ("3", timedelta(hours=2))


@pytest.mark.parametrize(
    ("change", "line", "field", "message"),
    [
        (("severity: critical", "severity: urgent"), 8, "rules.0.severity", "Input should be"),
        (("category: incident", "category: weather"), 7, "rules.0.category", "Input should be"),
        (
            ("response_deadline: 2h", "response_deadline: 2 hours"),
            9,
            "rules.0.response_deadline",
            "30m, 2h or 1d",
        ),
        (('no_match: ["Trời đẹp"]', "no_match: []"), 13, "rules.0.examples.no_match", "at least 1"),
        (("id: t.fire", "id: T Fire"), 5, "rules.0.id", "pattern"),
    ],
)
def test_a_bad_field_is_reported_with_file_line_and_field(
    tmp_path: Path, change: tuple[str, str], line: int, field: str, message: str
) -> None:
    folder = write(tmp_path, PACK.replace(*change))
    with pytest.raises(ConfigError) as err:
        load_packs(folder)
    assert (err.value.line, err.value.field) == (line, field)
    assert err.value.path.endswith("test.yaml")
    assert message in err.value.message


def test_a_query_syntax_error_names_the_line_rule_and_column(tmp_path: Path) -> None:
    folder = write(tmp_path, PACK.replace("""'"vụ cháy" OR "bốc cháy"'""", """'("vụ cháy" OR "bốc cháy"'"""))
    with pytest.raises(ConfigError) as err:
        load_packs(folder)
    assert (err.value.line, err.value.field) == (10, "rules.0.query")
    assert "rule 't.fire', column 25: expected ')'" in err.value.message


def test_a_rule_id_used_in_two_packs_is_refused(tmp_path: Path) -> None:
    write(tmp_path, PACK, "a.yaml")
    folder = write(tmp_path, PACK.replace("id: test", "id: other"), "b.yaml")
    with pytest.raises(ConfigError) as err:
        load_packs(folder)
    assert err.value.path.endswith("b.yaml") and "also in" in err.value.message


def test_an_unknown_owning_unit_is_refused(tmp_path: Path) -> None:
    folder = write(
        tmp_path, PACK.replace("    severity: critical", "    severity: critical\n    unit: nowhere")
    )
    with pytest.raises(ConfigError) as err:
        load_packs(folder, unit_ids={"sonha"})
    assert (err.value.line, err.value.field) == (9, "rules.0.unit")


def test_a_wrong_example_is_reported_with_its_line(tmp_path: Path) -> None:
    text = PACK.replace('no_match: ["Trời đẹp"]', 'no_match: ["Trời đẹp", "Một vụ cháy nhỏ"]')
    text = text.replace('match: ["Vụ cháy lớn ở chợ",', 'match: ["Cháy hàng rồi",')
    n, failures = run_examples(load_packs(write(tmp_path, text)))
    assert n == 4
    assert [(f.rule_id, f.should_match, f.example, f.line) for f in failures] == [
        ("t.fire", True, "Cháy hàng rồi", 12),
        ("t.fire", False, "Một vụ cháy nhỏ", 13),
    ]
    assert "test.yaml:12: test/t.fire: should match but does not: Cháy hàng rồi" in str(failures[0])
