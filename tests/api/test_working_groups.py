"""Working groups over HTTP on both stores: who may form, run and read them; visits to the
communes they cover; an issue that opens a difficulty on a secondment at the commune, linked
both ways and saved with the visit (all or nothing), answered once per Idempotency-Key."""

from __future__ import annotations

import pytest

from tests.api.groups import (
    DA_NANG,
    OTHER,
    THIRD,
    WARD,
    form,
    formed,
    headers,
    issue,
    on_post,
    visit,
    visit_body,
)
from tests.api.helpers import Api, assert_problem, problem_rules


@pytest.mark.parametrize(
    ("role", "claims", "status"),
    [
        ("home_affairs", {}, 201),
        ("ministry", {}, 201),
        ("home_affairs", {"province_code": 11}, 403),
        ("auditor", {}, 403),
        ("commune", {}, 403),
        ("agency", {}, 403),
        ("official", {}, 403),
        ("admin", {}, 403),
    ],
)
def test_who_may_form_a_group(api: Api, role: str, claims: dict[str, int], status: int) -> None:
    r = api.client.post(
        "/v1/working-groups",
        json={
            "name": "Tổ công tác",
            "leader": {"full_name": "A", "position": "B", "unit": "C"},
            "ward_codes": [WARD],
        },
        headers=headers(api, role, **claims),
    )
    assert r.status_code == status, r.text
    if status == 201:
        assert r.headers["location"] == f"/v1/working-groups/{r.json()['id']}"
        assert r.headers["etag"] == '"1"'
        assert r.json()["province_code"] == DA_NANG


def test_who_may_read_a_group(api: Api) -> None:
    gid = formed(api)["id"]
    seen = {
        ("home_affairs", 48): 200,
        ("home_affairs", 11): 404,
        ("auditor", 48): 200,
        ("auditor", 11): 404,
        ("ministry", None): 200,
        ("agency", 48): 403,
        ("admin", None): 403,
    }
    for (role, province), status in seen.items():
        claims = {} if province is None else {"province_code": province}
        r = api.client.get(f"/v1/working-groups/{gid}", headers=headers(api, role, **claims))
        assert r.status_code == status, (role, province, r.text)
    covered = api.client.get(f"/v1/working-groups/{gid}", headers=headers(api, "commune"))
    elsewhere = headers(api, "commune", ward_code=THIRD)
    assert covered.status_code == 200
    assert api.client.get(f"/v1/working-groups/{gid}", headers=elsewhere).status_code == 404
    assert covered.json()["allowed_actions"] == []
    leading = api.client.get(f"/v1/working-groups/{gid}", headers=headers(api, "home_affairs"))
    assert leading.json()["allowed_actions"] == [
        "record_visit",
        "enlarge_working_group",
        "close_working_group",
    ]
    assert visit(api, gid, visit_body(), "commune").status_code == 403
    assert visit(api, gid, visit_body(), "home_affairs").status_code == 200
    outsider = api.client.post(
        f"/v1/working-groups/{gid}/visits",
        json=visit_body(),
        headers=api.headers("home_affairs", province_code=11),
    )
    assert_problem(outsider, 404)


def test_a_group_rejects_communes_outside_its_province(api: Api) -> None:
    r = form(api, ward_codes=[WARD, 3194])
    assert problem_rules(r) == {("ward_in_province", "ward_codes[1]")}
    r = form(api, ward_codes=[WARD], formed_on="2999-01-01")
    assert problem_rules(r) == {("effective_date_in_future", "formed_on")}


def test_visits_show_the_communes_visited_and_not_yet(api: Api) -> None:
    gid = formed(api)["id"]
    r = visit(api, gid, visit_body())
    assert r.status_code == 200, r.text
    g = r.json()
    assert [w["ward_code"] for w in g["visited"]] == [WARD]
    assert [w["ward_code"] for w in g["not_visited"]] == [OTHER]
    assert g["visits"][0]["number"] == 1 and g["visits"][0]["recorded_by"]["role"] == "home_affairs"
    assert r.headers["etag"] == '"2"' and g["position"] > 0
    assert problem_rules(visit(api, gid, visit_body(THIRD))) == {("ward_covered", "ward_code")}
    early = visit_body(visited_on="2025-09-01")
    assert problem_rules(visit(api, gid, early)) == {("visit_after_forming", "visited_on")}
    future = visit_body(visited_on="2999-01-01")
    assert problem_rules(visit(api, gid, future)) == {("effective_date_in_future", "visited_on")}


