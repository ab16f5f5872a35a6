"""The secondment page for each role, its action forms, their Vietnamese errors, and the past."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import pytest

from domain.deadlines import Cadence
from tests.api.helpers import KHCN, secondment_body
from tests.ui.helpers import Dashboard, error_of, hidden_fields

APPROVE = {
    "decision.number": "2446/QĐ-UBND",
    "decision.date": "17/10/2025",
    "decision.issuer": "UBND tỉnh Điện Biên",
    "start": "20/10/2025",
    "end": "19/04/2026",
}
FORMS = 'action="/ui/secondments/{sid}/{action}"'
ROLE_FORMS: dict[str, tuple[dict[str, Any], set[str]]] = {
    "home_affairs": ({}, {"approve", "reject", "withdraw"}),
    "ministry": ({}, {"approve", "reject", "withdraw"}),
    "agency": ({}, {"withdraw"}),
    "commune": ({}, set()),
    "auditor": ({}, set()),
}
ALL = ("approve", "reject", "withdraw", "deploy", "report", "extend", "handover", "end", "recall")
HIDDEN_FROM = (
    ("official", {"personnel_id": "DB-someone-else"}),
    ("commune", {"ward_code": 3193}),
    ("agency", {"home_agency": "Sở Xây dựng"}),
    ("home_affairs", {"province_code": 1}),
    ("auditor", {"province_code": 1}),
)


def forms_on(html: str, sid: str) -> set[str]:
    return {a for a in ALL if FORMS.format(sid=sid, action=a) in html}


def test_each_role_sees_the_record_and_only_its_own_actions(ui: Dashboard) -> None:
    sid = ui.api.create()["id"]
    for role, (claims, expected) in ROLE_FORMS.items():
        ui.sign_in(role, **claims)
        html = ui.page(sid)
        assert "Đào Duy Hưng" in html and "Chờ phê duyệt" in html, role
        assert "Xã Nậm Nèn" in html and KHCN in html
        assert "20/10/2025 – 19/04/2026" in html
        assert forms_on(html, sid) == expected, role


def test_records_outside_the_scope_are_not_found_and_admin_reads_none(ui: Dashboard) -> None:
    sid = ui.api.create()["id"]
    for role, claims in HIDDEN_FROM:
        ui.sign_in(role, **claims)
        r = ui.get(f"/ui/secondments/{sid}")
        assert r.status_code == 404, role
        assert "Không tìm thấy" in r.text and "Đào Duy Hưng" not in r.text
    ui.sign_in("admin")
    r = ui.get(f"/ui/secondments/{sid}")
    assert r.status_code == 403 and "Không có quyền" in r.text


def test_approving_through_the_form_records_it_and_shows_it_on_the_timeline(
    ui: Dashboard,
) -> None:
    sid = ui.api.create()["id"]
    ui.sign_in("home_affairs")
    r = ui.submit(sid, "approve", **APPROVE)
    assert (r.status_code, r.headers["location"]) == (303, f"/ui/secondments/{sid}?done=approve")
    html = ui.page(sid, "?done=approve")
    assert "Đã phê duyệt." in html
    assert "<strong>Phê duyệt</strong>: Chờ phê duyệt → Đã phê duyệt" in html
    assert '<span title="home_affairs-tester">home_affairs-tester</span> (Sở Nội vụ)' in html
    assert "Số 2446/QĐ-UBND ngày 17/10/2025 của UBND tỉnh Điện Biên" in html
    assert ui.api.registry.get(UUID(sid)).state == "approved"


def test_a_refused_action_shows_the_vietnamese_error_next_to_its_field(ui: Dashboard) -> None:
    sid = ui.api.create()["id"]
    ui.sign_in("home_affairs")
    r = ui.submit(sid, "approve", **{**APPROVE, "end": "01/10/2025"})
    assert r.status_code == 422
    assert error_of(r.text, "form-approve-end") == "Ngày kết thúc trước ngày bắt đầu."
    assert 'id="form-approve" open' in r.text
    assert 'value="01/10/2025"' in r.text
    assert ui.api.registry.get(UUID(sid)).version == 1


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"start": "32/13/2025"}, "start", "Ngày phải có dạng dd/mm/yyyy, ví dụ 20/10/2025."),
        ({"decision.number": ""}, "decision-number", "Vui lòng nhập thông tin này."),
        ({"decision.issuer": "   "}, "decision-issuer", "Vui lòng nhập thông tin này."),
    ],
)
def test_input_errors_are_shown_before_anything_is_recorded(
    ui: Dashboard, values: dict[str, str], field: str, message: str
) -> None:
    sid = ui.api.create()["id"]
    ui.sign_in("ministry")
    r = ui.submit(sid, "approve", **{**APPROVE, **values})
    assert r.status_code == 422
    assert error_of(r.text, f"form-approve-{field}") == message


def test_an_ineligible_official_needs_an_override_reason(ui: Dashboard) -> None:
    body = secondment_body()
    body["official"] = {**body["official"], "appraisals": [{"year": 2024, "rating": "completed"}]}
    sid = ui.api.create(official=body["official"])["id"]
    ui.sign_in("home_affairs")
    r = ui.submit(sid, "approve", **APPROVE)
    assert error_of(r.text, "form-approve-override_reason").startswith("Cán bộ chưa đủ điều kiện")
    reason = "Cán bộ duy nhất có chuyên môn công nghệ thông tin"
    r = ui.submit(sid, "approve", **APPROVE, override_reason=reason)
    assert r.status_code == 303
    assert f"Lý do, nội dung: {reason}" in ui.page(sid)


def test_a_form_for_an_older_version_is_refused(ui: Dashboard) -> None:
    sid = ui.api.create()["id"]
    ui.sign_in("home_affairs")
    r = ui.submit(sid, "approve", **APPROVE, version="7")
    assert r.status_code == 422
    assert "Hồ sơ vừa được người khác cập nhật." in r.text


def test_a_form_sent_twice_records_once(ui: Dashboard) -> None:
    sid = ui.api.create()["id"]
    ui.sign_in("home_affairs")
    target = f"/ui/secondments/{sid}/reject"

    fields = hidden_fields(ui.page(sid), target)
    for _ in range(2):
        r = ui.client.post(target, data={**fields, "reason": "Chưa đủ điều kiện"})
        assert r.status_code == 200, r.text
    assert ui.api.registry.get(UUID(sid)).version == 2


def test_a_role_that_may_not_act_is_refused_and_nothing_is_recorded(ui: Dashboard) -> None:
    sid = ui.api.create()["id"]
    ui.sign_in("home_affairs")
    page = ui.page(sid)
    ui.sign_in("agency")

    fields = hidden_fields(page, f"/ui/secondments/{sid}/approve")
    fields["csrf"] = hidden_fields(ui.page(sid), "/ui/sign-out")["csrf"]
    r = ui.client.post(f"/ui/secondments/{sid}/approve", data={**fields, **APPROVE})
    assert r.status_code == 422
    assert "Vai trò của bạn không được thực hiện thao tác này" in r.text
    assert ui.api.registry.get(UUID(sid)).version == 1


def test_forms_need_the_session_csrf_token_and_the_same_origin(ui: Dashboard) -> None:
    sid = ui.api.create()["id"]
    ui.sign_in("home_affairs")

    fields = hidden_fields(ui.page(sid), f"/ui/secondments/{sid}/reject")
    target = f"/ui/secondments/{sid}/reject"
    bad = {**fields, "csrf": "0" * 64, "reason": "x"}
    assert ui.client.post(target, data=bad).status_code == 403
    cross = {"Origin": "https://evil.example"}
    r = ui.client.post(target, data={**fields, "reason": "x"}, headers=cross)
    assert r.status_code == 403
    assert ui.api.registry.get(UUID(sid)).version == 1


def test_a_run_of_missed_reports_is_folded_into_one_expandable_line(ui: Dashboard) -> None:
    sid = str(ui.api.create()["id"])
    for action, role in (("approve", "home_affairs"), ("deploy", "commune")):
        assert ui.api.act(sid, action, role).status_code == 200
    registry = ui.api.registry
    flagged = registry.record_due(UUID(sid), datetime(2026, 1, 20, tzinfo=UTC), Cadence())
    overdue = [r for r in flagged if r.event_type == "ReportOverdue"]
    assert len(overdue) == 12
    ui.sign_in("home_affairs")
    html = ui.page(sid)
    summary = re.search(r'<li class="folded">\s*<details>\s*<summary><strong>([^<]+)<', html)
    assert summary is not None
    assert summary.group(1) == "Quá hạn báo cáo: 12 kỳ, từ 20/10/2025 đến 11/01/2026"
    folded = html[summary.end() : html.index("</details>", summary.end())]
    assert folded.count("<li>") == 12
    assert html.count('<li class="folded">') == 1


def test_the_printable_record_is_laid_out_for_paper(ui: Dashboard) -> None:
    sid = str(ui.api.create()["id"])
    assert ui.api.act(sid, "approve").status_code == 200
    ui.sign_in("auditor")
    assert f'href="/ui/secondments/{sid}/print"' in ui.page(sid)
    html = ui.get(f"/ui/secondments/{sid}/print").text
    assert '<link rel="stylesheet" href="/ui/static/print.css">' in html
    assert "PHIẾU THÔNG TIN HỒ SƠ BIỆT PHÁI" in html and "Độc lập - Tự do - Hạnh phúc" in html
    assert "Số 2446/QĐ-UBND ngày 17/10/2025 của UBND tỉnh Điện Biên" in html
    steps = re.findall(r'<tr><td class="num">(\d+)</td>', html)
    assert steps == ["1", "2"]
    css = ui.get("/ui/static/print.css")
    assert css.status_code == 200 and "@page" in css.text
    ui.sign_in("commune", ward_code=3356)
    assert ui.get(f"/ui/secondments/{sid}/print").status_code == 404


def test_the_timeline_shows_a_correction_beside_the_fact_it_corrects(ui: Dashboard) -> None:
    sid = ui.api.create(requested_on="2025-10-01")["id"]
    assert ui.api.act(sid, "approve").status_code == 200
    assert ui.api.act(sid, "deploy", "commune").status_code == 200
    body = {"version": 3, "changes": {"arrived_on": "2025-10-20"}, "reason": "Nhập nhầm ngày"}
    r = ui.api.client.post(
        f"/v1/secondments/{sid}/corrections", json=body, headers=ui.api.headers("home_affairs")
    )
    assert r.status_code == 200, r.text
    ui.sign_in("home_affairs")
    html = ui.page(sid)
    assert "Đính chính" in html and "Nhập nhầm ngày" in html
    assert "arrived_on" in html and "2025-10-20" in html
    assert "Đến nhận nhiệm vụ" in html
