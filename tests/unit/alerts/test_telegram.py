"""Alerts to Telegram: the Bot API call, and a refusal that never leaks the bot token."""

from __future__ import annotations

import json

import pytest

from postwatch.alerts.notify import TelegramTarget, send_telegram
from postwatch.demo.server import FixtureServer, Response

TOKEN = "123456:secret-bot-token"


def test_an_alert_is_posted_to_the_chat_through_the_bot_api() -> None:
    with FixtureServer() as srv:
        srv.script(
            f"/bot{TOKEN}/sendMessage", [Response(200, '{"ok": true}', content_type="application/json")]
        )
        target = TelegramTarget(token=TOKEN, chat_id="-1001234", base_url=srv.base_url)
        send_telegram(target, "Cảnh báo nóng: cháy chợ Đông Thành " + "x" * 5000)
    (req,) = srv.requests
    assert req.method == "POST"
    sent = json.loads(req.body)
    assert sent["chat_id"] == "-1001234"
    assert sent["text"].startswith("Cảnh báo nóng: cháy chợ Đông Thành")
    assert len(sent["text"]) == 4000, "Telegram caps a message at 4096 characters"


def test_a_refused_message_raises_without_the_token_in_the_error() -> None:
    with FixtureServer() as srv:
        srv.script(
            f"/bot{TOKEN}/sendMessage",
            [Response(403, '{"ok": false, "description": "Forbidden: bot was kicked"}')],
        )
        target = TelegramTarget(token=TOKEN, chat_id="-1001234", base_url=srv.base_url)
        with pytest.raises(RuntimeError, match="HTTP 403") as err:
            send_telegram(target, "Cảnh báo")
    assert TOKEN not in str(err.value)
    assert "bot was kicked" in str(err.value)


def test_an_unreachable_bot_api_raises_without_the_token_in_the_error() -> None:
    with FixtureServer() as srv:
        base = srv.base_url
    target = TelegramTarget(token=TOKEN, chat_id="1", base_url=base, timeout=2)
    with pytest.raises(RuntimeError, match="Telegram unreachable") as err:
        send_telegram(target, "Cảnh báo")
    assert TOKEN not in str(err.value)
