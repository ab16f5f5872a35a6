"""The OpenAPI document: errors as application/problem+json, bearer auth, contact with /docs."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from api.errors import MEDIA_TYPE

DESCRIPTION = """
Sổ theo dõi biệt phái: officials seconded to communes (biệt phái, tăng cường, phân công).

Every request except `/healthz`, `/readyz`, `/docs` and `/openapi.json` needs
`Authorization: Bearer <token>` (mint one with `secondments token --role ...`).
Commands accept `Idempotency-Key` and `If-Match: "<version>"` and answer with `ETag`.
Errors are `application/problem+json` (RFC 9457).
"""
PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}


def _problems_as_problem_json(operation: dict[str, Any]) -> None:
    for status, response in operation.get("responses", {}).items():
        if not status.isdigit() or int(status) < 400:
            continue
        response["content"] = {MEDIA_TYPE: {"schema": PROBLEM_REF}}
        if status == "422":
            response["description"] = "Invalid input or a broken business rule"


def build(app: FastAPI) -> dict[str, Any]:
    if app.openapi_schema:
        return app.openapi_schema
    schema = get_openapi(
        title=app.title, version=app.version, description=DESCRIPTION, routes=app.routes
    )
    for path in schema.get("paths", {}).values():
        for operation in path.values():
            _problems_as_problem_json(operation)
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    for unused in ("HTTPValidationError", "ValidationError"):
        components.pop(unused, None)
    app.openapi_schema = schema
    return schema


def install(app: FastAPI) -> None:
    app.openapi = lambda: build(app)  # type: ignore[method-assign]
