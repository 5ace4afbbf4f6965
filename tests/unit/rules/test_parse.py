"""The rule language parser: every operator, precedence, and syntax errors with their columns."""

from __future__ import annotations

import pytest

from postwatch.rules.compile import compile_query
from postwatch.rules.parse import And, Near, Not, Or, RuleSyntaxError, Term, parse


def t(text: str, col: int, **kw: object) -> Term:
    return Term(text, col, **kw)  # type: ignore[arg-type]


def test_or_and_not_build_their_nodes() -> None:
    assert parse("a OR b") == Or((t("a", 1), t("b", 6)), 1)
    assert parse("a AND b") == And((t("a", 1), t("b", 7)), 1)
    assert parse("NOT a") == Not(t("a", 5), 1)


def test_binary_not_means_and_not() -> None:
    assert parse("a NOT b") == And((t("a", 1), Not(t("b", 7), 3)), 1)
    assert parse("a AND NOT b") == And((t("a", 1), Not(t("b", 11), 7)), 1)


def test_near_and_onear_carry_distance_and_order() -> None:
    assert parse("a NEAR/5 b") == Near(t("a", 1), t("b", 10), 5, False, 3)
    assert parse("a ONEAR/0 b") == Near(t("a", 1), t("b", 11), 0, True, 3)


def test_quoted_phrase_with_slop_and_typographic_quotes() -> None:
    assert parse('"tin giả"') == t("tin giả", 1, quoted=True)
    assert parse('"xả lũ"~3') == t("xả lũ", 1, quoted=True, slop=3)
    assert parse("“tin giả”") == t("tin giả", 1, quoted=True)


def test_bare_words_side_by_side_form_one_phrase() -> None:
    assert parse("cháy rừng OR lũ quét") == Or((t("cháy rừng", 1), t("lũ quét", 14)), 1)


def test_wildcards_stay_in_the_term_text() -> None:
    assert parse("chá* OR ng?y") == Or((t("chá*", 1), t("ng?y", 9)), 1)


def test_and_binds_tighter_than_or() -> None:
    assert parse("a OR b AND c") == Or((t("a", 1), And((t("b", 6), t("c", 12)), 6)), 1)


def test_not_binds_tighter_than_and() -> None:
    assert parse("NOT a AND b") == And((Not(t("a", 5), 1), t("b", 11)), 1)


def test_near_binds_tighter_than_not_and_and() -> None:
    assert parse("a AND b NEAR/2 c") == And((t("a", 1), Near(t("b", 7), t("c", 16), 2, False, 9)), 1)
    assert parse("NOT b NEAR/2 c") == Not(Near(t("b", 5), t("c", 14), 2, False, 7), 1)


def test_parentheses_override_precedence() -> None:
    assert parse("(a OR b) AND c") == And((Or((t("a", 2), t("b", 7)), 2), t("c", 14)), 2)


def test_near_chains_left_to_right_and_accepts_or_groups() -> None:
    node = parse('a NEAR/3 (b OR "c d") NEAR/1 e')
    assert isinstance(node, Near) and node.distance == 1
    assert isinstance(node.left, Near) and isinstance(node.left.right, Or)


def test_field_prefix_applies_to_every_term_of_a_group() -> None:
    node = parse("title:(cháy OR text:nổ)")
    assert node == Or((t("cháy", 8, field="title"), t("nổ", 21, field="text")), 8)


def test_field_names_are_not_case_sensitive() -> None:
    assert parse("Title:cháy") == t("cháy", 7, field="title")


def test_exact_and_raw_prefixes_set_the_mode() -> None:
    assert parse("exact:(đụ OR đm)") == Or((t("đụ", 8, mode="exact"), t("đm", 14, mode="exact")), 8)
    assert parse('text:raw:"Sơn Hà"') == t("Sơn Hà", 10, quoted=True, field="text", mode="raw")


def test_field_id_scopes_keep_the_value_verbatim() -> None:
    assert parse("unit:sonha.* AND NOT kind:official") == And(
        (t("sonha.*", 6, field="unit"), Not(t("official", 27, field="kind"), 18)), 6
    )


def test_an_unknown_prefix_is_part_of_the_word() -> None:
    assert parse("covid:19") == t("covid:19", 1)


def test_lowercase_operators_are_plain_words() -> None:
    assert parse("cháy and nổ") == t("cháy and nổ", 1)


@pytest.mark.parametrize(
    ("query", "column", "expected"),
    [
        ("(cháy OR nổ", 12, "')' to close the '(' at column 1"),
        ('"tin giả', 9, "a closing quote"),
        ("cháy NEAR nổ", 10, "a distance after NEAR"),
        ("cháy ONEAR/x nổ", 11, "a distance after ONEAR"),
        ("cháy AND", 9, "a term"),
        ("OR cháy", 1, "a term"),
        ("", 1, "a term"),
        ("cháy)", 5, "an operator or the end of the query"),
        ('(cháy OR nổ) "tin giả"', 14, "an operator"),
        ('"tin giả"~', 11, "a number after '~'"),
        ("cháy~2", 5, "'~n' only after a quoted phrase"),
        ('""', 1, "words inside the quotes"),
        ("(a AND b) NEAR/3 c", 2, "as operand of NEAR/n"),
        ("a NEAR/3 NOT b", 10, "a term"),
        ("title:", 7, "after title:"),
        ("raw:platform:facebook", 1, "raw: only on text terms"),
    ],
)
def test_bad_syntax_names_rule_column_and_what_was_expected(query: str, column: int, expected: str) -> None:
    with pytest.raises(RuleSyntaxError) as err:
        parse(query, "incident.fire")
    assert err.value.rule_id == "incident.fire"
    assert err.value.column == column
    assert expected in err.value.expected
    assert f"rule 'incident.fire', column {column}: expected" in str(err.value)


def test_a_wildcard_term_needs_two_letters_in_a_row() -> None:
    with pytest.raises(RuleSyntaxError) as err:
        compile_query("cháy OR c?y*", "r1")
    assert (err.value.rule_id, err.value.column) == ("r1", 9)


def test_a_term_of_punctuation_only_is_an_error() -> None:
    with pytest.raises(RuleSyntaxError) as err:
        compile_query('cháy OR "..."', "r2")
    assert err.value.column == 9
