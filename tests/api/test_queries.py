"""Read-model queries through the HTTP API on both backends: filters, diacritic-free search,
cursor paging, scoping per role, CSV, read-your-writes and projection operations."""

from __future__ import annotations

import csv
import io
import time
from collections.abc import Iterator
from typing import Any

import openpyxl
import pytest
from fastapi.testclient import TestClient

from api import spreadsheet
from api.app import create_app
from api.settings import Settings
from domain.units import ward_name
from tests.api.helpers import BODIES, DECISION, KHCN, Api, assert_problem
from workers import demo

XAY_DUNG = "Sở Xây dựng"


@pytest.fixture
def qapi(store: Settings) -> Iterator[Api]:
    """The app with its embedded projection runner on either backend."""
    settings = store.model_copy(update={"run_projections": True, "min_position_timeout": 5.0})
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        yield Api(client, settings)


def official(name: str, pid: str) -> dict[str, Any]:
    return {
        "full_name": name,
        "personnel_id": pid,
        "category": "civil_servant",
        "position": "Phó trưởng phòng",
        "is_leader": True,
        "in_succession_plan": False,
        "appraisals": [
            {"year": 2022, "rating": "good"},
            {"year": 2023, "rating": "good"},
            {"year": 2024, "rating": "good"},
        ],
    }


@pytest.fixture
def three(qapi: Api) -> dict[str, Any]:
    """Hưng (IT, Nậm Nèn, approved), Dũng (construction, Sam Mứn, deployed), Mai (requested)."""
    hung = qapi.create(official=official("Đào Duy Hưng", "DB-KHCN-0001"))
    dung = qapi.create(
        official=official("Nguyễn Quang Dũng", "DB-XD-0002"),
        home_agency=XAY_DUNG,
        host={"province_code": 11, "ward_code": 3356},
        fields=["construction", "land_management"],
    )
    mai = qapi.create(official=official("Lò Thị Mai", "DB-KHCN-0003"), kind="assignment")
    body = {"decision": DECISION, "start": "2025-10-20", "end": "2026-04-19"}
    approved = qapi.client.post(
        "/v1/decisions",
        json={**body, "secondment_ids": [hung["id"], dung["id"]]},
        headers=qapi.headers("home_affairs"),
    )
    assert approved.status_code == 200, approved.text
    deployed = qapi.act(dung["id"], "deploy", role="commune", ward_code=3356)
    assert deployed.status_code == 200, deployed.text
    return {"hung": hung, "dung": dung, "mai": mai, "position": deployed.json()["position"]}


def ids(response: Any) -> set[str]:
    assert response.status_code == 200, response.text
    return {item["id"] for item in response.json()["items"]}


def test_filters_and_diacritic_free_search(qapi: Api, three: dict[str, Any]) -> None:
    at = three["position"]
    hung, dung, mai = three["hung"]["id"], three["dung"]["id"], three["mai"]["id"]

    def find(query: str) -> set[str]:
        return ids(qapi.get(f"/v1/secondments?min_position={at}&{query}"))

    assert find("") == {hung, dung, mai}
    assert find("q=Dao Duy Hung") == {hung}
    assert find("q=dao%20duy%20HƯNG") == {hung}
    assert find("q=dung") == {dung}
    assert find("q=Lo Thi") == {mai}
    assert find("state=approved") == {hung}
    assert find("state=approved&state=deployed") == {hung, dung}
    assert find("ward_code=3356") == {dung}
    assert find(f"home_agency={XAY_DUNG}") == {dung}
    assert find("field=construction") == {dung}
    assert find("kind=assignment") == {mai}
    assert find("decision_number=2446/QĐ-UBND") == {hung, dung}
    assert find("ends_before=2026-04-20") == {hung, dung, mai}
    assert find("ends_before=2026-04-19") == set()
    item = next(
        i
        for i in qapi.get(f"/v1/secondments?min_position={at}&q=hung").json()["items"]
        if i["id"] == hung
    )
    assert item["full_name"] == "Đào Duy Hưng" and item["ward_name"]
    assert item["fields"] == ["information_technology", "digital_transformation"]


def test_cursor_paging(qapi: Api, three: dict[str, Any]) -> None:
    at = three["position"]
    first = qapi.get(f"/v1/secondments?min_position={at}&limit=2").json()
    assert len(first["items"]) == 2 and first["next_cursor"]
    second = qapi.get(f"/v1/secondments?limit=2&cursor={first['next_cursor']}").json()
    assert len(second["items"]) == 1 and second["next_cursor"] is None
    seen = [i["id"] for i in first["items"] + second["items"]]
    assert len(set(seen)) == 3
    assert_problem(qapi.get("/v1/secondments?cursor=bm90LWEtY3Vyc29y"), 422)
    assert_problem(qapi.get("/v1/secondments?limit=501"), 422)


