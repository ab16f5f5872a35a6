"""Every command by HTTP: the whole lifecycle, and each error path's problem+json body."""

from __future__ import annotations

from tests.api.helpers import BODIES, DECISION, Api, assert_problem, problem_rules, secondment_body


def _deployed(api: Api) -> tuple[str, str]:
    s = api.create()
    api.act(s["id"], "approve")
    api.act(s["id"], "deploy", "commune")
    return s["id"], s["official"]["personnel_id"]


def test_the_whole_lifecycle(api: Api) -> None:
    created = api.create("agency")
    sid, pid = created["id"], created["official"]["personnel_id"]
    assert created["state"] == "requested" and created["version"] == 1
    assert created["official"]["full_name"] == "Đào Duy Hưng"
    assert created["host"]["ward_name"] == "Xã Nậm Nèn"
    steps = [
        ("approve", "home_affairs", "approved"),
        ("deploy", "commune", "deployed"),
        ("reports", "official", "reporting"),
        ("difficulties", "official", "reporting"),
        ("escalate", "official", "reporting"),
        ("resolve", "commune", "reporting"),
        ("extend", "home_affairs", "reporting"),
        ("handover", "official", "handover"),
        ("end", "commune", "ended"),
        ("return", "agency", "ended"),
    ]
    for version, (action, role, state) in enumerate(steps, start=2):
        r = (
            api.act(sid, action, role, personnel_id=pid)
            if role == "official"
            else api.act(sid, action, role)
        )
        assert r.status_code == 200, (action, r.text)
        body = r.json()
        assert (body["state"], body["version"]) == (state, version)
        assert r.headers["etag"] == f'"{version}"'
        assert body["position"] >= version
    final = api.get(f"/v1/secondments/{sid}").json()
    assert final["ending"]["outcome"] == "completed"
    assert final["term"]["end"] == "2026-10-19"
    assert final["difficulties"][0]["status"] == "resolved"
    assert final["returned"] == {"returned_on": "2026-04-20", "post": BODIES["return"]["post"]}
    assert final["allowed_actions"] == ["escalate_difficulty", "resolve_difficulty", "return"]


def test_create_answers_201_with_location_and_etag(api: Api) -> None:
    r = api.client.post("/v1/secondments", json=secondment_body(), headers=api.headers("commune"))
    assert r.status_code == 201
    assert r.headers["location"] == f"/v1/secondments/{r.json()['id']}"
    assert r.headers["etag"] == '"1"'
    assert r.json()["allowed_actions"] == []  # a commune may not approve, reject or withdraw


def test_raising_a_difficulty_returns_its_number(api: Api) -> None:
    sid, pid = _deployed(api)
    first = api.act(sid, "difficulties", "official", personnel_id=pid)
    second = api.act(sid, "difficulties", "commune")
    assert (first.json()["number"], second.json()["number"]) == (1, 2)


def test_reject_withdraw_and_recall(api: Api) -> None:
    rejected = api.act(api.create()["id"], "reject")
    assert rejected.json()["state"] == "rejected"
    withdrawn = api.act(api.create("agency")["id"], "withdraw", "agency")
    assert withdrawn.json()["state"] == "withdrawn"
    sid, _ = _deployed(api)
    recalled = api.act(sid, "recall", "agency").json()
    assert recalled["state"] == "ended"
    assert recalled["ending"] == {
        "outcome": "recalled",
        "ended_on": "2025-12-15",
        "host_evaluation": None,
        "reason": "Cơ quan cần cán bộ",
        "initiated_by": "host",
    }


def test_illegal_transition_is_409_with_state_and_allowed_actions(api: Api) -> None:
    sid = api.create()["id"]
    r = api.act(sid, "deploy", "commune")
    assert_problem(r, 409, state="requested", allowed_actions=["approve", "reject", "withdraw"])


def test_stale_if_match_is_412_and_records_nothing(api: Api) -> None:
    sid = api.create()["id"]
    r = api.act(sid, "approve", headers={"If-Match": '"7"'})
    assert_problem(r, 412, expected_version=7, current_version=1)
    assert api.get(f"/v1/secondments/{sid}").json()["version"] == 1
    ok = api.act(sid, "approve", headers={"If-Match": '"1"'})
    assert ok.status_code == 200 and ok.headers["etag"] == '"2"'


def test_malformed_if_match_is_422(api: Api) -> None:
    r = api.act(api.create()["id"], "approve", headers={"If-Match": "soon"})
    assert problem_rules(r) == {("if_match_format", "If-Match")}


def test_ineligible_approval_is_422_naming_the_rule_and_an_override_passes(api: Api) -> None:
    official = secondment_body()["official"] | {"in_succession_plan": False}
    sid = api.create(official=official)["id"]
    r = api.act(sid, "approve")
    assert problem_rules(r) == {("eligibility", "override_reason")}
    override = {**BODIES["approve"], "override_reason": "Cán bộ duy nhất có chuyên môn"}
    approved = api.act(sid, "approve", body=override).json()
    assert approved["override_reason"] == "Cán bộ duy nhất có chuyên môn"
    assert approved["eligibility_failures"] == ["neither a leader nor in a succession plan"]


