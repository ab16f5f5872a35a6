"""Creating requests from the dashboard: the new-request form and the list import, on each
backend, through the pages' own forms (CSRF, idempotency key)."""

from __future__ import annotations

import re
from html import unescape

from tests.api.list_sheets import row, template_headers, with_two_bad_rows, xlsx
from tests.ui.helpers import HIDDEN, Dashboard, error_of, hidden_fields

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
GOOD = {
    "full_name": "Nguyễn Quang Dũng",
    "personnel_id": "DB-SXD-0042",
    "category": "civil_servant",
    "position": "Phó Trưởng phòng Quản lý xây dựng",
    "is_leader": "on",
    "home_agency": "Sở Xây dựng",
    "ward_code": "3356 — Xã Sam Mứn",
    "kind": "secondment",
    "fields": ["construction", "land_management"],
    "planned_start": "20/10/2025",
    "planned_end": "19/04/2026",
    "reason": "Xã thiếu cán bộ xây dựng, đất đai",
}


def _ratings(html: str, rating: str) -> dict[str, str]:
    return dict.fromkeys(re.findall(r'name="(rating_\d{4})"', html), rating)


def _post_new(ui: Dashboard, **values: object) -> tuple[str, object]:
    page = ui.get("/ui/secondments/new").text
    data = {**hidden_fields(page, "/ui/secondments/new"), **_ratings(page, "good"), **values}
    r = ui.client.post("/ui/secondments/new", data=data, follow_redirects=False)
    return page, r


def _events(ui: Dashboard) -> int:
    return int(ui.api.registry.recorder.max_notification_id() or 0)


def test_a_home_affairs_officer_creates_a_request(ui: Dashboard) -> None:
    ui.sign_in("home_affairs")
    page, r = _post_new(ui, **GOOD)
    assert "3194 — Xã Nậm Nèn" in page and 'list="wards"' in page
    assert r.status_code == 303, r.text  # type: ignore[attr-defined]
    target = r.headers["location"]  # type: ignore[attr-defined]
    assert re.fullmatch(r"/ui/secondments/[0-9a-f-]{36}\?done=request", target)
    record = ui.get(target).text
    assert "Đã lập đề nghị biệt phái." in record and "Nguyễn Quang Dũng" in record
    assert "Xã Sam Mứn" in record


def test_missing_and_wrong_fields_are_shown_next_to_their_inputs(ui: Dashboard) -> None:
    ui.sign_in("home_affairs")
    before = _events(ui)
    bad = {**GOOD, "full_name": "", "planned_start": "2025-13-40", "fields": [], "ward_code": "9"}
    _, r = _post_new(ui, **bad)
    html = r.text  # type: ignore[attr-defined]
    assert r.status_code == 422  # type: ignore[attr-defined]
    assert error_of(html, "full_name") == "Không được để trống."
    assert error_of(html, "planned_start") == "Ngày phải có dạng dd/mm/yyyy, ví dụ 20/10/2025."
    assert error_of(html, "fields") == "Cần ít nhất một mục."
    assert 'value="Phó Trưởng phòng Quản lý xây dựng"' in html
    assert _events(ui) == before
    _, r = _post_new(ui, **{**GOOD, "ward_code": "99999"})
    assert "Mã xã, phường không có trong danh mục" in error_of(r.text, "ward_code")  # type: ignore[attr-defined]


def test_an_ineligible_official_is_warned_about_before_the_request_is_sent(ui: Dashboard) -> None:
    ui.sign_in("home_affairs")
    before = _events(ui)
    weak = {k: v for k, v in GOOD.items() if k != "is_leader"}
    page, r = _post_new(ui, **weak)
    html = r.text  # type: ignore[attr-defined]
    assert r.status_code == 200 and 'id="eligibility-warning"' in html  # type: ignore[attr-defined]
    assert "Không giữ chức vụ lãnh đạo, quản lý và không trong quy hoạch" in html
    assert _events(ui) == before
    data = {**hidden_fields(html, "/ui/secondments/new"), **_ratings(page, "good"), **weak}
    assert data["confirmed"] == "yes"
    r2 = ui.client.post("/ui/secondments/new", data=data, follow_redirects=False)
    assert r2.status_code == 303
    record = ui.get(r2.headers["location"]).text
    assert "neither a leader" not in record


def test_roles_that_may_not_request_get_no_form(ui: Dashboard) -> None:
    ui.sign_in("auditor")
    assert ui.get("/ui/secondments/new").status_code == 403
    assert ui.get("/ui/imports").status_code == 403
    assert "Lập đề nghị" not in ui.get("/ui").text


def _preview(ui: Dashboard, content: bytes, **form: str) -> str:
    page = ui.get("/ui/imports").text
    data = {**hidden_fields(page, "/ui/imports"), **form}
    files = {"file": ("danh-sach.xlsx", content, XLSX)}
    r = ui.client.post("/ui/imports", data=data, files=files)
    assert r.status_code == 200, r.text
    return r.text


def _import_form(html: str) -> dict[str, str]:
    """The hidden fields of the preview's import form (the previewed file travels in it)."""
    start = html.rindex("<form", 0, html.index('name="step" value="import"'))
    block = html[start : html.index("</form>", start)]
    return {name: unescape(value) for name, value in HIDDEN.findall(block)}


def _headers(ui: Dashboard) -> list[str]:
    r = ui.get("/ui/imports/template")
    assert r.headers["content-type"] == XLSX
    headers = template_headers(r.content)
    return [
        *headers,
        *(f"Xếp loại năm {y}" for y in (2022, 2023, 2024) if f"Xếp loại năm {y}" not in headers),
    ]


def test_a_list_is_previewed_with_vietnamese_row_errors_then_imported(ui: Dashboard) -> None:
    ui.sign_in("home_affairs")
    headers = _headers(ui)
    before = _events(ui)
    html = _preview(ui, xlsx(headers, with_two_bad_rows(headers)))
    problems = re.findall(
        r'<tr class="bad"><td class="num">(\d+)</td><td>([^<]*)</td><td>([^<]*)</td>', html
    )
    assert [(int(n), unescape(c), unescape(m)) for n, c, m in problems] == [
        (
            4,
            "Mã xã, phường nhận",
            "Mã xã, phường không có trong danh mục đơn vị hành chính, hoặc không thuộc tỉnh này.",
        ),
        (9, "Đến ngày", "Ngày kết thúc trước ngày bắt đầu."),
    ]
    assert 'id="do-import"' not in html and _events(ui) == before
    decision = {
        "decision_number": "2446/QĐ-UBND",
        "decision_date": "17/10/2025",
        "decision_issuer": "UBND tỉnh Điện Biên",
        "start": "20/10/2025",
        "end": "19/04/2026",
    }
    html = _preview(ui, xlsx(headers, [row(headers, i) for i in range(20)]), **decision)
    assert 'id="preview-ok"' in html and "Ghi nhận 20 đề nghị" in html
    assert _events(ui) == before
    fields = _import_form(html)
    r = ui.client.post("/ui/imports", data=fields)
    assert r.status_code == 200 and "Đã ghi nhận 20 đề nghị, đã phê duyệt" in r.text
    after = _events(ui)
    assert after >= before + 40  # 20 requested, 20 approved (and any engagements)
    again = ui.client.post("/ui/imports", data=fields)
    assert again.status_code == 200 and "Đã ghi nhận 20 đề nghị" in again.text
    assert _events(ui) == after
