"""The list of working groups and the coverage report over HTTP, as JSON, CSV and .xlsx: the
ministry sees which communes no working group has visited."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook

from api.spreadsheet import XLSX
from domain.units import all_wards
from tests.api.groups import DA_NANG, OTHER, THIRD, WARD, formed, headers, visit, visit_body
from tests.api.helpers import Api
from tests.api.test_corrections import qapi

__all__ = ["qapi"]  # the app with its projections running, on each backend


def test_the_ministry_sees_the_communes_no_group_has_visited(qapi: Api) -> None:
    first = formed(qapi)["id"]
    second = formed(qapi, name="Tổ công tác số 2", ward_codes=[THIRD])["id"]
    at = visit(qapi, first, visit_body()).json()["position"]
    wait = f"min_position={at}"
    ministry = headers(qapi, "ministry")
    r = qapi.client.get(f"/v1/reports/working-groups?{wait}", headers=ministry)
    assert r.status_code == 200, r.text
    body = r.json()
    province = {code for code, _, p in all_wards() if p == DA_NANG}
    assert set(body["not_visited_by_any"]) == province - {WARD}
    by_group = {
        (i["group_id"], i["ward_code"]): i["visits"] for i in body["items"] if i["group_id"]
    }
    assert by_group == {(first, WARD): 1, (first, OTHER): 0, (second, THIRD): 0}
    assert len(body["items"]) == len(province)  # each commune once: the groups share none
    csv_rows = list(
        csv.DictReader(
            io.StringIO(
                qapi.client.get(
                    "/v1/reports/working-groups", headers={**ministry, "Accept": "text/csv"}
                ).text
            )
        )
    )
    assert len(csv_rows) == len(body["items"])
    assert {r["ward_name"] for r in csv_rows if r["ward_code"] == str(WARD)} == {
        body["items"][0]["ward_name"]
    }
    sheet = qapi.client.get("/v1/reports/working-groups", headers={**ministry, "Accept": XLSX})
    rows = list(load_workbook(io.BytesIO(sheet.content)).active.iter_rows(values_only=True))
    assert rows[0][:4] == ("province_code", "province_name", "ward_code", "ward_name")
    assert len(rows) == len(body["items"]) + 1


def test_the_list_is_scoped(qapi: Api) -> None:
    gid = formed(qapi)["id"]
    at = visit(qapi, gid, visit_body()).json()["position"]
    wait = f"min_position={at}"
    mine = qapi.client.get(f"/v1/working-groups?{wait}", headers=headers(qapi, "auditor"))
    assert [(g["id"], g["visited"], g["not_visited"]) for g in mine.json()["items"]] == [
        (gid, [WARD], [OTHER])
    ]
    audit = qapi.client.get(f"/v1/audit?{wait}", headers=headers(qapi, "auditor")).json()
    assert [(e["type"], e["aggregate_id"], e["province_code"]) for e in audit["items"]] == [
        ("Formed", gid, DA_NANG),
        ("VisitRecorded", gid, DA_NANG),
    ]
    other = qapi.client.get("/v1/working-groups", headers=qapi.headers("auditor", province_code=11))
    assert other.json()["items"] == []
    commune = headers(qapi, "commune", ward_code=THIRD)
    assert qapi.client.get("/v1/working-groups", headers=commune).json()["items"] == []
    closed = qapi.client.get("/v1/working-groups?state=closed", headers=headers(qapi, "ministry"))
    assert closed.json()["items"] == []
    agency = qapi.client.get("/v1/working-groups", headers=headers(qapi, "agency"))
    assert agency.status_code == 403
