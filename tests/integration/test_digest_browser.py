"""The digest's HTML part opened in headless Chromium at a phone's width, the way a webmail shows it.

Skips (saying why) when neither /usr/bin/chromium nor a Playwright-managed Chromium is available.
The phone screenshot is kept at var/screenshots/digest-phone.png for people to look at.
"""

from __future__ import annotations

import shutil
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from postwatch.report.digest.deliver import build_digest, load_eml
from tests.unit.alerts.world import World, local

ROOT = Path(__file__).resolve().parents[2]
DAY = date(2026, 11, 22)
SCREENSHOT = ROOT / "var" / "screenshots" / "digest-phone.png"


def _chromium() -> str | None:
    for path in ("/usr/bin/chromium", "/usr/bin/chromium-browser"):
        if Path(path).exists():
            return path
    return shutil.which("chromium")


@pytest.fixture
def browser():
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    executable = _chromium()
    with sync_api.sync_playwright() as pw:
        try:
            b = pw.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        except Exception as exc:  # no browser at all: say so instead of failing
            pytest.skip(f"no Chromium to render the digest ({type(exc).__name__}: {str(exc)[:200]})")
        try:
            yield b
        finally:
            b.close()


def test_the_digest_reads_on_a_phone_and_markup_in_posts_stays_inert(pw_home: Path, browser) -> None:
    w = World()
    for i in range(3):
        w.post(f"p{i}", local(DAY, 8, i), title=f"Khánh thành trường học xã Tân Lập {i}", tone="positive",
               source="rss-vnexpress", likes=50 * i)  # fmt: skip
    w.post("bad", local(DAY, 9), title="Phản ánh <b>ngập</b> ở phường Đông Thành", tone="negative",
           text='<script>window.pwned = 1</script><img src=x onerror="window.pwned = 2">Đường ngập sâu',
           likes=900, shares=300)  # fmt: skip
    w.save()
    stored = build_digest(DAY, now=datetime(2026, 11, 23, 0, 0, tzinfo=UTC))
    msg = load_eml(stored.eml_path)
    html = msg.get_body(("html",)).get_content()
    # A mail client resolves cid: against the related part; the browser gets the same bytes as a file.
    page_file = pw_home / "digest-view.html"
    page_file.write_text(html.replace("cid:trend14", stored.chart_path.as_uri()), encoding="utf-8")

    page = browser.new_page(viewport={"width": 390, "height": 844}, device_scale_factor=2)
    page.goto(page_file.as_uri())
    assert page.evaluate("window.pwned") is None
    assert page.locator("script").count() == 0
    card = page.locator(".negative-item").first
    assert "Phản ánh ngập ở phường Đông Thành" in card.inner_text()
    assert "Đường ngập sâu" in card.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, "no sideways scrolling on a phone"
    chart = page.locator("img").first
    assert chart.evaluate("img => img.naturalWidth") > 500
    assert chart.evaluate("img => img.getBoundingClientRect().width") <= 390
    font_px = page.locator("[data-tone=negative] .count").evaluate("e => getComputedStyle(e).fontSize")
    assert float(font_px.removesuffix("px")) >= 20
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT), full_page=True)
    assert SCREENSHOT.stat().st_size > 10_000
