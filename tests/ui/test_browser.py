"""End to end in a real headless Chromium (Debian's, driven by Playwright) against a real server
with the demo data on SQLite. Screenshots are kept under test-artifacts/ui/."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from api.auth import mint_token
from api.settings import Settings
from tests.api.helpers import secondment_body

CHROMIUM = os.environ.get("SECONDMENTS_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "ui"
COMMAND = Path(sys.executable).parent / "secondments"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Settings]]:
    """`secondments serve --demo` on a free loopback port, on a fresh SQLite store."""
    data = tmp_path_factory.mktemp("e2e") / "var"
    env = {**os.environ, "SECONDMENTS_DATA_DIR": str(data), "SECONDMENTS_LOG_LEVEL": "WARNING"}
    port = _free_port()
    process = subprocess.Popen(
        [str(COMMAND), "serve", "--demo", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            if process.poll() is not None:
                pytest.fail(process.stderr.read().decode() if process.stderr else "server died")
            try:
                if httpx.get(f"{url}/readyz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        else:
            pytest.fail("the server did not become ready")
        yield url, Settings(data_dir=data)
    finally:
        process.terminate()
        process.communicate(timeout=15)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's Chromium; the test fails (never skips) when it is missing: run `make browser`."""
    if not Path(CHROMIUM).is_file():
        pytest.fail(f"{CHROMIUM} is missing: run `make browser` (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield launched
        launched.close()


def _page(browser: Any, viewport: dict[str, int] = DESKTOP) -> Any:
    context = browser.new_context(viewport=viewport, locale="vi-VN")
    context.set_default_timeout(10_000)
    return context.new_page()


def _shot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def _sign_in(page: Any, url: str, role: str) -> None:
    page.goto(f"{url}/ui")
    assert page.url.startswith(f"{url}/ui/sign-in")
    page.click(f'button[data-role="{role}"]')
    page.wait_for_url(re.compile(r".*/ui$"))


def _requested(url: str, settings: Settings) -> str:
    """A new request from the Sở KH&CN, made over the API as the agency would."""
    claims = {"sub": "e2e-agency", "role": "agency", "province_code": 11}
    token = mint_token(settings, {**claims, "home_agency": "Sở Khoa học và Công nghệ"})
    body = secondment_body()
    body["official"]["full_name"] = "Lò Văn Khánh"
    r = httpx.post(f"{url}/v1/secondments", json=body, headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 201, r.text
    return str(r.json()["id"])


def _count(page: Any, state: str) -> int:
    return int(page.locator(f'[data-state-count="{state}"]').inner_text())


def _overview_shows(page: Any, url: str, requested: int, approved: int) -> None:
    """Reloads the overview until the read models show these counts (about 10 s at most)."""
    for _ in range(50):
        page.goto(f"{url}/ui")
        if (_count(page, "requested"), _count(page, "approved")) == (requested, approved):
            return
        time.sleep(0.2)
    assert (_count(page, "requested"), _count(page, "approved")) == (requested, approved)


def test_sign_in_search_open_approve_and_see_the_overview(
    server: tuple[str, Settings], browser: Any
) -> None:
    url, settings = server
    page = _page(browser)
    page.goto(f"{url}/ui")
    _shot(page, "01-sign-in")
    _sign_in(page, url, "home_affairs")
    _shot(page, "02-overview")
    waiting, approved = _count(page, "requested"), _count(page, "approved")
    sid = _requested(url, settings)
    _overview_shows(page, url, waiting + 1, approved)

    page.goto(f"{url}/ui/secondments")
    page.fill("#q", "Dao Duy Hung")
    page.click("button#search")
    _shot(page, "02-search-dao-duy-hung")
    page.get_by_role("link", name="Đào Duy Hưng").first.click()
    page.wait_for_url(re.compile(r".*/ui/secondments/[0-9a-f-]{36}$"))
    assert page.locator("h1").inner_text() == "Đào Duy Hưng"
    assert page.locator(".timeline li").count() >= 5
    _shot(page, "03-record-dao-duy-hung")

    page.goto(f"{url}/ui/secondments/{sid}")
    page.click("#form-approve summary")
    page.fill("#form-approve-decision-number", "2611/QĐ-UBND")
    page.fill("#form-approve-decision-date", "05/11/2025")
    page.fill("#form-approve-decision-issuer", "UBND tỉnh Điện Biên")
    page.fill("#form-approve-start", "10/11/2025")
    page.fill("#form-approve-end", "09/05/2026")
    page.click("#form-approve button[type=submit]")
    page.wait_for_url(re.compile(r".*\?done=approve$"))
    assert page.locator(".alert.success").inner_text() == "Đã phê duyệt."
    assert page.locator(".subtitle .badge").inner_text() == "Đã phê duyệt"
    newest = page.locator(".timeline li").first.inner_text()
    assert "Phê duyệt: Chờ phê duyệt → Đã phê duyệt" in newest
    assert "Số 2611/QĐ-UBND ngày 05/11/2025" in newest
    _shot(page, "04-approved-timeline")

    _overview_shows(page, url, waiting, approved + 1)
    _shot(page, "05-overview-after-approval")


def test_a_refused_action_shows_the_vietnamese_error_next_to_its_field(
    server: tuple[str, Settings], browser: Any
) -> None:
    url, settings = server
    sid = _requested(url, settings)
    page = _page(browser)
    _sign_in(page, url, "ministry")
    page.goto(f"{url}/ui/secondments/{sid}")
    page.click("#form-approve summary")
    page.fill("#form-approve-decision-number", "2612/QĐ-UBND")
    page.fill("#form-approve-decision-date", "05/11/2025")
    page.fill("#form-approve-decision-issuer", "UBND tỉnh Điện Biên")
    page.fill("#form-approve-start", "10/11/2025")
    page.fill("#form-approve-end", "01/11/2025")
    page.click("#form-approve button[type=submit]")
    error = page.locator("#form-approve-end-error")
    assert error.inner_text().strip().endswith("Ngày kết thúc trước ngày bắt đầu.")
    assert page.locator("#form-approve-end").get_attribute("aria-invalid") == "true"
    assert page.locator("#form-approve-end").get_attribute("aria-describedby") is not None
    assert page.evaluate("document.activeElement.getAttribute('role')") == "alert"
    _shot(page, "06-refused-approval")


def test_pages_fit_a_phone(server: tuple[str, Settings], browser: Any) -> None:
    url, _ = server
    page = _page(browser, PHONE)
    _sign_in(page, url, "commune")
    for path, name in (
        ("/ui", "07-phone-overview-commune"),
        ("/ui/secondments", "08-phone-list"),
        ("/ui/communes/3194", "09-phone-commune"),
        ("/ui/lifecycle", "10-phone-lifecycle"),
    ):
        page.goto(f"{url}{path}")
        wide = page.evaluate("document.documentElement.scrollWidth")
        assert wide <= PHONE["width"], (path, wide)
        _shot(page, name)
