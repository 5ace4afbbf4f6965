"""The keyword rule language: tokenizer and recursive-descent parser producing a small AST.

Syntax, loosest binding first::

    a OR b                 either
    a AND b,  a NOT b      both; the first without the second ("a AND NOT b" also works)
    NOT a                  not a
    a NEAR/5 b             a and b in the same field, at most 5 syllables apart, either order
    a ONEAR/5 b            the same, a before b
    ( ... )                grouping
    "tin giả"              phrase: these syllables in this order
    "xả lũ"~3              phrase with slop: up to 3 other syllables inserted in total
    cháy rừng              bare words side by side are a phrase too (Vietnamese words are
                           several syllables), so write AND between terms you mean separately
    chá*  ng?y             wildcards inside one syllable: * any letters, ? exactly one
    title:  text:  author: search one text field (default: title and text)
    source: platform: kind: unit:   compare the post's id fields (glob: unit:sonha.*)
    exact:đụ               diacritics exactly as written, any case, no folding
    raw:UBND               exact case and diacritics

Operators are upper case; field names are not case-sensitive. Distances count syllables, the unit
Vietnamese separates with spaces. Diacritics: see ``postwatch.rules.compile``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import TypeAlias

TEXT_FIELDS = ("title", "text", "author")
META_FIELDS = ("source", "platform", "kind", "unit")
MODES = ("raw", "exact")

_QUOTES = {'"': '"', "“": "”"}
_NEAR = re.compile(r"O?NEAR/(\d+)")
_PREFIX = re.compile(r"([A-Za-z]+):")


class RuleSyntaxError(ValueError):
    """A query that does not parse: which rule, at which column (1-based), what was expected."""

    def __init__(self, rule_id: str, column: int, expected: str, found: str | None = None) -> None:
        self.rule_id = rule_id
        self.column = column
        self.expected = expected
        self.found = found
        msg = f"rule {rule_id!r}, column {column}: expected {expected}"
        super().__init__(msg + (f", found {found}" if found else ""))


@dataclass(frozen=True)
class Term:
    """A word, a run of bare words or a quoted phrase; ``field``/``mode`` come from prefixes."""

    text: str
    col: int
    quoted: bool = False
    slop: int = 0
    field: str | None = None
    mode: str = "auto"


@dataclass(frozen=True)
class And:
    items: tuple[Node, ...]
    col: int


@dataclass(frozen=True)
class Or:
    items: tuple[Node, ...]
    col: int


@dataclass(frozen=True)
class Not:
    item: Node
    col: int


@dataclass(frozen=True)
class Near:
    left: Node
    right: Node
    distance: int
    ordered: bool
    col: int


Node: TypeAlias = Term | And | Or | Not | Near


@dataclass(frozen=True)
class _Tok:
    kind: str  # LP RP WORD PHRASE AND OR NOT NEAR FIELD EOF
    text: str
    col: int
    num: int = 0
    ordered: bool = False

    def describe(self) -> str:
        if self.kind == "EOF":
            return "the end of the query"
        if self.kind == "PHRASE":
            return f'"{self.text}"'
        if self.kind == "FIELD":
            return f"{self.text}:"
        return f"{self.text!r}" if self.kind == "WORD" else self.text


def tokenize(query: str, rule_id: str = "query") -> list[_Tok]:
    """Split a query into tokens; columns are 1-based positions in ``query``."""
    toks: list[_Tok] = []
    i, n = 0, len(query)
    while i < n:
        c = query[i]
        if c.isspace():
            i += 1
        elif c == "(":
            toks.append(_Tok("LP", "(", i + 1))
            i += 1
        elif c == ")":
            toks.append(_Tok("RP", ")", i + 1))
            i += 1
        elif c in _QUOTES:
            close = query.find(_QUOTES[c], i + 1)
            if close < 0:
                raise RuleSyntaxError(
                    rule_id, n + 1, "a closing quote for the phrase opened at column " + str(i + 1)
                )
            body, j, slop = query[i + 1 : close], close + 1, 0
            if j < n and query[j] == "~":
                m = re.match(r"\d+", query[j + 1 :])
                if not m:
                    raise RuleSyntaxError(rule_id, j + 2, "a number after '~' (phrase slop, e.g. \"a b\"~3)")
                slop = int(m.group(0))
                j += 1 + len(m.group(0))
            toks.append(_Tok("PHRASE", body, i + 1, num=slop))
            i = j
        else:
            j = i
            while j < n and not query[j].isspace() and query[j] not in '()"“':
                j += 1
            word = query[i:j]
            prefix = _PREFIX.match(word)
            if prefix and prefix.group(1).lower() in TEXT_FIELDS + META_FIELDS + MODES:
                toks.append(_Tok("FIELD", prefix.group(1).lower(), i + 1))
                i += len(prefix.group(0))
                continue
            if word in ("AND", "OR", "NOT"):
                toks.append(_Tok(word, word, i + 1))
            elif (op := word.split("/")[0]) in ("NEAR", "ONEAR"):
                m = _NEAR.fullmatch(word)
                if not m:
                    raise RuleSyntaxError(
                        rule_id, i + 1 + len(op), f"a distance after {op}, e.g. {op}/5", repr(word)
                    )
                toks.append(_Tok("NEAR", op, i + 1, num=int(m.group(1)), ordered=op == "ONEAR"))
            elif "~" in word:
                raise RuleSyntaxError(rule_id, i + 1 + word.index("~"), "'~n' only after a quoted phrase")
            else:
                toks.append(_Tok("WORD", word, i + 1))
            i = j
    toks.append(_Tok("EOF", "", n + 1))
    return toks


_STARTS = ("LP", "WORD", "PHRASE", "FIELD")
_OPERAND = "a term, a \"phrase\" or '('"


class _Parser:
    def __init__(self, query: str, rule_id: str) -> None:
        self.rule_id = rule_id
        self.toks = tokenize(query, rule_id)
        self.i = 0

    @property
    def tok(self) -> _Tok:
        return self.toks[self.i]

    def fail(self, expected: str, tok: _Tok | None = None) -> RuleSyntaxError:
        tok = tok or self.tok
        return RuleSyntaxError(self.rule_id, tok.col, expected, tok.describe())

    def parse(self) -> Node:
        node = self.or_expr()
        if self.tok.kind != "EOF":
            if self.tok.kind == "RP":
                raise self.fail("an operator or the end of the query (this ')' closes nothing)")
            raise self.fail("an operator (AND, OR, NOT, NEAR/n, ONEAR/n)")
        return node

    def or_expr(self) -> Node:
        items = [self.and_expr()]
        while self.tok.kind == "OR":
            self.i += 1
            items.append(self.and_expr())
        return items[0] if len(items) == 1 else Or(tuple(items), items[0].col)

    def and_expr(self) -> Node:
        items = [self.not_expr()]
        while True:
            kind = self.tok.kind
            if kind == "AND":
                self.i += 1
                items.append(self.not_expr())
            elif kind == "NOT":
                col = self.tok.col
                self.i += 1
                items.append(Not(self.not_expr(), col))
            elif kind in _STARTS:
                raise self.fail("an operator (AND, OR, NOT, NEAR/n, ONEAR/n) or ')'")
            else:
                break
        return items[0] if len(items) == 1 else And(tuple(items), items[0].col)

    def not_expr(self) -> Node:
        if self.tok.kind == "NOT":
            col = self.tok.col
            self.i += 1
            return Not(self.not_expr(), col)
        return self.near_expr()

    def near_expr(self) -> Node:
        left = self.primary()
        while self.tok.kind == "NEAR":
            op = self.tok
            self.i += 1
            right = self.primary()
            self._check_near_operand(left)
            self._check_near_operand(right)
            left = Near(left, right, op.num, op.ordered, op.col)
        return left

    def _check_near_operand(self, node: Node) -> None:
        if isinstance(node, Term) and node.field not in META_FIELDS:
            return
        if isinstance(node, Near):
            return
        if isinstance(node, Or):
            for item in node.items:
                self._check_near_operand(item)
            return
        what = "a field id" if isinstance(node, Term) else type(node).__name__.upper()
        raise RuleSyntaxError(
            self.rule_id, node.col, "a term, a phrase, an OR group or a NEAR as operand of NEAR/n", what
        )

    def primary(self) -> Node:
        tok = self.tok
        if tok.kind == "LP":
            self.i += 1
            node = self.or_expr()
            if self.tok.kind != "RP":
                raise self.fail(f"')' to close the '(' at column {tok.col}")
            self.i += 1
            return node
        if tok.kind == "FIELD":
            self.i += 1
            if self.tok.kind not in _STARTS:
                raise self.fail(f"{_OPERAND} after {tok.text}:")
            return self._scope(self.primary(), tok)
        if tok.kind == "PHRASE":
            self.i += 1
            if not tok.text.strip():
                raise RuleSyntaxError(self.rule_id, tok.col, "words inside the quotes", "an empty phrase")
            return Term(tok.text, tok.col, quoted=True, slop=tok.num)
        if tok.kind == "WORD":
            words = [tok.text]
            self.i += 1
            while self.tok.kind == "WORD":
                words.append(self.tok.text)
                self.i += 1
            return Term(" ".join(words), tok.col)
        raise self.fail(_OPERAND)

    def _scope(self, node: Node, prefix: _Tok) -> Node:
        """Push a field or mode prefix down to the terms it covers (inner prefixes win)."""
        name = prefix.text
        if isinstance(node, Term):
            if name in MODES:
                if node.field in META_FIELDS:
                    raise RuleSyntaxError(
                        self.rule_id, prefix.col, f"{name}: only on text terms", node.field + ":"
                    )
                return node if node.mode != "auto" else replace(node, mode=name)
            if node.field is not None:
                return node
            if name in META_FIELDS and node.mode != "auto":
                raise RuleSyntaxError(self.rule_id, node.col, f"a plain value after {name}:", node.mode + ":")
            return replace(node, field=name)
        if isinstance(node, And | Or):
            return type(node)(tuple(self._scope(i, prefix) for i in node.items), node.col)
        if isinstance(node, Not):
            return Not(self._scope(node.item, prefix), node.col)
        if name in META_FIELDS:
            raise RuleSyntaxError(self.rule_id, prefix.col, f"values, not NEAR/n, after {name}:")
        return Near(
            self._scope(node.left, prefix),
            self._scope(node.right, prefix),
            node.distance,
            node.ordered,
            node.col,
        )


def parse(query: str, rule_id: str = "query") -> Node:
    """Parse ``query``; raise RuleSyntaxError naming the rule, the column and what was expected."""
    return _Parser(query, rule_id).parse()
