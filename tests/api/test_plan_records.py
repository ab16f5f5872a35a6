"""The plan's records on both backends: the read model equals the plan folded from its events
and the aggregate; a nominee's erasure leaves their nomination unreadable; the coverage report
exports; the golden secondment shape (no plan) still reads."""

from __future__ import annotations

import csv
import io
import time
from typing import Any
from uuid import UUID

from domain.personal import ERASED
from domain.plans import Plans
from projections.plan_fold import derived, detail_of, fold, started
from tests.api.plan_helpers import Planner, decision_body, nominee, official, planner

__all__ = ["planner"]
ADDED = {"actual", "allowed_actions", "state_label"}


def _reference(planner: Planner, plan_id: str) -> dict[str, Any]:
    events = list(planner.api.registry.events.get(UUID(plan_id)))
    detail = started(events[0])
    for e in events[1:]:
        detail = fold(detail, e)
    return detail


def test_the_read_model_equals_the_reference_fold_and_the_aggregate(planner: Planner) -> None:
    plan_id = planner.opened()
    planner.nominate(plan_id, nominee(["information_technology"]))
    planner.nominate(plan_id, nominee(["justice"]))
    planner.post(f"/v1/plans/{plan_id}/matching")
    at = planner.post(f"/v1/plans/{plan_id}/decision", decision_body(batch="1")).json()["position"]
    shown = planner.read(plan_id, at).json()
    reference = _reference(planner, plan_id)
    aggregate = detail_of(Plans(planner.api.registry).get(UUID(plan_id)))
    assert reference == aggregate
    for n in shown["nominations"]:
        assert n.pop("full_name") == "Đào Duy Hưng"
    assert {k: v for k, v in shown.items() if k not in ADDED} == derived(reference)


def test_erasing_a_nominee_makes_the_nomination_unreadable(planner: Planner) -> None:
    plan_id = planner.opened()
    body = nominee(["justice"])
    pid = body["official"]["personnel_id"]
    nomination_id = planner.nominate(plan_id, body)
    asked = {"reason": "Yêu cầu xóa", "legal_basis": "Luật 91/2025/QH15"}
    other = planner.post(f"/v1/people/{pid}/erasure", asked, province_code=48)
    assert other.status_code == 404
    r = planner.post(f"/v1/people/{pid}/erasure", asked)
    assert r.status_code == 200, r.text
    kept = Plans(planner.api.registry).nomination(UUID(nomination_id))
    assert (kept.official.full_name, kept.official.personnel_id) == (ERASED, ERASED)
    view = planner.read(plan_id, r.json()["position"]).json()
    assert [n["full_name"] for n in view["nominations"]] == [ERASED]
    assert view["nominations"][0]["home_agency"] == body["home_agency"]


def test_the_coverage_report_answers_csv(planner: Planner) -> None:
    plan_id = planner.opened()
    planner.nominate(plan_id, nominee(["construction"]))
    at = planner.post(f"/v1/plans/{plan_id}/matching").json()["position"]
    path = f"/v1/reports/plans/{plan_id}/coverage?min_position={at}"
    headers = {**planner.api.headers("home_affairs"), "Accept": "text/csv"}
    rows = list(csv.DictReader(io.StringIO(planner.api.client.get(path, headers=headers).text)))
    got = {(r["ward_code"], r["field"]): (r["seats"], r["covered"]) for r in rows}
    assert got == {
        ("3194", "information_technology"): ("2", "0"),
        ("3194", "construction"): ("2", "1"),
        ("3325", "justice"): ("1", "0"),
    }


def test_a_secondment_requested_on_its_own_has_no_plan(planner: Planner) -> None:
    created = planner.api.create(official=official())
    assert created["plan"] is None


def test_a_rebuilt_read_model_answers_the_same(planner: Planner) -> None:
    plan_id = planner.opened()
    planner.nominate(plan_id, nominee(["information_technology"]))
    planner.post(f"/v1/plans/{plan_id}/matching")
    decided = planner.post(f"/v1/plans/{plan_id}/decision", decision_body()).json()
    at = planner.api.act(decided["secondment_ids"][0], "deploy").json()["position"]
    before = planner.read(plan_id, at).json()
    admin = planner.api.headers("admin")
    started = planner.api.client.post("/v1/projections/plans/rebuild", headers=admin)
    assert started.status_code == 202 and started.json()["version"] == 2
    deadline = time.monotonic() + 20
    while True:
        items = {s["name"]: s for s in planner.api.get("/v1/projections", "admin").json()["items"]}
        if (items["plans"]["version"], items["plans"]["state"]) == (2, "live"):
            break
        assert time.monotonic() < deadline
        time.sleep(0.05)
    assert planner.read(plan_id, at).json() == before
    assert before["actual"][0]["deployed"] == 1


def test_the_plans_steps_are_in_the_audit_log_of_its_province(planner: Planner) -> None:
    plan_id = planner.opened()
    planner.nominate(plan_id, nominee(["justice"]))
    planner.post(f"/v1/plans/{plan_id}/matching")
    at = planner.post(f"/v1/plans/{plan_id}/cancel", {"reason": "Gộp đợt"}).json()["position"]
    path = f"/v1/audit?min_position={at}&limit=500"
    mine = [r for r in planner.api.get(path).json()["items"] if r["aggregate_id"] == plan_id]
    assert [(r["type"], r["to_state"]) for r in mine] == [
        ("Drafted", "drafting"),
        ("NominationsOpened", "nominating"),
        ("Nominated", "nominating"),
        ("SeatsGiven", "matched"),
        ("Cancelled", "cancelled"),
    ]
    assert mine[-1]["reason"] == "Gộp đợt"
    assert mine[0]["actor"] == {"sub": "home_affairs-tester", "role": "home_affairs"}
    assert (mine[0]["province_code"], mine[0]["effective_on"]) == (11, mine[1]["effective_on"])
    elsewhere = planner.api.get(path, "home_affairs", province_code=48).json()["items"]
    assert [r for r in elsewhere if r["aggregate_id"] == plan_id] == []