def test_each_role_sees_its_scope(qapi: Api, three: dict[str, Any]) -> None:
    at = three["position"]
    hung, dung, mai = three["hung"]["id"], three["dung"]["id"], three["mai"]["id"]
    path = f"/v1/secondments?min_position={at}"
    assert ids(qapi.get(path, "commune")) == {hung, mai}
    assert ids(qapi.get(path, "commune", ward_code=3356)) == {dung}
    assert ids(qapi.get(path, "agency")) == {hung, mai}
    assert ids(qapi.get(path, "agency", home_agency=XAY_DUNG)) == {dung}
    assert ids(qapi.get(path, "official", personnel_id="DB-KHCN-0001")) == {hung}
    assert ids(qapi.get(path, "home_affairs", province_code=1)) == set()
    assert ids(qapi.get(path, "auditor", province_code=None)) == {hung, dung, mai}
    assert ids(qapi.get(path, "ministry")) == {hung, dung, mai}
    assert_problem(qapi.get(path, "admin"), 403)
    assert_problem(qapi.get("/v1/reports/agencies", "admin"), 403)
    assert qapi.get("/v1/reports/deadlines?within_days=400&on=2026-01-01", "commune").json()[
        "items"
    ] == [
        i
        for i in qapi.get("/v1/reports/deadlines?within_days=400&on=2026-01-01").json()["items"]
        if i["ward_code"] == 3194
    ]


def test_audit_filters_and_scope(qapi: Api, three: dict[str, Any]) -> None:
    at = three["position"]
    dung = three["dung"]["id"]
    everything = qapi.get(f"/v1/audit?min_position={at}").json()["items"]
    assert [e["type"] for e in everything].count("Requested") == 3
    trail = qapi.get(f"/v1/audit?secondment_id={dung}").json()["items"]
    assert [e["type"] for e in trail] == ["Requested", "Approved", "Deployed"]
    assert trail[2]["actor"] == {"sub": "commune-tester", "role": "commune"}
    assert (trail[2]["from_state"], trail[2]["to_state"]) == ("approved", "deployed")
    assert trail[1]["data"]["decision"]["number"] == "2446/QĐ-UBND"
    by_actor = qapi.get("/v1/audit?actor=commune-tester").json()["items"]
    assert [e["type"] for e in by_actor] == ["Deployed"]
    assert (
        qapi.get("/v1/audit?type=Approved&ward_code=3356").json()["items"][0]["secondment_id"]
        == dung
    )
    assert qapi.get("/v1/audit?from=2999-01-01").json()["items"] == []
    assert len(qapi.get("/v1/audit?to=2999-01-01T00:00:00Z").json()["items"]) == len(everything)
    assert qapi.get("/v1/audit", "home_affairs", province_code=1).json()["items"] == []
    assert_problem(qapi.get("/v1/audit?from=yesterday"), 422)
    assert_problem(qapi.get("/v1/audit", "commune"), 403)
    assert_problem(qapi.get("/v1/audit", "admin"), 403)


def test_commune_needs_and_reports_with_csv(qapi: Api, three: dict[str, Any]) -> None:
    needs = qapi.client.put(
        "/v1/communes/3194/needs",
        json={"fields": ["information_technology", "justice", "construction"], "note": "Thiếu"},
        headers=qapi.headers("commune"),
    )
    assert needs.status_code == 200, needs.text
    at = needs.json()["position"]
    nam_nen = qapi.get(f"/v1/communes/3194?min_position={at}", "commune").json()
    assert nam_nen["needs"] == ["information_technology", "justice", "construction"]
    assert nam_nen["uncovered"] == ["justice", "construction"]
    assert nam_nen["active_by_field"] == {"digital_transformation": 1, "information_technology": 1}
    assert [s["full_name"] for s in nam_nen["active_secondments"]] == ["Đào Duy Hưng"]
    assert_problem(qapi.get("/v1/communes/3356", "commune"), 404)

    report = qapi.get("/v1/reports/communes?uncovered_only=true").json()["items"]
    assert [(r["ward_code"], r["uncovered"]) for r in report] == [
        (3194, ["justice", "construction"])
    ]
    as_csv = qapi.client.get(
        "/v1/reports/communes", headers={**qapi.headers("ministry"), "Accept": "text/csv"}
    )
    assert as_csv.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(as_csv.text)))
    assert {r["ward_code"] for r in rows} == {"3194", "3356"}
    as_xlsx = qapi.client.get(
        "/v1/reports/communes", headers={**qapi.headers("ministry"), "Accept": spreadsheet.XLSX}
    )
    assert as_xlsx.headers["content-type"] == spreadsheet.XLSX
    sheet = openpyxl.load_workbook(io.BytesIO(as_xlsx.content)).active
    table = list(sheet.values)
    wards = {row[table[0].index("ward_code")] for row in table[1:]}
    assert wards == {3194, 3356}

    agencies = qapi.get("/v1/reports/agencies").json()["items"]
    by_name = {a["home_agency"]: a for a in agencies}
    assert (by_name[KHCN]["requested"], by_name[KHCN]["sent"], by_name[KHCN]["active"]) == (2, 1, 1)
    assert by_name[XAY_DUNG]["active"] == 1
    assert [
        a["home_agency"] for a in qapi.get("/v1/reports/agencies", "agency").json()["items"]
    ] == [KHCN]

    compliance = qapi.get("/v1/reports/compliance?on=2025-11-05").json()
    assert {
        (r["full_name"], r["due"], r["submitted"], r["overdue"]) for r in compliance["items"]
    } == {
        ("Đào Duy Hưng", 0, 0, 0),  # approved, not yet arrived: nothing due
        ("Nguyễn Quang Dũng", 2, 0, 2),
    }
    deadlines = qapi.get("/v1/reports/deadlines?within_days=30&on=2026-03-25").json()["items"]
    assert {(d["full_name"], d["handover_started"]) for d in deadlines} == {
        ("Đào Duy Hưng", False),
        ("Nguyễn Quang Dũng", False),
    }
    assert qapi.get("/v1/reports/deadlines?within_days=30&on=2026-01-01").json()["items"] == []


