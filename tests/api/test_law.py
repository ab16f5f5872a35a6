"""Rules from the law through the HTTP API, on both backends: maternity protection on every
approval path and who may read it, consultation, the right of return, hardship areas and a
month's allowances, and report deadlines in Vietnam's working days."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from fastapi.testclient import TestClient

from api import spreadsheet
from api.app import create_app
from api.settings import Settings
from tests.api.helpers import DECISION, Api, assert_problem, problem_rules

RATES = {
    "currency": "VND",
    "provinces": {
        "11": {
            "secondment": {
                "per_day": 100_000,
                "area_per_day": {"mountain": 50_000, "border": 70_000},
            }
        }
    },
}
APPROVE = {"decision": DECISION, "start": "2025-10-20", "end": "2026-04-19"}
PROTECTED = "official.maternity_protected"


@pytest.fixture
def law(store: Settings, tmp_path: Path) -> Iterator[Api]:
    rates = tmp_path / "rates.json"
    rates.write_text(json.dumps(RATES), encoding="utf-8")
    settings = store.model_copy(
        update={"run_projections": True, "allowance_rates_file": rates, "min_position_timeout": 5}
    )
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        yield Api(client, settings)


def official(protected: bool = False, category: str = "public_employee", **more: Any) -> dict:
    body = {
        "full_name": "Lò Thị Mai",
        "personnel_id": f"DB-{more.pop('pid', 'X')}",
        "category": category,
        "position": "Viên chức",
        "is_leader": True,
        "in_succession_plan": False,
        "appraisals": [{"year": y, "rating": "good"} for y in (2022, 2023, 2024)],
        "maternity_protected": protected,
    }
    return {**body, **more}


def decide(api: Api, ids: list[str], **more: Any) -> Any:
    body = {**APPROVE, "secondment_ids": ids, **more}
    return api.client.post("/v1/decisions", json=body, headers=api.headers("home_affairs"))


def csv_rows(api: Api, path: str) -> list[dict[str, str]]:
    r = api.client.get(path, headers={**api.headers("home_affairs"), "Accept": "text/csv"})
    assert r.status_code == 200, r.text
    return list(csv.DictReader(io.StringIO(r.text)))


def test_maternity_protection_on_every_approval_path(law: Api) -> None:
    mai = law.create(official=official(True, pid="M1"))
    other = law.create(official=official(False, pid="M2"))
    body = {**APPROVE, "override_reason": "Cần gấp"}
    single = law.act(mai["id"], "approve", body=body)
    assert problem_rules(single) == {("maternity_protection", PROTECTED)}
    batch = decide(law, [other["id"], mai["id"]])
    assert problem_rules(batch) == {("maternity_protection", f"secondment_ids[1].{PROTECTED}")}
    for s in (mai, other):
        shown = law.get(f"/v1/secondments/{s['id']}").json()
        assert (shown["state"], shown["version"]) == ("requested", 1)  # nothing changed
    assert law.act(other["id"], "approve").status_code == 200
    assignment = law.create(official=official(True, pid="M3"), kind="assignment")
    assert decide(law, [assignment["id"]]).status_code == 200


def test_civil_servants_follow_the_setting(store: Settings) -> None:
    for applies, status in ((True, 422), (False, 200)):
        settings = store.model_copy(update={"maternity_rule_civil_servants": applies})
        with TestClient(create_app(settings), raise_server_exceptions=False) as client:
            api = Api(client, settings)
            pid = f"CS{applies}"
            lan = api.create(official=official(True, "civil_servant", pid=pid))
            assert api.act(lan["id"], "approve").status_code == status
            again = api.create(official=official(True, "civil_servant", pid=f"{pid}b"))
            assert decide(api, [again["id"]]).status_code == status


def test_maternity_protection_is_read_only_by_deciding_roles(law: Api) -> None:
    mai = law.create(official=official(True, pid="M4"))
    path = f"/v1/secondments/{mai['id']}"
    seen = {
        role: law.get(path, role).json()["official"]["maternity_protected"]
        for role in ("home_affairs", "ministry", "agency", "commune", "auditor")
    }
    assert seen == {
        "home_affairs": True,
        "ministry": True,
        "agency": None,
        "commune": None,
        "auditor": None,
    }
    for role, shown in (("home_affairs", True), ("auditor", False)):
        requested = law.get(f"{path}/events", role).json()["items"][0]["data"]["official"]
        assert ("maternity_protected" in requested) is shown
    audit = law.get(f"/v1/audit?secondment_id={mai['id']}&min_position=1", "auditor").json()
    assert "maternity_protected" not in audit["items"][0]["data"]
    assert "maternity" not in json.dumps(audit)
    exported = law.client.get(
        f"/v1/secondments?min_position={mai['position']}",
        headers={**law.headers("ministry"), "Accept": "text/csv"},
    ).text
    assert "maternity" not in exported and "Lò Thị Mai" in exported


def test_consultation_is_recorded_and_its_absence_reported(law: Api) -> None:
    heard = law.create(official=official(pid="C1"))
    unheard = law.create(official=official(pid="C2"))
    servant = law.create(official=official(category="civil_servant", pid="C3"))
    late = law.act(heard["id"], "approve", body={**APPROVE, "consulted_on": "2025-10-18"})
    assert problem_rules(late) == {("consultation_before_decision", "consulted_on")}
    ok = law.act(heard["id"], "approve", body={**APPROVE, "consulted_on": "2025-10-15"})
    assert ok.status_code == 200 and ok.json()["consulted_on"] == "2025-10-15"
    at = decide(law, [unheard["id"], servant["id"]]).json()["position"]
    report = law.get(f"/v1/reports/compliance?min_position={at}").json()["items"]
    assert {r["personnel_id"]: r["consultation_missing"] for r in report} == {
        "DB-C1": False,
        "DB-C2": True,
        "DB-C3": False,  # a civil servant: the consultation rule is for public employees
    }
    only = law.get("/v1/reports/compliance?consultation_missing_only=true").json()["items"]
    assert [r["personnel_id"] for r in only] == ["DB-C2"]
    batch = law.create(official=official(pid="C4"))
    late_batch = decide(law, [batch["id"]], consulted_on="2025-10-18")
    assert problem_rules(late_batch) == {
        ("consultation_before_decision", "secondment_ids[0].consulted_on")
    }
    heard_batch = decide(law, [batch["id"]], consulted_on="2025-10-16").json()
    assert heard_batch["items"][0]["consulted_on"] == "2025-10-16"


def _ended(api: Api, pid: str, ended_on: str, ward: int = 3194) -> tuple[str, int]:
    """A secondment recalled on `ended_on`, and the recall's position."""
    s = api.create(official=official(pid=pid), host={"province_code": 11, "ward_code": ward})
    assert api.act(s["id"], "approve").status_code == 200
    assert api.act(s["id"], "deploy", "home_affairs").status_code == 200
    recall = {"ended_on": ended_on, "reason": "Cơ quan cần cán bộ", "initiated_by": "home_agency"}
    recalled = api.act(s["id"], "recall", body=recall)
    assert recalled.status_code == 200, recalled.text
    return s["id"], recalled.json()["position"]


