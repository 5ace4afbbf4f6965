"""Source-health incidents: a source that breaks (token expired or revoked, failed polls in a row,
gone stale) opens one incident; the data officer is mailed once when it opens and once when it
closes, never on every poll. A mail that could not be sent is retried on the next check (an
incident waits at most a day for its recovery mail), and the error is kept on the incident.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from postwatch.normalize.times import VN_FIXED
from postwatch.quality.policy import CheckPolicy, NotifyConfig, load_notify, load_policy
from postwatch.report.mail import SmtpSettings, address, build_message, send
from postwatch.settings import Settings
from postwatch.warehouse.db import read_query, writer
from postwatch.warehouse.sqlfiles import sql

log = logging.getLogger(__name__)

RECOVERY_MAIL_WINDOW = timedelta(days=1)
Sender = Callable[[EmailMessage], Any]


@dataclass
class Incident:
    incident_id: str
    source_id: str
    kind: str
    message: str | None
    opened_at: datetime
    last_seen_at: datetime
    closed_at: datetime | None
    polls: int
    notified_open_at: datetime | None = None
    notified_close_at: datetime | None = None


def diagnose(row: Any, policy: CheckPolicy) -> tuple[str, str] | None:
    """(cause, detail) when the source is broken, else None. Causes in order of urgency."""
    status = getattr(row, "status", None)
    message = getattr(row, "message", None) or ""
    failures = getattr(row, "consecutive_failures", None)
    intervals = getattr(row, "intervals_since_success", None)
    if status == "auth_failed":
        return "auth_failed", message or "the platform refused the token"
    if failures is not None and not pd.isna(failures) and int(failures) >= policy.incidents.repeated_errors:
        return "repeated_errors", f"{int(failures)} failed polls in a row ({status}): {message}".rstrip(": ")
    if intervals is not None and not pd.isna(intervals) and float(intervals) > policy.stale.intervals:
        hours = float(getattr(row, "hours_since_success", 0.0) or 0.0)
        return "stale", f"no successful fetch for {hours:.1f} h ({float(intervals):.1f} poll intervals)"
    return None


def _incidents(query: str, params: dict[str, Any], settings: Settings | None) -> list[Incident]:
    cols, rows = read_query(sql(query), params, settings)
    return [Incident(**dict(zip(cols, r, strict=True))) for r in rows]


def open_incidents(settings: Settings | None = None) -> list[Incident]:
    return _incidents("dq_open_incidents", {}, settings)


@dataclass
class HealthReport:
    opened: list[Incident] = field(default_factory=list)
    closed: list[Incident] = field(default_factory=list)
    ongoing: list[Incident] = field(default_factory=list)
    mailed: list[str] = field(default_factory=list)  # "opened:<source>" / "closed:<source>"
    mail_errors: list[str] = field(default_factory=list)


def update_incidents(
    metrics: pd.DataFrame, *, now: datetime, policy: CheckPolicy, settings: Settings | None = None
) -> HealthReport:
    """Open, touch or close one incident per source in ``metrics`` (one transaction)."""
    diagnoses = {r.source_id: diagnose(r, policy) for r in metrics.itertuples(index=False)}

    def tx(con: Any) -> HealthReport:
        report = HealthReport()
        cur = con.execute(sql("dq_open_incidents"))
        cols = [d[0] for d in cur.description]
        current = {row[1]: Incident(**dict(zip(cols, row, strict=True))) for row in cur.fetchall()}
        for sid, diag in diagnoses.items():
            inc = current.get(sid)
            if diag and inc is None:
                cause, detail = diag
                inc = Incident(uuid.uuid4().hex, sid, cause, detail, now, now, None, 1)
                con.execute(
                    sql("dq_insert_incident"),
                    {
                        "incident_id": inc.incident_id,
                        "source_id": sid,
                        "kind": cause,
                        "message": detail,
                        "now": now,
                    },
                )
                report.opened.append(inc)
            elif diag and inc is not None:
                con.execute(
                    sql("dq_touch_incident"), {"incident_id": inc.incident_id, "message": diag[1], "now": now}
                )
                inc.polls += 1
                inc.last_seen_at = now
                report.ongoing.append(inc)
            elif inc is not None:
                con.execute(sql("dq_close_incident"), {"incident_id": inc.incident_id, "now": now})
                inc.closed_at = now
                report.closed.append(inc)
        return report

    return writer(tx, settings)


@cache
def _env() -> Environment:
    return Environment(
        loader=FileSystemLoader(Path(__file__).parent / "templates"),
        autoescape=select_autoescape(["html", "html.j2"]),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )


def _local(ts: datetime | None) -> str:
    return ts.astimezone(VN_FIXED).strftime("%H:%M %d/%m/%Y") if ts else "?"


def incident_message(
    inc: Incident, event: str, *, source_name: str, notify: NotifyConfig, sender: str
) -> EmailMessage:
    """The mail for one incident event (``opened`` or ``closed``), in Vietnamese."""
    ctx = {
        "prefix": notify.subject_prefix,
        "officer_name": notify.officer.name,
        "event": {
            "kind": event,
            "source_id": inc.source_id,
            "source_name": source_name,
            "cause": inc.kind,
            "message": inc.message,
            "opened_at_local": _local(inc.opened_at),
            "closed_at_local": _local(inc.closed_at),
            "polls": inc.polls,
        },
    }
    txt = _env().get_template("incident.txt.j2")
    subject = "".join(txt.blocks["subject"](txt.new_context(ctx))).strip()
    body = "".join(txt.blocks["body"](txt.new_context(ctx))).strip() + "\n"
    html = _env().get_template("incident.html.j2").render(ctx)
    return build_message(
        subject=subject,
        sender=sender,
        to=[address(notify.officer.name, str(notify.officer.email))],
        cc=[address(p.name, str(p.email)) for p in notify.cc],
        text=body,
        html=html,
    )


def notify_pending(
    report: HealthReport,
    *,
    now: datetime,
    names: dict[str, str],
    notify: NotifyConfig | None,
    smtp: SmtpSettings | None,
    settings: Settings | None = None,
    deliver: Sender | None = None,
) -> None:
    """Mail every incident whose opening or recovery has not been mailed yet."""
    pending = _incidents("dq_pending_notifications", {"since": now - RECOVERY_MAIL_WINDOW}, settings)
    if not pending:
        return
    problem = None
    if notify is None:
        problem = "no include/config/notify.yaml: nobody to tell"
    elif smtp is None and deliver is None:
        problem = "SMTP is not configured (Airflow connection smtp_default or POSTWATCH_SMTP_HOST)"
    for inc in pending:
        event = "closed" if inc.closed_at is not None else "opened"
        if problem is not None:
            _mark(inc, error=problem, now=now, settings=settings)
            report.mail_errors.append(f"{event}:{inc.source_id}: {problem}")
            continue
        assert notify is not None
        sender = smtp.sender if smtp is not None else SmtpSettings.sender
        msg = incident_message(
            inc, event, source_name=names.get(inc.source_id, inc.source_id), notify=notify, sender=sender
        )
        try:
            if deliver is not None:
                deliver(msg)
            else:
                assert smtp is not None
                send(msg, smtp)
        except Exception as exc:  # a mail server problem must not fail the checks
            err = f"{type(exc).__name__}: {exc}"
            log.warning("could not mail the %s incident of %s: %s", event, inc.source_id, err)
            _mark(inc, error=err, now=now, settings=settings)
            report.mail_errors.append(f"{event}:{inc.source_id}: {err}")
            continue
        _mark(inc, event=event, now=now, settings=settings)
        report.mailed.append(f"{event}:{inc.source_id}")


def _mark(
    inc: Incident,
    *,
    now: datetime,
    settings: Settings | None,
    event: str | None = None,
    error: str | None = None,
) -> None:
    params = {
        "incident_id": inc.incident_id,
        "opened": event == "opened",
        "closed": event == "closed",
        "error": error,
        "now": now,
    }
    writer(lambda con: con.execute(sql("dq_mark_notified"), params), settings)


def track_health(
    metrics: pd.DataFrame,
    *,
    now: datetime | None = None,
    policy: CheckPolicy | None = None,
    settings: Settings | None = None,
    smtp: SmtpSettings | None = None,
    notify: NotifyConfig | None = None,
    deliver: Sender | None = None,
) -> HealthReport:
    """Update incidents from the sources' metrics, then send the mails that are due."""
    now = now or datetime.now(UTC)
    policy = policy or load_policy(settings)
    notify = notify if notify is not None else load_notify(settings)
    report = update_incidents(metrics, now=now, policy=policy, settings=settings)
    names = {r.source_id: r.name for r in metrics.itertuples(index=False)}
    notify_pending(report, now=now, names=names, notify=notify, smtp=smtp, settings=settings, deliver=deliver)
    for inc in report.opened:
        log.warning("source %s broke (%s): %s", inc.source_id, inc.kind, inc.message)
    for inc in report.closed:
        log.info("source %s recovered (was %s since %s)", inc.source_id, inc.kind, inc.opened_at)
    return report
