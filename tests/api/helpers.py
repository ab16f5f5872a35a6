"""Small HTTP helpers for the API tests: tokens per role, request bodies, problem assertions."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
from fastapi.testclient import TestClient

from api.auth import mint_token
from api.settings import Settings

KHCN = "Sở Khoa học và Công nghệ"
DECISION = {"number": "2446/QĐ-UBND", "date": "2025-10-17", "issuer": "UBND tỉnh Điện Biên"}
SCOPES: dict[str, dict[str, Any]] = {
    "commune": {"province_code": 11, "ward_code": 3194},
    "agency": {"province_code": 11, "home_agency": KHCN},
    "official": {"personnel_id": "DB-nobody"},
    "home_affairs": {"province_code": 11},
    "ministry": {},
    "auditor": {"province_code": 11},
    "admin": {},
}
BODIES: dict[str, dict[str, Any]] = {
    "approve": {"decision": DECISION, "start": "2025-10-20", "end": "2026-04-19"},
    "reject": {"reason": "Chưa đủ điều kiện"},
    "withdraw": {"reason": "Cơ quan bố trí người khác"},
    "deploy": {"arrived_on": "2025-10-21"},
    "reports": {
        "kind": "weekly_plan",
        "period_start": "2025-10-20",
        "period_end": "2025-10-26",
        "summary": "Rà soát hồ sơ một cửa, hướng dẫn công chức xã",
        "procedures_handled": 12,
        "staff_coached": 3,
        "field_visits": 2,
        "submitted_on": "2025-10-27",
    },
    "difficulties": {
        "title": "Đường truyền không ổn định",
        "detail": "Mất kết nối làm gián đoạn hệ thống một cửa",
        "field": "information_technology",
    },
    "escalate": {"to": "province", "note": "Vượt thẩm quyền của xã"},
    "resolve": {"resolution": "Nhà mạng đã nâng cấp đường truyền"},
    "extend": {
        "new_end": "2026-10-19",
        "decision": {"number": "512/QĐ-UBND", "date": "2026-04-10", "issuer": "UBND tỉnh"},
    },
    "handover": {
        "planned_on": "2026-04-10",
        "recipients": ["Công chức Văn phòng - Thống kê"],
        "items": ["Tài khoản quản trị hệ thống một cửa"],
    },
    "end": {
        "ended_on": "2026-04-19",
        "host_evaluation": {"rating": "excellent", "comment": "Hoàn thành xuất sắc"},
    },
    "recall": {"ended_on": "2025-12-15", "reason": "Cơ quan cần cán bộ", "initiated_by": "host"},
    "return": {"returned_on": "2026-04-20", "post": "Phó Trưởng phòng Công nghệ số"},
}
PATHS = {
    "escalate": "difficulties/1/escalate",
    "resolve": "difficulties/1/resolve",
}


def secondment_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "official": {
            "full_name": "Đào Duy Hưng",
            "personnel_id": f"DB-KHCN-{uuid.uuid4().hex[:8]}",
            "category": "public_employee",
            "position": "Viên chức Phòng Công nghệ số",
            "is_leader": False,
            "in_succession_plan": True,
            "appraisals": [
                {"year": 2022, "rating": "good"},
                {"year": 2023, "rating": "good"},
                {"year": 2024, "rating": "excellent"},
            ],
        },
        "home_agency": KHCN,
        "host": {"province_code": 11, "ward_code": 3194},
        "kind": "secondment",
        "fields": ["information_technology", "digital_transformation"],
        "planned_start": "2025-10-20",
        "planned_end": "2026-04-19",
        "reason": "Xã thiếu cán bộ công nghệ thông tin",
    }
    body.update(overrides)
    return body


def assert_problem(response: httpx.Response, status: int, **fields: Any) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = response.json()
    assert {"type", "title", "status", "detail"} <= body.keys()
    assert body["status"] == status
    for name, value in fields.items():
        assert body[name] == value, (name, body)
    return body


def rules(response: httpx.Response) -> set[tuple[str, str]]:
    return {(e["rule"], e["field"]) for e in response.json()["errors"]}


def problem_rules(response: httpx.Response) -> set[tuple[str, str]]:
    """The (rule, field) pairs of a 422 problem."""
    assert_problem(response, 422)
    return rules(response)


class Api:
    """A test client with tokens: `api.as_("commune").post(...)`."""

    def __init__(self, client: TestClient, settings: Settings) -> None:
        self.client = client
        self.settings = settings

    @property
    def registry(self) -> Any:
        return self.client.app.state.registry  # type: ignore[attr-defined]

    def token(self, role: str, **claims: Any) -> str:
        scope = {**SCOPES[role], **claims}
        return mint_token(self.settings, {"sub": f"{role}-tester", "role": role, **scope})

    def headers(self, role: str, **claims: Any) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token(role, **claims)}"}

    def create(self, role: str = "home_affairs", **overrides: Any) -> dict[str, Any]:
        body = secondment_body(**overrides)
        r = self.client.post("/v1/secondments", json=body, headers=self.headers(role))
        assert r.status_code == 201, r.text
        created: dict[str, Any] = r.json()
        return created

    def act(
        self,
        sid: str,
        action: str,
        role: str = "home_affairs",
        body: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
        **claims: Any,
    ) -> httpx.Response:
        path = PATHS.get(action, action)
        response: httpx.Response = self.client.post(
            f"/v1/secondments/{sid}/{path}",
            json=BODIES[action] if body is None else body,
            headers={**self.headers(role, **claims), **(headers or {})},
        )
        return response

    def get(self, path: str, role: str = "home_affairs", **claims: Any) -> httpx.Response:
        response: httpx.Response = self.client.get(path, headers=self.headers(role, **claims))
        return response
