"""A Sở Nội vụ officer plans a batch in a real headless Chromium against `secondments serve
--demo`: creates a plan with targets, opens it, nominates two officials, matches, adjusts a seat
by hand, decides, and sees plan against actual. Screenshots under test-artifacts/ui/."""

from __future__ import annotations

import re
import uuid
from datetime import date
from typing import Any

from api.ui import labels
from tests.ui.test_browser import _page, _shot, _sign_in, browser, server

__all__ = ["browser", "server"]
IT = "information_technology"
PLAN_URL = re.compile(r".*/ui/plans/[0-9a-f-]{36}\?done=(\w+)(#\w+)?$")


PLAN_FORM = dict.fromkeys(("#title", "#issuer"), "Sở Nội vụ tỉnh Điện Biên") | {
    "#start": "20/10/2025",
    "#end": "19/04/2026",
}


def _fill(page: Any, inputs: dict[str, str]) -> None:
    for selector, value in inputs.items():
        page.fill(selector, value)


def _plans_page(url: str, browser: Any, role: str) -> tuple[Any, str]:
    """A new browser page signed in as `role`, on the plans list reached from the menu."""
    page = _page(browser)
    _sign_in(page, url, role)
    page.goto(f"{url}/ui")
    page.click('nav a[href="/ui/plans"]')
    return page, url


def _done(page: Any, action: str) -> None:
    page.wait_for_url(PLAN_URL)
    assert re.search(rf"done={action}\b", page.url), page.url


def _nominate(page: Any, name: str, agency: str, field: str) -> None:
    page.click("#open-nominate")
    _fill(page, {"#full_name": name, "#personnel_id": f"DB-{uuid.uuid4().hex[:8]}"})
    _fill(page, {"#position": "Phó Trưởng phòng", "#home_agency": agency})
    page.select_option("#category", "civil_servant")
    page.check('#nominate input[name="is_leader"]')
    for year in range(date.today().year - 4, date.today().year):
        page.select_option(f"#rating_{year}", "good")
    page.check(f'#nominate input[value="{field}"]')
    page.click("#submit-nomination")
    _done(page, "nominate")


def test_plan_nominate_match_adjust_decide_then_plan_against_actual(
    server: tuple[str, Any], browser: Any
) -> None:
    page, _ = _plans_page(server[0], browser, "home_affairs")
    page.click("#new-plan")
    _fill(page, PLAN_FORM)
    page.select_option("#place_0", "w3194")
    page.select_option("#fields_0", [IT, "construction"])
    page.fill("#seats_0", "2")
    page.select_option("#place_1", "w3325")
    page.select_option("#fields_1", ["justice"])
    _shot(page, "60-plan-new")
    page.click("#submit-plan")
    _done(page, "draft")
    assert page.locator("#plan-state").inner_text() == "Đang lập"

    page.click("#open")
    _done(page, "open")
    _nominate(page, "Đào Duy Hưng", "Sở Khoa học và Công nghệ", IT)
    _nominate(page, "Lò Thị Hiền", "Sở Tư pháp", "justice")
    assert page.locator("#nominations tbody tr").count() == 2
    page.click("#match")
    _done(page, "match")
    assert "2/3 vị trí đã có người" in page.locator("#coverage-summary").inner_text()
    assert page.locator("#assign svg.bars").count() == 1
    _shot(page, "61-plan-matched")

    page.select_option("#seat_0_0", "")
    page.select_option("#seat_0_1", label="Đào Duy Hưng (Sở Khoa học và Công nghệ)")
    page.click("#save-assignments")
    _done(page, "assign")
    assert page.locator("#row-seat_0_1 td").nth(4).inner_text() == labels.FIELDS[IT]
    assert page.locator("#row-seat_0_0 td").nth(4).inner_text() == "—"

    _fill(page, {"#decision_number": "3120/QĐ-UBND", "#decision_date": "17/10/2025"})
    _fill(page, {"#batch": "Đợt 1"})
    page.click("#submit-decision")
    _done(page, "decide")
    assert page.locator("#plan-state").inner_text() == "Đã quyết định"
    rows = page.locator("#plan-vs-actual tbody tr")
    assert rows.count() == 2
    assert rows.nth(0).inner_text().split("\t")[1:4] == ["2", "1", "1"]
    _shot(page, "62-plan-decided")
    page.click("#decision-link")
    page.wait_for_url(re.compile(r".*/ui/decisions\?number=.*"))
    assert "2 cán bộ" in page.locator(".subtitle").inner_text()


def test_the_demo_plans_name_the_decisions_that_followed(
    server: tuple[str, Any], browser: Any
) -> None:
    page, url = _plans_page(server[0], browser, "ministry")
    page.click("text=86 người được đề xuất")
    assert "2446/QĐ-UBND" in page.locator("#closed").inner_text()
    assert page.locator("#nominations tbody tr").count() == 86
    assert "52/52 vị trí đã có người" in page.locator("#coverage-summary").inner_text()
    page.goto(f"{url}/ui/plans")
    page.click("text=Thí điểm tăng cường cán bộ Bộ Nội vụ")
    assert "Nhiều tỉnh, thành phố" in page.locator(".subtitle").inner_text()
    assert page.locator("#seats tbody tr").count() == 34
    _shot(page, "63-demo-ministry-plan")
