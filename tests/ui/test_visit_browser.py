"""Proposing and scheduling a study visit in a real headless Chromium against `secondments serve
--demo`: the commune proposes on the form, the department's chosen week is full, the page shows
the free weeks, and the visit is scheduled in one of them."""

from __future__ import annotations

import re
from typing import Any

import httpx

from api.auth import mint_token
from api.settings import Settings
from tests.ui.test_browser import _page, _shot, _sign_in, browser, server

__all__ = ["browser", "server"]
UNIT = "Phòng Xây dựng chính quyền"
PROPOSAL = {
    "participants": "Lò Văn Mẫu (mẫu); Công chức Văn phòng\nQuàng Thị Mẫu (mẫu); Công chức Tư pháp",
    "topics": "Số hóa hồ sơ một cửa",
    "preferred_weeks": "2026-W10",
}


def _fill_week(url: str, settings: Settings) -> None:
    """Two visits of another commune take the unit's places in 2026-W10 (over the API)."""
    token = mint_token(settings, {"sub": "e2e-snv", "role": "home_affairs", "province_code": 11})
    headers = {"Authorization": f"Bearer {token}"}
    body = {"ward_code": 3325, "participants": [{"full_name": "X (mẫu)", "position": "Công chức"}]}
    body |= {"topics": ["Một cửa"], "host_unit": "Sở Nội vụ tỉnh Điện Biên"}
    for day in ("2026-03-02", "2026-03-03"):
        created = httpx.post(f"{url}/v1/study-visits", json=body, headers=headers).json()
        slot = {"start": day, "end": day, "unit": UNIT}
        r = httpx.post(
            f"{url}/v1/study-visits/{created['id']}/schedule", json=slot, headers=headers
        )
        assert r.status_code == 200, r.text


def _schedule(page: Any, start: str, end: str) -> None:
    for field, value in (("start", start), ("end", end), ("unit", UNIT)):
        page.fill(f"#form-schedule #{field}", value)
    page.click("#do-schedule")


def test_propose_then_schedule_into_a_free_week(server: tuple[str, Settings], browser: Any) -> None:
    url, settings = server
    _fill_week(url, settings)
    page = _page(browser)
    _sign_in(page, url, "commune")
    page.click("text=Học tập tại Sở")
    page.click("#propose-visit")
    for field, value in PROPOSAL.items():
        page.fill(f"#{field}", value)
    _shot(page, "visit-01-propose")
    page.click("#send-proposal")
    page.wait_for_url(re.compile(r".*/ui/study-visits/[0-9a-f-]{36}\?done=proposed$"))
    assert page.locator("#visit-state").inner_text() == "Đề xuất"
    visit_url = page.url.split("?")[0]

    page = _page(browser)
    _sign_in(page, url, "home_affairs")
    page.goto(visit_url)
    _schedule(page, "04/03/2026", "05/03/2026")
    free = page.locator("#free-weeks").inner_text()
    assert "2026-W11" in free
    _shot(page, "visit-02-week-full")
    _schedule(page, "10/03/2026", "10/03/2026")
    page.wait_for_url(re.compile(r".*\?done=schedule$"))
    assert page.locator("#visit-state").inner_text() == "Đã xếp lịch"
    assert "tuần 2026-W11" in page.locator("#visit-slot").inner_text()
    _shot(page, "visit-03-scheduled")
