"""Helpers of the working-group tests: Đà Nẵng's tokens, a group, a secondment on post."""

from __future__ import annotations

from typing import Any

import httpx

from tests.api.helpers import Api, secondment_body

DA_NANG = 48
WARD, OTHER, THIRD = 20455, 20458, 20443
"""Three of the nineteen mountain and border communes of the Đà Nẵng demo."""
CLAIMS: dict[str, dict[str, Any]] = {
    "home_affairs": {"province_code": DA_NANG},
    "auditor": {"province_code": DA_NANG},
    "commune": {"province_code": DA_NANG, "ward_code": WARD},
    "agency": {"province_code": DA_NANG, "home_agency": "Sở Nội vụ"},
    "official": {},
    "ministry": {},
    "admin": {},
}
LEADER = {"full_name": "Trần Văn An", "position": "Phó Giám đốc Sở", "unit": "Sở Nội vụ"}
MEMBER = {"full_name": "Lê Thị Bình", "position": "Chuyên viên chính", "unit": "Bộ Nội vụ"}


def headers(api: Api, role: str, **claims: Any) -> dict[str, str]:
    return api.headers(role, **{**CLAIMS[role], **claims})


def group_body(**overrides: Any) -> dict[str, Any]:
    body = {
        "name": "Tổ công tác số 1",
        "leader": LEADER,
        "members": [MEMBER],
        "ward_codes": [WARD, OTHER],
        "formed_on": "2025-09-15",
    }
    return {**body, **overrides}


def form(api: Api, role: str = "home_affairs", **overrides: Any) -> httpx.Response:
    response: httpx.Response = api.client.post(
        "/v1/working-groups", json=group_body(**overrides), headers=headers(api, role)
    )
    return response


def formed(api: Api, **overrides: Any) -> dict[str, Any]:
    r = form(api, **overrides)
    assert r.status_code == 201, r.text
    created: dict[str, Any] = r.json()
    return created


def visit_body(ward: int = WARD, **overrides: Any) -> dict[str, Any]:
    body = {
        "ward_code": ward,
        "visited_on": "2025-10-02",
        "findings": "Bộ phận một cửa thiếu công chức địa chính",
        "guidance": "Hướng dẫn quy trình tiếp nhận hồ sơ đất đai",
        "issues": [],
    }
    return {**body, **overrides}


def visit(
    api: Api, group_id: str, body: dict[str, Any], role: str = "home_affairs", **extra: str
) -> httpx.Response:
    response: httpx.Response = api.client.post(
        f"/v1/working-groups/{group_id}/visits", json=body, headers={**headers(api, role), **extra}
    )
    return response


def on_post(api: Api, ward: int = WARD) -> str:
    """A secondment deployed at a Đà Nẵng commune; its id."""
    body = secondment_body(host={"province_code": DA_NANG, "ward_code": ward})
    r = api.client.post("/v1/secondments", json=body, headers=headers(api, "home_affairs"))
    assert r.status_code == 201, r.text
    sid: str = r.json()["id"]
    assert api.act(sid, "approve", province_code=DA_NANG).status_code == 200
    deploy = api.act(sid, "deploy", "commune", province_code=DA_NANG, ward_code=ward)
    assert deploy.status_code == 200, deploy.text
    return sid


def issue(
    secondment_id: str | None = None, title: str = "Hồ sơ đất đai tồn đọng"
) -> dict[str, Any]:
    found: dict[str, Any] = {
        "title": title,
        "detail": "Chưa có bản đồ địa chính số",
        "field": "land_management",
    }
    if secondment_id:
        found["secondment_id"] = secondment_id
    return found
