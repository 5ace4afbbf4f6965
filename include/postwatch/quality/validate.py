"""Run a suite on a batch with Great Expectations: failing rows come back as Rejected (check name +
reason) for quarantine, the rest goes on to the load, and every expectation's outcome becomes a
``DqResult`` stored in the warehouse (dq_runs, dq_results).

Speed (bench/quality.py): GX's pandas engine fingerprints the whole frame and turns strings into
Python objects, so the frame handed to GX holds only what the suite reads: low-cardinality columns
as categoricals, text as its length (``text_chars``; the text itself is never hashed), counts and
times as numpy columns (GX's vectorised comparisons), and each batch is validated once, as
the new batch only: never the warehouse's history.

In-batch duplicates: the load keeps the latest copy of a post (stage_latest.sql) and counts the
others as duplicates. Here every copy is validated row by row (a bad copy is quarantined even when
a newer one exists); the uniqueness of (platform, post_id) is checked on the batch *after* that
resolution (``superseded`` marks the copies the load will drop): copies that tie on every time
but differ in content are a conflict the load must not settle by arrival order, so they fail it
and go to quarantine. Superseded copies are counted in ingest_runs.duplicates and in the load
reconciliation.
"""

from __future__ import annotations

import json
import logging
import string
import threading
import time
import uuid
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from postwatch.collect.base import RawItem
from postwatch.normalize.rejected import Rejected
from postwatch.quality import suites
from postwatch.quality.suites import CheckMeta
from postwatch.registry import Registry, Source
from postwatch.settings import Settings, get_settings
from postwatch.warehouse.db import writer
from postwatch.warehouse.sqlfiles import sql

if TYPE_CHECKING:
    from great_expectations import ExpectationSuite
    from great_expectations.core import ExpectationSuiteValidationResult
    from great_expectations.data_context import AbstractDataContext

log = logging.getLogger(__name__)

RESULT_FORMAT = {"result_format": "COMPLETE", "partial_unexpected_count": 0}
RAW_COLUMNS = ("item_id", "url", "title", "text", "published")


class QualityError(RuntimeError):
    """A suite could not be evaluated (a broken expectation or frame): a bug, never bad data."""


@dataclass
class DqResult:
    suite: str
    expectation: str
    expectation_type: str | None
    column_name: str | None
    source_id: str | None
    severity: str
    element_count: int | None
    unexpected_count: int | None
    observed_value: str | None
    success: bool
    message: str | None = None


@dataclass
class DqRun:
    """One suite run on one batch; stored as a dq_runs row and its dq_results rows."""

    suite: str
    run_id: str | None
    trigger: str
    source_id: str | None
    started_at: datetime
    finished_at: datetime
    rows_checked: int
    rows_failed: int
    success: bool
    gx_result: str | None = None
    results: list[DqResult] = field(default_factory=list)
    dq_run_id: str = field(default_factory=lambda: uuid.uuid4().hex)

    def failures(self, severity: str | None = None) -> list[DqResult]:
        return [r for r in self.results if not r.success and (severity is None or r.severity == severity)]


@dataclass
class Outcome:
    """A suite run: the stored record and, per failing row index, the (check, reason) pairs."""

    run: DqRun
    failed_rows: dict[int, list[tuple[str, str]]]


# --- the Great Expectations context --------------------------------------------------------------

_contexts: dict[str, AbstractDataContext] = {}
_lock = threading.Lock()


def gx_home(settings: Settings | None = None) -> Path:
    """Validation results and Data Docs live here (var/gx by default)."""
    return (settings or get_settings()).home / "gx"


def quality_context(settings: Settings | None = None) -> AbstractDataContext:
    """An ephemeral GX context (nothing to set up) whose validation results and Data Docs are
    files under ``gx_home``, so docs.py can build the docs from any process. One per home."""
    home = gx_home(settings)
    key = str(home)
    with _lock:
        ctx = _contexts.get(key)
        if ctx is None:
            ctx = _new_context(home)
            _contexts[key] = ctx
        return ctx


def _new_context(home: Path) -> AbstractDataContext:
    import great_expectations as gx
    from great_expectations.data_context.types.base import (
        DataContextConfig,
        InMemoryStoreBackendDefaults,
        ProgressBarsConfig,
    )

    cfg = DataContextConfig(
        store_backend_defaults=InMemoryStoreBackendDefaults(),
        progress_bars=ProgressBarsConfig(globally=False),
        analytics_enabled=False,
    )
    cfg.stores["validation_results_store"] = {
        "class_name": "ValidationResultsStore",
        "store_backend": {
            "class_name": "TupleFilesystemStoreBackend",
            "base_directory": str(home / "validations"),
        },
    }
    cfg.data_docs_sites = {
        "local_site": {
            "class_name": "SiteBuilder",
            "show_how_to_buttons": False,
            "store_backend": {
                "class_name": "TupleFilesystemStoreBackend",
                "base_directory": str(home / "data_docs"),
            },
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
        }
    }
    ctx = gx.get_context(project_config=cfg, mode="ephemeral")
    ctx.data_sources.add_pandas("postwatch")
    return ctx


