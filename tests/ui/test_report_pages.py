"""The report pages: each with its filters, a chart, its rows and exports, in the caller's scope,
on each backend (with the read models running)."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest

from tests.ui.helpers import Dashboard

REPORTS = ("agencies", "compliance", "deadlines", "difficulties")


def _seed(ui: Dashboard) -> tuple[str, str]:
    """One deployed secondment with a difficulty (Nậm Nèn), one requested (Sam Mứn)."""
    deployed = str(ui.api.create()["id"])
    for action, role in (("approve", "home_affairs"), ("deploy", "commune")):
        assert ui.api.act(deployed, action, role).status_code == 200
    assert ui.api.act(deployed, "difficulties", "commune").status_code == 200
    waiting = str(
        ui.api.create(home_agency="Sở Xây dựng", host={"province_code": 11, "ward_code": 3356})[
            "id"
        ]
    )
    ui.caught_up()
    return deployed, waiting


@pytest.mark.parametrize("name", REPORTS)
def test_each_report_page_shows_its_chart_and_rows(live_ui: Dashboard, name: str) -> None:
    _seed(live_ui)
    live_ui.sign_in("home_affairs")
    r = live_ui.get(f"/ui/reports/{name}")
    assert r.status_code == 200, r.text
    assert '<table id="report-rows">' in r.text
    assert '<svg class="bars"' in r.text or name == "compliance"
    text = live_ui.get(f"/ui/reports/{name}/export.csv").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) >= 2
    book = openpyxl.load_workbook(
        io.BytesIO(live_ui.get(f"/ui/reports/{name}/export.xlsx").content)
    )
    assert book.active is not None and book.active.max_row == len(rows)


def test_the_agencies_report_counts_each_agency(live_ui: Dashboard) -> None:
    _seed(live_ui)
    live_ui.sign_in("home_affairs")
    text = live_ui.get("/ui/reports/agencies/export.csv").content.decode("utf-8-sig")
    rows = {r[0]: r for r in csv.reader(io.StringIO(text))}
    header = rows.pop("Cơ quan cử")
    assert header[1:3] == ["Số đề nghị", "Cán bộ đã cử"]
    assert rows["Sở Khoa học và Công nghệ"][header.index("Đang biệt phái")] == "1"
    assert rows["Sở Xây dựng"][header.index("Chờ phê duyệt")] == "1"


def test_filters_narrow_the_rows_and_a_bad_filter_is_named(live_ui: Dashboard) -> None:
    _seed(live_ui)
    live_ui.sign_in("home_affairs")
    resolved = live_ui.get("/ui/reports/difficulties?status=resolved").text
    assert "Không có dữ liệu phù hợp." in resolved
    opened = live_ui.get("/ui/reports/difficulties?status=open").text
    assert "Đường truyền không ổn định" in opened
    bad = live_ui.get("/ui/reports/deadlines?within_days=abc").text
    assert 'id="within_days-error">Phải là số nguyên.<' in bad
    past_end = live_ui.get("/ui/reports/deadlines?within_days=0").text  # the term ended 19/04/2026
    assert "19/04/2026" in past_end and "Đã quá hạn kết thúc" in past_end
    assert live_ui.get("/ui/reports/nothing").status_code == 404


def test_a_commune_sees_only_its_own_rows(live_ui: Dashboard) -> None:
    _seed(live_ui)
    live_ui.sign_in("commune", ward_code=3356)
    text = live_ui.get("/ui/reports/agencies/export.csv").content.decode("utf-8-sig")
    agencies = [r[0] for r in csv.reader(io.StringIO(text))][1:]
    assert agencies == ["Sở Xây dựng"]
