"""A source that breaks mails the data officer once per incident, and once more when it recovers:
real polls against the fixture server, real SMTP (aiosmtpd) on 127.0.0.1."""

from __future__ import annotations

import email
import json
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from postwatch.demo.server import FixtureServer, Response, json_response
from postwatch.pipeline.collect import check_run, fetch_source, load_run, prepare
from postwatch.report.mail import SmtpSettings
from postwatch.warehouse.db import read_query
from tests.unit.collect import Clock, http_client

PAGE = "1001"
EXPIRED = {"error": {"message": "Session has expired", "type": "OAuthException", "code": 190}}
FEED_OK = {
    "data": [
        {
            "id": f"{PAGE}_1",
            "message": "Sở Y tế Sơn Hà thông báo lịch tiêm chủng tháng 12.",
            "created_time": "2026-11-21T01:00:00+0000",
            "permalink_url": f"https://www.facebook.com/{PAGE}/posts/1",
        }
    ]
}


@dataclass
class Inbox:
    received: list[EmailMessage] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.received.append(email.message_from_bytes(envelope.original_content, policy=policy.default))
        return "250 OK"


@pytest.fixture
def inbox() -> Iterator[tuple[Inbox, SmtpSettings]]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    box = Inbox()
    ctl = Controller(box, hostname="127.0.0.1", port=port)
    ctl.start()
    try:
        yield (
            box,
            SmtpSettings(host="127.0.0.1", port=port, starttls=False, sender="PostWatch <pw@sonha.gov.vn>"),
        )
    finally:
        ctl.stop()


def test_a_broken_source_mails_once_when_it_breaks_and_once_when_it_recovers(
    pw_config: Path, pw_home: Path, monkeypatch: pytest.MonkeyPatch, inbox: tuple[Inbox, SmtpSettings]
) -> None:
    box, smtp = inbox
    with FixtureServer() as srv:
        srv.script(
            f"/graph/v23.0/{PAGE}/feed",
            [Response(400, json.dumps(EXPIRED)), Response(400, json.dumps(EXPIRED)), json_response(FEED_OK)],
        )
        sources = (pw_config / "sources.yaml").read_text(encoding="utf-8")
        sources = sources.replace(
            "conn_id: fb_soyte\n", f"conn_id: fb_soyte\n    api_base: {srv.url('/graph')}\n"
        )
        (pw_config / "sources.yaml").write_text(sources, encoding="utf-8")
        monkeypatch.setenv("POSTWATCH_TOKEN_FB_SOYTE", "EAAB-expired")
        registry = prepare()
        outcomes = []
        for n in range(3):
            run = f"scheduled__poll{n}"
            with http_client(Clock(), http_max_retries=1) as client:
                fetched = fetch_source("fb-soyte", run, registry=registry, client=client)
            load_run(run, ["fb-soyte"])
            outcomes.append((fetched.status, check_run(run, ["fb-soyte"], smtp=smtp), len(box.received)))

    assert [
        (status, out["incidents_opened"], out["incidents_closed"], mails) for status, out, mails in outcomes
    ] == [
        ("auth_failed", ["fb-soyte: auth_failed"], [], 1),
        ("auth_failed", [], [], 1),
        ("ok", [], ["fb-soyte: auth_failed"], 2),
    ]
    opened, closed = box.received
    assert opened["To"] == "Lê Thu Hà <ha.lt@sonha.gov.vn>"
    assert opened["Subject"] == "[PostWatch] Nguồn tin gặp sự cố: Sở Y tế Sơn Hà (fb-soyte)"
    assert closed["Subject"] == "[PostWatch] Nguồn tin đã hoạt động lại: Sở Y tế Sơn Hà (fb-soyte)"
    body = opened.get_body(("plain",)).get_content()
    assert "mã truy cập (token) đã hết hạn hoặc bị thu hồi" in body
    assert "EAAB-expired" not in body
    assert "qua 2 lần kiểm tra" in closed.get_body(("plain",)).get_content()
    incident = read_query("select kind, polls, closed_at is not null, notify_error from source_incidents")[1]
    assert incident == [("auth_failed", 2, True, None)]
    assert read_query("select count(*) from posts")[1] == [(1,)]


def test_without_smtp_the_incident_keeps_why_it_could_not_be_mailed_and_retries_later(
    pw_config: Path, pw_home: Path, monkeypatch: pytest.MonkeyPatch, inbox: tuple[Inbox, SmtpSettings]
) -> None:
    box, smtp = inbox
    monkeypatch.delenv("POSTWATCH_SMTP_HOST", raising=False)
    with FixtureServer() as srv:
        srv.script(f"/graph/v23.0/{PAGE}/feed", [Response(400, json.dumps(EXPIRED))] * 2)
        sources = (pw_config / "sources.yaml").read_text(encoding="utf-8")
        sources = sources.replace(
            "conn_id: fb_soyte\n", f"conn_id: fb_soyte\n    api_base: {srv.url('/graph')}\n"
        )
        (pw_config / "sources.yaml").write_text(sources, encoding="utf-8")
        registry = prepare()
        for n, mail in enumerate((None, smtp)):
            with http_client(Clock(), http_max_retries=1) as client:
                fetch_source("fb-soyte", f"p{n}", registry=registry, client=client)
            out = check_run(f"p{n}", ["fb-soyte"], smtp=mail)
            if mail is None:
                assert out["mail_errors"] == [
                    "opened:fb-soyte: SMTP is not configured "
                    "(Airflow connection smtp_default or POSTWATCH_SMTP_HOST)"
                ]
                assert box.received == []
    assert out["mailed"] == ["opened:fb-soyte"], "the unsent opening mail goes out on the next check"
    assert len(box.received) == 1
