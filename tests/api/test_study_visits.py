"""Study visits through the HTTP API on both stores: the lifecycle as declared, the weekly
capacity of a unit with the free weeks proposed, rescheduling, roles and scopes, the trail."""

from __future__ import annotations

import pytest

from api.vietnamese import RULES
from domain.personal import ERASED
from domain.visit_lifecycle import STUDY_VISIT
from tests.api.helpers import Api, assert_problem, problem_rules
from tests.api.visit_helpers import (
    AVUONG,
    DA_NANG,
    HUNG_SON,
    TAY_GIANG,
    act,
    api,
    as_role,
    in_state,
    live_ui,
    proposal,
    propose,
    slot,
)

__all__ = ["api", "live_ui"]  # the fixtures


def test_every_action_from_every_state_follows_the_declaration(api: Api) -> None:
    for state in STUDY_VISIT.states:
        for action in STUDY_VISIT.actions:
            visit = in_state(api, state)
            r = act(api, visit["id"], action)
            if action in STUDY_VISIT.allowed_actions(state):
                assert r.status_code == 200, (state, action, r.text)
                row = STUDY_VISIT.transition_for(state, action)
                assert r.json()["state"] == row.destination(state)
            else:
                detail = f"cannot {action} a study visit that is {state}"
                assert_problem(r, 409, state=state, detail=detail)


def test_a_full_week_proposes_the_next_free_weeks_and_rescheduling_frees_a_place(api: Api) -> None:
    first, second, third = (propose(api)["id"] for _ in range(3))
    unit = "Phòng Cải cách hành chính"
    assert act(api, first, "schedule", slot("2026-03-02", unit)).status_code == 200
    assert act(api, second, "schedule", slot("2026-03-04", unit.upper())).status_code == 200
    for other in (propose(api)["id"], propose(api)["id"]):  # week 11 is full too
        assert act(api, other, "schedule", slot("2026-03-09", unit)).status_code == 200
    refused = act(api, third, "schedule", slot("2026-03-05", unit))
    assert problem_rules(refused) == {("unit_week_full", "start")}
    assert refused.json()["free_weeks"] == ["2026-W12", "2026-W13", "2026-W14"]
    vi = {**as_role(api, "home_affairs"), "Accept-Language": "vi"}
    in_vietnamese = api.client.post(
        f"/v1/study-visits/{third}/schedule", json=slot("2026-03-05", unit), headers=vi
    ).json()
    assert in_vietnamese["errors"][0]["message"] == RULES["unit_week_full"]
    assert in_vietnamese["free_weeks"] == ["2026-W12", "2026-W13", "2026-W14"]
    elsewhere = act(api, third, "schedule", slot("2026-03-05", "Phòng Văn thư - Lưu trữ"))
    assert elsewhere.status_code == 200
    moved = act(api, first, "reschedule", slot("2026-03-16", unit))
    assert (moved.json()["week"], moved.json()["reschedules"]) == ("2026-W12", 1)
    assert act(api, third, "reschedule", slot("2026-03-06", unit)).json()["week"] == "2026-W10"
    assert act(api, second, "cancel").status_code == 200
    again = act(api, propose(api)["id"], "schedule", slot("2026-03-03", unit))
    assert again.status_code == 200, again.text


def test_scheduling_rules_are_named(api: Api) -> None:
    visit = propose(api)["id"]
    backwards = act(
        api, visit, "schedule", {"start": "2026-03-04", "end": "2026-03-02", "unit": "P"}
    )
    assert ("visit_dates_ordered", "end") in problem_rules(backwards)
    across = act(api, visit, "schedule", {"start": "2026-03-06", "end": "2026-03-10", "unit": "P"})
    assert problem_rules(across) == {("visit_in_one_week", "end")}
    bad_week = api.client.post(
        "/v1/study-visits",
        json=proposal(preferred_weeks=["2026-13"]),
        headers=as_role(api, "home_affairs"),
    )
    assert_problem(bad_week, 422)
    act(api, visit, "schedule", slot("2026-03-02"))
    early = act(api, visit, "attend", {"attended_on": "2026-03-01"})
    assert problem_rules(early) == {("attended_after_start", "attended_on")}
    crowd = act(api, visit, "attend", {"attended_on": "2026-03-02", "present": 4})
    assert problem_rules(crowd) == {("present_within_participants", "present")}


def test_no_cap_on_participants_and_their_names_are_sealed(api: Api) -> None:
    visit = propose(api, people=120)
    assert len(visit["participants"]) == 120
    stored = api.registry.recorder.select_events(__import__("uuid").UUID(visit["id"]))
    assert (
        b"C\\u00e1n b\\u1ed9 7" not in stored[0].state
        and "Cán bộ 7".encode() not in stored[0].state
    )


