"""Build, store and send the digest of one local day, once.

The digest is stored before it is sent (var/digests/<day>/digest.html, .txt, .eml, trend.png and a
row in table ``digests``), so a mail server that is down loses nothing: the next attempt sends the
stored .eml. A digest counts as pending while it has not been sent since it was built; a re-run for
a day already sent neither rebuilds nor sends, unless forced (then it is rebuilt and sent again).
"""

from __future__ import annotations

import email
import logging
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime
from email import policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from postwatch.report.digest.config import MailConfig, load_config
from postwatch.report.digest.data import gather
from postwatch.report.digest.render import render
from postwatch.report.mail import InlineImage, SmtpSettings, build_message, send
from postwatch.settings import Settings, get_settings
from postwatch.warehouse.db import read_query, writer
from postwatch.warehouse.sqlfiles import sql

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class StoredDigest:
    day: date
    subject: str
    recipients: list[str]
    directory: Path
    eml_path: Path
    html_path: Path
    text_path: Path
    chart_path: Path
    built_at: datetime
    sent_at: datetime | None
    sends: int
    dry_run: bool
    rebuilt: bool  # False when the stored digest was kept (already sent, not forced)

    @property
    def pending(self) -> bool:
        """Not sent since it was built (a dry run is never pending)."""
        return not self.dry_run and (self.sent_at is None or self.sent_at < self.built_at)

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        return {k: (str(v) if isinstance(v, (Path, date, datetime)) else v) for k, v in out.items()}


@dataclass(frozen=True)
class SendResult:
    day: date
    sent: bool
    reason: str
    recipients: list[str]
    refused: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "day": self.day.isoformat()}


def digest_dir(day: date, settings: Settings | None = None) -> Path:
    return (settings or get_settings()).home / "digests" / day.isoformat()


def _record(day: date, settings: Settings | None) -> dict[str, Any] | None:
    cols, rows = read_query(sql("digest_get"), {"day": day}, settings)
    return dict(zip(cols, rows[0], strict=True)) if rows else None


def _stored(rec: dict[str, Any], settings: Settings | None, rebuilt: bool) -> StoredDigest:
    folder = digest_dir(rec["day"], settings)
    return StoredDigest(
        day=rec["day"],
        subject=rec["subject"],
        recipients=list(rec["recipients"] or []),
        directory=folder,
        eml_path=Path(rec["eml_path"]),
        html_path=folder / "digest.html",
        text_path=folder / "digest.txt",
        chart_path=folder / "trend.png",
        built_at=rec["built_at"],
        sent_at=rec["sent_at"],
        sends=rec["sends"],
        dry_run=rec["dry_run"],
        rebuilt=rebuilt,
    )


def stored_digest(day: date, settings: Settings | None = None) -> StoredDigest | None:
    rec = _record(day, settings)
    return _stored(rec, settings, rebuilt=False) if rec else None


def _write(path: Path, data: bytes) -> None:
    """Write via a temporary file and rename, so a crash never leaves half a digest."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(path)


def build_digest(
    day: date,
    *,
    recipients: Sequence[str] | None = None,
    force: bool = False,
    dry_run: bool = False,
    sender: str = SmtpSettings.sender,
    now: datetime | None = None,
    config: MailConfig | None = None,
    settings: Settings | None = None,
) -> StoredDigest:
    """Render the digest of ``day`` and store it; keep the stored one if it was already sent."""
    existing = _record(day, settings)
    if existing and existing["sent_at"] is not None and not force:
        log.info("digest of %s was sent at %s; keeping it (force to rebuild and send again)",
                 day, existing["sent_at"])  # fmt: skip
        return _stored(existing, settings, rebuilt=False)
    cfg = (config or load_config(settings)).digest
    now = now or datetime.now(UTC)
    data = gather(day, cfg, settings)
    out = render(data, prefix=cfg.subject_prefix, generated_at=now)
    to = list(recipients) if recipients else [p.header() for p in cfg.recipients]
    cc = [] if recipients else [p.header() for p in cfg.cc]
    msg = build_message(
        subject=out.subject,
        sender=sender,
        to=to,
        cc=cc,
        text=out.text,
        html=out.html,
        images=[InlineImage(out.chart_cid, out.chart_png, "png", "bieu-do-14-ngay.png")],
    )
    folder = digest_dir(day, settings)
    folder.mkdir(parents=True, exist_ok=True)
    _write(folder / "digest.html", out.html.encode("utf-8"))
    _write(folder / "digest.txt", out.text.encode("utf-8"))
    _write(folder / "trend.png", out.chart_png)
    _write(folder / "digest.eml", msg.as_bytes())

    def tx(con: Any) -> None:
        con.execute(sql("digest_delete"), {"day": day})
        con.execute(
            sql("digest_insert"),
            {
                "day": day,
                "built_at": now,
                "sent_at": existing["sent_at"] if existing else None,
                "sends": existing["sends"] if existing else 0,
                "recipients": to + cc,
                "subject": out.subject,
                "message_id": str(msg["Message-ID"]),
                "eml_path": str(folder / "digest.eml"),
                "dry_run": dry_run,
            },
        )

    writer(tx, settings)
    log.info("digest of %s stored in %s (%d relevant posts)", day, folder, data.total)
    return _stored(_record(day, settings) or {}, settings, rebuilt=True)


def load_eml(path: Path) -> EmailMessage:
    with path.open("rb") as fh:
        msg = email.message_from_binary_file(fh, policy=policy.SMTP)
    assert isinstance(msg, EmailMessage)
    return msg


def send_digest(
    day: date, smtp: SmtpSettings | None, *, now: datetime | None = None, settings: Settings | None = None
) -> SendResult:
    """Send the stored digest of ``day`` if it is pending; errors propagate so the task retries."""
    stored = stored_digest(day, settings)
    if stored is None:
        raise LookupError(f"no digest stored for {day}: build it first (postwatch digest build --date {day})")
    if stored.dry_run:
        return SendResult(day, False, "dry run: stored, not sent", stored.recipients, {})
    if not stored.pending:
        return SendResult(
            day, False, f"already sent at {stored.sent_at:%Y-%m-%d %H:%M} UTC", stored.recipients, {}
        )
    if smtp is None:
        raise RuntimeError("no SMTP settings: set the Airflow connection smtp_default or POSTWATCH_SMTP_HOST")
    msg = load_eml(stored.eml_path)
    refused = send(msg, smtp)
    sent_at = now or datetime.now(UTC)
    writer(lambda con: con.execute(sql("digest_mark_sent"), {"day": day, "sent_at": sent_at}), settings)
    return SendResult(day, True, "sent", stored.recipients, {k: list(v) for k, v in refused.items()})
