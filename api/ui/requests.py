"""Creating requests from the dashboard: one by one (/ui/secondments/new), or a whole list from a
spreadsheet (/ui/imports: template, preview with each row's problems, then all or none).

Both go through the API's own routes with a `CommandContext`, so they are checked by the same
request model, roles, scope and rules, and refused with the same rule names (shown in Vietnamese).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.responses import RedirectResponse, Response

from api import access
from api.auth import Principal
from api.commands import CommandContext
from api.errors import ApiProblem
from api.idempotency import fingerprint
from api.routers import secondments as secondment_route
from api.schemas.commands import SecondmentCreate
from api.ui import labels, session
from api.ui.messages import FieldError, from_domain, from_validation
from api.ui.render import render
from api.ui.session import UiRoute
from domain import rules
from domain.errors import DomainError
from domain.units import all_wards, host_violations, ward_province

router = APIRouter(route_class=UiRoute)
Who = Annotated[Principal, Depends(session.principal)]
YEARS = 4
"""Appraisal years offered: a decision looks at the 3 years before its own."""


def context_for(request: Request, principal: Principal, key: str, payload: bytes) -> CommandContext:
    """A command from a dashboard form: one idempotency key per rendered form."""
    return CommandContext(
        principal=principal,
        registry=request.app.state.registry,
        replays=request.app.state.idempotency,
        request_id=request.state.request_id,
        fingerprint=fingerprint("POST", request.url.path, payload),
        idempotency_key=key if key and len(key) <= 200 and key.isascii() else None,
        expected_version=None,
    )


def wards_for(principal: Principal) -> list[tuple[int, str]]:
    """The communes the caller may request for: its ward, its province's, or every one."""
    if principal.ward_code is not None:
        return [(c, n) for c, n, _ in all_wards() if c == principal.ward_code]
    province = principal.province_code
    return [(c, n) for c, n, p in all_wards() if province is None or p == province]


def years_before(today: date) -> list[int]:
    return list(range(today.year - YEARS, today.year))


def official_of(values: Mapping[str, Any], years: list[int]) -> dict[str, Any]:
    """The `official` object of a request (or a nomination) from the form's inputs."""
    appraisals = [
        {"year": y, "rating": str(values.get(f"rating_{y}"))}
        for y in years
        if values.get(f"rating_{y}")
    ]
    official = {
        k: str(values.get(k, "")).strip() for k in ("full_name", "personnel_id", "position")
    }
    return {
        **official,
        "category": str(values.get("category", "")),
        "is_leader": values.get("is_leader") == "on",
        "in_succession_plan": values.get("in_succession_plan") == "on",
        "appraisals": appraisals,
    }


def _body(values: Mapping[str, Any], years: list[int]) -> tuple[dict[str, Any], list[FieldError]]:
    errors: list[FieldError] = []
    days = {}
    for name in ("planned_start", "planned_end"):
        day = labels.parse_vn_date(str(values.get(name, "")))
        if day is None:
            errors.append(FieldError(name, "date_format" if values.get(name) else "missing"))
        days[name] = day.isoformat() if day else ""
    ward_text = str(values.get("ward_code", "")).split(" ")[0]
    ward = int(ward_text) if ward_text.isdigit() else 0
    body = {
        "official": official_of(values, years),
        "home_agency": str(values.get("home_agency", "")).strip(),
        "host": {"province_code": ward_province(ward) or 1, "ward_code": ward or None},
        "kind": str(values.get("kind", "")),
        "fields": list(values.get("fields", [])),
        **days,
        "reason": str(values.get("reason", "")).strip(),
    }
    return body, errors


def short(errors: list[FieldError]) -> list[FieldError]:
    """Field names as the form names its inputs (`official.full_name` → `full_name`)."""
    found: list[FieldError] = []
    for e in errors:
        name = e.field.removeprefix("official.").split(".")[0]
        name = "ward_code" if name in ("host", "province_code") else name
        name = "appraisals" if name.startswith("appraisals") else name
        if not any(f.field == name for f in found):
            found.append(FieldError(name, e.rule))
    return found


def _new_page(
    request: Request,
    principal: Principal,
    values: Mapping[str, Any],
    errors: list[FieldError],
    warning: list[str],
    status: int = 200,
) -> Response:
    today = request.app.state.registry.today()
    context = {
        "title": "Lập đề nghị biệt phái",
        "values": values,
        "errors": errors,
        "general": [e.message for e in errors if e.field == ""],
        "warning": warning,
        "years": years_before(today),
        "wards": wards_for(principal),
        "key": values.get("idempotency_key") or uuid.uuid4().hex,
    }
    return render(request, "new_request.html", context, status, principal)


@router.get("/secondments/new")
def new_request_page(request: Request, principal: Who) -> Response:
    """Lập đề nghị biệt phái."""
    access.require(principal, access.REQUEST)
    home = {"home_agency": principal.home_agency or "", "kind": "secondment"}
    return _new_page(request, principal, home, [], [])


@router.post("/secondments/new")
async def new_request(request: Request, principal: Who) -> Response:
    form = await request.form()
    session.check_csrf(request, form)
    values: dict[str, Any] = {k: str(v) for k, v in form.items()}
    values["fields"] = [str(f) for f in form.getlist("fields")]
    return await run_in_threadpool(_create, request, principal, values)


def _create(request: Request, principal: Principal, values: dict[str, Any]) -> Response:
    access.require(principal, access.REQUEST)
    years = years_before(request.app.state.registry.today())
    data, errors = _body(values, years)
    try:
        body = SecondmentCreate.model_validate(data)
    except ValidationError as e:
        seen = {x.field for x in errors}
        errors += [x for x in short(from_validation(e)) if x.field not in seen]
    if errors:
        return _new_page(request, principal, values, errors, [], 422)
    failures = rules.eligibility_failures(body.official.to_domain(), body.planned_start.year)
    if failures and values.get("confirmed") != "yes":
        warning = [labels.eligibility(f) for f in failures]
        return _new_page(request, principal, values, [], warning, 200)
    unknown = host_violations(body.host.to_domain())
    if unknown:
        errors = [FieldError("ward_code", v.rule) for v in unknown]
        return _new_page(request, principal, values, errors, [], 422)
    payload = repr(sorted((k, str(v)) for k, v in values.items() if k != "csrf")).encode()
    command = context_for(request, principal, str(values.get("idempotency_key", "")), payload)
    try:
        response = secondment_route.request_secondment(body, command, command.registry)
    except ApiProblem as e:
        found = [FieldError("", getattr(x, "rule", "")) for x in e.extra.get("errors", [])]
        if e.status == 403:
            found = [FieldError("ward_code", "request_scope")]
        return _new_page(request, principal, values, found, [], 422)
    except DomainError as e:
        found = short(from_domain(e, {"host.ward_code", "fields", "planned_end", "home_agency"}))
        return _new_page(request, principal, values, found, [], 422)
    location = response.headers["location"].removeprefix("/v1")
    return RedirectResponse(f"/ui{location}?done=request", 303)
