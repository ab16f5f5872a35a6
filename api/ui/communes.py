"""Khai báo nhu cầu (/ui/communes/{ward_code}/needs): a commune (or the Department of Home
Affairs for it) declares the fields it lacks, through the API's own route."""

from __future__ import annotations

import json
import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.responses import RedirectResponse, Response

from api import access
from api.auth import Principal
from api.errors import forbidden
from api.routers import communes as commune_route
from api.schemas.commands import NeedsBody
from api.ui import labels, session
from api.ui.messages import FieldError, from_validation
from api.ui.render import render
from api.ui.requests import context_for
from api.ui.session import UiRoute
from domain.units import ward_name, ward_province
from domain.values import Host
from projections.catalog import ReadModels, head

router = APIRouter(route_class=UiRoute)
Who = Annotated[Principal, Depends(session.principal)]
WardCode = Annotated[int, Path(ge=1, le=99999)]


def _check(principal: Principal, ward_code: int) -> None:
    access.require(principal, access.DECLARE_NEEDS)
    province = ward_province(ward_code)
    if province is None or not access.may_declare_needs(principal, Host(province, ward_code)):
        raise forbidden("this commune is outside the token's scope")


def _page(
    request: Request,
    principal: Principal,
    ward_code: int,
    values: dict[str, Any],
    errors: list[FieldError],
    status: int = 200,
) -> Response:
    context = {
        "title": f"Khai báo lĩnh vực còn thiếu — {ward_name(ward_code)}",
        "ward_code": ward_code,
        "values": values,
        "errors": errors,
        "fields": labels.FIELDS,
        "key": uuid.uuid4().hex,
    }
    return render(request, "needs.html", context, status, principal)


@router.get("/communes/{ward_code}/needs")
def needs_page(request: Request, principal: Who, ward_code: WardCode) -> Response:
    """The form, filled with the commune's current declaration."""
    _check(principal, ward_code)
    needs = request.app.state.registry.commune_needs(ward_code)
    values: dict[str, Any] = {
        "fields": [f.value for f in needs.fields] if needs else [],
        "note": needs.note if needs else "",
    }
    return _page(request, principal, ward_code, values, [])


@router.post("/communes/{ward_code}/needs")
async def declare(request: Request, principal: Who, ward_code: WardCode) -> Response:
    form = await request.form()
    session.check_csrf(request, form)
    values: dict[str, Any] = {
        "fields": [str(f) for f in form.getlist("fields")],
        "note": str(form.get("note", "")),
        "idempotency_key": str(form.get("idempotency_key", "")),
    }
    return await run_in_threadpool(_declare, request, principal, ward_code, values)


def _declare(
    request: Request, principal: Principal, ward_code: int, values: dict[str, Any]
) -> Response:
    _check(principal, ward_code)
    try:
        body = NeedsBody.model_validate({"fields": values["fields"], "note": values["note"]})
    except ValidationError as e:
        return _page(request, principal, ward_code, values, from_validation(e), 422)
    payload = json.dumps([ward_code, body.model_dump(mode="json")]).encode()
    command = context_for(request, principal, values["idempotency_key"], payload)
    commune_route.declare_needs(ward_code, body, command, command.registry)
    ReadModels(request.app.state.read_store).wait(head(command.registry), timeout=5)
    return RedirectResponse(f"/ui/communes/{ward_code}?done=needs", 303)
