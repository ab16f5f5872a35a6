"""The role table of API.md: every role × every command and read, inside and outside its scope.

Expected outcomes are written out here from API.md, not read from api.access, so the test checks
the implementation against the contract.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from domain.values import Field, Host, ReportKind, Term
from tests import builders
from tests.api.helpers import BODIES, KHCN, Api, assert_problem, secondment_body

ROLES = ("commune", "agency", "official", "home_affairs", "ministry", "auditor", "admin")
EVERYWHERE = {"home_affairs", "ministry"}
MAY: dict[str, set[str]] = {
    "request": {"commune", "agency"} | EVERYWHERE,
    "approve": EVERYWHERE,
    "reject": EVERYWHERE,
    "withdraw": {"agency"} | EVERYWHERE,
    "deploy": {"commune"} | EVERYWHERE,
    "reports": {"official"},
    "difficulties": {"commune", "official"} | EVERYWHERE,
    "escalate": {"commune", "official"} | EVERYWHERE,
    "resolve": {"commune"} | EVERYWHERE,
    "extend": EVERYWHERE,
    "handover": {"commune", "official"} | EVERYWHERE,
    "end": {"commune"} | EVERYWHERE,
    "recall": {"agency"} | EVERYWHERE,
    "decide": EVERYWHERE,
    "needs": {"commune"} | EVERYWHERE,
    "read": set(ROLES) - {"admin"},
    "events": set(ROLES) - {"admin"},
}
STATE_FOR = {
    "approve": "requested",
    "reject": "requested",
    "withdraw": "requested",
    "decide": "requested",
    "deploy": "approved",
    "reports": "deployed",
    "difficulties": "deployed",
    "escalate": "difficulty",
    "resolve": "difficulty",
    "extend": "deployed",
    "recall": "deployed",
    "handover": "reporting",
    "end": "handover",
    "read": "requested",
    "events": "requested",
}
INSIDE: dict[str, Any] = {"host": Host(11, 3194), "home_agency": KHCN}
OUTSIDE: dict[str, Any] = {"host": Host(48, 20455), "home_agency": "Sở Nội vụ thành phố Đà Nẵng"}


def _secondment(api: Api, state: str, inside: bool) -> tuple[str, str]:
    registry, where = api.registry, INSIDE if inside else OUTSIDE
    recorded = builders.request(registry, **where)
    sid, meta = recorded.secondment.id, builders.meta
    if state != "requested":
        registry.approve(sid, meta(), builders.DECISION_2446, builders.TERM)
    if state in ("deployed", "difficulty", "reporting", "handover"):
        registry.deploy(sid, meta(), date(2025, 10, 21))
    if state == "difficulty":
        registry.raise_difficulty(sid, meta(), "Khó khăn", "Chi tiết", Field.JUSTICE)
    if state in ("reporting", "handover"):
        period = Term(date(2025, 10, 21), date(2025, 10, 26))
        registry.submit_report(
            sid, meta(), ReportKind.PROGRESS, period, "Báo cáo", submitted_on=period.end
        )
    if state == "handover":
        registry.start_handover(sid, meta(), date(2026, 4, 1), ["Xã"], ["Hồ sơ"])
    return str(sid), recorded.secondment.official.personnel_id


def _call(api: Api, action: str, role: str, inside: bool) -> Any:
    if action == "request":
        where = {"host": {"province_code": 11, "ward_code": 3194}, "home_agency": KHCN}
        if not inside:
            where = {"host": {"province_code": 48, "ward_code": 20455}, "home_agency": "Sở Y tế"}
        body = secondment_body(**where)
        return api.client.post("/v1/secondments", json=body, headers=api.headers(role))
    if action == "needs":
        ward = 3194 if inside else 20455
        url, body = f"/v1/communes/{ward}/needs", {"fields": ["justice"]}
        return api.client.put(url, json=body, headers=api.headers(role))
    sid, pid = _secondment(api, STATE_FOR[action], inside)
    claims: dict[str, Any] = (
        {"personnel_id": pid if inside else "someone-else"} if role == "official" else {}
    )
    if action == "decide":
        body = {**BODIES["approve"], "secondment_ids": [sid]}
        return api.client.post("/v1/decisions", json=body, headers=api.headers(role, **claims))
    if action in ("read", "events"):
        suffix = "/events" if action == "events" else ""
        return api.get(f"/v1/secondments/{sid}{suffix}", role, **claims)
    return api.act(sid, action, role, **claims)


def _expected(action: str, role: str, inside: bool) -> int:
    if role not in MAY[action]:
        return 403
    if inside or role == "ministry":
        return 201 if action == "request" else 200
    if action in ("request", "needs"):
        return 403
    return 422 if action == "decide" else 404


@pytest.mark.parametrize("inside", [True, False], ids=["in-scope", "out-of-scope"])
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", list(MAY))
def test_role_table(shared_api: Api, action: str, role: str, inside: bool) -> None:
    response = _call(shared_api, action, role, inside)
    expected = _expected(action, role, inside)
    if expected >= 400:
        body = assert_problem(response, expected)
        if expected == 404:
            assert body["detail"] == "secondment not found"
    else:
        assert response.status_code == expected, response.text


def test_the_actor_comes_from_the_token(shared_api: Api) -> None:
    sid, _ = _secondment(shared_api, "requested", True)
    body = {**BODIES["approve"], "actor": {"sub": "someone", "role": "ministry"}}
    assert shared_api.act(sid, "approve", body=body).status_code == 422
    shared_api.act(sid, "approve")
    events = shared_api.get(f"/v1/secondments/{sid}/events").json()["items"]
    assert events[-1]["actor"] == {"sub": "home_affairs-tester", "role": "home_affairs"}
