"""Hot alerts over a known morning, with a fixed clock: grouping of copies, answers found on official
pages, the 2-hour measurement, the officer's transitions, and mail to a real SMTP server."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from tests.unit.alerts.world import World, local

from postwatch.alerts.run import hot_alerts
from postwatch.alerts.state import AlertStateError, acknowledge, answer
from postwatch.report.digest.inbox import LocalInbox
from postwatch.report.mail import SmtpSettings
from postwatch.warehouse.db import read_query

DAY = date(2026, 11, 22)
NOW = local(DAY, 10, 0)
FIRE = "Cháy lớn tại chợ Đông Thành, hàng chục ki-ốt bị thiêu rụi"


def _world() -> World:
    w = World()
    w.post(
        "fire-fb",
        local(DAY, 6, 30),
        title=FIRE,
        tone="negative",
        likes=900,
        comments=300,
        shares=300,
        units=["sonha", "sonha.dongthanh"],
        rules=[("incidents.fire", "incident", "critical")],
    )
    w.post(
        "fire-vne",
        local(DAY, 7, 0),
        source="rss-vnexpress",
        tone="negative",
        units=["sonha.dongthanh"],
        title="Hỏa hoạn tại chợ Đông Thành: hàng chục ki-ốt bị thiêu rụi",
        rules=[("incidents.fire", "incident", "critical")],
    )
    w.post(
        "fire-dantri",
        local(DAY, 7, 20),
        source="rss-dantri",
        tone="negative",
        units=["sonha.dongthanh"],
        title="Chợ Đông Thành bốc cháy trong đêm",
        content_hash="h-fire-fb",
        rules=[("incidents.fire", "incident", "critical")],
    )
    w.post(
        "fire-answer",
        local(DAY, 7, 40),
        source="fb-dongthanh",
        title="Thông tin ban đầu về vụ cháy tại chợ Đông Thành",
        tone="neutral",
        rules=[("incidents.fire", "incident", "critical")],
    )
    w.post(
        "water",
        local(DAY, 8, 30),
        title="Nước máy ở xã Tân Lập có mùi lạ, người dân bức xúc",
        tone="negative",
        likes=400,
        comments=150,
        units=["sonha.tanlap"],
    )
    w.post(
        "bridge",
        local(DAY, 9, 0),
        source="fb-ubnd",
        title="Khánh thành cầu Tân Lập bắc qua sông Nậm Sơn",
        tone="positive",
    )
    w.post(
        "slow",
        local(DAY, 8, 0),
        title="Đường ở Tân Lập xuống cấp",
        tone="negative",
        likes=30,
        units=["sonha"],
    )
    for i in range(6):  # a burst of mentions of Tân Lập in the last hour, nothing in the 12 before
        w.post(
            f"buzz-{i}",
            local(DAY, 9, 5 + i * 5),
            title=f"Người dân Tân Lập bàn tán {i}",
            units=["sonha.tanlap"],
        )
    late = w.post(
        "late",
        local(DAY, 9, 50),
        title="Sập cầu tạm ở Tân Lập",
        tone="negative",
        likes=5000,
        units=["sonha.tanlap"],
    )
    late["first_seen_at"] = NOW + timedelta(minutes=20)  # collected after the pass: not seen yet
    return w


def _smtp(port: int) -> SmtpSettings:
    return SmtpSettings(
        host="127.0.0.1",
        port=port,
        starttls=False,
        sender="PostWatch <pw@sonha.gov.vn>",
        backoff=0,
        retries=1,
    )


@pytest.fixture
def morning(pw_home: Path) -> LocalInbox:
    _world().save()
    with LocalInbox() as inbox:
        result = hot_alerts(NOW, smtp=_smtp(inbox.port))
        inbox.result = result  # type: ignore[attr-defined]
        yield inbox


def _alerts() -> dict[str, dict]:
    cols, rows = read_query("select * from alerts order by first_seen_at")
    out = {}
    for r in rows:
        a = dict(zip(cols, r, strict=True))
        posts = read_query(
            "select post_id, match from alert_posts where alert_id = $a order by post_id",
            {"a": a["alert_id"]},
        )[1]
        out[a["story_key"]] = a | {"post_matches": dict(posts)}
    return out


def test_copies_of_one_story_join_one_alert_by_key_content_hash_or_title(morning: LocalInbox) -> None:
    alerts = _alerts()
    fire = alerts["story-fire-fb"]
    assert fire["post_matches"] == {
        "fire-fb": "story_key",
        "fire-vne": "title",
        "fire-dantri": "content_hash",
    }
    assert fire["severity"] == "critical" and fire["unit_id"] == "sonha.dongthanh"
    assert fire["first_seen_at"] == local(DAY, 6, 30)
    assert sorted(alerts) == ["spike:unit:sonha.tanlap:2026-11-22", "story-fire-fb", "story-water"]


def test_a_slow_negative_post_and_one_collected_after_the_pass_raise_nothing(morning: LocalInbox) -> None:
    refs = {p for a in _alerts().values() for p in a["post_matches"]}
    assert "slow" not in refs and "late" not in refs


def test_an_official_post_on_the_story_answers_it_and_the_time_is_measured_against_2_hours(
    morning: LocalInbox,
) -> None:
    fire = _alerts()["story-fire-fb"]
    assert fire["status"] == "answered" and fire["answered_by"] == "auto:fb-dongthanh"
    rows = dict(
        (k, (m, w))
        for k, m, w in read_query(
            "select story_key, minutes_to_answer, within_2h from response_times join alerts using (alert_id)"
        )[1]
    )
    assert rows["story-fire-fb"] == (70, True)
    assert rows["story-water"] == (None, False), "unanswered, and the 2 hours are long past"
    water = _alerts()["story-water"]
    assert water["status"] == "new", "the bridge post by the province is not about the water"


def test_a_spike_in_mentions_of_a_unit_is_one_alert_with_its_counts(morning: LocalInbox) -> None:
    spike = _alerts()["spike:unit:sonha.tanlap:2026-11-22"]
    reason = json.loads(spike["reason"])
    # the late post is not collected yet; the water post is in the 12 hours before
    assert (reason["recent"], reason["baseline"]) == (6, 1)
    assert spike["title"] == "Đột biến: 6 bài nhắc đến Ủy ban nhân dân xã Tân Lập trong 1 giờ qua"


def test_each_new_alert_is_mailed_once_and_a_second_pass_sends_nothing(morning: LocalInbox) -> None:
    assert len(morning.received) == 3
    subjects = sorted(str(m.message["Subject"]) for m in morning.received)
    assert any(
        s.startswith("[PostWatch] CẢNH BÁO Sự cố nghiêm trọng · Ủy ban nhân dân phường Đông Thành")
        for s in subjects
    )
    fire_mail = next(m.message for m in morning.received if "Đông Thành" in str(m.message["Subject"]))
    body = fire_mail.get_body(("plain",)).get_content()
    assert "https://example.vn/fb-sonha24h/fire-fb" in body and "08:30 22/11/2026" in body  # deadline
    again = hot_alerts(NOW + timedelta(minutes=15), smtp=_smtp(morning.port))
    assert again["created"] == [] and again["notified"] == [] and len(morning.received) == 3


def test_the_officer_acknowledges_then_answers_and_late_answers_count_as_late(morning: LocalInbox) -> None:
    water = _alerts()["story-water"]
    acked = acknowledge(water["alert_id"][:6], by="ha.lt", at=local(DAY, 10, 5))
    assert acked["status"] == "acknowledged" and acked["acknowledged_at"] == local(DAY, 10, 5)
    assert acknowledge(water["alert_id"], by="other", at=local(DAY, 10, 9))["acknowledged_at"] == local(
        DAY, 10, 5
    )
    done = answer(water["alert_id"], by="ha.lt", at=local(DAY, 12, 0), url="https://sonha.gov.vn/tra-loi")
    assert done["status"] == "answered"
    minutes, within = read_query(
        "select minutes_to_answer, within_2h from response_times where alert_id = $a",
        {"a": water["alert_id"]},
    )[1][0]
    assert (minutes, within) == (210, False)
    with pytest.raises(AlertStateError, match="already answered"):
        acknowledge(water["alert_id"], by="ha.lt", at=local(DAY, 12, 5))
    with pytest.raises(AlertStateError, match="no alert"):
        answer("ffffffffffff", by="ha.lt", at=local(DAY, 12, 0))
    events = [
        e
        for (e,) in read_query(
            "select event from alert_events where alert_id = $a order by event_at", {"a": water["alert_id"]}
        )[1]
    ]
    assert events == ["created", "acknowledged", "answered"]


def test_open_alerts_view_shows_the_deadline_and_overdue(morning: LocalInbox) -> None:
    rows = read_query(
        "select story_key, status, answer_deadline_at, overdue from alerts_open order by story_key"
    )[1]
    assert [r[0] for r in rows] == ["spike:unit:sonha.tanlap:2026-11-22", "story-water"]
    assert rows[1][2] == local(DAY, 10, 30) and rows[1][3] is True