def test_the_right_of_return(law: Api) -> None:
    later, _ = _ended(law, "R1", "2026-01-20")
    earlier, _ = _ended(law, "R2", "2025-12-15")
    active = law.create(official=official(pid="R3"))
    position = law.act(active["id"], "approve").json()["position"]
    report = law.get(f"/v1/reports/returns?min_position={position}").json()["items"]
    assert [r["secondment_id"] for r in report] == [earlier, later]  # oldest end first
    assert [r["ended_on"] for r in report] == ["2025-12-15", "2026-01-20"]

    body = {"returned_on": "2025-12-14", "post": "Phó Trưởng phòng"}
    assert problem_rules(law.act(earlier, "return", body=body)) == {
        ("return_after_end", "returned_on")
    }
    assert law.act(active["id"], "return").status_code == 409
    assert_problem(law.act(earlier, "return", "commune"), 403)
    taken_back = law.act(earlier, "return", "agency")
    assert taken_back.status_code == 200, taken_back.text
    assert taken_back.json()["returned"]["post"] == "Phó Trưởng phòng Công nghệ số"
    assert problem_rules(law.act(earlier, "return")) == {("return_once", "returned_on")}
    at = taken_back.json()["position"]
    left = law.get(f"/v1/reports/returns?min_position={at}").json()["items"]
    assert [r["secondment_id"] for r in left] == [later]
    assert [r["secondment_id"] for r in csv_rows(law, "/v1/reports/returns")] == [later]


