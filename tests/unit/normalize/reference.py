"""The normalization as first written, with no shortcut: what the fast paths must equal.

Every step runs unconditionally (translate, NFD + move + NFC, the parser with every query,
urlsplit, the mojibake regex without a prefilter, the story key's punctuation strip, one
``_count`` per field); only the checks and reasons of ``postwatch.normalize.posts`` are shared.
"""

from __future__ import annotations

import unicodedata
from datetime import datetime
from functools import cache
from typing import Any

import ftfy

from postwatch.collect.base import RawItem
from postwatch.normalize import text as T
from postwatch.normalize.posts import (
    _KEY_PUNCT,
    COUNT_FIELDS,
    EARLIEST,
    MAX_TEXT,
    POST_COLUMNS,
    _count,
    _reject,
    _SourceFacts,
)
from postwatch.normalize.rejected import Rejected
from postwatch.normalize.times import BadTimestamp, local_date, parse_timestamp
from postwatch.normalize.urls import _canonical_url_careful
from postwatch.registry import Source


def careful_clean(s: str | None) -> str:
    """clean_text without any shortcut: every scan and table applied unconditionally."""
    if not s:
        return ""
    s = s.replace("\r\n", "\n").translate(T._STRIP)
    s = T._WS.sub(" ", T.normalize_tone_marks_careful(s))
    s = T._LINE_BREAK.sub(T._one_or_two_breaks, s)
    return s.strip()


def careful_html(html: str) -> str:
    """html_to_text through the parser with every query, cleaned the careful way."""
    if not html:
        return ""
    tree = T.LexborHTMLParser(html)
    for node in tree.css("script, style, noscript, template, iframe"):
        node.decompose()
    for node in tree.css("br"):
        node.replace_with("\n")
    for node in tree.css("p, div, li, h1, h2, h3, h4, h5, h6, tr, blockquote, section, article"):
        node.insert_after("\n")
    root = tree.body or tree.root
    return careful_clean(root.text(separator="", deep=True) if root is not None else "")


def careful_repair(s: str) -> tuple[str, str | None]:
    if not s or s.isascii():
        return s, None
    if T._MOJIBAKE_HINT.search(s) and ftfy.badness.is_bad(s):
        fixed = ftfy.fix_encoding(s)
        if fixed != s:
            return fixed, "mojibake_repaired"
    legacy = T._legacy_encoding(s)
    return (s, f"legacy_{legacy}") if legacy else (s, None)


def _clean_field(value: str | None, is_html: bool) -> tuple[str, str | None]:
    if not value:
        return "", None
    fixed, problem = careful_repair(value)
    if is_html or T.looks_like_html(fixed):
        return careful_html(fixed), problem
    return careful_clean(fixed), problem


@cache
def _fold_table() -> dict[int, str]:
    table: dict[int, str] = {ord("đ"): "d", ord("Đ"): "D"}
    for cp in list(range(0x00C0, 0x0250)) + list(range(0x1E00, 0x1F00)):
        ch = chr(cp)
        base = "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c))
        if base != ch and base.isascii() and base:
            table[cp] = base
    return table


def fold_diacritics_careful(s: str) -> str:
    """The reference ``fold_diacritics`` is tested against: NFC, a table of Latin letters, NFD."""
    if s.isascii():
        return s
    s = unicodedata.normalize("NFC", s)
    out = s.translate(_fold_table())
    if out.isascii():
        return out
    return "".join(c for c in unicodedata.normalize("NFD", out) if not unicodedata.combining(c))


def careful_story_key(title: str, text: str) -> str:
    basis = title if len(title) >= 12 else text[:200]
    words = fold_diacritics_careful(basis.lower()).split()
    return T.content_hash(" ".join([w.strip(_KEY_PUNCT) for w in words[:16]]))


def reference_normalize(raw: RawItem, source: Source, now: datetime) -> dict[str, Any] | Rejected:
    """One item → the post row (a dict in POST_COLUMNS order) or its Rejected, the slow way."""
    facts = _SourceFacts(source, now)
    if raw.problem:
        return _reject(raw, facts, raw.problem, stage="parse")
    if raw.item_id is None or str(raw.item_id).strip() == "":
        return _reject(raw, facts, "missing post id", expectation="post_id_not_null")
    post_id = str(raw.item_id).strip()
    try:
        published = parse_timestamp(raw.published)
    except BadTimestamp as exc:
        return _reject(raw, facts, f"published time: {exc}", expectation="published_at_parseable")
    updated = None
    if raw.updated:
        try:
            updated = parse_timestamp(raw.updated)
        except BadTimestamp:
            updated = None
    if published > facts.latest:
        reason = f"published_at {published.isoformat()} is in the future"
        return _reject(raw, facts, reason, expectation="published_at_not_future")
    if published < EARLIEST:
        reason = f"published_at {published.isoformat()} is before 2000: a placeholder date"
        return _reject(raw, facts, reason, expectation="published_at_plausible")
    if facts.since_date is not None and published.date() < facts.since_date:
        reason = f"published_at {published.date()} is before the source's start {facts.since}"
        return _reject(raw, facts, reason, expectation="published_at_after_source_start")
    counts: list[int | None] = []
    for f in COUNT_FIELDS:
        try:
            n = _count(getattr(raw, f))
        except ValueError as exc:
            return _reject(raw, facts, f"{f}: {exc}", expectation="engagement_counts_integer")
        if n is not None and n < 0:
            reason = f"negative {f} count ({n})"
            return _reject(raw, facts, reason, expectation="engagement_counts_non_negative")
        counts.append(n)
    title, p1 = _clean_field(raw.title, raw.is_html and T.looks_like_html(raw.title or ""))
    text, p2 = _clean_field(raw.text, raw.is_html)
    fix = p1 or p2
    if fix and fix.startswith("legacy_"):
        reason = f"text is in a legacy Vietnamese encoding ({fix[7:].upper()}); convert the export to Unicode"
        return _reject(raw, facts, reason, expectation="text_unicode")
    if not title and not text:
        return _reject(raw, facts, "empty post: no title and no text", expectation="text_not_empty")
    if len(text) > MAX_TEXT:
        reason = f"text is {len(text):,} characters (over {MAX_TEXT:,})"
        return _reject(raw, facts, reason, expectation="text_length")
    url = None
    if raw.url:
        url = _canonical_url_careful(raw.url.strip())
        if url is None:
            return _reject(raw, facts, f"URL is not http(s): {raw.url[:120]!r}", expectation="url_is_http")
    values = (
        facts.platform,
        post_id,
        facts.id,
        facts.unit,
        facts.kind,
        url,
        title or None,
        text,
        careful_clean(raw.author) or None if raw.author else None,
        raw.author_id,
        published,
        updated,
        local_date(published),
        T.detect_language(title + " " + text[:400]),
        *counts,
        T.content_hash(title, text),
        careful_story_key(title, text),
        fix,
        raw.title if raw.title != title else None,
        raw.text if raw.text != text else None,
        raw.fetched_at or now,
        raw.landing_ref,
    )
    assert unicodedata.is_normalized("NFC", text)
    return dict(zip(POST_COLUMNS, values, strict=True))
