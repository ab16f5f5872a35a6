"""The study-visit reports against a reference fold of the visits as the event store gives them
(GET /v1/study-visits/{id}), on both stores, and their CSV and .xlsx."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from api.spreadsheet import XLSX
from domain.units import all_wards
from tests.api import visit_helpers as h
from tests.api.helpers import Api, assert_problem
from tests.api.visit_helpers import api, live_ui

UNITS = ("Phòng Cải cách hành chính", "Phòng Văn thư - Lưu trữ")
PLAN: tuple[tuple[int, int, str, str, str], ...] = (
    # ward, participants, unit, the Monday of its week, the state it ends in
    (h.HUNG_SON, 3, UNITS[0], "2026-03-02", "attended"),
    (h.HUNG_SON, 5, UNITS[1], "2026-03-02", "completed"),
    (h.TAY_GIANG, 2, UNITS[0], "2026-04-06", "completed"),
    (h.TAY_GIANG, 4, UNITS[0], "2026-04-13", "scheduled"),
    (h.AVUONG, 6, UNITS[1], "2026-04-13", "cancelled"),
    (h.AVUONG, 1, UNITS[1], "2026-05-04", "proposed"),
)

__all__ = ["api", "live_ui"]  # the fixtures


def recorded(api: Api) -> tuple[list[dict[str, Any]], int]:
    ids, position = [], 0
    for ward, people, unit, monday, end in PLAN:
        done = h.propose(api, ward=ward, people=people)
        steps = {"proposed": [], "cancelled": ["cancel"], "scheduled": ["schedule"]}
        steps["attended"] = ["schedule", "attend"]
        steps["completed"] = [*steps["attended"], "complete"]
        for step in steps[end]:
            body = {"schedule": h.slot(monday, unit), "attend": {"attended_on": monday}}.get(step)
            done = h.act(api, done["id"], step, body).json()
        ids.append(done["id"])
        position = max(position, done["position"])
    headers = h.as_role(api, "home_affairs")
    return [api.client.get(f"/v1/study-visits/{i}", headers=headers).json() for i in ids], position


def reference(visits: list[dict[str, Any]]) -> dict[str, Any]:
    per_unit: dict[tuple[int, str], Counter[str]] = defaultdict(Counter)
    months: dict[str, Counter[str]] = defaultdict(Counter)
    for v in visits:
        if v["state"] == "cancelled":
            continue
        row = per_unit[(v["ward_code"], v["unit"] or v["host_unit"])]
        row["visits"] += 1
        row["participants"] += len(v["participants"])
        if v["attended_on"]:
            row["attended"] += 1
            row["present"] += v["present"]
            months[v["attended_on"][:7]]["visits"] += 1
            months[v["attended_on"][:7]]["participants"] += v["present"]
    sent = {v["ward_code"] for v in visits if v["state"] in ("attended", "completed")}
    silent = [c for c, _, p in sorted(all_wards()) if p == h.DA_NANG and c not in sent]
    return {"per_unit": per_unit, "months": months, "silent": silent}


def test_reports_equal_a_reference_fold_of_the_visits(api: Api) -> None:
    visits, at = recorded(api)
    expected = reference(visits)
    headers = h.as_role(api, "home_affairs")
    wait = f"min_position={at}"
    rows = api.client.get(f"/v1/reports/study-visits?{wait}", headers=headers).json()["items"]
    assert {
        (r["ward_code"], r["unit"]): {
            k: int(r[k]) for k in ("visits", "attended", "participants", "present")
        }
        for r in rows
    } == {
        k: {n: c[n] for n in ("visits", "attended", "participants", "present")}
        for k, c in expected["per_unit"].items()
    }
    months = api.client.get(f"/v1/reports/study-visits/months?{wait}", headers=headers).json()[
        "items"
    ]
    assert {r["month"]: (r["visits"], r["participants"]) for r in months} == {
        m: (c["visits"], c["participants"]) for m, c in expected["months"].items()
    }
    silent = api.client.get(
        f"/v1/reports/study-visits/silent-communes?{wait}", headers=headers
    ).json()
    assert [r["ward_code"] for r in silent["items"]] == expected["silent"]
    assert h.HUNG_SON not in expected["silent"] and h.AVUONG in expected["silent"]
    mine = api.client.get(f"/v1/reports/study-visits?{wait}", headers=h.as_role(api, "commune"))
    assert {r["ward_code"] for r in mine.json()["items"]} == {h.HUNG_SON}
    ministry = api.client.get(
        f"/v1/reports/study-visits/silent-communes?{wait}", headers=api.headers("ministry")
    )
    assert_problem(ministry, 422)


def test_reports_export_as_csv_and_xlsx(api: Api) -> None:
    done = h.propose(api, host_unit="@SUM(A1:A9)")
    headers = {**h.as_role(api, "home_affairs"), "Accept": "text/csv"}
    csv = api.client.get(
        f"/v1/reports/study-visits?min_position={done['position']}", headers=headers
    )
    assert csv.headers["content-type"].startswith("text/csv") and "'@SUM(A1:A9)" in csv.text
    sheet = api.client.get("/v1/reports/study-visits/months", headers={**headers, "Accept": XLSX})
    assert sheet.status_code == 200 and sheet.content[:2] == b"PK"