def _validation_definition(ctx: AbstractDataContext, suite: ExpectationSuite) -> Any:
    import great_expectations as gx

    ds = ctx.data_sources.get("postwatch")
    try:
        asset = ds.get_asset(suite.name)
    except LookupError:
        asset = ds.add_dataframe_asset(suite.name)
    try:
        bd = asset.get_batch_definition("batch")
    except KeyError:
        bd = asset.add_batch_definition_whole_dataframe("batch")
    saved = ctx.suites.add_or_update(suite)
    return ctx.validation_definitions.add_or_update(
        gx.ValidationDefinition(name=suite.name, data=bd, suite=saved)
    )


# --- running a suite -------------------------------------------------------------------------------


class _Lenient(string.Formatter):
    """Reasons must never fail to render: a missing or unformattable value shows as ``?``."""

    def get_value(self, key: Any, args: Sequence[Any], kwargs: Mapping[str, Any]) -> Any:
        return kwargs.get(key) if isinstance(key, str) else super().get_value(key, args, kwargs)

    def format_field(self, value: Any, format_spec: str) -> str:
        if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NaT:
            return "?"
        try:
            return super().format_field(value, format_spec)
        except (ValueError, TypeError):
            return str(value)


_fmt = _Lenient()


def render(template: str, values: Mapping[str, Any]) -> str:
    return _fmt.format(template, **values)


def _plain(v: Any) -> Any:
    if isinstance(v, float) and v.is_integer():
        return int(v)
    return v


def _observed(res: Any) -> str | None:
    r = res.result or {}
    if "observed_value" in r and r["observed_value"] is not None:
        return str(r["observed_value"])
    if "unexpected_count" in r and r.get("element_count") is not None:
        return f"{r['unexpected_count']} of {r['element_count']} rows unexpected"
    return None


def run_suite(
    suite: ExpectationSuite,
    frame: pd.DataFrame,
    *,
    run_id: str | None,
    trigger: str,
    source_id: str | None = None,
    settings: Settings | None = None,
) -> Outcome:
    """Validate ``frame`` (RangeIndex) with ``suite``; results per expectation and per source."""
    from great_expectations.core.run_identifier import RunIdentifier

    started = datetime.now(UTC)
    t0 = time.perf_counter()
    vd = _validation_definition(quality_context(settings), suite)
    run_name = f"{trigger}.{run_id or 'adhoc'}.{source_id or 'all'}"
    res: ExpectationSuiteValidationResult = vd.run(
        batch_parameters={"dataframe": frame},
        result_format=RESULT_FORMAT,
        run_id=RunIdentifier(run_name=run_name, run_time=started),
    )
    failed: dict[int, list[tuple[int, str, str]]] = defaultdict(list)
    results: list[DqResult] = []
    by_source = source_id is None and "source_id" in frame.columns
    sources = frame["source_id"] if by_source else None
    for r in res.results:
        cfg = r.expectation_config
        meta = CheckMeta.of(cfg.meta)
        if r.exception_info and r.exception_info.get("raised_exception"):
            raise QualityError(
                f"{suite.name}: {cfg.type} ({meta.check}) could not be evaluated: "
                f"{r.exception_info.get('exception_message')}"
            )
        column = cfg.kwargs.get("column") or ",".join(
            cfg.kwargs.get("column_list") or [cfg.kwargs.get("column_A", ""), cfg.kwargs.get("column_B", "")]
        )
        idx = [int(i) for i in (r.result or {}).get("unexpected_index_list") or []]
        extras = {
            k: v for k, v in (cfg.meta or {}).items() if k not in ("check", "reason", "severity", "order")
        }
        order = int((cfg.meta or {}).get("order", 0))
        reasons: dict[int, str] = {}
        if idx:
            rows = frame.iloc[idx].to_dict("records")
            for i, row in zip(idx, rows, strict=True):
                reasons[i] = render(meta.reason, {**extras, **{k: _plain(v) for k, v in row.items()}})
                failed[i].append((order, meta.check, reasons[i]))
        if by_source and sources is not None:
            totals = sources.value_counts(dropna=False)
            bad = sources.iloc[idx].value_counts(dropna=False) if idx else pd.Series(dtype=int)
            for sid, total in totals.items():
                n_bad = int(bad.get(sid, 0))
                example = next((reasons[i] for i in idx if sources.iloc[i] == sid), None)
                results.append(
                    _result(suite.name, meta, cfg.type, column, _sid(sid), int(total), n_bad, example)
                )
        else:
            element = (r.result or {}).get("element_count")
            n_bad = (r.result or {}).get("unexpected_count")
            example = reasons[idx[0]] if idx else None
            res_row = _result(suite.name, meta, cfg.type, column, source_id, element, n_bad, example)
            res_row.success = bool(r.success)
            res_row.observed_value = _observed(r)
            if not r.success and not example:
                res_row.message = f"{meta.check} failed: observed {res_row.observed_value}"
            results.append(res_row)
    finished = datetime.now(UTC)
    run = DqRun(
        suite=suite.name,
        run_id=run_id,
        trigger=trigger,
        source_id=source_id,
        started_at=started,
        finished_at=finished,
        rows_checked=len(frame),
        rows_failed=len(failed),
        success=bool(res.success),
        gx_result=f"{suite.name}/{run_name}/{started.isoformat()}",
        results=results,
    )
    log.info(
        "%s on %d rows (%s): %d failing rows, %.2fs",
        suite.name,
        len(frame),
        source_id or "all sources",
        len(failed),
        time.perf_counter() - t0,
    )
    return Outcome(run, {i: [(c, r) for _, c, r in sorted(v)] for i, v in failed.items()})


