"""Expectation suites as code, one per stage. Each expectation carries PostWatch metadata in ``meta``:

* ``check``: the name quarantine rows and dq_results use (post_id_not_null, url_is_http...), the
  same vocabulary ``normalize_item`` uses for the structural checks it does itself;
* ``reason``: a ``str.format`` template over the failing row's columns, so a quarantined record
  says in words what is wrong with it;
* ``severity``: ``row`` (failing rows are quarantined, the rest loads), ``warn`` or ``fail``.

The suites validate frames built by ``validate.py`` (raw items, normalized posts) and
``checks.py`` (one row per source), whose columns are documented there.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from postwatch.registry import Kind, Platform

if TYPE_CHECKING:
    from great_expectations import ExpectationSuite
    from great_expectations.expectations import Expectation

RAW_ITEMS = "raw_items"
NORMALIZED_POSTS = "normalized_posts"
LOAD_RECONCILIATION = "load_reconciliation"
LANDING_RECONCILIATION = "landing_reconciliation"
SOURCE_CHECKS = "source_checks"

MAX_TEXT = 1_000_000  # characters; as normalize.posts.MAX_TEXT
FUTURE_TOLERANCE_MIN = 10  # a post may carry a time up to 10 min after it was fetched (clock skew)
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)  # older dates are placeholders (1970, 1900...)
LANGUAGES = ("vi", "en", "und")

# Fields a parser must fill for an item to be a post, per platform. Every platform needs an id,
# a time and something to read (title or text); portals and YouTube are identified by their URL.
REQUIRED_RAW_FIELDS: dict[str, tuple[str, ...]] = {
    Platform.facebook: ("item_id", "published"),
    Platform.youtube: ("item_id", "url", "published"),
    Platform.rss: ("item_id", "published"),
    Platform.web: ("item_id", "url", "published"),
    Platform.zalo: ("item_id", "published"),
    Platform.tiktok: ("item_id", "published"),
    Platform.file: ("item_id", "published"),
}
RAW_FIELD_WORDS = {"item_id": "post id", "url": "URL", "published": "publication time"}


@dataclass(frozen=True)
class CheckMeta:
    """What an expectation means to PostWatch (read back from a GX result's ``meta``)."""

    check: str
    reason: str
    severity: str = "row"

    @classmethod
    def of(cls, meta: Mapping[str, Any] | None) -> CheckMeta:
        meta = meta or {}
        return cls(
            str(meta.get("check", "unnamed")), str(meta.get("reason", "")), str(meta.get("severity", "row"))
        )


def _meta(check: str, reason: str, severity: str = "row") -> dict[str, str]:
    return {"check": check, "reason": reason, "severity": severity}


def _suite(name: str, expectations: Iterable[Expectation], notes: str) -> ExpectationSuite:
    import great_expectations as gx

    exps = list(expectations)
    for i, e in enumerate(exps):  # GX reports results in its own order; a row's first failure follows ours
        e.meta = {**(e.meta or {}), "order": i}
    return gx.ExpectationSuite(name=name, expectations=exps, meta={"notes": notes})


def raw_items_suite(platform: str) -> ExpectationSuite:
    """Required fields present for ``platform`` (columns item_id, url, title, text, published;
    blank strings are null in the frame)."""
    import great_expectations.expectations as gxe
    from great_expectations.expectations.row_conditions import Column

    exps: list[Expectation] = []
    for f in REQUIRED_RAW_FIELDS[Platform(platform)]:
        word = RAW_FIELD_WORDS[f]
        exps.append(
            gxe.ExpectColumnValuesToNotBeNull(
                column=f,
                description=f"every {platform} item has a {word}",
                meta=_meta(f"raw_{f}_present", f"{platform} item without a {word}"),
            )
        )
    exps.append(
        gxe.ExpectColumnValuesToNotBeNull(
            column="text",
            row_condition=Column("title").is_null(),
            description="an item without a title has a text",
            meta=_meta("raw_content_present", "empty post: no title and no text"),
        )
    )
    return _suite(f"{RAW_ITEMS}.{platform}", exps, f"Raw {platform} items as parsed, before normalization.")


def posts_suite(source_ids: Iterable[str], unit_ids: Iterable[str]) -> ExpectationSuite:
    """The normalized batch (see ``validate.posts_frame`` for its columns)."""
    import great_expectations.expectations as gxe
    from great_expectations.expectations.row_conditions import Column

    either = "either_value_is_missing"
    exps: list[Expectation] = [
        gxe.ExpectColumnValuesToNotBeNull(
            column="post_id", meta=_meta("post_id_not_null", "missing post id"), description="post id present"
        ),
        gxe.ExpectColumnValuesToNotBeNull(
            column="platform",
            meta=_meta("platform_not_null", "missing platform"),
            description="platform present",
        ),
        gxe.ExpectColumnValuesToBeInSet(
            column="platform",
            value_set=[p.value for p in Platform],
            meta=_meta("platform_known", "unknown platform {platform!r}"),
            description="platform is one PostWatch collects",
        ),
        gxe.ExpectCompoundColumnsToBeUnique(
            column_list=["platform", "post_id"],
            row_condition=Column("superseded") == False,  # noqa: E712 (a GX condition, not a comparison)
            meta=_meta(
                "post_key_unique",
                "({platform}, {post_id}) appears more than once in the batch with different content "
                "and the same publication, update and fetch times: cannot tell which copy is the latest",
            ),
            description="(platform, post id) unique once in-batch duplicates are resolved (latest wins; "
            "copies that tie on every time and differ in content are a conflict)",
        ),
        gxe.ExpectColumnValuesToNotBeNull(
            column="published_at",
            meta=_meta("published_at_not_null", "missing publication time"),
            description="publication time present",
        ),
        gxe.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A="published_limit",
            column_B="published_at",
            or_equal=True,
            ignore_row_if=either,
            meta=_meta(
                "published_at_not_future",
                "published_at {published_at:%Y-%m-%d %H:%M} UTC is in the future: later than "
                "{published_limit:%Y-%m-%d %H:%M} UTC, "
                f"{FUTURE_TOLERANCE_MIN} minutes after the post was fetched",
            ),
            description=f"published at most {FUTURE_TOLERANCE_MIN} minutes after it was fetched",
        ),
        gxe.ExpectColumnValuesToBeBetween(
            column="published_at",
            min_value=EARLIEST,
            meta=_meta(
                "published_at_plausible",
                "published_at {published_at:%Y-%m-%d} is before 2000: a placeholder date",
            ),
            description="published in 2000 or later (earlier dates are placeholders)",
        ),
        gxe.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A="published_at",
            column_B="source_start",
            or_equal=True,
            ignore_row_if=either,
            meta=_meta(
                "published_at_after_source_start",
                "published_at {published_at:%Y-%m-%d} is before the source's start {source_start:%Y-%m-%d}",
            ),
            description="not published before the source's `since` date",
        ),
        gxe.ExpectColumnValuesToMatchRegex(
            column="url",
            regex=r"^https?://[^\s/?#]+",
            meta=_meta("url_is_http", "URL is not http(s): {url!r}"),
            description="URL (when there is one) is http(s) with a host",
        ),
        gxe.ExpectColumnValuesToBeBetween(
            column="text_chars",
            min_value=0,
            max_value=MAX_TEXT,
            meta=_meta("text_length", "text is {text_chars:,} characters (over " + f"{MAX_TEXT:,})"),
            description=f"text at most {MAX_TEXT:,} characters",
        ),
        gxe.ExpectColumnValuesToBeBetween(
            column="text_chars",
            min_value=1,
            row_condition=Column("title_chars") == 0,
            meta=_meta("text_not_empty", "empty post: no title and no text"),
            description="a post without a title has a text",
        ),
        gxe.ExpectColumnValuesToNotBeNull(
            column="lang", meta=_meta("lang_not_null", "missing language"), description="language present"
        ),
        gxe.ExpectColumnValuesToBeInSet(
            column="lang",
            value_set=list(LANGUAGES),
            meta=_meta("lang_expected", "language {lang!r} is not one of " + ", ".join(LANGUAGES)),
            description="language is vi, en or und",
        ),
        gxe.ExpectColumnValuesToBeInSet(
            column="kind",
            value_set=[k.value for k in Kind],
            meta=_meta("kind_known", "unknown source kind {kind!r}"),
            description="kind is official, watched or press",
        ),
    ]
    for field in ("likes", "comments", "shares", "views"):
        exps.append(
            gxe.ExpectColumnValuesToBeBetween(
                column=field,
                min_value=0,
                meta=_meta("engagement_counts_non_negative", f"negative {field} count ({{{field}:.0f}})"),
                description=f"{field} is not negative",
            )
        )
    exps += [
        gxe.ExpectColumnValuesToNotBeNull(
            column="source_id",
            meta=_meta("source_id_not_null", "missing source id"),
            description="source present",
        ),
        gxe.ExpectColumnValuesToBeInSet(
            column="source_id",
            value_set=sorted(set(source_ids)),
            meta=_meta("source_in_registry", "source {source_id!r} is not in the registry (sources.yaml)"),
            description="source is in the registry",
        ),
        gxe.ExpectColumnValuesToBeInSet(
            column="unit_id",
            value_set=sorted(set(unit_ids)),
            meta=_meta("unit_in_registry", "unit {unit_id!r} is not in the registry (units.yaml)"),
            description="unit (when set) is in the registry",
        ),
    ]
    return _suite(
        NORMALIZED_POSTS,
        exps,
        "Normalized posts before load. Engagement counts are integers by the batch's Arrow schema "
        "(normalize_item quarantines non-integers as engagement_counts_integer); "
        "this suite checks their range.",
    )


