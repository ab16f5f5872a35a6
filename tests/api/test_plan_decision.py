"""The plan's decision on both backends: all or none under every rule of an approval, each
failure named by its assignment row; a repeat under one Idempotency-Key records nothing new."""

from __future__ import annotations

from typing import Any

from tests.api.helpers import DECISION
from tests.api.plan_helpers import GOOD, Planner, decision_body, nominee, planner

__all__ = ["planner"]
IT = ["information_technology"]


def _matched(planner: Planner, *nominees: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    targets = [{"ward_code": 3194, "fields": IT, "seats": len(nominees)}]
    plan_id = planner.opened(targets=targets)
    for body in nominees:
        planner.nominate(plan_id, body)
    r = planner.post(f"/v1/plans/{plan_id}/matching")
    assert r.status_code == 200, r.text
    return plan_id, r.json()


def _count_secondments(planner: Planner) -> int:
    registry = planner.api.registry
    return int(registry.recorder.max_notification_id() or 0)


def test_one_bad_official_saves_nothing_and_names_the_row_and_rule(planner: Planner) -> None:
    protected = nominee(IT, maternity_protected=True)
    plan_id, matched = _matched(planner, nominee(IT), protected)
    row = next(
        i
        for i, a in enumerate(matched["assignments"])
        if a["nomination_id"] != matched["nominations"][0]["nomination_id"]
    )
    before = _count_secondments(planner)
    r = planner.post(f"/v1/plans/{plan_id}/decision", decision_body())
    assert r.status_code == 422, r.text
    assert {(e["rule"], e["field"]) for e in r.json()["errors"]} == {
        ("maternity_protection", f"assignments[{row}].official.maternity_protected")
    }
    assert _count_secondments(planner) == before
    view = planner.read(plan_id, matched["position"]).json()
    assert (view["state"], view["version"], view["secondment_ids"]) == (
        "matched",
        matched["version"],
        [],
    )


def test_an_official_already_seconded_for_an_overlapping_term_is_refused(planner: Planner) -> None:
    body = nominee(IT)
    held = planner.api.create(official={**body["official"], "in_succession_plan": True})
    assert planner.api.act(held["id"], "approve").status_code == 200
    plan_id, _ = _matched(planner, body)
    r = planner.post(f"/v1/plans/{plan_id}/decision", decision_body())
    assert {(e["rule"], e["field"]) for e in r.json()["errors"]} == {
        ("one_active_secondment", "assignments[0].official.personnel_id")
    }
    later = decision_body(start="2026-05-01", end="2026-10-31")
    assert planner.post(f"/v1/plans/{plan_id}/decision", later).status_code == 200


def test_term_and_decision_date_rules(planner: Planner) -> None:
    plan_id, _ = _matched(planner, nominee(IT))
    too_long = decision_body(end="2029-04-19")
    assert {
        e["rule"] for e in planner.post(f"/v1/plans/{plan_id}/decision", too_long).json()["errors"]
    } == {"term_limit"}
    backwards = decision_body(end="2025-10-01")
    assert {
        e["rule"] for e in planner.post(f"/v1/plans/{plan_id}/decision", backwards).json()["errors"]
    } == {"term_ordered"}
    future = decision_body(decision={**DECISION, "date": "2999-01-01"})
    r = planner.post(f"/v1/plans/{plan_id}/decision", future)
    assert [(e["rule"], e["field"]) for e in r.json()["errors"]] == [
        ("effective_date_in_future", "decision.date")
    ]


def test_a_repeated_decision_records_nothing_new(planner: Planner) -> None:
    plan_id, _ = _matched(planner, nominee(IT))
    headers = {**planner.api.headers("home_affairs"), "Idempotency-Key": "plan-decision-1"}
    path = f"/v1/plans/{plan_id}/decision"
    first = planner.api.client.post(path, json=decision_body(), headers=headers)
    at = _count_secondments(planner)
    again = planner.api.client.post(path, json=decision_body(), headers=headers)
    assert first.status_code == again.status_code == 200
    assert again.json() == first.json() and _count_secondments(planner) == at
    other = planner.api.client.post(path, json=decision_body(batch="x"), headers=headers)
    assert other.status_code == 422
    assert planner.post(path, decision_body()).status_code == 409


def test_an_official_nominated_without_eligibility_is_shown_and_decided_with_override(
    planner: Planner,
) -> None:
    weak = nominee(IT, appraisals=GOOD[:1], is_leader=False)
    plan_id, matched = _matched(planner, weak)
    shown = matched["nominations"][0]
    assert shown["eligible"] is False and len(shown["eligibility_failures"]) == 3
    overrides = {shown["nomination_id"]: "Chuyên gia duy nhất về chuyển đổi số"}
    r = planner.post(f"/v1/plans/{plan_id}/decision", decision_body(overrides=overrides))
    assert r.status_code == 200, r.text
    sid = r.json()["secondment_ids"][0]
    s = planner.api.get(f"/v1/secondments/{sid}").json()
    assert s["override_reason"] == overrides[shown["nomination_id"]]
    assert s["eligibility_failures"]
