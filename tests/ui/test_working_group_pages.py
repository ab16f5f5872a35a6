"""Working groups from the dashboard, on each backend: form a group, record a visit whose
issue opens a difficulty on a secondment at the commune (the secondment's page links back to
the visit), refusals shown at their fields, and the coverage report with its exports."""

from __future__ import annotations

import io
import re

from openpyxl import load_workbook

from tests.api.groups import DA_NANG, OTHER, WARD, on_post
from tests.ui.helpers import Dashboard, error_of, hidden_fields

NEW = {
    "name": "Tổ công tác số 1",
    "leader.full_name": "Trần Văn An",
    "leader.position": "Phó Giám đốc Sở",
    "leader.unit": "Sở Nội vụ",
    "members": "Lê Thị Bình; Chuyên viên chính; Bộ Nội vụ\nPhạm Văn Cường; Chuyên viên; Sở Nội vụ",
    "formed_on": "15/09/2025",
}


def _formed(ui: Dashboard) -> str:
    page = ui.get("/ui/working-groups/new").text
    data = {**hidden_fields(page, "/ui/working-groups/new"), **NEW, "ward_codes": [WARD, OTHER]}
    r = ui.client.post("/ui/working-groups/new", data=data, follow_redirects=False)
    assert r.status_code == 303, r.text
    found = re.match(r"/ui/working-groups/([0-9a-f-]{36})\?done=form$", r.headers["location"])
    assert found
    return found.group(1)


def test_form_visit_and_the_difficulty_link(live_ui: Dashboard) -> None:
    sid = on_post(live_ui.api)
    live_ui.caught_up()
    live_ui.sign_in("home_affairs", province_code=DA_NANG)
    gid = _formed(live_ui)
    page = live_ui.get(f"/ui/working-groups/{gid}").text
    assert "Lê Thị Bình, Chuyên viên chính, Bộ Nội vụ" in page
    assert f'<option value="{sid}">' in page
    target = f"/ui/working-groups/{gid}/visits"
    visit = {
        **hidden_fields(page, target),
        "ward_code": str(WARD),
        "visited_on": "02/10/2025",
        "findings": "Thiếu công chức địa chính",
        "guidance": "Hướng dẫn quy trình một cửa",
        "issues.0.title": "Hồ sơ đất đai tồn đọng",
        "issues.0.detail": "Chưa có bản đồ địa chính số",
        "issues.0.field": "land_management",
        "issues.0.secondment_id": sid,
    }
    future = live_ui.client.post(target, data={**visit, "visited_on": "01/01/2999"})
    assert future.status_code == 422
    assert error_of(future.text, "visited_on") == "Ngày này muộn hơn ngày hôm nay (giờ Việt Nam)."
    done = live_ui.client.post(target, data=visit, follow_redirects=False)
    assert done.status_code == 303, done.text
    shown = live_ui.get(done.headers["location"]).text
    assert 'id="visit-1"' in shown and f'href="/ui/secondments/{sid}"' in shown
    assert re.search(r'id="not-visited">[^<]*Xã', shown)
    assert "<td>VisitRecorded</td>" in shown and "<td>Formed</td>" in shown
    record = live_ui.get(f"/ui/secondments/{sid}").text
    assert f'href="/ui/working-groups/{gid}#visit-1"' in record
    listed = live_ui.get("/ui/working-groups").text
    assert f'href="/ui/working-groups/{gid}"' in listed and "Tổ công tác" in listed


def test_the_coverage_report_and_its_exports(live_ui: Dashboard) -> None:
    live_ui.sign_in("home_affairs", province_code=DA_NANG)
    _formed(live_ui)
    live_ui.caught_up()
    live_ui.sign_in("ministry")
    page = live_ui.get("/ui/working-groups/coverage")
    assert page.status_code == 200
    assert "Xã, phường chưa có tổ công tác nào đến làm việc (94)" in page.text
    csv = live_ui.get("/ui/working-groups/coverage.csv")
    assert csv.text.lstrip("\ufeff").startswith('"Tỉnh, thành phố",Mã xã,"Xã, phường"')
    sheet = live_ui.get("/ui/working-groups/coverage.xlsx")
    rows = list(load_workbook(io.BytesIO(sheet.content)).active.iter_rows(values_only=True))
    assert len(rows) == 95


def test_roles_that_may_not_form_a_group_get_no_form(ui: Dashboard) -> None:
    ui.sign_in("commune", province_code=DA_NANG, ward_code=WARD)
    assert ui.get("/ui/working-groups/new").status_code == 403
    listed = ui.get("/ui/working-groups").text
    assert 'id="new-group"' not in listed
    ui.sign_in("agency", province_code=DA_NANG, home_agency="Sở Nội vụ")
    assert ui.get("/ui/working-groups").status_code == 403