def _sid(v: Any) -> str | None:
    return None if v is None or (isinstance(v, float) and np.isnan(v)) else str(v)


def _result(
    suite: str,
    meta: CheckMeta,
    gx_type: str,
    column: str | None,
    source_id: str | None,
    element: int | None,
    unexpected: int | None,
    example: str | None,
) -> DqResult:
    ok = not unexpected
    msg = None
    if not ok:
        msg = example if unexpected == 1 else f"{unexpected} rows; e.g. {example}"
    return DqResult(
        suite=suite,
        expectation=meta.check,
        expectation_type=gx_type,
        column_name=column or None,
        source_id=source_id,
        severity=meta.severity,
        element_count=element,
        unexpected_count=unexpected,
        observed_value=None if element is None else f"{unexpected or 0} of {element} rows unexpected",
        success=ok,
        message=msg,
    )


# --- raw items ------------------------------------------------------------------------------------


def _present(v: Any) -> Any:
    """Blank is absent: a parser that found ``""`` found nothing."""
    if v is None:
        return None
    if isinstance(v, str):
        return v if v.strip() else None
    return str(v)


def raw_frame(items: Sequence[RawItem]) -> pd.DataFrame:
    return pd.DataFrame(
        {c: pd.Series([_present(getattr(it, c)) for it in items], dtype=object) for c in RAW_COLUMNS}
    )


def record_json(raw: RawItem) -> str:
    """The raw item as quarantine.record keeps it (the format normalize_item writes)."""
    d = asdict(raw)
    d["fetched_at"] = raw.fetched_at.isoformat() if raw.fetched_at else None
    return json.dumps(d, ensure_ascii=False, default=str)


@dataclass
class RawValidation:
    ok: list[RawItem]
    rejected: list[Rejected]
    run: DqRun | None


def validate_raw(
    source: Source,
    items: Sequence[RawItem],
    *,
    run_id: str | None,
    trigger: str = "collect",
    settings: Settings | None = None,
) -> RawValidation:
    """Required fields per platform. Items a parser already marked as unreadable (``problem``)
    pass through: normalization quarantines them with the parser's reason."""
    checkable = [it for it in items if not it.problem]
    if not checkable:
        return RawValidation(list(items), [], None)
    out = run_suite(
        suites.raw_items_suite(source.platform.value),
        raw_frame(checkable),
        run_id=run_id,
        trigger=trigger,
        source_id=source.id,
        settings=settings,
    )
    bad = out.failed_rows
    rejected = [
        Rejected(
            it.source_id,
            it.platform,
            it.item_id,
            "validate",
            "; ".join(r for _, r in bad[i]),
            record_json(it),
            it.landing_ref,
            bad[i][0][0],
        )
        for i, it in enumerate(checkable)
        if i in bad
    ]
    ok = [it for it in items if it.problem] + [it for i, it in enumerate(checkable) if i not in bad]
    return RawValidation(ok, rejected, out.run)


# --- normalized posts -----------------------------------------------------------------------------

