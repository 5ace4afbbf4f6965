"""E-mail: build one multipart message (text + HTML, inline images, attachments) and send it by SMTP.

Every mail PostWatch sends (source-health alerts, the daily digest) goes through here, so
encodings (UTF-8 subjects and file names), TLS and retries are handled in one place. SMTP
settings come from the Airflow connection ``smtp_default`` (see ``airflow_glue.smtp_settings``)
or, outside Airflow, from ``POSTWATCH_SMTP_*`` environment variables.
"""

from __future__ import annotations

import logging
import os
import smtplib
import ssl
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid, parseaddr

from tenacity import Retrying, retry_if_exception, stop_after_attempt, wait_exponential

log = logging.getLogger(__name__)

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


class MailConfigError(ValueError):
    """SMTP settings that cannot work, worded for whoever set them (names the variable)."""


@dataclass(frozen=True)
class SmtpSettings:
    """How to reach the mail server. ``password`` never appears in repr() or logs."""

    host: str
    port: int = 587
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    starttls: bool = True
    ssl: bool = False  # implicit TLS (port 465); STARTTLS is ignored then
    sender: str = "PostWatch <postwatch@localhost>"
    timeout: float = 30.0
    retries: int = 3  # attempts in all, for transient failures (4xx replies, dropped connections)
    backoff: float = 2.0  # seconds before the 2nd attempt; doubles after that (capped at 60 s)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> SmtpSettings | None:
        """Settings from ``POSTWATCH_SMTP_*``; None when no host is set (mail not configured)."""
        env = os.environ if environ is None else environ
        host = (env.get("POSTWATCH_SMTP_HOST") or "").strip()
        if not host:
            return None
        return cls(
            host=host,
            port=_int(env, "POSTWATCH_SMTP_PORT", 587),
            user=env.get("POSTWATCH_SMTP_USER") or None,
            password=env.get("POSTWATCH_SMTP_PASSWORD") or None,
            starttls=_bool(env, "POSTWATCH_SMTP_STARTTLS", True),
            ssl=_bool(env, "POSTWATCH_SMTP_SSL", False),
            sender=env.get("POSTWATCH_SMTP_FROM") or cls.sender,
            timeout=float(_int(env, "POSTWATCH_SMTP_TIMEOUT", 30)),
            retries=max(1, _int(env, "POSTWATCH_SMTP_RETRIES", 3)),
        )


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = (env.get(name) or "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise MailConfigError(f"{name} must be a whole number, not {raw!r}") from None


def _bool(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = env.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise MailConfigError(f"{name} must be true or false, not {raw!r}")


@dataclass(frozen=True)
class InlineImage:
    """An image the HTML part shows with ``<img src="cid:{cid}">`` (charts in the digest)."""

    cid: str
    data: bytes
    subtype: str = "png"
    filename: str | None = None


@dataclass(frozen=True)
class Attachment:
    filename: str
    data: bytes
    mimetype: str = "application/octet-stream"


def _domain(sender: str) -> str:
    addr = parseaddr(sender)[1]
    return addr.rpartition("@")[2] or "localhost"


def build_message(
    *,
    subject: str,
    sender: str,
    to: Sequence[str],
    text: str,
    html: str | None = None,
    images: Sequence[InlineImage] = (),
    attachments: Sequence[Attachment] = (),
    cc: Sequence[str] = (),
    reply_to: str | None = None,
) -> EmailMessage:
    """multipart/alternative (text, then HTML with its related images), wrapped in
    multipart/mixed when there are attachments. Non-ASCII headers are encoded (RFC 2047/2231)."""
    if not to:
        raise ValueError("a message needs at least one recipient")
    if images and html is None:
        raise ValueError("inline images need an HTML part that refers to them by cid")
    msg = EmailMessage(policy=policy.SMTP)
    msg["Subject"] = subject
    msg["From"] = sender
    msg["To"] = ", ".join(to)
    if cc:
        msg["Cc"] = ", ".join(cc)
    if reply_to:
        msg["Reply-To"] = reply_to
    msg["Date"] = format_datetime(datetime.now(UTC))
    msg["Message-ID"] = make_msgid(domain=_domain(sender))
    msg.set_content(text, subtype="plain", charset="utf-8")
    if html is not None:
        msg.add_alternative(html, subtype="html", charset="utf-8")
        html_part = msg.get_payload()[-1]
        for img in images:
            html_part.add_related(
                img.data,
                maintype="image",
                subtype=img.subtype,
                cid=f"<{img.cid}>",
                filename=img.filename,
                disposition="inline",
            )
    for att in attachments:
        maintype, _, subtype = att.mimetype.partition("/")
        msg.add_attachment(
            att.data, maintype=maintype, subtype=subtype or "octet-stream", filename=att.filename
        )
    return msg


def _transient(exc: BaseException) -> bool:
    """Worth another attempt: 4xx replies, dropped or refused connections, timeouts."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(400 <= code < 500 for code, _ in exc.recipients.values())
    if isinstance(exc, smtplib.SMTPResponseException):
        return 400 <= exc.smtp_code < 500
    return isinstance(exc, (smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError, OSError))


def _deliver(message: EmailMessage, settings: SmtpSettings) -> dict[str, tuple[int, bytes]]:
    context = ssl.create_default_context()
    client: smtplib.SMTP
    if settings.ssl:
        client = smtplib.SMTP_SSL(settings.host, settings.port, timeout=settings.timeout, context=context)
    else:
        client = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
    with client:
        client.ehlo()
        if settings.starttls and not settings.ssl:
            client.starttls(context=context)
            client.ehlo()
        if settings.user:
            client.login(settings.user, settings.password or "")
        return client.send_message(message)


def send(message: EmailMessage, settings: SmtpSettings) -> dict[str, tuple[int, bytes]]:
    """Send with retries on transient failures; a permanent refusal (5xx) raises at once.

    Returns the recipients the server refused (empty when all were accepted).
    """
    retrying = Retrying(
        stop=stop_after_attempt(max(1, settings.retries)),
        wait=wait_exponential(multiplier=settings.backoff, max=60),
        retry=retry_if_exception(_transient),
        reraise=True,
        before_sleep=lambda rs: log.warning(
            "sending mail via %s:%s failed (%s); attempt %d of %d",
            settings.host,
            settings.port,
            rs.outcome.exception() if rs.outcome else "?",
            rs.attempt_number,
            settings.retries,
        ),
    )
    refused = retrying(_deliver, message, settings)
    log.info("mail %r sent to %s", str(message["Subject"]), message["To"])
    return refused


def address(name: str | None, email: str) -> str:
    """``Name <email>`` with the display name encoded as needed (Vietnamese names)."""
    local, _, domain = email.partition("@")
    return str(Address(display_name=name or "", username=local, domain=domain))
