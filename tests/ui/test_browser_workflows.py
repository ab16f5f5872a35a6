"""A Sở Nội vụ officer's day in a real headless Chromium against `secondments serve --demo`:
create a request, import a 20-row spreadsheet (two bad rows: see the Vietnamese row errors, fix,
import), approve the batch under one decision, print the decision's list; a commune declares its
needs; an auditor opens the audit log; the API docs load with the network blocked. Screenshots
are kept under test-artifacts/ui/."""

from __future__ import annotations

import re
import time
import uuid
from typing import Any

from api.settings import Settings
from tests.api.list_sheets import row, xlsx
from tests.ui.test_browser import PHONE, _page, _shot, _sign_in, browser, server

__all__ = ["browser", "server"]
AGENCY = "Trung tâm Chuyển đổi số tỉnh"
YEAR = 2026
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _headers() -> list[str]:
    from api.imports import template_columns

    return template_columns(YEAR)


def _rows(bad: bool) -> list[list[Any]]:
    """Twenty officials of one agency; with `bad`, rows 4 and 9 of the sheet are wrong (a ward
    that does not exist, an end before the start)."""
    headers = _headers()
    changes = {"Cơ quan cử": AGENCY, "Từ ngày": "01/03/2026", "Đến ngày": "31/08/2026"}
    rows = [row(headers, i, **changes) for i in range(20)]
    if bad:
        rows[2] = row(headers, 2, **{**changes, "Mã xã, phường nhận": 99999})
        rows[7] = row(headers, 7, **{**changes, "Đến ngày": "01/10/2025"})
    return rows


def _upload(page: Any, content: bytes) -> None:
    page.goto(page.url.split("/ui")[0] + "/ui/imports")
    page.set_input_files(
        "#file", files=[{"name": "danh-sach.xlsx", "mimeType": XLSX, "buffer": content}]
    )
    page.click("#preview")
    page.wait_for_load_state()


def test_create_a_request_then_import_a_list_and_approve_it_under_one_decision(
    server: tuple[str, Settings], browser: Any
) -> None:
    url, _ = server
    page = _page(browser)
    _sign_in(page, url, "home_affairs")

    page.goto(f"{url}/ui/secondments/new")
    page.fill("#full_name", "Lò Thị Hoa")
    page.fill("#personnel_id", f"DB-{uuid.uuid4().hex[:8]}")
    page.select_option("#category", "civil_servant")
    page.fill("#position", "Phó Trưởng phòng Tư pháp")
    page.check('input[name="is_leader"]')
    for year in (2023, 2024, 2025):
        page.select_option(f"#rating_{year}", "good")
    page.fill("#home_agency", "Sở Tư pháp")
    page.fill("#ward_code", "3194 — Xã Nậm Nèn")
    page.check('input[value="justice"]')
    page.fill("#planned_start", "01/12/2026")
    page.fill("#planned_end", "31/05/2027")
    page.fill("#reason", "Xã thiếu công chức tư pháp")
    _shot(page, "20-new-request-form")
    page.click("#submit-request")
    page.wait_for_url(re.compile(r".*/ui/secondments/[0-9a-f-]{36}\?done=request$"))
    assert page.locator("h1").inner_text() == "Lò Thị Hoa"
    assert page.locator(".alert.success").inner_text() == "Đã lập đề nghị biệt phái."
    _shot(page, "21-new-request-created")

    _upload(page, xlsx(_headers(), _rows(bad=True)))
    problems = page.locator("#row-problems tbody tr")
    assert problems.count() == 2
    assert problems.nth(0).inner_text().split("\t")[:2] == ["4", "Mã xã, phường nhận"]
    assert "không có trong danh mục" in problems.nth(0).inner_text()
    assert "Ngày kết thúc trước ngày bắt đầu." in problems.nth(1).inner_text()
    assert page.locator("#do-import").count() == 0
    _shot(page, "22-import-preview-two-bad-rows")

    _upload(page, xlsx(_headers(), _rows(bad=False)))
    assert page.locator("#preview-ok").is_visible()
    _shot(page, "23-import-preview-clean")
    page.click("#do-import")
    page.wait_for_selector("#import-done")
    assert "Đã ghi nhận 20 đề nghị" in page.locator("#import-done").inner_text()
    _shot(page, "24-import-done")

    listing = f"{url}/ui/decisions/new?home_agency={AGENCY}"
    for _ in range(50):
        page.goto(listing)
        if page.locator("#candidates tbody tr").count() == 20:
            break
        time.sleep(0.2)
    assert page.locator("#candidates tbody tr").count() == 20
    page.check("#select-all")
    page.fill("#decision_number", "3001/QĐ-UBND")
    page.fill("#decision_date", "20/02/2026")
    page.fill("#decision_issuer", "UBND tỉnh Điện Biên")
    page.fill("#start", "01/03/2026")
    page.fill("#end", "31/08/2026")
    page.click("#check")
    page.wait_for_selector("#all-pass")
    assert "Tất cả 20 hồ sơ" in page.locator("#all-pass").inner_text()
    _shot(page, "25-decision-checked")
    page.click("#approve")
    page.wait_for_url(re.compile(r".*/ui/decisions\?number=.*&done=approve$"))
    assert "20 cán bộ" in page.locator(".subtitle").inner_text()
    _shot(page, "26-decision-approved")

    page.click("#print-list")
    page.wait_for_url(re.compile(r".*/ui/decisions/print\?number=.*"))
    page.emulate_media(media="print")
    assert page.locator("h1").inner_text() == "DANH SÁCH"
    assert "Kèm theo Quyết định số 3001/QĐ-UBND ngày 20/02/2026" in page.inner_text("body")
    assert page.locator("table.list tbody tr").count() == 20
    assert not page.locator(".no-print").first.is_visible()
    _shot(page, "27-decision-list-printed")


