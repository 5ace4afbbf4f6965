"""The daily digest as leadership receives it: mailed to a real SMTP server on 127.0.0.1, parsed as a
mail client would, and its numbers checked against SQL over the same warehouse rows."""

from __future__ import annotations

import smtplib
from datetime import UTC, date, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from postwatch.report.digest.deliver import build_digest, send_digest, stored_digest
from postwatch.report.digest.inbox import LocalInbox, free_port
from postwatch.report.mail import SmtpSettings
from postwatch.warehouse.db import read_query, writer
from tests.unit.alerts.world import World, local

DAY = date(2026, 11, 22)
BUILT = datetime(2026, 11, 23, 0, 0, tzinfo=UTC)  # 07:00 local, the morning after DAY
INJECTED = 'Cháy chợ <script>window.pwned=1</script><img src=x onerror="window.pwned=2"> Đông Thành'


def _smtp(port: int) -> SmtpSettings:
    return SmtpSettings(
        host="127.0.0.1",
        port=port,
        starttls=False,
        sender="PostWatch <pw@sonha.gov.vn>",
        backoff=0,
        retries=1,
    )


def _world() -> World:
    """Two weeks of labelled posts with a different tone mix every day, plus DAY's items."""
    w = World()
    for back in range(1, 16):  # day 15 is outside the 14-day chart and the 7-day baseline
        day = DAY - timedelta(days=back)
        for i in range(back % 4 + 1):
            w.post(f"pos-{back}-{i}", local(day, 8, i), tone="positive", source="rss-vnexpress")
        for i in range(back % 3):
            w.post(f"neg-{back}-{i}", local(day, 9, i), tone="negative", source="rss-dantri")
        w.post(f"neu-{back}", local(day, 10), tone="neutral")
    w.post("neg-fire", local(DAY, 6, 30), title="Cháy lớn tại chợ Đông Thành", text=INJECTED,
           tone="negative", likes=800, comments=300, shares=400, units=["sonha.dongthanh"],
           rules=[("incidents.fire", "incident", "critical")],
           cues='[{"text": "cháy", "weight": -0.8}, {"text": "hoảng loạn", "weight": -0.5}]')  # fmt: skip
    w.post("neg-water", local(DAY, 9), title="Nước máy có mùi lạ ở Tân Lập", tone="negative",
           source="rss-vnexpress", likes=20, units=["sonha.tanlap"])  # fmt: skip
    w.post("neg-irrelevant", local(DAY, 9, 5), tone="negative", relevant=False, units=[])
    w.post("neg-official", local(DAY, 9, 10), tone="negative", source="fb-ubnd", title="Thông báo mất điện")
    for i in range(3):
        w.post(f"pos-{i}", local(DAY, 11, i), title=f"Khánh thành cầu Tân Lập {i}", tone="positive",
               source="rss-vnexpress", likes=100 * i)  # fmt: skip
    w.post("ubnd-answer", local(DAY, 7, 40), source="fb-ubnd", title="Thông tin ban đầu về vụ cháy chợ",
           tone="neutral")  # fmt: skip
    w.post("neu-today", local(DAY, 12), tone="neutral")
    return w


@pytest.fixture
def world(pw_home: Path) -> Path:
    _world().save()

    def alert(con):  # an answered alert on the fire story, 70 minutes after it broke
        first = local(DAY, 6, 30)
        con.execute(
            "insert into alerts by name select 'a1b2c3d4e5f6' as alert_id, 'story-neg-fire' as story_key,"
            " 'critical_rule' as kind, 'sonha.dongthanh' as unit_id, 'Cháy lớn tại chợ Đông Thành' as title,"
            " 'critical' as severity, '{}' as reason, 'answered' as status, $c as created_at,"
            " $f as first_seen_at, $c as last_seen_at, 1 as posts, 1500 as engagement,"
            " $a as answered_at, 'auto:fb-ubnd' as answered_by, $c as updated_at",
            {"f": first, "c": first + timedelta(minutes=20), "a": first + timedelta(minutes=70)},
        )
        con.execute(
            "insert into alert_posts values ('a1b2c3d4e5f6', 'facebook', 'neg-fire', 'story_key', $t)",
            {"t": first},
        )

    writer(alert)
    return pw_home


def _sql_counts(day: date) -> dict[str, int]:
    rows = read_query(
        "select l.tone, count(*) from posts p join post_labels l using (platform, post_id) "
        "where l.relevant and p.local_date = $d group by 1",
        {"d": day},
    )[1]
    return dict(rows)


