"""The one place where errors become application/problem+json responses (RFC 9457)."""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping, Sequence
from http import HTTPStatus
from typing import Any

import psycopg
from eventsourcing.persistence import InterfaceError, OperationalError
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException
from starlette.responses import Response
from starlette.routing import BaseRoute, Match

from api import vietnamese
from api.schemas.problems import Problem, ProblemField
from domain import lifecycle
from domain.errors import (
    Conflict,
    IllegalTransition,
    NotFound,
    RuleViolation,
    SecondmentNotFound,
    StaleVersion,
)
from projections.base import NotLive

MEDIA_TYPE = "application/problem+json"
log = logging.getLogger("secondments.api")
TITLES = {413: "Content Too Large", 422: "Unprocessable Content"}


class ApiProblem(Exception):
    """Raised by the HTTP layer for a problem the domain does not know (401, 403, 413, 422…)."""

    def __init__(
        self,
        status: int,
        slug: str,
        title: str,
        detail: str,
        headers: Mapping[str, str] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(detail)
        self.status, self.slug, self.title, self.detail = status, slug, title, detail
        self.headers = dict(headers or {})
        self.extra = extra


def unauthorized(detail: str) -> ApiProblem:
    challenge = {"WWW-Authenticate": 'Bearer error="invalid_token"'}
    return ApiProblem(401, "unauthorized", "Unauthorized", detail, challenge)


def forbidden(detail: str) -> ApiProblem:
    return ApiProblem(403, "forbidden", "Forbidden", detail)


def secondment_not_found() -> ApiProblem:
    return ApiProblem(404, "not-found", "Not Found", "secondment not found")


def invalid(field: str, message: str, rule: str) -> ApiProblem:
    error = ProblemField(field=field, message=message, rule=rule)
    return ApiProblem(422, "invalid", "Unprocessable Content", message, errors=[error])


def problem(
    status: int,
    slug: str,
    title: str,
    detail: str,
    headers: Mapping[str, str] | None = None,
    **extra: Any,
) -> Response:
    body = Problem(
        type=f"urn:secondments:problem:{slug}", title=title, status=status, detail=detail, **extra
    )
    return Response(
        body.model_dump_json(exclude_none=True),
        status_code=status,
        media_type=MEDIA_TYPE,
        headers=dict(headers or {}),
    )


def too_large(limit: int) -> Response:
    detail = f"the body exceeds {limit} bytes"
    return problem(413, "content-too-large", "Content Too Large", detail)


def headers_too_large(limit: int) -> Response:
    detail = f"the request's headers exceed {limit} bytes in all"
    return problem(431, "headers-too-large", "Request Header Fields Too Large", detail)


def token_too_large(limit: int) -> Response:
    detail = f"the token is longer than {limit} bytes"
    challenge = {"WWW-Authenticate": 'Bearer error="invalid_token"'}
    return problem(401, "unauthorized", "Unauthorized", detail, challenge)


def internal_error(request_id: str) -> Response:
    detail = "unexpected error; quote the request id to the operators"
    return problem(500, "internal", "Internal Server Error", detail, request_id=request_id)


def unavailable(detail: str) -> Response:
    headers = {"Retry-After": "5"}
    return problem(503, "unavailable", "Service Unavailable", detail, headers)


def _violations(exc: RuleViolation) -> list[ProblemField]:
    return [ProblemField(field=v.field, message=v.message, rule=v.rule) for v in exc.violations]


def _location(loc: Sequence[int | str]) -> str:
    path = ""
    for part in loc[1:] if len(loc) > 1 else loc:
        path += f"[{part}]" if isinstance(part, int) else f".{part}" if path else str(part)
    return path or "body"


def _validation_errors(exc: RequestValidationError) -> list[ProblemField]:
    return [
        ProblemField(field=_location(e["loc"]), message=e["msg"], rule=e["type"])
        for e in exc.errors()
    ]


def _on_api_problem(_: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiProblem)
    return problem(exc.status, exc.slug, exc.title, exc.detail, exc.headers, **exc.extra)


def _on_not_found(_: Request, exc: Exception) -> Response:
    assert isinstance(exc, NotFound)
    detail = "secondment not found" if isinstance(exc, SecondmentNotFound) else str(exc)
    return problem(404, "not-found", "Not Found", detail)


def _on_illegal(_: Request, exc: Exception) -> Response:
    assert isinstance(exc, IllegalTransition)
    allowed = [a for a in exc.allowed_actions if a not in lifecycle.SYSTEM_ACTIONS]
    detail = f"cannot {exc.action} a {exc.what} that is {exc.state}"
    return problem(
        409, "illegal-transition", "Conflict", detail, state=exc.state, allowed_actions=allowed
    )


def _on_stale(_: Request, exc: Exception) -> Response:
    assert isinstance(exc, StaleVersion)
    return problem(
        412,
        "stale-version",
        "Precondition Failed",
        str(exc),
        {"ETag": f'"{exc.actual}"'},
        expected_version=exc.expected,
        current_version=exc.actual,
    )


def _on_conflict(_: Request, exc: Exception) -> Response:
    return problem(409, "conflict", "Conflict", str(exc))


def _on_rules(_: Request, exc: Exception) -> Response:
    assert isinstance(exc, RuleViolation)
    detail = "; ".join(f"{v.field}: {v.message}" for v in exc.violations)
    return problem(422, "rule-violation", "Unprocessable Content", detail, errors=_violations(exc))


def _on_validation(_: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    errors = _validation_errors(exc)
    detail = "; ".join(f"{e.field}: {e.message}" for e in errors)
    return problem(422, "invalid", "Unprocessable Content", detail, errors=errors)


METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")


def _allowed(request: Request) -> str:
    """Every method some route takes at this path (Starlette names only the first route's)."""
    routes: list[BaseRoute] = request.app.router.routes
    return ", ".join(
        method
        for method in METHODS
        if any(r.matches({**request.scope, "method": method})[0] is Match.FULL for r in routes)
    )


def _on_http(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if exc.status_code == 405:
        exc.headers = {**(exc.headers or {}), "Allow": _allowed(request)}
    if exc.status_code == 400 and exc.__cause__ is not None:
        error = ProblemField(field="body", message="the body is not JSON", rule="json_invalid")
        return problem(422, "invalid", "Unprocessable Content", error.message, errors=[error])
    if exc.status_code == 400 and _is_multipart(request):
        message = "the body is not valid multipart/form-data"
        error = ProblemField(field="body", message=message, rule="multipart_invalid")
        return problem(422, "invalid", "Unprocessable Content", message, errors=[error])
    title = TITLES.get(exc.status_code) or HTTPStatus(exc.status_code).phrase
    slug = title.lower().replace(" ", "-")
    return problem(exc.status_code, slug, title, str(exc.detail), exc.headers)


def _is_multipart(request: Request) -> bool:
    return request.headers.get("content-type", "").startswith("multipart/form-data")


def _on_store_down(request: Request, exc: Exception) -> Response:
    log.error("database unavailable (%s) request_id=%s", type(exc).__name__, _request_id(request))
    return unavailable("the database is unavailable; try again shortly")


def _on_building(_: Request, exc: Exception) -> Response:
    assert isinstance(exc, NotLive)
    detail = f"the read model {exc.model} is being built; try again shortly"
    return problem(503, "read-model-building", "Service Unavailable", detail, {"Retry-After": "5"})


def _request_id(request: Request) -> str:
    return str(getattr(request.state, "request_id", "-"))


HANDLERS: dict[type[Exception], Any] = {
    ApiProblem: _on_api_problem,
    NotFound: _on_not_found,
    IllegalTransition: _on_illegal,
    StaleVersion: _on_stale,
    Conflict: _on_conflict,
    RuleViolation: _on_rules,
    RequestValidationError: _on_validation,
    HTTPException: _on_http,
    OperationalError: _on_store_down,
    InterfaceError: _on_store_down,
    psycopg.OperationalError: _on_store_down,
    psycopg.InterfaceError: _on_store_down,
    NotLive: _on_building,
}


def in_vietnamese(body: dict[str, Any]) -> dict[str, Any]:
    """The same problem with its `detail` and each error's `message` in Vietnamese; the rule
    names, fields and type are unchanged."""
    errors = [{**e, "message": vietnamese.rule_text(e["rule"])} for e in body.get("errors") or []]
    slug = str(body.get("type", "")).rsplit(":", 1)[-1]
    detail = "; ".join(dict.fromkeys(e["message"] for e in errors)) or vietnamese.DETAILS.get(slug)
    return {**body, "detail": detail or body.get("detail", "")} | (
        {"errors": errors} if errors else {}
    )


def localise(response: Response, accept_language: str) -> Response:
    """The problem in Vietnamese when the caller asks for it (`Accept-Language: vi`)."""
    if not vietnamese.wants_vietnamese(accept_language):
        return response
    body = in_vietnamese(json.loads(bytes(response.body)))
    headers = {k: v for k, v in response.headers.items() if k != "content-length"}
    headers["Content-Language"] = "vi"
    return Response(json.dumps(body, ensure_ascii=False), response.status_code, headers)


def _localised(handler: Any) -> Any:
    def handle(request: Request, exc: Exception) -> Response:
        return localise(handler(request, exc), request.headers.get("accept-language", ""))

    return handle


def install(app: FastAPI) -> None:
    """Registers every handler (answering in Vietnamese when asked); anything else is a 500
    from the request middleware."""
    for kind, handler in HANDLERS.items():
        app.add_exception_handler(kind, _localised(handler))