def test_roles_and_scopes(api: Api) -> None:
    client = api.client
    own = client.post("/v1/study-visits", json=proposal(ward=None), headers=as_role(api, "commune"))
    assert own.status_code == 201 and own.json()["ward_code"] == HUNG_SON
    other = client.post(
        "/v1/study-visits", json=proposal(ward=AVUONG), headers=as_role(api, "commune")
    )
    assert_problem(other, 403)
    assert_problem(
        client.post("/v1/study-visits", json=proposal(), headers=api.headers("agency")), 403
    )
    assert_problem(
        client.post("/v1/study-visits", json=proposal(), headers=as_role(api, "auditor")), 403
    )
    dien_bien = api.headers("home_affairs")
    assert_problem(client.post("/v1/study-visits", json=proposal(), headers=dien_bien), 403)
    visit = own.json()["id"]
    assert_problem(act(api, visit, "schedule", slot(), role="commune"), 403)
    assert own.json()["allowed_actions"] == []
    for role, ward, status in (
        ("commune", HUNG_SON, 200),
        ("commune", TAY_GIANG, 404),
        ("auditor", HUNG_SON, 200),
        ("ministry", HUNG_SON, 200),
    ):
        assert (
            client.get(f"/v1/study-visits/{visit}", headers=as_role(api, role, ward)).status_code
            == status
        )
    assert client.get(f"/v1/study-visits/{visit}", headers=dien_bien).status_code == 404
    assert_problem(client.get(f"/v1/study-visits/{visit}", headers=api.headers("agency")), 403)
    seen = client.get(f"/v1/study-visits/{visit}", headers=as_role(api, "home_affairs")).json()
    assert seen["allowed_actions"] == ["schedule", "cancel"]


def test_the_list_is_scoped_and_filtered(api: Api) -> None:
    mine = propose(api, ward=HUNG_SON)["id"]
    theirs = propose(api, ward=TAY_GIANG)["id"]
    done = act(api, theirs, "schedule", slot("2026-03-02", "Phòng Lưu trữ")).json()
    wait = f"min_position={done['position']}"
    commune = api.client.get(f"/v1/study-visits?{wait}", headers=as_role(api, "commune")).json()
    assert [r["visit_id"] for r in commune["items"]] == [mine]
    department = as_role(api, "home_affairs")
    every = api.client.get(f"/v1/study-visits?{wait}", headers=department).json()["items"]
    assert {r["visit_id"] for r in every} == {mine, theirs}
    for query, expected in (
        ("state=scheduled", [theirs]),
        (f"ward_code={HUNG_SON}", [mine]),
        ("unit=phòng lưu trữ", [theirs]),
        ("week=2026-W10", [theirs]),
        ("week=2026-W11", []),
    ):
        found = api.client.get(f"/v1/study-visits?{wait}&{query}", headers=department).json()
        assert [r["visit_id"] for r in found["items"]] == expected, query


def test_the_trail_names_actor_business_date_and_states(api: Api) -> None:
    visit = in_state(api, "completed")
    trail = api.client.get(
        f"/v1/study-visits/{visit['id']}/events", headers=as_role(api, "auditor")
    )
    items = trail.json()["items"]
    assert [e["type"] for e in items] == ["Proposed", "Scheduled", "Attended", "Completed"]
    assert items[2]["effective_on"] == "2026-03-02"
    assert items[1]["actor"]["role"] == "home_affairs"
    assert (items[3]["from_state"], items[3]["to_state"]) == ("attended", "completed")
    assert all(e["recorded_at"] and e["effective_on"] for e in items)


@pytest.mark.parametrize("header", ["text/csv"])
def test_the_csv_export_is_neutralised(api: Api, header: str) -> None:
    done = propose(api, host_unit='=HYPERLINK("http://x")')
    r = api.client.get(
        f"/v1/study-visits?min_position={done['position']}",
        headers={**as_role(api, "home_affairs"), "Accept": header},
    )
    assert r.status_code == 200 and "'=HYPERLINK" in r.text
    assert done["province_code"] == DA_NANG


def test_erasing_the_participants_destroys_their_key(api: Api) -> None:
    visit = in_state(api, "scheduled")
    path = f"/v1/study-visits/{visit['id']}"
    body = {"reason": "Người tham gia yêu cầu xóa", "legal_basis": "Luật 91/2025/QH15"}
    assert_problem(act(api, visit["id"], "erasure", body, role="commune"), 403)
    erased = act(api, visit["id"], "erasure", body)
    assert erased.status_code == 200, erased.text
    shown = api.client.get(path, headers=as_role(api, "home_affairs")).json()
    assert {(p["full_name"], p["position"]) for p in shown["participants"]} == {(ERASED, ERASED)}
    assert (shown["state"], shown["week"], len(shown["participants"])) == (
        "scheduled",
        "2026-W10",
        3,
    )
    trail = api.client.get(f"{path}/events", headers=as_role(api, "auditor")).json()["items"]
    assert [e["type"] for e in trail][-1] == "ParticipantsErased"
    assert "Cán bộ" not in str(trail)
    again = act(api, visit["id"], "erasure", body)
    assert problem_rules(again) == {("participants_erased", "visit")}
    assert act(api, visit["id"], "attend").status_code == 200
