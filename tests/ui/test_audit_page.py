"""The audit page: every event in scope, the API's filters, pages, exports; auditors, home
affairs and the ministry only. Accounts show their display names with the id on hover."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl

from tests.ui.helpers import Dashboard


def _history(ui: Dashboard) -> str:
    sid = str(ui.api.create()["id"])
    assert ui.api.act(sid, "approve").status_code == 200
    ui.api.create(host={"province_code": 11, "ward_code": 3356})
    ui.caught_up()
    return sid


def test_an_auditor_reads_and_filters_the_log(live_ui: Dashboard) -> None:
    sid = _history(live_ui)
    live_ui.sign_in("auditor")
    html = live_ui.get("/ui/audit").text
    assert html.count("<tr>") - 1 == 3  # two requests and one approval
    assert f'href="/ui/secondments/{sid}"' in html and "Phê duyệt" in html
    only = live_ui.get("/ui/audit?type=Approved").text
    assert only.count("<tr>") - 1 == 1
    commune = live_ui.get("/ui/audit?ward_code=3356").text
    assert commune.count("<tr>") - 1 == 1
    future = live_ui.get("/ui/audit?from=01/01/2099").text
    assert "Không có thao tác nào phù hợp." in future
    bad = live_ui.get("/ui/audit?from=31/02/2025")
    assert "Ngày phải có dạng dd/mm/yyyy" in bad.text


def test_the_log_exports_as_csv_and_excel(live_ui: Dashboard) -> None:
    _history(live_ui)
    live_ui.sign_in("home_affairs")
    text = live_ui.get("/ui/audit/export.csv?type=Approved").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:3] == ["Vị trí", "Thời điểm ghi nhận", "Sự kiện"]
    assert [r[2] for r in rows[1:]] == ["Phê duyệt"]
    book = openpyxl.load_workbook(io.BytesIO(live_ui.get("/ui/audit/export.xlsx").content))
    assert book.active is not None and book.active.max_row == 4


def test_roles_without_audit_get_403_and_no_menu_entry(live_ui: Dashboard) -> None:
    for role in ("commune", "agency", "admin"):
        live_ui.sign_in(role)
        assert live_ui.get("/ui/audit").status_code == 403, role
    live_ui.sign_in("ministry")
    assert 'href="/ui/audit"' in live_ui.get("/ui/lifecycle").text


def test_accounts_show_their_display_names_from_the_directory(
    live_ui: Dashboard, tmp_path: Path
) -> None:
    sid = _history(live_ui)
    directory = tmp_path / "people.csv"
    directory.write_text("home_affairs-tester,Nguyễn Văn An (Sở Nội vụ)\n", encoding="utf-8")
    app = live_ui.client.app
    app.state.settings = app.state.settings.model_copy(update={"people_file": directory})  # type: ignore[attr-defined]
    live_ui.sign_in("auditor")
    record = live_ui.page(sid)
    assert '<span title="home_affairs-tester">Nguyễn Văn An (Sở Nội vụ)</span>' in record
    assert "Nguyễn Văn An (Sở Nội vụ)" in live_ui.get("/ui/audit").text


def test_the_signed_in_callers_token_name_is_shown_for_their_own_account(
    live_ui: Dashboard,
) -> None:
    sid = _history(live_ui)
    live_ui.sign_in("home_affairs", name="Trần Thị Bình")
    record = live_ui.page(sid)
    assert '<span title="home_affairs-tester">Trần Thị Bình</span> · Sở Nội vụ' in record
    assert '<span title="home_affairs-tester">Trần Thị Bình</span> (Sở Nội vụ)' in record
    live_ui.sign_in("auditor")
    assert "Trần Thị Bình" not in live_ui.page(sid)
