"""Corrections through HTTP, on both backends: the corrected fact passes its command's rules,
the roles of that command (and home_affairs, ministry) may correct it, and the correction shows
in the record, on past business days, in /events, the audit and the read models, while `as_of`
before it shows the original."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from tests.api.helpers import Api, assert_problem, problem_rules


@pytest.fixture
def qapi(store: Settings) -> Iterator[Api]:
    settings = store.model_copy(update={"run_projections": True, "min_position_timeout": 5.0})
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        yield Api(client, settings)


def ok(r: Any) -> Any:
    assert r.status_code == 200, r.text
    return r.json()


def correct(api: Api, sid: str, body: dict[str, Any], role: str = "home_affairs", **claims: Any):
    return api.client.post(
        f"/v1/secondments/{sid}/corrections", json=body, headers=api.headers(role, **claims)
    )


@pytest.fixture
def deployed(qapi: Api) -> dict[str, Any]:
    s = qapi.create(requested_on="2025-10-01")
    ok(qapi.act(s["id"], "approve"))
    return ok(qapi.act(s["id"], "deploy", "commune"))


def test_a_corrected_arrival_shows_everywhere_but_before_it(qapi: Api, deployed: Any) -> None:
    sid = deployed["id"]
    before = datetime.now(UTC).isoformat()
    body = {"version": 3, "changes": {"arrived_on": "2025-10-20"}, "reason": "Nhập nhầm ngày"}
    fixed = ok(correct(qapi, sid, body, "commune"))
    assert (fixed["arrived_on"], fixed["state"], fixed["version"]) == ("2025-10-20", "deployed", 4)
    assert ok(qapi.get(f"/v1/secondments/{sid}"))["arrived_on"] == "2025-10-20"
    old = qapi.client.get(
        f"/v1/secondments/{sid}", params={"as_of": before}, headers=qapi.headers("home_affairs")
    )
    assert ok(old)["arrived_on"] == "2025-10-21"
    on = ok(qapi.get(f"/v1/secondments/{sid}?on=2025-10-20"))
    assert (on["state"], on["arrived_on"]) == ("deployed", "2025-10-20")
    known_then = qapi.client.get(
        f"/v1/secondments/{sid}",
        params={"on": "2025-10-20", "as_of": before},
        headers=qapi.headers("home_affairs"),
    )
    assert ok(known_then)["state"] == "approved"
    trail = ok(qapi.get(f"/v1/secondments/{sid}/events"))["items"]
    last = trail[-1]
    assert last["type"] == "Corrected"
    assert last["data"]["corrects_version"] == 3
    assert last["data"]["changes"] == {"arrived_on": "2025-10-20"}
    assert last["data"]["reason"] == "Nhập nhầm ngày"
    wait = f"min_position={fixed['position']}"
    listed = ok(qapi.get(f"/v1/secondments?active_on=2025-10-20&{wait}"))["items"]
    assert [(i["id"], i["arrived_on"]) for i in listed] == [(sid, "2025-10-20")]
    audit = ok(qapi.get(f"/v1/audit?secondment_id={sid}&type=Corrected&{wait}"))["items"]
    assert [(a["reason"], a["data"]["corrects_version"]) for a in audit] == [("Nhập nhầm ngày", 3)]


def test_a_correction_must_pass_the_rules_of_its_command(qapi: Api, deployed: Any) -> None:
    sid = deployed["id"]
    early = {"version": 3, "changes": {"arrived_on": "2025-10-10"}, "reason": "x"}
    assert problem_rules(correct(qapi, sid, early)) == {
        ("effective_date_out_of_order", "changes.arrived_on"),
        ("arrival_after_decision", "changes.arrived_on"),
    }
    late = {"version": 2, "changes": {"decision": {"date": "2025-10-25"}}, "reason": "x"}
    rules = problem_rules(correct(qapi, sid, late))
    assert ("effective_date_out_of_order", "changes.decision.date") in rules
    wrong = {"version": 3, "changes": {"summary": "x", "to_state": "ended"}, "reason": "x"}
    assert problem_rules(correct(qapi, sid, wrong)) == {
        ("correction_field", "changes.summary"),
        ("correction_field", "changes.to_state"),
    }
    bad = {"version": 3, "changes": {"arrived_on": "20/10/2025"}, "reason": "x"}
    assert problem_rules(correct(qapi, sid, bad)) == {("correction_value", "changes.arrived_on")}
    missing = {"version": 9, "changes": {"arrived_on": "2025-10-20"}, "reason": "x"}
    assert problem_rules(correct(qapi, sid, missing)) == {("version_exists", "version")}
    assert ok(qapi.get(f"/v1/secondments/{sid}"))["version"] == 3


def test_who_may_correct_which_fact(qapi: Api, deployed: Any) -> None:
    sid = deployed["id"]
    arrival = {"version": 3, "changes": {"arrived_on": "2025-10-20"}, "reason": "x"}
    assert_problem(correct(qapi, sid, arrival, "agency"), 403)
    assert_problem(correct(qapi, sid, arrival, "auditor"), 403)
    assert_problem(correct(qapi, sid, arrival, "commune", ward_code=3356), 404)
    decision = {"version": 2, "changes": {"decision": {"number": "2447/QĐ-UBND"}}, "reason": "x"}
    assert_problem(correct(qapi, sid, decision, "commune"), 403)
    fixed = ok(correct(qapi, sid, decision, "ministry"))
    assert fixed["decision"]["number"] == "2447/QĐ-UBND"
    wait = f"min_position={fixed['position']}"
    found = ok(qapi.get(f"/v1/decisions?number=2447/QĐ-UBND&{wait}"))
    assert [i["secondment_id"] for i in found["items"]] == [sid]


def test_a_report_and_a_name_are_corrected(qapi: Api, deployed: Any) -> None:
    sid, pid = deployed["id"], deployed["official"]["personnel_id"]
    ok(qapi.act(sid, "reports", "official", personnel_id=pid))
    figures = {"version": 4, "changes": {"procedures_handled": 15}, "reason": "Đếm lại"}
    assert (
        ok(correct(qapi, sid, figures, "official", personnel_id=pid))["reports"][0][
            "procedures_handled"
        ]
        == 15
    )
    name = {"version": 1, "changes": {"full_name": "Đào Duy Hưng Anh"}, "reason": "Sai tên"}
    assert_problem(correct(qapi, sid, name, "official", personnel_id=pid), 403)
    fixed = ok(correct(qapi, sid, name, "agency"))
    assert fixed["official"]["full_name"] == "Đào Duy Hưng Anh"
    wait = f"min_position={fixed['position']}"
    listed = ok(qapi.get(f"/v1/secondments?q=hung anh&{wait}"))["items"]
    assert [i["id"] for i in listed] == [sid]