def load_reconciliation_suite(severity: str = "fail") -> ExpectationSuite:
    """One row per source: fetched, loaded, quarantined, duplicates, accounted (their sum)."""
    import great_expectations.expectations as gxe

    return _suite(
        LOAD_RECONCILIATION,
        [
            gxe.ExpectColumnPairValuesToBeEqual(
                column_A="fetched",
                column_B="accounted",
                meta=_meta(
                    "load_reconciliation",
                    "{source_id}: {fetched} items fetched but {accounted} accounted for (loaded {loaded} + "
                    "quarantined {quarantined} + duplicates {duplicates}): {lost} lost between stages",
                    severity,
                ),
                description="items fetched = loaded + quarantined + duplicates",
            )
        ],
        "Every item a parser produced is in posts, in quarantine, or counted as an in-batch duplicate.",
    )


def landing_reconciliation_suite(severity: str = "fail") -> ExpectationSuite:
    """One row per (ingest run, source): items re-parsed from its landing files vs the warehouse."""
    import great_expectations.expectations as gxe

    return _suite(
        LANDING_RECONCILIATION,
        [
            gxe.ExpectColumnPairValuesToBeEqual(
                column_A="landed",
                column_B="recorded",
                meta=_meta(
                    "landing_matches_ingest_run",
                    "{source_id} run {run_id}: its landing files hold {landed} items, "
                    "the run recorded {recorded}",
                    severity,
                ),
                description="items in the landing files = items the ingest run recorded as fetched",
            ),
            gxe.ExpectColumnValuesToBeBetween(
                column="unaccounted",
                max_value=0,
                meta=_meta(
                    "landed_items_accounted",
                    "{source_id} run {run_id}: {unaccounted} landed items are neither in posts nor in "
                    "quarantine (e.g. {example})",
                    severity,
                ),
                description="every landed item is in posts or in quarantine",
            ),
        ],
        "History: nothing landed was dropped silently.",
    )


