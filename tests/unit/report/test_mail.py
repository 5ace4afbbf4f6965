"""Mail: messages as mail clients read them, delivered to a real SMTP server on 127.0.0.1."""

from __future__ import annotations

import email
import smtplib
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from postwatch.report.mail import (
    Attachment,
    InlineImage,
    MailConfigError,
    SmtpSettings,
    address,
    build_message,
    send,
)

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Inbox:
    """An aiosmtpd handler that keeps what it receives and can refuse the first few messages."""

    refuse_first: int = 0
    refusal: str = "421 4.3.2 Service busy, try again later"
    received: list[EmailMessage] = field(default_factory=list)
    envelopes: list[Any] = field(default_factory=list)
    attempts: int = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.attempts += 1
        if self.attempts <= self.refuse_first:
            return self.refusal
        self.envelopes.append(envelope)
        self.received.append(email.message_from_bytes(envelope.original_content, policy=policy.default))
        return "250 OK"


@pytest.fixture
def smtp_server() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    port = _free_port()
    ctl = Controller(inbox, hostname="127.0.0.1", port=port)
    ctl.start()
    try:
        yield inbox, port
    finally:
        ctl.stop()


def _settings(port: int, **kw: Any) -> SmtpSettings:
    return SmtpSettings(
        host="127.0.0.1", port=port, starttls=False, sender="PostWatch <pw@sonha.gov.vn>", backoff=0, **kw
    )


def test_a_message_arrives_as_text_and_html_with_an_inline_chart_and_an_attachment(
    smtp_server: tuple[Inbox, int],
) -> None:
    inbox, port = smtp_server
    msg = build_message(
        subject="Bản tin sáng: Sở Y tế, UBND xã Tân Lập",
        sender="PostWatch <pw@sonha.gov.vn>",
        to=[address("Nguyễn Thị Lan", "lan.nt@sonha.gov.vn")],
        text="Tóm tắt hôm nay",
        html='<p>Tóm tắt</p><img src="cid:chart1">',
        images=[InlineImage("chart1", PNG, "png", "bieu-do.png")],
        attachments=[Attachment("Báo cáo tháng.csv", "nguồn,số bài\n".encode(), "text/csv")],
    )
    refused = send(msg, _settings(port))
    assert refused == {}
    [got] = inbox.received
    assert inbox.envelopes[0].rcpt_tos == ["lan.nt@sonha.gov.vn"]
    assert str(got["Subject"]) == "Bản tin sáng: Sở Y tế, UBND xã Tân Lập"
    assert got["To"].addresses[0].display_name == "Nguyễn Thị Lan"
    assert got.get_content_type() == "multipart/mixed"
    alternative, attached = got.get_payload()
    assert alternative.get_content_type() == "multipart/alternative"
    plain, related = alternative.get_payload()
    assert plain.get_content().strip() == "Tóm tắt hôm nay"
    assert related.get_content_type() == "multipart/related"
    html, image = related.get_payload()
    assert 'src="cid:chart1"' in html.get_content()
    assert image["Content-ID"] == "<chart1>"
    assert image.get_content_type() == "image/png"
    assert image.get_payload(decode=True) == PNG
    assert attached.get_filename() == "Báo cáo tháng.csv"
    assert attached.get_payload(decode=True).decode() == "nguồn,số bài\n"


def test_the_raw_subject_header_is_ascii_encoded_so_any_server_accepts_it(
    smtp_server: tuple[Inbox, int],
) -> None:
    inbox, port = smtp_server
    send(build_message(subject="Nguồn tin lỗi", sender="a@b.vn", to=["c@d.vn"], text="x"), _settings(port))
    raw = inbox.envelopes[0].original_content
    subject_line = next(line for line in raw.split(b"\r\n") if line.lower().startswith(b"subject:"))
    assert subject_line.isascii()
    assert b"=?utf-8?" in subject_line.lower()


def test_a_busy_server_is_retried_until_it_accepts(smtp_server: tuple[Inbox, int]) -> None:
    inbox, port = smtp_server
    inbox.refuse_first = 2
    send(build_message(subject="s", sender="a@b.vn", to=["c@d.vn"], text="x"), _settings(port, retries=3))
    assert inbox.attempts == 3
    assert len(inbox.received) == 1


