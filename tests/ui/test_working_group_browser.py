"""Recording a working group's visit in a real headless Chromium against `serve --demo`: the
visit's issue opens a difficulty on a secondment at that commune, and the secondment's page
links back to the visit; the ministry sees the communes no group has visited."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from api.settings import Settings
from tests.ui.test_browser import _page, _shot, _sign_in, browser, server

__all__ = ["browser", "server"]  # the real server and Chromium, as test_browser.py starts them


def _signed_in(server: tuple[str, Settings], browser: Any, role: str) -> tuple[Any, str]:
    page = _page(browser)
    _sign_in(page, server[0], role)
    return page, server[0]


def test_record_a_visit_that_opens_a_difficulty(server: tuple[str, Settings], browser: Any) -> None:
    page, _ = _signed_in(server, browser, "home_affairs")
    page.click('nav a[href="/ui/working-groups"]')
    page.get_by_role("link", name="Tổ công tác hỗ trợ (mẫu)").click()
    page.wait_for_url(re.compile(r".*/ui/working-groups/[0-9a-f-]{36}$"))
    assert page.locator("#visit-1").count() == 1
    today = datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).strftime("%d/%m/%Y")
    page.select_option("#ward_code", index=0)
    page.fill("#visited_on", today)
    page.fill("#findings", "Bộ phận một cửa thiếu máy scan")
    page.fill("#guidance", "Hướng dẫn số hóa hồ sơ")
    page.fill('[id="issues.0.title"]', "Chưa số hóa hồ sơ hộ tịch")
    page.fill('[id="issues.0.detail"]', "Hồ sơ hộ tịch từ 2010 chưa được số hóa")
    page.select_option('[id="issues.0.field"]', "digital_transformation")
    chosen = page.locator('[id="issues.0.secondment_id"] option', has_text="Cán bộ mẫu số 1")
    page.select_option('[id="issues.0.secondment_id"]', chosen.first.get_attribute("value"))
    _shot(page, "20-working-group-visit-form")
    page.click("#record-visit")
    page.wait_for_url(re.compile(r".*\?done=visit$"))
    assert page.locator(".alert.success").inner_text() == "Đã ghi nhận."
    visit = page.locator("#visit-2")
    assert "Chưa số hóa hồ sơ hộ tịch" in visit.inner_text()
    _shot(page, "21-working-group-visit-recorded")
    visit.get_by_role("link").click()
    page.wait_for_url(re.compile(r".*/ui/secondments/[0-9a-f-]{36}$"))
    link = page.get_by_role("link", name="Phát sinh từ buổi làm việc số 2 của tổ công tác")
    assert link.count() == 1
    _shot(page, "22-difficulty-from-visit")
    link.click()
    page.wait_for_url(re.compile(r".*/ui/working-groups/[0-9a-f-]{36}#visit-2$"))


def test_the_ministry_sees_the_communes_no_group_visited(
    server: tuple[str, Settings], browser: Any
) -> None:
    page, url = _signed_in(server, browser, "ministry")
    page.goto(f"{url}/ui/working-groups")
    for n in (1, 2, 3):
        assert page.get_by_role("link", name=f"Tổ công tác số {n}").count() == 1
    page.click("#coverage")
    heading = page.locator("#unvisited-title").inner_text()
    assert re.search(r"chưa có tổ công tác nào đến làm việc \(\d+\)", heading)
    assert "Thành phố Đà Nẵng" in page.locator("main").inner_text()
    _shot(page, "23-working-group-coverage")
