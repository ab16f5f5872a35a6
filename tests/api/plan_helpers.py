"""Builders for the plan tests: a plan body, nominees, and a client that drives a plan."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from tests.api.helpers import DECISION, KHCN, Api

NAM_NEN, MUONG_PHANG, THANH_NUA = 3194, 3325, 3328
PERIOD = {"start": "2025-10-20", "end": "2026-04-19"}
TERM = {"start": "2025-10-20", "end": "2026-04-19"}
GOOD = [{"year": y, "rating": "good"} for y in (2022, 2023, 2024)]
WEAK = [{"year": y, "rating": "completed"} for y in (2022, 2023, 2024)]


def plan_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "title": "Kế hoạch biệt phái cán bộ về xã, đợt 1",
        "issuer": "Sở Nội vụ tỉnh Điện Biên",
        "province_code": 11,
        "kind": "secondment",
        "period": PERIOD,
        "targets": [
            {
                "ward_code": NAM_NEN,
                "fields": ["information_technology", "construction"],
                "seats": 2,
            },
            {"ward_code": MUONG_PHANG, "fields": ["justice"], "seats": 1},
        ],
    }
    body.update(overrides)
    return body


def official(name: str = "Đào Duy Hưng", appraisals: Any = None, **more: Any) -> dict[str, Any]:
    return {
        "full_name": name,
        "personnel_id": f"DB-{uuid.uuid4().hex[:10]}",
        "category": "public_employee",
        "position": "Phó Trưởng phòng",
        "is_leader": True,
        "in_succession_plan": False,
        "appraisals": GOOD if appraisals is None else appraisals,
        **more,
    }


def nominee(fields: list[str], agency: str = KHCN, **more: Any) -> dict[str, Any]:
    return {"official": official(**more), "home_agency": agency, "fields": fields}


def decision_body(**overrides: Any) -> dict[str, Any]:
    return {"decision": DECISION, **TERM, **overrides}


class Planner:
    """Drives plans through the HTTP API as one role (home affairs of province 11 by default)."""

    def __init__(self, api: Api) -> None:
        self.api = api

    def post(
        self, path: str, body: Any = None, role: str = "home_affairs", **claims: Any
    ) -> httpx.Response:
        r: httpx.Response = self.api.client.post(
            path, json=body if body is not None else {}, headers=self.api.headers(role, **claims)
        )
        return r

    def put(
        self, path: str, body: Any, role: str = "home_affairs", **claims: Any
    ) -> httpx.Response:
        r: httpx.Response = self.api.client.put(
            path, json=body, headers=self.api.headers(role, **claims)
        )
        return r

    def create(self, **overrides: Any) -> dict[str, Any]:
        r = self.post("/v1/plans", plan_body(**overrides))
        assert r.status_code == 201, r.text
        created: dict[str, Any] = r.json()
        return created

    def opened(self, **overrides: Any) -> str:
        plan_id: str = self.create(**overrides)["id"]
        assert self.post(f"/v1/plans/{plan_id}/open").status_code == 200
        return plan_id

    def nominated(self, plan_id: str, body: dict[str, Any], role: str = "agency") -> Any:
        r = self.post(f"/v1/plans/{plan_id}/nominations", body, role)
        assert r.status_code == 201, r.text
        return r.json()

    def nominate(self, plan_id: str, body: dict[str, Any], role: str = "agency") -> str:
        found: str = self.nominated(plan_id, body, role)["nomination_id"]
        return found

    def nominate_at(self, plan_id: str, body: dict[str, Any], role: str = "agency") -> int:
        at: int = self.nominated(plan_id, body, role)["position"]
        return at

    def read(
        self, plan_id: str, at: int = 0, role: str = "home_affairs", **claims: Any
    ) -> httpx.Response:
        return self.api.get(f"/v1/plans/{plan_id}?min_position={at}", role, **claims)


@pytest.fixture
def planner(store: Settings) -> Iterator[Planner]:
    """The app with its projections running, on each backend."""
    settings = store.model_copy(update={"run_projections": True, "min_position_timeout": 5.0})
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        yield Planner(Api(client, settings))
