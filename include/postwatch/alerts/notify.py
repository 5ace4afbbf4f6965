"""Tell people about new alerts: an e-mail (text + HTML, Vietnamese) and, when a Telegram bot is
configured, a short message to its chat. Each alert is marked notified once its mail is accepted,
so a retry after a failure never repeats the alerts already sent."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.message import EmailMessage
from typing import Any

import httpx

from postwatch.report.digest.config import AlertSection
from postwatch.report.digest.render import environment
from postwatch.report.mail import SmtpSettings, build_message, send
from postwatch.settings import Settings
from postwatch.warehouse.db import read_query, writer
from postwatch.warehouse.sqlfiles import sql

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class TelegramTarget:
    """A bot and the chat it posts to (Airflow connection ``telegram_default``)."""

    token: str = field(repr=False)
    chat_id: str
    base_url: str = "https://api.telegram.org"
    timeout: float = 15.0


def _ctx(alert: dict[str, Any], prefix: str, answer_hours: float) -> dict[str, Any]:
    return {
        "a": alert,
        "prefix": prefix,
        "reason": json.loads(alert.get("reason") or "{}"),
        "deadline": alert["first_seen_at"] + timedelta(hours=answer_hours),
    }


def _block(name: str, ctx: dict[str, Any]) -> str:
    tpl = environment().get_template("alert.txt.j2")
    return "".join(tpl.blocks[name](tpl.new_context(ctx)))


def alert_message(alert: dict[str, Any], cfg: AlertSection, sender: str) -> EmailMessage:
    ctx = _ctx(alert, cfg.subject_prefix, cfg.answer_hours)
    return build_message(
        subject=" ".join(_block("subject", ctx).split()),
        sender=sender,
        to=[p.header() for p in cfg.recipients],
        text=_block("body", ctx).strip() + "\n",
        html=environment().get_template("alert.html.j2").render(ctx),
    )


def alert_text(alert: dict[str, Any], cfg: AlertSection) -> str:
    """The plain-text alert, for chat messages."""
    ctx = _ctx(alert, cfg.subject_prefix, cfg.answer_hours)
    return " ".join(_block("subject", ctx).split()) + "\n\n" + _block("body", ctx).strip()


def send_telegram(target: TelegramTarget, text: str, client: httpx.Client | None = None) -> None:
    """Bot API sendMessage; raises on a refusal (the token never appears in the error)."""
    url = f"{target.base_url.rstrip('/')}/bot{target.token}/sendMessage"
    own = client is None
    client = client or httpx.Client(timeout=target.timeout)
    try:
        resp = client.post(url, json={"chat_id": target.chat_id, "text": text[:4000],
                                      "disable_web_page_preview": True})  # fmt: skip
    except httpx.HTTPError as exc:
        raise RuntimeError(f"Telegram unreachable: {type(exc).__name__}") from None
    finally:
        if own:
            client.close()
    if resp.status_code != 200:
        raise RuntimeError(f"Telegram refused the message: HTTP {resp.status_code} {resp.text[:200]}")


def notify_pending(
    cfg: AlertSection,
    smtp: SmtpSettings | None,
    *,
    now: datetime,
    telegram: TelegramTarget | None = None,
    deliver: Callable[[EmailMessage, SmtpSettings], Any] = send,
    settings: Settings | None = None,
) -> list[str]:
    """Send every alert not yet notified; returns their ids. Mail errors propagate (the task retries)."""
    cols, rows = read_query(sql("alerts_to_notify"), {}, settings)
    sent: list[str] = []
    if rows and smtp is None and telegram is None:
        log.warning("%d alert(s) waiting but neither SMTP nor Telegram is configured", len(rows))
        return sent
    for row in rows:
        alert = dict(zip(cols, row, strict=True))
        if smtp is not None:
            deliver(alert_message(alert, cfg, smtp.sender), smtp)
        if telegram is not None:
            try:
                send_telegram(telegram, alert_text(alert, cfg))
            except RuntimeError as exc:  # the mail went out; a chat failure is logged, not retried
                log.warning("alert %s: %s", alert["alert_id"], exc)
        params = {"alert_id": alert["alert_id"], "now": now}
        writer(lambda con, p=params: con.execute(sql("alerts_mark_notified"), p), settings)
        sent.append(alert["alert_id"])
    return sent
