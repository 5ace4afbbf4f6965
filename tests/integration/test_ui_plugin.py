"""The PostWatch page end to end: a real `airflow api-server` on 127.0.0.1 loads plugins/, refuses
anonymous requests, and after a login in headless Chromium shows the warehouse's numbers inside the
Airflow UI. A screenshot goes to var/screenshots/ui.png for review.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import httpx
import pytest

from postwatch.settings import PROJECT_ROOT, Settings
from postwatch.warehouse.db import read_query
from tests.unit.ui.seed import DAY, seed

USER, PASSWORD = "officer", "pw-ui-test-password"
SCREENSHOT = PROJECT_ROOT / "var" / "screenshots" / "ui.png"
# Not the latest day with posts, which the page falls back to: its cards show only after the form works.
CHECK_DAY = DAY - timedelta(days=1)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_healthy(base: str, proc: subprocess.Popen[bytes], log: Path, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"api-server exited ({proc.returncode}):\n{log.read_text()[-3000:]}")
        try:
            if httpx.get(f"{base}/api/v2/monitor/health", timeout=10).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(1)
    raise AssertionError(f"api-server not healthy after {timeout}s:\n{log.read_text()[-3000:]}")


@pytest.fixture(scope="module")
def server(airflow_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Settings]]:
    """A seeded warehouse and an api-server with the plugin, one simple-auth user with the viewer role."""
    tmp = tmp_path_factory.mktemp("ui")
    home = tmp / "var"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("POSTWATCH_HOME", str(home))
        seed()
    passwords = tmp / "passwords.json"
    passwords.write_text(json.dumps({USER: PASSWORD}), encoding="utf-8")
    port = _free_port()
    env = os.environ | {
        "POSTWATCH_HOME": str(home),
        "AIRFLOW__CORE__PLUGINS_FOLDER": str(PROJECT_ROOT / "plugins"),
        "AIRFLOW__CORE__AUTH_MANAGER": (
            "airflow.api_fastapi.auth.managers.simple.simple_auth_manager.SimpleAuthManager"
        ),
        "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS": f"{USER}:viewer",
        "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_ALL_ADMINS": "False",
        "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE": str(passwords),
        "AIRFLOW__API__WORKERS": "1",
        "AIRFLOW__API__BASE_URL": f"http://127.0.0.1:{port}",
        "NO_PROXY": "127.0.0.1,localhost",
    }
    log = tmp / "api-server.log"
    airflow = str(Path(sys.executable).with_name("airflow"))
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [airflow, "api-server", "--host", "127.0.0.1", "--port", str(port)],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(base, proc, log)
        yield base, Settings(home=home)
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def test_the_page_refuses_anonymous_and_forged_requests(server: tuple[str, Settings]) -> None:
    base, _ = server
    with httpx.Client(base_url=base, timeout=120) as http:
        for path in ("/postwatch/", "/postwatch/api/dashboard"):
            assert http.get(path).status_code == 401
            assert http.get(path, headers={"Authorization": "Bearer forged.jwt.token"}).status_code == 403
            http.cookies.set("_token", "forged")
            assert http.get(path).status_code == 403
            http.cookies.clear()
        login = http.post("/auth/token", json={"username": USER, "password": PASSWORD})
        auth = {"Authorization": f"Bearer {login.json()['access_token']}"}
        resp = http.get("/postwatch/api/dashboard", params={"day": DAY.isoformat()}, headers=auth)
        assert resp.status_code == 200
        assert resp.json()["quarantine"]["counts"]["open_records"] == 3
        plugins = http.get("/api/v2/plugins", headers=auth).json()["plugins"]
    view = next(p for p in plugins if p["name"] == "postwatch_ui")["external_views"][0]
    assert (view["url_route"], view["href"]) == ("postwatch", "postwatch/")


def _browser_path() -> str | None:
    if Path("/usr/bin/chromium").exists():
        return "/usr/bin/chromium"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        path = p.chromium.executable_path
    return path if Path(path).exists() else None


def test_a_logged_in_user_sees_the_warehouse_numbers_inside_the_airflow_ui(
    server: tuple[str, Settings],
) -> None:
    pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    executable = _browser_path()
    if executable is None:
        pytest.skip("no Chromium: neither /usr/bin/chromium nor playwright's browser is installed")
    from playwright.sync_api import sync_playwright

    base, settings = server
    _, tone_rows = read_query(
        "select tone, sum(posts) from coverage_daily where local_date = $day group by tone",
        {"day": CHECK_DAY},
        settings,
    )
    expected = {"positive": 0, "negative": 0, "neutral": 0} | {t: int(n) for t, n in tone_rows}
    _, [(open_alerts, overdue)] = read_query(
        "select count(*), count(*) filter (where overdue) from alerts_open", settings=settings
    )
    _, [(quarantined,)] = read_query(
        "select count(*) from quarantine where status = 'open'", settings=settings
    )
    assert expected == {"positive": 1, "negative": 0, "neutral": 4}

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, headless=True, args=["--no-sandbox"])
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1800}, locale="vi-VN")
            page.goto(f"{base}/plugin/postwatch")
            page.get_by_label("Username").fill(USER)  # redirected to Airflow's login page
            page.get_by_label("Password").fill(PASSWORD)
            page.get_by_role("button", name="Sign in").click()
            page.wait_for_url("**/plugin/postwatch", timeout=60_000)
            frame = page.frame_locator("iframe")
            # The demo weeks are in the past: pick the day in the page's own date form.
            frame.locator("input[name=day]").fill(CHECK_DAY.isoformat())
            frame.get_by_role("button", name="Xem").click()
            cards = frame.locator(f'#coverage .cards[data-day="{CHECK_DAY.isoformat()}"]')
            cards.wait_for(timeout=60_000)
            shown = {t: int(cards.locator(f'[data-tone="{t}"]').inner_text()) for t in expected}
            assert shown == expected
            assert frame.locator("#coverage-chart g[data-day]").count() == 14
            assert int(frame.locator('#alerts [data-count="open"]').inner_text()) == open_alerts == 2
            assert int(frame.locator('#alerts [data-count="overdue"]').inner_text()) == overdue == 1
            assert int(frame.locator('#quarantine [data-count="open"]').inner_text()) == quarantined == 3
            assert frame.get_by_text("Độ phủ tin bài").is_visible()
            assert frame.locator("#coverage-fallback").count() == 0
            SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOT), full_page=True)
        finally:
            browser.close()
    assert SCREENSHOT.stat().st_size > 10_000
