"""POST /v1/imports: a list of requests from a spreadsheet, previewed, then recorded all or none."""

from __future__ import annotations

import csv
import io
from typing import Any

import httpx

from tests.api.helpers import Api, assert_problem
from tests.api.list_sheets import row, template_headers, with_two_bad_rows, xlsx

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DECISION = {
    "decision_number": "2446/QĐ-UBND",
    "decision_date": "2025-10-17",
    "decision_issuer": "UBND tỉnh Điện Biên",
    "start": "2025-10-20",
    "end": "2026-04-19",
}


def _headers(api: Api) -> list[str]:
    r = api.get("/v1/imports/template")
    assert r.status_code == 200 and r.headers["content-type"] == XLSX
    headers = template_headers(r.content)
    # the template asks for the three years before this year; the decision below is of 2025
    extra = [f"Xếp loại năm {y}" for y in (2022, 2023, 2024)]
    return [*headers, *(h for h in extra if h not in headers)]


def _post(api: Api, content: bytes, role: str = "home_affairs", **form: Any) -> httpx.Response:
    files = {"file": ("danh-sach.xlsx", content, XLSX)}
    response: httpx.Response = api.client.post(
        "/v1/imports", files=files, data=form, headers=api.headers(role)
    )
    return response


def _listed(api: Api) -> int:
    return int(api.registry.recorder.max_notification_id() or 0)


def test_a_dry_run_names_each_bad_row_and_records_nothing(api: Api) -> None:
    headers = _headers(api)
    assert headers[0] == "Họ và tên" and "Mã xã, phường nhận" in headers
    r = _post(api, xlsx(headers, with_two_bad_rows(headers)), dry_run="true")
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["rows"] == 20 and body["dry_run"] is True
    found = {(p["row"], p["column"], p["rule"]) for p in body["problems"]}
    assert found == {(4, "Mã xã, phường nhận", "ward_exists"), (9, "Đến ngày", "term_ordered")}
    assert _listed(api) == 0


def test_an_import_with_problems_is_422_and_records_nothing(api: Api) -> None:
    headers = _headers(api)
    r = _post(api, xlsx(headers, with_two_bad_rows(headers)))
    errors = assert_problem(r, 422)["errors"]
    assert {(e["row"], e["field"]) for e in errors} == {
        (4, "rows[2].host.ward_code"),
        (9, "rows[7].planned_end"),
    }
    assert _listed(api) == 0


def test_a_clean_list_is_recorded_and_approved_under_one_decision(api: Api) -> None:
    headers = _headers(api)
    rows = [row(headers, i) for i in range(20)]
    r = _post(api, xlsx(headers, rows), **DECISION)
    assert r.status_code == 201, r.text
    items = r.json()["items"]
    assert [i["state"] for i in items] == ["approved"] * 20
    one = api.get(f"/v1/secondments/{items[3]['id']}").json()
    assert one["decision"]["number"] == "2446/QĐ-UBND"
    assert one["fields"] == ["construction", "land_management"]
    assert one["host"]["ward_code"] == 3356


def test_an_ineligible_row_needs_its_override_reason(api: Api) -> None:
    headers = _headers(api)
    weak = {"Lãnh đạo, quản lý (có/không)": "không"}
    rows = [row(headers, 0), row(headers, 1, **weak)]
    errors = assert_problem(_post(api, xlsx(headers, rows), **DECISION), 422)["errors"]
    assert [(e["row"], e["rule"]) for e in errors] == [(3, "eligibility")]
    rows[1] = row(headers, 1, **weak, **{"Lý do phê duyệt đặc cách": "Duy nhất có chuyên môn"})
    assert _post(api, xlsx(headers, rows), **DECISION).status_code == 201


def test_rows_outside_the_callers_scope_are_refused(api: Api) -> None:
    headers = _headers(api)
    rows = [row(headers, 0), row(headers, 1)]
    r = _post(api, xlsx(headers, rows), role="commune", dry_run="true")
    found = {(p["row"], p["rule"]) for p in r.json()["problems"]}
    assert found == {(3, "request_scope")}


def test_a_csv_list_is_read_too(api: Api) -> None:
    headers = _headers(api)
    out = io.StringIO()
    csv.writer(out).writerows([headers, row(headers, 0)])
    content = ("\ufeff" + out.getvalue()).encode()
    files = {"file": ("danh-sach.csv", content, "text/csv")}
    r = api.client.post("/v1/imports", files=files, headers=api.headers("home_affairs"))
    assert r.status_code == 201, r.text
    assert r.json()["items"][0]["full_name"] == "Lò Văn Khánh"


def test_a_file_that_is_no_table_and_bad_decision_fields_are_422(api: Api) -> None:
    for garbage in (b"\xff\xfe\x00garbage", b"PK\x03\x04 not a workbook", b""):
        r = _post(api, garbage)
        assert assert_problem(r, 422)["errors"][0]["rule"] in ("file_format", "header_missing")
    headers = _headers(api)
    bad = {**DECISION, "decision_date": "17/10/2025"}
    r = _post(api, xlsx(headers, [row(headers, 0)]), **bad)
    assert [e["field"] for e in assert_problem(r, 422)["errors"]] == ["decision.date"]
    assert _listed(api) == 0


def test_roles_that_may_not_request_or_decide_are_403(api: Api) -> None:
    headers = _headers(api)
    content = xlsx(headers, [row(headers, 0)])
    assert_problem(_post(api, content, role="auditor"), 403)
    assert_problem(_post(api, content, role="agency", **DECISION), 403)


def test_a_body_that_is_not_multipart_is_422(api: Api) -> None:
    headers = {**api.headers("home_affairs"), "Content-Type": "multipart/form-data; boundary=b"}
    r = api.client.post("/v1/imports", content=b"--b\r\nNone--b--\r\n", headers=headers)
    assert [e["rule"] for e in assert_problem(r, 422)["errors"]] == ["multipart_invalid"]