@dataclass(frozen=True)
class CheckPolicyView:
    """The thresholds source_checks_suite needs (checks.CheckPolicy provides them)."""

    bad_share_warn: float
    bad_share_fail: float
    bad_share_min_items: int
    silent_polls: int
    silent_severity: str
    volume_severity: str
    stale_intervals: float
    stale_severity: str
    volume_days: int


def source_checks_suite(p: CheckPolicyView) -> ExpectationSuite:
    """One row per source (see ``checks.source_metrics``); each expectation is one batch-level check."""
    import great_expectations.expectations as gxe
    from great_expectations.expectations.row_conditions import Column

    either = "either_value_is_missing"
    share_reason = (
        "{source_id}: {quarantined} of {fetched} items quarantined ({bad_share:.0%}), over the "
        "{threshold:.0%} threshold"
    )
    return _suite(
        SOURCE_CHECKS,
        [
            gxe.ExpectColumnValuesToBeBetween(
                column="bad_share",
                max_value=p.bad_share_warn,
                row_condition=Column("fetched") >= p.bad_share_min_items,
                meta={**_meta("bad_row_share", share_reason, "warn"), "threshold": p.bad_share_warn},
                description=f"at most {p.bad_share_warn:.0%} of a source's items quarantined (warn)",
            ),
            gxe.ExpectColumnValuesToBeBetween(
                column="bad_share",
                max_value=p.bad_share_fail,
                row_condition=Column("fetched") >= p.bad_share_min_items,
                meta={**_meta("bad_row_share", share_reason, "fail"), "threshold": p.bad_share_fail},
                description=f"at most {p.bad_share_fail:.0%} of a source's items quarantined (fail)",
            ),
            gxe.ExpectColumnValuesToBeBetween(
                column="empty_streak",
                max_value=p.silent_polls - 1,
                meta=_meta(
                    "silent_source",
                    "{source_id}: returned nothing for {empty_streak} polls in a row",
                    p.silent_severity,
                ),
                description=f"a source returns something at least once every {p.silent_polls} polls",
            ),
            gxe.ExpectColumnPairValuesAToBeGreaterThanB(
                column_A="volume",
                column_B="band_low",
                or_equal=True,
                ignore_row_if=either,
                meta=_meta(
                    "volume_band",
                    "{source_id}: {volume} new posts in the last poll, below its "
                    f"{p.volume_days}-day band " + "{band_low:.0f}–{band_high:.0f}",
                    p.volume_severity,
                ),
                description=f"new posts per poll not below the source's {p.volume_days}-day band",
            ),
            gxe.ExpectColumnPairValuesAToBeGreaterThanB(
                column_A="band_high",
                column_B="volume",
                or_equal=True,
                ignore_row_if=either,
                meta=_meta(
                    "volume_band",
                    "{source_id}: {volume} new posts in the last poll, above its "
                    f"{p.volume_days}-day band " + "{band_low:.0f}–{band_high:.0f}",
                    p.volume_severity,
                ),
                description=f"new posts per poll not above the source's {p.volume_days}-day band",
            ),
            gxe.ExpectColumnValuesToBeBetween(
                column="intervals_since_success",
                max_value=p.stale_intervals,
                meta=_meta(
                    "stale_source",
                    "{source_id}: no successful fetch for {hours_since_success:.1f} h "
                    "({intervals_since_success:.1f} poll intervals of {poll_interval_min} min)",
                    p.stale_severity,
                ),
                description=f"a successful fetch within {p.stale_intervals:g} poll intervals",
            ),
        ],
        "Batch-level checks per source after a collect run (severity warn or fail in meta).",
    )