def _deliver(port: int, **kw) -> None:
    build_digest(DAY, sender="PostWatch <pw@sonha.gov.vn>", now=kw.pop("now", BUILT), **kw)
    send_digest(DAY, _smtp(port), now=BUILT + timedelta(minutes=1))


def test_the_digest_arrives_as_text_and_html_with_the_14_day_chart_inline(world: Path) -> None:
    with LocalInbox() as inbox:
        _deliver(inbox.port)
    [got] = inbox.received
    msg = got.message
    assert sorted(got.rcpt_tos) == ["ha.lt@sonha.gov.vn", "hoa.tt@sonha.gov.vn", "minh.nv@sonha.gov.vn"]
    counts = _sql_counts(DAY)
    assert str(msg["Subject"]) == (
        f"[PostWatch] Bản tin ngày 22/11/2026: {counts['negative']} tiêu cực, "
        f"{counts['positive']} tích cực, {counts['neutral']} trung lập"
    )
    subject_line = next(ln for ln in got.raw.split(b"\r\n") if ln.lower().startswith(b"subject:"))
    assert subject_line.isascii() and b"=?utf-8?" in subject_line.lower()
    assert msg.get_content_type() == "multipart/alternative"
    plain, related = msg.get_payload()
    assert plain.get_content_type() == "text/plain"
    assert related.get_content_type() == "multipart/related"
    html_part, png = related.get_payload()
    assert png.get_content_type() == "image/png"
    assert png.get_payload(decode=True).startswith(b"\x89PNG\r\n\x1a\n")
    cid = png["Content-ID"].strip("<>")
    tree = HTMLParser(html_part.get_content())
    assert tree.css_first("img").attributes["src"] == f"cid:{cid}"


def test_the_counts_and_their_change_against_the_7_day_mean_match_sql(world: Path) -> None:
    with LocalInbox() as inbox:
        _deliver(inbox.port)
    msg = inbox.received[0].message
    counts = _sql_counts(DAY)
    assert counts == {"positive": 3, "negative": 3, "neutral": 2}  # official pages count too
    week = [_sql_counts(DAY - timedelta(days=i)) for i in range(1, 8)]
    tree = HTMLParser(msg.get_body(("html",)).get_content())
    text = msg.get_body(("plain",)).get_content()
    names = {"positive": "Tích cực", "negative": "Tiêu cực", "neutral": "Trung lập"}
    for tone, name in names.items():
        mean = sum(c.get(tone, 0) for c in week) / 7
        change = counts[tone] - mean
        sign = "+" if change > 0 else ("−" if change < 0 else "±")
        expected = f"{sign}{abs(change):.1f}".replace(".", ",") + f" so với TB 7 ngày ({mean:.1f})".replace(
            ".", ","
        )
        assert f"- {name}: {counts[tone]} ({expected}" in text
        card = tree.css_first(f'[data-tone="{tone}"]')
        assert card.css_first(".count").text() == str(counts[tone])
        assert expected in card.text()
    assert tree.css_first("#total strong").text() == str(sum(counts.values()))


def test_negative_items_show_source_link_engagement_cues_and_alert_status(world: Path) -> None:
    with LocalInbox() as inbox:
        _deliver(inbox.port)
    tree = HTMLParser(inbox.received[0].message.get_body(("html",)).get_content())
    items = tree.css(".negative-item")
    expected = read_query(
        "select p.url, coalesce(p.likes,0)+coalesce(p.comments,0)+coalesce(p.shares,0) from posts p "
        "join post_labels l using (platform, post_id) join sources s using (source_id) "
        "where l.relevant and l.tone = 'negative' and p.local_date = $d and s.kind <> 'official' "
        "order by 2 desc",
        {"d": DAY},
    )[1]
    assert [
        (i.css_first("a").attributes["href"], int(i.css_first(".engagement").text().replace(".", "")))
        for i in items
    ] == [(url, eng) for url, eng in expected]
    fire = items[0].text()
    assert "Sơn Hà 24h" in fire
    assert "incidents.fire" in fire and "cháy" in fire and "hoảng loạn" in fire
    assert "Đã phản hồi" in fire and "phản hồi sau 1 giờ 10 phút" in fire
    assert "Chưa có cảnh báo" in items[1].text()
    responses = tree.css_first("#responses").text()
    assert "Cảnh báo: 1" in responses and "trong 2 giờ: 1" in responses


