"""Plans through the HTTP API on both backends: targets, nominations with eligibility shown,
the matching, assignments by hand, the decision and plan against actual."""

from __future__ import annotations

from tests.api.helpers import assert_problem, problem_rules
from tests.api.plan_helpers import (
    MUONG_PHANG,
    NAM_NEN,
    WEAK,
    Planner,
    decision_body,
    nominee,
    planner,
)

__all__ = ["planner"]


def test_from_targets_to_one_decision_and_plan_against_actual(planner: Planner) -> None:
    plan_id = planner.opened()
    it = planner.nominate(plan_id, nominee(["information_technology"]))
    builder = planner.nominate(plan_id, nominee(["construction", "transport"], appraisals=WEAK))
    lawyer = planner.nominate(plan_id, nominee(["justice"], agency="Sở Tư pháp"), "home_affairs")
    r = planner.post(f"/v1/plans/{plan_id}/matching")
    assert r.status_code == 200, r.text
    matched = r.json()
    assert matched["state"] == "matched"
    seats = {
        (a["nomination_id"], a["ward_code"], tuple(a["fields"])) for a in matched["assignments"]
    }
    assert seats == {
        (it, NAM_NEN, ("information_technology",)),
        (builder, NAM_NEN, ("construction",)),
        (lawyer, MUONG_PHANG, ("justice",)),
    }
    assert matched["uncovered"] == []
    shown = {n["nomination_id"]: n for n in matched["nominations"]}
    assert shown[builder]["eligible"] is False and shown[builder]["eligibility_failures"]
    assert shown[it]["eligible"] is True
    refused = planner.post(f"/v1/plans/{plan_id}/decision", decision_body())
    row = [a["nomination_id"] for a in matched["assignments"]].index(builder)
    assert problem_rules(refused) == {("eligibility", f"assignments[{row}].override_reason")}
    assert planner.read(plan_id, matched["position"]).json()["version"] == matched["version"]
    body = decision_body(batch="Đợt 1", overrides={builder: "Xã cần gấp cán bộ xây dựng"})
    r = planner.post(f"/v1/plans/{plan_id}/decision", body)
    assert r.status_code == 200, r.text
    decided = r.json()
    assert decided["state"] == "decided" and len(decided["secondment_ids"]) == 3
    assert [a["secondment_id"] for a in decided["assignments"]] == decided["secondment_ids"]
    first = planner.api.get(f"/v1/secondments/{decided['secondment_ids'][0]}").json()
    assert first["state"] == "approved"
    assert first["plan"] == {"id": plan_id, "batch": "Đợt 1"}
    assert first["decision"]["number"] == "2446/QĐ-UBND"
    recalled, reporting = decided["secondment_ids"][0], decided["secondment_ids"][2]
    for sid in (recalled, reporting):
        assert planner.api.act(sid, "deploy").status_code == 200
    assert planner.api.act(recalled, "recall").status_code == 200
    pid = _pid(planner, reporting)
    at = planner.api.act(reporting, "reports", role="official", personnel_id=pid).json()
    view = planner.read(plan_id, at["position"]).json()
    actual = {a["ward_code"]: a for a in view["actual"]}
    nam_nen, muong_phang = actual[NAM_NEN], actual[MUONG_PHANG]
    assert (nam_nen["assigned"], nam_nen["approved"], nam_nen["ended"]) == (2, 1, 1)
    assert (muong_phang["reporting"], muong_phang["approved"]) == (1, 0)
    names = {n["nomination_id"]: n["full_name"] for n in view["nominations"]}
    assert names[lawyer] == "Đào Duy Hưng"


def _pid(planner: Planner, sid: str) -> str:
    found: str = planner.api.get(f"/v1/secondments/{sid}").json()["official"]["personnel_id"]
    return found


def test_hand_assignments_name_each_broken_rule(planner: Planner) -> None:
    plan_id = planner.opened()
    it = planner.nominate(plan_id, nominee(["information_technology"]))
    lawyer = planner.nominate(plan_id, nominee(["justice"]))
    path = f"/v1/plans/{plan_id}/assignments"
    bad = [
        {"nomination_id": it, "target": 0, "number": 0},
        {"nomination_id": it, "target": 0, "number": 1},
        {"nomination_id": lawyer, "target": 0, "number": 0},
        {"nomination_id": lawyer, "target": 7, "number": 0},
        {"nomination_id": "00000000-0000-0000-0000-000000000000", "target": 1, "number": 0},
    ]
    r = planner.put(path, {"assignments": bad})
    assert problem_rules(r) == {
        ("one_seat_per_official", "assignments[1].nomination_id"),
        ("seat_taken", "assignments[2]"),
        ("field_needed", "assignments[2]"),
        ("one_seat_per_official", "assignments[3].nomination_id"),
        ("seat_exists", "assignments[3]"),
        ("nomination_exists", "assignments[4].nomination_id"),
    }
    good = [{"nomination_id": it, "target": 0, "number": 1}, {"nomination_id": lawyer, "target": 1}]
    r = planner.put(path, {"assignments": good})
    assert r.status_code == 200, r.text
    assert [(u["target"], u["number"]) for u in r.json()["uncovered"]] == [(0, 0)]
    coverage = {(c["ward_code"], c["field"]): c["covered"] for c in r.json()["coverage"]}
    assert coverage == {
        (NAM_NEN, "information_technology"): 1,
        (NAM_NEN, "construction"): 0,
        (MUONG_PHANG, "justice"): 1,
    }


def test_illegal_steps_answer_409_with_the_plans_actions(planner: Planner) -> None:
    plan_id = planner.create()["id"]
    r = planner.post(f"/v1/plans/{plan_id}/nominations", nominee(["justice"]), "agency")
    problem = assert_problem(r, 409, state="drafting")
    assert problem["allowed_actions"] == ["amend_targets", "open_nominations", "cancel"]
    assert problem["detail"] == "cannot nominate a plan that is drafting"
    assert planner.post(f"/v1/plans/{plan_id}/matching").status_code == 409


def test_targets_are_replaced_while_drafting_only(planner: Planner) -> None:
    plan_id = planner.create()["id"]
    path = f"/v1/plans/{plan_id}/targets"
    wrong = {"targets": [{"ward_code": 70, "fields": ["justice"], "seats": 1}]}
    assert problem_rules(planner.put(path, wrong)) == {("ward_in_province", "targets[0].ward_code")}
    targets = {"targets": [{"ward_code": MUONG_PHANG, "fields": ["health"], "seats": 3}]}
    r = planner.put(path, targets)
    assert r.status_code == 200, r.text
    assert [(t["ward_code"], t["fields"], t["seats"]) for t in r.json()["targets"]] == [
        (MUONG_PHANG, ["health"], 3)
    ]
    assert planner.post(f"/v1/plans/{plan_id}/open").status_code == 200
    assert_problem(planner.put(path, targets), 409, state="nominating")