def test_members_communes_and_closing(api: Api) -> None:
    gid = formed(api)["id"]
    h = headers(api, "home_affairs")
    more = {"members": [{"full_name": "Phạm Văn C", "position": "Chuyên viên", "unit": "Sở"}]}
    added = f"/v1/working-groups/{gid}/additions"
    r = api.client.post(added, json=more, headers=h)
    assert [m["full_name"] for m in r.json()["members"]] == ["Lê Thị Bình", "Phạm Văn C"]
    r = api.client.post(added, json={"ward_codes": [THIRD, WARD]}, headers=h)
    assert [w["ward_code"] for w in r.json()["not_visited"]] == [WARD, OTHER, THIRD]
    outside = api.client.post(added, json={"ward_codes": [3194]}, headers=h)
    assert problem_rules(outside) == {("ward_in_province", "ward_codes[0]")}
    nothing = api.client.post(added, json={}, headers=h)
    assert problem_rules(nothing) == {("additions_required", "members")}
    stale = api.client.post(
        f"/v1/working-groups/{gid}/close", json={}, headers={**h, "If-Match": '"1"'}
    )
    assert_problem(stale, 412)
    closed = api.client.post(f"/v1/working-groups/{gid}/close", json={"reason": "Xong"}, headers=h)
    assert closed.json()["state"] == "closed" and closed.json()["allowed_actions"] == []
    late = visit(api, gid, visit_body())
    assert_problem(late, 409, state="closed", allowed_actions=[])


def test_an_issue_opens_a_difficulty_linked_both_ways(api: Api) -> None:
    sid = on_post(api)
    gid = formed(api)["id"]
    body = visit_body(issues=[issue(sid), issue(title="Thiếu máy scan")])
    r = visit(api, gid, body, **{"Idempotency-Key": "visit-1"})
    assert r.status_code == 200, r.text
    issues = r.json()["visits"][0]["issues"]
    assert [(i["secondment_id"], i["difficulty_number"]) for i in issues] == [
        (sid, 1),
        (None, None),
    ]
    s = api.get(f"/v1/secondments/{sid}", province_code=DA_NANG).json()
    assert [(d["number"], d["came_from"]) for d in s["difficulties"]] == [
        (1, {"working_group_id": gid, "visit": 1})
    ]
    assert s["difficulties"][0]["raised_on"] == "2025-10-02"
    again = visit(api, gid, body, **{"Idempotency-Key": "visit-1"})
    assert again.json() == r.json()
    s = api.get(f"/v1/secondments/{sid}", province_code=DA_NANG).json()
    assert len(s["difficulties"]) == 1
    trail = api.client.get(f"/v1/working-groups/{gid}/events", headers=headers(api, "auditor"))
    assert [e["type"] for e in trail.json()["items"]] == ["Formed", "VisitRecorded"]
    visited = trail.json()["items"][1]
    raised = api.get(f"/v1/secondments/{sid}/events", province_code=DA_NANG).json()["items"][-1]
    assert raised["type"] == "DifficultyRaised"
    assert abs(raised["position"] - visited["position"]) == 1  # one save
    assert (
        visited["actor"]
        == raised["actor"]
        == {"sub": "home_affairs-tester", "role": "home_affairs"}
    )
    assert visited["effective_on"] == "2025-10-02"


def test_a_visit_and_its_difficulties_are_saved_all_or_nothing(api: Api) -> None:
    here, elsewhere = on_post(api), on_post(api, OTHER)
    gid = formed(api)["id"]
    body = visit_body(issues=[issue(here), issue(elsewhere)])
    r = visit(api, gid, body)
    assert problem_rules(r) == {("secondment_at_commune", "issues[1].secondment_id")}
    s = api.get(f"/v1/secondments/{here}", province_code=DA_NANG).json()
    assert s["difficulties"] == [] and s["version"] == 3
    g = api.client.get(f"/v1/working-groups/{gid}", headers=headers(api, "home_affairs")).json()
    assert g["visits"] == [] and g["version"] == 1
    unknown = visit(api, gid, visit_body(issues=[issue("00000000-0000-0000-0000-000000000001")]))
    assert problem_rules(unknown) == {("secondment_at_commune", "issues[0].secondment_id")}


def test_the_lifecycle_is_read_off_the_declaration(api: Api) -> None:
    r = api.client.get("/v1/working-groups/lifecycle", headers=headers(api, "auditor"))
    described = r.json()
    assert described["states"] == ["active", "closed"]
    assert [(t["action"], t["from"], t["to"]) for t in described["transitions"]] == [
        ("record_visit", ["active"], None),
        ("enlarge_working_group", ["active"], None),
        ("close_working_group", ["active"], "closed"),
    ]
    assert "active --> closed: close_working_group" in described["mermaid"]
    assert (
        api.client.get("/v1/working-groups/lifecycle", headers=headers(api, "agency")).status_code
        == 403
    )
