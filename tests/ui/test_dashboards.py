"""The pages over the read models: overview, list with search and exports, commune, decision."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from typing import Any

import openpyxl
import pytest

from api.spreadsheet import XLSX
from tests.api.helpers import DECISION
from tests.ui.helpers import Dashboard, error_of

XAY_DUNG = "Sở Xây dựng"


def _official(name: str, pid: str) -> dict[str, Any]:
    return {
        "full_name": name,
        "personnel_id": pid,
        "category": "civil_servant",
        "position": "Phó trưởng phòng",
        "is_leader": True,
        "in_succession_plan": False,
        "appraisals": [{"year": y, "rating": "good"} for y in (2022, 2023, 2024)],
    }


@pytest.fixture
def seeded(live_ui: Dashboard) -> dict[str, str]:
    """Hưng (Nậm Nèn, deployed under 2446), Dũng (Sam Mứn, requested), Hòa (TP.HCM, requested)."""
    api = live_ui.api
    hung = api.create(official=_official("Đào Duy Hưng", "DB-KHCN-0001"))["id"]
    dung = api.create(
        official=_official("Nguyễn Quang Dũng", "DB-XD-0002"),
        home_agency=XAY_DUNG,
        host={"province_code": 11, "ward_code": 3356},
        fields=["construction"],
    )["id"]
    hoa = api.create(
        "ministry",
        official=_official("Trần Thị Hòa", "BNV-0001"),
        home_agency="Bộ Nội vụ",
        host={"province_code": 79, "ward_code": None},
        kind="reinforcement",
        fields=["home_affairs"],
    )["id"]
    decided = api.client.post(
        "/v1/decisions",
        json={
            "decision": DECISION,
            "start": "2025-10-20",
            "end": "2026-04-19",
            "secondment_ids": [hung],
        },
        headers=api.headers("home_affairs"),
    )
    assert decided.status_code == 200, decided.text
    assert api.act(hung, "deploy", "commune").status_code == 200
    needs = {"fields": ["justice", "information_technology"], "note": "Xã có 44 cán bộ"}
    r = api.client.put("/v1/communes/3194/needs", json=needs, headers=api.headers("commune"))
    assert r.status_code == 200, r.text
    live_ui.caught_up()
    return {"hung": hung, "dung": dung, "hoa": hoa}


def _count(html: str, state: str) -> int:
    marker = f'data-state-count="{state}">'
    start = html.index(marker) + len(marker)
    return int(html[start : html.index("<", start)])


@pytest.mark.parametrize(
    ("role", "claims", "requested", "deployed"),
    [
        ("ministry", {}, 2, 1),
        ("home_affairs", {}, 1, 1),
        ("auditor", {}, 1, 1),
        ("commune", {}, 0, 1),
        ("agency", {"home_agency": XAY_DUNG}, 1, 0),
        ("official", {"personnel_id": "DB-KHCN-0001"}, 0, 1),
    ],
)
def test_the_overview_counts_what_each_role_may_see(
    live_ui: Dashboard,
    seeded: dict[str, str],
    role: str,
    claims: dict[str, Any],
    requested: int,
    deployed: int,
) -> None:
    live_ui.sign_in(role, **claims)
    html = live_ui.get("/ui").text
    assert (_count(html, "requested"), _count(html, "deployed")) == (requested, deployed)
    assert ("Công nghệ thông tin" in html) == bool(deployed)
    assert '<svg class="gantt"' in html and "Khó khăn, vướng mắc" in html


def test_the_admin_sees_the_read_models_not_the_records(
    live_ui: Dashboard, seeded: dict[str, str]
) -> None:
    live_ui.sign_in("admin")
    html = live_ui.get("/ui").text
    assert "Tình trạng dữ liệu tổng hợp" in html and "secondments" in html
    assert "Đào Duy Hưng" not in html
    assert live_ui.get("/ui/secondments").status_code == 403
    assert live_ui.get("/ui/communes/3194").status_code == 403


def test_the_list_searches_without_diacritics_and_in_scope(
    live_ui: Dashboard, seeded: dict[str, str]
) -> None:
    live_ui.sign_in("home_affairs")
    html = live_ui.get("/ui/secondments?q=dao+duy+hung").text
    assert f'href="/ui/secondments/{seeded["hung"]}"' in html
    assert "Nguyễn Quang Dũng" not in html
    html = live_ui.get("/ui/secondments?state=requested").text
    assert "Nguyễn Quang Dũng" in html and "Trần Thị Hòa" not in html
    live_ui.sign_in("agency", home_agency=XAY_DUNG)
    assert "Đào Duy Hưng" not in live_ui.get("/ui/secondments?q=Hung").text
    live_ui.sign_in("ministry")
    assert "Trần Thị Hòa" in live_ui.get("/ui/secondments?q=HOA").text


def test_a_bad_filter_is_named_next_to_its_field(live_ui: Dashboard) -> None:
    live_ui.sign_in("ministry")
    r = live_ui.get("/ui/secondments?ends_before=31/02/2026&state=nowhere")
    assert r.status_code == 200
    assert error_of(r.text, "ends_before").startswith("Ngày phải có dạng dd/mm/yyyy")
    assert error_of(r.text, "state") == "Hãy chọn một giá trị trong danh sách."


def test_the_list_exports_csv_and_excel_with_vietnamese_headers(
    live_ui: Dashboard, seeded: dict[str, str]
) -> None:
    live_ui.sign_in("home_affairs")
    r = live_ui.get("/ui/secondments/export.csv?q=hung")
    assert r.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Họ tên", "Mã cán bộ", "Trạng thái"]
    assert rows[1][:3] == ["Đào Duy Hưng", "DB-KHCN-0001", "Đã đến nhận nhiệm vụ"]
    assert "20/10/2025" in rows[1]
    r = live_ui.get("/ui/secondments/export.xlsx")
    assert r.headers["content-type"] == XLSX
    assert "attachment" in r.headers["content-disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(r.content)).active
    assert sheet is not None
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0][0] == "Họ tên" and len(values) == 3
    hung = next(v for v in values if v[0] == "Đào Duy Hưng")
    assert datetime(2025, 10, 20) in hung
    live_ui.sign_in("agency", home_agency=XAY_DUNG)
    r = live_ui.get("/ui/secondments/export.csv")
    assert "Đào Duy Hưng" not in r.content.decode("utf-8-sig")


def test_the_commune_page_shows_needs_who_is_there_and_what_is_uncovered(
    live_ui: Dashboard, seeded: dict[str, str]
) -> None:
    for role in ("commune", "home_affairs", "ministry", "auditor"):
        live_ui.sign_in(role)
        html = live_ui.get("/ui/communes/3194").text
        assert "Xã Nậm Nèn" in html and "Xã có 44 cán bộ" in html, role
        assert "Đào Duy Hưng" in html
        uncovered = html[html.index("data-uncovered") :].split("</p>")[0]
        assert "Tư pháp" in uncovered and "Công nghệ thông tin" not in uncovered
    for role, claims in (("commune", {"ward_code": 3356}), ("home_affairs", {"province_code": 79})):
        live_ui.sign_in(role, **claims)
        assert live_ui.get("/ui/communes/3194").status_code == 404
    live_ui.sign_in("agency", home_agency=XAY_DUNG)
    assert live_ui.get("/ui/communes/3194").status_code == 404


def test_the_decision_page_lists_what_the_decision_approved(
    live_ui: Dashboard, seeded: dict[str, str]
) -> None:
    live_ui.sign_in("home_affairs")
    html = live_ui.get("/ui/decisions?number=2446/QĐ-UBND").text
    assert "Quyết định số 2446/QĐ-UBND" in html and "Ngày 17/10/2025" in html
    assert "Đào Duy Hưng" in html and "Nguyễn Quang Dũng" not in html
    assert "Xã Nậm Nèn" in html
    assert live_ui.get("/ui/decisions?number=9999/QĐ").status_code == 404
    live_ui.sign_in("home_affairs", province_code=79)
    assert live_ui.get("/ui/decisions?number=2446/QĐ-UBND").status_code == 404


def test_rough_edges_of_the_record_list_and_overview(
    seeded: dict[str, str], live_ui: Dashboard
) -> None:
    live_ui.sign_in("ministry")
    listed = live_ui.get("/ui/secondments?limit=1").text
    assert '<span id="total"><strong>3</strong> hồ sơ phù hợp' in listed
    record = live_ui.page(seeded["dung"])
    assert "<dt>Ngạch, chức vụ</dt><dd>Phó trưởng phòng</dd>" in record
    assert "<dt>Công chức/Viên chức</dt><dd>Công chức</dd>" in record
    override = 'Lý do phê duyệt đặc cách <span class="muted">(bắt buộc khi cán bộ chưa đủ'
    assert override in record
    overview = live_ui.get("/ui").text
    assert "Cán bộ đang ở cơ sở theo lĩnh vực" in overview
    assert "Đang biệt phái theo lĩnh vực" not in overview


def test_the_end_month_chart_keeps_long_overdue_ends_apart() -> None:
    from datetime import date

    from api.ui import charts

    ends = [
        {"term_end": "2025-01-31", "handover_started": False},
        {"term_end": "2026-11-30", "handover_started": True},
    ]
    columns = charts.months(ends, date(2026, 11, 24))
    assert [(c["label"], c["ends"], c["without_handover"]) for c in columns[:2]] == [
        ("Đã quá hạn", 1, 1),
        ("11/2026", 1, 0),
    ]