def test_difficulties_report(qapi: Api, three: dict[str, Any]) -> None:
    dung = three["dung"]["id"]
    raised = qapi.act(dung, "difficulties", role="commune", ward_code=3356)
    assert raised.status_code == 200, raised.text
    escalated = qapi.act(dung, "escalate", role="commune", ward_code=3356)
    assert escalated.status_code == 200, escalated.text
    at = escalated.json()["position"]
    report = qapi.get(f"/v1/reports/difficulties?min_position={at}").json()
    assert report["by_status"] == {"escalated": 1}
    assert report["by_escalation"] == {"province": 1}
    assert report["by_commune"] == [{"ward_code": 3356, "ward_name": ward_name(3356), "count": 1}]
    assert report["by_field"] == {BODIES["difficulties"]["field"]: 1}
    assert report["items"][0]["title"] == "Đường truyền không ổn định"
    assert qapi.get("/v1/reports/difficulties?status=open").json()["items"] == []
    assert qapi.get("/v1/reports/difficulties", "commune").json()["items"] == []
    as_csv = qapi.client.get(
        "/v1/reports/difficulties", headers={**qapi.headers("ministry"), "Accept": "text/csv"}
    )
    assert "Đường truyền không ổn định" in as_csv.text


def test_min_position_beyond_the_log_is_503(store: Settings) -> None:
    settings = store.model_copy(update={"run_projections": True, "min_position_timeout": 0.3})
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        api = Api(client, settings)
        response = api.get("/v1/secondments?min_position=1000000")
        body = assert_problem(response, 503)
        assert response.headers["Retry-After"]
        assert "1000000" in body["detail"]


def test_projection_status_and_rebuild(qapi: Api, three: dict[str, Any]) -> None:
    status = qapi.get("/v1/projections", "admin").json()
    assert {s["name"] for s in status["items"]} >= {"secondments", "audit", "communes"}
    assert qapi.get("/v1/projections", "ministry").status_code == 200
    assert_problem(qapi.get("/v1/projections", "commune"), 403)
    assert_problem(
        qapi.client.post("/v1/projections/secondments/rebuild", headers=qapi.headers("ministry")),
        403,
    )
    assert_problem(
        qapi.client.post("/v1/projections/nothing/rebuild", headers=qapi.headers("admin")), 404
    )
    started = qapi.client.post("/v1/projections/secondments/rebuild", headers=qapi.headers("admin"))
    assert started.status_code == 202 and started.json()["version"] == 2
    deadline = time.monotonic() + 20
    while True:
        items = {s["name"]: s for s in qapi.get("/v1/projections", "admin").json()["items"]}
        if items["secondments"]["version"] == 2 and items["secondments"]["state"] == "live":
            break
        assert time.monotonic() < deadline
        time.sleep(0.05)
    assert len(qapi.get("/v1/secondments").json()["items"]) == 3


def test_dien_bien_decision_2446(tmp_path: Any) -> None:
    settings = Settings(data_dir=tmp_path / "var", run_projections=True)
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        api = Api(client, settings)
        demo.load(client.app.state.registry)  # type: ignore[attr-defined]
        at = client.app.state.registry.recorder.max_notification_id()  # type: ignore[attr-defined]
        decision = api.get(f"/v1/decisions?number=2446/QĐ-UBND&min_position={at}").json()
        assert decision["officials"] == 97
        by_kind = {k["kind"]: k for k in decision["by_kind"]}
        assert (by_kind["secondment"]["officials"], by_kind["secondment"]["communes"]) == (52, 45)
        assert by_kind["assignment"]["officials"] == 45
        assert decision["date"] == "2025-10-17" and decision["issuer"] == "UBND tỉnh Điện Biên"
        assert len(decision["items"]) == 50 and decision["next_cursor"]
        assert_problem(api.get("/v1/decisions?number=1/QĐ"), 404)
        hung = api.get("/v1/secondments?q=dao duy hung", "official", personnel_id="DB-KHCN-0001")
        assert [i["full_name"] for i in hung.json()["items"]] == ["Đào Duy Hưng"]
