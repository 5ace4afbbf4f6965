"""The data officer's decisions on suspects: confirm, dismiss, resolve; each one kept with who, when, why.

A decision updates the suspect's status and appends to ``impersonation_decisions`` in one
transaction. Repeating the decision a suspect already has changes nothing (a retried Airflow
task is harmless); a decision that makes no sense from the current status is refused with a
message saying which status it needs.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any

import duckdb

from postwatch.settings import Settings
from postwatch.warehouse.db import writer
from postwatch.warehouse.sqlfiles import sql

STATUS_OF = {"confirm": "confirmed", "dismiss": "dismissed", "resolve": "resolved"}
# Status a decision may be taken from. Resolve is for confirmed impersonation that has been dealt
# with (reported, taken down); a dismissed page is not impersonation, so there is nothing to resolve.
ALLOWED_FROM = {
    "confirmed": frozenset({"new", "dismissed", "resolved"}),
    "dismissed": frozenset({"new", "confirmed"}),
    "resolved": frozenset({"confirmed"}),
}
MIN_PREFIX = 4
_HEX = re.compile(r"^[0-9a-f]+$")


class DecisionError(ValueError):
    """A decision that cannot be recorded, worded for the officer."""


@dataclass(frozen=True)
class DecisionResult:
    suspect_id: str
    name: str | None
    previous: str
    status: str
    changed: bool
    decided_by: str
    decided_at: datetime

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["decided_at"] = self.decided_at.isoformat()
        return d


def decide(
    suspect: str,
    decision: str,
    decided_by: str,
    note: str | None = None,
    settings: Settings | None = None,
    now: datetime | None = None,
) -> DecisionResult:
    """Record ``decision`` (confirm, dismiss, resolve) on the suspect whose id starts with ``suspect``."""
    if decision not in STATUS_OF:
        raise DecisionError(f"unknown decision {decision!r}: use one of {', '.join(STATUS_OF)}")
    status = STATUS_OF[decision]
    prefix = suspect.strip().lower()
    if len(prefix) < MIN_PREFIX or not _HEX.match(prefix):
        raise DecisionError(
            f"{suspect!r} is not a suspect id: give the id (or its first {MIN_PREFIX}+ characters) "
            "from `postwatch impersonation list`"
        )
    who = (decided_by or "").strip()
    if not who:
        raise DecisionError("a decision needs the name of who made it")
    note = note.strip() if note and note.strip() else None

    def tx(con: duckdb.DuckDBPyConnection) -> DecisionResult:
        at = now or datetime.now(UTC)
        found = con.execute(sql("impersonation_find_suspect"), {"prefix": prefix}).fetchall()
        if not found:
            raise DecisionError(f"no suspect with id {suspect!r}")
        if len(found) > 1:
            ids = ", ".join(f"{r[0]} ({r[1]})" for r in found)
            raise DecisionError(f"{suspect!r} matches several suspects: {ids}; give more characters")
        sid, name, _platform, previous, score = found[0]
        if previous == status:
            return DecisionResult(sid, name, previous, status, False, who, at)
        if previous not in ALLOWED_FROM[status]:
            allowed = " or ".join(sorted(ALLOWED_FROM[status]))
            raise DecisionError(
                f"suspect {sid} ({name}) is {previous}; {decision} applies to a {allowed} suspect"
            )
        con.execute(
            sql("impersonation_set_status"),
            {"suspect_id": sid, "status": status, "decided_by": who, "decided_at": at, "note": note},
        )
        con.execute(
            sql("impersonation_insert_decision"),
            {
                "suspect_id": sid,
                "decision": status,
                "previous": previous,
                "decided_by": who,
                "decided_at": at,
                "score": score,
                "note": note,
            },
        )
        return DecisionResult(sid, name, previous, status, True, who, at)

    return writer(tx, settings)