def test_areas_are_declared_by_the_province(law: Api) -> None:
    area = {"area": ["mountain", "border"]}
    assert_problem(
        law.client.put("/v1/communes/3194/area", json=area, headers=law.headers("commune")), 403
    )
    needs = {"fields": ["justice"], "note": "", **area}
    assert_problem(
        law.client.put("/v1/communes/3194/needs", json=needs, headers=law.headers("commune")), 403
    )
    bad = law.client.put(
        "/v1/communes/3194/area", json={"area": ["desert"]}, headers=law.headers("home_affairs")
    )
    assert problem_rules(bad) == {("enum", "area[0]")}
    declared = law.client.put("/v1/communes/3194/area", json=area, headers=law.headers("ministry"))
    assert declared.status_code == 200, declared.text
    assert declared.json()["area"] == ["mountain", "border"]
    both = law.client.put(
        "/v1/communes/3356/needs", json=needs, headers=law.headers("home_affairs")
    )
    assert both.json()["area"] == ["mountain", "border"] and both.json()["fields"] == ["justice"]


def test_a_months_allowances_by_hand(law: Api) -> None:
    """December 2025 at Nậm Nèn (mountain and border) and Sam Mứn (no area declared):
    A arrived 21/10, term to 10/12 extended to 28/02: 31 days at Nậm Nèn;
    B arrived 21/10, recalled 15/12: 15 days at Sam Mứn;
    C (a reinforcement at Nậm Nèn, no rate configured) arrived 22/12: 10 days; D recalled in
    November."""
    area = {"area": ["mountain", "border"]}
    law.client.put("/v1/communes/3194/area", json=area, headers=law.headers("home_affairs"))
    a = law.create(official=official(pid="A"))
    law.act(a["id"], "approve", body={**APPROVE, "end": "2025-12-10"})
    law.act(a["id"], "deploy", "home_affairs")
    extend = {"new_end": "2026-02-28", "decision": {**DECISION, "date": "2025-12-05"}}
    assert law.act(a["id"], "extend", body=extend).status_code == 200
    b, _ = _ended(law, "B", "2025-12-15", ward=3356)
    c = law.create(official=official(pid="C"), kind="reinforcement")
    law.act(c["id"], "approve", body={**APPROVE, "start": "2025-12-20", "end": "2026-06-19"})
    arrived = law.act(c["id"], "deploy", body={"arrived_on": "2025-12-22"})
    assert arrived.status_code == 200, arrived.text
    _, at = _ended(law, "D", "2025-11-30")
    answer = law.get(f"/v1/reports/allowances?month=2025-12&min_position={at}").json()
    assert answer["rates_configured"] is True
    got = {
        r["secondment_id"]: (r["days"], r["area"], r["per_diem"], r["area_allowance"], r["total"])
        for r in answer["items"]
    }
    assert got == {
        a["id"]: (31, ["mountain", "border"], 3_100_000, 2_170_000, 5_270_000),
        b: (15, [], 1_500_000, 0, 1_500_000),
        c["id"]: (10, ["mountain", "border"], None, None, None),
    }
    rows = csv_rows(law, "/v1/reports/allowances?month=2025-12")
    assert {r["secondment_id"]: r["total"] for r in rows}[a["id"]] == "5270000"
    xlsx = law.client.get(
        "/v1/reports/allowances?month=2025-12",
        headers={**law.headers("home_affairs"), "Accept": spreadsheet.XLSX},
    )
    table = list(openpyxl.load_workbook(io.BytesIO(xlsx.content)).active.values)
    assert {row[table[0].index("days")] for row in table[1:]} == {31, 15, 10}
    for month in ("2025-13", "0000-01", "2025-1"):
        assert_problem(law.get(f"/v1/reports/allowances?month={month}"), 422)


def test_compliance_counts_working_days_around_tet(law: Api) -> None:
    """Arrival Monday 2 February 2026, weekly periods, no reports, grace 2 working days."""
    rated = [{"year": y, "rating": "good"} for y in (2023, 2024, 2025)]
    s = law.create(official=official(pid="T", appraisals=rated), planned_start="2026-02-02")
    decision = {**DECISION, "date": "2026-01-20"}
    term = {"decision": decision, "start": "2026-02-02", "end": "2026-07-31"}
    assert law.act(s["id"], "approve", body=term).status_code == 200
    at = law.act(s["id"], "deploy", body={"arrived_on": "2026-02-02"}).json()["position"]
    before = law.get(f"/v1/reports/compliance?on=2026-02-20&min_position={at}").json()
    row = before["items"][0]
    assert (row["due"], row["overdue"], row["missing"]) == (2, 1, ["2026-02-02/2026-02-08"])
    assert row["due_dates"] == [
        {"period": "2026-02-02/2026-02-08", "due_on": "2026-02-10", "overdue": True},
        {"period": "2026-02-09/2026-02-15", "due_on": "2026-02-24", "overdue": False},
    ]
    after = law.get("/v1/reports/compliance?on=2026-02-25").json()["items"][0]
    assert (after["due"], after["overdue"]) == (3, 3)