def test_markup_in_a_post_is_shown_as_text_and_never_reaches_the_html(world: Path) -> None:
    with LocalInbox() as inbox:
        _deliver(inbox.port)
    html = inbox.received[0].message.get_body(("html",)).get_content()
    tree = HTMLParser(html)
    assert tree.css("script") == []
    assert [img.attributes.get("src") for img in tree.css("img")] == ["cid:trend14"]
    assert "onerror" not in html
    assert "Cháy chợ Đông Thành" in tree.css(".negative-item")[0].text()


def test_a_rerun_for_a_day_already_sent_sends_nothing_and_force_sends_again(world: Path) -> None:
    with LocalInbox() as inbox:
        _deliver(inbox.port)
        first = stored_digest(DAY)
        again = build_digest(DAY, now=BUILT + timedelta(hours=1))
        result = send_digest(DAY, _smtp(inbox.port))
        assert not again.rebuilt and not result.sent and len(inbox.received) == 1
        forced = build_digest(DAY, force=True, now=BUILT + timedelta(hours=2))
        result = send_digest(DAY, _smtp(inbox.port), now=BUILT + timedelta(hours=2, minutes=1))
    assert forced.rebuilt and result.sent
    assert len(inbox.received) == 2
    assert stored_digest(DAY).sends == 2 and first.sends == 1
    assert inbox.received[0].message["Message-ID"] != inbox.received[1].message["Message-ID"]


def test_with_the_mail_server_down_the_digest_is_kept_and_the_next_attempt_sends_it(world: Path) -> None:
    port = free_port()
    stored = build_digest(DAY, sender="PostWatch <pw@sonha.gov.vn>", now=BUILT)
    with pytest.raises((ConnectionRefusedError, smtplib.SMTPException)):
        send_digest(DAY, _smtp(port))
    assert stored.eml_path.exists() and stored_digest(DAY).pending
    with LocalInbox(port=port) as inbox:
        assert send_digest(DAY, _smtp(port), now=BUILT + timedelta(minutes=5)).sent
    [got] = inbox.received
    assert (
        got.raw.replace(b"\r\n", b"\n").rstrip()
        == stored.eml_path.read_bytes().replace(b"\r\n", b"\n").rstrip()
    )
    assert not stored_digest(DAY).pending


def test_a_dry_run_stores_the_digest_and_sends_nothing(world: Path) -> None:
    with LocalInbox() as inbox:
        stored = build_digest(DAY, dry_run=True, now=BUILT)
        result = send_digest(DAY, _smtp(inbox.port))
    assert not result.sent and inbox.received == []
    assert stored.html_path.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert stored.text_path.exists() and stored.chart_path.stat().st_size > 1000


def test_recipients_given_for_one_run_replace_the_configured_ones(world: Path) -> None:
    with LocalInbox() as inbox:
        _deliver(inbox.port, recipients=["thu.ky@sonha.gov.vn"])
    assert inbox.received[0].rcpt_tos == ["thu.ky@sonha.gov.vn"]


def test_a_section_whose_view_is_missing_is_marked_unavailable_and_the_digest_still_goes_out(
    world: Path,
) -> None:
    writer(lambda con: con.execute("drop view if exists comments_unanswered"))
    with LocalInbox() as inbox:
        _deliver(inbox.port)
    msg: EmailMessage = inbox.received[0].message
    text = msg.get_body(("plain",)).get_content()
    section = text.split("== BÌNH LUẬN CHƯA TRẢ LỜI")[1].split("==", 2)[1]
    assert "Mục này tạm thời chưa có dữ liệu." in section
    assert "== ĐƠN VỊ: TIN CHÍNH THỨC ĐÃ ĐĂNG ==" in text


def test_the_scoreboard_lists_units_with_their_official_posts_of_the_day(world: Path) -> None:
    with LocalInbox() as inbox:
        _deliver(inbox.port)
    tree = HTMLParser(inbox.received[0].message.get_body(("html",)).get_content())
    rows = [[td.text().strip() for td in tr.css("td")] for tr in tree.css("#scoreboard tr")[1:]]
    expected = read_query(
        "select unit_name, official_posts_day, official_posts_7d from unit_scoreboard_last7d "
        "where local_date = $d order by official_posts_day desc, official_posts_7d desc, unit_id",
        {"d": DAY},
    )[1]
    assert rows == [[n, str(a), str(b)] for n, a, b in expected]
    assert rows[0][:2] == ["Ủy ban nhân dân tỉnh Sơn Hà", "2"]
