"""Helpers of the study-visit tests: Đà Nẵng's tokens, a proposal, driving a visit to a state."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest

from tests.api.helpers import Api
from tests.ui.conftest import live_ui
from tests.ui.helpers import Dashboard

__all__ = ["api", "live_ui"]

DA_NANG = 48
HUNG_SON, TAY_GIANG, AVUONG = 20443, 20455, 20458
DEPARTMENT = {"province_code": DA_NANG}
PATHS = {"scheduled": ("schedule",), "attended": ("schedule", "attend")}
PATHS |= {"completed": (*PATHS["attended"], "complete"), "cancelled": ("cancel",)}


def as_role(api: Api, role: str, ward: int = HUNG_SON) -> dict[str, str]:
    claims: dict[str, Any] = {"province_code": DA_NANG}
    if role == "commune":
        claims["ward_code"] = ward
    return api.headers(role, **claims)


def proposal(ward: int = HUNG_SON, people: int = 3, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "ward_code": ward,
        "participants": [
            {"full_name": f"Cán bộ {i} (mẫu)", "position": "Công chức xã"} for i in range(people)
        ],
        "topics": ["Cải cách hành chính"],
        "host_unit": "Sở Nội vụ thành phố Đà Nẵng",
        "preferred_weeks": ["2026-W10"],
    }
    return {**body, **overrides}


def slot(
    week_monday: str = "2026-03-02", unit: str = "Phòng Cải cách hành chính"
) -> dict[str, Any]:
    return {"start": week_monday, "end": week_monday, "unit": unit}


BODIES: dict[str, dict[str, Any]] = {
    "attend": {"attended_on": "2026-03-02"},
    "complete": {"feedback": "Học được cách số hóa hồ sơ"},
    "cancel": {"reason": "Xã có việc đột xuất"},
}


def propose(api: Api, role: str = "home_affairs", **overrides: Any) -> dict[str, Any]:
    r = api.client.post("/v1/study-visits", json=proposal(**overrides), headers=as_role(api, role))
    assert r.status_code == 201, r.text
    created: dict[str, Any] = r.json()
    return created


def act(
    api: Api,
    visit_id: str,
    action: str,
    body: dict[str, Any] | None = None,
    role: str = "home_affairs",
) -> httpx.Response:
    given = (
        body if body is not None else BODIES.get(action, slot(unit=f"Phòng {uuid.uuid4().hex[:6]}"))
    )
    response: httpx.Response = api.client.post(
        f"/v1/study-visits/{visit_id}/{action}", json=given, headers=as_role(api, role)
    )
    return response


def in_state(api: Api, state: str) -> dict[str, Any]:
    visit = propose(api)
    for action in PATHS.get(state, ()):
        r = act(api, visit["id"], action)
        assert r.status_code == 200, r.text
        visit = r.json()
    assert visit["state"] == state
    return visit


@pytest.fixture
def api(live_ui: Dashboard) -> Api:
    """The app on either backend with its projections running (lists, reports)."""
    return live_ui.api
