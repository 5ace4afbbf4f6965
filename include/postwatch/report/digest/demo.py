"""The demo's last step: mail the digest of a day to a local SMTP server and keep what arrived."""

from __future__ import annotations

import base64
from datetime import date
from email.message import EmailMessage

from postwatch.report.digest.deliver import build_digest, send_digest
from postwatch.report.digest.inbox import LocalInbox
from postwatch.report.mail import SmtpSettings
from postwatch.settings import get_settings
from postwatch.warehouse.migrate import migrate


def deliver_demo_digest(day: date | str) -> dict[str, str]:
    """Build the digest of ``day``, send it (forced) to aiosmtpd on a free 127.0.0.1 port, and store
    the message as received (.eml) and its HTML part under var/demo/mail/. Returns the paths."""
    day = date.fromisoformat(day) if isinstance(day, str) else day
    settings = get_settings()
    migrate(settings)
    out_dir = settings.home / "demo" / "mail"
    out_dir.mkdir(parents=True, exist_ok=True)
    with LocalInbox() as inbox:
        smtp = SmtpSettings(
            host=inbox.host, port=inbox.port, starttls=False, sender="PostWatch <postwatch@sonha.gov.vn>",
            retries=1,
        )  # fmt: skip
        stored = build_digest(day, force=True, sender=smtp.sender, settings=settings)
        result = send_digest(day, smtp, settings=settings)
    if not result.sent or not inbox.received:
        raise RuntimeError(f"the digest of {day} did not reach the local SMTP server: {result.reason}")
    got = inbox.received[-1]
    eml = out_dir / f"digest-{day.isoformat()}.eml"
    eml.write_bytes(got.raw)
    html_part = got.message.get_body(preferencelist=("html",))
    html = out_dir / f"digest-{day.isoformat()}.html"
    html.write_text(
        _inline_images(got.message, html_part.get_content()) if html_part else "", encoding="utf-8"
    )
    return {
        "received_eml": str(eml),
        "received_html": str(html),
        "stored_eml": str(stored.eml_path),
        "stored_html": str(stored.html_path),
        "chart_png": str(stored.chart_path),
        "recipients": ", ".join(got.rcpt_tos),
    }


def _inline_images(message: EmailMessage, html: str) -> str:
    """The HTML copy opened from disk has no MIME parts around it: turn cid: images into data: URIs."""
    for part in message.walk():
        cid = (part.get("Content-ID") or "").strip("<>")
        if cid and part.get_content_maintype() == "image":
            data = base64.b64encode(part.get_payload(decode=True)).decode("ascii")
            html = html.replace(f"cid:{cid}", f"data:{part.get_content_type()};base64,{data}")
    return html