_DICT_COLUMNS = ("platform", "source_id", "unit_id", "kind", "lang")
_COUNT_COLUMNS = ("likes", "comments", "shares", "views")
_US = pa.timestamp("us", tz="UTC")


def superseded(batch: pa.Table) -> np.ndarray:
    """True for each copy of a post the load will drop for a later one in the same batch
    (same order as stage_latest.sql: updated or published time, then fetch time, then arrival).

    Copies that tie with the latest on both times but differ in content are *not* superseded:
    nothing says which one is true, so both stay and fail the uniqueness expectation (quarantined)
    instead of the arrival order picking one silently. Identical copies are plain duplicates.
    """
    n = batch.num_rows
    if n == 0:
        return np.zeros(0, dtype=bool)
    when = pc.coalesce(batch["updated_at"], batch["published_at"])
    keyed = pa.table(
        {
            "platform": batch["platform"],
            "post_id": batch["post_id"],
            "when": when,
            "fetched_at": batch["fetched_at"],
            "seq": batch["seq"],
        }
    )
    order = pc.sort_indices(
        keyed,
        sort_keys=[
            ("platform", "ascending", "at_end"),
            ("post_id", "ascending", "at_end"),
            ("when", "descending", "at_end"),
            ("fetched_at", "descending", "at_end"),
            ("seq", "descending", "at_end"),
        ],
    )
    plat = pc.take(keyed["platform"], order)
    pid = pc.take(keyed["post_id"], order)
    same = pc.and_(pc.equal(plat[1:], plat[:-1]), pc.equal(pid[1:], pid[:-1]))
    same = np.concatenate([[False], pc.fill_null(same, False).to_numpy(zero_copy_only=False)])
    if not same.any():
        return np.zeros(n, dtype=bool)
    # position of each copy's group head (the copy the load keeps)
    pos = np.arange(n)
    head = np.maximum.accumulate(np.where(same, 0, pos))
    idx = order.to_numpy()
    t_when = _as_int(pc.take(when, order))
    t_fetch = _as_int(pc.take(keyed["fetched_at"], order))
    content = pc.take(batch["content_hash"], order).to_numpy(zero_copy_only=False)
    tie = same & (t_when == t_when[head]) & (t_fetch == t_fetch[head]) & (content != content[head])
    flags = np.zeros(n, dtype=bool)
    flags[idx] = same & ~tie
    return flags


def _as_int(col: pa.ChunkedArray | pa.Array) -> np.ndarray:
    """Timestamps as int64 microseconds, null as the minimum (nulls tie with nulls)."""
    return pc.fill_null(col.cast(_US).cast(pa.int64()), np.iinfo(np.int64).min).to_numpy(zero_copy_only=False)


def _source_start(registry: Registry) -> dict[str, np.datetime64]:
    out: dict[str, np.datetime64] = {}
    for s in registry.sources:
        if s.since:
            out[s.id] = np.datetime64(date.fromisoformat(s.since[:10]), "us")
    return out


def posts_frame(batch: pa.Table, registry: Registry) -> pd.DataFrame:
    """What the normalized_posts suite reads, built from the load's Arrow batch (BATCH_SCHEMA):
    categoricals for low-cardinality columns, ``title_chars``/``text_chars`` for the texts,
    ``published_limit`` = fetched_at + tolerance, ``source_start`` from sources.yaml ``since``,
    ``superseded`` for in-batch duplicates."""
    tolerance = pa.scalar(suites.FUTURE_TOLERANCE_MIN * 60 * 1_000_000, pa.duration("us"))
    fetched = batch["fetched_at"].cast(_US)
    cols: dict[str, Any] = {c: pc.dictionary_encode(batch[c]) for c in _DICT_COLUMNS}
    cols.update(
        {
            "post_id": batch["post_id"],
            "url": batch["url"],
            "title_chars": pc.fill_null(pc.utf8_length(batch["title"]), 0).cast(pa.int64()),
            "text_chars": pc.fill_null(pc.utf8_length(batch["text"]), 0).cast(pa.int64()),
            "published_at": batch["published_at"].cast(_US),
            "published_limit": pc.add(fetched, tolerance),
        }
    )
    for c in _COUNT_COLUMNS:
        cols[c] = batch[c].cast(pa.float64())  # numpy floats: GX compares them vectorised
    df = pa.table(cols).to_pandas(types_mapper={pa.string(): pd.StringDtype("pyarrow")}.get)
    starts = _source_start(registry)
    src = df["source_id"]
    lookup = np.array(
        [starts.get(str(c), np.datetime64("NaT", "us")) for c in src.cat.categories]
        + [np.datetime64("NaT", "us")],
        dtype="datetime64[us]",
    )
    df["source_start"] = pd.Series(lookup[src.cat.codes.to_numpy()], index=df.index).dt.tz_localize("UTC")
    df["superseded"] = superseded(batch)
    return df