def test_a_commune_declares_its_needs_and_an_auditor_reads_the_log(
    server: tuple[str, Settings], browser: Any
) -> None:
    url, _ = server
    page = _page(browser)
    _sign_in(page, url, "commune")
    page.goto(f"{url}/ui/communes/3194")
    page.click("#declare-needs")
    page.wait_for_url(re.compile(r".*/ui/communes/3194/needs$"))
    page.check('input[value="records_archives"]')
    page.fill("#note", "Thiếu công chức văn thư, lưu trữ")
    _shot(page, "28-needs-form")
    page.click("#declare")
    page.wait_for_url(re.compile(r".*/ui/communes/3194\?done=needs$"))
    assert "Văn thư, lưu trữ" in page.locator("#needs-title + p").inner_text()
    _shot(page, "29-needs-declared")

    auditor = _page(browser)
    _sign_in(auditor, url, "auditor")
    auditor.goto(f"{url}/ui/audit?type=Approved")
    rows = auditor.locator("#audit tbody tr")
    assert rows.count() > 0
    assert "Phê duyệt" in rows.first.inner_text()
    assert "Sở Nội vụ tỉnh Điện Biên" in auditor.locator("#audit").inner_text()
    assert "snv-dien-bien" not in auditor.locator("#audit").inner_text()
    _shot(auditor, "30-audit-auditor")


def test_the_api_docs_load_with_the_network_blocked(
    server: tuple[str, Settings], browser: Any
) -> None:
    url, _ = server
    context = browser.new_context()
    outside: list[str] = []

    def block(route: Any) -> None:
        if route.request.url.startswith(url):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", block)
    page = context.new_page()
    page.goto(f"{url}/docs")
    page.wait_for_selector(".swagger-ui .info .title", timeout=15_000)
    assert "Secondment Registry" in page.locator(".swagger-ui .info .title").inner_text()
    _shot(page, "31-docs-offline")
    page.goto(f"{url}/redoc")
    page.wait_for_selector("h1", timeout=15_000)
    assert "Secondment Registry" in page.locator("h1").first.inner_text()
    assert outside == []
    context.close()


def test_the_new_pages_fit_a_phone(server: tuple[str, Settings], browser: Any) -> None:
    url, _ = server
    page = _page(browser, PHONE)
    _sign_in(page, url, "home_affairs")
    for path, name in (
        ("/ui/secondments/new", "32-phone-new-request"),
        ("/ui/imports", "33-phone-imports"),
        ("/ui/decisions/new", "34-phone-decision"),
        ("/ui/audit", "35-phone-audit"),
        ("/ui/reports/agencies", "36-phone-report-agencies"),
        ("/ui/reports/deadlines?within_days=365", "37-phone-report-deadlines"),
        ("/ui/communes/3194/needs", "38-phone-needs"),
    ):
        page.goto(f"{url}{path}")
        wide = page.evaluate("document.documentElement.scrollWidth")
        assert wide <= PHONE["width"], (path, wide)
        _shot(page, name)
