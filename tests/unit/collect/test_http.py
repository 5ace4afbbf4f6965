"""The shared HTTP client: Retry-After, jittered retries, timeouts, pacing, hooks, no leaked tokens."""

from __future__ import annotations

import json
import logging
import time
from email.utils import formatdate

import httpx
import pytest

from postwatch.collect.http import BACKOFF, HttpGaveUp, RetryAfterTooLong, redact_url
from postwatch.demo.server import FixtureServer, Response
from tests.unit.collect import BACKOFF_CAP, Clock, http_client


def test_a_429_with_retry_after_waits_exactly_what_the_server_asked() -> None:
    clock = Clock()
    with FixtureServer() as srv, http_client(clock) as client:
        srv.script("/x", [Response(429, "slow down", {"Retry-After": "7"}), Response(200, "ok")])
        resp = client.get(srv.url("/x"))
        assert resp.status_code == 200
        assert clock.sleeps == [7.0]
        assert srv.hits("/x") == 2


def test_a_retry_after_given_as_an_http_date_is_honoured() -> None:
    clock = Clock()
    when = formatdate(time.time() + 120, usegmt=True)
    with FixtureServer() as srv, http_client(clock, http_backoff_cap=600.0) as client:
        srv.script("/x", [Response(503, "maintenance", {"Retry-After": when}), Response(200, "ok")])
        assert client.get(srv.url("/x")).status_code == 200
        assert len(clock.sleeps) == 1
        assert 60 < clock.sleeps[0] <= 120


def test_a_500_then_success_is_retried_after_a_jittered_backoff() -> None:
    clock = Clock()
    with FixtureServer() as srv, http_client(clock) as client:
        srv.script("/x", [Response(500, "boom"), Response(200, "ok")])
        resp = client.get(srv.url("/x"))
        assert resp.text == "ok"
        assert len(clock.sleeps) == 1
        assert 0 < clock.sleeps[0] <= BACKOFF_CAP


def test_a_server_slower_than_the_timeout_gives_up_after_the_retries() -> None:
    clock = Clock()
    with FixtureServer() as srv, http_client(clock, http_timeout=0.3, http_max_retries=1) as client:
        srv.script("/slow", [Response(200, "late", delay=1.5)])
        with pytest.raises(HttpGaveUp) as err:
            client.get(srv.url("/slow"))
        assert "Timeout" in str(err.value)
        assert err.value.response is None
        assert srv.hits("/slow") == 2


def test_retries_that_run_out_keep_the_last_response() -> None:
    clock = Clock()
    with FixtureServer() as srv, http_client(clock, http_max_retries=2) as client:
        srv.script("/down", [Response(502, "bad gateway")])
        with pytest.raises(HttpGaveUp) as err:
            client.get(srv.url("/down"))
        assert err.value.response is not None
        assert err.value.response.status_code == 502
        assert srv.hits("/down") == 3


def test_a_retry_after_over_the_cap_is_not_waited_out() -> None:
    clock = Clock()
    with FixtureServer() as srv, http_client(clock) as client:
        srv.script("/x", [Response(429, "come back in an hour", {"Retry-After": "3600"})])
        with pytest.raises(RetryAfterTooLong) as err:
            client.get(srv.url("/x"))
        assert err.value.seconds == 3600
        assert err.value.response is not None
        assert clock.sleeps == []
        assert srv.hits("/x") == 1


def test_requests_carry_a_descriptive_user_agent() -> None:
    clock = Clock()
    with FixtureServer() as srv, http_client(clock) as client:
        srv.script("/x", [Response(200, "ok")])
        client.get(srv.url("/x"))
        ua = srv.requests[0].headers["user-agent"]
        assert ua == client.settings.user_agent
        assert ua.startswith("PostWatch/")


def test_a_retry_on_hook_can_retry_a_200_body_with_the_clients_backoff() -> None:
    clock = Clock()

    def busy(resp: httpx.Response) -> float | None:
        return BACKOFF if resp.json().get("busy") else None

    with FixtureServer() as srv, http_client(clock) as client:
        srv.script("/api", [Response(200, json.dumps({"busy": True})), Response(200, json.dumps({"ok": 1}))])
        resp = client.get(srv.url("/api"), retry_on=busy)
        assert resp.json() == {"ok": 1}
        assert len(clock.sleeps) == 1
        assert clock.sleeps[0] > 0


def test_requests_to_one_host_are_spaced_by_the_minimum_interval() -> None:
    clock = Clock()
    with FixtureServer() as srv, http_client(clock, http_min_interval=2.0) as client:
        srv.script("/x", [Response(200, "ok")])
        for _ in range(3):
            client.get(srv.url("/x"))
        assert clock.sleeps == [2.0, 2.0]


def test_slow_down_holds_the_host_back_before_the_next_request() -> None:
    clock = Clock()
    with FixtureServer() as srv, http_client(clock) as client:
        srv.script("/x", [Response(200, "ok")])
        client.get(srv.url("/x"))
        client.slow_down(srv.url("/x"), 12.0)
        client.get(srv.url("/x"))
        assert clock.sleeps == [12.0]


def test_tokens_never_reach_logs_or_error_messages(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    caplog.set_level(logging.DEBUG)
    # Airflow's logging set-up (loaded by DAG tests earlier in the session) quiets httpx: undo it here.
    caplog.set_level(logging.DEBUG, logger="httpx")
    monkeypatch.setattr(logging.getLogger("httpx"), "disabled", False)
    monkeypatch.setattr(logging.getLogger("httpx"), "propagate", True)
    clock = Clock()
    secret = "EAAB-very-secret-token"
    with FixtureServer() as srv, http_client(clock, http_max_retries=1) as client:
        srv.script("/feed", [Response(500, "boom")])
        with pytest.raises(HttpGaveUp) as err:
            client.get(srv.url("/feed") + f"?access_token={secret}", params={"key": secret, "limit": 5})
        assert srv.requests[0].query["key"] == secret  # the server did get it
    assert secret not in str(err.value)
    assert secret not in caplog.text
    assert "HTTP Request" in caplog.text  # httpx's own request log line is there, redacted
    assert "***" in caplog.text


def test_redact_url_hides_token_and_key_values_only() -> None:
    url = "https://graph.facebook.com/v23.0/1/feed?fields=id&access_token=abc&limit=100&key=k1&monkey=2"
    assert redact_url(url) == (
        "https://graph.facebook.com/v23.0/1/feed?fields=id&access_token=***&limit=100&key=***&monkey=2"
    )
