"""One pass of the hot_alerts DAG: detect and record alerts at ``now``, then tell people."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from postwatch.alerts.notify import TelegramTarget, notify_pending
from postwatch.alerts.state import run_pass
from postwatch.report.digest.config import MailConfig, load_config
from postwatch.report.mail import SmtpSettings
from postwatch.settings import Settings


def hot_alerts(
    now: datetime,
    *,
    smtp: SmtpSettings | None,
    telegram: TelegramTarget | None = None,
    config: MailConfig | None = None,
    settings: Settings | None = None,
) -> dict[str, Any]:
    cfg = (config or load_config(settings)).alerts
    result = run_pass(now, cfg, settings)
    notified = notify_pending(cfg, smtp, now=now, telegram=telegram, settings=settings)
    return {**result.to_dict(), "notified": notified, "at": now.isoformat()}


def replay(
    start: datetime, end: datetime, step: timedelta, *, config: MailConfig | None = None,
    settings: Settings | None = None, seen_when_published: bool = False,
) -> list[dict[str, Any]]:  # fmt: skip
    """Detection passes from ``start`` to ``end`` every ``step``, as the schedule would have run them
    (no mail): alerts over recorded data, e.g. the demo's days.

    By default a pass sees only posts collected by its time. ``seen_when_published`` pretends
    every post was collected the moment it was published: for recorded data loaded in one go
    (the demo), where the real collection times are all "today".
    """
    cfg = (config or load_config(settings)).alerts
    seen_by = datetime(9999, 1, 1, tzinfo=UTC) if seen_when_published else None
    out, at = [], start
    while at <= end:
        out.append({**run_pass(at, cfg, settings, seen_by).to_dict(), "at": at.isoformat()})
        at += step
    return out
