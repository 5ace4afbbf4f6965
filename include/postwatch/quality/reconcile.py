"""Nothing is dropped silently: every item a parser produced is loaded, quarantined, or counted as a
superseded in-batch duplicate. Checked by Great Expectations on a one-row-per-source frame, right
after each load (``reconcile_load``), and for history from the landing files (history.py)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from postwatch.quality import suites
from postwatch.quality.validate import DqRun, run_suite
from postwatch.settings import Settings
from postwatch.warehouse.load import LoadCounts


@dataclass(frozen=True)
class Accounting:
    """Where the items of one source's batch went."""

    source_id: str
    fetched: int  # items the parser produced (counted before any check)
    loaded: int  # new + changed + unchanged (as the load classified them)
    quarantined: int
    duplicates: int

    @classmethod
    def of(cls, source_id: str, fetched: int, counts: LoadCounts) -> Accounting:
        return cls(
            source_id,
            fetched,
            counts.new + counts.changed + counts.unchanged,
            counts.quarantined,
            counts.duplicates,
        )

    @property
    def accounted(self) -> int:
        return self.loaded + self.quarantined + self.duplicates


def reconcile_load(
    accounts: list[Accounting],
    *,
    run_id: str | None,
    trigger: str = "collect",
    severity: str = "fail",
    settings: Settings | None = None,
) -> DqRun:
    """fetched = loaded + quarantined + duplicates, per source (one GX run for all of them)."""
    frame = pd.DataFrame(
        [
            {
                "source_id": a.source_id,
                "fetched": a.fetched,
                "loaded": a.loaded,
                "quarantined": a.quarantined,
                "duplicates": a.duplicates,
                "accounted": a.accounted,
                "lost": a.fetched - a.accounted,
            }
            for a in accounts
        ]
    )
    single = accounts[0].source_id if len(accounts) == 1 else None
    out = run_suite(
        suites.load_reconciliation_suite(severity),
        frame,
        run_id=run_id,
        trigger=trigger,
        source_id=single,
        settings=settings,
    )
    by_source = {a.source_id: a for a in accounts}
    for r in out.run.results:
        a = by_source.get(r.source_id or "") if r.source_id else accounts[0]
        if a is not None:
            r.observed_value = (
                f"fetched {a.fetched} = loaded {a.loaded} + quarantined {a.quarantined} + "
                f"duplicates {a.duplicates}"
                + ("" if a.fetched == a.accounted else f" + {a.fetched - a.accounted} lost")
            )
    return out.run