@dataclass
class PostsValidation:
    good: pa.Table
    rejected: list[Rejected]
    run: DqRun | None
    superseded: int = 0


def validate_posts(
    batch: pa.Table,
    registry: Registry,
    *,
    raws: Sequence[RawItem] | None = None,
    run_id: str | None,
    trigger: str = "collect",
    source_id: str | None = None,
    settings: Settings | None = None,
) -> PostsValidation:
    """Validate a normalized batch (the load's Arrow table). ``raws[i]`` is the raw item row i
    came from: a quarantined row keeps the raw record, so ``quarantine release`` can re-normalize it."""
    if batch.num_rows == 0:
        return PostsValidation(batch, [], None)
    frame = posts_frame(batch, registry)
    out = run_suite(
        suites.posts_suite([s.id for s in registry.sources], [u.id for u in registry.units]),
        frame,
        run_id=run_id,
        trigger=trigger,
        source_id=source_id,
        settings=settings,
    )
    bad = out.failed_rows
    rejected: list[Rejected] = []
    if bad:
        cols = ("source_id", "platform", "post_id", "landing_ref")
        picked = batch.select(list(cols)).take(pa.array(sorted(bad))).to_pylist()
        for i, row in zip(sorted(bad), picked, strict=True):
            record = record_json(raws[i]) if raws is not None else _row_json(batch, i)
            rejected.append(
                Rejected(
                    row["source_id"] or source_id or "unknown",
                    row["platform"] or "unknown",
                    row["post_id"],
                    "validate",
                    "; ".join(r for _, r in bad[i]),
                    record,
                    row["landing_ref"] or "",
                    bad[i][0][0],
                )
            )
    mask = np.ones(batch.num_rows, dtype=bool)
    if bad:
        mask[list(bad)] = False
    good = batch.filter(pa.array(mask)) if bad else batch
    return PostsValidation(good, rejected, out.run, int(frame["superseded"].sum()))


def _row_json(batch: pa.Table, i: int) -> str:
    row = batch.slice(i, 1).to_pylist()[0]
    row.pop("seq", None)
    return json.dumps(row, ensure_ascii=False, default=str)


# --- storing results ------------------------------------------------------------------------------

_RUN_SCHEMA = pa.schema(
    [
        ("dq_run_id", pa.string()),
        ("run_id", pa.string()),
        ("trigger", pa.string()),
        ("suite", pa.string()),
        ("source_id", pa.string()),
        ("started_at", _US),
        ("finished_at", _US),
        ("rows_checked", pa.int64()),
        ("rows_failed", pa.int64()),
        ("success", pa.bool_()),
        ("gx_result", pa.string()),
    ]
)
_RESULT_SCHEMA = pa.schema(
    [
        ("dq_run_id", pa.string()),
        ("suite", pa.string()),
        ("expectation", pa.string()),
        ("expectation_type", pa.string()),
        ("column_name", pa.string()),
        ("source_id", pa.string()),
        ("severity", pa.string()),
        ("element_count", pa.int64()),
        ("unexpected_count", pa.int64()),
        ("observed_value", pa.string()),
        ("success", pa.bool_()),
        ("message", pa.string()),
    ]
)


def runs_to_arrow(runs: Sequence[DqRun]) -> tuple[pa.Table, pa.Table]:
    run_rows = [{k: getattr(r, k) for k in _RUN_SCHEMA.names} for r in runs]
    res_rows = [{"dq_run_id": r.dq_run_id, **asdict(x)} for r in runs for x in r.results]
    return (
        pa.Table.from_pylist(run_rows, schema=_RUN_SCHEMA),
        pa.Table.from_pylist(res_rows, schema=_RESULT_SCHEMA),
    )


def record_runs(runs: Sequence[DqRun | None], settings: Settings | None = None) -> None:
    """Store validation runs and their results in one transaction."""
    kept = [r for r in runs if r is not None]
    if not kept:
        return
    runs_tbl, results_tbl = runs_to_arrow(kept)

    def tx(con: Any) -> None:
        con.register("dq_runs_in", runs_tbl)
        con.register("dq_results_in", results_tbl)
        con.execute(sql("dq_insert_runs"))
        con.execute(sql("dq_insert_results"), {"now": datetime.now(UTC)})
        con.unregister("dq_runs_in")
        con.unregister("dq_results_in")

    writer(tx, settings)