def test_business_rules_name_field_and_rule(api: Api) -> None:
    sid, _ = _deployed(api)
    early = api.act(sid, "extend", body={**BODIES["extend"], "new_end": "2026-01-01"})
    assert problem_rules(early) == {("new_end_after_current", "new_end")}
    wrong_ward = api.client.post(
        "/v1/secondments",
        json=secondment_body(host={"province_code": 48, "ward_code": 3194}),
        headers=api.headers("ministry"),
    )
    assert problem_rules(wrong_ward) == {("ward_in_province", "host.ward_code")}


def test_request_validation_is_422_with_field_paths(api: Api) -> None:
    body = secondment_body(kind="holiday", unknown=1, planned_start="20/10/2025")
    body["official"]["appraisals"][1]["year"] = "2023"
    r = api.client.post("/v1/secondments", json=body, headers=api.headers("ministry"))
    fields = {e["field"] for e in assert_problem(r, 422)["errors"]}
    assert fields == {"kind", "unknown", "planned_start", "official.appraisals[1].year"}


def test_one_active_secondment_per_official(api: Api) -> None:
    first = api.create()
    api.act(first["id"], "approve")
    second = api.create(official=first["official"])
    r = api.act(second["id"], "approve")
    assert problem_rules(r) == {("one_active_secondment", "official.personnel_id")}


def test_unknown_secondment_and_difficulty_are_404(api: Api) -> None:
    missing = api.act("0f8fad5b-d9cb-469f-a165-70867728950e", "approve")
    assert_problem(missing, 404, detail="secondment not found")
    sid, _ = _deployed(api)
    assert_problem(api.act(sid, "resolve"), 404, detail="difficulty 1 not found")


def test_a_decision_approves_all_or_none(api: Api) -> None:
    good = api.create()["id"]
    weak = secondment_body()["official"] | {"is_leader": False, "in_succession_plan": False}
    bad = api.create(official=weak)["id"]
    body = {"decision": DECISION, "start": "2025-10-20", "end": "2026-04-19"}
    refused = api.client.post(
        "/v1/decisions",
        json={**body, "secondment_ids": [good, bad]},
        headers=api.headers("home_affairs"),
    )
    assert problem_rules(refused) == {("eligibility", "secondment_ids[1].override_reason")}
    assert api.get(f"/v1/secondments/{good}").json()["state"] == "requested"
    other = api.create()["id"]
    r = api.client.post(
        "/v1/decisions",
        json={**body, "secondment_ids": [good, other]},
        headers=api.headers("home_affairs"),
    )
    assert r.status_code == 200, r.text
    assert [s["state"] for s in r.json()["items"]] == ["approved", "approved"]
    assert r.json()["decision"]["number"] == "2446/QĐ-UBND"


def test_a_decision_approves_an_ineligible_official_with_their_override_reason(api: Api) -> None:
    good = api.create()["id"]
    weak = secondment_body()["official"] | {"is_leader": False, "in_succession_plan": False}
    bad = api.create(official=weak)["id"]
    body = {"decision": DECISION, "start": "2025-10-20", "end": "2026-04-19"}
    reason = "Cán bộ duy nhất có chuyên môn đo đạc địa chính"
    r = api.client.post(
        "/v1/decisions",
        json={**body, "secondment_ids": [good, bad], "overrides": {bad: reason}},
        headers=api.headers("home_affairs"),
    )
    assert r.status_code == 200, r.text
    approved = api.get(f"/v1/secondments/{bad}").json()
    assert (approved["state"], approved["override_reason"]) == ("approved", reason)
    assert api.get(f"/v1/secondments/{good}").json()["override_reason"] is None


def test_a_decision_treats_out_of_scope_secondments_as_missing(api: Api) -> None:
    inside = api.create()["id"]
    elsewhere = api.create(
        "ministry", host={"province_code": 48, "ward_code": 20455}, home_agency="Sở Nội vụ"
    )["id"]
    r = api.client.post(
        "/v1/decisions",
        json={**BODIES["approve"], "secondment_ids": [inside, elsewhere]},
        headers=api.headers("home_affairs"),
    )
    assert problem_rules(r) == {("secondment_exists", "secondment_ids[1]")}


def test_declaring_needs_replaces_the_previous_declaration(api: Api) -> None:
    url = "/v1/communes/3194/needs"
    first = {"fields": ["construction", "justice"], "note": "Xã có 44 cán bộ, công chức"}
    r = api.client.put(url, json=first, headers=api.headers("commune"))
    assert r.status_code == 200 and r.json()["ward_name"] == "Xã Nậm Nèn"
    r = api.client.put(url, json={"fields": ["agriculture"]}, headers=api.headers("home_affairs"))
    assert (r.json()["fields"], r.json()["version"]) == (["agriculture"], 3)
    unknown = api.client.put(
        "/v1/communes/99999/needs", json=first, headers=api.headers("ministry")
    )
    assert problem_rules(unknown) == {("ward_exists", "ward_code")}
    other = api.client.put("/v1/communes/3356/needs", json=first, headers=api.headers("commune"))
    assert_problem(other, 403)


def test_too_large_body_is_413(api: Api) -> None:
    body = secondment_body(reason="x" * (api.settings.max_body_bytes + 1))
    r = api.client.post("/v1/secondments", json=body, headers=api.headers("ministry"))
    assert_problem(r, 413)
