"""Who may do what to which plans, on both backends: the declaration's roles, the province of
the plan, an agency's own officials, a commune's targets; 404 outside the caller's scope."""

from __future__ import annotations

from tests.api.helpers import KHCN, assert_problem
from tests.api.plan_helpers import Planner, nominee, plan_body, planner

__all__ = ["planner"]
DA_NANG_WARD = {"ward_code": None, "province_code": 48, "fields": ["justice"], "seats": 1}


def test_only_home_affairs_of_the_province_or_the_ministry_draft(planner: Planner) -> None:
    for role in ("agency", "commune", "official", "auditor", "admin"):
        assert_problem(planner.post("/v1/plans", plan_body(), role), 403)
    assert_problem(planner.post("/v1/plans", plan_body(), province_code=48), 403)
    ministry = plan_body(
        province_code=None, targets=[DA_NANG_WARD, {**DA_NANG_WARD, "province_code": 11}]
    )
    r = planner.post("/v1/plans", ministry, "ministry")
    assert r.status_code == 201, r.text
    assert r.headers["Location"] == f"/v1/plans/{r.json()['id']}"


def test_agencies_nominate_their_own_officials_home_affairs_any(planner: Planner) -> None:
    plan_id = planner.opened()
    path = f"/v1/plans/{plan_id}/nominations"
    other = nominee(["justice"], agency="Sở Tư pháp")
    assert_problem(planner.post(path, other, "agency"), 403)
    assert planner.post(path, other, "agency", home_agency="Sở Tư pháp").status_code == 201
    assert planner.post(path, other, "home_affairs").status_code == 201
    assert_problem(
        planner.post(path, other, "agency", province_code=48, home_agency="Sở Tư pháp"), 404
    )
    assert_problem(planner.post(path, nominee(["justice"]), "commune"), 403)
    assert_problem(planner.post(f"/v1/plans/{plan_id}/matching", None, "agency"), 403)


def test_a_plan_outside_the_scope_is_not_found(planner: Planner) -> None:
    created = planner.create()
    plan_id, at = created["id"], created["position"]
    assert planner.read(plan_id, at).status_code == 200
    assert planner.read(plan_id, at, "commune").status_code == 200
    assert planner.read(plan_id, at, "auditor").status_code == 200
    assert_problem(planner.read(plan_id, at, "commune", ward_code=3328, province_code=11), 404)
    assert_problem(planner.read(plan_id, at, "home_affairs", province_code=48), 404)
    assert_problem(planner.post(f"/v1/plans/{plan_id}/open", None, province_code=48), 404)
    assert_problem(planner.api.get(f"/v1/plans/{plan_id}", "admin"), 403)
    listed = planner.api.get(f"/v1/plans?min_position={at}", "agency", home_agency=KHCN).json()
    assert [p["id"] for p in listed["items"]] == [plan_id]
    assert (
        planner.api.get(f"/v1/plans?min_position={at}", "home_affairs", province_code=48).json()[
            "items"
        ]
        == []
    )
    assert planner.api.get(f"/v1/plans?min_position={at}&state=matched").json()["items"] == []


def test_a_communes_uncovered_fields_point_at_the_open_plans(planner: Planner) -> None:
    needs = {"fields": ["information_technology", "justice"], "note": ""}
    r = planner.api.client.put(
        "/v1/communes/3194/needs", json=needs, headers=planner.api.headers("commune")
    )
    assert r.status_code == 200, r.text
    plan_id = planner.create()["id"]
    cancelled = planner.create()["id"]
    at = planner.post(f"/v1/plans/{cancelled}/cancel", {"reason": "Gộp vào đợt 1"}).json()[
        "position"
    ]
    found = planner.api.get(f"/v1/communes/3194/plans?min_position={at}", "commune").json()
    assert found["uncovered"] == ["information_technology", "justice"]
    assert [(p["id"], p["fields"], p["seats"]) for p in found["open_plans"]] == [
        (plan_id, ["information_technology", "construction"], 2)
    ]


def test_nominees_names_are_read_by_deciding_roles_and_their_own_agency(planner: Planner) -> None:
    plan_id = planner.opened()
    planner.nominate(plan_id, nominee(["justice"]))
    at = planner.nominate_at(plan_id, nominee(["justice"], agency="Sở Tư pháp"), "home_affairs")
    names = {
        role: [n["full_name"] for n in planner.read(plan_id, at, role).json()["nominations"]]
        for role in ("home_affairs", "auditor", "agency", "commune")
    }
    assert names == {
        "home_affairs": ["Đào Duy Hưng", "Đào Duy Hưng"],
        "auditor": ["Đào Duy Hưng", "Đào Duy Hưng"],
        "agency": ["Đào Duy Hưng", None],
        "commune": [None, None],
    }