def test_a_permanent_refusal_is_not_retried(smtp_server: tuple[Inbox, int]) -> None:
    inbox, port = smtp_server
    inbox.refuse_first = 5
    inbox.refusal = "554 5.7.1 Message rejected as spam"
    with pytest.raises(smtplib.SMTPDataError) as err:
        send(build_message(subject="s", sender="a@b.vn", to=["c@d.vn"], text="x"), _settings(port, retries=3))
    assert err.value.smtp_code == 554
    assert inbox.attempts == 1


def test_retries_give_up_after_the_configured_attempts(smtp_server: tuple[Inbox, int]) -> None:
    inbox, port = smtp_server
    inbox.refuse_first = 10
    with pytest.raises(smtplib.SMTPDataError):
        send(build_message(subject="s", sender="a@b.vn", to=["c@d.vn"], text="x"), _settings(port, retries=2))
    assert inbox.attempts == 2


def test_login_is_used_when_a_user_is_configured() -> None:
    seen: list[tuple[str, str]] = []

    def authenticator(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
        assert isinstance(data, LoginPassword)
        seen.append((data.login.decode(), data.password.decode()))
        ok = data.password == b"s3cret"
        return AuthResult(success=ok, handled=ok)  # handled=False: the server answers 535

    inbox = Inbox()
    port = _free_port()
    ctl = Controller(
        inbox, hostname="127.0.0.1", port=port, authenticator=authenticator, auth_require_tls=False
    )
    ctl.start()
    try:
        msg = build_message(subject="s", sender="a@b.vn", to=["c@d.vn"], text="x")
        send(msg, _settings(port, user="postwatch", password="s3cret"))
        with pytest.raises(smtplib.SMTPAuthenticationError):
            send(msg, _settings(port, user="postwatch", password="wrong", retries=1))
    finally:
        ctl.stop()
    assert seen[0] == ("postwatch", "s3cret")
    assert set(seen[1:]) == {("postwatch", "wrong")}  # smtplib tries each mechanism the server offers
    assert len(inbox.received) == 1


def test_no_server_listening_fails_after_retries_with_a_connection_error() -> None:
    port = _free_port()
    with pytest.raises(OSError):
        send(build_message(subject="s", sender="a@b.vn", to=["c@d.vn"], text="x"), _settings(port, retries=2))


def test_settings_come_from_the_environment_and_the_password_is_never_shown() -> None:
    env = {
        "POSTWATCH_SMTP_HOST": "mail.sonha.gov.vn",
        "POSTWATCH_SMTP_PORT": "2525",
        "POSTWATCH_SMTP_USER": "postwatch",
        "POSTWATCH_SMTP_PASSWORD": "s3cret",
        "POSTWATCH_SMTP_STARTTLS": "false",
        "POSTWATCH_SMTP_FROM": "PostWatch <pw@sonha.gov.vn>",
    }
    s = SmtpSettings.from_env(env)
    assert s is not None
    assert (s.host, s.port, s.user, s.password, s.starttls, s.sender) == (
        "mail.sonha.gov.vn",
        2525,
        "postwatch",
        "s3cret",
        False,
        "PostWatch <pw@sonha.gov.vn>",
    )
    assert "s3cret" not in repr(s)
    assert SmtpSettings.from_env({}) is None


@pytest.mark.parametrize(
    ("name", "value"), [("POSTWATCH_SMTP_PORT", "twenty-five"), ("POSTWATCH_SMTP_STARTTLS", "maybe")]
)
def test_a_malformed_setting_names_the_variable(name: str, value: str) -> None:
    with pytest.raises(MailConfigError, match=name):
        SmtpSettings.from_env({"POSTWATCH_SMTP_HOST": "h", name: value})


def test_inline_images_without_html_are_refused() -> None:
    with pytest.raises(ValueError, match="HTML"):
        build_message(subject="s", sender="a@b.vn", to=["c@d.vn"], text="x", images=[InlineImage("c", PNG)])
